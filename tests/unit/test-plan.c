// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: unit tests of the plan: the exact routes and rules an event wants, and its refusals. */
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
#include <syslog.h>
#include <cmocka.h>

#include "addr.h"
#include "config.h"
#include "event.h"
#include "have.h"
#include "log.h"
#include "plan.h"
#include "policy.h"

/* ---- captured log lines ---- */

#define LOG_CAPTURE_MAX 8

static struct {
	unsigned n;
	int priority[LOG_CAPTURE_MAX];
	char msg[LOG_CAPTURE_MAX][1024];
} logged;

static void capture(int priority, const char *msg)
{
	if (logged.n < LOG_CAPTURE_MAX) {
		logged.priority[logged.n] = priority;
		snprintf(logged.msg[logged.n], sizeof(logged.msg[0]), "%s", msg);
	}
	logged.n++;
}

/* Was @text logged at @priority? */
static bool was_logged(int priority, const char *text)
{
	for (unsigned i = 0; i < logged.n && i < LOG_CAPTURE_MAX; i++)
		if (logged.priority[i] == priority && strcmp(logged.msg[i], text) == 0)
			return true;
	return false;
}

static void assert_logged(int priority, const char *text)
{
	if (!was_logged(priority, text))
		fail_msg("not logged at priority %d: \"%s\" (first of %u: \"%s\")", priority, text,
			 logged.n, logged.n ? logged.msg[0] : "");
}

/* ---- the world of one test: an event, the config, the kernel's truth ---- */

struct world {
	struct event ev;
	struct config cfg;
	struct link_state link;
	struct policy want;
};

static int world_setup(void **state)
{
	struct world *w = calloc(1, sizeof(*w));

	if (!w)
		return -1;
	event_init(&w->ev, "test");
	config_defaults(&w->cfg);
	memset(&logged, 0, sizeof(logged));
	log_set_sink(capture);
	*state = w;
	return 0;
}

static int world_teardown(void **state)
{
	log_set_sink(NULL);
	free(*state);
	return 0;
}

static struct addr A(const char *text)
{
	const char *why = NULL;
	struct addr a;

	if (addr_parse(&a, text, AF_UNSPEC, 0, &why) < 0)
		fail_msg("bad test address '%s': %s", text, why);
	return a;
}

static void ev_up(struct world *w, const char *ifname, unsigned families)
{
	const char *why;

	w->ev.action = EVENT_UP;
	w->ev.families = families;
	w->ev.strict_addrs = true;
	assert_int_equal(event_set_ifname(&w->ev, ifname, &why), 0);
}

static void ev_addr(struct world *w, const char *text)
{
	struct addr a = A(text);

	assert_int_equal(event_add_addr(&w->ev, &a), 0);
	w->ev.addrs_given |= event_family_bit(a.family);
}

static void ev_gw(struct world *w, const char *text)
{
	struct addr a = A(text);

	w->ev.gateway[event_family_index(a.family)] = a;
	w->ev.gateways_given |= event_family_bit(a.family);
}

static void link_addr(struct world *w, const char *text)
{
	assert_true(w->link.n_addrs < LINK_MAX_ADDRS);
	w->link.addrs[w->link.n_addrs++] = A(text);
}

/* The usual first uplink: eth0, ifindex 2, 198.51.100.10/24 via 198.51.100.1. */
static void eth0_v4(struct world *w)
{
	ev_up(w, "eth0", EVENT_V4);
	ev_addr(w, "198.51.100.10/24");
	ev_gw(w, "198.51.100.1");
	w->link.ifindex = 2;
	link_addr(w, "198.51.100.10/24");
}

static void eth0_v6(struct world *w)
{
	ev_up(w, "eth0", EVENT_V6);
	ev_addr(w, "2001:db8:1::10/64");
	ev_gw(w, "fe80::1");
	w->link.ifindex = 2;
	link_addr(w, "2001:db8:1::10/64");
}

/* ---- every field of a route or rule as one line, so a test reads what it wants ---- */

static const char *scope_name(uint8_t scope)
{
	switch (scope) {
	case RT_SCOPE_LINK:
		return "link";
	case RT_SCOPE_UNIVERSE:
		return "global";
	default:
		return "?";
	}
}

/*
 * A table's default whose metric is the fingerprint of @p's rules for that table reads
 * "metric RULES": the rows say where the fingerprint goes, test_rules_digest_*() what it is.
 */
static const char *route_text_in(const struct policy *p, const struct route *r, char *buf,
				 size_t len)
{
	char dst[ADDR_STRLEN], gw[ADDR_STRLEN], src[ADDR_STRLEN], metric[16];

	if (p && r->table != RT_TABLE_MAIN && r->dst.plen == 0 && !r->n_nexthops &&
	    r->metric == rules_digest(p->rules, p->n_rules, r->table))
		snprintf(metric, sizeof(metric), "RULES");
	else
		snprintf(metric, sizeof(metric), "%u", r->metric);
	snprintf(buf, len, "%s via %s src %s dev %u table %u metric %s scope %s proto %u %s%s%s",
		 addr_format(&r->dst, true, dst),
		 addr_is_set(&r->gateway) ? addr_format(&r->gateway, true, gw) : "-",
		 addr_is_set(&r->prefsrc) ? addr_format(&r->prefsrc, true, src) : "-",
		 r->oif, r->table, metric,
		 scope_name(r->scope),
		 r->protocol, r->type == RTN_UNICAST ? "unicast" : "OTHER",
		 (r->flags & ROUTE_ONLINK) ? " onlink" : "",
		 (r->flags & ROUTE_HAS_EXTRA) ? " extra" : "");
	return buf;
}

static const char *rule_text(const struct rule *r, char *buf, size_t len)
{
	char src[ADDR_STRLEN], dst[ADDR_STRLEN];

	snprintf(buf, len, "prio %u from %s to %s table %u suppress %d proto %u %s%s",
		 r->priority, addr_is_set(&r->src) ? addr_format(&r->src, true, src) : "all",
		 addr_is_set(&r->dst) ? addr_format(&r->dst, true, dst) : "all", r->table,
		 r->suppress_prefixlen, r->protocol,
		 r->action == FR_ACT_TO_TBL ? "to_tbl" : "OTHER",
		 (r->flags & RULE_HAS_EXTRA) ? " extra" : "");
	return buf;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void assert_policy(const struct policy *p, const char *const *routes, size_t n_routes,
			  const char *const *rules, size_t n_rules)
{
	char line[512];
	bool ok = p->n_routes == n_routes && p->n_rules == n_rules;

	for (size_t i = 0; ok && i < n_routes; i++)
		ok = strcmp(route_text_in(p, &p->routes[i], line, sizeof(line)), routes[i]) == 0;
	for (size_t i = 0; ok && i < n_rules; i++)
		ok = strcmp(rule_text(&p->rules[i], line, sizeof(line)), rules[i]) == 0;
	if (ok)
		return;
	print_message("wanted %zu route(s), %zu rule(s):\n", n_routes, n_rules);
	for (size_t i = 0; i < n_routes; i++)
		print_message("  %s\n", routes[i]);
	for (size_t i = 0; i < n_rules; i++)
		print_message("  %s\n", rules[i]);
	print_message("planned %u route(s), %u rule(s):\n", p->n_routes, p->n_rules);
	for (unsigned i = 0; i < p->n_routes; i++)
		print_message("  %s\n", route_text_in(p, &p->routes[i], line, sizeof(line)));
	for (unsigned i = 0; i < p->n_rules; i++)
		print_message("  %s\n", rule_text(&p->rules[i], line, sizeof(line)));
	fail_msg("the plan differs");
}

/* The shared rule reads the same in both families. */
static const char *const suppress_v4 =
	"prio 31000 from all to all table 254 suppress 0 proto 73 to_tbl";
#define suppress_v6 suppress_v4

/* ---- IPv4 ---- */

static void test_v4_basic(void **state)
{
	struct world *w = *state;
	static const char *const routes[] = {
		"198.51.100.0/24 via - src 198.51.100.10/32 dev 2 table 1000002 metric 0 scope link proto 73 unicast",
		"0.0.0.0/0 via 198.51.100.1/32 src - dev 2 table 1000002 metric RULES scope global proto 73 unicast",
		"0.0.0.0/0 via 198.51.100.1/32 src - dev 2 table 254 metric 1000002 scope global proto 73 unicast onlink",
	};
	static const char *const rules[] = {
		"prio 31100 from 198.51.100.10/32 to all table 1000002 suppress -1 proto 73 to_tbl",
		suppress_v4,
	};

	eth0_v4(w);
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
	assert_policy(&w->want, routes, N(routes), rules, N(rules));
	assert_int_equal(w->want.routes[0].family, AF_INET);
	assert_int_equal(w->want.rules[0].family, AF_INET);
	/* Nothing for the family the event does not touch. */
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET6, &w->link, false, &w->want), 0);
	assert_policy(&w->want, NULL, 0, NULL, 0);
}

static void test_v4_main_has_default(void **state)
{
	struct world *w = *state;
	static const char *const routes[] = {
		"198.51.100.0/24 via - src 198.51.100.10/32 dev 2 table 1000002 metric 0 scope link proto 73 unicast",
		"0.0.0.0/0 via 198.51.100.1/32 src - dev 2 table 1000002 metric RULES scope global proto 73 unicast",
		"0.0.0.0/0 via 198.51.100.1/32 src - dev 2 table 254 metric 1000002 scope global proto 73 unicast onlink",
	};
	static const char *const rules[] = {
		"prio 31100 from 198.51.100.10/32 to all table 1000002 suppress -1 proto 73 to_tbl",
		suppress_v4,
	};

	eth0_v4(w);
	/*
	 * Main's own default via this interface (ifupdown's gateway line): ours stays behind
	 * it all the same (issue 20), so that main keeps a default when the other goes.
	 */
	w->link.main_gateway = A("198.51.100.1");
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
	assert_policy(&w->want, routes, N(routes), rules, N(rules));
}

