#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: two interfaces in one subnet (issue 19): each address's traffic to its own subnet,
# its router among it, leaves by its own interface ("from ADDR to PREFIX" rules before the
# shared suppress rule, only where main has another interface's connected route for the
# prefix), in both families; main's other specific routes still win; a down or a vanished
# twin takes the rule away; `symroute check` sees the difference.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"

#                 203.0.113.0/24, 2001:db8:1::/64 (a bridge in ns br)
#  server eth0 .5 / ::5 ----+
#         eth1 .6 / ::6 ----+---- pe  peer   .9 / ::9
#                           +---- rt  router .1 / ::1  --- 198.51.100.0/24, 2001:db8:2::/64 --- cl .10 / ::10
#  server dock0 192.0.2.129/25 --- ct .130 (a container network: main's 192.0.2.128/25 keeps winning)
for ns in br pe rt cl ct; do
	ns_add "$ns"
done
ip_ns br link add br0 type bridge || hard_error "bridge"
ip_ns br link set br0 up || hard_error "bridge up"
veth_pair . eth0 br p0
veth_pair . eth1 br p1
veth_pair pe eth0 br p2
veth_pair rt lan br p3
veth_pair rt wan cl eth0
for p in p0 p1 p2 p3; do
	ip_ns br link set "$p" master br0 || hard_error "bridge port $p"
done
addr . eth0 203.0.113.5/24 2001:db8:1::5/64
addr . eth1 203.0.113.6/24 2001:db8:1::6/64
addr pe eth0 203.0.113.9/24 2001:db8:1::9/64
addr rt lan 203.0.113.1/24 2001:db8:1::1/64
addr rt wan 198.51.100.1/24 2001:db8:2::1/64
addr cl eth0 198.51.100.10/24 2001:db8:2::10/64
veth_pair . dock0 ct eth0
addr . dock0 192.0.2.129/25
addr ct eth0 192.0.2.130/25
ip_ns . -4 route add default via 203.0.113.1 dev eth0 || hard_error "default route"
ip_ns . -6 route add default via 2001:db8:1::1 dev eth0 || hard_error "default route v6"
ip_ns pe -4 route add default via 203.0.113.1 || hard_error "peer route"
ip_ns cl -4 route add default via 198.51.100.1 || hard_error "client route"
ip_ns cl -6 route add default via 2001:db8:2::1 || hard_error "client route v6"
ns_sysctl rt net.ipv4.ip_forward 1
ns_sysctl rt net.ipv6.conf.all.forwarding 1
settle . br pe rt cl ct
T0=$(table_of . eth0)
T1=$(table_of . eth1)

# dev_of FROM TO [-6]: the interface `ip route get TO from FROM` leaves by.
dev_of() { ip_ns . ${3:-} route get "$2" from "$1" | sed -n 's/.* dev \([^ ]*\).*/\1/p' | head -n 1; }

# Both uplinks, as the issue's user did.
for i in eth0 eth1; do
	sr_ok up "$i" --gateway 203.0.113.1 --gateway 2001:db8:1::1 --arp-ignore --arp-announce
done
R4=$(rules . -4)
R6=$(rules . -6)
note "ip -4 rule:"; sr_indent "$R4"
assert_match "$R4" "^30900:	from 203\.0\.113\.6 to 203\.0\.113\.0/24 lookup $T1 proto $P\$" "eth1's subnet rule"
assert_match "$R6" "^30900:	from 2001:db8:1::6 to 2001:db8:1::/64 lookup $T1 proto $P\$" "eth1's IPv6 subnet rule"
# By default main's connected routes are read (a dump filtered by origin): eth0 gets its rule
# too, whichever route comes first. narrow = true (core-narrow.sh) walks no table and asks one
# lookup per prefix: it sees the other interface's route only where it wins, here eth0's
# (added first), so only eth1 needs and gets the rule.
case ${SR_CONFIG_TEXT:-} in
*narrow*=*true*)
	assert_no_match "$R4" "^30900:	from 203\.0\.113\.5 " "narrow: eth0's own route wins, no rule"
	assert_no_match "$R6" "^30900:	from 2001:db8:1::5 " "narrow: eth0's own route wins, no IPv6 rule"
	n_subnet=1 ;;
