#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: [interface NAME] groups of symroute.conf: for `up` by hand, a stanza and the real dhcpcd; order, off, refusals.
#
# One symroute.conf for every run (the hooks are pointed at it with --config):
#	[symroute] priority 31200; [interface vA] gateway 198.51.100.2, table 101;
#	[interface vB] table 102, to-rule; [interface vC] gateway 203.0.113.129, table 103.
# vA: `symroute up vA` with no option gets the group's table and gateway (main's default goes
# by the other router, .1) and [symroute]'s priority; the command line's table, gateway and
# priority win over the group's, and a plain `up` brings the group's back.
# vB: a static stanza (real ifup) with `symroute-table 120`: the stanza's table wins, the
# group's to-rule still applies (a stanza sets what it names, no more).
# vC: the real dhcpcd (-B, as dhcpcd.service runs it) with a lease that names no router: the
# group's table and gateway. Then `off = true` in vC's group: at the next renewal the hook
# removes everything of ours for vC, and dhcpcd goes on. `up` by hand over a group's off
# goes up, with a warning. A bad key and a bad value in a group: exit 6, one line naming the
# file, line, group and key, and the kernel's state unchanged.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"
. "$(dirname "$0")/ifupdown-lib.sh"
. "$(dirname "$0")/dhcpcd-lib.sh"
ifud_need
dhcpcd_need

ns_add lan
ifud_links lan vA vB vC
addr lan pvA 198.51.100.1/24 198.51.100.2/24
addr lan pvB 203.0.113.1/25
addr lan pvC 203.0.113.129/25
CONF=$SR_TMP/symroute.conf
conf_write() {
	printf '%s\n' "$1" >"$CONF.new" && mv "$CONF.new" "$CONF" || hard_error "cannot write $CONF"
}
CONF_TEXT='[symroute]
priority = 31200

[interface vA]
gateway = 198.51.100.2
table = 101

[interface vB]
table = 102
to-rule = yes

[interface vC]
gateway = 203.0.113.129
table = 103'
conf_write "$CONF_TEXT"
ifud_setup "iface lo inet loopback

iface vB inet static
    address 203.0.113.10/25
    symroute-table 120"
dhcpcd_setup "ipv4only"
for h in "$IFUD/network/if-up.d/symroute" "$IFUD/network/if-down.d/symroute" \
	"$DHCPCD_DIR/hooks/70-symroute"; do
	sed -i "s| ifupdown-hook| ifupdown-hook --config $CONF|; s| dhcpcd-hook| dhcpcd-hook --config $CONF|" \
		"$h" && grep -q -- "--config $CONF" "$h" || hard_error "cannot point $h at $CONF"
done
ip link set vA up && ip addr add 198.51.100.10/24 dev vA &&
	ip route add default via 198.51.100.1 dev vA || hard_error "cannot set up vA"
ip link set vC up || hard_error "cannot set vC up"

# 1. `symroute up vA`, no option: table and gateway from [interface vA], priority from [symroute].
sr_ok up vA -c "$CONF"
R=$(ip -4 rule show)
note "ip -4 rule show:"; sr_indent "$R"
assert_match "$R" "^31200:[[:space:]]+from 198\.51\.100\.10 lookup 101 proto $P ?\$" \
	"vA's rule: the group's table, [symroute]'s priority"
RT=$(ifud_table_routes 101)
note "table 101:"; sr_indent "$RT"
assert_match "$RT" "^default via 198\.51\.100\.2 dev vA proto $P" "the group's gateway, not main's"
assert_match "$(ip -4 route get 192.0.2.1 from 198.51.100.10)" "via 198\.51\.100\.2 dev vA" \
	"a reply from vA's address leaves by the group's gateway"

# 2. The command line wins over the group, setting by setting; a plain `up` goes back.
sr_ok up vA -c "$CONF" -t 110 -g 198.51.100.1 -p 31300
R=$(ip -4 rule show)
note "ip -4 rule show:"; sr_indent "$R"
assert_match "$R" "^31300:[[:space:]]+from 198\.51\.100\.10 lookup 110 proto $P ?\$" \
	"the command line's table and priority"
assert_no_match "$R" "lookup 101( |\$)" "no rule into the group's table"
assert_match "$(ifud_table_routes 110)" "^default via 198\.51\.100\.1 dev vA proto $P" \
	"the command line's gateway"
[ -z "$(ifud_table_routes 101)" ] || fail "table 101 still holds routes"
sr_ok up vA -c "$CONF"
R=$(ip -4 rule show)
assert_match "$R" "^31200:[[:space:]]+from 198\.51\.100\.10 lookup 101 proto $P ?\$" \
	"the group's settings again"
assert_count "$R" "198\.51\.100\.10" 1 "one rule for vA"
[ -z "$(ifud_table_routes 110)" ] || fail "table 110 still holds routes"

