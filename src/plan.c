// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: from an event, the host settings and the kernel's truth, the routes and rules wanted. Pure. */
#include <errno.h>
#include <stdio.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>

#include "config.h"
#include "event.h"
#include "have.h"
#include "log.h"
#include "plan.h"
#include "policy.h"

/* IPv6 stores a route metric of 0 as 1024; say so up front, so the kernel's answer compares equal. */
#define IPV6_DEFAULT_METRIC 1024u

uint32_t plan_table(const struct event *ev, const struct config *cfg, uint32_t ifindex)
{
	return (ev->has & EVENT_HAS_TABLE) ? ev->table : cfg->table_base + ifindex;
}

uint32_t plan_priority(const struct event *ev, const struct config *cfg)
{
	return (ev->has & EVENT_HAS_PRIORITY) ? ev->priority : cfg->priority;
}

uint32_t plan_main_metric(const struct event *ev, const struct config *cfg, uint32_t ifindex)
{
	if (ev->has & EVENT_HAS_METRIC)
		return ev->metric;
	return (cfg->main_mode == CONFIG_MAIN_METRIC ? cfg->metric_base : cfg->fallback_metric_base) +
	       ifindex;
}

uint16_t plan_weight(const struct event *ev)
{
	return (ev->has & EVENT_HAS_WEIGHT) ? ev->weight : 1;
}

static int add_route(struct policy *p, const struct route *r)
{
	if (p->n_routes >= POLICY_MAX_ROUTES)
		return -E2BIG;
	p->routes[p->n_routes++] = *r;
	return 0;
}

static int add_rule(struct policy *p, const struct rule *r)
{
	if (p->n_rules >= POLICY_MAX_RULES)
		return -E2BIG;
	p->rules[p->n_rules++] = *r;
	return 0;
}

static const struct addr *link_find(const struct link_state *link, const struct addr *a)
{
	for (unsigned i = 0; i < link->n_addrs; i++)
		if (addr_same_ip(&link->addrs[i], a))
			return &link->addrs[i];
	return NULL;
}

/*
 * The addresses to route for: the event's, checked against the kernel (it is
 * the truth: a stale event's address is dropped, a user's typo refused), or
 * the kernel's when the event names none. The kernel's prefix length wins.
 */
static int pick_addrs(const struct event *ev, int family, const struct link_state *link,
		      struct addr *out, unsigned *n)
{
	char text[ADDR_STRLEN];

	*n = 0;
	/*
	 * More than the bound, in the kernel or in the event: this family is refused whole
	 * (never an arbitrary part of it routed) and says so; the caller goes on with the
	 * other family, whose routes and rules depend on its own addresses only.
	 */
	if (link->n_addrs_dropped || (ev->addrs_overflow & event_family_bit(family))) {
		const char *name = family == AF_INET ? "IPv4" : "IPv6";
		const char *other = family == AF_INET ? "IPv6" : "IPv4";
		bool goes_on = ev->families & event_family_bit(family == AF_INET ? AF_INET6 : AF_INET);
		char what[64];

		if (link->n_addrs_dropped)
			snprintf(what, sizeof(what), "has %u global %s addresses",
				 link->n_addrs + link->n_addrs_dropped, name);
		else
			snprintf(what, sizeof(what), "has more than %u %s addresses in the %s event",
				 EVENT_MAX_ADDRS, name, ev->origin ? ev->origin : "");
		log_error("%s %s; symroute routes for at most %u per interface and family: %s left "
			  "as it was%s%s%s", ev->ifname, what, LINK_MAX_ADDRS, name,
			  goes_on ? ", " : "", goes_on ? other : "", goes_on ? " goes on" : "");
		return -EOVERFLOW;
	}
	if (!(ev->addrs_given & event_family_bit(family))) {
		for (unsigned i = 0; i < link->n_addrs; i++)
			if (link->addrs[i].family == family)
				out[(*n)++] = link->addrs[i];
		return 0;
	}
	for (unsigned i = 0; i < ev->n_addrs; i++) {
		const struct addr *a = &ev->addrs[i];
		const struct addr *k;

		if (a->family != family)
			continue;
		k = link_find(link, a);
		if (!k) {
			if (ev->strict_addrs) {
				log_error("address %s is not configured on %s",
					  addr_format(a, true, text), ev->ifname);
				return -ENOENT;
			}
			log_info("%s: address %s is gone from the interface: not routing for it",
				 ev->ifname, addr_format(a, false, text));
			continue;
		}
		out[(*n)++] = *k;
	}
	return 0;
}

