# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: harness for the NetworkManager tests: the real NetworkManager 1.42 in a sandbox.
#
# Sourced by tests/netns/nm-*.sh, which call `nm_sandbox_enter "$@"` first thing. Reuses lib.sh
# (asserts, namespaces, veth and TCP helpers) but enters a sandbox of its own, because
# NetworkManager needs more than lib.sh's network and mount namespaces:
#	- a PID namespace too (unshare --pid --fork --kill-child --mount-proc): when the test
#	  exits, the kernel kills NetworkManager, dbus-daemon, nm-dispatcher and dnsmasq, whatever
#	  happened; and nmcli inside it is seen by the daemon with a real UID;
#	- UTS and IPC namespaces (NetworkManager may set the hostname; it is told not to);
#	- a tmpfs on /run, bind-mounted over /etc/NetworkManager and /var/lib/NetworkManager, a
#	  copy over /etc/resolv.conf and /etc/hostname: nothing is written on the host's disks;
#	- sysfs mounted read-only: NetworkManager 1.42 uses udev only when /sys is writable, and
#	  without udevd it would leave every device unmanaged;
#	- a private D-Bus system bus whose service directory D-Bus-activates nm-dispatcher, and a
#	  dispatcher.d holding the project's hook (root-owned, 0755: nm-dispatcher runs nothing
#	  else) generated from nm-dispatcher/symroute-nm-dispatcher.in.
# NetworkManager manages only devices named nmsr*, which exist only in the sandbox.
#
# Safety: the host's network namespace must never change. The inodes of this process's
# network and mount namespaces are recorded before unsharing and compared inside; a match
# aborts with 99. (PID 1's namespaces cannot serve as the reference: /proc/1/ns is not
# readable on every machine, and inside the PID namespace PID 1 is the test itself.)

. "$(dirname "$0")/lib.sh"

SR_NM_SAFE_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# Replaces lib.sh's check (see above); every lib.sh helper that changes state calls it.
assert_not_host_netns() {
	sr_net=$(sr_ns_inode self net)
	sr_mnt=$(sr_ns_inode self mnt)
	[ -n "$sr_net" ] && [ -n "$sr_mnt" ] || hard_error "cannot read /proc/self/ns"
	[ -n "${SR_HOST_NETNS:-}" ] && [ -n "${SR_HOST_MNTNS:-}" ] ||
		hard_error "the host's namespaces were not recorded"
	[ "$sr_net" != "$SR_HOST_NETNS" ] ||
		hard_error "refusing to run: this is the host's network namespace"
	[ "$sr_mnt" != "$SR_HOST_MNTNS" ] ||
		hard_error "refusing to run: this is the host's mount namespace"
}

# nm_sandbox_enter "$@": re-execute the calling script in the sandbox, or set it up.
# The dispatcher daemon: /usr/lib/NetworkManager in Debian 12 (1.42), /usr/libexec in 13 (1.52).
NM_DISPATCHER_BIN=
for sr_b in /usr/libexec/nm-dispatcher /usr/lib/NetworkManager/nm-dispatcher; do
	[ -x "$sr_b" ] && { NM_DISPATCHER_BIN=$sr_b; break; }
done

