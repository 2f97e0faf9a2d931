#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: issue 13: `iface vC inet dhcp` under the real ifup on a host without dhclient (a fresh
# Debian 13: ifupdown then runs dhcpcd), so only symroute's dhcpcd hook can act: the lease's
# address gets its rule and its table the lease's router; ifdown (`dhcpcd -k`, reported as
# STOP) leaves nothing of ours for vC. On a host with dhclient, this sandbox hides it.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"
. "$(dirname "$0")/ifupdown-lib.sh"
. "$(dirname "$0")/dhcpcd-lib.sh"
ifud_need
dhcpcd_need
[ -x /sbin/dhcpcd ] || skip "ifupdown runs /sbin/dhcpcd, and there is none"

ns_add lan
ifud_links lan vA vC
addr lan pvA 198.51.100.1/24
addr lan pvC 203.0.113.129/25
ifud_setup "iface lo inet loopback

iface vC inet dhcp"
dhcpcd_setup "ipv4only"
# ifup's dhcpcd reads /etc/dhcpcd.conf; dhclient, where installed, would come first.
if [ -e /etc/dhcpcd.conf ]; then
	mount --bind "$DHCPCD_CONF" /etc/dhcpcd.conf || hard_error "cannot hide /etc/dhcpcd.conf"
fi
if [ -e /sbin/dhclient ]; then
	: >"$SR_TMP/no-dhclient"
	mount --bind "$SR_TMP/no-dhclient" /sbin/dhclient || hard_error "cannot hide dhclient"
	note "dhclient hidden in this sandbox: ifup runs dhcpcd, as on a fresh Debian 13"
fi
ip link set vA up && ip addr add 198.51.100.10/24 dev vA &&
	ip route add default via 198.51.100.1 dev vA || hard_error "cannot set up vA"
echo "02:00:00:00:00:02,203.0.113.140" >"$IFUD/srv/hosts"
ifud_dhcp_server lan pvC "203.0.113.130,203.0.113.150,255.255.255.128,2m"
TC=$(table_of . vC)
before=$(ip -4 rule show; ip -4 route show table all)

ifud_ok ifup vC
dhcpcd_wait vC BOUND	# dhcpcd's hooks ran: ifup chose dhcpcd
R=$(ip -4 rule show)
note "ip -4 rule show:"; sr_indent "$R"
assert_match "$R" "^31100:[[:space:]]+from 203\.0\.113\.140 lookup $TC proto $P ?\$" "the lease's rule"
assert_match "$(ifud_table_routes "$TC")" "^default via 203\.0\.113\.129 dev vC proto $P" \
	"the lease's router in vC's table"
assert_match "$(ip -4 route get 192.0.2.1 from 203.0.113.140)" "via 203\.0\.113\.129 dev vC" \
	"a reply from the lease leaves by vC"

ifud_ok ifdown vC
dhcpcd_wait vC STOP
wait_for 10 sh -c "! ip -4 rule show | grep -q 'lookup $TC '" || fail "vC's rule stayed after ifdown"
assert_eq "" "$(ifud_table_routes "$TC")" "ifdown: vC's table is empty"
assert_eq "$before" "$(ip -4 rule show; ip -4 route show table all)" \
	"ifdown: the rules and routes are the ones before ifup"
pass "ifupdown inet dhcp with dhcpcd: the lease routed by its own uplink, nothing left after ifdown"
