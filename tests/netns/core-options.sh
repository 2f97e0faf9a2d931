#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: changing an option on a managed interface moves everything, leaving nothing behind
# (gateway, priority, table by number and by name, --to-rule, --no-main-default); a link
# flap is repaired by the next up; down -4 spares IPv6; concurrent runs keep one shared rule;
# flush removes everything; a /32 address works with --onlink.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"

topo_two_uplinks v6
T1=$(table_of . eth1)
addr rb srv 203.0.113.3/25	# a second gateway on B's link

ours() { snapshot . "$SR_TMP/s"; grep "proto $P" "$SR_TMP/s"; }

# Gateway change: the default route moves, the old one goes.
sr_ok up eth1 -4 --gateway 203.0.113.1
sr_ok up eth1 -4 --gateway 203.0.113.3
RT=$(ip -4 route show table "$T1")
assert_match "$RT" "^default via 203\.0\.113\.3 dev eth1 proto $P $FP ?\$" "new gateway in table $T1"
assert_not_contains "$RT" "203.0.113.1 " "old gateway gone from table $T1"

# Priority change: the rule moves.
sr_ok up eth1 -4 --gateway 203.0.113.3 --priority 30000
R=$(ip -4 rule show)
assert_match "$R" "^30000:[[:space:]]+from 203\.0\.113\.20 lookup $T1 proto $P ?\$" "rule at 30000"
assert_no_match "$R" "^31100:" "nothing left at 31100"

# --to-rule on, then off again (options are not sticky: each up states the whole wish).
sr_ok up eth1 -4 --gateway 203.0.113.3 --to-rule
R=$(ip -4 rule show)
assert_match "$R" "^31100:[[:space:]]+from all to 203\.0\.113\.20 lookup $T1 proto $P ?\$" "--to-rule: to-rule"
assert_no_match "$R" "^30000:" "back to the default priority: nothing left at 30000"
sr_ok up eth1 -4 --gateway 203.0.113.3
assert_not_contains "$(ip -4 rule show)" "to 203.0.113.20" "without --to-rule: the to-rule is gone"

# Table change, by number, then by a name from rt_tables.d.
sr_ok up eth1 -4 --gateway 203.0.113.3 --table 4242
assert_eq "" "$(ip -4 route show table "$T1")" "after --table 4242: the automatic table is empty"
assert_match "$(ip -4 rule show)" "from 203\.0\.113\.20 lookup 4242 proto $P" "the rule follows to 4242"
assert_count "$(ip -4 route show table 4242)" "dev eth1 proto $P" 2 "table 4242 holds both routes"
if [ -d /etc/iproute2/rt_tables.d ]; then
	mkdir -p "$SR_TMP/rt_tables.d"
	printf '4343\tisp2\n' >"$SR_TMP/rt_tables.d/isp2.conf"
	in_ns . mount --bind "$SR_TMP/rt_tables.d" /etc/iproute2/rt_tables.d ||
		hard_error "cannot bind-mount rt_tables.d"
	sr_ok up eth1 -4 --gateway 203.0.113.3 --table isp2
	assert_eq "" "$(ip -4 route show table 4242)" "after --table isp2: table 4242 is empty"
	assert_count "$(ip -4 route show table 4343)" "dev eth1 proto $P" 2 "table isp2 (4343) holds both routes"
	assert_match "$(ip -4 rule show)" "from 203\.0\.113\.20 lookup isp2 proto $P" "the rule looks up isp2"
	sr_expect 2 up eth1 -4 --table no-such-name
	assert_contains "$SR_ERR" no-such-name "unknown table name: named in the message"
else
	note "no /etc/iproute2/rt_tables.d: table names not tested"
fi
sr_ok up eth1 -4 --gateway 203.0.113.3
assert_count "$(ip -4 route show table "$T1")" "dev eth1 proto $P" 2 "back in the automatic table"

