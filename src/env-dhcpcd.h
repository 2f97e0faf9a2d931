/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Purpose: dhcpcd-run-hooks' environment (reason, interface, new_*, nd*_*) as an event. */
#ifndef SYMROUTE_ENV_DHCPCD_H
#define SYMROUTE_ENV_DHCPCD_H

struct event;

/*
 * Read the environment dhcpcd-run-hooks(8) gives its hooks (@envp, never getenv) into @ev.
 * dhcpcd clears its environment except PATH, so everything here came from dhcpcd, and the
 * values from the network.
 *
 * IPv4, reason BOUND, RENEW, REBIND, REBOOT, STATIC, INFORM: EVENT_UP with new_ip_address and
 * new_subnet_cidr (else new_subnet_mask) as the address, and the first usable router of
 * new_routers (not unicast, the subnet's broadcast or network address, or the leased address
 * itself: logged and skipped; none usable: no gateway given). EXPIRE, RELEASE, STOP, FAIL:
 * EVENT_DOWN for IPv4.
 *
 * IPv6, reason BOUND6, RENEW6, REBIND6, REBOOT6, INFORM6, STATIC6 and ROUTERADVERT: EVENT_UP for
 * IPv6 with the interface's global addresses as the kernel has them (dhcpcd added them before
 * the hook ran; SLAAC and DHCPv6 addresses of one interface are routed together). Its gateway:
 * for ROUTERADVERT the first router nd<i>_from whose nd<i>_lifetime is not 0 (a router that
 * withdrew as default router is skipped); DHCPv6 carries none (main's default via the interface
 * then stands in). EXPIRE6, RELEASE6, STOP6, FAIL6: EVENT_DOWN for IPv6.
 *
 * The interface itself, STOPPED, DEPARTED, NOCARRIER: EVENT_DOWN for both families.
 * Anything else (PREINIT, CARRIER, TEST, TIMEOUT, NAK, IPV4LL, DELEGATED6, RECONFIGURE...):
 * EVENT_IGNORE.
 *
 * Returns 0, or -EINVAL after logging one line naming the interface, the variable, its value
 * and what follows.
 */
int env_dhcpcd_read(struct event *ev, char *const *envp);

#endif
