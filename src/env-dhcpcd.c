// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: dhcpcd-run-hooks' environment (reason, interface, new_*, nd*_*) as an event. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "env.h"
#include "env-dhcpcd.h"
#include "event.h"
#include "log.h"

/* One router of new_routers, as text: an IPv4 address is at most 15 characters. */
#define DHCPCD_ROUTER_MAX 64
/* Routers of a router advertisement we look at: nd1_ ... nd16_ (dhcpcd numbers from 1). */
#define DHCPCD_MAX_ROUTERS 16
/* Longest variable name we build: "nd16_lifetime". */
#define DHCPCD_VAR_MAX 32

/* Which families a reason touches, as event bits; both for the interface's own reasons. */
#define V4 EVENT_V4
#define V6 EVENT_V6

/*
 * What each reason means for us (dhcpcd-run-hooks(8); dhcpcd's script.c picks the protocol
 * from the same names). The lists agree with dhcpcd 9.4 (Debian 12) and 10.1 (Debian 13).
 */
static const struct dhcpcd_reason {
	const char *reason;
	unsigned families;
	enum event_action action;
} dhcpcd_reasons[] = {
	{ "BOUND", V4, EVENT_UP },
	{ "RENEW", V4, EVENT_UP },
	{ "REBIND", V4, EVENT_UP },
	{ "REBOOT", V4, EVENT_UP },
	{ "STATIC", V4, EVENT_UP },
	{ "INFORM", V4, EVENT_UP },
	{ "EXPIRE", V4, EVENT_DOWN },
	{ "RELEASE", V4, EVENT_DOWN },
	{ "STOP", V4, EVENT_DOWN },	/* dhcpcd 10 reports `dhcpcd -k` as STOP */
	{ "FAIL", V4, EVENT_DOWN },
	{ "BOUND6", V6, EVENT_UP },
	{ "RENEW6", V6, EVENT_UP },
	{ "REBIND6", V6, EVENT_UP },
	{ "REBOOT6", V6, EVENT_UP },
	{ "INFORM6", V6, EVENT_UP },
	{ "STATIC6", V6, EVENT_UP },
	{ "ROUTERADVERT", V6, EVENT_UP },
	{ "EXPIRE6", V6, EVENT_DOWN },
	{ "RELEASE6", V6, EVENT_DOWN },
	{ "STOP6", V6, EVENT_DOWN },
	{ "FAIL6", V6, EVENT_DOWN },
	/* The interface: dhcpcd stopped for it, it left, or it lost carrier. */
	{ "STOPPED", V4 | V6, EVENT_DOWN },
	{ "DEPARTED", V4 | V6, EVENT_DOWN },
	{ "NOCARRIER", V4 | V6, EVENT_DOWN },
	/* PREINIT, CARRIER, TEST, TIMEOUT, NAK, IPV4LL, DELEGATED6, RECONFIGURE...: ignored. */
};

static const struct dhcpcd_reason *reason_find(const char *reason)
{
	for (size_t i = 0; i < sizeof(dhcpcd_reasons) / sizeof(dhcpcd_reasons[0]); i++)
		if (strcmp(dhcpcd_reasons[i].reason, reason) == 0)
			return &dhcpcd_reasons[i];
	return NULL;
}

/* The one line for a bad lease value: where, what, why, and that nothing changes. */
static int refuse(const struct event *ev, const char *var, const char *value, const char *why)
{
	log_error("%s: %s='%s': %s; symroute leaves %s's IPv4 routing as it was", ev->ifname, var,
		  value ? value : "", why, ev->ifname);
	return -EINVAL;
}

/* The leased address: new_ip_address with new_subnet_cidr, else new_subnet_mask. */
static int read_address(struct event *ev, char *const *envp, struct addr *out)
{
	const char *address = env_value(envp, "new_ip_address");
	const char *cidr = env_value(envp, "new_subnet_cidr");
	const char *mask = env_value(envp, "new_subnet_mask");
	const char *why;
	struct addr a;
	int r;

	if (is_empty(address))
		return refuse(ev, "new_ip_address", address, "missing: no leased address");
	if (addr_parse(&a, address, AF_INET, ADDR_PLEN_FORBIDDEN, &why) < 0)
		return refuse(ev, "new_ip_address", address, why);
	if (!is_empty(cidr)) {
		/* addr_parse_plen() also takes a dotted mask, which dhcpcd never writes here. */
		if (strchr(cidr, '.'))
			return refuse(ev, "new_subnet_cidr", cidr, "not a prefix length from 0 to 32");
		if (addr_parse_plen(&a.plen, cidr, AF_INET, &why) < 0)
			return refuse(ev, "new_subnet_cidr", cidr, why);
	} else if (!is_empty(mask)) {
		if (addr_parse_plen(&a.plen, mask, AF_INET, &why) < 0)
			return refuse(ev, "new_subnet_mask", mask, why);
	}
	/* Neither: dhcpcd adds the address as a host route, as we do (plen 32). */
	if (addr_is_unspecified(&a) || addr_is_multicast(&a) || addr_is_loopback(&a) ||
	    addr_is_v4_broadcast(&a))
		return refuse(ev, "new_ip_address", address, "not a unicast interface address");
	r = event_add_addr(ev, &a);
	if (r < 0 && r != -EEXIST)
		return r;
	ev->addrs_given |= EVENT_V4;
	*out = a;
	return 0;
}

