#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: issue 16: an ifupdown `inet dhcp` second uplink (dhclient): `up` by hand and status take the lease's router.
#
# vA is the host's first uplink (static, main's default); vC is `iface vC inet dhcp`, run by
# the real ifup and dhclient. dhclient-script cannot add a second default to main, so vC's
# router is known only to symroute's dhclient hook (vC's table gets it, main symroute's
# fallback) and to dhclient's lease file, /var/lib/dhcp/dhclient.vC.leases. Someone deletes
# both defaults of ours. `symroute status` counts that as drift (exit 9) and names the
# repair; that repair, `symroute up vC` by hand, puts them back from the lease, saying so,
# and a reply from the lease leaves by vC again. Before, status said "in sync" and up by hand
# left vC's table without a default.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"
. "$(dirname "$0")/ifupdown-lib.sh"
ifud_need dhcp

ns_add lan
ifud_links lan vA vC
addr lan pvA 198.51.100.1/24
addr lan pvC 203.0.113.129/25
ifud_setup "iface vA inet static
    address 198.51.100.10/24
    gateway 198.51.100.1

iface vC inet dhcp"
echo "02:00:00:00:00:02,203.0.113.140" >"$IFUD/srv/hosts"
ifud_dhcp_server lan pvC "203.0.113.130,203.0.113.150,255.255.255.128,10m"
TC=$(table_of . vC)

ifud_ok ifup vA
ifud_ok ifup vC
assert_no_match "$(ip -4 route show table main | grep -v " proto $P")" "^default .*dev vC" \
	"no default via vC in main but symroute's fallback (dhclient could not add one)"
assert_match "$(ifud_table_routes "$TC")" "^default via 203\.0\.113\.129 dev vC proto $P" \
	"the hook gave vC's table the lease's router"
[ -s /var/lib/dhcp/dhclient.vC.leases ] || fail "ifup's dhclient kept no lease file"
snapshot . "$SR_TMP/hook"

ip -4 route del default via 203.0.113.129 dev vC table "$TC" &&
	ip -4 route del default via 203.0.113.129 dev vC table main proto "$P" ||
	hard_error "cannot delete the defaults"
sr status vC
note "symroute status vC, its defaults deleted:"; sr_indent "$SR_OUT"
assert_eq 9 "$SR_RC" "status: the lost defaults are drift (exit 9)"
assert_match "$SR_OUT" "^    would run: ip -4 route add default via 203\.0\.113\.129 dev vC table $TC " \
	"status: the repair puts the lease's router back in vC's table"

sr_ok up vC -v
note "symroute up vC -v:"; sr_indent "$SR_ERR"
assert_contains "$SR_ERR" "vC: IPv4 gateway 203.0.113.129 from its DHCP lease (/var/lib/dhcp/dhclient.vC.leases)" \
	"up by hand says where the gateway came from"
snapshot . "$SR_TMP/repaired"
assert_files_eq "$SR_TMP/hook" "$SR_TMP/repaired" "up by hand: the state the hook had made"
assert_match "$(ip -4 route get 192.0.2.1 from 203.0.113.140)" "via 203\.0\.113\.129 dev vC" \
	"a reply from the lease leaves by vC"
sr_ok status vC

ifud_ok ifdown vC
ifud_ok ifdown vA
pass "ifupdown's dhclient uplink without main's default: status and up by hand take the lease's router"
