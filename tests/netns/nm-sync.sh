#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: `symroute sync` against the real NetworkManager: devices that came up before
# symroute was installed get their tables and rules, a second sync changes nothing,
# `sync IFACE` repairs that device alone, what
# belongs to a device that is gone or was deactivated without an event is removed, and a
# stopped NetworkManager gives exit code 8 (EXIT_UNAVAILABLE) while events still work.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/nm-lib.sh"
nm_sandbox_enter "$@"
[ -x "$SR_NM_HELPER" ] || skip "no libnm helper at $SR_NM_HELPER (built without libnm?)"

nm_uplink 0 ra
addr ra srv 198.51.100.1/25
nm_uplink 1 rb
addr rb srv 203.0.113.1/25
nm_uplink 2 dh
addr dh srv 203.0.113.129/25
nm_dnsmasq dh srv 203.0.113.140,203.0.113.150,255.255.255.128 203.0.113.129
nm_profile up0 nmsr0 '[ipv4]' method=manual address1=198.51.100.10/25,198.51.100.1 \
	'[ipv6]' method=disabled '[user]' symroute.to-rule=yes
nm_profile up1 nmsr1 '[ipv4]' method=manual address1=203.0.113.20/25,203.0.113.1 \
	'[ipv6]' method=disabled
nm_profile dhcp nmsr2 '[ipv4]' method=auto '[ipv6]' method=disabled

# NetworkManager brings everything up before symroute is "installed": no hook yet.
nm_start
for i in 0 1 2; do
	wait_for 20 sh -c "nmcli -g GENERAL.STATE device show nmsr$i | grep -q '^100'" ||
		fail "nmsr$i did not activate: $(nmcli device status)"
done
assert_not_contains "$(ip rule show)" "proto $P" "nothing of ours before sync"
T0=$(table_of . nmsr0)
T1=$(table_of . nmsr1)
T2=$(table_of . nmsr2)
LEASE=$(ip -4 -o addr show dev nmsr2 | sed -n 's/.* inet \([0-9.]*\)\/.*/\1/p')

# Installed now: one sync brings every active device in line.
nm_install_hook
start=$(date +%s%N)
sr_ok sync
note "sync took $((($(date +%s%N) - start) / 1000000)) ms"
R=$(ip -4 rule show)
note "after sync:"; sr_indent "$(nm_state)"
assert_match "$R" "^31100:[[:space:]]+from 198\.51\.100\.10 lookup $T0 proto $P ?\$" "nmsr0's rule"
assert_match "$R" "^31100:[[:space:]]+from all to 198\.51\.100\.10 lookup $T0 proto $P ?\$" \
	"nmsr0's symroute.to-rule, read through libnm"
assert_match "$R" "^31100:[[:space:]]+from 203\.0\.113\.20 lookup $T1 proto $P ?\$" "nmsr1's rule"
assert_match "$R" "^31100:[[:space:]]+from $(re_quote "$LEASE") lookup $T2 proto $P ?\$" "nmsr2's rule"
assert_match "$(ip -4 route show table "$T2")" "^default via 203\.0\.113\.129 dev nmsr2 proto $P" \
	"nmsr2's table default (the DHCP router)"

# A second sync sends nothing.
snapshot . "$SR_TMP/before"
monitor_start
sr_ok sync
monitor_stop
snapshot . "$SR_TMP/after"
assert_files_eq "$SR_TMP/before" "$SR_TMP/after" "a second sync changes nothing"
assert_eq "" "$MON_EVENTS" "a second sync sends no change to the kernel"

# sync IFACE: that device alone, through the helper.
ip -4 rule del priority 31100 from 203.0.113.20 lookup "$T1" || hard_error "cannot delete nmsr1's rule"
ip -4 rule del priority 31100 from 198.51.100.10 lookup "$T0" || hard_error "cannot delete nmsr0's rule"
sr status nmsr1
assert_eq 9 "$SR_RC" "status: nmsr1 drifted (exit 9)"
assert_contains "$SR_OUT" "IPv4: table $T1: DRIFT, 1 change(s); NetworkManager manages it: \`symroute sync nmsr1\` repairs it" \
	"status names sync as the repair of NetworkManager's device"
