// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: the identity of routes and rules: one compare function each. */
#include <stdlib.h>
#include <sys/socket.h>

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

/* FNV-1a, 64 bits: small, and every input byte reaches every output bit. */
static uint64_t fnv1a(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

/* Field by field, never the struct whole: its padding is not the rule's. */
static uint64_t addr_hash(uint64_t h, const struct addr *a)
{
	if (!addr_is_set(a))
		return fnv1a(h, "-", 1);
	h = fnv1a(h, &a->family, sizeof(a->family));
	h = fnv1a(h, &a->plen, sizeof(a->plen));
	return fnv1a(h, a->bytes, a->family == AF_INET ? 4 : 16);
}

static uint64_t rule_hash(const struct rule *r)
{
	uint64_t h = 0xcbf29ce484222325ull;

	h = fnv1a(h, &r->family, sizeof(r->family));
	h = fnv1a(h, &r->priority, sizeof(r->priority));
	h = fnv1a(h, &r->table, sizeof(r->table));
	h = fnv1a(h, &r->action, sizeof(r->action));
	h = fnv1a(h, &r->protocol, sizeof(r->protocol));
	h = fnv1a(h, &r->suppress_prefixlen, sizeof(r->suppress_prefixlen));
	h = fnv1a(h, &r->flags, sizeof(r->flags));
	h = addr_hash(h, &r->src);
	h = addr_hash(h, &r->dst);
	/* splitmix64's finaliser: a sum of these stays as good as each term. */
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebull;
	return h ^ (h >> 31);
}

uint32_t rules_digest(const struct rule *rules, unsigned n, uint32_t table)
{
	uint64_t sum = 0;
	uint32_t d;

	/* A sum: the order plan_build() met the addresses in is not part of the set. */
	for (unsigned i = 0; i < n; i++)
		if (rules[i].table == table)
			sum += rule_hash(&rules[i]);
	d = (uint32_t)(sum ^ (sum >> 32));
	return d < RULES_DIGEST_MIN ? d + RULES_DIGEST_MIN : d;
}
