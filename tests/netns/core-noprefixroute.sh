#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: a hook that runs before the manager has added the prefix route to main.
# NetworkManager and dhcpcd add their addresses noprefixroute and the prefix route themselves;
# NetworkManager 1.42 was seen in CI dispatching "up" before main had that route. The kernel
# then refuses a default via the gateway in main ("Nexthop has invalid gateway") unless it is
# on the link by fiat, and the refusal took the interface's table and rules with it. Here
# main has no route to the gateway at all: `up` must still succeed in both families, every
# address must answer the far side, new connections must leave by the uplink, and the prefix
# route the manager adds afterwards must change nothing of ours.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"

ns_add ra
ns_add rb
veth_pair . eth0 ra srv
veth_pair . eth1 rb srv
isps_far_side
# As NetworkManager and dhcpcd configure them: no prefix route from the kernel.
ip -4 addr add 198.51.100.10/25 dev eth0 noprefixroute || hard_error "eth0's IPv4 address"
ip -6 addr add 2001:db8:a::10/64 dev eth0 noprefixroute nodad || hard_error "eth0's IPv6 address"
settle . ra rb
assert_eq "" "$(ip -4 route show table main dev eth0; ip -6 route show table main dev eth0 | grep -v '^fe80::')" \
	"main has no route through eth0 before up"

hello_listen far
hello_listen .
sr_ok up eth0 --gateway 198.51.100.1 --gateway 2001:db8:a::1
T0=$(table_of . eth0)
M0=$((1000000 + $(ifindex . eth0)))
D=$(ip -4 route show table main default; ip -6 route show table main default)
note "main's defaults after up:"; sr_indent "$D"
assert_match "$D" "^default via 198\.51\.100\.1 dev eth0 proto $P metric $M0 onlink" \
	"our IPv4 default in main, on the link without main's prefix route"
assert_match "$D" "^default via 2001:db8:a::1 dev eth0 proto $P metric $M0 onlink" \
	"our IPv6 default in main, on the link without main's prefix route"
assert_match "$(ip -4 rule show)" "^31100:[[:space:]]+from 198\.51\.100\.10 lookup $T0 proto $P ?\$" \
	"eth0's IPv4 rule"
assert_match "$(ip -6 rule show)" "^31100:[[:space:]]+from 2001:db8:a::10 lookup $T0 proto $P ?\$" \
	"eth0's IPv6 rule"
assert_match "$(ip -4 route show table "$T0")" "^default via 198\.51\.100\.1 dev eth0 proto $P" \
	"eth0's table has its IPv4 default"
for a in 198.51.100.10 2001:db8:a::10; do
	hello_connect far "$a" || fail "no answer from $a to the far side"
done
far_works "no prefix route in main" eth0

# The manager adds the prefix routes now, late: nothing of ours changes.
ip -4 route add 198.51.100.0/25 dev eth0 proto static scope link src 198.51.100.10 metric 100 ||
	hard_error "the manager's IPv4 prefix route"
ip -6 route add 2001:db8:a::/64 dev eth0 proto static metric 100 ||
	hard_error "the manager's IPv6 prefix route"
snapshot . "$SR_TMP/before"
monitor_start
sr_ok up eth0 --gateway 198.51.100.1 --gateway 2001:db8:a::1
monitor_stop
snapshot . "$SR_TMP/after"
assert_files_eq "$SR_TMP/before" "$SR_TMP/after" "up again once main has the prefix routes"
assert_eq "" "$MON_EVENTS" "up again sends nothing"
sr_ok check
far_works "with the manager's prefix routes" eth0

sr_ok down eth0
assert_no_match "$(ip -4 route show table main; ip -6 route show table main)" "proto $P" \
	"down leaves nothing of ours in main"
pass "hook before the manager's prefix route: up succeeds, both families answer, nothing resent"
