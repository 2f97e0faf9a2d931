#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: `symroute check` catches systemd-networkd running in this network namespace while it
# manages foreign routing policy rules or routes (its default: it deletes ours when it
# reconfigures), reading networkd.conf and its drop-ins with systemd's precedence.
# The daemon is a stand-in (a copy of sleep(1) named systemd-networkd): check looks at the
# process's name and network namespace, and at the configuration files, never at its work.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"

# A private /etc/systemd (and /usr/lib/systemd/networkd.conf.d): the host's stay unseen.
[ -d /etc/systemd ] || skip "no /etc/systemd to mount a private copy over"
assert_not_host_netns
mount -t tmpfs -o mode=755 symroute-test-etc-systemd /etc/systemd || hard_error "cannot mount over /etc/systemd"
if [ -d /usr/lib/systemd/networkd.conf.d ]; then
	mount -t tmpfs symroute-test-lib /usr/lib/systemd/networkd.conf.d || hard_error "cannot hide networkd.conf.d"
fi
mkdir -p /etc/systemd/networkd.conf.d /run/systemd/networkd.conf.d

topo_two_uplinks
sr_ok up eth0
sr_ok up eth1 --gateway 203.0.113.1
sr_ok check
assert_match "$SR_OUT" "^PASS systemd-networkd is not running in this network namespace\$" "no networkd"

cp "$(command -v sleep)" "$SR_TMP/systemd-networkd" || hard_error "cannot copy sleep"

# One in another network namespace does not count.
ns_add other
bg_start other "$SR_TMP/systemd-networkd" 300
OTHER=$BG_PID
wait_for 5 test -e "/proc/$OTHER/cmdline" || hard_error "the stand-in did not start"
sr_ok check
assert_match "$SR_OUT" "^PASS systemd-networkd is not running in this network namespace\$" \
	"a networkd in another namespace does not touch ours"
bg_stop "$OTHER"

# One here, with no configuration file: systemd's defaults (both yes).
bg_start . "$SR_TMP/systemd-networkd" 300
sr_expect 7 check
note "symroute check:"; sr_indent "$SR_OUT"
assert_match "$SR_OUT" "^FAIL systemd-networkd is running with ManageForeignRoutingPolicyRules=yes \(default\): it deletes symroute's rules whenever it reconfigures; set it to no in \[Network\] of /etc/systemd/networkd\.conf \| systemd-analyze cat-config systemd/networkd\.conf\$" \
	"networkd with its default ManageForeignRoutingPolicyRules"
assert_match "$SR_OUT" "^FAIL systemd-networkd is running with ManageForeignRoutes=yes \(default\)" \
	"networkd with its default ManageForeignRoutes"

printf '[Network]\n# symroute owns its rules\nManageForeignRoutingPolicyRules = no\n' >/etc/systemd/networkd.conf
sr_expect 7 check
assert_no_match "$SR_OUT" "^FAIL .*ManageForeignRoutingPolicyRules" "networkd.conf says no for rules"
assert_match "$SR_OUT" "^FAIL systemd-networkd is running with ManageForeignRoutes=yes \(default\)" \
	"routes are still managed"

printf '[Network]\nManageForeignRoutes=false\n' >/etc/systemd/networkd.conf.d/50-symroute.conf
sr_ok check
assert_match "$SR_OUT" "^PASS systemd-networkd is running and leaves foreign rules and routes alone" \
	"a drop-in completes it"

# Drop-ins: a file in /etc masks the one of the same name in /run; later names win.
printf '[Network]\nManageForeignRoutes=yes\n' >/run/systemd/networkd.conf.d/50-symroute.conf
sr_ok check
printf '[Network]\nManageForeignRoutes=yes\n' >/run/systemd/networkd.conf.d/60-later.conf
sr_expect 7 check
assert_match "$SR_OUT" "^FAIL systemd-networkd is running with ManageForeignRoutes=yes \(/run/systemd/networkd\.conf\.d/60-later\.conf\)" \
	"the later drop-in wins and is named"
printf '[Other]\nManageForeignRoutes=yes\n' >/run/systemd/networkd.conf.d/60-later.conf
sr_ok check

pass "systemd-networkd managing foreign rules or routes is caught; exit 7"
