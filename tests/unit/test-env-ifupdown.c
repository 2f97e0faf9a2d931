// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: unit tests of the ifupdown front end, fed environments captured from real ifup runs. */
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
#include "env-ifupdown.h"
#include "event.h"
#include "log.h"
#include "options.h"

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
	/* No table names from the host: only numbers resolve. */
	options_rt_tables_dir = FIXTURE_DIR "/ifupdown";
	return 0;
}

static void assert_addr(const struct addr *a, const char *text)
{
	char buf[ADDR_STRLEN];

	assert_string_equal(addr_format(a, strchr(text, '/') != NULL, buf), text);
}

/* Read a fixture (with changes) and return env_ifupdown_read()'s result. */
static int read_fixture(struct event *ev, const char *name, const char *const *set)
{
	struct fixture f;
	int r;

	fixture_load(&f, "ifupdown", name);
	for (; set && *set; set++) {
		if ((*set)[0] == '-')
			fixture_unset(&f, *set + 1);
		else
			fixture_set(&f, *set);
	}
	r = env_ifupdown_read(ev, f.vars);
	fixture_free(&f);
	return r;
}

/* A bad value: -EINVAL and exactly one line, which starts with @prefix. */
static void assert_refused(const char *name, const char *const *set, const char *prefix)
{
	struct event ev;

	assert_int_equal(read_fixture(&ev, name, set), -EINVAL);
	assert_int_equal(log_count, 1);
	if (strncmp(log_last, prefix, strlen(prefix)) != 0)
		fail_msg("log line \"%s\" does not start with \"%s\"", log_last, prefix);
}

/* ---- ifup: the if-up.d hook ---- */

static void test_static_inet_split_netmask(void **state)
{
	struct event ev;

	(void)state;
	assert_int_equal(read_fixture(&ev, "static-inet-post-up.env", NULL), 0);
	assert_int_equal(ev.action, EVENT_UP);
	assert_string_equal(ev.ifname, "ifbA");
	assert_string_equal(ev.origin, "ifupdown");
	assert_int_equal(ev.families, EVENT_V4);
	/* checked and kept, but the kernel's addresses are routed for (several stanzas) */
	assert_int_equal(ev.addrs_given, 0);
	assert_false(ev.strict_addrs);
	assert_int_equal(ev.n_addrs, 1);
	assert_addr(&ev.addrs[0], "198.51.100.10/24");
	assert_int_equal(ev.gateways_given, EVENT_V4);
	assert_addr(&ev.gateway[0], "198.51.100.1");
	assert_int_equal(ev.has, 0);	/* foo-table and multi_table are not ours */
	assert_int_equal(log_count, 0);
}

static void test_static_inet_cidr_no_gateway(void **state)
{
	struct event ev;

	(void)state;
	assert_int_equal(read_fixture(&ev, "static-inet-cidr-post-up.env", NULL), 0);
	assert_int_equal(ev.action, EVENT_UP);
	assert_string_equal(ev.ifname, "ifbB");
	assert_int_equal(ev.n_addrs, 1);
	assert_addr(&ev.addrs[0], "203.0.113.10/24");
	assert_int_equal(ev.gateways_given, 0);
	assert_int_equal(log_count, 0);
}

static void test_static_address_with_length(void **state)
{
	static const char *const set[] = { "IF_ADDRESS=203.0.113.10/25", "-IF_NETMASK", NULL };
	static const char *const both[] = { "IF_ADDRESS=203.0.113.10/24", NULL };
	static const char *const none[] = { "-IF_NETMASK", NULL };
	static const char *const len[] = { "IF_NETMASK=25", NULL };
	struct event ev;

	(void)state;
	assert_int_equal(read_fixture(&ev, "static-inet-cidr-post-up.env", set), 0);
	assert_addr(&ev.addrs[0], "203.0.113.10/25");
	/* address with a length and a netmask that agrees */
	assert_int_equal(read_fixture(&ev, "static-inet-cidr-post-up.env", both), 0);
	assert_addr(&ev.addrs[0], "203.0.113.10/24");
	/* no netmask at all: a host address, as `ip addr add` takes it */
	assert_int_equal(read_fixture(&ev, "static-inet-cidr-post-up.env", none), 0);
	assert_addr(&ev.addrs[0], "203.0.113.10/32");
	/* `netmask 25` stays "25" in IF_NETMASK for inet */
	assert_int_equal(read_fixture(&ev, "static-inet-cidr-post-up.env", len), 0);
	assert_addr(&ev.addrs[0], "203.0.113.10/25");
	assert_int_equal(log_count, 0);
}

