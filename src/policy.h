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

/* Bounds of what one interface can want; plan.c fails with -E2BIG past them. */
/*
 * LINK_MAX_ADDRS (64) addresses: their prefixes, two defaults; two rules each, the shared one
 * and EVENT_MAX_PREFER (16) preferred prefixes.
 */
#define POLICY_MAX_ROUTES 72
#define POLICY_MAX_RULES 152

/* What one event wants the kernel to hold for one interface and family. */
struct policy {
	unsigned n_routes;
	unsigned n_rules;
	struct route routes[POLICY_MAX_ROUTES];
	struct rule rules[POLICY_MAX_RULES];
};

#endif
