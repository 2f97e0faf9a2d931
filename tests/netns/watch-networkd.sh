#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: a systemd-networkd host (no hook of ours runs there) under `symroute watch`: the real
# systemd-networkd configures a static primary uplink and a DHCP + router advertisement
# backup; within 2 s of networkd's lease and of its RA default the watcher has our rules and
# tables for them, the far side reaches every address through ISPs dropping foreign sources,
# and when networkd stops and takes its lease away, the watcher takes ours away.
#
# lib.sh's two ISPs and far host (isps_far_side), the host's ends eth0 (to router A) and eth1
# (to router B) left down for networkd, as at boot. Router B serves DHCP (dnsmasq) and
# advertises 2001:db8:b::/64 from fe80::2 (radvd); both routers drop foreign sources, IPv6
# included (ws_bcp38_v6), so an answer from eth1's addresses leaving by the primary eth0 is lost.
#
# networkd runs without systemd as PID 1 (checked with Debian 12's 252): as root in this
# sandbox, which has its own /run; with a read-only /sys (else it waits for udev, which does
# not run here); /run/systemd/netif owned by its user, systemd-network; no D-Bus (it waits for
# a bus that never comes and works without one: nothing here uses networkctl); its .network
# files in /run/systemd/network; and a private /etc/systemd whose networkd.conf says
# ManageForeignRoutingPolicyRules=no and ManageForeignRoutes=no, as symroute(8) and
# `symroute check` ask of a host running both. Where systemd-networkd is not installed (or has
# no systemd-network user), the test says so and makes the same changes networkd would
# (addresses, defaults with proto static, dhcp and ra), so the watcher is still tested
# (SR_NETWORKD_STANDIN=1 does the same where networkd is installed).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/watch-stacks-lib.sh"
sandbox_enter "$@"
"$SYMROUTE" --help 2>&1 | grep -q 'watch' || skip "$SYMROUTE has no watch command"

ND=
for p in /lib/systemd/systemd-networkd /usr/lib/systemd/systemd-networkd; do
	[ -x "$p" ] && { ND=$p; break; }
done
STANDIN=
if [ -n "${SR_NETWORKD_STANDIN:-}" ]; then
	STANDIN="SR_NETWORKD_STANDIN is set"	# to check the stand-in where networkd runs
elif [ -z "$ND" ]; then
	STANDIN="systemd-networkd is not installed"
elif ! getent passwd systemd-network >/dev/null 2>&1; then
	STANDIN="there is no systemd-network user (networkd drops privileges to it)"
fi
command -v dnsmasq >/dev/null 2>&1 || [ -n "$STANDIN" ] || skip "dnsmasq not installed"
V6=yes
if [ -z "$STANDIN" ] && ! command -v radvd >/dev/null 2>&1; then
	V6=
	note "radvd not installed: IPv4 (DHCP) only"
fi

ns_add ra
ns_add rb
veth_pair . eth0 ra srv 02:00:00:00:00:01
veth_pair . eth1 rb srv 02:00:00:00:00:02
ip link set eth0 down && ip link set eth1 down || hard_error "cannot take eth0 and eth1 down"
isps_far_side
ws_router_ll rb srv fe80::2
ws_bcp38_v6 ra srv 2001:db8:a::/64
ws_bcp38_v6 rb srv 2001:db8:b::/64