static void test_static_inet6(void **state)
{
	struct event ev;

	(void)state;
	assert_int_equal(read_fixture(&ev, "static-inet6-post-up.env", NULL), 0);
	assert_int_equal(ev.action, EVENT_UP);
	assert_string_equal(ev.ifname, "ifbA");
	assert_int_equal(ev.families, EVENT_V6);
	assert_int_equal(ev.addrs_given, 0);
	assert_int_equal(ev.n_addrs, 1);
	assert_addr(&ev.addrs[0], "2001:db8:a::10/64");
	assert_int_equal(ev.gateways_given, EVENT_V6);
	assert_addr(&ev.gateway[1], "2001:db8:a::1");
	assert_int_equal(ev.gateway[0].family, 0);
	assert_int_equal(log_count, 0);
}

static void test_inet6_link_local_gateway(void **state)
{
	static const char *const set[] = { "IF_GATEWAY=fe80::1", NULL };
	struct event ev;

	(void)state;
	assert_int_equal(read_fixture(&ev, "static-inet6-post-up.env", set), 0);
	assert_addr(&ev.gateway[1], "fe80::1");
}

static void test_logical_name(void **state)
{
	struct event ev;

	(void)state;
	/* `ifup ifbA=work`: the stanza is "work", the link is ifbA. */
	assert_int_equal(read_fixture(&ev, "logical-post-up.env", NULL), 0);
	assert_int_equal(ev.action, EVENT_UP);
	assert_string_equal(ev.ifname, "ifbA");
	assert_addr(&ev.addrs[0], "198.51.100.20/24");
	assert_int_equal(ev.gateways_given, 0);
}

/* An alias stanza (`iface vA:1 inet static`) is vA's: its address, vA's table. */
static void test_alias(void **state)
{
	static const char *const gw[] = { "IF_GATEWAY=198.51.100.1", NULL };
	static const char *const off[] = { "IF_SYMROUTE=off", NULL };
	static const char *const table[] = { "IF_SYMROUTE_TABLE=100", NULL };
	struct event ev;

	(void)state;
	assert_int_equal(read_fixture(&ev, "alias-post-up.env", NULL), 0);
	assert_int_equal(ev.action, EVENT_UP);
	assert_string_equal(ev.ifname, "vA");
	assert_int_equal(ev.families, EVENT_V4);
	assert_int_equal(ev.n_addrs, 1);
	assert_addr(&ev.addrs[0], "198.51.100.11/24");
	assert_int_equal(ev.addrs_given, 0);
	assert_int_equal(ev.gateways_given, 0);
	assert_int_equal(log_count, 0);

	/* The stanza's options are read as any stanza's. */
	assert_int_equal(read_fixture(&ev, "alias-post-up.env", gw), 0);
	assert_int_equal(ev.gateways_given, EVENT_V4);
	assert_int_equal(read_fixture(&ev, "alias-post-up.env", table), 0);
	assert_true(ev.has & EVENT_HAS_TABLE);
	assert_int_equal(ev.table, 100);

	/* ifdown vA:1 and `symroute off` there leave vA's table and rules alone. */
	assert_int_equal(read_fixture(&ev, "alias-pre-down.env", NULL), 0);
	assert_int_equal(ev.action, EVENT_IGNORE);
	assert_int_equal(read_fixture(&ev, "alias-post-up.env", off), 0);
	assert_int_equal(ev.action, EVENT_IGNORE);
}

static void test_alias_refused(void **state)
{
	static const char *const empty_label[] = { "IFACE=vA:", NULL };
	static const char *const no_name[] = { "IFACE=:1", NULL };
	static const char *const too_long[] = { "IFACE=vA:0123456789abc", NULL };
	static const char *const bad_name[] = { "IFACE=v/A:1", NULL };
	static const char *const long_name[] = { "IFACE=0123456789abcdef:1", NULL };

	(void)state;
	assert_refused("alias-post-up.env", empty_label,
		       "IFACE='vA:': not an interface or an alias (NAME:LABEL)");
	log_count = 0;
	assert_refused("alias-post-up.env", no_name,
		       "IFACE=':1': not an interface or an alias (NAME:LABEL)");
	log_count = 0;
	assert_refused("alias-post-up.env", too_long,
		       "IFACE='vA:0123456789abc': alias longer than 15 characters");
	log_count = 0;
	assert_refused("alias-post-up.env", bad_name, "IFACE='v/A:1': interface names cannot");
	log_count = 0;
	assert_refused("alias-post-up.env", long_name,
		       "IFACE='0123456789abcdef:1': alias longer than 15 characters");
}

