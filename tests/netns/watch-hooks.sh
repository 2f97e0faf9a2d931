#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: hooks and `symroute watch` together: hundreds of random ifup/ifdown-like events on two uplinks end in the model's state, no duplicate rule, status in sync.
#
# lib.sh's two ISPs and far host (isps_far_side; routers A and B drop foreign sources); the
# host's eth0 to A (198.51.100.10/25, 2001:db8:a::10/64, gateways 198.51.100.1 and
# 2001:db8:a::1) and eth1 to B (203.0.113.20/25, 2001:db8:b::20/64, gateways 203.0.113.1 and
# B's link-local fe80::2), links up, no address at first. The watcher runs throughout. Two
# workers, one per interface, run at once (so their events, the hooks' symroute runs and the
# watcher's reconciles overlap and meet only in symroute's lock and the kernel); each draws
# its events from the seed:
#	ifup	addresses, main's defaults (proto boot, metric 100 for eth0, 200 for eth1, as
#		ifupdown's `gateway` adds them), then the ifupdown hook, post-up, inet and inet6
#	ifdown	the hook, pre-down, inet and inet6, then the defaults and the addresses go (ifdown's
#		order: the watcher may put the interface back in between; the addresses' going
#		ends it)
#	dhcp	addresses and defaults (proto dhcp and ra), no hook: the watcher's job alone (the
#		worker waits for its rules, unless the interface is off)
#	expire	defaults and addresses go, no hook
#	nodef	only the defaults go (a lease's router withdrawn), no hook
#	down	`symroute down IF` by hand
#	up	`symroute up IF -g GW4 -g GW6` by hand (when the addresses are there)
# The model, per interface, from the contract (with its update of 19:14, off marks): A (the
# addresses are there), D (main has a default of someone else's via it), O (a `symroute down`
# by hand marked it off: the watcher leaves it alone until `symroute up` by hand or a hook's
# up), M (our state: up or down).
#	A = 0: M = down (an uplink without a global address gets nothing);
#	ifup (the hook's up), `symroute up`: M = up, O = 0; `symroute down`: M = down, O = 1;
#	ifdown (the hook's down): M = down, O stays;
#	A = 1, D = 1, O = 0: M = up (an uplink by main's default: the watcher's job);
#	otherwise M stays what the last hook or command left ("ours already": the watcher keeps
#	state it finds, and adds none where nothing makes the interface an uplink or it is off).
# Three rounds; after each (the watcher given 2 s, stretched by SR_WAIT_SCALE), per interface and family,
# exactly `up`'s rule, table and fallback default when M = up, nothing of ours when down; the
# shared rule once per family while any is up; no duplicate or orphan rule; main's defaults of
# someone else's untouched; `symroute status` in sync with the watcher running; TCP from the
# far side to each IPv4 address that is up (the router behind the other uplink would drop it).
#
# The next round goes on from the state the last one left.
#
# WATCH_HOOKS_ROUNDS (default 3), WATCH_HOOKS_EVENTS (per worker and round, default 50),
# WATCH_HOOKS_SECONDS (default 30: the workers stop early rather than overrun), WATCH_SEED
# (default 1, so the suite sends the same events every run; "random" draws one, printed).
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"
. "$(dirname "$0")/watch-lib.sh"

ROUNDS=${WATCH_HOOKS_ROUNDS:-3}
EVENTS=${WATCH_HOOKS_EVENTS:-50}
LIMIT=${WATCH_HOOKS_SECONDS:-30}
SEED=${WATCH_SEED:-1}
[ "$SEED" = random ] && SEED=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
note "seed $SEED, $ROUNDS rounds of up to $EVENTS events per interface, at most ${LIMIT}s of events"

ns_add ra
ns_add rb
veth_pair . eth0 ra srv
veth_pair . eth1 rb srv
isps_far_side
settle . ra rb far
hello_listen .
# IF ADDR4 GW4 ADDR6 GW6 METRIC
UPLINKS="eth0 198.51.100.10 198.51.100.1 2001:db8:a::10 2001:db8:a::1 100
eth1 203.0.113.20 203.0.113.1 2001:db8:b::20 fe80::2 200"

