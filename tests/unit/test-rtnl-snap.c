// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: a snapshot answers each filtered question as the kernel's dump would, in its order. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "policy.h"
#include "rtnl-msg.h"
#include "rtnl-snap.h"

#define OURS 73

static struct addr A(const char *text)
{
	struct addr a;
	const char *why = NULL;

	assert_int_equal(addr_parse(&a, text, AF_UNSPEC, 0, &why), 0);
	return a;
}

/* One route as a row: what the kernel sent, in that order. */
struct route_row {
	const char *dst;
	uint32_t table, oif;
	uint8_t protocol;
};

/* The kernel's order: IPv4 before IPv6, tables not sorted (a snapshot must keep it). */
static const struct route_row kernel[] = {
	{ "198.51.100.0/25", 1000002, 2, OURS },	/* 0 */
	{ "0.0.0.0/0", 254, 2, 3 },			/* 1: main's default (boot) */
	{ "198.51.100.0/25", 254, 2, RTPROT_KERNEL },	/* 2 */
	{ "192.0.2.0/24", 254, 3, 186 },		/* 3: BGP: not kept */
	{ "203.0.113.0/25", 254, 3, RTPROT_KERNEL },	/* 4 */
	{ "198.51.100.0/25", 254, 3, RTPROT_KERNEL },	/* 5: the same subnet on 3 */
	{ "0.0.0.0/0", 254, 2, OURS },			/* 6 */
	{ "198.51.100.10/32", 255, 2, RTPROT_KERNEL },	/* 7: local: not kept */
	{ "0.0.0.0/0", 1000002, 2, OURS },		/* 8 */
	{ "10.9.0.0/16", 200, 3, 4 },			/* 9: someone's own table */
	{ "2001:db8:a::/64", 254, 2, RTPROT_RA },	/* 10 */
	{ "::/0", 1000002, 2, OURS },			/* 11 */
};

/* @r as the kernel would send it, and as the dump's parser reads it back. */
static void add(struct rtnl_snap *s, const struct route *r)
{
	char buf[RTNL_MSG_MAX];
	struct nlmsghdr *nlh = rtnl_msg_route(buf, RTM_NEWROUTE, 0, r);
	struct route parsed;

	assert_int_equal(rtnl_msg_parse_route(nlh, &parsed), 0);
	assert_int_equal(rtnl_snap_add_route(nlh, &parsed, s), 0);
}

static struct rtnl_snap *snap_of_kernel(void)
{
	struct rtnl_snap *s = rtnl_snap_new(OURS);

	assert_non_null(s);
	rtnl_snap_mark(s);
	for (size_t i = 0; i < sizeof(kernel) / sizeof(kernel[0]); i++) {
		struct route r;

		memset(&r, 0, sizeof(r));
		r.dst = A(kernel[i].dst);
		r.family = r.dst.family;
		r.type = RTN_UNICAST;
		r.scope = RT_SCOPE_UNIVERSE;
		r.table = kernel[i].table;
		r.oif = kernel[i].oif;
		r.protocol = kernel[i].protocol;
		r.metric = (uint32_t)i;	/* which row came back */
		add(s, &r);
	}
	assert_int_equal(rtnl_snap_seal(s), 0);
	return s;
}

static int collect(const struct nlmsghdr *nlh, void *data)
{
	char *out = data;
	struct route r;

	assert_int_equal(rtnl_msg_parse_route(nlh, &r), 0);
	snprintf(out + strlen(out), 128 - strlen(out), "%u ", r.metric);
	return 0;
}

static void test_route_questions(void **state)
{
	static const struct addr_row {
		const char *what;
		struct rtnl_snap_filter f;
		const char *dst;	/* filter on it, or NULL */
		const char *want;	/* rows in the order they must come */
	} rows[] = {
		{ "every route of a family, in the kernel's order (not main's BGP, not local)",
		  { .family = AF_INET }, NULL, "0 1 2 4 5 6 8 9 " },
		{ "both families", { 0 }, NULL, "0 1 2 4 5 6 8 9 10 11 " },
		{ "one table", { .family = AF_INET, .table = 1000002 }, NULL, "0 8 " },
		{ "main", { .family = AF_INET, .table = 254 }, NULL, "1 2 4 5 6 " },
		{ "main through one interface", { .family = AF_INET, .table = 254, .oif = 2 },
		  NULL, "1 2 6 " },
		{ "every table through one interface", { .family = AF_INET, .oif = 3 }, NULL,
		  "4 5 9 " },
		{ "main's connected routes (kernel)", { .family = AF_INET, .table = 254,
		  .protocol = RTPROT_KERNEL }, NULL, "2 4 5 " },
		{ "one destination in main, any interface", { .family = AF_INET, .table = 254,
		  .protocol = RTPROT_KERNEL }, "198.51.100.0/25", "2 5 " },
		{ "a destination with another prefix length is another", { .family = AF_INET,
		  .table = 254 }, "198.51.100.0/24", "" },
		{ "IPv6 router advertisements", { .family = AF_INET6, .table = 254,
		  .protocol = RTPROT_RA }, NULL, "10 " },
		{ "a table nobody has", { .family = AF_INET, .table = 7 }, NULL, "" },
		{ "an interface with nothing", { .family = AF_INET6, .oif = 3 }, NULL, "" },
	};
	struct rtnl_snap *s = snap_of_kernel();

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct rtnl_snap_filter f = rows[i].f;
		struct addr dst;
		char got[128] = "";

		if (rows[i].dst) {
			dst = A(rows[i].dst);
			f.dst = &dst;
		}
		assert_int_equal(rtnl_snap_routes(s, &f, collect, got), 0);
		if (strcmp(got, rows[i].want) != 0)
			fail_msg("%s: rows \"%s\", expected \"%s\"", rows[i].what, got, rows[i].want);
	}
	rtnl_snap_free(s);
}

/* A dump the kernel marks interrupted is read again: what its first try kept goes. */
static void test_restart(void **state)
{
	struct rtnl_snap *s = rtnl_snap_new(OURS);
	char got[128] = "";
	struct route r;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.dst = A("198.51.100.0/25");
	r.family = AF_INET;
	r.type = RTN_UNICAST;
	r.table = 100;
	r.protocol = OURS;
	rtnl_snap_mark(s);
	r.metric = 1;
	add(s, &r);
	rtnl_snap_mark(s);
	r.metric = 2;
	add(s, &r);
	rtnl_snap_restart(s);
	r.metric = 3;
	add(s, &r);
	assert_int_equal(rtnl_snap_seal(s), 0);
	assert_int_equal(rtnl_snap_routes(s, &(struct rtnl_snap_filter){ .family = AF_INET },
					  collect, got), 0);
	assert_string_equal(got, "1 3 ");
	/* Links: the ones this namespace has (lo is 1 everywhere). */
	assert_true(rtnl_snap_link(s, 1));
	assert_false(rtnl_snap_link(s, 0x7ffffff0));
	rtnl_snap_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_route_questions),
		cmocka_unit_test(test_restart),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
