// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Purpose: which notifications wake symroute watch for which interface (watch_classify()), one
 * row per kind of message: the decisions that keep a routing daemon's churn from costing a
 * reconcile and make sure a SLAAC address, a late default or a deleted link is never missed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <libmnl/libmnl.h>
#include <linux/fib_rules.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "config.h"
#include "event.h"
#include "policy.h"
#include "rtnl-msg.h"
#include "watch.h"

#define OURS CONFIG_DEFAULT_PROTOCOL
#define AUTO(ifindex) (CONFIG_DEFAULT_TABLE_BASE + (ifindex))

static struct addr A(const char *text)
{
	struct addr a;
	const char *why;

	assert_int_equal(addr_parse(&a, text, AF_UNSPEC, 0, &why), 0);
	return a;
}

/* ---- messages as the kernel sends them ---- */

static struct nlmsghdr *route_msg(void *buf, uint16_t type, const char *dst, uint32_t table,
				  uint8_t protocol, uint32_t oif, uint32_t oif2)
{
	struct route r;

	memset(&r, 0, sizeof(r));
	r.dst = A(dst);
	r.family = r.dst.family;
	r.type = RTN_UNICAST;
	r.table = table;
	r.protocol = protocol;
	if (oif2) {
		r.n_nexthops = 2;
		r.nexthops[0].oif = oif;
		r.nexthops[0].weight = 1;
		r.nexthops[1].oif = oif2;
		r.nexthops[1].weight = 1;
	} else {
		r.oif = oif;
	}
	return rtnl_msg_route(buf, type, 0, &r);
}

static struct nlmsghdr *rule_msg(void *buf, uint16_t type, int family, uint32_t table,
				 uint8_t protocol)
{
	struct rule r;

	memset(&r, 0, sizeof(r));
	r.family = (uint8_t)family;
	r.action = FR_ACT_TO_TBL;
	r.suppress_prefixlen = -1;
	r.priority = 31100;
	r.table = table;
	r.protocol = protocol;
	r.src = A(family == AF_INET ? "198.51.100.10" : "2001:db8::10");
	return rtnl_msg_rule(buf, type, 0, &r);
}

static struct nlmsghdr *addr_msg(void *buf, uint16_t type, const char *text, uint8_t scope,
				 uint32_t ifindex)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	struct addr a = A(text);

	nlh->nlmsg_type = type;
	ifa->ifa_family = a.family;
	ifa->ifa_prefixlen = a.family == AF_INET ? 24 : 64;
	ifa->ifa_scope = scope;
	ifa->ifa_index = ifindex;
	mnl_attr_put(nlh, a.family == AF_INET ? IFA_LOCAL : IFA_ADDRESS, addr_family_len(a.family),
		     a.bytes);
	return nlh;
}

static struct nlmsghdr *link_msg(void *buf, uint16_t type, uint32_t ifindex, const char *name,
				 unsigned flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

	nlh->nlmsg_type = type;
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = (int)ifindex;
	ifi->ifi_flags = flags;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	return nlh;
}

/* ---- the table ---- */

enum kind { ROUTE, RULE, ADDR, LINK };

