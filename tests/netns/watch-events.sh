#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: `symroute watch` follows the kernel: late defaults, addresses, a deleted link, ours removed by someone, no-op events, watch = false, watch-interfaces/-exclude, SIGTERM.
#
# The host (the sandbox) and lib.sh's two ISPs and far host (isps_far_side; routers A and B
# drop foreign sources), plus a plain router C (namespace rc):
#	eth0 to A: 198.51.100.10/25, 2001:db8:a::10/64; main's defaults via 198.51.100.1 and
#	     2001:db8:a::1 as ifupdown's `gateway` lines put them (someone else's): an uplink in
#	     both families from the watcher's first pass;
#	eth1 to B: 203.0.113.20/25, 2001:db8:b::20/64, up, no default yet: not an uplink;
#	eth2 to C: 192.0.2.130/26 (C: .129), 2001:db8:c::70/64 (C: 2001:db8:c::1), no default yet.
# One watcher runs through cases a to c; each reaction is awaited with wait_for 2 (the
# contract's 2 s, stretched by SR_WAIT_SCALE like every wait of the suite) on what a user sees:
# ip rule show, ip route show table N, ip route get DEST from ADDR, and a TCP connection from
# the far side to eth1's address (router A drops the reply if it leaves by eth0).
#  a. A default appears in main later (DHCP, RA, static; table below): the rule and table
#     appear, and replies from the uplink's address leave by it.
#  b. A global address added by hand to an uplink gets its rule; removed, the rule goes. The
#     last global address of a family goes (IPv6; IPv4, whose routes the kernel flushes with
#     it): that family's state goes; it comes back with it.
#  d. Something of ours removed by someone else: everything is put back as it was.
#  h. Repeated or unrelated events (an RA refreshing the default, a DHCP renewal re-adding
#     the address, routes to other prefixes, a default in another table): no change is sent.
#  e. The default leaves main (a lease lost) while the uplink keeps its addresses. The
#     contract counts an interface with state of ours as an uplink ("ours already"), so the
#     watcher keeps its rule, its table (the gateway symroute left there) and our fallback
#     default in main, and replies still leave by it. `symroute down` by hand ends that and
#     marks the family off: the watcher leaves it alone even when the lease's default comes
#     back, until `symroute up` by hand; from then on it repairs it again.
#  c. A link deleted: its rules are swept at once; status shows no orphan, check is healthy.
# Then SIGTERM: exit 0 within 1 s, rules and routes unchanged, status says "not running".
#  g. `watch = false`: exits 0 at once with one line and repairs nothing.
#  f. watch-interfaces = eth*, watch-exclude = eth1 (-c FILE): eth1 (excluded, with defaults
#     of its own in main) and dock0 (outside the patterns, with a default) get nothing, at
#     the start pass or on their events, while eth0 is still handled. eth1's state was
#     removed by the ifupdown hook's down, which leaves no off mark: a watcher started
#     without the patterns takes both on at once (the control).
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"
. "$(dirname "$0")/watch-lib.sh"

ns_add ra
ns_add rb
ns_add rc
veth_pair . eth0 ra srv
veth_pair . eth1 rb srv
veth_pair . eth2 rc srv
isps_far_side
addr . eth0 198.51.100.10/25 2001:db8:a::10/64
addr . eth1 203.0.113.20/25 2001:db8:b::20/64
addr . eth2 192.0.2.130/26 2001:db8:c::70/64
addr rc srv 192.0.2.129/26 2001:db8:c::1/64
ip -4 route add default via 198.51.100.1 dev eth0 || hard_error "main's IPv4 default"
ip -6 route add default via 2001:db8:a::1 dev eth0 || hard_error "main's IPv6 default"
settle . ra rb rc far
T0=$(table_of . eth0)
T1=$(table_of . eth1)
T2=$(table_of . eth2)
# The metric dhcpcd gives its defaults (1000 + ifindex), so that they sit beside eth0's.
M1=$((1000 + $(ifindex . eth1)))
hello_listen .
BARRIER=198.51.100.12/25	# eth0's, for watch_barrier; used nowhere else

