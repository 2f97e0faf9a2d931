# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: harness for symroute's namespace tests: a private sandbox, topology builders, asserts.
#
# Sourced by every tests/netns/*.sh, which then calls `sandbox_enter "$@"` first thing.
#
# sandbox_enter re-executes the script once under
#	unshare --net --mount --propagation private
# and, inside, gives it a world of its own:
#	- a tmpfs on /run: `ip netns add` names, /run/symroute.lock and our temp files live there
#	  and vanish with the mount namespace; nothing is written to the host's file systems;
#	- a fresh sysfs on /sys, so /sys/class/net shows this namespace's links;
#	- symroute's rt_protos.d entry bind-mounted over /etc/iproute2/rt_protos.d, so `ip`
#	  prints "proto symroute" (see $P below);
#	- an empty file over /etc/symroute.conf if the host has one: tests run on defaults.
# The unshared network namespace is "the server" (written "." where a helper takes a namespace
# name); routers and clients are named namespaces created with ns_add inside it.
#
# Safety: the host's network namespace must never change. assert_not_host_netns compares
# this process's network and mount namespaces with the ones the script was started in and
# with PID 1's (where readable), and aborts with exit 99 (automake's "hard error") if any
# matches; every helper that changes state calls it. Before mounting anything, sandbox_enter
# also requires the network namespace to be fresh (no address, no route). Nothing here sends
# traffic outside the namespaces it created.
#
# Exit codes, as automake reads them: 0 pass, 1 fail, 77 skip (the reason is printed),
# 99 hard error (the harness itself is broken or unsafe to continue).

set -u

SR_SELF=$0
SR_LIBDIR=$(cd "$(dirname "$0")" && pwd)
SYMROUTE=${SYMROUTE:-$SR_LIBDIR/../../symroute}
top_srcdir=${top_srcdir:-$SR_LIBDIR/../..}

# Seconds a single symroute run may take before it counts as hung.
SR_RUN_TIMEOUT=${SR_RUN_TIMEOUT:-30}

# Protocol 73 as `ip` prints it; sandbox_enter turns it into "73" if the name cannot be set up.
P=symroute
# The metric of the default in an interface's table (main-mode fallback and metric): the
# fingerprint of the rules that look the table up, 65536 or more (symroute(8), TABLES).
FP='metric [1-9][0-9]{4,9}'

# ---------------------------------------------------------------------------------------------
# Results and messages

note() { printf '# %s\n' "$*"; }

skip() {
	printf 'SKIP: %s\n' "$*"
	exit 77
}

fail() {
	printf 'FAIL: %s\n' "$*"
	exit 1
}

hard_error() {
	printf 'ERROR: %s\n' "$*" >&2
	exit 99
}

pass() {
	printf 'PASS: %s\n' "${*:-all checks passed}"
	exit 0
}

# Print a multi-line value indented, for failure messages.
sr_indent() { printf '%s\n' "$1" | sed 's/^/    | /'; }

# assert_eq EXPECTED ACTUAL WHAT
assert_eq() {
	[ "$1" = "$2" ] && return 0
	printf 'FAIL: %s\n  expected:\n' "$3"
	sr_indent "$1"
	printf '  actual:\n'
	sr_indent "$2"
	exit 1
}

# assert_contains TEXT FIXED-STRING WHAT
assert_contains() {
	printf '%s\n' "$1" | grep -qF -e "$2" && return 0
	printf 'FAIL: %s\n  expected to contain: %s\n  actual:\n' "$3" "$2"
	sr_indent "$1"
	exit 1
}

assert_not_contains() {
	printf '%s\n' "$1" | grep -qF -e "$2" || return 0
	printf 'FAIL: %s\n  expected not to contain: %s\n  actual:\n' "$3" "$2"
	sr_indent "$1"
	exit 1
}

# assert_match TEXT ERE WHAT: some line of TEXT matches the extended regular expression.
assert_match() {
	printf '%s\n' "$1" | grep -qE -e "$2" && return 0
	printf 'FAIL: %s\n  expected a line matching: %s\n  actual:\n' "$3" "$2"
	sr_indent "$1"
	exit 1
}

assert_no_match() {
	printf '%s\n' "$1" | grep -qE -e "$2" || return 0
	printf 'FAIL: %s\n  expected no line matching: %s\n  matching:\n' "$3" "$2"
	sr_indent "$(printf '%s\n' "$1" | grep -E -e "$2")"
	printf '  all of it:\n'
	sr_indent "$1"
	exit 1
}

# assert_count TEXT ERE N WHAT: exactly N lines of TEXT match.
assert_count() {
	sr_n=$(printf '%s\n' "$1" | grep -cE -e "$2")
	[ "$sr_n" -eq "$3" ] && return 0
	printf 'FAIL: %s\n  expected %s line(s) matching: %s, found %s\n  actual:\n' \
		"$4" "$3" "$2" "$sr_n"
	sr_indent "$1"
	exit 1
}