*)
	assert_match "$R4" "^30900:	from 203\.0\.113\.5 to 203\.0\.113\.0/24 lookup $T0 proto $P\$" "eth0's subnet rule"
	assert_match "$R6" "^30900:	from 2001:db8:1::5 to 2001:db8:1::/64 lookup $T0 proto $P\$" "eth0's IPv6 subnet rule"
	n_subnet=2 ;;
esac
assert_count "$R4" "^30900:" "$n_subnet" "no subnet rule for a prefix nobody shares (dock0)"

# Route lookups: FROM TO DEV, every address to the peer, the router and the far side.
while read -r from to dev fam; do
	got=$(dev_of "$from" "$to" "$fam")
	assert_eq "$dev" "$got" "ip route get $to from $from"
done <<EOF
203.0.113.5 203.0.113.9 eth0 -4
203.0.113.5 203.0.113.1 eth0 -4
203.0.113.5 198.51.100.10 eth0 -4
203.0.113.6 203.0.113.9 eth1 -4
203.0.113.6 203.0.113.1 eth1 -4
203.0.113.6 198.51.100.10 eth1 -4
203.0.113.6 192.0.2.130 dock0 -4
203.0.113.5 192.0.2.130 dock0 -4
2001:db8:1::5 2001:db8:1::9 eth0 -6
2001:db8:1::5 2001:db8:1::1 eth0 -6
2001:db8:1::5 2001:db8:2::10 eth0 -6
2001:db8:1::6 2001:db8:1::9 eth1 -6
2001:db8:1::6 2001:db8:1::1 eth1 -6
2001:db8:1::6 2001:db8:2::10 eth1 -6
EOF

# A repeated up sends nothing, eth0's (its own route wins, its rule stays) as eth1's.
monitor_start
sr_ok up eth1 --gateway 203.0.113.1 --gateway 2001:db8:1::1 --arp-ignore --arp-announce
sr_ok up eth0 --gateway 203.0.113.1 --gateway 2001:db8:1::1 --arp-ignore --arp-announce
monitor_stop
assert_eq "" "$MON_EVENTS" "a repeated up changes nothing"
assert_eq "$R4" "$(rules . -4)" "repeated ups: the IPv4 rules as they were"
assert_eq "$R6" "$(rules . -6)" "repeated ups: the IPv6 rules as they were"
# What a repeated up reads to find shared subnets: one lookup per prefix, and the list of the
# host's addresses (ifa_index 0) only where the lookup's answer is not what the table was
# written with. eth1: eth0's route wins, the subnet is shared, as written: no list. eth0: its
# own route wins, but its rules were written with the subnet rule: the list, per family.
if command -v strace >/dev/null 2>&1; then
	case ${SR_CONFIG_TEXT:-} in
	*narrow*=*true*) lists0=0 ;;
	*) lists0=2 ;;
	esac
	for i in eth1:0 "eth0:$lists0"; do
		assert_eq "${i#*:}" "$(sr_requests 'RTM_GETADDR.*ifa_index=0' up "${i%:*}" \
			--gateway 203.0.113.1 --gateway 2001:db8:1::1 --arp-ignore --arp-announce)" \
			"a repeated up of ${i%:*} lists the host's addresses ${i#*:} times"
	done
fi

# A real exchange: the peer connects to each address; the replies leave by its interface,
# none by the other (a capture of the TCP segments each address sends).
tcp_listen .
for pair in "203.0.113.5 eth0 eth1" "203.0.113.6 eth1 eth0"; do
	set -- $pair
	capture_start . "$2" "tcp and src host $1"
	capture_start . "$3" "tcp and src host $1"
	out=$(tcp_try pe "$1") || fail "the peer's connection to $1 failed: '$out'"
	n_own=$(capture_count . "$2" 203.0.113.9)
	n_other=$(capture_count . "$3" 203.0.113.9)
	note "$1: $n_own segment(s) on $2, $n_other on $3"
	[ "$n_own" -ge 2 ] || fail "the replies of $1 did not leave by $2 ($n_own)"
	assert_eq 0 "$n_other" "no reply of $1 leaves by $3"