watch_start
watch_ready

# taken_on IF ADDR4 ADDR6: both families' rules of ours for IF's addresses are there.
taken_on() {
	ip -4 rule show | grep -q "from $2 lookup $(table_of . "$1") proto $P" &&
		ip -6 rule show | grep -q "from $3 lookup $(table_of . "$1") proto $P"
}

# worker ROUND N IF ADDR4 GW4 ADDR6 GW6 METRIC: a round's events on one interface, from the
# model the last round left in $SR_TMP/model.IF ("IF A D M O", rewritten at the end); one line
# per event in $SR_TMP/events.IF.
worker() {
	round=$1 n=$2 ifc=$3 a4=$4 gw4=$5 a6=$6 gw6=$7 met=$8
	A=0 D=0 M=down O=0
	[ -s "$SR_TMP/model.$ifc" ] && read -r _ A D M O <"$SR_TMP/model.$ifc"
	hook() {	# MODE PHASE ADDRFAM [ADDRESS NETMASK GATEWAY]
		env -i PATH="$PATH" IFACE="$ifc" LOGICAL="$ifc" ADDRFAM="$3" METHOD=static MODE="$1" \
			PHASE="$2" ${4:+IF_ADDRESS=$4 IF_NETMASK=$5 IF_GATEWAY=$6} \
			"$SYMROUTE" ifupdown-hook 2>&1 || { echo "ifupdown-hook $1 $3 on $ifc exited $?"; return 1; }
	}
	add_addresses() {
		[ $A = 1 ] && return 0
		A=1
		ip -4 addr add "$a4/25" dev "$ifc" && ip -6 addr add "$a6/64" dev "$ifc" nodad
	}
	add_defaults() {	# PROTO4 PROTO6
		[ $D = 1 ] && return 0
		D=1
		ip -4 route add default via "$gw4" dev "$ifc" proto "$1" metric "$met" &&
			ip -6 route add default via "$gw6" dev "$ifc" proto "$2" metric "$met"
	}
	del_defaults() {
		[ $D = 0 ] && return 0
		D=0
		ip -4 route del default dev "$ifc" metric "$met" && ip -6 route del default dev "$ifc" metric "$met"
	}
	del_addresses() {
		[ $A = 0 ] && return 0
		A=0
		ip -4 addr del "$a4/25" dev "$ifc" && ip -6 addr del "$a6/64" dev "$ifc"
	}
	awk -v seed="$((SEED * 16 + round * 2 + n))" -v e="$EVENTS" \
		'BEGIN { srand(seed); for (i = 0; i < e; i++) print int(rand() * 7) }' >"$SR_TMP/draw.$ifc"
	while read -r kind; do
		[ "$(date +%s)" -lt "$DEADLINE" ] || break
		case $kind in
		0) what=ifup
			add_addresses && add_defaults boot boot &&
				hook start post-up inet "$a4" 255.255.255.128 "$gw4" &&
				hook start post-up inet6 "$a6" 64 "$gw6" || return 1
			M=up O=0 ;;
		1) what=ifdown
			hook stop pre-down inet && hook stop pre-down inet6 && del_defaults && del_addresses ||
				return 1
			M=down ;;
		2) what=dhcp
			add_addresses && add_defaults dhcp ra || return 1
			# Wait for the watcher before the next event: a default gone again within
			# its 80 ms of coalescing was never there for it, and the model would not
			# know whether it acted.
			if [ "$O" = 0 ]; then
				M=up
				wait_for 2 taken_on "$ifc" "$a4" "$a6" ||
					{ echo "dhcp on $ifc: the watcher did not take it on within 2 s"; return 1; }
			fi ;;
		3) what=expire
			del_defaults && del_addresses || return 1
			M=down ;;
		4) what=nodef
			del_defaults || return 1 ;;
		5) what=down
			"$SYMROUTE" down "$ifc" 2>&1 || { echo "symroute down $ifc exited $?"; return 1; }
			M=down O=1 ;;
		6) what=up
			[ $A = 1 ] || continue
			"$SYMROUTE" up "$ifc" -g "$gw4" -g "$gw6" 2>&1 ||
				{ echo "symroute up $ifc exited $?"; return 1; }
			M=up O=0 ;;
		esac
		echo "$what A=$A D=$D M=$M O=$O" >>"$SR_TMP/events.$ifc"
	done <"$SR_TMP/draw.$ifc"
	echo "$ifc $A $D $M $O" >"$SR_TMP/model.$ifc"
}

