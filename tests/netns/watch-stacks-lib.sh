# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: helpers for the watcher's stack tests (watch-networkd.sh, watch-nm-ra.sh): the
# watcher in the background, radvd on a router, kernel event times, IPv6 source filtering.
#
# Sourced after lib.sh (or nm-lib.sh, which sources it): only defines functions.

# ---------------------------------------------------------------------------------------------
# The watcher

# ws_watch_start: `symroute watch -v` in the sandbox, its stderr in $SR_TMP/watch.log; sets
# WATCH_PID and returns once the watcher has written its state file (after its first full pass),
# naming its own PID. Not through sr_exec: that bounds a run to $SR_RUN_TIMEOUT seconds, and
# the watcher runs until it is told to stop.
ws_watch_start() {
	: >"$SR_TMP/watch.log"
	bg_start . "$SYMROUTE" watch ${SR_CONFIG_FILE:+--config "$SR_CONFIG_FILE"} -v \
		2>>"$SR_TMP/watch.log"
	WATCH_PID=$BG_PID
	wait_for 5 grep -qx "pid=$WATCH_PID" /run/symroute/watch.state ||
		fail "symroute watch (pid $WATCH_PID) wrote no /run/symroute/watch.state naming it:
$(cat /run/symroute/watch.state 2>&1)
  its log:
$(sed 's/^/    | /' "$SR_TMP/watch.log")"
	note "symroute watch running (pid $WATCH_PID)"
}

# ws_gone PID: the process has exited (gone, or a zombie waiting for us).
ws_gone() { [ ! -e "/proc/$1/stat" ] || [ "$(cut -d' ' -f3 "/proc/$1/stat")" = Z ]; }

# ws_watch_stop: SIGTERM; the contract: exit 0 within a second, routing left as it is.
ws_watch_stop() {
	kill -TERM "$WATCH_PID" 2>/dev/null || fail "the watcher (pid $WATCH_PID) was not running"
	wait_for 1 ws_gone "$WATCH_PID" || fail "the watcher did not exit within 1 s of SIGTERM"
	wait "$WATCH_PID"
	ws_rc=$?
	SR_PIDS=$(printf '%s\n' $SR_PIDS | grep -vx "$WATCH_PID" | tr '\n' ' ')
	[ "$ws_rc" = 0 ] || fail "the watcher exited $ws_rc on SIGTERM; its log:
$(tail -20 "$SR_TMP/watch.log")"
}

# ws_watch_log: what the watcher said, for failure messages and notes.
ws_watch_log() { sed 's/^/    | /' "$SR_TMP/watch.log"; }

# ---------------------------------------------------------------------------------------------
# Kernel event times: `ip -ts monitor` stamps every route, rule and address message as the
# kernel sends it, so the watcher's reaction time is measured between two kernel events (the
# stack's change, our rule), not by the test's own polling.

ws_monitor_start() {
	: >"$SR_TMP/events"
	bg_start . ip -ts monitor route rule address >"$SR_TMP/events"
	WS_MON_PID=$BG_PID
	# Listening once it reports a change: a throw-away rule (not ours, a priority nobody uses).
	ws_try=0
	until grep -q 'from 198\.51\.100\.252 ' "$SR_TMP/events"; do
		ip -4 rule add priority 6 from 198.51.100.252 lookup 98 2>/dev/null
		ip -4 rule del priority 6 from 198.51.100.252 lookup 98 2>/dev/null
		ws_try=$((ws_try + 1))
		[ "$ws_try" -lt 50 ] || hard_error "ip monitor does not report anything"
		sleep 0.1
	done
}

# ws_event_time ERE [AFTER-LINE]: seconds since midnight (with microseconds) of the first
# message matching ERE (after line AFTER-LINE of the log, default 0); empty if none yet.
ws_event_time() {
	tail -n +"$((${2:-0} + 1))" "$SR_TMP/events" | grep -E -e "$1" | head -1 |
		sed -n 's/^\[[0-9-]*T\([0-9]*\):\([0-9]*\):\([0-9.]*\)\].*/\1 \2 \3/p' |
		awk '{ printf "%.6f\n", $1 * 3600 + $2 * 60 + $3 }'
}

# ws_events_now: the number of lines logged so far (for ws_event_time's AFTER-LINE).
ws_events_now() { wc -l <"$SR_TMP/events"; }

