#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: the classic multihoming guide's checks (LARTC "routing for multiple uplinks"),
# done the way an administrator does them, after `symroute up` of both uplinks.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"

topo_two_uplinks
T0=$(table_of . eth0)
T1=$(table_of . eth1)
note "tables: eth0 $T0, eth1 $T1"

# eth0's gateway comes from main's default route; eth1 has none there, so it is given.
sr_ok up eth0
sr_ok up eth1 --gateway 203.0.113.1

R=$(ip -4 rule show)
note "ip -4 rule show:"; sr_indent "$R"
assert_match "$R" "^31100:[[:space:]]+from 198\.51\.100\.10 lookup $T0 proto $P ?\$" \
	"ip rule: eth0's address looks up eth0's table"
assert_match "$R" "^31100:[[:space:]]+from 203\.0\.113\.20 lookup $T1 proto $P ?\$" \
	"ip rule: eth1's address looks up eth1's table"
assert_count "$R" "^31000:[[:space:]]+from all lookup main suppress_prefixlength 0 proto $P ?\$" 1 \
	"ip rule: one shared suppress rule in front"
assert_match "$R" '^32766:[[:space:]]+from all lookup main ?$' "ip rule: main's rule is untouched"
assert_match "$R" '^32767:[[:space:]]+from all lookup default ?$' "ip rule: default's rule is untouched"
assert_count "$R" "proto $P" 3 "ip rule: nothing else of ours (no --to-rule given)"

for t in "$T0 eth0 198.51.100 10 1" "$T1 eth1 203.0.113 20 1"; do
	set -- $t
	RT=$(ip -4 route show table "$1")
	note "ip route show table $1:"; sr_indent "$RT"
	assert_match "$RT" "^$(re_quote "$3").0/25 dev $2 proto $P scope link src $(re_quote "$3.$4") ?\$" \
		"table $1 holds $2's connected route"
	assert_match "$RT" "^default via $(re_quote "$3.$5") dev $2 proto $P $FP ?\$" \
		"table $1 holds $2's default route"
	assert_count "$RT" . 2 "table $1 holds exactly two routes"
done

# Main keeps its own default, first; a fallback default of ours per uplink stands behind it
# (metric 1000000 + ifindex), for when it goes (issue 20).
M=$(ip -4 route show table main)
note "ip -4 route show table main:"; sr_indent "$M"
assert_match "$M" '^default via 198\.51\.100\.1 dev eth0 ?$' "main keeps its default route"
assert_match "$(printf '%s\n' "$M" | head -n 1)" '^default via 198\.51\.100\.1 dev eth0 ?$' \
	"main's own default comes first (the lowest metric)"
assert_match "$M" "^default via 198\.51\.100\.1 dev eth0 proto $P metric $T0 onlink ?\$" \
	"our fallback via eth0 behind it, metric 1000000 + ifindex"
assert_match "$M" "^default via 203\.0\.113\.1 dev eth1 proto $P metric $T1 onlink ?\$" \
	"our fallback via eth1 behind it, metric 1000000 + ifindex"
assert_count "$M" "proto $P" 2 "main gets nothing else of ours"

# Source-based routing: the answer from each address leaves by its own uplink.
G=$(ip -4 route get 198.51.100.200 from 198.51.100.10)
note "$G"
assert_match "$G" "via 198\.51\.100\.1 dev eth0 table $T0" "from eth0's address: via router A"
G=$(ip -4 route get 198.51.100.200 from 203.0.113.20)
note "$G"
assert_match "$G" "via 203\.0\.113\.1 dev eth1 table $T1" "from eth1's address: via router B"
G=$(ip -4 route get 203.0.113.200 from 203.0.113.20)
assert_match "$G" "via 203\.0\.113\.1 dev eth1 table $T1" "from eth1's address to B's side: via router B"
G=$(ip -4 route get 203.0.113.200 from 198.51.100.10)
assert_match "$G" "via 198\.51\.100\.1 dev eth0 table $T0" "from eth0's address to B's side: via router A"

# Without a source: main decides (the suppress rule lets its connected routes through,
# and its default route is found after our rules).
G=$(ip -4 route get 198.51.100.200)
note "$G"
assert_match "$G" '^198\.51\.100\.200 via 198\.51\.100\.1 dev eth0 src 198\.51\.100\.10' \
	"no source: main's default route via eth0"
G=$(ip -4 route get 203.0.113.5)
assert_match "$G" '^203\.0\.113\.5 dev eth1 src 203\.0\.113\.20' "no source: connected subnet of eth1"
G=$(ip -4 route get 203.0.113.5 from 198.51.100.10)
assert_match "$G" '^203\.0\.113\.5 from 198\.51\.100\.10 dev eth1' \
	"a connected destination is reached directly, whatever the source (suppress rule)"

# show lists what we manage.
sr_ok show
assert_contains "$SR_OUT" eth0 "symroute show names eth0"
assert_contains "$SR_OUT" eth1 "symroute show names eth1"
# ... in ip's words: the protocol as `ip rule show` names it (issue 16, item 5).
assert_match "$(ip -4 rule show)" "^31100:	from 198\.51\.100\.10 lookup $T0 proto $P\$" "ip's rule"
assert_match "$SR_OUT" "^rule  priority 31100 from 198\.51\.100\.10 lookup $T0 proto $P\$" \
	"show names the protocol as ip does"
assert_match "$SR_OUT" "^route default via 198\.51\.100\.1 dev eth0 table $T0 proto $P $FP\$" \
	"show's route names the protocol as ip does"

pass "rules, tables and route lookups as the classic guide prescribes"
