/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Purpose: the routes and rules symroute manages, as plain values with one identity each. */
#ifndef SYMROUTE_POLICY_H
#define SYMROUTE_POLICY_H

#include <stdint.h>
#include "addr.h"

/*
 * A route as symroute manages it: only the fields our routes use. A route
 * decoded from the kernel that carries anything else (multipath, encap,
 * metrics, ...) gets ROUTE_HAS_EXTRA so that it never compares equal to one
 * we want: it is replaced, never silently kept.
 */
enum route_flags {
	ROUTE_ONLINK = 1 << 0,	/* RTNH_F_ONLINK: the gateway is on the link by fiat */
	ROUTE_HAS_EXTRA = 1 << 1,
	/*
	 * main-mode multipath: the one default of ours in main that every managed
	 * interface contributes a next hop to. It is written whole, replacing what
	 * is there (NLM_F_REPLACE), never deleted and added again.
	 */
	ROUTE_SHARED = 1 << 2,
};

/* Next hops of a multipath route: one per managed uplink at most. */
#define ROUTE_MAX_NEXTHOPS 32

enum nexthop_flags {
	NEXTHOP_ONLINK = 1 << 0,	/* RTNH_F_ONLINK */
	NEXTHOP_DEAD = 1 << 1,		/* RTNH_F_DEAD: the kernel's verdict, its interface is down */
};

struct route_nexthop {
	uint32_t oif;
	uint16_t weight;	/* 1..256 */
	uint16_t flags;		/* enum nexthop_flags */
	struct addr gateway;
};

struct route {
	uint8_t family;
	uint8_t type;		/* RTN_UNICAST */
	uint8_t scope;		/* RT_SCOPE_LINK for connected, RT_SCOPE_UNIVERSE otherwise */
	uint8_t protocol;	/* owner tag */
	uint32_t table;
	uint32_t metric;	/* RTA_PRIORITY; set explicitly (IPv6 turns 0 into 1024) */
	uint32_t oif;
	uint32_t flags;		/* enum route_flags */
	struct addr dst;	/* plen 0: default */
	struct addr gateway;	/* family 0: none */
	struct addr prefsrc;	/* family 0: none */
	/*
	 * RTA_MULTIPATH, sorted by interface then gateway (route_nexthops_sort()) so that
	 * the order never makes two equal routes differ. 0: a single path (oif, gateway);
	 * the kernel reports a multipath route that is down to one next hop that way too.
	 */
	uint8_t n_nexthops;
	struct route_nexthop nexthops[ROUTE_MAX_NEXTHOPS];
};

enum rule_flags {
	RULE_HAS_EXTRA = 1 << 0,	/* selectors we do not use (iif, fwmark, ...) */
};

struct rule {
	uint8_t family;
	uint8_t protocol;
	uint8_t action;		/* FR_ACT_TO_TBL */
	int16_t suppress_prefixlen;	/* -1: none */
	uint32_t priority;
	uint32_t table;
	uint32_t flags;		/* enum rule_flags */
	struct addr src;	/* family 0: from all */
	struct addr dst;	/* family 0: to all */
};

/* The one identity of each object: the diff, "already there?" and the tests use these. */
int route_cmp(const struct route *a, const struct route *b);
int rule_cmp(const struct rule *a, const struct rule *b);
/* Put @r's next hops in the canonical order route_cmp() relies on. */
void route_nexthops_sort(struct route *r);

/*
 * A fingerprint of the rules among @rules[0..@n) that look up @table, whatever their order:
 * equal sets give equal values, and any rule added, removed or changed gives another one
 * (but for a 2^-32 chance). Never below RULES_DIGEST_MIN, so that it cannot be taken for
 * a multipath weight (1..256) or a metric symroute wrote before it had one (0, 1024).
 */
#define RULES_DIGEST_MIN 0x10000u
uint32_t rules_digest(const struct rule *rules, unsigned n, uint32_t table);

/* Bounds of what one interface can want; plan.c fails with -E2BIG past them. */
/*
 * LINK_MAX_ADDRS (64) addresses: their prefixes, two defaults; three rules each (from, to,
 * shared subnet), the shared one and EVENT_MAX_PREFER (16) preferred prefixes.
 */
#define POLICY_MAX_ROUTES 72
#define POLICY_MAX_RULES 216

/* What one event wants the kernel to hold for one interface and family. */
struct policy {
	unsigned n_routes;
	unsigned n_rules;
	struct route routes[POLICY_MAX_ROUTES];
	struct rule rules[POLICY_MAX_RULES];
};

#endif
