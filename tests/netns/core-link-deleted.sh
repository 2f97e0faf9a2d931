#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: an interface deleted without `symroute down` leaves its rules behind (the kernel
# removes routes with the device, never rules); the next symroute run that reads the rules
# sweeps them: sync, down, or an up whose table does not vouch for its rules (a first up).
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"

topo_two_uplinks v6
T0=$(table_of . eth0)
T1=$(table_of . eth1)

sr_ok up eth0 --gateway 198.51.100.1 --gateway 2001:db8:a::1
sr_ok up eth1 --gateway 203.0.113.1 --gateway fe80::1

# 1. eth1 disappears; a repeated up of eth0 reads no rule (its table vouches for its own) and
# leaves them; sync of eth0 reads them all and sweeps.
ip_ns . link del eth1 || hard_error "cannot delete eth1"
R=$(ip -4 rule show; ip -6 rule show)
assert_count "$R" "lookup $T1 proto $P" 2 \
	"precondition: the kernel kept eth1's rules after the link went away"
sr_ok up eth0 --gateway 198.51.100.1 --gateway 2001:db8:a::1
assert_count "$(ip -4 rule show; ip -6 rule show)" "lookup $T1 proto $P" 2 \
	"a repeated up of eth0 leaves them (its rules unread)"
sr_ok sync eth0
R=$(ip -4 rule show; ip -6 rule show)
assert_not_contains "$R" "lookup $T1" "sync of eth0 swept the rules of the deleted eth1"
assert_count "$R" "lookup $T0 proto $P" 2 "eth0's rules stay"
assert_count "$R" "suppress_prefixlength 0 proto $P" 2 "the shared rules stay (eth0 is managed)"

# 1b. An interface of the same name comes back (a new ifindex, so a new table); its up
# leaves nothing pointing at the old table.
veth_pair . eth1 rb srv1
addr . eth1 203.0.113.20/25 2001:db8:b::20/64
T1b=$(table_of . eth1)
[ "$T1b" != "$T1" ] || hard_error "the new eth1 got the old ifindex; cannot tell tables apart"
ip_ns . -4 rule add priority 31100 from 203.0.113.20 lookup "$T1" proto 73	# as if left over
sr_ok up eth1 --gateway 203.0.113.1 --gateway fe80::1
R=$(ip -4 rule show; ip -6 rule show)
assert_not_contains "$R" "lookup $T1 " "the new eth1's up swept the old eth1's leftover rule"
assert_count "$R" "from (203\.0\.113\.20|2001:db8:b::20) lookup $T1b proto $P" 2 "the new eth1's rules"
sr_ok down eth1
ip_ns . link del eth1

# 2. eth2 appears, is managed, disappears; `symroute down eth2` (a name the kernel no
# longer knows) sweeps its rules. Its exit status is reported, not judged: 0 (nothing left
# to do) and 3 (no such interface) are both defensible.
veth_pair . eth2 rb srv2
addr . eth2 203.0.113.60/25
addr rb srv2 203.0.113.61/25
T2=$(table_of . eth2)
sr_ok up eth2 --gateway 203.0.113.61 -4
assert_contains "$(ip -4 rule show)" "lookup $T2 proto $P" "eth2 up: its rule"
ip_ns . link del eth2 || hard_error "cannot delete eth2"
assert_contains "$(ip -4 rule show)" "lookup $T2 proto $P" "precondition: eth2's rule outlived eth2"
sr down eth2
note "symroute down eth2 (deleted): exit $SR_RC; stderr: $SR_ERR"
case $SR_RC in 0 | 3) ;; *) fail "symroute down of a deleted interface exited $SR_RC" ;; esac
assert_not_contains "$(ip -4 rule show)" "lookup $T2" "down of the deleted eth2 swept its rule"
assert_count "$(ip -4 rule show)" "lookup $T0 proto $P" 1 "eth0's IPv4 rule stays"

# 3. The last managed interface disappears: a run with nothing left to manage removes the
# shared rules as well.
ip_ns . link del eth0 || hard_error "cannot delete eth0"
sr down eth0
note "symroute down eth0 (deleted): exit $SR_RC; stderr: $SR_ERR"
case $SR_RC in 0 | 3) ;; *) fail "symroute down of a deleted interface exited $SR_RC" ;; esac
snapshot . "$SR_TMP/s"
assert_not_contains "$(cat "$SR_TMP/s")" "proto $P" "nothing of ours remains, shared rules included"

pass "rules of deleted interfaces are swept by the next run that reads the rules"
