// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: read from the kernel what one event needs: the interface's truth and what of ours exists. */
#include <errno.h>
#include <linux/fib_rules.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "have.h"
#include "rtnl.h"

/* Automatic tables are table_base + ifindex, and ifindex is a positive int. */
#define AUTO_TABLE_SPAN 0x7fffffffu

void have_note_table_gateway(const struct have *have, uint32_t table, struct link_state *link)
{
	memset(&link->table_gateway, 0, sizeof(link->table_gateway));
	link->table_gateway_onlink = false;
	if (!table)
		return;
	for (unsigned i = 0; i < have->n_routes; i++) {
		const struct route *r = &have->routes[i];

		if (r->table == table && r->dst.plen == 0 && !r->n_nexthops && r->oif == link->ifindex &&
		    addr_is_set(&r->gateway)) {
			link->table_gateway = r->gateway;
			link->table_gateway_onlink = (r->flags & ROUTE_ONLINK) != 0;
			return;
		}
	}
}

int have_add_route(struct have *have, const struct route *r)
{
	if (have->n_routes == have->routes_cap) {
		unsigned cap = have->routes_cap ? have->routes_cap * 2 : 16;
		struct route *v = realloc(have->routes, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		have->routes = v;
		have->routes_cap = cap;
	}
	have->routes[have->n_routes++] = *r;
	return 0;
}

int have_add_rule(struct have *have, const struct rule *r)
{
	if (have->n_rules == have->rules_cap) {
		unsigned cap = have->rules_cap ? have->rules_cap * 2 : 16;
		struct rule *v = realloc(have->rules, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		have->rules = v;
		have->rules_cap = cap;
	}
	have->rules[have->n_rules++] = *r;
	return 0;
}

void have_free(struct have *have)
{
	if (!have)
		return;
	free(have->routes);
	free(have->rules);
	memset(have, 0, sizeof(*have));
}

/* ---- the interface's addresses ---- */

static int link_addr(const struct addr *a, uint8_t scope, uint32_t flags, void *data)
{
	struct link_state *link = data;

	/* Global addresses only; a failed DAD never becomes usable. */
	if (scope != RT_SCOPE_UNIVERSE || (flags & IFA_F_DADFAILED))
		return 0;
	if (link->n_addrs >= LINK_MAX_ADDRS) {
		link->n_addrs_dropped++;
		return 0;
	}
	link->addrs[link->n_addrs++] = *a;
	return 0;
}

static void link_addrs_reset(void *data)
{
	((struct link_state *)data)->n_addrs = 0;
	((struct link_state *)data)->n_addrs_dropped = 0;
}

/* ---- main: the connected routes of other interfaces in our subnets ---- */

static void shared_net_add(struct link_state *link, const struct addr *net)
{
	for (unsigned j = 0; j < link->n_shared_nets; j++)
		if (addr_cmp(&link->shared_nets[j], net) == 0)
			return;
	link->shared_nets[link->n_shared_nets++] = *net;
}

static int shared_net_route(const struct route *r, void *data)
{
	struct link_state *link = data;

	if (r->table != RT_TABLE_MAIN || r->type != RTN_UNICAST || !r->oif ||
	    r->oif == link->ifindex || !r->dst.plen || addr_is_set(&r->gateway) || r->n_nexthops)
		return 0;
	for (unsigned i = 0; i < link->n_addrs; i++) {
		struct addr net = addr_network(&link->addrs[i]);

		if (link->addrs[i].plen == addr_family_len(net.family) * 8 ||
		    addr_cmp(&net, &r->dst) != 0)
			continue;
		shared_net_add(link, &net);
		return 0;
	}
	return 0;
}

static bool is_link_addr(const struct link_state *link, const struct addr *a)
{
	for (unsigned i = 0; i < link->n_addrs; i++)
		if (addr_same_ip(&link->addrs[i], a))
			return true;
	return false;
}

/* Host numbers tried per prefix for a neighbour that is not local (the other interface's own). */
#define SHARED_NET_PROBES 8

/*
 * narrow = true lists no address of other interfaces: one lookup per prefix instead (the FIB
 * entry that answers a neighbour on it, RTM_F_FIB_MATCH, no source), which the kernel answers
 * without a walk. Main's route for exactly the prefix through another interface: the subnet
 * is shared and, for this address, answered by the wrong interface. What it cannot see is another
 * interface's route behind this interface's own (which wins meanwhile); that interface's
 * events add its rule, and this one's next event after the order changes adds this one's.
 */
static int shared_nets_lookup(struct rtnl *nl, struct link_state *link)
{
	for (unsigned i = 0; i < link->n_addrs; i++) {
		struct addr net = addr_network(&link->addrs[i]), peer;
		bool asked = false;

		/* One question per prefix: an earlier address of the same one asked it. */
		for (unsigned j = 0; j < i && !asked; j++) {
			struct addr other = addr_network(&link->addrs[j]);

			asked = addr_cmp(&other, &net) == 0;
		}
		if (asked || link->addrs[i].plen == addr_family_len(net.family) * 8)
			continue;
		for (unsigned k = 1; k <= SHARED_NET_PROBES && addr_nth_host(&net, k, &peer); k++) {
			struct route got;

			if (is_link_addr(link, &peer))
				continue;
			/* No answer (unreachable, a rule of someone else's said no): not shared. */
			if (rtnl_route_match(nl, &peer, NULL, 0, &got) < 0)
				break;
			if (got.type == RTN_LOCAL || got.type == RTN_BROADCAST)
				continue;
			if (got.table == RT_TABLE_MAIN && got.type == RTN_UNICAST && got.oif &&
			    got.oif != link->ifindex && !addr_is_set(&got.gateway) &&
			    !got.n_nexthops && addr_cmp(&got.dst, &net) == 0)
				shared_net_add(link, &net);
			break;
		}
	}
	return 0;
}

/* Is an address of the host, not one of this interface's, inside one of @nets? */
struct foreign_in_nets {
	const struct link_state *link;
	const struct addr *nets;
	unsigned n_nets;
	bool found;
};

static int foreign_in_nets_addr(const struct addr *a, uint8_t scope, uint32_t flags, void *data)
{
	struct foreign_in_nets *f = data;

	(void)scope;
	(void)flags;
	if (f->found || is_link_addr(f->link, a))
		return 0;
	for (unsigned i = 0; i < f->n_nets && !f->found; i++)
		f->found = addr_in_prefix(&f->nets[i], a);
	return 0;
}

int have_read_shared_nets_winning(struct rtnl *nl, const struct config *cfg,
				  struct link_state *link)
{
	link->n_shared_nets = 0;
	if (!link->ifindex || !link->n_addrs || !cfg->suppress)
		return 0;
	return shared_nets_lookup(nl, link);
}

int have_read_shared_nets(struct rtnl *nl, const struct config *cfg, int family,
			  struct link_state *link)
{
	/*
	 * Who writes a connected route: the kernel for an address, and DHCP clients that add
	 * addresses with noprefixroute tag their own "kernel" too (dhcpcd); for IPv6 also an
	 * on-link prefix of a router advertisement, by the kernel or dhcpcd ("ra"). 0: none.
	 */
	static const uint8_t protocols[2][2] = {
		{ RTPROT_KERNEL, 0 },
		{ RTPROT_KERNEL, RTPROT_RA },
	};
	struct addr nets[LINK_MAX_ADDRS];
	unsigned n_nets = 0;
	const struct rule *held;
	size_t n_held;

	if (cfg->narrow)
		return have_read_shared_nets_winning(nl, cfg, link);
	link->n_shared_nets = 0;
	if (!link->ifindex || !link->n_addrs || !cfg->suppress)
		return 0;
	/* The interface's prefixes, each once: only routes to them can say a subnet is shared. */
	for (unsigned i = 0; i < link->n_addrs; i++) {
		struct addr net = addr_network(&link->addrs[i]);
		bool seen = false;

		if (link->addrs[i].plen == addr_family_len(net.family) * 8)
			continue;
		for (unsigned j = 0; j < n_nets && !seen; j++)
			seen = addr_cmp(&nets[j], &net) == 0;
		if (!seen)
			nets[n_nets++] = net;
	}
	if (!n_nets)
		return 0;
	/*
	 * The kernel adds a connected route for an address: another interface's route to one
	 * of our prefixes comes with an address of its own inside it (a DHCP client that adds
	 * the route itself adds the address too). One dump of the host's addresses, which grow
	 * with its interfaces, decides whether main is walked at all: a host fed a full BGP
	 * table pays no walk for a subnet nobody shares. Not seen so: an on-link prefix a
	 * router advertises to an interface that takes no address in it. A snapshot (status,
	 * every interface in turn) answers the walks below by look-ups: no question first.
	 */
	if (!rtnl_rules_held(nl, family, &held, &n_held)) {
		struct foreign_in_nets f = { link, nets, n_nets, false };
		int r = rtnl_dump_addrs(nl, family, 0, foreign_in_nets_addr, &f, NULL);

		if (r < 0)
			return r;
		if (!f.found)
			return 0;
	}
	for (size_t i = 0; i < 2 && protocols[family == AF_INET6][i]; i++) {
		/* No reset: a restarted dump finds the same prefixes, kept once. */
		int r = rtnl_dump_routes_nets(nl, family, RT_TABLE_MAIN,
					      protocols[family == AF_INET6][i], nets, n_nets,
					      shared_net_route, link, NULL);

		if (r < 0)
			return r;
	}
	return 0;
}

/* ---- main: its default routes, and our fallback ---- */

struct main_scan {
	const struct config *cfg;
	struct link_state *link;
	struct have *have;
	uint32_t best_metric;
	unsigned start;
};

bool have_route_router(const struct config *cfg, uint32_t ifindex, const struct route *r)
{
	return r->protocol != cfg->protocol && r->table == RT_TABLE_MAIN && r->oif == ifindex &&
	       r->dst.plen == 0 && r->type == RTN_UNICAST && addr_is_set(&r->gateway) &&
	       !r->n_nexthops;
}

/*
 * Our shared multipath default in main: ours, default, at metric-base. In
 * another mode only a route with several next hops is taken for it (what an
 * earlier multipath mode left), so that each interface's next event takes its
 * next hop out and the route dissolves.
 */
static bool is_shared_route(const struct config *cfg, const struct route *r)
{
	return r->protocol == cfg->protocol && r->table == RT_TABLE_MAIN && r->dst.plen == 0 &&
	       r->type == RTN_UNICAST && r->metric == cfg->metric_base &&
	       !(r->flags & ROUTE_HAS_EXTRA) &&
	       (cfg->main_mode == CONFIG_MAIN_MULTIPATH || r->n_nexthops > 0);
}

static void keep_shared(struct link_state *link, const struct route *r)
{
	link->shared = *r;
	link->shared.flags |= ROUTE_SHARED;
	link->has_shared = true;
}

static int main_route(const struct route *r, void *data)
{
	struct main_scan *s = data;

	if (r->table != RT_TABLE_MAIN)
		return 0;
	if (is_shared_route(s->cfg, r)) {
		keep_shared(s->link, r);
		return 0;
	}
	if (!s->link->ifindex || r->oif != s->link->ifindex)
		return 0;
	/* Our fallback default for this interface; other interfaces' are theirs. */
	if (r->protocol == s->cfg->protocol)	/* ours, or of our tag and someone's own */
		return have_route_ours(s->cfg->protocol, r) ? have_add_route(s->have, r) : 0;
	if (have_route_router(s->cfg, s->link->ifindex, r) &&
	    (!addr_is_set(&s->link->main_gateway) || r->metric < s->best_metric)) {
		s->link->main_gateway = r->gateway;
		s->best_metric = r->metric;
	}
	return 0;
}

static void main_reset(void *data)
{
	struct main_scan *s = data;

	s->have->n_routes = s->start;
	s->link->has_shared = false;
	memset(&s->link->main_gateway, 0, sizeof(s->link->main_gateway));
}

/* ---- main-mode multipath: the shared default, whoever's next hops it holds ---- */

static int shared_route(const struct route *r, void *data)
{
	struct main_scan *s = data;

	if (is_shared_route(s->cfg, r))
		keep_shared(s->link, r);
	return 0;
}

static void shared_reset(void *data)
{
	((struct main_scan *)data)->link->has_shared = false;
}

/* The weight an interface gave its next hop: its table's default of ours has it as metric. */
static int lone_weight_route(const struct route *r, void *data)
{
	struct main_scan *s = data;

	if (r->protocol == s->cfg->protocol && r->table != RT_TABLE_MAIN && r->dst.plen == 0 &&
	    !(r->flags & ROUTE_HAS_EXTRA) && r->metric >= 1 && r->metric <= 256)
		s->link->lone_weight = (uint16_t)r->metric;
	return 0;
}

static void lone_weight_reset(void *data)
{
	((struct main_scan *)data)->link->lone_weight = 0;
}

/*
 * Read the shared default (multipath mode: all of main, since it may not go
 * through this interface yet) and put it with the routes of ours, so that the
 * diff sees it. Runs are serialised by the lock under /run, so this read and
 * the replace that follows cannot interleave with another interface's.
 */
static int read_shared(struct rtnl *nl, const struct config *cfg, int family,
		       struct link_state *link, struct have *have)
{
	struct main_scan ms = { cfg, link, have, 0, have->n_routes };
	int r;

	if (cfg->main_mode == CONFIG_MAIN_MULTIPATH) {
		r = family == AF_INET ? rtnl_dump_routes_zero4(nl, RT_TABLE_MAIN, shared_route, &ms,
							       shared_reset)
				      : rtnl_dump_routes(nl, family, RT_TABLE_MAIN, shared_route, &ms,
							 shared_reset);
		if (r < 0)
			return r;
	}
	if (!link->has_shared)
		return 0;
	if (link->shared.n_nexthops == 0 && link->shared.oif && link->shared.oif != link->ifindex) {
		r = rtnl_dump_routes_oif(nl, family, 0, link->shared.oif, lone_weight_route, &ms,
					 lone_weight_reset);
		if (r < 0)
			return r;
	}
	return have_add_route(have, &link->shared);
}

int have_read_main_routes(struct rtnl *nl, const struct config *cfg, int family,
			  struct link_state *link, struct have *have)
{
	struct main_scan ms = { cfg, link, have, 0, have->n_routes };

	if (!link->ifindex)
		return 0;
	/* IPv4: only defaults are ours or wanted in main, and they come first (no walk). */
	if (family == AF_INET)
		return rtnl_dump_routes_zero4(nl, RT_TABLE_MAIN, main_route, &ms, main_reset);
	return rtnl_dump_routes_oif(nl, family, RT_TABLE_MAIN, link->ifindex, main_route, &ms,
				    main_reset);
}

bool have_note_router(struct rtnl *nl, const struct config *cfg, struct link_state *link)
{
	/*
	 * 100:: (RFC 6666's discard-only prefix) is in no interface's own prefix. Through the
	 * interface alone, the kernel passes over every route through another one, back to the
	 * default; a route through this one to 100:: answers instead: no router found here.
	 * No answer at all (no default through it, a rule of someone's refusing) neither.
	 */
	static const struct addr discard = {
		.family = AF_INET6, .plen = 128, .bytes = { 0x01, 0x00 },
	};
	struct route answer;

	if (!link->ifindex || rtnl_route_match(nl, &discard, NULL, link->ifindex, &answer) < 0 ||
	    !have_route_router(cfg, link->ifindex, &answer))
		return false;
	link->main_gateway = answer.gateway;
	return true;
}

/*
 * Whether main holds a default of someone else's is no question here: our
 * fallback default is wanted whatever else main holds (plan_build()), so main
 * is read only through this interface, and whole only for the shared default.
 */
static int read_main(struct rtnl *nl, const struct config *cfg, int family,
		     struct link_state *link, struct have *have, bool routes)
{
	int r = routes ? have_read_main_routes(nl, cfg, family, link, have) : 0;

	return r < 0 ? r : read_shared(nl, cfg, family, link, have);
}

int have_read_main(struct rtnl *nl, const struct config *cfg, int family, struct link_state *link,
		   struct have *have)
{
	return read_main(nl, cfg, family, link, have, true);
}

/* ---- one table's routes ---- */

struct table_scan {
	const struct config *cfg;
	uint32_t ifindex;
	struct have *have;	/* our routes on this interface are collected here */
	bool count_foreign;	/* the interface's own table: anything else is a collision */
	bool collect;		/* false: only count (another scan collected them) */
	uint32_t skip_table;	/* a table another scan reads (0: none; main is always skipped) */
	unsigned ours_here;	/* our routes on this interface */
	unsigned ours_other;	/* our routes on other interfaces */
	unsigned start;		/* have->n_routes before the dump, for a restart */
};

static int table_route(const struct route *r, void *data)
{
	struct table_scan *s = data;
	/* Our tag on a route shaped unlike ours (multipath, encap...): not ours to change. */
	bool ours = have_route_ours(s->cfg->protocol, r);

	if (r->table == RT_TABLE_MAIN || (s->skip_table && r->table == s->skip_table))
		return 0;
	if (ours && s->ifindex && r->oif == s->ifindex) {
		s->ours_here++;
		return s->collect ? have_add_route(s->have, r) : 0;
	}
	if (ours)
		s->ours_other++;
	if (s->count_foreign && (!ours || r->oif)) {
		if (s->have->n_foreign++ == 0)
			s->have->first_foreign = *r;
	}
	return 0;
}

static void table_reset(void *data)
{
	struct table_scan *s = data;

	s->have->n_routes = s->start;
	s->ours_here = s->ours_other = 0;
	if (s->count_foreign)
		s->have->n_foreign = 0;
}

static int scan_table(struct rtnl *nl, const struct config *cfg, int family, uint32_t table,
		      uint32_t ifindex, struct have *have, bool count_foreign, bool collect,
		      struct table_scan *out)
{
	struct table_scan s = {
		.cfg = cfg, .ifindex = ifindex, .have = have, .count_foreign = count_foreign,
		.collect = collect, .start = have->n_routes,
	};
	int r = rtnl_dump_routes(nl, family, table, table_route, &s, table_reset);

	if (out)
		*out = s;
	return r;
}

/* ---- our rules, classified ---- */

struct rule_list {
	unsigned n, cap;
	struct rule *v;
};

static int rule_collect(const struct rule *r, void *data)
{
	struct rule_list *l = data;

	if (l->n == l->cap) {
		unsigned cap = l->cap ? l->cap * 2 : 64;
		struct rule *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *r;
	return 0;
}

static void rule_list_reset(void *data)
{
	((struct rule_list *)data)->n = 0;
}

static bool is_shared_rule(const struct rule *r)
{
	return r->table == RT_TABLE_MAIN && r->suppress_prefixlen >= 0;
}

static bool is_auto_table(const struct config *cfg, uint32_t table)
{
	return table > cfg->table_base && table - cfg->table_base <= AUTO_TABLE_SPAN;
}

bool have_rule_ours(uint8_t protocol, const struct rule *r)
{
	return r->protocol == protocol && !(r->flags & RULE_HAS_EXTRA);
}

bool have_route_ours(uint8_t protocol, const struct route *r)
{
	return r->protocol == protocol && !(r->flags & ROUTE_HAS_EXTRA);
}

bool have_rule_sweepable(const struct config *cfg, const struct rule *r)
{
	if (!have_rule_ours(cfg->protocol, r))
		return false;
	if (is_shared_rule(r))
		return r->priority == cfg->suppress_priority;
	if (is_auto_table(cfg, r->table))
		return true;
	return r->priority == cfg->priority || r->priority == cfg->prefer_priority ||
	       r->priority == cfg->subnet_priority;
}

/* Whose is a table that is neither this interface's current one nor an automatic one? */
enum table_owner { OWNER_THIS, OWNER_OTHER, OWNER_NONE };

struct table_verdict {
	uint32_t table;
	enum table_owner owner;
};

/* The tables chosen by hand that rules of ours look up, each scanned once per event. */
struct table_cache {
	struct table_verdict *v;
	unsigned n, cap;
};

static int classify_table(struct rtnl *nl, const struct config *cfg, int family, uint32_t table,
			  uint32_t ifindex, struct have *have, struct table_cache *cache,
			  enum table_owner *owner)
{
	struct table_scan s;
	int r;

	if (is_auto_table(cfg, table)) {
		uint32_t idx = table - cfg->table_base;

		/* Our own automatic table was already read by have_read(). One ioctl, no
		 * dump, for others (no cache to search: 4096 of them are 4096 tables): is the
		 * interface the table was made for still there? */
		if (ifindex && idx == ifindex)
			*owner = OWNER_THIS;
		else
			*owner = rtnl_link_exists(nl, idx) ? OWNER_OTHER : OWNER_NONE;
		return 0;
	}
	for (unsigned i = 0; i < cache->n; i++) {
		if (cache->v[i].table == table) {
			*owner = cache->v[i].owner;
			return 0;
		}
	}
	if (cache->n == cache->cap) {
		unsigned cap = cache->cap ? 2 * cache->cap : 16;
		struct table_verdict *v = realloc(cache->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		cache->v = v;
		cache->cap = cap;
	}
	/*
	 * A table chosen by hand: our routes in it say whose it is, and ours through this
	 * interface are collected (an earlier table of the interface's: its routes go with its
	 * rules). Once per table, so none is collected twice.
	 */
	r = scan_table(nl, cfg, family, table, ifindex, have, false, true, &s);
	if (r < 0)
		return r;
	*owner = s.ours_here ? OWNER_THIS : s.ours_other ? OWNER_OTHER : OWNER_NONE;
	cache->v[cache->n].table = table;
	cache->v[cache->n].owner = *owner;
	cache->n++;
	return 0;
}

/*
 * Does a rule of ours that another interface's automatic table looks up concern an event of
 * @scope's interface? Only when it is from one of the interface's addresses: an interface
 * recreated with a new index (ppp, a VPN) keeps its address, and its old rule is the one
 * an admin would see beside the new. Pure.
 */
static bool rule_names_link(const struct link_state *scope, const struct rule *rule)
{
	return rule->src.family && is_link_addr(scope, &rule->src);
}

int have_read_rules(struct rtnl *nl, const struct config *cfg, int family, uint32_t ifindex,
		    uint32_t table, const struct link_state *scope, struct have *have)
{
	struct rule_list list = { 0 };
	struct table_cache cache = { 0 };
	const struct rule *rules;
	size_t n_rules;
	int r = 0;

	/* Held by a snapshot (status, every interface in turn): read in place, not copied. */
	if (!rtnl_rules_held(nl, family, &rules, &n_rules)) {
		r = rtnl_dump_rules_of(nl, family, cfg->protocol, rule_collect, &list,
				       rule_list_reset);
		rules = list.v;
		n_rules = list.n;
	}
	for (size_t i = 0; r == 0 && i < n_rules; i++) {
		const struct rule *rule = &rules[i];
		enum table_owner owner;
		bool beyond_scope;

		/*
		 * A rule with our tag but selectors we never set is not one we made, and a
		 * delete without those selectors could hit a twin of ours instead: leave it.
		 */
		if (!have_rule_ours(cfg->protocol, rule))
			continue;
		if (is_shared_rule(rule)) {
			/* At another priority: not one we write (someone's twin of ours). */
			if (have_rule_sweepable(cfg, rule))
				r = have_add_rule(have, rule);
			continue;
		}
		if (table && rule->table == table) {
			r = have_add_rule(have, rule);
			continue;
		}
		/*
		 * Another interface's automatic table, beyond the event's scope: all the event
		 * needs of such rules is whether any belongs to a live interface (the shared
		 * rule stays); asking about each one's interface made an event beside 4096
		 * managed interfaces list every address of the host. Their orphans wait for a
		 * run without scope.
		 */
		beyond_scope = scope && is_auto_table(cfg, rule->table) &&
			       rule->table - cfg->table_base != ifindex &&
			       !rule_names_link(scope, rule);
		if (beyond_scope && have->n_other_rules)
			continue;
		r = classify_table(nl, cfg, family, rule->table, ifindex, have, &cache, &owner);
		if (r < 0)
			break;
		if (owner == OWNER_OTHER)
			have->n_other_rules++;
		else if (owner == OWNER_THIS || (have_rule_sweepable(cfg, rule) && !beyond_scope))
			r = have_add_rule(have, rule);	/* ours from an earlier table, or an orphan */
	}
	free(cache.v);
	free(list.v);
	return r;
}

static int read_own(struct rtnl *nl, const struct config *cfg, int family, uint32_t ifindex,
		    uint32_t table, unsigned extra, struct link_state *link, struct have *have)
{
	struct table_scan ts;
	int r;

	memset(link, 0, sizeof(*link));
	memset(have, 0, sizeof(*have));
	link->ifindex = ifindex;

	if (ifindex) {
		r = rtnl_dump_addrs(nl, family, ifindex, link_addr, link, link_addrs_reset);
		if (r < 0)
			return r;
		r = extra & HAVE_SHARED_NETS ? have_read_shared_nets(nl, cfg, family, link) : 0;
		if (r < 0)
			return r;
	}
	r = read_main(nl, cfg, family, link, have, extra & HAVE_MAIN_ROUTES);
	if (r < 0)
		return r;
	if (table) {
		r = scan_table(nl, cfg, family, table, ifindex, have, true, true, &ts);
		if (r < 0)
			return r;
		have->n_ours_in_table = ts.ours_here;
	}
	return 0;
}

int have_read_tables(struct rtnl *nl, const struct config *cfg, int family, uint32_t ifindex,
		     uint32_t table, unsigned extra, struct link_state *link, struct have *have)
{
	uint32_t auto_table = cfg->table_base + ifindex;
	int r = read_own(nl, cfg, family, ifindex, table, extra, link, have);

	/*
	 * The interface's earlier tables, without a walk of every table through it (a walk
	 * of every route of the host, a full BGP feed included): its automatic one when a
	 * table chosen by hand replaced it, and those our rules look up (have_read_rules()).
	 * Routes of ours left in a table chosen by hand with no rule of ours pointing there
	 * (the rule deleted by hand) are beyond an event's reach: `symroute flush` removes them.
	 */
	if (r == 0 && ifindex && table != auto_table)
		r = scan_table(nl, cfg, family, auto_table, ifindex, have, false, true, NULL);
	return r;
}

int have_read(struct rtnl *nl, const struct config *cfg, int family, uint32_t ifindex,
	      uint32_t table, unsigned extra, struct link_state *link, struct have *have)
{
	int r = have_read_tables(nl, cfg, family, ifindex, table, extra, link, have);

	return r < 0 ? r : have_read_rules(nl, cfg, family, ifindex, table, NULL, have);
}

struct foreign_rules {
	const struct config *cfg;
	uint32_t table;
	struct have *have;
};

static int foreign_rule(const struct rule *r, void *data)
{
	struct foreign_rules *f = data;

	if (r->protocol == f->cfg->protocol || r->table != f->table)
		return 0;
	if (f->have->n_foreign_rules++ == 0)
		f->have->first_foreign_rule = *r;
	return 0;
}

static void foreign_rules_reset(void *data)
{
	((struct foreign_rules *)data)->have->n_foreign_rules = 0;
}

int have_read_foreign_rules(struct rtnl *nl, const struct config *cfg, int family,
			    uint32_t table, struct have *have)
{
	struct foreign_rules f = { cfg, table, have };

	have->n_foreign_rules = 0;
	return rtnl_dump_rules(nl, family, foreign_rule, &f, foreign_rules_reset);
}
