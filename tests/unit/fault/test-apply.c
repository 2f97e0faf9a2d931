// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: fault injection under apply: a model kernel behind wrapped rtnl calls refuses on cue. */
#include <errno.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>
#include <cmocka.h>

#include "addr.h"
#include "apply.h"
#include "config.h"
#include "event.h"
#include "have.h"
#include "log.h"
#include "plan.h"
#include "policy.h"
#include "reconcile.h"
#include "rtnl.h"
#include "show.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define OURS 73

/*
 * The seam: the link step (-Wl,--wrap=...) sends apply.c's calls into the
 * rtnl layer here instead. The model below stands in for the kernel.
 */
int __wrap_rtnl_route_change(struct rtnl *nl, bool add, const struct route *r);
int __wrap_rtnl_rule_change(struct rtnl *nl, bool add, const struct rule *r);
const char *__wrap_rtnl_ext_ack(const struct rtnl *nl);

/* ---- the model kernel ---- */

#define CALLS_MAX 256

static struct {
	struct have state;		/* everything the kernel holds, ours and foreign */
	unsigned calls;			/* requests seen */
	unsigned fail_at[4];		/* 1-based call numbers that fail... */
	int fail_err[4];		/* ...with these errors */
	unsigned n_fail;
	const char *ext_ack;		/* the kernel's text for the last refusal */
	bool last_failed;
	struct op log[CALLS_MAX];	/* every request, in order */
} k;

static int injected(void)
{
	k.calls++;
	for (unsigned i = 0; i < k.n_fail; i++)
		if (k.fail_at[i] == k.calls)
			return k.fail_err[i];
	return 0;
}

static void log_call(enum op_kind kind, const struct route *route, const struct rule *rule)
{
	assert_true(k.calls <= CALLS_MAX);
	k.log[k.calls - 1].kind = kind;
	if (route)
		k.log[k.calls - 1].u.route = *route;
	else
		k.log[k.calls - 1].u.rule = *rule;
}

int __wrap_rtnl_route_change(struct rtnl *nl, bool add, const struct route *r)
{
	int err = injected();

	log_call(add ? OP_ADD_ROUTE : OP_DEL_ROUTE, r, NULL);
	/* Nothing but our own objects is ever asked for. */
	assert_int_equal(r->protocol, OURS);
	k.last_failed = err != 0;
	if (err)
		return err;
	for (unsigned i = 0; i < k.state.n_routes; i++) {
		if (route_cmp(&k.state.routes[i], r) == 0) {
			if (add)
				return -EEXIST;
			k.state.routes[i] = k.state.routes[--k.state.n_routes];
			return 0;
		}
	}
	if (!add)
		return -ESRCH;
	return have_add_route(&k.state, r);
}

int __wrap_rtnl_rule_change(struct rtnl *nl, bool add, const struct rule *r)
{
	int err = injected();

	log_call(add ? OP_ADD_RULE : OP_DEL_RULE, NULL, r);
	assert_int_equal(r->protocol, OURS);
	k.last_failed = err != 0;
	if (err)
		return err;
	if (add) {
		/* rule_exists(): every field, selectors we do not use included. */
		for (unsigned i = 0; i < k.state.n_rules; i++)
			if (rule_cmp(&k.state.rules[i], r) == 0)
				return -EEXIST;	/* NLM_F_EXCL */
		return have_add_rule(&k.state, r);
	}
	/*
	 * rule_find() for RTM_DELRULE: the first rule in the list (by priority,
	 * then age) that matches the fields the request carries. Selectors we do
	 * not use (RULE_HAS_EXTRA) cannot be in our request, so they do not count.
	 */
	for (unsigned i = 0; i < k.state.n_rules; i++) {
		struct rule have = k.state.rules[i], want = *r;

		have.flags = want.flags = 0;
		if (rule_cmp(&have, &want) == 0) {
			memmove(&k.state.rules[i], &k.state.rules[i + 1],
				(k.state.n_rules - i - 1) * sizeof(k.state.rules[0]));
			k.state.n_rules--;
			return 0;
		}
	}
	return -ENOENT;
}

const char *__wrap_rtnl_ext_ack(const struct rtnl *nl)
{
	return k.last_failed ? k.ext_ack : NULL;
}