/*
 * new_routers: space-separated, from the DHCP server. We take the first usable one and log
 * (and skip) the others: refusing the lease for a bad first router would leave the previous
 * lease's rule behind. A router outside the leased prefix (a cloud's /32 lease) is kept: the
 * core installs it on the link (onlink), as dhcpcd does in main.
 */
static void read_router(struct event *ev, char *const *envp, const struct addr *own)
{
	const char *routers = env_value(envp, "new_routers");
	const char *p = routers;
	unsigned skipped = 0;

	if (is_empty(routers))
		return;
	for (;; skipped++) {
		char word[DHCPCD_ROUTER_MAX];
		const char *why = NULL;
		struct addr gw;
		size_t len;

		p += strspn(p, " \t");
		len = strcspn(p, " \t");
		if (len == 0) {
			if (skipped == 0)
				return;	/* a lease without routers */
			log_warn("%s: new_routers='%s': no usable router: %s's table gets no "
				 "default from this lease", ev->ifname, routers, ev->ifname);
			return;
		}
		if (len >= sizeof(word)) {
			why = "too long for an IPv4 address";
		} else {
			memcpy(word, p, len);
			word[len] = '\0';
			if (addr_parse(&gw, word, AF_INET, ADDR_PLEN_FORBIDDEN, &why) == 0)
				why = addr_router_unusable(&gw, own);
		}
		if (!why) {
			ev->gateway[event_family_index(AF_INET)] = gw;
			ev->gateways_given |= EVENT_V4;
			if (addr_router_needs_onlink(&gw, own)) {
				ev->onlink = true;
				ev->has |= EVENT_HAS_ONLINK;
			}
			return;
		}
		log_warn("%s: new_routers='%s': skipping '%.*s': %s", ev->ifname, routers, (int)len,
			 p, why);
		p += len;
	}
}

/*
 * A router advertisement: the first router still willing to be a default router (a lifetime
 * of 0 withdraws it). Its address is link-local (nd<i>_from); anything else is skipped.
 */
static void read_ra_router(struct event *ev, char *const *envp)
{
	for (unsigned i = 1; i <= DHCPCD_MAX_ROUTERS; i++) {
		char var[DHCPCD_VAR_MAX];
		const char *from, *lifetime, *why = NULL;
		struct addr gw;

		snprintf(var, sizeof(var), "nd%u_from", i);
		from = env_value(envp, var);
		if (is_empty(from))
			return;
		snprintf(var, sizeof(var), "nd%u_lifetime", i);
		lifetime = env_value(envp, var);
		if (lifetime && strcmp(lifetime, "0") == 0) {
			log_debug("%s: router %s withdrew as default router", ev->ifname, from);
			continue;
		}
		snprintf(var, sizeof(var), "nd%u_from", i);
		if (addr_parse(&gw, from, AF_INET6, ADDR_PLEN_FORBIDDEN, &why) == 0)
			why = addr_router_unusable(&gw, NULL);
		if (why) {
			log_warn("%s: %s='%s': skipping this router: %s", ev->ifname, var, from, why);
			continue;
		}
		ev->gateway[event_family_index(AF_INET6)] = gw;
		ev->gateways_given |= EVENT_V6;
		return;
	}
}

int env_dhcpcd_read(struct event *ev, char *const *envp)
{
	const char *reason = env_value(envp, "reason");
	const char *interface = env_value(envp, "interface");
	const struct dhcpcd_reason *what;
	struct addr own;
	const char *why;
	int r;

	event_init(ev, "dhcpcd");
	ev->strict_addrs = false;

	if (is_empty(reason)) {
		log_bad_value("reason", reason,
			      "missing: symroute dhcpcd-hook runs from dhcpcd-run-hooks");
		return -EINVAL;
	}
	what = reason_find(reason);
	if (!what)
		return 0;	/* EVENT_IGNORE */
	if (event_set_ifname(ev, interface, &why) < 0) {
		log_error("interface='%s': %s; symroute ignores this %s event",
			  interface ? interface : "", why, reason);
		return -EINVAL;
	}
	ev->families = what->families;
	ev->action = what->action;
	if (ev->action == EVENT_DOWN)
		return 0;
	if (what->families == EVENT_V6) {
		if (strcmp(reason, "ROUTERADVERT") == 0)
			read_ra_router(ev, envp);
		return 0;
	}
	r = read_address(ev, envp, &own);
	if (r < 0)
		return r;
	read_router(ev, envp, &own);
	return 0;
}