static void test_v4_main_default_off(void **state)
{
	struct world *w = *state;

	eth0_v4(w);
	/* Off in the config file. */
	w->cfg.main_default = false;
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
	assert_int_equal(w->want.n_routes, 2);
	/* The event's "yes" wins over the file's "no"... */
	w->ev.main_default = true;
	w->ev.has |= EVENT_HAS_MAIN_DEFAULT;
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
	assert_int_equal(w->want.n_routes, 3);
	assert_int_equal(w->want.routes[2].table, RT_TABLE_MAIN);
	/* ...and its "no" over the file's "yes". */
	w->cfg.main_default = true;
	w->ev.main_default = false;
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
	assert_int_equal(w->want.n_routes, 2);
	for (unsigned i = 0; i < w->want.n_routes; i++)
		assert_int_equal(w->want.routes[i].table, 1000002);
}

static void test_v4_several_addresses(void **state)
{
	struct world *w = *state;
	static const char *const routes[] = {
		"198.51.100.0/24 via - src 198.51.100.10/32 dev 7 table 1000007 metric 0 scope link proto 73 unicast",
		"192.0.2.16/28 via - src 192.0.2.20/32 dev 7 table 1000007 metric 0 scope link proto 73 unicast",
		"0.0.0.0/0 via 198.51.100.1/32 src - dev 7 table 1000007 metric RULES scope global proto 73 unicast",
		"0.0.0.0/0 via 198.51.100.1/32 src - dev 7 table 254 metric 1000007 scope global proto 73 unicast onlink",
	};
	static const char *const rules[] = {
		"prio 31100 from 198.51.100.10/32 to all table 1000007 suppress -1 proto 73 to_tbl",
		"prio 31100 from 198.51.100.11/32 to all table 1000007 suppress -1 proto 73 to_tbl",
		"prio 31100 from 192.0.2.20/32 to all table 1000007 suppress -1 proto 73 to_tbl",
		suppress_v4,
	};

	ev_up(w, "eth1", EVENT_V4);
	ev_addr(w, "198.51.100.10/24");
	ev_addr(w, "198.51.100.11/24");	/* same prefix: one connected route, first src */
	ev_addr(w, "192.0.2.20/28");
	ev_gw(w, "198.51.100.1");
	w->link.ifindex = 7;
	link_addr(w, "192.0.2.20/28");
	link_addr(w, "198.51.100.11/24");
	link_addr(w, "198.51.100.10/24");
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
	assert_policy(&w->want, routes, N(routes), rules, N(rules));
}

static void test_v4_kernel_addresses(void **state)
{
	struct world *w = *state;
	static const char *const routes[] = {
		"203.0.113.0/24 via - src 203.0.113.20/32 dev 3 table 1000003 metric 0 scope link proto 73 unicast",
		"0.0.0.0/0 via 203.0.113.1/32 src - dev 3 table 1000003 metric RULES scope global proto 73 unicast",
		"0.0.0.0/0 via 203.0.113.1/32 src - dev 3 table 254 metric 1000003 scope global proto 73 unicast onlink",
	};
	static const char *const rules[] = {
		"prio 31100 from 203.0.113.20/32 to all table 1000003 suppress -1 proto 73 to_tbl",
		suppress_v4,
	};

	/* No --address: the kernel's addresses of the family, none of the other's. */
	ev_up(w, "eth1", EVENT_V4 | EVENT_V6);
	ev_gw(w, "203.0.113.1");
	w->link.ifindex = 3;
	link_addr(w, "2001:db8:2::20/64");
	link_addr(w, "203.0.113.20/24");
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
	assert_policy(&w->want, routes, N(routes), rules, N(rules));
}

static void test_kernel_prefix_length_wins(void **state)
{
	struct world *w = *state;

	ev_up(w, "eth0", EVENT_V4);
	ev_addr(w, "198.51.100.10/32");	/* the event got the prefix length wrong */
	w->link.ifindex = 2;
	link_addr(w, "198.51.100.10/24");
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
	assert_int_equal(w->want.n_routes, 1);
	assert_string_equal(addr_format(&w->want.routes[0].dst, true, (char[ADDR_STRLEN]){ 0 }),
			    "198.51.100.0/24");
}

static void test_no_gateway(void **state)
{
	struct world *w = *state;
	static const char *const routes[] = {
		"198.51.100.0/24 via - src 198.51.100.10/32 dev 2 table 1000002 metric 0 scope link proto 73 unicast",
	};
	static const char *const rules[] = {
		"prio 31100 from 198.51.100.10/32 to all table 1000002 suppress -1 proto 73 to_tbl",
		suppress_v4,
	};

	ev_up(w, "eth0", EVENT_V4);
	ev_addr(w, "198.51.100.10/24");
	w->link.ifindex = 2;
	link_addr(w, "198.51.100.10/24");
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
	assert_policy(&w->want, routes, N(routes), rules, N(rules));
	assert_logged(LOG_INFO, "eth0: no IPv4 gateway: its table gets connected routes only");
}

static void test_gateway_from_main(void **state)
{
	struct world *w = *state;
	static const char *const routes[] = {
		"198.51.100.0/24 via - src 198.51.100.10/32 dev 2 table 1000002 metric 0 scope link proto 73 unicast",
		"0.0.0.0/0 via 198.51.100.254/32 src - dev 2 table 1000002 metric RULES scope global proto 73 unicast",
		"0.0.0.0/0 via 198.51.100.254/32 src - dev 2 table 254 metric 1000002 scope global proto 73 unicast onlink",
	};

	/* The event names no gateway: the one main already uses through this interface. */
	ev_up(w, "eth0", EVENT_V4);
	ev_addr(w, "198.51.100.10/24");
	w->link.ifindex = 2;
	link_addr(w, "198.51.100.10/24");
	w->link.main_gateway = A("198.51.100.254");
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
	assert_int_equal(w->want.n_routes, 3);
	assert_string_equal(route_text_in(&w->want, &w->want.routes[1], (char[512]){ 0 }, 512), routes[1]);
	/* Our fallback in main via the same gateway, behind main's own default. */
	assert_string_equal(route_text_in(&w->want, &w->want.routes[2], (char[512]){ 0 }, 512), routes[2]);

	/* A gateway the event gives wins over main's. */
	ev_gw(w, "198.51.100.1");
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
	assert_int_equal(w->want.n_routes, 3);
	assert_true(addr_same_ip(&w->want.routes[1].gateway, &w->ev.gateway[0]));
	assert_true(addr_same_ip(&w->want.routes[2].gateway, &w->ev.gateway[0]));
}

/*
 * The gateway of our table's default (link.table_gateway): kept only by an event that says no
 * gateway means "keep" (an `up` by hand), after the event's and main's; a front end's event
 * without one means none.
 */
static void test_table_gateway_kept_by_hand(void **state)
{
	static const struct {
		bool keep;
		const char *main_gw;
		bool onlink;
		const char *want_gw;	/* NULL: no default in the table */
	} cases[] = {
		{ false, NULL, false, NULL },
		{ true, NULL, false, "198.51.100.1" },
		{ true, "198.51.100.254", false, "198.51.100.254" },
		{ true, NULL, true, "192.0.2.1" },	/* off the prefix: kept with onlink */
	};
	struct world *w = *state;

	for (unsigned i = 0; i < N(cases); i++) {
		const char *gw = cases[i].onlink ? "192.0.2.1" : "198.51.100.1";
		struct addr want;
		bool found = false;

		event_init(&w->ev, "test");
		ev_up(w, "eth0", EVENT_V4);
		ev_addr(w, "198.51.100.10/24");
		w->ev.keep_table_gateway = cases[i].keep;
		memset(&w->link, 0, sizeof(w->link));
		w->link.ifindex = 2;
		link_addr(w, "198.51.100.10/24");
		if (cases[i].main_gw)
			w->link.main_gateway = A(cases[i].main_gw);
		w->link.table_gateway = A(gw);
		w->link.table_gateway_onlink = cases[i].onlink;
		assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
		for (unsigned j = 0; j < w->want.n_routes; j++) {
			const struct route *r = &w->want.routes[j];

			if (r->table != 1000002 || r->dst.plen != 0)
				continue;
			found = true;
			assert_non_null(cases[i].want_gw);
			want = A(cases[i].want_gw);
			assert_true(addr_same_ip(&r->gateway, &want));
			assert_int_equal((r->flags & ROUTE_ONLINK) != 0, cases[i].onlink);
		}
		if (!found)
			assert_null(cases[i].want_gw);
	}
}

static void test_to_rule(void **state)
{
	struct world *w = *state;
	static const char *const rules[] = {
		"prio 31100 from 198.51.100.10/32 to all table 1000002 suppress -1 proto 73 to_tbl",
		"prio 31100 from all to 198.51.100.10/32 table 1000002 suppress -1 proto 73 to_tbl",
		"prio 31100 from 198.51.100.11/32 to all table 1000002 suppress -1 proto 73 to_tbl",
		"prio 31100 from all to 198.51.100.11/32 table 1000002 suppress -1 proto 73 to_tbl",
		suppress_v4,
	};

	eth0_v4(w);
	ev_addr(w, "198.51.100.11/24");
	link_addr(w, "198.51.100.11/24");
	w->ev.to_rule = true;
	w->ev.has |= EVENT_HAS_TO_RULE;
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
	assert_int_equal(w->want.n_routes, 3);
	assert_int_equal(w->want.n_rules, N(rules));
	for (size_t i = 0; i < N(rules); i++)
		assert_string_equal(rule_text(&w->want.rules[i], (char[512]){ 0 }, 512), rules[i]);
}

