// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: one event through the whole pipeline: read, plan, reconcile, apply. */
#include <errno.h>
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
	for (size_t i = 0; i < 2 && code == EXIT_OK; i++)
		if (ev->families & event_family_bit(families[i]))
			code = plan_family(nl, ev, cfg, families[i], ifindex, &b);
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
	if (err < 0) {
		code = EXIT_KERNEL;
		goto out;
	}
	for (size_t i = 0; i < 2; i++)
		if (b.per_family[i])
			apply_flush_cache(families[i]);
	if (b.n)
		log_info("%s: %s: %u change(s)", ev->ifname,
			 ev->action == EVENT_UP ? "up" : "down", b.n);
	else
		log_debug("%s: already in place, nothing sent", ev->ifname);
out:
	lock_release(lock_fd);
	rtnl_close(nl);
	free(b.ops);
	return code;
}
