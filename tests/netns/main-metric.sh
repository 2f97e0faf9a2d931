#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: main-mode = metric: one default of ours per uplink in main, ranked by metric; when the
# preferred uplink goes (carrier lost, interface down, symroute down) the next one is used at once,
# IPv4 and IPv6; removed with the interface.
# main-metric-narrow.sh gives its own (narrow = true as well).
SR_CONFIG_TEXT=${SR_CONFIG_TEXT:-'[symroute]
main-mode = metric'}
export SR_CONFIG_TEXT
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"

topo_two_uplinks v6
# The same remote address behind both routers.
addr ra cli 2001:db8:ff::1/128
addr rb cli 2001:db8:ff::1/128
# The host relies on symroute for main's defaults: no default of its own.
ip_ns . -4 route del default || hard_error "cannot remove the server's default route"
# A lost carrier marks routes "linkdown"; the kernel then skips them only when told to
# (symroute.conf(5), MAIN-MODE metric).
ns_sysctl . net.ipv4.conf.all.ignore_routes_with_linkdown 1
ns_sysctl . net.ipv6.conf.all.ignore_routes_with_linkdown 1

sr_ok up eth0 --gateway 198.51.100.1 --gateway fe80::1 --metric 100
sr_ok up eth1 --gateway 203.0.113.1 --gateway fe80::1 --metric 200

M4=$(ip -4 route show table main)
M6=$(ip -6 route show table main)
note "ip -4 route show table main:"; sr_indent "$M4"
note "ip -6 route show table main:"; sr_indent "$M6"
assert_match "$M4" "^default via 198\.51\.100\.1 dev eth0 proto $P metric 100 onlink ?\$" "main: eth0's default, metric 100"
assert_match "$M4" "^default via 203\.0\.113\.1 dev eth1 proto $P metric 200 onlink ?\$" "main: eth1's default, metric 200"
assert_match "$M6" "^default via fe80::1 dev eth0 proto $P metric 100 " "main: eth0's IPv6 default, metric 100"
assert_match "$M6" "^default via fe80::1 dev eth1 proto $P metric 200 " "main: eth1's IPv6 default, metric 200"

via4() { ip -4 route get 198.18.0.1 | sed -n 's/.* dev \([^ ]*\).*/\1/p'; }
via6() { ip -6 route get 2001:db8:ff::1 | sed -n 's/.* dev \([^ ]*\).*/\1/p'; }
assert_eq eth0 "$(via4)" "IPv4 without a source: the preferred uplink (metric 100)"
assert_eq eth0 "$(via6)" "IPv6 without a source: the preferred uplink (metric 100)"
ip -4 route get 198.18.0.1 | grep -q 'src 198\.51\.100\.10 ' || fail "IPv4: eth0's source address"

# Idempotent: a second up changes nothing.
snapshot . "$SR_TMP/before"
sr_ok up eth0 --gateway 198.51.100.1 --gateway fe80::1 --metric 100
snapshot . "$SR_TMP/after"
assert_files_eq "$SR_TMP/before" "$SR_TMP/after" "a repeated up changes nothing"

# 1. The preferred uplink loses its carrier (router A's port goes down): at once, eth1.
ip_ns ra link set srv down || hard_error "cannot take router A's port down"
wait_for 5 sh -c 'ip -4 route show table main | grep -q "dev eth0 .*linkdown"' ||
	fail "eth0's routes are not marked linkdown"
assert_eq eth1 "$(via4)" "carrier lost on eth0: IPv4 leaves by eth1 at once"
assert_eq eth1 "$(via6)" "carrier lost on eth0: IPv6 leaves by eth1 at once"
ip_ns ra link set srv up || hard_error "cannot bring router A's port back"
wait_for 5 sh -c '! ip -4 route show table main | grep -q linkdown' || fail "linkdown stays"
assert_eq eth0 "$(via4)" "carrier back: IPv4 by eth0 again"
assert_eq eth0 "$(via6)" "carrier back: IPv6 by eth0 again"

# 2. The interface itself goes down: the kernel drops its routes, eth1 takes over.
ip_ns . link set eth0 down || hard_error "cannot take eth0 down"
assert_eq eth1 "$(via4)" "eth0 down: IPv4 leaves by eth1"
assert_eq eth1 "$(via6)" "eth0 down: IPv6 leaves by eth1"
sr_ok down eth0
ip_ns . link set eth0 up || hard_error "cannot bring eth0 up"
addr . eth0 2001:db8:a::10/64
settle .
sr_ok up eth0 --gateway 198.51.100.1 --gateway fe80::1 --metric 100
assert_eq eth0 "$(via4)" "eth0 up again: IPv4 by eth0"
assert_eq eth0 "$(via6)" "eth0 up again: IPv6 by eth0"

# 3. symroute down removes ours, and only eth0's.
sr_ok down eth0
M4=$(ip -4 route show table main)
M6=$(ip -6 route show table main)
assert_not_contains "$M4" "dev eth0 proto $P" "down: eth0's IPv4 default is gone from main"
assert_not_contains "$M6" "dev eth0 proto $P" "down: eth0's IPv6 default is gone from main"
assert_match "$M4" "^default via 203\.0\.113\.1 dev eth1 proto $P metric 200 onlink ?\$" "eth1's default stays"
assert_eq eth1 "$(via4)" "after down eth0: IPv4 by eth1"
assert_eq eth1 "$(via6)" "after down eth0: IPv6 by eth1"

# 4. Without --metric: 1000 + ifindex.
sr_ok up eth0 --gateway 198.51.100.1 --gateway fe80::1
I0=$(ifindex . eth0)
assert_match "$(ip -4 route show table main)" \
	"^default via 198\.51\.100\.1 dev eth0 proto $P metric $((1000 + I0)) onlink ?\$" "default metric 1000+ifindex"
assert_eq eth1 "$(via4)" "metric 200 beats 1000+ifindex"
sr_ok down eth0
sr_ok down eth1
assert_not_contains "$(ip -4 route show table all; ip -6 route show table all)" "proto $P" \
	"nothing of ours is left"
pass