_Static_assert(EVENT_MAX_ADDRS <= LINK_MAX_ADDRS, "pick_addrs() copies an event's family into "
	       "an array of LINK_MAX_ADDRS");

/* A gateway we can put in a route: a unicast neighbour on this link, not ourselves. */
static int check_gateway(const struct event *ev, const struct addr *gw, const struct addr *addrs,
			 unsigned n, bool onlink)
{
	char text[ADDR_STRLEN];
	const char *why = NULL;

	addr_format(gw, false, text);
	if (addr_is_unspecified(gw))
		why = "unspecified address";
	else if (addr_is_multicast(gw) || addr_is_v4_broadcast(gw))
		why = "not a unicast address";
	else if (addr_is_loopback(gw))
		why = "a loopback address";
	else if (addr_is_v4_mapped(gw))
		why = "an IPv4-mapped IPv6 address";
	for (unsigned i = 0; !why && i < n; i++) {
		if (addr_same_ip(&addrs[i], gw))
			why = "the interface's own address";
		else if (gw->family == AF_INET && addrs[i].plen < 31 && addr_in_prefix(&addrs[i], gw) &&
			 (addr_is_subnet_broadcast(&addrs[i], gw) || !addr_has_host_bits_at(gw, addrs[i].plen)))
			why = "the subnet's broadcast or network address";
	}
	if (!why && !onlink && !(gw->family == AF_INET6 && addr_is_link_local(gw))) {
		bool covered = false;

		for (unsigned i = 0; i < n && !covered; i++)
			covered = addr_in_prefix(&addrs[i], gw);
		if (!covered) {
			log_error("gateway %s is not on the link of %s: no address of the interface "
				  "covers it (use onlink if the provider says so)", text, ev->ifname);
			return -ENETUNREACH;
		}
	}
	if (why) {
		log_error("gateway %s for %s: %s", text, ev->ifname, why);
		return -EINVAL;
	}
	return 0;
}

static struct route base_route(int family, const struct config *cfg, uint32_t table,
			       uint32_t oif)
{
	struct route r;

	memset(&r, 0, sizeof(r));
	r.family = (uint8_t)family;
	r.type = RTN_UNICAST;
	r.scope = RT_SCOPE_UNIVERSE;
	r.protocol = cfg->protocol;
	r.table = table;
	r.oif = oif;
	r.metric = family == AF_INET6 ? IPV6_DEFAULT_METRIC : 0;
	r.dst.family = (uint8_t)family;
	return r;
}

static struct rule base_rule(int family, const struct config *cfg, uint32_t priority,
			     uint32_t table)
{
	struct rule r;

	memset(&r, 0, sizeof(r));
	r.family = (uint8_t)family;
	r.protocol = cfg->protocol;
	r.action = FR_ACT_TO_TBL;
	r.suppress_prefixlen = -1;
	r.priority = priority;
	r.table = table;
	return r;
}

/* One connected route per distinct prefix: IPv4 keys routes by prefix, a second would clash. */
static int plan_connected(const struct config *cfg, int family, uint32_t table, uint32_t oif,
			  const struct addr *addrs, unsigned n, struct policy *want)
{
	for (unsigned i = 0; i < n; i++) {
		struct route r = base_route(family, cfg, table, oif);
		bool seen = false;

		r.dst = addr_network(&addrs[i]);
		for (unsigned j = 0; j < want->n_routes && !seen; j++)
			seen = addr_cmp(&want->routes[j].dst, &r.dst) == 0 && want->routes[j].table == table;
		if (seen)
			continue;
		if (family == AF_INET) {
			r.scope = RT_SCOPE_LINK;
			/* IPv6 refuses a source that is still tentative (DAD): rules select by source anyway. */
			r.prefsrc = addrs[i];
			r.prefsrc.plen = 32;
		}
		if (add_route(want, &r) < 0)
			return -E2BIG;
	}
	return 0;
}

/*
 * Preferred prefixes: "to PREFIX lookup TABLE" at prefer-priority, after the shared
 * suppress rule (main's specific routes, connected, VPNs, statics, still win) and after
 * the source rules: a lookup without a source yet (a new connection) takes the preferred
 * uplink and then its address, while traffic already bound to another uplink's address
 * (replies above all) stays symmetric, as upstream source filtering (BCP 38) requires.
 * Only with a gateway: a table without a default would send the lookup on to the next
 * rule anyway.
 */
