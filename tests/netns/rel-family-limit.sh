#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: one family past the address bound does not block the other (issue 18, finding 1).
# eth1 has one IPv4 address and 65 IPv6 ones (the bound is 64 per interface and family):
# a NetworkManager `up` carrying both families, and `symroute up eth1`, refuse IPv6 with one
# line naming eth1 and IPv6 and what follows (exit 2), and still route IPv4; IPv6 is left
# exactly as it was. In narrow mode too.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"

ns_add peer
veth_pair . eth1 peer p1
addr . eth1 198.51.100.10/24
ip -4 route add default via 198.51.100.1 || hard_error "main default"
i=1
while [ $i -le 65 ]; do
	printf 'address add 2001:db8:1::%x/64 dev eth1 nodad\n' $i
	i=$((i + 1))
done | ip -batch - || hard_error "eth1's IPv6 addresses"
settle .
T1=$(table_of . eth1)
NARROW=$SR_TMP/narrow.conf
printf '[symroute]\nnarrow = true\n' >"$NARROW"

# The dispatcher's environment for eth1 up, as NetworkManager writes it: every address.
nm_env() {
	printf 'DEVICE_IFACE=eth1\nDEVICE_IP_IFACE=eth1\nCONNECTION_ID=eth1\n'
	printf 'IP4_NUM_ADDRESSES=1\nIP4_ADDRESS_0=198.51.100.10/24 198.51.100.1\n'
	printf 'IP4_GATEWAY=198.51.100.1\nIP6_NUM_ADDRESSES=65\nIP6_GATEWAY=2001:db8:1::ffff\n'
	i=0
	while [ $i -lt 65 ]; do
		printf 'IP6_ADDRESS_%s=2001:db8:1::%x/64 2001:db8:1::ffff\n' $i $((i + 1))
		i=$((i + 1))
	done
}
nm_env >"$SR_TMP/nm.env"

# nm_up: symroute nm-dispatcher eth1 up, with that environment only.
nm_up() {
	(
		set --
		while IFS= read -r line; do set -- "$@" "$line"; done <"$SR_TMP/nm.env"
		exec env -i PATH="$PATH" "$@" timeout -k 2 "$SR_RUN_TIMEOUT" "$SYMROUTE" \
			nm-dispatcher eth1 up
	) >"$SR_TMP/out" 2>"$SR_TMP/err"
	SR_RC=$?
	SR_ERR=$(cat "$SR_TMP/err")
}

# check WHAT: exit 2, one line naming eth1 and IPv6, IPv4 routed, IPv6 as it was.
check() {
	assert_eq 2 "$SR_RC" "$1: exit 2 (the IPv6 refusal is reported)"
	assert_eq 1 "$(printf '%s\n' "$SR_ERR" | grep -c .)" "$1: one line on stderr"
	assert_contains "$SR_ERR" "eth1 has" "$1: the line names the interface"
	assert_contains "$SR_ERR" "IPv6 addresses" "$1: the line names the family"
	assert_contains "$SR_ERR" "at most 64 per interface and family: IPv6 left as it was, IPv4 goes on" \
		"$1: the line says what follows"
	assert_match "$(ip -4 rule show)" "from 198\.51\.100\.10 lookup $T1 proto $P" \
		"$1: IPv4 got its rule"
	assert_match "$(ip -4 route show table "$T1")" "default via 198\.51\.100\.1 dev eth1" \
		"$1: IPv4 got its table"
	assert_no_match "$(ip -6 rule show)" "proto $P" "$1: no IPv6 rule"
	assert_eq "" "$(ip -6 route show table all proto 73)" "$1: no IPv6 route"
}

for conf in "" "$NARROW"; do
	mode=${conf:+narrow}
	mode=${mode:-full}
	# NetworkManager: the event itself carries 65 IPv6 addresses (full mode: the hook
	# reads /etc/symroute.conf, which the sandbox leaves empty).
	if [ -z "$conf" ]; then
		nm_up
		check "$mode, NetworkManager up"
		sr_ok down eth1
	fi
	# The command line, addresses from the kernel.
	sr up eth1 ${conf:+-c "$conf"}
	check "$mode, up eth1"
	# Again: IPv4 converged, nothing sent, the same refusal.
	sr up eth1 ${conf:+-c "$conf"}
	check "$mode, up eth1 again"
	sr_ok down eth1 ${conf:+-c "$conf"}
	assert_no_match "$(ip -4 rule show)" "proto $P" "$mode: down removes IPv4's rules"
done

# 64 IPv6 addresses: both families routed, exit 0.
ip -6 addr del 2001:db8:1::41/64 dev eth1 || hard_error "cannot delete one IPv6 address"
sr_ok up eth1
assert_count "$(ip -6 rule show)" "lookup $T1 proto $P" 64 "64 IPv6 addresses: 64 rules"
sr_ok down eth1

pass "one family past the address bound is refused alone; the other is routed"
