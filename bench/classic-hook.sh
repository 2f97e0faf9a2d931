#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: the benchmark's stand-in for what admins write today: the classic guide's commands
# (LARTC "Routing for multiple uplinks/providers") in an ifupdown hook, one `ip` per step.
#
# Written the way such hooks are: no error handling, the values from the stanza. It reads
# ifupdown's IFACE MODE ADDRFAM IF_ADDRESS IF_GATEWAY and two options of its own:
# IF_CLASSIC_TABLE (the table) and IF_CLASSIC_NETWORK (the link's prefix: the guide's
# $P1_NET, which sh cannot compute for IPv6). Priority 31100, as symroute's rules.
# Benchmark only: bench/run runs it inside its private network namespace, never installed.
case "$ADDRFAM" in
inet) ip=ip ;;
inet6) ip="ip -6" ;;
*) exit 0 ;;
esac
case "$MODE" in
start)
	$ip route add "$IF_CLASSIC_NETWORK" dev "$IFACE" src "$IF_ADDRESS" table "$IF_CLASSIC_TABLE"
	$ip route add default via "$IF_GATEWAY" dev "$IFACE" table "$IF_CLASSIC_TABLE"
	$ip rule add from "$IF_ADDRESS" table "$IF_CLASSIC_TABLE" priority 31100
	$ip route flush cache
	;;
stop)
	$ip rule del from "$IF_ADDRESS" table "$IF_CLASSIC_TABLE" priority 31100
	$ip route del default via "$IF_GATEWAY" dev "$IFACE" table "$IF_CLASSIC_TABLE"
	$ip route del "$IF_CLASSIC_NETWORK" dev "$IFACE" table "$IF_CLASSIC_TABLE"
	$ip route flush cache
	;;
esac
exit 0
