#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: the dry run's lines are safe to pipe into sh: link names that are shell code stay names.
#
# A link may be named "$(touch${IFS}x)" (the kernel refuses only '/', ':', whitespace and
# NUL). `symroute up NAME --dry-run | sh` once ran that code. The lines quote every name that
# needs it; ordinary ones are printed as before (tests/unit/test-show.c). Here: piped into sh
# in an empty directory, the lines create no file, and they work: the state they build is the
# one symroute builds itself (a real run afterwards has nothing left to do).
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"

ns_add peer
N1='$(touch${IFS}x)'
N2="'\`touch\${IFS}y\`"
ip link add name "$N1" type veth peer name p1 netns peer || hard_error "cannot create link $N1"
ip link add name "$N2" type veth peer name p2 netns peer || hard_error "cannot create link $N2"
for n in "$N1" "$N2"; do
	ip link set dev "$n" up || hard_error "cannot bring $n up"
done
ip -n peer link set p1 up && ip -n peer link set p2 up || hard_error "peer links"
addr . "$N1" 198.51.100.10/25
addr . "$N2" 203.0.113.20/25 2001:db8:2::20/64
addr peer p1 198.51.100.1/25
addr peer p2 203.0.113.1/25 2001:db8:2::1/64
settle . peer
WORK=$SR_TMP/work
mkdir -p "$WORK"

# replay NAME ARGS...: `symroute up NAME ARGS... --dry-run | sh` in $WORK; then a real run
# must find nothing to change.
replay() {
	name=$1
	shift
	sr_ok up "$name" "$@" --dry-run
	note "dry run for '$name':"
	sr_indent "$SR_OUT"
	(cd "$WORK" && printf '%s\n' "$SR_OUT" | sh -e) >"$SR_TMP/sh.out" 2>&1
	rc=$?
	assert_eq "" "$(ls -A "$WORK")" "sh ran no code from the name '$name'"
	[ "$rc" = 0 ] || fail "the dry run's lines fail in sh: $(cat "$SR_TMP/sh.out")"
	assert_contains "$SR_OUT" "dev '" "the name is quoted"
	snapshot . "$SR_TMP/replayed"
	sr_ok up "$name" "$@" -v
	snapshot . "$SR_TMP/real"
	assert_files_eq "$SR_TMP/replayed" "$SR_TMP/real" \
		"the replayed lines built what symroute builds for '$name'"
	assert_no_match "$SR_ERR" "^symroute: ip " "a real run after the replay changes nothing"
}

replay "$N1" -g 198.51.100.1 --rp-filter loose
assert_match "$(ip -4 rule show)" "from 198\.51\.100\.10 lookup $(table_of . "$N1") proto $P" \
	"the replay installed $N1's rule"
assert_eq 2 "$(cat "/proc/sys/net/ipv4/conf/$N1/rp_filter")" "the replayed sysctl line set rp_filter"
replay "$N2" -g 203.0.113.1 -g 2001:db8:2::1
assert_match "$(ip -6 route show table "$(table_of . "$N2")")" "^default via 2001:db8:2::1 dev" \
	"the replay installed $N2's IPv6 default"

# down, too: its lines remove what the replays built.
sr_ok down "$N1" --dry-run
(cd "$WORK" && printf '%s\n' "$SR_OUT" | sh -e) >"$SR_TMP/sh.out" 2>&1 ||
	fail "down's dry run fails in sh: $(cat "$SR_TMP/sh.out")"
assert_eq "" "$(ls -A "$WORK")" "down's lines ran no code from the name"
assert_not_contains "$(ip -4 rule show)" "lookup $(table_of . "$N1") " "down's lines removed $N1's rule"

pass "names that are shell code are quoted in the dry run; its lines replay in sh as symroute runs"
