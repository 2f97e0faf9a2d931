#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: issue 3's example with the real ifup -a, dhclient and dnsmasq, then ifdown one by one back to the start.
#
#	auto vA				static, its own gateway (ifupdown puts it in main too)
#	auto vB				static, symroute-gateway (a second `gateway` fails in ifupdown)
#	auto vC				dhcp, from dnsmasq in namespace lan
# Each gets its table (1000000 + ifindex) and a "from ADDR" rule, with no post-up lines;
# `ifdown vB` removes exactly vB's part; after the last ifdown the rules and every table are
# as they were before the first ifup.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"
. "$(dirname "$0")/ifupdown-lib.sh"
ifud_need dhcp

ns_add lan
ifud_links lan vA vB vC
addr lan pvA 198.51.100.1/24
addr lan pvB 203.0.113.1/25
addr lan pvC 203.0.113.129/25
ifud_setup "auto lo
iface lo inet loopback

auto vA
iface vA inet static
    address 198.51.100.10/24
    gateway 198.51.100.1

auto vB
iface vB inet static
    address 203.0.113.20/25
    symroute-gateway 203.0.113.1

auto vC
iface vC inet dhcp"

echo "02:00:00:00:00:03,203.0.113.140" >"$IFUD/srv/hosts"
ifud_dhcp_server lan pvC "203.0.113.130,203.0.113.150,255.255.255.128,2m"

TA=$(table_of . vA)
TB=$(table_of . vB)
TC=$(table_of . vC)
note "tables: vA $TA, vB $TB, vC $TC"
snapshot . "$SR_TMP/before"

ifud_ok ifup -a

R=$(ip -4 rule show)
note "ip -4 rule show:"; sr_indent "$R"
assert_match "$R" "^31100:[[:space:]]+from 198\.51\.100\.10 lookup $TA proto $P ?\$" "rule for vA"
assert_match "$R" "^31100:[[:space:]]+from 203\.0\.113\.20 lookup $TB proto $P ?\$" "rule for vB"
assert_match "$R" "^31100:[[:space:]]+from 203\.0\.113\.140 lookup $TC proto $P ?\$" \
	"rule for vC's lease"
assert_count "$R" "^31100:" 3 "one rule per interface"

RT=$(ifud_table_routes "$TA")
note "table $TA:"; sr_indent "$RT"
assert_match "$RT" "^default via 198\.51\.100\.1 dev vA proto $P" "vA's table: its gateway"
assert_match "$RT" "^198\.51\.100\.0/24 dev vA proto $P scope link src 198\.51\.100\.10" \
	"vA's table: its subnet"
RT=$(ifud_table_routes "$TB")
note "table $TB:"; sr_indent "$RT"
assert_match "$RT" "^default via 203\.0\.113\.1 dev vB proto $P" "vB's table: symroute-gateway"
assert_match "$RT" "^203\.0\.113\.0/25 dev vB proto $P scope link src 203\.0\.113\.20" \
	"vB's table: its subnet"
RT=$(ifud_table_routes "$TC")
note "table $TC:"; sr_indent "$RT"
assert_match "$RT" "^default via 203\.0\.113\.129 dev vC proto $P" "vC's table: the DHCP router"
assert_match "$RT" "^203\.0\.113\.128/25 dev vC proto $P scope link src 203\.0\.113\.140" \
	"vC's table: the leased subnet"

# What an administrator checks: replies from each address leave through its own link.
for c in "203.0.113.20 vB 203.0.113.1" "203.0.113.140 vC 203.0.113.129" "198.51.100.10 vA 198.51.100.1"; do
	set -- $c
	G=$(ip -4 route get 100.64.0.1 from "$1" 2>&1)
	assert_match "$G" "via $(re_quote "$3") dev $2 " "ip route get 100.64.0.1 from $1"
done

# ifdown vB: exactly vB's part goes.
ifud_ok ifdown vB
R=$(ip -4 rule show)
assert_no_match "$R" "lookup $TB( |\$)" "ifdown vB: vB's rule is gone"
assert_match "$R" "from 198\.51\.100\.10 lookup $TA " "ifdown vB: vA's rule stays"
assert_match "$R" "from 203\.0\.113\.140 lookup $TC " "ifdown vB: vC's rule stays"
assert_eq "" "$(ifud_table_routes "$TB")" "ifdown vB: vB's table is empty"
assert_match "$(ifud_table_routes "$TA")" "^default via 198\.51\.100\.1 dev vA" "ifdown vB: vA's table stays"
assert_match "$(ifud_table_routes "$TC")" "^default via 203\.0\.113\.129 dev vC" "ifdown vB: vC's table stays"

# ifdown vC: the release.
ifud_ok ifdown vC
R=$(ip -4 rule show)
assert_no_match "$R" "lookup $TC( |\$)" "ifdown vC: vC's rule is gone"
assert_match "$R" "from 198\.51\.100\.10 lookup $TA " "ifdown vC: vA's rule stays"
assert_eq "" "$(ifud_table_routes "$TC")" "ifdown vC: vC's table is empty"

ifud_ok ifdown vA
snapshot . "$SR_TMP/after"
assert_files_eq "$SR_TMP/before" "$SR_TMP/after" "after ifdown of all three, the state is the one before ifup"
pass "ifup -a / ifdown one by one with static, symroute-gateway and dhcp stanzas"
