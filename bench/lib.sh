# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: what every benchmark script does first: leave the host's network namespace for a
# private one, and refuse to change anything in the namespace it started in.
# Sourced (POSIX sh). The script defines die() first.

# bench_isolate KEY "TOOL..." ARGS...: outside (the first call), checks root and the tools,
# records this network namespace's identity in SYMROUTE_KEY_BENCH_NETNS and runs the script
# again under unshare --net --mount, with ARGS; inside (the second), returns. KEY is the
# script's own (nested benchmarks each leave their caller's namespace too).
bench_isolate() {
	bench_key=$1 bench_tools=$2 bench_inner=
	shift 2
	eval "bench_inner=\${SYMROUTE_${bench_key}_BENCH_INNER-}"
	if [ "$bench_inner" != 1 ]; then
		[ "$(id -u)" = 0 ] || die "needs root (it creates namespaces and interfaces)"
		for bench_tool in $bench_tools; do
			command -v "$bench_tool" >/dev/null 2>&1 || die "$bench_tool not found"
		done
		bench_netns=$(stat -L -c %i /proc/self/ns/net) ||
			die "cannot read this namespace's identity"
		export "SYMROUTE_${bench_key}_BENCH_NETNS=$bench_netns" \
			"SYMROUTE_${bench_key}_BENCH_INNER=1"
		exec unshare --net --mount --propagation private -- /bin/sh "$0" "$@"
	fi
	eval "BENCH_STARTED_NETNS=\${SYMROUTE_${bench_key}_BENCH_NETNS-}"
	# Told "inside" without the identity to compare with: no proof of anything.
	[ -n "$BENCH_STARTED_NETNS" ] || die "refusing: started without its namespace check"
	private_or_die
}

# Before every change: not the namespace the script was started in.
private_or_die() {
	[ "$(stat -L -c %i /proc/self/ns/net)" != "$BENCH_STARTED_NETNS" ] ||
		die "refusing: this is the network namespace $0 was started in"
}

# A namespace fresh from unshare has no address and no route; any host has some.
bench_fresh_or_die() {
	[ -z "$(ip addr show | grep -E '^ +inet6? ')$(ip route show)" ] ||
		die "refusing: this network namespace has addresses or routes; not a fresh one"
}

# dry_run_batch FAMILY: `symroute up -n`'s output on stdin as the lines of one `ip -FAMILY
# -batch` file, without the cache flush (iproute2 does it for IPv6 as a dump of every route,
# which symroute does not): what an `ip -batch` doing symroute's operations runs.
dry_run_batch() {
	grep -v 'flush cache' | sed -n "s/^ip -$1 //p"
}
