// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: unit tests of the reconcile: which operations, in which order, none when converged. */
#include <errno.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "addr.h"
#include "config.h"
#include "event.h"
#include "have.h"
#include "log.h"
#include "plan.h"
#include "policy.h"
#include "reconcile.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void discard(int priority, const char *msg)
{
}

/* ---- building wants and haves ---- */

static struct addr A(const char *text)
{
	const char *why = NULL;
	struct addr a;

	if (addr_parse(&a, text, AF_UNSPEC, 0, &why) < 0)
		fail_msg("bad test address '%s': %s", text, why);
	return a;
}

/* What the plan wants for eth0 (ifindex 2) with @addrs (NULL-terminated) and @gw (or NULL). */
static void plan_v4(struct policy *p, const char *const *addrs, const char *gw, bool up,
		    bool others_managed)
{
	struct config cfg;
	struct link_state link;
	struct event ev;
	const char *why;

	config_defaults(&cfg);
	event_init(&ev, "test");
	memset(&link, 0, sizeof(link));
	ev.action = up ? EVENT_UP : EVENT_DOWN;
	ev.families = EVENT_V4;
	assert_int_equal(event_set_ifname(&ev, "eth0", &why), 0);
	link.ifindex = 2;
	for (size_t i = 0; addrs && addrs[i]; i++) {
		struct addr a = A(addrs[i]);

		assert_int_equal(event_add_addr(&ev, &a), 0);
		link.addrs[link.n_addrs++] = a;
	}
	ev.addrs_given = EVENT_V4;
	if (gw) {
		ev.gateway[0] = A(gw);
		ev.gateways_given = EVENT_V4;
	}
	assert_int_equal(plan_build(&ev, &cfg, AF_INET, &link, others_managed, p), 0);
}

static void have_from(struct have *h, const struct policy *p)
{
	for (unsigned i = 0; i < p->n_routes; i++)
		assert_int_equal(have_add_route(h, &p->routes[i]), 0);
	for (unsigned i = 0; i < p->n_rules; i++)
		assert_int_equal(have_add_rule(h, &p->rules[i]), 0);
}

/* ---- operations as short lines ---- */

/*
 * A table's default carries the fingerprint of the rules it goes with (plan.c): "metric
 * WANT" is that of the wanted rules, "metric HAVE" that of the rules in place.
 */
static const char *metric_text(const struct policy *want, const struct have *have,
			       const struct route *r, char *buf, size_t len)
{
	if (r->table != RT_TABLE_MAIN && r->dst.plen == 0 && r->metric >= RULES_DIGEST_MIN) {
		if (want && r->metric == rules_digest(want->rules, want->n_rules, r->table))
			return "WANT";
		if (have && r->metric == rules_digest(have->rules, have->n_rules, r->table))
			return "HAVE";
		return "OTHER";	/* of rules neither set holds as they are */
	}
	snprintf(buf, len, "%u", r->metric);
	return buf;
}

static const char *op_text_in(const struct policy *want, const struct have *have,
			      const struct op *op, char *buf, size_t len)
{
	char a[ADDR_STRLEN], b[ADDR_STRLEN], m[16];
	const struct route *r = &op->u.route;
	const struct rule *u = &op->u.rule;

	switch (op->kind) {
	case OP_ADD_ROUTE:
	case OP_DEL_ROUTE:
		snprintf(buf, len, "%s route %s via %s src %s table %u metric %s%s",
			 op->kind == OP_ADD_ROUTE ? "add" : "del", addr_format(&r->dst, true, a),
			 addr_is_set(&r->gateway) ? addr_format(&r->gateway, false, b) : "-",
			 addr_is_set(&r->prefsrc) ? addr_format(&r->prefsrc, false, b) : "-",
			 r->table, metric_text(want, have, r, m, sizeof(m)),
			 (r->flags & ROUTE_HAS_EXTRA) ? " extra" : "");
		break;
	case OP_ADD_RULE:
	case OP_DEL_RULE:
		snprintf(buf, len, "%s rule prio %u from %s to %s table %u%s%s",
			 op->kind == OP_ADD_RULE ? "add" : "del", u->priority,
			 addr_is_set(&u->src) ? addr_format(&u->src, false, a) : "all",
			 addr_is_set(&u->dst) ? addr_format(&u->dst, false, b) : "all", u->table,
			 u->suppress_prefixlen >= 0 ? " suppress" : "",
			 (u->flags & RULE_HAS_EXTRA) ? " extra" : "");
		break;
	default:
		snprintf(buf, len, "kind %d", op->kind);
	}
	return buf;
}

