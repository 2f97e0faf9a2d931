#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: issue 16: a DHCP uplink's gateway is its lease's router for `up` by hand and status.
#
# vA is the host's first uplink (static, main's default); vC gets its address from dnsmasq
# through the real dhcpcd with `nogateway`, so main holds no default via vC: the lease's router
# is known to the hook (its table gets it, and main symroute's fallback) and to dhcpcd's lease
# file only. Someone deletes both defaults of ours. `symroute status vC` counts it as drift (exit 9) with the repair it names,
# and that repair, `symroute up vC` by hand, puts the router back from the lease file, saying
# so; the state is then what the hook had made, and a reply from the lease leaves by vC.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"
. "$(dirname "$0")/ifupdown-lib.sh"
. "$(dirname "$0")/dhcpcd-lib.sh"
dhcpcd_need
[ -d /var/lib/dhcpcd ] || skip "no /var/lib/dhcpcd to hold the lease (dhcpcd-base)"

dhcpcd_uplinks "ipv4only
nogateway" "203.0.113.130,203.0.113.150,255.255.255.128,10m"

dhcpcd_start vC
dhcpcd_wait vC BOUND
assert_no_match "$(ip -4 route show table main | grep -v " proto $P")" "^default .*dev vC" \
	"nogateway: no default via vC in main but symroute's fallback"
assert_match "$(ifud_table_routes "$TC")" "^default via 203\.0\.113\.129 dev vC proto $P" \
	"the hook gave vC's table the lease's router"
[ -s /var/lib/dhcpcd/vC.lease ] || fail "dhcpcd kept no lease file"
snapshot . "$SR_TMP/hook"

ifud_lease_repair /var/lib/dhcpcd/vC.lease

dhcpcd_stop vC
pass "a DHCP uplink without main's default: status and up by hand take the lease's router"
