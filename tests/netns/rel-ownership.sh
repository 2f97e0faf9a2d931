#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: one answer to "is this ours" across the readers: objects with symroute's tag but a
# shape it never writes are nobody's to show, count, call orphan or duplicate, or remove.
#
# Issue 16, item 5: the test existed in five forms (have.c, inventory.c, status.c, check.c,
# reconcile.c) that disagreed: status listed an fwmark rule as "from all lookup T". Every
# reader now uses have_rule_ours()/have_route_ours(). Each row below is one tricky object;
# each reader is asked about every row.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"

topo_two_uplinks
sr_ok up eth0
sr_ok up eth1 --gateway 203.0.113.1
T0=$(table_of . eth0)
T1=$(table_of . eth1)

# ID	how it is made (ip ARGS)	how `ip` lists it afterwards (ERE)
ROWS="fwmark	-4 rule add priority 31100 fwmark 0x6 lookup $T1 proto 73	fwmark 0x6 lookup $T1
iif	-4 rule add priority 31100 iif eth0 lookup $T1 proto 73	iif eth0 lookup $T1
fwmark-dead	-4 rule add priority 31100 fwmark 0x7 lookup 1000099 proto 73	fwmark 0x7 lookup 1000099
tos	-4 rule add priority 31100 from 203.0.113.20 tos 0x10 lookup $T1 proto 73	from 203\.0\.113\.20 tos 0x10 lookup $T1
route-tos	-4 route add 192.0.2.0/24 tos 0x10 via 198.51.100.1 dev eth0 table 500 proto 73	192\.0\.2\.0/24 tos 0x10 via 198\.51\.100\.1"
while IFS='	' read -r id make listed; do
	# shellcheck disable=SC2086 # the row's words
	ip $make || hard_error "$id: cannot make it"
done <<ROWS_END
$ROWS
ROWS_END
snapshot . "$SR_TMP/s0"
present() {
	while IFS='	' read -r id make listed; do
		if [ "$id" = route-tos ]; then
			assert_match "$(ip -4 route show table 500)" "$listed" "$1: $id is still there"
		else
			assert_match "$(ip -4 rule show)" "$listed" "$1: $id is still there"
		fi
	done <<ROWS_END
$ROWS
ROWS_END
}

# show: only eth1's own rule looks up its table; nothing of table 500.
sr_ok show
note "symroute show:"; sr_indent "$SR_OUT"
assert_count "$SR_OUT" "^rule .* lookup $T1 " 1 "show: one rule of ours for eth1's table"
assert_no_match "$SR_OUT" "table 500|1000099" "show: neither the tos route nor the dead-table rule"

# status: eth1 in sync with its one rule; no orphan; nothing of table 500.
sr_ok status --json
J=$SR_OUT
assert_contains "$J" '"summary":{"ok":true,' "status: in sync, no orphan (exit 0)"
assert_no_match "$J" '"table":500' "status: the tos route is nobody's"
sr_ok status eth1
assert_count "$SR_OUT" "^    rule  " 1 "status: eth1 has one rule of ours"

# check: no orphan, no duplicate, in sync.
sr_ok check
assert_match "$SR_OUT" "^PASS no orphan rule of ours" "check: no orphan"
assert_match "$SR_OUT" "^PASS no duplicate rule of ours" "check: the two fwmark rules are no duplicate of ours"

# up: nothing to change, nothing removed.
sr_ok up eth1 --gateway 203.0.113.1 --dry-run
assert_eq "" "$SR_OUT" "up --dry-run: nothing to change"
sr_ok up eth1 --gateway 203.0.113.1
snapshot . "$SR_TMP/s"
assert_files_eq "$SR_TMP/s0" "$SR_TMP/s" "up: nothing changed"

# flush: every rule and route of ours goes; these stay.
note "before flush:"; sr_indent "$(ip -4 rule show)"
sr_ok flush -n
note "flush --dry-run:"; sr_indent "$SR_OUT"
sr_ok flush
assert_no_match "$(ip -4 rule show)" "from 203\.0\.113\.20 lookup $T1 proto|lookup $T0 " "flush removed ours"
present flush

pass "every reader leaves objects of our tag but not our shape alone"
