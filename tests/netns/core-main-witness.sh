#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: issue 17: an event that gives the gateway leaves main unread (no walk of a BGP-sized
# table): our fallback default there is asked for, and the interface's own table witnesses what
# an earlier event wrote. What the admin sees must not change: a repeated up sends nothing; a
# new gateway, a new metric (option or configuration) or a default deleted by hand leave
# exactly one default of ours through the interface in main, the wanted one, IPv4 and IPv6;
# main's foreign routes stay byte-identical; --dry-run still prints exactly the changes. A
# down deletes IPv6's default in main by the name the table gives it, main unread.
# A configuration file of the built-in defaults, which step 4 changes.
SR_CONFIG_TEXT='[symroute]
fallback-metric-base = 1000000'
export SR_CONFIG_TEXT
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"

topo_two_uplinks v6
IDX=$(ifindex . eth1)
T1=$(table_of . eth1)
# A host fed routes (a few hundred, the shape of a BGP feed): none of them may move.
i=0
while [ $i -lt 300 ]; do
	printf 'route add 198.18.%d.%d/32 via 198.51.100.1 dev eth0\n' $((i / 250)) $((i % 250))
	printf -- '-6 route add 2001:db8:e000:%x::/64 via 2001:db8:a::1 dev eth0\n' $i
	i=$((i + 1))
done >"$SR_TMP/feed"
# IPv4 main is read by its first key alone (rtnl_dump_routes_zero4()): a foreign route that
# shares the default's key, listed before it, must not end the read early.
echo 'route add unreachable 0.0.0.0/8' >>"$SR_TMP/feed"
grep -v '^-6' "$SR_TMP/feed" | ip_ns . -batch - || hard_error "cannot add the IPv4 feed"
grep '^-6' "$SR_TMP/feed" | sed 's/^-6 //' | ip_ns . -6 -batch - || hard_error "cannot add the IPv6 feed"
foreign_main() {
	{ ip -4 route show table main; ip -6 route show table main; } | grep -v " proto $P " | sort
}
foreign_main >"$SR_TMP/foreign0"

# ours_in_main: our defaults through eth1 in main, both families, one per line.
ours_in_main() {
	{ ip -4 route show table main; ip -6 route show table main; } |
		grep "dev eth1 proto $P " | sed 's/ *$//; s/ pref medium//'
}
# expect_main GW4 GW6 METRIC WHAT: exactly these two defaults of ours through eth1 in main.
expect_main() {
	got=$(ours_in_main)
	note "ours in main ($4):"; sr_indent "$got"
	assert_eq 2 "$(printf '%s\n' "$got" | grep -c .)" "$4: one default of ours per family in main"
	assert_match "$got" "^default via $1 dev eth1 proto $P metric $3 onlink\$" "$4: IPv4"
	assert_match "$got" "^default via $2 dev eth1 proto $P metric $3 onlink\$" "$4: IPv6"
}

UP="up eth1 --gateway 203.0.113.1 --gateway 2001:db8:b::1"
sr_ok $UP
expect_main 203.0.113.1 2001:db8:b::1 $((1000000 + IDX)) "first up"

# 1. Repeated: nothing reaches the kernel's notifications, and the dry run has nothing to say.
sr_repeat_silent $UP

# 2. A new IPv4 gateway: the old default of ours in main goes, in both places.
sr_ok up eth1 --gateway 203.0.113.2 --gateway 2001:db8:b::1
expect_main 203.0.113.2 2001:db8:b::1 $((1000000 + IDX)) "new IPv4 gateway"
assert_match "$(ip -4 route show table "$T1")" "^default via 203\.0\.113\.2 dev eth1 proto $P" \
	"new IPv4 gateway: the table's default too"
assert_eq 1 "$(ip -4 route show table "$T1" | grep -c '^default')" "the table has one IPv4 default"

# 3. A new metric by option: the default at the old metric goes (the table cannot tell).
sr_ok up eth1 --gateway 203.0.113.2 --gateway 2001:db8:b::1 --metric 4000000
expect_main 203.0.113.2 2001:db8:b::1 4000000 "metric by option"

# 4. A new metric by configuration (fallback-metric-base), on an up without the option.
printf '[symroute]\nfallback-metric-base = 2000000\n' >"$SR_CONFIG_FILE"
sr_ok up eth1 --gateway 203.0.113.2 --gateway 2001:db8:b::1
expect_main 203.0.113.2 2001:db8:b::1 $((2000000 + IDX)) "metric by configuration"

# 5. Our default deleted by hand: the next event puts it back (and sends only that).
ip_ns . -4 route del default via 203.0.113.2 dev eth1 table main proto "$P" metric $((2000000 + IDX)) ||
	hard_error "cannot delete our IPv4 default by hand"
ip_ns . -6 route del default via 2001:db8:b::1 dev eth1 table main proto "$P" metric $((2000000 + IDX)) ||
	hard_error "cannot delete our IPv6 default by hand"
sr_ok up eth1 --gateway 203.0.113.2 --gateway 2001:db8:b::1 -v
expect_main 203.0.113.2 2001:db8:b::1 $((2000000 + IDX)) "after a deletion by hand"
assert_contains "$SR_ERR" "2 change(s)" "after a deletion by hand: the two defaults, nothing else"

# 6. The same up with no gateway given reads main and agrees: nothing to change.
sr_ok up eth1 -v
assert_contains "$SR_ERR" "already in place" "an up that reads main finds the same state"

# 7. Wildcard-source traffic still falls back to eth1 when eth0's default goes.
ip_ns . -4 route del default via 198.51.100.1 || hard_error "cannot remove eth0's default"
assert_match "$(ip -4 route get 198.51.100.250)" "via 203\.0\.113\.2 dev eth1" \
	"without eth0's default: new connections leave by eth1 (our fallback)"
ip_ns . -4 route add default via 198.51.100.1 || hard_error "cannot restore eth0's default"

foreign_main >"$SR_TMP/foreign1"
assert_files_eq "$SR_TMP/foreign0" "$SR_TMP/foreign1" "main's foreign routes are byte-identical"

# 8. Down: IPv6's default in main goes by the name eth1's table gives it, main unread; after an
# up with a metric of its own, the name misses and main is read.
if command -v strace >/dev/null 2>&1; then
	V6_MAIN_DUMP='RTM_GETROUTE, nlmsg_flags=NLM_F_REQUEST|NLM_F_DUMP.*rtm_family=AF_INET6.*rtm_table=RT_TABLE_MAIN'
	assert_eq 0 "$(sr_requests "$V6_MAIN_DUMP" down eth1)" "down: IPv6 main not listed"
	assert_eq "" "$(ours_in_main)" "down: nothing of ours through eth1 in main"
	sr_ok up eth1 --gateway 203.0.113.2 --gateway 2001:db8:b::1 --metric 4000000
	expect_main 203.0.113.2 2001:db8:b::1 4000000 "up with its own metric"
	assert_eq 1 "$(sr_requests "$V6_MAIN_DUMP" down eth1)" "down after --metric: IPv6 main listed"
else
	note "strace not installed: the reads of main are not counted"
	sr_ok down eth1
fi
assert_eq "" "$(ours_in_main)" "down: nothing of ours through eth1 in main"
pass "main unread on events with a gateway: repeated up silent, gateway/metric/configuration changes and a deletion by hand converge, down deletes by name, foreign main untouched"