# ---- networkd's configuration: the primary static, the backup by DHCP and RA ----
if [ -z "$STANDIN" ]; then
	[ -d /etc/systemd ] || hard_error "no /etc/systemd to lay a private one over"
	mount -t tmpfs -o mode=755 symroute-test-etc-systemd /etc/systemd ||
		hard_error "cannot mount over /etc/systemd"
	if [ -d /usr/lib/systemd/networkd.conf.d ]; then
		mount -t tmpfs symroute-test-lib /usr/lib/systemd/networkd.conf.d ||
			hard_error "cannot hide /usr/lib/systemd/networkd.conf.d"
	fi
	printf '[Network]\nManageForeignRoutingPolicyRules=no\nManageForeignRoutes=no\n' \
		>/etc/systemd/networkd.conf
	mkdir -p /run/systemd/network /run/systemd/netif/links /run/systemd/netif/leases \
		/run/systemd/netif/lldp || hard_error "cannot populate /run/systemd"
	chown -R systemd-network:systemd-network /run/systemd/netif ||
		hard_error "cannot give /run/systemd/netif to systemd-network"
	cat >/run/systemd/network/50-eth0.network <<-'EOF'
	[Match]
	Name=eth0

	[Network]
	Address=198.51.100.10/25
	Address=2001:db8:a::10/64
	LinkLocalAddressing=no
	IPv6AcceptRA=no

	[Route]
	Gateway=198.51.100.1
	Metric=100

	[Route]
	Gateway=2001:db8:a::1
	Metric=100
	EOF
	ND_RA=no ND_LL=no
	[ -n "$V6" ] && ND_RA=yes ND_LL=ipv6
	cat >/run/systemd/network/50-eth1.network <<-EOF
	[Match]
	Name=eth1

	[Network]
	DHCP=ipv4
	IPv6AcceptRA=$ND_RA
	LinkLocalAddressing=$ND_LL

	[DHCPv4]
	RouteMetric=200
	UseDNS=no
	UseNTP=no
	UseHostname=no

	[IPv6AcceptRA]
	RouteMetric=200
	UseDNS=no
	EOF
	# networkd waits for udev unless /sys is read-only (the sandbox's own sysfs mount).
	mount -o remount,bind,ro /sys || hard_error "cannot make the sandbox's /sys read-only"
fi

# ---- router B: DHCP and router advertisements ----
if [ -z "$STANDIN" ]; then
	bg_start rb dnsmasq --keep-in-foreground --conf-file=/dev/null --no-hosts --no-resolv \
		--port=0 --user=root --group=root --no-ping --pid-file= \
		--interface=srv --bind-interfaces --except-interface=lo \
		--dhcp-range=203.0.113.50,203.0.113.60,255.255.255.128,2m \
		--dhcp-option=option:router,203.0.113.1 --dhcp-leasefile="$SR_TMP/leases" \
		--log-dhcp --log-facility=- >>"$SR_TMP/dnsmasq.log" 2>&1
	[ -n "$V6" ] && ws_radvd rb srv b 2001:db8:b::/64
fi

hello_listen far
hello_listen .
ws_monitor_start
# The watcher first, as at boot (symroute-watch.service runs before network-pre.target).
ws_watch_start
T0=$(table_of . eth0)
T1=$(table_of . eth1)
# Nothing to do yet: no uplink is up.
assert_no_match "$(ip -4 rule show; ip -6 rule show)" "proto $P" "no rule of ours before the network"

if [ -z "$STANDIN" ]; then
	bg_start . env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$ND" >"$SR_TMP/networkd.log" 2>&1
	ND_PID=$BG_PID
	note "$ND running (pid $ND_PID)"
else
	note "systemd-networkd not run ($STANDIN): making its changes by hand"
	ip link set eth0 up && ip link set eth1 up || hard_error "cannot bring eth0 and eth1 up"
	addr . eth0 198.51.100.10/25 2001:db8:a::10/64
	ip -4 route add default via 198.51.100.1 dev eth0 proto static metric 100 &&
		ip -6 route add default via 2001:db8:a::1 dev eth0 proto static metric 100 ||
		hard_error "the stand-in's static defaults"
	ip -4 addr add 203.0.113.50/25 dev eth1 valid_lft 120 preferred_lft 120 &&
		ip -4 route add default via 203.0.113.1 dev eth1 proto dhcp src 203.0.113.50 metric 200 ||
		hard_error "the stand-in's lease"
	if [ -n "$V6" ]; then
		ip -6 addr add 2001:db8:b::ff:fe00:2/64 dev eth1 valid_lft 3600 preferred_lft 1800 \
			nodad && ip -6 route add default via fe80::2 dev eth1 proto ra metric 200 expires 60 ||
			hard_error "the stand-in's SLAAC address and RA default"
	fi
