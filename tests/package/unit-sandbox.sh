#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: the watcher at work inside the confinement its systemd unit asks for, without
# systemd: the unit's CapabilityBoundingSet= and NoNewPrivileges= through setpriv(1), its
# ProtectSystem=strict and ReadWritePaths= as read-only bind remounts of every other mount
# (the API file systems /proc, /sys and /dev stay as they are, as under systemd), and, when
# strace and systemd-analyze are installed, every system call it makes checked against its
# SystemCallFilter= and every socket against RestrictAddressFamilies=.
#
# Usage: tests/package/unit-sandbox.sh UNIT SYMROUTE
#	Run by tests/package/install-check.sh (as root) with the installed unit and binary.
#	Re-executes itself in private network and mount namespaces; the uplink it makes (veth,
#	198.51.100.0/24, 2001:db8:1::/64) and the mounts vanish with them.
# Output: "ok"/"not ok" lines as install-check prints them; exit 0 when all passed, 1 when one
# failed, 99 when the namespaces could not be made safely.
set -u

unit=$1 sr=$2
if [ -z "${SR_SANDBOX_INNER:-}" ]; then
	SR_SANDBOX_INNER=1 SR_OUTER_NETNS=$(readlink /proc/self/ns/net) \
		unshare --net --mount --propagation private "$0" "$@"
	exit $?
fi

failed=0
ok() { echo "ok - $*"; }
notok() { failed=1; echo "not ok - $*"; }
check() {
	local what=$1
	shift
	if "$@"; then ok "$what"; else notok "$what"; fi
}
indent() { sed 's/^/    | /'; }
[ "$(readlink /proc/self/ns/net)" != "$SR_OUTER_NETNS" ] || { echo "unit-sandbox: not in a network namespace of its own" >&2; exit 99; }
[ "$(readlink /proc/self/ns/net)" != "$(readlink /proc/1/ns/net)" ] || { echo "unit-sandbox: in PID 1's network namespace" >&2; exit 99; }

key() { sed -n "s/^$1=//p" "$unit" | tail -n 1; }
caps=$(key CapabilityBoundingSet)
rw_paths=$(key ReadWritePaths)
syscalls=$(key SystemCallFilter)
families=$(key RestrictAddressFamilies)

# A private /run (the lock and the state), and the configuration the test needs there: it
# makes the watcher write /proc/sys/net (rp_filter) as well.
work=$(mktemp -d /run/symroute-unit-sandbox.XXXXXX 2>/dev/null) || {
	mount -t tmpfs symroute-sandbox-run /run
	work=$(mktemp -d /run/symroute-unit-sandbox.XXXXXX)
}
printf '[symroute]\nrp-filter=loose\n' >"$work/symroute.conf"
chmod 644 "$work/symroute.conf"

ip link set lo up
for k in all default; do echo 0 >"/proc/sys/net/ipv6/conf/$k/accept_dad"; done
ip link add up0 type veth peer name peer0
ip link set peer0 up
ip link set up0 up
ip addr add 198.51.100.10/24 dev up0
ip route add default via 198.51.100.1 dev up0

