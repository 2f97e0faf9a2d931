#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: issue 16: the gateway an iface stanza names with symroute-gateway is the admin's
# word for `up` by hand and for status, also when it is in no table any more.
#
# The usual second uplink: eth1's stanzas have no `gateway` line (main has no default of its
# own via eth1), only symroute-gateway, one per family. Someone deletes the default routes of
# eth1's table. `symroute status` must call that drift (a table without its default sends
# eth1's replies by eth0), and its repair, `symroute up eth1` with no options, must put both
# defaults back from the stanza: before, it found no gateway anywhere and left the table with
# connected routes only (and took our fallback default out of main).
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"
. "$(dirname "$0")/ifupdown-lib.sh"
ifud_uplinks_up
T1=$(table_of . eth1)
hello_listen .
for a in 203.0.113.20 2001:db8:b::20; do
	hello_connect far "$a" || fail "after ifup: no answer from $a to the far side"
done
snapshot . "$SR_TMP/good"

# Someone deletes the defaults of eth1's table; symroute's rules stay.
ip -4 route del default table "$T1" || hard_error "cannot delete the IPv4 default of $T1"
ip -6 route del default table "$T1" || hard_error "cannot delete the IPv6 default of $T1"
sr_expect 9 status
note "symroute status, the table without its defaults:"; sr_indent "$SR_OUT"
assert_match "$SR_OUT" "^  IPv4: table $T1, priority 31100: DRIFT, \`symroute up eth1\` would make 1 change\(s\)\$" \
	"status: eth1's IPv4 table lost its default"
assert_match "$SR_OUT" "^  IPv6: table $T1, priority 31100: DRIFT, \`symroute up eth1\` would make 1 change\(s\)\$" \
	"status: eth1's IPv6 table lost its default"
assert_match "$SR_OUT" "would run: ip -4 route add default via 203\.0\.113\.1 dev eth1 table $T1 " \
	"status: the repair puts the stanza's IPv4 gateway back"
assert_match "$SR_OUT" "would run: ip -6 route add default via 2001:db8:b::1 dev eth1 table $T1 " \
	"status: the repair puts the stanza's IPv6 gateway back"

# The repair status names.
sr_ok up eth1 -v
note "symroute up eth1 -v:"; sr_indent "$SR_ERR"
assert_contains "$SR_ERR" "eth1: IPv4 gateway 203.0.113.1 from its iface stanza (symroute-gateway)" \
	"up says where the IPv4 gateway comes from"
assert_contains "$SR_ERR" "eth1: IPv6 gateway 2001:db8:b::1 from its iface stanza (symroute-gateway)" \
	"up says where the IPv6 gateway comes from"
assert_match "$(ifud_table_routes "$T1" -4)" "^default via 203\.0\.113\.1 dev eth1 proto $P" \
	"IPv4: eth1's table has its default again"
assert_match "$(ifud_table_routes "$T1" -6)" "^default via 2001:db8:b::1 dev eth1 proto $P" \
	"IPv6: eth1's table has its default again"
snapshot . "$SR_TMP/repaired"
assert_files_eq "$SR_TMP/good" "$SR_TMP/repaired" "after the repair, the state ifup left"
for a in 203.0.113.20 2001:db8:b::20; do
	hello_connect far "$a" || fail "after the repair: no answer from $a to the far side"
done
sr_ok status
assert_not_contains "$SR_OUT" "DRIFT" "status: in sync after the repair"

# A stanza's --gateway given by hand still wins, for its family only.
sr_ok up eth1 -4 --gateway 203.0.113.2 --dry-run
assert_contains "$SR_OUT" "default via 203.0.113.2 dev eth1 table $T1" "--gateway by hand wins over the stanza"
assert_not_contains "$SR_ERR" "from its iface stanza" "the stanza is not read for a family given by hand"

# The stanza's other knobs are the intent too: a to-rule (symroute-to-rule) someone deletes is
# drift, and `up` by hand puts it back (before, status read the knobs from the kernel alone:
# the rule gone, it called the interface in sync).
ifud_ok ifdown eth1
ifud_uplink_stanzas "symroute-to-rule yes" >/etc/network/interfaces
ifud_ok ifup eth1
TO_RULE="^31100:[[:space:]]+from all to 203\.0\.113\.20 lookup $T1 proto $P"
assert_match "$(ip -4 rule show)" "$TO_RULE" "symroute-to-rule: ifup made the to-rule"
ip -4 rule del priority 31100 to 203.0.113.20 lookup "$T1" || hard_error "cannot delete the to-rule"
sr_expect 9 status eth1
note "symroute status eth1, its to-rule deleted:"; sr_indent "$SR_OUT"
assert_match "$SR_OUT" "would run: ip -4 rule add priority 31100 (from all )?to 203\.0\.113\.20 lookup $T1 " \
	"status: the deleted to-rule is drift"
sr_ok up eth1
assert_match "$(ip -4 rule show)" "$TO_RULE" "up by hand: the to-rule is back"
sr_ok status eth1

ifud_ok ifdown eth1
ifud_ok ifdown eth0
assert_eq "" "$(ifud_ours)" "after ifdown, nothing of ours"
pass "the stanza's symroute-gateway and knobs: status calls the lost table default and to-rule drift, up by hand puts them back"