static void test_dhcp(void **state)
{
	static const char *const with_options[] = { "IF_SYMROUTE_TABLE=100", "IF_SYMROUTE=off", NULL };
	static const char *const bad_option[] = { "IF_SYMROUTE_TABLE=bogus", NULL };
	struct event ev;

	(void)state;
	/* inet dhcp: dhclient's exit hook applied the lease (BOUND) and knows the router */
	assert_int_equal(read_fixture(&ev, "dhcp-post-up.env", NULL), 0);
	assert_int_equal(ev.action, EVENT_IGNORE);
	assert_int_equal(ev.families, 0);
	assert_int_equal(log_count, 0);

	/* its symroute-* options cannot reach dhclient's renewals: one warning, nothing else */
	assert_int_equal(read_fixture(&ev, "dhcp-post-up.env", with_options), 0);
	assert_int_equal(ev.action, EVENT_IGNORE);
	assert_int_equal(log_count, 1);
	assert_string_equal(log_last, "symroute-table: not applied to an `inet dhcp` stanza: "
				      "dhclient's exit hook applies the lease and its renewals, and "
				      "cannot see the stanza's options (host-wide defaults are in "
				      "symroute.conf)");

	/* ifdown: all of ours for IPv4 goes, whatever the options say */
	log_count = 0;
	assert_int_equal(read_fixture(&ev, "dhcp-pre-down.env", bad_option), 0);
	assert_int_equal(ev.action, EVENT_DOWN);
	assert_string_equal(ev.ifname, "vc0");
	assert_int_equal(ev.families, EVENT_V4);
	assert_int_equal(ev.has, 0);
	assert_int_equal(log_count, 0);

	/* inet6 dhcp: the addresses from the kernel, the gateway from main (RAs) */
	assert_int_equal(read_fixture(&ev, "dhcp6-post-up.env", NULL), 0);
	assert_int_equal(ev.action, EVENT_UP);
	assert_string_equal(ev.ifname, "vc0");
	assert_int_equal(ev.families, EVENT_V6);
	assert_int_equal(ev.addrs_given, 0);
	assert_int_equal(ev.gateways_given, 0);
	assert_int_equal(ev.n_addrs, 0);
	assert_int_equal(log_count, 0);
}

static void test_manual_from_kernel(void **state)
{
	static const char *const set[] = { "METHOD=manual", "-IF_ADDRESS", "-IF_NETMASK",
					   "-IF_GATEWAY", "-IF_BROADCAST", NULL };
	struct event ev;

	(void)state;
	assert_int_equal(read_fixture(&ev, "static-inet-post-up.env", set), 0);
	assert_int_equal(ev.action, EVENT_UP);
	assert_int_equal(ev.addrs_given, 0);
	assert_int_equal(ev.gateways_given, 0);
}

/* ---- ifupdown2 and ifupdown-ng: one call for both families ---- */

#define MAX_SET 6

/*
 * Each dialect's call, captured from the real program (fixtures ifupdown2-*, ng-*), with
 * changes: what the event says. An address or gateway "" is not expected.
 */
struct dialect_case {
	const char *what;
	const char *fixture;
	const char *set[MAX_SET];
	enum event_action action;
	unsigned families;
	const char *addrs[3];
	const char *gw4, *gw6;
	uint32_t table;		/* 0: no table option */
};

