#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: a bad symroute.conf blocks `up` (exit 6) but never reading or removing: show,
# status, check, down, flush and the if-down hook go on, warning with the file and line.
#
# Issue 16, item 4: one bad line made every command exit 6, so `apt remove` (which runs
# `symroute flush`) left every rule in the kernel. The good lines of the file still hold:
# here protocol = 80, which is how the objects to show and remove are recognised.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"

topo_two_uplinks
T0=$(table_of . eth0)
T1=$(table_of . eth1)
GOOD=$SR_TMP/good.conf
BAD=$SR_TMP/bad.conf
GARBAGE=$SR_TMP/garbage.conf
printf '[symroute]\nprotocol = 80\n' >"$GOOD"
printf '[symroute]\nprotocol = 80\npriority = 31200 # note\n' >"$BAD"
printf 'this is not a key file\n' >"$GARBAGE"

sr_ok up eth0 -c "$GOOD"
sr_ok up eth1 -c "$GOOD" --gateway 203.0.113.1
assert_match "$(rules . -4)" "^31100:	from 203\.0\.113\.20 lookup $T1 proto 80\$" "eth1's rule is there"
snapshot . "$SR_TMP/s0"

# warned WHAT: one line on stderr, naming the file, the line and what is ignored.
warned() {
	assert_count "$SR_ERR" . 1 "$1: one line on stderr"
	assert_contains "$SR_ERR" "$BAD line 3: [symroute] priority='31200 # note': inline comments are not allowed" \
		"$1: the warning names the file, the line and why"
	assert_contains "$SR_ERR" "ignoring the line: priority keeps its built-in value" \
		"$1: the warning says what is ignored"
}

# up installs what the file says: it refuses, naming the line, and changes nothing.
sr_expect 6 up eth1 -c "$BAD" --gateway 203.0.113.1
assert_count "$SR_ERR" . 1 "up: one line on stderr"
assert_contains "$SR_ERR" "$BAD line 3: [symroute] priority='31200 # note': inline comments are not allowed (a '#' starts a comment only at the start of a line)" \
	"up: the refusal says inline comments are not allowed"
assert_not_contains "$SR_ERR" "ignoring" "up: nothing is ignored, the file is refused"
snapshot . "$SR_TMP/s"
assert_files_eq "$SR_TMP/s0" "$SR_TMP/s" "up with a bad file: nothing changed"

# The readers: they work with protocol 80 from the file, and say what they ignored.
sr_ok show -c "$BAD"
warned show
assert_match "$SR_OUT" "from 203\.0\.113\.20 lookup $T1" "show lists eth1's rule (protocol 80)"
sr_ok status -c "$BAD"
warned status
assert_match "$SR_OUT" "eth1" "status reports eth1"
sr_ok check -c "$BAD"
warned check
assert_no_match "$SR_OUT" "^FAIL" "check finds nothing wrong"

# The if-down hook (ifdown eth1) removes eth1's objects.
symroute_hook() {
	note "ifupdown-hook $*"
	SR_ERR=$(env -i PATH="$PATH" IFACE=eth1 LOGICAL=eth1 ADDRFAM=inet METHOD=static "$@" \
		"$SYMROUTE" ifupdown-hook -c "$BAD" 2>&1 >/dev/null)
	SR_RC=$?
}
symroute_hook MODE=start PHASE=post-up IF_ADDRESS=203.0.113.20 IF_NETMASK=255.255.255.128 \
	IF_SYMROUTE_GATEWAY=203.0.113.1
assert_eq 6 "$SR_RC" "if-up hook with a bad file: refused ($SR_ERR)"
symroute_hook MODE=stop PHASE=pre-down
assert_eq 0 "$SR_RC" "if-down hook with a bad file ($SR_ERR)"
warned "if-down hook"
assert_no_match "$(rules . -4)" "lookup $T1" "the if-down hook removed eth1's rule"
assert_eq "" "$(ip -4 route show table "$T1" 2>/dev/null)" "the if-down hook emptied eth1's table"
assert_match "$(rules . -4)" "lookup $T0 proto 80" "eth0's rule stays"

# down by hand, then flush (what the package's removal runs).
sr_ok up eth1 -c "$GOOD" --gateway 203.0.113.1
sr_ok down eth0 -c "$BAD"
warned down
assert_no_match "$(rules . -4)" "lookup $T0" "down removed eth0's rule"
sr_ok flush -c "$BAD"
warned flush
assert_no_match "$(rules . -4)" "proto 80" "flush removed every rule of protocol 80"
assert_eq "" "$(ip -4 route show table all proto 80)" "flush removed every route of protocol 80"

# A file that is no key file at all: nothing of it holds, the built-in protocol (73) does.
sr_ok up eth1 --gateway 203.0.113.1
sr_ok flush -c "$GARBAGE"
assert_count "$SR_ERR" . 1 "flush with an unusable file: one line on stderr"
assert_contains "$SR_ERR" "$GARBAGE line 1: not a [group]" \
	"flush with an unusable file: the warning names it and the line"
assert_contains "$SR_ERR" "ignoring the file: every setting keeps its built-in value" \
	"flush with an unusable file: the warning says what is ignored"
assert_no_match "$(rules . -4)" "proto $P" "flush removed every rule of protocol 73"
sr_expect 6 up eth1 -c "$GARBAGE"

pass "a bad symroute.conf blocks up only; readers, down, flush and the if-down hook go on with a warning"
