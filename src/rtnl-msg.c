// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: routes, rules and addresses to and from rtnetlink messages. Pure: no sockets. */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/fib_rules.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>

#include "policy.h"
#include "rtnl-msg.h"

/*
 * A table id lives in the 8-bit header field when it fits, and always in the
 * 32-bit attribute; on decode the attribute wins (ids >= 256 only fit there).
 */
static uint8_t table_header(uint32_t table)
{
	return table < 256 ? (uint8_t)table : RT_TABLE_UNSPEC;
}

static struct nlmsghdr *msg_start(void *buf, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh;

	memset(buf, 0, RTNL_MSG_MAX);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	return nlh;
}

static void put_addr(struct nlmsghdr *nlh, uint16_t type, const struct addr *a)
{
	mnl_attr_put(nlh, type, addr_family_len(a->family), a->bytes);
}

/* RTA_MULTIPATH: a struct rtnexthop per next hop, each followed by its own attributes. */
static void put_multipath(struct nlmsghdr *nlh, const struct route *r)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, RTA_MULTIPATH);

	for (unsigned i = 0; i < r->n_nexthops && i < ROUTE_MAX_NEXTHOPS; i++) {
		const struct route_nexthop *nh = &r->nexthops[i];
		struct rtnexthop *rtnh = mnl_nlmsg_get_payload_tail(nlh);

		nlh->nlmsg_len += MNL_ALIGN(sizeof(*rtnh));
		memset(rtnh, 0, sizeof(*rtnh));
		rtnh->rtnh_ifindex = (int)nh->oif;
		/* The kernel's weight is rtnh_hops + 1. */
		rtnh->rtnh_hops = (uint8_t)(nh->weight ? nh->weight - 1 : 0);
		if (nh->flags & NEXTHOP_ONLINK)
			rtnh->rtnh_flags |= RTNH_F_ONLINK;
		if (nh->flags & NEXTHOP_DEAD)
			rtnh->rtnh_flags |= RTNH_F_DEAD;
		if (addr_is_set(&nh->gateway))
			put_addr(nlh, RTA_GATEWAY, &nh->gateway);
		rtnh->rtnh_len = (unsigned short)((char *)mnl_nlmsg_get_payload_tail(nlh) -
						  (char *)rtnh);
	}
	mnl_attr_nest_end(nlh, nest);
}

struct nlmsghdr *rtnl_msg_route(void *buf, uint16_t type, uint16_t flags, const struct route *r)
{
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;

	/*
	 * The shared multipath default is written whole: a replace, so that traffic
	 * never sees main without it (a delete and an add would leave a gap).
	 */
	if (type == RTM_NEWROUTE && (r->flags & ROUTE_SHARED))
		flags = (uint16_t)((flags & ~NLM_F_EXCL) | NLM_F_CREATE | NLM_F_REPLACE);
	nlh = msg_start(buf, type, flags | NLM_F_ACK);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));

	rtm->rtm_family = r->family;
	rtm->rtm_dst_len = r->dst.plen;
	rtm->rtm_table = table_header(r->table);
	rtm->rtm_protocol = r->protocol;
	rtm->rtm_scope = r->scope;
	rtm->rtm_type = r->type;
	if (r->flags & ROUTE_ONLINK)
		rtm->rtm_flags |= RTNH_F_ONLINK;
	mnl_attr_put_u32(nlh, RTA_TABLE, r->table);
	if (r->dst.plen)
		put_addr(nlh, RTA_DST, &r->dst);
	if (addr_is_set(&r->gateway))
		put_addr(nlh, RTA_GATEWAY, &r->gateway);
	if (addr_is_set(&r->prefsrc))
		put_addr(nlh, RTA_PREFSRC, &r->prefsrc);
	if (r->oif)
		mnl_attr_put_u32(nlh, RTA_OIF, r->oif);
	mnl_attr_put_u32(nlh, RTA_PRIORITY, r->metric);
	if (r->n_nexthops)
		put_multipath(nlh, r);
	return nlh;
}

struct nlmsghdr *rtnl_msg_rule(void *buf, uint16_t type, uint16_t flags, const struct rule *r)
{
	struct nlmsghdr *nlh = msg_start(buf, type, flags | NLM_F_ACK);
	struct fib_rule_hdr *frh = mnl_nlmsg_put_extra_header(nlh, sizeof(*frh));