# assert_files_eq EXPECTED-FILE ACTUAL-FILE WHAT: shows a unified diff on mismatch.
assert_files_eq() {
	cmp -s "$1" "$2" && return 0
	printf 'FAIL: %s\n' "$3"
	diff -u "$1" "$2" | sed 's/^/    /'
	exit 1
}

# Regular expression matching a literal string (for addresses in assert_match).
re_quote() { printf '%s' "$1" | sed 's/[].[^$*+?(){}|\\]/\\&/g'; }

# ---------------------------------------------------------------------------------------------
# The sandbox

sr_ns_inode() { stat -L -c %i "/proc/$1/ns/$2" 2>/dev/null; }

# Abort (exit 99) unless this process runs in a network and mount namespace of its own:
# different from the ones the script was started in (recorded by sandbox_enter before
# unshare; required) and, where /proc/1/ns is readable (it is not in every container),
# from PID 1's.
assert_not_host_netns() {
	sr_net=$(sr_ns_inode self net)
	sr_mnt=$(sr_ns_inode self mnt)
	[ -n "$sr_net" ] && [ -n "$sr_mnt" ] || hard_error "cannot read /proc/self/ns/{net,mnt}"
	[ -n "${SR_HOST_NETNS:-}" ] && [ -n "${SR_HOST_MNTNS:-}" ] ||
		hard_error "refusing to run: not started through sandbox_enter (no host namespace recorded)"
	if [ "$sr_net" = "$SR_HOST_NETNS" ] || [ "$sr_net" = "$(sr_ns_inode 1 net)" ]; then
		hard_error "refusing to run: this is the host's network namespace"
	fi
	if [ "$sr_mnt" = "$SR_HOST_MNTNS" ] || [ "$sr_mnt" = "$(sr_ns_inode 1 mnt)" ]; then
		hard_error "refusing to run: this is the host's mount namespace"
	fi
}

# sandbox_enter "$@": re-execute the calling script in the sandbox, or finish setting it up.
sandbox_enter() {
	if [ "${SR_IN_SANDBOX:-}" != 1 ]; then
		[ "$(id -u)" = 0 ] || skip "needs root (network namespaces)"
		command -v unshare >/dev/null 2>&1 || skip "unshare (util-linux) not installed"
		command -v ip >/dev/null 2>&1 || skip "ip (iproute2) not installed"
		unshare --net --mount --propagation private true 2>/dev/null ||
			skip "unshare --net --mount is not permitted here"
		SR_HOST_NETNS=$(sr_ns_inode self net)
		SR_HOST_MNTNS=$(sr_ns_inode self mnt)
		[ -n "$SR_HOST_NETNS" ] && [ -n "$SR_HOST_MNTNS" ] ||
			skip "cannot read /proc/self/ns (no /proc?)"
		export SR_HOST_NETNS SR_HOST_MNTNS SYMROUTE top_srcdir
		SR_IN_SANDBOX=1 exec unshare --net --mount --propagation private \
			/bin/sh "$SR_SELF" "$@"
		hard_error "cannot execute unshare"
	fi

	assert_not_host_netns
	# Belt and braces, independent of the bookkeeping above: a network namespace fresh from
	# unshare has no address and no route (lo is down). Any host has some.
	if [ -n "$(ip addr show 2>/dev/null | grep -E '^ +inet6? ')$(ip route show 2>/dev/null)" ]; then
		hard_error "refusing to run: this network namespace has addresses or routes; not a fresh one"
	fi

	mount -t tmpfs -o mode=755 symroute-test-run /run || hard_error "cannot mount tmpfs on /run"
	mkdir -p /run/netns /run/symroute-test || hard_error "cannot populate /run"
	SR_TMP=/run/symroute-test
	mount -t sysfs sysfs /sys 2>/dev/null || note "could not mount a private sysfs"

	# "proto symroute": our rt_protos.d entry, and nothing else, over the host's directory.
	mkdir -p "$SR_TMP/rt_protos.d"
	cp "$top_srcdir/data/rt_protos.d-symroute.conf" "$SR_TMP/rt_protos.d/symroute.conf" 2>/dev/null ||
		printf '73\tsymroute\n' >"$SR_TMP/rt_protos.d/symroute.conf"
	if [ -d /etc/iproute2/rt_protos.d ]; then
		mount --bind "$SR_TMP/rt_protos.d" /etc/iproute2/rt_protos.d ||
			hard_error "cannot bind-mount over /etc/iproute2/rt_protos.d"
	elif [ -d /etc/iproute2 ]; then
		cp -a /etc/iproute2 "$SR_TMP/iproute2"
		cp -a "$SR_TMP/rt_protos.d" "$SR_TMP/iproute2/rt_protos.d"
		mount --bind "$SR_TMP/iproute2" /etc/iproute2 ||
			hard_error "cannot bind-mount over /etc/iproute2"
	fi
	# Tests run on built-in defaults, whatever the host's configuration says; or on the
	# settings in $SR_CONFIG_TEXT (a whole symroute.conf), given to every run by sr_exec.
	SR_CONFIG_FILE=
	if [ -n "${SR_CONFIG_TEXT:-}" ]; then
		SR_CONFIG_FILE=$SR_TMP/symroute-test.conf
		printf '%s\n' "$SR_CONFIG_TEXT" >"$SR_CONFIG_FILE"
		note "every symroute run reads $SR_CONFIG_FILE: $(tr '\n' ' ' <"$SR_CONFIG_FILE")"
	fi
	if [ -e /etc/symroute.conf ]; then
		: >"$SR_TMP/etc-symroute.conf"
		mount --bind "$SR_TMP/etc-symroute.conf" /etc/symroute.conf ||
			hard_error "cannot hide /etc/symroute.conf"
	fi

	SR_NAMESPACES=
	SR_PIDS=
	trap sandbox_cleanup EXIT
	trap 'exit 1' INT TERM HUP

	ip link set lo up || hard_error "cannot bring lo up"
	ns_defaults .

	# Does `ip` print our protocol name? If not (no rt_protos.d support), match the number.
	ip route add 198.51.100.255/32 dev lo table 99 proto 73 2>/dev/null
	if ip route show table 99 | grep -q 'proto symroute'; then P=symroute; else P=73; fi
	ip route flush table 99 2>/dev/null

	[ -x "$SYMROUTE" ] || hard_error "symroute binary not found at $SYMROUTE (set SYMROUTE)"
	note "symroute: $SYMROUTE"
}

