#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: real dhcpcd, IPv6: a SLAAC address and its router from a router advertisement, then DHCPv6.
#
# dnsmasq advertises 2001:db8:c::/64 on vC's link. First SLAAC only (ra-only): dhcpcd makes an
# address from the prefix and reports ROUTERADVERT: the address gets its rule, the table a
# default via the router's link-local address. Then stateful DHCPv6 (the M flag): dhcpcd
# reports BOUND6 for the leased address, which gets its rule too. `dhcpcd -k` (RELEASE6 / STOP,
# then STOPPED) leaves nothing of ours.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"
. "$(dirname "$0")/ifupdown-lib.sh"
. "$(dirname "$0")/dhcpcd-lib.sh"
dhcpcd_need

ns_add lan
ifud_links lan vA vC
addr lan pvC 2001:db8:c::1/64
ifud_setup "iface lo inet loopback"
dhcpcd_setup "ipv6only
ipv6rs
slaac hwaddr"
ip link set vC up || hard_error "cannot set vC up"
TC=$(table_of . vC)
note "vC's table: $TC"

# ra_server MODE: dnsmasq sending router advertisements (and DHCPv6 for a stateful MODE).
ra_server() {
	rm -f "$IFUD/srv/dnsmasq.pid"
	bg_start lan dnsmasq --keep-in-foreground --conf-file=/dev/null --port=0 --user=root \
		--bind-interfaces --interface=pvC --except-interface=lo --enable-ra \
		--ra-param=pvC,3,600 --dhcp-range="$1" --pid-file="$IFUD/srv/dnsmasq.pid" \
		--dhcp-leasefile="$IFUD/srv/leases6" --log-dhcp --log-facility="$IFUD/srv/dnsmasq.log"
	RA_DNSMASQ=$BG_PID
	wait_for 5 test -s "$IFUD/srv/dnsmasq.pid" || hard_error "dnsmasq did not start"
}
router_ll=$(ip_ns lan -6 -o addr show dev pvC scope link | awk '{ sub(/\/.*/, "", $4); print $4 }')
note "the router's link-local address: $router_ll"

# 1. SLAAC from a router advertisement.
ra_server "2001:db8:c::,ra-only,64"
dhcpcd_start vC
slaac_rule() { ip -6 rule show | grep -q "from 2001:db8:c:[0-9a-f:]* lookup $TC "; }
dhcpcd_wait vC ROUTERADVERT
wait_for 10 slaac_rule || {
	note "addresses:"; sr_indent "$(ip -6 addr show dev vC)"
	note "dhcpcd log:"; sr_indent "$(tail -n 20 "$DHCPCD_DIR/log")"
	note "symroute:"; sr_indent "$(grep symroute "$DHCPCD_DIR/log")"
	fail "no rule for vC's SLAAC address"
}
R=$(ip -6 rule show)
note "ip -6 rule show:"; sr_indent "$R"
SLAAC=$(ip -6 -o addr show dev vC scope global | awk '{ sub(/\/.*/, "", $4); print $4 }' | head -n 1)
assert_match "$R" "^31100:[[:space:]]+from $SLAAC lookup $TC proto $P" "rule for the SLAAC address $SLAAC"
RT=$(ifud_table_routes "$TC" -6)
note "table $TC:"; sr_indent "$RT"
assert_match "$RT" "^default via $router_ll dev vC proto $P" "the advertising router"
G=$(ip -6 route get 2001:db8:ff::1 from "$SLAAC")
assert_match "$G" "via $router_ll dev vC" "a reply from the SLAAC address leaves by vC"
dhcpcd_stop vC
assert_no_match "$(ip -6 rule show)" " proto $P" "nothing of ours after dhcpcd -k"
[ -z "$(ifud_table_routes "$TC" -6)" ] || fail "vC's table is not empty after dhcpcd -k"
bg_stop "$RA_DNSMASQ"

# 2. Stateful DHCPv6: the leased address gets its rule (BOUND6).
: >"$DHCPCD_DIR/events"
ra_server "2001:db8:c::100,2001:db8:c::1ff,64,2m"
dhcpcd_start vC
dhcpcd_wait vC BOUND6
R=$(ip -6 rule show)
note "ip -6 rule show:"; sr_indent "$R"
assert_match "$R" "from 2001:db8:c::1[0-9a-f][0-9a-f] lookup $TC proto $P" "rule for the DHCPv6 lease"
dhcpcd_stop vC
assert_no_match "$(ip -6 rule show)" " proto $P" "nothing of ours after dhcpcd -k"
pass "dhcpcd IPv6: SLAAC with its router, a DHCPv6 lease, both released"
