/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Purpose: optional per-interface IPv4 sysctls (rp_filter, arp_*): set on up, put back on down. */
#ifndef SYMROUTE_SYSCTL_H
#define SYMROUTE_SYSCTL_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>

struct event;
struct config;

/* Where the per-interface IPv4 settings live; tests point it elsewhere. */
extern const char *sysctl_conf_dir;

/* The longest value read or written: these are small integers. */
#define SYSCTL_VALUE_MAX 32
/* The knobs symroute sets: at most this many changes per event. */
#define SYSCTL_MAX_SETS 4

/* One per-interface IPv4 setting to write, with the value it held (its undo). */
struct sysctl_set {
	char ifname[IF_NAMESIZE];
	char knob[16];			/* the file under conf/IFNAME/ */
	char value[SYSCTL_VALUE_MAX];
	char before[SYSCTL_VALUE_MAX];
};

/*
 * The read step of the sysctls the event (or the config) asks for @ev->ifname: on up,
 * each one that differs from symroute's value is to get it; on down, each one that still
 * holds symroute's value is to get the kernel default back (rp_filter:
 * conf/default/rp_filter; arp_*: 0). A value someone changed since is left alone. Fills
 * @sets (room for SYSCTL_MAX_SETS) and returns how many, or -errno, logged naming the file.
 * Writes nothing: apply.c writes them (OP_SET_SYSCTL), in the event's one undo scope.
 */
int sysctl_plan(const struct event *ev, const struct config *cfg, struct sysctl_set *sets);
/* The value of conf/@ifname/@knob (@ifname "default": the host's default). 0 or -errno. */
int sysctl_read(const char *ifname, const char *knob, char *out, size_t len);
/* Write @set's value, or with @undo the value it held. Returns 0 or -errno. */
int sysctl_write(const struct sysctl_set *set, bool undo);
/*
 * sysctl_plan(), then the changes printed as `sysctl -w` lines (@dry_run) or applied as
 * one undo scope. Returns the number of values changed (or that would be) or -errno.
 */
int sysctl_run(const struct event *ev, const struct config *cfg, bool dry_run);
/*
 * "net.ipv4.conf.IFNAME.KNOB" as sysctl(8) spells it: a '.' inside the interface name is
 * written '/' (eth1.100 is net.ipv4.conf.eth1/100.rp_filter). Cut at @len, like snprintf.
 */
char *sysctl_ipv4_key(char *buf, size_t len, const char *ifname, const char *knob);

#endif