static int plan_prefer(const struct event *ev, const struct config *cfg, int family,
		       uint32_t table, struct policy *want)
{
	for (unsigned i = 0; i < ev->n_prefer; i++) {
		struct rule to = base_rule(family, cfg, cfg->prefer_priority, table);

		if (ev->prefer[i].family != family)
			continue;
		to.dst = ev->prefer[i];
		if (add_rule(want, &to) < 0)
			return -E2BIG;
	}
	return 0;
}

/*
 * main-mode multipath: the shared default as it must be after this event: the
 * next hops the kernel holds for the other interfaces (not those it marked
 * dead: their interface is down, and the kernel refuses a gateway on a down
 * link), and @mine when this interface contributes one. Nothing when no next
 * hop is left: reconcile then deletes the route. A single next hop is written
 * as a single path, which is how the kernel reports it anyway.
 */
static int plan_shared(const struct event *ev, const struct config *cfg, int family,
		       const struct link_state *link, const struct route_nexthop *mine,
		       struct policy *want)
{
	struct route_nexthop hops[ROUTE_MAX_NEXTHOPS + 1];
	struct route r;
	unsigned n = 0;

	if (!link->has_shared && !mine)
		return 0;
	if (link->has_shared) {
		const struct route *s = &link->shared;

		if (s->n_nexthops == 0 && s->oif && s->oif != link->ifindex) {
			memset(&hops[n], 0, sizeof(hops[n]));
			hops[n].oif = s->oif;
			hops[n].gateway = s->gateway;
			hops[n].weight = link->lone_weight ? link->lone_weight : 1;
			hops[n].flags = (s->flags & ROUTE_ONLINK) ? NEXTHOP_ONLINK : 0;
			n++;
		}
		for (unsigned i = 0; i < s->n_nexthops && i < ROUTE_MAX_NEXTHOPS; i++)
			if (s->nexthops[i].oif != link->ifindex &&
			    !(s->nexthops[i].flags & NEXTHOP_DEAD))
				hops[n++] = s->nexthops[i];
	}
	if (mine)
		hops[n++] = *mine;
	if (n == 0)
		return 0;
	if (n > ROUTE_MAX_NEXTHOPS) {
		log_error("%s: main's multipath default route already has %u next hops, the most "
			  "symroute writes", ev->ifname, ROUTE_MAX_NEXTHOPS);
		return -E2BIG;
	}
	r = base_route(family, cfg, RT_TABLE_MAIN, 0);
	r.metric = cfg->metric_base;
	r.flags = ROUTE_SHARED;
	if (n == 1) {
		r.oif = hops[0].oif;
		r.gateway = hops[0].gateway;
		if (hops[0].flags & NEXTHOP_ONLINK)
			r.flags |= ROUTE_ONLINK;
	} else {
		r.n_nexthops = (uint8_t)n;
		memcpy(r.nexthops, hops, n * sizeof(hops[0]));
		route_nexthops_sort(&r);
	}
	return add_route(want, &r);
}

/*
 * Two interfaces in one subnet: main holds a connected route for the prefix through each,
 * and the shared suppress rule lets the first (maybe the other interface's) answer the
 * whole subnet before our source rule is reached, so the address's replies to its own
 * subnet, its router among them, would leave by the other interface. Only there, a rule
 * "from ADDR to PREFIX" before the suppress rule sends them to our table, whose connected
 * route leaves by this interface. Every other specific route in main keeps winning.
 */
static int plan_subnet(const struct config *cfg, const struct link_state *link,
		       const struct rule *from, const struct addr *a, struct policy *want)
{
	struct rule to = *from;

	if (!cfg->suppress || a->plen == addr_family_len(a->family) * 8)
		return 0;
	to.priority = cfg->subnet_priority;
	to.dst = addr_network(a);
	for (unsigned i = 0; i < link->n_shared_nets; i++)
		if (addr_cmp(&link->shared_nets[i], &to.dst) == 0)
			return add_rule(want, &to);
	return 0;
}

/* The index of @want's default in @table, the one route there a metric means nothing to; -1. */
static int table_default(const struct policy *want, uint32_t table)
{
	for (unsigned i = 0; i < want->n_routes; i++) {
		const struct route *r = &want->routes[i];

		if (r->table == table && r->dst.plen == 0 && !r->n_nexthops)
			return (int)i;
	}
	return -1;
}

/*
 * The rules an interface's table is looked up by, fingerprinted in the metric of its
 * default (its only default: the metric chooses nothing there). Reading the table, which
 * every event does at a cost of its own size, then tells whether the rules are still the
 * ones it was written with: no need to list every rule of the host (plan_rules_in_place()).
 */