static const struct dialect_case dialect_cases[] = {
	{ "ifupdown2: inet and inet6 stanzas merged (ADDRFAM=inet,inet6)",
	  "ifupdown2-merged-up.env", { NULL }, EVENT_UP, EVENT_V4 | EVENT_V6,
	  { "203.0.113.20/25" }, "203.0.113.1", "fe80::2", 200 },
	{ "ifupdown2: the first stanza's `gateway` only; IPv6's from main",
	  "ifupdown2-gateway-up.env", { NULL }, EVENT_UP, EVENT_V4 | EVENT_V6,
	  { "198.51.100.10/25" }, "198.51.100.1", NULL, 0 },
	{ "ifupdown2 3.0.0: ADDRFAM, LOGICAL and METHOD missing (first interface)",
	  "ifupdown2-merged-up.env", { "-ADDRFAM", "-LOGICAL", "-METHOD" }, EVENT_UP,
	  EVENT_V4 | EVENT_V6, { "203.0.113.20/25" }, "203.0.113.1", "fe80::2", 200 },
	{ "ifupdown2 3.0.0: ADDRFAM empty, METHOD stale `loopback` (lo's)",
	  "ifupdown2-merged-up.env", { "ADDRFAM=", "METHOD=loopback", "LOGICAL=lo" }, EVENT_UP,
	  EVENT_V4 | EVENT_V6, { "203.0.113.20/25" }, "203.0.113.1", "fe80::2", 200 },
	{ "ifupdown2: a list in another order, with a non-IP family",
	  "ifupdown2-merged-up.env", { "ADDRFAM=inet6,can,inet" }, EVENT_UP,
	  EVENT_V4 | EVENT_V6, { "203.0.113.20/25" }, "203.0.113.1", "fe80::2", 200 },
	{ "ifupdown2: a single-family stanza says exactly that family",
	  "ifupdown2-merged-up.env", { "ADDRFAM=inet6", "IF_ADDRESS=2001:db8:b::20/64" },
	  EVENT_UP, EVENT_V6, { "2001:db8:b::20/64" }, NULL, "fe80::2", 200 },
	{ "ifupdown2: PHASE=down is the if-down.d call",
	  "ifupdown2-merged-up.env", { "MODE=stop", "PHASE=down" }, EVENT_DOWN,
	  EVENT_V4 | EVENT_V6, { NULL }, NULL, NULL, 200 },
	{ "ifupdown2: merged `inet dhcp` first: IPv4 is dhclient's, IPv6 read here",
	  "ifupdown2-merged-up.env", { "METHOD=dhcp", "-IF_ADDRESS" }, EVENT_UP, EVENT_V6,
	  { NULL }, NULL, "fe80::2", 200 },
	{ "ifupdown-ng: METHOD=none, no ADDRFAM, IF_ADDRESSES of both families",
	  "ng-up.env", { NULL }, EVENT_UP, EVENT_V4 | EVENT_V6,
	  { "203.0.113.20/25", "2001:db8:b::20/64" }, "203.0.113.1", "fe80::2", 200 },
	{ "ifupdown-ng: `gateway` per stanza arrives whole in IF_GATEWAYS",
	  "ng-gateways-up.env", { NULL }, EVENT_UP, EVENT_V4 | EVENT_V6,
	  { "198.51.100.10/25", "2001:db8:a::10/64" }, "198.51.100.1", "2001:db8:a::1", 0 },
	{ "ifupdown-ng: symroute-gateway of one family, `gateway` for the other",
	  "ng-gateways-up.env", { "IF_SYMROUTE_GATEWAY=fe80::9" }, EVENT_UP,
	  EVENT_V4 | EVENT_V6, { "198.51.100.10/25", "2001:db8:a::10/64" }, "198.51.100.1",
	  "fe80::9", 0 },
	{ "ifupdown-ng: the hook's ifquery list of merged stanzas repeats a gateway: no conflict",
	  "ng-up.env", { "IF_SYMROUTE_GATEWAY=203.0.113.1 fe80::2 203.0.113.1 fe80::2 " }, EVENT_UP,
	  EVENT_V4 | EVENT_V6, { "203.0.113.20/25", "2001:db8:b::20/64" }, "203.0.113.1", "fe80::2",
	  200 },
	{ "ifupdown-ng: only IF_ADDRESS (an older ifupdown-ng)",
	  "ng-up.env", { "-IF_ADDRESSES" }, EVENT_UP, EVENT_V4 | EVENT_V6,
	  { "203.0.113.20/25" }, "203.0.113.1", "fe80::2", 200 },
	{ "ifupdown-ng: `use dhcp`: IPv4 is the DHCP client's",
	  "ng-up.env", { "IF_USE=dhcp" }, EVENT_UP, EVENT_V6, { "2001:db8:b::20/64" }, NULL,
	  "fe80::2", 200 },
	{ "ifupdown-ng: if-down.d, the addresses already flushed",
	  "ng-down.env", { NULL }, EVENT_DOWN, EVENT_V4 | EVENT_V6, { NULL }, NULL, NULL, 200 },
	{ "ifupdown-ng: `symroute off`", "ng-up.env", { "IF_SYMROUTE=off" }, EVENT_DOWN,
	  EVENT_V4 | EVENT_V6, { NULL }, NULL, NULL, 200 },
	{ "ifupdown 0.8: symroute-gateway list in an inet stanza: its IPv4 gateway",
	  "static-inet-post-up.env", { "IF_SYMROUTE_GATEWAY=198.51.100.2 fe80::2" }, EVENT_UP,
	  EVENT_V4, { "198.51.100.10/24" }, "198.51.100.2", NULL, 0 },
	{ "ifupdown 0.8: the same list in the inet6 stanza: its IPv6 gateway",
	  "static-inet6-post-up.env", { "IF_SYMROUTE_GATEWAY=198.51.100.2 fe80::2" }, EVENT_UP,
	  EVENT_V6, { "2001:db8:a::10/64" }, NULL, "fe80::2", 0 },
};

