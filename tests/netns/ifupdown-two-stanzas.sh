#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: two `inet static` stanzas for one interface (interfaces(5): "multiple addresses of the same type") get a rule each.
#
# ifup runs the if-up.d hook once per stanza, each time with that stanza's address only
# (IF_ADDRESS=198.51.100.10, then IF_ADDRESS=198.51.100.11). Were the stanza's address taken
# as the interface's complete set, the second event would replace the first address's rule
# instead of adding its own (seen before the front end left addrs_given clear).
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"
. "$(dirname "$0")/ifupdown-lib.sh"
ifud_need

ns_add lan
ifud_links lan vA
ifud_setup "iface vA inet static
    address 198.51.100.10/24
    gateway 198.51.100.1

iface vA inet static
    address 198.51.100.11/24"

TA=$(table_of . vA)
snapshot . "$SR_TMP/before"

ifud_ok ifup vA
R=$(ip -4 rule show)
note "ip -4 rule show:"; sr_indent "$R"
assert_match "$(ip -4 addr show dev vA)" "inet 198\.51\.100\.11/24" "ifup configured both stanzas"
assert_match "$R" "^31100:[[:space:]]+from 198\.51\.100\.11 lookup $TA proto $P ?\$" \
	"the second stanza's address has its rule"
assert_match "$R" "^31100:[[:space:]]+from 198\.51\.100\.10 lookup $TA proto $P ?\$" \
	"the first stanza's address keeps its rule"

ifud_ok ifdown vA
snapshot . "$SR_TMP/after"
assert_files_eq "$SR_TMP/before" "$SR_TMP/after" "after ifdown, the state is the one before ifup"
pass "two inet static stanzas on one interface"
