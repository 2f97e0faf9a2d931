/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Purpose: what symroute manages, read back from the kernel, with its drift; as text or JSON. */
#ifndef SYMROUTE_STATUS_H
#define SYMROUTE_STATUS_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "have.h"
#include "policy.h"
#include "reconcile.h"
#include "watch.h"

struct config;
struct event;
struct rtnl;

/* Bounds: past them status_read() fails with -E2BIG, never truncates silently. */
#define STATUS_MAX_GATEWAYS 8
#define STATUS_MAX_FOREIGN 16
#define STATUS_MAX_DRIFT (2 * (POLICY_MAX_ROUTES + POLICY_MAX_RULES))
#define STATUS_MAX_SHARED 8
#define STATUS_MAX_ORPHANS 64
#define STATUS_ERROR_MAX 256

/* A route as shown: the route and the name of its interface (resolved when it was read). */
struct status_route {
	struct route r;
	char dev[IFNAMSIZ];
};

/* One interface and address family: ours as the kernel holds it, and what `up` would change. */
struct status_family {
	uint8_t family;			/* AF_INET or AF_INET6 */
	uint32_t table;
	bool table_auto;		/* table_base + ifindex */
	bool has_priority;		/* false: no rule of ours for the table */
	uint32_t priority;
	unsigned n_addrs;
	struct addr addrs[LINK_MAX_ADDRS];	/* the interface's global addresses */
	unsigned n_gateways;
	struct addr gateways[STATUS_MAX_GATEWAYS];	/* of our default routes in the table */
	/*
	 * Allocated as they fill (status_family_add_*(), grown geometrically up to their bounds;
	 * status_free() frees them): fixed arrays at the bounds made each interface weigh 200 KB,
	 * 800 MB for 4096 managed interfaces, where most hold two rules and three routes.
	 */
	unsigned n_rules, cap_rules;
	struct rule *rules;			/* ours that look up the table */
	unsigned n_routes, cap_routes;
	struct status_route *routes;		/* ours in the table, and our fallback in main */
	unsigned n_foreign, cap_foreign;
	struct status_route *foreign;		/* in the table, not ours */
	/* Drift: what `symroute up IFACE` with no options would send now. */
	bool drift_known;		/* false: see drift_error */
	bool drift_needs_sync;		/* a rule `up` would not read goes: `sync` repairs */
	char drift_error[STATUS_ERROR_MAX];
	unsigned n_drift;
	/*
	 * n_drift operations, allocated to size (status_free() frees them): most families have
	 * none, and a fixed array of STATUS_MAX_DRIFT made every interface weigh 1.3 MB (the
	 * watcher reads one status per reconcile).
	 */
	struct op *drift;
};

struct status_iface {
	char name[IFNAMSIZ];
	uint32_t ifindex;
	struct status_family fam[2];	/* [0] IPv4, [1] IPv6; family 0: nothing of ours there */
	/* The gateways its managers name (a stanza's symroute-gateway, a DHCP lease's router), as
	 * `up` by hand takes them: hostconf_gateways(). */
	struct addr intent_gw[2];
	unsigned intent_gws;		/* EVENT_V4 | EVENT_V6 in intent_gw[] */
	/* NetworkManager manages it: its profile's settings, so `symroute sync IFACE` repairs. */
	bool nm_managed;
};

/*
 * The event `up` by hand would run for @f of @iface: intent_event() (what symroute left in the
 * kernel), with the gateways and stanza knobs its managers name over it (hostconf). Status's
 * drift and the watcher's actions both start from it. -EINVAL with *why when it cannot be.
 */
int status_intent(const struct config *cfg, const struct status_iface *iface,
		  const struct status_family *f, bool manager_default, const char *origin,
		  struct event *ev, const char **why);

/*
 * Append to @f's rules, routes (our own) or foreign routes; @dev: the route's interface name,
 * NULL to resolve it now. -E2BIG past POLICY_MAX_RULES, POLICY_MAX_ROUTES or
 * STATUS_MAX_FOREIGN, -ENOMEM.
 */
int status_family_add_rule(struct status_family *f, const struct rule *r);
int status_family_add_route(struct status_family *f, const struct route *r, const char *dev);
int status_family_add_foreign(struct status_family *f, const struct route *r, const char *dev);
/* Free what the status_family_add_*() calls allocated (and the drift), and clear @f. */
void status_family_free(struct status_family *f);

/* The one command that brings @iface in line: "symroute sync IFACE" or "symroute up IFACE". */
const char *status_repair(const struct status_iface *iface, char *buf, size_t len);

struct status {
	unsigned n_ifaces, cap_ifaces;
	struct status_iface *ifaces;	/* ordered by ifindex */
	unsigned n_shared;
	/* Our "from all lookup main suppress_prefixlength 0" rules. */
	struct rule shared[STATUS_MAX_SHARED];
	unsigned n_orphans;
	/* Ours, for a table of an interface that is gone. */
	struct rule orphans[STATUS_MAX_ORPHANS];
	/*
	 * symroute watch, from its state file: status_run() reads it (watcher_known), and the
	 * writers show it then; status_read() does not.
	 */
	bool watcher_known;
	bool has_watcher;		/* a state file was there */
	struct watch_state watcher;
};

/* The interface @ifindex of @st (ordered by ifindex: a binary search), or NULL. */
const struct status_iface *status_iface_find(const struct status *st, uint32_t ifindex);

/*
 * Read what symroute manages from the kernel: every interface with a rule or
 * route of ours (or only @ifname, which is listed even when it has none), and
 * compute each family's drift through have_read(), plan_build() and
 * reconcile(), exactly as `symroute up IFACE` would. Returns 0 or -errno.
 */
int status_read(struct rtnl *nl, const struct config *cfg, const char *ifname, struct status *st);
void status_free(struct status *st);

/* Is the family's kernel state what symroute would install now? */
bool status_family_in_sync(const struct status_family *f);

/* What `status` sums up for monitoring: the JSON's "summary" and the exit status. */
struct status_summary {
	unsigned managed;	/* interfaces with something of ours */
	unsigned families;	/* interface families with something of ours */
	unsigned in_sync, drift, unknown;	/* of those: up would change nothing, something, or fail */
	unsigned orphan_rules;
};

void status_summarize(const struct status *st, struct status_summary *sum);
/* Nothing drifted, nothing unknown, no orphan: `status` exits 0. */
bool status_summary_ok(const struct status_summary *sum);

/*
 * @s as a JSON string: control characters escaped, valid UTF-8 kept, every byte of invalid
 * UTF-8 (link names are bytes) as \u00XX. Shared by status and check.
 */
void json_write_string(FILE *out, const char *s);

/* Pure writers of a status already read: the documented JSON, and text for people. */
void status_write_json(const struct status *st, FILE *out);
void status_write_text(const struct status *st, FILE *out);

/*
 * `symroute status [IFACE] [--json]`. Returns an exit code from exitcode.h: EXIT_DRIFT when
 * the summary is not ok.
 */
int status_run(const struct config *cfg, const char *ifname, bool json, FILE *out);

#endif
