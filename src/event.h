/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Purpose: the one event every front end produces: what happened to which interface. */
#ifndef SYMROUTE_EVENT_H
#define SYMROUTE_EVENT_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include "addr.h"

#define EVENT_MAX_ADDRS 64	/* addresses per interface, event and family */
#define EVENT_MAX_ADDRS_TEXT "64"	/* the same, for messages */

enum event_action {
	EVENT_IGNORE,	/* nothing to do (ifupdown's --all calls, unknown NM actions...) */
	EVENT_UP,	/* reconcile the interface to the addresses and gateways given */
	EVENT_DOWN,	/* remove everything of ours for the interface */
};

/* Address families as bits, so an event can name one or both. */
enum event_family {
	EVENT_V4 = 1 << 0,
	EVENT_V6 = 1 << 1,
};

/* Which optional fields are set; unset ones come from the config file. */
enum event_has {
	EVENT_HAS_TABLE = 1 << 0,
	EVENT_HAS_PRIORITY = 1 << 1,
	EVENT_HAS_TO_RULE = 1 << 2,
	EVENT_HAS_MAIN_DEFAULT = 1 << 3,
	EVENT_HAS_ONLINK = 1 << 4,
	EVENT_HAS_METRIC = 1 << 5,
	EVENT_HAS_PREFER = 1 << 6,
	EVENT_HAS_RP_FILTER = 1 << 7,
	EVENT_HAS_ARP_IGNORE = 1 << 8,
	EVENT_HAS_ARP_ANNOUNCE = 1 << 9,
	EVENT_HAS_ARP_FILTER = 1 << 10,
	EVENT_HAS_WEIGHT = 1 << 11,
	/*
	 * The event says itself whether symroute manages the interface (a stanza's `symroute
	 * on|off`, a profile's symroute.off, `symroute up` by hand): the `off` of the
	 * interface's [interface NAME] group in symroute.conf does not apply.
	 */
	EVENT_HAS_OFF = 1 << 12,
};

/* The knobs that say which sysctls are ours to restore: a down may carry them too. */
#define EVENT_HAS_SYSCTLS (EVENT_HAS_RP_FILTER | EVENT_HAS_ARP_IGNORE | EVENT_HAS_ARP_ANNOUNCE | \
			   EVENT_HAS_ARP_FILTER)

#define EVENT_MAX_PREFER 16	/* preferred prefixes per interface, both families */
#define EVENT_MAX_PREFER_TEXT "16"	/* the same, for messages */

struct event {
	enum event_action action;
	char ifname[IFNAMSIZ];
	unsigned families;		/* enum event_family: the families this event touches */
	unsigned addrs_given;		/* enum event_family: addresses come from the event, not the kernel */
	unsigned gateways_given;	/* enum event_family: gateway[] holds a value */
	/*
	 * Front ends run on events that may already be stale (NetworkManager
	 * replays queued ones): they drop addresses the kernel no longer has.
	 * A user on the command line gets an error instead.
	 */
	bool strict_addrs;
	unsigned has;			/* enum event_has */
	unsigned n_addrs;
	struct addr addrs[2 * EVENT_MAX_ADDRS];	/* interface addresses with their prefix length */
	/*
	 * enum event_family: a front end that does not refuse the event (NetworkManager
	 * reports every address the link has) saw more than EVENT_MAX_ADDRS of the family;
	 * the plan refuses that family alone.
	 */
	unsigned addrs_overflow;
	struct addr gateway[2];		/* [0] IPv4, [1] IPv6 */
	uint32_t table;
	uint32_t priority;
	bool to_rule;
	bool main_default;		/* keep a fallback default of ours in main */
	bool onlink;
	uint32_t metric;		/* main-mode metric: this interface's default route in main */
	uint16_t weight;		/* main-mode multipath: this interface's next hop, 1..256 */
	unsigned n_prefer;
	struct addr prefer[EVENT_MAX_PREFER];	/* destination prefixes that use this uplink */
	bool rp_loose;			/* rp_filter=2 while up ("loose"); false: "keep" */
	bool arp_ignore, arp_announce, arp_filter;	/* the classic values while up */
	const char *origin;		/* "cli", "ifupdown", "dhclient", "nm": for logs */
	/*
	 * No gateway given means "keep the one our table has" (an `up` by hand repairing an
	 * interface whose gateway came from its stanza or an earlier --gateway), not "none"
	 * (a front end reporting a lease without routers).
	 */
	bool keep_table_gateway;
	/*
	 * With EVENT_HAS_OFF: the event says symroute is off (true) or on for the interface in
	 * its families (a stanza's `symroute off`, a profile's symroute.off, `up` by hand). The
	 * watcher, which sees no stanza, keeps off what the last such event said off.
	 */
	bool off;
};

void event_init(struct event *ev, const char *origin);
/* Index into gateway[] for a family: 0 for AF_INET, 1 for AF_INET6. */
int event_family_index(int family);
unsigned event_family_bit(int family);
/*
 * Take gw[event_family_index()] as the gateway of each family in @families that @ev is about
 * and gives none for yet: a source below the event's own (symroute.conf's [interface NAME]
 * group, the interface's iface stanza when `up` runs by hand). Returns the families taken.
 */
unsigned event_default_gateways(struct event *ev, const struct addr gw[2], unsigned families);
/*
 * Add an interface address; -EEXIST for a duplicate (not an error for callers that merge
 * sources); -E2BIG past EVENT_MAX_ADDRS of its family, which is also marked in addrs_overflow.
 */
int event_add_addr(struct event *ev, const struct addr *a);
/*
 * Set the interface name; -EINVAL when the kernel would refuse it for a link (empty, too long,
 * "." or "..", '/', ':' or white space) or it is "all" or "default" (sysctl's host-wide names).
 */
int event_set_ifname(struct event *ev, const char *name, const char **why);

#endif