static void test_suppress_rule(void **state)
{
	struct world *w = *state;

	eth0_v4(w);
	/* Off in the config file: not even while others are managed. */
	w->cfg.suppress = false;
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, true, &w->want), 0);
	assert_int_equal(w->want.n_rules, 1);
	assert_int_equal(w->want.rules[0].suppress_prefixlen, -1);

	/* Its own priority from the config file. */
	w->cfg.suppress = true;
	w->cfg.suppress_priority = 500;
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
	assert_int_equal(w->want.n_rules, 2);
	assert_string_equal(rule_text(&w->want.rules[1], (char[512]){ 0 }, 512),
			    "prio 500 from all to all table 254 suppress 0 proto 73 to_tbl");

	/* An interface without addresses wants no rules: the shared one only for the others. */
	w->cfg.suppress_priority = CONFIG_DEFAULT_SUPPRESS_PRIORITY;
	w->link.n_addrs = 0;
	w->ev.addrs_given = 0;
	w->ev.n_addrs = 0;
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
	assert_policy(&w->want, NULL, 0, NULL, 0);
	assert_logged(LOG_INFO, "eth0: no IPv4 address: nothing to route");
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, true, &w->want), 0);
	assert_policy(&w->want, NULL, 0, &suppress_v4, 1);
}

static void test_down(void **state)
{
	struct world *w = *state;

	eth0_v4(w);
	w->ev.action = EVENT_DOWN;
	/* The last interface going: nothing at all, the shared rule goes too. */
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
	assert_policy(&w->want, NULL, 0, NULL, 0);
	/* Others remain: the shared rule stays. */
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, true, &w->want), 0);
	assert_policy(&w->want, NULL, 0, &suppress_v4, 1);
	/* An ignored event wants the same as a down one: nothing of its own. */
	w->ev.action = EVENT_IGNORE;
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, true, &w->want), 0);
	assert_policy(&w->want, NULL, 0, &suppress_v4, 1);
}

static void test_interface_gone(void **state)
{
	struct world *w = *state;

	eth0_v4(w);
	w->link.ifindex = 0;
	w->link.n_addrs = 0;
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
	assert_policy(&w->want, NULL, 0, NULL, 0);
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, true, &w->want), 0);
	assert_policy(&w->want, NULL, 0, &suppress_v4, 1);
}

static void test_strict_address_missing(void **state)
{
	struct world *w = *state;

	eth0_v4(w);
	ev_addr(w, "192.0.2.99/24");
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), -ENOENT);
	assert_logged(LOG_ERR, "address 192.0.2.99/24 is not configured on eth0");
}

static void test_stale_address_dropped(void **state)
{
	struct world *w = *state;
	static const char *const routes[] = {
		"198.51.100.0/24 via - src 198.51.100.10/32 dev 2 table 1000002 metric 0 scope link proto 73 unicast",
		"0.0.0.0/0 via 198.51.100.1/32 src - dev 2 table 1000002 metric RULES scope global proto 73 unicast",
		"0.0.0.0/0 via 198.51.100.1/32 src - dev 2 table 254 metric 1000002 scope global proto 73 unicast onlink",
	};
	static const char *const rules[] = {
		"prio 31100 from 198.51.100.10/32 to all table 1000002 suppress -1 proto 73 to_tbl",
		suppress_v4,
	};

	eth0_v4(w);
	ev_addr(w, "192.0.2.99/24");
	w->ev.strict_addrs = false;
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
	assert_policy(&w->want, routes, N(routes), rules, N(rules));
	assert_logged(LOG_INFO,
		      "eth0: address 192.0.2.99 is gone from the interface: not routing for it");

	/* Every address stale: nothing of the interface's own. */
	w->link.n_addrs = 0;
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
	assert_policy(&w->want, NULL, 0, NULL, 0);
}

static void test_gateway_off_link(void **state)
{
	struct world *w = *state;

	eth0_v4(w);
	ev_gw(w, "203.0.113.1");
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want),
			 -ENETUNREACH);
	assert_logged(LOG_ERR, "gateway 203.0.113.1 is not on the link of eth0: no address of the "
			       "interface covers it (use onlink if the provider says so)");
	/* An IPv4 link-local gateway needs a covering address like any other. */
	ev_gw(w, "169.254.0.1");
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want),
			 -ENETUNREACH);
}

static void test_gateway_onlink(void **state)
{
	struct world *w = *state;
	static const char *const routes[] = {
		"198.51.100.10/32 via - src 198.51.100.10/32 dev 2 table 1000002 metric 0 scope link proto 73 unicast",
		"0.0.0.0/0 via 203.0.113.1/32 src - dev 2 table 1000002 metric RULES scope global proto 73 unicast onlink",
		"0.0.0.0/0 via 203.0.113.1/32 src - dev 2 table 254 metric 1000002 scope global proto 73 unicast onlink",
	};

	/* A /32 from a provider that says the gateway is on the link anyway. */
	ev_up(w, "eth0", EVENT_V4);
	ev_addr(w, "198.51.100.10/32");
	ev_gw(w, "203.0.113.1");
	w->link.ifindex = 2;
	link_addr(w, "198.51.100.10/32");
	w->ev.onlink = true;
	w->ev.has |= EVENT_HAS_ONLINK;
	/* A host address has no subnet to share: no subnet rule, whatever the list says. */
	w->link.shared_nets[w->link.n_shared_nets++] = A("198.51.100.10/32");
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
	assert_int_equal(w->want.n_routes, 3);
	assert_int_equal(w->want.n_rules, 2);
	for (size_t i = 0; i < N(routes); i++)
		assert_string_equal(route_text_in(&w->want, &w->want.routes[i], (char[512]){ 0 }, 512),
				    routes[i]);
	/* onlink set to "no" is no onlink. */
	w->ev.onlink = false;
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want),
			 -ENETUNREACH);
}

static void test_gateway_invalid(void **state)
{
	static const struct {
		const char *gw;
		const char *line;
	} cases[] = {
		{ "198.51.100.10", "gateway 198.51.100.10 for eth0: the interface's own address" },
		{ "0.0.0.0", "gateway 0.0.0.0 for eth0: unspecified address" },
		{ "224.0.0.1", "gateway 224.0.0.1 for eth0: not a unicast address" },
		{ "255.255.255.255", "gateway 255.255.255.255 for eth0: not a unicast address" },
		{ "127.0.0.1", "gateway 127.0.0.1 for eth0: a loopback address" },
	};
	struct world *w = *state;

	for (size_t i = 0; i < N(cases); i++) {
		event_init(&w->ev, "test");
		memset(&w->link, 0, sizeof(w->link));
		memset(&logged, 0, sizeof(logged));
		eth0_v4(w);
		ev_gw(w, cases[i].gw);
		/* Even onlink does not make these gateways. */
		w->ev.onlink = i % 2;
		w->ev.has |= EVENT_HAS_ONLINK;
		if (plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want) != -EINVAL)
			fail_msg("gateway %s not refused with -EINVAL", cases[i].gw);
		assert_logged(LOG_ERR, cases[i].line);
	}
}

static void test_gateway_subnet_broadcast(void **state)
{
	struct world *w = *state;
	int r;

	/*
	 * The subnet's broadcast address is no unicast neighbour: refused up front,
	 * before the kernel would accept it in the table and refuse it in main.
	 */
	eth0_v4(w);
	ev_gw(w, "198.51.100.255");
	r = plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want);
	assert_int_equal(r, -EINVAL);
	assert_logged(LOG_ERR,
		      "gateway 198.51.100.255 for eth0: the subnet's broadcast or network address");
	w->want.n_routes = w->want.n_rules = 0;
	ev_gw(w, "198.51.100.0");
	r = plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want);
	assert_int_equal(r, -EINVAL);
}

/* ---- IPv6 ---- */

static void test_v6_link_local_gateway(void **state)
{
	struct world *w = *state;
	static const char *const routes[] = {
		"2001:db8:1::/64 via - src - dev 2 table 1000002 metric 1024 scope global proto 73 unicast",
		"::/0 via fe80::1/128 src - dev 2 table 1000002 metric RULES scope global proto 73 unicast",
		"::/0 via fe80::1/128 src - dev 2 table 254 metric 1000002 scope global proto 73 unicast onlink",
	};
	static const char *const rules[] = {
		"prio 31100 from 2001:db8:1::10/128 to all table 1000002 suppress -1 proto 73 to_tbl",
		suppress_v6,
	};

	eth0_v6(w);
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET6, &w->link, false, &w->want), 0);
	assert_policy(&w->want, routes, N(routes), rules, N(rules));
	assert_int_equal(w->want.routes[0].family, AF_INET6);
	assert_int_equal(w->want.rules[1].family, AF_INET6);
	/* Nothing for IPv4. */
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
	assert_policy(&w->want, NULL, 0, NULL, 0);
}

