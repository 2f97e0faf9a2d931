/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Purpose: routes, rules and addresses to and from rtnetlink messages. Pure: no sockets. */
#ifndef SYMROUTE_RTNL_MSG_H
#define SYMROUTE_RTNL_MSG_H

#include <stddef.h>
#include <stdint.h>

struct nlmsghdr;
struct route;
struct rule;
struct addr;

/* Room for any one request we build. */
#define RTNL_MSG_MAX 2048	/* a multipath route of ROUTE_MAX_NEXTHOPS IPv6 next hops fits */

/* Requests. @buf holds RTNL_MSG_MAX bytes; returns the message in it. */
struct nlmsghdr *rtnl_msg_route(void *buf, uint16_t type, uint16_t flags, const struct route *r);
struct nlmsghdr *rtnl_msg_rule(void *buf, uint16_t type, uint16_t flags, const struct rule *r);
/* Dumps the kernel filters itself (NETLINK_GET_STRICT_CHK): one table, one interface. */
struct nlmsghdr *rtnl_msg_route_dump(void *buf, int family, uint32_t table);
/* The same, only routes through interface @oif (0: any). */
struct nlmsghdr *rtnl_msg_route_dump_oif(void *buf, int family, uint32_t table, uint32_t oif);
/* Routes of @table with origin @protocol only. */
struct nlmsghdr *rtnl_msg_route_dump_table_proto(void *buf, int family, uint32_t table,
						  uint8_t protocol);
struct nlmsghdr *rtnl_msg_rule_dump(void *buf, int family);
struct nlmsghdr *rtnl_msg_addr_dump(void *buf, int family, uint32_t ifindex);
/* A route lookup, as `ip route get DST from SRC [oif IF]`. */
struct nlmsghdr *rtnl_msg_route_get(void *buf, const struct addr *dst, const struct addr *src,
				    uint32_t oif);
/*
 * The route the kernel's lookup for DST matches, as `ip route get fibmatch DST [from SRC]
 * [oif IF]` (@src NULL, @oif 0: none): policy rules for the source apply.
 */
struct nlmsghdr *rtnl_msg_route_match(void *buf, const struct addr *dst, const struct addr *src,
				      uint32_t oif);

/*
 * Replies. Return 0; -ENOENT for a message of another kind (not a route, a
 * family we do not handle); -EINVAL for a malformed one.
 */
int rtnl_msg_parse_route(const struct nlmsghdr *nlh, struct route *r);
int rtnl_msg_parse_rule(const struct nlmsghdr *nlh, struct rule *r);
/*
 * The owner tag of a rule message (0: none), read without parsing the rest: a dump of
 * thousands of rules of others skips each for a few instructions. -ENOENT: not a rule
 * message; -EINVAL: malformed.
 */
int rtnl_msg_rule_protocol(const struct nlmsghdr *nlh);
int rtnl_msg_parse_addr(const struct nlmsghdr *nlh, struct addr *a, uint32_t *ifindex,
			uint8_t *scope, uint32_t *flags);
/* A link's index, name (IFLA_IFNAME, "" without) and IFF_* flags, from RTM_NEWLINK/DELLINK. */
int rtnl_msg_parse_link(const struct nlmsghdr *nlh, uint32_t *ifindex, char *name,
			size_t name_size, uint32_t *flags);

/*
 * A datagram as read from the socket, before any message in it is believed: sent by the
 * kernel (@sender_pid, the nl_pid of the source address, is 0), and each message's header
 * and claimed length within the @len bytes received (the last one's padding may be absent).
 * Returns 0; -EPERM when another process sent it; -EBADMSG when a message is truncated,
 * shorter than its header or claims more than was received.
 */
int rtnl_msg_check_datagram(const void *buf, size_t len, uint32_t sender_pid);

/* The kernel's extended-ack text in an NLMSG_ERROR message, or NULL. */
const char *rtnl_msg_ext_ack(const struct nlmsghdr *nlh);

#endif
