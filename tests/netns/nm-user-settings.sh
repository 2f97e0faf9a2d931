#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: per-profile symroute settings as NetworkManager user data ([user] in the keyfile;
# nmcli 1.42 cannot set the `user` setting): table, priority and to-rule are applied by the
# dispatcher hook, a changed table moves everything, and symroute.off removes it all.
. "$(dirname "$0")/nm-lib.sh"
nm_sandbox_enter "$@"

nm_uplink 0 ra
addr ra srv 198.51.100.1/25
nm_profile up0 nmsr0 '[ipv4]' method=manual address1=198.51.100.10/25,198.51.100.1 \
	'[ipv6]' method=disabled \
	'[user]' symroute.priority=31200 symroute.table=4242 symroute.to-rule=yes
PROFILE=$NM_PROFILE_FILE
nm_install_hook
nm_start
nm_wait_done nmsr0 up
nm_assert_hook_ok nmsr0 up

# What NetworkManager itself makes of the [user] group, and what nmcli 1.42 refuses.
if nmcli connection modify up0 user.data symroute.table=1 >/dev/null 2>&1; then
	note "this nmcli can set user data: the documentation should say so"
fi
note "keyfile after NetworkManager loaded it:"; sr_indent "$(sed -n '/^\[user\]/,$p' "$PROFILE")"

R=$(ip -4 rule show)
note "after up:"; sr_indent "$(nm_state)"
assert_match "$R" "^31200:[[:space:]]+from 198\.51\.100\.10 lookup 4242 proto $P ?\$" \
	"symroute.table and symroute.priority"
assert_match "$R" "^31200:[[:space:]]+from all to 198\.51\.100\.10 lookup 4242 proto $P ?\$" \
	"symroute.to-rule"
assert_not_contains "$R" "31100:" "nothing at the default priority"
assert_match "$(ip -4 route show table 4242)" "^default via 198\.51\.100\.1 dev nmsr0 proto $P" \
	"the chosen table holds the default"

# Another table: written into the keyfile, loaded, reapplied (the `reapply` event).
sed -i 's/^symroute.table=4242$/symroute.table=4343/' "$PROFILE"
nmcli_ok connection load "$PROFILE"
nmcli_ok device reapply nmsr0
nm_wait_done nmsr0 reapply
nm_assert_hook_ok nmsr0 reapply
R=$(ip -4 rule show)
note "after symroute.table=4343 and reapply:"; sr_indent "$R"
assert_match "$R" "^31200:[[:space:]]+from 198\.51\.100\.10 lookup 4343 proto $P ?\$" "moved to 4343"
assert_not_contains "$R" "lookup 4242" "nothing left pointing to 4242"
assert_eq "" "$(ip -4 route show table 4242 2>/dev/null)" "table 4242 emptied"

# symroute.off: nothing of ours stays, though the profile is up.
printf 'symroute.off=yes\n' >>"$PROFILE"
nmcli_ok connection load "$PROFILE"
nmcli_ok device reapply nmsr0
nm_wait_done nmsr0 reapply 2
nm_assert_hook_ok nmsr0 reapply
R=$(ip -4 rule show)
assert_not_contains "$R" "lookup 4343" "symroute.off removed the rules"
assert_eq "" "$(ip -4 route show table 4343 2>/dev/null)" "symroute.off emptied the table"

# A typo is refused (exit 2) and changes nothing.
sed -i -e '/^symroute.off=/d' -e 's/^symroute.table=/symroute.tabel=/' "$PROFILE"
nmcli_ok connection load "$PROFILE"
nmcli_ok device reapply nmsr0
nm_wait_done nmsr0 reapply 3
assert_eq 2 "$(nm_hook_rc nmsr0 reapply)" "a misspelt key fails the hook"
assert_contains "$(cat "$NM_SB/symroute.log")" "symroute.tabel='4343': unknown option" \
	"the error names the key"
assert_not_contains "$(ip -4 rule show)" "proto $P" "nothing installed on a refused event"
pass "symroute.* user data in the keyfile: table, priority, to-rule, a move, off, a typo"
