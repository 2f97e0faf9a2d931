/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Purpose: what the host's other network tools are set to do, read from their own files. */
#ifndef SYMROUTE_HOSTCONF_H
#define SYMROUTE_HOSTCONF_H

#include <stdbool.h>
#include <stddef.h>

struct addr;
struct event;
struct lease_paths;

#define HOSTCONF_PATH_MAX 4096
#define HOSTCONF_MAX_DROPIN_DIRS 4

/*
 * Where the files are; tests point them elsewhere. NULL-terminated lists are read in order,
 * later entries overriding earlier ones (systemd's drop-in precedence).
 */
struct hostconf_paths {
	const char *proc;		/* "/proc": processes, and this namespace's sys/net */
	const char *networkd_conf;	/* "/etc/systemd/networkd.conf" */
	const char *networkd_dropins[HOSTCONF_MAX_DROPIN_DIRS + 1];	/* networkd.conf.d dirs */
	const char *ifupdown_interfaces;	/* "/etc/network/interfaces" */
	const char *ifupdown_state;	/* "/run/network/ifstate": ifupdown 0.8 */
	const char *ifupdown_ng_state;	/* "/run/ifstate": ifupdown-ng, the same "IFACE=" lines */
	const char *ifupdown2_state;	/* "/var/tmp/network/ifstatenew": ifupdown2's pickle (Debian) */
	const char *nm_devices;		/* "/run/NetworkManager/devices", a file per ifindex */
	const struct lease_paths *leases;	/* the DHCP clients' lease files; NULL: none read */
};

extern const struct hostconf_paths hostconf_default_paths;

/* net.ipv4.conf.IFACE.KEY as the kernel applies it, from conf/all and conf/IFACE. */
enum hostconf_merge { HOSTCONF_MAX, HOSTCONF_OR };
int hostconf_ipv4_conf(const struct hostconf_paths *paths, const char *ifname, const char *key,
		       enum hostconf_merge merge, int *v);

/*
 * Does systemd-networkd's configuration leave foreign rules/routes alone? rules/routes are
 * true when networkd manages (deletes) foreign ones; the *_from fields name the file that
 * decided, or "default".
 */
struct hostconf_networkd {
	bool rules, routes;
	char rules_from[HOSTCONF_PATH_MAX], routes_from[HOSTCONF_PATH_MAX];
};

void hostconf_networkd_foreign(const struct hostconf_paths *paths, struct hostconf_networkd *nd);
/* Does a process whose argv[0] is @name run in this network namespace? */
bool hostconf_running_here(const struct hostconf_paths *paths, const char *name);
/* Does ifupdown configure @ifname (an iface stanza, or its state file lists it)? */
bool hostconf_ifupdown_configures(const struct hostconf_paths *paths, const char *ifname,
				  char *where, size_t where_len);
/*
 * The gateways the iface stanzas of @ifname name with `symroute-gateway` (in
 * /etc/network/interfaces and the files it sources), at most one per family: the first of
 * each family is put in gw[event_family_index()], and the EVENT_V4/EVENT_V6 bits found are
 * returned. A value that is not an address, or a second gateway of a family, is left out
 * with a warning naming the interface, the file and the line.
 */
unsigned hostconf_ifupdown_gateways(const struct hostconf_paths *paths, const char *ifname,
				    struct addr gw[2]);
/*
 * Call @fn once for each interface ifupdown has up, until it returns non-zero; returns that
 * value, or 0. ifupdown 0.8 and ifupdown-ng list them in their state files; ifupdown2's is a
 * Python pickle, not read: where it exists, every interface with an iface stanza and a link in
 * the kernel counts as up.
 */
int hostconf_ifupdown_each_up(const struct hostconf_paths *paths,
			      int (*fn)(const char *ifname, void *data), void *data);
/*
 * Call @fn with each `symroute-NAME VALUE` line of @ifname's iface stanzas, NAME as
 * options_set() takes it, until it returns true: all but symroute-gateway (read by
 * hostconf_ifupdown_gateways()) and the lines of `inet dhcp` stanzas (their DHCP client's
 * hook runs, which takes none of them).
 */
void hostconf_ifupdown_knobs(const struct hostconf_paths *paths, const char *ifname,
			     bool (*fn)(const char *name, const char *value, const char *path,
					unsigned lineno, void *data),
			     void *data);
/*
 * The knobs @ifname's stanzas set, into @knobs (an event_init()ed event of its own): the first
 * line of each knob, as ifup takes the first stanza's; a bad line is left out with a warning
 * naming its file and line. Returns the EVENT_HAS_* bits set.
 */
unsigned hostconf_stanza_knobs(const struct hostconf_paths *paths, const char *ifname,
			       struct event *knobs);
/* Does an iface stanza of @ifname say `symroute off`? */
bool hostconf_ifupdown_off(const struct hostconf_paths *paths, const char *ifname);
/*
 * The gateways @ifname's managers name, as `up` by hand, sync and status take them where the
 * command line gives none: per family, its iface stanzas' symroute-gateway, else (IPv4) the
 * router of its current DHCP lease, from dhclient's or dhcpcd's file, when the leased address
 * is still on the interface. from[f] and detail[f] say where each came from, for messages:
 * "its iface stanza" (symroute-gateway) or "its DHCP lease" (the file). The lease files are
 * read only when @wanted (EVENT_V4 | EVENT_V6) asks for IPv4.
 */
struct hostconf_gateways {
	struct addr *gw;	/* [2], by event_family_index() */
	unsigned found;		/* EVENT_V4 | EVENT_V6 */
	const char *from[2];
	char detail[2][HOSTCONF_PATH_MAX];
};
void hostconf_gateways(const struct hostconf_paths *paths, const char *ifname, unsigned wanted,
		       struct hostconf_gateways *out);
/* Does NetworkManager's device state say it manages the interface @ifindex? */
bool hostconf_nm_manages(const struct hostconf_paths *paths, unsigned ifindex);

#endif
