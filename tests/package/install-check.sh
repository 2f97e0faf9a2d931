#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: install the built .deb into a throw-away root and check its files, its maintainer
# scripts' effect on the kernel, and the namespace suite against the installed binary.
#
# Usage: tests/package/install-check.sh [--no-suite] [DEB]
#	DEB: the symroute .deb (default: the newest symroute_*.deb in /tmp/symroute-pkg, where
#	tests/package/build-and-check.sh leaves it). symroute-nm's .deb of the same version is
#	taken from beside it: the core is installed alone first (no NetworkManager hook, no
#	libnm), then symroute-nm.
#	--no-suite: skip running tests/netns against the installed binary.
#
# The throw-away root: this script re-executes itself under
#	unshare --net --mount --propagation private
# and, in that private mount namespace, lays overlays (upper layers on a private tmpfs) over
# /usr, /etc and /var and a fresh tmpfs over /run. dpkg then installs, upgrades, removes and
# purges the package for real in that view; the host's files and dpkg database never change,
# and everything vanishes with the namespace. Routes and rules are only ever touched in the
# private network namespace (checked before anything is changed), with addresses from
# 198.51.100.0/24, 203.0.113.0/24 and 2001:db8::/32.
#
# Output: one "ok"/"not ok" line per check, then "N passed, N failed". Exit 0 when all passed,
# 1 when a check failed, 99 when the sandbox could not be set up safely.
set -u

SAFE_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)

if [ -z "${SR_PKG_INNER:-}" ]; then
	suite=1
	if [ "${1:-}" = --no-suite ]; then
		suite=
		shift
	fi
	deb=${1:-$(ls -t /tmp/symroute-pkg/symroute_*.deb 2>/dev/null | head -n 1)}
	if [ -z "$deb" ] || [ ! -f "$deb" ]; then
		echo "install-check: no .deb given and none in /tmp/symroute-pkg (run build-and-check.sh)" >&2
		exit 99
	fi
	[ "$(id -u)" = 0 ] || { echo "install-check: must run as root" >&2; exit 99; }
	for tool in unshare ip dpkg dpkg-deb mount; do
		command -v "$tool" >/dev/null 2>&1 || { echo "install-check: $tool missing" >&2; exit 99; }
	done
	grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null ||
		{ echo "install-check: the kernel has no overlayfs" >&2; exit 99; }
	# In /tmp whatever TMPDIR says: the overlays go over /usr, /etc and /var.
	work=$(mktemp -d /tmp/symroute-install-check.XXXXXX)
	trap 'rm -rf "$work"' EXIT
	deb=$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")
	nmdeb=$(ls "$(dirname "$deb")/symroute-nm_$(dpkg-deb -f "$deb" Version)_"*.deb 2>/dev/null |
		head -n 1)
	if [ -z "$nmdeb" ]; then
		echo "install-check: no symroute-nm .deb of the same version beside $deb" >&2
		exit 99
	fi
	SR_NMDEB=$nmdeb SR_PKG_INNER=1 SR_HOST_NETNS=$(readlink /proc/self/ns/net) \
		SR_HOST_MNTNS=$(readlink /proc/self/ns/mnt) SR_WORK=$work SR_DEB=$deb SR_SUITE=$suite \
		unshare --net --mount --propagation private "$0"
	exit $?
fi

# ------------------------------------------------------------------------------ inside
export PATH=$SAFE_PATH LC_ALL=C DEBIAN_FRONTEND=noninteractive
deb=$SR_DEB
nmdeb=$SR_NMDEB
pkg=symroute
nmpkg=symroute-nm
passed=0 failed=0

ok() { passed=$((passed + 1)); echo "ok - $*"; }
notok() { failed=$((failed + 1)); echo "not ok - $*"; }
# check DESCRIPTION COMMAND...: ok when the command succeeds.
check() {
	local what=$1
	shift
	if "$@"; then ok "$what"; else notok "$what"; fi
}
die() { echo "install-check: $*" >&2; exit 99; }
# absent PATH: neither a file nor a link (dangling or not).
absent() { [ ! -e "$1" ] && [ ! -L "$1" ]; }
indent() { sed 's/^/    | /'; }

