/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Purpose: routes, rules and operations as the `ip` commands that mean the same. */
#ifndef SYMROUTE_SHOW_H
#define SYMROUTE_SHOW_H

#include <stdbool.h>
#include <stddef.h>

struct route;
struct rule;
struct op;

#define SHOW_LINE_MAX 4096	/* a multipath route of ROUTE_MAX_NEXTHOPS next hops fits */

/*
 * "ip -4 route add 203.0.113.0/24 dev eth1 table 1000003 proto 73 scope link
 * src 203.0.113.20 metric 0" (@verb "add"/"del"; NULL: no "ip ... route VERB" prefix,
 * the way `ip route show` lists it). @ifname names route->oif.
 */
char *show_route(char *buf, size_t len, const struct route *r, const char *verb,
		 const char *ifname);
char *show_rule(char *buf, size_t len, const struct rule *r, const char *verb);
char *show_op(char *buf, size_t len, const struct op *op, const char *ifname);
/*
 * The same with the protocol as @proto, the name `ip` prints for it ("proto symroute",
 * options_protocol_name()); NULL: the number, which every `ip` takes back.
 */
char *show_route_proto(char *buf, size_t len, const struct route *r, const char *verb,
		       const char *ifname, const char *proto);
char *show_rule_proto(char *buf, size_t len, const struct rule *r, const char *verb,
		      const char *proto);
/*
 * @word as one shell word: unchanged when it needs no quoting ("eth0"), else single-quoted
 * with ' written '\'' ("'$(x)'"). Every name these functions print passes through it.
 * A word longer than @len is cut, like the lines above (SHOW_WORD_MAX fits any interface name).
 */
#define SHOW_WORD_MAX (4 * 16 + 3)
char *show_shell_word(char *buf, size_t len, const char *word);

#endif
