#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: NetworkManager with ipv6.method=auto under `symroute watch`: when the router's
# advertisement changes after activation (a new prefix; then the router's link-local address,
# so the default gateway), NetworkManager follows it without dispatching anything, and within
# 2 s the watcher has the new address's rule and the new default in our table; the far side
# reaches the new address through an ISP dropping foreign sources.
#
# lib.sh's two ISPs and far host (isps_far_side); NetworkManager's nmsr0 is the primary
# (static, 198.51.100.10/25 and 2001:db8:a::10/64, route metric 100) and nmsr1 learns IPv6
# from router B's advertisements (radvd on B's srv, from fe80::2; route metric 200), IPv4
# disabled. Both routers drop foreign sources in both families (ws_bcp38_v6), so an answer from
# nmsr1's addresses that leaves by the primary is lost. The project's dispatcher hook is
# installed, as the package installs it: what the hook did at activation is not the question;
# what changes after it is the watcher's (its log says so, and the hook's calls are counted).
. "$(dirname "$0")/nm-lib.sh"
. "$(dirname "$0")/watch-stacks-lib.sh"
nm_sandbox_enter "$@"
"$SYMROUTE" --help 2>&1 | grep -q 'watch' || skip "$SYMROUTE has no watch command"
command -v radvd >/dev/null 2>&1 || skip "radvd not installed"

nm_uplink 0 ra
nm_uplink 1 rb
isps_far_side
ws_router_ll rb srv fe80::2
ws_bcp38_v6 ra srv 2001:db8:a::/64
ws_bcp38_v6 rb srv 2001:db8:b::/64 2001:db8:c::/64
# The far side routes B's new prefix back by B.
ip_ns far -6 route add 2001:db8:c::/64 via 2001:db8:1b::1 || hard_error "far side: route to 2001:db8:c::/64"
ws_radvd rb srv b 2001:db8:b::/64

v6=$(printf '%s\n' '[ipv6]' addr-gen-mode=eui64 ip6-privacy=0)
nm_profile up0 nmsr0 '[ipv4]' method=manual address1=198.51.100.10/25,198.51.100.1 route-metric=100 \
	$v6 method=manual address1=2001:db8:a::10/64,2001:db8:a::1 route-metric=100
nm_profile up1 nmsr1 '[ipv4]' method=disabled $v6 method=auto route-metric=200
nm_install_hook
hello_listen far
hello_listen .
ws_monitor_start
ws_watch_start
nm_start
nm_wait_done nmsr0 up
nm_wait_done nmsr1 up
T1=$(table_of . nmsr1)

# state: what an administrator looks at, for failure messages.
state() {
	nm_state
	echo "## nmsr1"; ip -6 addr show dev nmsr1; ip -6 route show table main dev nmsr1
	echo "## the watcher's log"; ws_watch_log
	echo "## hook calls"; sed 's/^/    | /' "$NM_SB/done"
	echo "## radvd"; tail -5 "$SR_TMP/radvd-b.log"
	echo "## NetworkManager"; tail -15 "$NM_SB/nm.log"
}
# slaac P: nmsr1's address in P::/64, P being three groups (2001:db8:b); empty if none yet.
# (An EUI-64 address has no run of zero groups to compress: 2001:db8:b:0:...)
slaac() {
	ip -6 -o addr show dev nmsr1 scope global |
		sed -n "s/.* inet6 \\($1:[0-9a-f:]*\\)\\/64 .*/\\1/p" | head -1
}
has_slaac() { [ -n "$(slaac "$1")" ]; }
ra_default() { ip -6 route show table main default dev nmsr1 | grep -q "^default via $1 .*proto ra"; }
rule_of() { ip -6 rule show | grep -qE "^[0-9]+:[[:space:]]+from $(re_quote "$1") lookup $T1 proto $P"; }
table_default() { ip -6 route show table "$T1" default | grep -qE "^default via $(re_quote "$1") dev nmsr1 proto $P"; }

wait_for 10 has_slaac 2001:db8:b && wait_for 10 ra_default fe80::2 ||
	fail "NetworkManager took no SLAAC address or RA default from router B:
$(state)"
AB=$(slaac 2001:db8:b)
note "activated: nmsr1 has $AB, default via fe80::2 (proto ra)"
wait_for 2 rule_of "$AB" && wait_for 2 table_default fe80::2 ||
	fail "no rule for $AB or no default via fe80::2 in table $T1 after activation:
