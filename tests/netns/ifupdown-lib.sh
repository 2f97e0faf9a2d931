# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: Debian's real ifup/ifdown, dhclient and dnsmasq inside lib.sh's sandbox, running symroute's hooks.
#
# Sourced by tests/netns/ifupdown-*.sh and dhclient-*.sh after lib.sh and `sandbox_enter "$@"`.
# On top of lib.sh's sandbox (its own network and mount namespaces, a tmpfs on /run):
#	- /etc/network is a directory of the sandbox's (bind mount) holding the test's
#	  `interfaces` and hook directories with symroute's hooks only, made from
#	  ifupdown/*.in with the path of the binary under test ($SYMROUTE);
#	- /etc/dhcp (a minimal dhclient.conf that asks for no host name or DNS servers, an enter
#	  hook that keeps resolv.conf alone, symroute's exit hook), /var/lib/dhcp and
#	  /etc/resolv.conf are the sandbox's too;
#	- /run/network (ifupdown's state) and dhclient's pid files live on the sandbox's /run.
# ifup, ifdown and dhclient only ever run here, after assert_not_host_netns. dhclient daemons
# that ifup started are stopped at exit by the PIDs in their pid files, dnsmasq by bg_start's.

IFUD=$SR_TMP/ifupdown

# ifud_need [dhcp]: skip (77) when the real binaries are not installed.
ifud_need() {
	for ifud_c in ifup ifdown run-parts; do
		command -v "$ifud_c" >/dev/null 2>&1 || skip "$ifud_c not installed (Debian package ifupdown)"
	done
	if [ "${1:-}" = dhcp ]; then
		command -v dhclient >/dev/null 2>&1 || skip "dhclient not installed (isc-dhcp-client)"
		[ -x /sbin/dhclient-script ] || skip "/sbin/dhclient-script not installed"
		command -v dnsmasq >/dev/null 2>&1 || skip "dnsmasq not installed (dnsmasq-base)"
	fi
	for ifud_f in symroute-ifupdown.in symroute-dhclient.in; do
		[ -r "$top_srcdir/ifupdown/$ifud_f" ] || hard_error "no $top_srcdir/ifupdown/$ifud_f"
	done
}