static void stamp_rules(struct policy *want, uint32_t table)
{
	int i = table_default(want, table);

	if (i >= 0)
		want->routes[i].metric = rules_digest(want->rules, want->n_rules, table);
}

bool plan_rules_in_place(const struct policy *want, const struct have *have, uint32_t table)
{
	int at = table_default(want, table);
	const struct route *def = at >= 0 ? &want->routes[at] : NULL;

	if (!def || def->metric < RULES_DIGEST_MIN)
		return false;
	for (unsigned i = 0; i < have->n_routes; i++) {
		const struct route *r = &have->routes[i];

		if (r->table == table && r->dst.plen == 0 && !r->n_nexthops && r->oif == def->oif &&
		    r->protocol == def->protocol && r->metric == def->metric)
			return true;
	}
	return false;
}

const struct route *plan_main_vouched(const struct policy *want, const struct have *have,
				      const struct link_state *link)
{
	const struct route *def = NULL;

	for (unsigned i = 0; i < want->n_routes && !def; i++) {
		const struct route *r = &want->routes[i];

		if (r->table == RT_TABLE_MAIN && r->dst.plen == 0 && r->oif == link->ifindex &&
		    !(r->flags & ROUTE_SHARED))
			def = r;
	}
	/*
	 * The table's default is written and removed with ours in main, in one undo scope: an
	 * empty table says main holds none of ours through the interface either (a first up,
	 * an up after a down), a default of the wanted gateway that ours there has it too.
	 * Another story (a default of another gateway, routes without their default after a
	 * refused undo) and an EXCL add could be answered "already there" by an older one.
	 */
	if (def && have->n_ours_in_table &&
	    (!addr_is_set(&link->table_gateway) || !addr_same_ip(&link->table_gateway, &def->gateway)))
		return NULL;
	return def;
}

/* Our default in main through @ifindex and @gw (plan_build()'s comment says why so). */
static struct route main_default_route(const struct event *ev, const struct config *cfg,
				       int family, uint32_t ifindex, const struct addr *gw)
{
	struct route r = base_route(family, cfg, RT_TABLE_MAIN, ifindex);

	r.gateway = *gw;
	r.flags |= ROUTE_ONLINK;
	r.metric = plan_main_metric(ev, cfg, ifindex);
	return r;
}

bool plan_down_main_default(const struct event *ev, const struct config *cfg, int family,
			    const struct link_state *link, const struct have *have,
			    struct route *out)
{
	bool main_default = (ev->has & EVENT_HAS_MAIN_DEFAULT) ? ev->main_default
							      : cfg->main_default;

	if (ev->action != EVENT_DOWN || !link->ifindex || !have->n_ours_in_table ||
	    !addr_is_set(&link->table_gateway) || !main_default ||
	    cfg->main_mode == CONFIG_MAIN_MULTIPATH)
		return false;
	*out = main_default_route(ev, cfg, family, link->ifindex, &link->table_gateway);
	return true;
}