static void kernel_reset(void)
{
	have_free(&k.state);
	memset(&k, 0, sizeof(k));
}

static void fail_call(unsigned call, int err)
{
	assert_true(k.n_fail < N(k.fail_at));
	k.fail_at[k.n_fail] = k.calls + call;
	k.fail_err[k.n_fail] = err;
	k.n_fail++;
}

static void copy_have(struct have *out, const struct have *in)
{
	memset(out, 0, sizeof(*out));
	for (unsigned i = 0; i < in->n_routes; i++)
		assert_int_equal(have_add_route(out, &in->routes[i]), 0);
	for (unsigned i = 0; i < in->n_rules; i++)
		assert_int_equal(have_add_rule(out, &in->rules[i]), 0);
}

/* A deep copy of the model's state. */
static void snapshot(struct have *out)
{
	copy_have(out, &k.state);
}

/* The model holds @in again; the request count starts over. */
static void kernel_set(const struct have *in)
{
	have_free(&k.state);
	copy_have(&k.state, in);
	k.calls = 0;
	k.n_fail = 0;
}

/* The same objects, each as often, in any order. */
static bool same_state(const struct have *a, const struct have *b)
{
	bool used[512] = { false };

	if (a->n_routes != b->n_routes || a->n_rules != b->n_rules || a->n_routes > 256 ||
	    a->n_rules > 256)
		return false;
	for (unsigned i = 0; i < a->n_routes; i++) {
		bool found = false;

		for (unsigned j = 0; j < b->n_routes && !found; j++)
			if (!used[j] && route_cmp(&a->routes[i], &b->routes[j]) == 0)
				found = used[j] = true;
		if (!found)
			return false;
	}
	for (unsigned i = 0; i < a->n_rules; i++) {
		bool found = false;

		for (unsigned j = 0; j < b->n_rules && !found; j++)
			if (!used[256 + j] && rule_cmp(&a->rules[i], &b->rules[j]) == 0)
				found = used[256 + j] = true;
		if (!found)
			return false;
	}
	return true;
}

/* Only our objects, as have_read() would report them for eth0. */
static void ours(struct have *out)
{
	memset(out, 0, sizeof(*out));
	for (unsigned i = 0; i < k.state.n_routes; i++)
		if (k.state.routes[i].protocol == OURS)
			assert_int_equal(have_add_route(out, &k.state.routes[i]), 0);
	for (unsigned i = 0; i < k.state.n_rules; i++)
		if (k.state.rules[i].protocol == OURS)
			assert_int_equal(have_add_rule(out, &k.state.rules[i]), 0);
}

/* ---- captured log lines ---- */

static struct {
	unsigned n;
	char msg[16][1024];
} logged;

static void capture(int priority, const char *msg)
{
	if (priority <= LOG_WARNING && logged.n < N(logged.msg))
		snprintf(logged.msg[logged.n++], sizeof(logged.msg[0]), "%s", msg);
}

static bool was_logged(const char *text)
{
	for (unsigned i = 0; i < logged.n; i++)
		if (strcmp(logged.msg[i], text) == 0)
			return true;
	return false;
}

/* ---- the scenario: eth0 moves from one uplink to another, next to foreign state ---- */

static struct addr A(const char *text)
{
	const char *why = NULL;
	struct addr a;

	if (addr_parse(&a, text, AF_UNSPEC, 0, &why) < 0)
		fail_msg("bad test address '%s': %s", text, why);
	return a;
}

static void plan_eth0(struct policy *p, const char *addr, const char *gw)
{
	struct config cfg;
	struct link_state link;
	struct event ev;
	const char *why;
	struct addr a = A(addr);

	config_defaults(&cfg);
	event_init(&ev, "test");
	memset(&link, 0, sizeof(link));
	ev.action = EVENT_UP;
	ev.families = EVENT_V4;
	assert_int_equal(event_set_ifname(&ev, "eth0", &why), 0);
	assert_int_equal(event_add_addr(&ev, &a), 0);
	ev.addrs_given = EVENT_V4;
	ev.gateway[0] = A(gw);
	ev.gateways_given = EVENT_V4;
	link.ifindex = 2;
	link.addrs[link.n_addrs++] = a;
	assert_int_equal(plan_build(&ev, &cfg, AF_INET, &link, false, p), 0);
}

