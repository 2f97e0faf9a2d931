#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: the core namespace tests again with `narrow = true` (symroute.conf(5)), which finds
# shared subnets by one route lookup per prefix instead of a dump of every address: the same
# states as the default must follow, wherever no subnet is shared behind another interface.
here=$(cd "$(dirname "$0")" && pwd)
SR_CONFIG_TEXT='[symroute]
narrow = true'
export SR_CONFIG_TEXT

rc=77
for t in core-classic core-idempotence core-foreign core-address-change core-ipv6 \
	core-tcp-two-uplinks core-dryrun-replay core-exit-codes core-options core-limits \
	core-same-subnet core-link-deleted core-rules-witness; do
	printf '\n=== %s, narrow = true\n' "$t"
	"$here/$t.sh"
	r=$?
	case $r in
	0) [ "$rc" = 77 ] && rc=0 ;;
	77) ;;
	99) [ "$rc" = 1 ] || rc=99 ;;
	*) rc=1 ;;
	esac
	[ "$r" = 0 ] || [ "$r" = 77 ] || printf '=== %s with narrow = true: exit %s\n' "$t" "$r"
done
exit $rc
