// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Purpose: intent_event() is the inverse of plan_build() for what the kernel shows. An event
 * with each knob is planned; what the plan puts in the kernel is read back the way status
 * places it (our rules and routes of the interface's family); the event rebuilt from that
 * must plan exactly the same routes and rules. This is what lets the watcher and `status`
 * act on an interface without undoing what its hook chose.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "config.h"
#include "event.h"
#include "have.h"
#include "intent.h"
#include "plan.h"
#include "policy.h"
#include "status.h"

#define IFINDEX 3

static struct addr A(const char *text)
{
	struct addr a;
	const char *why;

	assert_int_equal(addr_parse(&a, text, AF_UNSPEC, 0, &why), 0);
	return a;
}

/* One knob at a time, in both families where it applies. */
static const struct row {
	const char *what;
	int family;
	enum config_main_mode mode;
	unsigned has;			/* enum event_has of the original event */
	uint32_t table, priority, metric;
	uint16_t weight;
	bool to_rule, onlink, main_default;
	const char *prefer;		/* one preferred prefix, or NULL */
	bool manager_default;		/* main holds a default via the interface that is not ours */
} rows[] = {
	{ "defaults", AF_INET, CONFIG_MAIN_FALLBACK, 0, 0, 0, 0, 0, false, false, true, NULL, false },
	{ "defaults, IPv6", AF_INET6, CONFIG_MAIN_FALLBACK, 0, 0, 0, 0, 0, false, false, true, NULL,
	  false },
	{ "a table by hand", AF_INET, CONFIG_MAIN_FALLBACK, EVENT_HAS_TABLE, 100, 0, 0, 0, false,
	  false, true, NULL, false },
	{ "a priority by hand", AF_INET6, CONFIG_MAIN_FALLBACK, EVENT_HAS_PRIORITY, 0, 30500, 0, 0,
	  false, false, true, NULL, false },
	{ "to rules", AF_INET, CONFIG_MAIN_FALLBACK, EVENT_HAS_TO_RULE, 0, 0, 0, 0, true, false,
	  true, NULL, false },
	{ "a preferred prefix", AF_INET, CONFIG_MAIN_FALLBACK, EVENT_HAS_PREFER, 0, 0, 0, 0, false,
	  false, true, "192.0.2.0/24", false },
	{ "a preferred prefix, IPv6", AF_INET6, CONFIG_MAIN_FALLBACK, EVENT_HAS_PREFER, 0, 0, 0, 0,
	  false, false, true, "2001:db8:f::/48", false },
	{ "an onlink gateway", AF_INET, CONFIG_MAIN_FALLBACK, EVENT_HAS_ONLINK, 0, 0, 0, 0, false,
	  true, true, NULL, false },
	{ "no default of ours in main", AF_INET, CONFIG_MAIN_FALLBACK, EVENT_HAS_MAIN_DEFAULT, 0, 0,
	  0, 0, false, false, false, NULL, true },
	{ "no default of ours in main, IPv6", AF_INET6, CONFIG_MAIN_FALLBACK,
	  EVENT_HAS_MAIN_DEFAULT, 0, 0, 0, 0, false, false, false, NULL, true },
	{ "a fallback beside the manager's default", AF_INET, CONFIG_MAIN_FALLBACK, 0, 0, 0, 0, 0,
	  false, false, true, NULL, true },
	{ "main-mode metric, a metric by hand", AF_INET, CONFIG_MAIN_METRIC, EVENT_HAS_METRIC, 0,
	  0, 50, 0, false, false, true, NULL, false },
	{ "everything at once", AF_INET6, CONFIG_MAIN_FALLBACK,
	  EVENT_HAS_TABLE | EVENT_HAS_PRIORITY | EVENT_HAS_TO_RULE | EVENT_HAS_PREFER, 200, 30600,
	  0, 0, true, false, true, "2001:db8:f::/48", false },
};

static void row_event(const struct row *r, struct event *ev)
{
	const char *why;
	int fi = r->family == AF_INET6;

	event_init(ev, "test");
	ev->action = EVENT_UP;
	ev->families = event_family_bit(r->family);
	assert_int_equal(event_set_ifname(ev, "eth1", &why), 0);
	ev->gateway[fi] = A(fi ? "2001:db8:b::1" : "203.0.113.1");
	ev->gateways_given = ev->families;
	ev->has = r->has;
	ev->table = r->table;
	ev->priority = r->priority;
	ev->metric = r->metric;
	ev->weight = r->weight;
	ev->to_rule = r->to_rule;
	ev->onlink = r->onlink;
	ev->main_default = r->main_default;
	if (r->prefer)
		ev->prefer[ev->n_prefer++] = A(r->prefer);
}

static void row_link(const struct row *r, struct link_state *link)
{
	bool v6 = r->family == AF_INET6;

	memset(link, 0, sizeof(*link));
	link->ifindex = IFINDEX;
	link->addrs[link->n_addrs++] = A(v6 ? "2001:db8:b::20/64" : "203.0.113.20/25");
	link->addrs[link->n_addrs++] = A(v6 ? "2001:db8:b::21/64" : "203.0.113.21/25");
	if (r->manager_default)
		link->main_gateway = A(v6 ? "2001:db8:b::1" : "203.0.113.1");
}

/* What status places on the interface from the kernel's state the plan left: not the shared rule. */
static void as_status(const struct config *cfg, const struct policy *want, uint32_t table,
		      int family, struct status_family *f)
{
	status_family_free(f);
	f->family = (uint8_t)family;
	f->table = table;
	f->table_auto = table == cfg->table_base + IFINDEX;
	for (unsigned i = 0; i < want->n_rules; i++) {
		const struct rule *u = &want->rules[i];

		if (u->table != table)
			continue;
		assert_int_equal(status_family_add_rule(f, u), 0);
		if (!(addr_is_set(&u->src) && addr_is_set(&u->dst)) && addr_is_set(&u->src) &&
		    (!f->has_priority || u->priority < f->priority)) {
			f->has_priority = true;
			f->priority = u->priority;
		}
	}
	for (unsigned i = 0; i < want->n_routes; i++) {
		if (want->routes[i].flags & ROUTE_SHARED)
			continue;
		assert_int_equal(status_family_add_route(f, &want->routes[i], "eth1"), 0);
	}
}

static void assert_same_policy(const struct policy *a, const struct policy *b)
{
	assert_int_equal(a->n_rules, b->n_rules);
	assert_int_equal(a->n_routes, b->n_routes);
	for (unsigned i = 0; i < a->n_rules; i++)
		assert_int_equal(rule_cmp(&a->rules[i], &b->rules[i]), 0);
	for (unsigned i = 0; i < a->n_routes; i++)
		assert_int_equal(route_cmp(&a->routes[i], &b->routes[i]), 0);
}

static void test_round_trip(void **state)
{
	struct policy *want = calloc(2, sizeof(*want));
	struct status_iface *iface = calloc(1, sizeof(*iface));

	(void)state;
	assert_non_null(want);
	assert_non_null(iface);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		struct status_family *f = &iface->fam[r->family == AF_INET6];
		struct link_state link;
		struct config cfg;
		struct event ev, back;
		const char *why = NULL;

		print_message("%s\n", r->what);
		config_defaults(&cfg);
		cfg.main_mode = r->mode;
		row_event(r, &ev);
		row_link(r, &link);
		assert_int_equal(plan_build(&ev, &cfg, r->family, &link, false, &want[0]), 0);

		for (size_t k = 0; k < 2; k++)
			status_family_free(&iface->fam[k]);
		memset(iface, 0, sizeof(*iface));
		snprintf(iface->name, sizeof(iface->name), "eth1");
		iface->ifindex = IFINDEX;
		as_status(&cfg, &want[0], plan_table(&ev, &cfg, IFINDEX), r->family, f);
		assert_int_equal(intent_event(&cfg, iface, f, r->manager_default, "watch", &back,
					      &why), 0);
		/* The gateway comes from the kernel: main's default first, then our table's. */
		for (unsigned k = 0; k < f->n_routes; k++)
			if (f->routes[k].r.table == f->table && f->routes[k].r.dst.plen == 0) {
				link.table_gateway = f->routes[k].r.gateway;
				link.table_gateway_onlink = f->routes[k].r.flags & ROUTE_ONLINK;
			}
		assert_true(back.keep_table_gateway);
		assert_false(back.gateways_given);
		assert_int_equal(plan_build(&back, &cfg, r->family, &link, false, &want[1]), 0);
		assert_same_policy(&want[0], &want[1]);
	}
	for (size_t k = 0; k < 2; k++)
		status_family_free(&iface->fam[k]);
	free(iface);
	free(want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
