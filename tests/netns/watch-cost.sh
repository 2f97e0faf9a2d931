#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: what `symroute watch` costs (issue 15): nothing while idle, and under a routing
# daemon's churn of 20,000 foreign routes on another interface, under 10 % of one core and
# 8 MiB, with our rules and tables untouched and no action taken.
#
# The watcher runs as the service runs it (no -v). Its CPU is its own user + system time from
# /proc/PID/stat, which a loaded machine does not inflate (what load stretches is the churn's
# wall time, and a slower churn is a gentler one: the ratio stays what the issue asks for).
# The routes are host routes in 198.18.0.0/15 (RFC 2544 benchmark space) and /64s inside
# 2001:db8:ffff::/48, on rd0, a veth link (this kernel has no dummy driver) that is no uplink:
# no default route, no state of ours, no [interface] group.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"

ROUTES=20000		# the issue's figure: half IPv4, half IPv6
BATCH=1000		# lines per `ip -batch`, as a daemon installs a table in bursts
CPU_PERCENT_MAX=10
RSS_KIB_MAX=8192
IDLE_SECONDS=10

# /proc/PID/stat after the command name: field N of stat(5) is $((N - 2)) here.
proc_stat() { sed 's/^.*) //' "/proc/$1/stat"; }
proc_state() { proc_stat "$1" | cut -d' ' -f1; }
proc_cpu() { proc_stat "$1" | awk '{ print $12 + $13 }'; }	# utime + stime, ticks
proc_wakeups() { awk '/^(non)?voluntary_ctxt_switches:/ { n += $2 } END { print n }' "/proc/$1/status"; }
proc_status_kib() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
TICK_MS=$((1000 / $(getconf CLK_TCK)))
now_ms() { echo $(($(date +%s%N) / 1000000)); }

topo_two_uplinks v6
sr_ok up eth0 --gateway 198.51.100.1 --gateway 2001:db8:a::1
sr_ok up eth1 --gateway 203.0.113.1 --gateway fe80::1
T0=$(table_of . eth0)
T1=$(table_of . eth1)
R=$(rules . -4; rules . -6)
assert_count "$R" "lookup ($T0|$T1) proto $P" 4 "precondition: both uplinks managed, both families"

ip_ns . link add rd0 type veth peer name rd0p || hard_error "cannot create rd0"
ip_ns . link set rd0 up && ip_ns . link set rd0p up || hard_error "cannot bring rd0 up"
addr . rd0 192.0.2.1/24 2001:db8:ffff::1/64
settle .

# The churn: BATCH/2 IPv4 and BATCH/2 IPv6 routes per file, via a neighbour on rd0 with a
# routing daemon's protocol number (186, "bgp" in iproute2's rt_protos).
awk -v n="$ROUTES" -v b="$BATCH" -v dir="$SR_TMP" -f "$top_srcdir/tests/netns/churn-batches.awk" ||
	hard_error "cannot write the churn's batch files"
NBATCH=$(ls "$SR_TMP"/churn-*.add | wc -l)

snapshot . "$SR_TMP/before-watch"

# ---- the watcher, as the service starts it ----------------------------------------------
WLOG=$SR_TMP/watch.log
bg_start . "$SYMROUTE" watch >"$WLOG" 2>&1
W=$BG_PID
# Measured by PID: that PID must be the binary itself (once the forked shell has exec'd it).
is_symroute() { [ "$(readlink "/proc/$1/exe")" = "$(readlink -f "$SYMROUTE")" ]; }
wait_for 5 is_symroute "$W" || hard_error "PID $W is not the symroute binary: $(readlink "/proc/$W/exe")"
ASAN=
grep -q __asan_init "$SYMROUTE" 2>/dev/null && ASAN=yes

watcher_started() { grep -qx "pid=$W" /run/symroute/watch.state; }
# Worked through what it was sent: asleep, and neither CPU nor a wake-up over half a second.
watcher_quiet() {
	q_cpu=$(proc_cpu "$W") q_wake=$(proc_wakeups "$W")
	sleep 0.5
	[ "$(proc_state "$W")" = S ] && [ "$(proc_cpu "$W")" = "$q_cpu" ] &&
		[ "$(proc_wakeups "$W")" = "$q_wake" ]
}
watcher_alive() {
	kill -0 "$W" 2>/dev/null && return 0
	fail "$1: the watcher is gone; its log:
$(sed 's/^/    | /' "$WLOG")"
}
wait_for 10 watcher_started || { watcher_alive "start"; fail "no /run/symroute/watch.state with pid=$W:
$(cat /run/symroute/watch.state 2>&1)"; }
wait_for 10 watcher_quiet || fail "the watcher never settled after its first pass (state $(proc_state "$W"), log:
$(sed 's/^/    | /' "$WLOG"))"
note "after the first pass: VmHWM $(proc_status_kib "$W" VmHWM) KiB, VmRSS $(proc_status_kib "$W" VmRSS) KiB"
snapshot . "$SR_TMP/before"
cmp -s "$SR_TMP/before-watch" "$SR_TMP/before" ||
	note "the first pass changed the state: $(diff "$SR_TMP/before-watch" "$SR_TMP/before" | grep '^[<>]' | tr '\n' ' ')"

