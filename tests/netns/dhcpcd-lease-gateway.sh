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

ip -4 route del default via 203.0.113.129 dev vC table "$TC" &&
	ip -4 route del default via 203.0.113.129 dev vC table main proto "$P" ||
	hard_error "cannot delete the defaults"
sr status vC
note "symroute status vC, its defaults deleted:"; sr_indent "$SR_OUT"
assert_eq 9 "$SR_RC" "status: the lost default is drift (exit 9)"
assert_match "$SR_OUT" "^    would run: ip -4 route add default via 203\.0\.113\.129 dev vC table $TC " \
	"status: the repair puts the lease's router back"
assert_match "$SR_OUT" "^    would run: ip -4 route add default via 203\.0\.113\.129 dev vC table main " \
	"status: and main's fallback"
assert_contains "$SR_OUT" "DRIFT, \`symroute up vC\` would make 2 change(s)" "status names the repair"

sr_ok up vC -v
note "symroute up vC -v:"; sr_indent "$SR_ERR"
assert_contains "$SR_ERR" "vC: IPv4 gateway 203.0.113.129 from its DHCP lease (/var/lib/dhcpcd/vC.lease)" \
	"up by hand says where the gateway came from"
snapshot . "$SR_TMP/repaired"
assert_files_eq "$SR_TMP/hook" "$SR_TMP/repaired" "up by hand: the state the hook had made"
assert_match "$(ip -4 route get 192.0.2.1 from 203.0.113.140)" "via 203\.0\.113\.129 dev vC" \
	"a reply from the lease leaves by vC"
sr_ok status vC

dhcpcd_stop vC
pass "a DHCP uplink without main's default: status and up by hand take the lease's router"
