// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: the difference between what is wanted and what of ours exists, as ordered operations. Pure. */
#include <linux/rtnetlink.h>
#include <stdbool.h>
#include <string.h>

#include "have.h"
#include "reconcile.h"

unsigned reconcile_max_ops(const struct policy *want, const struct have *have)
{
	return want->n_routes + want->n_rules + have->n_routes + have->n_rules;
}

/* The suppress rule is shared by every interface: added first, removed last. */
static bool is_shared(const struct rule *r)
{
	return r->table == RT_TABLE_MAIN && r->suppress_prefixlen >= 0;
}

static bool has_gateway(const struct route *r)
{
	return addr_is_set(&r->gateway) || r->n_nexthops > 0;
}

/*
 * The shared multipath default is replaced in place (the add is a replace):
 * an old one with a wanted successor of the same family, table, destination
 * and metric is not deleted first, which would leave main without it.
 */
static bool replaced_in_place(const struct policy *want, const struct route *old)
{
	if (!(old->flags & ROUTE_SHARED))
		return false;
	for (unsigned j = 0; j < want->n_routes; j++) {
		const struct route *w = &want->routes[j];

		if ((w->flags & ROUTE_SHARED) && w->family == old->family && w->table == old->table &&
		    w->metric == old->metric && addr_cmp(&w->dst, &old->dst) == 0)
			return true;
	}
	return false;
}

/*
 * One-to-one matching: an existing object is kept when an equal wanted one is
 * still unclaimed, so a duplicate of ours in the kernel is removed, not kept
 * twice. The matching is deterministic, so every phase recomputes it the same
 * way instead of storing per-object flags.
 */
static bool rule_kept(const struct policy *want, const struct have *have, unsigned i,
		      bool *claimed)
{
	for (unsigned j = 0; j < want->n_rules; j++) {
		if (!claimed[j] && rule_cmp(&have->rules[i], &want->rules[j]) == 0) {
			claimed[j] = true;
			return true;
		}
	}
	return false;
}

static bool route_kept(const struct policy *want, const struct have *have, unsigned i,
		       bool *claimed)
{
	for (unsigned j = 0; j < want->n_routes; j++) {
		if (!claimed[j] && route_cmp(&have->routes[i], &want->routes[j]) == 0) {
			claimed[j] = true;
			return true;
		}
	}
	return false;
}

static void emit_rule(struct op *ops, unsigned *n, enum op_kind kind, const struct rule *r)
{
	ops[*n].kind = kind;
	ops[*n].asked = false;
	ops[*n].u.rule = *r;
	(*n)++;
}

static void emit_route(struct op *ops, unsigned *n, enum op_kind kind, const struct route *r)
{
	ops[*n].kind = kind;
	ops[*n].asked = false;
	ops[*n].u.route = *r;
	(*n)++;
}

/* Existing rules that go, shared or not, in have's order. */
static void del_rules(const struct policy *want, const struct have *have, bool shared,
		      struct op *ops, unsigned *n)
{
	bool claimed[POLICY_MAX_RULES] = { false };

	for (unsigned i = 0; i < have->n_rules; i++)
		if (!rule_kept(want, have, i, claimed) && is_shared(&have->rules[i]) == shared)
			emit_rule(ops, n, OP_DEL_RULE, &have->rules[i]);
}

/*
 * Is @r, which goes, the same route as one wanted but for its metric (the fingerprint in a
 * table's default, a changed fallback metric)? The new one is then added before @r goes:
 * the table, or main, never lacks that route in between.
 */
static bool metric_changed(const struct policy *want, const bool *found, const struct route *r)
{
	for (unsigned j = 0; j < want->n_routes; j++) {
		struct route w = want->routes[j];

		w.metric = r->metric;
		if (!found[j] && route_cmp(&w, r) == 0)
			return true;
	}
	return false;
}

/* Routes that go, in have's order: before the additions, or (@after) those just after. */
static void del_routes(const struct policy *want, const struct have *have, const bool *found,
		       bool gateway, bool after, struct op *ops, unsigned *n)
{
	bool claimed[POLICY_MAX_ROUTES] = { false };

	for (unsigned i = 0; i < have->n_routes; i++)
		if (!route_kept(want, have, i, claimed) && has_gateway(&have->routes[i]) == gateway &&
		    !replaced_in_place(want, &have->routes[i]) &&
		    metric_changed(want, found, &have->routes[i]) == after)
			emit_route(ops, n, OP_DEL_ROUTE, &have->routes[i]);
}

/* The shared default in place that @w, the wanted one, is written over; NULL: none. */
static const struct route *replaced_by(const struct have *have, const struct route *w)
{
	if (!(w->flags & ROUTE_SHARED))
		return NULL;
	for (unsigned i = 0; i < have->n_routes; i++) {
		const struct route *old = &have->routes[i];

		if ((old->flags & ROUTE_SHARED) && w->family == old->family &&
		    w->table == old->table && w->metric == old->metric &&
		    addr_cmp(&w->dst, &old->dst) == 0)
			return old;
	}
	return NULL;
}

static void add_routes(const struct policy *want, const struct have *have, const bool *found,
		       bool gateway, struct op *ops, unsigned *n)
{
	for (unsigned j = 0; j < want->n_routes; j++) {
		const struct route *old;

		if (found[j] || has_gateway(&want->routes[j]) != gateway)
			continue;
		old = replaced_by(have, &want->routes[j]);
		if (!old) {
			emit_route(ops, n, OP_ADD_ROUTE, &want->routes[j]);
			continue;
		}
		ops[*n].kind = OP_REPLACE_ROUTE;
		ops[*n].asked = false;
		ops[*n].u.replace.route = want->routes[j];
		ops[*n].u.replace.prev = *old;
		(*n)++;
	}
}

static void add_rules(const struct policy *want, const bool *found, bool shared, struct op *ops,
		      unsigned *n)
{
	for (unsigned j = 0; j < want->n_rules; j++)
		if (!found[j] && is_shared(&want->rules[j]) == shared)
			emit_rule(ops, n, OP_ADD_RULE, &want->rules[j]);
}

unsigned reconcile(const struct policy *want, const struct have *have, struct op *ops)
{
	bool route_found[POLICY_MAX_ROUTES] = { false };
	bool rule_found[POLICY_MAX_RULES] = { false };
	unsigned n = 0;

	for (unsigned i = 0; i < have->n_routes; i++)
		route_kept(want, have, i, route_found);
	for (unsigned i = 0; i < have->n_rules; i++)
		rule_kept(want, have, i, rule_found);

	/* Rules first, so no rule of ours points into a table while it is being rebuilt. */
	del_rules(want, have, false, ops, &n);
	/* A gateway route depends on the connected route that makes its gateway reachable. */
	del_routes(want, have, route_found, true, false, ops, &n);
	del_routes(want, have, route_found, false, false, ops, &n);
	add_routes(want, have, route_found, false, ops, &n);
	add_routes(want, have, route_found, true, ops, &n);
	del_routes(want, have, route_found, true, true, ops, &n);
	del_routes(want, have, route_found, false, true, ops, &n);
	/* Main's specific routes must win before our defaults start to catch traffic. */
	add_rules(want, rule_found, true, ops, &n);
	add_rules(want, rule_found, false, ops, &n);
	del_rules(want, have, true, ops, &n);
	return n;
}
