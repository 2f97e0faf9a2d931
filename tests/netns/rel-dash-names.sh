#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: links named like options ("-n", "-c", "-v"): the dispatcher script and the command line take them as names.
#
# NetworkManager's dispatcher runs its scripts as `SCRIPT IFACE ACTION`; the script execs
# `symroute nm-dispatcher -- "$@"`. Without the "--", a link named "-n" was only ever
# dry-run and one named "-c" turned the action word into a config path. The script is run
# here as nm-dispatcher runs it (same argv, the event in the environment), without starting
# NetworkManager; on the command line, "--" ends the options of every subcommand.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"

ns_add peer
i=0
for name in -n -c -v; do
	i=$((i + 1))
	ip link add name "$name" type veth peer name "p$i" netns peer ||
		hard_error "cannot create a link named $name"
	ip link set dev "$name" up || hard_error "cannot bring $name up"
	ip -n peer link set dev "p$i" up || hard_error "cannot bring peer:p$i up"
done
addr . -n 198.51.100.10/25
addr . -c 203.0.113.20/24
addr . -v 198.51.100.140/25
addr peer p1 198.51.100.1/25
addr peer p2 203.0.113.1/24
addr peer p3 198.51.100.129/25
TN=$(table_of . -n)
TC=$(table_of . -c)
TV=$(table_of . -v)

# The dispatcher script as the package installs it, pointing at the binary under test.
HOOK=$SR_TMP/50-symroute
sed -e "s|@symroute_bin@|$SYMROUTE|g" "$top_srcdir/nm-dispatcher/symroute-nm-dispatcher.in" \
	>"$HOOK" || hard_error "cannot generate the dispatcher script"
chmod 755 "$HOOK"

# dispatch IFACE ACTION ADDR/PLEN GW: the script, with the environment nm-dispatcher gives it.
dispatch() {
	note "dispatcher: 50-symroute '$1' $2"
	in_ns . env -i PATH="$PATH" NM_DISPATCHER_ACTION="$2" DEVICE_IFACE="$1" \
		DEVICE_IP_IFACE="$1" IP4_NUM_ADDRESSES=1 IP4_ADDRESS_0="$3 $4" IP4_GATEWAY="$4" \
		timeout -k 2 "$SR_RUN_TIMEOUT" "$HOOK" "$1" "$2" >"$SR_TMP/out" 2>"$SR_TMP/err"
	SR_RC=$?
	SR_OUT=$(cat "$SR_TMP/out")
	SR_ERR=$(cat "$SR_TMP/err")
	[ "$SR_RC" = 0 ] || fail "50-symroute '$1' $2: exit $SR_RC: $SR_ERR"
}

dispatch -n up 198.51.100.10/25 198.51.100.1
assert_eq "" "$SR_OUT" "a link named -n: no dry-run text on stdout"
assert_match "$(ip -4 rule show)" "^31100:[[:space:]]+from 198\.51\.100\.10 lookup $TN proto $P ?\$" \
	"a link named -n: the dispatcher's up installs its rule (not a dry run)"
assert_match "$(ip -4 route show table "$TN")" "^default via 198\.51\.100\.1 dev -n proto $P" \
	"a link named -n: its table's default"

dispatch -c up 203.0.113.20/24 203.0.113.1
assert_match "$(ip -4 rule show)" "^31100:[[:space:]]+from 203\.0\.113\.20 lookup $TC proto $P ?\$" \
	"a link named -c: the dispatcher's up installs its rule (the action is not a config path)"

dispatch -c down 203.0.113.20/24 203.0.113.1
assert_not_contains "$(ip -4 rule show)" "lookup $TC " "a link named -c: down removes its rule"
assert_match "$(ip -4 rule show)" "lookup $TN proto $P" "-c's down leaves -n alone"

# The command line: "--" ends the options; what follows is the interface.
# (The dispatcher's up left main without our fallback: status, which infers what a bare `up`
# would do, may see drift and exit 9. This is about the name, not about drift.)
sr status -- -n
[ "$SR_RC" = 0 ] || [ "$SR_RC" = 9 ] || fail "status -- -n exited $SR_RC: $SR_ERR"
assert_match "$SR_OUT" "^-n \(ifindex [0-9]+\)" "status -- -n names the link"
sr_ok down -- -n
assert_not_contains "$(ip -4 rule show)" "lookup $TN " "down -- -n removes its rule"
sr_ok up -4 -g 198.51.100.1 -- -n
assert_match "$(ip -4 rule show)" "^31100:[[:space:]]+from 198\.51\.100\.10 lookup $TN proto $P ?\$" \
	"up -g GW -- -n: options before --, the name after"
sr_ok up -n -- -c
assert_not_contains "$(ip -4 rule show)" "lookup $TC " "up -n -- -c: a dry run for the link -c"
assert_match "$SR_OUT" "^ip -4 rule add priority 31100 from 203\.0\.113\.20 lookup $TC proto 73\$" \
	"up -n -- -c prints -c's commands"
sr_ok check -- -n
sr_ok show -- -n
assert_match "$SR_OUT" "dev -n " "show -- -n"
# "-v" after "--" is a name, not --verbose: this run says nothing on stderr.
sr_ok up -4 -g 198.51.100.129 -- -v
assert_eq "" "$SR_ERR" "up -- -v: not verbose"
assert_match "$(ip -4 rule show)" "^31100:[[:space:]]+from 198\.51\.100\.140 lookup $TV proto $P ?\$" "up -- -v"
sr_ok up -4 -g 198.51.100.129 -v -- -v
[ -n "$SR_ERR" ] || note "up -v -- -v printed nothing on stderr (nothing to say)"
sr_expect 2 up -- -n extra
assert_contains "$SR_ERR" "argument='extra': unexpected" "one name after --"
# The same link names, written without "--", are still read as options (getopt's rules).
sr_expect 2 down -n

pass "links named -n, -c and -v are names after --, through the dispatcher script and on the command line"
