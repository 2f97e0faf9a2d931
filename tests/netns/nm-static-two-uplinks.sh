#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: the real NetworkManager with two static uplinks: both activations give each its
# table and rule through the dispatcher hook, the two-uplink TCP check passes (every reply
# leaves by the interface its connection came in on), and deactivating one removes only its own.
. "$(dirname "$0")/nm-lib.sh"
nm_sandbox_enter "$@"
command -v socat >/dev/null 2>&1 || skip "socat not installed"

# lib.sh's two-uplink world, with NetworkManager configuring the server's side:
#   server nmsr0 198.51.100.10/25 -- ra -- cl ethA 198.51.100.200/25
#   server nmsr1 203.0.113.20/25  -- rb -- cl ethB 203.0.113.200/25
# Routers filter sources (BCP 38, strict rp_filter on srv), the server runs strict rp_filter.
for ns in ra rb cl; do ns_add "$ns"; done
for ns in . ra rb cl; do
	ns_sysctl "$ns" net.ipv6.conf.all.disable_ipv6 1
	ns_sysctl "$ns" net.ipv6.conf.default.disable_ipv6 1
done
veth_pair . nmsr0 ra srv
veth_pair . nmsr1 rb srv
veth_pair ra cli cl ethA
veth_pair rb cli cl ethB
addr ra srv 198.51.100.1/25
addr ra cli 198.51.100.129/25
ip_ns ra -4 route add default via 198.51.100.200 || hard_error "router A default"
addr rb srv 203.0.113.1/25
addr rb cli 203.0.113.129/25
ip_ns rb -4 route add default via 203.0.113.200 || hard_error "router B default"
addr cl ethA 198.51.100.200/25
addr cl ethB 203.0.113.200/25
ip_ns cl -4 route add 198.51.100.0/25 via 198.51.100.129 || hard_error "client route A"
ip_ns cl -4 route add 203.0.113.0/25 via 203.0.113.129 || hard_error "client route B"
for ns in ra rb; do
	ns_sysctl "$ns" net.ipv4.ip_forward 1
	ns_sysctl "$ns" net.ipv4.conf.srv.rp_filter 1
done
ns_sysctl . net.ipv4.conf.all.rp_filter 1

nm_profile up0 nmsr0 '[ipv4]' method=manual address1=198.51.100.10/25,198.51.100.1 \
	'[ipv6]' method=disabled
nm_profile up1 nmsr1 '[ipv4]' method=manual address1=203.0.113.20/25,203.0.113.1 \
	'[ipv6]' method=disabled
nm_install_hook
nm_start
nm_wait_done nmsr0 up
nm_wait_done nmsr1 up
nm_assert_hook_ok nmsr0 up
nm_assert_hook_ok nmsr1 up
T0=$(table_of . nmsr0)
T1=$(table_of . nmsr1)

R=$(ip -4 rule show)
note "after both activations:"; sr_indent "$(nm_state)"
assert_match "$R" "^31100:[[:space:]]+from 198\.51\.100\.10 lookup $T0 proto $P ?\$" "nmsr0's rule"
assert_match "$R" "^31100:[[:space:]]+from 203\.0\.113\.20 lookup $T1 proto $P ?\$" "nmsr1's rule"
assert_match "$(ip -4 route show table "$T0")" "^default via 198\.51\.100\.1 dev nmsr0 proto $P" \
	"nmsr0's table default"
assert_match "$(ip -4 route show table "$T1")" "^default via 203\.0\.113\.1 dev nmsr1 proto $P" \
	"nmsr1's table default"
assert_match "$(ip -4 route show table "$T1")" "^203\.0\.113\.0/25 dev nmsr1 proto $P" \
	"nmsr1's connected route in its table"

# The two-uplink TCP check: each connection answered, by the interface it came in on.
# Only the server's TCP segments are counted (NetworkManager sends packets of its own).
tcp_listen .
for t in "198.51.100.10 nmsr0" "203.0.113.20 nmsr1"; do
	set -- $t
	capture_start . nmsr0 "tcp and src port 7000"
	capture_start . nmsr1 "tcp and src port 7000"
	out=$(tcp_try cl "$1") || fail "TCP to $1 failed: $out"
	set -- "$1" "$2" "$(capture_count . nmsr0 198.51.100.1)" "$(capture_count . nmsr1 203.0.113.1)"
	note "TCP to $1: $out; nmsr0 sent $3, nmsr1 sent $4 segment(s) from port 7000"
	if [ "$2" = nmsr0 ]; then in=$3 other=$4; else in=$4 other=$3; fi
	[ "$in" -ge 3 ] || fail "replies for $1 should leave via $2: it sent only $in packet(s)"
	[ "$other" -eq 0 ] || fail "replies for $1 left via the other uplink ($other packet(s))"
done

# One uplink deactivated: its rule and table go, the other's stay and still work.
nmcli_ok connection down up1
nm_wait_done nmsr1 down
nm_assert_hook_ok nmsr1 down
R=$(ip -4 rule show)
note "after deactivating up1:"; sr_indent "$(nm_state)"
assert_not_contains "$R" "lookup $T1" "nmsr1's rule is gone"
assert_eq "" "$(ip -4 route show table "$T1" 2>/dev/null)" "nmsr1's table is empty"
assert_match "$R" "^31100:[[:space:]]+from 198\.51\.100\.10 lookup $T0 proto $P ?\$" \
	"nmsr0's rule stays"
out=$(tcp_try cl 198.51.100.10) || fail "TCP to 198.51.100.10 failed after up1 went down: $out"
if out=$(tcp_try cl 203.0.113.20 1); then
	fail "TCP to 203.0.113.20 worked with up1 down: $out"
fi

pass "two static uplinks: tables and rules from NetworkManager's events, TCP answered by the right uplink"
