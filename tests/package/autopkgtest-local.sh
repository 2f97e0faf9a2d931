#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: run debian/tests through the real autopkgtest, against the built .deb, without
# installing anything on this machine.
#
# Usage: tests/package/autopkgtest-local.sh [DEB] [-- AUTOPKGTEST-OPTIONS...]
#	DEB: default the newest symroute_*.deb in /tmp/symroute-pkg (build-and-check.sh).
#	e.g. `-- --test-name netns` runs one test only.
#
# autopkgtest's "null" testbed is the machine it runs on: this script re-executes itself in a
# private mount namespace with overlays (upper layers on a private tmpfs) over /usr, /etc and
# /var, so the package and the tests' dependencies are installed into the overlay only and
# vanish with it. The network namespace stays the host's, so apt can fetch test dependencies;
# the tests themselves build private network namespaces (tests/netns/lib.sh refuses the
# host's), and a policy-rc.d in the overlay keeps any daemon a dependency ships from starting.
# The restrictions isolation-machine and breaks-testbed are waived for that reason.
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)

if [ -z "${SR_APT_INNER:-}" ]; then
	deb=
	if [ $# -gt 0 ] && [ "$1" != -- ]; then
		deb=$1
		shift
	fi
	[ "${1:-}" = -- ] && shift
	deb=${deb:-$(ls -t /tmp/symroute-pkg/symroute_*.deb 2>/dev/null | head -n 1)}
	[ -n "$deb" ] && [ -f "$deb" ] || { echo "autopkgtest-local: no .deb (run build-and-check.sh)" >&2; exit 99; }
	[ "$(id -u)" = 0 ] || { echo "autopkgtest-local: must run as root" >&2; exit 99; }
	command -v autopkgtest >/dev/null 2>&1 ||
		{ echo "autopkgtest-local: autopkgtest is not installed (apt-get install autopkgtest)" >&2; exit 77; }
	# In /tmp whatever TMPDIR says: the overlays go over /usr, /etc and /var.
	work=$(mktemp -d /tmp/symroute-autopkgtest.XXXXXX)
	out=${SYMROUTE_AUTOPKGTEST_OUT:-/tmp/symroute-autopkgtest}
	rm -rf "$out"
	trap 'rm -rf "$work"' EXIT
	deb=$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")
	SR_APT_INNER=1 SR_HOST_MNTNS=$(readlink /proc/self/ns/mnt) SR_WORK=$work SR_DEB=$deb \
		SR_OUT=$out unshare --mount --propagation private "$0" "$@"
	exit $?
fi

die() { echo "autopkgtest-local: $*" >&2; exit 99; }
[ "$(readlink /proc/self/ns/mnt)" != "$SR_HOST_MNTNS" ] || die "still in the caller's mount namespace"
[ "$(readlink /proc/self/ns/mnt)" != "$(readlink /proc/1/ns/mnt)" ] || die "in PID 1's mount namespace"

# The output directory lives on the host (kept for reading); everything else is throw-away.
mkdir -p "$SR_OUT"
mount -t tmpfs -o mode=700 symroute-autopkgtest "$SR_WORK" || die "cannot mount a tmpfs on $SR_WORK"
for d in usr etc var; do
	mkdir -p "$SR_WORK/upper/$d" "$SR_WORK/work/$d"
	mount -t overlay "symroute-$d" \
		-o "lowerdir=/$d,upperdir=$SR_WORK/upper/$d,workdir=$SR_WORK/work/$d" "/$d" ||
		die "cannot lay an overlay over /$d"
done
# No daemon that a test dependency brings (network-manager, dnsmasq, ...) may start here.
printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
chmod 755 /usr/sbin/policy-rc.d
echo "# throw-away root: overlays over /usr /etc /var; autopkgtest output in $SR_OUT"

# A copy of the source tree as autopkgtest would unpack it (it writes into the tree it gets).
src=$SR_WORK/src
mkdir -p "$src"
(cd "$top" && git ls-files -z --cached --others --exclude-standard |
	xargs -0 sh -c 'for f; do [ -e "$f" ] || [ -L "$f" ] && printf "%s\0" "$f"; done' sh |
	tar --null -T - -cf -) | tar -xf - -C "$src"

# symroute-nm of the same version, from beside the core .deb (netns-nm depends on it).
nmdeb=$(ls "$(dirname "$SR_DEB")/symroute-nm_$(dpkg-deb -f "$SR_DEB" Version)_"*.deb 2>/dev/null |
	head -n 1)
autopkgtest --no-built-binaries --ignore-restrictions=isolation-machine,breaks-testbed \
	--output-dir "$SR_OUT" "$@" "$SR_DEB" ${nmdeb:+"$nmdeb"} "$src" -- null
rc=$?
# autopkgtest: 0 all passed, 2 some skipped, 8 none ran; others are failures.
echo "autopkgtest-local: autopkgtest exit $rc (summary in $SR_OUT/summary)"
cat "$SR_OUT/summary" 2>/dev/null
case $rc in
0 | 2) exit 0 ;;
8) exit 77 ;;
*) exit 1 ;;
esac
