#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: refusals. Each bad request exits with its documented code (symroute(8), EXIT
# STATUS), says in one line what was wrong, naming the value, and changes nothing.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"

topo_two_uplinks v6
sr_ok up eth1 --gateway 203.0.113.1 --gateway fe80::1	# something of ours already there
snapshot . "$SR_TMP/s0"

# refuse CODE VALUE ARGS...: symroute ARGS exits CODE, prints one line on stderr containing
# VALUE (empty: not checked), and the state is unchanged.
refuse() {
	code=$1 value=$2
	shift 2
	sr_expect "$code" "$@"
	note "exit $SR_RC: $SR_ERR"
	if [ -n "$value" ]; then
		assert_contains "$SR_ERR" "$value" "symroute $*: the message names the value"
		assert_count "$SR_ERR" . 1 "symroute $*: one line on stderr"
	else
		[ -n "$SR_ERR" ] || fail "symroute $*: exit $code without a word on stderr"
	fi
	snapshot . "$SR_TMP/s"
	assert_files_eq "$SR_TMP/s0" "$SR_TMP/s" "symroute $*: nothing changed"
}

# 3: the interface, or an address on it, does not exist.
refuse 3 nosuch0 up nosuch0
refuse 3 198.51.100.99 up eth0 --address 198.51.100.99/25

# 2: bad arguments and values.
refuse 2 198.51.100.300 up eth0 --address 198.51.100.300/25
refuse 2 198.51.100.10/33 up eth0 --address 198.51.100.10/33
refuse 2 2001:db8:a::g up eth0 --address 2001:db8:a::g/64
refuse 2 198.51.100.1x up eth0 --gateway 198.51.100.1x
refuse 2 254 up eth0 --table 254
refuse 2 0 up eth0 --table 0
refuse 2 99999999999 up eth0 --table 99999999999
refuse 2 40000 up eth0 --priority 40000
refuse 2 32766 up eth0 --priority 32766
# Usage errors: the message may come with a usage summary, so only its presence is checked.
refuse 2 "" up eth0 --bogus
refuse 2 "" frobnicate eth0
refuse 2 "" up
refuse 2 "" up "$(printf 'x%.0s' 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16)"
# An option the command does not take is refused, naming it, not ignored (issue 16, item 5).
refuse 2 "show: option --metric is not one of show's" show --metric 5
refuse 2 "status: option -4 is not one of status's" status -4
refuse 2 "check: option --table is not one of check's" check --table 5
refuse 2 "flush: option --table is not one of flush's" flush --table 5
refuse 2 "show: option -n is not one of show's" show -n
refuse 2 "status: option --dest is not one of status's" status --dest 192.0.2.1
refuse 2 "check: option -6 is not one of check's" check eth0 -6
refuse 2 "ifupdown-hook: option --priority is not one of ifupdown-hook's" ifupdown-hook --priority 5
refuse 2 "up: option --exit-zero is not one of up's" up eth0 --exit-zero

# A hook's --exit-zero (the if-up.d script runs symroute so: a failing hook would stop ifup
# half way): the same one line about the failure, exit 0, and nothing changed.
export IFACE=eth0 LOGICAL=eth0 ADDRFAM=inet METHOD=static MODE=start PHASE=post-up \
	IF_SYMROUTE_TABLE=bogus
refuse 2 "eth0 IPv4: symroute-table='bogus'" ifupdown-hook
refuse 0 "eth0 IPv4: symroute-table='bogus'" ifupdown-hook --exit-zero
unset IFACE LOGICAL ADDRFAM METHOD MODE PHASE IF_SYMROUTE_TABLE