# Safety first: never touch the host's network or mounts.
[ "$(readlink /proc/self/ns/net)" != "$SR_HOST_NETNS" ] || die "still in the caller's network namespace"
[ "$(readlink /proc/self/ns/net)" != "$(readlink /proc/1/ns/net)" ] || die "in PID 1's network namespace"
[ "$(readlink /proc/self/ns/mnt)" != "$SR_HOST_MNTNS" ] || die "still in the caller's mount namespace"
[ "$(readlink /proc/self/ns/mnt)" != "$(readlink /proc/1/ns/mnt)" ] || die "in PID 1's mount namespace"

# The throw-away root: overlays with their upper layers on a tmpfs of this namespace.
mount -t tmpfs -o mode=700 symroute-install-check "$SR_WORK" || die "cannot mount a tmpfs on $SR_WORK"
for d in usr etc var; do
	mkdir -p "$SR_WORK/upper/$d" "$SR_WORK/work/$d"
	mount -t overlay "symroute-$d" \
		-o "lowerdir=/$d,upperdir=$SR_WORK/upper/$d,workdir=$SR_WORK/work/$d" "/$d" ||
		die "cannot lay an overlay over /$d"
done
mount -t tmpfs -o mode=755 symroute-run /run || die "cannot mount a tmpfs on /run"
mount -t sysfs sysfs /sys 2>/dev/null || true
echo "# throw-away root: overlays over /usr /etc /var, tmpfs on /run; net namespace $(readlink /proc/self/ns/net)"

# Kernel state as an administrator sees it: rules and routes of every table, both families.
snapshot() {
	local f
	for f in -4 -6; do
		echo "== ip $f rule"
		ip "$f" rule show
		echo "== ip $f route table all"
		ip "$f" -d route show table all
	done
}
# Anything tagged with our protocol, by number or name.
ours() {
	local f
	for f in -4 -6; do
		ip "$f" rule show
		ip "$f" route show table all
	done | grep -E 'proto (73|symroute)( |$)' || true
}
same_state() {
	local now
	now=$(snapshot)
	[ "$now" = "$1" ] && return 0
	echo "    kernel state differs from the one expected:"
	diff -u <(printf '%s\n' "$1") <(printf '%s\n' "$now") | indent
	return 1
}

# ------------------------------------------------------------------------------ the .deb
for d in "$deb" "$nmdeb"; do
	echo "# package: $d"
	dpkg-deb -f "$d" Package Version Architecture Depends Recommends Suggests Enhances Breaks \
		Replaces | indent
done
version=$(dpkg-deb -f "$deb" Version)
# A server without NetworkManager: the core package pulls in no libnm (issue 16).
check "symroute does not depend on libnm (its helper is symroute-nm's)" \
	sh -c "! dpkg-deb -f '$deb' Pre-Depends Depends Recommends | grep -q libnm"
check "symroute ships no NetworkManager file" \
	sh -c "! dpkg-deb -c '$deb' | grep -q NetworkManager"
check "symroute-nm depends on symroute (= $version) and libnm" \
	sh -c "dpkg-deb -f '$nmdeb' Depends | grep -q 'symroute (= $version)' &&
		dpkg-deb -f '$nmdeb' Depends | grep -q libnm"
contents=$(dpkg-deb -c "$deb")
etc_files=$(printf '%s\n' "$contents" | awk '$1 !~ /^d/ && $6 ~ /^\.\/etc\// { sub(/^\./, "", $6); print $6 }' | sort)
conffiles=$(dpkg-deb -I "$deb" conffiles 2>/dev/null | sort)
check "every file under /etc is a conffile" [ "$etc_files" = "$conffiles" ]
[ "$etc_files" = "$conffiles" ] || diff <(echo "$etc_files") <(echo "$conffiles") | indent
no_front_end_pulled() {
	! { dpkg-deb -f "$deb" Pre-Depends Depends Recommends
	    dpkg-deb -f "$nmdeb" Pre-Depends Depends Recommends; } |
		grep -Eq '(^|[ ,:|])(ifupdown|isc-dhcp-client|network-manager)([ ,(|]|$)'
}
check "no front end is pulled in (Depends/Recommends name no ifupdown, isc-dhcp-client, network-manager)" \
	no_front_end_pulled

