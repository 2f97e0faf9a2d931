// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: unit tests of the dhclient front end, fed environments captured from real dhclient. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "fixture.h"

#include "addr.h"
#include "env-dhclient.h"
#include "event.h"
#include "log.h"

/* ---- captured log lines ---- */

static char log_last[1024];
static int log_count;

static void log_capture(int priority, const char *msg)
{
	(void)priority;
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

/* Read a fixture (with changes) and return env_dhclient_read()'s result. */
static int read_fixture(struct event *ev, const char *name, const char *const *set)
{
	struct fixture f;
	int r;

	fixture_load(&f, "dhclient", name);
	for (; set && *set; set++) {
		if ((*set)[0] == '-')
			fixture_unset(&f, *set + 1);
		else
			fixture_set(&f, *set);
	}
	r = env_dhclient_read(ev, f.vars);
	fixture_free(&f);
	return r;
}

/* ---- leases ---- */

static void test_bound(void **state)
{
	struct event ev;

	(void)state;
	assert_int_equal(read_fixture(&ev, "bound.env", NULL), 0);
	assert_int_equal(ev.action, EVENT_UP);
	assert_string_equal(ev.ifname, "vc0");
	assert_string_equal(ev.origin, "dhclient");
	assert_false(ev.strict_addrs);
	assert_int_equal(ev.families, EVENT_V4);
	assert_int_equal(ev.addrs_given, EVENT_V4);
	assert_int_equal(ev.n_addrs, 1);
	assert_addr(&ev.addrs[0], "198.51.100.51/24");
	assert_int_equal(ev.gateways_given, EVENT_V4);
	assert_addr(&ev.gateway[0], "198.51.100.1");
	assert_int_equal(ev.has, 0);
	assert_int_equal(log_count, 0);
}

static void test_renew(void **state)
{
	struct event ev;

	(void)state;
	assert_int_equal(read_fixture(&ev, "renew.env", NULL), 0);
	assert_int_equal(ev.action, EVENT_UP);
	assert_int_equal(ev.n_addrs, 1);
	assert_addr(&ev.addrs[0], "198.51.100.51/24");
	assert_addr(&ev.gateway[0], "198.51.100.1");
	assert_int_equal(log_count, 0);
}

/*
 * A renewal that changes the address. As captured from dnsmasq with a changed reservation,
 * the server NAKs, dhclient reports EXPIRE, then BOUND with the new address; a RENEW whose
 * new_ip_address differs from old_ip_address (another server's way) must give the new one
 * only: the core replaces the old rule.
 */
static void test_changed_address(void **state)
{
	static const char *const renew_changed[] = { "new_ip_address=198.51.100.57",
						      "new_routers=198.51.100.2", NULL };
	struct event ev;

	(void)state;
	assert_int_equal(read_fixture(&ev, "expire.env", NULL), 0);
	assert_int_equal(ev.action, EVENT_DOWN);
	assert_int_equal(ev.families, EVENT_V4);
	assert_int_equal(ev.n_addrs, 0);

	assert_int_equal(read_fixture(&ev, "bound-changed.env", NULL), 0);
	assert_int_equal(ev.action, EVENT_UP);
	assert_int_equal(ev.n_addrs, 1);
	assert_addr(&ev.addrs[0], "198.51.100.52/24");

	assert_int_equal(read_fixture(&ev, "renew-after-change.env", NULL), 0);
	assert_int_equal(ev.action, EVENT_UP);
	assert_addr(&ev.addrs[0], "198.51.100.52/24");

	assert_int_equal(read_fixture(&ev, "renew.env", renew_changed), 0);
	assert_int_equal(ev.action, EVENT_UP);
	assert_int_equal(ev.n_addrs, 1);
	assert_addr(&ev.addrs[0], "198.51.100.57/24");
	assert_addr(&ev.gateway[0], "198.51.100.2");
	assert_int_equal(log_count, 0);
}

static void test_release(void **state)
{
	struct event ev;

	(void)state;
	assert_int_equal(read_fixture(&ev, "release.env", NULL), 0);
	assert_int_equal(ev.action, EVENT_DOWN);
	assert_string_equal(ev.ifname, "vc0");
	assert_int_equal(ev.families, EVENT_V4);
	assert_int_equal(ev.addrs_given, 0);
	assert_int_equal(log_count, 0);
}

static void test_down_reasons(void **state)
{
	static const char *const v4[] = { "EXPIRE", "FAIL", "RELEASE", "STOP" };
	static const char *const v6[] = { "EXPIRE6", "RELEASE6", "STOP6" };
	char assignment[64];
	const char *set[] = { assignment, NULL };
	struct event ev;

	(void)state;
	for (size_t i = 0; i < sizeof(v4) / sizeof(v4[0]); i++) {
		snprintf(assignment, sizeof(assignment), "reason=%s", v4[i]);
		assert_int_equal(read_fixture(&ev, "release.env", set), 0);
		assert_int_equal(ev.action, EVENT_DOWN);
		assert_int_equal(ev.families, EVENT_V4);
	}
	for (size_t i = 0; i < sizeof(v6) / sizeof(v6[0]); i++) {
		snprintf(assignment, sizeof(assignment), "reason=%s", v6[i]);
		assert_int_equal(read_fixture(&ev, "bound6.env", set), 0);
		assert_int_equal(ev.action, EVENT_DOWN);
		assert_int_equal(ev.families, EVENT_V6);
	}
	assert_int_equal(log_count, 0);
}

static void test_up_reasons(void **state)
{
	static const char *const v4[] = { "REBIND", "REBOOT", "TIMEOUT" };
	char assignment[64];
	const char *set[] = { assignment, NULL };
	struct event ev;

	(void)state;
	for (size_t i = 0; i < sizeof(v4) / sizeof(v4[0]); i++) {
		snprintf(assignment, sizeof(assignment), "reason=%s", v4[i]);
		assert_int_equal(read_fixture(&ev, "bound.env", set), 0);
		assert_int_equal(ev.action, EVENT_UP);
		assert_int_equal(ev.families, EVENT_V4);
		assert_addr(&ev.addrs[0], "198.51.100.51/24");
	}
}

static void test_bound6(void **state)
{
	static const char *const renew6[] = { "reason=RENEW6", NULL };
	static const char *const no_addr[] = { "-new_ip6_address", NULL };
	struct event ev;

	(void)state;
	assert_int_equal(read_fixture(&ev, "bound6.env", NULL), 0);
	assert_int_equal(ev.action, EVENT_UP);
	assert_string_equal(ev.ifname, "vc0");
	assert_int_equal(ev.families, EVENT_V6);
	assert_int_equal(ev.addrs_given, EVENT_V6);
	assert_int_equal(ev.n_addrs, 1);
	assert_addr(&ev.addrs[0], "2001:db8:a::15f/128");
	assert_int_equal(ev.gateways_given, 0);	/* routers come from RAs, not DHCPv6 */

	assert_int_equal(read_fixture(&ev, "bound6.env", renew6), 0);
	assert_int_equal(ev.action, EVENT_UP);

	/* a prefix delegation only: the kernel's addresses */
	assert_int_equal(read_fixture(&ev, "bound6.env", no_addr), 0);
	assert_int_equal(ev.action, EVENT_UP);
	assert_int_equal(ev.addrs_given, 0);
	assert_int_equal(log_count, 0);
}

static void test_ignored(void **state)
{
	static const char *const reasons[] = { "PREINIT6", "MEDIUM", "ARPCHECK", "ARPSEND",
					       "DEPREF6", "NBI", "SOMETHING_NEW" };
	char assignment[64];
	const char *set[] = { assignment, NULL };
	struct event ev;

	(void)state;
	assert_int_equal(read_fixture(&ev, "preinit.env", NULL), 0);
	assert_int_equal(ev.action, EVENT_IGNORE);
	assert_int_equal(ev.families, 0);
	for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++) {
		snprintf(assignment, sizeof(assignment), "reason=%s", reasons[i]);
		assert_int_equal(read_fixture(&ev, "bound.env", set), 0);
		assert_int_equal(ev.action, EVENT_IGNORE);
	}
	assert_int_equal(log_count, 0);
}

