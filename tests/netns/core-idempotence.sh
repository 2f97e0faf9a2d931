#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: up twice and down twice: the second run changes nothing (not even a delete and
# re-add: `ip monitor` must see no notification), and the last down restores the state
# found before the first up, both families, rules and every table.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"

topo_two_uplinks v6
T0=$(table_of . eth0)
T1=$(table_of . eth1)
M0=$((T0))	# fallback default metric = 1000000 + ifindex = the table number here
M1=$((T1))

# Main has an IPv4 default (via eth0, not ours) and no IPv6 default: symroute adds a
# fallback default of its own for each interface and family, behind main's own (issue 20).
snapshot . "$SR_TMP/s0"

# up_eth0 / up_eth1 / down_eth0 / down_eth1, each run twice by twice().
up_eth0() { sr_ok up eth0 --gateway 198.51.100.1 --gateway 2001:db8:a::1; }
up_eth1() { sr_ok up eth1 --gateway 203.0.113.1 --gateway fe80::1; }
down_eth0() { sr_ok down eth0; }
down_eth1() { sr_ok down eth1; }

# twice STEP: run STEP, snapshot, run it again watching netlink, snapshot again; the second
# run must send nothing and leave the identical state. Leaves the state in $SR_TMP/after.
twice() {
	$1
	snapshot . "$SR_TMP/first"
	monitor_start
	$1
	monitor_stop
	snapshot . "$SR_TMP/after"
	assert_files_eq "$SR_TMP/first" "$SR_TMP/after" "$1 run twice: the state after the second run"
	assert_eq "" "$MON_EVENTS" "$1 run twice: route/rule notifications during the second run"
}

twice up_eth0
S=$(cat "$SR_TMP/after")
assert_match "$S" "^31100:[[:space:]]+from 198\.51\.100\.10 lookup $T0 proto $P ?\$" "eth0 up: IPv4 rule"
assert_match "$S" "^31100:[[:space:]]+from 2001:db8:a::10 lookup $T0 proto $P ?\$" "eth0 up: IPv6 rule"
assert_count "$S" "^31000:[[:space:]]+from all lookup main suppress_prefixlength 0 proto $P ?\$" 2 \
	"eth0 up: the shared suppress rule, once per family"
assert_match "$S" "^unicast default via 2001:db8:a::1 dev eth0 table main proto $P .*metric $M0 " \
	"eth0 up: IPv6 fallback default in main (main had none)"
assert_match "$S" "^unicast default via 198\.51\.100\.1 dev eth0 table main proto $P .*metric $M0 " \
	"eth0 up: IPv4 fallback default too, behind main's own"

twice up_eth1
S=$(cat "$SR_TMP/after")
assert_match "$S" "^31100:[[:space:]]+from 203\.0\.113\.20 lookup $T1 proto $P ?\$" "eth1 up: IPv4 rule"
assert_match "$S" "^31100:[[:space:]]+from 2001:db8:b::20 lookup $T1 proto $P ?\$" "eth1 up: IPv6 rule"
assert_count "$S" "^31000:[[:space:]]+from all lookup main suppress_prefixlength 0 proto $P ?\$" 2 \
	"eth1 up: still one shared suppress rule per family"
assert_match "$S" "^unicast default via fe80::1 dev eth1 table main proto $P .*metric $M1 " \
	"eth1 up: IPv6 fallback default in main"
assert_match "$S" "^unicast default via 203\.0\.113\.1 dev eth1 table main proto $P .*metric $M1 " \
	"eth1 up: IPv4 fallback default in main"
assert_match "$S" "^unicast default via 203\.0\.113\.1 dev eth1 table $T1 proto $P " \
	"eth1 up: IPv4 default in eth1's table"
assert_match "$S" "^unicast default via fe80::1 dev eth1 table $T1 proto $P .*$FP " \
	"eth1 up: IPv6 default in eth1's table"

twice down_eth0
S=$(cat "$SR_TMP/after")
assert_not_contains "$S" "lookup $T0 " "eth0 down: no rule for eth0's table"
assert_not_contains "$S" "table $T0 " "eth0 down: eth0's table is empty"
assert_no_match "$S" "dev eth0 proto $P" "eth0 down: nothing of ours via eth0"
assert_count "$S" "^31000:[[:space:]]+from all lookup main suppress_prefixlength 0 proto $P ?\$" 2 \
	"eth0 down: the shared rules stay while eth1 is managed"
assert_match "$S" "^unicast default via fe80::1 dev eth1 table main proto $P .*metric $M1 " \
	"eth0 down: eth1's fallback default stays"
assert_match "$S" "^unicast default via 203\.0\.113\.1 dev eth1 table main proto $P .*metric $M1 " \
	"eth0 down: eth1's IPv4 fallback default stays"

twice down_eth1
assert_files_eq "$SR_TMP/s0" "$SR_TMP/after" "after the last down: the state before the first up"

pass "up/up and down/down are idempotent, and down restores the original state"
