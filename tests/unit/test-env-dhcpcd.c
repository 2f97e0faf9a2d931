// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: unit tests of the dhcpcd front end, fed environments captured from real dhcpcd. */
#include <errno.h>
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

#include "fixture.h"

#include "addr.h"
#include "env-dhcpcd.h"
#include "event.h"
#include "log.h"

/* ---- captured log lines ---- */

static char log_last[1024];
static int log_count;	/* errors and warnings */

static void log_capture(int priority, const char *msg)
{
	if (priority > LOG_WARNING)
		return;
	log_count++;
	snprintf(log_last, sizeof(log_last), "%s", msg);
}

static int setup(void **state)
{
	(void)state;
	log_set_sink(log_capture);
	log_count = 0;
	log_last[0] = '\0';
	return 0;
}

static void assert_addr(const struct addr *a, const char *text)
{
	char buf[ADDR_STRLEN];

	assert_string_equal(addr_format(a, strchr(text, '/') != NULL, buf), text);
}

static void assert_logged(const char *fragment)
{
	if (!strstr(log_last, fragment))
		fail_msg("the last log line \"%s\" does not contain \"%s\"", log_last, fragment);
}

/* Read a fixture, changed by @set ("VAR=value" sets, "-VAR" removes). */
static int read_fixture(struct event *ev, const char *name, const char *const *set)
{
	struct fixture f;
	int r;

	fixture_load(&f, "dhcpcd", name);
	for (; set && *set; set++) {
		if ((*set)[0] == '-')
			fixture_unset(&f, *set + 1);
		else
			fixture_set(&f, *set);
	}
	r = env_dhcpcd_read(ev, f.vars);
	fixture_free(&f);
	return r;
}

/* ---- every reason of the captured runs, and the synthesized ones, as a table ---- */

static void test_reasons(void **state)
{
	static const struct {
		const char *fixture, *reason;	/* reason NULL: as captured */
		enum event_action action;
		unsigned families;
	} cases[] = {
		{ "bound.env", NULL, EVENT_UP, EVENT_V4 },
		{ "renew.env", NULL, EVENT_UP, EVENT_V4 },
		{ "bound-changed.env", NULL, EVENT_UP, EVENT_V4 },
		{ "bound.env", "REBIND", EVENT_UP, EVENT_V4 },
		{ "bound.env", "REBOOT", EVENT_UP, EVENT_V4 },
		{ "bound.env", "STATIC", EVENT_UP, EVENT_V4 },
		{ "bound.env", "INFORM", EVENT_UP, EVENT_V4 },
		{ "stop.env", NULL, EVENT_DOWN, EVENT_V4 },
		{ "bound.env", "EXPIRE", EVENT_DOWN, EVENT_V4 },
		{ "bound.env", "RELEASE", EVENT_DOWN, EVENT_V4 },
		{ "bound.env", "FAIL", EVENT_DOWN, EVENT_V4 },
		{ "bound6.env", NULL, EVENT_UP, EVENT_V6 },
		{ "bound6.env", "RENEW6", EVENT_UP, EVENT_V6 },
		{ "bound6.env", "REBIND6", EVENT_UP, EVENT_V6 },
		{ "bound6.env", "REBOOT6", EVENT_UP, EVENT_V6 },
		{ "bound6.env", "INFORM6", EVENT_UP, EVENT_V6 },
		{ "bound6.env", "STATIC6", EVENT_UP, EVENT_V6 },
		{ "routeradvert.env", NULL, EVENT_UP, EVENT_V6 },
		{ "routeradvert-no-router.env", NULL, EVENT_UP, EVENT_V6 },
		{ "release6.env", NULL, EVENT_DOWN, EVENT_V6 },
		{ "bound6.env", "EXPIRE6", EVENT_DOWN, EVENT_V6 },
		{ "bound6.env", "STOP6", EVENT_DOWN, EVENT_V6 },
		{ "bound6.env", "FAIL6", EVENT_DOWN, EVENT_V6 },
		{ "stopped.env", NULL, EVENT_DOWN, EVENT_V4 | EVENT_V6 },
		{ "nocarrier.env", NULL, EVENT_DOWN, EVENT_V4 | EVENT_V6 },
		{ "stopped.env", "DEPARTED", EVENT_DOWN, EVENT_V4 | EVENT_V6 },
		{ "preinit.env", NULL, EVENT_IGNORE, 0 },
		{ "nak.env", NULL, EVENT_IGNORE, 0 },
		{ "stopped.env", "CARRIER", EVENT_IGNORE, 0 },
		{ "bound.env", "TIMEOUT", EVENT_IGNORE, 0 },
		{ "bound.env", "IPV4LL", EVENT_IGNORE, 0 },
		{ "bound6.env", "DELEGATED6", EVENT_IGNORE, 0 },
		{ "stopped.env", "TEST", EVENT_IGNORE, 0 },
		{ "stopped.env", "bound", EVENT_IGNORE, 0 },	/* reasons are upper case */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char reason[64];
		const char *set[] = { reason, NULL };
		struct event ev;

		snprintf(reason, sizeof(reason), "reason=%s", cases[i].reason);
		setup(NULL);
		if (read_fixture(&ev, cases[i].fixture, cases[i].reason ? set : NULL) != 0)
			fail_msg("%s, %s: refused: %s", cases[i].fixture, reason, log_last);
		if (ev.action != cases[i].action || ev.families != cases[i].families)
			fail_msg("%s, %s: action %d families %u, want %d and %u", cases[i].fixture,
				 reason, ev.action, ev.families, cases[i].action,
				 cases[i].families);
		if (ev.action != EVENT_IGNORE)
			assert_string_equal(ev.ifname, "vC");
		assert_string_equal(ev.origin, "dhcpcd");
		assert_false(ev.strict_addrs);
		assert_int_equal(log_count, 0);
	}
}