static void test_v6_global_gateway(void **state)
{
	struct world *w = *state;

	eth0_v6(w);
	ev_gw(w, "2001:db8:1::1");
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET6, &w->link, false, &w->want), 0);
	assert_int_equal(w->want.n_routes, 3);
	ev_gw(w, "2001:db8:2::1");
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET6, &w->link, false, &w->want),
			 -ENETUNREACH);
	assert_logged(LOG_ERR, "gateway 2001:db8:2::1 is not on the link of eth0: no address of "
			       "the interface covers it (use onlink if the provider says so)");
}

static void test_v6_gateway_invalid(void **state)
{
	static const struct {
		const char *gw;
		const char *line;
	} cases[] = {
		{ "2001:db8:1::10",
		  "gateway 2001:db8:1::10 for eth0: the interface's own address" },
		{ "::", "gateway :: for eth0: unspecified address" },
		{ "ff02::1", "gateway ff02::1 for eth0: not a unicast address" },
		{ "::1", "gateway ::1 for eth0: a loopback address" },
		{ "::ffff:198.51.100.1",
		  "gateway ::ffff:198.51.100.1 for eth0: an IPv4-mapped IPv6 address" },
	};
	struct world *w = *state;

	for (size_t i = 0; i < N(cases); i++) {
		event_init(&w->ev, "test");
		memset(&w->link, 0, sizeof(w->link));
		memset(&logged, 0, sizeof(logged));
		eth0_v6(w);
		ev_gw(w, cases[i].gw);
		if (plan_build(&w->ev, &w->cfg, AF_INET6, &w->link, false, &w->want) != -EINVAL)
			fail_msg("gateway %s not refused with -EINVAL", cases[i].gw);
		assert_logged(LOG_ERR, cases[i].line);
	}
}

static void test_v6_several_addresses(void **state)
{
	struct world *w = *state;
	static const char *const routes[] = {
		"2001:db8:1::/64 via - src - dev 2 table 1000002 metric 1024 scope global proto 73 unicast",
		"2001:db8:5::/48 via - src - dev 2 table 1000002 metric 1024 scope global proto 73 unicast",
		"::/0 via fe80::1/128 src - dev 2 table 1000002 metric RULES scope global proto 73 unicast",
		"::/0 via fe80::1/128 src - dev 2 table 254 metric 1000002 scope global proto 73 unicast onlink",
	};
	static const char *const rules[] = {
		"prio 31100 from 2001:db8:1::10/128 to all table 1000002 suppress -1 proto 73 to_tbl",
		"prio 31100 from 2001:db8:1::11/128 to all table 1000002 suppress -1 proto 73 to_tbl",
		"prio 31100 from 2001:db8:5::1/128 to all table 1000002 suppress -1 proto 73 to_tbl",
		suppress_v6,
	};

	eth0_v6(w);
	ev_addr(w, "2001:db8:1::11/64");
	ev_addr(w, "2001:db8:5::1/48");
	link_addr(w, "2001:db8:5::1/48");
	link_addr(w, "2001:db8:1::11/64");
	link_addr(w, "198.51.100.10/24");	/* the other family: not this plan's business */
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET6, &w->link, false, &w->want), 0);
	assert_policy(&w->want, routes, N(routes), rules, N(rules));
}

/* ---- tables and priorities ---- */

static void test_explicit_table_priority(void **state)
{
	struct world *w = *state;
	static const char *const routes[] = {
		"198.51.100.0/24 via - src 198.51.100.10/32 dev 2 table 200 metric 0 scope link proto 73 unicast",
		"0.0.0.0/0 via 198.51.100.1/32 src - dev 2 table 200 metric RULES scope global proto 73 unicast",
		"0.0.0.0/0 via 198.51.100.1/32 src - dev 2 table 254 metric 1000002 scope global proto 73 unicast onlink",
	};
	static const char *const rules[] = {
		"prio 30000 from 198.51.100.10/32 to all table 200 suppress -1 proto 73 to_tbl",
		suppress_v4,
	};

	eth0_v4(w);
	w->ev.table = 200;
	w->ev.priority = 30000;
	w->ev.has |= EVENT_HAS_TABLE | EVENT_HAS_PRIORITY;
	assert_int_equal(plan_table(&w->ev, &w->cfg, 2), 200);
	assert_int_equal(plan_priority(&w->ev, &w->cfg), 30000);
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
	assert_policy(&w->want, routes, N(routes), rules, N(rules));
}

static void test_config_scheme(void **state)
{
	struct world *w = *state;

	/* Values set without their flag are not given. */
	w->ev.table = 200;
	w->ev.priority = 30000;
	assert_int_equal(plan_table(&w->ev, &w->cfg, 2), 1000002);
	assert_int_equal(plan_table(&w->ev, &w->cfg, 0x7fffffff), 1000000u + 0x7fffffffu);
	assert_int_equal(plan_priority(&w->ev, &w->cfg), 31100);

	w->cfg.table_base = 5000;
	w->cfg.priority = 20000;
	w->cfg.protocol = 201;
	w->cfg.fallback_metric_base = 7000;
	eth0_v4(w);
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
	assert_int_equal(w->want.n_routes, 3);
	assert_int_equal(w->want.routes[0].table, 5002);
	assert_int_equal(w->want.routes[1].table, 5002);
	assert_int_equal(w->want.routes[2].metric, 7002);
	for (unsigned i = 0; i < w->want.n_routes; i++)
		assert_int_equal(w->want.routes[i].protocol, 201);
	for (unsigned i = 0; i < w->want.n_rules; i++)
		assert_int_equal(w->want.rules[i].protocol, 201);
	assert_int_equal(w->want.rules[0].priority, 20000);
	assert_int_equal(w->want.rules[0].table, 5002);
}

static void test_config_to_rule(void **state)
{
	struct world *w = *state;

	eth0_v4(w);
	w->cfg.to_rule = true;
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
	assert_int_equal(w->want.n_rules, 3);
	assert_string_equal(rule_text(&w->want.rules[1], (char[512]){ 0 }, 512),
			    "prio 31100 from all to 198.51.100.10/32 table 1000002 suppress -1 proto 73 to_tbl");
	/* The event's "no" wins. */
	w->ev.to_rule = false;
	w->ev.has |= EVENT_HAS_TO_RULE;
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
	assert_int_equal(w->want.n_rules, 2);
}

/* ---- bounds ---- */

static void test_many_addresses(void **state)
{
	struct world *w = *state;

	/* EVENT_MAX_ADDRS given on the command line: all routed, within the policy bounds. */
	ev_up(w, "eth0", EVENT_V4);
	w->link.ifindex = 2;
	w->cfg.to_rule = true;
	for (unsigned i = 0; i < EVENT_MAX_ADDRS; i++) {
		char text[32];

		snprintf(text, sizeof(text), "10.%u.0.1/24", i);
		ev_addr(w, text);
		link_addr(w, text);
	}
	ev_gw(w, "10.0.0.254");
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
	assert_int_equal(w->want.n_routes, EVENT_MAX_ADDRS + 2);
	assert_int_equal(w->want.n_rules, 2 * EVENT_MAX_ADDRS + 1);
}

/*
 * More addresses of one family than symroute routes for refuse that family alone, with one
 * line naming the interface and the family and saying what follows (issue 18, finding 1).
 */
static void test_one_family_past_bound(void **state)
{
	struct world *w = *state;

	/* The kernel's truth: 64 IPv6 addresses kept, one more dropped by the reader. */
	ev_up(w, "eth1", EVENT_V4 | EVENT_V6);
	w->ev.strict_addrs = false;
	w->link.ifindex = 2;
	for (unsigned i = 0; i < LINK_MAX_ADDRS; i++) {
		char text[48];

		snprintf(text, sizeof(text), "2001:db8:1::%x/64", i + 1);
		link_addr(w, text);
	}
	w->link.n_addrs_dropped = 1;
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET6, &w->link, false, &w->want),
			 -EOVERFLOW);
	assert_int_equal(logged.n, 1);
	assert_non_null(strstr(logged.msg[0], "eth1 has 65 global IPv6 addresses"));
	assert_non_null(strstr(logged.msg[0], "IPv6 left as it was, IPv4 goes on"));
	assert_int_equal(w->want.n_rules, 0);
	assert_int_equal(w->want.n_routes, 0);

	/* IPv4 of the same event plans as if IPv6 were not there. */
	memset(&w->link, 0, sizeof(w->link));
	w->link.ifindex = 2;
	link_addr(w, "198.51.100.10/24");
	ev_gw(w, "198.51.100.1");
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
	assert_int_equal(w->want.n_rules, 2);	/* from 198.51.100.10, and the shared one */

	/* NetworkManager reported more than the bound: the event says so; IPv6 only here. */
	memset(&logged, 0, sizeof(logged));
	w->ev.addrs_overflow = EVENT_V6;
	w->ev.families = EVENT_V6;
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET6, &w->link, false, &w->want),
			 -EOVERFLOW);
	assert_int_equal(logged.n, 1);
	assert_non_null(strstr(logged.msg[0], "eth1 has more than 64 IPv6 addresses"));
	assert_null(strstr(logged.msg[0], "IPv4 goes on"));
}