# A leftover file of a hand install would make dpkg ask about conffiles: clear them (overlay only).
for f in $etc_files; do
	if [ -e "$f" ] && ! dpkg -S "$f" >/dev/null 2>&1; then
		echo "# removing $f left by something else (in the overlay only)"
		rm -f "$f"
	fi
done
for p in "$nmpkg" "$pkg"; do
	if dpkg -s "$p" >/dev/null 2>&1; then
		echo "# $p is installed on the host; purging it inside the overlay first"
		dpkg --purge "$p" >/dev/null 2>&1 </dev/null || die "cannot purge the host's $p in the overlay"
	fi
done

# path mode owner [optional]
expect_file() {
	local path=$1 mode=$2 owner=$3 opt=${4:-}
	if [ ! -e "$path" ]; then
		if [ -n "$opt" ]; then echo "# $path not shipped (optional)"; else notok "$path exists"; fi
		return
	fi
	local got
	got=$(stat -c '%a %U:%G %F' "$path")
	check "$path is a regular file, mode $mode, $owner (is: $got)" \
		[ "$got" = "$mode $owner regular file" ]
}

# ------------------------------------------------------------------------------ install
ip link set lo up
before_install=$(snapshot)
if out=$(timeout 600 dpkg -i "$deb" 2>&1 </dev/null); then ok "dpkg -i"; else notok "dpkg -i"; echo "$out" | indent; fi
check "installing changed no routes or rules" same_state "$before_install"
status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null)
check "package is installed (status '$status')" [ "$status" = "ii " ]
check "symroute alone: no NetworkManager hook" [ ! -e /usr/lib/NetworkManager/dispatcher.d/50-symroute ]
check "symroute alone: no libnm helper" [ ! -e /usr/libexec/symroute/symroute-nm ]
# ------------------------------------------------------------------------------ the watcher's unit
# symroute-watch.service (symroute watch, issue 15) comes with the core package, where this
# release's debhelper puts units (Debian 12: /lib/systemd/system, 13: /usr/lib/systemd/system),
# enabled as deb-systemd-helper does it without a running systemd: the multi-user.target.wants
# link under /etc/systemd/system. No systemd runs here, so the unit is enabled, not started
# (hence no routing change above).
unit_name=symroute-watch.service
unit=$(dpkg -L "$pkg" | grep -E "^(/usr)?/lib/systemd/system/$unit_name\$")
check "the unit is installed, once, under a systemd unit directory (dpkg -L: $(echo ${unit:-none}))" \
	[ "$(printf '%s' "$unit" | grep -c .)" = 1 ]
unit=${unit:-/usr/lib/systemd/system/$unit_name}
expect_file "$unit" 644 root:root
# debhelper enables units from /usr/lib from 13.11.6 on (Debian 13), and from /lib only before
# (Debian 12); where the .deb was built here, the unit must be where that debhelper looks.
dh_version=$(dpkg-query -W -f='${Version}' debhelper 2>/dev/null)
if [ -n "$dh_version" ]; then
	expect_unit_dir=/usr/lib/systemd/system
	dpkg --compare-versions "$dh_version" lt 13.11.6 && expect_unit_dir=/lib/systemd/system
	check "the unit is where debhelper $dh_version puts units ($expect_unit_dir)" \
		[ "$unit" = "$expect_unit_dir/$unit_name" ]
fi
# The link may name /lib or /usr/lib (Debian 13's deb-systemd-helper writes /lib/systemd/system
# for a unit in /usr/lib): /lib is /usr/lib on a merged /usr, so what counts is where it leads.
wants=/etc/systemd/system/multi-user.target.wants/$unit_name
enabled() { [ -L "$wants" ] && [ "$(readlink -f "$wants")" = "$(readlink -f "$unit")" ]; }
check "the unit is enabled: $wants -> $unit (is: $(readlink "$wants" 2>/dev/null || echo none))" \
	enabled
