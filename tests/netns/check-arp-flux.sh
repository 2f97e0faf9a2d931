#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: `symroute check` catches two managed interfaces on one IPv4 subnet without the
# ARP settings that stop ARP flux, and accepts either remedy (arp_ignore=1 with
# arp_announce=2, or arp_filter=1).
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"

#  server eth0 198.51.100.10/25 ---- srv  ra  198.51.100.1/25
#         eth1 198.51.100.20/25 ---- srv  rb  198.51.100.1/25  (two routers, one subnet)
for ns in . ra rb; do
	[ "$ns" = . ] || ns_add "$ns"
	ns_sysctl "$ns" net.ipv6.conf.all.disable_ipv6 1
	ns_sysctl "$ns" net.ipv6.conf.default.disable_ipv6 1
done
veth_pair . eth0 ra srv
veth_pair . eth1 rb srv
addr . eth0 198.51.100.10/25
addr . eth1 198.51.100.20/25
addr ra srv 198.51.100.1/25
addr rb srv 198.51.100.1/25
ip_ns . -4 route add default via 198.51.100.1 dev eth0 || hard_error "default route"
for k in all default eth0 eth1; do
	for s in arp_filter arp_ignore arp_announce; do
		ns_sysctl . net.ipv4.conf.$k.$s 0
	done
done

sr_ok up eth0
sr_ok up eth1 --gateway 198.51.100.1
sr_expect 7 check
note "symroute check:"; sr_indent "$SR_OUT"
assert_match "$SR_OUT" "^FAIL eth0 and eth1 share 198\.51\.100\.0/25 without arp_filter=1 or arp_ignore=1 with arp_announce=2: ARP flux, either may answer for the other's address \| sysctl -a --pattern 'net\.ipv4\.conf\.\*\.arp_\(filter\|ignore\|announce\)'\$" \
	"check names the two interfaces, the subnet and the settings"
assert_match "$SR_OUT" "^PASS eth1 IPv4 from 198\.51\.100\.20 leaves by eth1" "the routing itself is right"
assert_count "$SR_OUT" "^FAIL" 1 "ARP flux is the only failure"

# Asking for one of the two still looks at the pair.
sr_expect 7 check eth1
assert_match "$SR_OUT" "^FAIL eth0 and eth1 share 198\.51\.100\.0/25" "check eth1 names the pair"
assert_no_match "$SR_OUT" "^PASS eth0 IPv4" "check eth1 looks at eth1's addresses only"

# arp_ignore=1 alone is not enough: the kernel still announces from any address.
ns_sysctl . net.ipv4.conf.all.arp_ignore 1
sr_expect 7 check
ns_sysctl . net.ipv4.conf.all.arp_announce 2
sr_ok check
assert_match "$SR_OUT" "^PASS eth0 and eth1 share 198\.51\.100\.0/25 and both answer ARP only for their own addresses" \
	"arp_ignore=1 with arp_announce=2 (conf/all) fixes it"

# The other remedy, per interface: arp_filter=1 on both.
ns_sysctl . net.ipv4.conf.all.arp_ignore 0
ns_sysctl . net.ipv4.conf.all.arp_announce 0
ns_sysctl . net.ipv4.conf.eth0.arp_filter 1
sr_expect 7 check
assert_match "$SR_OUT" "^FAIL eth0 and eth1 share" "arp_filter on one of the two is not enough"
ns_sysctl . net.ipv4.conf.eth1.arp_filter 1
sr_ok check
pass "ARP flux between managed interfaces on one subnet is caught; exit 7"
