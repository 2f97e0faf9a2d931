/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Purpose: optional per-interface IPv4 sysctls (rp_filter, arp_*): set on up, put back on down. */
#ifndef SYMROUTE_SYSCTL_H
#define SYMROUTE_SYSCTL_H

#include <stdbool.h>
#include <stddef.h>

struct event;
struct config;

/* Where the per-interface IPv4 settings live; tests point it elsewhere. */
extern const char *sysctl_conf_dir;

/*
 * Bring the sysctls the event (or the config) asks for in line for @ev->ifname:
 * on up, each one that differs from symroute's value gets it; on down, each one
 * that still holds symroute's value gets the kernel default back (rp_filter:
 * conf/default/rp_filter; arp_*: 0). A value someone changed since is left
 * alone. @dry_run prints `sysctl -w` lines instead. Returns the number of
 * values changed (or that would be) or -errno, logged naming the file.
 */
int sysctl_run(const struct event *ev, const struct config *cfg, bool dry_run);

/*
 * "net.ipv4.conf.IFNAME.KNOB" as sysctl(8) spells it: a '.' inside the interface name is
 * written '/' (eth1.100 is net.ipv4.conf.eth1/100.rp_filter). Cut at @len, like snprintf.
 */
char *sysctl_ipv4_key(char *buf, size_t len, const char *ifname, const char *knob);

#endif