# sr_running PID: the process exists and has not exited (a zombie has).
sr_running() {
	[ -r "/proc/$1/stat" ] || return 1
	case $(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null) in
	Z* | X* | "") return 1 ;;
	esac
	return 0
}

sandbox_cleanup() {
	sr_rc=$?
	for sr_pid in $SR_PIDS; do
		kill "$sr_pid" 2>/dev/null
	done
	# Our processes get 5 s to end on SIGTERM, then SIGKILL: a daemon that does not stop (a
	# dhcpcd in the middle of a hook after the test failed) must not hang the suite, which
	# waits for this test's end.
	sr_n=50
	while [ "$sr_n" -gt 0 ]; do
		sr_alive=
		for sr_pid in $SR_PIDS; do
			sr_running "$sr_pid" && sr_alive=$sr_pid
		done
		[ -n "$sr_alive" ] || break
		sleep 0.1
		sr_n=$((sr_n - 1))
	done
	for sr_pid in $SR_PIDS; do
		sr_running "$sr_pid" && kill -KILL "$sr_pid" 2>/dev/null
	done
	for sr_pid in $SR_PIDS; do
		wait "$sr_pid" 2>/dev/null
	done
	for sr_ns in $SR_NAMESPACES; do
		ip netns del "$sr_ns" 2>/dev/null
	done
	# The network and mount namespaces, the tmpfs on /run and the bind mounts go with us.
	exit "$sr_rc"
}

# ---------------------------------------------------------------------------------------------
# Namespaces. A namespace argument is a name created by ns_add, or "." for the sandbox itself.

# in_ns NS CMD...: run CMD in NS.
in_ns() {
	sr_ns=$1
	shift
	assert_not_host_netns
	if [ "$sr_ns" = . ]; then
		"$@"
	else
		ip netns exec "$sr_ns" "$@"
	fi
}

# ip_ns NS ARGS...: `ip ARGS` in NS (cheaper than in_ns).
ip_ns() {
	sr_ns=$1
	shift
	assert_not_host_netns
	if [ "$sr_ns" = . ]; then
		ip "$@"
	else
		ip -n "$sr_ns" "$@"
	fi
}

# ns_sysctl NS KEY VALUE: KEY as in sysctl(8) (net.ipv4.conf.all.rp_filter).
ns_sysctl() {
	sr_path=/proc/sys/$(printf '%s' "$2" | tr . /)
	in_ns "$1" sh -c 'printf "%s\n" "$2" >"$1"' sh "$sr_path" "$3" ||
		fail "cannot set $2=$3 in namespace $1"
}

# Quiet, deterministic defaults for links created later in NS: no DAD (addresses are usable
# at once and their routes appear at once), no router solicitations, no reverse-path filter
# unless a test asks for one (IPv4 settings are otherwise inherited from the host).
ns_defaults() {
	for sr_k in all default; do
		ns_sysctl "$1" net.ipv4.conf.$sr_k.rp_filter 0
		ns_sysctl "$1" net.ipv6.conf.$sr_k.accept_dad 0
		ns_sysctl "$1" net.ipv6.conf.$sr_k.dad_transmits 0
		ns_sysctl "$1" net.ipv6.conf.$sr_k.router_solicitations 0
		ns_sysctl "$1" net.ipv6.conf.$sr_k.accept_ra 0
	done
}

# ns_add NAME: a named network namespace (the name lives on the sandbox's private /run).
ns_add() {
	assert_not_host_netns
	ip netns add "$1" || hard_error "ip netns add $1 failed"
	SR_NAMESPACES="$SR_NAMESPACES $1"
	ip -n "$1" link set lo up || hard_error "cannot bring lo up in $1"
	ns_defaults "$1"
}

