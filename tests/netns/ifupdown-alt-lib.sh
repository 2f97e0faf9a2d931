# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: the real ifupdown2 or ifupdown-ng, never installed: unpacked into a throw-away overlay root inside the sandbox.
#
# Both replace ifupdown (the packages conflict), so they are never installed on the machine:
#	1. alt_fetch PKG... (before sandbox_enter, in the machine's namespaces, where apt can
#	   reach the mirror): `apt-get download` of each PKG into $SYMROUTE_DEB_CACHE (default
#	   /var/cache/symroute/debs), once; a test skips (77) with the reason when that fails, or
#	   when one of the package's Depends is not installed on the machine (the root borrows
#	   them from it).
#	2. alt_root PKG... (inside the sandbox, after ifud_setup): an overlay whose lower layer is
#	   the machine's / (read only: every write goes to an upper layer on the sandbox's /run
#	   tmpfs), `dpkg -x` of each package into it, the package's own files under /etc/network
#	   copied into the test's private /etc/network ($IFUD/network, bind-mounted there), and
#	   /proc, /sys (this network namespace's), /dev, /run and /tmp of its own.
#	3. alt CMD...: CMD chrooted there with a clean environment, in the test's namespaces.
# The overlay, its mounts and everything written vanish with the sandbox's mount namespace.
# Sourced after lib.sh, before sandbox_enter; alt_root and alt need ifupdown-lib.sh too.

ALT_CACHE=${SYMROUTE_DEB_CACHE:-/var/cache/symroute/debs}

# alt_deb PKG: the cached .deb of PKG (the newest by name), or nothing.
alt_deb() {
	ls "$ALT_CACHE/$1"_*.deb 2>/dev/null | sort | tail -n 1
}

# alt_fetch PKG...: make sure the .debs are in the cache (see above); skip (77) if not.
alt_fetch() {
	[ "${SR_IN_SANDBOX:-}" = 1 ] && return 0
	[ "$(id -u)" = 0 ] || skip "needs root (network namespaces)"
	for alt_p in dpkg-deb dpkg-query; do
		command -v "$alt_p" >/dev/null 2>&1 || skip "$alt_p not installed (dpkg)"
	done
	for alt_p in "$@"; do
		if [ -z "$(alt_deb "$alt_p")" ]; then
			command -v apt-get >/dev/null 2>&1 || skip "no $alt_p .deb in $ALT_CACHE and no apt-get"
			mkdir -p "$ALT_CACHE" || skip "cannot create $ALT_CACHE"
			alt_out=$(cd "$ALT_CACHE" && timeout 120 apt-get download "$alt_p" 2>&1)
			[ -n "$(alt_deb "$alt_p")" ] ||
				skip "apt-get download $alt_p failed: $(printf '%s' "$alt_out" | tail -n 1)"
		fi
		# The root borrows the machine's programs and libraries: every Depends must be
		# there, as a package or as what one provides (lsb-base: sysvinit-utils in 12).
		for alt_d in $(dpkg-deb -f "$(alt_deb "$alt_p")" Depends | tr ',' '\n' |
			sed -e 's/([^)]*)//g' -e 's/:any//g' -e 's/[[:space:]]//g'); do
			alt_ok=
			for alt_a in $(printf '%s' "$alt_d" | tr '|' ' '); do
				dpkg-query -W -f='${Status}\n' "$alt_a" 2>/dev/null | grep -q ' installed$' &&
					alt_ok=1
				dpkg-query -W -f='${Status}|${Provides}\n' 2>/dev/null |
					grep ' installed|' | cut -d'|' -f2 | tr ',' '\n' |
					sed 's/([^)]*)//; s/[[:space:]]//g' | grep -qx "$alt_a" && alt_ok=1
			done
			[ -n "$alt_ok" ] || skip "$alt_p needs $alt_d, which is not installed here"
		done
	done
}