fi

# networkd's work, as an administrator sees it. The watcher is not waited for here: its
# reaction is measured between the kernel's messages below.
nd_state() {
	echo "## networkd's log (tail)"; tail -15 "$SR_TMP/networkd.log" 2>/dev/null
	echo "## addresses"; ip -o addr show | grep -v ' lo '
	echo "## main"; ip -4 route show table main; ip -6 route show table main
	echo "## rules"; ip -4 rule show; ip -6 rule show
	echo "## the watcher's log"; ws_watch_log
}
lease_here() { ip -4 route show table main default dev eth1 proto dhcp | grep -q 'via 203\.0\.113\.1 '; }
wait_for 10 lease_here || fail "no DHCP default via eth1 in main:
$(nd_state)"
A1=$(ip -4 -o addr show dev eth1 | sed -n 's/.* inet \(203\.0\.113\.[0-9]*\)\/25 .*/\1/p')
[ -n "$A1" ] || fail "eth1 has a DHCP default but no lease address: $(ip -4 addr show dev eth1)"
note "networkd's lease: $A1; main: $(ip -4 route show table main default | tr '\n' ';')"

rule_of() { ip "-$1" rule show | grep -qE "^[0-9]+:[[:space:]]+from $(re_quote "$2") lookup $3 proto $P"; }
default_of() { ip "-$1" route show table "$3" | grep -qE "^default via $(re_quote "$2") dev $4 proto $P"; }

wait_for 2 rule_of 4 "$A1" "$T1" || fail "no rule for the lease $A1 within 2 s:
$(nd_state)"
wait_for 2 default_of 4 203.0.113.1 "$T1" eth1 || fail "no default via 203.0.113.1 in table $T1:
$(ip -4 route show table "$T1" 2>&1)"
ws_reaction "IPv4 lease $A1" "^\[[^]]*\] default via 203\.0\.113\.1 dev eth1 proto dhcp" \
	"^\[[^]]*\] [0-9]+:[[:space:]]+from $(re_quote "$A1") lookup $T1 "
[ "$WS_MS" -le 2000 ] || fail "the lease's rule came $WS_MS ms after the lease (target: 2 s)"
assert_match "$(cat "$SR_TMP/watch.log")" "watch: eth1 IPv4: up \([0-9]+ changes?\)" \
	"the watcher logs its action on eth1"

# The primary: networkd's static defaults (proto static) make eth0 an uplink too.
wait_for 2 rule_of 4 198.51.100.10 "$T0" || fail "no rule for eth0's 198.51.100.10:
$(nd_state)"
wait_for 2 default_of 4 198.51.100.1 "$T0" eth0 || fail "no default via 198.51.100.1 in table $T0"

if [ -n "$V6" ]; then
	ra_here() { ip -6 route show table main default dev eth1 proto ra | grep -q 'via fe80::2 '; }
	wait_for 10 ra_here || fail "no RA default via fe80::2 dev eth1 in main:
$(nd_state)
  radvd:
$(tail -5 "$SR_TMP/radvd-b.log")"
	A6=$(ip -6 -o addr show dev eth1 scope global | sed -n 's/.* inet6 \(2001:db8:b::[0-9a-f:]*\)\/64 .*/\1/p' | head -1)
	[ -n "$A6" ] || fail "eth1 has an RA default but no SLAAC address: $(ip -6 addr show dev eth1)"
	note "networkd's SLAAC address: $A6"
	wait_for 2 rule_of 6 "$A6" "$T1" || fail "no IPv6 rule for $A6 within 2 s:
