#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: real dhclient -6 (an `inet6 dhcp` stanza) gets a rule for its DHCPv6 address; ifdown removes it.
#
# dnsmasq in namespace lan serves DHCPv6 only (no router advertisements: DHCPv6 carries no
# router, so vC's table holds the leased address's route and no default). dhclient's BOUND6
# and ifupdown's if-up.d both lead to the same state; ifdown leaves nothing of ours.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"
. "$(dirname "$0")/ifupdown-lib.sh"
ifud_need dhcp

ns_add lan
ifud_links lan vC
addr lan pvC 2001:db8:c::1/64
ifud_setup "iface vC inet6 dhcp"
ifud_dhcp_server lan pvC "2001:db8:c::100,2001:db8:c::1ff,64,2m"

TC=$(table_of . vC)
snapshot . "$SR_TMP/before"

ifud_ok ifup vC
A=$(ip -6 addr show dev vC scope global | sed -n 's/^ *inet6 \(2001:db8:c::1[0-9a-f][0-9a-f]\)\/128 .*/\1/p')
[ -n "$A" ] || fail "no DHCPv6 address on vC: $(ip -6 addr show dev vC)"
note "leased: $A"
R=$(ip -6 rule show)
note "ip -6 rule show:"; sr_indent "$R"
assert_match "$R" "^31100:[[:space:]]+from $(re_quote "$A") lookup $TC proto $P ?\$" \
	"a rule for the DHCPv6 address"
RT=$(ifud_table_routes "$TC" -6)
note "ip -6 route show table $TC:"; sr_indent "$RT"
assert_match "$RT" "dev vC proto $P" "vC's table holds a route of ours"
assert_no_match "$RT" "^default" "no router from DHCPv6, none in main: no default in vC's table"

ifud_ok ifdown vC
assert_no_match "$(ip -6 rule show)" "proto $P" "ifdown vC: no IPv6 rule of ours"
assert_eq "" "$(ifud_table_routes "$TC" -6)" "ifdown vC: vC's table is empty"
snapshot . "$SR_TMP/after"
assert_files_eq "$SR_TMP/before" "$SR_TMP/after" "after ifdown, the state is the one before ifup"
pass "inet6 dhcp: DHCPv6 lease, rule, ifdown"
