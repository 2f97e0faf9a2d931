#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: the interface's address changes and `up` runs again (reading the kernel's
# addresses, or given --address): the rules and routes follow, nothing for the old address
# remains.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"

topo_two_uplinks v6
T0=$(table_of . eth0)
# Replace addresses without the kernel flushing the device's routes (IPv4 deletes the
# secondaries with the primary unless they are promoted).
ns_sysctl . net.ipv4.conf.eth0.promote_secondaries 1

# no_trace ADDR WHAT: ADDR appears nowhere in rules and routes (as a whole address).
no_trace() {
	snapshot . "$SR_TMP/s"
	assert_no_match "$(cat "$SR_TMP/s")" "(^|[^0-9a-f:.])$(re_quote "$1")([^0-9a-f:.]|\$)" "$2"
}

# mine_is ADDR4 ADDR6: eth0's rules and table are exactly those of these addresses.
mine_is() {
	R=$(ip -4 rule show; ip -6 rule show)
	assert_count "$R" "lookup $T0 proto $P" 2 "one rule per family for eth0's table"
	assert_match "$R" "^31100:[[:space:]]+from $(re_quote "$1") lookup $T0 proto $P ?\$" \
		"the IPv4 rule is for $1"
	assert_match "$R" "^31100:[[:space:]]+from $(re_quote "$2") lookup $T0 proto $P ?\$" \
		"the IPv6 rule is for $2"
	RT=$(ip -4 route show table "$T0")
	assert_match "$RT" "^198\.51\.100\.0/25 dev eth0 proto $P scope link src $(re_quote "$1") ?\$" \
		"the connected route of table $T0 has source $1"
	assert_count "$RT" . 2 "table $T0 holds two IPv4 routes"
	G=$(ip -4 route get 203.0.113.200 from "$1")
	assert_match "$G" "via 198\.51\.100\.1 dev eth0 table $T0" "route get from $1 uses eth0's table"
}

sr_ok up eth0 --gateway 198.51.100.1 --gateway 2001:db8:a::1
mine_is 198.51.100.10 2001:db8:a::10

# 1. The kernel's addresses change; up reads them.
addr . eth0 198.51.100.11/25 2001:db8:a::11/64
ip_ns . addr del 198.51.100.10/25 dev eth0
ip_ns . addr del 2001:db8:a::10/64 dev eth0
sr_ok up eth0 --gateway 198.51.100.1 --gateway 2001:db8:a::1
mine_is 198.51.100.11 2001:db8:a::11
no_trace 198.51.100.10 "after the change to .11 (kernel addresses): nothing for 198.51.100.10"
no_trace 2001:db8:a::10 "after the change to ::11 (kernel addresses): nothing for 2001:db8:a::10"

# 2. The same, with the new addresses given on the command line.
addr . eth0 198.51.100.12/25 2001:db8:a::12/64
ip_ns . addr del 198.51.100.11/25 dev eth0
ip_ns . addr del 2001:db8:a::11/64 dev eth0
sr_ok up eth0 --address 198.51.100.12/25 --address 2001:db8:a::12/64 --gateway 198.51.100.1 \
	--gateway 2001:db8:a::1
mine_is 198.51.100.12 2001:db8:a::12
no_trace 198.51.100.11 "after the change to .12 (--address): nothing for 198.51.100.11"
no_trace 2001:db8:a::11 "after the change to ::12 (--address): nothing for 2001:db8:a::11"

# 3. The kernel flushes the device's IPv4 routes when the last address goes (no
# promotion possible): up with the new address restores a complete table.
ip_ns . addr del 198.51.100.12/25 dev eth0
addr . eth0 198.51.100.13/25
sr_ok up eth0 --gateway 198.51.100.1 --gateway 2001:db8:a::1
mine_is 198.51.100.13 2001:db8:a::12
# The flush took main's own IPv4 default with it: symroute's fallback default stands in.
assert_match "$(ip -4 route show table main)" "^default via 198\.51\.100\.1 dev eth0 proto $P metric $T0 onlink ?\$" \
	"main lost its default: the fallback default of ours (metric 1000000+ifindex)"
no_trace 198.51.100.12 "after the change to .13 (old address removed first): nothing for .12"

sr_ok down eth0
snapshot . "$SR_TMP/s"
assert_not_contains "$(cat "$SR_TMP/s")" "proto $P" "after down: nothing of ours"

pass "rules and routes follow an address change"