# alt_root PKG...: the overlay root at $ALT_ROOT (see above).
alt_root() {
	assert_not_host_netns
	ALT_DIR=$SR_TMP/alt
	ALT_ROOT=$ALT_DIR/root
	mkdir -p "$ALT_DIR/upper" "$ALT_DIR/work" "$ALT_ROOT" "$ALT_DIR/pkg" ||
		hard_error "cannot create $ALT_DIR"
	mount -t overlay symroute-alt-root \
		-o "lowerdir=/,upperdir=$ALT_DIR/upper,workdir=$ALT_DIR/work" "$ALT_ROOT" ||
		skip "cannot mount an overlay over / here"
	# An overlay's lower layer is one file system, without what is mounted on it: a file
	# system mounted on a top-level directory (tests/package/install-check.sh lays overlays
	# over /usr, /etc and /var, with the package under test in them) gets an overlay of its
	# own, so that the root sees what this namespace sees.
	for alt_m in $(awk '$2 ~ /^\/[^\/]+$/ { print $2 }' /proc/self/mounts | sort -u); do
		case $alt_m in /proc|/sys|/dev|/run|/tmp) continue ;; esac
		[ -d "$alt_m" ] && [ -d "$ALT_ROOT$alt_m" ] || continue
		alt_n=$(printf '%s' "$alt_m" | tr '/' '_')
		mkdir -p "$ALT_DIR/upper$alt_n" "$ALT_DIR/work$alt_n" || hard_error "cannot create $ALT_DIR"
		mount -t overlay "symroute-alt$alt_n" \
			-o "lowerdir=$alt_m,upperdir=$ALT_DIR/upper$alt_n,workdir=$ALT_DIR/work$alt_n" \
			"$ALT_ROOT$alt_m" || skip "cannot mount an overlay over $alt_m here"
	done
	for alt_p in "$@"; do
		dpkg-deb -x "$(alt_deb "$alt_p")" "$ALT_DIR/pkg" || hard_error "dpkg-deb -x $alt_p failed"
		note "$alt_p $(dpkg-deb -f "$(alt_deb "$alt_p")" Version), unpacked into an overlay root"
	done
	# The package's configuration beside the test's interfaces file and hooks.
	if [ -d "$ALT_DIR/pkg/etc/network" ]; then
		(cd "$ALT_DIR/pkg/etc/network" && tar -cf - .) | (cd "$IFUD/network" && tar -xf -) ||
			hard_error "cannot copy the package's /etc/network"
		rm -rf "$ALT_DIR/pkg/etc/network"
	fi
	(cd "$ALT_DIR/pkg" && tar -cf - .) | (cd "$ALT_ROOT" && tar --keep-directory-symlink -xf -) ||
		hard_error "cannot copy the package into the root"
	# What ifupdown2's postinst does that matters here: its entry point made executable.
	[ ! -f "$ALT_ROOT/usr/share/ifupdown2/__main__.py" ] ||
		chmod +x "$ALT_ROOT/usr/share/ifupdown2/__main__.py"
	mount --bind "$IFUD/network" "$ALT_ROOT/etc/network" || hard_error "cannot bind /etc/network"
	mount -t proc proc "$ALT_ROOT/proc" || hard_error "cannot mount proc in the root"
	mount -t sysfs sysfs "$ALT_ROOT/sys" || hard_error "cannot mount sysfs in the root"
	mount --rbind /dev "$ALT_ROOT/dev" || hard_error "cannot bind /dev in the root"
	mount -t tmpfs -o mode=755 alt-run "$ALT_ROOT/run" || hard_error "cannot mount /run in the root"
	mount -t tmpfs alt-tmp "$ALT_ROOT/tmp" || hard_error "cannot mount /tmp in the root"
	mkdir -p "$ALT_ROOT/run/network" "$ALT_ROOT/var/tmp/network"
	# The machine's symroute.conf is not the test's (lib.sh hides it the same way).
	[ ! -e "$ALT_ROOT/etc/symroute.conf" ] || : >"$ALT_ROOT/etc/symroute.conf"
	# The binary under test, wherever it is (a deeper mount point, a build tree).
	if [ "$(stat -L -c %d:%i "$SYMROUTE")" != "$(stat -L -c %d:%i "$ALT_ROOT$SYMROUTE" 2>/dev/null)" ] &&
	   ! cmp -s "$SYMROUTE" "$ALT_ROOT$SYMROUTE"; then
		mkdir -p "$ALT_ROOT$(dirname "$SYMROUTE")" && : >"$ALT_ROOT$SYMROUTE" &&
			mount --bind "$SYMROUTE" "$ALT_ROOT$SYMROUTE" ||
			hard_error "cannot show $SYMROUTE in the overlay root"
	fi
	[ -x "$ALT_ROOT$SYMROUTE" ] || hard_error "$SYMROUTE is not visible in the overlay root"
}