static void test_kernel_addresses_past_event_bound(void **state)
{
	struct world *w = *state;
	/* As many as the link holds, and more than an event holds if it holds fewer. */
	unsigned n = EVENT_MAX_ADDRS + 8 < LINK_MAX_ADDRS ? EVENT_MAX_ADDRS + 8 : LINK_MAX_ADDRS;
	int r;

	/*
	 * BUG (src/plan.c, pick_addrs; seen with EVENT_MAX_ADDRS 32, LINK_MAX_ADDRS
	 * 64): with no address in the event, the kernel's addresses are copied
	 * into an array of EVENT_MAX_ADDRS while struct link_state holds up to
	 * LINK_MAX_ADDRS; past EVENT_MAX_ADDRS the rest are dropped silently
	 * ("*n < EVENT_MAX_ADDRS" in the copy loop). Input: 40 IPv4 addresses on
	 * the link, none in the event. Expected: 40 rules (+1 shared), or -E2BIG
	 * with an error line. Actual: 0 with 33 rules, no line.
	 */
	ev_up(w, "eth0", EVENT_V4);
	w->link.ifindex = 2;
	for (unsigned i = 0; i < n; i++) {
		char text[32];

		snprintf(text, sizeof(text), "10.0.%u.1/24", i);
		link_addr(w, text);
	}
	r = plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want);
	/* All routed, or refused out loud: both keep the promise. */
	if (r == 0 && w->want.n_rules == n + 1)
		return;
	if (r == -E2BIG && logged.n > 0)
		return;
	if (r == 0 && w->want.n_rules < n + 1)
		skip();
	fail_msg("plan_build() = %d with %u rules for %u addresses", r, w->want.n_rules, n);
}

/* ---- invariants over many random events ---- */

static uint32_t rng_state = 7;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

/* The kernel keys a route by table, destination and metric: two such in one plan would clash. */
static bool same_kernel_key(const struct route *a, const struct route *b)
{
	return a->family == b->family && a->table == b->table && a->metric == b->metric &&
	       addr_cmp(&a->dst, &b->dst) == 0;
}

static void test_random_invariants(void **state)
{
	static const char *const pool4[] = {
		"198.51.100.10/24", "198.51.100.11/24", "198.51.100.12/25", "192.0.2.20/28",
		"192.0.2.21/28", "203.0.113.20/32", "10.1.2.3/8",
	};
	static const char *const pool6[] = {
		"2001:db8:1::10/64", "2001:db8:1::11/64", "2001:db8:2::1/48", "2001:db8:3::1/128",
	};
	static const char *const gw4[] = { "198.51.100.1", "192.0.2.17", "10.0.0.1",
					   "203.0.113.1" };
	static const char *const gw6[] = { "fe80::1", "2001:db8:1::1", "2001:db8:9::1" };
	struct world *w = *state;
	unsigned ok = 0;

	for (unsigned iter = 0; iter < 3000; iter++) {
		int family = rng() % 2 ? AF_INET : AF_INET6;
		const char *const *pool = family == AF_INET ? pool4 : pool6;
		size_t n_pool = family == AF_INET ? N(pool4) : N(pool6);
		int r;

		event_init(&w->ev, "test");
		memset(&w->link, 0, sizeof(w->link));
		memset(&logged, 0, sizeof(logged));
		config_defaults(&w->cfg);
		ev_up(w, "eth0", family == AF_INET ? EVENT_V4 : EVENT_V6);
		w->ev.strict_addrs = rng() % 2;
		w->link.ifindex = 1 + rng() % 1000;
		if (rng() % 2)
			w->link.main_gateway = A(family == AF_INET ? "198.51.100.254" : "fe80::fe");
		w->cfg.to_rule = rng() % 2;
		w->cfg.suppress = rng() % 4 != 0;
		for (size_t i = 0; i < n_pool; i++) {
			if (rng() % 2)
				link_addr(w, pool[i]);
			if (rng() % 3 == 0)
				ev_addr(w, pool[i]);
		}
		if (rng() % 3)
			ev_gw(w, family == AF_INET ? gw4[rng() % N(gw4)] : gw6[rng() % N(gw6)]);
		if (rng() % 5 == 0) {
			w->ev.onlink = true;
			w->ev.has |= EVENT_HAS_ONLINK;
		}
		r = plan_build(&w->ev, &w->cfg, family, &w->link, rng() % 2, &w->want);
		/* Refusals are the documented ones, each with its line. */
		if (r != 0) {
			assert_true(r == -ENOENT || r == -ENETUNREACH || r == -EINVAL);
			assert_true(logged.n > 0);
			continue;
		}
		ok++;
		{
			unsigned table_defaults = 0, main_defaults = 0;

			for (unsigned i = 0; i < w->want.n_routes; i++)
				if (w->want.routes[i].dst.plen == 0) {
					if (w->want.routes[i].table == RT_TABLE_MAIN)
						main_defaults++;
					else
						table_defaults++;
				}
			/*
			 * Main keeps a default via every uplink with a gateway, whatever else
			 * main holds (issue 20): main_gateway never takes it away.
			 */
			assert_int_equal(main_defaults, table_defaults);
		}
		for (unsigned i = 0; i < w->want.n_routes; i++) {
			const struct route *a = &w->want.routes[i];

			assert_int_equal(a->family, family);
			assert_int_equal(a->oif, w->link.ifindex);
			assert_int_equal(a->protocol, CONFIG_DEFAULT_PROTOCOL);
			assert_int_equal(a->flags & ROUTE_HAS_EXTRA, 0);
			assert_true(a->table == w->link.ifindex + CONFIG_DEFAULT_TABLE_BASE ||
				    (a->table == RT_TABLE_MAIN && addr_is_set(&a->gateway)));
			assert_false(addr_has_host_bits(&a->dst));
			for (unsigned j = i + 1; j < w->want.n_routes; j++)
				if (same_kernel_key(a, &w->want.routes[j]))
					fail_msg("iteration %u: routes %u and %u clash", iter, i,
						 j);
		}
		for (unsigned i = 0; i < w->want.n_rules; i++) {
			const struct rule *a = &w->want.rules[i];

			assert_int_equal(a->family, family);
			assert_int_equal(a->protocol, CONFIG_DEFAULT_PROTOCOL);
			if (a->suppress_prefixlen < 0) {
				assert_int_equal(a->table,
						 w->link.ifindex + CONFIG_DEFAULT_TABLE_BASE);
				assert_int_equal(a->priority, CONFIG_DEFAULT_PRIORITY);
				/* Every rule names one of the interface's own addresses. */
				assert_true(addr_is_set(&a->src) != addr_is_set(&a->dst));
			} else {
				assert_true(w->cfg.suppress);
				assert_int_equal(i, w->want.n_rules - 1);
			}
			for (unsigned j = i + 1; j < w->want.n_rules; j++)
				assert_int_not_equal(rule_cmp(a, &w->want.rules[j]), 0);
		}
	}
	/* Enough of the runs got through to mean something. */
	assert_true(ok > 500);
}


/* ---- main-table policy: metric mode, preferred prefixes ---- */

static void test_metric_mode(void **state)
{
	struct world *w = *state;
	static const char *const routes[] = {
		"198.51.100.0/24 via - src 198.51.100.10/32 dev 2 table 1000002 metric 0 scope link proto 73 unicast",
		"0.0.0.0/0 via 198.51.100.1/32 src - dev 2 table 1000002 metric RULES scope global proto 73 unicast",
		"0.0.0.0/0 via 198.51.100.1/32 src - dev 2 table 254 metric 1002 scope global proto 73 unicast onlink",
	};
	static const char *const rules[] = {
		"prio 31100 from 198.51.100.10/32 to all table 1000002 suppress -1 proto 73 to_tbl",
		suppress_v4,
	};

	eth0_v4(w);
	w->cfg.main_mode = CONFIG_MAIN_METRIC;
	/* Someone else's default in main does not stop ours: the metrics rank them. */
	w->link.main_gateway = A("198.51.100.1");
	assert_int_equal(plan_main_metric(&w->ev, &w->cfg, 2), 1002);
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
	assert_policy(&w->want, routes, N(routes), rules, N(rules));
	/* The interface's metric wins over the base. */
	w->ev.metric = 100;
	w->ev.has |= EVENT_HAS_METRIC;
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
	assert_int_equal(w->want.n_routes, 3);
	assert_int_equal(w->want.routes[2].table, RT_TABLE_MAIN);
	assert_int_equal(w->want.routes[2].metric, 100);
	/* main-default=no: nothing in main, whatever the mode. */
	w->ev.main_default = false;
	w->ev.has |= EVENT_HAS_MAIN_DEFAULT;
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
	assert_int_equal(w->want.n_routes, 2);
}

static void test_metric_mode_base_and_v6(void **state)
{
	struct world *w = *state;

	eth0_v6(w);
	w->cfg.main_mode = CONFIG_MAIN_METRIC;
	w->cfg.metric_base = 500;
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET6, &w->link, false, &w->want), 0);
	assert_int_equal(w->want.n_routes, 3);
	assert_int_equal(w->want.routes[2].table, RT_TABLE_MAIN);
	assert_int_equal(w->want.routes[2].metric, 502);
	/* Fallback mode keeps its own base; an interface metric applies there too. */
	w->cfg.main_mode = CONFIG_MAIN_FALLBACK;
	assert_int_equal(plan_main_metric(&w->ev, &w->cfg, 2), 1000002);
	w->ev.metric = 7;
	w->ev.has |= EVENT_HAS_METRIC;
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET6, &w->link, false, &w->want), 0);
	assert_int_equal(w->want.routes[2].metric, 7);
}

static void ev_prefer(struct world *w, const char *text)
{
	assert_true(w->ev.n_prefer < EVENT_MAX_PREFER);
	w->ev.prefer[w->ev.n_prefer++] = A(text);
	w->ev.has |= EVENT_HAS_PREFER;
}

