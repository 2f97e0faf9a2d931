// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: IPv4/IPv6 addresses and prefixes, strict parsing and formatting. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"

size_t addr_family_len(int family)
{
	switch (family) {
	case AF_INET:
		return 4;
	case AF_INET6:
		return 16;
	default:
		return 0;
	}
}

static unsigned addr_max_plen(int family)
{
	return addr_family_len(family) * 8;
}

bool addr_is_set(const struct addr *a)
{
	return a->family == AF_INET || a->family == AF_INET6;
}

/* Strict decimal: digits only, no sign, no leading zeros but "0", bounded. */
static int parse_decimal(const char *text, unsigned max, unsigned *out)
{
	unsigned long v;
	char *end;

	if (text[0] < '0' || text[0] > '9' || (text[0] == '0' && text[1] != '\0'))
		return -EINVAL;
	errno = 0;
	v = strtoul(text, &end, 10);
	if (errno || *end != '\0' || v > max)
		return -EINVAL;
	*out = (unsigned)v;
	return 0;
}

/* A dotted IPv4 netmask: contiguous ones, then zeros. */
static int parse_netmask(const char *text, uint8_t *plen)
{
	struct in_addr mask;
	uint32_t m;
	unsigned n = 0;

	if (inet_pton(AF_INET, text, &mask) != 1)
		return -EINVAL;
	m = ntohl(mask.s_addr);
	while (n < 32 && (m & (0x80000000u >> n)))
		n++;
	if (n < 32 && (m << n) != 0)
		return -EINVAL;
	*plen = (uint8_t)n;
	return 0;
}

int addr_parse_plen(uint8_t *plen, const char *text, int family, const char **why)
{
	unsigned v;

	if (text == NULL || text[0] == '\0') {
		*why = "empty prefix length";
		return -EINVAL;
	}
	if (family == AF_INET && strchr(text, '.')) {
		if (parse_netmask(text, plen) < 0) {
			*why = "not a contiguous IPv4 netmask";
			return -EINVAL;
		}
		return 0;
	}
	if (parse_decimal(text, addr_max_plen(family), &v) < 0) {
		*why = family == AF_INET ? "not a prefix length from 0 to 32"
					 : "not a prefix length from 0 to 128";
		return -EINVAL;
	}
	*plen = (uint8_t)v;
	return 0;
}

static int parse_bare(struct addr *out, const char *text, int family)
{
	/* inet_pton is strict: no "1.2.3", no leading spaces, no octal. */
	if ((family == AF_UNSPEC || family == AF_INET) && inet_pton(AF_INET, text, out->bytes) == 1) {
		out->family = AF_INET;
		return 0;
	}
	if ((family == AF_UNSPEC || family == AF_INET6) && inet_pton(AF_INET6, text, out->bytes) == 1) {
		out->family = AF_INET6;
		return 0;
	}
	return -EINVAL;
}

int addr_parse(struct addr *out, const char *text, int family, unsigned flags, const char **why)
{
	char buf[INET6_ADDRSTRLEN + 8];
	const char *slash;
	size_t len;

	memset(out, 0, sizeof(*out));
	if (text == NULL || text[0] == '\0') {
		*why = "empty";
		return -EINVAL;
	}
	len = strlen(text);
	if (len >= sizeof(buf)) {
		*why = "too long for an address";
		return -EINVAL;
	}
	memcpy(buf, text, len + 1);
	slash = strchr(buf, '/');
	if (slash) {
		if (flags & ADDR_PLEN_FORBIDDEN) {
			*why = "an address without a prefix length is expected";
			return -EINVAL;
		}
		buf[slash - buf] = '\0';
	} else if (flags & ADDR_PLEN_REQUIRED) {
		*why = "a prefix length (ADDR/PLEN) is required";
		return -EINVAL;
	}
	if (parse_bare(out, buf, family) < 0) {
		*why = family == AF_INET ? "not an IPv4 address"
		     : family == AF_INET6 ? "not an IPv6 address" : "not an IP address";
		return -EINVAL;
	}
	out->plen = (uint8_t)addr_max_plen(out->family);
	if (slash && addr_parse_plen(&out->plen, slash + 1, out->family, why) < 0)
		return -EINVAL;
	if ((flags & ADDR_NO_HOST_BITS) && addr_has_host_bits(out)) {
		*why = "host bits set beyond the prefix length";
		return -EINVAL;
	}
	return 0;
}

char *addr_format(const struct addr *a, bool with_plen, char *buf)
{
	char ip[INET6_ADDRSTRLEN];

	if (!addr_is_set(a)) {
		snprintf(buf, ADDR_STRLEN, "none");
		return buf;
	}
	inet_ntop(a->family, a->bytes, ip, sizeof(ip));
	if (with_plen)
		snprintf(buf, ADDR_STRLEN, "%s/%u", ip, a->plen);
	else
		snprintf(buf, ADDR_STRLEN, "%s", ip);
	return buf;
}

bool addr_same_ip(const struct addr *a, const struct addr *b)
{
	return a->family == b->family &&
	       memcmp(a->bytes, b->bytes, addr_family_len(a->family)) == 0;
}

