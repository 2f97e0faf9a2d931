/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Purpose: ifupdown's hook environment (IFACE, MODE, PHASE, ADDRFAM, METHOD, IF_*) as an event. */
#ifndef SYMROUTE_ENV_IFUPDOWN_H
#define SYMROUTE_ENV_IFUPDOWN_H

struct event;

/*
 * Read ifupdown's hook environment (@envp, never getenv) into @ev.
 *
 * Returns 0 with ev->action set:
 *   EVENT_UP	MODE=start, PHASE=post-up (the if-up.d hook), family of ADDRFAM only;
 *   EVENT_DOWN	MODE=stop (the if-down.d hook, PHASE=pre-down; post-down is accepted too),
 *		or the ifup of a stanza with `symroute off`: nothing of ours stays for the
 *		family (not `inet dhcp`, below);
 *   EVENT_IGNORE	--all/meta calls, loopback, families other than inet/inet6, pre-up, and the
 *		ifup of an `inet dhcp` stanza: dhclient's exit hook owns those (it knows the
 *		router; see env-dhclient.h), and their symroute-* options are not applied (a
 *		warning says so).
 * Addresses: the stanza's `address`/`netmask` is checked and put in ev->addrs, but
 * ev->addrs_given stays clear, so that the core routes for all the family's addresses the
 * kernel has at post-up (an interface may have several stanzas of a family, each with its
 * own address, and if-up.d sees one at a time).
 * Returns -EINVAL after logging one line with log_bad_value() naming the option as the user
 * wrote it in /etc/network/interfaces (`symroute-table`, `address`, ...).
 *
 * Stanza options: `symroute on|off`, `symroute-gateway ADDR` (wins over `gateway`), and
 * symroute-NAME for every per-interface knob of options_set() (table, priority, to-rule,
 * main-default, onlink). Any other symroute-* option is refused (a typo must not pass).
 */
int env_ifupdown_read(struct event *ev, char *const *envp);

#endif
