#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: issue 20: main keeps a default in both families when the uplink holding it goes away (real ifup/ifdown).
#
#	eth0	gateway 198.51.100.1, gateway 2001:db8:a::1 (ifupdown puts main's defaults here)
#	eth1	symroute-gateway 203.0.113.1, symroute-gateway fe80::2 (nothing of ifupdown's in main)
#
#  host eth0 .10 ---- srv  router A (ns ra)  cli 192.0.2.1 ------ ethA .2  far (ns far)
#       eth1 .20 ---- srv  router B (ns rb)  cli 192.0.2.17 ----- ethB .18  lo 192.0.2.100,
#                                                                          2001:db8:f::100
# The if-down.d hook of `ifdown eth0` runs while main's default via eth0 still exists, and
# ifdown removes that default afterwards: main keeps a default only because every managed
# uplink has a fallback default of ours there, behind any ordinary one (metric 1000000 +
# ifindex). New connections to the far side must work throughout, and `symroute check` must
# call the host healthy whichever interface came up first.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"
. "$(dirname "$0")/ifupdown-lib.sh"
ifud_need
command -v socat >/dev/null 2>&1 || skip "socat not installed"

FAR4=192.0.2.100
FAR6=2001:db8:f::100

for ns in ra rb far; do
	ns_add "$ns"
done
for ns in ra rb; do
	ns_sysctl "$ns" net.ipv4.ip_forward 1
	ns_sysctl "$ns" net.ipv6.conf.all.forwarding 1
done
# The host's ends start down and without addresses, as ifup expects them.
veth_pair . eth0 ra srv 02:00:00:00:00:01
veth_pair . eth1 rb srv 02:00:00:00:00:02
ip link set eth0 down || hard_error "cannot set eth0 down"
ip link set eth1 down || hard_error "cannot set eth1 down"
veth_pair ra cli far ethA
veth_pair rb cli far ethB
for ns in ra rb; do
	ns_sysctl "$ns" net.ipv4.conf.srv.rp_filter 1	# BCP 38: a reply must leave by its uplink
done

addr ra srv 198.51.100.1/25 2001:db8:a::1/64
addr ra cli 192.0.2.1/28 2001:db8:1a::1/64
addr rb srv 203.0.113.1/25 fe80::2/64 2001:db8:b::1/64
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
settle far	# ra and rb have no carrier on srv until ifup

ifud_setup "iface eth0 inet static
    address 198.51.100.10/25
    gateway 198.51.100.1

iface eth0 inet6 static
    address 2001:db8:a::10/64
    gateway 2001:db8:a::1

iface eth1 inet static
    address 203.0.113.20/25
    symroute-gateway 203.0.113.1

iface eth1 inet6 static
    address 2001:db8:b::20/64
    symroute-gateway fe80::2"

# TCP listeners answering "hello from ADDR" on port 7000, IPv4 and IPv6, in namespace $1.
listen() {
	bg_start "$1" socat -T 3 TCP4-LISTEN:7000,reuseaddr,fork \
		SYSTEM:'echo "hello from $SOCAT_SOCKADDR"'
	bg_start "$1" socat -T 3 TCP6-LISTEN:7000,ipv6only=1,reuseaddr,fork \
		SYSTEM:'echo "hello from $SOCAT_SOCKADDR"'
	wait_for 5 in_ns "$1" sh -c 'grep -q ":1B58 00000000:0000 0A" /proc/net/tcp &&
		grep -q ":1B58 00000000000000000000000000000000:0000 0A" /proc/net/tcp6' ||
		hard_error "the TCP listeners in $1 did not start"
}

# connect NS ADDR: a new TCP connection from NS to ADDR:7000 (no source address chosen).
connect() {
	case $2 in
	*:*) cn_to="[$2]" ;;
	*) cn_to=$2 ;;
	esac
	cn_out=$(in_ns "$1" timeout 6 socat -T 2 - "TCP:$cn_to:7000,connect-timeout=2" \
		</dev/null 2>/dev/null)
	# socat writes an IPv6 address in full ([2001:0db8:...]): the greeting is the proof.
	case $cn_out in
	"hello from "*) return 0 ;;
	*) return 1 ;;
	esac
}

# far_works WHAT DEV: new connections from the host to the far side leave by DEV and get
# through, both families.
far_works() {
	for fw in "-4 $FAR4" "-6 $FAR6"; do
		set -- $fw
		G=$(ip "$1" route get "$2" 2>&1)
		assert_match "$G" " dev $DEV " "$WHAT: ip $1 route get $2 leaves by $DEV"
		connect . "$2" || fail "$WHAT: a new TCP connection to $2 failed ($G)"
	done
}

# main_defaults FAMILY: main's default routes, one a line.
main_defaults() { ip "$1" route show table main default; }