/* ---- IPv4 leases ---- */

static void test_bound(void **state)
{
	struct event ev;

	(void)state;
	assert_int_equal(read_fixture(&ev, "bound.env", NULL), 0);
	assert_int_equal(ev.addrs_given, EVENT_V4);
	assert_int_equal(ev.n_addrs, 1);
	assert_addr(&ev.addrs[0], "203.0.113.140/25");
	assert_int_equal(ev.gateways_given, EVENT_V4);
	assert_addr(&ev.gateway[0], "203.0.113.129");
	assert_int_equal(ev.has, 0);	/* the router is on the leased prefix: no onlink */
}

/* new_subnet_cidr wins; without it the mask; without either a host address. */
static void test_prefix_length_sources(void **state)
{
	struct event ev;

	(void)state;
	assert_int_equal(read_fixture(&ev, "bound.env",
				      (const char *[]){ "-new_subnet_cidr", NULL }), 0);
	assert_addr(&ev.addrs[0], "203.0.113.140/25");
	assert_int_equal(read_fixture(&ev, "bound.env",
				      (const char *[]){ "-new_subnet_cidr", "-new_subnet_mask",
							"-new_routers", NULL }), 0);
	assert_addr(&ev.addrs[0], "203.0.113.140/32");
	assert_int_equal(ev.gateways_given, 0);
	assert_int_equal(log_count, 0);
}

/* A cloud's /32 lease with its router outside it: the router is used, on the link. */
static void test_host_lease_router_outside(void **state)
{
	struct event ev;

	(void)state;
	assert_int_equal(read_fixture(&ev, "bound.env",
				      (const char *[]){ "new_subnet_cidr=32",
							"new_subnet_mask=255.255.255.255",
							"new_routers=203.0.113.1", NULL }), 0);
	assert_addr(&ev.addrs[0], "203.0.113.140/32");
	assert_addr(&ev.gateway[0], "203.0.113.1");
	assert_int_equal(ev.has, EVENT_HAS_ONLINK);
	assert_true(ev.onlink);
	assert_int_equal(log_count, 0);
}