static void test_dialects(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(dialect_cases) / sizeof(dialect_cases[0]); i++) {
		const struct dialect_case *c = &dialect_cases[i];
		unsigned n = 0, gws = 0;
		struct event ev;

		log_count = 0;
		if (read_fixture(&ev, c->fixture, c->set) != 0)
			fail_msg("%s: refused (%s)", c->what, log_last);
		if (ev.action != c->action || ev.families != c->families)
			fail_msg("%s: action %d families %u, expected %d %u", c->what, ev.action,
				 ev.families, c->action, c->families);
		assert_string_equal(ev.ifname, c->fixture[0] == 's' ? "ifbA" :
					       strstr(c->fixture, "gateway") ? "eth0" : "eth1");
		assert_int_equal(ev.addrs_given, 0);	/* the kernel's addresses are routed for */
		while (n < 3 && c->addrs[n])
			n++;
		if (ev.n_addrs != n)
			fail_msg("%s: %u addresses, expected %u", c->what, ev.n_addrs, n);
		for (unsigned k = 0; k < n; k++)
			assert_addr(&ev.addrs[k], c->addrs[k]);
		gws = (c->gw4 ? EVENT_V4 : 0) | (c->gw6 ? EVENT_V6 : 0);
		if (ev.gateways_given != gws)
			fail_msg("%s: gateways %u, expected %u", c->what, ev.gateways_given, gws);
		if (c->gw4)
			assert_addr(&ev.gateway[0], c->gw4);
		if (c->gw6)
			assert_addr(&ev.gateway[1], c->gw6);
		assert_int_equal(!!(ev.has & EVENT_HAS_TABLE), c->table != 0);
		if (c->table)
			assert_int_equal(ev.table, c->table);
		if (log_count != 0)
			fail_msg("%s: logged \"%s\"", c->what, log_last);
	}
}

/* A call about both families (ifupdown2's merged stanzas, ifupdown-ng) refused as a whole. */
#define BOTH_NOT_MANAGED "; eth1 IPv4 and IPv6 are not managed"

/* symroute-gateway lists: at most one per family; a message names the interface and value. */
static void test_gateway_lists_refused(void **state)
{
	static const struct {
		const char *fixture, *value, *message;
	} cases[] = {
		{ "ng-up.env", "203.0.113.1 203.0.113.2",
		  "eth1 IPv4: symroute-gateway='203.0.113.1 203.0.113.2': two IPv4 gateways; give at "
		  "most one per family" BOTH_NOT_MANAGED },
		{ "ifupdown2-merged-up.env", "fe80::2 203.0.113.1 fe80::3",
		  "eth1 IPv6: symroute-gateway='fe80::2 203.0.113.1 fe80::3': two IPv6 gateways; give "
		  "at most one per family" BOTH_NOT_MANAGED },
		/* a one-family call checks the whole list too, and refuses its own family */
		{ "static-inet-post-up.env", "198.51.100.2 fe80::2 fe80::3",
		  "ifbA IPv6: symroute-gateway='198.51.100.2 fe80::2 fe80::3': two IPv6 gateways; give "
		  "at most one per family; ifbA IPv4 is not managed" },
		{ "ng-up.env", "203.0.113.1 bogus",
		  "eth1 IPv4 and IPv6: symroute-gateway='bogus': not an IP address" BOTH_NOT_MANAGED },
		{ "ng-up.env", "203.0.113.1,fe80::2",
		  "eth1 IPv4 and IPv6: symroute-gateway='203.0.113.1,fe80::2': not an IP address"
		  BOTH_NOT_MANAGED },
		{ "ng-up.env", "203.0.113.1 ff02::1",
		  "eth1 IPv6: symroute-gateway='ff02::1': not a unicast gateway address" BOTH_NOT_MANAGED },
		{ "ng-up.env", "2001:db8:b::1/64",
		  "eth1 IPv4 and IPv6: symroute-gateway='2001:db8:b::1/64': an address without a prefix "
		  "length is expected" BOTH_NOT_MANAGED },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char assignment[128];
		const char *set[] = { assignment, NULL };

		snprintf(assignment, sizeof(assignment), "IF_SYMROUTE_GATEWAY=%s", cases[i].value);
		log_count = 0;
		assert_refused(cases[i].fixture, set, cases[i].message);
		assert_string_equal(log_last, cases[i].message);
	}
}

/* More than one `gateway` of a family (ifupdown-ng, ECMP): the first is taken, no error. */
static void test_plain_gateways_first_per_family(void **state)
{
	static const char *const set[] = { "IF_GATEWAYS=198.51.100.1 198.51.100.2 2001:db8:a::1", NULL };
	static const char *const bad[] = { "IF_ADDRESSES=198.51.100.10/25 bogus", NULL };
	struct event ev;

	(void)state;
	assert_int_equal(read_fixture(&ev, "ng-gateways-up.env", set), 0);
	assert_addr(&ev.gateway[0], "198.51.100.1");
	assert_addr(&ev.gateway[1], "2001:db8:a::1");
	assert_int_equal(log_count, 0);
	assert_refused("ng-gateways-up.env", bad, "eth0 IPv4 and IPv6: address='bogus': ");
}

/* ---- calls with nothing to do ---- */