nm_sandbox_enter() {
	if [ "${SR_IN_SANDBOX:-}" != 1 ]; then
		[ "$(id -u)" = 0 ] || skip "needs root (namespaces, NetworkManager)"
		for sr_b in unshare ip NetworkManager nmcli dbus-daemon dnsmasq; do
			command -v "$sr_b" >/dev/null 2>&1 || skip "$sr_b not installed"
		done
		[ -n "$NM_DISPATCHER_BIN" ] || skip "nm-dispatcher not installed"
		[ -d /etc/NetworkManager ] && [ -d /var/lib/NetworkManager ] ||
			skip "NetworkManager's directories are missing (install network-manager)"
		unshare --net --mount --pid --fork --mount-proc --propagation private true \
			2>/dev/null || skip "unshare --net --mount --pid is not permitted here"
		[ -x "$SYMROUTE" ] || hard_error "symroute binary not found at $SYMROUTE (set SYMROUTE)"
		"$SYMROUTE" --help 2>/dev/null | grep -q 'nm-dispatcher' ||
			skip "$SYMROUTE has no nm-dispatcher subcommand"
		SR_HOST_NETNS=$(sr_ns_inode self net)
		SR_HOST_MNTNS=$(sr_ns_inode self mnt)
		[ -n "$SR_HOST_NETNS" ] && [ -n "$SR_HOST_MNTNS" ] ||
			skip "cannot read /proc/self/ns (no /proc?)"
		SYMROUTE=$(cd "$(dirname "$SYMROUTE")" && pwd)/$(basename "$SYMROUTE")
		SR_NM_HELPER=${SR_NM_HELPER:-${top_builddir:-$(dirname "$SYMROUTE")}/symroute-nm}
		export SR_HOST_NETNS SR_HOST_MNTNS SYMROUTE SR_NM_HELPER SR_NM_HELPER_INSTALL_PATH \
			top_srcdir
		SR_IN_SANDBOX=1 exec unshare --net --mount --uts --ipc --pid --fork --kill-child \
			--mount-proc --propagation private /bin/sh "$SR_SELF" "$@"
		hard_error "cannot execute unshare"
	fi

	assert_not_host_netns
	if ip -4 addr show 2>/dev/null | grep -q ' 192\.0\.2\.'; then
		hard_error "refusing to run: 192.0.2.0/24 (the host's network) is visible"
	fi
	hostname symroute-nm-test || hard_error "cannot set the sandbox's hostname"

	# Everything NetworkManager, D-Bus and dnsmasq write lives on this tmpfs.
	mount -t tmpfs -o mode=755 symroute-nm-test /run || hard_error "cannot mount tmpfs on /run"
	SR_TMP=/run/symroute-test
	NM_SB=/run/sr-nm
	mkdir -p "$SR_TMP" /run/netns /run/dbus /run/NetworkManager "$NM_SB/bin" "$NM_SB/env" \
		"$NM_SB/dbus" "$NM_SB/varlib" "$NM_SB/dhcp" \
		"$NM_SB/etc/conf.d" "$NM_SB/etc/system-connections" \
		"$NM_SB/etc/dispatcher.d/pre-up.d" "$NM_SB/etc/dispatcher.d/pre-down.d" \
		"$NM_SB/etc/dispatcher.d/no-wait.d" || hard_error "cannot populate /run"
	mount --bind "$NM_SB/etc" /etc/NetworkManager || hard_error "cannot bind /etc/NetworkManager"
	mount --bind "$NM_SB/varlib" /var/lib/NetworkManager ||
		hard_error "cannot bind /var/lib/NetworkManager"
	for sr_f in /etc/resolv.conf /etc/hostname; do
		if [ -f "$sr_f" ] && [ ! -L "$sr_f" ]; then
			cp "$sr_f" "$NM_SB/$(basename "$sr_f")"
			mount --bind "$NM_SB/$(basename "$sr_f")" "$sr_f" || hard_error "cannot cover $sr_f"
		fi
	done
	mount -t sysfs -o ro sysfs /sys || hard_error "cannot mount a read-only sysfs"
	nm_place_helper
	# An installed package's hook would run from here too: the tests install their own.
	if [ -d /usr/lib/NetworkManager/dispatcher.d ]; then
		mkdir -p "$NM_SB/libdispatcher"
		mount --bind "$NM_SB/libdispatcher" /usr/lib/NetworkManager/dispatcher.d ||
			hard_error "cannot hide /usr/lib/NetworkManager/dispatcher.d"
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
	P=73
	ip route add 198.51.100.255/32 dev lo table 99 proto 73 2>/dev/null
	ip route show table 99 | grep -q 'proto symroute' && P=symroute
	ip route flush table 99 2>/dev/null

	nm_write_config
	note "symroute: $SYMROUTE; helper: $SR_NM_HELPER"
}