/* Reconcile and compare the operations with @expected, line by line. */
static void assert_ops(const struct policy *want, const struct have *have,
		       const char *const *expected, size_t n_expected)
{
	unsigned max = reconcile_max_ops(want, have);
	struct op *ops = calloc(max + 1, sizeof(*ops));
	char line[256];
	unsigned n;
	bool ok;

	assert_non_null(ops);
	n = reconcile(want, have, ops);
	assert_true(n <= max);
	ok = n == n_expected;
	for (unsigned i = 0; ok && i < n; i++)
		ok = strcmp(op_text_in(want, have, &ops[i], line, sizeof(line)), expected[i]) == 0;
	if (!ok) {
		print_message("expected %zu op(s):\n", n_expected);
		for (size_t i = 0; i < n_expected; i++)
			print_message("  %s\n", expected[i]);
		print_message("got %u:\n", n);
		for (unsigned i = 0; i < n; i++)
			print_message("  %s\n", op_text_in(want, have, &ops[i], line, sizeof(line)));
	}
	free(ops);
	if (!ok)
		fail_msg("the operations differ");
}

static const char *const two_prefixes[] = { "198.51.100.10/24", "192.0.2.20/28", NULL };

/* ---- tests ---- */

static void test_identical_no_ops(void **state)
{
	struct policy *want = calloc(1, sizeof(*want));
	struct have have = { 0 };

	assert_non_null(want);
	plan_v4(want, two_prefixes, "198.51.100.1", true, false);
	assert_int_equal(want->n_routes, 4);
	assert_int_equal(want->n_rules, 3);
	have_from(&have, want);
	assert_ops(want, &have, NULL, 0);

	/* The kernel dumps in its own order: still nothing to do. */
	have_free(&have);
	for (unsigned i = want->n_routes; i-- > 0;)
		assert_int_equal(have_add_route(&have, &want->routes[i]), 0);
	for (unsigned i = want->n_rules; i-- > 0;)
		assert_int_equal(have_add_rule(&have, &want->rules[i]), 0);
	assert_ops(want, &have, NULL, 0);

	/* Nothing wanted, nothing there. */
	have_free(&have);
	want->n_routes = want->n_rules = 0;
	assert_ops(want, &have, NULL, 0);
	have_free(&have);
	free(want);
}

static void test_empty_have_adds_in_order(void **state)
{
	static const char *const expected[] = {
		"add route 198.51.100.0/24 via - src 198.51.100.10 table 1000002 metric 0",
		"add route 192.0.2.16/28 via - src 192.0.2.20 table 1000002 metric 0",
		"add route 0.0.0.0/0 via 198.51.100.1 src - table 1000002 metric WANT",
		"add route 0.0.0.0/0 via 198.51.100.1 src - table 254 metric 1000002",
		"add rule prio 31000 from all to all table 254 suppress",
		"add rule prio 31100 from 198.51.100.10 to all table 1000002",
		"add rule prio 31100 from 192.0.2.20 to all table 1000002",
	};
	struct policy *want = calloc(1, sizeof(*want));
	struct have have = { 0 };

	assert_non_null(want);
	plan_v4(want, two_prefixes, "198.51.100.1", true, false);
	assert_ops(want, &have, expected, N(expected));
	free(want);
}

