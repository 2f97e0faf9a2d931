# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: issue 15: router advertisements from the real radvd to an `inet6 auto` uplink under the real ifup, with `symroute watch` running.
#
# Sourced by tests/netns/watch-slaac.sh and watch-renumber.sh after lib.sh,
# ifupdown-alt-lib.sh (for alt_bcp38_v6), `sandbox_enter "$@"` and ifupdown-lib.sh.
#
#  host eth0 2001:db8:a::10 ---- srv  router A (ns ra)  cli ---- ethA  far (ns far)
#       eth1 SLAAC          ---- srv  router B (ns rb)  cli ---- ethB  lo 2001:db8:f::100
#                                     fe80::2, radvd
# ifupdown brings eth0 up statically with main's default (metric 100: main's choice for new
# connections and for any reply without a rule of ours) and eth1 with `inet6 auto`: the
# if-up.d hook runs while eth1 has only its link-local address. radvd on router B's srv
# (started only when a test says so, so always after ifup returned) advertises the
# prefix; the kernel makes the SLAAC address and main's `proto ra` default via router B's
# link-local address, and no hook is called: only the watcher can give the address its rule.
# Both ISPs drop what they would forward from a source outside their own prefixes, so a reply
# from eth1's address that leaves by eth0 is lost: a TCP connection from the far side to the
# SLAAC address works only when the address's rule sends the reply back by eth1.
# Router B's srv generates no link-local address of its own (addrgenmode none): radvd
# advertises from the one the test gives it (fe80::2, later fe80::3).

WRA_RADVD_CONF=$SR_TMP/radvd.conf
WRA_WATCH_LOG=$SR_TMP/watch.log
WRA_PIO_LIFE=/proc/sys/net/ipv6/conf/eth1/ra_honor_pio_life

# wra_need: skip (77) without Debian's ifupdown or radvd.
wra_need() {
	ifud_need
	# ifupdown2 or ifupdown-ng in its place have tests of their own.
	dpkg-query -W -f='${Status}\n' ifupdown 2>/dev/null | grep -q ' installed$' ||
		skip "ifup is not Debian's ifupdown here (package ifupdown not installed)"
	command -v radvd >/dev/null 2>&1 ||
		skip "radvd not installed (Debian package radvd): it plays the ISP's router"
}

# wra_setup: the topology above, the interfaces file, the TCP listeners.
wra_setup() {
	ifud_two_routers
	ip -n rb link set srv addrgenmode none || hard_error "router B: addrgenmode none"
	# Router B also holds the prefix the renumbering moves to; its filter lets both through.
	addr rb srv 2001:db8:b:1::1/64
	ip_ns far -6 route add 2001:db8:b:1::/64 via 2001:db8:1b::1 ||
		hard_error "far side: route to B's second prefix"
	alt_bcp38_v6 ra srv 2001:db8:a::/64
	alt_bcp38_v6 rb srv 2001:db8:b::/48
	ifud_setup "auto lo
iface lo inet loopback

auto eth0
iface eth0 inet6 static
    address 2001:db8:a::10/64
    gateway 2001:db8:a::1
    metric 100

auto eth1
iface eth1 inet6 auto"
	TA=$(table_of . eth0)
	TB=$(table_of . eth1)
	note "eth0's table: $TA; eth1's: $TB"
	hello_listen far
	hello_listen .
}

# wra_radvd_conf PREFIX [WITHDRAWN-PREFIX]: what radvd advertises: PREFIX, and
# WITHDRAWN-PREFIX with lifetimes 0 (a renumbering router's "this one is gone").
# Lifetimes and intervals are long: a test sees the advertisements radvd sends when it starts
# and when it rereads this file (at once, both), and nothing expires while the test runs.
wra_radvd_conf() {
	{
		printf 'interface srv {\n\tAdvSendAdvert on;\n'
		printf '\tMaxRtrAdvInterval 600;\n\tAdvDefaultLifetime 1800;\n'
		printf '\tprefix %s { AdvValidLifetime 3600; AdvPreferredLifetime 1800; };\n' "$1"
		[ -z "${2:-}" ] ||
			printf '\tprefix %s { AdvValidLifetime 0; AdvPreferredLifetime 0; };\n' "$2"
		printf '};\n'
	} >"$WRA_RADVD_CONF" || hard_error "cannot write $WRA_RADVD_CONF"
	chmod 644 "$WRA_RADVD_CONF"
}

# wra_radvd_start: radvd on router B's srv (in the foreground, stopped by PID). It sends a
# first advertisement at once. Sets WRA_RADVD.
wra_radvd_start() {
	note "radvd starts on router B's srv: $(tr '\n\t' '  ' <"$WRA_RADVD_CONF")"
	bg_start rb radvd --nodaemon --config "$WRA_RADVD_CONF" --pidfile "$SR_TMP/radvd.pid" \
		--logmethod stderr 2>>"$SR_TMP/radvd.log"
	WRA_RADVD=$BG_PID
}

