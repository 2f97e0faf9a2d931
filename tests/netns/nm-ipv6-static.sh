#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: an IPv6-only static profile with a gateway under the real NetworkManager: the up
# event (IP4_GATEWAY=0.0.0.0, no IPv4 addresses) gives an IPv6 table and rule only, traffic
# from the address goes through its router, and down removes them.
. "$(dirname "$0")/nm-lib.sh"
nm_sandbox_enter "$@"
command -v ping >/dev/null 2>&1 || skip "ping (iputils-ping) not installed"

nm_uplink 0 ra
addr ra srv 2001:db8:a::1/64
addr ra lo 2001:db8:ff::1/128	# something beyond the router
ns_sysctl ra net.ipv6.conf.all.forwarding 1
nm_profile v6 nmsr0 '[ipv4]' method=disabled \
	'[ipv6]' method=manual address1=2001:db8:a::10/64,2001:db8:a::1 addr-gen-mode=eui64
nm_install_hook
nm_start
nm_wait_done nmsr0 up
nm_assert_hook_ok nmsr0 up
T=$(table_of . nmsr0)

note "after up:"; sr_indent "$(nm_state)"
R6=$(ip -6 rule show)
assert_match "$R6" "^31100:[[:space:]]+from 2001:db8:a::10 lookup $T proto $P ?\$" "the IPv6 rule"
assert_match "$(ip -6 route show table "$T")" "^default via 2001:db8:a::1 dev nmsr0 proto $P" \
	"the table's IPv6 default"
assert_not_contains "$(ip -4 rule show)" "lookup $T" "no IPv4 rule for an IPv6-only profile"
assert_not_contains "$(ip -6 route show table "$T")" "fe80::" "no link-local route of ours"
# Main has NetworkManager's default too; ask the table itself by source.
assert_match "$(ip -6 route get 2001:db8:ff::1 from 2001:db8:a::10)" "via 2001:db8:a::1 dev nmsr0 table $T" \
	"a lookup from the address goes through the table"
ping -6 -c 1 -W 2 -I 2001:db8:a::10 2001:db8:ff::1 >/dev/null 2>&1 ||
	fail "no answer from 2001:db8:ff::1 beyond the router"

nmcli_ok connection down v6
nm_wait_done nmsr0 down
nm_assert_hook_ok nmsr0 down
assert_not_contains "$(ip -6 rule show)" "lookup $T" "the IPv6 rule is gone after down"
assert_eq "" "$(ip -6 route show table "$T" 2>/dev/null)" "the IPv6 table is empty after down"
pass "IPv6 static profile with a gateway: IPv6 table and rule, removed on down"
