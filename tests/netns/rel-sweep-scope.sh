#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: protocol 73 alone does not make a rule symroute's to sweep (issue 18, finding 4).
# A rule with our tag that looks up a table no interface owns is swept by a run for another
# interface only at a priority symroute writes (priority, prefer-priority, the shared rule's
# suppress-priority, as configured) or when its table is in the automatic range; one of
# someone else's at another priority stays, and status and check do not call it an orphan.
# And who sweeps what (issue 17): an event for a live interface sweeps the orphans in other
# interfaces' automatic tables only when they are from its own addresses; sync every one.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"

ns_add peer
veth_pair . eth1 peer p1
addr . eth1 198.51.100.10/24
ip -4 route add default via 198.51.100.1 || hard_error "main default"
T1=$(table_of . eth1)

# Someone else's rules that carry our tag; tables 100 and 101 are empty.
ip -4 rule add priority 500 from 192.0.2.1 lookup 100 proto 73 || hard_error "rule 500"
ip -4 rule add priority 31000 from all lookup main suppress_prefixlength 0 proto 73 ||
	hard_error "shared-rule twin at 31000"
ip -4 rule add priority 30999 from all lookup main suppress_prefixlength 0 proto 73 ||
	hard_error "shared-rule twin at 30999"
# Orphans of interfaces that vanished: at our priority, and in the automatic range.
ip -4 rule add priority 31100 from 192.0.2.2 lookup 101 proto 73 || hard_error "rule 31100"
ip -4 rule add priority 31150 to 192.0.2.0/24 lookup 101 proto 73 || hard_error "rule 31150"
ip -4 rule add priority 700 from 192.0.2.3 lookup 1000099 proto 73 || hard_error "rule 700"
# An orphan of an interface recreated with a new index: from eth1's own address.
ip -4 rule add priority 31100 from 198.51.100.10 lookup 1000098 proto 73 || hard_error "rule 98"

sr_ok up eth1
R=$(ip -4 rule show)
assert_match "$R" "^500:.*from 192\.0\.2\.1 lookup 100 proto $P" "priority 500: not ours, kept"
assert_match "$R" "^30999:.*lookup main suppress_prefixlength 0 proto $P" \
	"a shared-rule twin at 30999: kept"
assert_match "$R" "^31000:.*lookup main suppress_prefixlength 0 proto $P" \
	"the shared rule at 31000 (ours, wanted)"
assert_no_match "$R" "from 192\.0\.2\.2 " "an orphan at 31100: swept"
assert_no_match "$R" "to 192\.0\.2\.0/24 " "an orphan at 31150 (prefer-priority): swept"
assert_no_match "$R" "lookup 1000098 " "an orphan in the automatic range from eth1's address: swept"
assert_match "$R" "^700:.*from 192\.0\.2\.3 lookup 1000099 proto $P" \
	"an orphan in the automatic range from another address: left to sync"
assert_match "$R" "from 198\.51\.100\.10 lookup $T1 proto $P" "eth1's own rule"
sr_ok up eth1 -n
assert_not_contains "$SR_OUT" "1000099" "up --dry-run: the same scope as up"
sr_ok sync eth1
assert_no_match "$(ip -4 rule show)" "lookup 1000099 " "an orphan in the automatic range: swept by sync"

# status and check agree: no orphan (the 500 one is not ours to call so).
sr status
assert_not_contains "$SR_OUT" "orphan" "status: no orphan listed"
sr check eth1
assert_contains "$SR_OUT" "PASS no orphan rule of ours" "check: no orphan reported"

# down: eth1's rules go, the others' stay; an orphan from another address waits for sync.
ip -4 rule add priority 700 from 192.0.2.3 lookup 1000099 proto 73 || hard_error "rule 700 again"
if command -v strace >/dev/null 2>&1; then
	# The host's address list (ifa_index 0) finds shared subnets, which only an up plans,
	# and a repeated one asks by a lookup first.
	assert_eq 0 "$(sr_requests 'RTM_GETADDR.*ifa_index=0' up eth1)" \
		"a repeated up lists no address of the host: a lookup says the subnet is not shared"
	assert_eq 0 "$(sr_requests 'RTM_GETADDR.*ifa_index=0' down eth1)" \
		"down lists none: it neither plans a subnet rule nor asks about other interfaces"
else
	sr_ok down eth1
fi
R=$(ip -4 rule show)
assert_match "$R" "^500:.*from 192\.0\.2\.1 lookup 100 proto $P" "down: priority 500 kept"
assert_match "$R" "^30999:.*suppress_prefixlength 0 proto $P" "down: the twin at 30999 kept"
assert_no_match "$R" "lookup $T1 " "down: eth1's rules gone"
assert_match "$R" "^700:.*lookup 1000099 proto $P" "down of a live interface: another's orphan left"
ip -4 rule del priority 700 from 192.0.2.3 lookup 1000099 || hard_error "rule 700 removal"

# The configured priorities are the ones: with priority = 500 the rule there is an orphan.
CONF=$SR_TMP/p500.conf
printf '[symroute]\npriority = 500\n' >"$CONF"
if command -v strace >/dev/null 2>&1; then
	assert_eq 1 "$(sr_requests 'RTM_GETADDR.*ifa_index=0' up eth1 -c "$CONF")" \
		"a first up lists the host's addresses once (IPv4: shared subnets, exactly)"
else
	sr_ok up eth1 -c "$CONF"
fi
R=$(ip -4 rule show)
assert_no_match "$R" "from 192\.0\.2\.1 " "priority = 500: the orphan at 500 swept"
assert_match "$R" "^500:.*from 198\.51\.100\.10 lookup $T1 proto $P" "eth1's rule at 500"
sr_ok down eth1 -c "$CONF"

pass "only rules at symroute's priorities, or in its automatic tables, are swept as orphans"