$(nd_state)"
	wait_for 2 default_of 6 fe80::2 "$T1" eth1 ||
		fail "no IPv6 default via fe80::2 in table $T1: $(ip -6 route show table "$T1" 2>&1)"
	# The cause is whichever came last of the address and the RA default (both are needed).
	c_addr=$(ws_event_time "^\[[^]]*\] [0-9]+: eth1 +inet6 $(re_quote "$A6")/64 ")
	c_def=$(ws_event_time "^\[[^]]*\] default via fe80::2 dev eth1 proto ra")
	if [ "$(awk -v a="$c_addr" -v d="$c_def" 'BEGIN { print (a > d) }')" = 1 ]; then
		ws_reaction "IPv6 SLAAC address $A6" "^\[[^]]*\] [0-9]+: eth1 +inet6 $(re_quote "$A6")/64 " \
			"^\[[^]]*\] [0-9]+:[[:space:]]+from $(re_quote "$A6") lookup $T1 "
	else
		ws_reaction "IPv6 RA default via fe80::2" "^\[[^]]*\] default via fe80::2 dev eth1 proto ra" \
			"^\[[^]]*\] [0-9]+:[[:space:]]+from $(re_quote "$A6") lookup $T1 "
	fi
	[ "$WS_MS" -le 2000 ] || fail "the SLAAC address's rule came $WS_MS ms late (target: 2 s)"
	assert_match "$(cat "$SR_TMP/watch.log")" "watch: eth1 IPv6: up \([0-9]+ changes?\)" \
		"the watcher logs its IPv6 action on eth1"
	wait_for 2 rule_of 6 2001:db8:a::10 "$T0" || fail "no IPv6 rule for eth0's 2001:db8:a::10"
fi

note "after networkd's configuration:"; sr_indent "$(nd_state)"

# What a user checks: every address answers the far side, through its own ISP.
for a in 198.51.100.10 "$A1" ${V6:+2001:db8:a::10 "$A6"}; do
	hello_connect far "$a" || fail "no answer from $a to the far side:
$(nd_state)"
done
sr_ok status
assert_match "$SR_OUT" "^watcher: running \(pid $WATCH_PID\) since " "status names the watcher"
sr_ok check

# ---- networkd stops: it releases the lease and removes what it configured ----
if [ -z "$STANDIN" ]; then
	bg_stop "$ND_PID"
else
	ip -4 route del default via 203.0.113.1 dev eth1 proto dhcp && ip -4 addr flush dev eth1 ||
		hard_error "the stand-in's release"
fi
wait_for 10 sh -c '! ip -4 addr show dev eth1 | grep -q " inet "' ||
	fail "eth1 kept its IPv4 address after networkd stopped: $(ip -4 addr show dev eth1)"
wait_for 2 sh -c "! ip -4 rule show | grep -q 'lookup $T1 '" ||
	fail "the watcher left eth1's IPv4 rule after its lease went:
$(nd_state)"
assert_match "$(cat "$SR_TMP/watch.log")" "watch: eth1 IPv4: no global address left, down" \
	"the watcher logs eth1 going down"
# networkd 252 leaves the SLAAC address and the RA default in place when it stops (they
# expire), so eth1 stays an IPv6 uplink: only IPv4 is asserted here.
note "after networkd stopped:"; sr_indent "$(ip -o addr show dev eth1; ip -6 route show table main default; ip -4 rule show; ip -6 rule show)"

# The watcher stops on SIGTERM and leaves everything as it is.
ip -4 rule show >"$SR_TMP/rules-before"; ip -6 rule show >>"$SR_TMP/rules-before"
ws_watch_stop
ip -4 rule show >"$SR_TMP/rules-after"; ip -6 rule show >>"$SR_TMP/rules-after"
assert_files_eq "$SR_TMP/rules-before" "$SR_TMP/rules-after" "the rules after the watcher stopped"
pass "systemd-networkd${STANDIN:+ (stand-in: $STANDIN)} under the watcher: rules within 2 s, answers through each ISP, removed with the lease"
