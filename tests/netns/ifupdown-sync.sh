#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: issue 16: `symroute sync` on a host run by ifupdown, not NetworkManager.
#
# symroute installed after the interfaces came up (no hook ran): one `symroute sync` brings
# every interface ifupdown has up in line, with the stanza's symroute-gateway for the second
# uplink (no default of its own in main); `sync -n` before it prints what it would send and
# changes nothing; a second sync sends nothing; a stanza changed to `symroute off` loses what
# is ours at the next sync, and the other interface keeps its own.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"
. "$(dirname "$0")/ifupdown-lib.sh"
ifud_uplinks_up no-hooks	# symroute installed after the interfaces came up
T0=$(table_of . eth0)
T1=$(table_of . eth1)
hello_listen .

snapshot . "$SR_TMP/before"
sr_ok sync -n
note "symroute sync -n:"; sr_indent "$SR_OUT"
snapshot . "$SR_TMP/after"
assert_files_eq "$SR_TMP/before" "$SR_TMP/after" "sync -n changes nothing"
assert_match "$SR_OUT" "^ip -4 route add default via 203\.0\.113\.1 dev eth1 table $T1 " \
	"sync -n: eth1's IPv4 default from its stanza"
assert_match "$SR_OUT" "^ip -6 rule add priority 31100 from 2001:db8:a::10 lookup $T0 " \
	"sync -n: eth0's IPv6 rule"

sr_ok sync
assert_match "$(ip -4 rule show)" "^31100:[[:space:]]+from 198\.51\.100\.10 lookup $T0 proto $P" "eth0's IPv4 rule"
assert_match "$(ip -6 rule show)" "^31100:[[:space:]]+from 2001:db8:b::20 lookup $T1 proto $P" "eth1's IPv6 rule"
assert_match "$(ifud_table_routes "$T1" -4)" "^default via 203\.0\.113\.1 dev eth1 proto $P" \
	"eth1's IPv4 table has the stanza's default"
assert_match "$(ifud_table_routes "$T1" -6)" "^default via 2001:db8:b::1 dev eth1 proto $P" \
	"eth1's IPv6 table has the stanza's default"
for a in 198.51.100.10 203.0.113.20 2001:db8:a::10 2001:db8:b::20; do
	hello_connect far "$a" || fail "after sync: no answer from $a to the far side"
done
sr_ok check
assert_no_match "$SR_OUT" "^FAIL" "check after sync: no FAIL"

snapshot . "$SR_TMP/synced"
monitor_start
sr_ok sync
monitor_stop
snapshot . "$SR_TMP/again"
assert_files_eq "$SR_TMP/synced" "$SR_TMP/again" "a second sync: the same state"
assert_eq "" "$MON_EVENTS" "a second sync sends nothing"

# eth1's stanza now says `symroute off`: the next sync takes what is ours away, eth0's stays.
ifud_uplink_stanzas "symroute off" >/etc/network/interfaces
sr_ok sync
assert_not_contains "$(ip -4 rule show; ip -6 rule show)" "lookup $T1 " "symroute off: eth1's rules are gone"
assert_eq "" "$(ifud_table_routes "$T1" -4; ifud_table_routes "$T1" -6)" "symroute off: eth1's tables are empty"
assert_match "$(ip -4 rule show)" "^31100:[[:space:]]+from 198\.51\.100\.10 lookup $T0 proto $P" \
	"symroute off on eth1: eth0's rule stays"
pass "sync on an ifupdown host: every interface in line, stanza gateways, a repeat sends nothing, off removes"
