#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: issue 20 through the real NetworkManager: main keeps a default in both families when
# the profile holding it is deactivated, and `symroute check` calls the host healthy in either
# activation order.
#
#  host nmsr0 198.51.100.10/25 ---- srv router A (ns ra) cli 192.0.2.1 ----- ethA .2  far (ns far)
#             2001:db8:a::10/64                            2001:db8:1a::1
#       nmsr1 203.0.113.20/25  ---- srv router B (ns rb) cli 192.0.2.17 ---- ethB .18 lo 192.0.2.100,
#             2001:db8:b::20/64                            2001:db8:1b::1          2001:db8:f::100
# The routers drop foreign sources on srv (BCP 38). Two cases:
#  1. Both profiles have gateways: NetworkManager keeps a default per device in main (route
#     metrics 100 and 200) and symroute adds none there. Deactivating the primary leaves
#     NetworkManager's default via nmsr1, which nothing of ours may have disturbed.
#  2. The backup uplink is never-default (NetworkManager puts no default in main) and asks
#     symroute for one (symroute.gateway4/6 and symroute.main-default=yes in its user data):
#     our fallback default via nmsr1 waits behind the primary's and takes over when the primary
#     is deactivated, with no event needed.
. "$(dirname "$0")/nm-lib.sh"
nm_sandbox_enter "$@"
command -v socat >/dev/null 2>&1 || skip "socat not installed"

FAR4=192.0.2.100
FAR6=2001:db8:f::100
nm_uplink 0 ra
nm_uplink 1 rb
ns_add far
for ns in ra rb; do
	ns_sysctl "$ns" net.ipv4.ip_forward 1
	ns_sysctl "$ns" net.ipv6.conf.all.forwarding 1
	ns_sysctl "$ns" net.ipv4.conf.srv.rp_filter 1
done
veth_pair ra cli far ethA
veth_pair rb cli far ethB
addr ra srv 198.51.100.1/25 2001:db8:a::1/64
addr ra cli 192.0.2.1/28 2001:db8:1a::1/64
addr rb srv 203.0.113.1/25 2001:db8:b::1/64
addr rb cli 192.0.2.17/28 2001:db8:1b::1/64
addr far ethA 192.0.2.2/28 2001:db8:1a::2/64
addr far ethB 192.0.2.18/28 2001:db8:1b::2/64
addr far lo $FAR4/32 $FAR6/128
ip_ns ra -4 route add $FAR4/32 via 192.0.2.2 || hard_error "router A's route to the far side"
ip_ns ra -6 route add $FAR6/128 via 2001:db8:1a::2 || hard_error "router A's IPv6 route"
ip_ns rb -4 route add $FAR4/32 via 192.0.2.18 || hard_error "router B's route to the far side"
ip_ns rb -6 route add $FAR6/128 via 2001:db8:1b::2 || hard_error "router B's IPv6 route"
ip_ns far -4 route add 198.51.100.0/25 via 192.0.2.1 || hard_error "far side: route to A"
ip_ns far -4 route add 203.0.113.0/25 via 192.0.2.17 || hard_error "far side: route to B"
ip_ns far -6 route add 2001:db8:a::/64 via 2001:db8:1a::1 || hard_error "far side: IPv6 to A"
ip_ns far -6 route add 2001:db8:b::/64 via 2001:db8:1b::1 || hard_error "far side: IPv6 to B"
settle far

# listen NS: TCP listeners answering "hello" on port 7000, IPv4 and IPv6.
listen() {
	bg_start "$1" socat -T 3 TCP4-LISTEN:7000,reuseaddr,fork SYSTEM:'echo hello'
	bg_start "$1" socat -T 3 TCP6-LISTEN:7000,ipv6only=1,reuseaddr,fork SYSTEM:'echo hello'
	wait_for 5 in_ns "$1" sh -c 'grep -q ":1B58 00000000:0000 0A" /proc/net/tcp &&
		grep -q ":1B58 00000000000000000000000000000000:0000 0A" /proc/net/tcp6' ||
		hard_error "the TCP listeners in $1 did not start"
}

# connect NS ADDR: a new TCP connection from NS to ADDR:7000, no source address chosen.
connect() {
	case $2 in *:*) cn_to="[$2]" ;; *) cn_to=$2 ;; esac
	[ "$(in_ns "$1" timeout 6 socat -T 2 - "TCP:$cn_to:7000,connect-timeout=2" \
		</dev/null 2>/dev/null)" = hello ]
}

# far_works WHAT DEV: new connections from the host to the far side, both families, leave by
# DEV (the kernel's own choice of route and source) and get through.
far_works() {
	for fw in "4 $FAR4" "6 $FAR6"; do
		set -- "$1" "$2" $fw
		fw_get=$(ip "-$3" route get "$4" 2>&1)
		assert_match "$fw_get" " dev $2 " "$1: ip -$3 route get $4 leaves by $2"
		connect . "$4" || fail "$1: a new TCP connection to $4 failed ($fw_get)"
	done
}

# every_address_answers WHAT: the far side reaches each of the host's addresses (the replies
# must leave by the address's own uplink, or the router drops them).
every_address_answers() {
	for a in 198.51.100.10 203.0.113.20 2001:db8:a::10 2001:db8:b::20; do
		connect far "$a" || fail "$1: no answer from $a to the far side"
	done
}