# nm_place_helper: `symroute sync` runs the libnm helper from the path compiled in
# ($(libexecdir)/symroute/symroute-nm) and nowhere else: no variable can point a release build
# at another program. In a build tree that path holds no helper, or an installed package's:
# the helper under test ($SR_NM_HELPER) is put there for this sandbox only, on an overlay
# whose upper layer is on the sandbox's tmpfs, laid over the path's nearest existing
# directory. Nothing is written on the host's disks. Without $SR_NM_HELPER_INSTALL_PATH (the
# installed package: tests/package/run-netns-suite.sh) the helper is already where it belongs.
nm_place_helper() {
	[ -n "${SR_NM_HELPER_INSTALL_PATH:-}" ] && [ -x "${SR_NM_HELPER:-}" ] || return 0
	[ "$SR_NM_HELPER" -ef "$SR_NM_HELPER_INSTALL_PATH" ] && return 0
	sr_dir=$(dirname "$SR_NM_HELPER_INSTALL_PATH")
	sr_base=$sr_dir
	while [ ! -d "$sr_base" ]; do
		sr_base=$(dirname "$sr_base")
	done
	case $sr_base in
	/ | /usr | /etc | /proc | /sys | /dev | /run | /tmp) hard_error "refusing an overlay over $sr_base for the helper" ;;
	esac
	mkdir -p "$NM_SB/helper/upper" "$NM_SB/helper/work" || hard_error "cannot populate $NM_SB/helper"
	mount -t overlay symroute-nm-helper \
		-o "lowerdir=$sr_base,upperdir=$NM_SB/helper/upper,workdir=$NM_SB/helper/work" "$sr_base" ||
		hard_error "cannot lay an overlay over $sr_base"
	mkdir -p "$sr_dir" && cp "$SR_NM_HELPER" "$SR_NM_HELPER_INSTALL_PATH" ||
		hard_error "cannot put the helper at $SR_NM_HELPER_INSTALL_PATH"
	note "helper under test at $SR_NM_HELPER_INSTALL_PATH (overlay on $sr_base)"
}

nm_write_config() {
	cat >/etc/NetworkManager/NetworkManager.conf <<-'EOF'
	[main]
	plugins=keyfile
	no-auto-default=*
	dns=none
	rc-manager=unmanaged
	hostname-mode=none
	auth-polkit=false
	dhcp=internal

	[keyfile]
	unmanaged-devices=except:interface-name:nmsr*

	[device-nmsr]
	match-device=interface-name:nmsr*
	managed=1

	[connectivity]
	enabled=false

	[logging]
	level=INFO
	domains=ALL:INFO,DISPATCH:DEBUG
	EOF
	cat >"$NM_SB/dbus/org.freedesktop.nm_dispatcher.service" <<-EOF
	[D-BUS Service]
	Name=org.freedesktop.nm_dispatcher
	Exec=$NM_DISPATCHER_BIN --debug
	User=root
	EOF
	cat >"$NM_SB/dbus/system.conf" <<-EOF
	<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
	 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
	<busconfig>
	  <type>system</type>
	  <listen>unix:path=/run/dbus/system_bus_socket</listen>
	  <auth>EXTERNAL</auth>
	  <servicedir>$NM_SB/dbus</servicedir>
	  <policy context="default">
	    <allow user="*"/>
	    <allow own="*"/>
	    <allow send_destination="*"/>
	    <allow receive_sender="*"/>
	  </policy>
	</busconfig>
	EOF
	# The symroute the hook runs: the one under test, verbose, its stderr in a log; each call
	# recorded (with its environment, for replays) and its end marked in $NM_SB/done. The hook
	# passes "--" before IFACE ACTION; it is passed on after -v.
	cat >"$NM_SB/bin/symroute" <<-EOF
	#!/bin/sh
	echo "== \$*" >>"$NM_SB/symroute.log"
	cmd=\$1
	shift
	dd=
	if [ "\${1-}" = -- ]; then
		dd=--
		shift
	fi
	n=\$(ls "$NM_SB/env" | wc -l)
	env | LC_ALL=C sort >"$NM_SB/env/\$(printf %03d "\$n")-\${1:-none}-\$2.env"
	"$SYMROUTE" "\$cmd" -v \$dd "\$@" >>"$NM_SB/symroute.log" 2>&1
	rc=\$?
	echo "\${1:-none} \$2 \$rc" >>"$NM_SB/done"
	exit \$rc
	EOF
	chmod 755 "$NM_SB/bin/symroute"
	: >"$NM_SB/done"
	: >"$NM_SB/symroute.log"
}