# ---- 1. idle: no CPU, no wake-up, asleep in poll() with no timeout ----------------------
c0=$(proc_cpu "$W") w0=$(proc_wakeups "$W")
sleep "$IDLE_SECONDS"	# the measurement itself: nothing is being waited for
c1=$(proc_cpu "$W") w1=$(proc_wakeups "$W")
watcher_alive "idle"
note "idle ${IDLE_SECONDS} s: $((c1 - c0)) tick(s) of CPU, $((w1 - w0)) wake-up(s)"
[ $((c1 - c0)) -le 1 ] || fail "idle: the watcher used $((c1 - c0)) ticks of CPU in ${IDLE_SECONDS} s"
# A timer of any period shorter than the interval wakes the process: a context switch.
[ "$w1" = "$w0" ] || fail "idle: the watcher woke $((w1 - w0)) time(s) in ${IDLE_SECONDS} s with nothing happening"
st=$(proc_state "$W")
wchan=$(cat "/proc/$W/wchan" 2>/dev/null)
note "idle: state $st, wchan $wchan, syscall $(cat "/proc/$W/syscall" 2>/dev/null)"
[ "$st" = S ] || fail "idle: the watcher is in state $st, not S (asleep)"
case $wchan in
*poll*) ;;
*) fail "idle: the watcher sleeps in $wchan, not in poll" ;;
esac
# "poll() with no timeout": the blocked system call and its timeout argument (x86-64 numbers:
# poll 7 timeout -1; ppoll 271 no timespec; epoll_wait 232 / epoll_pwait 281 timeout -1).
if [ "$(uname -m)" = x86_64 ]; then
	set -- $(cat "/proc/$W/syscall")
	case "$1:$4:$5" in
	7:0xffffffff*:* | 271:0x0:* | 232:*:0xffffffff* | 281:*:0xffffffff*) ;;
	*) fail "idle: blocked in a system call with a timeout: /proc/$W/syscall: $*" ;;
	esac
fi

# ---- 2. churn: 20,000 foreign routes added and removed on rd0 ----------------------------
LOG_FROM=$(wc -l <"$WLOG")
c0=$(proc_cpu "$W") w0=$(proc_wakeups "$W")
t0=$(now_ms)
for f in "$SR_TMP"/churn-*.add; do
	ip -batch "$f" || fail "ip -batch $f failed"
done
t1=$(now_ms)
n4=$(ip -4 route show proto 186 | wc -l)
n6=$(ip -6 route show proto 186 | wc -l)
[ $((n4 + n6)) = "$ROUTES" ] || fail "the churn installed $n4 + $n6 routes, not $ROUTES"
t2=$(now_ms)
for f in "$SR_TMP"/churn-*.del; do
	ip -batch "$f" || fail "ip -batch $f failed"
done
t3=$(now_ms)
# What the churn left in the watcher's socket is part of its cost: wait until it is done.
wait_for 10 watcher_quiet || fail "the watcher never settled after the churn (state $(proc_state "$W"))"
c1=$(proc_cpu "$W") w1=$(proc_wakeups "$W")
watcher_alive "churn"
wall=$((t1 - t0 + t3 - t2))
cpu=$(((c1 - c0) * TICK_MS))
hwm=$(proc_status_kib "$W" VmHWM)
note "churn: $ROUTES routes added and removed in $((2 * NBATCH)) ip -batch runs, ${wall} ms"
note "watcher: ${cpu} ms CPU ($((c1 - c0)) ticks, $((cpu * 100 / wall)) % of the churn's wall time), $((w1 - w0)) wake-up(s), VmHWM ${hwm} KiB, VmRSS $(proc_status_kib "$W" VmRSS) KiB"

CHURN_LOG=$(tail -n +"$((LOG_FROM + 1))" "$WLOG")
[ -z "$CHURN_LOG" ] || note "the watcher's log during the churn:
$(printf '%s\n' "$CHURN_LOG" | sed 's/^/    | /')"
assert_no_match "$CHURN_LOG" "watch: .*: up" "no action for foreign routes on a non-uplink"
snapshot . "$SR_TMP/after"
assert_files_eq "$SR_TMP/before" "$SR_TMP/after" "our rules and tables are the same after the churn"

# Still listening after the churn (a watcher that heard nothing would pass everything above):
# an address added to eth1 gets its rule, and loses it with the address.
rule_for() { ip -4 rule show | grep -q "from $1 lookup $T1 proto $P"; }
addr . eth1 203.0.113.21/25
wait_for 2 rule_for 203.0.113.21 || fail "after the churn, a new address on eth1 got no rule:
$(ip -4 rule show | sed 's/^/    | /')"
ip_ns . addr del 203.0.113.21/25 dev eth1 || hard_error "cannot remove 203.0.113.21 from eth1"
wait_for 2 eval '! rule_for 203.0.113.21' || fail "after the churn, the rule of a removed address stayed"

if [ -n "$ASAN" ]; then
	note "sanitizer build: CPU and RSS are not the shipped binary's; their thresholds are not judged"
else
	[ $((cpu * 100)) -lt $((CPU_PERCENT_MAX * wall)) ] ||
		fail "churn: the watcher used ${cpu} ms of CPU during ${wall} ms of churn (limit ${CPU_PERCENT_MAX} %)"
	[ "$hwm" -lt "$RSS_KIB_MAX" ] || fail "the watcher's peak RSS is ${hwm} KiB (limit ${RSS_KIB_MAX} KiB)"
fi

bg_stop "$W"
pass "idle: no CPU and no wake-up in ${IDLE_SECONDS} s; churn of $ROUTES routes: ${cpu} ms CPU in ${wall} ms, peak RSS ${hwm} KiB, state unchanged"
