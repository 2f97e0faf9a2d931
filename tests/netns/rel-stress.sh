#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: concurrency stress: hundreds of random events on 32 interfaces from 4 processes at once.
#
# 32 veth links s0..s31 (s<k>: 198.51.100.<8k>/29, gateway .<8k+1>, its IPv4 address moves
# among .<8k+2>...<8k+6>; 2001:db8:<k>::10/64, gateway 2001:db8:<k>::1). Worker w owns the
# links k with k % 4 == w, so events on one link happen in a known order while the four
# workers' symroute runs (CLI up/down, ifupdown and dhclient hooks, address changes) overlap
# freely and meet only in symroute's own lock and the kernel. Each worker logs the state its
# last event left per link and family; at the end the kernel must hold exactly that: one
# "from ADDR lookup T" rule and a table with the connected route and the default per family
# that is up, nothing of ours for a family that is down, the shared rule once per family while
# any is up, no duplicate or orphan rule, and the foreign rules and routes as they were.
#
# REL_STRESS_EVENTS (per worker, default 200), REL_STRESS_SECONDS (default 45: a worker stops
# early rather than overrun), REL_SEED (default 1, so the suite sends the same events every
# run; REL_SEED=random draws one, printed, to explore).
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"

N=32
W=4
EVENTS=${REL_STRESS_EVENTS:-200}
LIMIT=${REL_STRESS_SECONDS:-45}
SEED=${REL_SEED:-1}
[ "$SEED" = random ] && SEED=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
note "seed $SEED ($N links, $W workers, up to $EVENTS events each, at most ${LIMIT}s)"

ns_add peer
# Moving an address adds the new one first: deleting the old primary must promote the new one
# instead of taking every secondary with it.
ns_sysctl . net.ipv4.conf.all.promote_secondaries 1
ns_sysctl . net.ipv4.conf.default.promote_secondaries 1
{
	k=0
	while [ $k -lt $N ]; do
		echo "link add s$k type veth peer name p$k netns peer"
		k=$((k + 1))
	done
} | ip -batch - || hard_error "cannot create $N veth links"
k=0
while [ $k -lt $N ]; do
	ip link set s$k up && ip -n peer link set p$k up || hard_error "link s$k"
	ip addr add 198.51.100.$((8 * k + 2))/29 dev s$k || hard_error "address of s$k"
	ip -6 addr add 2001:db8:$(printf %x $k)::10/64 dev s$k nodad || hard_error "s$k IPv6"
	k=$((k + 1))
done
# Foreign: a link with main's IPv4 default, a rule and a table of someone else's.
veth_pair . fg0 peer fgp
addr . fg0 203.0.113.20/24
ip -4 route add default via 203.0.113.1 dev fg0 || hard_error "main default"
ip -4 rule add priority 500 from 203.0.113.99 lookup 77 || hard_error "foreign rule"
ip -6 rule add priority 501 from 2001:db8:ffff::1 lookup 78 || hard_error "foreign rule"
ip -4 route add 203.0.113.128/25 via 203.0.113.1 table 77 || hard_error "foreign route"
ip -6 route add 2001:db8:ffff::/48 dev fg0 table 78 || hard_error "foreign route"

foreign() {
	ip -4 rule show | grep -v 'proto symroute'
	ip -6 rule show | grep -v 'proto symroute'
	# Routes symroute must not touch; the kernel's own routes of s<k> follow the test's
	# address changes, so they are left out.
	ip -4 route show table all | grep -v 'proto symroute' | grep -v ' dev s[0-9]'
	ip -6 route show table all | grep -v 'proto symroute' | grep -v ' dev s[0-9]'
}
foreign >"$SR_TMP/foreign.before"

