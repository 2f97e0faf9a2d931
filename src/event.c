// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: the one event every front end produces: what happened to which interface. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "event.h"

void event_init(struct event *ev, const char *origin)
{
	memset(ev, 0, sizeof(*ev));
	ev->action = EVENT_IGNORE;
	ev->origin = origin;
}

int event_family_index(int family)
{
	return family == AF_INET6 ? 1 : 0;
}

unsigned event_family_bit(int family)
{
	return family == AF_INET6 ? EVENT_V6 : family == AF_INET ? EVENT_V4 : 0;
}

unsigned event_default_gateways(struct event *ev, const struct addr gw[2], unsigned families)
{
	unsigned take = families & ev->families & ~ev->gateways_given & (EVENT_V4 | EVENT_V6);

	for (int f = 0; f < 2; f++)
		if (take & (f ? EVENT_V6 : EVENT_V4))
			ev->gateway[f] = gw[f];
	ev->gateways_given |= take;
	return take;
}

int event_add_addr(struct event *ev, const struct addr *a)
{
	unsigned same_family = 0;

	for (unsigned i = 0; i < ev->n_addrs; i++) {
		if (addr_same_ip(&ev->addrs[i], a))
			return -EEXIST;
		same_family += ev->addrs[i].family == a->family;
	}
	if (same_family >= EVENT_MAX_ADDRS || ev->n_addrs >= 2 * EVENT_MAX_ADDRS) {
		ev->addrs_overflow |= event_family_bit(a->family);
		return -E2BIG;
	}
	ev->addrs[ev->n_addrs++] = *a;
	return 0;
}

int event_set_ifname(struct event *ev, const char *name, const char **why)
{
	size_t len = name ? strlen(name) : 0;

	/* The kernel's dev_valid_name(): 1..15 bytes, not "." or "..", no '/', ':' or space. */
	if (len == 0) {
		*why = "empty interface name";
		return -EINVAL;
	}
	if (len >= IFNAMSIZ) {
		*why = "interface name longer than 15 characters";
		return -EINVAL;
	}
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
		*why = "not a valid interface name";
		return -EINVAL;
	}
	/*
	 * Valid for dev_valid_name(), but /proc/sys/net/ipv{4,6}/conf/ has them as the
	 * host-wide settings (no link can take either name): a sysctl knob would change
	 * every interface.
	 */
	if (strcmp(name, "all") == 0 || strcmp(name, "default") == 0) {
		*why = "not an interface name: 'all' and 'default' are the kernel's host-wide settings";
		return -EINVAL;
	}
	for (const char *p = name; *p; p++) {
		if (*p == '/' || *p == ':' || (unsigned char)*p <= ' ' || *p == 0x7f) {
			*why = "interface names cannot hold '/', ':', spaces or control characters";
			return -EINVAL;
		}
	}
	memcpy(ev->ifname, name, len + 1);
	return 0;
}

_Static_assert(EVENT_MAX_ADDRS == 64, "EVENT_MAX_ADDRS_TEXT must say the same number");