static void test_no_subnet_mask(void **state)
{
	static const char *const set[] = { "-new_subnet_mask", NULL };
	struct event ev;

	(void)state;
	/* dhclient-script then adds the bare address: a /32 */
	assert_int_equal(read_fixture(&ev, "bound.env", set), 0);
	assert_addr(&ev.addrs[0], "198.51.100.51/32");
}

/* ---- routers come from the network ---- */

static void test_routers(void **state)
{
	static const char *const two[] = { "new_routers=198.51.100.1 198.51.100.2", NULL };
	static const char *const bad_first[] = {
		"new_routers=198.51.100.300 0.0.0.0 198.51.100.51 198.51.100.2", NULL
	};
	static const char *const all_bad[] = { "new_routers=router.example", NULL };
	static const char *const none[] = { "-new_routers", NULL };
	struct event ev;

	(void)state;
	assert_int_equal(read_fixture(&ev, "bound.env", two), 0);
	assert_addr(&ev.gateway[0], "198.51.100.1");
	assert_int_equal(log_count, 0);

	/* the first valid router; each invalid one is named in a warning */
	assert_int_equal(read_fixture(&ev, "bound.env", bad_first), 0);
	assert_int_equal(ev.action, EVENT_UP);
	assert_int_equal(ev.gateways_given, EVENT_V4);
	assert_addr(&ev.gateway[0], "198.51.100.2");
	assert_int_equal(log_count, 3);
	assert_string_equal(log_last, "new_routers='198.51.100.300 0.0.0.0 198.51.100.51 "
				      "198.51.100.2': skipping '198.51.100.51': an address of the interface itself");

	/* none valid: no gateway given (the core takes main's default via the interface) */
	log_count = 0;
	assert_int_equal(read_fixture(&ev, "bound.env", all_bad), 0);
	assert_int_equal(ev.action, EVENT_UP);
	assert_int_equal(ev.gateways_given, 0);
	assert_int_equal(log_count, 1);
	assert_string_equal(log_last,
			    "new_routers='router.example': skipping 'router.example': not an IPv4 address");

	log_count = 0;
	assert_int_equal(read_fixture(&ev, "bound.env", none), 0);
	assert_int_equal(ev.gateways_given, 0);
	assert_int_equal(log_count, 0);
}

