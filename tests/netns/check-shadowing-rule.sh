#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: `symroute check` catches a source that leaves by the wrong interface because a
# foreign rule with a higher priority shadows ours, names that rule, and flags the strict
# rp_filter that then drops the interface's incoming traffic; exit 7.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"

topo_two_uplinks
T1=$(table_of . eth1)
sr_ok up eth0
sr_ok up eth1 --gateway 203.0.113.1
sr_ok check

# Another tool sends eth1's address to a table of its own that leaves by eth0.
ip_ns . -4 route add default via 198.51.100.1 dev eth0 table 100
ip_ns . -4 rule add priority 100 from 203.0.113.0/25 lookup 100

sr_expect 7 check
note "symroute check:"; sr_indent "$SR_OUT"
assert_match "$SR_OUT" "^FAIL eth1 IPv4 from 203\.0\.113\.20 leaves by eth0 via 198\.51\.100\.1 \(table 100\), not by eth1: the foreign rule 'priority 100 from 203\.0\.113\.0/25 lookup 100 proto 0' comes before ours at priority 31100 \| ip -4 route get 198\.18\.0\.1 from 203\.0\.113\.20\$" \
	"check names the shadowing rule, the wrong interface and the command that shows it"
assert_match "$SR_OUT" "^FAIL eth1 rp_filter is strict \(1\) and the return path of an address of eth1 leaves by another interface" \
	"strict rp_filter (all=1 here) drops what arrives on eth1"
assert_match "$SR_OUT" "^PASS eth0 IPv4 from 198\.51\.100\.10 leaves by eth0" "eth0 is unaffected"
assert_match "$SR_OUT" "^PASS eth1 IPv4: table $T1, " "our own rules and table are intact (the state check passes)"

# Loose reverse-path filtering: the egress is still wrong, rp_filter no longer drops.
ns_sysctl . net.ipv4.conf.all.rp_filter 2
sr_expect 7 check eth1
assert_match "$SR_OUT" "^FAIL eth1 IPv4 from 203\.0\.113\.20 leaves by eth0" "still the wrong egress"
assert_match "$SR_OUT" "^PASS eth1 rp_filter is loose \(2\)" "loose rp_filter passes"

# An interface's own rp_filter counts too: the kernel uses max(all, IFACE).
ns_sysctl . net.ipv4.conf.all.rp_filter 0
ns_sysctl . net.ipv4.conf.eth1.rp_filter 1
sr_expect 7 check eth1
assert_match "$SR_OUT" "^FAIL eth1 rp_filter is strict \(1\)" "conf/eth1/rp_filter=1 alone is strict"

# Without the foreign rule all passes again.
ip_ns . -4 rule del priority 100 from 203.0.113.0/25 lookup 100
sr_ok check
assert_match "$SR_OUT" "^PASS eth1 rp_filter is strict and the return path of each address leaves by eth1" \
	"strict rp_filter with a symmetric return path passes"

pass "a foreign rule shadowing ours is named, with the rp_filter consequence; exit 7"
