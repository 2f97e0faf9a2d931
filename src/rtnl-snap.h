/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Purpose: one reading of the kernel's routes, rules, addresses and links, answered many times. */
#ifndef SYMROUTE_RTNL_SNAP_H
#define SYMROUTE_RTNL_SNAP_H

#include <stdbool.h>
#include <stdint.h>

struct addr;
struct nlmsghdr;
struct route;
struct rule;
struct rtnl_snap;

/* rtnl.c's side: rtnl_snapshot_take() fills one and answers its dumps from it. */
struct rtnl_snap *rtnl_snap_new(uint8_t protocol);
void rtnl_snap_free(struct rtnl_snap *s);
/*
 * Dump callbacks (@data: the snapshot); rtnl_snap_mark() before each dump, restart on
 * NLM_F_DUMP_INTR. Routes are kept as the kernel sent them (parsed, one weighs a kilobyte);
 * rules and addresses as the dumps parse them.
 */
int rtnl_snap_add_route(const struct nlmsghdr *nlh, const struct route *r, void *data);
int rtnl_snap_add_rule(const struct rule *r, void *data);
int rtnl_snap_add_addr(const struct addr *a, uint8_t scope, uint32_t flags, uint32_t ifindex,
		       void *data);
void rtnl_snap_mark(struct rtnl_snap *s);
void rtnl_snap_restart(void *data);
/* After the dumps: the links, and the indexes. */
int rtnl_snap_seal(struct rtnl_snap *s);

/*
 * The messages a dump would have sent, in the kernel's order (0: any family, table,
 * interface, protocol; a route's interface is its single next hop's, as the dumps' own
 * filter takes it). Main holds only what route_kept() keeps.
 */
struct rtnl_snap_filter {
	uint8_t family;
	uint8_t protocol;
	uint32_t table;
	uint32_t oif;
	const struct addr *dst;	/* the route's destination, prefix length included */
};
int rtnl_snap_routes(const struct rtnl_snap *s, const struct rtnl_snap_filter *f,
		     int (*fn)(const struct nlmsghdr *nlh, void *data), void *data);
/* Rules come parsed (as rtnl_msg_parse_rule() made them when the snapshot was taken). */
int rtnl_snap_rules(const struct rtnl_snap *s, int family,
		    int (*fn)(const struct rule *r, void *data), void *data);
/* The rules of @family, in the kernel's order, where they are kept: their number. */
size_t rtnl_snap_rules_of(const struct rtnl_snap *s, int family, const struct rule **rules);
int rtnl_snap_addrs(const struct rtnl_snap *s, int family, uint32_t ifindex,
		    int (*fn)(const struct addr *a, uint8_t scope, uint32_t flags, void *data),
		    void *data);
bool rtnl_snap_link(const struct rtnl_snap *s, uint32_t ifindex);

#endif
