// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: unit tests of the event itself: which interface names it takes, and why not. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ifname),
		cmocka_unit_test(test_ifname_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