ours() {
	ip -4 rule show | grep " proto $P"
	ip -6 rule show | grep " proto $P"
	ip -4 route show table all proto 73
	ip -6 route show table all proto 73
}

# Wait until ifupdown's IPv6 addresses on $1 have left tentative (DAD runs with ifup's own
# settings, not the sandbox's).
wait_dad() {
	wait_for 10 sh -c "[ -z \"\$(ip -6 addr show dev $1 tentative)\" ]" ||
		hard_error "$1's IPv6 addresses stayed tentative"
}

listen far
listen .
snapshot . "$SR_TMP/before"

# ---- the usual order: eth0 (main's defaults) first ----
ifud_ok ifup eth0
ifud_ok ifup eth1
wait_dad eth0
wait_dad eth1
note "ip -4 route show table main default:"; sr_indent "$(main_defaults -4)"
note "ip -6 route show table main default:"; sr_indent "$(main_defaults -6)"
assert_match "$(main_defaults -4)" "^default via 198\.51\.100\.1 dev eth0" "main's own IPv4 default via eth0"
assert_match "$(main_defaults -4)" "^default via 203\.0\.113\.1 dev eth1 proto $P metric 10000[0-9][0-9]" \
	"our IPv4 fallback via eth1 behind it"
assert_match "$(main_defaults -6)" "^default via 2001:db8:a::1 dev eth0" "main's own IPv6 default via eth0"
assert_match "$(main_defaults -6)" "^default via fe80::2 dev eth1 proto $P metric 10000[0-9][0-9]" \
	"our IPv6 fallback via eth1 behind it"
WHAT="eth0 and eth1 up" DEV=eth0 far_works
sr_ok check
sr_ok status

# ---- ifdown eth0: the primary goes; main keeps a default via eth1 ----
ifud_ok ifdown eth0
note "after ifdown eth0:"; sr_indent "$(main_defaults -4; main_defaults -6)"
assert_match "$(main_defaults -4)" "^default via 203\.0\.113\.1 dev eth1 proto $P" \
	"ifdown eth0: main keeps an IPv4 default, via eth1"
assert_match "$(main_defaults -6)" "^default via fe80::2 dev eth1 proto $P" \
	"ifdown eth0: main keeps an IPv6 default, via eth1"
assert_no_match "$(main_defaults -4; main_defaults -6)" "dev eth0" "ifdown eth0: no default via eth0 left"
WHAT="ifdown eth0" DEV=eth1 far_works
sr_ok check

# ---- ifup eth0: new connections take eth0 again ----
ifud_ok ifup eth0
wait_dad eth0
WHAT="ifup eth0 again" DEV=eth0 far_works
sr_ok check

# ---- ifdown eth1 / ifup eth1 while eth0 holds main's default: nothing new connections see ----
ifud_ok ifdown eth1
assert_match "$(main_defaults -4)" "^default via 198\.51\.100\.1 dev eth0" "ifdown eth1: main's IPv4 default stays"
assert_match "$(main_defaults -6)" "^default via 2001:db8:a::1 dev eth0" "ifdown eth1: main's IPv6 default stays"
assert_no_match "$(main_defaults -4; main_defaults -6)" "dev eth1" "ifdown eth1: nothing via eth1 left in main"
WHAT="ifdown eth1" DEV=eth0 far_works
sr_ok check
ifud_ok ifup eth1
wait_dad eth1
WHAT="ifup eth1 again" DEV=eth0 far_works
sr_ok check

# ---- ifdown -a: nothing of ours is left ----
ifud_ok ifdown -a
assert_eq "" "$(ours)" "ifdown -a: no rule and no route of ours"
snapshot . "$SR_TMP/after"
assert_files_eq "$SR_TMP/before" "$SR_TMP/after" "ifdown -a: the state is the one before ifup"

# ---- the other boot order: eth1 first, then eth0 brings main's own defaults ----
ifud_ok ifup eth1
wait_dad eth1
WHAT="eth1 alone" DEV=eth1 far_works
ifud_ok ifup eth0
wait_dad eth0
WHAT="eth1, then eth0" DEV=eth0 far_works
# Healthy, whatever the order: no drift, no failure.
sr_ok check
note "symroute check:"; sr_indent "$SR_OUT"
assert_no_match "$SR_OUT" "^FAIL" "eth1 then eth0: check finds nothing wrong"
sr_ok status
assert_no_match "$SR_OUT" "DRIFT|unknown drift" "eth1 then eth0: status: every interface in sync"
# Every address answers, from the far side, by its own uplink.
for a in 198.51.100.10 203.0.113.20 2001:db8:a::10 2001:db8:b::20; do
	connect far "$a" || fail "eth1, then eth0: $a does not answer from the far side"
done

ifud_ok ifdown -a
assert_eq "" "$(ours)" "ifdown -a again: nothing of ours"
pass "main keeps a default when the uplink holding it goes away; no false alarm in either order"
