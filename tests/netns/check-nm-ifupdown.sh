#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: `symroute check` catches NetworkManager managing an interface that ifupdown also
# configures (an iface stanza in /etc/network/interfaces or a sourced file, or ifupdown's state).
# NetworkManager is a stand-in (a copy of sleep(1) named NetworkManager) and its device state
# file is the one NetworkManager 1.42 writes, as captured from the real daemon
# (/work/shared/recipes/nm-sandbox.sh): check reads only those.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"

[ -d /etc/network ] || skip "no /etc/network to mount a private copy over"
assert_not_host_netns
mount -t tmpfs -o mode=755 symroute-test-etc-network /etc/network || hard_error "cannot mount over /etc/network"
mkdir -p /etc/network/interfaces.d /run/NetworkManager/devices /run/network

topo_two_uplinks
I0=$(ifindex . eth0)
I1=$(ifindex . eth1)
sr_ok up eth0
sr_ok up eth1 --gateway 203.0.113.1

# What NetworkManager leaves for a device it manages (connection activated).
nm_device() {
	printf '[device]\nmanaged=%s\nperm-hw-addr-fake=8A:48:7F:47:66:AC\nconnection-uuid=5e1f0a57-0000-4000-8000-000000000001\nnm-owned=false\nroute-metric-default-effective=100\n' \
		"$2" >"/run/NetworkManager/devices/$1"
}
nm_device "$I0" true
nm_device "$I1" true
cat >/etc/network/interfaces <<'IFACES'
# interfaces(5) file used by ifup(8) and ifdown(8)
auto lo
iface lo inet loopback

source interfaces.d/*
IFACES
printf 'auto eth1\niface eth1 inet static\n\taddress 203.0.113.20/25\n' >/etc/network/interfaces.d/eth1

sr_ok check
assert_match "$SR_OUT" "^PASS NetworkManager is not running in this network namespace\$" \
	"NetworkManager's state files alone do not count"

cp "$(command -v sleep)" "$SR_TMP/NetworkManager" || hard_error "cannot copy sleep"
bg_start . "$SR_TMP/NetworkManager" 300
NM=$BG_PID
sr_expect 7 check
note "symroute check:"; sr_indent "$SR_OUT"
assert_match "$SR_OUT" "^FAIL eth1 is managed by NetworkManager \(/run/NetworkManager/devices/$I1\) and configured by ifupdown too \(iface eth1 in /etc/network/interfaces\.d/eth1 line 2\): both set its addresses and routes \| nmcli device show eth1; ifquery --list\$" \
	"check names the interface, NetworkManager's state and ifupdown's stanza"
assert_no_match "$SR_OUT" "^FAIL eth0 is managed by NetworkManager" "eth0: NetworkManager alone is fine"
sr_expect 7 check eth1
sr_ok check eth0

# NetworkManager leaves it alone (Debian's [ifupdown] managed=false does that).
nm_device "$I1" false
sr_ok check
assert_match "$SR_OUT" "^PASS NetworkManager manages no interface that ifupdown configures" "unmanaged by NM"

# ifupdown's state: eth0 was brought up by ifup, and NetworkManager manages it.
printf 'lo=lo\neth0=eth0\n' >/run/network/ifstate
sr_expect 7 check
assert_match "$SR_OUT" "^FAIL eth0 is managed by NetworkManager \(/run/NetworkManager/devices/$I0\) and configured by ifupdown too \(/run/network/ifstate lists it\)" \
	"ifupdown's state file counts"

bg_stop "$NM"
sr_ok check
pass "NetworkManager and ifupdown both on one interface is caught; exit 7"
