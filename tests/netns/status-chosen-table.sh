#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: `symroute status` reads back what `up` made with a chosen table, priority and
# "to" rules, finds it in sync, and reports drift when someone changes it.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"

topo_two_uplinks v6
sr_ok up eth0 -4
sr_ok up eth1 --table 200 --priority 30000 --to-rule --gateway 203.0.113.1 --gateway 2001:db8:b::1

sr_ok status eth1
note "symroute status eth1:"; sr_indent "$SR_OUT"
assert_match "$SR_OUT" "^eth1 \(ifindex [0-9]+\)\$" "eth1 is listed"
assert_not_contains "$SR_OUT" "eth0" "only eth1"
assert_match "$SR_OUT" "^  IPv4: table 200 \(chosen\), priority 30000: in sync\$" "IPv4 in sync"
assert_match "$SR_OUT" "^  IPv6: table 200 \(chosen\), priority 30000: in sync\$" "IPv6 in sync"
assert_contains "$SR_OUT" "    rule  priority 30000 from all to 203.0.113.20 lookup 200 proto 73" "the to rule"
assert_contains "$SR_OUT" "    gateways: 2001:db8:b::1" "the IPv6 gateway"

sr_ok status eth1 --json
J=$SR_OUT
assert_contains "$J" '"family":"ipv4","table":200,"table_auto":false,"priority":30000,"addresses":["203.0.113.20/25"],"gateways":["203.0.113.1"]' \
	"JSON: chosen table, priority, addresses, gateway"
assert_contains "$J" '"to":"203.0.113.20","table":200' "JSON: the to rule"
assert_not_contains "$J" '"in_sync":false' "JSON: in sync"
assert_contains "$J" '"summary":{"ok":true,"managed_interfaces":1,"families":2,"in_sync":2,"drift":0,"unknown":0,"orphan_rules":0}}' \
	"JSON: the summary"

# Someone deletes the "from" rule. (status infers the options `up` was given from what is
# there: the remaining "to" rule says --to-rule was.)
ip_ns . -4 rule del priority 30000 from 203.0.113.20 lookup 200
sr_expect 9 status eth1	# monitoring: drift is exit 9
note "symroute status eth1 (changed):"; sr_indent "$SR_OUT"
assert_match "$SR_OUT" "^  IPv4: table 200 \(chosen\), priority 30000: DRIFT, \`symroute up eth1\` would make 1 change\(s\)\$" \
	"IPv4 drift"
assert_contains "$SR_OUT" "    would run: ip -4 rule add priority 30000 from 203.0.113.20 lookup 200 proto 73" \
	"the missing rule is what up would add"
assert_match "$SR_OUT" "^  IPv6: table 200 \(chosen\), priority 30000: in sync\$" "IPv6 still in sync"
sr_expect 7 check eth1
assert_match "$SR_OUT" "^FAIL eth1 IPv4: table 200 and its rules are not what symroute would install now" "check agrees"

# An interface that is not managed, asked for by name.
sr_ok status eth0 --json
assert_contains "$SR_OUT" '"families":[{"family":"ipv4","table":' "eth0 IPv4 is managed"
ip_ns . link add dummyx type veth peer name dummyy 2>/dev/null || skip "cannot create a veth"
sr_ok status dummyx --json
assert_match "$SR_OUT" '^\{"version":1,"interfaces":\[\{"name":"dummyx","ifindex":[0-9]+,"managed":false,"families":\[\]\}\],' \
	"an interface with nothing of ours: managed false"
sr_expect 3 status nosuch0

pass "status reads back chosen tables and priorities, and names drift"