# A gateway that is not on the interface's link: refused, naming the gateway.
sr up eth0 --gateway 203.0.113.1 -4
note "off-link gateway: exit $SR_RC: $SR_ERR"
[ "$SR_RC" -ne 0 ] || fail "symroute up eth0 --gateway 203.0.113.1 (off-link) succeeded"
assert_contains "$SR_ERR" 203.0.113.1 "off-link gateway: the message names the gateway"
assert_count "$SR_ERR" . 1 "off-link gateway: one line on stderr"
snapshot . "$SR_TMP/s"
assert_files_eq "$SR_TMP/s0" "$SR_TMP/s" "off-link gateway: nothing changed"

# The same for IPv6 (a global gateway outside eth0's prefix).
sr up eth0 --gateway 2001:db8:b::1 -6
note "off-link IPv6 gateway: exit $SR_RC: $SR_ERR"
[ "$SR_RC" -ne 0 ] || fail "symroute up eth0 --gateway 2001:db8:b::1 (off-link) succeeded"
assert_contains "$SR_ERR" 2001:db8:b::1 "off-link IPv6 gateway: the message names the gateway"
snapshot . "$SR_TMP/s"
assert_files_eq "$SR_TMP/s0" "$SR_TMP/s" "off-link IPv6 gateway: nothing changed"

# --onlink: the administrator vouches for the gateway; accepted.
sr_ok up eth0 -4 --gateway 203.0.113.1 --onlink
assert_match "$(ip -4 route show table all)" "^default via 203\.0\.113\.1 dev eth0 table [0-9]+ proto $P $FP onlink" \
	"--onlink: the off-link gateway is installed with onlink"
sr_ok down eth0

# 6: the configuration file is missing (when named), malformed, or holds a bad value.
C=$SR_TMP/conf
printf '[symroute]\npriority = banana\n' >"$C.bad-value"
printf '[symroute]\nno-such-key = 1\n' >"$C.bad-key"
printf 'this is not a key file\n' >"$C.garbage"
refuse 6 banana up eth0 --config "$C.bad-value"
refuse 6 no-such-key up eth0 --config "$C.bad-key"
refuse 6 "$C.garbage" up eth0 --config "$C.garbage"
refuse 6 "$C.missing" up eth0 --config "$C.missing"

# 5: another run holds the lock for too long (here: longer than the 300 ms configured).
if command -v flock >/dev/null 2>&1; then
	printf '[symroute]\nlock-timeout-ms = 300\n' >"$C.fast-lock"
	# One process (sh, then sleep by exec) opens, locks and holds: killing it by PID frees
	# the lock and leaves nothing behind (`flock FILE sleep` would orphan its sleep).
	bg_start . sh -c 'exec 9>/run/symroute.lock && flock 9 && exec sleep 30'
	HOLDER=$BG_PID
	wait_for 5 sh -c '! flock -n /run/symroute.lock true' || hard_error "flock did not take the lock"
	start=$(date +%s)
	sr up eth0 --config "$C.fast-lock"
	took=$(($(date +%s) - start))
	bg_stop "$HOLDER"
	note "lock held elsewhere: exit $SR_RC after ${took}s: $SR_ERR"
	[ "$SR_RC" = 5 ] || fail "lock held elsewhere: expected exit 5, got $SR_RC ($SR_ERR)"
	snapshot . "$SR_TMP/s"
	assert_files_eq "$SR_TMP/s0" "$SR_TMP/s" "lock busy: nothing changed"
fi

# 9: status finds drift (someone deleted our rule), and says it in its summary.
sr_ok status
ip -4 rule del priority 31100 from 203.0.113.20 || hard_error "cannot delete eth1's rule"
sr_expect 9 status
assert_match "$SR_OUT" "^  IPv4: table [0-9]+: DRIFT" "status: drift, exit 9"
sr_expect 9 status --json
assert_contains "$SR_OUT" '"summary":{"ok":false,' "status --json: the summary is not ok"
assert_contains "$SR_OUT" '"drift":1,' "status --json: one family drifted"
sr_ok up eth1 --gateway 203.0.113.1 --gateway fe80::1
sr_ok status

pass "refusals exit with their codes, name the value and change nothing"
