#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: issue 14: the two-uplink dual-stack file under the real ifupdown2 (an overlay root, never installed).
#
# ifupdown2 merges each uplink's inet and inet6 stanzas into one hook call
# (ADDRFAM=inet,inet6, the first stanza's options only, PHASE=up/down; if-down.d after the
# addresses are gone). The same file as tests/netns/ifupdown-dual-stack.sh (ifupdown 0.8) and
# ifupdown-ng-dual-stack.sh, and the same results: ifup -a, a rule per address and TCP to
# every address through ISPs that drop foreign sources; ifdown -a back to exactly the state
# before; ifreload -a after eth0's address changed; `symroute off` through ifreload -a takes
# eth1's rules and table away (and eth1's addresses stop answering: the ISP drops replies that
# leave by the other uplink); ifdown -a again leaves nothing of ours. The hook environment of
# the first ifup -a is printed (what ifupdown2 hands a hook).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ifupdown-alt-lib.sh"
alt_fetch ifupdown2
sandbox_enter "$@"
. "$(dirname "$0")/ifupdown-lib.sh"
ifud_need

dual_setup alt
alt_root ifupdown2
dual_snapshot "$SR_TMP/before"

dual_ok ifup -a
note "what ifupdown2 handed the hooks:"; sr_indent "$(cat "$IFUD/network/envdump.log")"
dual_dialect ifupdown2
dual_assert "ifup -a" 198.51.100.10
dual_sync "ifupdown2's stanzas" 198.51.100.10

dual_ok ifdown -a
note "what ifupdown2 handed the if-down.d hooks:"
sr_indent "$(sed -n '/if-down.d/,$p' "$IFUD/network/envdump.log")"
assert_eq "" "$(ifud_ours)" "ifdown -a: no rule and no route of ours"
dual_snapshot "$SR_TMP/after"
assert_files_eq "$SR_TMP/before" "$SR_TMP/after" "ifdown -a: the rules and routes are the ones before ifup"

# ifreload -a after an address change: the rule follows the kernel's address.
dual_ok ifup -a
dual_assert "ifup -a again" 198.51.100.10
dual_file 198.51.100.11 >"$IFUD/network/interfaces"
dual_ok ifreload -a
assert_no_match "$(ip -4 addr show dev eth0)" "198\.51\.100\.10/" "ifreload -a removed the old address"
assert_no_match "$(ip -4 rule show)" "from 198\.51\.100\.10 " "ifreload -a: the old address's rule is gone"
dual_assert "ifreload -a, eth0 at .11" 198.51.100.11

# symroute off in eth1's stanzas, through ifreload -a: nothing of ours for eth1.
dual_file 198.51.100.11 "symroute off" >"$IFUD/network/interfaces"
dual_ok ifreload -a
assert_no_match "$(ip -4 rule show; ip -6 rule show)" "lookup 200 " "symroute off: eth1's rules are gone"
assert_eq "" "$(ifud_table_routes 200; ifud_table_routes 200 -6)" "symroute off: table 200 is empty"
assert_match "$(ip -4 rule show)" "from 198\.51\.100\.11 lookup $TA " "symroute off: eth0's rule stays"
hello_connect far 198.51.100.11 || fail "symroute off on eth1: eth0's address stopped answering"
! hello_connect far 203.0.113.20 ||
	fail "symroute off on eth1: its address still answers: the ISPs do not drop foreign sources"

dual_ok ifdown -a
assert_eq "" "$(ifud_ours)" "ifdown -a after all that: no rule and no route of ours"
dual_snapshot "$SR_TMP/after"
assert_files_eq "$SR_TMP/before" "$SR_TMP/after" "ifdown -a: the rules and routes are the ones before the first ifup"
pass "ifupdown2: dual-stack file, ifup -a / ifdown -a / ifreload -a / symroute off / sync"