/* Foreign state: the admin's default in main and a rule of another tool. */
static void add_foreign(void)
{
	struct route r = { 0 };
	struct rule u = { 0 };

	r.family = AF_INET;
	r.type = RTN_UNICAST;
	r.protocol = RTPROT_STATIC;
	r.table = RT_TABLE_MAIN;
	r.oif = 2;
	r.dst = A("0.0.0.0/0");
	r.gateway = A("198.51.100.254");
	assert_int_equal(have_add_route(&k.state, &r), 0);
	u.family = AF_INET;
	u.protocol = RTPROT_BOOT;
	u.action = FR_ACT_TO_TBL;
	u.suppress_prefixlen = -1;
	u.priority = 31100;	/* even at our priority */
	u.table = 100;
	u.src = A("198.51.100.10");
	assert_int_equal(have_add_rule(&k.state, &u), 0);
}

struct scenario {
	struct policy *before, *after;
	struct have start;
};

static int scenario_setup(void **state)
{
	struct scenario *s = calloc(1, sizeof(*s));
	struct op ops[32];
	unsigned n;

	if (!s)
		return -1;
	s->before = calloc(1, sizeof(*s->before));
	s->after = calloc(1, sizeof(*s->after));
	if (!s->before || !s->after)
		return -1;
	memset(&logged, 0, sizeof(logged));
	log_set_sink(capture);
	kernel_reset();
	add_foreign();
	/* eth0 was up on 198.51.100.10/24; the next event moves it to 203.0.113.20/24. */
	plan_eth0(s->before, "198.51.100.10/24", "198.51.100.1");
	plan_eth0(s->after, "203.0.113.20/24", "203.0.113.1");
	{
		struct have none = { 0 };

		n = reconcile(s->before, &none, ops);
	}
	if (apply_ops(NULL, ops, n, "eth0") < 0)
		return -1;
	snapshot(&s->start);
	k.calls = 0;
	*state = s;
	return 0;
}

static int scenario_teardown(void **state)
{
	struct scenario *s = *state;

	log_set_sink(NULL);
	have_free(&s->start);
	free(s->before);
	free(s->after);
	free(s);
	kernel_reset();
	return 0;
}

/* One event's run: read what is ours, reconcile, apply. */
static int run_once(const struct policy *want, unsigned *n_ops)
{
	struct op ops[64];
	struct have have;
	unsigned n;
	int r;

	ours(&have);
	assert_true(reconcile_max_ops(want, &have) <= N(ops));
	n = reconcile(want, &have, ops);
	have_free(&have);
	if (n_ops)
		*n_ops = n;
	r = apply_ops(NULL, ops, n, "eth0");
	return r < 0 ? r : 0;
}

/* The operations of a run from the model's current state. */
static unsigned plan_ops(const struct policy *want, struct op *ops)
{
	struct have mine;
	unsigned n;

	ours(&mine);
	assert_true(reconcile_max_ops(want, &mine) <= 64);
	n = reconcile(want, &mine, ops);
	have_free(&mine);
	return n;
}

/* After a fault, the next run reaches the wanted state and the one after sends nothing. */
static void assert_next_runs_converge(const struct policy *want)
{
	struct have expect = { 0 }, got;
	unsigned n;

	k.n_fail = 0;
	assert_int_equal(run_once(want, &n), 0);
	assert_int_equal(run_once(want, &n), 0);
	assert_int_equal(n, 0);
	/* Ours are exactly the wanted ones; the foreign ones are still there. */
	for (unsigned i = 0; i < want->n_routes; i++)
		assert_int_equal(have_add_route(&expect, &want->routes[i]), 0);
	for (unsigned i = 0; i < want->n_rules; i++)
		assert_int_equal(have_add_rule(&expect, &want->rules[i]), 0);
	ours(&got);
	assert_true(same_state(&got, &expect));
	assert_int_equal(k.state.n_routes - got.n_routes, 1);
	assert_int_equal(k.state.n_rules - got.n_rules, 1);
	have_free(&got);
	have_free(&expect);
}

