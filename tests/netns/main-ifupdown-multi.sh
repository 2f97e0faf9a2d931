#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: the second example of ifupdown-multi-interfaces(5) (two providers, preferred prefixes
# per provider), translated to symroute stanzas as in symroute.conf(5), with the real ifup/ifdown
# running symroute's hooks: tables 1 and 2, the preferred prefixes leave by their provider,
# everything else by eth0 while it is up and by eth1 when it is not; ifdown -a leaves nothing.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"
. "$(dirname "$0")/ifupdown-lib.sh"
ifud_need

ns_add isp
ifud_links isp eth0 eth1
addr isp peth0 198.51.100.1/24
addr isp peth1 203.0.113.1/24
ifud_setup "auto lo
iface lo inet loopback

auto eth0
iface eth0 inet static
    address 198.51.100.123
    netmask 255.255.255.0
    symroute-table 1
    symroute-gateway 198.51.100.1
    symroute-metric 100
    symroute-prefer 10.0.0.0/8

auto eth1
iface eth1 inet static
    address 203.0.113.234
    netmask 255.255.255.0
    symroute-table 2
    symroute-gateway 203.0.113.1
    symroute-metric 200
    symroute-prefer 172.16.0.0/12 192.168.0.0/16"
# /etc/symroute.conf of the example: the hooks read this one.
CONF=$SR_TMP/multi.conf
printf '[symroute]\nmain-mode=metric\n' >"$CONF"
for d in if-up.d if-down.d; do
	sed -i "s| ifupdown-hook| ifupdown-hook --config $CONF|" "$IFUD/network/$d/symroute" ||
		hard_error "cannot point the $d hook at $CONF"
	grep -q -- "--config $CONF" "$IFUD/network/$d/symroute" || hard_error "the $d hook has no --config"
done
snapshot . "$SR_TMP/before"

ifud_ok ifup -a

R=$(ip -4 rule show)
note "ip -4 rule show:"; sr_indent "$R"
assert_match "$R" "^31050:[[:space:]]+from all to 10\.0\.0\.0/8 lookup 1 proto $P ?\$" "eth0's preferred prefix"
assert_match "$R" "^31050:[[:space:]]+from all to 172\.16\.0\.0/12 lookup 2 proto $P ?\$" "eth1's first preferred prefix"
assert_match "$R" "^31050:[[:space:]]+from all to 192\.168\.0\.0/16 lookup 2 proto $P ?\$" "eth1's second preferred prefix"
assert_match "$R" "^31100:[[:space:]]+from 198\.51\.100\.123 lookup 1 proto $P ?\$" "eth0's source rule"
assert_match "$R" "^31100:[[:space:]]+from 203\.0\.113\.234 lookup 2 proto $P ?\$" "eth1's source rule"
M=$(ip -4 route show table main)
note "ip -4 route show table main:"; sr_indent "$M"
assert_match "$M" "^default via 198\.51\.100\.1 dev eth0 proto $P metric 100 ?\$" "main: eth0 first"
assert_match "$M" "^default via 203\.0\.113\.1 dev eth1 proto $P metric 200 ?\$" "main: eth1 second"

dev() { ip -4 route get "$@" | sed -n 's/.* dev \([^ ]*\).*/\1/p'; }
assert_eq eth0 "$(dev 10.1.2.3)" "10.0.0.0/8 prefers eth0"
assert_eq eth1 "$(dev 172.16.1.1)" "172.16.0.0/12 prefers eth1"
assert_eq eth1 "$(dev 192.168.1.1)" "192.168.0.0/16 prefers eth1"
assert_eq eth0 "$(dev 198.18.0.1)" "anything else: eth0"
assert_eq eth1 "$(dev 198.18.0.1 from 203.0.113.234)" "from eth1's address: eth1"
assert_eq eth0 "$(dev 198.18.0.1 from 198.51.100.123)" "from eth0's address: eth0"

ifud_ok ifdown eth0
R=$(ip -4 rule show)
assert_not_contains "$R" "lookup 1 " "ifdown eth0: its rules are gone"
assert_eq eth1 "$(dev 198.18.0.1)" "eth0 down: everything by eth1"
assert_eq eth1 "$(dev 10.1.2.3)" "eth0 down: 10.0.0.0/8 by eth1 too"
assert_eq eth1 "$(dev 172.16.1.1)" "eth0 down: 172.16.0.0/12 still by eth1"

ifud_ok ifup eth0
assert_eq eth0 "$(dev 198.18.0.1)" "eth0 up again: first again"

ifud_ok ifdown -a
snapshot . "$SR_TMP/after"
assert_not_contains "$(cat "$SR_TMP/after")" "proto $P" "ifdown -a: nothing of ours is left"
pass
