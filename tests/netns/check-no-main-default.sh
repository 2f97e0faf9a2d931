#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: `symroute check` catches main without a default route: traffic without a source
# address (every new outgoing connection) has no route, though each table still has its own.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"

topo_two_uplinks
sr_ok up eth0
sr_ok up eth1 --gateway 203.0.113.1
sr_ok check
assert_match "$SR_OUT" "^PASS IPv4 without a source address to 198\.18\.0\.1 leaves by eth0 via 198\.51\.100\.1 \(table main\)" \
	"wildcard source: main's default"

# main's own default goes (a DHCP client that gave up, an administrator's typo...): our
# fallback defaults stand behind it on every managed uplink (issue 20) and take over.
ip_ns . -4 route del default via 198.51.100.1 dev eth0 metric 0
sr_ok check
note "symroute check:"; sr_indent "$SR_OUT"
assert_match "$SR_OUT" "^PASS IPv4 without a source address to 198\.18\.0\.1 leaves by eth0 via 198\.51\.100\.1 \(table main\)" \
	"main's own default gone: our fallback via eth0 (the lowest metric of ours) carries it"
assert_no_match "$SR_OUT" "^FAIL" "main's own default gone: nothing to report"

# Every default goes from main (an administrator's loop of `ip route del default`).
while ip_ns . -4 route del default 2>/dev/null; do :; done
assert_eq "" "$(ip -4 route show table main default)" "test set-up: main has no IPv4 default"
sr_expect 7 check
note "symroute check:"; sr_indent "$SR_OUT"
assert_match "$SR_OUT" "^FAIL IPv4 without a source address \(new connections\) to 198\.18\.0\.1: no route \(Network is unreachable\): main has no default route \| ip -4 route get 198\.18\.0\.1; ip -4 route show table main default\$" \
	"check names the missing default route in main"
assert_match "$SR_OUT" "^PASS eth0 IPv4 from 198\.51\.100\.10 leaves by eth0" "sources with a table still route"
assert_match "$SR_OUT" "^FAIL eth0 IPv4: .* first: ip -4 route add default via 198\.51\.100\.1 dev eth0 table main proto 73 metric 1000002" \
	"symroute up would add its fallback default to main: state drifted"

# What symroute does about it: its fallback default in main (the gateway is given: main,
# where `up` would otherwise find it, has none now); every managed interface keeps one.
sr_ok up eth0 --gateway 198.51.100.1
sr_ok up eth1 --gateway 203.0.113.1
sr_ok check
assert_match "$SR_OUT" "^PASS IPv4 without a source address to 198\.18\.0\.1 leaves by eth0 via 198\.51\.100\.1 \(table main\)" \
	"with symroute's fallback default in main, the wildcard source routes again"
pass "a main table without a default route is caught; exit 7"