# ws_reaction WHAT CAUSE-ERE EFFECT-ERE [AFTER-LINE]: milliseconds from the first CAUSE to the
# first EFFECT after it (both already logged); sets WS_MS and notes it.
ws_reaction() {
	ws_c=$(ws_event_time "$2" "${4:-0}")
	ws_e=$(ws_event_time "$3" "${4:-0}")
	[ -n "$ws_c" ] || hard_error "$1: no kernel message matching $2 in the monitor's log"
	[ -n "$ws_e" ] || hard_error "$1: no kernel message matching $3 in the monitor's log"
	WS_MS=$(awk -v c="$ws_c" -v e="$ws_e" 'BEGIN { printf "%d\n", (e - c) * 1000 }')
	note "$1: the watcher's change came ${WS_MS} ms after the stack's"
}

# ---------------------------------------------------------------------------------------------
# Routers

# ws_radvd NS IFACE NAME PREFIX...: radvd on NS:IFACE advertising PREFIX.../64 (autonomous, on
# link) and itself as default router, every 3 to 4 s (the first ones sooner), answering
# solicitations at once. NAME names its files ($SR_TMP/radvd-NAME.*); sets RADVD_PID.
# Stopping it (bg_stop) makes it send a last advertisement with router lifetime 0.
ws_radvd() {
	command -v radvd >/dev/null 2>&1 || skip "radvd not installed"
	ws_ns=$1
	ws_name=$3
	shift
	ws_radvd_conf "$@"
	: >>"$SR_TMP/radvd-$ws_name.log"
	bg_start "$ws_ns" radvd --nodaemon --config "$SR_TMP/radvd-$ws_name.conf" \
		--pidfile "$SR_TMP/radvd-$ws_name.pid" --logmethod stderr \
		>>"$SR_TMP/radvd-$ws_name.log" 2>&1
	RADVD_PID=$BG_PID
}

# ws_radvd_conf IFACE NAME PREFIX...: (re)writes the configuration ws_radvd starts with; a
# running radvd reads it again on SIGHUP (ws_radvd_reload).
ws_radvd_conf() {
	ws_if=$1
	ws_name=$2
	shift 2
	{
		printf 'interface %s {\n\tAdvSendAdvert on;\n\tMinRtrAdvInterval 3;\n' "$ws_if"
		printf '\tMaxRtrAdvInterval 4;\n\tAdvDefaultLifetime 60;\n'
		for ws_p in "$@"; do
			printf '\tprefix %s {\n\t\tAdvOnLink on;\n\t\tAdvAutonomous on;\n\t};\n' "$ws_p"
		done
		printf '};\n'
	} >"$SR_TMP/radvd-$ws_name.conf"
}

# ws_radvd_reload NS IFACE NAME PREFIX...: the running radvd (RADVD_PID) advertises PREFIX...
ws_radvd_reload() {
	shift
	ws_radvd_conf "$@"
	kill -HUP "$RADVD_PID" || hard_error "radvd (pid $RADVD_PID) is not running"
}

# ws_router_ll NS IFACE ADDR: IFACE's only link-local address is ADDR (a router advertises
# from its link-local address; the kernel's own one would make two, and would come back
# whenever the link regains its carrier, unless the kernel is told to make none).
ws_router_ll() {
	ip_ns "$1" link set dev "$2" addrgenmode none || hard_error "$1:$2: addrgenmode none"
	for ws_a in $(ip_ns "$1" -6 -o addr show dev "$2" scope link |
		awk '{ sub(/\/.*/, "", $4); print $4 }'); do
		[ "$ws_a" = "$3" ] || ip_ns "$1" -6 addr del "$ws_a/64" dev "$2" ||
			hard_error "cannot remove $ws_a from $1:$2"
	done
	ip_ns "$1" -6 addr show dev "$2" scope link | grep -q "inet6 $3/" ||
		addr "$1" "$2" "$3/64"
}

# ws_bcp38_v6 NS IFACE PREFIX...: router NS drops what it would forward from IFACE (its
# customer side) with a source outside the PREFIXes: IPv6 has no rp_filter, and lib.sh's
# routers filter IPv4 only. Policy rules do it; what is addressed to the router itself
# (neighbour and router discovery included) matched the local table already, at priority 0.
ws_bcp38_v6() {
	ws_ns=$1
	ws_if=$2
	shift 2
	for ws_p in "$@"; do
		ip_ns "$ws_ns" -6 rule add priority 100 iif "$ws_if" from "$ws_p" lookup main ||
			hard_error "$ws_ns: IPv6 rule for the customer's prefix $ws_p"
	done
	ip_ns "$ws_ns" -6 rule add priority 101 iif "$ws_if" prohibit ||
		hard_error "$ws_ns: IPv6 rule dropping foreign sources"
}