# veth_pair NS1 IF1 NS2 IF2 [MAC1 MAC2]: a veth link between two namespaces, both ends up.
veth_pair() {
	assert_not_host_netns
	# The peer is created straight into its namespace; the sandbox is named by our own PID.
	sr_peerns=$3
	[ "$sr_peerns" = . ] && sr_peerns=$$
	# shellcheck disable=SC2086
	ip_ns "$1" link add "$2" ${5:+address $5} type veth peer name "$4" ${6:+address $6} \
		netns "$sr_peerns" || hard_error "cannot create veth $1:$2 <-> $3:$4"
	ip_ns "$1" link set "$2" up || hard_error "cannot bring $1:$2 up"
	ip_ns "$3" link set "$4" up || hard_error "cannot bring $3:$4 up"
}

# addr NS IF ADDR/PLEN...: add addresses (IPv6 ones with nodad).
addr() {
	sr_ns=$1
	sr_if=$2
	shift 2
	for sr_a in "$@"; do
		case $sr_a in
		*:*) ip_ns "$sr_ns" -6 addr add "$sr_a" dev "$sr_if" nodad ;;
		*) ip_ns "$sr_ns" -4 addr add "$sr_a" dev "$sr_if" ;;
		esac || hard_error "cannot add $sr_a to $sr_ns:$sr_if"
	done
}

# settle NS...: wait until IPv6 has finished with the namespaces' links and addresses. IPv6
# works asynchronously even without DAD: an address (link-local ones included, created when
# the link gets carrier, which the kernel reports up to a second late) gets its `local` route
# from a work queue. Snapshots taken before that would differ from later ones for no fault of
# symroute's, so builders and tests settle before taking a reference snapshot.
sr_settled() {
	ip_ns "$1" -o link show up | grep -q 'NO-CARRIER' && return 1
	[ -z "$(ip_ns "$1" -6 addr show tentative)" ] || return 1
	sr_local=$(ip_ns "$1" -6 route show table local)
	for sr_a in $(ip_ns "$1" -6 -o addr show | awk '{ sub(/\/.*/, "", $4); print $4 }'); do
		printf '%s\n' "$sr_local" | grep -q "^local $sr_a " || return 1
	done
	return 0
}
settle() {
	for sr_ns in "$@"; do
		wait_for 10 sr_settled "$sr_ns" || hard_error "namespace $sr_ns did not settle:
$(ip_ns "$sr_ns" -o link show; ip_ns "$sr_ns" -6 addr show; ip_ns "$sr_ns" -6 route show table local)"
	done
}

# ifindex NS IF
ifindex() { ip_ns "$1" -o link show dev "$2" | sed -n 's/^\([0-9]*\):.*/\1/p'; }

# table_of NS IF: the automatic table symroute uses for IF (1000000 + ifindex).
table_of() {
	sr_i=$(ifindex "$1" "$2")
	[ -n "$sr_i" ] || fail "no interface $2 in namespace $1"
	echo $((1000000 + sr_i))
}

# tx_packets NS IF / rx_packets NS IF: the link's counters (from /proc/net/dev, which follows
# the reading process's network namespace).
tx_packets() {
	in_ns "$1" cat /proc/net/dev | awk -v dev="$2:" '{ sub(/^ */, "") }
		$1 == dev { print $11; found = 1 } END { if (!found) print "none" }'
}
# Counting only the packets a test is about. Interface counters (tx_packets) also count what
# daemons send on their own (router solicitations, ARP, DHCP, NetworkManager's probes), which
# made a test's verdict depend on timing; a capture with a filter does not.
# capture_start NS IF FILTER: tcpdump of what leaves NS:IF matching FILTER (pcap syntax), or
# an ICMP echo request (capture_count's marker); listening when it returns.
capture_start() {
	command -v tcpdump >/dev/null 2>&1 || skip "tcpdump not installed"
	: >"$SR_TMP/cap-$2.err"
	bg_start "$1" tcpdump -i "$2" -Q out -nn -p -U --immediate-mode -Z root \
		-w "$SR_TMP/cap-$2.pcap" "($3) or icmp[icmptype] == icmp-echo" 2>"$SR_TMP/cap-$2.err"
	eval "SR_CAP_PID_$(printf '%s' "$2" | tr -c 'A-Za-z0-9' _)=$BG_PID"
	wait_for 5 grep -q "listening on" "$SR_TMP/cap-$2.err" ||
		hard_error "tcpdump on $2 did not start: $(cat "$SR_TMP/cap-$2.err")"
}
# capture_count NS IF PEER: how many packets matching the filter left IF. An echo request to
# PEER (an IPv4 neighbour on IF) goes out last as a marker: once the capture has written it,
# it has written every packet before it, and only then is tcpdump stopped.
capture_count() {
	sr_cap_var=SR_CAP_PID_$(printf '%s' "$2" | tr -c 'A-Za-z0-9' _)
	eval "sr_cap_pid=\$$sr_cap_var"
	in_ns "$1" ping -c 1 -W 2 -I "$2" "$3" >/dev/null 2>&1
	sr_marker_seen() { tcpdump -nn -r "$SR_TMP/cap-$1.pcap" icmp 2>/dev/null | grep -q .; }
	wait_for 5 sr_marker_seen "$2" || hard_error "the capture on $2 never saw its marker"
	kill -INT "$sr_cap_pid" 2>/dev/null
	wait "$sr_cap_pid" 2>/dev/null
	SR_PIDS=$(printf '%s\n' $SR_PIDS | grep -vx "$sr_cap_pid" | tr '\n' ' ')
	tcpdump -nn -r "$SR_TMP/cap-$2.pcap" "not icmp" 2>/dev/null | grep -c .
}

