#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: issue 20 through the real NetworkManager: main keeps a default in both families when
# the profile holding it is deactivated, and `symroute check` calls the host healthy in either
# activation order.
#
# lib.sh's two ISPs and far host (isps_far_side), NetworkManager's nmsr0 (198.51.100.10/25,
# 2001:db8:a::10/64) to router A and nmsr1 (203.0.113.20/25, 2001:db8:b::20/64) to router B,
# which drop foreign sources. Two cases:
#  1. Both profiles have gateways: NetworkManager keeps a default per device in main (route
#     metrics 100 and 200) and symroute adds none there. Deactivating the primary leaves
#     NetworkManager's default via nmsr1, which nothing of ours may have disturbed.
#  2. The backup uplink is never-default (NetworkManager puts no default in main) and asks
#     symroute for one (symroute.gateway4/6 and symroute.main-default=yes in its user data):
#     our fallback default via nmsr1 waits behind the primary's and takes over when the primary
#     is deactivated, with no event needed.
. "$(dirname "$0")/nm-lib.sh"
nm_sandbox_enter "$@"

nm_uplink 0 ra
nm_uplink 1 rb
isps_far_side

# every_address_answers WHAT: the far side reaches each of the host's addresses (the replies
# must leave by the address's own uplink, or the router drops them).
every_address_answers() {
	for a in 198.51.100.10 203.0.113.20 2001:db8:a::10 2001:db8:b::20; do
		hello_connect far "$a" || fail "$1: no answer from $a to the far side"
	done
}

# main_defaults: main's default routes, both families.
main_defaults() { ip -4 route show table main default; ip -6 route show table main default; }

# wait_addresses [DEV]: every IPv6 address out of duplicate address detection (NetworkManager
# configures them with its own DAD settings) and, with DEV, NetworkManager's defaults via DEV
# in main in both families. NetworkManager 1.52 may dispatch "up" before it has committed the
# IPv6 default (it waits for DAD first), so a route lookup right after the hook could still
# see the other uplink's default: what is tested is where traffic goes once NetworkManager is
# done, not how fast it is.
wait_addresses() {
	wait_for 10 sh -c '[ -z "$(ip -6 addr show tentative)" ]' ||
		hard_error "IPv6 addresses stayed tentative: $(ip -6 addr show tentative)"
	[ -z "${1:-}" ] && return 0
	wait_for 10 sh -c "ip -4 route show table main default dev $1 proto static | grep -q . &&
		ip -6 route show table main default dev $1 proto static | grep -q ." ||
		fail "NetworkManager's defaults via $1 never appeared in main: $(main_defaults)"
}

v6=$(printf '%s\n' '[ipv6]' method=manual addr-gen-mode=eui64)
nm_profile up0 nmsr0 '[ipv4]' method=manual address1=198.51.100.10/25,198.51.100.1 route-metric=100 \
	$v6 address1=2001:db8:a::10/64,2001:db8:a::1 route-metric=100
nm_profile up1 nmsr1 '[ipv4]' method=manual address1=203.0.113.20/25,203.0.113.1 route-metric=200 \
	$v6 address1=2001:db8:b::20/64,2001:db8:b::1 route-metric=200
UP1=$NM_PROFILE_FILE
nm_install_hook
hello_listen far
hello_listen .
nm_start
nm_wait_done nmsr0 up
nm_wait_done nmsr1 up
nm_assert_hook_ok nmsr0 up
nm_assert_hook_ok nmsr1 up
wait_addresses nmsr0

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
wait_addresses nmsr0
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
wait_addresses nmsr0
note "backup activated first:"; sr_indent "$(main_defaults)"
far_works "backup activated first" nmsr0
every_address_answers "backup activated first"
sr_ok check
sr_ok status
pass "NetworkManager: main keeps a default when the primary is deactivated, check healthy in either order"
