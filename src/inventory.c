// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: everything of ours in the kernel, across interfaces: list it, or remove it all. */
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "apply.h"
#include "config.h"
#include "event.h"
#include "exitcode.h"
#include "have.h"
#include "inventory.h"
#include "lock.h"
#include "log.h"
#include "options.h"
#include "reconcile.h"
#include "rtnl.h"
#include "run.h"
#include "show.h"

static const int families[] = { AF_INET, AF_INET6 };

struct ours {
	uint8_t protocol;
	struct have all;	/* our routes (all tables) and rules; have's storage serves */
};

/* Objects with our tag but a shape we never make are listed by `ip`, never touched by us. */
static int ours_route(const struct route *r, void *data)
{
	struct ours *o = data;

	if (!have_route_ours(o->protocol, r))
		return 0;
	return have_add_route(&o->all, r);
}

static int ours_rule(const struct rule *r, void *data)
{
	struct ours *o = data;

	if (!have_rule_ours(o->protocol, r))
		return 0;
	return have_add_rule(&o->all, r);
}

static void ours_routes_reset(void *data)
{
	((struct ours *)data)->all.n_routes = 0;
}

static void ours_rules_reset(void *data)
{
	((struct ours *)data)->all.n_rules = 0;
}

static int read_ours(struct rtnl *nl, const struct config *cfg, int family, struct ours *o)
{
	int r;

	memset(o, 0, sizeof(*o));
	o->protocol = cfg->protocol;
	/* Table 0: every table. */
	r = rtnl_dump_routes(nl, family, 0, ours_route, o, ours_routes_reset);
	if (r == 0)
		r = rtnl_dump_rules_of(nl, family, cfg->protocol, ours_rule, o, ours_rules_reset);
	return r;
}

static bool table_shown(const uint32_t *tables, unsigned n, uint32_t table)
{
	for (unsigned i = 0; i < n; i++)
		if (tables[i] == table)
			return true;
	return false;
}

static void show_family(const struct config *cfg, struct ours *o, uint32_t ifindex, int family,
			FILE *out)
{
	char line[SHOW_LINE_MAX], name[IF_NAMESIZE], proto[64];
	uint32_t tables[POLICY_MAX_ROUTES + 1];
	unsigned n_tables = 0;

	/* Listed as `ip rule show` lists them: "proto symroute" where rt_protos names it. */
	options_protocol_name(cfg->protocol, proto, sizeof(proto));

	/* The tables of one interface: its automatic one and any that hold its routes. */
	if (ifindex) {
		tables[n_tables++] = cfg->table_base + ifindex;
		for (unsigned i = 0; i < o->all.n_routes && n_tables <= POLICY_MAX_ROUTES; i++)
			if (o->all.routes[i].oif == ifindex &&
			    !table_shown(tables, n_tables, o->all.routes[i].table))
				tables[n_tables++] = o->all.routes[i].table;
	}
	fprintf(out, "# %s\n", family == AF_INET ? "IPv4" : "IPv6");
	for (unsigned i = 0; i < o->all.n_rules; i++) {
		const struct rule *r = &o->all.rules[i];

		if (ifindex && !table_shown(tables, n_tables, r->table))
			continue;
		fprintf(out, "rule  %s\n", show_rule_proto(line, sizeof(line), r, NULL, proto));
	}
	for (unsigned i = 0; i < o->all.n_routes; i++) {
		const struct route *r = &o->all.routes[i];

		if (ifindex && r->oif != ifindex)
			continue;
		if (!r->oif || !if_indextoname(r->oif, name))
			snprintf(name, sizeof(name), "%u", r->oif);
		fprintf(out, "route %s\n", show_route_proto(line, sizeof(line), r, NULL, name, proto));
	}
}

int inventory_show(const struct config *cfg, const char *ifname, unsigned fams, FILE *out)
{
	struct rtnl *nl = NULL;
	uint32_t ifindex = 0;
	int code = EXIT_OK;

	if (ifname) {
		ifindex = if_nametoindex(ifname);
		if (!ifindex) {
			log_error("interface %s does not exist", ifname);
			return EXIT_NOT_FOUND;
		}
	}
	if (rtnl_open(&nl) < 0) {
		log_error("cannot open rtnetlink: %s", strerror(errno));
		return EXIT_KERNEL;
	}
	for (size_t i = 0; i < 2 && code == EXIT_OK; i++) {
		struct ours o;

		if (!(fams & event_family_bit(families[i])))
			continue;
		if (read_ours(nl, cfg, families[i], &o) < 0) {
			log_error("reading the kernel's routing state failed");
			code = EXIT_KERNEL;
		} else {
			show_family(cfg, &o, ifindex, families[i], out);
		}
		have_free(&o.all);
	}
	rtnl_close(nl);
	return code;
}

int inventory_flush(const struct config *cfg, unsigned fams, const struct run_opts *opts)
{
	struct rtnl *nl = NULL;
	int lock_fd = -1;
	int code = EXIT_OK;

	if (rtnl_open(&nl) < 0) {
		log_error("cannot open rtnetlink: %s", strerror(errno));
		return EXIT_KERNEL;
	}
	if (!opts->dry_run) {
		lock_fd = lock_take(opts->lock_path ? opts->lock_path : LOCK_DEFAULT_PATH,
				    cfg->lock_timeout_ms);
		if (lock_fd < 0) {
			rtnl_close(nl);
			return EXIT_LOCKED;	/* lock_take() said why */
		}
	}
	for (size_t i = 0; i < 2 && code == EXIT_OK; i++) {
		struct policy none = { 0 };
		struct ours o;
		struct op *ops;
		unsigned n;

		if (!(fams & event_family_bit(families[i])))
			continue;
		if (read_ours(nl, cfg, families[i], &o) < 0) {
			code = EXIT_KERNEL;
			have_free(&o.all);
			break;
		}
		/* Wanting nothing: the reconcile orders the removals as for any event. */
		ops = calloc(reconcile_max_ops(&none, &o.all) + 1, sizeof(*ops));
		if (!ops) {
			code = EXIT_KERNEL;
		} else {
			n = reconcile(&none, &o.all, ops);
			for (unsigned j = 0; opts->dry_run && j < n; j++) {
				char line[SHOW_LINE_MAX], name[IF_NAMESIZE] = "";

				if (ops[j].kind == OP_DEL_ROUTE && ops[j].u.route.oif)
					if_indextoname(ops[j].u.route.oif, name);
				printf("%s\n", show_op(line, sizeof(line), &ops[j], name));
			}
			if (!opts->dry_run && apply_ops(nl, ops, n, "") < 0)
				code = EXIT_KERNEL;
			if (!opts->dry_run && n)
				apply_flush_cache(families[i]);
		}
		free(ops);
		have_free(&o.all);
	}
	lock_release(lock_fd);
	rtnl_close(nl);
	return code;
}