# worker W: its own event list, drawn from the seed; one line per event in its log:
# "LINK V4 V6 ADDR4" with V4/V6 "up" or "down" as the event leaves them.
worker() {
	w=$1
	round=$2
	start=$(date +%s)
	# The state the previous round left: the links' last lines.
	if [ -f "$SR_TMP/model" ]; then
		while read -r k v4 v6 a4; do
			eval "v4_$k=$v4 v6_$k=$v6 a4_$k=$a4"
		done <"$SR_TMP/model"
	fi
	awk -v seed="$((SEED + 10 * round + w))" -v w="$w" -v n="$N" -v ws="$W" -v e="$EVENTS" 'BEGIN {
		srand(seed)
		for (i = 0; i < e; i++)
			print w + ws * int(rand() * (n / ws)), int(rand() * 6), 2 + int(rand() * 5)
	}' >"$SR_TMP/events.$w"
	# What the worker believes each of its links is in: v4, v6, address.
	while read -r k kind pick; do
		now=$(date +%s)
		[ $((now - start)) -lt "$LIMIT" ] || break
		eval "v4=\${v4_$k:-down} v6=\${v6_$k:-down} a4=\${a4_$k:-2}"
		gw4=198.51.100.$((8 * k + 1))
		gw6=2001:db8:$(printf %x $k)::1
		case $kind in
		0) # up, both families, from the command line
			out=$("$SYMROUTE" up $CONF_ARGS s$k -g $gw4 -g $gw6 2>&1); rc=$?
			v4=up v6=up ;;
		1) # down, both families
			out=$("$SYMROUTE" down $CONF_ARGS s$k 2>&1); rc=$?
			v4=down v6=down ;;
		2) # the IPv4 address moves, then up
			if [ "$pick" != "$a4" ]; then
				ip addr add 198.51.100.$((8 * k + pick))/29 dev s$k &&
					ip addr del 198.51.100.$((8 * k + a4))/29 dev s$k ||
					{ echo "worker $w: address change on s$k failed"; return 1; }
				a4=$pick
			fi
			out=$("$SYMROUTE" up $CONF_ARGS s$k -g $gw4 -g $gw6 2>&1); rc=$?
			v4=up v6=up ;;
		3) # ifupdown, inet, post-up
			out=$(env -i PATH="$PATH" IFACE=s$k LOGICAL=s$k ADDRFAM=inet METHOD=static \
				MODE=start PHASE=post-up IF_ADDRESS=198.51.100.$((8 * k + a4)) \
				IF_NETMASK=255.255.255.248 IF_GATEWAY=$gw4 "$SYMROUTE" ifupdown-hook $CONF_ARGS 2>&1)
			rc=$?
			v4=up ;;
		4) # ifupdown, inet, pre-down
			out=$(env -i PATH="$PATH" IFACE=s$k LOGICAL=s$k ADDRFAM=inet METHOD=static \
				MODE=stop PHASE=pre-down "$SYMROUTE" ifupdown-hook $CONF_ARGS 2>&1)
			rc=$?
			v4=down ;;
		5) # dhclient, BOUND
			out=$(env -i PATH="$PATH" reason=BOUND interface=s$k \
				new_ip_address=198.51.100.$((8 * k + a4)) \
				new_subnet_mask=255.255.255.248 new_routers=$gw4 \
				"$SYMROUTE" dhclient-hook $CONF_ARGS 2>&1)
			rc=$?
			v4=up ;;
		esac
		if [ $rc -ne 0 ]; then
			echo "worker $w: event $kind on s$k exited $rc: $out"
			return 1
		fi
		eval "v4_$k=$v4 v6_$k=$v6 a4_$k=$a4"
		echo "$k $v4 $v6 $a4" >>"$SR_TMP/model.$w"
	done <"$SR_TMP/events.$w"
	return 0
}