static void test_ignored_calls(void **state)
{
	static const char *const names[] = { "all-pre-up.env", "all-post-up.env",
					     "all-pre-down.env", "loopback-post-up.env",
					     "static-inet-pre-up.env" };
	static const char *const other_family[] = { "ADDRFAM=ipx", NULL };
	static const char *const nm_shim[] = { "METHOD=NetworkManager", "VERBOSITY=0", NULL };
	struct event ev;

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		assert_int_equal(read_fixture(&ev, names[i], NULL), 0);
		if (ev.action != EVENT_IGNORE)
			fail_msg("%s: action %d, expected EVENT_IGNORE", names[i], ev.action);
		assert_int_equal(ev.families, 0);
	}
	assert_int_equal(read_fixture(&ev, "static-inet-post-up.env", other_family), 0);
	assert_int_equal(ev.action, EVENT_IGNORE);
	/* NetworkManager's 01-ifupdown shim runs if-up.d for its own connections. */
	assert_int_equal(read_fixture(&ev, "static-inet-post-up.env", nm_shim), 0);
	assert_int_equal(ev.action, EVENT_IGNORE);
	assert_int_equal(log_count, 0);
}

/* ---- ifdown ---- */

static void test_down(void **state)
{
	struct event ev;

	(void)state;
	assert_int_equal(read_fixture(&ev, "static-inet-pre-down.env", NULL), 0);
	assert_int_equal(ev.action, EVENT_DOWN);
	assert_string_equal(ev.ifname, "ifbA");
	assert_int_equal(ev.families, EVENT_V4);
	assert_int_equal(ev.addrs_given, 0);

	assert_int_equal(read_fixture(&ev, "static-inet6-pre-down.env", NULL), 0);
	assert_int_equal(ev.action, EVENT_DOWN);
	assert_int_equal(ev.families, EVENT_V6);

	assert_int_equal(read_fixture(&ev, "dhcp-pre-down.env", NULL), 0);
	assert_int_equal(ev.action, EVENT_DOWN);
	assert_string_equal(ev.ifname, "vc0");

	/* post-down too, even as ifupdown 0.8 gave it once: no METHOD, no IF_* */
	assert_int_equal(read_fixture(&ev, "static-inet-post-down.env", NULL), 0);
	assert_int_equal(ev.action, EVENT_DOWN);
	assert_int_equal(read_fixture(&ev, "bare-post-down.env", NULL), 0);
	assert_int_equal(ev.action, EVENT_DOWN);
	assert_string_equal(ev.ifname, "ifbB");
	assert_int_equal(ev.families, EVENT_V4);
	assert_int_equal(log_count, 0);
}

/* ---- symroute-* options ---- */

static void test_symroute_options(void **state)
{
	struct event ev;

	(void)state;
	assert_int_equal(read_fixture(&ev, "symroute-options-post-up.env", NULL), 0);
	assert_int_equal(ev.action, EVENT_UP);
	assert_string_equal(ev.ifname, "vB");
	assert_int_equal(ev.has, EVENT_HAS_TABLE | EVENT_HAS_PRIORITY | EVENT_HAS_TO_RULE |
					 EVENT_HAS_MAIN_DEFAULT | EVENT_HAS_ONLINK);
	assert_int_equal(ev.table, 100);
	assert_int_equal(ev.priority, 31200);
	assert_true(ev.to_rule);
	assert_false(ev.main_default);
	assert_true(ev.onlink);
	assert_int_equal(ev.gateways_given, EVENT_V4);
	assert_addr(&ev.gateway[0], "203.0.113.1");
	assert_addr(&ev.addrs[0], "203.0.113.20/24");

	/* ifdown keeps the options: the core must find table 100 */
	assert_int_equal(read_fixture(&ev, "symroute-options-pre-down.env", NULL), 0);
	assert_int_equal(ev.action, EVENT_DOWN);
	assert_int_equal(ev.table, 100);
	assert_true(ev.has & EVENT_HAS_TABLE);
	assert_int_equal(log_count, 0);
}

static void test_symroute_gateway_wins(void **state)
{
	static const char *const set[] = { "IF_SYMROUTE_GATEWAY=198.51.100.2", NULL };
	struct event ev;

	(void)state;
	assert_int_equal(read_fixture(&ev, "static-inet-post-up.env", set), 0);
	assert_addr(&ev.gateway[0], "198.51.100.2");
}

static void test_symroute_off(void **state)
{
	static const char *const on[] = { "IF_SYMROUTE=on", NULL };
	static const char *const off_down[] = { "IF_SYMROUTE=off", NULL };
	struct event ev;

	(void)state;
	/* ifup of a stanza with `symroute off`: nothing of ours stays for its family */
	assert_int_equal(read_fixture(&ev, "symroute-off-post-up.env", NULL), 0);
	assert_int_equal(ev.action, EVENT_DOWN);
	assert_string_equal(ev.ifname, "vB");
	assert_int_equal(ev.families, EVENT_V6);
	assert_int_equal(ev.addrs_given, 0);

	assert_int_equal(read_fixture(&ev, "symroute-off-post-up.env", on), 0);
	assert_int_equal(ev.action, EVENT_UP);
	assert_addr(&ev.addrs[0], "2001:db8:b::20/64");
	/* The stanza said on itself: `off` in symroute.conf's [interface vB] yields. */
	assert_true(ev.has & EVENT_HAS_OFF);
	assert_int_equal(read_fixture(&ev, "static-inet-post-up.env", NULL), 0);
	assert_false(ev.has & EVENT_HAS_OFF);

	assert_int_equal(read_fixture(&ev, "static-inet-pre-down.env", off_down), 0);
	assert_int_equal(ev.action, EVENT_DOWN);
	assert_int_equal(log_count, 0);
}

