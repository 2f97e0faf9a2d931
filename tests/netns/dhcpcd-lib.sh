# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: the real dhcpcd inside lib.sh's sandbox, running symroute's dhcpcd hook and no other.
#
# Sourced by tests/netns/dhcpcd-*.sh after lib.sh, `sandbox_enter "$@"` and ifupdown-lib.sh
# (for ifud_setup's private /etc/network and /etc/resolv.conf, ifud_links and
# ifud_dhcp_server). On top of those, in the sandbox's mount namespace:
#	- /usr/lib/dhcpcd/dhcpcd-hooks holds only symroute's hook, made from
#	  ifupdown/symroute-dhcpcd.in with the binary under test (Debian's own hooks would set
#	  the host name and resolv.conf);
#	- /var/lib/dhcpcd (leases, DUID) is the sandbox's;
#	- dhcpcd reads $DHCPCD_CONF (no ARP probe, so a lease is applied at once).
# dhcpcd only ever runs here, after assert_not_host_netns; dhcpcd_start starts it in the
# foreground (-B, as dhcpcd.service does) with bg_start, so the sandbox ends it by PID.

DHCPCD_DIR=$SR_TMP/dhcpcd
DHCPCD_CONF=$DHCPCD_DIR/dhcpcd.conf

# dhcpcd_need: skip (77) without dhcpcd (Debian package dhcpcd-base) or its hook runner.
dhcpcd_need() {
	command -v dhcpcd >/dev/null 2>&1 || skip "dhcpcd not installed (dhcpcd-base)"
	[ -x /usr/lib/dhcpcd/dhcpcd-run-hooks ] || skip "/usr/lib/dhcpcd/dhcpcd-run-hooks missing"
	[ -d /usr/lib/dhcpcd/dhcpcd-hooks ] || skip "/usr/lib/dhcpcd/dhcpcd-hooks missing"
	command -v dnsmasq >/dev/null 2>&1 || skip "dnsmasq not installed (dnsmasq-base)"
	[ -r "$top_srcdir/ifupdown/symroute-dhcpcd.in" ] ||
		hard_error "no $top_srcdir/ifupdown/symroute-dhcpcd.in"
}

# dhcpcd_setup [CONF-LINES]: the private hook directory, lease directory and configuration.
dhcpcd_setup() {
	assert_not_host_netns
	mkdir -p "$DHCPCD_DIR/hooks" "$DHCPCD_DIR/db" || hard_error "cannot create $DHCPCD_DIR"
	sed "s|@symroute_bin@|$SYMROUTE|g" "$top_srcdir/ifupdown/symroute-dhcpcd.in" \
		>"$DHCPCD_DIR/hooks/70-symroute" || hard_error "cannot install the dhcpcd hook"
	# Record each hook run (after ours, as the next file in the directory), so a test can
	# wait for the event rather than for a time.
	printf 'echo "$interface $reason" >>%s\n' "$DHCPCD_DIR/events" >"$DHCPCD_DIR/hooks/99-record"
	: >"$DHCPCD_DIR/events"
	printf 'noarp\nnoipv4ll\n%s\n' "${1:-}" >"$DHCPCD_CONF"
	mount --bind "$DHCPCD_DIR/hooks" /usr/lib/dhcpcd/dhcpcd-hooks ||
		hard_error "cannot bind-mount the dhcpcd hook directory"
	if [ -d /var/lib/dhcpcd ]; then
		mount --bind "$DHCPCD_DIR/db" /var/lib/dhcpcd ||
			hard_error "cannot bind-mount /var/lib/dhcpcd"
	fi
}

# dhcpcd_uplinks CONF-LINES RANGE: the host's two uplinks to namespace lan: vA static
# (198.51.100.10/24, main's default via pvA 198.51.100.1) and vC up without an address, for
# dhcpcd; dnsmasq on pvC (203.0.113.129/25) hands out RANGE, 203.0.113.140 reserved for vC's
# MAC. dhcpcd_setup with CONF-LINES. Sets TC, vC's automatic table.
dhcpcd_uplinks() {
	ns_add lan
	ifud_links lan vA vC
	addr lan pvA 198.51.100.1/24
	addr lan pvC 203.0.113.129/25
	ifud_setup "iface lo inet loopback"
	dhcpcd_setup "$1"
	ip link set vA up && ip addr add 198.51.100.10/24 dev vA &&
		ip route add default via 198.51.100.1 dev vA || hard_error "cannot set up vA"
	ip link set vC up || hard_error "cannot set vC up"
	echo "02:00:00:00:00:02,203.0.113.140" >"$IFUD/srv/hosts"
	ifud_dhcp_server lan pvC "$2"
	TC=$(table_of . vC)
}

# dhcpcd_start IFACE [ARGS...]: dhcpcd in the foreground for IFACE, logging to $DHCPCD_DIR/log.
dhcpcd_start() {
	dhcpcd_if=$1
	shift
	bg_start . dhcpcd -B -d -f "$DHCPCD_CONF" "$@" "$dhcpcd_if" >>"$DHCPCD_DIR/log" 2>&1
	DHCPCD_PID=$BG_PID
}

# dhcpcd_wait IFACE REASON [COUNT]: wait until the hooks ran COUNT (default 1) times for it.
dhcpcd_wait() {
	dhcpcd_want=${3:-1}
	dhcpcd_seen() { [ "$(grep -c "^$1 $2\$" "$DHCPCD_DIR/events")" -ge "$3" ]; }
	wait_for 20 dhcpcd_seen "$1" "$2" "$dhcpcd_want" && return 0
	note "dhcpcd events:"; sr_indent "$(cat "$DHCPCD_DIR/events")"
	note "dhcpcd log:"; sr_indent "$(tail -n 30 "$DHCPCD_DIR/log")"
	fail "dhcpcd did not report $2 for $1 ($dhcpcd_want time(s))"
}

# dhcpcd_stop IFACE: `dhcpcd -k` (release; dhcpcd reports STOP, then STOPPED), then wait for
# the daemon to exit.
dhcpcd_stop() {
	assert_not_host_netns
	# The daemon answers its control socket between hook runs; on a loaded machine (the ASan
	# build beside the others) one try can find it busy with a stream of router
	# advertisements (seen once in CI): a few tries, a second apart.
	dhcpcd_try=1
	until dhcpcd -k "$1" >>"$DHCPCD_DIR/log" 2>&1; do
		note "dhcpcd -k $1 failed (try $dhcpcd_try)"
		[ "$dhcpcd_try" -lt 5 ] || break
		dhcpcd_try=$((dhcpcd_try + 1))
		sleep 1
	done
	dhcpcd_wait "$1" STOPPED
	wait_for 10 sh -c "! kill -0 $DHCPCD_PID" || note "dhcpcd $DHCPCD_PID still runs"
}