# alt_ng CMD [ARG...]: alt, for ifupdown-ng: Debian 13's package names its commands ifup-ng,
# ifdown-ng and ifquery-ng (they coexist with ifupdown's); Debian 12's ifup, ifdown, ifquery.
alt_ng() {
	alt_c=$1
	shift
	[ ! -e "$ALT_ROOT/usr/sbin/$alt_c-ng" ] || alt_c=$alt_c-ng
	alt "$alt_c" "$@"
}

# alt CMD...: run CMD in the root with a clean environment.
alt() {
	assert_not_host_netns
	chroot "$ALT_ROOT" env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		LC_ALL=C "$@"
}

# alt_envdump: a hook in if-up.d and if-down.d that appends its environment (sorted, one
# call a block) and the interface's addresses at that moment to $IFUD/network/envdump.log,
# to show what the dialect hands a hook.
alt_envdump() {
	for alt_d in if-up.d if-down.d; do
		printf '#!/bin/sh\n{ echo "=== $0"; env | sort; echo "(%s)"; ip -br addr show dev "$IFACE"; } >>/etc/network/envdump.log 2>&1\nexit 0\n' \
			"the interface's addresses at the hook" \
			>"$IFUD/network/$alt_d/zz-envdump" && chmod 755 "$IFUD/network/$alt_d/zz-envdump" ||
			hard_error "cannot install the envdump hook"
	done
}

# alt_bcp38_v6 NS IFACE PREFIX: like IPv4's rp_filter on a router: IPv6 packets that NS
# would forward from IFACE with a source outside PREFIX are dropped (local delivery, ND
# included, is looked up first, in table local).
alt_bcp38_v6() {
	ip_ns "$1" -6 rule add priority 100 iif "$2" from "$3" lookup main ||
		hard_error "$1: IPv6 source rule"
	ip_ns "$1" -6 rule add priority 101 iif "$2" blackhole || hard_error "$1: IPv6 source filter"
}

# ---------------------------------------------------------------------------------------------
# Issue 14's scenario, the same under ifupdown, ifupdown2 and ifupdown-ng: ifupdown-lib.sh's
# two ISPs (ifud_two_routers), which drop foreign sources in both families, and one
# interfaces file that works unchanged under all three (man symroute(8), IFUPDOWN DIALECTS):
# an inet and an inet6 stanza per uplink; eth0 with ifupdown's own `gateway`s (main's
# defaults), eth1 with `symroute-gateway`, one gateway per family, repeated in both of its
# stanzas, and `symroute-table 200`.

# dual_file ETH0-ADDRESS [ETH1-LINE]: the file; ETH1-LINE is added to both eth1 stanzas.
dual_file() {
	dual_x=${2:+
    $2}
	printf '%s\n' "auto lo
iface lo inet loopback

auto eth0
iface eth0 inet static
    address $1/25
    gateway 198.51.100.1

iface eth0 inet6 static
    address 2001:db8:a::10/64
    gateway 2001:db8:a::1

auto eth1
iface eth1 inet static
    address 203.0.113.20/25
    symroute-gateway 203.0.113.1 fe80::2
    symroute-table 200$dual_x

iface eth1 inet6 static
    address 2001:db8:b::20/64
    symroute-gateway 203.0.113.1 fe80::2
    symroute-table 200$dual_x"
}

# dual_setup RUNNER: topology, listeners, the file with eth0 at 198.51.100.10; RUNNER ("alt",
# "alt_ng" or "") runs ifup, ifdown and ifreload (dual_ok). Sets TA (eth0's automatic table).
dual_setup() {
	DUAL_RUNNER=$1
	ifud_two_routers
	alt_bcp38_v6 ra srv 2001:db8:a::/64
	alt_bcp38_v6 rb srv 2001:db8:b::/64
	ifud_setup "$(dual_file 198.51.100.10)"
	alt_envdump
	TA=$(table_of . eth0)
	note "eth0's table: $TA; eth1's: 200 (symroute-table)"
	hello_listen far
	hello_listen .
}

