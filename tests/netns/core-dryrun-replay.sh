#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: differential test of --dry-run. Two identical namespaces, A and B: the lines
# `symroute --dry-run` prints in A are replayed with the real `ip` in B, symroute then runs
# for real in A, and both states must be identical. Proof that the netlink messages mean
# what the text claims (and that the dry run changes nothing).
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"

# twin NS: a host with two uplinks. Fixed MAC addresses make the link-local addresses (and
# their routes in table local) the same in both twins; links are created in the same order,
# so the ifindexes (and the automatic table numbers) are the same as well.
twin() {
	ns_add "$1"
	ns_add "$1p"
	veth_pair "$1" eth0 "$1p" up0 02:00:00:00:00:10 02:00:00:00:01:10
	veth_pair "$1" eth1 "$1p" up1 02:00:00:00:00:20 02:00:00:00:01:20
	addr "$1" eth0 198.51.100.10/25 2001:db8:a::10/64
	addr "$1" eth1 203.0.113.20/25 203.0.113.21/25 2001:db8:b::20/64
	addr "$1p" up0 198.51.100.1/25 2001:db8:a::1/64 fe80::1/64
	addr "$1p" up1 203.0.113.1/25 fe80::1/64
	ip_ns "$1" -4 route add default via 198.51.100.1 || hard_error "$1: default route"
}
twin A
twin B
settle A Ap B Bp
for i in eth0 eth1; do
	[ "$(ifindex A $i)" = "$(ifindex B $i)" ] ||
		hard_error "the twins' $i have different ifindexes: $(ifindex A $i) vs $(ifindex B $i)"
done

# replay FILE: run each line of FILE, an `ip` command, in B.
replay() {
	while IFS= read -r line; do
		case $line in
		'' | '#'*) continue ;;
		'ip -4 route '* | 'ip -6 route '* | 'ip -4 rule '* | 'ip -6 rule '*) ;;
		*) fail "--dry-run printed a line that is not an ip route/rule command: '$line'" ;;
		esac
		set -f
		# shellcheck disable=SC2086
		set -- $line
		set +f
		shift
		note "B: ip $*"
		ip_ns B "$@" >"$SR_TMP/replay.err" 2>&1 ||
			fail "replaying '$line' in B failed: $(cat "$SR_TMP/replay.err")"
	done <"$1"
}

N=0
# step ARGS...: dry run in A, replay in B, real run in A, compare.
step() {
	N=$((N + 1))
	note "--- step $N: symroute $*"
	snapshot A "$SR_TMP/a0"
	sr_ok_in A "$@" --dry-run
	printf '%s\n' "$SR_OUT" >"$SR_TMP/lines"
	sr_indent "$SR_OUT"
	snapshot A "$SR_TMP/a1"
	assert_files_eq "$SR_TMP/a0" "$SR_TMP/a1" "step $N: --dry-run changed nothing"
	replay "$SR_TMP/lines"
	sr_ok_in A "$@"
	snapshot A "$SR_TMP/a2"
	snapshot B "$SR_TMP/b2"
	assert_files_eq "$SR_TMP/a2" "$SR_TMP/b2" \
		"step $N (symroute $*): A after symroute = B after replaying its --dry-run"
	LINES=$(grep -c '^ip ' "$SR_TMP/lines")
}

step up eth0 -4
[ "$LINES" -ge 3 ] || fail "step 1 printed only $LINES commands"
assert_contains "$(cat "$SR_TMP/a2")" "proto $P" "step 1 did install something"
step up eth0 -4
assert_eq 0 "$LINES" "step 2 (the same up again): no command to run"
step up eth0 --gateway 2001:db8:a::1
step up eth1 --gateway 203.0.113.1 --gateway fe80::1 --to-rule --priority 30500
step up eth0 -4 --onlink
step up eth1 --gateway 203.0.113.1 --gateway fe80::1 --table 4242 --no-main-default
step down eth0 -6
step down eth0
step down eth1
assert_not_contains "$(cat "$SR_TMP/a2")" "proto $P" "in the end nothing of ours remains"

pass "--dry-run prints what symroute does, command for command"
