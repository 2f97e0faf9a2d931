#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: build the Debian package from a clean copy of the tree and run lintian on it.
#
# Usage: tests/package/build-and-check.sh [OUTDIR]
#	OUTDIR: where the .deb, .changes, .buildinfo and logs are left (default /tmp/symroute-pkg;
#	tests/package/install-check.sh looks there).
# Environment:
#	SYMROUTE_PKG_SOURCE=worktree (default): the tracked and untracked-but-not-ignored files
#		of the work tree, as they are now (a fresh clone gives the same as HEAD);
#	SYMROUTE_PKG_SOURCE=head: `git archive HEAD`, i.e. only what is committed;
#	SYMROUTE_PKG_SOURCE=copy: every file of the tree as it is, for a tree that is already a
#		clean copy without git (tests/package/trixie-check.sh builds in a trixie root so).
#
# Fails if the build dependencies are missing (it says which), if dpkg-buildpackage fails, or
# if lintian reports an error or a warning on the .changes or the .deb. Info and pedantic
# tags are shown, not fatal; the ones we accept are overridden in debian/*.lintian-overrides.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${1:-/tmp/symroute-pkg}
from=${SYMROUTE_PKG_SOURCE:-worktree}

tools="dpkg-buildpackage dpkg-parsechangelog dpkg-checkbuilddeps lintian"
[ "$from" = copy ] || tools="$tools git"
for tool in $tools; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "build-and-check: $tool is missing (apt-get install dpkg-dev devscripts lintian git)" >&2
		exit 1
	}
done

version=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
source=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Source)
work=$(mktemp -d "${TMPDIR:-/tmp}/symroute-pkg-build.XXXXXX")
trap 'rm -rf "$work"' EXIT
src=$work/$source-$version
mkdir -p "$src"

# A clean copy: nothing generated (no configure, no build directories) comes along.
case $from in
head) git -C "$top" archive --format=tar HEAD | tar -x -C "$src" ;;
worktree)
	(cd "$top" && git ls-files -z --cached --others --exclude-standard |
		xargs -0 sh -c 'for f; do [ -e "$f" ] || [ -L "$f" ] && printf "%s\0" "$f"; done' sh |
		tar --null -T - -cf -) | tar -xf - -C "$src"
	;;
copy) (cd "$top" && tar -cf - .) | tar -xf - -C "$src" ;;
*) echo "build-and-check: SYMROUTE_PKG_SOURCE must be worktree, head or copy" >&2; exit 2 ;;
esac
echo "# building $source $version from a copy of the $from in $src"

cd "$src"
if ! dpkg-checkbuilddeps; then
	echo "build-and-check: install the build dependencies first: apt-get build-dep -y '$top'" >&2
	exit 1
fi

rm -rf "$out"
mkdir -p "$out"
# The source package first, from the pristine copy (a native package's tarball is the whole
# tree, so it must not see build products), for lintian's source checks.
status=0
dpkg-buildpackage -S -us -uc -d >"$out/source.log" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
	tail -n 25 "$out/source.log"
	echo "build-and-check: building the source package failed; log in $out/source.log" >&2
	exit 1
fi
dpkg-buildpackage -us -uc -b >"$out/build.log" 2>&1 || status=$?
tail -n 25 "$out/build.log"
if [ "$status" -ne 0 ]; then
	echo "build-and-check: dpkg-buildpackage failed (exit $status); full log in $out/build.log" >&2
	exit 1
fi

arch=$(dpkg --print-architecture)
changes=$work/${source}_${version}_${arch}.changes
for f in "$work"/*.deb "$work"/*.buildinfo "$changes" "$work"/*.dsc "$work"/*.tar.*; do
	cp "$f" "$out/"
done
echo "# built:"
ls -l "$out"

# dpkg-buildpackage does not run lintian on its own here: check the .changes (which lists
# the .deb and .buildinfo), the .deb itself, and the source package.
echo "# lintian"
lstatus=0
lintian --fail-on error,warning --display-info --pedantic --display-experimental --show-overrides \
	"$out/${source}_${version}_${arch}.changes" "$out"/*.deb "$out/${source}_${version}.dsc" \
	>"$out/lintian.log" 2>&1 || lstatus=$?
cat "$out/lintian.log"
if grep -q '^[EW]: ' "$out/lintian.log"; then
	lstatus=1
fi
if [ "$lstatus" -ne 0 ]; then
	echo "build-and-check: lintian reported errors or warnings (see above)" >&2
	exit 1
fi
echo "# lintian: no errors, no warnings"
echo "build-and-check: OK ($out)"
