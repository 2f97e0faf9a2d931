#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: the README's quick start, followed as written: its interfaces file (read from the
# README itself, so the two cannot drift apart) under the real ifup, on a host whose uplinks
# were up before symroute came: step 2's `symroute check` finds the host affected (exit 7, a
# FAIL per address of the second uplink, which really gets no answer through ISPs that drop
# foreign sources), step 4's `symroute sync` fixes it at once, step 5's check passes (exit 0,
# every address PASS and answering) and `symroute status` is in sync; then, with the hooks
# installed, `ifdown -a` / `ifup -a` do the same on their own.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ifupdown-alt-lib.sh"
sandbox_enter "$@"
. "$(dirname "$0")/ifupdown-lib.sh"
ifud_need
README=$top_srcdir/README
[ -r "$README" ] || hard_error "no README at $README"

# The indented block after "in /etc/network/interfaces" in the quick start, unindented.
file=$(awk '/^Quick start, for an administrator/ { q = 1 }
	q && /\/etc\/network\/interfaces/ { f = 1; next }
	f && /^       / { sub(/^       /, ""); print; seen = 1; next }
	f && seen && /^$/ { print; next }
	f && seen && /^ *[^ ]/ { exit }' "$README" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}')
[ -n "$file" ] || hard_error "no interfaces file found in the README's quick start"
note "the README's interfaces file:"; sr_indent "$file"

ifud_two_routers
alt_bcp38_v6 ra srv 2001:db8:a::/64
alt_bcp38_v6 rb srv 2001:db8:b::/64
ifud_setup "$file"
hello_listen far
hello_listen .

# The uplinks were up before symroute was installed (step 1): none of its hooks ran.
ifud_no_hooks
ifud_ok ifup -a
wait_for 10 sh -c '[ -z "$(ip -6 addr show tentative)" ]' || hard_error "IPv6 addresses stayed tentative"
assert_eq "" "$(ifud_ours)" "nothing of symroute's before it runs"
# Step 2: the host is affected.
sr_expect 7 check
note "symroute check, before:"; sr_indent "$SR_OUT"
for a in 203.0.113.20 2001:db8:b::20; do
	assert_match "$SR_OUT" "^FAIL eth1 IPv[46] from $(re_quote "$a") .*; symroute sync eth1 fixes it" \
		"check before: $a fails, naming the fix of step 4"
	! hello_connect far "$a" || fail "before symroute: $a answers, yet check says it cannot"
done

# Step 4, for interfaces already up: symroute sync.
sr_ok sync
quick_check() {
	sr_ok check
	note "symroute check, $1:"; sr_indent "$SR_OUT"
	for a in 198.51.100.10 2001:db8:a::10 203.0.113.20 2001:db8:b::20; do
		assert_match "$SR_OUT" "^PASS eth[01] IPv[46] from $(re_quote "$a") leaves by eth[01]" \
			"check $1: $a passes"
		hello_connect far "$a" || fail "$1: the far side gets no answer from $a"
	done
	assert_no_match "$SR_OUT" "^FAIL" "check $1: no failure"
	sr_ok status
}
# Step 5.
quick_check "after symroute sync"

# From now on the hooks (installed by the package) do it: ifdown -a, ifup -a.
ifud_hooks
ifud_ok ifdown -a
assert_eq "" "$(ifud_ours)" "ifdown -a leaves nothing of ours"
ifud_ok ifup -a
wait_for 10 sh -c '[ -z "$(ip -6 addr show tentative)" ]' || hard_error "IPv6 addresses stayed tentative"
quick_check "after ifup -a"
ifud_ok ifdown -a
assert_eq "" "$(ifud_ours)" "ifdown -a leaves nothing of ours"
pass "the README's quick start: affected before, the file, sync, check, every address answers, status in sync; the hooks then"