static const struct row {
	const char *what;
	enum kind kind;
	uint16_t type;
	const char *text;	/* route: destination; addr: the address; link: its name */
	uint32_t table;		/* route, rule */
	uint8_t protocol;	/* route, rule; addr: scope; link: IFF_UP or 0 */
	uint32_t ifindex, ifindex2;
	/* The verdict: */
	uint32_t hit, hit2;	/* interfaces to reconcile (0: none) */
	unsigned families;
	bool full;
	const char *gone;
} rows[] = {
	{ "a DHCP client's default in main", ROUTE, RTM_NEWROUTE, "0.0.0.0/0", RT_TABLE_MAIN,
	  RTPROT_DHCP, 3, 0, 3, 0, EVENT_V4, false, NULL },
	{ "a router advertisement's default in main", ROUTE, RTM_NEWROUTE, "::/0", RT_TABLE_MAIN,
	  RTPROT_RA, 4, 0, 4, 0, EVENT_V6, false, NULL },
	{ "a static default removed from main", ROUTE, RTM_DELROUTE, "0.0.0.0/0", RT_TABLE_MAIN,
	  RTPROT_BOOT, 3, 0, 3, 0, EVENT_V4, false, NULL },
	{ "a multipath default names both uplinks", ROUTE, RTM_NEWROUTE, "0.0.0.0/0",
	  RT_TABLE_MAIN, RTPROT_STATIC, 3, 5, 3, 5, EVENT_V4, false, NULL },
	{ "a routing daemon's prefix: nothing", ROUTE, RTM_NEWROUTE, "198.18.0.0/15",
	  RT_TABLE_MAIN, 186, 3, 0, 0, 0, 0, false, NULL },
	{ "a default in someone else's table: nothing", ROUTE, RTM_NEWROUTE, "0.0.0.0/0", 100,
	  RTPROT_STATIC, 3, 0, 0, 0, 0, false, NULL },
	{ "ours added (our own doing): nothing", ROUTE, RTM_NEWROUTE, "0.0.0.0/0", AUTO(3), OURS,
	  3, 0, 0, 0, 0, false, NULL },
	{ "our default in main added: nothing", ROUTE, RTM_NEWROUTE, "::/0", RT_TABLE_MAIN, OURS,
	  3, 0, 0, 0, 0, false, NULL },
	{ "ours removed from our table: put back", ROUTE, RTM_DELROUTE, "2001:db8::/64", AUTO(7),
	  OURS, 7, 0, 7, 0, EVENT_V6, false, NULL },
	{ "our fallback default removed from main: put back", ROUTE, RTM_DELROUTE, "0.0.0.0/0",
	  RT_TABLE_MAIN, OURS, 3, 0, 3, 0, EVENT_V4, false, NULL },
	{ "our rule removed, automatic table: its interface", RULE, RTM_DELRULE, NULL, AUTO(9),
	  OURS, 0, 0, 9, 0, EVENT_V4, false, NULL },
	{ "our rule removed, a chosen table: a full pass", RULE, RTM_DELRULE, NULL, 100, OURS, 0,
	  0, 0, 0, 0, true, NULL },
	{ "someone's rule removed: nothing", RULE, RTM_DELRULE, NULL, 100, RTPROT_BOOT, 0, 0, 0,
	  0, 0, false, NULL },
	{ "a rule of ours added: nothing", RULE, RTM_NEWRULE, NULL, AUTO(9), OURS, 0, 0, 0, 0, 0,
	  false, NULL },
	{ "a SLAAC address", ADDR, RTM_NEWADDR, "2001:db8:b::5", 0, RT_SCOPE_UNIVERSE, 4, 0, 4, 0,
	  EVENT_V6, false, NULL },
	{ "a DHCP address removed", ADDR, RTM_DELADDR, "203.0.113.20", 0, RT_SCOPE_UNIVERSE, 3, 0,
	  3, 0, EVENT_V4, false, NULL },
	{ "a link-local address: nothing", ADDR, RTM_NEWADDR, "fe80::2", 0, RT_SCOPE_LINK, 4, 0, 0,
	  0, 0, false, NULL },
	{ "a host-scope address: nothing", ADDR, RTM_NEWADDR, "127.0.0.2", 0, RT_SCOPE_HOST, 1, 0,
	  0, 0, 0, false, NULL },
	{ "a link that is up", LINK, RTM_NEWLINK, "eth1", 0, IFF_UP, 3, 0, 3, 0,
	  EVENT_V4 | EVENT_V6, false, NULL },
	{ "a link that is down: nothing", LINK, RTM_NEWLINK, "eth1", 0, 0, 3, 0, 0, 0, 0, false,
	  NULL },
	{ "a link deleted: its name is swept", LINK, RTM_DELLINK, "eth1", 0, 0, 3, 0, 3, 0,
	  EVENT_V4 | EVENT_V6, false, "eth1" },
};

static struct nlmsghdr *row_msg(void *buf, const struct row *r)
{
	switch (r->kind) {
	case ROUTE:
		return route_msg(buf, r->type, r->text, r->table, r->protocol, r->ifindex,
				 r->ifindex2);
	case RULE:
		return rule_msg(buf, r->type, r->families == EVENT_V6 ? AF_INET6 : AF_INET,
				r->table, r->protocol);
	case ADDR:
		return addr_msg(buf, r->type, r->text, r->protocol, r->ifindex);
	case LINK:
		return link_msg(buf, r->type, r->ifindex, r->text, r->protocol);
	}
	return NULL;
}

static void test_classify_table(void **state)
{
	char buf[RTNL_MSG_MAX] __attribute__((aligned(4)));
	struct config cfg;

	(void)state;
	config_defaults(&cfg);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		struct watch_verdict v;
		unsigned want = (r->hit != 0) + (r->hit2 != 0);

		memset(buf, 0, sizeof(buf));
		print_message("%s\n", r->what);
		watch_classify(&cfg, row_msg(buf, r), &v);
		assert_int_equal(v.full, r->full);
		/* An interface may be named twice (a table of ours and its route's oif). */
		if (!want) {
			assert_int_equal(v.n_hits, 0);
		} else {
			bool seen1 = false, seen2 = !r->hit2;

			assert_true(v.n_hits >= want);
			for (unsigned k = 0; k < v.n_hits; k++) {
				assert_true(v.hits[k].ifindex == r->hit || v.hits[k].ifindex == r->hit2);
				assert_int_equal(v.hits[k].families, r->families);
				seen1 |= v.hits[k].ifindex == r->hit;
				seen2 |= v.hits[k].ifindex == r->hit2;
			}
			assert_true(seen1 && seen2);
		}
		assert_string_equal(v.gone, r->gone ? r->gone : "");
	}
}

/* A message cut short is nothing, never a read past its end. */
static void test_classify_truncated(void **state)
{
	char buf[RTNL_MSG_MAX] __attribute__((aligned(4)));
	struct watch_verdict v;
	struct config cfg;
	struct nlmsghdr *nlh;

	(void)state;
	config_defaults(&cfg);
	nlh = route_msg(buf, RTM_NEWROUTE, "0.0.0.0/0", RT_TABLE_MAIN, RTPROT_DHCP, 3, 0);
	nlh->nlmsg_len = sizeof(*nlh) + 4;
	watch_classify(&cfg, nlh, &v);
	assert_int_equal(v.n_hits, 0);
	assert_false(v.full);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify_table),
		cmocka_unit_test(test_classify_truncated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
