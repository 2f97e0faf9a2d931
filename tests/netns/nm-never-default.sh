#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: never-default profiles under the real NetworkManager (IP4_GATEWAY=0.0.0.0): a DHCP
# one gets its table's default from DHCP4_ROUTERS; a static one gets connected routes only,
# logged, until symroute.gateway4 in its user data gives the table a default; main keeps none.
. "$(dirname "$0")/nm-lib.sh"
nm_sandbox_enter "$@"

nm_uplink 0 ra
addr ra srv 198.51.100.1/25
nm_uplink 2 dh
addr dh srv 203.0.113.1/24
nm_dnsmasq dh srv 203.0.113.100,203.0.113.150,255.255.255.0 203.0.113.1
nm_profile static nmsr0 '[ipv4]' method=manual address1=198.51.100.10/25,198.51.100.1 \
	never-default=true '[ipv6]' method=disabled
STATIC=$NM_PROFILE_FILE
nm_profile dhcp nmsr2 '[ipv4]' method=auto never-default=true '[ipv6]' method=disabled
nm_install_hook
nm_start
nm_wait_done nmsr0 up
nm_wait_done nmsr2 up
nm_assert_hook_ok nmsr0 up
nm_assert_hook_ok nmsr2 up
T0=$(table_of . nmsr0)
T2=$(table_of . nmsr2)
note "after up:"; sr_indent "$(nm_state)"
assert_contains "$(cat "$(nm_last_env nmsr0 up)")" "IP4_GATEWAY=0.0.0.0" "NetworkManager reports no gateway"
assert_no_match "$(ip -4 route show table main)" "^default" "never-default: main has no default"

# DHCP: the lease's router, from DHCP4_ROUTERS.
assert_match "$(ip -4 route show table "$T2")" "^default via 203\.0\.113\.1 dev nmsr2 proto $P" \
	"DHCP never-default: the table's default from DHCP4_ROUTERS"
# Static: connected routes and the rule, no default, and the log says why.
assert_match "$(ip -4 rule show)" "^31100:[[:space:]]+from 198\.51\.100\.10 lookup $T0 proto $P ?\$" \
	"static never-default: the rule"
assert_match "$(ip -4 route show table "$T0")" "^198\.51\.100\.0/25 dev nmsr0 proto $P" \
	"static never-default: the connected route"
assert_no_match "$(ip -4 route show table "$T0")" "^default" "static never-default: no default in the table"
assert_contains "$(cat "$NM_SB/symroute.log")" "nmsr0: up: no IPv4 gateway (IP4_GATEWAY absent or 0.0.0.0, no DHCP4_ROUTERS)" \
	"the log says the table has no default"

# symroute.gateway4 gives the table the default that main must not have.
printf '\n[user]\nsymroute.gateway4=198.51.100.1\n' >>"$STATIC"
nmcli_ok connection load "$STATIC"
nmcli_ok device reapply nmsr0
nm_wait_done nmsr0 reapply
nm_assert_hook_ok nmsr0 reapply
assert_match "$(ip -4 route show table "$T0")" "^default via 198\.51\.100\.1 dev nmsr0 proto $P" \
	"symroute.gateway4: the table's default"
assert_no_match "$(ip -4 route show table main)" "^default" "main still has no default"
pass "never-default: DHCP4_ROUTERS for DHCP, connected routes (logged) or symroute.gateway4 for static"
