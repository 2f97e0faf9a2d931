// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: carry out operations (rtnetlink, /proc/sys); the only code that changes the kernel. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "apply.h"
#include "log.h"
#include "reconcile.h"
#include "rtnl.h"
#include "show.h"
#include "sysctl.h"

static bool op_is_add(const struct op *op)
{
	return op->kind == OP_ADD_ROUTE || op->kind == OP_ADD_RULE;
}

/* An add or a delete of one route or rule: asked again, the kernel says whether it is done. */
static bool one_object(const struct op *op)
{
	return op->kind == OP_ADD_ROUTE || op->kind == OP_DEL_ROUTE || op->kind == OP_ADD_RULE ||
	       op->kind == OP_DEL_RULE;
}

static int apply_one(struct rtnl *nl, const struct op *op)
{
	switch (op->kind) {
	case OP_ADD_ROUTE:
	case OP_DEL_ROUTE:
		return rtnl_route_change(nl, op_is_add(op), &op->u.route);
	case OP_ADD_RULE:
	case OP_DEL_RULE:
		return rtnl_rule_change(nl, op_is_add(op), &op->u.rule);
	case OP_SET_SYSCTL:
		return sysctl_write(&op->u.sysctl, false);
	case OP_REPLACE_ROUTE:
		/* A shared route: rtnl_msg_route() asks the kernel to replace. */
		return rtnl_route_change(nl, true, &op->u.replace.route);
	}
	return -EINVAL;
}

/* Did the kernel already hold the state this operation asks for? */
static bool converged(const struct op *op, int err)
{
	if (op_is_add(op))
		return err == -EEXIST;
	if (op->kind == OP_SET_SYSCTL || op->kind == OP_REPLACE_ROUTE)
		return false;	/* a write or a replace that fails did not happen */
	/* ENOENT for a rule, ESRCH for a route: someone (or the kernel) got there first. */
	return err == -ENOENT || err == -ESRCH;
}

static struct op inverse(const struct op *op)
{
	struct op inv = *op;

	switch (op->kind) {
	case OP_ADD_ROUTE:
		inv.kind = OP_DEL_ROUTE;
		break;
	case OP_DEL_ROUTE:
		inv.kind = OP_ADD_ROUTE;
		break;
	case OP_ADD_RULE:
		inv.kind = OP_DEL_RULE;
		break;
	case OP_DEL_RULE:
		inv.kind = OP_ADD_RULE;
		break;
	case OP_REPLACE_ROUTE:
		/* The route in place before goes back, with every other interface's hop. */
		inv.u.replace.route = op->u.replace.prev;
		inv.u.replace.prev = op->u.replace.route;
		break;
	case OP_SET_SYSCTL:
		/* The value found before goes back. */
		memcpy(inv.u.sysctl.value, op->u.sysctl.before, sizeof(inv.u.sysctl.value));
		memcpy(inv.u.sysctl.before, op->u.sysctl.value, sizeof(inv.u.sysctl.before));
		break;
	}
	return inv;
}

/* Undo, newest first, what the scope changed: the system is left as it was found. */
static void roll_back(struct rtnl *nl, struct apply_scope *scope, const char *ifname)
{
	char line[SHOW_LINE_MAX];

	while (scope->n > 0) {
		struct op inv = inverse(&scope->done[--scope->n]);
		int err = apply_one(nl, &inv);

		if (err < 0 && !converged(&inv, err))
			log_error("rollback failed, `symroute sync` repairs it: %s: %s",
				  show_op(line, sizeof(line), &inv, ifname), rtnl_strerror(err));
		/* A kernel that does not answer will not answer the rest either. */
		if (err == -ETIMEDOUT) {
			scope->n = 0;
			return;
		}
	}
}

/* Room for @more changes, taken before anything is sent: an undo is never lost to ENOMEM. */
static int scope_reserve(struct apply_scope *scope, unsigned more)
{
	struct op *v;

	if (scope->n + more <= scope->cap)
		return 0;
	v = realloc(scope->done, (scope->n + more) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	scope->done = v;
	scope->cap = scope->n + more;
	return 0;
}

void apply_scope_undo(struct rtnl *nl, struct apply_scope *scope, const char *ifname)
{
	roll_back(nl, scope, ifname);
}

void apply_scope_free(struct apply_scope *scope)
{
	free(scope->done);
	memset(scope, 0, sizeof(*scope));
}

int apply_ops(struct rtnl *nl, const struct op *ops, unsigned n, const char *ifname)
{
	return apply_ops_report(nl, ops, n, ifname, NULL);
}

int apply_ops_report(struct rtnl *nl, const struct op *ops, unsigned n, const char *ifname,
		     bool *report)
{
	struct apply_scope scope = { 0 };
	int r = apply_in_scope(nl, &scope, ops, n, ifname, report);

	apply_scope_free(&scope);
	return r;
}

int apply_in_scope(struct rtnl *nl, struct apply_scope *scope, const struct op *ops, unsigned n,
		   const char *ifname, bool *report)
{
	char line[SHOW_LINE_MAX], ack[256];
	unsigned n_changed = 0;
	int err = 0;

	if (n == 0)
		return 0;
	if (scope_reserve(scope, n) < 0)
		return -ENOMEM;
	if (report)
		memset(report, 0, n * sizeof(*report));
	for (unsigned i = 0; i < n; i++) {
		err = apply_one(nl, &ops[i]);
		if (err == 0) {
			scope->done[scope->n++] = ops[i];
			if (report)
				report[i] = true;
			n_changed++;
			log_debug("%s", show_op(line, sizeof(line), &ops[i], ifname));
			continue;
		}
		if (converged(&ops[i], err)) {
			err = 0;
			continue;
		}
		/* The kernel's reason, before another request overwrites it. */
		snprintf(ack, sizeof(ack), "%s", rtnl_ext_ack(nl) ? rtnl_ext_ack(nl) : "");
		/*
		 * The answer was lost (the socket overran): ask again. "Already there" (or gone)
		 * now means the first request was carried out (reconcile saw the place as it
		 * was), a success means this one was: either way the undo takes it back, since
		 * a later event may not read the place it changed (run.c, main_by_witness()).
		 */
		if (err == -ENOBUFS && one_object(&ops[i]) && !ops[i].asked) {
			int again = apply_one(nl, &ops[i]);

			if (again == 0 || converged(&ops[i], again))
				scope->done[scope->n++] = ops[i];
		}
		if (err == -ETIMEDOUT || err == -EBADMSG)
			log_error("'%s': %s", show_op(line, sizeof(line), &ops[i], ifname),
				  rtnl_strerror(err));
		else
			log_error("the kernel refused '%s': %s%s%s",
				  show_op(line, sizeof(line), &ops[i], ifname), strerror(-err),
				  ack[0] ? ": " : "", ack);
		roll_back(nl, scope, ifname);
		if (report)
			memset(report, 0, n * sizeof(*report));	/* undone: nothing changed */
		break;
	}
	return err < 0 ? err : (int)n_changed;
}

void apply_flush_cache(int family)
{
	/* What `ip route flush cache` does; IPv4 has had no cache since 3.6, IPv6 still has one. */
	const char *path = family == AF_INET6 ? "/proc/sys/net/ipv6/route/flush"
					      : "/proc/sys/net/ipv4/route/flush";
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (write(fd, "-1", 2) < 0)
		log_debug("%s: %s", path, strerror(errno));
	close(fd);
}