# main_defaults: main's default routes, both families.
main_defaults() { ip -4 route show table main default; ip -6 route show table main default; }

# settled: both addresses of both uplinks usable (IPv6 out of DAD) and main's defaults as
# NetworkManager sets them.
wait_addresses() {
	wait_for 10 sh -c '[ -z "$(ip -6 addr show tentative)" ]' ||
		hard_error "IPv6 addresses stayed tentative: $(ip -6 addr show tentative)"
}

v6=$(printf '%s\n' '[ipv6]' method=manual addr-gen-mode=eui64)
nm_profile up0 nmsr0 '[ipv4]' method=manual address1=198.51.100.10/25,198.51.100.1 route-metric=100 \
	$v6 address1=2001:db8:a::10/64,2001:db8:a::1 route-metric=100
nm_profile up1 nmsr1 '[ipv4]' method=manual address1=203.0.113.20/25,203.0.113.1 route-metric=200 \
	$v6 address1=2001:db8:b::20/64,2001:db8:b::1 route-metric=200
UP1=$NM_PROFILE_FILE
nm_install_hook
listen far
listen .
nm_start
nm_wait_done nmsr0 up
nm_wait_done nmsr1 up
nm_assert_hook_ok nmsr0 up
nm_assert_hook_ok nmsr1 up
wait_addresses

# ---- 1. both profiles with gateways: NetworkManager's defaults, none of ours in main ----
note "main's defaults, both activated:"; sr_indent "$(main_defaults)"
assert_match "$(main_defaults)" "^default via 198\.51\.100\.1 dev nmsr0 proto static metric 100" \
	"NetworkManager's IPv4 default via nmsr0"
assert_match "$(main_defaults)" "^default via 2001:db8:a::1 dev nmsr0 proto static metric 100" \
	"NetworkManager's IPv6 default via nmsr0"
assert_no_match "$(main_defaults)" "proto $P" "symroute adds no default where NetworkManager decides"
far_works "both activated" nmsr0
every_address_answers "both activated"
sr_ok check

nmcli_ok connection down up0
nm_wait_done nmsr0 down
nm_assert_hook_ok nmsr0 down
note "after deactivating up0:"; sr_indent "$(main_defaults)"
assert_match "$(main_defaults)" "^default via 203\.0\.113\.1 dev nmsr1 proto static metric 200" \
	"main keeps NetworkManager's IPv4 default via nmsr1"
assert_match "$(main_defaults)" "^default via 2001:db8:b::1 dev nmsr1 proto static metric 200" \
	"main keeps NetworkManager's IPv6 default via nmsr1"
far_works "up0 deactivated" nmsr1
sr_ok check

nmcli_ok connection up up0
nm_wait_done nmsr0 up 2
nm_assert_hook_ok nmsr0 up
wait_addresses
far_works "up0 activated again" nmsr0
every_address_answers "up0 activated again"
sr_ok check

# ---- 2. a never-default backup whose default in main is symroute's fallback ----
printf '%s\n' '[user]' symroute.gateway4=203.0.113.1 symroute.gateway6=2001:db8:b::1 \
	symroute.main-default=yes >>"$UP1"
sed -i 's/^route-metric=200$/never-default=true/' "$UP1"
nmcli_ok connection load "$UP1"
nmcli_ok connection up up1
nm_wait_done nmsr1 up 2
nm_assert_hook_ok nmsr1 up
wait_addresses
note "up1 never-default with symroute.main-default=yes:"; sr_indent "$(main_defaults)"
assert_no_match "$(main_defaults)" "dev nmsr1 proto static" "never-default: no NetworkManager default via nmsr1"
assert_match "$(main_defaults)" "^default via 203\.0\.113\.1 dev nmsr1 proto $P metric 10000[0-9][0-9]" \
	"our IPv4 fallback via nmsr1, behind the primary's"
assert_match "$(main_defaults)" "^default via 2001:db8:b::1 dev nmsr1 proto $P metric 10000[0-9][0-9]" \
	"our IPv6 fallback via nmsr1, behind the primary's"
far_works "never-default backup, primary up" nmsr0
every_address_answers "never-default backup"
sr_ok check

nmcli_ok connection down up0
nm_wait_done nmsr0 down 2
nm_assert_hook_ok nmsr0 down
note "after deactivating up0 again:"; sr_indent "$(main_defaults)"
assert_no_match "$(main_defaults)" "dev nmsr0" "no default via nmsr0 left"
far_works "primary deactivated, the fallback takes over" nmsr1
sr_ok check

# ---- the other activation order: the backup first, then the primary ----
nmcli_ok connection down up1
nm_wait_done nmsr1 down
nmcli_ok connection up up1
nm_wait_done nmsr1 up 3
nmcli_ok connection up up0
nm_wait_done nmsr0 up 3
nm_assert_hook_ok nmsr1 up
nm_assert_hook_ok nmsr0 up
wait_addresses
note "backup activated first:"; sr_indent "$(main_defaults)"
far_works "backup activated first" nmsr0
every_address_answers "backup activated first"
sr_ok check
sr_ok status
pass "NetworkManager: main keeps a default when the primary is deactivated, check healthy in either order"