int plan_build(const struct event *ev, const struct config *cfg, int family,
	       const struct link_state *link, bool others_managed, struct policy *want)
{
	struct route_nexthop mine = { 0 };
	bool has_mine = false;
	struct addr addrs[LINK_MAX_ADDRS];
	struct addr gw = { 0 };
	char gw_text[ADDR_STRLEN];
	unsigned n_addrs = 0;
	uint32_t table, priority;
	bool onlink, to_rule, main_default;
	int fi = event_family_index(family);
	int r;

	want->n_routes = 0;
	want->n_rules = 0;
	if (ev->action != EVENT_UP || !(ev->families & event_family_bit(family)) || !link->ifindex)
		goto shared;

	table = plan_table(ev, cfg, link->ifindex);
	priority = plan_priority(ev, cfg);
	onlink = (ev->has & EVENT_HAS_ONLINK) && ev->onlink;
	to_rule = (ev->has & EVENT_HAS_TO_RULE) ? ev->to_rule : cfg->to_rule;
	main_default = (ev->has & EVENT_HAS_MAIN_DEFAULT) ? ev->main_default : cfg->main_default;

	r = pick_addrs(ev, family, link, addrs, &n_addrs);
	if (r < 0)
		return r;
	if (ev->gateways_given & event_family_bit(family))
		gw = ev->gateway[fi];
	else if (addr_is_set(&link->main_gateway))
		gw = link->main_gateway;
	else if (ev->keep_table_gateway && addr_is_set(&link->table_gateway)) {
		gw = link->table_gateway;
		onlink = onlink || link->table_gateway_onlink;
		log_info("%s: no %s gateway given or in main: keeping its table's, %s", ev->ifname,
			 family == AF_INET ? "IPv4" : "IPv6", addr_format(&gw, false, gw_text));
	}
	if (n_addrs == 0) {
		log_info("%s: no %s address: nothing to route", ev->ifname,
			 family == AF_INET ? "IPv4" : "IPv6");
		goto shared;
	}
	if (addr_is_set(&gw)) {
		r = check_gateway(ev, &gw, addrs, n_addrs, onlink);
		if (r < 0)
			return r;
	} else {
		log_info("%s: no %s gateway: its table gets connected routes only", ev->ifname,
			 family == AF_INET ? "IPv4" : "IPv6");
	}

	r = plan_connected(cfg, family, table, link->ifindex, addrs, n_addrs, want);
	if (r < 0)
		return r;
	if (addr_is_set(&gw)) {
		struct route def = base_route(family, cfg, table, link->ifindex);

		def.gateway = gw;
		if (onlink)
			def.flags |= ROUTE_ONLINK;
		/*
		 * Multipath: the weight is kept here too, as the metric of the table's only
		 * default (harmless there): the kernel forgets the weight of a multipath
		 * route's last next hop, and the next interface to join must know it.
		 */
		if (cfg->main_mode == CONFIG_MAIN_MULTIPATH)
			def.metric = plan_weight(ev);
		if (add_route(want, &def) < 0)
			return -E2BIG;
		if (main_default && cfg->main_mode == CONFIG_MAIN_MULTIPATH) {
			mine.oif = link->ifindex;
			mine.gateway = gw;
			mine.weight = plan_weight(ev);
			mine.flags = NEXTHOP_ONLINK;	/* see below: main's connected routes */
			has_mine = true;
		}
		/*
		 * Wildcard-source traffic must stay routable whichever uplink goes: one
		 * default of ours per managed uplink, always, whatever else main holds.
		 * main-mode metric ranks the uplinks by these metrics; main-mode fallback
		 * puts them behind any ordinary default (1000000 + ifindex), so the
		 * primary's own default wins while it exists and the kernel falls back to
		 * ours the moment it goes (an ifdown, an expired lease), with no event
		 * needed. Never depending on what else main holds, the state an event
		 * leaves is the one status and check call in sync, in any boot order.
		 * Onlink, always: check_gateway() has made sure the gateway is on this
		 * link, and without the flag the kernel checks it against main's connected
		 * routes, which the manager may add only after its hook ran
		 * (NetworkManager and dhcpcd add addresses noprefixroute and the prefix
		 * route themselves): the add would then fail with "Nexthop has invalid
		 * gateway" and take the interface's table and rules with it.
		 */
		if (main_default && cfg->main_mode != CONFIG_MAIN_MULTIPATH) {
			def = main_default_route(ev, cfg, family, link->ifindex, &gw);
			if (add_route(want, &def) < 0)
				return -E2BIG;
		}
		r = plan_prefer(ev, cfg, family, table, want);
		if (r < 0)
			return r;
	}
	for (unsigned i = 0; i < n_addrs; i++) {
		struct rule from = base_rule(family, cfg, priority, table);

		from.src = addrs[i];
		from.src.plen = (uint8_t)(addr_family_len(family) * 8);
		if (add_rule(want, &from) < 0)
			return -E2BIG;
		if (plan_subnet(cfg, link, &from, &addrs[i], want) < 0)
			return -E2BIG;
		if (to_rule) {
			struct rule to = base_rule(family, cfg, priority, table);

			to.dst = from.src;
			if (add_rule(want, &to) < 0)
				return -E2BIG;
		}
	}
	if (cfg->main_mode != CONFIG_MAIN_MULTIPATH)
		stamp_rules(want, table);
shared:
	r = plan_shared(ev, cfg, family, link, has_mine ? &mine : NULL, want);
	if (r < 0)
		return r;
	/* Specific routes in main (docker, VPNs, statics) keep winning over our defaults. */
	if (cfg->suppress && (others_managed || want->n_rules > 0)) {
		struct rule s = base_rule(family, cfg, cfg->suppress_priority, RT_TABLE_MAIN);

		s.suppress_prefixlen = 0;
		if (add_rule(want, &s) < 0)
			return -E2BIG;
	}
	return 0;
}
