#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: check's sysctl hint for an interface with a dot in its name (a VLAN, eth1.100)
# spells the key as sysctl needs it (net.ipv4.conf.eth1/100.rp_filter), and it runs.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"
command -v sysctl >/dev/null 2>&1 || skip "sysctl (procps) not installed"

topo_two_uplinks
# The usual name of VLAN 100 on eth1; a veth carries it here (no 8021q module needed).
ip link set eth1 down && ip link set eth1 name eth1.100 && ip link set eth1.100 up ||
	hard_error "cannot rename eth1"
wait_for 5 sh -c "ip -4 route show dev eth1.100 | grep -q '^203\.0\.113\.0/25'" ||
	hard_error "eth1.100's connected route did not come back"
sr_ok up eth0
sr_ok up eth1.100 --gateway 203.0.113.1

sr check eth1.100
note "symroute check eth1.100:"; sr_indent "$SR_OUT"
assert_match "$SR_OUT" "^(PASS|FAIL) eth1\.100 rp_filter .* \| sysctl net\.ipv4\.conf\.all\.rp_filter net\.ipv4\.conf\.eth1/100\.rp_filter\$" \
	"the hint spells eth1.100 as eth1/100"
CMD=$(printf '%s\n' "$SR_OUT" | sed -n 's/^[A-Z]* eth1\.100 rp_filter .* | //p')
note "running: $CMD"
OUT=$($CMD 2>&1) || fail "the hint '$CMD' does not run: $OUT"
assert_match "$OUT" "^net\.ipv4\.conf\.eth1/100\.rp_filter = [0-2]\$" "the hint shows eth1.100's rp_filter"
# What the hint said before: sysctl reads the dots as separators and finds nothing.
if sysctl net.ipv4.conf.eth1.100.rp_filter >/dev/null 2>&1; then
	fail "sysctl found net.ipv4.conf.eth1.100.rp_filter: the old spelling works after all?"
fi

pass "check's sysctl hint for eth1.100 is one that sysctl runs"