# dual_snapshot FILE: lib.sh's snapshot, after lo is up again: `ifdown -a` takes lo down with
# the rest (the file has `auto lo`), and its routes are not ours to compare.
dual_snapshot() {
	ip link set lo up || hard_error "cannot bring lo up"
	snapshot . "$1"
}

# dual_dialect WHO: the hooks of the first ifup -a were called by WHO, not by another ifup
# found first on the PATH: each one's mark in the environment it handed eth1's hook.
dual_dialect() {
	dual_env=$(sed -n '/^=== .*if-up.d/,/^(/p' "$IFUD/network/envdump.log")
	case $1 in
	ifupdown)
		assert_match "$dual_env" "^PHASE=post-up\$" "ifupdown ran the hooks (PHASE=post-up)"
		assert_match "$dual_env" "^ADDRFAM=inet6\$" "ifupdown: one call per stanza" ;;
	ifupdown2)
		assert_match "$dual_env" "^PHASE=up\$" "ifupdown2 ran the hooks (PHASE=up)"
		assert_match "$dual_env" "^ADDRFAM=inet,inet6\$" "ifupdown2: the stanzas merged" ;;
	ifupdown-ng)
		assert_match "$dual_env" "^METHOD=none\$" "ifupdown-ng ran the hooks (METHOD=none)"
		assert_match "$dual_env" "^IF_ADDRESSES=203\.0\.113\.20/25 2001:db8:b::20/64" \
			"ifupdown-ng: every address in IF_ADDRESSES" ;;
	esac
}

# dual_ok CMD...: ifud_ok through the runner.
dual_ok() { ifud_ok $DUAL_RUNNER "$@"; }

# dual_wait_dad: ifup's IPv6 addresses out of tentative (DAD runs with the stack's settings).
dual_wait_dad() {
	wait_for 10 sh -c '[ -z "$(ip -6 addr show tentative)" ]' ||
		hard_error "IPv6 addresses stayed tentative"
}

# dual_assert WHAT ETH0-ADDRESS: what an administrator checks with both uplinks up: a rule per
# address into its uplink's table, each table's default via its ISP, and a new TCP
# connection from the far side to every address (each ISP drops the other's sources).
dual_assert() {
	dual_wait_dad
	dual_r4=$(ip -4 rule show)
	dual_r6=$(ip -6 rule show)
	note "$1: ip -4 rule / ip -6 rule:"; sr_indent "$dual_r4
$dual_r6"
	assert_match "$dual_r4" "^31100:[[:space:]]+from $(re_quote "$2") lookup $TA proto $P ?\$" \
		"$1: eth0's IPv4 rule"
	assert_match "$dual_r4" "^31100:[[:space:]]+from 203\.0\.113\.20 lookup 200 proto $P ?\$" \
		"$1: eth1's IPv4 rule, table 200"
	assert_count "$dual_r4" "^31100:" 2 "$1: one IPv4 rule per address"
	assert_match "$dual_r6" "^31100:[[:space:]]+from 2001:db8:a::10 lookup $TA proto $P ?\$" \
		"$1: eth0's IPv6 rule"
	assert_match "$dual_r6" "^31100:[[:space:]]+from 2001:db8:b::20 lookup 200 proto $P ?\$" \
		"$1: eth1's IPv6 rule, table 200"
	assert_count "$dual_r6" "^31100:" 2 "$1: one IPv6 rule per address"
	assert_match "$(ifud_table_routes "$TA")" "^default via 198\.51\.100\.1 dev eth0 proto $P" \
		"$1: eth0's IPv4 table: ifupdown's gateway"
	assert_match "$(ifud_table_routes "$TA" -6)" "^default via 2001:db8:a::1 dev eth0 proto $P" \
		"$1: eth0's IPv6 table: ifupdown's gateway"
	assert_match "$(ifud_table_routes 200)" "^default via 203\.0\.113\.1 dev eth1 proto $P" \
		"$1: table 200: symroute-gateway's IPv4 gateway"
	assert_match "$(ifud_table_routes 200 -6)" "^default via fe80::2 dev eth1 proto $P" \
		"$1: table 200: symroute-gateway's IPv6 gateway"
	for dual_a in "$2" 203.0.113.20 2001:db8:a::10 2001:db8:b::20; do
		hello_connect far "$dual_a" || fail "$1: a TCP connection from the far side to $dual_a failed"
	done
}