$(state)"
hello_connect far "$AB" || fail "no answer from $AB to the far side after activation:
$(state)"

# change WHAT: remember where the logs stand before a change of the router's.
change() {
	note "---- $1 ----"
	HOOK_N=$(grep -c . "$NM_SB/done")
	WATCH_N=$(grep -c . "$SR_TMP/watch.log")
	EV_N=$(ws_events_now)
}
# by_watcher WHAT: the watcher acted on nmsr1's IPv6 since `change`; the hook calls are noted.
# (NetworkManager 1.42 dispatches nothing for an advertisement's change after activation; if
# a later one did, the hook may have done the work first and the watcher found it done.)
by_watcher() {
	hook_calls=$(tail -n +"$((HOOK_N + 1))" "$NM_SB/done")
	if [ -n "$hook_calls" ]; then
		note "$1: NetworkManager dispatched: $(printf '%s' "$hook_calls" | tr '\n' ';')"
		return 0
	fi
	note "$1: NetworkManager dispatched nothing"
	assert_match "$(tail -n +"$((WATCH_N + 1))" "$SR_TMP/watch.log")" \
		"watch: nmsr1 IPv6: up \([0-9]+ changes?\)" "$1: the watcher logs its action on nmsr1"
}

# ---- 1. a new prefix: 2001:db8:c::/64 advertised beside the old one ----
change "router B advertises 2001:db8:c::/64 too"
addr rb srv 2001:db8:c::1/64
ws_radvd_reload rb srv b 2001:db8:b::/64 2001:db8:c::/64
wait_for 10 has_slaac 2001:db8:c || fail "NetworkManager took no address in 2001:db8:c::/64:
$(state)"
AC=$(slaac 2001:db8:c)
note "nmsr1 has $AC too"
wait_for 2 rule_of "$AC" || fail "no rule for the new address $AC within 2 s:
$(state)"
ws_reaction "new address $AC" "^\[[^]]*\] [0-9]+: nmsr1 +inet6 $(re_quote "$AC")/64 " \
	"^\[[^]]*\] [0-9]+:[[:space:]]+from $(re_quote "$AC") lookup $T1 " "$EV_N"
[ "$WS_MS" -le 2000 ] || fail "the new address's rule came $WS_MS ms after the address (target: 2 s)"
by_watcher "new prefix"
assert_match "$(ip -6 rule show)" "from $(re_quote "$AB") lookup $T1 " "the first address keeps its rule"
assert_count "$(ip -6 rule show)" "from $(re_quote "$AC") lookup $T1 " 1 "one rule for $AC"
hello_connect far "$AC" || fail "no answer from the new address $AC to the far side:
$(state)"

# ---- 2. the router's link-local address changes: the default gateway with it ----
# radvd's last advertisement on stopping has router lifetime 0: NetworkManager drops the
# default via fe80::2; then B comes back as fe80::3 with the same prefixes.
change "router B's link-local address: fe80::2 -> fe80::3"
bg_stop "$RADVD_PID"
wait_for 10 sh -c "! ip -6 route show table main default dev nmsr1 proto ra | grep -q 'via fe80::2 '" ||
	fail "NetworkManager kept its default via fe80::2 after the router's last advertisement:
$(state)"
ws_router_ll rb srv fe80::3
ws_radvd rb srv b 2001:db8:b::/64 2001:db8:c::/64
wait_for 10 ra_default fe80::3 || fail "NetworkManager took no default via fe80::3:
$(state)"
wait_for 2 table_default fe80::3 || fail "no default via fe80::3 in table $T1 within 2 s:
$(state)"
ws_reaction "new gateway fe80::3" "^\[[^]]*\] default via fe80::3 dev nmsr1 proto ra" \
	"^\[[^]]*\] default via fe80::3 dev nmsr1 table $T1 " "$EV_N"
[ "$WS_MS" -le 2000 ] || fail "the new default came $WS_MS ms after NetworkManager's (target: 2 s)"
by_watcher "new router address"
assert_not_contains "$(ip -6 route show table "$T1")" "via fe80::2 " "no default via fe80::2 left in table $T1"
note "after the change:"; sr_indent "$(state)"
for a in "$AC" "$AB" 2001:db8:a::10; do
	hello_connect far "$a" || fail "no answer from $a to the far side after the router's change:
$(state)"
done

ws_watch_stop
pass "NetworkManager, ipv6.method=auto: a new prefix and a new router address after activation, the watcher follows within 2 s"
