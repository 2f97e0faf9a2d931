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
# SYMROUTE_SUITE_JOBS: how many tests run at once (default 1).
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
# Every test has namespaces of its own (make -j check runs them side by side too), so they
# may run in parallel; the results are reported in the list's order all the same.
jobs=${SYMROUTE_SUITE_JOBS:-1}
case $jobs in
'' | *[!0-9]* | 0) echo "run-netns-suite: SYMROUTE_SUITE_JOBS='$jobs' is not a positive number" >&2
	exit 2 ;;
esac
results=$(mktemp -d "${TMPDIR:-/tmp}/netns-suite.XXXXXX") || exit 1
trap 'rm -rf "$results"' EXIT

# One test, run by xargs: its output in $results/NAME.log, its exit status in NAME.rc.
# A hung test (a netlink read that never returns, say) must not hang the run.
# shellcheck disable=SC2016
run_one='t=$1 out=$2/${1##*/}
	timeout --kill-after=10 "$3" sh "$t" >"$out.log" 2>&1
	rc=$?
	[ "$rc" -ne 124 ] && [ "$rc" -ne 137 ] || echo "# ${t##*/}: no result after $3s" >>"$out.log"
	echo "$rc" >"$out.rc"'
printf '%s\n' $tests | xargs -P "$jobs" -I '{}' sh -c "$run_one" sh '{}' "$results" "$per_test"

pass=0 failed=0 skipped=0 failures=
for t in $tests; do
	name=${t##*/}
	log=$results/$name.log
	rc=$(cat "$results/$name.rc" 2>/dev/null) || rc="none (the runner did not finish it)"
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
	[ -z "${AUTOPKGTEST_ARTIFACTS:-}" ] || cp "$log" "$logdir/netns-${name%.sh}.log"
done

[ -z "$failures" ] || echo "# failed:$failures"
echo "$pass passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] || exit 1
[ "$pass" -gt 0 ] || exit 77
exit 0
