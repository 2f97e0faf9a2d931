#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: issue 17: an up does not list every rule of the host when the interface's table says
# its rules are in place. The metric of the table's default is the fingerprint of the rules it
# was written with; an event whose wanted rules have the same asks for them (EXCL adds) instead
# of reading. What the admin sees must not change: a repeated up sends nothing; an option that
# only removes rules (--to-rule dropped), an address gone, a rule deleted by hand and a table
# written by a release without the fingerprint all converge; foreign rules stay byte-identical;
# the rules of a vanished interface wait for a down, sync or flush.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"

topo_two_uplinks v6
T1=$(table_of . eth1)
# A host with rules of its own (a VPN's, a container manager's): none of them may move.
i=0
while [ $i -lt 200 ]; do
	printf 'rule add from 198.18.%d.%d lookup 5000 priority 20000\n' $((i / 250)) $((i % 250))
	printf -- '-6 rule add from 2001:db8:e000:%x::/64 lookup 5000 priority 20000\n' $i
	i=$((i + 1))
done >"$SR_TMP/rules"
grep -v '^-6' "$SR_TMP/rules" | ip_ns . -batch - || hard_error "cannot add the IPv4 rules"
grep '^-6' "$SR_TMP/rules" | sed 's/^-6 //' | ip_ns . -6 -batch - || hard_error "cannot add the IPv6 rules"
foreign_rules() {
	{ ip -4 rule show; ip -6 rule show; } | grep -v " proto $P" | sort
}
foreign_rules >"$SR_TMP/foreign0"

# ours: our rules looking up eth1's table, both families, sorted.
ours() {
	{ ip -4 rule show; ip -6 rule show; } | grep "lookup $T1 proto $P" | sed 's/^[0-9]*:[[:space:]]*//' | sort
}
# table_default_metric FAMILY: the metric of the default of ours in eth1's table.
table_default_metric() {
	ip "$1" route show table "$T1" | sed -n "s/^default .* proto $P .*metric \([0-9]*\).*/\1/p"
}
# rule_dumps ARGS...: how many times `symroute ARGS` asked the kernel for every rule.
rule_dumps() {
	sr_requests 'RTM_GETRULE' "$@"
}

UP="up eth1 --gateway 203.0.113.1 --gateway 2001:db8:b::1"
sr_ok $UP --to-rule
assert_eq "$(printf '%s\n' 'from 203.0.113.20 lookup '"$T1"' proto '"$P" \
	'from 2001:db8:b::20 lookup '"$T1"' proto '"$P" \
	'from all to 203.0.113.20 lookup '"$T1"' proto '"$P" \
	'from all to 2001:db8:b::20 lookup '"$T1"' proto '"$P" | sort)" "$(ours)" \
	"first up with --to-rule: from and to rules, both families"
M4=$(table_default_metric -4)
M6=$(table_default_metric -6)
note "fingerprints: IPv4 $M4, IPv6 $M6"
[ -n "$M4" ] && [ "$M4" -ge 65536 ] || fail "the IPv4 table default carries a fingerprint: '$M4'"
[ -n "$M6" ] && [ "$M6" -ge 65536 ] || fail "the IPv6 table default carries a fingerprint: '$M6'"
assert_match "$(ip -4 route get 192.0.2.99 from 203.0.113.20)" "via 203\.0\.113\.1 dev eth1" \
	"replies from eth1's address leave by eth1"

# 1. Repeated: nothing reaches the kernel's notifications, the dry run has nothing to say, and
# no rule is listed.
sr_repeat_silent $UP --to-rule
if command -v strace >/dev/null 2>&1; then
	assert_eq 0 "$(rule_dumps $UP --to-rule)" "a repeated up lists no rule"
	assert_eq 2 "$(rule_dumps $UP --to-rule --dry-run)" "a dry run reads every rule, a family each"
else
	note "strace not installed: the rule dumps are not counted"
fi

# 2. An option that only removes rules: the to-rules go, in both families.
sr_ok $UP
assert_eq "$(printf '%s\n' 'from 203.0.113.20 lookup '"$T1"' proto '"$P" \
	'from 2001:db8:b::20 lookup '"$T1"' proto '"$P" | sort)" "$(ours)" \
	"--to-rule dropped: only the from rules are left"
[ "$(table_default_metric -4)" != "$M4" ] || fail "the IPv4 fingerprint changed with the rules"
assert_eq 1 "$(ip -4 route show table "$T1" | grep -c '^default')" "the table has one IPv4 default"
assert_eq 1 "$(ip -6 route show table "$T1" | grep -c '^default')" "the table has one IPv6 default"