# uplink_ok IF 4|6 ADDR GW TABLE: ADDR's rule into TABLE, and TABLE's default via GW on IF.
uplink_ok() {
	ip -"$2" rule show | grep -qE "^31100:[[:space:]]+from $(re_quote "$3") lookup $5 proto $P ?\$" &&
		ip -"$2" route show table "$5" | grep -qE "^default via $(re_quote "$4") dev $1 proto $P"
}
# has_rule 4|6 ADDR TABLE
has_rule() {
	ip -"$1" rule show | grep -qE "^31100:[[:space:]]+from $(re_quote "$2") lookup $3 proto $P ?\$"
}
no_rule_from() { ! ip -"$1" rule show | grep -qE "from $(re_quote "$2") lookup "; }
# nothing_for 4|6 TABLE IF: no rule into TABLE, TABLE empty, no default of ours via IF in main.
nothing_for() {
	! ip -"$1" rule show | grep -qE "lookup $2( |\$)" &&
		[ -z "$(ip -"$1" route show table "$2" 2>/dev/null)" ] &&
		[ -z "$(ip -"$1" route show table main default dev "$3" proto 73 2>/dev/null)" ]
}
# state_of TABLE: for failure messages.
state_of() {
	printf 'ip rule (ours):\n'
	ip -4 rule show | grep " proto $P"
	ip -6 rule show | grep " proto $P"
	printf 'table %s:\n' "$1"
	ip -4 route show table "$1" 2>/dev/null
	ip -6 route show table "$1" 2>/dev/null
	printf 'main defaults:\n'
	ip -4 route show table main default
	ip -6 route show table main default
}
far_of() { case $1 in 4) echo "$FAR4" ;; 6) echo "$FAR6" ;; esac; }

watch_start
watch_ready

# ---- The first pass: eth0 is an uplink in both families; eth1 and eth2 are not. ----
phase start
wait_for 2 uplink_ok eth0 4 198.51.100.10 198.51.100.1 "$T0" ||
	fail "start: eth0's IPv4 rule and table (main's default via eth0 is someone else's): $(state_of "$T0")"
wait_for 2 uplink_ok eth0 6 2001:db8:a::10 2001:db8:a::1 "$T0" ||
	fail "start: eth0's IPv6 rule and table: $(state_of "$T0")"
watch_barrier eth0 "$BARRIER"
for f in 4 6; do
	nothing_for $f "$T1" eth1 || fail "start: eth1 IPv$f has no default: nothing of ours: $(state_of "$T1")"
	nothing_for $f "$T2" eth2 || fail "start: eth2 IPv$f has no default: nothing of ours: $(state_of "$T2")"
done

# ---- a. A default that appears only later, as its owner adds it. ----
phase a
# IF FAMILY ADDRESS GATEWAY PROTO (who adds it: a DHCP client, the kernel's RA handling, a
# static configuration such as networkd's)
for row in \
	"eth1 4 203.0.113.20 203.0.113.1 dhcp" \
	"eth1 6 2001:db8:b::20 fe80::2 ra" \
	"eth2 6 2001:db8:c::70 2001:db8:c::1 static" \
	"eth2 4 192.0.2.130 192.0.2.129 static"; do
	set -- $row
	t=$(table_of . "$1")
	m=$((1000 + $(ifindex . "$1")))
	G=$(ip -"$2" route get "$(far_of "$2")" from "$3")
	assert_not_contains "$G" " table $t " "a. precondition: before $1's IPv$2 default, replies from $3 miss table $t"
	ip -"$2" route add default via "$4" dev "$1" proto "$5" metric "$m" ||
		hard_error "cannot add $1's IPv$2 default"
	wait_for 2 uplink_ok "$1" "$2" "$3" "$4" "$t" ||
		fail "a. $1's IPv$2 default (proto $5) appeared in main: no rule for $3 and default via $4 in table $t within 2 s:
$(state_of "$t")"
	G=$(ip -"$2" route get "$(far_of "$2")" from "$3")
	assert_match "$G" "via $(re_quote "$4") dev $1 table $t " "a. replies from $3 leave by $1 (proto $5 default)"
	assert_match "$(ip -"$2" route show table main default dev "$1")" "^default via $(re_quote "$4") proto $P metric $t" \
		"a. our fallback default via $1 in main, behind the $5 one"
