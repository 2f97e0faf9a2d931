#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: an alias stanza (`iface vA:1 inet static`, still common) is vA's: its address gets a rule, ifup says nothing, ifdown vA:1 leaves vA alone.
#
# ifupdown 0.8 runs the hooks with IFACE=vA:1 (LOGICAL=vA:1) and adds the address with
# `label vA:1` on vA (captured: tests/fixtures/ifupdown/alias-*.env). symroute read vA:1 as an
# interface name, printed an error on every ifup and routed nothing for the alias address.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"
. "$(dirname "$0")/ifupdown-lib.sh"
ifud_need

ns_add lan
ifud_links lan vA
ifud_setup "iface vA inet static
    address 198.51.100.10/24
    gateway 198.51.100.1

iface vA:1 inet static
    address 198.51.100.11/24"
if [ -n "${IFUD_ENVDUMP:-}" ]; then
	# To capture fixtures: IFUD_ENVDUMP=FILE appends every hook call's environment to FILE.
	for d in if-up.d if-down.d; do
		printf '#!/bin/sh\n{ echo "=== $(basename "$(dirname "$0")")"; env | LC_ALL=C sort; } >>%s\n' \
			"$IFUD_ENVDUMP" >"$IFUD/network/$d/zz-envdump"
		chmod 755 "$IFUD/network/$d/zz-envdump"
	done
fi
TA=$(table_of . vA)
ip -n lan addr add 198.51.100.1/24 dev pvA || hard_error "the router's address"

ifud_ok ifup vA
ifud_ok ifup vA:1
assert_match "$(ip -4 addr show dev vA)" "inet 198\.51\.100\.11/24 .* vA:1\$" "ifup labelled the alias address vA:1"
R=$(ip -4 rule show)
note "ip -4 rule show:"; sr_indent "$R"
assert_match "$R" "^31100:[[:space:]]+from 198\.51\.100\.10 lookup $TA proto $P ?\$" "vA's address: a rule"
assert_match "$R" "^31100:[[:space:]]+from 198\.51\.100\.11 lookup $TA proto $P ?\$" \
	"the alias address: a rule into vA's table"
assert_match "$(ifud_table_routes "$TA")" "^default via 198\.51\.100\.1 dev vA proto $P" \
	"vA's table keeps its default"
snapshot . "$SR_TMP/up"

# ifdown vA:1 takes the alias address away, not vA: vA's table and rule stay.
ifud_ok ifdown vA:1
R=$(ip -4 rule show)
assert_match "$R" "^31100:[[:space:]]+from 198\.51\.100\.10 lookup $TA proto $P ?\$" \
	"ifdown vA:1 leaves vA's rule"
assert_match "$(ifud_table_routes "$TA")" "^default via 198\.51\.100\.1 dev vA proto $P" \
	"ifdown vA:1 leaves vA's table"
# The next event for vA drops the rule of the address that is gone.
ifud_ok ifup vA:1
snapshot . "$SR_TMP/again"
assert_files_eq "$SR_TMP/up" "$SR_TMP/again" "ifup vA:1 again: the same state"

ifud_ok ifdown vA:1
ifud_ok ifdown vA
assert_not_contains "$(ip -4 rule show)" "proto $P" "ifdown vA: nothing of ours left"

pass "an alias stanza routes its address in its interface's table"