# dual_cycle WHO: the scenario for the stacks without ifreload (ifupdown, ifupdown-ng), after
# dual_setup (and alt_root): ifup -a and dual_assert; ifdown -a back to exactly the state
# before; ifup -a; eth0's address changed (ifdown eth0, the file, ifup eth0); `symroute off`
# in eth1's stanzas (ifdown eth1, the file, ifup eth1): nothing of ours for eth1, and its
# address stops answering (the ISPs drop replies that leave by the other uplink, which also
# shows that the TCP checks can fail); ifdown -a: nothing of ours, the state before.
dual_cycle() {
	dual_snapshot "$SR_TMP/before"
	dual_ok ifup -a
	note "what $1 handed the hooks:"; sr_indent "$(cat "$IFUD/network/envdump.log")"
	dual_dialect "$1"
	dual_assert "ifup -a" 198.51.100.10

	: >"$IFUD/network/envdump.log"
	dual_ok ifdown -a
	note "what $1 handed the if-down.d hooks:"; sr_indent "$(cat "$IFUD/network/envdump.log")"
	assert_eq "" "$(ifud_ours)" "ifdown -a: no rule and no route of ours"
	dual_snapshot "$SR_TMP/after"
	assert_files_eq "$SR_TMP/before" "$SR_TMP/after" \
		"ifdown -a: the rules and routes are the ones before ifup"

	dual_ok ifup -a
	dual_assert "ifup -a again" 198.51.100.10
	dual_ok ifdown eth0
	dual_file 198.51.100.11 >"$IFUD/network/interfaces"
	dual_ok ifup eth0
	assert_no_match "$(ip -4 rule show)" "from 198\.51\.100\.10 " "the old address's rule is gone"
	dual_assert "eth0 at .11" 198.51.100.11

	dual_ok ifdown eth1
	dual_file 198.51.100.11 "symroute off" >"$IFUD/network/interfaces"
	dual_ok ifup eth1
	dual_wait_dad
	assert_match "$(ip -4 addr show dev eth1)" "203\.0\.113\.20/25" "symroute off: eth1 is up"
	assert_no_match "$(ip -4 rule show; ip -6 rule show)" "lookup 200 " \
		"symroute off: no rule of eth1's"
	assert_eq "" "$(ifud_table_routes 200; ifud_table_routes 200 -6)" "symroute off: table 200 is empty"
	assert_match "$(ip -4 rule show)" "from 198\.51\.100\.11 lookup $TA " "symroute off: eth0's rule stays"
	hello_connect far 198.51.100.11 || fail "symroute off on eth1: eth0's address stopped answering"
	! hello_connect far 203.0.113.20 ||
		fail "symroute off on eth1: its address still answers: the ISPs do not drop foreign sources"
	! hello_connect far 2001:db8:b::20 ||
		fail "symroute off on eth1: its IPv6 address still answers: the ISPs do not drop foreign sources"

	dual_ok ifdown -a
	assert_eq "" "$(ifud_ours)" "ifdown -a after all that: no rule and no route of ours"
	dual_snapshot "$SR_TMP/after"
	assert_files_eq "$SR_TMP/before" "$SR_TMP/after" \
		"ifdown -a: the rules and routes are the ones before the first ifup"
}

# dual_sync WHO ETH0-ADDRESS: what `symroute sync` reads of WHO's state file and stanzas, with
# the interfaces up: everything of ours removed behind ifup's back (symroute flush), one sync
# in the root puts back every rule, table and default, symroute-table 200 included; a second
# sync sends nothing.
dual_sync() {
	alt "$SYMROUTE" flush || fail "$1: symroute flush failed"
	assert_eq "" "$(ifud_ours)" "$1: symroute flush left nothing of ours"
	dual_out=$(alt "$SYMROUTE" sync -v 2>&1) || fail "$1: symroute sync failed: $dual_out"
	note "$1: symroute sync -v after symroute flush:"; sr_indent "$dual_out"
	dual_assert "$1: symroute sync after flush" "$2"
	monitor_start
	alt "$SYMROUTE" sync || fail "$1: a second symroute sync failed"
	monitor_stop
	assert_eq "" "$MON_EVENTS" "$1: a second sync sends nothing"
}
