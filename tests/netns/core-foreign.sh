#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: symroute touches only what it owns. Foreign rules (at other priorities, at our
# own priority 31100, even a twin of our shared rule without our tag), foreign routes in main
# and a foreign table survive up and down byte for byte; a table that holds a foreign route
# is refused with exit 4 and nothing changes.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"

topo_two_uplinks v6
T0=$(table_of . eth0)
T1=$(table_of . eth1)

# What an administrator (or another tool) had set up before symroute came.
ip_ns . -4 rule add priority 100 from 198.51.100.77 lookup 100
ip_ns . -4 rule add priority 31100 from 198.51.100.10 lookup 200
ip_ns . -4 rule add priority 31100 to 203.0.113.99 lookup 200
ip_ns . -4 rule add priority 31000 from all lookup main suppress_prefixlength 0
ip_ns . -4 rule add priority 31100 from 203.0.113.20 lookup 200 proto static
ip_ns . -6 rule add priority 31100 from 2001:db8:a::10 lookup 200
ip_ns . -6 rule add priority 32000 from 2001:db8:b::/64 lookup 200 proto 186
ip_ns . -4 route add 198.51.100.64/26 via 198.51.100.1 proto static
ip_ns . -4 route add default via 203.0.113.1 metric 500
ip_ns . -6 route add default via fe80::1 dev eth1 metric 2048
ip_ns . -6 route add 2001:db8:ff::/48 via fe80::1 dev eth0 proto 186
ip_ns . -4 route add default via 198.51.100.1 table 200
ip_ns . -4 route add 203.0.113.64/26 via 203.0.113.1 table 200 proto boot
ip_ns . -6 route add default via fe80::1 dev eth0 table 200
ip_ns . -4 route add 198.51.100.0/25 dev eth0 table 100
ip_ns . -6 route add 2001:db8:a::/64 dev eth0 table 100

snapshot . "$SR_TMP/s0"
assert_not_contains "$(cat "$SR_TMP/s0")" "proto $P" "before: nothing of ours (test set-up)"

up_all() {
	sr_ok up eth0 --gateway 198.51.100.1 --gateway 2001:db8:a::1
	sr_ok up eth1 --gateway 203.0.113.1 --gateway fe80::1
}
up_all
snapshot . "$SR_TMP/s1"
S=$(cat "$SR_TMP/s1")
assert_match "$S" "^31100:[[:space:]]+from 198\.51\.100\.10 lookup $T0 proto $P ?\$" "up: eth0's IPv4 rule"
assert_match "$S" "^31100:[[:space:]]+from 2001:db8:b::20 lookup $T1 proto $P ?\$" "up: eth1's IPv6 rule"
assert_count "$S" "^31000:[[:space:]]+from all lookup main suppress_prefixlength 0 proto $P ?\$" 2 \
	"up: our shared rule per family, next to the foreign twin"
# Main has foreign defaults in both families: our fallbacks stand behind them (issue 20).
assert_count "$S" "^unicast default .*proto $P( .*)? metric 100000[0-9]" 4 \
	"up: a fallback default per uplink and family in main, behind the foreign defaults"
grep -v "proto $P" "$SR_TMP/s1" >"$SR_TMP/s1-foreign"
assert_files_eq "$SR_TMP/s0" "$SR_TMP/s1-foreign" "after up, everything not ours is as it was"

sr_ok down eth0
sr_ok down eth1
snapshot . "$SR_TMP/s2"
assert_files_eq "$SR_TMP/s0" "$SR_TMP/s2" "after down, the state is exactly the one before up"

# Table collision: table 100 holds foreign routes.
sr_expect 4 up eth0 --table 100 --gateway 198.51.100.1 --gateway 2001:db8:a::1
snapshot . "$SR_TMP/s3"
assert_files_eq "$SR_TMP/s0" "$SR_TMP/s3" "--table 100 (foreign routes): nothing changed"

# Same while eth0 is managed: the refused run keeps what was there.
sr_ok up eth0 --gateway 198.51.100.1 --gateway 2001:db8:a::1
snapshot . "$SR_TMP/s4"
sr_expect 4 up eth0 --table 100 --gateway 198.51.100.1 --gateway 2001:db8:a::1
snapshot . "$SR_TMP/s5"
assert_files_eq "$SR_TMP/s4" "$SR_TMP/s5" "--table 100 while eth0 is managed: nothing changed"
sr_ok down eth0

# A foreign route in an interface's automatic table.
ip_ns . -4 route add 203.0.113.0/25 dev eth1 table "$T1"
snapshot . "$SR_TMP/s6"
sr_expect 4 up eth1 --gateway 203.0.113.1 --gateway fe80::1
snapshot . "$SR_TMP/s7"
assert_files_eq "$SR_TMP/s6" "$SR_TMP/s7" \
	"foreign IPv4 route in table $T1: nothing changed (not even IPv6, which is free)"
ip_ns . -4 route del 203.0.113.0/25 dev eth1 table "$T1"

snapshot . "$SR_TMP/s9"
assert_files_eq "$SR_TMP/s0" "$SR_TMP/s9" "in the end, the state before the test"

pass "foreign rules, routes and tables are left alone; collisions are refused (exit 4)"
