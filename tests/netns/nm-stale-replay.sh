#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: NetworkManager runs queued dispatcher events even when they are obsolete. The real
# `up` environment, recorded from NetworkManager's own call, is replayed after the `down`
# (addresses gone) and after the device was deleted: symroute follows the kernel, installs
# nothing, and exits 0; replayed while the profile is up again, it changes nothing.
. "$(dirname "$0")/nm-lib.sh"
nm_sandbox_enter "$@"

nm_uplink 0 ra
addr ra srv 198.51.100.1/25 2001:db8:a::1/64
nm_profile up0 nmsr0 '[ipv4]' method=manual address1=198.51.100.10/25,198.51.100.1 \
	'[ipv6]' method=manual address1=2001:db8:a::10/64,2001:db8:a::1 addr-gen-mode=eui64
nm_install_hook
nm_start
nm_wait_done nmsr0 up
nm_assert_hook_ok nmsr0 up
T=$(table_of . nmsr0)
UP_ENV=$NM_SB/stale-up.env
cp "$(nm_last_env nmsr0 up)" "$UP_ENV"
note "recorded NetworkManager's up environment:"
sr_indent "$(grep -E '^(NM_DISPATCHER_ACTION|DEVICE_IP_IFACE|IP[46]_ADDRESS_|IP[46]_GATEWAY)' "$UP_ENV")"
assert_match "$(ip -4 rule show)" "^31100:[[:space:]]+from 198\.51\.100\.10 lookup $T proto $P ?\$" "the rule after up"
assert_match "$(ip -6 rule show)" "^31100:[[:space:]]+from 2001:db8:a::10 lookup $T proto $P ?\$" "the IPv6 rule after up"

# replay: the recorded environment, exactly, through the dispatcher subcommand.
replay() {
	set --
	while IFS= read -r sr_line; do set -- "$@" "$sr_line"; done <"$UP_ENV"
	note "replaying the recorded 'nmsr0 up'"
	env -i "$@" "$SYMROUTE" nm-dispatcher -v nmsr0 up >"$SR_TMP/replay.out" 2>&1
	REPLAY_RC=$?
	REPLAY_OUT=$(cat "$SR_TMP/replay.out")
	sr_indent "$REPLAY_OUT"
}
ours() { ip -4 rule show; ip -6 rule show; ip -4 route show table all; ip -6 route show table all; }

# 1. Stale up after down: the addresses are gone, so is everything of ours, and stays so.
nmcli_ok connection down up0
nm_wait_done nmsr0 down
assert_no_match "$(ours)" "proto $P" "nothing of ours after down"
replay
assert_eq 0 "$REPLAY_RC" "a stale up exits 0"
assert_no_match "$(ours)" "proto $P" "a stale up after down installs nothing"

# 2. The profile up again: the same replay is a no-op (idempotent, nothing sent).
nmcli_ok connection up up0
nm_wait_done nmsr0 up 2
# NetworkManager 1.52 dispatches this `up` before the IPv4 address reaches the kernel, and
# nothing when it does: the hook waits for the addresses the event names.
assert_match "$(ip -4 rule show)" "^31100:[[:space:]]+from 198\.51\.100\.10 lookup $T proto $P ?\$" \
	"the IPv4 rule after reactivation"
assert_match "$(ip -6 rule show)" "^31100:[[:space:]]+from 2001:db8:a::10 lookup $T proto $P ?\$" \
	"the IPv6 rule after reactivation"
snapshot . "$SR_TMP/before"
monitor_start
replay
monitor_stop
snapshot . "$SR_TMP/after"
assert_eq 0 "$REPLAY_RC" "replayed up while up exits 0"
assert_files_eq "$SR_TMP/before" "$SR_TMP/after" "replayed up while up changes nothing"
assert_eq "" "$MON_EVENTS" "replayed up while up sends nothing"

# 3. The device deleted (NetworkManager's down event may still be queued): the replayed up
# finds no interface, removes what was ours and exits 0.
nm_remove_hook
ip link del nmsr0
wait_for 10 sh -c "! ip link show nmsr0" || hard_error "nmsr0 still exists"
assert_match "$(ip -4 rule show)" "lookup $T " "the rule outlived the device (the hook was away)"
replay
assert_eq 0 "$REPLAY_RC" "a stale up for a deleted interface exits 0"
assert_contains "$REPLAY_OUT" "interface is gone" "says the interface is gone"
assert_no_match "$(ours)" "proto $P" "nothing of ours left for the deleted interface"
pass "stale up events replayed after down and after deletion converge to the kernel's state"
