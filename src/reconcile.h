/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Purpose: the difference between what is wanted and what of ours exists, as ordered operations. Pure. */
#ifndef SYMROUTE_RECONCILE_H
#define SYMROUTE_RECONCILE_H

#include "policy.h"
#include "sysctl.h"

struct have;

enum op_kind {
	OP_DEL_RULE,
	OP_DEL_ROUTE,
	OP_ADD_ROUTE,
	OP_ADD_RULE,
	/* A per-interface IPv4 setting under /proc/sys (sysctl.c plans it, apply writes it). */
	OP_SET_SYSCTL,
	/*
	 * The shared multipath default written over the one in place (NLM_F_REPLACE, never a
	 * gap without it): u.replace, whose prev is what an undo writes back. Every other
	 * interface's next hop is in both, so neither the change nor its undo takes them away.
	 */
	OP_REPLACE_ROUTE,
};

/* route first: u.route names the route written for every route operation. */
struct route_replace {
	struct route route;
	struct route prev;
};

struct op {
	enum op_kind kind;
	/*
	 * An add where nothing was read (run.c, main_by_witness()): a question, which the
	 * kernel may answer "already there" for what was there before. A lost answer
	 * cannot then be settled by asking again (apply.c).
	 */
	bool asked;
	union {
		struct route route;
		struct rule rule;
		struct sysctl_set sysctl;
		struct route_replace replace;
	} u;
};

/* Room @ops needs for reconcile(): every wanted and every existing object once. */
unsigned reconcile_max_ops(const struct policy *want, const struct have *have);

/*
 * Fill @ops with the operations that turn @have into @want, in an order the
 * kernel accepts and that never leaves a rule pointing into a half-built
 * table: rule deletions, route deletions (gateway routes before connected
 * ones), route additions (connected before gateway), the shared rule, rule
 * additions, and last the shared rule's removal. Objects in both are left
 * alone, so a repeated event gives no operations. Returns the count.
 */
unsigned reconcile(const struct policy *want, const struct have *have, struct op *ops);

#endif