/* @undo is the inverse of @done: the other direction, the same object. */
static void assert_undoes(const struct op *undo, const struct op *done)
{
	assert_int_not_equal(undo->kind, done->kind);
	if (done->kind == OP_ADD_ROUTE || done->kind == OP_DEL_ROUTE)
		assert_int_equal(route_cmp(&undo->u.route, &done->u.route), 0);
	else
		assert_int_equal(rule_cmp(&undo->u.rule, &done->u.rule), 0);
}

static void test_no_fault(void **state)
{
	struct scenario *s = *state;
	unsigned n;

	assert_int_equal(run_once(s->after, &n), 0);
	assert_int_equal(n, 8);
	assert_int_equal(k.calls, 8);
	assert_int_equal(logged.n, 0);
	assert_next_runs_converge(s->after);
}

/*
 * A refusal at every position of the run, with the errors netlink gives
 * under pressure and by policy: the state is rolled back to what it was, the
 * refusal is logged with the kernel's text, and the next run converges.
 */
static void test_refusal_anywhere_rolls_back(void **state)
{
	static const int errors[] = { -ENOBUFS, -EBUSY, -EINTR, -EPERM, -ENETUNREACH, -EINVAL };
	struct scenario *s = *state;
	struct have mine;
	struct op ops[64];
	unsigned n;

	ours(&mine);
	n = reconcile(s->after, &mine, ops);
	have_free(&mine);
	assert_int_equal(n, 8);
	for (size_t e = 0; e < N(errors); e++) {
		for (unsigned at = 0; at < n; at++) {
			struct have now;
			char line[SHOW_LINE_MAX], want_line[SHOW_LINE_MAX + 256];
			int r;

			/* Back to the starting point. */
			kernel_set(&s->start);
			k.ext_ack = "a reason in the kernel's words";
			memset(&logged, 0, sizeof(logged));

			fail_call(at + 1, errors[e]);
			r = apply_ops(NULL, ops, n, "eth0");
			assert_int_equal(r, errors[e]);
			/* Nothing of this run is left: found as it was. */
			snapshot(&now);
			assert_true(same_state(&now, &s->start));
			have_free(&now);
			/*
			 * The undo ran newest first, each the inverse of a call that worked. A lost
			 * answer (ENOBUFS) is asked again first: here the kernel had not carried
			 * it out, so the second request did, and the undo takes that back too.
			 */
			if (errors[e] == -ENOBUFS) {
				assert_int_equal(k.calls, at + 2 + at + 1);
				for (unsigned i = 0; i <= at; i++)
					assert_undoes(&k.log[at + 2 + i], &ops[at - i]);
			} else {
				assert_int_equal(k.calls, at + 1 + at);
				for (unsigned i = 0; i < at; i++)
					assert_undoes(&k.log[at + 1 + i], &ops[at - 1 - i]);
			}
			show_op(line, sizeof(line), &ops[at], "eth0");
			snprintf(want_line, sizeof(want_line), "the kernel refused '%s': %s: %s",
				 line, strerror(-errors[e]), "a reason in the kernel's words");
			if (!was_logged(want_line))
				fail_msg("not logged: %s", want_line);
			assert_int_equal(logged.n, 1);
		}
	}
	assert_next_runs_converge(s->after);
}

static void test_refusal_without_ext_ack(void **state)
{
	struct scenario *s = *state;
	struct op ops[64];
	unsigned n = plan_ops(s->after, ops);
	char line[SHOW_LINE_MAX], want_line[SHOW_LINE_MAX + 64];

	k.ext_ack = NULL;
	fail_call(1, -EPERM);
	assert_int_equal(apply_ops(NULL, ops, n, "eth0"), -EPERM);
	snprintf(want_line, sizeof(want_line), "the kernel refused '%s': %s",
		 show_op(line, sizeof(line), &ops[0], "eth0"), strerror(EPERM));
	assert_true(was_logged(want_line));
	assert_int_equal(k.calls, 1);
	assert_next_runs_converge(s->after);
}