rx_packets() {
	in_ns "$1" cat /proc/net/dev | awk -v dev="$2:" '{ sub(/^ */, "") }
		$1 == dev { print $3; found = 1 } END { if (!found) print "none" }'
}

# snapshot NS FILE: the state an administrator compares: rules and every table, both families.
# Filtered: nothing but the countdown of an expiring (RA-learned) route, which changes every
# second without the route changing; our namespaces send no router advertisements, so this
# only matters if a kernel starts adding such routes on its own. `ip route show` lists no
# cached/cloned routes (IPv4 has no route cache since 3.6; IPv6 clones need `show cached`).
snapshot() {
	{
		echo '## ip -4 rule show'
		ip_ns "$1" -4 rule show
		echo '## ip -6 rule show'
		ip_ns "$1" -6 rule show
		echo '## ip -d -4 route show table all'
		ip_ns "$1" -d -4 route show table all
		echo '## ip -d -6 route show table all'
		ip_ns "$1" -d -6 route show table all
	} | sed -E 's/ expires -?[0-9]+sec/ expires/' >"$2"
}

# rules NS [-4|-6]: `ip rule show` text.
rules() { ip_ns "$1" ${2:-} rule show; }

# ---------------------------------------------------------------------------------------------
# Running symroute

# sr_exec NS ARGS...: run symroute in NS, output not captured (usable in the background).
# Bounded: a run takes milliseconds; a hang (or a lock wait gone wrong) must not stall the
# suite. 124 is timeout(1)'s "timed out". With $SR_CONFIG_TEXT set (see sandbox_enter),
# "--config FILE" goes right after the command word, so that a test's own --config wins.
# $SR_WRAP, when set, is a command (words without spaces in them) that runs symroute.
sr_exec() {
	sr_ns=$1
	shift
	if [ -n "${SR_CONFIG_FILE:-}" ] && [ $# -ge 1 ]; then
		sr_cmd=$1
		shift
		set -- "$sr_cmd" --config "$SR_CONFIG_FILE" "$@"
	fi
	# shellcheck disable=SC2086
	in_ns "$sr_ns" timeout -k 2 "$SR_RUN_TIMEOUT" ${SR_WRAP:-} "$SYMROUTE" "$@"
}

# symroute_in NS ARGS...: run symroute in NS; sets SR_RC, SR_OUT, SR_ERR (never fails itself).
symroute_in() {
	sr_ns=$1
	shift
	note "[$sr_ns] symroute $*"
	sr_exec "$sr_ns" "$@" >"$SR_TMP/out" 2>"$SR_TMP/err"
	SR_RC=$?
	[ "$SR_RC" != 124 ] || printf 'symroute did not finish within %ss\n' "$SR_RUN_TIMEOUT" \
		>>"$SR_TMP/err"
	SR_OUT=$(cat "$SR_TMP/out")
	SR_ERR=$(cat "$SR_TMP/err")
}

# sr ARGS...: symroute in the sandbox (the server); same variables.
sr() { symroute_in . "$@"; }

# sr_ok ARGS... / sr_ok_in NS ARGS...: must exit 0.
sr_ok() { sr_ok_in . "$@"; }
sr_ok_in() {
	symroute_in "$@"
	[ "$SR_RC" = 0 ] && return 0
	shift
	printf 'FAIL: symroute %s exited %s\n  stdout:\n' "$*" "$SR_RC"
	sr_indent "$SR_OUT"
	printf '  stderr:\n'
	sr_indent "$SR_ERR"
	exit 1
}

# sr_expect CODE ARGS...: symroute in the sandbox must exit CODE.
sr_expect() {
	sr_want=$1
	shift
	sr "$@"
	[ "$SR_RC" = "$sr_want" ] && return 0
	printf 'FAIL: symroute %s: expected exit %s, got %s\n  stdout:\n' "$*" "$sr_want" "$SR_RC"
	sr_indent "$SR_OUT"
	printf '  stderr:\n'
	sr_indent "$SR_ERR"
	exit 1
}

# ---------------------------------------------------------------------------------------------
# Background processes: started by us, stopped by PID.

# bg_start NS CMD...: sets BG_PID.
bg_start() {
	sr_ns=$1
	shift
	assert_not_host_netns
	if [ "$sr_ns" = . ]; then
		"$@" &
	else
		ip netns exec "$sr_ns" "$@" &
	fi
	BG_PID=$!
	SR_PIDS="$SR_PIDS $BG_PID"
}

bg_stop() {
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	SR_PIDS=$(printf '%s\n' $SR_PIDS | grep -vx "$1" | tr '\n' ' ')
}

# wait_for SECONDS CMD...: poll CMD every 0.1 s until it succeeds; 1 on timeout. SECONDS is
# what the wait takes on an idle machine; it is stretched by SR_WAIT_SCALE (default 4), because
# CI runs the suite twice in parallel jobs on two cores, under ASan and valgrind, and a bound
# that only an idle machine meets is a random verdict. Every caller waits for something that
# must happen, so a longer bound costs nothing when the test passes.
SR_WAIT_SCALE=${SR_WAIT_SCALE:-4}
wait_for() {
	sr_n=$(($1 * 10 * SR_WAIT_SCALE))
	shift
	while [ "$sr_n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		sr_n=$((sr_n - 1))
	done
	return 1
}

# ---------------------------------------------------------------------------------------------
# Topologies

# The two-uplink host, the demo's and the TCP test's world:
#
#                    198.51.100.0/25                      198.51.100.128/25
#  server eth0 .10 ------------------ srv  router A  cli .129 ----------------- ethA .200
#  (the sandbox)                         (ns ra)                                  client
#       eth1 .20 ------------------ srv  router B  cli .129 ----------------- ethB .200 (ns cl)
#                    203.0.113.0/25                       203.0.113.128/25
#
# Each /24 is split in two /25s so that the server's uplink and the router's client link are
# separate subnets: 198.51.100.10/25 and .1/25 on A's server link, .129/25 and .200/25 on
# A's client link (same for 203.0.113.0/24 behind B). Addresses:
#	server	eth0 198.51.100.10/25  eth1 203.0.113.20/25   main: default via 198.51.100.1
#	ra	srv 198.51.100.1/25    cli 198.51.100.129/25   default via 198.51.100.200
#	rb	srv 203.0.113.1/25     cli 203.0.113.129/25    default via 203.0.113.200
#	cl	ethA 198.51.100.200/25 ethB 203.0.113.200/25
#		routes 198.51.100.0/25 via 198.51.100.129, 203.0.113.0/25 via 203.0.113.129
# For the routers the client stands for "the Internet" (their default route), so a router
# could forward anything; only its BCP 38 filter refuses a packet from the server side
# whose source is not in the router's server-side subnet: strict rp_filter on `srv` (the
# reverse route to a foreign source points at `cli`, not `srv`). The client is a weak host
# (rp_filter 0), so a reply to its ethB address arriving on ethA would be accepted: what
# breaks without symroute is the server's and the routers' filtering, as in real life.
# The server runs strict rp_filter (all=1), so it drops a SYN arriving on eth1 while its
# reverse route points at eth0.
#
# topo_two_uplinks [v6]: with v6, IPv6 too (server 2001:db8:a::10/64 on eth0 and
# 2001:db8:b::20/64 on eth1, each router fe80::1/64 and 2001:db8:a::1/64 resp.
# 2001:db8:b::1/64 on srv); without, IPv6 is disabled everywhere so that the link counters
# count only the test's own traffic (no router solicitations or MLD reports).
topo_two_uplinks() {
	sr_v6=${1:-}
	for sr_ns in . ra rb cl; do
		[ "$sr_ns" = . ] || ns_add "$sr_ns"
		if [ "$sr_v6" != v6 ]; then
			ns_sysctl "$sr_ns" net.ipv6.conf.all.disable_ipv6 1
			ns_sysctl "$sr_ns" net.ipv6.conf.default.disable_ipv6 1
			ns_sysctl "$sr_ns" net.ipv6.conf.lo.disable_ipv6 1
		fi
	done
	veth_pair . eth0 ra srv
	veth_pair . eth1 rb srv
	veth_pair ra cli cl ethA
	veth_pair rb cli cl ethB

	addr . eth0 198.51.100.10/25
	addr . eth1 203.0.113.20/25
	ip_ns . -4 route add default via 198.51.100.1 || hard_error "server default route"

	addr ra srv 198.51.100.1/25
	addr ra cli 198.51.100.129/25
	ip_ns ra -4 route add default via 198.51.100.200 || hard_error "router A default route"
	addr rb srv 203.0.113.1/25
	addr rb cli 203.0.113.129/25
	ip_ns rb -4 route add default via 203.0.113.200 || hard_error "router B default route"

	addr cl ethA 198.51.100.200/25
	addr cl ethB 203.0.113.200/25
	ip_ns cl -4 route add 198.51.100.0/25 via 198.51.100.129 || hard_error "client route A"
	ip_ns cl -4 route add 203.0.113.0/25 via 203.0.113.129 || hard_error "client route B"

	for sr_ns in ra rb; do
		ns_sysctl "$sr_ns" net.ipv4.ip_forward 1
		ns_sysctl "$sr_ns" net.ipv4.conf.srv.rp_filter 1	# BCP 38
	done
	ns_sysctl . net.ipv4.conf.all.rp_filter 1		# strict, on the server

	if [ "$sr_v6" = v6 ]; then
		addr . eth0 2001:db8:a::10/64
		addr . eth1 2001:db8:b::20/64
		addr ra srv fe80::1/64 2001:db8:a::1/64
		addr rb srv fe80::1/64 2001:db8:b::1/64
	fi
	settle . ra rb cl
}

# Two ISPs and a far host, for what new connections (no source address chosen) do and for
# answers from each address:
#
#  host ... ---- srv  router A (ns ra)  cli 192.0.2.1 ------ ethA .2   far (ns far)
#       ... ---- srv  router B (ns rb)  cli 192.0.2.17 ----- ethB .18  lo $FAR4, $FAR6
# ra: srv 198.51.100.1/25 2001:db8:a::1/64; rb: srv 203.0.113.1/25 fe80::2/64
# 2001:db8:b::1/64; the far side routes 198.51.100.0/25 and 2001:db8:a::/64 back by A,
# 203.0.113.0/25 and 2001:db8:b::/64 by B. The routers forward and drop foreign sources on srv
# (BCP 38, IPv4's rp_filter). isps_far_side: builds it around namespaces ra and rb that already
# have their `srv` link to the host (ifupdown-lib.sh's eth0/eth1, nm-lib.sh's nmsr0/nmsr1);
# needs socat for the listeners (skips without).
FAR4=192.0.2.100
FAR6=2001:db8:f::100
isps_far_side() {
	command -v socat >/dev/null 2>&1 || skip "socat not installed"
	ns_add far
	for sr_ns in ra rb; do
		ns_sysctl "$sr_ns" net.ipv4.ip_forward 1
		ns_sysctl "$sr_ns" net.ipv6.conf.all.forwarding 1
		ns_sysctl "$sr_ns" net.ipv4.conf.srv.rp_filter 1	# BCP 38: a reply must leave by its uplink
	done
	veth_pair ra cli far ethA
	veth_pair rb cli far ethB
	addr ra srv 198.51.100.1/25 2001:db8:a::1/64
	addr ra cli 192.0.2.1/28 2001:db8:1a::1/64
	addr rb srv 203.0.113.1/25 fe80::2/64 2001:db8:b::1/64
	addr rb cli 192.0.2.17/28 2001:db8:1b::1/64
	addr far ethA 192.0.2.2/28 2001:db8:1a::2/64
	addr far ethB 192.0.2.18/28 2001:db8:1b::2/64
	addr far lo $FAR4/32 $FAR6/128
	ip_ns ra -4 route add $FAR4/32 via 192.0.2.2 || hard_error "router A's route to the far side"
	ip_ns ra -6 route add $FAR6/128 via 2001:db8:1a::2 || hard_error "router A's IPv6 route"
	ip_ns rb -4 route add $FAR4/32 via 192.0.2.18 || hard_error "router B's route to the far side"
	ip_ns rb -6 route add $FAR6/128 via 2001:db8:1b::2 || hard_error "router B's IPv6 route"
	ip_ns far -4 route add 198.51.100.0/25 via 192.0.2.1 || hard_error "far side: route to A"
	ip_ns far -4 route add 203.0.113.0/25 via 192.0.2.17 || hard_error "far side: route to B"
	ip_ns far -6 route add 2001:db8:a::/64 via 2001:db8:1a::1 || hard_error "far side: IPv6 to A"
	ip_ns far -6 route add 2001:db8:b::/64 via 2001:db8:1b::1 || hard_error "far side: IPv6 to B"
	settle far	# ra and rb may have no carrier on srv yet (ifup, NetworkManager)
}

# hello_listen NS: TCP listeners answering "hello from ADDR" on port 7000, IPv4 and IPv6.
hello_listen() {
	bg_start "$1" socat -T 3 TCP4-LISTEN:7000,reuseaddr,fork \
		SYSTEM:'echo "hello from $SOCAT_SOCKADDR"'
	bg_start "$1" socat -T 3 TCP6-LISTEN:7000,ipv6only=1,reuseaddr,fork \
		SYSTEM:'echo "hello from $SOCAT_SOCKADDR"'
	wait_for 5 in_ns "$1" sh -c 'grep -q ":1B58 00000000:0000 0A" /proc/net/tcp &&
		grep -q ":1B58 00000000000000000000000000000000:0000 0A" /proc/net/tcp6' ||
		hard_error "the TCP listeners in $1 did not start"
}

# hello_connect NS ADDR: a new TCP connection from NS to ADDR:7000 (no source address chosen)
# gets the greeting. Three tries a second apart: on a loaded machine the listener's fork and
# exec can outlast one try's timeout, and a path just changed (an activation, a carrier that
# came back) may need a moment for neighbour discovery. A wrong path fails every try.
hello_connect() {
	case $2 in
	*:*) sr_to="[$2]" ;;
	*) sr_to=$2 ;;
	esac
	for sr_try in 1 2 3; do
		[ "$sr_try" = 1 ] || sleep 1
		sr_out=$(in_ns "$1" timeout 6 socat -T 2 - "TCP:$sr_to:7000,connect-timeout=2" \
			</dev/null 2>/dev/null)
		# socat writes an IPv6 address in full ([2001:0db8:...]): the greeting is the proof.
		case $sr_out in
		"hello from "*) return 0 ;;
		esac
	done
	return 1
}

