#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: run the namespace test suite (tests/netns) against an installed symroute.
#
# Usage: tests/package/run-netns-suite.sh [--only GLOB] [--skip GLOB] [SYMROUTE]
#	SYMROUTE: the binary under test, default /usr/sbin/symroute (the installed package).
#	--only GLOB / --skip GLOB: run only / leave out the tests whose file name matches the
#	shell pattern (e.g. --only 'nm-*'); each may be given once.
#
# The same script serves debian/tests (autopkgtest, on a testbed with the package installed)
# and tests/package/install-check.sh (the package installed into a throw-away overlay). Each
# test enters a private network and mount namespace of its own (tests/netns/lib.sh refuses the
# host's); this script only runs them and counts: exit 0 pass, 77 skip, anything else fails.
# Ends with "N passed, N failed, N skipped"; exits 1 if any failed, 77 if none ran.
# SYMROUTE_TEST_TIMEOUT: seconds a test may take before it counts as failed (default 900).
set -u

here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
only='*' skip=
while [ $# -gt 0 ]; do
	case $1 in
	--only) only=$2; shift 2 ;;
	--skip) skip=$2; shift 2 ;;
	-*) echo "run-netns-suite: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
SYMROUTE=${1:-${SYMROUTE:-/usr/sbin/symroute}}
export SYMROUTE top_srcdir

if [ ! -x "$SYMROUTE" ]; then
	echo "run-netns-suite: $SYMROUTE is not an executable file" >&2
	exit 1
fi
# The libnm helper `symroute sync` runs: installed beside the binary's prefix
# (/usr/sbin/symroute -> /usr/libexec/symroute/symroute-nm), where the binary looks for it
# (it reads no variable for that); nm-sync.sh skips when there is none.
if [ -z "${SR_NM_HELPER:-}" ]; then
	helper=$(cd "$(dirname "$SYMROUTE")/.." && pwd)/libexec/symroute/symroute-nm
	if [ -x "$helper" ]; then
		SR_NM_HELPER=$helper
		export SR_NM_HELPER
	fi
fi

# The tests are the tests/netns scripts that the automake fragments (*/*.am, */*/*.am) name,
# so a script counts once it is in the build; when none names any, every tests/netns/*.sh.
# The harness libraries (lib.sh, *-lib.sh) and the demo are not tests.
list_tests() {
	listed=$(cat "$top_srcdir"/*/*.am "$top_srcdir"/*/*/*.am 2>/dev/null |
		grep -o 'tests/netns/[A-Za-z0-9_.-]*\.sh' | sort -u)
	if [ -n "$listed" ]; then
		printf '%s\n' "$listed" | sed "s|^|$top_srcdir/|"
	else
		ls "$top_srcdir"/tests/netns/*.sh 2>/dev/null
	fi | while read -r t; do
		name=${t##*/}
		case $name in
		lib.sh | demo.sh | *-lib.sh) continue ;;
		esac
		# shellcheck disable=SC2254
		case $name in $only) ;; *) continue ;; esac
		if [ -n "$skip" ]; then
			# shellcheck disable=SC2254
			case $name in $skip) continue ;; esac
		fi
		[ -f "$t" ] && printf '%s\n' "$t"
	done
}

tests=$(list_tests)
if [ -z "$tests" ]; then
	echo "run-netns-suite: no tests found under $top_srcdir/tests/netns"
	echo "0 passed, 0 failed, 0 skipped"
	exit 77
fi

echo "# symroute under test: $SYMROUTE ($("$SYMROUTE" --version 2>&1 | head -n 1))"
logdir=${AUTOPKGTEST_ARTIFACTS:-${TMPDIR:-/tmp}}
# Only a guard against a hung test: a loaded machine (CI runs builds beside it) must never
# turn a slow pass into a failure.
per_test=${SYMROUTE_TEST_TIMEOUT:-900}
pass=0 failed=0 skipped=0 failures=
for t in $tests; do
	name=${t##*/}
	log=$(mktemp "$logdir/netns-${name%.sh}.XXXXXX")
	# A hung test (a netlink read that never returns, say) must not hang the run.
	timeout --kill-after=10 "$per_test" sh "$t" >"$log" 2>&1
	rc=$?
	[ "$rc" -ne 124 ] && [ "$rc" -ne 137 ] || echo "# $name: no result after ${per_test}s" >>"$log"
	case $rc in
	0) pass=$((pass + 1)); echo "PASS: $name" ;;
	77) skipped=$((skipped + 1)); echo "SKIP: $name ($(grep -m1 '^SKIP:' "$log" | cut -c7-))" ;;
	*)
		failed=$((failed + 1)); failures="$failures $name"
		echo "FAIL: $name (exit $rc)"
		sed 's/^/    | /' "$log"
		;;
	esac
	# Keep logs only where autopkgtest collects them.
	[ -n "${AUTOPKGTEST_ARTIFACTS:-}" ] || rm -f "$log"
done

[ -z "$failures" ] || echo "# failed:$failures"
echo "$pass passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] || exit 1
[ "$pass" -gt 0 ] || exit 77
exit 0
