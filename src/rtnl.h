/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Purpose: the only socket code: requests with their ACK, narrow dumps, extended-ack text. */
#ifndef SYMROUTE_RTNL_H
#define SYMROUTE_RTNL_H

#include <stdbool.h>
#include <stdint.h>

struct rtnl;
struct route;
struct rule;
struct addr;

typedef int (*rtnl_route_fn)(const struct route *r, void *data);
typedef int (*rtnl_rule_fn)(const struct rule *r, void *data);
typedef int (*rtnl_addr_fn)(const struct addr *a, uint8_t scope, uint32_t flags, void *data);

int rtnl_open(struct rtnl **out);
void rtnl_close(struct rtnl *nl);

/*
 * Dumps. A dump the kernel marks interrupted (NLM_F_DUMP_INTR) is restarted,
 * so callbacks must tolerate seeing objects again: they get -EAGAIN-free
 * semantics by the caller resetting its collection in @reset (may be NULL).
 * A callback returning non-zero stops the dump with that value.
 */
int rtnl_dump_routes(struct rtnl *nl, int family, uint32_t table, rtnl_route_fn fn, void *data,
		     void (*reset)(void *data));
int rtnl_dump_rules(struct rtnl *nl, int family, rtnl_rule_fn fn, void *data,
		    void (*reset)(void *data));
int rtnl_dump_addrs(struct rtnl *nl, int family, uint32_t ifindex, rtnl_addr_fn fn, void *data,
		    void (*reset)(void *data));

/* Changes: one request, its ACK checked. Return 0 or the kernel's -errno. */
int rtnl_route_change(struct rtnl *nl, bool add, const struct route *r);
int rtnl_rule_change(struct rtnl *nl, bool add, const struct rule *r);

/* The kernel's lookup for DST from SRC, as `ip route get`. */
int rtnl_route_get(struct rtnl *nl, const struct addr *dst, const struct addr *src, uint32_t oif,
		   struct route *out);

/* The kernel's extended-ack text for the last failed request, or NULL. */
const char *rtnl_ext_ack(const struct rtnl *nl);

#endif