# far_works WHAT DEV [4|6|46]: new connections from the host to the far side (no source
# address chosen) leave by DEV and get through, in the families given (default both).
far_works() {
	for sr_fw in "4 $FAR4" "6 $FAR6"; do
		set -- "$1" "$2" "${3:-46}" $sr_fw
		case $3 in *$4*) ;; *) continue ;; esac
		sr_g=$(ip "-$4" route get "$5" 2>&1)
		assert_match "$sr_g" " dev $2 " "$1: ip -$4 route get $5 leaves by $2"
		hello_connect . "$5" || fail "$1: a new TCP connection to $5 failed ($sr_g)"
	done
}

# Watching netlink: did a command send any change at all? (A snapshot cannot tell a no-op
# from a delete followed by the same add; `ip monitor` can.)
# monitor_start; CMD...; monitor_stop: sets MON_EVENTS to the route and rule notifications
# seen in between. Markers (a rule added and deleted at priority 7) bracket the interval, so
# no sleep is needed to know that the monitor is listening.
sr_marker() {
	# `ip monitor` may not be listening yet when it was just started: retry until it sees one.
	sr_try=0
	while :; do
		ip_ns . -4 rule add priority 7 from "$1" lookup 99 || hard_error "cannot add marker rule"
		wait_for 1 grep -q "from $1 " "$SR_TMP/monitor" && break
		ip_ns . -4 rule del priority 7 from "$1" lookup 99
		sr_try=$((sr_try + 1))
		[ "$sr_try" -lt 10 ] || hard_error "ip monitor saw no marker"
	done
	ip_ns . -4 rule del priority 7 from "$1" lookup 99 || hard_error "cannot del marker rule"
	wait_for 5 grep -q "^Deleted.*from $1 " "$SR_TMP/monitor" ||
		hard_error "ip monitor saw no marker deletion"
}
monitor_start() {
	: >"$SR_TMP/monitor"
	bg_start . ip monitor route rule >"$SR_TMP/monitor"
	MON_PID=$BG_PID
	sr_marker 198.51.100.254
	MON_FROM=$(wc -l <"$SR_TMP/monitor")
}
monitor_stop() {
	sr_marker 198.51.100.253
	bg_stop "$MON_PID"
	MON_EVENTS=$(tail -n +"$((MON_FROM + 1))" "$SR_TMP/monitor" | sed '/from 198\.51\.100\.253 /,$d')
}