int addr_cmp(const struct addr *a, const struct addr *b)
{
	int r;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	r = memcmp(a->bytes, b->bytes, addr_family_len(a->family));
	if (r)
		return r < 0 ? -1 : 1;
	if (a->plen != b->plen)
		return a->plen < b->plen ? -1 : 1;
	return 0;
}

struct addr addr_network(const struct addr *a)
{
	struct addr n = *a;
	size_t len = addr_family_len(a->family);

	for (size_t i = 0; i < len; i++) {
		unsigned bit = (unsigned)i * 8;

		if (bit >= a->plen)
			n.bytes[i] = 0;
		else if (bit + 8 > a->plen)
			n.bytes[i] &= (uint8_t)(0xff << (8 - (a->plen - bit)));
	}
	memset(n.bytes + len, 0, sizeof(n.bytes) - len);
	return n;
}

bool addr_nth_host(const struct addr *net, unsigned k, struct addr *out)
{
	unsigned carry = k;

	*out = *net;
	out->plen = (uint8_t)(addr_family_len(net->family) * 8);
	for (size_t i = addr_family_len(net->family); i-- > 0 && carry;) {
		carry += out->bytes[i];
		out->bytes[i] = (uint8_t)carry;
		carry >>= 8;
	}
	return !carry && addr_in_prefix(net, out);
}

bool addr_has_host_bits(const struct addr *a)
{
	struct addr n = addr_network(a);

	return memcmp(n.bytes, a->bytes, addr_family_len(a->family)) != 0;
}

bool addr_has_host_bits_at(const struct addr *a, uint8_t plen)
{
	struct addr x = *a;

	x.plen = plen;
	return addr_has_host_bits(&x);
}

bool addr_is_subnet_broadcast(const struct addr *net, const struct addr *a)
{
	uint32_t host_mask, ip;

	if (net->family != AF_INET || a->family != AF_INET || net->plen >= 32 ||
	    !addr_in_prefix(net, a))
		return false;
	host_mask = 0xffffffffu >> net->plen;
	memcpy(&ip, a->bytes, 4);
	return (ntohl(ip) & host_mask) == host_mask;
}

const char *addr_router_unusable(const struct addr *gw, const struct addr *own)
{
	struct addr net;

	if (addr_is_unspecified(gw) || addr_is_multicast(gw) || addr_is_loopback(gw) ||
	    addr_is_v4_broadcast(gw) || addr_is_v4_mapped(gw))
		return "not a unicast address";
	if (!own || own->family != gw->family)
		return NULL;
	if (addr_same_ip(gw, own))
		return "an address of the interface itself";
	if (gw->family != AF_INET || own->plen > 30)
		return NULL;
	net = addr_network(own);
	if (addr_is_subnet_broadcast(&net, gw))
		return "the subnet's broadcast address";
	if (addr_same_ip(gw, &net))
		return "the subnet's network address";
	return NULL;
}

bool addr_router_needs_onlink(const struct addr *gw, const struct addr *own)
{
	struct addr net = addr_network(own);

	return gw->family == AF_INET && own->family == AF_INET && !addr_in_prefix(&net, gw);
}

bool addr_in_prefix(const struct addr *net, const struct addr *a)
{
	struct addr x = *a, n;

	if (net->family != a->family)
		return false;
	x.plen = net->plen;
	x = addr_network(&x);
	n = addr_network(net);
	return memcmp(x.bytes, n.bytes, addr_family_len(a->family)) == 0;
}

bool addr_is_unspecified(const struct addr *a)
{
	static const uint8_t zero[16];

	return memcmp(a->bytes, zero, addr_family_len(a->family)) == 0;
}

bool addr_is_multicast(const struct addr *a)
{
	if (a->family == AF_INET)
		return (a->bytes[0] & 0xf0) == 0xe0;
	return a->family == AF_INET6 && a->bytes[0] == 0xff;
}

bool addr_is_loopback(const struct addr *a)
{
	static const uint8_t v6_loopback[16] = { [15] = 1 };

	if (a->family == AF_INET)
		return a->bytes[0] == 127;
	return a->family == AF_INET6 && memcmp(a->bytes, v6_loopback, 16) == 0;
}

bool addr_is_link_local(const struct addr *a)
{
	if (a->family == AF_INET)
		return a->bytes[0] == 169 && a->bytes[1] == 254;
	return a->family == AF_INET6 && a->bytes[0] == 0xfe && (a->bytes[1] & 0xc0) == 0x80;
}

bool addr_is_v4_broadcast(const struct addr *a)
{
	return a->family == AF_INET && a->bytes[0] == 255 && a->bytes[1] == 255 &&
	       a->bytes[2] == 255 && a->bytes[3] == 255;
}

bool addr_is_v4_mapped(const struct addr *a)
{
	static const uint8_t prefix[12] = { [10] = 0xff, [11] = 0xff };

	return a->family == AF_INET6 && memcmp(a->bytes, prefix, 12) == 0;
}
