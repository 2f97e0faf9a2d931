/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Purpose: IPv4/IPv6 addresses and prefixes, strict parsing and formatting. */
#ifndef SYMROUTE_ADDR_H
#define SYMROUTE_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest text addr_format() writes: an IPv6 address, '/', three digits, NUL. */
#define ADDR_STRLEN 50

/*
 * One address or prefix. The bytes are in network byte order for both
 * families; IPv4 uses the first four. family == 0 means "none".
 */
struct addr {
	uint8_t family;		/* AF_INET, AF_INET6, or 0 for none */
	uint8_t plen;		/* prefix length; 32 or 128 for a host */
	uint8_t bytes[16];
};

enum addr_parse_flags {
	ADDR_PLEN_REQUIRED = 1 << 0,	/* "ADDR/PLEN" only */
	ADDR_PLEN_FORBIDDEN = 1 << 1,	/* a bare address only */
	ADDR_NO_HOST_BITS = 1 << 2,	/* a network prefix: host bits must be zero */
};

/*
 * Parse @text as an address of @family (AF_INET, AF_INET6 or AF_UNSPEC for
 * either). Without "/PLEN" the prefix length is the full host length.
 * Returns 0 or -EINVAL; on error *why points to a short reason in words.
 */
int addr_parse(struct addr *out, const char *text, int family, unsigned flags,
	       const char **why);

/* Parse a prefix length for @family: "24" or, for IPv4, a dotted netmask. */
int addr_parse_plen(uint8_t *plen, const char *text, int family, const char **why);

/* Format as "ADDR" or "ADDR/PLEN"; returns @buf. @buf must hold ADDR_STRLEN. */
char *addr_format(const struct addr *a, bool with_plen, char *buf);

size_t addr_family_len(int family);
bool addr_is_set(const struct addr *a);
/* Same family and bytes; the prefix length is not compared. */
bool addr_same_ip(const struct addr *a, const struct addr *b);
/* Total order over family, bytes and prefix length. */
int addr_cmp(const struct addr *a, const struct addr *b);
/* Copy of @a with the host bits beyond its prefix length cleared. */
struct addr addr_network(const struct addr *a);
/* Host number @k of the prefix @net, as a host address; false when the prefix is too short. */
bool addr_nth_host(const struct addr *net, unsigned k, struct addr *out);
bool addr_has_host_bits(const struct addr *a);
/* Are any bits of @a set beyond the first @plen? */
bool addr_has_host_bits_at(const struct addr *a, uint8_t plen);
/* Is @a the all-ones host of the IPv4 prefix @net? */
bool addr_is_subnet_broadcast(const struct addr *net, const struct addr *a);
/* Does the prefix @net contain the address @a? */
bool addr_in_prefix(const struct addr *net, const struct addr *a);
/*
 * The one classifier for a router that a DHCP server or a router advertisement names for an
 * interface holding @own (its address with the prefix length; NULL when unknown): why @gw
 * cannot be that interface's gateway, or NULL when it can. Refused: anything but a unicast
 * address (unspecified, multicast, loopback, 255.255.255.255, IPv4-mapped), @own itself, and
 * the broadcast or network address of @own's IPv4 prefix (a /31 or /32 has neither). A router
 * outside @own's prefix is usable: see addr_router_needs_onlink().
 */
const char *addr_router_unusable(const struct addr *gw, const struct addr *own);
/* Is @gw, an IPv4 router of the lease @own, outside @own's prefix (a cloud's /32 lease)? */
bool addr_router_needs_onlink(const struct addr *gw, const struct addr *own);
bool addr_is_unspecified(const struct addr *a);
bool addr_is_multicast(const struct addr *a);
bool addr_is_loopback(const struct addr *a);
bool addr_is_link_local(const struct addr *a);
bool addr_is_v4_broadcast(const struct addr *a);
bool addr_is_v4_mapped(const struct addr *a);

#endif