# --no-main-default: main has no IPv6 default, yet none of ours is added.
sr_ok up eth1 -6 --gateway fe80::1 --no-main-default
assert_no_match "$(ip -6 route show table main)" "^default" "--no-main-default: no default in main"
sr_ok up eth1 -6 --gateway fe80::1
assert_match "$(ip -6 route show table main)" "^default via fe80::1 dev eth1 proto $P metric $T1 " \
	"without it: the fallback default is back"

# A link flap removes the table's IPv4 routes (the kernel's doing); up puts them back.
ip_ns . link set eth1 down
ip_ns . link set eth1 up
assert_eq "" "$(ip -4 route show table "$T1")" "precondition: the flap emptied table $T1"
sr_ok up eth1 -4 --gateway 203.0.113.3
assert_count "$(ip -4 route show table "$T1")" "dev eth1 proto $P" 2 "up after the flap: table restored"

# down -4 leaves IPv6 alone (eth1's IPv6 address did not survive the flap: put it back).
addr . eth1 2001:db8:b::20/64
sr_ok up eth1 -6 --gateway fe80::1
sr_ok down eth1 -4
assert_not_contains "$(ip -4 route show table all)" "proto $P" "down -4: no IPv4 route of ours"
assert_not_contains "$(ip -4 rule show)" "proto $P" "down -4: no IPv4 rule of ours (shared one included)"
assert_contains "$(ip -6 rule show)" "from 2001:db8:b::20 lookup $T1 proto $P" "down -4: IPv6 rule stays"
sr_ok down eth1
assert_eq "" "$(ours)" "after down: nothing of ours"

# Concurrent runs: the lock serialises them; the shared rule exists exactly once per family.
i=0
while [ $i -lt 10 ]; do
	sr_exec . up eth0 --gateway 198.51.100.1 --gateway 2001:db8:a::1 >/dev/null 2>&1 &
	p0=$!
	sr_exec . up eth1 --gateway 203.0.113.1 --gateway fe80::1 >/dev/null 2>&1 &
	p1=$!
	wait $p0 || fail "concurrent up eth0 failed (round $i)"
	wait $p1 || fail "concurrent up eth1 failed (round $i)"
	R=$(ip -4 rule show; ip -6 rule show)
	assert_count "$R" "suppress_prefixlength 0 proto $P" 2 "round $i: one shared rule per family"
	assert_count "$R" "^31100:.* proto $P" 4 "round $i: four address rules"
	sr_exec . down eth0 >/dev/null 2>&1 &
	p0=$!
	sr_exec . down eth1 >/dev/null 2>&1 &
	p1=$!
	wait $p0 || fail "concurrent down eth0 failed (round $i)"
	wait $p1 || fail "concurrent down eth1 failed (round $i)"
	assert_eq "" "$(ours)" "round $i: after both downs, nothing of ours"
	i=$((i + 1))
done

# flush: everything of ours goes, for all interfaces, shared rules and fallbacks included.
sr_ok up eth0 --gateway 198.51.100.1 --gateway 2001:db8:a::1
sr_ok up eth1 --gateway 203.0.113.1 --gateway fe80::1
sr_ok flush
assert_eq "" "$(ours)" "after flush: nothing of ours"

# A cloud-style /32 address with an on-link gateway outside it (--onlink).
ip_ns . addr flush dev eth1 scope global
addr . eth1 203.0.113.20/32
sr_expect 2 up eth1 -4 --gateway 203.0.113.1
sr_ok up eth1 -4 --gateway 203.0.113.1 --onlink
RT=$(ip -4 route show table "$T1")
assert_match "$RT" "^203\.0\.113\.20 dev eth1 proto $P scope link src 203\.0\.113\.20 ?\$" "/32: its connected route"
assert_match "$RT" "^default via 203\.0\.113\.1 dev eth1 proto $P $FP onlink ?\$" "/32: default route, onlink"
assert_match "$(ip -4 route get 198.51.100.200 from 203.0.113.20)" "via 203\.0\.113\.1 dev eth1 table $T1" \
	"/32: lookups from its address use its table"
sr_ok down eth1
assert_eq "" "$(ours)" "after down: nothing of ours"

pass "option changes leave nothing behind; flaps repaired; down -4 spares IPv6; runs serialise"