# wra_radvd_reload: radvd rereads its file and advertises what it says at once.
wra_radvd_reload() {
	note "radvd rereads its file: $(tr '\n\t' '  ' <"$WRA_RADVD_CONF")"
	kill -HUP "$WRA_RADVD" || hard_error "radvd ($WRA_RADVD) is not running: $(cat "$SR_TMP/radvd.log")"
}

# wra_radvd_stop: radvd's last advertisement says router lifetime 0: hosts drop its default.
wra_radvd_stop() {
	note "radvd stops"
	bg_stop "$WRA_RADVD"
	WRA_RADVD=
}

# wra_exited PID: PID (a child of ours) has exited (gone, or a zombie not yet waited for).
wra_exited() { [ ! -e "/proc/$1" ] || grep -q '^[0-9]* (.*) Z' "/proc/$1/stat"; }

# wra_watch_start: `symroute watch` in the background, ready once it has written its state
# file (after its first full pass). Sets WRA_WATCH.
wra_watch_start() {
	note "symroute watch -v starts"
	bg_start . "$SYMROUTE" watch -v 2>>"$WRA_WATCH_LOG"
	WRA_WATCH=$BG_PID
	wra_watch_ready() {
		grep -qx "pid=$WRA_WATCH" /run/symroute/watch.state || wra_exited "$WRA_WATCH"
	}
	wait_for 5 wra_watch_ready
	if wra_exited "$WRA_WATCH" || ! grep -qx "pid=$WRA_WATCH" /run/symroute/watch.state; then
		fail "symroute watch did not start: no /run/symroute/watch.state with pid=$WRA_WATCH
$(cat /run/symroute/watch.state 2>&1)
  its log:
$(sed 's/^/    | /' "$WRA_WATCH_LOG")"
	fi
}

# wra_watch_stop: SIGTERM: the watcher exits 0 within 1 s (scaled like wait_for's bounds).
wra_watch_stop() {
	kill -TERM "$WRA_WATCH" || fail "the watcher ($WRA_WATCH) was not running"
	wait_for 1 wra_exited "$WRA_WATCH" || fail "the watcher did not exit within 1 s of SIGTERM"
	wait "$WRA_WATCH"
	wra_rc=$?
	SR_PIDS=$(printf '%s\n' $SR_PIDS | grep -vx "$WRA_WATCH" | tr '\n' ' ')
	note "the watcher's log:"; sr_indent "$(cat "$WRA_WATCH_LOG")"
	[ "$wra_rc" = 0 ] || fail "symroute watch exited $wra_rc on SIGTERM"
}

# wra_slaac PREFIX: wait for the kernel's SLAAC address in PREFIX (2001:db8:b::/64) on eth1:
# sets WRA_ADDR.
wra_find() {
	WRA_ADDR=$(ip -6 -o addr show dev eth1 scope global to "$1" | awk '{ sub(/\/.*/, "", $4); print $4 }')
	[ -n "$WRA_ADDR" ]
}
wra_slaac() {
	wait_for 5 wra_find "$1" || fail "no SLAAC address in $1 on eth1 from radvd's advertisement:
$(ip -6 addr show dev eth1)
  radvd's log:
$(sed 's/^/    | /' "$SR_TMP/radvd.log")"
	wra_find "$1"
	assert_count "$WRA_ADDR" . 1 "one address in $1 on eth1"
	note "eth1's SLAAC address: $WRA_ADDR"
}

# The state an administrator checks, for eth1's address ADDR routed through router B at
# ROUTER (a link-local address); GONE (optional) is an address eth1 no longer has.
# wra_converged ADDR ROUTER [GONE]: quiet, for wait_for.
wra_converged() {
	ip -6 rule show | grep -qE "^31100:[[:space:]]+from $(re_quote "$1") lookup $TB proto $P ?\$" ||
		return 1
	ip -6 route show table "$TB" | grep -q "^default via $2 dev eth1 proto $P" || return 1
	[ "$(ip -6 route show table "$TB" | grep -c '^default')" = 1 ] || return 1
	[ -z "${3:-}" ] || ! ip -6 rule show | grep -qE "from $(re_quote "$3") "
}

