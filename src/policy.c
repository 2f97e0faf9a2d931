// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: the identity of routes and rules: one compare function each. */
#include <stdlib.h>

#include "policy.h"

#define CMP(a, b)                                  \
	do {                                       \
		if ((a) != (b))                    \
			return (a) < (b) ? -1 : 1; \
	} while (0)

static int addr_cmp_opt(const struct addr *a, const struct addr *b)
{
	if (!addr_is_set(a) || !addr_is_set(b))
		return (int)addr_is_set(a) - (int)addr_is_set(b);
	return addr_cmp(a, b);
}

int route_cmp(const struct route *a, const struct route *b)
{
	int r;

	CMP(a->family, b->family);
	CMP(a->table, b->table);
	if ((r = addr_cmp_opt(&a->dst, &b->dst)))
		return r;
	CMP(a->metric, b->metric);
	CMP(a->type, b->type);
	CMP(a->scope, b->scope);
	CMP(a->protocol, b->protocol);
	CMP(a->oif, b->oif);
	CMP(a->flags, b->flags);
	if ((r = addr_cmp_opt(&a->gateway, &b->gateway)))
		return r;
	if ((r = addr_cmp_opt(&a->prefsrc, &b->prefsrc)))
		return r;
	CMP(a->n_nexthops, b->n_nexthops);
	for (unsigned i = 0; i < a->n_nexthops && i < ROUTE_MAX_NEXTHOPS; i++) {
		CMP(a->nexthops[i].oif, b->nexthops[i].oif);
		CMP(a->nexthops[i].weight, b->nexthops[i].weight);
		CMP(a->nexthops[i].flags, b->nexthops[i].flags);
		if ((r = addr_cmp_opt(&a->nexthops[i].gateway, &b->nexthops[i].gateway)))
			return r;
	}
	return 0;
}

static int nexthop_order(const void *pa, const void *pb)
{
	const struct route_nexthop *a = pa, *b = pb;

	CMP(a->oif, b->oif);
	return addr_cmp_opt(&a->gateway, &b->gateway);
}

void route_nexthops_sort(struct route *r)
{
	if (r->n_nexthops > 1)
		qsort(r->nexthops, r->n_nexthops, sizeof(r->nexthops[0]), nexthop_order);
}

int rule_cmp(const struct rule *a, const struct rule *b)
{
	int r;

	CMP(a->family, b->family);
	CMP(a->priority, b->priority);
	CMP(a->table, b->table);
	CMP(a->action, b->action);
	CMP(a->protocol, b->protocol);
	CMP(a->suppress_prefixlen, b->suppress_prefixlen);
	CMP(a->flags, b->flags);
	if ((r = addr_cmp_opt(&a->src, &b->src)))
		return r;
	return addr_cmp_opt(&a->dst, &b->dst);
}
