#!/bin/sh
# Purpose: `symroute check` catches a foreign route in our table that sends a source out by
# the wrong interface, names the route, and reports the table as one `symroute up` refuses.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"

topo_two_uplinks
T1=$(table_of . eth1)
sr_ok up eth0
sr_ok up eth1 --gateway 203.0.113.1
sr_ok check

# Someone routes the benchmarking range through eth0, in eth1's table.
ip_ns . -4 route add 198.18.0.0/15 via 198.51.100.1 dev eth0 table "$T1" proto boot

sr_expect 7 check
note "symroute check:"; sr_indent "$SR_OUT"
assert_match "$SR_OUT" "^FAIL eth1 IPv4 from 203\.0\.113\.20 leaves by eth0 via 198\.51\.100\.1 \(table $T1\), not by eth1: route '198\.18\.0\.0/15 via 198\.51\.100\.1 dev eth0 table $T1 proto 3 metric 0' in our table $T1 is not symroute's \| ip -4 route get 198\.18\.0\.1 from 203\.0\.113\.20\$" \
	"check names the foreign route in our table"
assert_match "$SR_OUT" "^FAIL eth1 IPv4: table $T1 holds 1 route\(s\) that are not symroute's: symroute up refuses to touch it \| symroute up eth1 -4 --dry-run\$" \
	"the state check says symroute up would refuse the table"

# --dest elsewhere: the foreign route does not cover it, the egress is right again, but the
# table is still not symroute's alone.
sr_expect 7 check eth1 --dest 192.0.2.77
assert_match "$SR_OUT" "^PASS eth1 IPv4 from 203\.0\.113\.20 leaves by eth1 via 203\.0\.113\.1 \(table $T1\) \| ip -4 route get 192\.0\.2\.77 from 203\.0\.113\.20\$" \
	"--dest outside the foreign route: egress by eth1"
assert_match "$SR_OUT" "^FAIL eth1 IPv4: table $T1 holds 1 route" "the foreign route is still reported"

sr_expect 9 status --json	# drift unknown: up would refuse the table
assert_contains "$SR_OUT" '"foreign_routes":[{"family":"ipv4","dst":"198.18.0.0/15","gateway":"198.51.100.1","dev":"eth0"' \
	"status --json lists the foreign route"
assert_contains "$SR_OUT" '"in_sync":null' "status --json: drift unknown"

ip_ns . -4 route del 198.18.0.0/15 table "$T1"
sr_ok check
pass "a foreign route in our table is named; exit 7"