# 3. A stanza's option wins over the group's; what the stanza does not name comes from it.
ifud_ok ifup vB
R=$(ip -4 rule show)
note "ip -4 rule show:"; sr_indent "$R"
assert_match "$R" "^31200:[[:space:]]+from 203\.0\.113\.10 lookup 120 proto $P ?\$" \
	"vB's rule: the stanza's table"
assert_match "$R" "^31200:[[:space:]]+from all to 203\.0\.113\.10 lookup 120 proto $P ?\$" \
	"the group's to-rule"
assert_no_match "$R" "lookup 102( |\$)" "the group's table is not used"
ifud_ok ifdown vB
assert_no_match "$(ip -4 rule show)" "203\.0\.113\.10 " "nothing of ours for vB after ifdown"

# 4. dhcpcd: a lease without a router; the group gives the table and the gateway.
echo "02:00:00:00:00:03,203.0.113.140" >"$IFUD/srv/hosts"
ifud_dhcp_server lan pvC "203.0.113.130,203.0.113.150,255.255.255.128,2m" --dhcp-option=3
dhcpcd_start vC
dhcpcd_wait vC BOUND
note "main:"; sr_indent "$(ip -4 route show table main)"
assert_no_match "$(ip -4 route show table main)" "^default .*proto dhcp" \
	"the lease names no router (dhcpcd adds no default)"
R=$(ip -4 rule show)
note "ip -4 rule show:"; sr_indent "$R"
assert_match "$R" "^31200:[[:space:]]+from 203\.0\.113\.140 lookup 103 proto $P ?\$" \
	"the lease's rule into the group's table"
RT=$(ifud_table_routes 103)
note "table 103:"; sr_indent "$RT"
assert_match "$RT" "^default via 203\.0\.113\.129 dev vC proto $P" "the group's gateway"
assert_match "$(ip -4 route get 192.0.2.1 from 203.0.113.140)" "via 203\.0\.113\.129 dev vC" \
	"a reply from the lease leaves by vC"

# 5. `off = true` in vC's group: the hook's next event (a renewal, T1 = 3 s) removes vC's.
conf_write "$CONF_TEXT
off = true"
vc_gone() { ! ip -4 rule show | grep -q "lookup 103"; }
wait_for 10 vc_gone || fail "vC's rule is still there after renewals with off = true:
$(ip -4 rule show)
$(tail -n 20 "$DHCPCD_DIR/log")"
[ -z "$(ifud_table_routes 103)" ] || fail "table 103 still holds routes"
# The hook's record is written after symroute's hook returns, so the rule can be gone before
# the renewal is recorded (ASan's exit checks widen that window): wait for the record.
dhcpcd_wait vC RENEW
kill -0 "$DHCPCD_PID" 2>/dev/null || fail "dhcpcd stopped"
assert_match "$(ip -4 addr show dev vC)" "inet 203\.0\.113\.140/25" "dhcpcd keeps its lease"
assert_match "$(ip -4 rule show)" "from 198\.51\.100\.10 lookup 101" "vA's rule is untouched"
dhcpcd_stop vC

# 6. `up` by hand over a group's off: the command line wins, with a warning.
conf_write "$CONF_TEXT"
sed -i 's/^\[interface vA\]$/[interface vA]\noff = yes/' "$CONF"
grep -q '^off = yes$' "$CONF" || hard_error "cannot add off to vA's group"
sr_ok up vA -c "$CONF"
note "stderr:"; sr_indent "$SR_ERR"
assert_contains "$SR_ERR" "vA: up as the command line says, over \`off\` in [interface vA]" \
	"the warning names the group"
assert_match "$(ip -4 rule show)" "^31200:[[:space:]]+from 198\.51\.100\.10 lookup 101 proto $P ?\$" \
	"vA stays up"

# 7. A bad key and a bad value in a group: exit 6, one line naming them, nothing changed.
snapshot . "$SR_TMP/before"
for bad in 'tabel = 5|line 5: [interface vA] tabel: unknown key' \
	"table = 254|line 5: [interface vA] table='254': reserved table" \
	'gateway = 198.51.100.2|line 5: [interface vA] gateway: given twice (first on line 4)'; do
	key=${bad%%|*}
	msg=${bad#*|}
	printf '[symroute]\n\n[interface vA]\ngateway = 198.51.100.2\n%s\n' "$key" >"$SR_TMP/bad.conf"
	sr_expect 6 up vA -c "$SR_TMP/bad.conf"
	assert_contains "$SR_ERR" "$SR_TMP/bad.conf $msg" "the message names file, line, group and key"
	assert_eq 1 "$(printf '%s\n' "$SR_ERR" | grep -c .)" "one line on stderr"
done
snapshot . "$SR_TMP/after"
assert_files_eq "$SR_TMP/before" "$SR_TMP/after" "a refused file changes nothing"

sr_ok down vA -c "$CONF"
assert_no_match "$(ip -4 rule show)" " proto $P" "nothing of ours is left"
pass "[interface NAME]: hand up, command line and stanza over it, dhcpcd lease, off, refusals"