static void test_empty_want_deletes_in_order(void **state)
{
	static const char *const expected[] = {
		"del rule prio 31100 from 198.51.100.10 to all table 1000002",
		"del rule prio 31100 from 192.0.2.20 to all table 1000002",
		"del route 0.0.0.0/0 via 198.51.100.1 src - table 1000002 metric HAVE",
		"del route 0.0.0.0/0 via 198.51.100.1 src - table 254 metric 1000002",
		"del route 198.51.100.0/24 via - src 198.51.100.10 table 1000002 metric 0",
		"del route 192.0.2.16/28 via - src 192.0.2.20 table 1000002 metric 0",
		"del rule prio 31000 from all to all table 254 suppress",
	};
	struct policy *want = calloc(1, sizeof(*want));
	struct have have = { 0 };

	assert_non_null(want);
	plan_v4(want, two_prefixes, "198.51.100.1", true, false);
	have_from(&have, want);
	/* The last interface goes down. */
	plan_v4(want, two_prefixes, "198.51.100.1", false, false);
	assert_int_equal(want->n_routes + want->n_rules, 0);
	assert_ops(want, &have, expected, N(expected));

	/* Others remain: the same, but the shared rule stays. */
	plan_v4(want, two_prefixes, "198.51.100.1", false, true);
	assert_ops(want, &have, expected, N(expected) - 1);

	/*
	 * In the kernel's dump order (rules by priority: the shared one first) the
	 * shared rule still goes last and gateway routes still before connected ones.
	 */
	have_free(&have);
	plan_v4(want, two_prefixes, "198.51.100.1", true, false);
	for (unsigned i = want->n_routes; i-- > 0;)
		assert_int_equal(have_add_route(&have, &want->routes[i]), 0);
	for (unsigned i = want->n_rules; i-- > 0;)
		assert_int_equal(have_add_rule(&have, &want->rules[i]), 0);
	plan_v4(want, NULL, NULL, false, false);
	{
		struct op ops[16];
		unsigned n = reconcile(want, &have, ops);

		assert_int_equal(n, 7);
		assert_int_equal(ops[0].kind, OP_DEL_RULE);
		assert_int_equal(ops[1].kind, OP_DEL_RULE);
		assert_int_equal(ops[0].u.rule.suppress_prefixlen, -1);
		assert_int_equal(ops[1].u.rule.suppress_prefixlen, -1);
		for (unsigned i = 2; i < 4; i++) {
			assert_int_equal(ops[i].kind, OP_DEL_ROUTE);
			assert_true(addr_is_set(&ops[i].u.route.gateway));
		}
		for (unsigned i = 4; i < 6; i++) {
			assert_int_equal(ops[i].kind, OP_DEL_ROUTE);
			assert_false(addr_is_set(&ops[i].u.route.gateway));
		}
		assert_int_equal(ops[6].kind, OP_DEL_RULE);
		assert_int_equal(ops[6].u.rule.suppress_prefixlen, 0);
	}
	have_free(&have);
	free(want);
}

static void test_address_changed_same_prefix(void **state)
{
	static const char *const old_addrs[] = { "198.51.100.10/24", NULL };
	static const char *const new_addrs[] = { "198.51.100.11/24", NULL };
	static const char *const expected[] = {
		"del rule prio 31100 from 198.51.100.10 to all table 1000002",
		"del route 198.51.100.0/24 via - src 198.51.100.10 table 1000002 metric 0",
		"add route 198.51.100.0/24 via - src 198.51.100.11 table 1000002 metric 0",
		/* The rules' fingerprint changes: the new default comes before the old goes. */
		"add route 0.0.0.0/0 via 198.51.100.1 src - table 1000002 metric WANT",
		"del route 0.0.0.0/0 via 198.51.100.1 src - table 1000002 metric HAVE",
		"add rule prio 31100 from 198.51.100.11 to all table 1000002",
	};
	struct policy *want = calloc(1, sizeof(*want));
	struct have have = { 0 };

	assert_non_null(want);
	plan_v4(want, old_addrs, "198.51.100.1", true, false);
	have_from(&have, want);
	plan_v4(want, new_addrs, "198.51.100.1", true, false);
	/* Main's default and the shared rule stay untouched. */
	assert_ops(want, &have, expected, N(expected));
	have_free(&have);
	free(want);
}

static void test_address_changed_new_prefix(void **state)
{
	static const char *const old_addrs[] = { "198.51.100.10/24", NULL };
	static const char *const new_addrs[] = { "203.0.113.20/24", NULL };
	static const char *const expected[] = {
		"del rule prio 31100 from 198.51.100.10 to all table 1000002",
		"del route 0.0.0.0/0 via 198.51.100.1 src - table 1000002 metric HAVE",
		"del route 0.0.0.0/0 via 198.51.100.1 src - table 254 metric 1000002",
		"del route 198.51.100.0/24 via - src 198.51.100.10 table 1000002 metric 0",
		"add route 203.0.113.0/24 via - src 203.0.113.20 table 1000002 metric 0",
		"add route 0.0.0.0/0 via 203.0.113.1 src - table 1000002 metric WANT",
		"add route 0.0.0.0/0 via 203.0.113.1 src - table 254 metric 1000002",
		"add rule prio 31100 from 203.0.113.20 to all table 1000002",
	};
	struct policy *want = calloc(1, sizeof(*want));
	struct have have = { 0 };

	assert_non_null(want);
	plan_v4(want, old_addrs, "198.51.100.1", true, false);
	have_from(&have, want);
	plan_v4(want, new_addrs, "203.0.113.1", true, false);
	assert_ops(want, &have, expected, N(expected));
	have_free(&have);
	free(want);
}

