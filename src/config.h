/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Purpose: host-wide settings from /etc/symroute.conf, with built-in defaults. */
#ifndef SYMROUTE_CONFIG_H
#define SYMROUTE_CONFIG_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "event.h"

#define CONFIG_DEFAULT_PATH "/etc/symroute.conf"

/*
 * Owner tag on every route and rule we create. Not used by the kernel,
 * iproute2's rt_protos, FRR (186-198), BIRD (12), keepalived (18), babel
 * (42) or Open/R (99); named "symroute" by /etc/iproute2/rt_protos.d.
 */
#define CONFIG_DEFAULT_PROTOCOL 73
/* Automatic table of an interface: base + ifindex; see symroute(8), TABLES. */
#define CONFIG_DEFAULT_TABLE_BASE 1000000u
#define CONFIG_DEFAULT_PRIORITY 31100u
#define CONFIG_DEFAULT_SUPPRESS_PRIORITY 31000u
#define CONFIG_DEFAULT_FALLBACK_METRIC_BASE 1000000u
/* main-mode metric: an interface's default in main has metric base + ifindex unless given. */
#define CONFIG_DEFAULT_METRIC_BASE 1000u
/*
 * Preferred-prefix rules: after the shared suppress rule (31000: main's specific routes win)
 * and after the source rules (31100: a packet whose source is already one uplink's address,
 * a reply above all, keeps leaving by that uplink), before main's own rule (32766).
 */
#define CONFIG_DEFAULT_PREFER_PRIORITY 31150u
/*
 * Shared-subnet rules ("from ADDR to PREFIX lookup T", only where another interface has a
 * connected route for the same prefix): before the shared suppress rule (31000), which
 * would let main's connected route of the other interface win for the whole subnet.
 */
#define CONFIG_DEFAULT_SUBNET_PRIORITY 30900u

/* What symroute puts in main for wildcard-source traffic. */
enum config_main_mode {
	CONFIG_MAIN_FALLBACK,	/* a default of ours per interface, behind any other (metric 1000000+) */
	CONFIG_MAIN_METRIC,	/* a default of ours per interface, each with its own metric */
	CONFIG_MAIN_MULTIPATH,	/* one default of ours, a weighted next hop per interface */
};

/* watch-interfaces, watch-exclude: blank-separated shell globs, this long at most. */
#define CONFIG_PATTERNS_MAX 256
#define CONFIG_PATTERNS_MAX_TEXT "255"

/* [interface NAME] groups in one file: far above a host's uplinks; more are refused, not cut. */
#define CONFIG_MAX_IFACES 256
#define CONFIG_MAX_IFACES_TEXT "256"

/*
 * One [interface NAME] group: the per-interface settings of a stanza or a profile (the knobs
 * of options.c, `gateway`, `off`), in the same fields as struct event, which
 * config_resolve() copies them into.
 */
struct config_iface {
	char name[IFNAMSIZ];
	unsigned line;			/* of its [interface NAME] line, for messages */
	unsigned has;			/* enum event_has: the knobs the group sets */
	unsigned gateways;		/* enum event_family: gateway[] holds a value */
	bool off;			/* the hooks remove what is ours instead of an up */
	struct addr gateway[2];		/* [0] IPv4, [1] IPv6 */
	uint32_t table;
	uint32_t priority;
	bool to_rule;
	bool main_default;
	bool onlink;
	uint32_t metric;
	uint16_t weight;
	unsigned n_prefer;
	struct addr prefer[EVENT_MAX_PREFER];
	bool rp_loose;
	bool arp_ignore, arp_announce, arp_filter;
};

struct config {
	uint8_t protocol;
	uint32_t table_base;		/* automatic tables: table_base + ifindex */
	uint32_t priority;		/* "from ADDR lookup T" rules */
	uint32_t suppress_priority;	/* the shared "lookup main suppress_prefixlength 0" rule */
	bool suppress;			/* install that shared rule */
	bool to_rule;			/* also install "to ADDR lookup T" */
	bool main_default;		/* keep a fallback default of ours in main (main-mode fallback) */
	uint32_t fallback_metric_base;	/* fallback default metric: base + ifindex */
	enum config_main_mode main_mode;
	uint32_t metric_base;		/* main-mode metric: base + ifindex unless the event says;
					 * multipath: the shared default's own metric */
	uint32_t prefer_priority;	/* "to PREFIX lookup T" rules of preferred prefixes */
	uint32_t subnet_priority;	/* "from ADDR to PREFIX lookup T" rules of shared subnets */
	/* Host-wide defaults of the per-interface sysctl knobs (off: the kernel's values stay). */
	bool rp_loose, arp_ignore, arp_announce, arp_filter;
	unsigned lock_timeout_ms;
	/*
	 * Shared subnets found by one route lookup per prefix instead of a dump of every
	 * address of the host (have_read_shared_nets()): for hosts with thousands of
	 * interfaces, at the price of a rule that may come one event late.
	 */
	bool narrow;
	/* symroute watch: runs at all; which interfaces it follows (patterns, empty: all). */
	bool watch;
	char watch_interfaces[CONFIG_PATTERNS_MAX];
	char watch_exclude[CONFIG_PATTERNS_MAX];
	unsigned n_ifaces;
	struct config_iface ifaces[CONFIG_MAX_IFACES];	/* [interface NAME] groups, in file order */
};

void config_defaults(struct config *cfg);
/*
 * Read @path over the defaults. A missing file is not an error when
 * @must_exist is false (no config file is the common case). Returns 0,
 * -ENOENT (missing) or -EINVAL (unreadable, untrusted or malformed); errors
 * are logged naming the file, the line, the group, the key and the value.
 * Trusted: a regular file owned by root (or by the user running symroute),
 * not writable by group or others.
 */
int config_load(struct config *cfg, const char *path, bool must_exist);
/*
 * The same for the commands that only read or remove (show, status, check, down, flush):
 * a bad line never stops them. Each bad line is a warning naming the file, the line and
 * what is ignored, and keeps that setting's built-in value; a file that cannot be used at
 * all (unreadable, untrusted, not a key file) leaves every setting as it was. Returns 0,
 * or 1 when something was ignored.
 */
int config_load_lenient(struct config *cfg, const char *path, bool must_exist);

/* Does `symroute watch` follow @ifname (watch-interfaces matched, watch-exclude not)? */
bool config_watch_wants(const struct config *cfg, const char *ifname);

/* The [interface NAME] group of @ifname, or NULL. */
const struct config_iface *config_iface_find(const struct config *cfg, const char *ifname);

/*
 * Where an event's settings meet the file: fill what @ev does not set itself (the command
 * line, a stanza, a profile) from its interface's [interface NAME] group. What neither sets
 * falls to [symroute] and the built-in defaults where it is used (plan.c, sysctl.c), as
 * before. A gateway fills only a family of the event that has none (a hand `up` without
 * --gateway, a lease without a usable router). The group's `off` turns an up into a down
 * (what is ours goes), unless the event said on or off itself (EVENT_HAS_OFF).
 * Called once per event, by run_event().
 */
void config_resolve(const struct config *cfg, struct event *ev);
/*
 * Copy the knobs @has (EVENT_HAS_*: table, priority, ...) of @src into @dst and mark them
 * given there: a source of settings read into an event of its own, taken over another.
 */
void config_event_take_knobs(struct event *dst, const struct event *src, unsigned has);

#endif