/* The first usable router of the list; the unusable ones before it are logged. */
static void test_router_list(void **state)
{
	static const struct {
		const char *routers, *want, *skipped;	/* want NULL: no gateway */
	} cases[] = {
		{ "203.0.113.129 203.0.113.130", "203.0.113.129", NULL },
		{ "0.0.0.0 203.0.113.130", "203.0.113.130", "'0.0.0.0': not a unicast address" },
		{ "255.255.255.255 203.0.113.130", "203.0.113.130", "not a unicast address" },
		{ "224.0.0.1 203.0.113.130", "203.0.113.130", "not a unicast address" },
		{ "127.0.0.1 203.0.113.130", "203.0.113.130", "not a unicast address" },
		{ "203.0.113.255 203.0.113.130", "203.0.113.130", "the subnet's broadcast address" },
		{ "203.0.113.128 203.0.113.130", "203.0.113.130", "the subnet's network address" },
		{ "203.0.113.140 203.0.113.130", "203.0.113.130", "an address of the interface itself" },
		{ "bogus 203.0.113.130", "203.0.113.130", "'bogus'" },
		{ "2001:db8::1 203.0.113.130", "203.0.113.130", "'2001:db8::1'" },
		{ "0.0.0.0", NULL, "no usable router" },
		{ "   ", NULL, NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char routers[128];
		struct event ev;

		snprintf(routers, sizeof(routers), "new_routers=%s", cases[i].routers);
		setup(NULL);
		assert_int_equal(read_fixture(&ev, "bound.env",
					      (const char *[]){ routers, NULL }), 0);
		assert_int_equal(ev.action, EVENT_UP);
		assert_addr(&ev.addrs[0], "203.0.113.140/25");
		if (cases[i].want) {
			assert_int_equal(ev.gateways_given, EVENT_V4);
			assert_addr(&ev.gateway[0], cases[i].want);
		} else {
			assert_int_equal(ev.gateways_given, 0);
		}
		if (cases[i].skipped) {
			assert_true(log_count >= 1);
			if (!strstr(log_last, cases[i].skipped) && cases[i].want)
				fail_msg("%s: log \"%s\" lacks \"%s\"", routers, log_last,
					 cases[i].skipped);
			assert_logged("vC: new_routers=");
		} else {
			assert_int_equal(log_count, 0);
		}
	}
}

/* Bad leased values: refused with one line naming the interface, the value and what follows. */
static void test_bad_lease(void **state)
{
	static const struct {
		const char *set, *line;
	} cases[] = {
		{ "-new_ip_address", "vC: new_ip_address='': missing" },
		{ "new_ip_address=203.0.113.300", "vC: new_ip_address='203.0.113.300': " },
		{ "new_ip_address=224.0.0.5", "vC: new_ip_address='224.0.0.5': not a unicast" },
		{ "new_ip_address=0.0.0.0", "vC: new_ip_address='0.0.0.0': not a unicast" },
		{ "new_ip_address=203.0.113.140/25", "vC: new_ip_address='203.0.113.140/25': " },
		{ "new_subnet_cidr=33", "vC: new_subnet_cidr='33': " },
		{ "new_subnet_cidr=255.255.255.0", "vC: new_subnet_cidr='255.255.255.0': " },
		{ "new_subnet_cidr=x", "vC: new_subnet_cidr='x': " },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct event ev;

		setup(NULL);
		assert_int_equal(read_fixture(&ev, "bound.env",
					      (const char *[]){ cases[i].set, NULL }), -EINVAL);
		assert_int_equal(log_count, 1);
		if (strncmp(log_last, cases[i].line, strlen(cases[i].line)) != 0)
			fail_msg("log line \"%s\" does not start with \"%s\"", log_last,
				 cases[i].line);
		assert_logged("symroute leaves vC's IPv4 routing as it was");
	}
}

static void test_bad_reason_or_interface(void **state)
{
	struct event ev;

	(void)state;
	assert_int_equal(read_fixture(&ev, "bound.env", (const char *[]){ "-reason", NULL }),
			 -EINVAL);
	assert_logged("reason='': missing");
	setup(NULL);
	assert_int_equal(read_fixture(&ev, "bound.env", (const char *[]){ "-interface", NULL }),
			 -EINVAL);
	assert_logged("interface='': ");
	setup(NULL);
	assert_int_equal(read_fixture(&ev, "bound.env",
				      (const char *[]){ "interface=eth/1", NULL }), -EINVAL);
	assert_logged("interface='eth/1': ");
	/* An ignored reason is ignored whatever the rest says. */
	setup(NULL);
	assert_int_equal(read_fixture(&ev, "preinit.env",
				      (const char *[]){ "interface=", NULL }), 0);
	assert_int_equal(ev.action, EVENT_IGNORE);
}

/* ---- IPv6 ---- */

/* DHCPv6 and router advertisements: the kernel's addresses; a router from the RA only. */
static void test_v6_addresses_from_kernel(void **state)
{
	struct event ev;

	(void)state;
	assert_int_equal(read_fixture(&ev, "bound6.env", NULL), 0);
	assert_int_equal(ev.addrs_given, 0);
	assert_int_equal(ev.n_addrs, 0);
	assert_int_equal(ev.gateways_given, 0);

	assert_int_equal(read_fixture(&ev, "routeradvert.env", NULL), 0);
	assert_int_equal(ev.addrs_given, 0);
	assert_int_equal(ev.gateways_given, EVENT_V6);
	assert_addr(&ev.gateway[1], "fe80::bcb5:55ff:fef0:3652");

	/* Every router gone: an up without a gateway (the table keeps its connected routes). */
	assert_int_equal(read_fixture(&ev, "routeradvert-no-router.env", NULL), 0);
	assert_int_equal(ev.gateways_given, 0);
	assert_int_equal(log_count, 0);
}

static void test_ra_routers(void **state)
{
	static const struct {
		const char *set[5];
		const char *want;	/* NULL: no gateway */
		bool warned;
	} cases[] = {
		/* A router withdrawn as default (lifetime 0): the next one. */
		{ { "nd1_lifetime=0", "nd2_from=fe80::2", "nd2_lifetime=1800" }, "fe80::2", false },
		{ { "nd1_lifetime=0" }, NULL, false },
		{ { "nd1_from=ff02::2", "nd2_from=fe80::2" }, "fe80::2", true },
		{ { "nd1_from=::", "nd2_from=fe80::2" }, "fe80::2", true },
		{ { "nd1_from=fe80::1%vC", "nd2_from=fe80::2" }, "fe80::2", true },
		{ { "nd1_from=198.51.100.1" }, NULL, true },
		/* A global router address is an address like any other. */
		{ { "nd1_from=2001:db8:c::1" }, "2001:db8:c::1", false },
		/* Numbering stops at the first gap, as dhcpcd writes it. */
		{ { "-nd1_from", "nd2_from=fe80::2" }, NULL, false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct event ev;

		setup(NULL);
		assert_int_equal(read_fixture(&ev, "routeradvert.env", cases[i].set), 0);
		assert_int_equal(ev.action, EVENT_UP);
		if (cases[i].want) {
			assert_int_equal(ev.gateways_given, EVENT_V6);
			assert_addr(&ev.gateway[1], cases[i].want);
		} else {
			assert_int_equal(ev.gateways_given, 0);
		}
		assert_int_equal(log_count > 0, cases[i].warned);
		if (cases[i].warned)
			assert_logged("vC: nd1_from=");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_reasons, setup),
		cmocka_unit_test_setup(test_bound, setup),
		cmocka_unit_test_setup(test_prefix_length_sources, setup),
		cmocka_unit_test_setup(test_host_lease_router_outside, setup),
		cmocka_unit_test_setup(test_router_list, setup),
		cmocka_unit_test_setup(test_bad_lease, setup),
		cmocka_unit_test_setup(test_bad_reason_or_interface, setup),
		cmocka_unit_test_setup(test_v6_addresses_from_kernel, setup),
		cmocka_unit_test_setup(test_ra_routers, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
