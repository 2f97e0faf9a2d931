// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: unit tests of the event itself: which interface names it takes, and why not. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "event.h"

/* The kernel's dev_valid_name() and sysctl's host-wide names, as one table. */
static const struct {
	const char *name;
	bool ok;
	const char *why;	/* a part of the reason, for refusals */
} names[] = {
	{ "eth0", true, NULL },
	{ "eth0.100", true, NULL },	/* a VLAN: '.' inside a name is fine */
	{ "a", true, NULL },
	{ "enp0s31f6-wan__", true, NULL },	/* 15 characters: the longest */
	{ "allx", true, NULL },
	{ "defaults", true, NULL },
	{ "All", true, NULL },		/* sysctl names are case-sensitive */
	{ "", false, "empty" },
	{ "enp0s31f6-wan___", false, "longer than 15" },
	{ ".", false, "not a valid interface name" },
	{ "..", false, "not a valid interface name" },
	{ "all", false, "host-wide" },
	{ "default", false, "host-wide" },
	{ "eth/1", false, "'/'" },
	{ "eth1:0", false, "':'" },
	{ "eth 1", false, "spaces" },
	{ "eth\t1", false, "spaces" },
	{ "eth\n1", false, "control" },
	{ "eth\x7f", false, "control" },
};

static void test_ifname(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct event ev;
		const char *why = NULL;
		int r;

		event_init(&ev, "test");
		r = event_set_ifname(&ev, names[i].name, &why);
		if (names[i].ok) {
			if (r != 0)
				fail_msg("'%s' refused: %s", names[i].name, why ? why : "?");
			assert_string_equal(ev.ifname, names[i].name);
			continue;
		}
		if (r != -EINVAL)
			fail_msg("'%s' taken as an interface name", names[i].name);
		assert_non_null(why);
		if (!strstr(why, names[i].why))
			fail_msg("'%s': reason '%s' lacks '%s'", names[i].name, why, names[i].why);
		assert_string_equal(ev.ifname, "");
	}
}

static void test_ifname_null(void **state)
{
	struct event ev;
	const char *why = NULL;

	(void)state;
	event_init(&ev, "test");
	assert_int_equal(event_set_ifname(&ev, NULL, &why), -EINVAL);
	assert_non_null(why);
}

static struct addr addr_n(int family, unsigned i)
{
	struct addr a;

	memset(&a, 0, sizeof(a));
	a.family = (uint8_t)family;
	if (family == AF_INET) {
		a.plen = 24;
		a.bytes[0] = 198;
		a.bytes[1] = 51;
		a.bytes[2] = 100;
		a.bytes[3] = (uint8_t)(i + 1);
	} else {
		a.plen = 64;
		a.bytes[0] = 0x20;
		a.bytes[1] = 0x01;
		a.bytes[2] = 0x0d;
		a.bytes[3] = 0xb8;
		a.bytes[15] = (uint8_t)(i + 1);
	}
	return a;
}

/* The bound is per family: 64 of each fit; the 65th of one family is marked for it alone. */
static void test_addrs_per_family(void **state)
{
	struct event ev;
	struct addr a;

	(void)state;
	event_init(&ev, "test");
	for (unsigned i = 0; i < EVENT_MAX_ADDRS; i++) {
		a = addr_n(AF_INET6, i);
		assert_int_equal(event_add_addr(&ev, &a), 0);
	}
	a = addr_n(AF_INET6, EVENT_MAX_ADDRS);
	assert_int_equal(event_add_addr(&ev, &a), -E2BIG);
	assert_int_equal(ev.addrs_overflow, EVENT_V6);
	for (unsigned i = 0; i < EVENT_MAX_ADDRS; i++) {
		a = addr_n(AF_INET, i);
		assert_int_equal(event_add_addr(&ev, &a), 0);
	}
	assert_int_equal(ev.n_addrs, 2 * EVENT_MAX_ADDRS);
	assert_int_equal(ev.addrs_overflow, EVENT_V6);
	a = addr_n(AF_INET, EVENT_MAX_ADDRS);
	assert_int_equal(event_add_addr(&ev, &a), -E2BIG);
	assert_int_equal(ev.addrs_overflow, EVENT_V4 | EVENT_V6);
	/* A duplicate is a duplicate, even at the bound. */
	a = addr_n(AF_INET, 0);
	assert_int_equal(event_add_addr(&ev, &a), -EEXIST);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ifname),
		cmocka_unit_test(test_ifname_null),
		cmocka_unit_test(test_addrs_per_family),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
