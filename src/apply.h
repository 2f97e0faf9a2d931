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

/* Tell the kernel routes changed (`ip route flush cache`); best effort. */
void apply_flush_cache(int family);

#endif
