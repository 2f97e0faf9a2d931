// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: dhclient-script's exit-hook environment (reason, interface, new_*) as an event. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "env.h"
#include "env-dhclient.h"
#include "event.h"
#include "log.h"

/* One router of new_routers, as text: an IPv4 address is at most 15 characters. */
#define DHCLIENT_ROUTER_MAX 64

/*
 * What each reason means for us (dhclient-script(8); Debian's script handles the same set).
 * TIMEOUT is an up: dhclient-script has just configured the recorded lease (new_*) and kept
 * it if its first router answers a ping; if not, it flushed the addresses before running the
 * hooks, and the core, which drops addresses the kernel does not have (strict_addrs false),
 * then keeps nothing of ours for that family: both outcomes come out right.
 */
struct dhclient_reason {
	const char *reason;
	int family;
	enum event_action action;
};

static const struct dhclient_reason dhclient_reasons[] = {
	{ "BOUND", AF_INET, EVENT_UP },
	{ "RENEW", AF_INET, EVENT_UP },
	{ "REBIND", AF_INET, EVENT_UP },
	{ "REBOOT", AF_INET, EVENT_UP },
	{ "TIMEOUT", AF_INET, EVENT_UP },
	{ "EXPIRE", AF_INET, EVENT_DOWN },
	{ "FAIL", AF_INET, EVENT_DOWN },
	{ "RELEASE", AF_INET, EVENT_DOWN },
	{ "STOP", AF_INET, EVENT_DOWN },
	{ "BOUND6", AF_INET6, EVENT_UP },
	{ "RENEW6", AF_INET6, EVENT_UP },
	{ "REBIND6", AF_INET6, EVENT_UP },
	{ "EXPIRE6", AF_INET6, EVENT_DOWN },
	{ "RELEASE6", AF_INET6, EVENT_DOWN },
	{ "STOP6", AF_INET6, EVENT_DOWN },
	/* PREINIT, PREINIT6, MEDIUM, ARPCHECK, ARPSEND, NBI, DEPREF6, INFORM6...: ignored. */
};

/* The entry for @reason, or NULL for the reasons we ignore. */
static const struct dhclient_reason *reason_find(const char *reason)
{
	for (size_t i = 0; i < sizeof(dhclient_reasons) / sizeof(dhclient_reasons[0]); i++)
		if (strcmp(dhclient_reasons[i].reason, reason) == 0)
			return &dhclient_reasons[i];
	return NULL;
}

/* The leased address: new_ip_address + new_subnet_mask, or new_ip6_address + new_ip6_prefixlen. */
static int read_address(struct event *ev, char *const *envp, int family)
{
	const char *addr_var = family == AF_INET ? "new_ip_address" : "new_ip6_address";
	const char *plen_var = family == AF_INET ? "new_subnet_mask" : "new_ip6_prefixlen";
	const char *address = env_value(envp, addr_var);
	const char *plen_text = env_value(envp, plen_var);
	const char *why;
	struct addr a;
	int r;

	if (is_empty(address)) {
		/* BOUND6 may carry only a prefix delegation; BOUND always has an address. */
		if (family == AF_INET6)
			return 0;
		log_bad_value(addr_var, address, "missing: no leased address");
		return -EINVAL;
	}
	if (addr_parse(&a, address, family, ADDR_PLEN_FORBIDDEN, &why) < 0) {
		log_bad_value(addr_var, address, why);
		return -EINVAL;
	}
	/* dhclient-script adds the address without a length when there is none: a host route. */
	if (!is_empty(plen_text) && addr_parse_plen(&a.plen, plen_text, family, &why) < 0) {
		log_bad_value(plen_var, plen_text, why);
		return -EINVAL;
	}
	if (addr_is_unspecified(&a) || addr_is_multicast(&a) || addr_is_loopback(&a) ||
	    addr_is_v4_broadcast(&a) || addr_is_v4_mapped(&a)) {
		log_bad_value(addr_var, address, "not a unicast interface address");
		return -EINVAL;
	}
	r = event_add_addr(ev, &a);
	if (r < 0 && r != -EEXIST)
		return r;
	ev->addrs_given |= event_family_bit(family);
	return 0;
}

/*
 * new_routers: space-separated, from the DHCP server, so from the network. dhclient-script
 * installs a default route through each, the first with the lowest metric. We take the first
 * usable one (addr_router_unusable()) and log (and skip) the others: refusing the whole lease would leave the old
 * lease's table and rules in place, which is worse than using the next router. None valid:
 * no gateway given, and the core takes main's default via the interface, as it does for a
 * lease without routers.
 */
/* One router of new_routers (@len bytes at @text) into @gw; NULL, or why it is not usable. */
static const char *parse_router(struct addr *gw, const char *text, size_t len,
				const struct addr *own)
{
	char word[DHCLIENT_ROUTER_MAX];
	const char *why = NULL;

	if (len >= sizeof(word))
		return "too long for an IPv4 address";
	memcpy(word, text, len);
	word[len] = '\0';
	if (addr_parse(gw, word, AF_INET, ADDR_PLEN_FORBIDDEN, &why) < 0)
		return why;
	return addr_router_unusable(gw, own);
}

static int read_router(struct event *ev, char *const *envp, const struct addr *own)
{
	const char *routers = env_value(envp, "new_routers");
	const char *p = routers;

	if (is_empty(routers))
		return 0;
	for (;;) {
		struct addr gw = { 0 };
		const char *why;
		size_t len;

		p += strspn(p, " \t");
		len = strcspn(p, " \t");
		if (len == 0)
			return 0;	/* none usable: no gateway given */
		why = parse_router(&gw, p, len, own);
		if (!why) {
			ev->gateway[event_family_index(AF_INET)] = gw;
			ev->gateways_given |= EVENT_V4;
			/* A /32 lease with its router outside: dhclient-script routes it on the link. */
			if (own && addr_router_needs_onlink(&gw, own)) {
				ev->onlink = true;
				ev->has |= EVENT_HAS_ONLINK;
			}
			return 0;
		}
		log_warn("new_routers='%s': skipping '%.*s': %s", routers, (int)len, p, why);
		p += len;
	}
}

int env_dhclient_read(struct event *ev, char *const *envp)
{
	const char *reason = env_value(envp, "reason");
	const char *interface = env_value(envp, "interface");
	const struct dhclient_reason *what;
	const char *why;
	int family, r;

	event_init(ev, "dhclient");
	ev->strict_addrs = false;

	if (is_empty(reason)) {
		log_bad_value("reason", reason,
			      "missing: symroute dhclient-hook runs from dhclient-script");
		return -EINVAL;
	}
	what = reason_find(reason);
	if (!what)
		return 0;	/* EVENT_IGNORE */
	family = what->family;

	if (event_set_ifname(ev, interface, &why) < 0) {
		log_bad_value("interface", interface, why);
		return -EINVAL;
	}
	ev->families = event_family_bit(family);
	ev->action = what->action;
	if (ev->action == EVENT_DOWN)
		return 0;

	r = read_address(ev, envp, family);
	if (r < 0)
		return r;
	if (family == AF_INET)
		return read_router(ev, envp, ev->n_addrs ? &ev->addrs[0] : NULL);
	return 0;
}
