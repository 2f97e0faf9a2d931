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

# ifupdown-ng's own syntax: one stanza for both families, `symroute-gateway` once per family as
# its `gateway` is. The hook gets the last value only; the hook script asks ifquery for all.
# `symroute sync` finds the interfaces up in ifupdown-ng's state file (dual_sync).
printf '%s\n' "auto lo
iface lo inet loopback

auto eth0
iface eth0
    address 198.51.100.10/25
    address 2001:db8:a::10/64
    gateway 198.51.100.1
    gateway 2001:db8:a::1

auto eth1
iface eth1
    address 203.0.113.20/25
    address 2001:db8:b::20/64
    symroute-gateway 203.0.113.1
    symroute-gateway fe80::2
    symroute-table 200" >"$IFUD/network/interfaces"
dual_ok ifup -a
dual_assert "one stanza per interface, symroute-gateway once per family" 198.51.100.10
dual_sync "ifupdown-ng's state file" 198.51.100.10
dual_ok ifdown -a
assert_eq "" "$(ifud_ours)" "one-stanza file: ifdown -a leaves nothing of ours"
pass "ifupdown-ng: dual-stack file, ifup -a / ifdown -a / address change / symroute off; its one-stanza syntax; sync from its state file"