	frh->family = r->family;
	frh->table = table_header(r->table);
	frh->action = r->action;
	mnl_attr_put_u32(nlh, FRA_PRIORITY, r->priority);
	mnl_attr_put_u32(nlh, FRA_TABLE, r->table);
	mnl_attr_put_u8(nlh, FRA_PROTOCOL, r->protocol);
	if (addr_is_set(&r->src)) {
		frh->src_len = r->src.plen;
		put_addr(nlh, FRA_SRC, &r->src);
	}
	if (addr_is_set(&r->dst)) {
		frh->dst_len = r->dst.plen;
		put_addr(nlh, FRA_DST, &r->dst);
	}
	if (r->suppress_prefixlen >= 0)
		mnl_attr_put_u32(nlh, FRA_SUPPRESS_PREFIXLEN, (uint32_t)r->suppress_prefixlen);
	return nlh;
}

struct nlmsghdr *rtnl_msg_route_dump_oif(void *buf, int family, uint32_t table, uint32_t oif)
{
	struct nlmsghdr *nlh = msg_start(buf, RTM_GETROUTE, NLM_F_DUMP);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));

	/* With NETLINK_GET_STRICT_CHK the kernel walks only this table and sends only
	 * routes through @oif: the cost does not grow with other interfaces' routes. */
	rtm->rtm_family = (uint8_t)family;
	rtm->rtm_table = table_header(table);
	mnl_attr_put_u32(nlh, RTA_TABLE, table);
	if (oif)
		mnl_attr_put_u32(nlh, RTA_OIF, oif);
	return nlh;
}

struct nlmsghdr *rtnl_msg_route_dump_table_proto(void *buf, int family, uint32_t table,
						  uint8_t protocol)
{
	struct nlmsghdr *nlh = rtnl_msg_route_dump_oif(buf, family, table, 0);
	struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);

	/* Strict checking filters by protocol too: only routes of that origin are sent. */
	rtm->rtm_protocol = protocol;
	return nlh;
}

struct nlmsghdr *rtnl_msg_route_dump(void *buf, int family, uint32_t table)
{
	return rtnl_msg_route_dump_oif(buf, family, table, 0);
}

struct nlmsghdr *rtnl_msg_rule_dump(void *buf, int family)
{
	struct nlmsghdr *nlh = msg_start(buf, RTM_GETRULE, NLM_F_DUMP);
	struct fib_rule_hdr *frh = mnl_nlmsg_put_extra_header(nlh, sizeof(*frh));

	/* The kernel filters rule dumps by family only. */
	frh->family = (uint8_t)family;
	return nlh;
}

struct nlmsghdr *rtnl_msg_addr_dump(void *buf, int family, uint32_t ifindex)
{
	struct nlmsghdr *nlh = msg_start(buf, RTM_GETADDR, NLM_F_DUMP);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));

	ifa->ifa_family = (uint8_t)family;
	ifa->ifa_index = ifindex;
	return nlh;
}

struct nlmsghdr *rtnl_msg_route_get(void *buf, const struct addr *dst, const struct addr *src,
				    uint32_t oif)
{
	struct nlmsghdr *nlh = msg_start(buf, RTM_GETROUTE, 0);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));

	rtm->rtm_family = dst->family;
	rtm->rtm_dst_len = (uint8_t)(addr_family_len(dst->family) * 8);
	/* IPv4 names the table the answer came from only when asked (it says "main"
	 * otherwise); IPv6 refuses the flag and always names it. */
	if (dst->family == AF_INET)
		rtm->rtm_flags |= RTM_F_LOOKUP_TABLE;
	put_addr(nlh, RTA_DST, dst);
	if (src && addr_is_set(src)) {
		rtm->rtm_src_len = rtm->rtm_dst_len;
		put_addr(nlh, RTA_SRC, src);
	}
	if (oif)
		mnl_attr_put_u32(nlh, RTA_OIF, oif);
	return nlh;
}

struct attr_table {
	const struct nlattr **tb;
	unsigned max;
};

static int collect_attr(const struct nlattr *attr, void *data)
{
	struct attr_table *t = data;
	unsigned type = mnl_attr_get_type(attr);

	if (type <= t->max)
		t->tb[type] = attr;
	return MNL_CB_OK;
}

