#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: preferred prefixes: `to PREFIX lookup TABLE` rules after the shared suppress rule and
# after the source rules: a lookup without a source for a preferred prefix leaves by that
# uplink, one from another uplink's address stays on that uplink (symmetric), main's specific
# routes still win, a shorter list converges, down removes them.
# main-prefer-narrow.sh runs it again with narrow = true.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"

topo_two_uplinks v6
T1=$(table_of . eth1)
addr ra cli 2001:db8:ff::1/128
addr rb cli 2001:db8:ff::1/128
ip_ns . -6 route add default via fe80::1 dev eth0 || hard_error "cannot add the IPv6 default"

dev4() { ip -4 route get "$@" | sed -n 's/.* dev \([^ ]*\).*/\1/p'; }
dev6() { ip -6 route get "$@" | sed -n 's/.* dev \([^ ]*\).*/\1/p'; }

sr_ok up eth0
sr_ok up eth1 --gateway 203.0.113.1 --gateway fe80::1 --prefer '198.18.0.0/15, 2001:db8:ff::/48 192.0.2.128/25'
R4=$(ip -4 rule show)
R6=$(ip -6 rule show)
note "ip -4 rule show:"; sr_indent "$R4"
note "ip -6 rule show:"; sr_indent "$R6"
assert_match "$R4" "^31150:[[:space:]]+from all to 198\.18\.0\.0/15 lookup $T1 proto $P ?\$" "rule for 198.18.0.0/15"
assert_match "$R4" "^31150:[[:space:]]+from all to 192\.0\.2\.128/25 lookup $T1 proto $P ?\$" "rule for 192.0.2.128/25"
assert_match "$R6" "^31150:[[:space:]]+from all to 2001:db8:ff::/48 lookup $T1 proto $P ?\$" "rule for 2001:db8:ff::/48"
assert_count "$R4" "^31150:" 2 "two IPv4 preferred prefixes"
assert_count "$R6" "^31150:" 1 "one IPv6 preferred prefix"

# Without a source: the preferred prefix leaves by eth1, everything else by main's default (eth0).
assert_eq eth1 "$(dev4 198.18.0.1)" "198.18.0.1 (preferred) leaves by eth1"
ip -4 route get 198.18.0.1 | grep -q "via 203\.0\.113\.1 .*src 203\.0\.113\.20 " ||
	fail "198.18.0.1: via router B from eth1's address: $(ip -4 route get 198.18.0.1)"
assert_eq eth0 "$(dev4 198.20.0.1)" "198.20.0.1 (not preferred) leaves by main's default, eth0"
assert_eq eth1 "$(dev6 2001:db8:ff::1)" "2001:db8:ff::1 (preferred) leaves by eth1"
assert_eq eth0 "$(dev6 2001:db8:fe::1)" "2001:db8:fe::1 (not preferred) leaves by eth0"
# Traffic bound to eth0's address stays on eth0 (a reply must leave where the request came in).
assert_eq eth0 "$(dev4 198.18.0.1 from 198.51.100.10)" "198.18.0.1 from eth0's address: eth0"
assert_eq eth1 "$(dev4 198.18.0.1 from 203.0.113.20)" "198.18.0.1 from eth1's address: eth1"
# Main's specific routes keep winning (the suppress rule comes first).
ip_ns . -4 route add 198.18.5.0/24 via 198.51.100.1 || hard_error "cannot add a specific route"
assert_eq eth0 "$(dev4 198.18.5.1)" "a more specific route in main wins over the preferred prefix"
ip_ns . -4 route del 198.18.5.0/24 via 198.51.100.1

# Idempotent.
snapshot . "$SR_TMP/before"
sr_ok up eth1 --gateway 203.0.113.1 --gateway fe80::1 --prefer '198.18.0.0/15, 2001:db8:ff::/48 192.0.2.128/25'
snapshot . "$SR_TMP/after"
assert_files_eq "$SR_TMP/before" "$SR_TMP/after" "a repeated up changes nothing"

# A shorter list converges: the prefixes left out go.
sr_ok up eth1 --gateway 203.0.113.1 --gateway fe80::1 --prefer 198.18.0.0/15
R4=$(ip -4 rule show)
assert_count "$R4" "^31150:" 1 "shorter list: one IPv4 preferred prefix left"
assert_match "$R4" "^31150:[[:space:]]+from all to 198\.18\.0\.0/15 lookup $T1 " "198.18.0.0/15 stays"
assert_count "$(ip -6 rule show)" "^31150:" 0 "shorter list: no IPv6 preferred prefix left"
assert_eq eth0 "$(dev6 2001:db8:ff::1)" "2001:db8:ff::1 follows main again"

# No list at all: none left.
sr_ok up eth1 --gateway 203.0.113.1 --gateway fe80::1
assert_count "$(ip -4 rule show)" "^31150:" 0 "no list: no IPv4 preferred prefix left"
assert_eq eth0 "$(dev4 198.18.0.1)" "198.18.0.1 follows main again"

# Down removes them.
sr_ok up eth1 --gateway 203.0.113.1 --gateway fe80::1 --prefer '198.18.0.0/15,2001:db8:ff::/48'
assert_eq eth1 "$(dev4 198.18.0.1)" "preferred again"
sr_ok down eth1
assert_count "$(ip -4 rule show; ip -6 rule show)" "^31150:" 0 "down: no preferred prefix left"
assert_eq eth0 "$(dev4 198.18.0.1)" "after down: main's default"

# Bad lists are refused, naming the value.
sr_expect 2 up eth1 --gateway 203.0.113.1 --prefer 198.18.0.1/15
assert_contains "$SR_ERR" "198.18.0.1/15" "host bits: the message names the value"
sr_expect 2 up eth1 --gateway 203.0.113.1 --prefer 198.18.0.0
sr_ok down eth0
assert_not_contains "$(ip -4 rule show; ip -6 rule show)" "proto $P" "nothing of ours is left"
pass
