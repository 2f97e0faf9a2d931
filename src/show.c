// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: routes, rules and operations as the `ip` commands that mean the same. */
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "policy.h"
#include "reconcile.h"
#include "show.h"
#include "sysctl.h"

struct text {
	char *buf;
	size_t len, used;
};

__attribute__((format(printf, 2, 3))) static void put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->used >= t->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->used, t->len - t->used, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->used += (size_t)n;
}

/* Bytes a shell takes literally anywhere in a word (not first): no quoting needed. */
static bool shell_plain(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr("_-.,:/@%+=", c) != NULL;
}

/*
 * @word as one shell word: as is when every byte is plain, else in single quotes with each
 * ' written '\''. Names come from outside (a link may be called "$(reboot)"), and the dry
 * run's lines are meant to be pasted or piped into sh.
 */
static void put_word(struct text *t, const char *word)
{
	const char *p;

	for (p = word; *p && shell_plain((unsigned char)*p); p++)
		;
	if (*word && !*p) {
		put(t, "%s", word);
		return;
	}
	put(t, "'");
	for (p = word; *p; p++) {
		if (*p == '\'')
			put(t, "'\\''");
		else
			put(t, "%c", *p);
	}
	put(t, "'");
}

char *show_shell_word(char *buf, size_t len, const char *word)
{
	struct text t = { buf, len, 0 };

	if (len)
		buf[0] = '\0';
	put_word(&t, word);
	return buf;
}

static const char *family_flag(int family)
{
	return family == AF_INET6 ? "-6" : "-4";
}

static const char *route_type_name(uint8_t type)
{
	switch (type) {
	case RTN_UNICAST:
		return NULL;
	case RTN_LOCAL:
		return "local";
	case RTN_BROADCAST:
		return "broadcast";
	case RTN_BLACKHOLE:
		return "blackhole";
	case RTN_UNREACHABLE:
		return "unreachable";
	case RTN_PROHIBIT:
		return "prohibit";
	case RTN_THROW:
		return "throw";
	case RTN_ANYCAST:
		return "anycast";
	case RTN_MULTICAST:
		return "multicast";
	case RTN_NAT:
		return "nat";
	case RTN_XRESOLVE:
		return "xresolve";
	case RTN_UNSPEC:
		return "none";
	default:
		return "unknown";
	}
}

static void put_table(struct text *t, const char *word, uint32_t table)
{
	if (table == RT_TABLE_MAIN)
		put(t, " %s main", word);
	else
		put(t, " %s %u", word, table);
}

static void put_proto(struct text *t, uint8_t protocol, const char *proto)
{
	if (proto) {
		put(t, " proto ");
		put_word(t, proto);
	} else {
		put(t, " proto %u", protocol);
	}
}

char *show_route(char *buf, size_t len, const struct route *r, const char *verb,
		 const char *ifname)
{
	return show_route_proto(buf, len, r, verb, ifname, NULL);
}

char *show_rule(char *buf, size_t len, const struct rule *r, const char *verb)
{
	return show_rule_proto(buf, len, r, verb, NULL);
}