static void test_address_added_and_removed(void **state)
{
	static const char *const old_addrs[] = { "198.51.100.10/24", "198.51.100.11/24", NULL };
	static const char *const new_addrs[] = { "198.51.100.10/24", "192.0.2.20/28", NULL };
	static const char *const expected[] = {
		"del rule prio 31100 from 198.51.100.11 to all table 1000002",
		"add route 192.0.2.16/28 via - src 192.0.2.20 table 1000002 metric 0",
		"add route 0.0.0.0/0 via 198.51.100.1 src - table 1000002 metric WANT",
		"del route 0.0.0.0/0 via 198.51.100.1 src - table 1000002 metric HAVE",
		"add rule prio 31100 from 192.0.2.20 to all table 1000002",
	};
	struct policy *want = calloc(1, sizeof(*want));
	struct have have = { 0 };

	assert_non_null(want);
	plan_v4(want, old_addrs, "198.51.100.1", true, false);
	have_from(&have, want);
	plan_v4(want, new_addrs, "198.51.100.1", true, false);
	assert_ops(want, &have, expected, N(expected));
	have_free(&have);
	free(want);
}

static void test_duplicates_in_have(void **state)
{
	static const char *const addrs[] = { "198.51.100.10/24", NULL };
	static const char *const expected[] = {
		"del rule prio 31100 from 198.51.100.10 to all table 1000002",
		"del route 0.0.0.0/0 via 198.51.100.1 src - table 1000002 metric WANT",
	};
	static const char *const expected_down[] = {
		"del rule prio 31100 from 198.51.100.10 to all table 1000002",
		"del rule prio 31100 from 198.51.100.10 to all table 1000002",
		"del route 0.0.0.0/0 via 198.51.100.1 src - table 1000002 metric OTHER",
		"del route 0.0.0.0/0 via 198.51.100.1 src - table 254 metric 1000002",
		"del route 0.0.0.0/0 via 198.51.100.1 src - table 1000002 metric OTHER",
		"del route 198.51.100.0/24 via - src 198.51.100.10 table 1000002 metric 0",
		"del rule prio 31000 from all to all table 254 suppress",
		"del rule prio 31000 from all to all table 254 suppress",
	};
	struct policy *want = calloc(1, sizeof(*want));
	struct have have = { 0 };

	assert_non_null(want);
	plan_v4(want, addrs, "198.51.100.1", true, false);
	have_from(&have, want);
	/* The kernel appends an identical rule without NLM_F_EXCL: two in the dump. */
	assert_int_equal(have_add_rule(&have, &want->rules[0]), 0);
	assert_int_equal(have_add_route(&have, &want->routes[1]), 0);
	/* One copy kept, the other removed, nothing added. */
	assert_ops(want, &have, expected, N(expected));

	/*
	 * Going down removes both copies, and both of the shared rule. The table's default
	 * has the fingerprint of the rules without their duplicate: OTHER.
	 */
	assert_int_equal(have_add_rule(&have, &want->rules[1]), 0);
	plan_v4(want, NULL, NULL, false, false);
	assert_ops(want, &have, expected_down, N(expected_down));

	/* Others remain: one shared rule is kept, the duplicate goes (last). */
	plan_v4(want, NULL, NULL, false, true);
	{
		struct op ops[16];
		unsigned n = reconcile(want, &have, ops);

		assert_int_equal(n, 7);
		assert_int_equal(ops[6].kind, OP_DEL_RULE);
		assert_int_equal(ops[6].u.rule.suppress_prefixlen, 0);
	}
	have_free(&have);
	free(want);
}

