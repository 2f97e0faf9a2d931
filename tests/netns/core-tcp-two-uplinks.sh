#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: the reason symroute exists, as a test. A server with two uplinks, strict reverse-
# path filtering on the server and BCP 38 at both routers (topology: lib.sh,
# topo_two_uplinks): a TCP connection to the second address fails without symroute and
# works with it, and every reply leaves through the interface its request came in on.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"
command -v socat >/dev/null 2>&1 || skip "socat not installed"

topo_two_uplinks
tcp_listen .
LISTENER=$BG_PID

# counters NAME: remember the server's tx counters under NAME.
counters() { eval "$1_0=$(tx_packets . eth0) $1_1=$(tx_packets . eth1)"; }
# sent NAME: "D0 D1", packets sent on eth0 and eth1 since `counters NAME`.
sent() { eval "echo \$(($(tx_packets . eth0) - $1_0)) \$(($(tx_packets . eth1) - $1_1))"; }

# Without symroute.
out=$(tcp_try cl 198.51.100.10) || fail "without symroute, TCP to the primary address failed: $out"
note "without symroute, TCP to 198.51.100.10 (via A): $out"
if out=$(tcp_try cl 203.0.113.20); then
	fail "without symroute, TCP to 203.0.113.20 worked: the topology does not filter: $out"
fi
note "without symroute, TCP to 203.0.113.20 (via B): refused by the server's rp_filter"

# The routers' BCP 38 on its own: with the server's filter off, the SYN gets in, but the
# answer leaves by eth0 (main's default) with source 203.0.113.20 and router A drops it.
ns_sysctl . net.ipv4.conf.all.rp_filter 0
counters c
if out=$(tcp_try cl 203.0.113.20); then
	fail "with the server's rp_filter off, TCP to 203.0.113.20 worked: router A lets it through"
fi
set -- $(sent c)
note "server rp_filter off: TCP to 203.0.113.20 failed; eth0 sent $1, eth1 sent $2 packet(s)"
[ "$1" -ge 1 ] || fail "expected the misrouted SYN-ACKs to leave via eth0 (eth0 sent $1)"
ns_sysctl . net.ipv4.conf.all.rp_filter 1
# The server would go on retransmitting those SYN-ACKs for a minute (by then through eth1,
# muddling the counters below): a new listener starts without the old half-open connection.
bg_stop "$LISTENER"
tcp_listen .

# With symroute.
sr_ok up eth0
sr_ok up eth1 --gateway 203.0.113.1

# Only the server's segments count: a neighbour probe on the other link is no misrouted reply.
for t in "198.51.100.10 eth0" "203.0.113.20 eth1"; do
	set -- $t
	capture_start . eth0 "tcp and src port 7000"
	capture_start . eth1 "tcp and src port 7000"
	out=$(tcp_try cl "$1") || fail "with symroute, TCP to $1 failed: $out"
	set -- "$1" "$2" "$(capture_count . eth0 198.51.100.1)" "$(capture_count . eth1 203.0.113.1)"
	note "with symroute, TCP to $1: $out; eth0 sent $3, eth1 sent $4 segment(s) from port 7000"
	if [ "$2" = eth0 ]; then in=$3 other=$4; else in=$4 other=$3; fi
	# SYN-ACK, the greeting, FIN and ACKs: at least three packets back the way they came.
	[ "$in" -ge 3 ] || fail "replies for $1 should leave via $2: $2 sent only $in packet(s)"
	[ "$other" -eq 0 ] || fail "replies for $1 should not leave via the other uplink ($other sent)"
done

# A second connection to each address, to be sure it was no accident of neighbour caches.
out=$(tcp_try cl 203.0.113.20) || fail "second TCP to 203.0.113.20 failed"
out=$(tcp_try cl 198.51.100.10) || fail "second TCP to 198.51.100.10 failed"

# And down brings the old behaviour back.
sr_ok down eth1
sr_ok down eth0
if out=$(tcp_try cl 203.0.113.20 1); then
	fail "after down, TCP to 203.0.113.20 still worked"
fi
note "after down, TCP to 203.0.113.20 fails again"

pass "TCP answers leave by the interface the connection came in on"