# nm_install_hook: the project's dispatcher script, as installed, calling the wrapper above.
nm_install_hook() {
	sed -e "s|@symroute_bin@|$NM_SB/bin/symroute|g" \
		"$top_srcdir/nm-dispatcher/symroute-nm-dispatcher.in" \
		>/etc/NetworkManager/dispatcher.d/50-symroute || hard_error "cannot install the hook"
	chown root:root /etc/NetworkManager/dispatcher.d/50-symroute
	chmod 755 /etc/NetworkManager/dispatcher.d/50-symroute
}

nm_remove_hook() { rm -f /etc/NetworkManager/dispatcher.d/50-symroute; }

# nm_profile NAME IFACE [KEY=VALUE | [group] ...]: a keyfile profile. Lines after the
# [connection] and [ethernet] groups are written as given, e.g.
#	nm_profile up0 nmsr0 '[ipv4]' method=manual address1=198.51.100.10/25,198.51.100.1 \
#		'[ipv6]' method=disabled
nm_profile() {
	sr_name=$1
	sr_if=$2
	shift 2
	sr_file=/etc/NetworkManager/system-connections/$sr_name.nmconnection
	{
		printf '[connection]\nid=%s\nuuid=%s\ntype=ethernet\ninterface-name=%s\n' \
			"$sr_name" "$(cat /proc/sys/kernel/random/uuid)" "$sr_if"
		printf 'autoconnect=true\n\n[ethernet]\n'
		for sr_l in "$@"; do
			case $sr_l in
			\[*) printf '\n%s\n' "$sr_l" ;;
			*) printf '%s\n' "$sr_l" ;;
			esac
		done
	} >"$sr_file"
	chmod 600 "$sr_file"
	NM_PROFILE_FILE=$sr_file
}

# nm_start: dbus-daemon and NetworkManager (with clean environments: nm-dispatcher and the
# scripts it runs inherit dbus-daemon's), waiting for start-up to complete.
nm_start() {
	assert_not_host_netns
	export DBUS_SYSTEM_BUS_ADDRESS=unix:path=/run/dbus/system_bus_socket
	if [ -z "${NM_DBUS_PID:-}" ]; then
		bg_start . env -i PATH=$SR_NM_SAFE_PATH LANG=C.UTF-8 dbus-daemon \
			--config-file="$NM_SB/dbus/system.conf" --nofork --nopidfile \
			>>"$NM_SB/dbus.log" 2>&1
		NM_DBUS_PID=$BG_PID
		wait_for 5 test -S /run/dbus/system_bus_socket || hard_error "dbus-daemon did not start"
	fi
	bg_start . env -i PATH=$SR_NM_SAFE_PATH LANG=C.UTF-8 \
		DBUS_SYSTEM_BUS_ADDRESS=$DBUS_SYSTEM_BUS_ADDRESS \
		NetworkManager --no-daemon --config=/etc/NetworkManager/NetworkManager.conf \
		--config-dir="$NM_SB/etc/conf.d" --system-config-dir="$NM_SB/etc/conf.d" \
		--state-file=/var/lib/NetworkManager/NetworkManager.state \
		--pid-file=/run/NetworkManager/NetworkManager.pid >>"$NM_SB/nm.log" 2>&1
	NM_PID=$BG_PID
	nm-online -s -q -t 30 || fail "NetworkManager did not finish starting: $(tail -5 "$NM_SB/nm.log")"
	note "NetworkManager $(NetworkManager --version) running (pid $NM_PID in the sandbox)"
}

