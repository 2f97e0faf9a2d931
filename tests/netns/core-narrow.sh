#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: the core namespace tests again with `narrow = true` (symroute.conf(5)): the narrow
# reading of the kernel must reach the same states as the full one. --dry-run always plans
# in full, so core-dryrun-replay.sh here checks narrow runs against full-mode text.
# Left out: core-link-deleted.sh, whose first case (an up of another interface sweeps a
# vanished interface's rules) narrow mode gives up by design (only down, sync and flush sweep).
here=$(cd "$(dirname "$0")" && pwd)
SR_CONFIG_TEXT='[symroute]
narrow = true'
export SR_CONFIG_TEXT

rc=77
for t in core-classic core-idempotence core-foreign core-address-change core-ipv6 \
	core-tcp-two-uplinks core-dryrun-replay core-exit-codes core-options core-limits \
	core-same-subnet; do
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
