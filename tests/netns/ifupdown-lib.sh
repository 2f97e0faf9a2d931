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
	for ifud_p in /run/dhclient*.pid; do
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
	# The hooks as installed, but running the binary under test.
	for ifud_d in if-up.d if-down.d; do
		sed "s|@symroute_bin@|$SYMROUTE|g" "$top_srcdir/ifupdown/symroute-ifupdown.in" \
			>"$IFUD/network/$ifud_d/symroute" && chmod 755 "$IFUD/network/$ifud_d/symroute" ||
			hard_error "cannot install the $ifud_d hook"
	done
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

# Two uplinks and a far side, for what new connections (no source address chosen) do:
#
#  host eth0 ---- srv  router A (ns ra)  cli 192.0.2.1 ------ ethA .2   far (ns far)
#       eth1 ---- srv  router B (ns rb)  cli 192.0.2.17 ----- ethB .18  lo $IFUD_FAR4,
#                                                                           $IFUD_FAR6
# ra: srv 198.51.100.1/25 2001:db8:a::1/64; rb: srv 203.0.113.1/25 fe80::2/64
# 2001:db8:b::1/64; the far side routes 198.51.100.0/25 and 2001:db8:a::/64 back by A,
# 203.0.113.0/25 and 2001:db8:b::/64 by B. The routers forward and filter sources on srv
# (BCP 38). eth0 (MAC 02:00:00:00:00:01) and eth1 (:02) start down and without addresses, for
# ifup. ifud_two_routers: builds it; needs socat (skips without).
IFUD_FAR4=192.0.2.100
IFUD_FAR6=2001:db8:f::100
ifud_two_routers() {
	command -v socat >/dev/null 2>&1 || skip "socat not installed"
	for ifud_ns in ra rb far; do
		ns_add "$ifud_ns"
	done
	for ifud_ns in ra rb; do
		ns_sysctl "$ifud_ns" net.ipv4.ip_forward 1
		ns_sysctl "$ifud_ns" net.ipv6.conf.all.forwarding 1
	done
	# The host's ends start down and without addresses, as ifup expects them.
	veth_pair . eth0 ra srv 02:00:00:00:00:01
	veth_pair . eth1 rb srv 02:00:00:00:00:02
	ip link set eth0 down || hard_error "cannot set eth0 down"
	ip link set eth1 down || hard_error "cannot set eth1 down"
	veth_pair ra cli far ethA
	veth_pair rb cli far ethB
	for ifud_ns in ra rb; do
		ns_sysctl "$ifud_ns" net.ipv4.conf.srv.rp_filter 1	# BCP 38: a reply must leave by its uplink
	done

	addr ra srv 198.51.100.1/25 2001:db8:a::1/64
	addr ra cli 192.0.2.1/28 2001:db8:1a::1/64
	addr rb srv 203.0.113.1/25 fe80::2/64 2001:db8:b::1/64
	addr rb cli 192.0.2.17/28 2001:db8:1b::1/64
	addr far ethA 192.0.2.2/28 2001:db8:1a::2/64
	addr far ethB 192.0.2.18/28 2001:db8:1b::2/64
	addr far lo $IFUD_FAR4/32 $IFUD_FAR6/128
	ip_ns ra -4 route add $IFUD_FAR4/32 via 192.0.2.2 || hard_error "router A's route to the far side"
	ip_ns ra -6 route add $IFUD_FAR6/128 via 2001:db8:1a::2 || hard_error "router A's IPv6 route"
	ip_ns rb -4 route add $IFUD_FAR4/32 via 192.0.2.18 || hard_error "router B's route to the far side"
	ip_ns rb -6 route add $IFUD_FAR6/128 via 2001:db8:1b::2 || hard_error "router B's IPv6 route"
	ip_ns far -4 route add 198.51.100.0/25 via 192.0.2.1 || hard_error "far side: route to A"
	ip_ns far -4 route add 203.0.113.0/25 via 192.0.2.17 || hard_error "far side: route to B"
	ip_ns far -6 route add 2001:db8:a::/64 via 2001:db8:1a::1 || hard_error "far side: IPv6 to A"
	ip_ns far -6 route add 2001:db8:b::/64 via 2001:db8:1b::1 || hard_error "far side: IPv6 to B"
	settle far	# ra and rb have no carrier on srv until ifup
}

# ifud_listen NS: TCP listeners answering "hello from ADDR" on port 7000, IPv4 and IPv6.
ifud_listen() {
	bg_start "$1" socat -T 3 TCP4-LISTEN:7000,reuseaddr,fork \
		SYSTEM:'echo "hello from $SOCAT_SOCKADDR"'
	bg_start "$1" socat -T 3 TCP6-LISTEN:7000,ipv6only=1,reuseaddr,fork \
		SYSTEM:'echo "hello from $SOCAT_SOCKADDR"'
	wait_for 5 in_ns "$1" sh -c 'grep -q ":1B58 00000000:0000 0A" /proc/net/tcp &&
		grep -q ":1B58 00000000000000000000000000000000:0000 0A" /proc/net/tcp6' ||
		hard_error "the TCP listeners in $1 did not start"
}

# ifud_connect NS ADDR: a new TCP connection from NS to ADDR:7000 (no source address chosen).
ifud_connect() {
	case $2 in
	*:*) cn_to="[$2]" ;;
	*) cn_to=$2 ;;
	esac
	cn_out=$(in_ns "$1" timeout 6 socat -T 2 - "TCP:$cn_to:7000,connect-timeout=2" \
		</dev/null 2>/dev/null)
	# socat writes an IPv6 address in full ([2001:0db8:...]): the greeting is the proof.
	case $cn_out in
	"hello from "*) return 0 ;;
	*) return 1 ;;
	esac
}

# ifud_far_works WHAT DEV [4|6|46]: new connections from the host to the far side (no source
# address chosen) leave by DEV and get through, in the families given (default both).
ifud_far_works() {
	for ifud_fw in "4 $IFUD_FAR4" "6 $IFUD_FAR6"; do
		set -- "$1" "$2" "${3:-46}" $ifud_fw
		case $3 in *$4*) ;; *) continue ;; esac
		ifud_g=$(ip "-$4" route get "$5" 2>&1)
		assert_match "$ifud_g" " dev $2 " "$1: ip -$4 route get $5 leaves by $2"
		ifud_connect . "$5" || fail "$1: a new TCP connection to $5 failed ($ifud_g)"
	done
}

# ifud_ours: every rule and route of ours, both families (empty: nothing left).
ifud_ours() {
	ip -4 rule show | grep " proto $P"
	ip -6 rule show | grep " proto $P"
	ip -4 route show table all proto 73
	ip -6 route show table all proto 73
}
