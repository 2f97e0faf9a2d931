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

ifud_dhcp_uplinks "203.0.113.130,203.0.113.150,255.255.255.128,10m"

ifud_ok ifup vA
ifud_ok ifup vC
assert_no_match "$(ip -4 route show table main | grep -v " proto $P")" "^default .*dev vC" \
	"no default via vC in main but symroute's fallback (dhclient could not add one)"
assert_match "$(ifud_table_routes "$TC")" "^default via 203\.0\.113\.129 dev vC proto $P" \
	"the hook gave vC's table the lease's router"
[ -s /var/lib/dhcp/dhclient.vC.leases ] || fail "ifup's dhclient kept no lease file"
snapshot . "$SR_TMP/hook"

ifud_lease_repair /var/lib/dhcp/dhclient.vC.leases

ifud_ok ifdown vC
ifud_ok ifdown vA
pass "ifupdown's dhclient uplink without main's default: status and up by hand take the lease's router"