static void test_prefer(void **state)
{
	struct world *w = *state;
	static const char *const routes[] = {
		"198.51.100.0/24 via - src 198.51.100.10/32 dev 2 table 1000002 metric 0 scope link proto 73 unicast",
		"0.0.0.0/0 via 198.51.100.1/32 src - dev 2 table 1000002 metric RULES scope global proto 73 unicast",
		"0.0.0.0/0 via 198.51.100.1/32 src - dev 2 table 254 metric 1000002 scope global proto 73 unicast onlink",
	};
	static const char *const rules[] = {
		"prio 31150 from all to 198.18.0.0/15 table 1000002 suppress -1 proto 73 to_tbl",
		"prio 31150 from all to 203.0.113.128/25 table 1000002 suppress -1 proto 73 to_tbl",
		"prio 31100 from 198.51.100.10/32 to all table 1000002 suppress -1 proto 73 to_tbl",
		suppress_v4,
	};
	static const char *const rules_v6[] = {
		"prio 31150 from all to 2001:db8:ff::/48 table 1000002 suppress -1 proto 73 to_tbl",
		"prio 31100 from 2001:db8:1::10/128 to all table 1000002 suppress -1 proto 73 to_tbl",
		suppress_v6,
	};

	eth0_v4(w);
	ev_prefer(w, "198.18.0.0/15");
	ev_prefer(w, "2001:db8:ff::/48");
	ev_prefer(w, "203.0.113.128/25");
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
	assert_policy(&w->want, routes, N(routes), rules, N(rules));
	/* Each family takes its own prefixes. */
	w->ev.families = EVENT_V6;
	w->ev.n_addrs = 0;
	w->ev.addrs_given = w->ev.gateways_given = 0;
	w->link.n_addrs = 0;
	ev_addr(w, "2001:db8:1::10/64");
	ev_gw(w, "fe80::1");
	link_addr(w, "2001:db8:1::10/64");
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET6, &w->link, false, &w->want), 0);
	assert_int_equal(w->want.n_rules, N(rules_v6));
	for (size_t i = 0; i < N(rules_v6); i++)
		assert_string_equal(rule_text(&w->want.rules[i], (char[512]){ 0 }, 512), rules_v6[i]);
	/* The priority is the config's, whatever the interface's own rules use. */
	w->cfg.prefer_priority = 20000;
	w->ev.priority = 30000;
	w->ev.has |= EVENT_HAS_PRIORITY;
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET6, &w->link, false, &w->want), 0);
	assert_int_equal(w->want.rules[0].priority, 20000);
	assert_int_equal(w->want.rules[1].priority, 30000);
}

static void test_prefer_needs_gateway(void **state)
{
	struct world *w = *state;

	ev_up(w, "eth0", EVENT_V4);
	ev_addr(w, "198.51.100.10/24");
	w->link.ifindex = 2;
	link_addr(w, "198.51.100.10/24");
	ev_prefer(w, "198.18.0.0/15");
	/* No default in the table: a lookup there would only fall through. */
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
	for (unsigned i = 0; i < w->want.n_rules; i++)
		assert_false(addr_is_set(&w->want.rules[i].dst));
	/* Down: nothing. */
	ev_gw(w, "198.51.100.1");
	w->ev.action = EVENT_DOWN;
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
	assert_int_equal(w->want.n_rules, 0);
	assert_int_equal(w->want.n_routes, 0);
}

static void test_bounds_with_prefer(void **state)
{
	struct world *w = *state;
	char text[64];

	/* The most addresses and prefixes an event may carry fit in one policy. */
	ev_up(w, "eth0", EVENT_V4);
	w->link.ifindex = 2;
	for (unsigned i = 0; i < LINK_MAX_ADDRS; i++) {
		snprintf(text, sizeof(text), "10.%u.0.1/16", i);
		link_addr(w, text);
	}
	ev_gw(w, "10.0.0.254");
	w->cfg.to_rule = true;
	for (unsigned i = 0; i < EVENT_MAX_PREFER; i++) {
		snprintf(text, sizeof(text), "198.18.%u.0/24", i);
		ev_prefer(w, text);
	}
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
	assert_int_equal(w->want.n_rules, 2 * LINK_MAX_ADDRS + EVENT_MAX_PREFER + 1);
	/* Every subnet shared with another interface too: a subnet rule each, still within. */
	for (unsigned i = 0; i < LINK_MAX_ADDRS; i++)
		w->link.shared_nets[w->link.n_shared_nets++] = addr_network(&w->link.addrs[i]);
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
	assert_int_equal(w->want.n_rules, 3 * LINK_MAX_ADDRS + EVENT_MAX_PREFER + 1);
}

/*
 * Two interfaces in one subnet (issue 19): a "from ADDR to PREFIX" rule at subnet-priority,
 * before the shared suppress rule, for the addresses whose prefix main also routes through
 * another interface, and for no other; none without the suppress rule, which is what lets
 * main's route of the other interface win.
 */
static void test_shared_subnet(void **state)
{
	struct world *w = *state;
	static const char *const rules4[] = {
		"prio 31100 from 203.0.113.6/32 to all table 1000003 suppress -1 proto 73 to_tbl",
		"prio 30900 from 203.0.113.6/32 to 203.0.113.0/24 table 1000003 suppress -1 proto 73 to_tbl",
		"prio 31100 from 198.51.100.6/32 to all table 1000003 suppress -1 proto 73 to_tbl",
		suppress_v4,
	};
	static const char *const rules6[] = {
		"prio 500 from 2001:db8:1::6/128 to all table 1000003 suppress -1 proto 73 to_tbl",
		"prio 30900 from 2001:db8:1::6/128 to 2001:db8:1::/64 table 1000003 suppress -1 proto 73 to_tbl",
		suppress_v6,
	};
	char line[512];

	ev_up(w, "eth1", EVENT_V4 | EVENT_V6);
	w->ev.strict_addrs = false;
	ev_gw(w, "203.0.113.1");
	w->link.ifindex = 3;
	link_addr(w, "203.0.113.6/24");
	link_addr(w, "198.51.100.6/24");
	w->link.shared_nets[w->link.n_shared_nets++] = A("203.0.113.0/24");
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
	assert_int_equal(w->want.n_rules, N(rules4));
	for (size_t i = 0; i < N(rules4); i++)
		assert_string_equal(rule_text(&w->want.rules[i], line, sizeof(line)), rules4[i]);

	/* Its own priority: the interface's source rule moves, the subnet rule stays before the guard. */
	memset(&w->link, 0, sizeof(w->link));
	w->link.ifindex = 3;
	link_addr(w, "2001:db8:1::6/64");
	w->link.shared_nets[w->link.n_shared_nets++] = A("2001:db8:1::/64");
	w->ev.has |= EVENT_HAS_PRIORITY;
	w->ev.priority = 500;
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET6, &w->link, false, &w->want), 0);
	assert_int_equal(w->want.n_rules, N(rules6));
	for (size_t i = 0; i < N(rules6); i++)
		assert_string_equal(rule_text(&w->want.rules[i], line, sizeof(line)), rules6[i]);

	/* Without the suppress rule the source rule is reached first: nothing to add. */
	w->cfg.suppress = false;
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET6, &w->link, false, &w->want), 0);
	assert_int_equal(w->want.n_rules, 1);

	/* Down: nothing wanted, so reconcile removes it with the rest. */
	w->cfg.suppress = true;
	w->ev.action = EVENT_DOWN;
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET6, &w->link, false, &w->want), 0);
	assert_int_equal(w->want.n_rules, 0);
}

/* ---- main-mode multipath ---- */

static void nh_text(const struct route *r, char *buf, size_t len)
{
	char gw[ADDR_STRLEN];
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < r->n_nexthops; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s[%u %s w%u%s]", i ? " " : "",
					 r->nexthops[i].oif,
					 addr_format(&r->nexthops[i].gateway, false, gw),
					 r->nexthops[i].weight,
					 (r->nexthops[i].flags & NEXTHOP_ONLINK) ? " onlink" : "");
}

static const struct route *shared_of(const struct policy *p)
{
	const struct route *found = NULL;

	for (unsigned i = 0; i < p->n_routes; i++) {
		if (p->routes[i].flags & ROUTE_SHARED) {
			assert_null(found);
			found = &p->routes[i];
		}
	}
	return found;
}

static void shared_two(struct world *w, uint32_t oif_a, uint16_t wa, uint32_t oif_b, uint16_t wb)
{
	struct route *s = &w->link.shared;

	memset(s, 0, sizeof(*s));
	s->family = AF_INET;
	s->type = RTN_UNICAST;
	s->protocol = 73;
	s->table = RT_TABLE_MAIN;
	s->metric = 1000;
	s->dst.family = AF_INET;
	s->flags = ROUTE_SHARED;
	s->n_nexthops = 2;
	s->nexthops[0] = (struct route_nexthop){ .oif = oif_a, .weight = wa };
	s->nexthops[0].gateway = A("198.51.100.1");
	s->nexthops[1] = (struct route_nexthop){ .oif = oif_b, .weight = wb };
	s->nexthops[1].gateway = A("203.0.113.1");
	w->link.has_shared = true;
}