static int parse_attrs(const struct nlmsghdr *nlh, size_t hdrlen, const struct nlattr **tb,
		       unsigned max)
{
	const char *end = (const char *)nlh + nlh->nlmsg_len;
	struct attr_table t = { tb, max };
	const struct nlattr *attr;
	int left;

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + MNL_ALIGN(hdrlen))
		return -EINVAL;
	/*
	 * mnl_attr_parse() stops quietly at an attribute that overruns the
	 * message: walk by hand, so a truncated message is an error, not a route
	 * that lost its last attributes.
	 */
	attr = (const struct nlattr *)((const char *)nlh + MNL_NLMSG_HDRLEN + MNL_ALIGN(hdrlen));
	left = (int)(end - (const char *)attr);
	while (left > 0) {
		if (!mnl_attr_ok(attr, left))
			return -EINVAL;
		collect_attr(attr, &t);
		left -= MNL_ALIGN(attr->nla_len);
		attr = (const struct nlattr *)((const char *)attr + MNL_ALIGN(attr->nla_len));
	}
	return 0;
}

/* Copy an address attribute, checking its length against the family. */
static int get_addr(const struct nlattr *attr, int family, uint8_t plen, struct addr *out)
{
	size_t len = addr_family_len(family);

	if (!attr)
		return 0;
	if (mnl_attr_get_payload_len(attr) != len)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->family = (uint8_t)family;
	out->plen = plen;
	memcpy(out->bytes, mnl_attr_get_payload(attr), len);
	return 0;
}

static int get_u32(const struct nlattr *attr, uint32_t *out)
{
	if (!attr)
		return 0;
	if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
		return -EINVAL;
	*out = mnl_attr_get_u32(attr);
	return 0;
}

/* Route attributes that make a route something we never create. */
static const uint16_t route_extra_attrs[] = { RTA_SRC, RTA_ENCAP, RTA_VIA,
					      RTA_NH_ID, RTA_IIF, RTA_FLOW };

/*
 * RTA_MULTIPATH into @r->nexthops, sorted. Returns -EINVAL for anything our
 * routes never hold (RTA_VIA, encapsulation, realms, more than
 * ROUTE_MAX_NEXTHOPS, a malformed entry): the caller marks the route foreign.
 */
static int parse_multipath(const struct nlattr *mp, struct route *r)
{
	const struct rtnexthop *rtnh = mnl_attr_get_payload(mp);
	int left = (int)mnl_attr_get_payload_len(mp);
	uint8_t full = (uint8_t)(addr_family_len(r->family) * 8);

	r->n_nexthops = 0;
	/* The uapi RTNH_OK() reads rtnh_len before it checks that there is room for it. */
	while (left >= (int)sizeof(*rtnh) && RTNH_OK(rtnh, left)) {
		struct route_nexthop *nh;
		const struct nlattr *a;
		const char *end;

		if (r->n_nexthops >= ROUTE_MAX_NEXTHOPS || rtnh->rtnh_ifindex <= 0 ||
		    (rtnh->rtnh_flags & ~(RTNH_F_ONLINK | RTNH_F_DEAD | RTNH_F_LINKDOWN |
					   RTNH_F_OFFLOAD | RTNH_F_TRAP | RTNH_F_UNRESOLVED)))
			return -EINVAL;
		nh = &r->nexthops[r->n_nexthops++];
		memset(nh, 0, sizeof(*nh));
		nh->oif = (uint32_t)rtnh->rtnh_ifindex;
		nh->weight = (uint16_t)(rtnh->rtnh_hops + 1);
		/* ONLINK is ours; DEAD says the interface is down; the rest is the kernel's state. */
		if (rtnh->rtnh_flags & RTNH_F_ONLINK)
			nh->flags |= NEXTHOP_ONLINK;
		if (rtnh->rtnh_flags & RTNH_F_DEAD)
			nh->flags |= NEXTHOP_DEAD;
		/* libmnl 1.0.4's mnl_attr_for_each_payload() is unusable (it names no variable). */
		end = (const char *)rtnh + rtnh->rtnh_len;
		for (a = (const struct nlattr *)((const char *)rtnh + RTNH_LENGTH(0));
		     mnl_attr_ok(a, (int)(end - (const char *)a)); a = mnl_attr_next(a)) {
			if (mnl_attr_get_type(a) != RTA_GATEWAY || addr_is_set(&nh->gateway) ||
			    get_addr(a, r->family, full, &nh->gateway) < 0)
				return -EINVAL;
		}
		left -= RTNH_ALIGN(rtnh->rtnh_len);
		rtnh = RTNH_NEXT(rtnh);
	}
	if (left > 0)
		return -EINVAL;
	/* The kernel reports a single path without RTA_MULTIPATH: one entry is someone else's. */
	if (r->n_nexthops < 2)
		return -EINVAL;
	route_nexthops_sort(r);
	return 0;
}