static void test_orphans_deleted(void **state)
{
	static const char *const addrs[] = { "198.51.100.10/24", NULL };
	static const char *const expected[] = {
		"del rule prio 31100 from 203.0.113.20 to all table 1000009",
		"del rule prio 31100 from all to 198.51.100.10 table 1000002",
		"del route 0.0.0.0/0 via 198.51.100.1 src - table 1000002 metric WANT extra",
		"add route 0.0.0.0/0 via 198.51.100.1 src - table 1000002 metric WANT",
	};
	struct policy *want = calloc(1, sizeof(*want));
	struct have have = { 0 };
	struct rule orphan, to_rule;
	struct route extra;

	assert_non_null(want);
	plan_v4(want, addrs, "198.51.100.1", true, false);
	have_from(&have, want);
	/* A rule of ours whose interface (ifindex 9) is gone: the kernel keeps rules. */
	orphan = want->rules[0];
	orphan.src = A("203.0.113.20");
	orphan.table = 1000009;
	assert_int_equal(have_add_rule(&have, &orphan), 0);
	/* A to-rule from a run with the option, since turned off. */
	to_rule = want->rules[0];
	memset(&to_rule.src, 0, sizeof(to_rule.src));
	to_rule.dst = A("198.51.100.10");
	assert_int_equal(have_add_rule(&have, &to_rule), 0);
	/* Our default route, changed behind our back (say, a second nexthop): replaced. */
	extra = want->routes[1];
	extra.flags |= ROUTE_HAS_EXTRA;
	have.routes[1] = extra;
	assert_ops(want, &have, expected, N(expected));
	have_free(&have);
	free(want);
}

static void test_table_changed(void **state)
{
	static const char *const addrs[] = { "198.51.100.10/24", NULL };
	struct policy *want = calloc(1, sizeof(*want));
	struct have have = { 0 };
	struct op ops[32];
	unsigned n, adds = 0, dels = 0;

	assert_non_null(want);
	plan_v4(want, addrs, "198.51.100.1", true, false);
	have_from(&have, want);
	/* The same interface moved to an explicit table: everything in the old one goes. */
	for (unsigned i = 0; i < want->n_routes; i++)
		if (want->routes[i].table == 1000002)
			want->routes[i].table = 200;
	for (unsigned i = 0; i < want->n_rules; i++)
		if (want->rules[i].table == 1000002)
			want->rules[i].table = 200;
	n = reconcile(want, &have, ops);
	for (unsigned i = 0; i < n; i++) {
		bool add = ops[i].kind == OP_ADD_ROUTE || ops[i].kind == OP_ADD_RULE;
		bool route = ops[i].kind == OP_ADD_ROUTE || ops[i].kind == OP_DEL_ROUTE;

		assert_int_equal(route ? ops[i].u.route.table : ops[i].u.rule.table,
				 add ? 200 : 1000002);
		if (add)
			adds++;
		else
			dels++;
	}
	/* Two routes and one rule each way; main's fallback and the shared rule stay. */
	assert_int_equal(adds, 3);
	assert_int_equal(dels, 3);
	have_free(&have);
	free(want);
}

/* ---- a property: applying the ops to `have` gives `want`, then nothing more to do ---- */

static uint32_t rng_state = 12345;

static uint32_t rng(void)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return (rng_state >> 16) & 0x7fff;
}

static bool route_in(const struct route *r, const struct route *v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (route_cmp(r, &v[i]) == 0)
			return true;
	return false;
}

static bool rule_in(const struct rule *r, const struct rule *v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (rule_cmp(r, &v[i]) == 0)
			return true;
	return false;
}

/* A kernel that holds what `have` holds and does what the ops say. */
static void simulate(struct have *h, const struct op *ops, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		const struct op *op = &ops[i];
		bool found = false;

		switch (op->kind) {
		case OP_ADD_ROUTE:
			assert_false(route_in(&op->u.route, h->routes, h->n_routes));
			assert_int_equal(have_add_route(h, &op->u.route), 0);
			break;
		case OP_ADD_RULE:
			assert_false(rule_in(&op->u.rule, h->rules, h->n_rules));
			assert_int_equal(have_add_rule(h, &op->u.rule), 0);
			break;
		case OP_DEL_ROUTE:
			for (unsigned j = 0; j < h->n_routes && !found; j++) {
				if (route_cmp(&h->routes[j], &op->u.route) == 0) {
					h->routes[j] = h->routes[--h->n_routes];
					found = true;
				}
			}
			assert_true(found);
			break;
		case OP_DEL_RULE:
			for (unsigned j = 0; j < h->n_rules && !found; j++) {
				if (rule_cmp(&h->rules[j], &op->u.rule) == 0) {
					h->rules[j] = h->rules[--h->n_rules];
					found = true;
				}
			}
			assert_true(found);
			break;
		default:
			fail_msg("reconcile() made an operation of kind %d", op->kind);
		}
	}
}

