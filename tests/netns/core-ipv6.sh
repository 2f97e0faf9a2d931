#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: IPv6 with global addresses and link-local gateways (fe80::1 on both links, as
# routers commonly are): tables, rules, main's fallback default, lookups by source, and real
# traffic from each source address through its own router.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"

topo_two_uplinks v6
T0=$(table_of . eth0)
T1=$(table_of . eth1)
# Something to reach beyond each router: the same remote address, behind both.
addr ra cli 2001:db8:ff::1/128
addr rb cli 2001:db8:ff::1/128

# 1. Main has no IPv6 default: eth1 gets a table and main a fallback default of ours.
sr_ok up eth1 -6 --gateway fe80::1
R=$(ip -6 rule show)
note "ip -6 rule show:"; sr_indent "$R"
assert_match "$R" "^31100:[[:space:]]+from 2001:db8:b::20 lookup $T1 proto $P ?\$" "IPv6 rule for eth1"
assert_count "$R" "^31000:[[:space:]]+from all lookup main suppress_prefixlength 0 proto $P ?\$" 1 \
	"IPv6 shared suppress rule"
assert_not_contains "$(ip -4 rule show)" "proto $P" "-6: no IPv4 rule"
RT=$(ip -6 route show table "$T1")
note "ip -6 route show table $T1:"; sr_indent "$RT"
assert_match "$RT" "^2001:db8:b::/64 dev eth1 proto $P " "connected route in eth1's table"
assert_no_match "$RT" "^2001:db8:b::/64 .* src " "the IPv6 connected route carries no src"
assert_match "$RT" "^default via fe80::1 dev eth1 proto $P $FP " \
	"default via the link-local gateway, the rules' fingerprint as metric"
assert_count "$RT" . 2 "eth1's table holds two routes"
M=$(ip -6 route show table main)
assert_match "$M" "^default via fe80::1 dev eth1 proto $P metric $T1 " \
	"main: fallback default of ours, metric 1000000+ifindex"
assert_not_contains "$(ip -4 route show table all)" "proto $P" "-6: no IPv4 route"

# 2. Main gets a default route of its own (via eth0); eth0 takes its gateway from it.
ip_ns . -6 route add default via fe80::1 dev eth0 || hard_error "cannot add IPv6 default"
sr_ok up eth0 -6
RT=$(ip -6 route show table "$T0")
note "ip -6 route show table $T0:"; sr_indent "$RT"
assert_match "$RT" "^default via fe80::1 dev eth0 proto $P $FP " \
	"eth0's gateway taken from main's default"
assert_match "$(ip -6 rule show)" "^31100:[[:space:]]+from 2001:db8:a::10 lookup $T0 proto $P ?\$" \
	"IPv6 rule for eth0"
# Main has a default of its own now: our fallbacks stay behind it, one per uplink, for when
# it goes (issue 20); main's own comes first.
M=$(ip -6 route show table main)
note "ip -6 route show table main:"; sr_indent "$M"
assert_match "$M" "^default via fe80::1 dev eth0 proto $P metric $T0 " \
	"main has a default: our fallback for eth0 behind it"
sr_ok up eth1 -6 --gateway fe80::1
M=$(ip -6 route show table main)
assert_match "$M" "^default via fe80::1 dev eth1 proto $P metric $T1 " \
	"eth1 re-up: its fallback default stays (main's own is in front of it)"
assert_match "$M" "^default via fe80::1 dev eth0 metric 1024 " "main's own default untouched"
assert_match "$(ip -6 route show table main default | head -n 1)" "^default via fe80::1 dev eth0 metric 1024 " \
	"main's own default wins (the lowest metric)"

# 3. Lookups by source address.
G=$(ip -6 route get 2001:db8:ff::1 from 2001:db8:a::10)
note "$G"
assert_match "$G" "via fe80::1 dev eth0 table $T0 " "from eth0's address: via eth0"
G=$(ip -6 route get 2001:db8:ff::1 from 2001:db8:b::20)
note "$G"
assert_match "$G" "via fe80::1 dev eth1 table $T1 " "from eth1's address: via eth1"
G=$(ip -6 route get 2001:db8:ff::1)
assert_match "$G" "via fe80::1 dev eth0 " "without a source: main's default via eth0"
G=$(ip -6 route get 2001:db8:b::99 from 2001:db8:a::10)
assert_match "$G" "^2001:db8:b::99 from 2001:db8:a::10 dev eth1 " \
	"a connected destination is reached directly, whatever the source"

# 4. Traffic: an echo request from each source reaches the router behind that interface.
for t in "2001:db8:a::10 eth0 ra" "2001:db8:b::20 eth1 rb"; do
	set -- $t
	r0=$(rx_packets "$3" srv)
	in_ns . ping -6 -c 1 -W 2 -I "$1" 2001:db8:ff::1 >"$SR_TMP/ping" 2>&1 ||
		fail "ping -6 -I $1 2001:db8:ff::1 failed: $(cat "$SR_TMP/ping")"
	r1=$(rx_packets "$3" srv)
	[ $((r1 - r0)) -ge 1 ] || fail "the echo request from $1 did not arrive at $3"
	note "ping from $1: answered, $3 received $((r1 - r0)) packet(s)"
done

sr_ok down eth0 -6
sr_ok down eth1 -6
snapshot . "$SR_TMP/s"
assert_not_contains "$(cat "$SR_TMP/s")" "proto $P" "after down: nothing of ours"

pass "IPv6 with link-local gateways"