struct nlmsghdr *rtnl_msg_route_match(void *buf, const struct addr *dst, const struct addr *src,
				      uint32_t oif)
{
	struct nlmsghdr *nlh = rtnl_msg_route_get(buf, dst, src, oif);
	struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);

	/* Answer with the FIB entry that matched, with its table and protocol. */
	rtm->rtm_flags |= RTM_F_FIB_MATCH;
	return nlh;
}

int rtnl_msg_parse_route(const struct nlmsghdr *nlh, struct route *r)
{
	const struct nlattr *tb[RTA_MAX + 1];
	const struct rtmsg *rtm;
	uint8_t full;

	if (nlh->nlmsg_type != RTM_NEWROUTE && nlh->nlmsg_type != RTM_DELROUTE)
		return -ENOENT;
	if (parse_attrs(nlh, sizeof(*rtm), tb, RTA_MAX) < 0)
		return -EINVAL;
	rtm = mnl_nlmsg_get_payload(nlh);
	if (rtm->rtm_family != AF_INET && rtm->rtm_family != AF_INET6)
		return -ENOENT;
	full = (uint8_t)(addr_family_len(rtm->rtm_family) * 8);
	if (rtm->rtm_dst_len > full)
		return -EINVAL;

	memset(r, 0, sizeof(*r));
	r->family = rtm->rtm_family;
	r->type = rtm->rtm_type;
	r->scope = rtm->rtm_scope;
	r->protocol = rtm->rtm_protocol;
	r->table = rtm->rtm_table;
	/* A default route still has a family: dst is 0/0 of it. */
	r->dst.family = rtm->rtm_family;
	r->dst.plen = rtm->rtm_dst_len;
	/* Only ONLINK is ours; LINKDOWN, DEAD, OFFLOAD... are the kernel's state. */
	if (rtm->rtm_flags & RTNH_F_ONLINK)
		r->flags |= ROUTE_ONLINK;
	if (tb[RTA_MULTIPATH] && (tb[RTA_GATEWAY] || tb[RTA_OIF] ||
				  parse_multipath(tb[RTA_MULTIPATH], r) < 0)) {
		r->flags |= ROUTE_HAS_EXTRA;
		r->n_nexthops = 0;
	}
	if (rtm->rtm_src_len || rtm->rtm_tos)
		r->flags |= ROUTE_HAS_EXTRA;
	for (size_t i = 0; i < sizeof(route_extra_attrs) / sizeof(route_extra_attrs[0]); i++)
		if (tb[route_extra_attrs[i]])
			r->flags |= ROUTE_HAS_EXTRA;
	if (get_u32(tb[RTA_TABLE], &r->table) < 0 || get_u32(tb[RTA_OIF], &r->oif) < 0 ||
	    get_u32(tb[RTA_PRIORITY], &r->metric) < 0 ||
	    get_addr(tb[RTA_DST], r->family, rtm->rtm_dst_len, &r->dst) < 0 ||
	    get_addr(tb[RTA_GATEWAY], r->family, full, &r->gateway) < 0 ||
	    get_addr(tb[RTA_PREFSRC], r->family, full, &r->prefsrc) < 0)
		return -EINVAL;
	return 0;
}

/* Rule attributes that select on something our rules never use. */
static const uint16_t rule_extra_attrs[] = {
	FRA_IIFNAME, FRA_OIFNAME, FRA_FWMARK, FRA_FWMASK, FRA_GOTO, FRA_FLOW, FRA_TUN_ID,
	FRA_SUPPRESS_IFGROUP, FRA_L3MDEV, FRA_UID_RANGE, FRA_IP_PROTO, FRA_SPORT_RANGE,
	FRA_DPORT_RANGE,
};

