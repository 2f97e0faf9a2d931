/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Purpose: the IPv4 router of an interface's current DHCP lease, from the clients' lease files. */
#ifndef SYMROUTE_LEASE_H
#define SYMROUTE_LEASE_H

#include <stddef.h>
#include <time.h>

struct addr;

/* Larger files are not leases (-EFBIG): dhclient appends a block per renewal, dhcpcd one reply. */
#define LEASE_DHCLIENT_MAX (1024 * 1024)
#define LEASE_DHCPCD_MAX (64 * 1024)

/* Where the DHCP clients keep their leases; tests point them elsewhere. */
struct lease_paths {
	const char *dhclient_dir;	/* "/var/lib/dhcp": dhclient.IFACE.leases (ifupdown's -lf),
					 * then dhclient.leases */
	const char *dhcpcd_dir;		/* "/var/lib/dhcpcd": IFACE.lease, the raw DHCP reply */
};

extern const struct lease_paths lease_default_paths;

enum lease_source { LEASE_NONE, LEASE_DHCLIENT, LEASE_DHCPCD };

/*
 * The first router (option 3) of @ifname's unexpired lease at @now, into @gw. When both clients
 * hold a current lease, the file written last counts. LEASE_NONE when there is no current lease,
 * or the current one names no usable router. @leased (may be NULL) gets the leased address
 * with its prefix length (family 0 where the file does not say it): a file outlives its client
 * (dhcpcd leaves it behind when it stops), so the caller checks the interface still has it.
 * @where gets the path of the file whose lease counted, also when it names no router; "" when
 * no file holds a current lease.
 */
enum lease_source lease_ipv4_router(const struct lease_paths *paths, const char *ifname, time_t now,
				    struct addr *gw, struct addr *leased, char *where,
				    size_t where_len);

/*
 * Pure parsers of untrusted bytes (unit tests and fuzzing): 0 and *gw set; -ENOENT when there
 * is no current lease or it names no router; -EINVAL when its router or the message is malformed.
 * dhclient: the last `lease { }` block of @ifname that expires after @now counts.
 * dhcpcd: the reply as received, which the file's mtime @written dates.
 */
int lease_dhclient_parse(const char *text, size_t len, const char *ifname, time_t now,
			 struct addr *gw);
int lease_dhcpcd_parse(const unsigned char *msg, size_t len, time_t written, time_t now,
		       struct addr *gw);

#endif
