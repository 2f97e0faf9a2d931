/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Purpose: `symroute check`: the kernel's own lookups prove the routing symmetric, or say why. */
#ifndef SYMROUTE_CHECK_H
#define SYMROUTE_CHECK_H

#include <stdbool.h>
#include <stdio.h>

struct addr;
struct config;
struct hostconf_paths;

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
/* The same, with the other tools' files (hostconf.h) read from @paths: for the tests. */
int check_run_paths(const struct config *cfg, const char *ifname, const struct addr *dest,
		    const struct hostconf_paths *paths, bool json, FILE *out);

#endif
