#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: the watcher puts back the default of a table whose gateway only the iface stanza
# names (issue 16's symroute-gateway, issue 15's watcher): the usual second uplink, eth1, has
# no default of its own in main. Someone deletes the defaults of eth1's table; the watcher must
# bring back exactly what ifup left, as status and `up` by hand would, and not read the
# missing default as "no gateway" (which also took our fallback default out of main).
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"
. "$(dirname "$0")/ifupdown-lib.sh"
ifud_uplinks_up
# watch-lib.sh's exit trap prints the watcher's log on failure; ifupdown-lib.sh's only stops
# dhclients, which this test does not start.
. "$(dirname "$0")/watch-lib.sh"
T1=$(table_of . eth1)
snapshot . "$SR_TMP/good"
same_as_good() { snapshot . "$SR_TMP/now" && cmp -s "$SR_TMP/good" "$SR_TMP/now"; }

watch_start
watch_ready
for f in -4 -6; do
	ip $f route del default table "$T1" || hard_error "cannot delete the $f default of $T1"
	wait_for 2 same_as_good || {
		printf 'FAIL: the %s default of eth1'"'"'s table, deleted, not put back within 2 s\n' "$f"
		diff -u "$SR_TMP/good" "$SR_TMP/now" | sed 's/^/    /'
		exit 1
	}
done
sr_ok status eth1
assert_not_contains "$SR_OUT" "DRIFT" "status: in sync with the watcher"
hello_listen .
for a in 203.0.113.20 2001:db8:b::20; do
	hello_connect far "$a" || fail "no answer from $a to the far side after the repair"
done
watch_stop
ifud_ok ifdown eth1
ifud_ok ifdown eth0
pass "the watcher puts back a table default that only the stanza's symroute-gateway names"