/* The rollback itself refused: said, and repaired by the next run. */
static void test_rollback_refused(void **state)
{
	struct scenario *s = *state;
	struct op ops[64];
	unsigned n = plan_ops(s->after, ops);
	char line[SHOW_LINE_MAX], want_line[SHOW_LINE_MAX + 128];
	struct op inv;

	/* The 6th request fails; the undo of the 5th (the first undo) fails too. */
	fail_call(6, -EBUSY);
	fail_call(7, -ENOBUFS);
	assert_int_equal(apply_ops(NULL, ops, n, "eth0"), -EBUSY);
	inv = ops[4];
	inv.kind = inv.kind == OP_ADD_ROUTE ? OP_DEL_ROUTE
		 : inv.kind == OP_DEL_ROUTE ? OP_ADD_ROUTE
		 : inv.kind == OP_ADD_RULE ? OP_DEL_RULE : OP_ADD_RULE;
	snprintf(want_line, sizeof(want_line),
		 "rollback failed, `symroute sync` repairs it: %s: %s",
		 show_op(line, sizeof(line), &inv, "eth0"), strerror(ENOBUFS));
	if (!was_logged(want_line))
		fail_msg("not logged: %s (first: %s)", want_line, logged.n ? logged.msg[0] : "");
	/* The other undos still ran. */
	assert_int_equal(k.calls, 6 + 5);
	assert_next_runs_converge(s->after);
}

/* Someone got there first: EEXIST on an add, ESRCH/ENOENT on a delete, are done, not errors. */
static void test_converged_answers(void **state)
{
	struct scenario *s = *state;
	struct op ops[64];
	unsigned n = plan_ops(s->after, ops), n_del = 0;
	int r;

	/* A concurrent run already added what we add and removed what we remove. */
	for (unsigned i = 0; i < n; i++) {
		switch (ops[i].kind) {
		case OP_ADD_ROUTE:
			assert_int_equal(have_add_route(&k.state, &ops[i].u.route), 0);
			break;
		case OP_ADD_RULE:
			assert_int_equal(have_add_rule(&k.state, &ops[i].u.rule), 0);
			break;
		default:
			n_del++;
			break;
		}
	}
	for (unsigned i = 0; i < n; i++) {
		if (ops[i].kind == OP_DEL_ROUTE) {
			for (unsigned j = 0; j < k.state.n_routes; j++)
				if (route_cmp(&k.state.routes[j], &ops[i].u.route) == 0)
					k.state.routes[j] = k.state.routes[--k.state.n_routes];
		} else if (ops[i].kind == OP_DEL_RULE) {
			for (unsigned j = 0; j < k.state.n_rules; j++)
				if (rule_cmp(&k.state.rules[j], &ops[i].u.rule) == 0)
					k.state.rules[j] = k.state.rules[--k.state.n_rules];
		}
	}
	assert_true(n_del > 0);
	r = apply_ops(NULL, ops, n, "eth0");
	/* Success; nothing changed by this run (HEAD returns 0, later versions the count). */
	assert_int_equal(r, 0);
	assert_int_equal(k.calls, n);
	assert_int_equal(logged.n, 0);
	assert_next_runs_converge(s->after);
}

/* A refusal on the way down (the last interface going) leaves everything as it was. */
static void test_down_refused_midway(void **state)
{
	struct scenario *s = *state;
	struct policy *none = calloc(1, sizeof(*none));
	struct op ops[64];
	struct have now;
	unsigned n;

	assert_non_null(none);
	n = plan_ops(none, ops);
	assert_int_equal(n, 5);
	fail_call(4, -ENOBUFS);
	assert_int_equal(apply_ops(NULL, ops, n, "eth0"), -ENOBUFS);
	snapshot(&now);
	assert_true(same_state(&now, &s->start));
	have_free(&now);
	assert_next_runs_converge(none);
	free(none);
}

/*
 * A rule of ours with a selector we never set (here iif, RULE_HAS_EXTRA) next
 * to its clean twin, which is wanted and older: reconcile keeps the twin and
 * deletes the odd one.
 */

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, scenario_setup, scenario_teardown)
	const struct CMUnitTest tests[] = {
		T(test_no_fault),
		T(test_refusal_anywhere_rolls_back),
		T(test_refusal_without_ext_ack),
		T(test_rollback_refused),
		T(test_converged_answers),
		T(test_down_refused_midway),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