sr status nmsr1 --json
assert_contains "$SR_OUT" '"repair":"symroute sync nmsr1"' "status --json: the repair"
sr_ok sync nmsr1
assert_match "$(ip -4 rule show)" "^31100:[[:space:]]+from 203\.0\.113\.20 lookup $T1 proto $P ?\$" \
	"sync nmsr1: its rule is back"
assert_no_match "$(ip -4 rule show)" "from 198\.51\.100\.10 lookup" "sync nmsr1 leaves nmsr0 alone"
sr_ok sync nmsr0
assert_match "$(ip -4 rule show)" "^31100:[[:space:]]+from 198\.51\.100\.10 lookup $T0 proto $P ?\$" \
	"sync nmsr0: its rule is back"

# Events missed while the hook was away: nmsr1 deleted, nmsr2 deactivated.
nm_remove_hook
ip link del nmsr1
nmcli_ok device disconnect nmsr2
wait_for 10 sh -c "! nmcli -t -f DEVICE device status | grep -qx nmsr1" ||
	fail "NetworkManager still lists nmsr1"
assert_match "$(ip -4 rule show)" "lookup $T1 " "nmsr1's rule outlived its device (no event)"
nm_install_hook
sr_ok sync
R=$(ip -4 rule show)
note "after the second sync:"; sr_indent "$(nm_state)"
assert_not_contains "$R" "lookup $T1 " "the gone device's rule was swept"
assert_not_contains "$R" "lookup $T2 " "the deactivated device's rule was removed"
assert_eq "" "$(ip -4 route show table "$T2" 2>/dev/null)" "the deactivated device's table is empty"
assert_match "$R" "^31100:[[:space:]]+from 198\.51\.100\.10 lookup $T0 proto $P ?\$" "nmsr0's rule stays"

# NetworkManager stopped: sync says so (8) at once; an event still works without it.
nm_stop
start=$(date +%s%N)
sr sync
ms=$((($(date +%s%N) - start) / 1000000))
note "sync with NetworkManager stopped: exit $SR_RC after $ms ms: $SR_ERR"
assert_eq 8 "$SR_RC" "sync without NetworkManager exits 8 (EXIT_UNAVAILABLE)"
assert_contains "$SR_ERR" "NetworkManager" "the error names NetworkManager"
[ "$ms" -lt 5000 ] || fail "sync took $ms ms to notice NetworkManager is gone"
ENV=$(nm_last_env nmsr0 up 2>/dev/null)
[ -n "$ENV" ] || ENV=$(ls "$NM_SB/env/"* | head -1)
note "replaying a dispatcher event by hand, NetworkManager stopped"
ip rule del priority 31100 from 198.51.100.10 lookup "$T0" || hard_error "cannot remove the rule"
start=$(date +%s%N)
env -i NM_DISPATCHER_ACTION=up DEVICE_IP_IFACE=nmsr0 IP4_NUM_ADDRESSES=1 \
	"IP4_ADDRESS_0=198.51.100.10/25 198.51.100.1" IP4_GATEWAY=198.51.100.1 \
	CONNECTION_FILENAME=/etc/NetworkManager/system-connections/up0.nmconnection \
	DBUS_SYSTEM_BUS_ADDRESS=unix:path=/run/dbus/system_bus_socket \
	"$SYMROUTE" nm-dispatcher nmsr0 up || fail "the hook failed with NetworkManager stopped"
note "the hook took $((($(date +%s%N) - start) / 1000000)) ms"
assert_match "$(ip -4 rule show)" "^31100:[[:space:]]+from 198\.51\.100\.10 lookup $T0 proto $P ?\$" \
	"the event restored the rule without NetworkManager"
bg_stop "$NM_DBUS_PID"
sr sync
assert_eq 8 "$SR_RC" "sync without a system bus exits 8"
note "without a bus: $SR_ERR"
pass "symroute sync: late install, idempotent, sync IFACE, gone and deactivated devices, NetworkManager stopped"
