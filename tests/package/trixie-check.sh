#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: the package on Debian 13 (trixie): built, linted, installed and tested in a trixie root.
#
# Usage: tests/package/trixie-check.sh [OUTDIR]
#	OUTDIR: where the trixie .deb, logs and the root are left (default $top/build/trixie).
#
# From a Debian 12 machine, as root: a minimal trixie root (debootstrap --variant=minbase from
# the mirror apt uses) with trixie's build tools, lintian, ifupdown, dhcpcd-base,
# NetworkManager, dnsmasq and iproute2 (no isc-dhcp-client: a fresh trixie has none, so
# ifupdown's DHCP client there is dhcpcd). The root is cached as a tarball
# ($SYMROUTE_TRIXIE_CACHE, default /var/cache/symroute/trixie-root.tar, rebuilt when the
# package list below changes): the first run takes a few minutes, later ones seconds.
# apt runs only while the root is made (on the machine's network, in the root).
#
# Then, in a private network and mount namespace (the machine's own network is never
# touched; the mounts vanish with the namespace): a clean copy of the tree is built there with
# tests/package/build-and-check.sh (dpkg-buildpackage and trixie's lintian: no error or
# warning), and tests/package/install-check.sh installs the .deb into a throw-away overlay of
# the root and runs the namespace suite against it, with trixie's own programs.
# Output: build-and-check's and install-check's lines; exit 0 when both passed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${1:-$top/build/trixie}
cache=${SYMROUTE_TRIXIE_CACHE:-/var/cache/symroute/trixie-root.tar}
root=$out/root

# What the root holds beyond minbase. Build: debian/control's Build-Depends and the tools.
# Test: what tests/netns needs (tests/run's list, less dhclient).
packages=(
	build-essential debhelper dpkg-dev devscripts lintian fakeroot pkgconf
	autoconf automake libmnl-dev libglib2.0-dev libnm-dev libcmocka-dev
	iproute2 procps util-linux mount kmod iputils-ping socat netcat-openbsd tcpdump python3 strace
	ifupdown dhcpcd-base dnsmasq-base network-manager dbus radvd
)

die() { echo "trixie-check: $*" >&2; exit 99; }
[ "$(id -u)" = 0 ] || die "must run as root"
for tool in debootstrap unshare chroot mount tar sha256sum; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool missing (apt-get install debootstrap)"
done

# ------------------------------------------------------------------------------ the root
want=$(printf '%s\n' trixie minbase "${packages[@]}" | sha256sum | cut -c1-16)
make_root() {
	local mirror
	mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)
	[ -n "$mirror" ] || mirror=$(awk '/^deb /{ print $2; exit }' /etc/apt/sources.list 2>/dev/null)
	[ -n "$mirror" ] || die "no Debian mirror in /etc/apt/sources.list(.d)"
	echo "# debootstrap --variant=minbase trixie from $mirror"
	debootstrap --variant=minbase trixie "$root" "$mirror" >"$out/debootstrap.log" 2>&1 ||
		{ tail -n 20 "$out/debootstrap.log"; die "debootstrap failed"; }
	cp /etc/resolv.conf "$root/etc/resolv.conf"
	# No daemon may start in the root while packages are installed.
	printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
	chmod 755 "$root/usr/sbin/policy-rc.d"
	echo "# apt-get install ${packages[*]}"
	chroot "$root" apt-get update -q >"$out/apt.log" 2>&1 &&
		DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get install -y -q \
			--no-install-recommends "${packages[@]}" >>"$out/apt.log" 2>&1 ||
		{ tail -n 20 "$out/apt.log"; die "apt-get in the trixie root failed"; }
	chroot "$root" apt-get clean
	echo "$want" >"$root/.symroute-root"
	mkdir -p "$(dirname "$cache")"
	tar -C "$root" -cf "$cache.tmp" . && mv -f "$cache.tmp" "$cache"
}

rm -rf "$root"
mkdir -p "$root"
if [ -f "$cache" ] && tar -xOf "$cache" ./.symroute-root 2>/dev/null | grep -qx "$want"; then
	tar -C "$root" -xf "$cache"
else
	make_root
fi
echo "# $(chroot "$root" sh -c '. /etc/os-release; echo "$PRETTY_NAME"'), $(chroot "$root" \
	dpkg-query -W -f='${Package} ${Version}, ' ifupdown dhcpcd-base network-manager iproute2 lintian)"

# Debian 13's ifupdown2 and ifupdown-ng for tests/netns/ifupdown2-*.sh and ifupdown-ng-*.sh,
# which unpack them into an overlay root of their own (never install them): fetched here, where
# the mirror can be reached; the tests run without a network. A failure makes them skip.
mkdir -p "$root/var/cache/symroute/debs"
chroot "$root" sh -c 'cd /var/cache/symroute/debs && apt-get download ifupdown2 ifupdown-ng' \
	>"$out/debs.log" 2>&1 || echo "# apt-get download ifupdown2 ifupdown-ng failed: their tests will skip"

# A clean copy of the tree (what a fresh clone holds, plus untracked files not ignored).
mkdir -p "$root/src/symroute"
(cd "$top" && git ls-files -z --cached --others --exclude-standard |
	xargs -0 sh -c 'for f; do [ -e "$f" ] || [ -L "$f" ] && printf "%s\0" "$f"; done' sh |
	tar --null -T - -cf -) | tar -xf - -C "$root/src/symroute"

# ------------------------------------------------------------------------------ inside
# Everything below runs in private network and mount namespaces: the root's /proc, /sys and
# /dev mounts, the build and the tests disappear with them.
inner='
set -eu
# The root is a mount point of its own, so that unshare --propagation inside it (the tests
# and install-check.sh make namespaces of their own) has a mount to change.
mount --bind "$ROOT" "$ROOT"
mount -t proc proc "$ROOT/proc"
mount -t sysfs sysfs "$ROOT/sys"
mount --rbind /dev "$ROOT/dev"
mount -t tmpfs tmpfs "$ROOT/tmp"
mount -t tmpfs tmpfs "$ROOT/run"
ip link set lo up
status=0
chroot "$ROOT" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 \
	SYMROUTE_PKG_SOURCE=copy sh /src/symroute/tests/package/build-and-check.sh /src/pkg || status=1
if [ $status -eq 0 ]; then
	chroot "$ROOT" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 \
		bash /src/symroute/tests/package/install-check.sh \
		"$(cd "$ROOT" && ls src/pkg/symroute_*.deb | head -n 1 | sed "s|^|/|")" || status=1
fi
exit $status
'
status=0
ROOT=$root unshare --net --mount --propagation private sh -c "$inner" || status=$?
cp "$root"/src/pkg/*.deb "$out/" 2>/dev/null || :
exit $status
