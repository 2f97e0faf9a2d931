#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: issue 17: an IPv6 event that names no gateway (a DHCPv6 renewal, SLAAC, an
# `inet6 auto` stanza) takes the router from main's default through the interface, and that
# must not cost a walk of main (a full IPv6 feed: tens of ms at every renewal). One lookup
# through the interface finds the default the kernel uses there. What the admin sees must
# not change: a first up and a repeated one list no IPv6 main, the repeat sends nothing; a
# new router, the router gone (the table keeps its own), a route through the interface that
# answers the lookup instead, and a dry run converge; main's foreign routes stay
# byte-identical.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"

topo_two_uplinks v6
IDX=$(ifindex . eth1)
T1=$(table_of . eth1)
# Router B answers at two link-local addresses: the router eth1 learns can change.
addr rb srv fe80::2/64
# A router's default through eth1, as the kernel writes it from an advertisement.
ip_ns . -6 route add default via fe80::1 dev eth1 proto ra metric 1024 ||
	hard_error "cannot add the router's default"
# A host fed IPv6 routes through eth0: none of them may move.
i=0
while [ $i -lt 300 ]; do
	printf 'route add 2001:db8:e000:%x::/64 via 2001:db8:a::1 dev eth0\n' $i
	i=$((i + 1))
done | ip_ns . -6 -batch - || hard_error "cannot add the IPv6 feed"
foreign_main() {
	ip -6 route show table main | grep -v " proto $P " | sort
}
foreign_main >"$SR_TMP/foreign0"

# main_v6_dumps ARGS...: how many times `symroute ARGS` listed IPv6 main.
main_v6_dumps() {
	sr_requests 'RTM_GETROUTE, nlmsg_flags=NLM_F_REQUEST|NLM_F_DUMP.*rtm_family=AF_INET6.*rtm_table=RT_TABLE_MAIN' "$@"
}
# expect_router GW WHAT: eth1's table and our fallback in main both go through GW, once each.
expect_router() {
	got=$(ip -6 route show table "$T1")
	note "eth1's IPv6 table ($2):"; sr_indent "$got"
	assert_match "$got" "^default via $1 dev eth1 proto $P " "$2: the table's default via $1"
	assert_eq 1 "$(printf '%s\n' "$got" | grep -c '^default')" "$2: one default in the table"
	got=$(ip -6 route show table main | grep "dev eth1 proto $P ")
	assert_match "$got" "^default via $1 dev eth1 proto $P metric $((1000000 + IDX)) " \
		"$2: our fallback in main via $1"
	assert_eq 1 "$(printf '%s\n' "$got" | grep -c .)" "$2: one default of ours through eth1 in main"
	assert_match "$(ip -6 route get 2001:db8:ffff::99 from 2001:db8:b::20)" "via $1 dev eth1" \
		"$2: replies from eth1's IPv6 address leave by eth1, via $1"
}

# Dual stack as a hook sees it: IPv4 with its gateway, IPv6 with none (from advertisements).
UP="up eth1 --gateway 203.0.113.1 --address 203.0.113.20/25 --address 2001:db8:b::20/64"
sr_ok $UP
expect_router fe80::1 "first up"

# 1. A renewal: nothing sent, nothing to print, IPv6 main not listed.
sr_repeat_silent $UP
if command -v strace >/dev/null 2>&1; then
	assert_eq 0 "$(main_v6_dumps $UP)" "a repeated up does not list IPv6 main"
	assert_eq 1 "$(main_v6_dumps $UP --dry-run)" "a dry run lists IPv6 main, as it prints exact changes"
	sr_ok down eth1
	assert_eq 0 "$(main_v6_dumps $UP)" "a first up does not list IPv6 main either"
	expect_router fe80::1 "first up under strace"
else
	note "strace not installed: the reads of main are not counted"
fi

# 2. A new router: the lookup answers another gateway; the table told another story, so
# main is read (older defaults of ours go) and both defaults move.
ip_ns . -6 route replace default via fe80::2 dev eth1 proto ra metric 1024 ||
	hard_error "cannot change the router's default"
sr_ok $UP
expect_router fe80::2 "new router"
[ -z "$(command -v strace)" ] || assert_eq 0 "$(main_v6_dumps $UP)" "after the move, a renewal lists no IPv6 main again"

# 3. A route through eth1 answers the lookup, not a default: main is read, nothing changes.
ip_ns . -6 route add 100::/64 via fe80::2 dev eth1 || hard_error "cannot add the route to 100::/64"
sr_ok $UP -v
assert_contains "$SR_ERR" "already in place" "a lookup answered by another route: main read, nothing to change"
[ -z "$(command -v strace)" ] || assert_eq 1 "$(main_v6_dumps $UP)" "a lookup answered by another route: IPv6 main listed"
ip_ns . -6 route del 100::/64 via fe80::2 dev eth1 || hard_error "cannot remove the route to 100::/64"

# 4. The router gone (its lifetime ran out): our fallback answers the lookup; main is read
# and, as before, the table keeps its router.
ip_ns . -6 route del default via fe80::2 dev eth1 proto ra || hard_error "cannot remove the router's default"
sr_ok $UP -v
assert_contains "$SR_ERR" "keeping its table's, fe80::2" "the router gone: the table's router is kept"
expect_router fe80::2 "router gone"

# 5. Back, at the first address: converges to it.
ip_ns . -6 route add default via fe80::1 dev eth1 proto ra metric 1024 || hard_error "cannot restore the router's default"
sr_ok $UP
expect_router fe80::1 "router back"

foreign_main | grep -v ' proto ra ' >"$SR_TMP/foreign1"
grep -v ' proto ra ' "$SR_TMP/foreign0" >"$SR_TMP/foreign0r"
assert_files_eq "$SR_TMP/foreign0r" "$SR_TMP/foreign1" "main's foreign IPv6 routes are byte-identical"

sr_ok down eth1
assert_eq "" "$(ip -6 route show table main | grep "dev eth1 proto $P ")" "down: nothing of ours through eth1 in main"
pass "IPv6 router by one lookup: a first up and a renewal list no IPv6 main, a new router, a route answering instead and the router gone converge"
