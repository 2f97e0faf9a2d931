/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Purpose: `symroute check`: the kernel's own lookups prove the routing symmetric, or say why. */
#ifndef SYMROUTE_CHECK_H
#define SYMROUTE_CHECK_H

#include <stdbool.h>
#include <stdio.h>

struct addr;
struct config;

/*
 * The files check reads besides the kernel's routing state; tests point
 * them elsewhere. NULL-terminated lists are read in order, later entries
 * overriding earlier ones (systemd's drop-in precedence).
 */
#define CHECK_MAX_DROPIN_DIRS 4

struct check_paths {
	const char *proc;		/* "/proc": processes, and this namespace's sys/net */
	const char *networkd_conf;	/* "/etc/systemd/networkd.conf" */
	const char *networkd_dropins[CHECK_MAX_DROPIN_DIRS + 1];	/* networkd.conf.d dirs */
	const char *ifupdown_interfaces;	/* "/etc/network/interfaces" */
	const char *ifupdown_state;	/* "/run/network/ifstate" */
	const char *nm_devices;		/* "/run/NetworkManager/devices", a file per ifindex */
};

extern const struct check_paths check_default_paths;

/*
 * Default destinations of the lookups: a documentation/benchmarking address
 * outside every prefix of the host's addresses, i.e. one only a default
 * route reaches. The first candidate not covered is used.
 */
#define CHECK_DEST4 "198.18.0.1", "203.0.113.254", "198.51.100.254"
#define CHECK_DEST6 "2001:2::1", "2001:db8:ffff::1"

/*
 * `symroute check [IFACE] [--dest ADDR]`: one line per check on @out,
 * "PASS words | command that shows it", "FAIL ...", or "INFO ..." (not a
 * failure). Returns EXIT_OK when every check passed, EXIT_CHECK_FAILED when
 * one failed, or another exitcode.h code when the checks could not run.
 * @json: the same checks as {"version":1,"checks":[{"verdict":"PASS|FAIL|INFO","what":TEXT,
 * "command":TEXT|null}...],"summary":{"ok":BOOL,"checks":N,"failed":N,"info":N}}.
 */
int check_run(const struct config *cfg, const char *ifname, const struct addr *dest, bool json,
	      FILE *out);
int check_run_paths(const struct config *cfg, const char *ifname, const struct addr *dest,
		    const struct check_paths *paths, bool json, FILE *out);

/*
 * The file parsers, exposed for the unit tests.
 * Does systemd-networkd's configuration leave foreign rules/routes alone?
 * rules/routes are true when networkd manages (deletes) foreign ones; the
 * *_from fields name the file that decided, or "default".
 */
struct check_networkd {
	bool rules, routes;
	char rules_from[4096], routes_from[4096];
};

void check_networkd_foreign(const struct check_paths *paths, struct check_networkd *nd);
/* Does ifupdown configure @ifname (an iface stanza, or its state file lists it)? */
bool check_ifupdown_configures(const struct check_paths *paths, const char *ifname, char *where,
			       size_t where_len);
/* Does NetworkManager's device state say it manages the interface @ifindex? */
bool check_nm_manages(const struct check_paths *paths, unsigned ifindex);

#endif
