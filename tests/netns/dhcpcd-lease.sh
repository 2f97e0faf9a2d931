#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: real dhcpcd (standalone, as dhcpcd.service runs it): bound, renew, a changed address, release.
#
# vA is the host's first uplink (static, holding main's default); vC gets its address from
# dnsmasq through dhcpcd -B, whose hook directory holds symroute's hook only. The lease gives
# vC its table and rule; a renewal with the same address changes nothing; the reservation
# changes and dnsmasq re-reads it (SIGHUP): at the next renewal (T1 = 3 s) dnsmasq refuses the
# old address (NAK), dhcpcd reports BOUND with the new one, and the rule moves; `dhcpcd -k`
# releases the lease (reported as STOP, then STOPPED) and leaves nothing of ours for vC. A
# second run hands out a lease whose router list starts with unusable entries: the first
# usable router is taken and the others are named in the log. A third, a /32 lease with its
# router outside it (as clouds hand them out): the router is used on the link.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"
. "$(dirname "$0")/ifupdown-lib.sh"
. "$(dirname "$0")/dhcpcd-lib.sh"
dhcpcd_need

dhcpcd_uplinks "ipv4only" "203.0.113.130,203.0.113.150,255.255.255.128,2m"
note "vC's table: $TC"
foreign_before=$(ip -4 rule show | grep -v " proto $P"; ip -4 route show table main | grep -v " proto $P")

# 1. BOUND: the lease's address gets its rule, the table its router.
dhcpcd_start vC
dhcpcd_wait vC BOUND
R=$(ip -4 rule show)
note "ip -4 rule show:"; sr_indent "$R"
assert_match "$R" "^31100:[[:space:]]+from 203\.0\.113\.140 lookup $TC proto $P ?\$" "rule for the lease"
RT=$(ifud_table_routes "$TC")
note "table $TC:"; sr_indent "$RT"
assert_match "$RT" "^default via 203\.0\.113\.129 dev vC proto $P" "the lease's router"
assert_match "$RT" "^203\.0\.113\.128/25 dev vC proto $P scope link src 203\.0\.113\.140" \
	"the lease's prefix"
G=$(ip -4 route get 192.0.2.1 from 203.0.113.140)
assert_match "$G" "via 203\.0\.113\.129 dev vC" "a reply from the lease leaves by vC"
G=$(ip -4 route get 192.0.2.1)
assert_match "$G" "via 198\.51\.100\.1 dev vA" "new connections still use main's default via vA"

# 2. A renewal with the same address sends nothing (the state stays as it is).
snapshot . "$SR_TMP/bound"
dhcpcd_wait vC RENEW
snapshot . "$SR_TMP/renewed"
assert_files_eq "$SR_TMP/bound" "$SR_TMP/renewed" "a renewal with the same lease changes nothing"

# 3. The reservation changes: NAK, then BOUND with the new address; the rule follows.
echo "02:00:00:00:00:02,203.0.113.141" >"$IFUD/srv/hosts"
kill -HUP "$IFUD_DNSMASQ" || hard_error "cannot signal dnsmasq"
note "waiting for the renewal (T1 = 3 s)"
dhcpcd_wait vC BOUND 2
R=$(ip -4 rule show)
note "ip -4 rule show:"; sr_indent "$R"
assert_match "$R" "from 203\.0\.113\.141 lookup $TC proto $P" "rule for the new address"
assert_no_match "$R" "203\.0\.113\.140" "the old address's rule is gone"
assert_count "$R" "lookup $TC( |\$)" 1 "one rule for vC"
assert_match "$(ifud_table_routes "$TC")" "src 203\.0\.113\.141" "the new address in vC's table"

# 4. Release: nothing of ours for vC; everything else as it was.
dhcpcd_stop vC
R=$(ip -4 rule show)
note "ip -4 rule show:"; sr_indent "$R"
assert_no_match "$R" "lookup $TC( |\$)" "no rule for vC after the release"
[ -z "$(ifud_table_routes "$TC")" ] || fail "vC's table is not empty after the release"
assert_no_match "$(ip -4 rule show)" " proto $P" "nothing of ours is left"
foreign_after=$(ip -4 rule show | grep -v " proto $P"; ip -4 route show table main | grep -v " proto $P")
[ "$foreign_before" = "$foreign_after" ] || fail "foreign rules or main's routes changed:
$foreign_before
---
$foreign_after"

# 5. A router list that starts with unusable entries (the subnet's broadcast, the lease
# itself): the first usable router is taken.
bg_stop "$IFUD_DNSMASQ"
: >"$DHCPCD_DIR/events"
ifud_dhcp_server lan pvC "203.0.113.130,203.0.113.150,255.255.255.128,2m" \
	--dhcp-option=option:router,203.0.113.255,203.0.113.141,203.0.113.129
: >"$DHCPCD_DIR/log"
dhcpcd_start vC
dhcpcd_wait vC BOUND
R=$(ip -4 rule show)
note "ip -4 rule show:"; sr_indent "$R"
assert_match "$R" "from 203\.0\.113\.141 lookup $TC proto $P" "rule for the lease"
RT=$(ifud_table_routes "$TC")
note "table $TC:"; sr_indent "$RT"
assert_match "$RT" "^default via 203\.0\.113\.129 dev vC proto $P" "the first usable router"
L=$(grep 'symroute' "$DHCPCD_DIR/log")
note "symroute in dhcpcd's log:"; sr_indent "$L"
assert_match "$L" "vC: new_routers='203\.0\.113\.255 203\.0\.113\.141 203\.0\.113\.129': skipping '203\.0\.113\.255': the subnet's broadcast address" \
	"the broadcast router is named"
assert_match "$L" "skipping '203\.0\.113\.141': an address of the interface itself" "the own address is named"
dhcpcd_stop vC
assert_no_match "$(ip -4 rule show)" " proto $P" "nothing of ours is left"

# 6. A cloud's lease: a /32 with its router outside it. dhcpcd routes the router on the link;
# so does vC's table.
bg_stop "$IFUD_DNSMASQ"
: >"$DHCPCD_DIR/events"
ifud_dhcp_server lan pvC "203.0.113.130,203.0.113.150,255.255.255.128,2m" \
	--dhcp-option=option:netmask,255.255.255.255 --dhcp-option=option:router,203.0.113.129
dhcpcd_start vC
dhcpcd_wait vC BOUND
note "vC:"; sr_indent "$(ip -4 addr show dev vC; ip -4 route show dev vC)"
assert_match "$(ip -4 addr show dev vC)" "inet 203\.0\.113\.141/32" "dhcpcd applied a /32"
R=$(ip -4 rule show)
note "ip -4 rule show:"; sr_indent "$R"
assert_match "$R" "from 203\.0\.113\.141 lookup $TC proto $P" "rule for the /32 lease"
RT=$(ifud_table_routes "$TC")
note "table $TC:"; sr_indent "$RT"
assert_match "$RT" "^default via 203\.0\.113\.129 dev vC proto $P .*onlink" \
	"the router outside the /32, on the link"
G=$(ip -4 route get 192.0.2.1 from 203.0.113.141)
assert_match "$G" "via 203\.0\.113\.129 dev vC" "a reply from the /32 lease leaves by vC"
dhcpcd_stop vC
assert_no_match "$(ip -4 rule show)" " proto $P" "nothing of ours is left"
pass "dhcpcd: bound, renewed, readdressed, released; the first usable router of a bad list; a /32 lease"