/* The lease's own broadcast and network addresses are no routers; the next one is taken. */
static void test_routers_of_the_subnet(void **state)
{
	static const struct {
		const char *routers, *want, *why;
	} cases[] = {
		{ "198.51.100.255 198.51.100.2", "198.51.100.2", "the subnet's broadcast address" },
		{ "198.51.100.0 198.51.100.2", "198.51.100.2", "the subnet's network address" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char routers[96];
		const char *set[] = { routers, NULL };
		struct event ev;

		snprintf(routers, sizeof(routers), "new_routers=%s", cases[i].routers);
		setup(NULL);
		assert_int_equal(read_fixture(&ev, "bound.env", set), 0);
		assert_addr(&ev.gateway[0], cases[i].want);
		assert_int_equal(log_count, 1);
		assert_non_null(strstr(log_last, cases[i].why));
		assert_false(ev.has & EVENT_HAS_ONLINK);
	}
}

/* A cloud's /32 lease with its router outside the prefix: the router, on the link. */
static void test_host_lease_router_outside(void **state)
{
	static const char *const set[] = { "new_subnet_mask=255.255.255.255",
					   "new_routers=198.51.100.1", NULL };
	struct event ev;

	(void)state;
	assert_int_equal(read_fixture(&ev, "bound.env", set), 0);
	assert_addr(&ev.addrs[0], "198.51.100.51/32");
	assert_addr(&ev.gateway[0], "198.51.100.1");
	assert_int_equal(ev.has & EVENT_HAS_ONLINK, EVENT_HAS_ONLINK);
	assert_true(ev.onlink);
	assert_int_equal(log_count, 0);
}

/* ---- bad values: one line naming the variable ---- */

static void test_bad_values(void **state)
{
	static const struct {
		const char *set[3];
		const char *line;
	} cases[] = {
		{ { "new_ip_address=198.51.100.300" }, "new_ip_address='198.51.100.300': not an IPv4 address" },
		{ { "new_ip_address=198.51.100.51/24" },
		  "new_ip_address='198.51.100.51/24': an address without a prefix length is expected" },
		{ { "new_ip_address=224.0.0.5" }, "new_ip_address='224.0.0.5': not a unicast interface address" },
		{ { "-new_ip_address" }, "new_ip_address='': missing: no leased address" },
		{ { "new_subnet_mask=255.0.255.0" }, "new_subnet_mask='255.0.255.0': not a contiguous IPv4 netmask" },
		{ { "interface=" }, "interface='': empty interface name" },
		{ { "interface=eth0/1" },
		  "interface='eth0/1': interface names cannot hold '/', ':', spaces or control characters" },
		{ { "-reason" }, "reason='': missing: symroute dhclient-hook runs from dhclient-script" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct event ev;

		log_count = 0;
		log_last[0] = '\0';
		if (read_fixture(&ev, "bound.env", cases[i].set) != -EINVAL)
			fail_msg("case %zu (%s): not refused", i, cases[i].set[0]);
		if (log_count != 1)
			fail_msg("case %zu: %d log lines, expected 1", i, log_count);
		if (strcmp(log_last, cases[i].line) != 0)
			fail_msg("case %zu: got \"%s\", expected \"%s\"", i, log_last, cases[i].line);
	}
}

static void test_bad_ip6(void **state)
{
	static const char *const bad[] = { "new_ip6_address=2001:db8:a::15g", NULL };
	static const char *const plen[] = { "new_ip6_prefixlen=129", NULL };
	struct event ev;

	(void)state;
	assert_int_equal(read_fixture(&ev, "bound6.env", bad), -EINVAL);
	assert_string_equal(log_last, "new_ip6_address='2001:db8:a::15g': not an IPv6 address");
	assert_int_equal(read_fixture(&ev, "bound6.env", plen), -EINVAL);
	assert_string_equal(log_last, "new_ip6_prefixlen='129': not a prefix length from 0 to 128");
	assert_int_equal(log_count, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_bound, setup),
		cmocka_unit_test_setup(test_renew, setup),
		cmocka_unit_test_setup(test_changed_address, setup),
		cmocka_unit_test_setup(test_release, setup),
		cmocka_unit_test_setup(test_down_reasons, setup),
		cmocka_unit_test_setup(test_up_reasons, setup),
		cmocka_unit_test_setup(test_bound6, setup),
		cmocka_unit_test_setup(test_ignored, setup),
		cmocka_unit_test_setup(test_no_subnet_mask, setup),
		cmocka_unit_test_setup(test_routers, setup),
		cmocka_unit_test_setup(test_routers_of_the_subnet, setup),
		cmocka_unit_test_setup(test_host_lease_router_outside, setup),
		cmocka_unit_test_setup(test_bad_values, setup),
		cmocka_unit_test_setup(test_bad_ip6, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