int rtnl_msg_rule_protocol(const struct nlmsghdr *nlh)
{
	size_t hdrlen = MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct fib_rule_hdr));
	const struct nlattr *attr;
	int left, protocol = 0;

	if (nlh->nlmsg_type != RTM_NEWRULE && nlh->nlmsg_type != RTM_DELRULE)
		return -ENOENT;
	if (nlh->nlmsg_len < hdrlen)
		return -EINVAL;
	/* As parse_attrs() walks: an attribute that overruns the message is an error. */
	attr = (const struct nlattr *)((const char *)nlh + hdrlen);
	left = (int)(nlh->nlmsg_len - hdrlen);
	while (left > 0) {
		if (!mnl_attr_ok(attr, left))
			return -EINVAL;
		if (mnl_attr_get_type(attr) == FRA_PROTOCOL) {
			if (mnl_attr_get_payload_len(attr) < sizeof(uint8_t))
				return -EINVAL;
			protocol = mnl_attr_get_u8(attr);
		}
		left -= MNL_ALIGN(attr->nla_len);
		attr = (const struct nlattr *)((const char *)attr + MNL_ALIGN(attr->nla_len));
	}
	return protocol;
}

int rtnl_msg_parse_rule(const struct nlmsghdr *nlh, struct rule *r)
{
	const struct nlattr *tb[FRA_MAX + 1];
	const struct fib_rule_hdr *frh;
	uint32_t suppress = UINT32_MAX;
	uint8_t full;

	if (nlh->nlmsg_type != RTM_NEWRULE && nlh->nlmsg_type != RTM_DELRULE)
		return -ENOENT;
	if (parse_attrs(nlh, sizeof(*frh), tb, FRA_MAX) < 0)
		return -EINVAL;
	frh = mnl_nlmsg_get_payload(nlh);
	if (frh->family != AF_INET && frh->family != AF_INET6)
		return -ENOENT;
	full = (uint8_t)(addr_family_len(frh->family) * 8);
	if (frh->src_len > full || frh->dst_len > full)
		return -EINVAL;

	memset(r, 0, sizeof(*r));
	r->family = frh->family;
	r->action = frh->action;
	r->table = frh->table;
	r->suppress_prefixlen = -1;
	if (frh->tos || frh->flags)
		r->flags |= RULE_HAS_EXTRA;
	for (size_t i = 0; i < sizeof(rule_extra_attrs) / sizeof(rule_extra_attrs[0]); i++)
		if (tb[rule_extra_attrs[i]])
			r->flags |= RULE_HAS_EXTRA;
	if (tb[FRA_PROTOCOL]) {
		if (mnl_attr_validate(tb[FRA_PROTOCOL], MNL_TYPE_U8) < 0)
			return -EINVAL;
		r->protocol = mnl_attr_get_u8(tb[FRA_PROTOCOL]);
	}
	if (get_u32(tb[FRA_PRIORITY], &r->priority) < 0 || get_u32(tb[FRA_TABLE], &r->table) < 0 ||
	    get_u32(tb[FRA_SUPPRESS_PREFIXLEN], &suppress) < 0 ||
	    get_addr(tb[FRA_SRC], r->family, frh->src_len, &r->src) < 0 ||
	    get_addr(tb[FRA_DST], r->family, frh->dst_len, &r->dst) < 0)
		return -EINVAL;
	/* The kernel reports "none" as -1; anything outside 0..128 is not ours to read. */
	if (suppress != UINT32_MAX) {
		if (suppress > 128)
			return -EINVAL;
		r->suppress_prefixlen = (int16_t)suppress;
	}
	/* "from 0.0.0.0/0" is "from all". */
	if (addr_is_set(&r->src) && r->src.plen == 0)
		memset(&r->src, 0, sizeof(r->src));
	if (addr_is_set(&r->dst) && r->dst.plen == 0)
		memset(&r->dst, 0, sizeof(r->dst));
	return 0;
}

int rtnl_msg_parse_addr(const struct nlmsghdr *nlh, struct addr *a, uint32_t *ifindex,
			uint8_t *scope, uint32_t *flags)
{
	const struct nlattr *tb[IFA_MAX + 1];
	const struct ifaddrmsg *ifa;
	const struct nlattr *local;

	if (nlh->nlmsg_type != RTM_NEWADDR && nlh->nlmsg_type != RTM_DELADDR)
		return -ENOENT;
	if (parse_attrs(nlh, sizeof(*ifa), tb, IFA_MAX) < 0)
		return -EINVAL;
	ifa = mnl_nlmsg_get_payload(nlh);
	if (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6)
		return -ENOENT;
	if (ifa->ifa_prefixlen > addr_family_len(ifa->ifa_family) * 8)
		return -EINVAL;
	/* IFA_LOCAL is our own address; IFA_ADDRESS is the peer on point-to-point links. */
	local = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (!local)
		return -EINVAL;
	if (get_addr(local, ifa->ifa_family, ifa->ifa_prefixlen, a) < 0)
		return -EINVAL;
	*ifindex = ifa->ifa_index;
	*scope = ifa->ifa_scope;
	*flags = ifa->ifa_flags;
	if (get_u32(tb[IFA_FLAGS], flags) < 0)
		return -EINVAL;
	return 0;
}

