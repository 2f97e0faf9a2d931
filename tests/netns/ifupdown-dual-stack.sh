#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: issue 14: the two-uplink dual-stack file under Debian's ifupdown, the reference for the ifupdown2 and ifupdown-ng tests.
#
# ifupdown 0.8 calls a hook once per stanza (ADDRFAM=inet, then inet6) with that stanza's
# options. The same file and results as ifupdown2-dual-stack.sh and
# ifupdown-ng-dual-stack.sh: see dual_cycle in ifupdown-alt-lib.sh.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ifupdown-alt-lib.sh"
sandbox_enter "$@"
. "$(dirname "$0")/ifupdown-lib.sh"
ifud_need
# On a host where ifupdown2 or ifupdown-ng replaced it, ifup is theirs: their own tests cover them.
dpkg-query -W -f='${Status}\n' ifupdown 2>/dev/null | grep -q ' installed$' ||
	skip "ifup is not Debian's ifupdown here (package ifupdown not installed)"

dual_setup ""
dual_cycle ifupdown
pass "ifupdown: dual-stack file, ifup -a / ifdown -a / address change / symroute off"