# On remove, debhelper's part of prerm stops the watcher: it must come before the flush, or the
# watcher would put back what the flush removes.
prerm=/var/lib/dpkg/info/$pkg.prerm
stop_at=$(grep -n "deb-systemd-invoke stop .*$unit_name" "$prerm" | head -n 1 | cut -d: -f1)
flush_at=$(grep -n '^[^#]*symroute flush' "$prerm" | head -n 1 | cut -d: -f1)
check "prerm stops the watcher (line ${stop_at:-none}) before symroute flush (line ${flush_at:-none})" \
	[ "${stop_at:-999999}" -lt "${flush_at:-0}" ]
# The contract's lines (issue 15; symroute(8), WATCHER), as systemd will read them.
unit_lines=(
	"ExecStart=/usr/sbin/symroute watch"
	"Type=simple"
	"Restart=on-failure"
	"DefaultDependencies=no"
	"After=systemd-sysctl.service"
	"Before=network-pre.target"
	"Wants=network-pre.target"
	"WantedBy=multi-user.target"
	"CapabilityBoundingSet=CAP_NET_ADMIN"
	"ReadWritePaths=/run"
)
for l in "${unit_lines[@]}"; do
	check "unit says $l" grep -qxF "$l" "$unit"
done
# ProtectKernelTunables= would make /proc/sys read-only: the watcher writes /proc/sys/net.
check "unit leaves /proc/sys writable (no ProtectKernelTunables=yes)" \
	sh -c "! grep -q '^ProtectKernelTunables=yes' '$unit'"
if command -v systemd-analyze >/dev/null 2>&1; then
	# verify loads the unit as systemd would, checks ExecStart's binary and runs man for
	# Documentation=; it reports some problems on stderr with exit 0, so both count.
	vout=$(timeout 60 systemd-analyze verify "$unit" 2>&1)
	rc=$?
	check "systemd-analyze verify $unit: exit 0, says nothing (exit $rc)" \
		[ "$rc:$vout" = 0: ]
	[ -z "$vout" ] || echo "$vout" | indent
	echo "# $(timeout 60 systemd-analyze security --offline=true "$unit" 2>/dev/null |
		grep -o 'Overall exposure level.*' || echo 'systemd-analyze security: no answer')"
else
	echo "# systemd-analyze not installed: the unit is not verified"
fi
# The installed watcher at work inside the unit's confinement, without systemd (bounding set,
# no new privileges, read-only but ReadWritePaths=, the system call and socket filters).
if command -v setpriv >/dev/null 2>&1 && command -v findmnt >/dev/null 2>&1; then
	out=$(timeout 120 bash "$here/unit-sandbox.sh" "$unit" /usr/sbin/symroute 2>&1)
	rc=$?
	while IFS= read -r line; do
		case $line in
		"ok - "*) ok "${line#ok - }" ;;
		"not ok - "*) notok "${line#not ok - }" ;;
		*) echo "$line" ;;
		esac
	done <<<"$out"
	case $rc in 0 | 1) ;; *) notok "tests/package/unit-sandbox.sh could not run (exit $rc)" ;; esac
else
	echo "# setpriv or findmnt not installed: the unit's confinement is not tried"
fi

out=$(timeout 10 symroute sync 2>&1)
rc=$?
check "symroute alone: sync exits 8 and names symroute-nm (exit $rc)" \
	sh -c "[ $rc = 8 ] && printf '%s' \"\$1\" | grep -q symroute-nm" sh "$out"
[ -z "$out" ] || echo "$out" | indent
if out=$(timeout 600 dpkg -i "$nmdeb" 2>&1 </dev/null); then ok "dpkg -i symroute-nm"; else notok "dpkg -i symroute-nm"; echo "$out" | indent; fi
check "installing symroute-nm changed no routes or rules" same_state "$before_install"
files=$(dpkg -L "$pkg" "$nmpkg" 2>/dev/null)

expect_file /usr/sbin/symroute 755 root:root
expect_file /etc/symroute.conf 644 root:root
expect_file /etc/iproute2/rt_protos.d/symroute.conf 644 root:root
expect_file /etc/network/if-up.d/symroute 755 root:root
if [ -e /etc/network/if-down.d/symroute ]; then
	expect_file /etc/network/if-down.d/symroute 755 root:root
else
	expect_file /etc/network/if-post-down.d/symroute 755 root:root