ifud_cleanup() {
	ifud_rc=$?
	# dhclient's, and dhcpcd's where ifup ran it (this /run is the sandbox's own tmpfs).
	for ifud_p in /run/dhclient*.pid /run/dhcpcd/*.pid /run/dhcpcd.pid; do
		[ -s "$ifud_p" ] && kill "$(cat "$ifud_p")" 2>/dev/null
	done
	(exit "$ifud_rc")
	sandbox_cleanup
}

# ifud_setup INTERFACES-TEXT: the private /etc/network (and /etc/dhcp, ...) with our hooks.
ifud_setup() {
	assert_not_host_netns
	mkdir -p "$IFUD/network/interfaces.d" "$IFUD/dhcp/dhclient-exit-hooks.d" \
		"$IFUD/dhcp/dhclient-enter-hooks.d" "$IFUD/varlib" "$IFUD/srv" /run/network ||
		hard_error "cannot create $IFUD"
	for ifud_d in if-pre-up.d if-up.d if-down.d if-post-down.d; do
		mkdir -p "$IFUD/network/$ifud_d" || hard_error "cannot create $ifud_d"
	done
	ifud_hooks "$IFUD/network"
	sed "s|@symroute_bin@|$SYMROUTE|g" "$top_srcdir/ifupdown/symroute-dhclient.in" \
		>"$IFUD/dhcp/dhclient-exit-hooks.d/symroute" ||
		hard_error "cannot install the dhclient exit hook"
	printf '%s\n' "$1" >"$IFUD/network/interfaces"
	printf 'request subnet-mask, broadcast-address, routers;\n' >"$IFUD/dhcp/dhclient.conf"
	printf '# keep resolv.conf alone\nmake_resolv_conf() { :; }\n' \
		>"$IFUD/dhcp/dhclient-enter-hooks.d/00-symroute-test"
	: >"$IFUD/resolv.conf"

	trap ifud_cleanup EXIT
	mount --bind "$IFUD/network" /etc/network || hard_error "cannot bind-mount /etc/network"
	if [ -d /etc/dhcp ]; then
		mount --bind "$IFUD/dhcp" /etc/dhcp || hard_error "cannot bind-mount /etc/dhcp"
	fi
	if [ -d /var/lib/dhcp ]; then
		mount --bind "$IFUD/varlib" /var/lib/dhcp || hard_error "cannot bind-mount /var/lib/dhcp"
	fi
	if [ -f /etc/resolv.conf ]; then
		mount --bind "$IFUD/resolv.conf" /etc/resolv.conf ||
			hard_error "cannot bind-mount /etc/resolv.conf"
	fi
}

# ifud_links NS NAME... : a veth per NAME, our end NAME here (down, as ifup expects it, with
# a fixed MAC 02:00:00:00:00:0N for reservations), the peer end pNAME up in NS.
ifud_links() {
	ifud_ns=$1
	shift
	ifud_n=0
	for ifud_l in "$@"; do
		ifud_n=$((ifud_n + 1))
		veth_pair . "$ifud_l" "$ifud_ns" "p$ifud_l" "02:00:00:00:00:0$ifud_n"
		ip link set "$ifud_l" down || hard_error "cannot set $ifud_l down"
	done
}

# ifud_dhcp_server NS IFACE RANGE [DNSMASQ-OPTION...]: dnsmasq answering DHCP on NS:IFACE
# only, RANGE as in --dhcp-range, with reservations from $IFUD/srv/hosts (MAC,ADDR lines,
# re-read on SIGHUP) and renewals due after 3 s (T1), so that a test sees one soon. Sets
# IFUD_DNSMASQ.
ifud_dhcp_server() {
	touch "$IFUD/srv/hosts"
	ifud_ns=$1 ifud_if=$2 ifud_range=$3
	shift 3
	rm -f "$IFUD/srv/dnsmasq.pid"
	bg_start "$ifud_ns" dnsmasq --keep-in-foreground --conf-file=/dev/null --port=0 --user=root \
		--no-ping --bind-interfaces --interface="$ifud_if" --except-interface=lo \
		--dhcp-range="$ifud_range" --dhcp-option=option:T1,3 --dhcp-option=option:T2,5 \
		--dhcp-hostsfile="$IFUD/srv/hosts" --dhcp-leasefile="$IFUD/srv/leases" \
		--pid-file="$IFUD/srv/dnsmasq.pid" --log-dhcp --log-facility="$IFUD/srv/dnsmasq.log" \
		"$@"
	IFUD_DNSMASQ=$BG_PID
	wait_for 5 test -s "$IFUD/srv/dnsmasq.pid" || hard_error "dnsmasq did not start"
}

# ifud_run CMD...: run ifup/ifdown; sets IFUD_RC and IFUD_OUT (stdout and stderr).
ifud_run() {
	assert_not_host_netns
	note "$*"
	IFUD_OUT=$("$@" 2>&1)
	IFUD_RC=$?
	[ -z "$IFUD_OUT" ] || sr_indent "$IFUD_OUT"
}

# ifud_ok CMD...: must exit 0, without a word from symroute.
ifud_ok() {
	ifud_run "$@"
	[ "$IFUD_RC" = 0 ] || fail "$* exited $IFUD_RC"
	assert_not_contains "$IFUD_OUT" "symroute:" "$*: no complaint from symroute"
}

# ifud_table_routes TABLE [-4|-6]: `ip route show table TABLE`, empty when there is none.
ifud_table_routes() {
	ip ${2:--4} route show table "$1" 2>/dev/null
}

# lib.sh's two ISPs and far host (isps_far_side), with the host's ends eth0 (MAC
# 02:00:00:00:00:01, to router A) and eth1 (:02, to router B) down and without addresses, for
# ifup. Needs socat (skips without).
ifud_two_routers() {
	ns_add ra
	ns_add rb
	# The host's ends start down and without addresses, as ifup expects them.
	veth_pair . eth0 ra srv 02:00:00:00:00:01
	veth_pair . eth1 rb srv 02:00:00:00:00:02
	ip link set eth0 down || hard_error "cannot set eth0 down"
	ip link set eth1 down || hard_error "cannot set eth1 down"
	isps_far_side
}

# ifud_ours: every rule and route of ours, both families (empty: nothing left).
ifud_ours() {
	ip -4 rule show | grep " proto $P"
	ip -6 rule show | grep " proto $P"
	ip -4 route show table all proto 73
	ip -6 route show table all proto 73
}

# ifud_uplink_stanzas [LINE]: stanzas for ifud_two_routers' links, both families: eth0 the
# primary (`gateway` lines: main's defaults), eth1 the usual second uplink (symroute-gateway
# only: no default of its own in main). IFUD_GW4 replaces eth1's IPv4 symroute-gateway
# (default 203.0.113.1, on line 13); LINE (e.g. "symroute off") is added to eth1's inet stanza.
ifud_uplink_stanzas() {
	printf '%s\n' "auto eth0
iface eth0 inet static
	address 198.51.100.10/25
	gateway 198.51.100.1
iface eth0 inet6 static
	address 2001:db8:a::10/64
	gateway 2001:db8:a::1
	dad-attempts 0

auto eth1
iface eth1 inet static
	address 203.0.113.20/25
	symroute-gateway ${IFUD_GW4:-203.0.113.1}${1:+
	$1}
iface eth1 inet6 static
	address 2001:db8:b::20/64
	symroute-gateway 2001:db8:b::1
	dad-attempts 0"
}

# ifud_hooks [DIR]: ifupdown's hooks as the package installs them (in DIR, default
# /etc/network), but running the binary under test.
ifud_hooks() {
	for ifud_d in if-up.d if-down.d; do
		sed "s|@symroute_bin@|$SYMROUTE|g" "$top_srcdir/ifupdown/symroute-ifupdown.in" \
			>"${1:-/etc/network}/$ifud_d/symroute" &&
			chmod 755 "${1:-/etc/network}/$ifud_d/symroute" ||
			hard_error "cannot install the $ifud_d hook"
	done
}

# ifud_dhcp_uplinks RANGE: the host's two uplinks to namespace lan, for ifup: vA static
# (198.51.100.10/24, main's default via pvA 198.51.100.1), vC `inet dhcp` from dnsmasq on pvC
# (203.0.113.129/25) handing out RANGE, 203.0.113.140 reserved for vC's MAC. vC's router is
# then known only from its lease. Sets TC, vC's automatic table.
ifud_dhcp_uplinks() {
	ns_add lan
	ifud_links lan vA vC
	addr lan pvA 198.51.100.1/24
	addr lan pvC 203.0.113.129/25
	ifud_setup "iface vA inet static
    address 198.51.100.10/24
    gateway 198.51.100.1

iface vC inet dhcp"
	echo "02:00:00:00:00:02,203.0.113.140" >"$IFUD/srv/hosts"
	ifud_dhcp_server lan pvC "$1"
	TC=$(table_of . vC)
}

# ifud_lease_repair LEASE-FILE: vC's two defaults of ours (its table's and main's fallback,
# via 203.0.113.129) are deleted behind symroute's back. `symroute status vC` must call that
# drift (exit 9) with the repair, and that repair, `symroute up vC` by hand, must take the
# router from LEASE-FILE, say so, and leave the state of $SR_TMP/hook, a reply from the
# lease leaving by vC.
ifud_lease_repair() {
	ip -4 route del default via 203.0.113.129 dev vC table "$TC" &&
		ip -4 route del default via 203.0.113.129 dev vC table main proto "$P" ||
		hard_error "cannot delete the defaults"
	sr status vC
	note "symroute status vC, its defaults deleted:"; sr_indent "$SR_OUT"
	assert_eq 9 "$SR_RC" "status: the lost defaults are drift (exit 9)"
	assert_match "$SR_OUT" "^    would run: ip -4 route add default via 203\.0\.113\.129 dev vC table $TC " \
		"status: the repair puts the lease's router back in vC's table"
	assert_match "$SR_OUT" "^    would run: ip -4 route add default via 203\.0\.113\.129 dev vC table main " \
		"status: and main's fallback"
	assert_contains "$SR_OUT" "DRIFT, \`symroute up vC\` would make 2 change(s)" "status names the repair"
	sr_ok up vC -v
	note "symroute up vC -v:"; sr_indent "$SR_ERR"
	assert_contains "$SR_ERR" "vC: IPv4 gateway 203.0.113.129 from its DHCP lease ($1)" \
		"up by hand says where the gateway came from"
	snapshot . "$SR_TMP/repaired"
	assert_files_eq "$SR_TMP/hook" "$SR_TMP/repaired" "up by hand: the state the hook had made"
	assert_match "$(ip -4 route get 192.0.2.1 from 203.0.113.140)" "via 203\.0\.113\.129 dev vC" \
		"a reply from the lease leaves by vC"
	sr_ok status vC
	# The lease is read when it can answer, and not when the command line gives the gateway.
	assert_eq 1 "$(SR_TRACE=openat sr_requests "\"$1\"" up vC -4)" \
		"up by hand without a gateway opens the lease file once"
	assert_eq 0 "$(SR_TRACE=openat sr_requests "\"$1\"" up vC -4 --gateway 203.0.113.129)" \
		"up by hand with --gateway does not read the lease file"
}

# ifud_no_hooks: symroute installed after the interfaces came up: none of its hooks runs.
ifud_no_hooks() {
	rm -f /etc/network/if-up.d/symroute /etc/network/if-down.d/symroute
}

# ifud_uplinks_up [no-hooks]: ifud_two_routers with ifud_uplink_stanzas, brought up by ifup;
# with no-hooks, as when symroute was installed after the interfaces came up (nothing of ours).
ifud_uplinks_up() {
	ifud_need
	ifud_two_routers
	ifud_setup "$(ifud_uplink_stanzas)"
	[ "${1:-}" = no-hooks ] && ifud_no_hooks
	ifud_ok ifup eth0
	ifud_ok ifup eth1
	[ "${1:-}" != no-hooks ] || assert_eq "" "$(ifud_ours)" "no hook ran: nothing of symroute's"
}