# sr_repeat_silent ARGS...: `symroute ARGS` again, on the state it made: nothing reaches the
# kernel's notifications (its questions change nothing) and its dry run prints nothing.
sr_repeat_silent() {
	monitor_start
	sr_ok "$@"
	monitor_stop
	assert_eq "" "$MON_EVENTS" "a repeated $1 sends nothing"
	sr_ok "$@" --dry-run
	assert_eq "" "$SR_OUT" "a repeated $1: --dry-run prints nothing"
}

# sr_requests PATTERN ARGS...: how many netlink requests of `symroute ARGS` (run as sr_exec
# runs it) strace decodes to a line matching the basic regular expression PATTERN; with
# SR_TRACE set, of those system calls instead (SR_TRACE=ioctl: the interface questions). An
# ASan build's leak check cannot run under ptrace: it is off for this run alone.
sr_requests() {
	sr_rq_pattern=$1
	shift
	SR_WRAP="env ASAN_OPTIONS=${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}detect_leaks=0"
	SR_WRAP="$SR_WRAP strace -f -qq -e trace=${SR_TRACE:-sendto,sendmsg} -o $SR_TMP/strace"
	sr_exec . "$@" >/dev/null 2>"$SR_TMP/strace.err" || {
		SR_WRAP=
		hard_error "symroute $* failed under strace: $(tail -n 5 "$SR_TMP/strace.err")"
	}
	SR_WRAP=
	grep -c -- "$sr_rq_pattern" "$SR_TMP/strace"
}

# TCP: a server answering "hello from ADDR" on port 7000, and a bounded client.
# tcp_listen NS: sets BG_PID; the listener answers on every address of NS.
tcp_listen() {
	command -v socat >/dev/null 2>&1 || skip "socat not installed"
	bg_start "$1" socat -T 3 TCP-LISTEN:7000,reuseaddr,fork \
		SYSTEM:'echo "hello from $SOCAT_SOCKADDR"'
	wait_for 5 in_ns "$1" sh -c 'grep -q ":1B58 00000000:0000 0A" /proc/net/tcp' ||
		hard_error "the TCP listener did not start"
}

# tcp_try NS ADDR [SECONDS]: connect from NS to ADDR:7000, giving up after SECONDS (default
# 2); prints the greeting; 0 if it came.
tcp_try() {
	sr_ct=${3:-2}
	sr_out=$(in_ns "$1" timeout $((sr_ct + 3)) socat -T 2 - \
		"TCP:$2:7000,connect-timeout=$sr_ct" </dev/null 2>/dev/null)
	printf '%s\n' "$sr_out"
	[ "$sr_out" = "hello from $2" ]
}