fi
# dhclient-script sources its hooks: no need for the execute bit (Debian's own are 0644).
expect_file /etc/dhcp/dhclient-exit-hooks.d/symroute 644 root:root
expect_file /usr/lib/dhcpcd/dhcpcd-hooks/70-symroute 644 root:root
# NetworkManager runs only root-owned, not group/other-writable, not setuid scripts.
expect_file /usr/lib/NetworkManager/dispatcher.d/50-symroute 755 root:root
expect_file /usr/libexec/symroute/symroute-nm 755 root:root
expect_file /usr/share/man/man8/symroute.8.gz 644 root:root
expect_file /usr/share/man/man5/symroute.conf.5.gz 644 root:root
expect_file /usr/share/doc/symroute/copyright 644 root:root
expect_file /usr/share/doc/symroute/README.Debian 644 root:root

bad_perm=$(printf '%s\n' "$files" | while read -r f; do
	# dpkg -L of two packages puts an empty line between them.
	case $f in "" | /.) continue ;; esac
	[ -e "$f" ] || [ -L "$f" ] || { echo "missing: $f"; continue; }
	[ -L "$f" ] && continue
	s=$(stat -c '%a %U %G' "$f")
	set -- $s
	[ "$2:$3" = root:root ] || echo "owner $2:$3: $f"
	case $1 in
	*[2367]? | *[2367]) echo "group/other-writable $1: $f" ;;
	[1-7]???) echo "setuid/setgid/sticky $1: $f" ;;
	esac
done)
check "every installed path exists, root:root, not group/other-writable, no setuid" [ -z "$bad_perm" ]
[ -z "$bad_perm" ] || echo "$bad_perm" | indent

dpkg_conffiles=$(dpkg-query -W -f='${Conffiles}\n' "$pkg" | awk 'NF { print $1 }' | sort)
check "dpkg registered the conffiles: $(echo $dpkg_conffiles)" [ "$dpkg_conffiles" = "$conffiles" ]

vout=$(timeout 10 symroute --version 2>&1)
check "symroute --version runs and says $version (says: $vout)" grep -qF "$version" <<<"$vout"
# The shipped configuration is valid, and so is every default it shows once uncommented.
# (show goes on past a bad line with a warning on stderr: silence is the proof.)
conf_ok() {
	timeout 10 symroute show -c "$1" >/dev/null 2>"$SR_WORK/conf.err" &&
		[ ! -s "$SR_WORK/conf.err" ] && return 0
	indent <"$SR_WORK/conf.err"
	return 1
}
check "symroute accepts the shipped /etc/symroute.conf" conf_ok /etc/symroute.conf
sed 's/^#\([a-z-]*=\)/\1/' /etc/symroute.conf >"$SR_WORK/uncommented.conf"
check "symroute accepts /etc/symroute.conf with every key uncommented ($(grep -c '^[a-z-]*=' \
	"$SR_WORK/uncommented.conf") keys)" conf_ok "$SR_WORK/uncommented.conf"
check "rt_protos.d names 73 symroute" grep -Eq '^73[[:space:]]+symroute([[:space:]]|$)' \
	/etc/iproute2/rt_protos.d/symroute.conf
ip route add unreachable 198.51.100.0/24 table 4242 proto 73
check "ip prints protocol 73 as \"proto symroute\"" \
	grep -q 'proto symroute' <<<"$(ip route show table 4242)"
ip route del unreachable 198.51.100.0/24 table 4242 proto 73
for m in /usr/share/man/man8/symroute.8.gz /usr/share/man/man5/symroute.conf.5.gz; do
	if [ -e "$m" ] && command -v man >/dev/null 2>&1; then
		w=$(MANWIDTH=80 man --warnings -l "$m" 2>&1 >/dev/null)
		check "${m##*/} renders without warnings" [ -z "$w" ]
		[ -z "$w" ] || echo "$w" | indent
	fi
done

# ------------------------------------------------------------------------------ the suite
if [ -n "$SR_SUITE" ]; then
	echo "# namespace suite against the installed /usr/sbin/symroute"
	top_srcdir=$top sh "$top/tests/package/run-netns-suite.sh" /usr/sbin/symroute 2>&1 | indent
	rc=${PIPESTATUS[0]}
	case $rc in
	0) ok "tests/netns against the installed package" ;;
	77) echo "# tests/netns: nothing ran (skipped)" ;;
	*) notok "tests/netns against the installed package (exit $rc)" ;;
	esac