done
out=$(tcp_try cl 203.0.113.6) || fail "the far client's connection to 203.0.113.6 failed: '$out'"

sr_ok check
note "symroute check:"; sr_indent "$SR_OUT"
assert_match "$SR_OUT" "^PASS eth1 IPv4 from 203\.0\.113\.6 to 203\.0\.113\.2 \(its subnet 203\.0\.113\.0/24\) leaves by eth1" \
	"check looks up the subnet"
assert_match "$SR_OUT" "^PASS eth1 IPv4 from 203\.0\.113\.6 to 203\.0\.113\.1 \(its gateway\) leaves by eth1 \(table $T1\)" \
	"check looks up the gateway"
assert_match "$SR_OUT" "^PASS eth1 IPv6 from 2001:db8:1::6 to 2001:db8:1::1 \(its gateway\) leaves by eth1" \
	"check looks up the IPv6 gateway"

# The state the issue found (no subnet rules): check fails, naming the address, the
# interface it leaves by and why; the next up puts it right.
ip_ns . -4 rule del priority 30900 from 203.0.113.6 to 203.0.113.0/24 || fail "rule del"
assert_eq eth0 "$(dev_of 203.0.113.6 203.0.113.1)" "without the rule the router is reached by eth0"
sr_expect 7 check
note "symroute check:"; sr_indent "$SR_OUT"
assert_match "$SR_OUT" "^FAIL eth1 IPv4 from 203\.0\.113\.6 to 203\.0\.113\.1 \(its gateway\) leaves by eth0 \(table main\), not by eth1: our rule 'priority 31000 from all lookup main suppress_prefixlength 0 proto 73' lets table main's route '203\.0\.113\.0/24 dev eth0 .*' win" \
	"check names the address, the interface and the guard"
assert_match "$SR_OUT" "^FAIL eth1 IPv4 from 203\.0\.113\.6 to 203\.0\.113\.2 \(its subnet 203\.0\.113\.0/24\) leaves by eth0" \
	"check names the subnet lookup"
assert_no_match "$SR_OUT" "^FAIL eth0 IPv4 from" "eth0's own lookups are right"
sr_ok up eth1 --gateway 203.0.113.1 --gateway 2001:db8:1::1
sr_ok check

# Down of eth0: its rules go, eth1 stays right; eth1's rule stays while eth0's connected
# route is in main (eth0 is still up, unmanaged now).
sr_ok down eth0
R4=$(rules . -4)
assert_no_match "$R4" "from 203\.0\.113\.5 " "eth0's rules are gone"
assert_match "$R4" "^30900:	from 203\.0\.113\.6 to 203\.0\.113\.0/24 lookup $T1 " "eth1's subnet rule stays"
assert_eq eth1 "$(dev_of 203.0.113.6 203.0.113.9)" "eth1 to the peer after eth0's down"
assert_eq eth1 "$(dev_of 2001:db8:1::6 2001:db8:1::1 -6)" "eth1 to the IPv6 router after eth0's down"

# eth0 goes away: the prefix is eth1's alone, its next event takes the subnet rules away.
ip_ns . link del eth0 || hard_error "link del"
sr_ok up eth1 --gateway 203.0.113.1 --gateway 2001:db8:1::1
assert_no_match "$(rules . -4)" "^30900:" "no IPv4 subnet rule once the subnet is not shared"
assert_no_match "$(rules . -6)" "^30900:" "no IPv6 subnet rule once the subnet is not shared"
assert_eq eth1 "$(dev_of 203.0.113.6 203.0.113.9)" "eth1 to the peer alone"
sr_ok check
sr_ok down eth1
assert_eq 0 "$(rules . -4 | grep -c "proto $P")" "nothing of ours is left"
pass "two interfaces in one subnet answer it each by their own, in both families"
