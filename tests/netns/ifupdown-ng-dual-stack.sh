#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: issue 14: the two-uplink dual-stack file under the real ifupdown-ng (an overlay root, never installed).
#
# ifupdown-ng calls a hook once per interface for both families, with METHOD=none, no
# ADDRFAM, every address in IF_ADDRESSES and every gateway in IF_GATEWAYS, PHASE=up/down, and
# flushes the addresses before if-down.d. The same file and results as
# tests/netns/ifupdown-dual-stack.sh (ifupdown 0.8) and ifupdown2-dual-stack.sh: see
# dual_cycle in ifupdown-alt-lib.sh. The hook environment is printed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ifupdown-alt-lib.sh"
alt_fetch ifupdown-ng
sandbox_enter "$@"
. "$(dirname "$0")/ifupdown-lib.sh"
ifud_need

dual_setup alt_ng
alt_root ifupdown-ng
dual_cycle ifupdown-ng
pass "ifupdown-ng: dual-stack file, ifup -a / ifdown -a / address change / symroute off"
