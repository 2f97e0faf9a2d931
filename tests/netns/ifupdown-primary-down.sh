#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: issue 20: main keeps a default in both families when the uplink holding it goes away (real ifup/ifdown).
#
#	eth0	gateway 198.51.100.1, gateway 2001:db8:a::1 (ifupdown puts main's defaults here)
#	eth1	symroute-gateway 203.0.113.1, symroute-gateway fe80::2 (nothing of ifupdown's in main)
#
#  host eth0 .10 ---- srv  router A (ns ra)  cli 192.0.2.1 ------ ethA .2  far (ns far)
#       eth1 .20 ---- srv  router B (ns rb)  cli 192.0.2.17 ----- ethB .18  lo 192.0.2.100,
#                                                                          2001:db8:f::100
# The if-down.d hook of `ifdown eth0` runs while main's default via eth0 still exists, and
# ifdown removes that default afterwards: main keeps a default only because every managed
# uplink has a fallback default of ours there, behind any ordinary one (metric 1000000 +
# ifindex). New connections to the far side must work throughout, and `symroute check` must
# call the host healthy whichever interface came up first.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"
. "$(dirname "$0")/ifupdown-lib.sh"
ifud_need

ifud_two_routers

ifud_setup "iface eth0 inet static
    address 198.51.100.10/25
    gateway 198.51.100.1

iface eth0 inet6 static
    address 2001:db8:a::10/64
    gateway 2001:db8:a::1

iface eth1 inet static
    address 203.0.113.20/25
    symroute-gateway 203.0.113.1

iface eth1 inet6 static
    address 2001:db8:b::20/64
    symroute-gateway fe80::2"

# main_defaults FAMILY: main's default routes, one a line.
main_defaults() { ip "$1" route show table main default; }

# Wait until ifupdown's IPv6 addresses on $1 have left tentative (DAD runs with ifup's own
# settings, not the sandbox's).
wait_dad() {
	wait_for 10 sh -c "[ -z \"\$(ip -6 addr show dev $1 tentative)\" ]" ||
		hard_error "$1's IPv6 addresses stayed tentative"
}

hello_listen far
hello_listen .
snapshot . "$SR_TMP/before"

# ---- the usual order: eth0 (main's defaults) first ----
ifud_ok ifup eth0
ifud_ok ifup eth1
wait_dad eth0
wait_dad eth1
note "ip -4 route show table main default:"; sr_indent "$(main_defaults -4)"
note "ip -6 route show table main default:"; sr_indent "$(main_defaults -6)"
assert_match "$(main_defaults -4)" "^default via 198\.51\.100\.1 dev eth0" "main's own IPv4 default via eth0"
assert_match "$(main_defaults -4)" "^default via 203\.0\.113\.1 dev eth1 proto $P metric 10000[0-9][0-9]" \
	"our IPv4 fallback via eth1 behind it"
assert_match "$(main_defaults -6)" "^default via 2001:db8:a::1 dev eth0" "main's own IPv6 default via eth0"
assert_match "$(main_defaults -6)" "^default via fe80::2 dev eth1 proto $P metric 10000[0-9][0-9]" \
	"our IPv6 fallback via eth1 behind it"
far_works "eth0 and eth1 up" eth0
sr_ok check
sr_ok status

# ---- ifdown eth0: the primary goes; main keeps a default via eth1 ----
ifud_ok ifdown eth0
note "after ifdown eth0:"; sr_indent "$(main_defaults -4; main_defaults -6)"
assert_match "$(main_defaults -4)" "^default via 203\.0\.113\.1 dev eth1 proto $P" \
	"ifdown eth0: main keeps an IPv4 default, via eth1"
assert_match "$(main_defaults -6)" "^default via fe80::2 dev eth1 proto $P" \
	"ifdown eth0: main keeps an IPv6 default, via eth1"
assert_no_match "$(main_defaults -4; main_defaults -6)" "dev eth0" "ifdown eth0: no default via eth0 left"
far_works "ifdown eth0" eth1
sr_ok check

# ---- ifup eth0: new connections take eth0 again ----
ifud_ok ifup eth0
wait_dad eth0
far_works "ifup eth0 again" eth0
sr_ok check

# ---- ifdown eth1 / ifup eth1 while eth0 holds main's default: nothing new connections see ----
ifud_ok ifdown eth1
assert_match "$(main_defaults -4)" "^default via 198\.51\.100\.1 dev eth0" "ifdown eth1: main's IPv4 default stays"
assert_match "$(main_defaults -6)" "^default via 2001:db8:a::1 dev eth0" "ifdown eth1: main's IPv6 default stays"
assert_no_match "$(main_defaults -4; main_defaults -6)" "dev eth1" "ifdown eth1: nothing via eth1 left in main"
far_works "ifdown eth1" eth0
sr_ok check
ifud_ok ifup eth1
wait_dad eth1
far_works "ifup eth1 again" eth0
sr_ok check

# ---- ifdown -a: nothing of ours is left ----
ifud_ok ifdown -a
assert_eq "" "$(ifud_ours)" "ifdown -a: no rule and no route of ours"
snapshot . "$SR_TMP/after"
assert_files_eq "$SR_TMP/before" "$SR_TMP/after" "ifdown -a: the state is the one before ifup"

# ---- the other boot order: eth1 first, then eth0 brings main's own defaults ----
ifud_ok ifup eth1
wait_dad eth1
far_works "eth1 alone" eth1
ifud_ok ifup eth0
wait_dad eth0
far_works "eth1, then eth0" eth0
# Healthy, whatever the order: no drift, no failure.
sr_ok check
note "symroute check:"; sr_indent "$SR_OUT"
assert_no_match "$SR_OUT" "^FAIL" "eth1 then eth0: check finds nothing wrong"
sr_ok status
assert_no_match "$SR_OUT" "DRIFT|unknown drift" "eth1 then eth0: status: every interface in sync"
# Every address answers, from the far side, by its own uplink.
for a in 198.51.100.10 203.0.113.20 2001:db8:a::10 2001:db8:b::20; do
	hello_connect far "$a" || fail "eth1, then eth0: $a does not answer from the far side"
done

ifud_ok ifdown -a
assert_eq "" "$(ifud_ours)" "ifdown -a again: nothing of ours"
pass "main keeps a default when the uplink holding it goes away; no false alarm in either order"