nm_stop() {
	[ -n "${NM_PID:-}" ] && bg_stop "$NM_PID"
	NM_PID=
}

# nm_wait_done IFACE ACTION [COUNT]: wait until the hook has finished COUNT (default 1) calls
# for IFACE and ACTION; fails naming what was seen.
nm_wait_done() {
	sr_want=${3:-1}
	sr_n=$((200 * SR_WAIT_SCALE))	# 10 s on an idle machine (see wait_for)
	while [ "$sr_n" -gt 0 ]; do
		[ "$(grep -c "^$1 $2 " "$NM_SB/done")" -ge "$sr_want" ] && return 0
		sleep 0.05
		sr_n=$((sr_n - 1))
	done
	printf 'FAIL: the dispatcher hook did not run %s time(s) for %s %s\n  calls seen:\n' \
		"$sr_want" "$1" "$2"
	sr_indent "$(cat "$NM_SB/done")"
	printf '  symroute log:\n'
	sr_indent "$(tail -30 "$NM_SB/symroute.log")"
	exit 1
}

# nm_hook_rc IFACE ACTION: the exit code of the last finished call.
nm_hook_rc() { grep "^$1 $2 " "$NM_SB/done" | tail -1 | cut -d' ' -f3; }

nm_assert_hook_ok() {
	sr_rc=$(nm_hook_rc "$1" "$2")
	[ "$sr_rc" = 0 ] && return 0
	printf 'FAIL: symroute nm-dispatcher %s %s exited %s\n  symroute log:\n' "$1" "$2" "$sr_rc"
	sr_indent "$(tail -30 "$NM_SB/symroute.log")"
	exit 1
}

# nm_last_env IFACE ACTION: the file holding the environment of the last such call.
nm_last_env() { ls "$NM_SB/env/"*"-$1-$2.env" 2>/dev/null | tail -1; }

# nmcli_ok ARGS...: nmcli must succeed.
nmcli_ok() {
	assert_not_host_netns
	note "nmcli $*"
	sr_out=$(nmcli "$@" 2>&1) && return 0
	printf 'FAIL: nmcli %s\n' "$*"
	sr_indent "$sr_out"
	printf '  NetworkManager log:\n'
	sr_indent "$(tail -20 "$NM_SB/nm.log")"
	exit 1
}

# The uplinks: nmsrN on the server (NetworkManager's), its peer `srv` in a router namespace.
# nm_uplink N NS: creates namespace NS with `srv` linked to nmsrN.
nm_uplink() {
	ns_add "$2"
	veth_pair . "nmsr$1" "$2" srv
	ip link set "nmsr$1" down
}

# nm_dnsmasq NS IFACE RANGE ROUTER: a DHCP server (dnsmasq needs --no-ping, or the first
# lease waits ~3 s); hosts file $NM_SB/dhcp/hosts, leases $NM_SB/dhcp/leases.
nm_dnsmasq() {
	: >>"$NM_SB/dhcp/hosts"
	bg_start "$1" dnsmasq --keep-in-foreground --conf-file=/dev/null --no-hosts --no-resolv \
		--port=0 --user=root --group=root --no-ping --pid-file= \
		--interface="$2" --bind-interfaces --except-interface=lo \
		--dhcp-range="$3,2m" --dhcp-option=option:router,"$4" \
		--dhcp-hostsfile="$NM_SB/dhcp/hosts" --dhcp-leasefile="$NM_SB/dhcp/leases" \
		--log-dhcp --log-facility=- >>"$NM_SB/dnsmasq.log" 2>&1
	NM_DNSMASQ_PID=$BG_PID
}

# nm_show: what an administrator looks at, for failure messages and notes.
nm_state() {
	echo "## ip rule"; ip rule show; echo "## ip -6 rule"; ip -6 rule show
	echo "## ip route show table all (ours and main)"
	ip route show table all | grep -E "proto ($P|73)|table main| dev nmsr" | grep -v '^local'
	echo "## ip -6 route show table all (ours)"; ip -6 route show table all | grep -E "proto ($P|73)"
}
