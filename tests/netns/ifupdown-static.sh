#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: real ifup/ifdown with inet6 static + gateway, `symroute off`, symroute-* options, a bad symroute-table and a typo.
#
#	vD	inet static with `symroute off`, inet6 static with a gateway: only IPv6 is ours
#	vE	inet static with `symroute-table bogus`: ifup succeeds, says why, nothing of ours
#	vF	inet static with symroute-table, -priority, -gateway and -to-rule
#	vG	inet static with the typo `symroute-tabel 100` (issue 16, item 3): the line names
#		the interface, the family, the option as written, the result and the option meant
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"
. "$(dirname "$0")/ifupdown-lib.sh"
ifud_need

ns_add lan
ifud_links lan vD vE vF vG

ifud_setup "iface vD inet static
    address 198.51.100.10/24
    symroute off

iface vD inet6 static
    address 2001:db8:d::10/64
    gateway 2001:db8:d::1

iface vE inet static
    address 203.0.113.20/25
    symroute-table bogus

iface vF inet static
    address 203.0.113.140/25
    symroute-table 100
    symroute-priority 31200
    symroute-gateway 203.0.113.129
    symroute-to-rule yes

iface vG inet static
    address 198.51.100.70/24
    symroute-tabel 100"

TD=$(table_of . vD)
TE=$(table_of . vE)
note "tables: vD $TD, vE $TE, vF 100"
snapshot . "$SR_TMP/before"

# vD: the inet stanza is off, the inet6 one is ours; each event touches its family only.
ifud_ok ifup vD
R4=$(ip -4 rule show)
R6=$(ip -6 rule show)
note "ip -6 rule show:"; sr_indent "$R6"
assert_match "$R6" "^31100:[[:space:]]+from 2001:db8:d::10 lookup $TD proto $P ?\$" "inet6 static: rule"
assert_no_match "$R4" "proto $P" "symroute off: no IPv4 rule of ours"
assert_eq "" "$(ifud_table_routes "$TD" -4)" "symroute off: no IPv4 route in vD's table"
RT=$(ifud_table_routes "$TD" -6)
note "ip -6 route show table $TD:"; sr_indent "$RT"
assert_match "$RT" "^default via 2001:db8:d::1 dev vD proto $P" "inet6 static: the stanza's gateway"
assert_match "$RT" "^2001:db8:d::/64 dev vD proto $P" "inet6 static: its prefix"
G=$(ip -6 route get 2001:db8:ffff::1 from 2001:db8:d::10 2>&1)
assert_match "$G" "via 2001:db8:d::1 dev vD " "ip -6 route get from vD's address"

# vE: a bad value is one line naming the option; ifup goes on (the hook never fails it).
ifud_run ifup vE
assert_eq 0 "$IFUD_RC" "ifup vE succeeds despite the bad symroute-table"
assert_match "$IFUD_OUT" "^symroute: vE IPv4: symroute-table='bogus': no such table name in rt_tables or rt_tables\.d; vE IPv4 is not managed\$" \
	"ifup vE shows symroute's one line naming vE, IPv4, symroute-table and the result"
assert_count "$IFUD_OUT" "^symroute:" 1 "exactly one line from symroute"
assert_match "$(ip -4 addr show dev vE)" "inet 203\.0\.113\.20/25" "vE is configured all the same"
assert_no_match "$(ip -4 rule show)" "203\.0\.113\.20" "no rule for vE"
assert_eq "" "$(ifud_table_routes "$TE")" "no table for vE"

# vG: with `ifup -a` this line is the only clue which stanza it was, and what to write.
ifud_run ifup vG
assert_eq 0 "$IFUD_RC" "ifup vG succeeds despite the typo"
assert_match "$IFUD_OUT" "^symroute: vG IPv4: symroute-tabel='100': unknown option \(did you mean symroute-table\?\); vG IPv4 is not managed\$" \
	"ifup vG names vG, IPv4, the option as written, the result and symroute-table"
assert_count "$IFUD_OUT" "^symroute:" 1 "ifup vG: exactly one line from symroute"
assert_no_match "$(ip -4 rule show)" "198\.51\.100\.70" "no rule for vG"
assert_eq "" "$(ifud_table_routes 100)" "no table 100 from vG's typo"

# vF: every symroute-* option as written in the stanza.
ifud_ok ifup vF
R4=$(ip -4 rule show)
note "ip -4 rule show:"; sr_indent "$R4"
assert_match "$R4" "^31200:[[:space:]]+from 203\.0\.113\.140 lookup 100 proto $P ?\$" \
	"symroute-table 100, symroute-priority 31200"
assert_match "$R4" "^31200:[[:space:]]+from all to 203\.0\.113\.140 lookup 100 proto $P ?\$" \
	"symroute-to-rule yes"
RT=$(ifud_table_routes 100)
note "ip route show table 100:"; sr_indent "$RT"
assert_match "$RT" "^default via 203\.0\.113\.129 dev vF proto $P" "symroute-gateway"

# ifdown: each interface's part goes (vE's ifstate is intact: the hook did not fail ifup).
ifud_ok ifdown vF
assert_eq "" "$(ifud_table_routes 100)" "ifdown vF: table 100 is empty"
assert_no_match "$(ip -4 rule show)" "lookup 100( |\$)" "ifdown vF: its rules are gone"
ifud_run ifdown vE
assert_eq 0 "$IFUD_RC" "ifdown vE"
assert_match "$IFUD_OUT" "^symroute: vE IPv4: symroute-table='bogus': .*; symroute's IPv4 rules and routes of vE stay\$" \
	"ifdown vE: the line says that nothing of ours is removed"
ifud_run ifdown vG
assert_eq 0 "$IFUD_RC" "ifdown vG"
ifud_ok ifdown vD
assert_no_match "$(ip -6 rule show)" "proto $P" "ifdown vD: no IPv6 rule of ours"

snapshot . "$SR_TMP/after"
assert_files_eq "$SR_TMP/before" "$SR_TMP/after" "after ifdown, the state is the one before ifup"
pass "inet6 static with gateway, symroute off, symroute-* options, bad symroute-table, a typo"
