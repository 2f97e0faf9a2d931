#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: issue 20 through dhclient: the primary's lease is released, main keeps a default via the other uplink.
#
#	eth0	inet dhcp from dnsmasq on router A: dhclient puts main's default via 198.51.100.1
#	eth1	inet static, symroute-gateway 203.0.113.1 (nothing of ifupdown's in main)
# (topology: ifud_two_routers in ifupdown-lib.sh). A RELEASE makes dhclient-script flush
# eth0's address, which takes main's default with it; only dhclient's exit hook runs. Main
# keeps a default through our fallback via eth1, which stood behind dhclient's all along, and
# new connections to the far side leave by eth1 until eth0 has a lease again.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"
. "$(dirname "$0")/ifupdown-lib.sh"
ifud_need dhcp

ifud_two_routers
ifud_setup "iface eth0 inet dhcp

iface eth1 inet static
    address 203.0.113.20/25
    symroute-gateway 203.0.113.1"
echo "02:00:00:00:00:01,198.51.100.10" >"$IFUD/srv/hosts"
ifud_dhcp_server ra srv "198.51.100.2,198.51.100.100,255.255.255.128,2m"

main_defaults() { ip -4 route show table main default; }

hello_listen far
snapshot . "$SR_TMP/before"

ifud_ok ifup eth0
ifud_ok ifup eth1
note "ip -4 route show table main default:"; sr_indent "$(main_defaults)"
assert_match "$(ip -4 addr show dev eth0)" "inet 198\.51\.100\.10/25" "eth0 has its lease"
assert_match "$(main_defaults | head -n 1)" "^default via 198\.51\.100\.1 dev eth0" \
	"dhclient's default via eth0 comes first"
assert_match "$(main_defaults)" "^default via 203\.0\.113\.1 dev eth1 proto $P metric 10000[0-9][0-9]" \
	"our fallback via eth1 behind it"
far_works "eth0 (DHCP) and eth1 up" eth0 4
sr_ok check

# The release, through dhclient's exit hook alone, the way ifdown starts it.
ifud_ok dhclient -4 -r -pf /run/dhclient.eth0.pid -lf /var/lib/dhcp/dhclient.eth0.leases eth0
note "after the release:"; sr_indent "$(main_defaults)"
assert_no_match "$(ip -4 addr show dev eth0)" "inet " "RELEASE: eth0 has no address"
assert_match "$(main_defaults)" "^default via 203\.0\.113\.1 dev eth1 proto $P" \
	"RELEASE: main keeps a default, via eth1"
assert_no_match "$(main_defaults)" "dev eth0" "RELEASE: no default via eth0 left"
far_works "eth0's lease released" eth1 4
sr_ok check

# A new lease: new connections take eth0 again.
ifud_ok ifdown eth0
ifud_ok ifup eth0
far_works "eth0 leased again" eth0 4
sr_ok check

ifud_ok ifdown -a
assert_eq "" "$(ifud_ours)" "ifdown -a: no rule and no route of ours"
snapshot . "$SR_TMP/after"
assert_files_eq "$SR_TMP/before" "$SR_TMP/after" "ifdown -a: the state is the one before ifup"
pass "a released lease on the primary leaves main a default via the other uplink"
