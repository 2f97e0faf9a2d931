#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: issue 15: with the watcher running, radvd renumbers the prefix, then the router's link-local address changes: rules and eth1's table follow.
#
# The topology and the interfaces file: watch-ra-lib.sh. The watcher runs from before ifup
# (as its unit does, before network-pre.target). Then, step by step (the table below), what
# radvd advertises changes and no hook runs; after each step, within 2 s: one rule for
# eth1's current address and none for the one it lost, eth1's table's default via the router
# that advertises now, a reply from the address leaving through it, and a TCP connection from
# the far side to the address working (both ISPs drop foreign sources).
#	start		2001:db8:b::/64 from fe80::2
#	renumbered	2001:db8:b:1::/64 from fe80::2, 2001:db8:b::/64 with lifetimes 0 (the
#			router withdraws it). The kernel removes the old address on that
#			advertisement only with ra_honor_pio_life (set here on eth1; Debian 13's
#			kernel has it, Debian 12's 6.1 not). Without it the address stays until
#			its valid lifetime ends (RFC 4862 5.5.3e): the test removes it by hand
#			(`ip addr del`: the same event for the watcher), and says so.
#	new-router	2001:db8:b:1::/64 from fe80::3: router B's link-local address replaced
#			(radvd stopped: its last advertisement withdraws fe80::2 as a default
#			router; fe80::2 removed, fe80::3 added; radvd started).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ifupdown-alt-lib.sh"
sandbox_enter "$@"
. "$(dirname "$0")/ifupdown-lib.sh"
. "$(dirname "$0")/watch-ra-lib.sh"
wra_need
wra_setup
if [ -e "$WRA_PIO_LIFE" ]; then
	ns_sysctl . net.ipv6.conf.eth1.ra_honor_pio_life 1
	note "the kernel drops a withdrawn prefix's address on the advertisement (ra_honor_pio_life)"
else
	note "no ra_honor_pio_life in this kernel: the withdrawn prefix's address is removed by hand"
fi

wra_watch_start
ifud_ok ifup -a
assert_no_match "$(ip -6 rule show)" " lookup $TB " "ifup -a, before any advertisement: no rule into eth1's table"

ROUTER=
A=
for step in "start 2001:db8:b::/64 - fe80::2" \
	"renumbered 2001:db8:b:1::/64 2001:db8:b::/64 fe80::2" \
	"new-router 2001:db8:b:1::/64 - fe80::3"; do
	# shellcheck disable=SC2086
	set -- $step
	what=$1 prefix=$2 withdrawn=$3 router=$4
	[ "$withdrawn" != - ] || withdrawn=
	note "---- $what: radvd advertises $prefix from $router${withdrawn:+, withdraws $withdrawn}"
	wra_radvd_conf "$prefix" "$withdrawn"
	wra_monitor_start
	WRA_T0=$(wra_now)
	if [ -z "$ROUTER" ]; then
		wra_radvd_start
	elif [ "$router" != "$ROUTER" ]; then
		wra_radvd_stop
		ip -n rb -6 addr del "$ROUTER/64" dev srv || hard_error "router B: cannot remove $ROUTER"
		addr rb srv "$router/64"
		wra_radvd_start
	else
		wra_radvd_reload
	fi
	wra_slaac "$prefix"
	OLD=
	if [ -n "$A" ] && [ "$A" != "$WRA_ADDR" ]; then
		OLD=$A
		if [ -n "$withdrawn" ] && [ ! -e "$WRA_PIO_LIFE" ]; then
			note "$OLD withdrawn by the router, removed by hand (no ra_honor_pio_life)"
			ip -6 addr del "$OLD/64" dev eth1 || hard_error "cannot remove $OLD by hand"
		fi
		wait_for 2 sh -c "! ip -6 addr show dev eth1 | grep -q ' $OLD/'" ||
			fail "$what: eth1 still has $OLD: $(ip -6 addr show dev eth1)"
	fi
	A=$WRA_ADDR
	if [ -n "$ROUTER" ] && [ "$router" != "$ROUTER" ]; then
		wait_for 2 sh -c "! ip -6 route show table main default | grep -q 'via $ROUTER '" ||
			fail "$what: main keeps a default via the old link-local $ROUTER: $(ip -6 route show table main default)"
	fi
	wra_wait_converged "$what" "$A" "$router" $OLD
	if [ -n "$ROUTER" ] && [ "$router" != "$ROUTER" ]; then
		wra_note_reaction "$what" "default via $router dev eth1 proto ra" \
			"default via $router dev eth1 table $TB"
	else
		wra_note_reaction "$what" " inet6 $A/" "from $A lookup $TB"
	fi
	if [ -n "$ROUTER" ] && [ "$router" != "$ROUTER" ]; then
		# Nothing of ours may point at a router address that no longer exists: not eth1's
		# table (above), not our fallback default in main.
		assert_no_match "$(ip -6 route show table all proto 73)" "via $(re_quote "$ROUTER") " \
			"$what: no route of ours via the old link-local $ROUTER"
	fi
	ROUTER=$router
done

wra_watch_stop
pass "renumbering and a router's new link-local address, followed by the watcher"
