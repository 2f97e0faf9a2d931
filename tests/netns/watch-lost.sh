#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: issue 15: when the kernel drops notifications (ENOBUFS), the watcher reads every
# interface again: an uplink whose default arrived among the lost messages is still managed,
# and the watcher neither crashes nor stops watching.
#
#	eth1  198.51.100.10/24 ---- srv (ns ra) 198.51.100.1
#	eth2  203.0.113.20/25  ---- srv (ns rb) 203.0.113.1
#
# The watcher is stopped (SIGSTOP) while 20,000 defaults are added to main via eth1 (each a
# notification its socket filter must keep: a default in main that is not ours), far more
# than its receive buffer holds; eth2's default (proto dhcp) comes in the same burst, and the
# 20,000 go again. Resumed, the watcher finds its queue overflowed, says so, and its full
# pass gives eth2 its rule and table.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"

ns_add ra
ns_add rb
veth_pair . eth1 ra srv
veth_pair . eth2 rb srv
addr ra srv 198.51.100.1/24
addr rb srv 203.0.113.1/25
addr . eth1 198.51.100.10/24
addr . eth2 203.0.113.20/25
settle . ra rb
ip_ns . -4 route add default via 198.51.100.1 dev eth1 proto dhcp || hard_error "eth1's default"

T1=$(table_of . eth1)
T2=$(table_of . eth2)
has_rule() { ip -4 rule show | grep -q "from $1 lookup $2 "; }

"$SYMROUTE" watch >"$SR_TMP/watch.log" 2>&1 &
WATCH=$!
SR_PIDS="$SR_PIDS $WATCH"
wait_for 2 has_rule 198.51.100.10 "$T1" || fail "the watcher did not manage eth1: $(cat "$SR_TMP/watch.log")"

# The burst, with the watcher unable to read.
kill -STOP "$WATCH"
i=1
while [ $i -le 20000 ]; do
	echo "route add default via 198.51.100.1 dev eth1 proto static metric $((i + 10))"
	i=$((i + 1))
done >"$SR_TMP/add"
sed 's/^route add/route del/' "$SR_TMP/add" >"$SR_TMP/del"
ip -batch "$SR_TMP/add" || hard_error "adding 20,000 defaults"
ip_ns . -4 route add default via 203.0.113.1 dev eth2 proto dhcp metric 5 || hard_error "eth2's default"
ip -batch "$SR_TMP/del" || hard_error "deleting 20,000 defaults"
has_rule 203.0.113.20 "$T2" && fail "eth2 has a rule while the watcher is stopped"
kill -CONT "$WATCH"

wait_for 5 has_rule 203.0.113.20 "$T2" ||
	fail "after lost notifications, eth2 got no rule: $(ip -4 rule show; cat "$SR_TMP/watch.log")"
assert_contains "$(cat "$SR_TMP/watch.log")" "the kernel dropped notifications" \
	"the watcher says it lost notifications and reads everything again"
assert_match "$(ip -4 route show table "$T2")" "^default via 203\.0\.113\.1 dev eth2" "eth2's table has its default"
kill -0 "$WATCH" 2>/dev/null || fail "the watcher died: $(cat "$SR_TMP/watch.log")"

# Still watching: a new address on eth1 gets its rule.
ip_ns . -4 addr add 198.51.100.11/24 dev eth1 || hard_error "second address"
wait_for 2 has_rule 198.51.100.11 "$T1" || fail "the watcher stopped following eth1: $(cat "$SR_TMP/watch.log")"

# SIGTERM: exit 0 at once, the routing left as it is.
before=$(ip -4 rule show)
kill -TERM "$WATCH"
wait "$WATCH"
rc=$?
SR_PIDS=$(printf '%s\n' $SR_PIDS | grep -vx "$WATCH" | tr '\n' ' ')
[ "$rc" = 0 ] || fail "the watcher exited $rc on SIGTERM"
[ "$(ip -4 rule show)" = "$before" ] || fail "the rules changed when the watcher stopped"
pass "lost notifications: a full pass, eth2 managed, still watching, SIGTERM exits 0"
