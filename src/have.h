/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Purpose: read from the kernel what one event needs: the interface's truth and what of ours exists. */
#ifndef SYMROUTE_HAVE_H
#define SYMROUTE_HAVE_H

#include <stdbool.h>
#include <stdint.h>
#include "addr.h"
#include "policy.h"

struct rtnl;
struct config;

/* Addresses per interface and family symroute routes for; more is refused, naming the bound. */
#define LINK_MAX_ADDRS 64

/* The kernel's truth about one interface and family, as the plan needs it. */
struct link_state {
	uint32_t ifindex;		/* 0: the interface does not exist */
	unsigned n_addrs;
	struct addr addrs[LINK_MAX_ADDRS];	/* global-scope addresses, with prefix length */
	unsigned n_addrs_dropped;	/* past LINK_MAX_ADDRS: the plan refuses the family */
	struct addr main_gateway;	/* a default in main via this interface, not ours; family 0: none */
	/* The gateway of our default in the interface's own table (have_note_table_gateway()). */
	struct addr table_gateway;	/* family 0: none */
	bool table_gateway_onlink;
	/*
	 * main-mode multipath: our shared default in main as the kernel holds it
	 * (every interface's next hop, ROUTE_SHARED set), and when it is down to a
	 * single path through another interface, that interface's weight, which
	 * the kernel no longer reports there (read from its table's default).
	 */
	bool has_shared;
	struct route shared;
	uint16_t lone_weight;
	/*
	 * Prefixes of this interface's addresses for which main holds a connected route
	 * through another interface (two interfaces in one subnet): the plan adds
	 * "from ADDR to PREFIX" rules for them.
	 */
	unsigned n_shared_nets;
	struct addr shared_nets[LINK_MAX_ADDRS];
};

/*
 * What of ours exists that this event may have to change: our routes in the
 * interface's table and in tables it used before, our fallback default in
 * main, our rules pointing to those tables, orphan rules of interfaces that
 * are gone (swept on any run), and the shared suppress rule.
 */
struct have {
	unsigned n_routes, n_rules;
	struct route *routes;
	struct rule *rules;
	unsigned routes_cap, rules_cap;
	/* Routes in the interface's table that are not ours: we refuse to touch the table. */
	unsigned n_foreign;
	struct route first_foreign;
	/* Our routes through this interface in its table: the table is ours already. */
	unsigned n_ours_in_table;
	/*
	 * Rules that are not ours and look the table up (have_read_foreign_rules()): a
	 * table chosen by hand that someone else's rules use is not ours to take over.
	 */
	unsigned n_foreign_rules;
	struct rule first_foreign_rule;
	/* Our rules of other live interfaces: the shared rule stays while there are any. */
	unsigned n_other_rules;
};

/* What a reading takes besides the interface's addresses, its tables and our rules. */
enum have_extra {
	/*
	 * Main's routes through the interface (a gateway from there, our defaults there).
	 * Without it the caller knows them otherwise (run.c, main_by_witness()).
	 */
	HAVE_MAIN_ROUTES = 1 << 0,
	/*
	 * link->shared_nets (have_read_shared_nets()), for a reader that wants them at once
	 * (status). An event reads them itself, and only for an up: it asks the cheaper
	 * question first (run.c, shared_by_lookup()).
	 */
	HAVE_SHARED_NETS = 1 << 1,
};

/*
 * Fill @link and @have for @family. @ifindex 0 (interface gone) still sweeps
 * orphans. @table is the interface's table (0 when the interface is gone). The
 * interface's earlier tables are those our rules look up and its automatic one: no
 * walk of every table. @extra: enum have_extra. Returns 0 or -errno.
 */
int have_read(struct rtnl *nl, const struct config *cfg, int family, uint32_t ifindex,
	      uint32_t table, unsigned extra, struct link_state *link, struct have *have);
/*
 * have_read() in two steps: what it reads of tables (the interface's, its automatic one,
 * main as @extra says), then every rule, with the tables our rules look up. Between
 * them the caller decides whether the rules need reading (plan_rules_in_place()).
 * @scope (a live interface's event: the interface as read): rules of other interfaces'
 * automatic tables are swept only when from one of its addresses, and asked about only
 * until one of a live interface is found; NULL (sync, status, a gone interface): every
 * orphan is swept.
 */
