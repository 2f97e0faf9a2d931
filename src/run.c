// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: one event through the whole pipeline: read, plan, reconcile, apply. */
#include <errno.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "apply.h"
#include "config.h"
#include "event.h"
#include "exitcode.h"
#include "have.h"
#include "lock.h"
#include "log.h"
#include "plan.h"
#include "reconcile.h"
#include "rtnl.h"
#include "run.h"
#include "show.h"

static const int families[] = { AF_INET, AF_INET6 };

/* Operations for every family the event touches, gathered before anything is sent. */
struct batch {
	struct op *ops;
	unsigned n, cap;
	unsigned per_family[2];
};

static int batch_reserve(struct batch *b, unsigned more)
{
	struct op *v;

	if (b->n + more <= b->cap)
		return 0;
	v = realloc(b->ops, (b->n + more) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	b->ops = v;
	b->cap = b->n + more;
	return 0;
}

static int exit_for_plan_error(int err)
{
	switch (err) {
	case -ENOENT:
		return EXIT_NOT_FOUND;
	case -E2BIG:
		log_error("too many addresses or routes for one interface (at most %u routes and "
			  "%u rules)", POLICY_MAX_ROUTES, POLICY_MAX_RULES);
		return EXIT_USAGE;
	default:
		return EXIT_USAGE;
	}
}

static void refuse_foreign(const struct event *ev, uint32_t table, const struct have *have)
{
	char line[SHOW_LINE_MAX];
	char name[IF_NAMESIZE] = "";

	if (have->first_foreign.oif)
		if_indextoname(have->first_foreign.oif, name);
	log_error("%s: table %u holds %u route(s) that are not symroute's for this interface, "
		  "e.g. '%s': refusing to touch it (choose another with the table option)",
		  ev->ifname, table, have->n_foreign,
		  show_route(line, sizeof(line), &have->first_foreign, NULL, name));
}

/* Read, plan and diff one family. Returns an exit code. */
static int plan_family(struct rtnl *nl, const struct event *ev, const struct config *cfg,
		       int family, uint32_t ifindex, struct batch *b)
{
	struct link_state link;
	struct have have;
	struct policy *want = NULL;
	uint32_t table = ifindex ? plan_table(ev, cfg, ifindex) : 0;
	int code = EXIT_OK;
	int err;

	err = have_read(nl, cfg, family, ifindex, table, &link, &have);
	if (err < 0) {
		log_error("%s: reading the kernel's routing state failed: %s", ev->ifname,
			  strerror(-err));
		code = err == -E2BIG ? EXIT_USAGE : EXIT_KERNEL;
		goto out;
	}
	if (ev->action == EVENT_UP && have.n_foreign) {
		refuse_foreign(ev, table, &have);
		code = EXIT_TABLE_BUSY;
		goto out;
	}
	want = malloc(sizeof(*want));
	if (!want) {
		code = EXIT_KERNEL;
		goto out;
	}
	err = plan_build(ev, cfg, family, &link, have.n_other_rules > 0, want);
	if (err < 0) {
		code = exit_for_plan_error(err);
		goto out;
	}
	if (batch_reserve(b, reconcile_max_ops(want, &have)) < 0) {
		code = EXIT_KERNEL;
		goto out;
	}
	b->per_family[family == AF_INET6] = reconcile(want, &have, b->ops + b->n);
	b->n += b->per_family[family == AF_INET6];
out:
	free(want);
	have_free(&have);
	return code;
}

static bool plan_wants_interface_rules(const struct policy *want)
{
	for (unsigned i = 0; i < want->n_rules; i++)
		if (want->rules[i].table != RT_TABLE_MAIN)
			return true;
	return false;
}

static void push_op(struct batch *b, enum op_kind kind, const struct rule *rule)
{
	b->ops[b->n].kind = kind;
	b->ops[b->n].u.rule = *rule;
	b->n++;
}

/*
 * Narrow mode: only the interface's own state is read, never every rule.
 * Routes are diffed exactly (their tables can be read alone); rules cannot be
 * listed alone, so they are added with EXCL (the kernel answers "already
 * there") and, when the table changes or on down, the table's rules of ours
 * are removed by a wildcard first. Rules of vanished interfaces wait for a
 * down, sync or flush.
 */
static int plan_family_narrow(struct rtnl *nl, const struct event *ev, const struct config *cfg,
			      int family, uint32_t ifindex, struct batch *b)
{
	uint32_t table = plan_table(ev, cfg, ifindex), auto_table = cfg->table_base + ifindex;
	struct policy *want = malloc(sizeof(*want));
	bool others = true, change = ev->action == EVENT_DOWN;
	struct link_state link;
	struct have have;
	struct rule flush, shared;
	unsigned start = b->n, n;
	int code = EXIT_OK;
	int err;

	if (!want)
		return EXIT_KERNEL;
	err = have_read_narrow(nl, cfg, family, ifindex, table, &link, &have);
	if (err < 0) {
		log_error("%s: reading the kernel's routing state failed: %s", ev->ifname,
			  strerror(-err));
		code = EXIT_KERNEL;
		goto out;
	}
	if (ev->action == EVENT_UP && have.n_foreign) {
		refuse_foreign(ev, table, &have);
		code = EXIT_TABLE_BUSY;
		goto out;
	}
	if (ev->action == EVENT_DOWN)
		have_others_managed(cfg, family, ifindex, table, &others);
	err = plan_build(ev, cfg, family, &link, others, want);
	if (err < 0) {
		code = exit_for_plan_error(err);
		goto out;
	}
	if (batch_reserve(b, reconcile_max_ops(want, &have) + 3) < 0) {
		code = EXIT_KERNEL;
		goto out;
	}
	/* Leave room in front for the wildcard removals. */
	b->n += 2;
	n = reconcile(want, &have, b->ops + b->n);
	for (unsigned i = 0; i < n; i++)
		change |= b->ops[b->n + i].kind == OP_ADD_ROUTE || b->ops[b->n + i].kind == OP_DEL_ROUTE;
	/* No rule wanted (no address left): whatever rule of ours still points here goes. */
	change |= !plan_wants_interface_rules(want);
	b->n = start;
	memset(&flush, 0, sizeof(flush));
	flush.family = (uint8_t)family;
	flush.protocol = cfg->protocol;
	if (change) {
		flush.table = table;
		push_op(b, OP_FLUSH_RULES, &flush);
		if (auto_table != table) {
			flush.table = auto_table;
			push_op(b, OP_FLUSH_RULES, &flush);
		}
	}
	memmove(b->ops + b->n, b->ops + start + 2, n * sizeof(*b->ops));
	b->n += n;
	/* The last interface gone: the shared rule goes too (reconcile could not see it). */
	if (ev->action == EVENT_DOWN && !others && cfg->suppress) {
		memset(&shared, 0, sizeof(shared));
		shared.family = (uint8_t)family;
		shared.protocol = cfg->protocol;
		shared.action = FR_ACT_TO_TBL;
		shared.priority = cfg->suppress_priority;
		shared.table = RT_TABLE_MAIN;
		shared.suppress_prefixlen = 0;
		push_op(b, OP_DEL_RULE, &shared);
	}
	b->per_family[family == AF_INET6] = b->n - start;
out:
	free(want);
	have_free(&have);
	return code;
}

/*
 * Narrow mode, up, routes already right: the batch only asked the kernel for
 * each wanted rule with EXCL. If one was missing, others may be stale (a
 * changed priority, an option turned off) and cannot be listed alone.
 */
static bool narrow_rules_diverged(const struct config *cfg, const struct event *ev,
				  const struct batch *b)
{
	if (!cfg->narrow || ev->action != EVENT_UP)
		return false;
	for (unsigned i = 0; i < b->n; i++)
		if (b->ops[i].kind != OP_ADD_RULE)
			return false;
	return true;
}

/* Rebuild the interface's rules: remove them by wildcard, then add the wanted ones again. */
static int narrow_rebuild_rules(struct rtnl *nl, const struct event *ev, struct batch *b,
				int changed)
{
	unsigned n = b->n, seg = b->n;
	int err;

	if (batch_reserve(b, n + 2) < 0)
		return -ENOMEM;
	for (size_t f = 0; f < 2; f++) {
		for (unsigned i = 0; i < n; i++) {
			const struct rule *r = &b->ops[i].u.rule;

			/* The shared rule lives in main and is not the interface's. */
			if (r->family != families[f] || r->table == RT_TABLE_MAIN)
				continue;
			b->ops[b->n].kind = OP_FLUSH_RULES;
			b->ops[b->n].u.rule = *r;
			b->n++;
			break;
		}
	}
	memcpy(b->ops + b->n, b->ops, n * sizeof(*b->ops));
	b->n += n;
	err = apply_ops(nl, b->ops + seg, b->n - seg, ev->ifname);
	return err < 0 ? err : changed + err;
}

int run_event(const struct event *ev, const struct config *cfg, const struct run_opts *opts)
{
	struct batch b = { 0 };
	struct rtnl *nl = NULL;
	uint32_t ifindex;
	int lock_fd = -1;
	int code = EXIT_OK;
	int err;

	if (ev->action == EVENT_IGNORE)
		return EXIT_OK;
	ifindex = if_nametoindex(ev->ifname);
	if (!ifindex && ev->action == EVENT_UP) {
		if (ev->strict_addrs) {
			log_error("interface %s does not exist", ev->ifname);
			return EXIT_NOT_FOUND;
		}
		/* A stale event: the kernel's truth is that the interface is gone. */
		log_info("%s: interface is gone: removing what was ours for it", ev->ifname);
	}
	err = rtnl_open(&nl);
	if (err < 0) {
		log_error("cannot open rtnetlink: %s", strerror(-err));
		return EXIT_KERNEL;
	}
	if (!opts->dry_run) {
		lock_fd = lock_take(opts->lock_path ? opts->lock_path : LOCK_DEFAULT_PATH,
				    cfg->lock_timeout_ms);
		if (lock_fd < 0) {
			log_error("cannot take the lock %s: %s",
				  opts->lock_path ? opts->lock_path : LOCK_DEFAULT_PATH,
				  strerror(-lock_fd));
			code = lock_fd == -ETIMEDOUT ? EXIT_LOCKED : EXIT_KERNEL;
			goto out;
		}
	}
	/* Every family is read and planned before anything changes: a refusal changes nothing. */
	for (size_t i = 0; i < 2 && code == EXIT_OK; i++) {
		if (!(ev->families & event_family_bit(families[i])))
			continue;
		/* A vanished interface's table is unknown: only the full sweep finds its rules. */
		if (cfg->narrow && ifindex && !opts->dry_run)
			code = plan_family_narrow(nl, ev, cfg, families[i], ifindex, &b);
		else
			code = plan_family(nl, ev, cfg, families[i], ifindex, &b);
	}
	if (code != EXIT_OK)
		goto out;
	if (opts->dry_run) {
		char line[SHOW_LINE_MAX];

		for (unsigned i = 0; i < b.n; i++)
			printf("%s\n", show_op(line, sizeof(line), &b.ops[i], ev->ifname));
		for (size_t i = 0; i < 2; i++)
			if (b.per_family[i])
				printf("ip %s route flush cache\n", i ? "-6" : "-4");
		goto out;
	}
	err = apply_ops(nl, b.ops, b.n, ev->ifname);
	if (err > 0 && narrow_rules_diverged(cfg, ev, &b))
		err = narrow_rebuild_rules(nl, ev, &b, err);
	if (err < 0) {
		code = EXIT_KERNEL;
		goto out;
	}
	if (err > 0) {
		for (size_t i = 0; i < 2; i++)
			if (b.per_family[i])
				apply_flush_cache(families[i]);
		log_info("%s: %s: %d change(s)", ev->ifname,
			 ev->action == EVENT_UP ? "up" : "down", err);
	} else {
		log_debug("%s: already in place, nothing changed", ev->ifname);
	}
out:
	lock_release(lock_fd);
	rtnl_close(nl);
	free(b.ops);
	return code;
}
