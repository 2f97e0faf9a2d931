#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: issue 16, item 1: `symroute up IFACE` by hand, the obvious repair, keeps the gateway
# its table has when none is given and main has none through the interface (the usual second
# uplink: its gateway came from `symroute-gateway` or an earlier --gateway), in both families.
# A front end is different: a lease without routers means no gateway (dhclient-renew.sh).
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"
command -v socat >/dev/null 2>&1 || skip "socat not installed"

topo_two_uplinks v6
T1=$(table_of . eth1)
sr_ok up eth0
sr_ok up eth0 -6 --gateway 2001:db8:a::1
sr_ok up eth1 --gateway 203.0.113.1
sr_ok up eth1 -6 --gateway 2001:db8:b::1
assert_no_match "$(ip -4 route show table main default; ip -6 route show table main default)" \
	"dev eth1 proto (static|boot|kernel)" "test set-up: main has no default of its own via eth1"

# Someone deletes eth1's rules; `symroute up eth1` puts them back and keeps both defaults.
ip_ns . -4 rule del priority 31100 from 203.0.113.20 lookup "$T1"
ip_ns . -6 rule del priority 31100 from 2001:db8:b::20 lookup "$T1"
sr_ok up eth1 -v
note "symroute up eth1 -v (no other options):"; sr_indent "$SR_ERR"
assert_match "$(ip -4 route show table "$T1")" "^default via 203\.0\.113\.1 dev eth1 proto $P" \
	"IPv4: the table keeps its default"
assert_match "$(ip -6 route show table "$T1")" "^default via 2001:db8:b::1 dev eth1 proto $P" \
	"IPv6: the table keeps its default"
assert_match "$(ip -4 rule show)" "^31100:[[:space:]]+from 203\.0\.113\.20 lookup $T1 proto $P" "IPv4: the rule is back"
assert_match "$(ip -6 rule show)" "^31100:[[:space:]]+from 2001:db8:b::20 lookup $T1 proto $P" "IPv6: the rule is back"
assert_contains "$SR_ERR" "eth1: no IPv4 gateway given or in main: keeping its table's, 203.0.113.1" \
	"the log says which gateway was kept"
assert_not_contains "$SR_ERR" "connected routes only" "no word of a table without a default"

# The address answers through its own uplink again (replies leave by eth1, or router B drops them).
tcp_listen .
out=$(tcp_try cl 203.0.113.20) || fail "TCP to 203.0.113.20 after the repair failed: $out"
sr_ok status
assert_no_match "$SR_OUT" "drift|would run" "status: in sync after the repair"
sr_ok check

# Repeated: nothing to send.
monitor_start
sr_ok up eth1 -v
monitor_stop
assert_eq "" "$MON_EVENTS" "a repeated up by hand sends nothing"

# A gateway given by hand still replaces the kept one.
sr_ok up eth1 -4 --gateway 203.0.113.2
assert_match "$(ip -4 route show table "$T1")" "^default via 203\.0\.113\.2 dev eth1 proto $P" \
	"--gateway replaces the table's gateway"
pass "up by hand keeps the table's gateway when none is given"