static void random_plan(struct policy *p)
{
	static const char *const pool[] = { "198.51.100.10/24", "198.51.100.11/24",
					    "192.0.2.20/28", "203.0.113.20/24" };
	static const char *const gws[] = { NULL, "198.51.100.1", "198.51.100.254" };
	const char *addrs[N(pool) + 1];
	size_t n = 0;
	const char *gw = gws[rng() % N(gws)];

	for (size_t i = 0; i < N(pool); i++)
		if (rng() % 2)
			addrs[n++] = pool[i];
	addrs[n] = NULL;
	if (gw && (n == 0 || strncmp(addrs[0], "198.51.100.", 11) != 0))
		gw = NULL;	/* keep the gateway on the link */
	plan_v4(p, addrs, gw, rng() % 4 != 0, rng() % 2);
}

static void test_property_converges(void **state)
{
	struct policy *want = calloc(1, sizeof(*want));
	struct policy *before = calloc(1, sizeof(*before));

	assert_non_null(want);
	assert_non_null(before);
	for (unsigned iter = 0; iter < 2000; iter++) {
		struct have have = { 0 };
		struct op *ops;
		unsigned n, max;

		random_plan(before);
		random_plan(want);
		have_from(&have, before);
		/* Now and then a duplicate, an orphan or an altered object. */
		if (have.n_rules && rng() % 3 == 0) {
			struct rule dup = have.rules[rng() % have.n_rules];

			assert_int_equal(have_add_rule(&have, &dup), 0);
		}
		if (have.n_routes && rng() % 3 == 0) {
			struct route dup = have.routes[rng() % have.n_routes];

			assert_int_equal(have_add_route(&have, &dup), 0);
		}
		if (have.n_rules && rng() % 4 == 0) {
			struct rule orphan = have.rules[rng() % have.n_rules];

			orphan.table = 1000000 + 10 + rng() % 5;
			assert_int_equal(have_add_rule(&have, &orphan), 0);
		}
		if (have.n_routes && rng() % 4 == 0)
			have.routes[rng() % have.n_routes].flags |= ROUTE_HAS_EXTRA;

		max = reconcile_max_ops(want, &have);
		ops = calloc(max + 1, sizeof(*ops));
		assert_non_null(ops);
		n = reconcile(want, &have, ops);
		assert_true(n <= max);
		/* Only what is ours: each deletion names something in `have`, each addition
		 * something wanted. */
		for (unsigned i = 0; i < n; i++) {
			if (ops[i].kind == OP_DEL_ROUTE)
				assert_true(route_in(&ops[i].u.route, have.routes, have.n_routes));
			else if (ops[i].kind == OP_DEL_RULE)
				assert_true(rule_in(&ops[i].u.rule, have.rules, have.n_rules));
			else if (ops[i].kind == OP_ADD_ROUTE)
				assert_true(route_in(&ops[i].u.route, want->routes,
						     want->n_routes));
			else
				assert_true(rule_in(&ops[i].u.rule, want->rules, want->n_rules));
		}
		simulate(&have, ops, n);
		/* The kernel now holds exactly what is wanted, each object once. */
		assert_int_equal(have.n_routes, want->n_routes);
		assert_int_equal(have.n_rules, want->n_rules);
		for (unsigned i = 0; i < want->n_routes; i++)
			assert_true(route_in(&want->routes[i], have.routes, have.n_routes));
		for (unsigned i = 0; i < want->n_rules; i++)
			assert_true(rule_in(&want->rules[i], have.rules, have.n_rules));
		/* And a second run sends nothing. */
		assert_int_equal(reconcile(want, &have, ops), 0);
		free(ops);
		have_free(&have);
	}
	free(before);
	free(want);
}

static void test_max_ops(void **state)
{
	struct policy *want = calloc(1, sizeof(*want));
	struct have have = { 0 };

	assert_non_null(want);
	plan_v4(want, two_prefixes, "198.51.100.1", true, false);
	assert_int_equal(reconcile_max_ops(want, &have), 7);
	have_from(&have, want);
	assert_int_equal(reconcile_max_ops(want, &have), 14);
	have_free(&have);
	have_free(NULL);	/* free functions accept NULL */
	free(want);
}