fi

# ------------------------------------------------------------------------------ kernel state
# Two uplinks in this private namespace: up0 with main's default route (as ifupdown's
# `gateway` leaves it), up1 without; IPv6 on up0 with no default in main.
for k in all default; do echo 0 >"/proc/sys/net/ipv6/conf/$k/accept_dad"; done
for i in 0 1; do
	ip link add "up$i" type veth peer name "peer$i"
	ip link set "peer$i" up
	ip link set "up$i" up
done
ip addr add 198.51.100.10/24 dev up0
ip addr add 2001:db8:1::10/64 dev up0 nodad
ip addr add 203.0.113.20/24 dev up1
ip route add default via 198.51.100.1 dev up0
# The install-time word: with up1's own default behind up0's, replies from up1's address
# leave by up0, and configuring the package says so (and changes nothing).
ip route add default via 203.0.113.1 dev up1 metric 200
before_up=$(snapshot)
# Run as dpkg runs it (deb-systemd-helper, in debhelper's part, refuses to run otherwise).
postinst_configure() {
	DPKG_MAINTSCRIPT_PACKAGE=$pkg DPKG_MAINTSCRIPT_NAME=postinst \
		timeout 600 /var/lib/dpkg/info/symroute.postinst configure "$version" 2>&1 </dev/null
}
out=$(postinst_configure)
check "configuring on an affected host names symroute check (and changes nothing)" \
	sh -c "printf '%s' \"\$1\" | grep -q \"'symroute check' shows which\" && [ -z \"\$2\" ]" sh "$out" \
	"$(same_state "$before_up" >/dev/null || echo changed)"
echo "$out" | indent
# Where systemd runs (/run/systemd/system exists), debhelper's part starts the enabled watcher,
# and the line says that the watcher fixes them. (No systemd answers here: nothing starts.)
mkdir -p /run/systemd/system
out=$(postinst_configure)
check "configuring under systemd says the watcher brings them in line (and changes nothing)" \
	sh -c "printf '%s' \"\$1\" | grep -q 'symroute-watch.service, starting now, brings them in line' &&
		[ -z \"\$2\" ]" sh "$out" "$(same_state "$before_up" >/dev/null || echo changed)"
echo "$out" | indent
rmdir /run/systemd/system /run/systemd 2>/dev/null

# Debian's network-manager ships /etc/NetworkManager/dispatcher.d/01-ifupdown, which runs
# /etc/network/if-up.d/* for NetworkManager's own connections with METHOD=NetworkManager.
# Those connections are 50-symroute's (with the profile's symroute.* settings): the ifupdown
# hook must leave them alone, or the two hooks fight over the interface on every event.
nm_shim_env="PATH=$SAFE_PATH IFACE=up1 LOGICAL=up1 METHOD=NetworkManager VERBOSITY=0"
out=$(env -i $nm_shim_env ADDRFAM=inet MODE=start PHASE=post-up \
	CONNECTION_UUID=5e1f0a57-0000-4000-8000-00000000abcd DEVICE_IFACE=up1 \
	timeout 60 /etc/network/if-up.d/symroute 2>&1)
check "if-up.d hook run by NetworkManager's 01-ifupdown (METHOD=NetworkManager) changes nothing" \
	same_state "$before_up"
[ -z "$out" ] || echo "$out" | indent
symroute flush >/dev/null 2>&1 || true

run_sr() {
	local out
	if out=$(timeout --kill-after=5 60 symroute "$@" 2>&1); then
		ok "symroute $*"
	else
		notok "symroute $* (exit $?)"
		echo "$out" | indent
	fi
}
run_sr up up0 --gateway 198.51.100.1 --gateway 2001:db8:1::1
run_sr up up1 --gateway 203.0.113.1
mine=$(ours)
check "symroute up left rules and routes of ours" [ -n "$mine" ]
echo "$mine" | indent

after_up=$(snapshot)
if out=$(timeout 600 dpkg -i "$deb" "$nmdeb" 2>&1 </dev/null); then ok "dpkg -i again (upgrade path)"; else notok "dpkg -i again"; echo "$out" | indent; fi
check "reinstalling kept our rules and routes (prerm upgrade flushes nothing)" same_state "$after_up"
check "after the upgrade, the watcher's unit is still enabled" enabled
# An administrator who disabled the watcher keeps it disabled across upgrades (systemctl works
# on the links alone here: no systemd runs).
if command -v systemctl >/dev/null 2>&1; then
	SYSTEMD_OFFLINE=1 systemctl disable "$unit_name" >/dev/null 2>&1
	if out=$(timeout 600 dpkg -i "$deb" 2>&1 </dev/null); then ok "dpkg -i again with the watcher disabled"; else notok "dpkg -i again with the watcher disabled"; echo "$out" | indent; fi
	check "an upgrade keeps the watcher disabled (no $wants)" absent "$wants"
	SYSTEMD_OFFLINE=1 systemctl enable "$unit_name" >/dev/null 2>&1
	check "systemctl enable puts the link back (so that purge is seen to remove it)" enabled
fi

# The installed watcher, started as the unit starts it (no systemd here, so by hand): it must
# come up, say so in status, and be stopped by prerm before the flush, or it would put back
# what the flush removes (the uplinks' defaults in main are not ours).
watch_log=$SR_WORK/watch.log
/usr/sbin/symroute watch >"$watch_log" 2>&1 </dev/null &
watch_pid=$!
watch_status=
for _ in $(seq 100); do
	watch_status=$(timeout 10 symroute status 2>/dev/null | grep '^watcher: ')
	case $watch_status in "watcher: running (pid $watch_pid)"*) break ;; esac
	kill -0 "$watch_pid" 2>/dev/null || break
	sleep 0.1