# wra_assert WHAT ADDR ROUTER [GONE]: the same, said: rules, eth1's table, the route a reply
# from ADDR takes, and a new TCP connection from the far side to ADDR (through router B,
# which drops foreign sources; router A drops eth1's). eth0's rule stays as the hook left it.
wra_assert() {
	wra_r=$(ip -6 rule show)
	note "$1: ip -6 rule show:"; sr_indent "$wra_r"
	assert_match "$wra_r" "^31100:[[:space:]]+from $(re_quote "$2") lookup $TB proto $P ?\$" \
		"$1: eth1's address $2 has its rule into eth1's table"
	assert_count "$wra_r" " lookup $TB " 1 "$1: one rule into eth1's table (its one address)"
	assert_match "$wra_r" "^31100:[[:space:]]+from 2001:db8:a::10 lookup $TA proto $P ?\$" \
		"$1: eth0's rule as the hook left it"
	assert_count "$wra_r" "^31100:" 2 "$1: one rule per global address"
	[ -z "${4:-}" ] || assert_not_contains "$wra_r" "from $4 " "$1: no rule left for $4"
	wra_t=$(ip -6 route show table "$TB")
	note "$1: ip -6 route show table $TB:"; sr_indent "$wra_t"
	assert_match "$wra_t" "^default via $(re_quote "$3") dev eth1 proto $P" \
		"$1: eth1's table: default via router B's link-local address $3"
	assert_count "$wra_t" "^default" 1 "$1: one default in eth1's table"
	wra_g=$(ip -6 route get "$FAR6" from "$2" 2>&1)
	note "$1: ip -6 route get $FAR6 from $2:"; sr_indent "$wra_g"
	assert_match "$wra_g" " via $(re_quote "$3") dev eth1 table $TB " \
		"$1: a reply from $2 leaves by eth1 through $3"
	hello_connect far "$2" || fail "$1: a TCP connection from the far side to $2 failed"
}

# wra_wait_converged WHAT ADDR ROUTER [GONE]: wait (2 s, the issue's bound, scaled like every
# wait_for: SR_WAIT_SCALE=1 holds the test to the issue's 2 s) for the watcher to get there,
# note how long it took since $WRA_T0 (set by the caller when it made its change: radvd
# started or reloaded, the watcher started), then wra_assert.
wra_wait_converged() {
	wra_what=$1
	shift
	if ! wait_for 2 wra_converged "$@"; then
		note "the watcher's log:"; sr_indent "$(cat "$WRA_WATCH_LOG")"
		note "main: ip -6 route:"; sr_indent "$(ip -6 route show table main)"
		wra_assert "$wra_what" "$@"	# says what is missing
		fail "$wra_what: not reached within 2 s"
	fi
	note "$wra_what: in place $(wra_since "$WRA_T0") s after the test's change (polled every 0.1 s)"
	wra_assert "$wra_what" "$@"
}

# The watcher's reaction time, from the kernel's own clock as `ip -tshort monitor` stamps it:
# from the kernel's message (the SLAAC address added, main's RA default added) to the
# watcher's answer (the address's rule, the default in eth1's table). A figure for the log,
# not a verdict: wait_for bounds the wait.
# wra_monitor_start: the monitor, listening when it returns (a marker rule seen).
wra_monitor_start() {
	: >"$SR_TMP/mon"
	bg_start . ip -tshort monitor address route rule >"$SR_TMP/mon"
	WRA_MON=$BG_PID
	wra_m=0
	while :; do
		ip -6 rule add priority 7 from 2001:db8:ffff::7 lookup 99 || hard_error "cannot add marker rule"
		wait_for 1 grep -q "from 2001:db8:ffff::7 " "$SR_TMP/mon" && break
		ip -6 rule del priority 7 from 2001:db8:ffff::7 lookup 99
		wra_m=$((wra_m + 1))
		[ "$wra_m" -lt 10 ] || hard_error "ip monitor saw no marker"
	done
	ip -6 rule del priority 7 from 2001:db8:ffff::7 lookup 99 || hard_error "cannot del marker rule"
}
# wra_reaction KERNEL OURS: milliseconds from the first monitor line containing KERNEL to the
# first later one containing OURS (fixed strings); "?" if either is missing.
wra_reaction() {
	awk -v k="$1" -v o="$2" '
		function t(l) { split(substr(l, 13, 15), a, ":"); return a[1] * 3600 + a[2] * 60 + a[3] }
		!/^\[/ || /^\[[^]]*\] Deleted/ { next }
		t0 == "" && index($0, k) { t0 = t($0); next }
		t0 != "" && index($0, o) { printf "%d ms", (t($0) - t0) * 1000 + 0.5; found = 1; exit }
		END { if (!found) print "?" }' "$SR_TMP/mon"
}

# wra_note_reaction WHAT KERNEL OURS: the figure, said; the monitor stopped.
wra_note_reaction() {
	note "$1: the watcher answered the kernel's message in $(wra_reaction "$2" "$3") (ip -tshort monitor)"
	bg_stop "$WRA_MON"
}

# wra_now / wra_since T0: seconds (with milliseconds), for the notes.
wra_now() { date +%s.%N; }
wra_since() { awk -v a="$1" -v b="$(wra_now)" 'BEGIN { printf "%.2f", b - a }'; }
