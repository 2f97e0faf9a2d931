#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: real dhclient: a renewal that changes the address moves the rule; a release removes vC's part.
#
# dnsmasq in namespace lan hands vC a reserved address; the reservation is changed and dnsmasq
# re-reads it (SIGHUP). At the next renewal (T1 = 3 s) dnsmasq refuses the old address,
# dhclient reports EXPIRE and then BOUND with the new one: only dhclient's exit hook runs,
# never ifupdown's. Then `ifdown vC` releases the lease.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"
. "$(dirname "$0")/ifupdown-lib.sh"
ifud_need dhcp

# vA holds main's default, as on a multihomed host: vC's router is only known from its lease.
ifud_dhcp_uplinks "203.0.113.130,203.0.113.150,255.255.255.128,2m"
note "vC's table: $TC"
snapshot . "$SR_TMP/before"

ifud_ok ifup vA
ifud_ok ifup vC
R=$(ip -4 rule show)
note "ip -4 rule show:"; sr_indent "$R"
assert_match "$R" "^31100:[[:space:]]+from 203\.0\.113\.140 lookup $TC proto $P ?\$" "rule for the lease"
RT=$(ifud_table_routes "$TC")
note "table $TC:"; sr_indent "$RT"
assert_match "$RT" "^default via 203\.0\.113\.129 dev vC proto $P" "the lease's router"
assert_match "$RT" "src 203\.0\.113\.140" "the leased address"

# The reservation changes; dnsmasq re-reads its hosts file.
echo "02:00:00:00:00:02,203.0.113.141" >"$IFUD/srv/hosts"
kill -HUP "$IFUD_DNSMASQ" || hard_error "cannot signal dnsmasq"
note "waiting for the renewal (T1 = 3 s)"
rule_for_new() { ip -4 rule show | grep -q "from 203\.0\.113\.141 lookup $TC "; }
if ! wait_for 30 rule_for_new; then
	note "dnsmasq log:"; sr_indent "$(tail -n 20 "$IFUD/srv/dnsmasq.log")"
	note "addresses:"; sr_indent "$(ip -4 addr show dev vC)"
	fail "no rule for the renewed address 203.0.113.141 after 30 s"
fi
assert_match "$(ip -4 addr show dev vC)" "inet 203\.0\.113\.141/25" "dhclient applied the new address"
R=$(ip -4 rule show)
note "ip -4 rule show:"; sr_indent "$R"
assert_no_match "$R" "203\.0\.113\.140" "the old address's rule is gone"
assert_count "$R" "lookup $TC( |\$)" 1 "one rule for vC"
RT=$(ifud_table_routes "$TC")
note "table $TC:"; sr_indent "$RT"
assert_match "$RT" "^default via 203\.0\.113\.129 dev vC proto $P" "the router, after the renewal"
assert_match "$RT" "src 203\.0\.113\.141" "the new address in vC's table"
assert_no_match "$RT" "203\.0\.113\.140" "nothing of the old address in vC's table"

# The release, through dhclient's exit hook alone (RELEASE), the way ifdown starts it.
ifud_ok dhclient -4 -r -pf /run/dhclient.vC.pid -lf /var/lib/dhcp/dhclient.vC.leases vC
R=$(ip -4 rule show)
note "ip -4 rule show:"; sr_indent "$R"
assert_no_match "$R" "lookup $TC( |\$)" "RELEASE: vC's rule is gone"
assert_eq "" "$(ifud_table_routes "$TC")" "RELEASE: vC's table is empty"
assert_match "$R" "from 198\.51\.100\.10 lookup " "RELEASE: vA's rule stays"

# ifdown vC: symroute's if-down.d hook, then ifupdown's own release and link down.
ifud_ok ifdown vC
assert_no_match "$(ip -4 rule show)" "lookup $TC( |\$)" "ifdown vC: no rule for vC"
[ ! -s /run/dhclient.vC.pid ] || ! kill -0 "$(cat /run/dhclient.vC.pid)" 2>/dev/null ||
	fail "dhclient still runs after ifdown vC"

ifud_ok ifdown vA
snapshot . "$SR_TMP/after"
assert_files_eq "$SR_TMP/before" "$SR_TMP/after" "after ifdown, the state is the one before ifup"
pass "DHCP renewal with a changed address, then release"