# 3. A second address, then gone: its rule goes with it.
addr . eth1 203.0.113.21/25
sr_ok $UP
assert_contains "$(ours)" "from 203.0.113.21 lookup $T1" "a second address gets its rule"
ip_ns . -4 addr del 203.0.113.21/25 dev eth1 || hard_error "cannot remove the second address"
sr_ok $UP
assert_no_match "$(ours)" "203\.0\.113\.21" "the address gone: its rule is gone"

# 4. A rule deleted by hand: the next up puts it back, and only it.
ip_ns . -4 rule del from 203.0.113.20 lookup "$T1" proto "$P" || hard_error "cannot delete our rule"
sr_ok $UP -v
assert_contains "$(ours)" "from 203.0.113.20 lookup $T1" "a rule deleted by hand is back"
assert_contains "$SR_ERR" "1 change(s)" "after a deletion by hand: that rule, nothing else"

# 5. A table written without a fingerprint (an earlier release), beside a stale rule of ours:
# the rules are read, the stale one goes, the fingerprint is written.
ip_ns . -4 route del default table "$T1" proto "$P" || hard_error "cannot remove the table default"
ip_ns . -4 route add default via 203.0.113.1 dev eth1 table "$T1" proto "$P" metric 0 ||
	hard_error "cannot add an unstamped table default"
ip_ns . -4 rule add from 203.0.113.77 lookup "$T1" priority "$(ip -4 rule show | sed -n "s/^\([0-9]*\):.*from 203\.0\.113\.20 lookup $T1.*/\1/p")" proto "$P" ||
	hard_error "cannot add a stale rule of ours"
sr_ok $UP
assert_no_match "$(ours)" "203\.0\.113\.77" "a table without fingerprint: the stale rule is swept"
[ "$(table_default_metric -4)" -ge 65536 ] || fail "the fingerprint is written"
assert_eq 1 "$(ip -4 route show table "$T1" | grep -c '^default')" "the table has one IPv4 default"

# 6. The rules of an interface that vanished without a down: not an up's business when its
# table vouches for its own rules; sync sweeps them. eth0, managed too, keeps its rule, and
# the kernel is asked whether an interface exists only for the vanished one: eth0's address
# was in the list of the host's addresses the run read anyway (4096 managed interfaces: 4096
# questions, 6.5 ms, before). narrow = true lists no addresses: both are asked.
veth_pair . eth9 rb srv9
addr . eth9 192.0.2.9/24
sr_ok up eth9 --gateway 192.0.2.1
T9=$(table_of . eth9)
sr_ok up eth0 --gateway 198.51.100.1
T0=$(table_of . eth0)
ip_ns . link del eth9 || hard_error "cannot delete eth9"
assert_contains "$(ip -4 rule show)" "lookup $T9 proto $P" "eth9 gone: its rule is still there"
sr_ok $UP
assert_contains "$(ip -4 rule show)" "lookup $T9 proto $P" "a repeated up leaves the orphan for sync"
if command -v strace >/dev/null 2>&1; then
	case ${SR_CONFIG_TEXT:-} in
	*narrow*=*true*) asked=2 ;;
	*) asked=1 ;;
	esac
	SR_TRACE=ioctl
	assert_eq "$asked" "$(sr_requests SIOCGIFNAME sync eth1)" \
		"sync asks whether an interface exists only where no address list said so"
	SR_TRACE=
	assert_no_match "$(ip -4 rule show)" "lookup $T9 proto $P" "sync sweeps the orphan"
	ip_ns . -4 rule add from 192.0.2.9 lookup "$T9" priority 31100 proto "$P" ||
		hard_error "cannot put the orphan back"
	assert_eq 2 "$(rule_dumps sync eth1)" "sync reads every rule, a family each"
else
	sr_ok sync eth1
fi
assert_no_match "$(ip -4 rule show)" "lookup $T9 proto $P" "sync sweeps the orphan"
assert_contains "$(ip -4 rule show)" "from 198.51.100.10 lookup $T0 proto $P" \
	"eth0's rule stays: its interface is there"

foreign_rules >"$SR_TMP/foreign1"
assert_files_eq "$SR_TMP/foreign0" "$SR_TMP/foreign1" "foreign rules are byte-identical"

sr_ok down eth1
assert_eq "" "$(ours)" "down: no rule of ours looks eth1's table up"
pass "rules unread when the table's fingerprint vouches for them: repeated up silent, option, address, hand deletion and older tables converge, foreign rules untouched"
