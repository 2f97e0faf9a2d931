#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: `symroute check` passes (exit 0) on the healthy two-uplink host, IPv4 and IPv6,
# and `symroute status` reports both interfaces in sync, as text and JSON.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"

topo_two_uplinks v6
T0=$(table_of . eth0)
T1=$(table_of . eth1)
sr_ok up eth0 -4
sr_ok up eth0 --gateway 2001:db8:a::1
sr_ok up eth1 --gateway 203.0.113.1 --gateway 2001:db8:b::1

sr check
note "symroute check:"; sr_indent "$SR_OUT"
[ "$SR_RC" = 0 ] || fail "check on the healthy host exited $SR_RC, not 0: $SR_ERR"
assert_not_contains "$SR_OUT" "FAIL" "no check fails on the healthy host"
assert_match "$SR_OUT" "^PASS eth0 IPv4 from 198\.51\.100\.10 leaves by eth0 via 198\.51\.100\.1 \(table $T0\) \| ip -4 route get 198\.18\.0\.1 from 198\.51\.100\.10\$" \
	"egress of eth0's IPv4 address, with the command that shows it"
assert_match "$SR_OUT" "^PASS eth1 IPv4 from 203\.0\.113\.20 leaves by eth1 via 203\.0\.113\.1 \(table $T1\)" \
	"egress of eth1's IPv4 address"
assert_match "$SR_OUT" "^PASS eth0 IPv6 from 2001:db8:a::10 leaves by eth0 via 2001:db8:a::1 \(table $T0\) \| ip -6 route get 2001:2::1 from 2001:db8:a::10" \
	"egress of eth0's IPv6 address"
assert_match "$SR_OUT" "^PASS eth1 IPv6 from 2001:db8:b::20 leaves by eth1" "egress of eth1's IPv6 address"
assert_match "$SR_OUT" "^PASS eth1 rp_filter is strict and the return path" "strict rp_filter is fine here"
assert_match "$SR_OUT" "^PASS IPv4 without a source address to 198\.18\.0\.1 leaves by eth0 via 198\.51\.100\.1 \(table main\)" \
	"wildcard source: main's default"
assert_match "$SR_OUT" "^PASS eth0 IPv4: table $T0, " "eth0's IPv4 state is what symroute would install"
assert_match "$SR_OUT" "^PASS systemd-networkd is not running" "networkd"
assert_match "$SR_OUT" "^PASS NetworkManager is not running" "NetworkManager"
assert_match "$SR_OUT" "^PASS no orphan rule of ours" "orphans"
assert_match "$SR_OUT" "^PASS no duplicate rule of ours" "duplicates"

# One interface only; --dest overrides the destination.
sr check eth1 --dest 203.0.113.200
note "symroute check eth1 --dest 203.0.113.200:"; sr_indent "$SR_OUT"
[ "$SR_RC" = 0 ] || fail "check eth1 exited $SR_RC"
assert_not_contains "$SR_OUT" "eth0 IPv4 from" "check eth1 does not look at eth0's addresses"
assert_contains "$SR_OUT" "| ip -4 route get 203.0.113.200 from 203.0.113.20" "--dest is used"

sr_ok status
note "symroute status:"; sr_indent "$SR_OUT"
assert_match "$SR_OUT" "^eth0 \(ifindex [0-9]+\)\$" "status lists eth0"
assert_match "$SR_OUT" "^  IPv4: table $T1, priority 31100: in sync\$" "eth1's IPv4 is in sync"
assert_not_contains "$SR_OUT" "DRIFT" "nothing drifted"

sr_ok status --json
note "symroute status --json:"; sr_indent "$SR_OUT"
J=$SR_OUT
if command -v python3 >/dev/null 2>&1; then
	R=$(printf '%s' "$J" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["version"] == 1
for i in d["interfaces"]:
    for f in i["families"]:
        print(i["name"], f["family"], f["table"], f["in_sync"], len(f["drift"]), ",".join(f["gateways"]))
') || fail "status --json is not valid JSON"
	note "$R"
	assert_match "$R" "^eth0 ipv4 $T0 True 0 198\.51\.100\.1\$" "JSON: eth0 IPv4"
	assert_match "$R" "^eth1 ipv6 $T1 True 0 2001:db8:b::1\$" "JSON: eth1 IPv6"
fi
assert_contains "$J" '"shared_rules":[{"family":"ipv4","priority":31000,"from":null,"to":null,"table":254,"suppress_prefixlength":0' \
	"JSON: the shared rule"

pass "check passes and status is in sync on the healthy two-uplink host"
