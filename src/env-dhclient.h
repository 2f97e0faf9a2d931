/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Purpose: dhclient-script's exit-hook environment (reason, interface, new_*) as an event. */
#ifndef SYMROUTE_ENV_DHCLIENT_H
#define SYMROUTE_ENV_DHCLIENT_H

struct event;

/*
 * Read the environment dhclient-script gives its exit hooks (@envp, never getenv) into @ev.
 *
 * reason BOUND, RENEW, REBIND, REBOOT, TIMEOUT: EVENT_UP for IPv4 with new_ip_address /
 * new_subnet_mask and the first valid router of new_routers (invalid ones are logged and
 * skipped: they come from the network). BOUND6, RENEW6, REBIND6: EVENT_UP for IPv6 with
 * new_ip6_address / new_ip6_prefixlen (DHCPv6 carries no router). EXPIRE, FAIL, RELEASE, STOP:
 * EVENT_DOWN for IPv4; EXPIRE6, RELEASE6, STOP6: EVENT_DOWN for IPv6. Anything else (PREINIT,
 * MEDIUM, ARPCHECK, DEPREF6, ...): EVENT_IGNORE.
 *
 * Returns 0, or -EINVAL after logging one line naming the variable and its value.
 */
int env_dhclient_read(struct event *ev, char *const *envp);

#endif
