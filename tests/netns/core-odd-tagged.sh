#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: a rule or route with symroute's tag but a shape symroute never makes (an extra
# selector, a multipath next hop) is someone else's: up and down leave it byte-identical,
# and the wanted twin of such a rule is neither deleted in its place nor duplicated.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"

topo_two_uplinks
T1=$(table_of . eth1)

sr_ok up eth1 --gateway 203.0.113.1 -4
# Same from, table, priority and tag as ours, plus an iif selector: a delete that names only
# our fields would match it too, so symroute must not try to delete it.
ip_ns . rule add priority 31100 from 203.0.113.20 iif eth0 lookup "$T1" proto "$P" ||
	hard_error "cannot add the odd rule"
ODD="from 203.0.113.20 iif eth0 lookup $T1 proto $P"
sr_ok up eth1 --gateway 203.0.113.1 -4
R=$(ip -4 rule show)
assert_contains "$R" "$ODD" "up: the odd rule is left alone"
assert_match "$R" "^31100:[[:space:]]+from 203\.0\.113\.20 lookup $T1 proto $P ?\$" \
	"up: our own rule is still there"
assert_count "$R" "from 203.0.113.20 lookup $T1 proto $P" 1 "up: and only once"

sr_ok down eth1 -4
R=$(ip -4 rule show)
assert_contains "$R" "$ODD" "down: the odd rule is left alone"
assert_no_match "$R" "from 203\.0\.113\.20 lookup $T1 proto $P ?\$" "down: our own rule is gone"
ip_ns . rule del priority 31100 from 203.0.113.20 iif eth0 lookup "$T1" proto "$P"
pass "objects with our tag but not our shape are never touched"