# round N MODE CONF_ARGS: the workers' events, then the check of the kernel against the model.
round() {
	ROUND=$1
	MODE=$2
	CONF_ARGS=$3
	t0=$(date +%s.%N)
	pids=
	w=0
	while [ $w -lt $W ]; do
		worker $w "$ROUND" >"$SR_TMP/worker.$w" 2>&1 &
		pids="$pids $!"
		SR_PIDS="$SR_PIDS $!"
		w=$((w + 1))
	done
	status=0
	for pid in $pids; do
		wait "$pid" || status=1
	done
	SR_PIDS=
	t1=$(date +%s.%N)
	cat "$SR_TMP"/worker.*
	[ $status -eq 0 ] || fail "round $ROUND ($MODE): a symroute run failed under concurrency (seed $SEED)"
	events=$(($(cat "$SR_TMP"/model.* | wc -l) - total))
	elapsed=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
	note "round $ROUND ($MODE): $events events in ${elapsed}s"
	[ "$events" -ge 200 ] || fail "only $events events ran in ${LIMIT}s: too slow to stress anything"
	total=$((total + events))
	total_time=$(awk -v a="$total_time" -v b="$elapsed" 'BEGIN { print a + b }')

	# The model: the last line per link.
	cat "$SR_TMP"/model.* | awk '{ last[$1] = $0 } END { for (k in last) print last[k] }' |
		sort -n >"$SR_TMP/model"

	rules4=$(ip -4 rule show)
	rules6=$(ip -6 rule show)
	# No duplicate rule, whatever it is.
	dup=$(printf '%s\n' "$rules4" | sort | uniq -d; printf '%s\n' "$rules6" | sort | uniq -d)
	[ -z "$dup" ] || fail "duplicate rules: $dup"

	any4=0
	any6=0
	k=0
	while [ $k -lt $N ]; do
		line=$(grep "^$k " "$SR_TMP/model")
		[ -n "$line" ] || line="$k down down 2"
		set -- $line
		v4=$2 v6=$3 a4=$4
		t=$(table_of . s$k)
		# The kernel's spelling: 2001:db8::10 for link 0, 2001:db8:1f::10 for link 31.
		if [ $k = 0 ]; then x=2001:db8:; else x=2001:db8:$(printf %x $k):; fi
		r4=$(printf '%s\n' "$rules4" | grep "lookup $t ")
		r6=$(printf '%s\n' "$rules6" | grep "lookup $t ")
		t4=$(ip -4 route show table "$t" 2>/dev/null)
		t6=$(ip -6 route show table "$t" 2>/dev/null)
		m4=$(ip -4 route show default dev s$k proto symroute)
		m6=$(ip -6 route show default dev s$k proto symroute)
		if [ "$v4" = up ]; then
			any4=1
			assert_eq "31100:	from 198.51.100.$((8 * k + a4)) lookup $t proto $P" "$r4" \
				"s$k: IPv4 rules (model: up, .$((8 * k + a4)))"
			# The default's metric: the fingerprint of the rules (symroute(8)).
			assert_match "$t4" "^default via 198\.51\.100\.$((8 * k + 1)) dev s$k proto $P $FP \$" \
				"s$k: IPv4 table $t: its default"
			assert_match "$t4" "^198\.51\.100\.$((8 * k))/29 dev s$k proto $P scope link src 198\.51\.100\.$((8 * k + a4)) \$" \
				"s$k: IPv4 table $t: the connected route (model: .$((8 * k + a4)))"
			assert_count "$t4" . 2 "s$k: IPv4 table $t holds exactly two routes"
			# Behind main's own default, for when it goes (issue 20).
			assert_match "$m4" "^default via 198\.51\.100\.$((8 * k + 1)) metric $t" \
				"s$k: IPv4 fallback default in main"
		else
			assert_eq "" "$r4" "s$k: IPv4 rules (model: down)"
			assert_eq "" "$t4" "s$k: IPv4 table $t (model: down)"
			assert_eq "" "$m4" "s$k: IPv4 fallback default in main (model: down)"
		fi
		if [ "$v6" = up ]; then
			any6=1
			assert_eq "31100:	from ${x}:10 lookup $t proto $P" "$r6" "s$k: IPv6 rules"
			assert_match "$t6" "^${x}:/64 dev s$k proto $P metric 1024" "s$k: IPv6 table"
			assert_match "$t6" "^default via ${x}:1 dev s$k proto $P $FP" \
				"s$k: IPv6 table"
			assert_count "$t6" . 2 "s$k: IPv6 table $t holds exactly two routes"
			assert_match "$m6" "^default via ${x}:1 metric $t" \
				"s$k: IPv6 fallback default in main"
		else
			assert_eq "" "$r6" "s$k: IPv6 rules (model: down)"
			assert_eq "" "$t6" "s$k: IPv6 table $t (model: down)"
			assert_eq "" "$m6" "s$k: IPv6 fallback default in main (model: down)"
		fi
		k=$((k + 1))
	done

	# The shared rule: once per family while that family has an interface up, else none.
	assert_count "$rules4" "^31000:	from all lookup main suppress_prefixlength 0 proto $P" "$any4" \
		"IPv4 shared rule"
	assert_count "$rules6" "^31000:	from all lookup main suppress_prefixlength 0 proto $P" "$any6" \
		"IPv6 shared rule"
	# No orphan: every rule of ours is one of the above (one per family that is up, plus shared).
	n_up4=$(awk '$2 == "up"' "$SR_TMP/model" | wc -l)
	n_up6=$(awk '$3 == "up"' "$SR_TMP/model" | wc -l)
	assert_count "$rules4" "proto $P" $((n_up4 + any4)) "IPv4 rules of ours (orphans?)"
	assert_count "$rules6" "proto $P" $((n_up6 + any6)) "IPv6 rules of ours (orphans?)"
	# IPv4 main has a foreign default: our fallbacks stand behind it, one per interface up.
	assert_count "$(ip -4 route show table main proto symroute)" "^default " "$n_up4" \
		"IPv4 fallbacks in main: one per interface up"
	assert_match "$(ip -4 route show table main default | head -n 1)" "^default via 203\.0\.113\.1 dev fg0 " \
		"main's own IPv4 default comes first"
	foreign >"$SR_TMP/foreign.after"
	assert_files_eq "$SR_TMP/foreign.before" "$SR_TMP/foreign.after" "round $ROUND: foreign rules and routes"
}

total=0
total_time=0
w=0
while [ $w -lt $W ]; do
	: >"$SR_TMP/model.$w"
	w=$((w + 1))
done
# The same events again with the opt-in narrow mode, from where the first round left off.
printf '[symroute]\nnarrow=yes\n' >"$SR_TMP/narrow.conf"
round 1 full ""
round 2 narrow "-c $SR_TMP/narrow.conf"
pass "$total events from $W processes on $N links in ${total_time}s, two rounds (full, narrow); state = model (seed $SEED)"
