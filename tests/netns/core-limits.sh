#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: bounds are never silent. An interface with more addresses than symroute handles
# per event (EVENT_MAX_ADDRS, 32) is either routed for completely or refused with a message
# and no change; it is never half-managed behind an exit status of 0.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"

topo_two_uplinks v6
T1=$(table_of . eth1)

# all_or_refused N WHAT: after `symroute up eth1 -6`, either every one of eth1's N global
# IPv6 addresses has its rule, or the run failed loudly and changed nothing.
all_or_refused() {
	if [ "$SR_RC" = 0 ]; then
		R=$(ip -6 rule show)
		for a in $(ip -6 -o addr show dev eth1 scope global | awk '{ sub(/\/.*/, "", $4); print $4 }'); do
			assert_match "$R" "from $(re_quote "$a") lookup $T1 proto $P" \
				"$2: exit 0, so $a (one of $1 addresses) must have its rule"
		done
	else
		note "$2: refused, exit $SR_RC: $SR_ERR"
		[ -n "$SR_ERR" ] || fail "$2: exit $SR_RC without a message"
		snapshot . "$SR_TMP/s"
		assert_files_eq "$SR_TMP/s0" "$SR_TMP/s" "$2: refused, so nothing changed"
	fi
}

# 32 addresses (2001:db8:b::20 and 31 more): within the bound, all routed.
i=1
while [ $i -le 31 ]; do
	addr . eth1 "2001:db8:b::1:$i/64"
	i=$((i + 1))
done
settle .
snapshot . "$SR_TMP/s0"
sr_ok up eth1 -6 --gateway fe80::1
assert_count "$(ip -6 rule show)" "lookup $T1 proto $P" 32 "32 addresses: 32 rules"
sr_ok down eth1

# 41 addresses: past the bound.
while [ $i -le 40 ]; do
	addr . eth1 "2001:db8:b::1:$i/64"
	i=$((i + 1))
done
settle .
snapshot . "$SR_TMP/s0"
sr up eth1 -6 --gateway fe80::1
all_or_refused 41 "41 addresses from the kernel"
sr_ok down eth1

pass "past the per-event address bound: all or refused, never silently partial"
