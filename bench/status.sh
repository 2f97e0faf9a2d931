#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: what `symroute status` and `symroute check` cost with N managed interfaces (issue 17), as a Markdown table.
#
# Usage: bench/status.sh [--quick] [SYMROUTE_BINARY]
#   default   N = 256, 1024 and 4096; each command 5 times, the median
#   --quick   N = 64 and 256, 3 times (a smoke test)
#   BENCH_STATUS_SIZES="N..." and BENCH_STATUS_RUNS=R choose others (an older binary that
#   needs minutes per run at 4096).
# Root is needed. Everything runs in a private network and mount namespace created here
# (unshare --net --mount) with a tmpfs on /run and an empty configuration file: the host's
# interfaces, routes, rules and /run are never touched, and the script refuses to go on in
# the namespace it started in. Needs iproute2, util-linux unshare, GNU time (/usr/bin/time).
#
# The world: N ifb links s1..sN (this kernel has no dummy driver), each with 2001:db8:I::2/64
# (I in hex) and symroute's state for it as `symroute up sI --gateway 2001:db8:I::1` leaves it:
# its table (the /64 and the default), the `from` rule at 31100, the fallback default in main,
# and the shared suppress_prefixlength rule. The state is written with one `ip -batch` (as
# many `symroute up` would take minutes at 4096), and `symroute status` must find every
# interface in sync before anything is timed: the figures are of a healthy host.
# Figures: wall time (median) and peak resident set (GNU time's %M, the largest of the runs).
set -u

die() {
	echo "bench/status.sh: $*" >&2
	exit 1
}

SELF_DIR=$(cd "$(dirname "$0")" && pwd)
. "$SELF_DIR/lib.sh"
# GNU time (/usr/bin/time, package time) for the peak resident set.
bench_isolate STATUS "ip unshare awk /usr/bin/time" "$@"

# ---- inside ---------------------------------------------------------------------------------
SIZES="256 1024 4096"
RUNS=5
if [ "${1-}" = --quick ]; then
	SIZES="64 256"
	RUNS=3
	shift
fi
SIZES=${BENCH_STATUS_SIZES:-$SIZES}
RUNS=${BENCH_STATUS_RUNS:-$RUNS}
SYMROUTE=${1:-symroute}
command -v "$SYMROUTE" >/dev/null 2>&1 || die "no symroute binary: $SYMROUTE"
mount --make-rprivate / && mount -t tmpfs bench-run /run || die "cannot mount a private /run"
WORK=$(mktemp -d) || die "mktemp"
CONF=$WORK/empty.conf
: >"$CONF"
ip link set lo up || die "lo"
sysctl -qw net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_dad=0 \
	net.ipv6.conf.default.router_solicitations=0 || die "sysctl"

made=0
# grow_to N: links, addresses and symroute's state for s(made+1)..sN.
grow_to() {
	private_or_die
	awk -v from=$((made + 1)) -v to="$1" 'BEGIN {
		for (i = from; i <= to; i++) printf "link add s%d type ifb\nlink set s%d up\n", i, i }' |
		ip -batch - || die "cannot create the links"
	awk -v from=$((made + 1)) -v to="$1" 'BEGIN {
		for (i = from; i <= to; i++) printf "addr add 2001:db8:%x::2/64 dev s%d nodad\n", i, i }' |
		ip -6 -batch - || die "cannot add the addresses"
	ip -o link show | awk -F': ' -v from=$((made + 1)) -v to="$1" -v first=$((made == 0)) '
		BEGIN { if (first) print "rule add priority 31000 from all lookup main suppress_prefixlength 0 proto 73" }
		$2 ~ /^s[0-9]+$/ { i = substr($2, 2) + 0; if (i < from || i > to) next
			t = 1000000 + $1; h = sprintf("%x", i)
			printf "route add 2001:db8:%s::/64 dev %s table %d proto 73 metric 1024\n", h, $2, t
			printf "route add default via 2001:db8:%s::1 dev %s table %d proto 73 metric 1024\n", h, $2, t
			printf "route add default via 2001:db8:%s::1 dev %s table main proto 73 metric %d onlink\n", h, $2, t
			printf "rule add priority 31100 from 2001:db8:%s::2 lookup %d proto 73\n", h, t }' |
		ip -6 -batch - || die "cannot write symroute's state"
	made=$1
}

# measure N CMD...: "median-seconds peak-KiB" of RUNS runs.
measure() {
	m_n=$1
	shift
	m_i=0
	: >"$WORK/times"
	while [ "$m_i" -lt "$RUNS" ]; do
		/usr/bin/time -f "%e %M" -o "$WORK/one" "$SYMROUTE" "$@" -c "$CONF" >/dev/null 2>&1
		cat "$WORK/one" >>"$WORK/times"
		m_i=$((m_i + 1))
	done
	sort -n "$WORK/times" | awk '{ t[NR] = $1; if ($2 > m) m = $2 }
		END { printf "%.2f %d", t[int((NR + 1) / 2)], m }'
}

echo "| managed interfaces | routes, rules (IPv6) | status | status --json | check |"
echo "|---:|---:|---:|---:|---:|"
for n in $SIZES; do
	grow_to "$n"
	"$SYMROUTE" status -c "$CONF" >"$WORK/status" 2>&1
	synced=$(grep -c ": in sync$" "$WORK/status")
	[ "$synced" = "$n" ] || die "N=$n: $synced interfaces in sync, not $n: $(head -5 "$WORK/status")"
	sizes="$(ip -6 route show table all | wc -l), $(ip -6 rule show | wc -l)"
	row="| $n | $sizes |"
	for cmd in status "status --json" check; do
		set -- $(measure "$n" $cmd)
		row="$row $1 s, $(($2 / 1024)) MiB |"
	done
	echo "$row"
done
rm -rf "$WORK"
