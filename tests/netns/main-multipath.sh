#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: main-mode = multipath: one default of ours in main with a weighted next hop per uplink,
# IPv4 and IPv6; flows spread by weight (1:3) within tolerance; rebuilt in place (replace, never
# delete and add) when an uplink comes or goes, keeping the other's weight; correct after up and
# down events of both uplinks run concurrently from several processes.
# main-multipath-narrow.sh runs it again with narrow = true.
# main-multipath-narrow.sh gives its own (narrow = true as well).
SR_CONFIG_TEXT=${SR_CONFIG_TEXT:-'[symroute]
main-mode = multipath'}
export SR_CONFIG_TEXT
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"

topo_two_uplinks v6
addr ra cli 2001:db8:ff::1/128
addr rb cli 2001:db8:ff::1/128
ip_ns . -4 route del default || hard_error "cannot remove the server's default route"
# Hash on ports too (layer 4), so that lookups with different ports show the spread.
ns_sysctl . net.ipv4.fib_multipath_hash_policy 1
ns_sysctl . net.ipv6.fib_multipath_hash_policy 1
# A fixed hash seed (Linux 6.11+; the kernel's own seed is random per boot): the same flows
# then take the same next hops on every run. Older kernels keep the random seed, and the
# tolerance below is some fifteen standard deviations of 2000 flows.
[ -w /proc/sys/net/ipv4/fib_multipath_hash_seed ] &&
	ns_sysctl . net.ipv4.fib_multipath_hash_seed 7

UP0="up eth0 --gateway 198.51.100.1 --gateway fe80::1 --weight 1"
UP1="up eth1 --gateway 203.0.113.1 --gateway fe80::1 --weight 3"
# The routes of ours in main, one line per route with its next hops.
main_ours() { ip "$1" route show table main | sed -e ':a' -e 'N;$!ba' -e 's/\n\t/ /g' | grep "proto $P"; }
BOTH4="default proto $P metric 1000 nexthop via 198.51.100.1 dev eth0 weight 1 onlink nexthop via 203.0.113.1 dev eth1 weight 3 onlink"
BOTH6="default proto $P metric 1000 pref medium nexthop via fe80::1 dev eth0 weight 1 onlink nexthop via fe80::1 dev eth1 weight 3 onlink"
ONLY0_4="default via 198.51.100.1 dev eth0 proto $P metric 1000 onlink"
ONLY0_6="default via fe80::1 dev eth0 proto $P metric 1000 onlink pref medium"
ONLY1_4="default via 203.0.113.1 dev eth1 proto $P metric 1000 onlink"
ONLY1_6="default via fe80::1 dev eth1 proto $P metric 1000 onlink pref medium"
# Trailing blanks from `ip` are not part of the state.
check_main() {
	assert_eq "$1" "$(main_ours -4 | sed 's/ *$//; s/  */ /g')" "$3 (IPv4)"
	assert_eq "$2" "$(main_ours -6 | sed 's/ *$//; s/  */ /g')" "$3 (IPv6)"
}

# 1. One uplink: a single path; two: one route, two weighted next hops.
sr_ok $UP0
check_main "$ONLY0_4" "$ONLY0_6" "eth0 alone: a single path"
# The dry run's text means what symroute sends: replayed with `ip`, it gives the same state.
sr_ok $UP1 --dry-run
note "dry run:"; sr_indent "$SR_OUT"
assert_match "$SR_OUT" "^ip -4 route replace default table main proto 73 metric 1000 nexthop via 198\.51\.100\.1 dev eth0 weight 1 onlink nexthop via 203\.0\.113\.1 dev eth1 weight 3 onlink\$" \
	"dry run: the multipath route, replaced"
printf '%s\n' "$SR_OUT" | grep '^ip ' | while read -r line; do
	$line || exit 1
done || fail "replaying the dry run with ip failed"
check_main "$BOTH4" "$BOTH6" "both: one route, weights 1 and 3"
sr_ok $UP1 -v
assert_contains "$SR_ERR" "already in place" "after the replayed dry run: nothing to change"
snapshot . "$SR_TMP/before"
sr_ok $UP1
sr_ok $UP0
snapshot . "$SR_TMP/after"
assert_files_eq "$SR_TMP/before" "$SR_TMP/after" "repeated ups change nothing"

# 2. Flows spread by weight: 2000 lookups with different destinations and ports.
spread() {	# FAMILY-FLAG PREFIX: prints the share of eth1, in percent
	i=0
	while [ $i -lt 2000 ]; do
		if [ "$1" = -4 ]; then
			d="198.18.$((i / 250)).$((i % 250 + 1))"
		else
			d="2001:db8:ff::$(printf %x $((i + 1)))"
		fi
		echo "route get $d ipproto tcp sport $((20000 + i * 7 % 30000)) dport 443"
		i=$((i + 1))
	done >"$SR_TMP/batch"
	ip "$1" -batch "$SR_TMP/batch" >"$SR_TMP/lookups" 2>&1 || { cat "$SR_TMP/lookups"; return 1; }
	n0=$(grep -c ' dev eth0 ' "$SR_TMP/lookups")
	n1=$(grep -c ' dev eth1 ' "$SR_TMP/lookups")
	[ $((n0 + n1)) -eq 2000 ] || { echo "only $((n0 + n1)) answers"; return 1; }
	echo $((n1 * 100 / 2000))
}
for f in -4 -6; do
	share=$(spread $f) || fail "ip $f route get failed: $share"
	note "ip $f: eth1 (weight 3 of 4) took $share% of 2000 flows"
	[ "$share" -ge 60 ] && [ "$share" -le 90 ] || fail "ip $f: eth1's share $share% is not 75% +/- 15%"
done

# 3. An uplink goes: rebuilt in place; it comes back: its weight and the other's are right.
monitor_start
sr_ok down eth0
check_main "$ONLY1_4" "$ONLY1_6" "eth0 down: only eth1's next hop"
sr_ok $UP0
check_main "$BOTH4" "$BOTH6" "eth0 back: eth1 keeps weight 3"
monitor_stop
note "ip monitor:"; sr_indent "$MON_EVENTS"
assert_not_contains "$(printf '%s\n' "$MON_EVENTS" | grep '^Deleted' | grep -v 'table')" \
	"Deleted default" "main's default was replaced, never deleted"
sr_ok down eth1
check_main "$ONLY0_4" "$ONLY0_6" "eth1 down: only eth0's next hop"
sr_ok down eth0
assert_eq "" "$(main_ours -4; main_ours -6)" "the last next hop gone: no route of ours in main"
sr_ok $UP1
sr_ok $UP0
check_main "$BOTH4" "$BOTH6" "up again in the other order: the same route"

# 4. Concurrent events: several processes per uplink, up and down in a loop for 3 seconds,
# each ending with the same last event per uplink; the route must match those last events.
churn() {	# SECONDS LAST-EVENT UP-ARGS...
	ch_end=$(($(date +%s) + $1))
	ch_last=$2
	shift 2
	ch_rc=0
	while [ "$(date +%s)" -lt "$ch_end" ]; do
		sr_exec . "$@" >/dev/null 2>>"$SR_TMP/churn.err" || ch_rc=1
		sr_exec . down "$2" >/dev/null 2>>"$SR_TMP/churn.err" || ch_rc=1
	done
	if [ "$ch_last" = up ]; then
		sr_exec . "$@" >/dev/null 2>>"$SR_TMP/churn.err" || ch_rc=1
	else
		sr_exec . down "$2" >/dev/null 2>>"$SR_TMP/churn.err" || ch_rc=1
	fi
	return $ch_rc
}
round() {	# LAST-EVENT-OF-eth0 LAST-EVENT-OF-eth1
	: >"$SR_TMP/churn.err"
	pids=
	for k in 1 2; do
		churn 3 "$1" $UP0 &
		pids="$pids $!"
		churn 3 "$2" $UP1 &
		pids="$pids $!"
	done
	rc=0
	for p in $pids; do
		wait "$p" || rc=1
	done
	[ "$rc" = 0 ] || fail "a concurrent run failed: $(cat "$SR_TMP/churn.err")"
	note "round (eth0 $1, eth1 $2): $(grep -c . "$SR_TMP/churn.err") log lines, no failure"
}
round up down
check_main "$ONLY0_4" "$ONLY0_6" "concurrent, last events up eth0 and down eth1"
round down up
check_main "$ONLY1_4" "$ONLY1_6" "concurrent, last events down eth0 and up eth1"
round up up
check_main "$BOTH4" "$BOTH6" "concurrent, last events up for both: weights 1 and 3"
sr_ok $UP0 -v
assert_contains "$SR_ERR" "already in place" "after the storm: nothing left to change"

sr_ok down eth0
sr_ok down eth1
assert_not_contains "$(ip -4 route show table all; ip -6 route show table all; ip -4 rule; ip -6 rule)" \
	"proto $P" "nothing of ours is left"
pass
