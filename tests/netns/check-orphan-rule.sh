#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: `symroute check` catches an orphan rule of ours (its interface was deleted while no
# symroute run saw it go), and `symroute sync` sweeps it away (an up whose table vouches for
# its rules reads none). A rule of our tag with an fwmark is not ours (sync keeps it): no
# reader calls it an orphan or lists it as ours.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"

topo_two_uplinks
sr_ok up eth0
sr_ok up eth1 --gateway 203.0.113.1

# A third link, managed, then deleted behind symroute's back: the kernel drops its routes,
# never rules.
veth_pair . eth2 ra x2
addr . eth2 203.0.113.150/26
T2=$(table_of . eth2)
sr_ok up eth2 --gateway 203.0.113.129
sr_ok check
ip_ns . link del eth2
# Someone's mark-based rule with our tag, into the dead table and into eth1's.
T1=$(table_of . eth1)
ip_ns . -4 rule add priority 31100 fwmark 0x5 lookup "$T2" proto 73 || hard_error "fwmark rule"
ip_ns . -4 rule add priority 31100 fwmark 0x6 lookup "$T1" proto 73 || hard_error "fwmark rule"

sr_expect 7 check
note "symroute check:"; sr_indent "$SR_OUT"
assert_match "$SR_OUT" "^FAIL orphan rule of ours 'priority 31100 from 203\.0\.113\.150 lookup $T2 proto 73': the interface of table $T2 is gone \(symroute sync or flush removes it\) \| ip -4 rule show table $T2\$" \
	"check names the orphan rule and the command that shows it"
assert_not_contains "$SR_OUT" "PASS no orphan" "no claim that there is no orphan"
assert_count "$SR_OUT" "^FAIL orphan rule" 1 "check: one orphan, not the fwmark rule"

sr_expect 9 status --json	# an orphan: exit 9 for monitoring
assert_contains "$SR_OUT" '"summary":{"ok":false,' "status --json: the summary is not ok"
assert_contains "$SR_OUT" '"orphan_rules":1}' "status --json: the summary counts the orphan"
assert_contains "$SR_OUT" "\"orphan_rules\":[{\"family\":\"ipv4\",\"priority\":31100,\"from\":\"203.0.113.150\",\"to\":null,\"table\":$T2," \
	"status --json lists the orphan"
assert_contains "$SR_OUT" '"drift":[]' "orphans are not counted as an interface's drift"
assert_contains "$SR_OUT" '"orphan_rules":1}' "status: one orphan, not the fwmark rule"
sr status eth1
assert_no_match "$SR_OUT" "rule  priority 31100 from all lookup $T1" \
	"status does not list the fwmark rule as eth1's (it would read 'from all lookup')"

sr_ok sync eth0
sr_ok check
assert_match "$SR_OUT" "^PASS no orphan rule of ours" "symroute sync swept the orphan"
assert_match "$(ip -4 rule show)" "fwmark 0x5 lookup $T2 proto $P" "sync kept the fwmark rule (dead table)"
assert_match "$(ip -4 rule show)" "fwmark 0x6 lookup $T1 proto $P" "sync kept the fwmark rule (eth1's)"
pass "orphan rules are caught; exit 7"