# round R: both workers at once, then the check.
round() {
	t0=$(date +%s%N)
	pids=
	n=0
	while read -r ifc a4 gw4 a6 gw6 met; do
		worker "$1" $n "$ifc" "$a4" "$gw4" "$a6" "$gw6" "$met" >"$SR_TMP/worker.$ifc" 2>&1 &
		pids="$pids $!"
		SR_PIDS="$SR_PIDS $!"
		n=$((n + 1))
	done <<EOF
$UPLINKS
EOF
	status=0
	for pid in $pids; do
		wait "$pid" || status=1
	done
	SR_PIDS=$(printf '%s\n' $SR_PIDS | grep -vxF "$(printf '%s\n' $pids)" | tr '\n' ' ')
	t1=$(date +%s%N)
	for ifc in eth0 eth1; do
		[ -s "$SR_TMP/worker.$ifc" ] && { note "worker $ifc said:"; sr_indent "$(cat "$SR_TMP/worker.$ifc")"; }
	done
	[ $status = 0 ] || fail "round $1: a worker's command failed (seed $SEED)"
	events=$(cat "$SR_TMP"/events.* | wc -l)
	ms=$((ms + (t1 - t0) / 1000000))
	cat "$SR_TMP"/model.eth0 "$SR_TMP"/model.eth1 >"$SR_TMP/model"
	note "round $1: $events events so far, $ms ms; the last ones:"
	for ifc in eth0 eth1; do
		note "$ifc: $(tail -n 4 "$SR_TMP/events.$ifc" | tr '\n' ';')"
	done
	note "model (IF A D M O):"; sr_indent "$(cat "$SR_TMP/model")"
	check "$1"
}

