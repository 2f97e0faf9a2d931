#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: a table chosen by hand that another tool's rules look up is not taken over
# (issue 18, finding 3): exit 4, one line naming the interface, the table and the rules'
# count, nothing changed; in narrow mode too. Once the table is ours, rules added to it later
# are their author's choice; the automatic table is ours by its number.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"

ns_add peer
veth_pair . eth1 peer p1
addr . eth1 198.51.100.10/24 2001:db8:1::10/64
ip -4 route add default via 198.51.100.1 || hard_error "main default"
settle .
T1=$(table_of . eth1)
NARROW=$SR_TMP/narrow.conf
printf '[symroute]\nnarrow = true\n' >"$NARROW"

# A VPN's policy: marked packets look up table 100, which it fills when it connects.
ip -4 rule add priority 1000 fwmark 0x1 lookup 100 || hard_error "fwmark rule"
ip -6 rule add priority 1000 fwmark 0x1 lookup 101 || hard_error "fwmark rule (IPv6)"
snapshot . "$SR_TMP/s0"

for conf in "" "$NARROW"; do
	mode=${conf:+narrow}
	mode=${mode:-full}
	sr_expect 4 up eth1 -t 100 ${conf:+-c "$conf"}
	assert_eq 1 "$(printf '%s\n' "$SR_ERR" | grep -c .)" "$mode: one line"
	assert_contains "$SR_ERR" "eth1: table 100 is looked up by 1 IPv4 rule(s) that are not symroute's" \
		"$mode: the message names the interface, the table and the count"
	assert_contains "$SR_ERR" "refusing to take it over" "$mode: the message says what follows"
	snapshot . "$SR_TMP/s"
	assert_files_eq "$SR_TMP/s0" "$SR_TMP/s" "$mode: table 100 refused, nothing changed"
	# IPv6 alone is refused too: IPv4 would have been fine, but one run changes all or nothing.
	sr_expect 4 up eth1 -t 101 ${conf:+-c "$conf"}
	assert_contains "$SR_ERR" "eth1: table 101 is looked up by 1 IPv6 rule(s)" "$mode: IPv6"
	snapshot . "$SR_TMP/s"
	assert_files_eq "$SR_TMP/s0" "$SR_TMP/s" "$mode: table 101 refused, nothing changed"
done

# A table nobody's rules use is taken; a rule someone adds to it afterwards uses our table.
sr_ok up eth1 -t 102 -g 198.51.100.1
assert_match "$(ip -4 rule show)" "from 198\.51\.100\.10 lookup 102 proto $P" "table 102 taken"
ip -4 rule add priority 1001 fwmark 0x2 lookup 102 || hard_error "fwmark rule on 102"
sr_ok up eth1 -t 102 -g 198.51.100.1
sr_ok up eth1 -t 102 -g 198.51.100.1 -c "$NARROW"
sr_ok down eth1
ip -4 rule del priority 1001 fwmark 0x2 lookup 102

# The automatic table: symroute's by its number, whoever's rules look it up.
ip -4 rule add priority 1002 fwmark 0x3 lookup "$T1" || hard_error "fwmark rule on $T1"
sr_ok up eth1
assert_match "$(ip -4 rule show)" "from 198\.51\.100\.10 lookup $T1 proto $P" "automatic table used"
sr_ok down eth1

pass "a hand-picked table that foreign rules use is refused; ours and automatic ones are not"
