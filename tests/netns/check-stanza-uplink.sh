#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: issue 16, item 2: `symroute check` judges the usual second uplink before symroute
# ever ran on it. Its stanza has no `gateway` line (main has no default via it), only
# symroute-gateway: check finds it by the stanza, FAILs its addresses (their replies leave by
# the first uplink), names a mistyped symroute-gateway, and passes once `symroute up eth1`
# (which takes the stanza's gateway) ran.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"
. "$(dirname "$0")/ifupdown-lib.sh"
ifud_uplinks_up no-hooks	# symroute installed after the interfaces came up
hello_listen .
hello_connect far 203.0.113.20 && fail "test set-up: eth1's address answered without symroute"

sr_expect 7 check
note "symroute check, symroute never ran:"; sr_indent "$SR_OUT"
assert_match "$SR_OUT" "^INFO eth1 IPv4 has global addresses and its iface stanza names gateway 203\.0\.113\.1 \(symroute-gateway\), but no table of symroute's \(not managed\) \| symroute up eth1 --dry-run\$" \
	"check finds eth1 by its stanza (IPv4)"
assert_match "$SR_OUT" "^FAIL eth1 IPv4 from 203\.0\.113\.20 \(not managed\) leaves by eth0 \(table main\), not by eth1" \
	"check: eth1's IPv4 address is affected"
assert_match "$SR_OUT" "^FAIL eth1 IPv6 from 2001:db8:b::20 \(not managed\) leaves by eth0 \(table main\), not by eth1" \
	"check: eth1's IPv6 address is affected"
assert_match "$SR_OUT" "^PASS eth0 IPv4 from 198\.51\.100\.10 \(not managed\) leaves by eth0" \
	"check: eth0's own address is fine"

# A typo in the stanza: check names the line; the IPv6 gateway still finds the interface.
(IFUD_GW4=203.0.113.300; ifud_uplink_stanzas) >/etc/network/interfaces
sr_expect 7 check
assert_contains "$SR_ERR" "eth1: symroute-gateway '203.0.113.300' in /etc/network/interfaces line 13: " \
	"check's warning names the mistyped symroute-gateway and its line"
assert_no_match "$SR_OUT" "^INFO eth1 IPv4 " "no IPv4 gateway from the mistyped line"
assert_match "$SR_OUT" "^FAIL eth1 IPv6 from 2001:db8:b::20 \(not managed\)" "IPv6 is still judged"
ifud_uplink_stanzas >/etc/network/interfaces

# The repair check names; then check passes and the far side gets its answers.
sr_ok up eth0
sr_ok up eth1
sr_ok check
assert_no_match "$SR_OUT" "^FAIL" "after symroute up: no FAIL"
for a in 203.0.113.20 2001:db8:b::20; do
	hello_connect far "$a" || fail "after symroute up: no answer from $a to the far side"
done
pass "check judges a second uplink known by its stanza's symroute-gateway alone"
