#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: `symroute check` on incomplete state: a missing rule of ours (the interface keeps its
# table), a table without its default route, an interface that is not managed at all.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"

topo_two_uplinks
T1=$(table_of . eth1)

# Nothing managed yet: only information, no failure.
sr_ok check
note "symroute check, nothing managed:"; sr_indent "$SR_OUT"
assert_match "$SR_OUT" "^INFO no interface is managed by symroute" "nothing managed"
assert_match "$SR_OUT" "^INFO eth0 IPv4 has global addresses and a default route but no table of symroute's \(not managed\) \| symroute up eth0 --dry-run\$" \
	"an interface with addresses and a default route but no table is named (info)"
sr_expect 7 check eth1
assert_match "$SR_OUT" "^FAIL eth1 is not managed by symroute: no rule or route of ours \| symroute up eth1 --dry-run\$" \
	"check IFACE on an interface that is not managed fails"
sr_expect 3 check nosuch0

sr_ok up eth0
sr_ok up eth1 --gateway 203.0.113.1
sr_ok check

# Our rule for eth1's address is gone; its table is still there.
ip_ns . -4 rule del priority 31100 from 203.0.113.20 lookup "$T1"
sr_expect 7 check
note "symroute check, rule gone:"; sr_indent "$SR_OUT"
assert_match "$SR_OUT" "^FAIL eth1 IPv4: table $T1 and its rules are not what symroute would install now \(incomplete or changed\): 1 change\(s\) pending, first: ip -4 rule add priority 31100 from 203\.0\.113\.20 lookup $T1 proto 73 \| symroute up eth1 -4 --dry-run\$" \
	"the missing rule is named as pending"
assert_match "$SR_OUT" "^FAIL eth1 IPv4 from 203\.0\.113\.20 leaves by eth0 via 198\.51\.100\.1 \(table main\), not by eth1: no rule of ours for this address; the kernel's rule 'priority 32766 from all lookup main proto 2' decides \| " \
	"the egress check says why"
sr_expect 9 status	# drift: exit 9 for monitoring
assert_match "$SR_OUT" "^  IPv4: table $T1: DRIFT, \`symroute up eth1\` would make 1 change\(s\)\$" "status: drift"
assert_contains "$SR_OUT" "    would run: ip -4 rule add priority 31100 from 203.0.113.20 lookup $T1 proto 73" \
	"status names the pending change"
sr_ok up eth1 --gateway 203.0.113.1
sr_ok check

# The table lost its default route.
ip_ns . -4 route del default table "$T1"
sr_expect 7 check
note "symroute check, default gone:"; sr_indent "$SR_OUT"
assert_match "$SR_OUT" "^FAIL eth1 IPv4 from 203\.0\.113\.20 leaves by eth0 via 198\.51\.100\.1 \(table main\), not by eth1: our table $T1 has no route for it \(no default route\?\): the lookup went on to table main" \
	"a table without a default route"

pass "incomplete state is named; unmanaged interfaces are information only"