/*
 * The one test of what an orphan sweep may take as ours: our tag and shape, and our priority
 * or our automatic table range. Tricky objects: an fwmark rule of our protocol, our protocol
 * at a foreign priority, a foreign rule at our priority, a twin of the shared rule.
 */
static void test_sweep_scope(void **state)
{
	static const struct {
		const char *what;
		uint8_t protocol;
		uint32_t priority, table, flags;
		int16_t suppress;
		bool sweepable;
		/* have_rule_ours(): what show lists and flush removes; sweepable implies it */
		bool ours;
	} rows[] = {
		{ "ours at priority", 73, 31100, 100, 0, -1, true, true },
		{ "ours at prefer-priority", 73, 31150, 100, 0, -1, true, true },
		{ "ours at subnet-priority", 73, 30900, 100, 0, -1, true, true },
		{ "ours, automatic table, any priority", 73, 500, 1000099, 0, -1, true, true },
		{ "ours, automatic table, our priority", 73, 31100, 1000099, 0, -1, true, true },
		{ "the shared rule", 73, 31000, RT_TABLE_MAIN, 0, 0, true, true },
		{ "a shared-rule twin at another priority", 73, 30999, RT_TABLE_MAIN, 0, 0, false,
		  true },
		{ "our tag at a foreign priority", 73, 500, 100, 0, -1, false, true },
		{ "our tag at the shared rule's priority, a table", 73, 31000, 100, 0, -1, false,
		  true },
		{ "an fwmark rule of our tag at our priority", 73, 31100, 100, RULE_HAS_EXTRA, -1,
		  false, false },
		{ "an fwmark rule of our tag, automatic table", 73, 31100, 1000099, RULE_HAS_EXTRA,
		  -1, false, false },
		{ "a foreign rule at our priority", RTPROT_BOOT, 31100, 100, 0, -1, false, false },
		{ "a foreign rule, automatic table", RTPROT_STATIC, 31100, 1000099, 0, -1, false,
		  false },
		{ "a foreign shared-rule twin", RTPROT_BOOT, 31000, RT_TABLE_MAIN, 0, 0, false, false },
		{ "table-base itself (not base + ifindex)", 73, 500, 1000000, 0, -1, false, true },
	};
	struct config cfg;

	(void)state;
	config_defaults(&cfg);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct rule r;

		memset(&r, 0, sizeof(r));
		r.family = AF_INET;
		r.protocol = rows[i].protocol;
		r.action = FR_ACT_TO_TBL;
		r.priority = rows[i].priority;
		r.table = rows[i].table;
		r.flags = rows[i].flags;
		r.suppress_prefixlen = rows[i].suppress;
		if (have_rule_sweepable(&cfg, &r) != rows[i].sweepable)
			fail_msg("%s: expected %s", rows[i].what,
				 rows[i].sweepable ? "sweepable" : "left alone");
		if (have_rule_ours(cfg.protocol, &r) != rows[i].ours)
			fail_msg("%s: expected %s", rows[i].what, rows[i].ours ? "ours" : "not ours");
		/* Nothing is swept that the readers would not list as ours. */
		assert_true(!rows[i].sweepable || rows[i].ours);
	}
	/* The configured priorities are the ones. */
	{
		struct rule r;

		memset(&r, 0, sizeof(r));
		r.family = AF_INET6;
		r.protocol = 73;
		r.action = FR_ACT_TO_TBL;
		r.suppress_prefixlen = -1;
		r.priority = 500;
		r.table = 100;
		cfg.priority = 500;
		assert_true(have_rule_sweepable(&cfg, &r));
		cfg.priority = CONFIG_DEFAULT_PRIORITY;
		cfg.prefer_priority = 500;
		assert_true(have_rule_sweepable(&cfg, &r));
		cfg.prefer_priority = CONFIG_DEFAULT_PREFER_PRIORITY;
		cfg.subnet_priority = 500;
		assert_true(have_rule_sweepable(&cfg, &r));
		cfg.protocol = 74;
		assert_false(have_rule_sweepable(&cfg, &r));
	}
}

