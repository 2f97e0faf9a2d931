#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: the run lock /run/symroute.lock: root's alone (0600), never followed, and its errors exit 5 with their own words.
#
# A lock file at 0644 let any user open it and hold a shared lock: every run then waited and
# gave up (exit 5). One owned by another user, a symbolic link or a directory gave exit 1,
# "the kernel refused". Now: our own file is set to 0600 on the next run; anything else is
# refused with exit 5 and a line saying what is wrong, and nothing changes.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"
command -v setpriv >/dev/null 2>&1 || skip "setpriv (util-linux) not installed"
command -v flock >/dev/null 2>&1 || skip "flock (util-linux) not installed"

L=/run/symroute.lock
ns_add peer
veth_pair . eth1 peer p1
addr . eth1 198.51.100.10/24
addr peer p1 198.51.100.1/24
printf '[symroute]\nlock-timeout-ms = 200\n' >"$SR_TMP/fast.conf"

# A lock file left at 0644 (by an older version, or by hand) is put right by the next run.
rm -f "$L"
: >"$L"
chmod 0644 "$L"
sr_ok up eth1 -g 198.51.100.1 -c "$SR_TMP/fast.conf"
assert_eq 600 "$(stat -c %a "$L")" "the run set the lock file to 0600"
# ... so another user can no longer open it to hold a shared lock.
if setpriv --reuid=65534 --regid=65534 --clear-groups flock -s -n "$L" true 2>/dev/null; then
	fail "user 65534 could lock $L"
fi
sr_ok up eth1 -g 198.51.100.1 -c "$SR_TMP/fast.conf"

snapshot . "$SR_TMP/before"
# refuse WHAT MESSAGE: up and flush exit 5 with MESSAGE on one line; nothing changes.
refuse() {
	for cmd in "up eth1 -g 198.51.100.1" "down eth1" "flush"; do
		# shellcheck disable=SC2086
		sr $cmd -c "$SR_TMP/fast.conf"
		[ "$SR_RC" = 5 ] || fail "$1: symroute $cmd: expected exit 5, got $SR_RC: $SR_ERR"
		assert_eq "symroute: cannot take the lock $L: $2" "$SR_ERR" "$1: symroute $cmd says why"
		snapshot . "$SR_TMP/after"
		assert_files_eq "$SR_TMP/before" "$SR_TMP/after" "$1: symroute $cmd changed nothing"
	done
}

# Another user's file: refused, not repaired (its owner could hold it whatever the mode).
chown 65534 "$L"
refuse "a lock file owned by uid 65534" "owned by uid 65534, not by root: another user could hold it; remove it"
assert_eq 600 "$(stat -c %a "$L")" "another user's lock file is left as it is"

# A symbolic link is not followed: nothing is created where it points.
rm -f "$L"
ln -s "$SR_TMP/elsewhere" "$L"
refuse "a symbolic link" "a symbolic link; remove it"
[ ! -e "$SR_TMP/elsewhere" ] || fail "symroute created the symbolic link's target"

rm -f "$L"
mkdir "$L"
refuse "a directory" "not a regular file; remove it"
rmdir "$L"

mkfifo "$L"
refuse "a FIFO" "not a regular file; remove it"
rm -f "$L"

# The dry run takes no lock: it works whatever the file is.
mkdir "$L"
sr_ok up eth1 -g 198.51.100.1 --dry-run
rmdir "$L"

# Held by another run: exit 5, with its own words.
bg_start . sh -c "exec 9>$L && flock 9 && exec sleep 30"
HOLDER=$BG_PID
wait_for 5 sh -c "! flock -n $L true" || hard_error "flock did not take the lock"
sr up eth1 -g 198.51.100.1 -c "$SR_TMP/fast.conf"
bg_stop "$HOLDER"
[ "$SR_RC" = 5 ] || fail "lock held: expected exit 5, got $SR_RC: $SR_ERR"
assert_eq "symroute: another symroute run held $L for more than 200 ms" "$SR_ERR" "lock held: the message"
sr_ok up eth1 -g 198.51.100.1 -c "$SR_TMP/fast.conf"

pass "the lock file is 0600 and root's; a link, a directory, a FIFO or another user's file is refused with exit 5"
