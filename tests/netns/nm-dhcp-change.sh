#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: a DHCP profile under the real NetworkManager whose lease changes address: the
# dhcp4-change event moves the rule to the new address and leaves nothing for the old one.
. "$(dirname "$0")/nm-lib.sh"
nm_sandbox_enter "$@"

# nmsr2 (NetworkManager's, DHCP) -- srv 203.0.113.1/24 in namespace dh, dnsmasq serving.
nm_uplink 2 dh
addr dh srv 203.0.113.1/24
nm_dnsmasq dh srv 203.0.113.100,203.0.113.150,255.255.255.0 203.0.113.1
nm_profile dhcp nmsr2 '[ipv4]' method=auto '[ipv6]' method=disabled
nm_install_hook
nm_start
nm_wait_done nmsr2 up
nm_assert_hook_ok nmsr2 up
T=$(table_of . nmsr2)
OLD=$(ip -4 -o addr show dev nmsr2 | sed -n 's/.* inet \([0-9.]*\)\/.*/\1/p')
[ -n "$OLD" ] || fail "nmsr2 got no DHCP address"
note "leased $OLD; table $T"
R=$(ip -4 rule show)
assert_match "$R" "^31100:[[:space:]]+from $(re_quote "$OLD") lookup $T proto $P ?\$" "rule for the lease"
assert_match "$(ip -4 route show table "$T")" "^default via 203\.0\.113\.1 dev nmsr2 proto $P" \
	"the table's default via the lease's router"

# A new address (recipes/README: NetworkManager 1.42.4 sends dhcp4-change only when DHCP
# restarts and gets a different address): the server's hosts file, SIGHUP, our end down+up.
N=$(grep -c '^nmsr2 dhcp4-change ' "$NM_SB/done")
MAC=$(cat /sys/class/net/nmsr2/address)
echo "$MAC,203.0.113.200" >"$NM_SB/dhcp/hosts"
n_read=$(grep -c 'read .*/dhcp/hosts' "$NM_SB/dnsmasq.log")
kill -HUP "$NM_DNSMASQ_PID"
wait_for 5 sh -c "[ \$(grep -c 'read .*/dhcp/hosts' '$NM_SB/dnsmasq.log') -gt $n_read ]" ||
	hard_error "dnsmasq did not re-read its hosts file"
ip link set nmsr2 down
ip link set nmsr2 up
nm_wait_done nmsr2 dhcp4-change $((N + 1))
nm_assert_hook_ok nmsr2 dhcp4-change
note "dhcp4-change environment: $(grep -E '^(IP4_ADDRESS_0|DHCP4_IP_ADDRESS)=' "$(nm_last_env nmsr2 dhcp4-change)" | tr '\n' ' ')"

R=$(ip -4 rule show)
note "after the address change:"; sr_indent "$(nm_state)"
assert_match "$R" "^31100:[[:space:]]+from 203\.0\.113\.200 lookup $T proto $P ?\$" "rule for the new address"
assert_not_contains "$R" "from $OLD " "no rule left for the old address $OLD"
assert_count "$R" "lookup $T " 1 "one rule for nmsr2's table"
assert_match "$(ip -4 route show table "$T")" "^default via 203\.0\.113\.1 dev nmsr2 proto $P" \
	"the table's default"
assert_match "$(ip -4 route show table "$T")" "^203\.0\.113\.0/24 dev nmsr2 proto $P scope link src 203\.0\.113\.200" \
	"the connected route with the new source"

nmcli_ok connection down dhcp
nm_wait_done nmsr2 down
assert_not_contains "$(ip -4 rule show)" "lookup $T" "the rule is gone after down"
pass "a DHCP lease changing address under NetworkManager: the rule follows it"
