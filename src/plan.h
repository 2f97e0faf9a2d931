/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Purpose: from an event, the host settings and the kernel's truth, the routes and rules wanted. Pure. */
#ifndef SYMROUTE_PLAN_H
#define SYMROUTE_PLAN_H

#include <stdbool.h>
#include <stdint.h>

struct event;
struct config;
struct link_state;
struct policy;
struct have;
struct route;

/* The table an interface uses: the event's, or config's base + ifindex. */
uint32_t plan_table(const struct event *ev, const struct config *cfg, uint32_t ifindex);
uint32_t plan_priority(const struct event *ev, const struct config *cfg);
/* The metric of the interface's default in main: the event's, else the mode's base + ifindex. */
uint32_t plan_main_metric(const struct event *ev, const struct config *cfg, uint32_t ifindex);
/* The weight of the interface's next hop in main-mode multipath (1 unless given). */
uint16_t plan_weight(const struct event *ev);

/*
 * Build what @ev wants for @family on its interface. @others_managed: rules
 * of ours for other interfaces remain (the shared suppress rule stays).
 * Returns 0; -ENOENT when a strict event names an address the interface does
 * not have; -ENETUNREACH for a gateway not on the link; -EOVERFLOW when the
 * interface (or the event) has more addresses of @family than symroute routes
 * for, a refusal of this family alone; -E2BIG past the policy bounds. Errors
 * are logged naming the value.
 */
int plan_build(const struct event *ev, const struct config *cfg, int family,
	       const struct link_state *link, bool others_managed, struct policy *want);

/*
 * Does @have (the interface's table as read) hold @want's default for @table with the
 * fingerprint of @want's rules as its metric? Then the rules of ours that look @table
 * up are the wanted ones, as an earlier event wrote them with that default, and need not
 * be read: they are asked for (EXCL adds), which repairs a deletion by hand. False in
 * main-mode multipath, whose table default keeps a weight there instead.
 */
bool plan_rules_in_place(const struct policy *want, const struct have *have, uint32_t table);

/*
 * Our default in main through the interface, among @want, when the interface's table as
 * read (@have, @link->table_gateway) vouches that main holds it or none of ours: it can be
 * asked for (an EXCL add) instead of reading main. NULL: main must be read (no default of
 * ours wanted there, or the table tells another story).
 */
const struct route *plan_main_vouched(const struct policy *want, const struct have *have,
				      const struct link_state *link);

/*
 * At a down, our default in main through the interface as an up writes it, when the
 * interface's table vouches for one (@have holds our routes there, @link->table_gateway
 * its default's gateway: the two defaults are written and removed in one undo scope):
 * through that gateway, at the metric this event's options and configuration give. It is
 * then deleted by name instead of reading main. False: main must be read (no default of
 * ours in the table, none wanted in main, multipath's shared one).
 */
bool plan_down_main_default(const struct event *ev, const struct config *cfg, int family,
			    const struct link_state *link, const struct have *have,
			    struct route *out);

#endif