static void test_multipath_first(void **state)
{
	struct world *w = *state;
	static const char *const routes[] = {
		"198.51.100.0/24 via - src 198.51.100.10/32 dev 2 table 1000002 metric 0 scope link proto 73 unicast",
		"0.0.0.0/0 via 198.51.100.1/32 src - dev 2 table 1000002 metric 5 scope global proto 73 unicast",
		"0.0.0.0/0 via 198.51.100.1/32 src - dev 2 table 254 metric 1000 scope global proto 73 unicast onlink",
	};
	static const char *const rules[] = {
		"prio 31100 from 198.51.100.10/32 to all table 1000002 suppress -1 proto 73 to_tbl",
		suppress_v4,
	};

	eth0_v4(w);
	w->cfg.main_mode = CONFIG_MAIN_MULTIPATH;
	w->ev.weight = 5;
	w->ev.has |= EVENT_HAS_WEIGHT;
	/* A foreign default does not matter: the shared route is ours to keep. */
	w->link.main_gateway = A("198.51.100.1");
	assert_int_equal(plan_weight(&w->ev), 5);
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
	assert_policy(&w->want, routes, N(routes), rules, N(rules));
	/* Alone: a single path, shared (written with replace). */
	assert_true(w->want.routes[2].flags & ROUTE_SHARED);
	assert_int_equal(w->want.routes[2].n_nexthops, 0);
}

static void test_multipath_join_and_leave(void **state)
{
	struct world *w = *state;
	const struct route *s;
	char text[256];

	eth0_v4(w);
	w->cfg.main_mode = CONFIG_MAIN_MULTIPATH;
	/* eth1 (ifindex 3) alone, as the kernel reports it: a single path; its weight from its table. */
	memset(&w->link.shared, 0, sizeof(w->link.shared));
	w->link.shared.family = AF_INET;
	w->link.shared.type = RTN_UNICAST;
	w->link.shared.protocol = 73;
	w->link.shared.table = RT_TABLE_MAIN;
	w->link.shared.metric = 1000;
	w->link.shared.dst.family = AF_INET;
	w->link.shared.oif = 3;
	w->link.shared.gateway = A("203.0.113.1");
	w->link.shared.flags = ROUTE_SHARED | ROUTE_ONLINK;
	w->link.has_shared = true;
	w->link.lone_weight = 3;
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
	s = shared_of(&w->want);
	assert_non_null(s);
	nh_text(s, text, sizeof(text));
	assert_string_equal(text, "[2 198.51.100.1 w1 onlink] [3 203.0.113.1 w3 onlink]");
	assert_int_equal(s->oif, 0);
	assert_false(addr_is_set(&s->gateway));
	assert_int_equal(s->metric, 1000);

	/* Both there, eth0 with another weight: eth0's next hop is replaced, eth1's kept. */
	shared_two(w, 2, 1, 3, 3);
	w->ev.weight = 2;
	w->ev.has |= EVENT_HAS_WEIGHT;
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
	nh_text(shared_of(&w->want), text, sizeof(text));
	assert_string_equal(text, "[2 198.51.100.1 w2 onlink] [3 203.0.113.1 w3]");

	/* Down: eth1's next hop alone, as a single path. */
	w->ev.action = EVENT_DOWN;
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, true, &w->want), 0);
	s = shared_of(&w->want);
	assert_non_null(s);
	assert_int_equal(s->n_nexthops, 0);
	assert_int_equal(s->oif, 3);
	assert_int_equal(w->want.n_routes, 1);

	/* A next hop the kernel marked dead is dropped; none left: no shared route. */
	w->link.shared.nexthops[1].flags |= NEXTHOP_DEAD;
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, true, &w->want), 0);
	assert_null(shared_of(&w->want));

	/* main-default=no takes this interface's next hop out on up too. */
	w->ev.action = EVENT_UP;
	w->link.shared.nexthops[1].flags = 0;
	w->ev.main_default = false;
	w->ev.has |= EVENT_HAS_MAIN_DEFAULT;
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
	s = shared_of(&w->want);
	assert_non_null(s);
	assert_int_equal(s->oif, 3);
}

static void test_multipath_left_by_another_mode(void **state)
{
	struct world *w = *state;

	/* Back in fallback mode: what multipath left dissolves, one interface at a time. */
	eth0_v4(w);
	shared_two(w, 2, 1, 3, 3);
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
	assert_int_equal(shared_of(&w->want)->oif, 3);
	/* Our fallback default is planned as usual next to it. */
	assert_int_equal(w->want.routes[2].metric, 1000002);
	assert_int_equal(w->want.routes[2].flags, ROUTE_ONLINK);
}

static void test_multipath_bound(void **state)
{
	struct world *w = *state;

	eth0_v4(w);
	w->cfg.main_mode = CONFIG_MAIN_MULTIPATH;
	shared_two(w, 10, 1, 11, 1);
	w->link.shared.n_nexthops = ROUTE_MAX_NEXTHOPS;
	for (unsigned i = 0; i < ROUTE_MAX_NEXTHOPS; i++) {
		w->link.shared.nexthops[i] = w->link.shared.nexthops[0];
		w->link.shared.nexthops[i].oif = 10 + i;
	}
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), -E2BIG);
	assert_logged(LOG_ERR, "eth0: main's multipath default route already has 32 next hops, "
		      "the most symroute writes");
	/* The same interface again fits: its own next hop is replaced. */
	w->link.shared.nexthops[0].oif = 2;
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
	assert_int_equal(shared_of(&w->want)->n_nexthops, ROUTE_MAX_NEXTHOPS);
}

/* ---- the rules' fingerprint in the table's default (plan_rules_in_place()) ---- */

static struct rule R(const char *from, const char *to, uint32_t priority, uint32_t table)
{
	struct rule r = { .family = AF_INET, .protocol = 73, .action = FR_ACT_TO_TBL,
			  .suppress_prefixlen = -1, .priority = priority, .table = table };

	if (from)
		r.src = A(from);
	if (to)
		r.dst = A(to);
	return r;
}

static void test_rules_digest(void **state)
{
	const struct rule base[] = {
		R("198.51.100.10/32", NULL, 31100, 1000002),
		R(NULL, "198.51.100.10/32", 31100, 1000002),
		R("198.51.100.10/32", "198.51.100.0/24", 31050, 1000002),
		R(NULL, NULL, 31000, RT_TABLE_MAIN),
	};
	const struct {
		const char *what;
		int change;	/* index into base, -1 none */
		struct rule to;	/* what base[change] becomes */
		int append;	/* 1: base + extra, -1: base without its last T rule */
		bool same;
	} rows[] = {
		{ "the same rules", -1, { 0 }, 0, true },
		{ "another priority", 0, R("198.51.100.10/32", NULL, 31101, 1000002), 0, false },
		{ "another source", 0, R("198.51.100.11/32", NULL, 31100, 1000002), 0, false },
		{ "another prefix length", 0, R("198.51.100.10/31", NULL, 31100, 1000002), 0, false },
		{ "a destination instead of a source", 0, R(NULL, "198.51.100.11/32", 31100, 1000002), 0, false },
		{ "a rule moved to another table", 2, R("198.51.100.10/32", "198.51.100.0/24", 31050, 100), 0, false },
		{ "a rule of another table changed", 3, R(NULL, NULL, 31001, RT_TABLE_MAIN), 0, true },
		{ "one rule fewer", -1, { 0 }, -1, false },
		{ "one rule more", -1, { 0 }, 1, false },
	};
	const uint32_t table = 1000002;
	uint32_t d0 = rules_digest(base, N(base), table);

	(void)state;
	assert_true(d0 >= RULES_DIGEST_MIN);
	for (size_t i = 0; i < N(rows); i++) {
		struct rule v[N(base) + 1];
		unsigned n = N(base);
		uint32_t d;

		memcpy(v, base, sizeof(base));
		if (rows[i].change >= 0)
			v[rows[i].change] = rows[i].to;
		if (rows[i].append > 0)
			v[n++] = R("192.0.2.1/32", NULL, 31100, table);
		if (rows[i].append < 0)
			v[2] = v[--n];	/* the subnet rule goes, the shared one takes its place */
		d = rules_digest(v, n, table);
		if ((d == d0) != rows[i].same)
			fail_msg("%s: fingerprint %u, the base's %u", rows[i].what, d, d0);
		/* Whatever the order the rules were planned in. */
		for (unsigned j = 0; j + 1 < n; j++) {
			struct rule t = v[j];

			v[j] = v[n - 1 - j];
			v[n - 1 - j] = t;
		}
		assert_int_equal(rules_digest(v, n, table), d);
		assert_true(d >= RULES_DIGEST_MIN);
	}
}