static void test_other_options_ignored(void **state)
{
	static const char *const other[] = { "IF_SYMROUTEX=1", "IF_FOO_SYMROUTE_TABLE=x", NULL };
	static const char *const empty_name[] = { "IF_SYMROUTE_=", NULL };
	struct event ev;

	(void)state;
	/* IF_SYMROUTEX is someone else's `symroutex` option, IF_FOO_SYMROUTE_TABLE another's. */
	assert_int_equal(read_fixture(&ev, "static-inet-post-up.env", other), 0);
	assert_int_equal(ev.action, EVENT_UP);
	assert_int_equal(ev.has, 0);
	assert_int_equal(log_count, 0);
	/* `symroute-` alone is ours, and not an option */
	assert_refused("static-inet-post-up.env", empty_name,
		       "ifbA IPv4: symroute-='': unknown option; ifbA IPv4 is not managed");
}

/* ---- bad values: one line, naming the option as written in /etc/network/interfaces ---- */

static void test_bad_table_captured(void **state)
{
	static const char *const no_typo[] = { "-IF_SYMROUTE_TABEL", NULL };
	static const char *const main_table[] = { "-IF_SYMROUTE_TABEL", "IF_SYMROUTE_TABLE=254", NULL };

	(void)state;
	/* As captured: the typo comes first in the environment, and is refused by name. */
	assert_refused("bad-table-post-up.env", NULL, "");
	assert_string_equal(log_last, "vC IPv4: symroute-tabel='5': unknown option (did you mean "
			    "symroute-table?); vC IPv4 is not managed");
	log_count = 0;
	/* A table name that rt_tables does not know: the reason is the table's, not "unknown". */
	assert_refused("bad-table-post-up.env", no_typo,
		       "vC IPv4: symroute-table='bogus': no such table name in rt_tables or "
		       "rt_tables.d; vC IPv4 is not managed");
	log_count = 0;
	assert_refused("bad-table-post-up.env", main_table, "vC IPv4: symroute-table='254': ");
}

/* Stanza errors name the interface and family first, and end with what follows. */
#define AT "ifbA IPv4: "
#define NOT_MANAGED "; ifbA IPv4 is not managed"

