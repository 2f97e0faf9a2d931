/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Purpose: carry out operations through rtnetlink; the only code that changes the kernel. */
#ifndef SYMROUTE_APPLY_H
#define SYMROUTE_APPLY_H

#include <stdbool.h>

struct rtnl;
struct op;

/*
 * Send @ops in order. A route or rule that is already there (EEXIST) or
 * already gone (ENOENT/ESRCH) counts as done: the kernel converged. On any
 * other refusal, undo what this call changed, in reverse, log the kernel's
 * reason naming the object, and return its -errno. Returns how many
 * operations changed the kernel.
 */
int apply_ops(struct rtnl *nl, const struct op *ops, unsigned n, const char *ifname);
/* The same, telling in @changed[i] (may be NULL) whether ops[i] changed the kernel. */
int apply_ops_report(struct rtnl *nl, const struct op *ops, unsigned n, const char *ifname,
		     bool *changed);

/*
 * One event's undo scope: what every apply_in_scope() call of the event changed, in order.
 * An event that sends in several steps (a step may depend on what the kernel answered to
 * the one before) is still undone whole.
 */
struct apply_scope {
	struct op *done;
	unsigned n, cap;
};

/*
 * apply_ops_report() within @scope: a refusal undoes, newest first, everything the scope
 * changed, this call and the calls before it. The scope is then empty.
 */
int apply_in_scope(struct rtnl *nl, struct apply_scope *scope, const struct op *ops, unsigned n,
		   const char *ifname, bool *changed);
/* Undo, newest first, what @scope changed (a step failed before it could send). */
void apply_scope_undo(struct rtnl *nl, struct apply_scope *scope, const char *ifname);
void apply_scope_free(struct apply_scope *scope);

/* Tell the kernel routes changed (`ip route flush cache`); best effort. */
void apply_flush_cache(int family);

#endif
