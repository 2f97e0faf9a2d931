#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: `make demo`: symroute's reason to exist, narrated, in throw-away network namespaces.
#
# usage: demo.sh [PATH-TO-SYMROUTE]     (as root; nothing outside its own namespaces changes)
# A server with two uplinks answers a TCP client on its second address only once symroute
# has set up per-interface routing. Exits 0 only if that works in the end.
if [ $# -ge 1 ]; then
	case $1 in
	/*) SYMROUTE=$1 ;;
	*) SYMROUTE=$(pwd)/$1 ;;
	esac
	shift
	export SYMROUTE
fi
. "$(dirname "$0")/lib.sh"
sandbox_enter "$SYMROUTE" "$@"
command -v socat >/dev/null 2>&1 || skip "the demo needs socat"

if [ -t 1 ]; then B=$(printf '\033[1m') N=$(printf '\033[0m'); else B= N=; fi

# section TITLE; say TEXT...; show WHO CMD...: print "WHO# CMD" and CMD's output, indented.
section() { printf '\n%s== %s ==%s\n' "$B" "$*" "$N"; }
say() { printf '%s\n' "$@"; }
show() {
	who=$1
	shift
	if [ "$1" = "$SYMROUTE" ]; then
		shift
		printf '%s%s#%s symroute %s\n' "$B" "$who" "$N" "$*"
		set -- "$SYMROUTE" "$@"
	else
		printf '%s%s#%s %s\n' "$B" "$who" "$N" "$*"
	fi
	if [ "$who" = server ]; then in_ns . "$@"; else in_ns "$who" "$@"; fi >"$SR_TMP/show" 2>&1
	rc=$?
	sed 's/^/    /' "$SR_TMP/show"
	return $rc
}
# connect ADDR: the client opens a TCP connection to ADDR (2 s at most) and says how it went.
connect() {
	printf '%sclient#%s socat - TCP:%s:7000   ' "$B" "$N" "$1"
	if out=$(tcp_try cl "$1" 2); then
		printf -- '-> "%s"\n' "$out"
		return 0
	fi
	printf -- '-> no answer within 2 s\n'
	return 1
}

cat <<'EOF'
symroute demo: a multihomed server answering on the interface a connection came in on.

               198.51.100.0/25                    198.51.100.128/25
   +--------+ .10 eth0 ---- .1 [router A] .129 ---- .200 +--------+
   | server |                                              | client |
   +--------+ .20 eth1 ---- .1 [router B] .129 ---- .200 +--------+
               203.0.113.0/25                     203.0.113.128/25

The server's only default route goes through router A. Both routers refuse to forward
packets from the server's side whose source address is not from that side's subnet (BCP 38),
and the server itself runs strict reverse-path filtering, as a careful host should.
EOF

topo_two_uplinks
tcp_listen .
T0=$(table_of . eth0)
T1=$(table_of . eth1)

section "Before: one routing table for everything"
show server ip route show
connect 198.51.100.10 || fail "the server does not even answer on its first address"
connect 203.0.113.20 && fail "the second address answered without symroute: the demo is broken"
say "" "Why: an answer from 203.0.113.20 would follow the main table's default route, out of" \
	"eth0 to router A, which must drop it. The server knows that, and already drops the" \
	"client's SYN arriving on eth1, because its answer would not leave there:"
show server ip route get 198.51.100.200 from 203.0.113.20
bg_stop "$BG_PID"	# forget the half-open connections of the failed attempt
tcp_listen .

section "symroute: one table per interface, chosen by source address"
say "What symroute would do for eth1 (--dry-run prints the equivalent ip commands):"
show server "$SYMROUTE" up eth1 --gateway 203.0.113.1 --dry-run
say "" "Doing it, for both uplinks (eth0's gateway is taken from the main table):"
show server "$SYMROUTE" up eth0 || fail "symroute up eth0 failed"
show server "$SYMROUTE" up eth1 --gateway 203.0.113.1 || fail "symroute up eth1 failed"

section "After"
ok=0
a0=$(tx_packets . eth0) a1=$(tx_packets . eth1)
connect 203.0.113.20 || ok=1
d0=$(($(tx_packets . eth0) - a0)) d1=$(($(tx_packets . eth1) - a1))
connect 198.51.100.10 || ok=1
say "" "The answers from 203.0.113.20 left by eth1: $d1 packet(s) sent on eth1, $d0 on eth0."
[ "$d1" -gt 0 ] && [ "$d0" -eq 0 ] || ok=1
show server ip route get 198.51.100.200 from 203.0.113.20

section "What an administrator sees"
show server ip rule show
show server ip route show table "$T0"
show server ip route show table "$T1"
say "" "The rule at 31000 lets the main table's specific routes win (connected subnets, a VPN)," \
	"but not its default route; then each source address goes to its interface's table." \
	"Everything carries protocol 73 (\"proto symroute\"), so it is told apart from anyone else's."
show server "$SYMROUTE" show

section "Clean-up"
show server "$SYMROUTE" down eth1
show server "$SYMROUTE" down eth0
show server ip rule show
say "" "(The namespaces, routers and client vanish when the demo exits.)"

if [ "$ok" = 0 ]; then
	say "" "${B}Demo succeeded:${N} both addresses answer, each through its own uplink."
	exit 0
fi
say "" "${B}Demo FAILED:${N} see above."
exit 1