/* What the table held (@have) against what an event wants now. */
static void test_rules_in_place(void **state)
{
	struct world *w = *state;
	static const struct {
		const char *what;
		bool written_with_to_rule;	/* the rules the table was written with */
		uint32_t metric;		/* 0: the fingerprint of those rules */
		uint32_t oif;			/* 0: eth0's */
		bool no_default;		/* the table lost its default */
		bool want_to_rule;		/* the event's rules */
		enum config_main_mode mode;
		bool in_place;
	} rows[] = {
		{ "a repeated event", false, 0, 0, false, false, CONFIG_MAIN_FALLBACK, true },
		{ "metric mode too", false, 0, 0, false, false, CONFIG_MAIN_METRIC, true },
		{ "an option adds a rule", false, 0, 0, false, true, CONFIG_MAIN_FALLBACK, false },
		{ "an option removes a rule", true, 0, 0, false, false, CONFIG_MAIN_FALLBACK, false },
		{ "written by an earlier release (metric 0)", false, 1, 0, false, false, CONFIG_MAIN_FALLBACK, false },
		{ "the default through another interface", false, 0, 3, false, false, CONFIG_MAIN_FALLBACK, false },
		{ "the default deleted by hand", false, 0, 0, true, false, CONFIG_MAIN_FALLBACK, false },
		{ "multipath keeps a weight there", false, 0, 0, false, false, CONFIG_MAIN_MULTIPATH, false },
	};

	for (size_t i = 0; i < N(rows); i++) {
		struct policy *then = calloc(1, sizeof(*then));
		struct have have = { 0 };
		uint32_t table;

		assert_non_null(then);
		memset(&w->ev, 0, sizeof(w->ev));
		event_init(&w->ev, "test");
		memset(&w->link, 0, sizeof(w->link));
		eth0_v4(w);
		table = plan_table(&w->ev, &w->cfg, 2);
		w->cfg.main_mode = rows[i].mode;
		w->ev.has |= EVENT_HAS_TO_RULE;
		w->ev.to_rule = rows[i].written_with_to_rule;
		assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, then), 0);
		/* The kernel's copy: the table's routes as that event wrote them. */
		have.routes = then->routes;
		have.n_routes = then->n_routes;
		for (unsigned j = 0; j < then->n_routes; j++) {
			struct route *r = &then->routes[j];

			if (r->table != table || r->dst.plen)
				continue;
			if (rows[i].metric)
				r->metric = rows[i].metric == 1 ? 0 : rows[i].metric;
			if (rows[i].oif)
				r->oif = rows[i].oif;
			if (rows[i].no_default)
				r->table = 100;
		}
		w->ev.to_rule = rows[i].want_to_rule;
		assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
		if (plan_rules_in_place(&w->want, &have, table) != rows[i].in_place)
			fail_msg("%s: in place %d, expected %d", rows[i].what, !rows[i].in_place,
				 rows[i].in_place);
		free(then);
	}
	/* No gateway, no default: nothing carries the fingerprint, the rules are read. */
	w->cfg.main_mode = CONFIG_MAIN_FALLBACK;
	w->ev.gateways_given = 0;
	memset(&w->ev.gateway, 0, sizeof(w->ev.gateway));
	assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
	{
		struct have have = { .routes = w->want.routes, .n_routes = w->want.n_routes };

		assert_false(plan_rules_in_place(&w->want, &have, plan_table(&w->ev, &w->cfg, 2)));
	}
}

/* Does the table as read vouch for our default in main (plan_main_vouched())? */
static void test_main_vouched(void **state)
{
	struct world *w = *state;
	const struct {
		const char *what;
		unsigned ours_in_table;		/* routes of ours the table held */
		const char *table_gateway;	/* its default's gateway, NULL: none */
		bool main_default;		/* the event wants ours in main */
		enum config_main_mode mode;
		bool vouched;
	} rows[] = {
		{ "a first up: the table is empty", 0, NULL, true, CONFIG_MAIN_FALLBACK, true },
		{ "a repeated up: the same gateway", 2, "198.51.100.1", true, CONFIG_MAIN_FALLBACK, true },
		{ "metric mode too", 2, "198.51.100.1", true, CONFIG_MAIN_METRIC, true },
		{ "a new gateway", 2, "198.51.100.254", true, CONFIG_MAIN_FALLBACK, false },
		{ "routes without their default (a refused undo)", 1, NULL, true, CONFIG_MAIN_FALLBACK, false },
		{ "no default of ours wanted in main", 2, "198.51.100.1", false, CONFIG_MAIN_FALLBACK, false },
		{ "multipath: one shared default, not ours alone", 2, "198.51.100.1", true, CONFIG_MAIN_MULTIPATH, false },
	};

	for (size_t i = 0; i < N(rows); i++) {
		struct have have = { .n_ours_in_table = rows[i].ours_in_table };
		const struct route *def;

		memset(&w->ev, 0, sizeof(w->ev));
		event_init(&w->ev, "test");
		memset(&w->link, 0, sizeof(w->link));
		eth0_v4(w);
		w->cfg.main_mode = rows[i].mode;
		w->ev.has |= EVENT_HAS_MAIN_DEFAULT;
		w->ev.main_default = rows[i].main_default;
		if (rows[i].table_gateway)
			w->link.table_gateway = A(rows[i].table_gateway);
		assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET, &w->link, false, &w->want), 0);
		def = plan_main_vouched(&w->want, &have, &w->link);
		if ((def != NULL) != rows[i].vouched)
			fail_msg("%s: vouched %d, expected %d", rows[i].what, def != NULL,
				 rows[i].vouched);
		if (def) {
			/* The one to ask for: ours in main through eth0, at the mode's metric. */
			assert_int_equal(def->table, RT_TABLE_MAIN);
			assert_int_equal(def->oif, 2);
			assert_int_equal(def->metric, plan_main_metric(&w->ev, &w->cfg, 2));
		}
	}
}

/* At a down, the default in main the table names (plan_down_main_default()): the up's, exactly. */
static void test_down_main_default(void **state)
{
	struct world *w = *state;
	const struct {
		const char *what;
		enum event_action action;
		unsigned ours_in_table;
		const char *table_gateway;	/* NULL: the table has no default of ours */
		int main_default;		/* -1: the configuration's; 0, 1: the event's option */
		uint32_t metric;		/* the event's --metric (a stanza's), 0: none */
		enum config_main_mode mode;
		bool named;
	} rows[] = {
		{ "a down after an up", EVENT_DOWN, 2, "fe80::1", -1, 0, CONFIG_MAIN_FALLBACK, true },
		{ "the stanza's metric", EVENT_DOWN, 2, "fe80::1", -1, 4000000, CONFIG_MAIN_FALLBACK, true },
		{ "metric mode", EVENT_DOWN, 2, "fe80::1", -1, 0, CONFIG_MAIN_METRIC, true },
		{ "the table holds nothing of ours", EVENT_DOWN, 0, NULL, -1, 0, CONFIG_MAIN_FALLBACK, false },
		{ "connected routes only: no default", EVENT_DOWN, 1, NULL, -1, 0, CONFIG_MAIN_FALLBACK, false },
		{ "no default of ours in main (the stanza's option)", EVENT_DOWN, 2, "fe80::1", 0, 0, CONFIG_MAIN_FALLBACK, false },
		{ "multipath: the shared default", EVENT_DOWN, 2, "fe80::1", -1, 0, CONFIG_MAIN_MULTIPATH, false },
		{ "an up", EVENT_UP, 2, "fe80::1", -1, 0, CONFIG_MAIN_FALLBACK, false },
	};

	for (size_t i = 0; i < N(rows); i++) {
		struct have have = { .n_ours_in_table = rows[i].ours_in_table };
		struct route got, want_up = { 0 };
		bool named;

		memset(&w->ev, 0, sizeof(w->ev));
		event_init(&w->ev, "test");
		memset(&w->link, 0, sizeof(w->link));
		config_defaults(&w->cfg);
		w->cfg.main_mode = rows[i].mode;
		eth0_v6(w);
		if (rows[i].metric) {
			w->ev.has |= EVENT_HAS_METRIC;
			w->ev.metric = rows[i].metric;
		}
		if (rows[i].main_default >= 0) {
			w->ev.has |= EVENT_HAS_MAIN_DEFAULT;
			w->ev.main_default = rows[i].main_default;
		}
		/* What the up wrote in main, with the same options: the name to delete by. */
		assert_int_equal(plan_build(&w->ev, &w->cfg, AF_INET6, &w->link, false, &w->want), 0);
		for (unsigned k = 0; k < w->want.n_routes; k++)
			if (w->want.routes[k].table == RT_TABLE_MAIN && !w->want.routes[k].dst.plen)
				want_up = w->want.routes[k];
		w->ev.action = rows[i].action;
		if (rows[i].table_gateway)
			w->link.table_gateway = A(rows[i].table_gateway);
		named = plan_down_main_default(&w->ev, &w->cfg, AF_INET6, &w->link, &have, &got);
		if (named != rows[i].named)
			fail_msg("%s: named %d, expected %d", rows[i].what, named, rows[i].named);
		if (named && route_cmp(&got, &want_up) != 0)
			fail_msg("%s: not the default the up wrote in main", rows[i].what);
	}
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, world_setup, world_teardown)
	const struct CMUnitTest tests[] = {
		T(test_v4_basic),
		T(test_v4_main_has_default),
		T(test_v4_main_default_off),
		T(test_v4_several_addresses),
		T(test_v4_kernel_addresses),
		T(test_kernel_prefix_length_wins),
		T(test_no_gateway),
		T(test_gateway_from_main),
		T(test_table_gateway_kept_by_hand),
		T(test_to_rule),
		T(test_suppress_rule),
		T(test_down),
		T(test_interface_gone),
		T(test_strict_address_missing),
		T(test_stale_address_dropped),
		T(test_gateway_off_link),
		T(test_gateway_onlink),
		T(test_gateway_invalid),
		T(test_gateway_subnet_broadcast),
		T(test_v6_link_local_gateway),
		T(test_v6_global_gateway),
		T(test_v6_gateway_invalid),
		T(test_v6_several_addresses),
		T(test_explicit_table_priority),
		T(test_config_scheme),
		T(test_config_to_rule),
		T(test_many_addresses),
		T(test_kernel_addresses_past_event_bound),
		T(test_one_family_past_bound),
		T(test_random_invariants),
		T(test_metric_mode),
		T(test_metric_mode_base_and_v6),
		T(test_prefer),
		T(test_prefer_needs_gateway),
		T(test_bounds_with_prefer),
		T(test_shared_subnet),
		T(test_multipath_first),
		T(test_multipath_join_and_leave),
		T(test_multipath_left_by_another_mode),
		T(test_multipath_bound),
		T(test_rules_digest),
		T(test_rules_in_place),
		T(test_main_vouched),
		T(test_down_main_default),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
