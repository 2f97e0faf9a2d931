// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: one event through the whole pipeline: read, plan, reconcile, apply. */
#include <errno.h>
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
#include "sysctl.h"
#include "watch.h"

static const int families[] = { AF_INET, AF_INET6 };

/* Operations for every family the event touches, gathered before anything is sent. */
struct batch {
	struct op *ops;
	unsigned n, cap;
	unsigned per_family[2];
	unsigned refused;	/* enum event_family: refused alone, the other family goes on */
	/*
	 * Per family, our default in main when main was not read: the index of its add (an
	 * up, main_by_witness()), an EXCL question the kernel answers "already there" on every
	 * repeated event, or of its delete (a down, down_by_witness()), whose "not there" is
	 * no error (-1: none); and whether main may still hold another one of ours when the
	 * up had to add it, or the down found none to delete (the table held our default).
	 */
	int main_ask[2];
	bool main_sweep[2];
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
	case -EOVERFLOW:
		return EXIT_USAGE;	/* too many addresses of one family: plan_build() said so */
	case -E2BIG:
		return EXIT_USAGE;	/* plan_build() named the bound */
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

/* A read failed: say so, naming the interface. Returns an exit code. */
static int read_error(const struct event *ev, int err)
{
	log_error("%s: reading the kernel's routing state failed: %s", ev->ifname,
		  rtnl_strerror(err));
	return err == -E2BIG ? EXIT_USAGE : EXIT_KERNEL;
}

/*
 * A table chosen by hand that holds nothing of ours yet is not taken over while rules of
 * someone else's look it up (a VPN's fwmark rule, another tool's source rules): our routes
 * would answer their lookups. Once our routes are in it, a rule added later uses our table,
 * which is its author's choice. The automatic tables are symroute's by their number. One
 * dump of every rule, paid only by the event that would take the table. Returns an exit code.
 */
static int refuse_foreign_rules(struct rtnl *nl, const struct event *ev, const struct config *cfg,
				int family, uint32_t table, struct have *have)
{
	int err;

	if (ev->action != EVENT_UP || !(ev->has & EVENT_HAS_TABLE) || !table ||
	    have->n_ours_in_table)
		return EXIT_OK;
	err = have_read_foreign_rules(nl, cfg, family, table, have);
	if (err < 0)
		return read_error(ev, err);
	if (!have->n_foreign_rules)
		return EXIT_OK;
	log_error("%s: table %u is looked up by %u %s rule(s) that are not symroute's, e.g. at "
		  "priority %u: refusing to take it over (choose another with the table option)",
		  ev->ifname, table, have->n_foreign_rules, family == AF_INET ? "IPv4" : "IPv6",
		  have->first_foreign_rule.priority);
	return EXIT_TABLE_BUSY;
}

/*
 * May the interface's table witness the rules, as it does main below? Listing every rule
 * of the host costs its whole rule list (10,000 rules: 3 ms a family, every renewal). The
 * table's default carries the fingerprint of the rules it was written with
 * (plan_rules_in_place()): when the wanted rules have the same, they are asked for (EXCL
 * adds, "already there") instead of read. Not for a down (every rule of ours through the
 * interface goes), multipath (the weight is kept in that metric), a dry run, nor `sync`,
 * which reads everything and so also sweeps the rules of interfaces that vanished.
 */
static bool rules_by_witness(const struct event *ev, const struct config *cfg,
			     uint32_t ifindex, const struct run_opts *opts)
{
	return !opts->dry_run && !opts->thorough && ifindex && ev->action == EVENT_UP &&
	       cfg->main_mode != CONFIG_MAIN_MULTIPATH;
}

/*
 * IPv6 without a gateway in the event (DHCPv6, SLAAC, an ifupdown `inet6 auto` stanza): the
 * router is the default the kernel uses through the interface in main, which one lookup
 * finds (have_note_router()); a read of main walks all of it (IPv6 lists the defaults
 * last: a full feed, tens of ms at every renewal). IPv4 needs none: its read stops at them.
 */
static bool router_by_lookup(const struct event *ev, int family, uint32_t ifindex)
{
	return family == AF_INET6 && ifindex && ev->action == EVENT_UP &&
	       !(ev->gateways_given & event_family_bit(family));
}

/*
 * A down reads main to find our default there, and IPv6 lists main's defaults last: a
 * walk of all of it (a full feed: tens of ms at every ifdown). The interface's table, read
 * anyway, says where ours is (plan_down_main_default()): it is deleted by name, "not
 * there" no error, and main is read only then (another metric: an up's option). IPv4 reads
 * main's defaults alone (have_read_main_routes()); a dry run prints exact deletes.
 */
static bool down_by_witness(const struct event *ev, const struct config *cfg, int family,
			    uint32_t ifindex, const struct run_opts *opts)
{
	return family == AF_INET6 && ev->action == EVENT_DOWN && ifindex && !opts->dry_run &&
	       !opts->thorough && cfg->main_mode != CONFIG_MAIN_MULTIPATH;
}

/*
 * Is main left unread for this event? Finding our default there, or anyone's, through
 * the interface makes the kernel walk every route of main (a full BGP feed: tens of ms,
 * on every renewal). It need not when the event gives the gateway (or IPv6's router is
 * found by a lookup) and the mode keeps one default of ours per interface: that default
 * is wanted whatever else main holds, so it is asked for (an EXCL add: "already there" on
 * a repeated event, nothing written), and the interface's own table, read anyway,
 * witnesses what an earlier event wrote beside it (plan_family(), sweep_main()). Read
 * whole for a down (every one of ours goes), the shared default of multipath mode, an
 * IPv4 gateway to find (or an IPv6 router no lookup found), and a dry run, which prints
 * the exact changes; and for `sync`, the repair of what a refused undo left (apply.c).
 */
static bool main_by_witness(const struct event *ev, const struct config *cfg, int family,
			    uint32_t ifindex, const struct run_opts *opts)
{
	return rules_by_witness(ev, cfg, ifindex, opts) &&
	       ((ev->gateways_given & event_family_bit(family)) ||
		router_by_lookup(ev, family, ifindex));
}

/*
 * Whose orphans (rules of ours into the table of an interface that vanished without a down)
 * a run sweeps when it reads the rules: an event for a live interface, those from its
 * addresses; sync (thorough) and a run for a gone interface (the watcher's when a link
 * goes, a hook's after it), every one. They route nothing where they are (their tables
 * emptied with their interface), and asking about every other interface's table would
 * cost each event as much as the host has interfaces.
 */
static const struct link_state *sweep_scope(const struct run_opts *opts,
					    const struct link_state *link)
{
	return link->ifindex && !opts->thorough ? link : NULL;
}

/*
 * Shared subnets by lookups first? An up whose table was written before (with the fingerprint
 * of its rules) asks one route lookup per prefix: where another interface's connected route
 * wins over this one's, the subnet is shared. When the plan from that answer is the one the
 * table was written with, the event is what the last one decided, and nothing lists the
 * host's addresses (at 4096 managed interfaces, most of what a renewal cost). Another plan,
 * and the exact answer is read: every address of the host (have_read_shared_nets()).
 */
static bool shared_by_lookup(const struct event *ev, const struct config *cfg,
			     const struct run_opts *opts, const struct have *have)
{
	/* A dry run decides as the event would; sync, the repair, reads the exact answer. */
	return ev->action == EVENT_UP && !opts->thorough && have->n_ours_in_table &&
	       !cfg->narrow;
}

static bool plan_wants_interface_rules(const struct policy *want)
{
	for (unsigned i = 0; i < want->n_rules; i++)
		if (want->rules[i].table != RT_TABLE_MAIN)
			return true;
	return false;
}

/* Read, plan and diff one family. Returns an exit code. */
static int plan_family(struct rtnl *nl, const struct event *ev, const struct config *cfg,
		       int family, uint32_t ifindex, const struct run_opts *opts, struct batch *b)
{
	struct link_state link;
	struct have have;
	struct policy *want = NULL;
	uint32_t table = ifindex ? plan_table(ev, cfg, ifindex) : 0;
	/* What this event reads, and what it asks or names instead (each predicate says why). */
	bool rules_unread = rules_by_witness(ev, cfg, ifindex, opts);
	bool main_asked = main_by_witness(ev, cfg, family, ifindex, opts);	/* an up's default */
	bool main_by_name = down_by_witness(ev, cfg, family, ifindex, opts);	/* a down's */
	bool read_main_now = false;
	bool shared_asked;	/* shared subnets by lookups, not yet by the address list */
	struct route down_default;
	const struct route *main_default = NULL;
	size_t f = family == AF_INET6;
	int code = EXIT_OK;
	int err;

	b->main_ask[f] = -1;
	err = have_read_tables(nl, cfg, family, ifindex, table,
			       main_asked || main_by_name ? 0 : HAVE_MAIN_ROUTES, &link, &have);
	shared_asked = err == 0 && shared_by_lookup(ev, cfg, opts, &have);
	if (err == 0 && ev->action == EVENT_UP)
		err = shared_asked ? have_read_shared_nets_winning(nl, cfg, &link)
				   : have_read_shared_nets(nl, cfg, family, &link);
	if (err == 0 && !rules_unread)
		err = have_read_rules(nl, cfg, family, ifindex, table,
				      sweep_scope(opts, &link), &have);
	if (err < 0) {
		code = read_error(ev, err);
		goto out;
	}
	if (ev->action == EVENT_UP && have.n_foreign) {
		refuse_foreign(ev, table, &have);
		code = EXIT_TABLE_BUSY;
		goto out;
	}
	code = refuse_foreign_rules(nl, ev, cfg, family, table, &have);
	if (code != EXIT_OK)
		goto out;
	want = malloc(sizeof(*want));
	if (!want) {
		code = EXIT_KERNEL;
		goto out;
	}
	have_note_table_gateway(&have, table, &link);
	/*
	 * Main was left unread on a premise the kernel may not keep: that a lookup finds the
	 * router (asked on every path, main read or not, so that each picks the router events
	 * pick), or that the table names our default to delete. Where it does not, main is
	 * read, and says what it always said.
	 */
	if (router_by_lookup(ev, family, ifindex) && !have_note_router(nl, cfg, &link))
		read_main_now = main_asked;
	if (main_by_name &&
	    !plan_down_main_default(ev, cfg, family, &link, &have, &down_default)) {
		main_by_name = false;
		read_main_now = true;
	}
	if (read_main_now) {
		main_asked = false;
		err = have_read_main(nl, cfg, family, &link, &have);
		if (err < 0) {
			code = read_error(ev, err);
			goto out;
		}
	}
	err = plan_build(ev, cfg, family, &link, have.n_other_rules > 0, want);
	if (err == 0 && shared_asked && !plan_rules_in_place(want, &have, table)) {
		err = have_read_shared_nets(nl, cfg, family, &link);
		if (err < 0) {
			code = read_error(ev, err);
			goto out;
		}
		err = plan_build(ev, cfg, family, &link, have.n_other_rules > 0, want);
	}
	if (err == -EOVERFLOW)
		b->refused |= event_family_bit(family);
	if (err < 0) {
		code = exit_for_plan_error(err);
		goto out;
	}
	if (rules_unread && !plan_rules_in_place(want, &have, table)) {
		/*
		 * The table was written with other rules, or without a fingerprint (a first
		 * up, an earlier release): read them all now, with the orphans of vanished
		 * interfaces. Only a plan that wants no rule of its own depends on the others'.
		 */
		rules_unread = false;
		err = have_read_rules(nl, cfg, family, ifindex, table,
				      sweep_scope(opts, &link), &have);
		if (err < 0) {
			code = read_error(ev, err);
			goto out;
		}
		if (!plan_wants_interface_rules(want) && have.n_other_rules)
			err = plan_build(ev, cfg, family, &link, true, want);
		if (err < 0) {
			code = exit_for_plan_error(err);
			goto out;
		}
	}
	if (main_asked) {
		main_default = plan_main_vouched(want, &have, &link);
		if (!main_default) {
			err = have_read_main_routes(nl, cfg, family, &link, &have);
			if (err < 0) {
				code = read_error(ev, err);
				goto out;
			}
		}
	}
	if (batch_reserve(b, reconcile_max_ops(want, &have) + 1) < 0) {
		code = EXIT_KERNEL;
		goto out;
	}
	b->per_family[f] = reconcile(want, &have, b->ops + b->n);
	if (main_by_name) {
		/* After the table's routes and the rules, as reconcile orders a down's deletes. */
		struct op *op = &b->ops[b->n + b->per_family[f]];

		memset(op, 0, sizeof(*op));
		op->kind = OP_DEL_ROUTE;
		op->u.route = down_default;
		op->asked = true;
		b->main_ask[f] = (int)(b->n + b->per_family[f]++);
		b->main_sweep[f] = true;
	}
	for (unsigned i = 0; i < b->per_family[f]; i++) {
		struct op *op = &b->ops[b->n + i];

		if (main_default && op->kind == OP_ADD_ROUTE &&
		    route_cmp(&op->u.route, main_default) == 0) {
			op->asked = true;
			b->main_ask[f] = (int)(b->n + i);
			b->main_sweep[f] = addr_is_set(&link.table_gateway);
		}
		/* Rules not read: each wanted one is a question, which a lost answer cannot settle. */
		op->asked |= rules_unread && op->kind == OP_ADD_RULE;
	}
	b->n += b->per_family[f];
out:
	free(want);
	have_free(&have);
	return code;
}

/*
 * Our default in main (@main_default) was missing although the interface's table held our
 * default (an up had to add it), or not where the table said (a down found none to delete):
 * main may still hold another one of ours through the interface, at another metric (a
 * changed option or configuration). Now main is read, and reconcile removes them within
 * the event's undo scope, keeping @main_default if @keep. An event that changes nothing
 * never gets here. Returns the changes made or -errno.
 */
static int sweep_main(struct rtnl *nl, const struct event *ev, const struct config *cfg,
		      const struct route *main_default, bool keep, struct apply_scope *scope)
{
	struct policy *want = calloc(1, sizeof(*want));
	struct link_state link = { .ifindex = main_default->oif };
	struct have have = { 0 };
	struct op *ops = NULL;
	int r = want ? 0 : -ENOMEM;

	if (r == 0)
		r = have_read_main_routes(nl, cfg, main_default->family, &link, &have);
	if (r < 0) {
		read_error(ev, r);
		goto out;
	}
	if (keep)
		want->routes[want->n_routes++] = *main_default;
	ops = calloc(reconcile_max_ops(want, &have) + 1, sizeof(*ops));
	if (!ops) {
		r = -ENOMEM;
		goto out;
	}
	r = apply_in_scope(nl, scope, ops, reconcile(want, &have, ops), ev->ifname, NULL);
out:
	free(ops);
	free(want);
	have_free(&have);
	return r;
}

int run_event(const struct event *event, const struct config *cfg, const struct run_opts *opts)
{
	struct event resolved = *event;
	const struct event *ev = &resolved;
	struct batch b = { .main_ask = { -1, -1 } };
	struct apply_scope scope = { 0 };
	bool *changed = NULL;
	struct rtnl *nl = NULL;
	uint32_t ifindex;
	int lock_fd = -1;
	int code = EXIT_OK, family_code = EXIT_OK;
	int err;

	if (opts->changes)
		*opts->changes = 0;
	if (ev->action == EVENT_IGNORE)
		return EXIT_OK;
	/* The interface's [interface NAME] group, for every front end and `up` by hand. */
	config_resolve(cfg, &resolved);
	ifindex = if_nametoindex(ev->ifname);
	if (!ifindex && ev->action == EVENT_UP) {
		if (ev->strict_addrs) {
			log_error("interface %s does not exist", ev->ifname);
			return EXIT_NOT_FOUND;
		}
		/* A stale event: the kernel's truth is that the interface is gone. */
		log_info("%s: interface is gone: removing what was ours for it", ev->ifname);
	}
	/*
	 * The automatic range belongs to the interfaces it is computed for: a table chosen
	 * there by hand may be another interface's, whose next event would take it back.
	 */
	if ((ev->has & EVENT_HAS_TABLE) && ev->table > cfg->table_base &&
	    ev->table != cfg->table_base + ifindex) {
		log_error("table %u for %s: in symroute's automatic range (%u + ifindex), where it "
			  "may be another interface's; choose one below %u", ev->table, ev->ifname,
			  cfg->table_base, cfg->table_base);
		return EXIT_USAGE;
	}
	err = rtnl_open(&nl);
	if (err < 0) {
		log_error("cannot open rtnetlink: %s", strerror(-err));
		return EXIT_KERNEL;
	}
	if (!opts->dry_run && !opts->lock_held) {
		lock_fd = lock_take(opts->lock_path ? opts->lock_path : LOCK_DEFAULT_PATH,
				    cfg->lock_timeout_ms);
		if (lock_fd < 0) {
			code = EXIT_LOCKED;	/* lock_take() said why */
			goto out;
		}
	}
	/*
	 * Every family is read and planned before anything changes: a refusal changes nothing.
	 * One exception: more addresses of a family than symroute routes for (the kernel's
	 * truth, or NetworkManager's report of it) refuses that family alone. Its routes and
	 * rules depend on its own addresses only, so the other family's plan is as valid
	 * without it, and a host with 65 IPv6 addresses still gets its IPv4 replies right.
	 * Routing the first 64 instead would pick them by dump order and leave the rest
	 * answering asymmetrically behind an exit status of 0. Every other refusal (a busy
	 * table, a bad gateway, a bad option) means the event or the host is wrong, and stops
	 * both families.
	 */
	for (size_t i = 0; i < 2 && code == EXIT_OK; i++) {
		if (!(ev->families & event_family_bit(families[i])))
			continue;
		code = plan_family(nl, ev, cfg, families[i], ifindex, opts, &b);
		if (code != EXIT_OK && (b.refused & event_family_bit(families[i]))) {
			family_code = code;
			code = EXIT_OK;
		}
	}
	if (code != EXIT_OK)
		goto out;
	/*
	 * Only a link that exists has settings of its own: conf/all and conf/default are
	 * the host's, and a vanished link's went with it. After the routes and rules, in
	 * their undo scope: an interface is not made stricter before it can answer, and a
	 * refused write takes the event's routes back with it.
	 */
	if (ifindex && !(b.refused & EVENT_V4)) {
		struct sysctl_set sets[SYSCTL_MAX_SETS];
		int n = sysctl_plan(ev, cfg, sets);

		if (n < 0 || batch_reserve(&b, (unsigned)n) < 0) {
			code = EXIT_KERNEL;	/* sysctl_plan() said why */
			goto out;
		}
		for (int i = 0; i < n; i++) {
			memset(&b.ops[b.n], 0, sizeof(b.ops[b.n]));
			b.ops[b.n].kind = OP_SET_SYSCTL;
			b.ops[b.n++].u.sysctl = sets[i];
		}
	}
	if (opts->dry_run) {
		char line[SHOW_LINE_MAX];

		for (unsigned i = 0; i < b.n; i++)
			printf("%s\n", show_op(line, sizeof(line), &b.ops[i], ev->ifname));
		for (size_t i = 0; i < 2; i++)
			if (b.per_family[i])
				printf("ip %s route flush cache\n", i ? "-6" : "-4");
		goto out;
	}
	changed = calloc(b.n + 1, sizeof(*changed));
	if (!changed) {
		code = EXIT_KERNEL;
		goto out;
	}
	err = apply_in_scope(nl, &scope, b.ops, b.n, ev->ifname, changed);
	for (size_t i = 0; err >= 0 && i < 2; i++) {
		const struct op *ask = b.main_ask[i] < 0 ? NULL : &b.ops[b.main_ask[i]];
		bool up = ask && ask->kind == OP_ADD_ROUTE;
		int more;

		/* An up that had to add ours, a down that found none to delete. */
		if (!ask || !b.main_sweep[i] || changed[b.main_ask[i]] != up)
			continue;
		more = sweep_main(nl, ev, cfg, &ask->u.route, up, &scope);
		err = more < 0 ? more : err + more;
		if (more > 0)
			b.per_family[i] += (unsigned)more;
	}
	if (err < 0) {
		/* A later step failed on its own (a read, memory): the earlier ones go back too. */
		apply_scope_undo(nl, &scope, ev->ifname);
		code = EXIT_KERNEL;
		goto out;
	}
	if (opts->changes)
		*opts->changes = err > 0 ? (unsigned)err : 0;
	/*
	 * What the watcher must leave alone: what an event said off (a stanza, a profile, a
	 * `down` by hand) until an event says on or a hook brings the interface up again.
	 */
	if (ev->has & EVENT_HAS_OFF)
		watch_note_off(ev->ifname, ev->families, ev->off);
	else if (ev->action == EVENT_UP && !(ev->origin && strcmp(ev->origin, "watch") == 0))
		watch_note_off(ev->ifname, ev->families, false);
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
	apply_scope_free(&scope);
	free(changed);
	free(b.ops);
	/* A family refused alone (its line is logged): the exit status still says so. */
	return code == EXIT_OK ? family_code : code;
}
