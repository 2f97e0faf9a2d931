#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: issue 15: `inet6 auto` under the real ifup, radvd after ifup: only the watcher gives the SLAAC address its rule, within 2 s.
#
# The topology and the interfaces file: watch-ra-lib.sh. Three acts:
#	1. the hook alone (no watcher): ifup -a, then radvd. The SLAAC address and main's RA
#	   default appear, no hook runs: no rule for the address, its replies follow main's
#	   default out of eth0, where ISP A drops them: a TCP connection to it fails.
#	2. `symroute watch` starts: its first pass gives the address its rule and eth1's table
#	   the router's link-local default; the connection works.
#	3. with the watcher running: radvd stops, ifdown eth1 (nothing of eth1's stays),
#	   ifup eth1 (the hook again sees only the link-local address), radvd again: within
#	   2 s of radvd's start the rule and the table are back and the connection works.
# At the end `symroute status` names the watcher and its last action; it exits 0 on SIGTERM
# and leaves the routing as it is.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ifupdown-alt-lib.sh"
sandbox_enter "$@"
. "$(dirname "$0")/ifupdown-lib.sh"
. "$(dirname "$0")/watch-ra-lib.sh"
wra_need
wra_setup
wra_radvd_conf 2001:db8:b::/64

# eth1_nothing WHAT: no rule into eth1's table, and the table is empty.
eth1_nothing() {
	assert_no_match "$(ip -6 rule show)" " lookup $TB " "$1: no rule into eth1's table"
	assert_eq "" "$(ifud_table_routes "$TB" -6)" "$1: eth1's table is empty"
}

# ---- 1. the hook alone
ifud_ok ifup -a
eth1_nothing "ifup -a, before any advertisement"
wra_radvd_start
wra_slaac 2001:db8:b::/64
A=$WRA_ADDR
wait_for 5 sh -c 'ip -6 route show table main default | grep -q "via fe80::2 dev eth1 proto ra"' ||
	fail "no RA default via fe80::2 in main: $(ip -6 route show table main default)"
note "main's defaults:"; sr_indent "$(ip -6 route show table main default)"
eth1_nothing "SLAAC after ifup, no watcher: the hook ran before the address existed"
G=$(ip -6 route get "$FAR6" from "$A" 2>&1)
note "ip -6 route get $FAR6 from $A:"; sr_indent "$G"
assert_match "$G" " dev eth0 " "no watcher: a reply from $A follows main's default out of eth0"
! hello_connect far "$A" ||
	fail "no watcher: $A answers through eth0: ISP A does not drop foreign sources, the test proves nothing"
# What check tells the administrator: the address is affected, and who would follow it.
sr_expect 7 check
assert_match "$SR_OUT" "^FAIL eth1 IPv6 from $A \(not managed\) leaves by eth0" "check: $A is affected"
assert_match "$SR_OUT" "^INFO eth1 IPv6: its default comes from router advertisements, .*symroute watch is not running .*\| systemctl enable --now symroute-watch\$" \
	"check: router advertisements and no watcher"

# ---- 2. the watcher's first pass
WRA_T0=$(wra_now)
wra_watch_start
wra_wait_converged "the watcher's first pass" "$A" fe80::2

# ---- 3. the same, with the watcher running when the address comes
wra_radvd_stop
ifud_ok ifdown eth1
wait_for 2 sh -c "! ip -6 rule show | grep -q ' lookup $TB '" || true
eth1_nothing "ifdown eth1, the watcher running"
ifud_ok ifup eth1
eth1_nothing "ifup eth1 again, before any advertisement"
wra_monitor_start
WRA_T0=$(wra_now)
wra_radvd_start
wra_slaac 2001:db8:b::/64
assert_eq "$A" "$WRA_ADDR" "the same SLAAC address again"
wra_wait_converged "radvd after ifup, the watcher running" "$A" fe80::2
wra_note_reaction "the SLAAC address" " inet6 $A/" "from $A lookup $TB"

# What `symroute status` and `check` tell the administrator about it, running and stopped.
sr_ok check
assert_match "$SR_OUT" "^PASS symroute watch runs \(pid $WRA_WATCH\)" "check: the watcher runs"
sr_ok status
assert_match "$SR_OUT" "^watcher: running \(pid $WRA_WATCH\) since .*last: eth1 IPv6: up " \
	"symroute status: the watcher runs, and its last action was eth1's"
snapshot . "$SR_TMP/running"
wra_watch_stop
snapshot . "$SR_TMP/stopped"
assert_files_eq "$SR_TMP/running" "$SR_TMP/stopped" "SIGTERM: the watcher leaves the routing as it is"
sr_ok status
assert_match "$SR_OUT" "^watcher: not running" "symroute status after SIGTERM"
pass "inet6 auto: the SLAAC address gets its rule and its router from the watcher, not from the hook"
