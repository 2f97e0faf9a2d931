#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: issue 16, item 2: `symroute check` answers "is my host affected" for every address of
# an uplink (an interface with a default route of its own in main), managed or not: before
# symroute ever ran, and for a family left out (IPv4 managed, IPv6 not).
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"
command -v socat >/dev/null 2>&1 || skip "socat not installed"

# Two uplinks, each with a default of its own in main (two DHCP leases, NetworkManager):
# eth0's wins by metric, so replies from eth1's addresses leave by eth0.
topo_two_uplinks v6
ip_ns . -4 route add default via 203.0.113.1 dev eth1 metric 200 || hard_error "eth1's IPv4 default"
ip_ns . -6 route add default via 2001:db8:a::1 dev eth0 metric 100 || hard_error "eth0's IPv6 default"
ip_ns . -6 route add default via 2001:db8:b::1 dev eth1 metric 200 || hard_error "eth1's IPv6 default"
tcp_listen .

# ---- symroute never ran: the host is affected, and check says so per address ----
out=$(tcp_try cl 203.0.113.20 1) && fail "test set-up: TCP to eth1's address worked without symroute: $out"
sr_expect 7 check
note "symroute check, nothing managed:"; sr_indent "$SR_OUT"
assert_match "$SR_OUT" "^FAIL eth1 IPv4 from 203\.0\.113\.20 \(not managed\) leaves by eth0 \(table main\), not by eth1: .* \| ip -4 route get 198\.18\.0\.1 from 203\.0\.113\.20; symroute up eth1 -4 --dry-run\$" \
	"eth1's IPv4 address: affected, with the lookup and the fix"
assert_match "$SR_OUT" "^FAIL eth1 IPv6 from 2001:db8:b::20 \(not managed\) leaves by eth0 \(table main\), not by eth1" \
	"eth1's IPv6 address: affected"
assert_match "$SR_OUT" "^PASS eth0 IPv4 from 198\.51\.100\.10 \(not managed\) leaves by eth0 \(table main\)" \
	"eth0's IPv4 address: not affected"
assert_match "$SR_OUT" "^PASS eth0 IPv6 from 2001:db8:a::10 \(not managed\) leaves by eth0 \(table main\)" \
	"eth0's IPv6 address: not affected"
assert_count "$SR_OUT" "^FAIL" 2 "exactly the two addresses of eth1 fail"
text=$SR_OUT

# The same verdicts for monitoring: check --json, one object per line of the text.
sr_expect 7 check --json
assert_contains "$SR_OUT" '"summary":{"ok":false,' "check --json: the summary is not ok"
assert_contains "$SR_OUT" '"failed":2,' "check --json: two checks failed"
assert_contains "$SR_OUT" '{"verdict":"FAIL","what":"eth1 IPv4 from 203.0.113.20 (not managed) leaves by eth0' \
	"check --json: eth1's IPv4 address, with the text's words"
if command -v python3 >/dev/null 2>&1; then
	# Parsed strictly, the objects say what the text said, line for line.
	from_json=$(printf '%s\n' "$SR_OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
for c in d["checks"]:
    print(c["verdict"] + " " + c["what"] + (" | " + c["command"] if c["command"] else ""))
s = d["summary"]
assert s["checks"] == len(d["checks"]) and s["failed"] == sum(c["verdict"] == "FAIL" for c in d["checks"])
') || fail "check --json is not valid JSON, or its summary does not count its checks: $SR_OUT"
	[ "$from_json" = "$text" ] || fail "check --json says something else than check:
$from_json
---
$text"
fi

# ---- IPv4 managed, IPv6 left out: IPv6 is still reported ----
sr_ok up eth0 -4
sr_ok up eth1 -4
out=$(tcp_try cl 203.0.113.20) || fail "TCP to eth1's IPv4 address failed once managed: $out"
sr_expect 7 check
note "symroute check, IPv4 managed:"; sr_indent "$SR_OUT"
assert_no_match "$SR_OUT" "^FAIL .*IPv4" "IPv4 managed: no IPv4 failure"
assert_match "$SR_OUT" "^FAIL eth1 IPv6 from 2001:db8:b::20 \(not managed\) leaves by eth0" \
	"IPv6 left out: eth1's IPv6 address still fails"

# ---- both families managed: healthy ----
sr_ok up eth0 -6
sr_ok up eth1 -6
sr_ok check
note "symroute check, both managed:"; sr_indent "$SR_OUT"
assert_no_match "$SR_OUT" "\(not managed\)" "every address is managed"

# ---- a single-homed interface beside them, with no default of its own: not an uplink ----
ip link add lan0 type veth peer name lan0p || hard_error "lan0"
ip link set lan0 up
ip addr add 192.0.2.1/28 dev lan0
sr_ok check
assert_not_contains "$SR_OUT" "192.0.2.1" "an interface without a default route of its own is not judged"
pass "check judges every address of every uplink, managed or not"