/* The same test for routes: our tag and no attribute we never write (tos, src, encap...). */
static void test_route_ours(void **state)
{
	static const struct {
		const char *what;
		uint8_t protocol;
		uint32_t flags;
		bool ours;
	} rows[] = {
		{ "ours", 73, 0, true },
		{ "ours, onlink", 73, ROUTE_ONLINK, true },
		{ "our tag, a tos or encap", 73, ROUTE_HAS_EXTRA, false },
		{ "the administrator's (boot)", RTPROT_BOOT, 0, false },
		{ "a DHCP client's, shaped like ours", RTPROT_DHCP, 0, false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct route r;

		memset(&r, 0, sizeof(r));
		r.family = AF_INET;
		r.protocol = rows[i].protocol;
		r.flags = rows[i].flags;
		r.table = 1000002;
		if (have_route_ours(73, &r) != rows[i].ours)
			fail_msg("%s: expected %s", rows[i].what, rows[i].ours ? "ours" : "not ours");
	}
}

/* A router's default through the interface (have_route_router()): its gateway is the router. */
static void test_route_router(void **state)
{
	static const struct {
		const char *what;
		uint8_t protocol;
		const char *dst, *gateway;	/* gateway NULL: none */
		uint32_t oif, table;
		uint8_t type, n_nexthops;
		bool router;
	} rows[] = {
		{ "an advertisement's default", RTPROT_RA, "::/0", "fe80::1", 2, RT_TABLE_MAIN, RTN_UNICAST, 0, true },
		{ "a DHCP client's", RTPROT_DHCP, "::/0", "fe80::1", 2, RT_TABLE_MAIN, RTN_UNICAST, 0, true },
		{ "one by hand", RTPROT_BOOT, "0.0.0.0/0", "198.51.100.1", 2, RT_TABLE_MAIN, RTN_UNICAST, 0, true },
		{ "our own fallback", 73, "::/0", "fe80::1", 2, RT_TABLE_MAIN, RTN_UNICAST, 0, false },
		{ "through another interface", RTPROT_RA, "::/0", "fe80::1", 3, RT_TABLE_MAIN, RTN_UNICAST, 0, false },
		{ "in another table (a rule sent the lookup there)", RTPROT_RA, "::/0", "fe80::1", 2, 100, RTN_UNICAST, 0, false },
		{ "not a default", RTPROT_STATIC, "100::/64", "fe80::1", 2, RT_TABLE_MAIN, RTN_UNICAST, 0, false },
		{ "a default without a gateway", RTPROT_STATIC, "::/0", NULL, 2, RT_TABLE_MAIN, RTN_UNICAST, 0, false },
		{ "an unreachable default", RTPROT_STATIC, "::/0", NULL, 2, RT_TABLE_MAIN, RTN_UNREACHABLE, 0, false },
		{ "several next hops: no one router", RTPROT_RA, "::/0", "fe80::1", 2, RT_TABLE_MAIN, RTN_UNICAST, 2, false },
	};
	struct config cfg;

	(void)state;
	config_defaults(&cfg);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct route r;

		memset(&r, 0, sizeof(r));
		r.dst = A(rows[i].dst);
		r.family = r.dst.family;
		if (rows[i].gateway)
			r.gateway = A(rows[i].gateway);
		r.protocol = rows[i].protocol;
		r.oif = rows[i].oif;
		r.table = rows[i].table;
		r.type = rows[i].type;
		r.n_nexthops = rows[i].n_nexthops;
		if (have_route_router(&cfg, 2, &r) != rows[i].router)
			fail_msg("%s: expected %s", rows[i].what, rows[i].router ? "a router" : "none");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identical_no_ops),
		cmocka_unit_test(test_empty_have_adds_in_order),
		cmocka_unit_test(test_empty_want_deletes_in_order),
		cmocka_unit_test(test_address_changed_same_prefix),
		cmocka_unit_test(test_address_changed_new_prefix),
		cmocka_unit_test(test_address_added_and_removed),
		cmocka_unit_test(test_duplicates_in_have),
		cmocka_unit_test(test_orphans_deleted),
		cmocka_unit_test(test_sweep_scope),
		cmocka_unit_test(test_route_ours),
		cmocka_unit_test(test_route_router),
		cmocka_unit_test(test_table_changed),
		cmocka_unit_test(test_property_converges),
		cmocka_unit_test(test_max_ops),
	};

	/* The plan logs "no gateway" and the like; they are not this test's subject. */
	log_set_sink(discard);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
