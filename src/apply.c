// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: carry out operations (rtnetlink, /proc/sys); the only code that changes the kernel. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
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

static int apply_one(struct rtnl *nl, const struct op *op)
{
	switch (op->kind) {
	case OP_ADD_ROUTE:
	case OP_DEL_ROUTE:
		return rtnl_route_change(nl, op_is_add(op), &op->u.route);
	case OP_ADD_RULE:
	case OP_DEL_RULE:
		return rtnl_rule_change(nl, op_is_add(op), &op->u.rule);
	case OP_FLUSH_RULES:
		return rtnl_rule_flush_table(nl, op->u.rule.family, op->u.rule.table,
					     op->u.rule.protocol);
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
	case OP_FLUSH_RULES:
		break;	/* what it removed is not known: the next event re-adds what is wanted */
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

/* Undo, newest first, what this run changed: the system is left as it was found. */
static void roll_back(struct rtnl *nl, const struct op *ops, const bool *changed, unsigned n,
		      const char *ifname)
{
	char line[SHOW_LINE_MAX];

	for (unsigned i = n; i-- > 0;) {
		struct op inv;
		int err;

		if (!changed[i] || ops[i].kind == OP_FLUSH_RULES)
			continue;
		inv = inverse(&ops[i]);
		err = apply_one(nl, &inv);
		if (err < 0 && !converged(&inv, err))
			log_error("rollback failed, the next run will repair it: %s: %s",
				  show_op(line, sizeof(line), &inv, ifname), rtnl_strerror(err));
		/* A kernel that does not answer will not answer the rest either. */
		if (err == -ETIMEDOUT)
			return;
	}
}

int apply_ops(struct rtnl *nl, const struct op *ops, unsigned n, const char *ifname)
{
	return apply_ops_report(nl, ops, n, ifname, NULL);
}

int apply_ops_report(struct rtnl *nl, const struct op *ops, unsigned n, const char *ifname,
		     bool *report)
{
	char line[SHOW_LINE_MAX];
	unsigned n_changed = 0;
	bool *changed;
	int err = 0;

	if (n == 0)
		return 0;
	changed = calloc(n, sizeof(*changed));
	if (!changed)
		return -ENOMEM;
	for (unsigned i = 0; i < n; i++) {
		err = apply_one(nl, &ops[i]);
		if (ops[i].kind == OP_FLUSH_RULES && err >= 0) {
			if (err > 0)
				log_debug("%s (%d removed)", show_op(line, sizeof(line), &ops[i], ifname),
					  err);
			changed[i] = err > 0;
			n_changed += changed[i];
			err = 0;
			continue;
		}
		if (err == 0) {
			changed[i] = true;
			n_changed++;
			log_debug("%s", show_op(line, sizeof(line), &ops[i], ifname));
			continue;
		}
		if (converged(&ops[i], err)) {
			err = 0;
			continue;
		}
		{
			const char *ack = rtnl_ext_ack(nl);

			if (err == -ETIMEDOUT || err == -EBADMSG)
				log_error("'%s': %s", show_op(line, sizeof(line), &ops[i], ifname),
					  rtnl_strerror(err));
			else
				log_error("the kernel refused '%s': %s%s%s",
					  show_op(line, sizeof(line), &ops[i], ifname),
					  strerror(-err), ack ? ": " : "", ack ? ack : "");
		}
		roll_back(nl, ops, changed, i, ifname);
		break;
	}
	if (report && err == 0)
		memcpy(report, changed, n * sizeof(*changed));
	free(changed);
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
