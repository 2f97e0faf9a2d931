#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: the README's quick start, followed as written: its interfaces file (read from the
# README itself, so the two cannot drift apart) under the real ifup, then `symroute check`
# (exit 0, every address PASS), every address answering through ISPs that drop foreign
# sources in both families, and `symroute status` in sync.
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

# Step 2 before anything: nothing managed, nothing up yet.
sr_ok check
# Step 4.
ifud_ok ifup -a
wait_for 10 sh -c '[ -z "$(ip -6 addr show tentative)" ]' || hard_error "IPv6 addresses stayed tentative"
# Step 5.
sr_ok check
note "symroute check:"; sr_indent "$SR_OUT"
for a in 198.51.100.10 2001:db8:a::10 203.0.113.20 2001:db8:b::20; do
	assert_match "$SR_OUT" "^PASS eth[01] IPv[46] from $(re_quote "$a") leaves by eth[01]" "check: $a passes"
	hello_connect far "$a" || fail "the far side gets no answer from $a"
done
assert_no_match "$SR_OUT" "^FAIL" "check: no failure"
sr_ok status
ifud_ok ifdown -a
assert_eq "" "$(ifud_ours)" "ifdown -a leaves nothing of ours"
pass "the README's quick start: the file, ifup -a, check, every address answers, status in sync"
