#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: automake test: every fuzz harness replays its seed corpus and regression inputs once.
# The harnesses are built without libFuzzer (fuzz/replay.c) in every build, so inputs that once
# crashed stay covered under gcc, the ASan build and valgrind. Fuzzing itself is fuzz/run.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-.}
status=0
ran=0
for bin in "$top_builddir"/fuzz/replay-*; do
	[ -x "$bin" ] || continue
	h=${bin##*/replay-}
	ran=$((ran + 1))
	if ! ${REPLAY_WRAPPER:-} "$bin" "$top_srcdir/fuzz/corpus/$h" "$top_srcdir/fuzz/regressions/$h"; then
		echo "FAIL: fuzz/replay-$h: an input crashed or failed an invariant"
		status=1
	fi
done
[ $ran -gt 0 ] || { echo "SKIP: no fuzz/replay-* built"; exit 77; }
exit $status