done
check "the installed watcher runs; status says: ${watch_status:-nothing}" \
	grep -q "^watcher: running (pid $watch_pid)" <<<"$watch_status"
grep -q "^watcher: running (pid $watch_pid)" <<<"$watch_status" || indent <"$watch_log"

# ------------------------------------------------------------------------------ remove
if out=$(timeout 600 dpkg -r "$nmpkg" "$pkg" 2>&1 </dev/null); then ok "dpkg -r"; else notok "dpkg -r"; fi
echo "$out" | indent
watch_rc=running
if ! kill -0 "$watch_pid" 2>/dev/null; then
	wait "$watch_pid"
	watch_rc=$?
fi
check "removal stopped the watcher started by hand, which exited 0 (exit: $watch_rc)" [ "$watch_rc" = 0 ]
[ "$watch_rc" = running ] && { kill "$watch_pid"; wait "$watch_pid"; }
indent <"$watch_log"
check "/run/symroute/watch.state is gone" absent /run/symroute/watch.state
check "removal names the interfaces that lose symmetric routing" \
	grep -q "symroute: removing symmetric routing from: up0 up1 " <<<"$out"
check "after remove, the kernel holds nothing of ours" [ -z "$(ours)" ]
check "after remove, rules and routes are as before the first symroute up" same_state "$before_up"
check "/usr/sbin/symroute is gone" [ ! -e /usr/sbin/symroute ]
check "the watcher's unit $unit is gone" [ ! -e "$unit" ]
check "the dispatcher script is gone" [ ! -e /usr/lib/NetworkManager/dispatcher.d/50-symroute ]
check "/run/symroute.lock is gone" [ ! -e /run/symroute.lock ]
for f in $conffiles; do
	check "conffile $f stays after remove" [ -e "$f" ]
done

# The hooks are conffiles and stay after `remove`: without the binary they must do nothing
# and succeed, or every ifup/ifdown/lease would fail until the package is purged.
hook_env="PATH=$SAFE_PATH IFACE=up1 LOGICAL=up1 ADDRFAM=inet METHOD=static VERBOSITY=0"
for h in /etc/network/if-up.d/symroute:start:post-up \
	/etc/network/if-down.d/symroute:stop:pre-down \
	/etc/network/if-post-down.d/symroute:stop:post-down; do
	IFS=: read -r path mode phase <<<"$h"
	[ -e "$path" ] || continue
	out=$(env -i $hook_env MODE=$mode PHASE=$phase "$path" 2>&1)
	rc=$?
	check "$path without the binary: exit 0 (exit $rc)" [ "$rc" = 0 ]
	[ -z "$out" ] || echo "$out" | indent