int rtnl_msg_parse_link(const struct nlmsghdr *nlh, uint32_t *ifindex, char *name,
			size_t name_size, uint32_t *flags)
{
	const struct nlattr *tb[IFLA_MAX + 1];
	const struct ifinfomsg *ifi;
	const char *ifname = "";

	if (nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK)
		return -ENOENT;
	if (parse_attrs(nlh, sizeof(*ifi), tb, IFLA_MAX) < 0)
		return -EINVAL;
	ifi = mnl_nlmsg_get_payload(nlh);
	if (ifi->ifi_index <= 0)
		return -EINVAL;
	if (tb[IFLA_IFNAME]) {
		if (mnl_attr_validate(tb[IFLA_IFNAME], MNL_TYPE_NUL_STRING) < 0)
			return -EINVAL;
		ifname = mnl_attr_get_str(tb[IFLA_IFNAME]);
	}
	if (strlen(ifname) >= name_size)
		return -EINVAL;
	memcpy(name, ifname, strlen(ifname) + 1);
	*ifindex = (uint32_t)ifi->ifi_index;
	*flags = ifi->ifi_flags;
	return 0;
}

/*
 * One datagram holds messages back to back, each padded to 4 bytes:
 *
 *   +----------+---------------------+-----+----------+------------ ...
 *   | nlmsghdr | payload             | pad | nlmsghdr | payload
 *   +----------+---------------------+-----+----------+------------ ...
 *   |<------ nlmsg_len ------------->|
 *
 * libmnl's mnl_nlmsg_ok() stops quietly at a message claiming more than is left (and, as it
 * compares a signed length, takes one of 2^31 bytes or more): a reader would wait for the
 * rest of a reply that never comes, or read past the buffer. The kernel never sends such a
 * datagram, so one is an error.
 */
int rtnl_msg_check_datagram(const void *buf, size_t len, uint32_t sender_pid)
{
	const uint8_t *p = buf;

	if (sender_pid != 0)
		return -EPERM;
	if (len == 0)
		return -EBADMSG;
	while (len > 0) {
		struct nlmsghdr nlh;
		size_t step;

		if (len < sizeof(nlh))
			return -EBADMSG;
		memcpy(&nlh, p, sizeof(nlh));
		if (nlh.nlmsg_len < sizeof(nlh) || nlh.nlmsg_len > len)
			return -EBADMSG;
		step = MNL_ALIGN(nlh.nlmsg_len);
		if (step >= len)
			break;
		p += step;
		len -= step;
	}
	return 0;
}

const char *rtnl_msg_ext_ack(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *err;
	const struct nlattr *attr;
	size_t off;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	if (nlh->nlmsg_type == NLMSG_DONE) {
		/* A refused dump: its error as an int, then the TLVs. */
		off = sizeof(int);
		if (mnl_nlmsg_get_payload_len(nlh) < off)
			return NULL;
		goto tlvs;
	}
	if (nlh->nlmsg_type != NLMSG_ERROR || mnl_nlmsg_get_payload_len(nlh) < sizeof(*err))
		return NULL;
	err = mnl_nlmsg_get_payload(nlh);
	off = sizeof(*err);
	/* Without NLM_F_CAPPED the kernel echoes our whole request before the TLVs. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (err->msg.nlmsg_len < sizeof(struct nlmsghdr))
			return NULL;
		off += err->msg.nlmsg_len - sizeof(struct nlmsghdr);
	}
tlvs:
	if (MNL_ALIGN(off) > mnl_nlmsg_get_payload_len(nlh))
		return NULL;
	mnl_attr_for_each(attr, nlh, off) {
		if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
			return mnl_attr_get_str(attr);
	}
	return NULL;
}