# ProtectSystem=strict: every mount read-only but the API file systems and ReadWritePaths=.
if [ "$(key ProtectSystem)" = strict ]; then
	findmnt -rn -o TARGET | sort -u | while read -r m; do
		case $m in /proc | /proc/* | /sys | /sys/* | /dev | /dev/*) continue ;; esac
		for p in $rw_paths; do
			case $m in "$p" | "$p"/*) continue 2 ;; esac
		done
		mount -o remount,bind,ro "$m" 2>/dev/null
	done
	for p in $rw_paths; do
		mountpoint -q "$p" || { mount --bind "$p" "$p" && mount -o remount,bind,rw "$p"; }
	done
fi
check "outside ReadWritePaths= ($rw_paths) nothing is writable (/etc, /usr, /var)" \
	sh -c '! touch /etc/.sr-probe /usr/.sr-probe /var/.sr-probe 2>/dev/null'

# CapabilityBoundingSet=, NoNewPrivileges=yes.
bounding=-all
for c in $caps; do bounding="$bounding,+$(echo "${c#CAP_}" | tr 'A-Z' 'a-z')"; done
nnp=
[ "$(key NoNewPrivileges)" = yes ] && nnp=--no-new-privs
tracer=()
if command -v strace >/dev/null 2>&1; then
	tracer=(strace -f -qq -o "$work/strace.txt")
fi
"${tracer[@]}" setpriv $nnp --bounding-set="$bounding" --inh-caps=-all \
	"$sr" watch -c "$work/symroute.conf" >"$work/watch.log" 2>&1 </dev/null &
pid=$!

# until CMD: at most 10 s, in steps of 0.1 s.
until_ok() {
	for _ in $(seq 100); do
		eval "$1" && return 0
		sleep 0.1
	done
	return 1
}
check "confined ($caps only${nnp:+, no new privileges}): the IPv4 rule of the uplink" \
	until_ok 'ip -4 rule show | grep -q "from 198.51.100.10 lookup"'
check "confined: rp_filter of the uplink written (/proc/sys/net)" \
	until_ok '[ "$(cat /proc/sys/net/ipv4/conf/up0/rp_filter)" = 2 ]'
ip addr add 2001:db8:1::10/64 dev up0 nodad
ip -6 route add default via 2001:db8:1::1 dev up0
check "confined: the IPv6 rule of an address added later" \
	until_ok 'ip -6 rule show | grep -q "from 2001:db8:1::10 lookup"'
check "confined: the state file written under /run/symroute" \
	until_ok 'grep -q "^last=up0 IPv6: up" /run/symroute/watch.state 2>/dev/null'
ip link del up0
check "confined: the rules of a deleted link swept" \
	until_ok '! ip rule show | grep -q "from 198.51.100.10 lookup"'
# The watcher is $pid itself (setpriv execs it), or strace's child.
watcher=$pid
[ ${#tracer[@]} -eq 0 ] || watcher=$(pgrep -P "$pid" | head -n 1)
kill -TERM "${watcher:-$pid}" 2>/dev/null
wait "$pid"
rc=$?
check "confined: SIGTERM ends it with exit 0 (exit $rc)" [ "$rc" = 0 ]
[ "$rc" = 0 ] || indent <"$work/watch.log"

# The system calls and socket families it used, against the unit's filters.
if [ -s "$work/strace.txt" ] && command -v systemd-analyze >/dev/null 2>&1; then
	used=$(awk -v sr="$sr" 'index($0, "execve(\"" sr "\"") { go = 1 } go' "$work/strace.txt" |
		sed -E 's/^[0-9]+ +//' | grep -oE '^[a-z_0-9]+\(' | tr -d '(' | sort -u)
	declare -A seen=()
	allowed=
	todo=($syscalls)
	while [ ${#todo[@]} -gt 0 ]; do
		g=${todo[0]}
		todo=("${todo[@]:1}")
		[ -n "${seen[$g]:-}" ] && continue
		seen[$g]=1
		while read -r s; do
			case $s in '' | '#'*) ;; @*) todo+=("$s") ;; *) allowed="$allowed $s" ;; esac
		done < <(systemd-analyze syscall-filter "$g" 2>/dev/null | tail -n +2 | sed 's/^ *//')
	done
	outside=$(comm -23 <(echo "$used") <(tr ' ' '\n' <<<"$allowed" | sort -u) | tr '\n' ' ')
	check "its $(echo "$used" | wc -l) system calls are all in SystemCallFilter=$syscalls${outside:+ (not: $outside)}" \
		[ -z "$outside" ]
	fams=$(grep -oE 'socket\(AF_[A-Z0-9]+' "$work/strace.txt" | sed 's/socket(//' | sort -u | tr '\n' ' ')
	stray=
	for f in $fams; do
		grep -qw -- "$f" <<<"$families" || stray="$stray $f"
	done
	check "its sockets (${fams% }) are all in RestrictAddressFamilies=$families" [ -z "$stray" ]
else
	echo "# strace or systemd-analyze not installed: system calls and sockets not checked"
fi
exit $failed
