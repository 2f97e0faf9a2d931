#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: issue 16: `symroute sync` on a host run by ifupdown, not NetworkManager.
#
# symroute installed after the interfaces came up (no hook ran): one `symroute sync` brings
# every interface ifupdown has up in line, with the stanza's symroute-gateway for the second
# uplink (no default of its own in main); `sync -n` before it prints what it would send and
# changes nothing; a second sync sends nothing; `sync IFACE` repairs that interface alone; a
# link deleted without a down loses what is ours at `sync LINK`; a stanza changed to
# `symroute off` loses what is ours at the next sync, and the other interface keeps its own.
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

# Both lose their IPv4 rules; `sync eth1` repairs eth1's alone, `sync eth0` then eth0's.
ip -4 rule del priority 31100 from 198.51.100.10 lookup "$T0" || hard_error "cannot delete eth0's rule"
ip -4 rule del priority 31100 from 203.0.113.20 lookup "$T1" || hard_error "cannot delete eth1's rule"
ip -4 route flush table "$T1" || hard_error "cannot flush eth1's table"
sr_ok sync -v eth1
note "symroute sync eth1:"; sr_indent "$SR_ERR"
assert_match "$(ip -4 rule show)" "^31100:[[:space:]]+from 203\.0\.113\.20 lookup $T1 proto $P" \
	"sync eth1: eth1's rule is back"
assert_match "$(ifud_table_routes "$T1" -4)" "^default via 203\.0\.113\.1 dev eth1 proto $P" \
	"sync eth1: eth1's table has the stanza's default again"
assert_no_match "$(ip -4 rule show)" "from 198\.51\.100\.10 " "sync eth1 leaves eth0 alone"
sr_ok sync eth0
assert_match "$(ip -4 rule show)" "^31100:[[:space:]]+from 198\.51\.100\.10 lookup $T0 proto $P" \
	"sync eth0: eth0's rule is back"
snapshot . "$SR_TMP/synced"
# The same rules and routes (two rules of one priority list in the order they were added).
assert_eq "$(sort "$SR_TMP/again")" "$(sort "$SR_TMP/synced")" \
	"sync eth1, sync eth0: the state of a full sync"
sr sync -n eth1 --table 7
assert_eq 2 "$SR_RC" "sync IFACE takes no option of up's (exit 2)"

# A third link, routed by hand, deleted without a down: `sync LINK` removes what was ours.
ip link add eth7 type veth peer name eth7p && ip link set eth7 up && ip link set eth7p up && ip addr add 192.0.2.7/24 dev eth7 ||
	hard_error "cannot make eth7"
sr_ok up eth7 --gateway 192.0.2.1
T7=$(table_of . eth7)
ip link del eth7 || hard_error "cannot delete eth7"
assert_match "$(ip -4 rule show)" "lookup $T7 " "eth7's rule outlived its link (no down ran)"
sr_ok sync -v eth7
assert_contains "$SR_ERR" "eth7: no such link: removing what is ours" "sync eth7 says why it removes"
assert_not_contains "$(ip -4 rule show)" "lookup $T7 " "sync eth7: its rule is gone"
snapshot . "$SR_TMP/again"
assert_files_eq "$SR_TMP/synced" "$SR_TMP/again" "sync eth7 touched nothing else"

# eth1's stanza now says `symroute off`: the next sync takes what is ours away, eth0's stays.
ifud_uplink_stanzas "symroute off" >/etc/network/interfaces
sr_ok sync
assert_not_contains "$(ip -4 rule show; ip -6 rule show)" "lookup $T1 " "symroute off: eth1's rules are gone"
assert_eq "" "$(ifud_table_routes "$T1" -4; ifud_table_routes "$T1" -6)" "symroute off: eth1's tables are empty"
assert_match "$(ip -4 rule show)" "^31100:[[:space:]]+from 198\.51\.100\.10 lookup $T0 proto $P" \
	"symroute off on eth1: eth0's rule stays"
pass "sync on an ifupdown host: every interface in line, stanza gateways, a repeat sends nothing, sync IFACE, a gone link, off removes"
