#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: the second example of ifupdown-multi-interfaces(5) (two providers, weights 5 and 1,
# preferred prefixes per provider), translated to symroute stanzas as in symroute.conf(5), with
# the real ifup/ifdown running symroute's hooks: tables 1 and 2, main's multipath default with
# weights 5 and 1, the preferred prefixes leave by their provider; ifdown eth0 leaves eth1 alone
# in main; ifdown -a leaves nothing.
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
    symroute-weight 5
    symroute-prefer 10.0.0.0/8

auto eth1
iface eth1 inet static
    address 203.0.113.234
    netmask 255.255.255.0
    symroute-table 2
    symroute-gateway 203.0.113.1
    symroute-weight 1
    symroute-prefer 172.16.0.0/12 192.168.0.0/16"
# /etc/symroute.conf of the example: the hooks read this one.
CONF=$SR_TMP/multi.conf
printf '[symroute]\nmain-mode=multipath\n' >"$CONF"
for d in if-up.d if-down.d; do
	sed -i "s| ifupdown-hook| ifupdown-hook --config $CONF|" "$IFUD/network/$d/symroute" ||
		hard_error "cannot point the $d hook at $CONF"
	grep -q -- "--config $CONF" "$IFUD/network/$d/symroute" || hard_error "the $d hook has no --config"
done
snapshot . "$SR_TMP/before"

ifud_ok ifup -a

R=$(ip -4 rule show)
note "ip -4 rule show:"; sr_indent "$R"
assert_match "$R" "^31150:[[:space:]]+from all to 10\.0\.0\.0/8 lookup 1 proto $P ?\$" "eth0's preferred prefix"
assert_match "$R" "^31150:[[:space:]]+from all to 172\.16\.0\.0/12 lookup 2 proto $P ?\$" "eth1's first preferred prefix"
assert_match "$R" "^31150:[[:space:]]+from all to 192\.168\.0\.0/16 lookup 2 proto $P ?\$" "eth1's second preferred prefix"
assert_match "$R" "^31100:[[:space:]]+from 198\.51\.100\.123 lookup 1 proto $P ?\$" "eth0's source rule"
assert_match "$R" "^31100:[[:space:]]+from 203\.0\.113\.234 lookup 2 proto $P ?\$" "eth1's source rule"
M=$(ip -4 route show table main)
note "ip -4 route show table main:"; sr_indent "$M"
assert_eq "default proto $P metric 1000 nexthop via 198.51.100.1 dev eth0 weight 5 onlink nexthop via 203.0.113.1 dev eth1 weight 1 onlink" \
	"$(ip -4 route show table main | sed -e ':a' -e 'N;$!ba' -e 's/\n\t/ /g' | grep "proto $P" | sed 's/ *$//; s/  */ /g')" \
	"main: one default, eth0 with weight 5, eth1 with weight 1"

dev() { ip -4 route get "$@" | sed -n 's/.* dev \([^ ]*\).*/\1/p'; }
assert_eq eth0 "$(dev 10.1.2.3)" "10.0.0.0/8 prefers eth0"
assert_eq eth1 "$(dev 172.16.1.1)" "172.16.0.0/12 prefers eth1"
assert_eq eth1 "$(dev 192.168.1.1)" "192.168.0.0/16 prefers eth1"
n0=0
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	[ "$(dev 198.18.$i.1)" = eth0 ] && n0=$((n0 + 1))
done
note "anything else: $n0 of 20 destinations by eth0 (weight 5 of 6)"
[ "$n0" -ge 10 ] || fail "anything else: only $n0 of 20 destinations by eth0"
assert_eq eth1 "$(dev 198.18.0.1 from 203.0.113.234)" "from eth1's address: eth1"
assert_eq eth0 "$(dev 198.18.0.1 from 198.51.100.123)" "from eth0's address: eth0"

ifud_ok ifdown eth0
R=$(ip -4 rule show)
assert_not_contains "$R" "lookup 1 " "ifdown eth0: its rules are gone"
assert_eq eth1 "$(dev 198.18.0.1)" "eth0 down: everything by eth1"
assert_eq eth1 "$(dev 10.1.2.3)" "eth0 down: 10.0.0.0/8 by eth1 too"
assert_eq eth1 "$(dev 172.16.1.1)" "eth0 down: 172.16.0.0/12 still by eth1"

assert_eq "default via 203.0.113.1 dev eth1 proto $P metric 1000 onlink" \
	"$(ip -4 route show table main | grep "proto $P" | sed 's/ *$//')" "ifdown eth0: eth1 alone in main"
ifud_ok ifup eth0
assert_contains "$(ip -4 route show table main)" "nexthop via 203.0.113.1 dev eth1 weight 1" \
	"ifup eth0 again: eth1 keeps its weight"
assert_contains "$(ip -4 route show table main)" "nexthop via 198.51.100.1 dev eth0 weight 5" \
	"ifup eth0 again: eth0 with weight 5"

ifud_ok ifdown -a
snapshot . "$SR_TMP/after"
assert_not_contains "$(cat "$SR_TMP/after")" "proto $P" "ifdown -a: nothing of ours is left"
pass