char *show_route_proto(char *buf, size_t len, const struct route *r, const char *verb,
		       const char *ifname, const char *proto)
{
	struct text t = { buf, len, 0 };
	char a[ADDR_STRLEN];
	const char *type = route_type_name(r->type);

	buf[0] = '\0';
	/* The shared multipath default is written with NLM_F_REPLACE, and through other
	 * interfaces than the event's: the kernel names those. */
	if (r->flags & ROUTE_SHARED) {
		if (verb && strcmp(verb, "add") == 0)
			verb = "replace";
		ifname = NULL;
	}
	if (verb)
		put(&t, "ip %s route %s ", family_flag(r->family), verb);
	if (type)
		put(&t, "%s ", type);
	if (r->dst.plen == 0)
		put(&t, "default");
	else
		put(&t, "%s", addr_format(&r->dst, true, a));
	if (addr_is_set(&r->gateway))
		put(&t, " via %s", addr_format(&r->gateway, false, a));
	if (r->oif) {
		char name[IF_NAMESIZE];

		/* Callers that know the name pass it; others (flush, status) get the kernel's. */
		if (!ifname || !ifname[0])
			ifname = if_indextoname(r->oif, name) ? name : "?";
		put(&t, " dev ");
		put_word(&t, ifname);
	}
	put_table(&t, "table", r->table);
	put_proto(&t, r->protocol, proto);
	if (r->scope == RT_SCOPE_LINK)
		put(&t, " scope link");
	else if (r->scope == RT_SCOPE_HOST)
		put(&t, " scope host");
	if (addr_is_set(&r->prefsrc))
		put(&t, " src %s", addr_format(&r->prefsrc, false, a));
	put(&t, " metric %u", r->metric);
	if (r->flags & ROUTE_ONLINK)
		put(&t, " onlink");
	for (unsigned i = 0; i < r->n_nexthops && i < ROUTE_MAX_NEXTHOPS; i++) {
		const struct route_nexthop *nh = &r->nexthops[i];
		char name[IF_NAMESIZE];

		put(&t, " nexthop");
		if (addr_is_set(&nh->gateway))
			put(&t, " via %s", addr_format(&nh->gateway, false, a));
		put(&t, " dev ");
		put_word(&t, if_indextoname(nh->oif, name) ? name : "?");
		put(&t, " weight %u", nh->weight);
		/* DEAD is the kernel's verdict, not something `ip` takes. */
		if (nh->flags & NEXTHOP_ONLINK)
			put(&t, " onlink");
	}
	return buf;
}

char *show_rule_proto(char *buf, size_t len, const struct rule *r, const char *verb,
		      const char *proto)
{
	struct text t = { buf, len, 0 };
	char a[ADDR_STRLEN];

	buf[0] = '\0';
	if (verb)
		put(&t, "ip %s rule %s ", family_flag(r->family), verb);
	put(&t, "priority %u", r->priority);
	if (addr_is_set(&r->src))
		put(&t, " from %s", addr_format(&r->src, r->src.plen != addr_family_len(r->family) * 8, a));
	else
		put(&t, " from all");
	if (addr_is_set(&r->dst))
		put(&t, " to %s", addr_format(&r->dst, r->dst.plen != addr_family_len(r->family) * 8, a));
	put_table(&t, "lookup", r->table);
	if (r->suppress_prefixlen >= 0)
		put(&t, " suppress_prefixlength %d", r->suppress_prefixlen);
	put_proto(&t, r->protocol, proto);
	return buf;
}

char *show_op(char *buf, size_t len, const struct op *op, const char *ifname)
{
	switch (op->kind) {
	case OP_ADD_ROUTE:
	case OP_REPLACE_ROUTE:	/* shared: show_route() says "replace" */
		return show_route(buf, len, &op->u.route, "add", ifname);
	case OP_DEL_ROUTE:
		return show_route(buf, len, &op->u.route, "del", ifname);
	case OP_ADD_RULE:
		return show_rule(buf, len, &op->u.rule, "add");
	case OP_DEL_RULE:
		return show_rule(buf, len, &op->u.rule, "del");
	case OP_SET_SYSCTL: {
		/* One shell word: the interface's name comes from outside (show_shell_word). */
		char key[64 + IF_NAMESIZE], arg[sizeof(key) + SYSCTL_VALUE_MAX + 1];
		char word[4 * sizeof(arg) + 3];

		snprintf(arg, sizeof(arg), "%s=%s",
			 sysctl_ipv4_key(key, sizeof(key), op->u.sysctl.ifname, op->u.sysctl.knob),
			 op->u.sysctl.value);
		snprintf(buf, len, "sysctl -w %s", show_shell_word(word, sizeof(word), arg));
		return buf;
	}
	}
	buf[0] = '\0';
	return buf;
}