done
hello_connect far 203.0.113.20 ||
	fail "a. TCP from the far side to 203.0.113.20 (router A drops replies leaving by eth0) failed"

# ---- b. Global addresses added and removed by hand. ----
phase b
# IF FAMILY NEW-ADDRESS THE-FIRST-ADDRESS
for row in \
	"eth0 4 198.51.100.11/25 198.51.100.10" \
	"eth0 6 2001:db8:a::11/64 2001:db8:a::10"; do
	set -- $row
	a=${3%/*}
	addr . "$1" "$3"
	wait_for 2 has_rule "$2" "$a" "$T0" ||
		fail "b. $3 added to $1: no rule for it within 2 s: $(state_of "$T0")"
	assert_match "$(ip -"$2" route get "$(far_of "$2")" from "$a")" " dev $1 table $T0 " \
		"b. replies from the new $a leave by $1's table"
	ip addr del "$3" dev "$1" || hard_error "cannot remove $3"
	wait_for 2 no_rule_from "$2" "$a" ||
		fail "b. $3 removed from $1: its rule stayed: $(state_of "$T0")"
	has_rule "$2" "$4" "$T0" || fail "b. $1's first address $4 lost its rule: $(state_of "$T0")"
done
# eth2's only global address of a family goes: that family's state goes, the other stays.
# IPv6 keeps main's default via eth2 (someone else's) without the address; IPv4 flushes every
# route through eth2 with its last address (ours in table T2 and in main, and main's default)
# but no rule, which the watcher must remove itself. The address comes back (and IPv4's
# default, as its DHCP client would add it): so does the family's state.
# FAMILY ADDRESS/PLEN GATEWAY OTHER-FAMILY OTHER-ADDRESS OTHER-GATEWAY
for row in \
	"6 2001:db8:c::70/64 2001:db8:c::1 4 192.0.2.130 192.0.2.129" \
	"4 192.0.2.130/26 192.0.2.129 6 2001:db8:c::70 2001:db8:c::1"; do
	set -- $row
	a=${2%/*}
	ip -"$1" addr del "$2" dev eth2 || hard_error "cannot remove eth2's IPv$1 address"
	wait_for 2 nothing_for "$1" "$T2" eth2 ||
		fail "b. eth2's last global IPv$1 address went: its IPv$1 state stayed: $(state_of "$T2")"
	uplink_ok eth2 "$4" "$5" "$6" "$T2" || fail "b. eth2's IPv$4 state went with its IPv$1 address: $(state_of "$T2")"
	addr . eth2 "$2"
	if [ -z "$(ip -"$1" route show table main default dev eth2)" ]; then
		ip -"$1" route add default via "$3" dev eth2 proto static metric "$((1000 + $(ifindex . eth2)))" ||
			hard_error "cannot put eth2's IPv$1 default back"
	fi
	wait_for 2 uplink_ok eth2 "$1" "$a" "$3" "$T2" ||
		fail "b. eth2's IPv$1 address came back: no rule and table within 2 s: $(state_of "$T2")"
done
assert_match "$(ip -6 route show table main default dev eth2)" "^default via 2001:db8:c::1 proto static metric" \
	"b. main's IPv6 default via eth2 outlived the address (it was never put back)"

# ---- d. Ours removed by someone else: put back exactly as it was. ----
phase d
# The whole state as a set: each line with its section, sorted (the kernel lists rules of one
# priority in the order they were added, so a rule put back moves behind its peers).
state_set() {
	snapshot . "$SR_TMP/snap" && awk '/^## / { s = $0; next } { print s " | " $0 }' "$SR_TMP/snap" | sort >"$1"
}
state_set "$SR_TMP/good"
same_as_good() { state_set "$SR_TMP/now" && cmp -s "$SR_TMP/good" "$SR_TMP/now"; }
# WHAT|COMMAND (each command must succeed: what it removes was there)
while IFS='|' read -r what cmd; do
	[ -n "$what" ] || continue
	eval "$cmd" || hard_error "d. cannot remove $what: $cmd"
	wait_for 2 same_as_good || {
		printf 'FAIL: d. %s, removed by someone else (%s), not put back within 2 s\n' "$what" "$cmd"
		diff -u "$SR_TMP/good" "$SR_TMP/now" | sed 's/^/    /'
		exit 1
	}
done <<EOF
our IPv4 rule for eth1|ip -4 rule del priority 31100 from 203.0.113.20 lookup $T1
our IPv6 rule for eth1|ip -6 rule del priority 31100 from 2001:db8:b::20 lookup $T1
the shared IPv4 rule|ip -4 rule del priority 31000 from all lookup main suppress_prefixlength 0
the shared IPv6 rule|ip -6 rule del priority 31000 from all lookup main suppress_prefixlength 0
the IPv4 default of eth1's table|ip -4 route del default table $T1
the IPv6 default of eth1's table|ip -6 route del default table $T1
the IPv4 connected route of eth1's table|ip -4 route del 203.0.113.0/25 table $T1
eth0's IPv4 rule and both its tables at once|ip -4 rule del priority 31100 from 198.51.100.10 lookup $T0 && ip -4 route flush table $T0 && ip -6 route flush table $T0
EOF
hello_connect far 203.0.113.20 || fail "d. TCP from the far side to 203.0.113.20 after the repairs failed"
# Our fallback default in main removed while main has a default of someone else's via the
# same interface: the watcher rebuilds the event from what symroute left in the kernel, the
# way status computes drift, and reads the absence as `main-default no` (a setting a hook may
# have chosen), so it leaves it out; status agrees (in sync). A plain `up` brings it back.
ip -4 route del default dev eth1 proto 73 metric "$T1" || hard_error "d. cannot remove our fallback default"
watch_barrier eth0 "$BARRIER"
assert_eq "" "$(ip -4 route show table main default dev eth1 proto 73)" \
	"d. our fallback default, removed while eth1 has a DHCP default: left out (main-default no)"
sr_ok status eth1
assert_match "$SR_OUT" "^  IPv4: table $T1, priority 31100: in sync\$" "d. status agrees with the watcher"
sr_ok up eth1 -4
state_set "$SR_TMP/now"
assert_files_eq "$SR_TMP/good" "$SR_TMP/now" "d. symroute up eth1 -4 puts the fallback back"

# ---- h. Events that change nothing send nothing. ----
phase h
monitor_start
while IFS='|' read -r what cmd; do
	[ -n "$what" ] || continue
	eval "$cmd" || hard_error "h. $what failed: $cmd"
done <<EOF
an RA refreshing eth1's IPv6 default|ip -6 route replace default via fe80::2 dev eth1 proto ra metric $M1
a DHCP renewal re-adding eth1's IPv4 address|ip -4 addr replace 203.0.113.20/25 dev eth1
eth2's IPv6 address re-added|ip -6 addr replace 2001:db8:c::70/64 dev eth2 nodad
an IPv4 route to another prefix on eth0, added and removed|ip -4 route add 192.0.2.224/27 via 198.51.100.1 dev eth0 && ip -4 route del 192.0.2.224/27 via 198.51.100.1 dev eth0
an IPv6 route to another prefix on eth1|ip -6 route add 2001:db8:e::/48 via fe80::2 dev eth1 && ip -6 route del 2001:db8:e::/48 via fe80::2 dev eth1
a default in another table, added and removed|ip -4 route add default via 198.51.100.1 dev eth0 table 77 && ip -4 route del default table 77
EOF
watch_barrier eth0 "$BARRIER"
monitor_stop
note "h. ip monitor saw:"; sr_indent "$MON_EVENTS"
assert_contains "$MON_EVENTS" "default via fe80::2 dev eth1 proto ra metric $M1" \
	"h. precondition: the kernel announced the refreshed IPv6 default"
assert_match "$MON_EVENTS" "from $(re_quote "${BARRIER%/*}") lookup $T0 proto $P" \
	"h. precondition: the monitor saw the barrier's rule"
# The barrier's address changes eth0's rules, and so the fingerprint its table's default
# carries: there and back, one add and one removal each way.
BARRIER_STAMPS=$(printf '%s\n' "$MON_EVENTS" | grep -E "^(Deleted )?default via .* table $T0 proto $P metric ")
assert_eq 4 "$(printf '%s\n' "$BARRIER_STAMPS" | grep -c .)" "h. the barrier re-stamps eth0's table there and back"
assert_eq "" "$(printf '%s\n' "$MON_EVENTS" | grep " proto $P" | grep -vF "${BARRIER%/*}" |
	grep -vE "^(Deleted )?default via .* table $T0 proto $P metric ")" \
	"h. changes of ours sent for events that change nothing"

# ---- e. The default leaves main; the uplink keeps its addresses and our state. ----
phase e
ip -4 route del default via 203.0.113.1 dev eth1 proto dhcp metric "$M1" || hard_error "e. cannot remove the dhcp default"
watch_barrier eth0 "$BARRIER"
uplink_ok eth1 4 203.0.113.20 203.0.113.1 "$T1" ||
	fail "e. eth1's IPv4 default left main: its rule and table should stay (ours already): $(state_of "$T1")"
assert_match "$(ip -4 route show table main default dev eth1)" "^default via 203\.0\.113\.1 proto $P metric $T1" \
	"e. our fallback default via eth1 stays in main"
hello_connect far 203.0.113.20 || fail "e. TCP from the far side to 203.0.113.20 after the lease's default went"
sr_ok down eth1 -4
watch_barrier eth0 "$BARRIER"
nothing_for 4 "$T1" eth1 ||
	fail "e. symroute down eth1 -4 (no default of someone else's via eth1): the watcher put it back: $(state_of "$T1")"
has_rule 6 2001:db8:b::20 "$T1" || fail "e. eth1's IPv6 went with its IPv4: $(state_of "$T1")"
ip -4 route add default via 203.0.113.1 dev eth1 proto dhcp metric "$M1" || hard_error "e. cannot re-add the default"
watch_barrier eth0 "$BARRIER"
nothing_for 4 "$T1" eth1 ||
	fail "e. the lease's default came back after symroute down eth1 -4: the watcher took eth1 IPv4 on: $(state_of "$T1")"
sr_ok up eth1 -4
uplink_ok eth1 4 203.0.113.20 203.0.113.1 "$T1" || fail "e. symroute up eth1 -4: $(state_of "$T1")"
ip -4 rule del priority 31100 from 203.0.113.20 lookup "$T1" || hard_error "e. cannot remove eth1's rule"
wait_for 2 uplink_ok eth1 4 203.0.113.20 203.0.113.1 "$T1" ||
	fail "e. after symroute up eth1 -4, the watcher did not put eth1's rule back: $(state_of "$T1")"

# ---- c. A link deleted: its rules swept at once. ----
phase c
has_rule 4 192.0.2.130 "$T2" && has_rule 6 2001:db8:c::70 "$T2" || fail "c. precondition: eth2's rules"
ip link del eth2 || hard_error "cannot delete eth2"
eth2_swept() { ! { ip -4 rule show; ip -6 rule show; } | grep -qE "lookup $T2( |\$)"; }
wait_for 2 eth2_swept || fail "c. eth2 deleted: rules into its table $T2 stayed: $(ip -4 rule show; ip -6 rule show)"
sr_ok status
note "symroute status:"; sr_indent "$SR_OUT"
assert_no_match "$SR_OUT" "^orphan " "c. status: no orphan rule"
assert_not_contains "$SR_OUT" "DRIFT" "c. status: nothing drifted"
assert_match "$SR_OUT" "^watcher: running \(pid $WATCH_PID\) since " "c. status reports the watcher"
sr check
note "symroute check:"; sr_indent "$SR_OUT"
[ "$SR_RC" = 0 ] || fail "c. symroute check after eth2 went exited $SR_RC, not 0"
assert_match "$SR_OUT" "^PASS eth1 IPv4 from 203\.0\.113\.20 leaves by eth1 via 203\.0\.113\.1 \(table $T1\)" \
	"c. check: eth1 is healthy"
assert_match "$SR_OUT" "^PASS no orphan rule of ours" "c. check: no orphan"
assert_match "$(cat "$WATCH_LOG")" "watch: eth2[ :].*gone" "c. the watcher logs eth2's end"
assert_match "$(cat "$WATCH_LOG")" "watch: eth1 IPv4: up \([0-9]+ changes?\)" "c. the watcher logs its actions"

# ---- SIGTERM ----
phase SIGTERM
watch_stop

# ---- g. watch = false: one line, exit 0 at once, nothing done. ----
phase g
ip -4 rule del priority 31100 from 198.51.100.10 lookup "$T0" || hard_error "g. cannot remove eth0's rule"
printf '[symroute]\nwatch = false\n' >"$SR_TMP/off.conf"
snapshot . "$SR_TMP/g.before"
in_ns . timeout "$SR_WAIT_SCALE" "$SYMROUTE" watch -c "$SR_TMP/off.conf" >"$SR_TMP/g.out" 2>&1
rc=$?
note "g. symroute watch with watch = false: exit $rc:"; sr_indent "$(cat "$SR_TMP/g.out")"
[ "$rc" != 124 ] || fail "g. with watch = false, symroute watch did not exit at once"
[ "$rc" = 0 ] || fail "g. with watch = false, symroute watch exited $rc, not 0"
assert_count "$(cat "$SR_TMP/g.out")" . 1 "g. watch = false: one line"
snapshot . "$SR_TMP/g.after"
assert_files_eq "$SR_TMP/g.before" "$SR_TMP/g.after" "g. watch = false repairs nothing"

# ---- f. watch-interfaces and watch-exclude. ----
phase f
# eth1's state goes by the ifupdown hook's down (as ifdown's pre-down runs it, without the
# addresses going): no off mark, and eth1 keeps its DHCP and RA defaults in main: an uplink,
# but excluded.
for fam in inet inet6; do
	in_ns . env -i PATH="$PATH" IFACE=eth1 LOGICAL=eth1 ADDRFAM=$fam METHOD=static MODE=stop \
		PHASE=pre-down "$SYMROUTE" ifupdown-hook || fail "f. the ifupdown hook's down ($fam) failed"
done
nothing_for 4 "$T1" eth1 && nothing_for 6 "$T1" eth1 || fail "f. the hook's down left state: $(state_of "$T1")"
veth_pair . dock0 rc srv2
addr . dock0 192.0.2.130/26
addr rc srv2 192.0.2.129/26
ip -4 route add default via 192.0.2.129 dev dock0 proto static metric 1010 || hard_error "dock0's default"
TD=$(table_of . dock0)
printf '[symroute]\nwatch-interfaces = eth*\nwatch-exclude = eth1\n' >"$SR_TMP/filter.conf"
watch_start -c "$SR_TMP/filter.conf"
watch_ready
wait_for 2 has_rule 4 198.51.100.10 "$T0" ||
	fail "f. the start pass did not put back eth0's rule (eth0 matches eth*): $(state_of "$T0")"
watch_barrier eth0 "$BARRIER"
for when in "at the start pass" "after their events"; do
	for t in "4 $T1 eth1" "6 $T1 eth1" "4 $TD dock0" "6 $TD dock0"; do
		set -- $t
		nothing_for "$1" "$2" "$3" || fail "f. $3 (excluded) got state of ours $when: $(state_of "$2")"
	done
	[ "$when" = "at the start pass" ] || break
	addr . eth1 2001:db8:b::21/64
	ip -4 route del default dev eth1 proto dhcp && ip -4 route add default via 203.0.113.1 dev eth1 proto dhcp metric "$M1" ||
		hard_error "f. cannot renew eth1's default"
	addr . dock0 192.0.2.131/26
	watch_barrier eth0 "$BARRIER"
done
uplink_ok eth0 6 2001:db8:a::10 2001:db8:a::1 "$T0" || fail "f. eth0's IPv6 state: $(state_of "$T0")"
watch_stop
# The control: without the patterns, eth1 and dock0 are uplinks (main's defaults via them).
watch_start
watch_ready
for t in "eth1 4 203.0.113.20 203.0.113.1 $T1" "eth1 6 2001:db8:b::20 fe80::2 $T1" \
	"dock0 4 192.0.2.130 192.0.2.129 $TD"; do
	set -- $t
	wait_for 2 uplink_ok "$@" ||
		fail "f. control: without watch-interfaces/watch-exclude, $1 IPv$2 is taken on: $(state_of "$5")"
done
watch_stop

phase end
pass "the watcher follows late defaults, addresses, deleted links and repairs, sends nothing for no-ops, honours watch = false and its patterns, and stops cleanly"
