# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: helpers for the tests of `symroute watch` (issue 15): start it, stop it by SIGTERM, wait until it has handled what came before.
#
# Sourced by tests/netns/watch-events.sh and watch-hooks.sh after lib.sh and
# `sandbox_enter "$@"`. The watcher runs in the sandbox (the server), started and ended by
# PID; its stderr (where it logs while run by hand) goes to a file that is printed when the
# test fails, so that a failure shows what the watcher did and said.

WATCH_N=0
WATCH_LOGS=

# On exit: the watcher's logs when the test did not pass, then lib.sh's cleanup (which ends
# the watcher by its PID, like every process bg_start started).
watch_cleanup() {
	watch_rc=$?
	if [ "$watch_rc" != 0 ] && [ "$watch_rc" != 77 ]; then
		for watch_l in $WATCH_LOGS; do
			note "$watch_l (last 60 lines):"
			tail -n 60 "$watch_l" | sed 's/^/#   | /'
		done
	fi
	(exit "$watch_rc")
	sandbox_cleanup
}
trap watch_cleanup EXIT

# watch_start [ARGS...]: `symroute watch ARGS` in the background in the sandbox, stdout and
# stderr in $WATCH_LOG; sets WATCH_PID (symroute's own PID: bg_start runs it without a shell
# in between, so the signals below reach it).
watch_start() {
	WATCH_N=$((WATCH_N + 1))
	WATCH_LOG=$SR_TMP/watch.$WATCH_N.log
	WATCH_LOGS="$WATCH_LOGS $WATCH_LOG"
	note "symroute watch $* (log: $WATCH_LOG)"
	bg_start . "$SYMROUTE" watch "$@" >"$WATCH_LOG" 2>&1
	WATCH_PID=$BG_PID
}

# watch_running: `symroute status` says that this watcher runs (it has written its state).
watch_running() {
	in_ns . "$SYMROUTE" status 2>/dev/null | grep -q "^watcher: running (pid $WATCH_PID) "
}

# watch_ready: the watcher started and says so in `symroute status`; fails if it exited.
watch_ready() {
	wait_for 2 watch_running && return 0
	watch_exited "$WATCH_PID" && fail "symroute watch exited at start: $(cat "$WATCH_LOG")"
	fail "symroute status does not report the watcher (pid $WATCH_PID) as running:
$(in_ns . "$SYMROUTE" status 2>&1 | grep '^watcher')"
}

# watch_exited PID: the process is gone or a zombie (exited, not yet reaped by this shell).
watch_exited() {
	[ ! -e "/proc/$1" ] || grep -q '^[0-9]* (.*) Z' "/proc/$1/stat" 2>/dev/null
}

# watch_stop: SIGTERM; the watcher must exit 0 within 1 s (stretched by SR_WAIT_SCALE like
# every wait of the suite; the time it took is printed) and leave rules and routes exactly as
# they were. Call it once the watcher has nothing left to do (after a wait or a barrier).
watch_stop() {
	snapshot . "$SR_TMP/stop.before"
	watch_t0=$(date +%s%N)
	kill -TERM "$WATCH_PID" 2>/dev/null || fail "the watcher (pid $WATCH_PID) was not running"
	wait_for 1 watch_exited "$WATCH_PID" ||
		fail "symroute watch did not exit within $SR_WAIT_SCALE s of SIGTERM"
	watch_t1=$(date +%s%N)
	wait "$WATCH_PID"
	watch_status=$?
	SR_PIDS=$(printf '%s\n' $SR_PIDS | grep -vx "$WATCH_PID" | tr '\n' ' ')
	note "SIGTERM: symroute watch exited $watch_status after about $(((watch_t1 - watch_t0) / 1000000)) ms"
	[ "$watch_status" = 0 ] || fail "symroute watch exited $watch_status on SIGTERM, not 0"
	snapshot . "$SR_TMP/stop.after"
	assert_files_eq "$SR_TMP/stop.before" "$SR_TMP/stop.after" \
		"the watcher leaves rules and routes as they were when it stops"
	assert_match "$(in_ns . "$SYMROUTE" status 2>&1)" "^watcher: not running" \
		"symroute status after SIGTERM"
}

# watch_barrier IF ADDR/PLEN: returns once the watcher has handled every event that came
# before it. ADDR (unused elsewhere) is added to IF, an uplink the watcher manages; its rule
# must appear, and go when the address is removed. The watcher handles an interface's events
# about 100 ms after the first of a burst, in the order the bursts began, so anything that
# happened before the address was added has been acted on (or, rightly, not) by then. The
# rule goes before the run that removes it ends: the table's default, re-stamped with its
# rules' fingerprint (symroute(8)), is back at its earlier metric, alone, once it has.
watch_barrier() {
	watch_a=${2%/*}
	case $2 in *:*) watch_f=-6 ;; *) watch_f=-4 ;; esac
	watch_t=$(table_of . "$1")
	watch_m=$(ip $watch_f route show table "$watch_t" | sed -n 's/^default .* metric \([0-9]*\).*/\1/p')
	addr . "$1" "$2"
	wait_for 2 sh -c "ip $watch_f rule show | grep -q 'from $watch_a lookup '" ||
		fail "barrier: no rule for $watch_a, added to $1, within 2 s: $(ip $watch_f rule show)"
	ip_ns . addr del "$2" dev "$1" || hard_error "cannot remove $2 from $1"
	wait_for 2 sh -c "! ip $watch_f rule show | grep -q 'from $watch_a lookup '" ||
		fail "barrier: the rule for $watch_a stayed after the address went: $(ip $watch_f rule show)"
	[ -z "$watch_m" ] ||
		wait_for 2 sh -c "[ \"\$(ip $watch_f route show table $watch_t | grep -c '^default')\" = 1 ] &&
			ip $watch_f route show table $watch_t | grep -q '^default .* metric $watch_m '" ||
		fail "barrier: table $watch_t's default not back at metric $watch_m: $(ip $watch_f route show table "$watch_t")"
}

# phase NAME: note how long the previous phase took (figures for the report; the machine's
# load shows in them).
WATCH_PHASE_T=$(date +%s%N)
WATCH_PHASE=setup
phase() {
	watch_now=$(date +%s%N)
	note "-- $WATCH_PHASE took $(((watch_now - WATCH_PHASE_T) / 1000000)) ms; now: $1"
	WATCH_PHASE_T=$watch_now
	WATCH_PHASE=$1
}
