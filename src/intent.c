// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Purpose: the inverse of plan_build() for the knobs the kernel shows: an event rebuilt from
 * what symroute left in the kernel. `status` uses it to say what `up` would change, `watch`
 * to reconcile an interface without undoing what its hook chose.
 */
#include <errno.h>
#include <linux/rtnetlink.h>
#include <string.h>

#include "config.h"
#include "event.h"
#include "intent.h"
#include "plan.h"
#include "status.h"

bool intent_has_main_default(const struct status_family *f, unsigned ifindex)
{
	for (unsigned i = 0; i < f->n_routes; i++) {
		const struct route *r = &f->routes[i].r;

		if (r->table == RT_TABLE_MAIN && r->dst.plen == 0 && r->oif == ifindex)
			return true;
	}
	return false;
}

/* The rules say: "to" rules, and preferred prefixes ("from all to PREFIX" at prefer-priority). */
static void intent_rules(const struct config *cfg, const struct status_family *f,
			 struct event *ev)
{
	for (unsigned i = 0; i < f->n_rules; i++) {
		const struct rule *u = &f->rules[i];

		/* "from ADDR to PREFIX": a shared subnet's rule, which the kernel's state decides. */
		if (!addr_is_set(&u->dst) || addr_is_set(&u->src))
			continue;
		if (u->priority == cfg->prefer_priority &&
		    (!f->has_priority || u->priority != f->priority)) {
			if (ev->n_prefer < EVENT_MAX_PREFER) {
				ev->prefer[ev->n_prefer++] = u->dst;
				ev->has |= EVENT_HAS_PREFER;
			}
			continue;
		}
		ev->has |= EVENT_HAS_TO_RULE;
		ev->to_rule = true;
	}
}

/* The routes say: the metric in main, the weight in the table, onlink on the table's default. */
static void intent_routes(const struct config *cfg, const struct status_iface *iface,
			  const struct status_family *f, struct event *ev)
{
	for (unsigned i = 0; i < f->n_routes; i++) {
		const struct route *r = &f->routes[i].r;

		if (r->dst.plen != 0 || r->n_nexthops)
			continue;
		if (r->table == RT_TABLE_MAIN && r->oif == iface->ifindex &&
		    cfg->main_mode != CONFIG_MAIN_MULTIPATH &&
		    r->metric != plan_main_metric(ev, cfg, iface->ifindex)) {
			ev->has |= EVENT_HAS_METRIC;
			ev->metric = r->metric;
		} else if (r->table == f->table && cfg->main_mode == CONFIG_MAIN_MULTIPATH &&
			   r->metric >= 1 && r->metric <= 256) {
			ev->has |= EVENT_HAS_WEIGHT;
			ev->weight = (uint16_t)r->metric;
		}
		if (r->table == f->table && addr_is_set(&r->gateway) && (r->flags & ROUTE_ONLINK)) {
			ev->has |= EVENT_HAS_ONLINK;
			ev->onlink = true;
		}
	}
}

int intent_event(const struct config *cfg, const struct status_iface *iface,
		 const struct status_family *f, bool manager_default, const char *origin,
		 struct event *ev, const char **why)
{
	event_init(ev, origin);
	ev->action = EVENT_UP;
	if (event_set_ifname(ev, iface->name, why) < 0)
		return -EINVAL;
	ev->families = event_family_bit(f->family);
	ev->keep_table_gateway = true;
	if (!f->table_auto) {
		ev->has |= EVENT_HAS_TABLE;
		ev->table = f->table;
	}
	if (f->has_priority && f->priority != cfg->priority) {
		ev->has |= EVENT_HAS_PRIORITY;
		ev->priority = f->priority;
	}
	intent_rules(cfg, f, ev);
	intent_routes(cfg, iface, f, ev);
	if (cfg->main_mode != CONFIG_MAIN_MULTIPATH && manager_default &&
	    !intent_has_main_default(f, iface->ifindex)) {
		ev->has |= EVENT_HAS_MAIN_DEFAULT;
		ev->main_default = false;
	}
	return 0;
}