done
if [ -e /etc/dhcp/dhclient-exit-hooks.d/symroute ]; then
	out=$(env -i PATH=$SAFE_PATH sh -c 'reason=BOUND interface=up1 new_ip_address=203.0.113.21
		new_subnet_mask=255.255.255.0 new_routers=203.0.113.1
		. /etc/dhcp/dhclient-exit-hooks.d/symroute; echo "hook returned"' 2>&1)
	check "dhclient hook without the binary: sourced, returns, does not exit" \
		grep -q 'hook returned' <<<"$out"
	echo "$out" | grep -v 'hook returned' | indent
fi
check "the hooks changed nothing without the binary" same_state "$before_up"

# ------------------------------------------------------------------------------ purge
if out=$(timeout 600 dpkg -P "$nmpkg" "$pkg" 2>&1 </dev/null); then ok "dpkg -P"; else notok "dpkg -P"; echo "$out" | indent; fi
left=$(printf '%s\n' "$files" | while read -r f; do
	[ -d "$f" ] && continue
	{ [ -e "$f" ] || [ -L "$f" ]; } && echo "$f"
done)
check "after purge, no file of the package is left" [ -z "$left" ]
[ -z "$left" ] || echo "$left" | indent
check "after purge, the watcher is not enabled: no $wants" absent "$wants"
dsh_left=$(find /var/lib/systemd/deb-systemd-helper-enabled /var/lib/systemd/deb-systemd-helper-masked \
	-name "*$unit_name*" 2>/dev/null)
check "after purge, deb-systemd-helper holds no state of the unit" [ -z "$dsh_left" ]
[ -z "$dsh_left" ] || echo "$dsh_left" | indent
check "after purge, dpkg knows nothing of $pkg and $nmpkg" \
	sh -c "! dpkg-query -W -f='\${db:Status-Abbrev}' $pkg $nmpkg 2>/dev/null | grep -q '^[a-z]i'"
check "after purge, the kernel holds nothing of ours" [ -z "$(ours)" ]

# ------------------------------------------------------------------------------ upgrade
# From 0.1.0, one package that held NetworkManager's hook and helper too: a stand-in with
# those paths (dpkg decides by name, version and paths alone), then both new packages at once.
old=$SR_WORK/old/symroute
mkdir -p "$old/DEBIAN" "$old/usr/sbin" "$old/usr/libexec/symroute" \
	"$old/usr/lib/NetworkManager/dispatcher.d"
printf 'Package: symroute\nVersion: 0.1.0\nArchitecture: %s\nMaintainer: test <test@example.org>\nDescription: stand-in for the single package of 0.1.0\n' \
	"$(dpkg --print-architecture)" >"$old/DEBIAN/control"
for f in usr/sbin/symroute usr/libexec/symroute/symroute-nm \
	usr/lib/NetworkManager/dispatcher.d/50-symroute; do
	printf '#!/bin/sh\nexit 0\n' >"$old/$f"
	chmod 755 "$old/$f"
done
dpkg-deb --root-owner-group -b "$old" "$SR_WORK/old.deb" >/dev/null 2>&1 || die "cannot build the 0.1.0 stand-in"
if out=$(timeout 600 dpkg -i "$SR_WORK/old.deb" 2>&1 </dev/null); then ok "dpkg -i symroute 0.1.0 (one package)"; else notok "dpkg -i symroute 0.1.0"; echo "$out" | indent; fi
if out=$(timeout 600 dpkg -i "$deb" "$nmdeb" 2>&1 </dev/null); then ok "upgrade from 0.1.0 to symroute and symroute-nm $version"; else notok "upgrade from 0.1.0"; echo "$out" | indent; fi
check "after the upgrade, symroute-nm owns the dispatcher hook" \
	sh -c "dpkg -S /usr/lib/NetworkManager/dispatcher.d/50-symroute | grep -q '^symroute-nm:'"
check "after the upgrade, the real binary is in place" sh -c "symroute --version | grep -qF '$version'"
timeout 600 dpkg -P "$nmpkg" "$pkg" >/dev/null 2>&1 </dev/null

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
