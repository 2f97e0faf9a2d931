/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Purpose: the hook environment of ifupdown, ifupdown2 and ifupdown-ng (IFACE, MODE, PHASE, ADDRFAM, IF_*) as an event. */
#ifndef SYMROUTE_ENV_IFUPDOWN_H
#define SYMROUTE_ENV_IFUPDOWN_H

struct event;

/*
 * Read the hook environment of ifupdown 0.8, ifupdown2 or ifupdown-ng (@envp, never getenv)
 * into @ev.
 *
 * Returns 0 with ev->action set:
 *   EVENT_UP	MODE=start, PHASE=post-up (ifupdown) or up (ifupdown2, ifupdown-ng);
 *   EVENT_DOWN	MODE=stop (the if-down.d hook, PHASE=pre-down or down; post-down is accepted
 *		too), or the ifup of a stanza with `symroute off`: nothing of ours stays for
 *		the families (not `inet dhcp`, below);
 *   EVENT_IGNORE	--all/meta calls, loopback, families other than inet/inet6, pre-up, and the
 *		ifup of an `inet dhcp` stanza: dhclient's exit hook owns those (it knows the
 *		router; see env-dhclient.h), and their symroute-* options are not applied (a
 *		warning says so).
 * Families: ADDRFAM exactly inet or inet6 (ifupdown, one call per stanza) is that family;
 * anything else (ifupdown2's "inet,inet6", missing or stale; ifupdown-ng sets none) is both,
 * and each family's outcome rests on the kernel's addresses. METHOD=dhcp (or ifupdown-ng's
 * `use dhcp`) in a both-families call leaves IPv4 to the DHCP client's hook.
 * Addresses: the stanza's `address`/`netmask` (or ifupdown-ng's IF_ADDRESSES) are checked
 * and put in ev->addrs, but ev->addrs_given stays clear, so that the core routes for all the
 * family's addresses the kernel has at up (an interface may have several stanzas of a
 * family, each with its own address, and if-up.d sees one at a time).
 * Returns -EINVAL after logging one line with log_bad_value() naming the option as the user
 * wrote it in /etc/network/interfaces (`symroute-table`, `address`, ...).
 *
 * Stanza options: `symroute on|off`, `symroute-gateway ADDR [ADDR]` (at most one per family;
 * wins over `gateway` family by family), and symroute-NAME for every per-interface knob of
 * options_set() (table, priority, to-rule, main-default, onlink). Any other symroute-* option
 * is refused (a typo must not pass).
 */
int env_ifupdown_read(struct event *ev, char *const *envp);

#endif
