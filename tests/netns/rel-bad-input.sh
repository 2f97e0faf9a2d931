#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: the bad-input catalogue: each input gives its exit code and one-line error, and changes nothing.
#
# Rows come from tests/fixtures/bad-input/catalogue.tsv (its header says how to read them).
# The namespace holds a managed eth1, an unmanaged eth2 and foreign rules and routes; after
# every row, `ip rule` and `ip route show table all` (both families) must be what they were.
# REL_DISCOVER=1 prints what each row really gives instead of failing (to write new rows).
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"

catalogue=$top_srcdir/tests/fixtures/bad-input/catalogue.tsv
[ -r "$catalogue" ] || hard_error "no catalogue at $catalogue"

ns_add peer
veth_pair . eth1 peer p1
veth_pair . eth2 peer p2
addr . eth1 198.51.100.10/24 2001:db8:1::10/64
addr . eth2 203.0.113.20/24
ip -4 route add default via 198.51.100.1 || hard_error "main default"
ip -6 route add default via 2001:db8:1::1 dev eth1 || hard_error "main default (IPv6)"
ip -4 rule add priority 500 from 203.0.113.99 lookup 77 || hard_error "foreign rule"
ip -4 route add 203.0.113.128/25 via 203.0.113.1 table 77 || hard_error "foreign table"
ip -4 rule add priority 600 fwmark 0x1 lookup 78 || hard_error "foreign rule, empty table"
# eth3: more global addresses than symroute handles for one interface (LINK_MAX_ADDRS, 64).
veth_pair . eth3 peer p3
i=1
while [ $i -le 70 ]; do
	printf 'address add 2001:db8:3::%x/64 dev eth3 nodad\n' $i
	i=$((i + 1))
done | ip -batch - || hard_error "eth3's addresses"
sr_ok up eth1
IDX2=$(ifindex . eth2)
CONF=$SR_TMP/symroute.conf
# Config files symroute must not trust: writable by others, another user's, not a file.
CONF_WW=$SR_TMP/world-writable.conf
CONF_NOBODY=$SR_TMP/nobody.conf
CONF_FIFO=$SR_TMP/fifo.conf
printf '[symroute]\npriority = 31200\n' >"$CONF_WW" && chmod 0666 "$CONF_WW" ||
	hard_error "cannot write $CONF_WW"
printf '[symroute]\npriority = 31200\n' >"$CONF_NOBODY" && chown 65534 "$CONF_NOBODY" ||
	hard_error "cannot write $CONF_NOBODY"
mkfifo "$CONF_FIFO" || hard_error "cannot make $CONF_FIFO"

# addrs N: N distinct --address options (198.51.100.1 .. N).
addrs() {
	i=1
	while [ "$i" -le "$1" ]; do
		printf -- '-a 198.51.100.%s/24 ' "$i"
		i=$((i + 1))
	done
}

# nm_addrs N: N IP4_ADDRESS_<i> variables (198.51.100.1 .. N, no gateway).
nm_addrs() {
	i=0
	while [ "$i" -lt "$1" ]; do
		printf 'IP4_ADDRESS_%s=198.51.100.%s/24 ' "$i" $((i + 1))
		i=$((i + 1))
	done
}

snapshot . "$SR_TMP/before"
rows=0
failed=0
skipped=0
tab=$(printf '\t')
while IFS=$tab read -r id kind want msg input; do
	case $id in '' | '#'*) continue ;; esac
	rows=$((rows + 1))
	known_bug=
	case $kind in *!) known_bug=1; kind=${kind%!} ;; esac
	case $kind in
	cli)
		eval "set -- $input"
		symroute_in . "$@"
		;;
	config)
		printf '%b' "$input" >"$CONF"
		symroute_in . up eth1 -c "$CONF"
		;;
	ifupdown | dhclient | dhcpcd)
		eval "set -- $input"
		in_ns . env -i PATH="$PATH" "$@" "$SYMROUTE" "$kind-hook" >"$SR_TMP/out" 2>"$SR_TMP/err"
		SR_RC=$?
		SR_ERR=$(cat "$SR_TMP/err")
		;;
	nm)
		eval "set -- $input"
		nm_if=$1
		nm_action=$2
		shift 2
		in_ns . env -i PATH="$PATH" "$@" "$SYMROUTE" nm-dispatcher "$nm_if" "$nm_action" \
			>"$SR_TMP/out" 2>"$SR_TMP/err"
		SR_RC=$?
		SR_ERR=$(cat "$SR_TMP/err")
		;;
	*)
		hard_error "catalogue row $id: unknown kind $kind"
		;;
	esac
	lines=$(printf '%s\n' "$SR_ERR" | grep -c .)
	snapshot . "$SR_TMP/after"
	if [ "${REL_DISCOVER:-}" = 1 ]; then
		printf '%s\t%s\t%s\t%s\n' "$id" "$kind" "$SR_RC" "$SR_ERR"
		cmp -s "$SR_TMP/before" "$SR_TMP/after" || printf '%s\tSTATE CHANGED\n' "$id"
		cp "$SR_TMP/after" "$SR_TMP/before"
		continue
	fi
	why=
	[ "$SR_RC" = "$want" ] || why="exit $SR_RC, expected $want"
	printf '%s\n' "$SR_ERR" | grep -qF -e "$msg" || why="${why:+$why; }no '$msg' in stderr"
	[ "$lines" = 1 ] || why="${why:+$why; }$lines lines on stderr, expected one"
	cmp -s "$SR_TMP/before" "$SR_TMP/after" || why="${why:+$why; }the kernel's state changed"
	if [ -n "$why" ] && [ -n "$known_bug" ]; then
		skipped=$((skipped + 1))
		printf 'skip %s (%s): open bug, still misbehaves: %s\n' "$id" "$kind" "$why"
		sr_indent "$SR_ERR"
		# Put eth1 back as the setup left it, and any rule into eth2's automatic table
		# that symroute might leave behind (table-auto-other's bug) by hand.
		sr_ok up eth1
		for fam in -4 -6; do
			while ip $fam rule del lookup $((1000000 + IDX2)) 2>/dev/null; do :; done
		done
		snapshot . "$SR_TMP/after"
		cmp -s "$SR_TMP/before" "$SR_TMP/after" || {
			diff -u "$SR_TMP/before" "$SR_TMP/after"
			hard_error "cannot restore after $id"
		}
	elif [ -n "$why" ]; then
		failed=$((failed + 1))
		printf 'not ok %s (%s): %s\n' "$id" "$kind" "$why"
		sr_indent "$SR_ERR"
		diff -u "$SR_TMP/before" "$SR_TMP/after" | sed 's/^/    /'
		# Leave the namespace as the next rows expect it.
		cmp -s "$SR_TMP/before" "$SR_TMP/after" || hard_error "state changed: cannot go on"
	elif [ -n "$known_bug" ]; then
		failed=$((failed + 1))
		printf 'not ok %s: marked as an open bug (KIND!) but behaves: drop the "!"\n' "$id"
	else
		printf 'ok %s (%s): exit %s: %s\n' "$id" "$kind" "$SR_RC" "$SR_ERR"
	fi
done <"$catalogue"

[ "$rows" -gt 0 ] || hard_error "the catalogue has no rows"
[ "$failed" = 0 ] || fail "$failed of $rows bad inputs misbehaved"
pass "$rows bad inputs ($skipped open bugs skipped): each refused with its exit code and one line, nothing changed"