int have_read_tables(struct rtnl *nl, const struct config *cfg, int family, uint32_t ifindex,
		     uint32_t table, unsigned extra, struct link_state *link, struct have *have);
int have_read_rules(struct rtnl *nl, const struct config *cfg, int family, uint32_t ifindex,
		    uint32_t table, const struct link_state *scope, struct have *have);
/*
 * Fill link->shared_nets: the prefixes of link->addrs for which main holds a connected route
 * (origin kernel, and ra for IPv6) through another interface. Kernel-filtered
 * dumps of main by origin (never all of main); with cfg->narrow, no walk at all: one lookup
 * per prefix, which sees another interface's route only where it wins over this one's.
 * Nothing without the shared suppress rule, the only reason another route could win.
 */
int have_read_shared_nets(struct rtnl *nl, const struct config *cfg, int family,
			  struct link_state *link);
/*
 * link->shared_nets by one lookup per prefix alone (what cfg->narrow always does): the
 * prefixes where another interface's connected route wins over this one's. No walk of the
 * host's addresses; blind to another interface's route behind this one's.
 */
int have_read_shared_nets_winning(struct rtnl *nl, const struct config *cfg,
				  struct link_state *link);
/*
 * Our routes in main through the interface, and main's gateway through it, appended:
 * symroute writes none there but defaults. IPv4: the defaults alone, the first routes of
 * the table in the kernel's order (no walk); IPv6 lists them last: the kernel filters by
 * interface, but walks every route of main to do it.
 */
int have_read_main_routes(struct rtnl *nl, const struct config *cfg, int family,
			  struct link_state *link, struct have *have);
/* The same with the shared default of multipath mode: all main has to say, before planning. */
int have_read_main(struct rtnl *nl, const struct config *cfg, int family, struct link_state *link,
		   struct have *have);
/*
 * IPv6: the interface's router, the default the kernel uses through it in main, by one
 * lookup instead of that walk, into @link->main_gateway over what a read of main chose
 * (the lowest metric: the kernel's choice too, unless a router's preference or a failed
 * neighbour decides). False: no router's default answered (have_route_router()); main_gateway
 * is left as it was.
 */
bool have_note_router(struct rtnl *nl, const struct config *cfg, struct link_state *link);
/*
 * Count the rules that are not ours (another protocol) and look up @table into
 * have->n_foreign_rules: one dump of every rule, so asked only before taking a table over.
 */
int have_read_foreign_rules(struct rtnl *nl, const struct config *cfg, int family,
			    uint32_t table, struct have *have);
void have_free(struct have *have);

/*
 * The one "is this ours" test of every reader (up's have, show, flush, status, check): our
 * tag and nothing symroute never writes (an fwmark, iif, tos, encap, a multipath route of
 * another shape...). Such an object is someone's own, whatever its tag: listed by `ip`,
 * never listed, counted or touched as ours. Pure.
 */
bool have_rule_ours(uint8_t protocol, const struct rule *r);
bool have_route_ours(uint8_t protocol, const struct route *r);
/*
 * Is @r a router's default in main through @ifindex: anyone's but ours (an advertisement's,
 * a DHCP client's, one by hand), through a gateway, one next hop? Its gateway is the
 * interface's router. Not our own fallback, nor a route that is not a default.
 */
bool have_route_router(const struct config *cfg, uint32_t ifindex, const struct route *r);

/*
 * May a rule be removed as ours when no live interface owns the table it looks up (an orphan
 * of an interface that vanished)? Our tag alone proves nothing (anyone can write protocol 73):
 * the rule must have our shape (no selectors we never set) and either look up a table of the
 * automatic range or sit at a priority symroute writes (priority, prefer-priority,
 * subnet-priority; the
 * shared rule: suppress-priority). Rules at a priority given per interface are recognised by
 * their interface's table instead. Pure.
 */
bool have_rule_sweepable(const struct config *cfg, const struct rule *r);

/*
 * Note in @link the gateway of our default route in @table (the interface's own), from @have:
 * what a gateway given by hand once left there, for an `up` by hand that names none. Pure.
 */
void have_note_table_gateway(const struct have *have, uint32_t table, struct link_state *link);

/* Storage helpers, shared with the unit tests that build a `have` by hand. */
int have_add_route(struct have *have, const struct route *r);
int have_add_rule(struct have *have, const struct rule *r);

#endif