static void test_bad_values(void **state)
{
	static const struct {
		const char *set[3];
		const char *line;	/* the whole line, or a prefix ending in ": " */
	} cases[] = {
		{ { "IF_SYMROUTE_PRIORITY=40000" }, AT "symroute-priority='40000': " },
		{ { "IF_SYMROUTE_PRIORITY=-1" }, AT "symroute-priority='-1': " },
		{ { "IF_SYMROUTE_TO_RULE=maybe" }, AT "symroute-to-rule='maybe': " },
		{ { "IF_SYMROUTE_MAIN_DEFAULT=" }, AT "symroute-main-default='': " },
		{ { "IF_SYMROUTE_ONLINK=2" }, AT "symroute-onlink='2': " },
		{ { "IF_SYMROUTE=maybe" }, AT "symroute='maybe': not on or off" NOT_MANAGED },
		{ { "IF_SYMROUTE_OFF=yes" },
		  AT "symroute-off='yes': unknown option; write `symroute off`" NOT_MANAGED },
		{ { "IF_SYMROUTE_TABEL=5" },
		  AT "symroute-tabel='5': unknown option (did you mean symroute-table?)"
		  NOT_MANAGED },
		{ { "IF_ADDRESS=198.51.100.300" },
		  AT "address='198.51.100.300': not an IPv4 address" NOT_MANAGED },
		{ { "IF_ADDRESS=2001:db8::10" },
		  AT "address='2001:db8::10': not an IPv4 address" NOT_MANAGED },
		{ { "IF_ADDRESS=0.0.0.0" },
		  AT "address='0.0.0.0': not a unicast interface address" NOT_MANAGED },
		{ { "IF_NETMASK=255.0.255.0" },
		  AT "netmask='255.0.255.0': not a contiguous IPv4 netmask" NOT_MANAGED },
		{ { "IF_NETMASK=33" },
		  AT "netmask='33': not a prefix length from 0 to 32" NOT_MANAGED },
		{ { "IF_ADDRESS=198.51.100.10/24", "IF_NETMASK=255.255.255.128" },
		  AT "netmask='255.255.255.128': disagrees with the prefix length of address"
		  NOT_MANAGED },
		{ { "IF_GATEWAY=2001:db8::1" },
		  AT "gateway='2001:db8::1': not an IPv4 address" NOT_MANAGED },
		{ { "IF_GATEWAY=198.51.100.1/24" },
		  AT "gateway='198.51.100.1/24': an address without a prefix length is expected"
		  NOT_MANAGED },
		{ { "IF_GATEWAY=255.255.255.255" },
		  AT "gateway='255.255.255.255': not a unicast gateway address" NOT_MANAGED },
		{ { "IF_SYMROUTE_GATEWAY=224.0.0.1" },
		  AT "symroute-gateway='224.0.0.1': not a unicast gateway address" NOT_MANAGED },
		{ { "IFACE=averyveryverylongname" },
		  "IFACE='averyveryverylongname': interface name longer than 15 characters" },
		{ { "-IFACE" }, "IFACE='': no interface: symroute ifupdown-hook runs from ifupdown's hooks" },
		{ { "-MODE" }, "MODE='': not start or stop: symroute ifupdown-hook runs from ifupdown's hooks" },
		{ { "IF_SYMROUTE_A_VERY_LONG_OPTION_NAME_THAT_NOBODY_WOULD_WRITE=1" },
		  AT "IF_SYMROUTE_A_VERY_LONG_OPTION_NAME_THAT_NOBODY_WOULD_WRITE: unknown option"
		  NOT_MANAGED },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *line = cases[i].line;
		size_t len = strlen(line);
		struct event ev;

		log_count = 0;
		log_last[0] = '\0';
		if (read_fixture(&ev, "static-inet-post-up.env", cases[i].set) != -EINVAL)
			fail_msg("case %zu (%s): not refused", i, cases[i].set[0]);
		if (log_count != 1)
			fail_msg("case %zu: %d log lines, expected 1", i, log_count);
		if (len >= 2 && strcmp(line + len - 2, ": ") == 0 ? strncmp(log_last, line, len) != 0
								  : strcmp(log_last, line) != 0)
			fail_msg("case %zu: got \"%s\", expected \"%s\"", i, log_last, line);
		/* a known option with a bad value is never reported as unknown */
		if (strstr(line, "unknown option") == NULL && strstr(log_last, "unknown option"))
			fail_msg("case %zu: \"%s\" calls a known option unknown", i, log_last);
	}
}

static void test_bad_value_at_down(void **state)
{
	static const char *const set[] = { "IF_SYMROUTE_TABLE=bogus", NULL };
	static const char *const addr[] = { "IF_ADDRESS=bogus", NULL };
	struct event ev;

	(void)state;
	/* Which table to empty is unknown: refuse rather than guess. */
	assert_refused("symroute-options-pre-down.env", set,
		       "vB IPv4: symroute-table='bogus': no such table name in rt_tables or "
		       "rt_tables.d; symroute's IPv4 rules and routes of vB stay");
	/* Addresses do not matter for a down. */
	log_count = 0;
	assert_int_equal(read_fixture(&ev, "static-inet-pre-down.env", addr), 0);
	assert_int_equal(ev.action, EVENT_DOWN);
	assert_int_equal(log_count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_static_inet_split_netmask, setup),
		cmocka_unit_test_setup(test_static_inet_cidr_no_gateway, setup),
		cmocka_unit_test_setup(test_static_address_with_length, setup),
		cmocka_unit_test_setup(test_static_inet6, setup),
		cmocka_unit_test_setup(test_inet6_link_local_gateway, setup),
		cmocka_unit_test_setup(test_logical_name, setup),
		cmocka_unit_test_setup(test_alias, setup),
		cmocka_unit_test_setup(test_alias_refused, setup),
		cmocka_unit_test_setup(test_dhcp, setup),
		cmocka_unit_test_setup(test_manual_from_kernel, setup),
		cmocka_unit_test_setup(test_dialects, setup),
		cmocka_unit_test_setup(test_gateway_lists_refused, setup),
		cmocka_unit_test_setup(test_plain_gateways_first_per_family, setup),
		cmocka_unit_test_setup(test_ignored_calls, setup),
		cmocka_unit_test_setup(test_down, setup),
		cmocka_unit_test_setup(test_symroute_options, setup),
		cmocka_unit_test_setup(test_symroute_gateway_wins, setup),
		cmocka_unit_test_setup(test_symroute_off, setup),
		cmocka_unit_test_setup(test_other_options_ignored, setup),
		cmocka_unit_test_setup(test_bad_table_captured, setup),
		cmocka_unit_test_setup(test_bad_values, setup),
		cmocka_unit_test_setup(test_bad_value_at_down, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