# differs IF ADDR4 GW4 ADDR6 GW6 METRIC A D M O: 1 if the kernel holds the model's state for
# IF; else 0, with the first difference in $DIFF.
differs() {
	ifc=$1 a4=$2 gw4=$3 a6=$4 gw6=$5 met=$6 D=$8 M=$9
	t=$(table_of . "$ifc")
	for f in 4 6; do
		if [ $f = 4 ]; then a=$a4 gw=$gw4; else a=$a6 gw=$gw6; fi
		r=$(ip -$f rule show | grep -E "lookup $t( |\$)")
		rt=$(ip -$f route show table "$t" 2>/dev/null)
		ours=$(ip -$f route show table main default dev "$ifc" proto 73)
		theirs=$(ip -$f route show table main default dev "$ifc" | grep -v " proto $P")
		DIFF="$ifc IPv$f, model: $M, a default of someone else's: $D
  rules into $t: $r
  table $t: $rt
  our defaults in main: $ours
  others' defaults in main: $theirs"
		if [ "$M" = up ]; then
			printf '%s\n' "$r" | grep -qE "^31100:[[:space:]]+from $(re_quote "$a") lookup $t proto $P ?\$" &&
				[ "$(printf '%s\n' "$r" | grep -c .)" = 1 ] &&
				printf '%s\n' "$rt" | grep -qE "^default via $(re_quote "$gw") dev $ifc proto $P" &&
				[ "$(printf '%s\n' "$rt" | grep -c .)" = 2 ] &&
				printf '%s\n' "$ours" | grep -qE "^default via $(re_quote "$gw") metric $t( |\$)" || return 0
		else
			[ -z "$r$rt$ours" ] || return 0
		fi
		if [ "$D" = 1 ]; then
			printf '%s\n' "$theirs" | grep -qE "^default via $(re_quote "$gw") (proto [a-z]+ )?metric $met( |\$)" ||
				return 0
		else
			[ -z "$theirs" ] || return 0
		fi
	done
	DIFF=
	return 1
}
model_of() { awk -v i="$1" '$1 == i { print $2, $3, $4, $5 }' "$SR_TMP/model"; }
# as_modelled: every interface holds the model's state (for wait_for).
as_modelled() {
	while read -r ifc a4 gw4 a6 gw6 met; do
		differs "$ifc" "$a4" "$gw4" "$a6" "$gw6" "$met" $(model_of "$ifc") && return 1
	done <<EOF
$UPLINKS
EOF
	return 0
}
# check ROUND: the kernel, status and TCP agree with the model.
check() {
	if ! wait_for 2 as_modelled; then
		as_modelled
		fail "round $1: the kernel does not hold the model's state 2 s after the last event (seed $SEED):
$DIFF"
	fi

	R4=$(ip -4 rule show)
	R6=$(ip -6 rule show)
	assert_eq "" "$(printf '%s\n' "$R4" | sort | uniq -d; printf '%s\n' "$R6" | sort | uniq -d)" "round $1: duplicate rules"
	n_up=$(awk '$4 == "up"' "$SR_TMP/model" | wc -l)
	any=0
	[ "$n_up" = 0 ] || any=1
	for f in 4 6; do
		R=$(ip -$f rule show)
		assert_count "$R" "^31000:[[:space:]]+from all lookup main suppress_prefixlength 0 proto $P ?\$" "$any" \
			"round $1: IPv$f: the shared rule, once while an interface is up"
		assert_count "$R" " proto $P" $((n_up + any)) "round $1: IPv$f: rules of ours (no orphan)"
	done

	sr_ok status
	note "symroute status:"; sr_indent "$SR_OUT"
	assert_not_contains "$SR_OUT" "DRIFT" "round $1: status: nothing drifted"
	assert_no_match "$SR_OUT" "^orphan " "round $1: status: no orphan"
	assert_match "$SR_OUT" "^watcher: running \(pid $WATCH_PID\) since " "round $1: status: the watcher runs"
	assert_count "$SR_OUT" ": in sync\$" $((2 * n_up)) "round $1: status: each family of each interface up is in sync"

	while read -r ifc a4 gw4 a6 gw6 met; do
		[ "$(model_of "$ifc" | cut -d' ' -f3)" = up ] || continue
		hello_connect far "$a4" || fail "round $1: TCP from the far side to $a4 ($ifc up) failed"
		assert_match "$(ip -6 route get "$FAR6" from "$a6")" " dev $ifc table $(table_of . "$ifc") " \
			"round $1: replies from $a6 leave by $ifc"
	done <<EOF
$UPLINKS
EOF
}

ms=0
: >"$SR_TMP/events.eth0"
: >"$SR_TMP/events.eth1"
DEADLINE=$(($(date +%s) + LIMIT))
rnd=1
while [ $rnd -le "$ROUNDS" ]; do
	round $rnd
	rnd=$((rnd + 1))
done
[ "$events" -ge 200 ] || fail "only $events events ran in ${LIMIT}s: too slow to stress anything"
actions=$(sed -n 's/^actions=//p' /run/symroute/watch.state 2>/dev/null)
note "the watcher's actions: ${actions:-unknown}"
watch_stop
pass "$events events on two uplinks with the watcher running, in $ROUNDS rounds, $ms ms: state = model after each round (last: $(tr '\n' ';' <"$SR_TMP/model")), seed $SEED, watcher actions ${actions:-unknown}"
