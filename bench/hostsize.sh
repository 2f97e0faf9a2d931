#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: what one event costs against the size of the host it runs on (issue 17): foreign routes and rules.
#
# Usage: bench/hostsize.sh [--quick] [--output FILE] [--raw DIR] [SYMROUTE_BINARY]
#   default   hosts with 0, 10k, 100k foreign routes and 0, 10k foreign rules per family; 120
#             runs per figure in 10 interleaved rounds (5 to 7 minutes on 2 cores); rewrites
#             the part of bench/RESULTS.md between the hostsize:begin/end markers and
#             bench/hostsize.png (with --output FILE: FILE and hostsize.png beside it)
#   --quick   1k and 10k routes, 1k rules, 6 runs per figure: a smoke test (about a minute);
#             prints its table, writes nothing unless --output is given
#   --raw DIR keep the raw files (hyperfine's JSON, strace output, the log) in DIR
# Root is needed. The script re-executes itself in a private network and mount namespace
# (unshare --net --mount) with a tmpfs on /run and refuses to go on in the namespace it was
# started in. From there it creates one network namespace per host size (`ip netns add`, its
# name under the private /run) and every command that changes links, routes or rules runs
# through inns(), which checks again that it is not in the starting namespace. The host's
# interfaces, routes and rules are never touched. Needs hyperfine, iproute2, util-linux
# unshare, awk, python3 (and python3-matplotlib for the picture, strace for the profiles).
#
# The world, in each namespace: t4 (an ifb device: this kernel has no dummy driver), the
# measured interface, with 198.51.100.2/24 and 2001:db8:ffff::2/64 (gateways .1 and ::1);
# up0 (ifb) with 203.0.113.2/24 and 2001:db8:1::2/64, where the foreign routes point: IPv4
# host routes in 198.18.0.0/15 (RFC 2544 benchmark space) via 203.0.113.1 and IPv6 /64s in
# 2001:db8:e000::/35 via 2001:db8:1::1, proto bgp, in main; foreign rules `from <one of
# those> lookup 100 proto static` at priorities 2000 and up. Loaded with one `ip -batch` per
# family (rules before routes: IPv6 rule changes cost more with many IPv6 routes).
#
# Approaches, each `up` a real change (hyperfine's --prepare runs the approach's own `down`,
# untimed) and a no-op (`up` again with everything in place):
#   default  `symroute up t4 --address ... --gateway ... (both families) -c EMPTY.conf`
#   narrow   the same with `narrow = true` in the configuration file
#   router   IPv6 without a gateway (a DHCPv6 renewal, SLAAC): `up t4 --address ... --gateway
#            198.51.100.1 --address 2001:db8:ffff::2/64`, the router from main's default
#            through t4 (`default via fe80::1 dev t4 proto ra`, as an advertisement leaves it)
#   ip -batch  the operations `symroute up -n` prints on a clean state, one `ip -4 -batch` and
#            one `ip -6 -batch` process; real change only (a repeat fails on EEXIST); its
#            figure is the sum of the two processes' medians
#   ip -batch again  the same two processes with everything already in place (`-force`: each
#            request is answered EEXIST and the next one goes): what the kernel's answers to
#            those requests cost on this host, the floor under any no-op that asks whether its
#            rules are there. Its growth over the empty host, in ms, is set beside the default
#            no-op's.
# Each round measures every figure at every host size, one approach at all sizes before the
# next, so a burst of load from the machine's other users falls on all of them; the figure is
# the median of all rounds' runs and the ratio is to the same figure on the empty host. Every figure above 1.25 times its empty-host value
# gets a profile: the command once under `strace -f -T`, its netlink requests ranked by the
# time of their syscalls (the send and the receives that answer it).
set -u

SELF_DIR=$(cd "$(dirname "$0")" && pwd)
SRCDIR=$(dirname "$SELF_DIR")

die() {
	echo "bench/hostsize.sh: $*" >&2
	exit 1
}

# ---- outside: checks, then the same script again inside fresh namespaces -----------------
. "$SELF_DIR/lib.sh"
bench_isolate HOSTSIZE "hyperfine ip unshare awk python3" "$@"

# ---- inside ------------------------------------------------------------------------------
bench_fresh_or_die

QUICK=0
OUTPUT=
RAW=
SR=
while [ $# -gt 0 ]; do
	case "$1" in
	--quick) QUICK=1 ;;
	--output) OUTPUT=$2; shift ;;
	--raw) RAW=$2; shift ;;
	-h|--help) sed -n '3,14p' "$0"; exit 0 ;;
	-*) die "unknown option $1" ;;
	*) SR=$1 ;;
	esac
	shift
done
[ -n "$SR" ] || SR=$SRCDIR/symroute
case "$SR" in /*) ;; *) SR=$(pwd)/$SR ;; esac
[ -x "$SR" ] || die "no symroute binary at $SR (give its path)"
case "${OUTPUT:-/}" in /*) ;; *) OUTPUT=$(pwd)/$OUTPUT ;; esac

# Host sizes: "ROUTES:RULES", foreign ones per family.
if [ "$QUICK" = 1 ]; then
	POINTS="0:0 1000:0 10000:0 0:1000 10000:1000"
	RUNS=6 ROUNDS=2 WARMUP=2
else
	POINTS="0:0 10000:0 100000:0 0:10000 100000:10000"
	RUNS=120 ROUNDS=10 WARMUP=10
	[ -n "$OUTPUT" ] || OUTPUT=$SELF_DIR/RESULTS.md
fi
POINTS=${BENCH_HOSTSIZE_POINTS:-$POINTS}
RUNS=${BENCH_HOSTSIZE_RUNS:-$RUNS}
RRUNS=$(( (RUNS + ROUNDS - 1) / ROUNDS ))
RWARM=$(( (WARMUP + ROUNDS - 1) / ROUNDS ))
# Above this ratio to the empty host a figure gets a profile.
PROFILE_RATIO=1.25

# The system's tools (its python3 has matplotlib), not a per-user shim first in PATH.
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH

if [ -n "$RAW" ]; then
	mkdir -p "$RAW" || die "cannot create $RAW"
	OUT=$(cd "$RAW" && pwd)
else
	OUT=$(mktemp -d /tmp/symroute-hostsize-bench.XXXXXX) || die "mktemp"
fi
mkdir -p "$OUT/json" "$OUT/batch" "$OUT/prof" || die "cannot create $OUT"
LOG=$OUT/log
: >"$LOG"
: >"$OUT/checks.txt"
: >"$OUT/points.txt"

# Our own /run (the lock, the namespaces' names), then per-namespace sysfs via `ip netns exec`.
mount -t tmpfs -o mode=0755 tmpfs /run || die "cannot mount a tmpfs on /run"
mount -t sysfs -o ro sysfs /sys || die "cannot mount sysfs"

MADE=
cleanup() {
	for ns in $MADE; do ip netns delete "$ns" 2>/dev/null; done
	[ -n "$RAW" ] || rm -rf "$OUT"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

say() {
	printf '[%s] hostsize: %s\n' "$(date +%H:%M:%S)" "$*" | tee -a "$LOG" >&2
}

# inns NS COMMAND...: COMMAND in the host-size namespace NS, never in the starting one.
inns() {
	inns_ns=$1
	shift
	# shellcheck disable=SC2016
	ip netns exec "$inns_ns" /bin/sh -c '
		[ "$(stat -L -c %i /proc/self/ns/net)" != "$1" ] || {
			echo "bench/hostsize.sh: refusing: $2 is the starting namespace" >&2
			exit 125
		}
		shift 2
		exec "$@"' inns "$SYMROUTE_HOSTSIZE_BENCH_NETNS" "$inns_ns" "$@"
}

EMPTY=$OUT/empty.conf
NARROW=$OUT/narrow.conf
: >"$EMPTY"
printf '[symroute]\nnarrow = true\n' >"$NARROW"
ARGS="t4 --address 198.51.100.2/24 --gateway 198.51.100.1"
ARGS="$ARGS --address 2001:db8:ffff::2/64 --gateway 2001:db8:ffff::1"
SR_UP="$SR up $ARGS -c $EMPTY"
SR_DOWN="$SR down t4 -c $EMPTY"
SRN_UP="$SR up $ARGS -c $NARROW"
SRN_DOWN="$SR down t4 -c $NARROW"
SRR_UP="$SR up t4 --address 198.51.100.2/24 --gateway 198.51.100.1 --address 2001:db8:ffff::2/64 -c $EMPTY"

{
	echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "nproc=$(nproc)"
	echo "cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
	echo "kernel=$(uname -r)"
	echo "symroute=$("$SR" --version 2>&1 | head -n 1)"
	# SYMROUTE_BENCH_COMMIT: what the binary was built from, when not from this tree as it is
	echo "symroute_commit=${SYMROUTE_BENCH_COMMIT:-$(git -C "$SRCDIR" rev-parse --short HEAD 2>/dev/null || echo '?')$(
		[ -z "$(git -C "$SRCDIR" status --porcelain -- src configure.ac 2>/dev/null)" ] ||
			echo ' + uncommitted changes in src/')}"
	echo "iproute2=$(dpkg-query -W -f '${Version}' iproute2 2>/dev/null || echo '?')"
	echo "hyperfine=$(hyperfine --version | sed 's/hyperfine //')"
	echo "runs=$((RRUNS * ROUNDS))"
	echo "rounds=$ROUNDS"
	echo "warmup=$((RWARM * ROUNDS))"
	echo "quick=$QUICK"
	echo "points=$POINTS"
	echo "profile_ratio=$PROFILE_RATIO"
} >"$OUT/meta.txt"

# ---- the host sizes: one namespace each ------------------------------------------------------
# make_point ROUTES RULES: namespace hs-ROUTES-RULES with the world and its foreign objects.
make_point() {
	ns=hs-$1-$2
	private_or_die
	ip netns add "$ns" || die "cannot create namespace $ns"
	MADE="$MADE $ns"
	# No DAD, router solicitations or MLD reports: background work that would land on figures.
	inns "$ns" sysctl -qw net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.dad_transmits=0 net.ipv6.conf.all.dad_transmits=0 \
		net.ipv6.conf.default.router_solicitations=0 \
		net.ipv6.conf.default.mldv1_unsolicited_report_interval=0 \
		net.ipv6.conf.default.mldv2_unsolicited_report_interval=0 || die "$ns: sysctl"
	# t4 first: the same ifindex, hence the same table number, in every namespace
	inns "$ns" ip -batch - <<-EOF || die "$ns: cannot create the links"
		link set lo up
		link add t4 type ifb
		link set t4 up
		address add 198.51.100.2/24 dev t4
		address add 2001:db8:ffff::2/64 dev t4 nodad
		link add up0 type ifb
		link set up0 up
		address add 203.0.113.2/24 dev up0
		address add 2001:db8:1::2/64 dev up0 nodad
	EOF
	inns "$ns" ip -6 route add default via fe80::1 dev t4 proto ra metric 1024 ||
		die "$ns: cannot add the router's default"
	t0=$(date +%s%N)
	awk -v n="$2" 'BEGIN { for (i = 0; i < n; i++)
		printf "rule add priority %d from 198.%d.%d.%d lookup 100 proto static\n",
			2000 + i, 18 + int(i / 65536), int(i / 256) % 256, i % 256 }' |
		inns "$ns" ip -4 -batch - || die "$ns: cannot add the IPv4 rules"
	awk -v n="$2" 'BEGIN { for (i = 0; i < n; i++)
		printf "rule add priority %d from 2001:db8:e%03x:%x::/64 lookup 100 proto static\n",
			2000 + i, int(i / 65536), i % 65536 }' |
		inns "$ns" ip -6 -batch - || die "$ns: cannot add the IPv6 rules"
	t1=$(date +%s%N)
	awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++)
		printf "route add 198.%d.%d.%d/32 via 203.0.113.1 dev up0 proto bgp\n",
			18 + int(i / 65536), int(i / 256) % 256, i % 256 }' |
		inns "$ns" ip -4 -batch - || die "$ns: cannot add the IPv4 routes"
	awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++)
		printf "route add 2001:db8:e%03x:%x::/64 via 2001:db8:1::1 dev up0 proto bgp\n",
			int(i / 65536), i % 65536 }' |
		inns "$ns" ip -6 -batch - || die "$ns: cannot add the IPv6 routes"
	t2=$(date +%s%N)
	# what the namespace holds: routes in main and rules, per family
	have="$(inns "$ns" ip -4 route show table main | wc -l) $(inns "$ns" ip -6 route show table main | wc -l)"
	have="$have $(inns "$ns" ip -4 rule | wc -l) $(inns "$ns" ip -6 rule | wc -l)"
	echo "$ns $1 $2 $have $(( (t1 - t0) / 1000000 )) $(( (t2 - t1) / 1000000 ))" >>"$OUT/points.txt"
	# ip -batch's operations: what symroute would send here, from a clean state
	# shellcheck disable=SC2086
	inns "$ns" $SR_UP -n >"$OUT/batch/$ns.dry" 2>&1 || die "$ns: symroute up -n failed"
	dry_run_batch 4 <"$OUT/batch/$ns.dry" >"$OUT/batch/$ns.4"
	dry_run_batch 6 <"$OUT/batch/$ns.dry" >"$OUT/batch/$ns.6"
	if [ ! -s "$OUT/batch/$ns.4" ] || [ ! -s "$OUT/batch/$ns.6" ]; then
		die "$ns: no ip commands from symroute up -n: $(head -n 3 "$OUT/batch/$ns.dry")"
	fi
	# shellcheck disable=SC2086
	inns "$ns" $SR_DOWN >/dev/null 2>&1
	state "$ns" >"$OUT/batch/$ns.base"
	say "$ns: $have (routes in main v4 v6, rules v4 v6), loaded in $(( (t2 - t0) / 1000000 )) ms"
}

# Our objects only (proto 73) and the rule counts: what must be back after each approach.
state() {
	echo "$(inns "$1" ip -4 rule | wc -l) $(inns "$1" ip -6 rule | wc -l)" \
		"$(inns "$1" ip -4 route show table all proto 73 | wc -l)" \
		"$(inns "$1" ip -6 route show table all proto 73 | wc -l)"
}

check_clean() {
	got=$(state "$1")
	[ "$got" = "$(cat "$OUT/batch/$1.base")" ] ||
		echo "$1 $2: state not restored (rules v4 v6, our routes v4 v6: $(cat "$OUT/batch/$1.base") -> $got)" >>"$OUT/checks.txt"
}

# check_rules NS LABEL FAMILIES: the `from` rule of each family in FAMILIES ("4 6") is there.
check_rules() {
	for f in $3; do
		a=198.51.100.2
		[ "$f" = 4 ] || a=2001:db8:ffff::2
		inns "$1" ip -"$f" rule | grep -q "from $a lookup" ||
			echo "$1 $2: up left no IPv$f rule" >>"$OUT/checks.txt"
	done
}

# bench NS NAME PREPARE COMMAND [HYPERFINE-OPTION]: one hyperfine in NS (its children inherit
# the namespace); the option: -i where the command's failure is the point (a repeat's EEXIST).
bench() {
	json=$OUT/json/$1.$2.$ROUND.json
	private_or_die
	if [ -n "$3" ]; then
		inns "$1" hyperfine -N ${5:-} --style basic -w "$RWARM" -r "$RRUNS" --prepare "$3" \
			--export-json "$json" "$4" >>"$LOG.hyperfine" 2>&1
	else
		inns "$1" hyperfine -N ${5:-} --style basic -w "$RWARM" -r "$RRUNS" \
			--export-json "$json" "$4" >>"$LOG.hyperfine" 2>&1
	fi || {
		rm -f "$json"
		echo "$1 $2: hyperfine failed in round $ROUND (see $LOG.hyperfine)" >>"$OUT/checks.txt"
		say "  $1 $2: FAILED"
	}
}

# measure NS APPROACH: one approach's figures at one host size (sr: default mode, srn: narrow
# mode, ra: IPv6's router from main, batch: ip -batch), leaving the namespace as it found it.
measure() {
	ns=$1
	case "$2" in
	sr|srn|ra)
		case "$2" in
		sr) up=$SR_UP down=$SR_DOWN ;;
		srn) up=$SRN_UP down=$SRN_DOWN ;;
		ra) up=$SRR_UP down=$SR_DOWN ;;
		esac
		# shellcheck disable=SC2086
		inns "$ns" $up >/dev/null
		bench "$ns" "$2-noop" "" "$up"
		bench "$ns" "$2-up" "$down" "$up"
		check_rules "$ns" "$2-up" "4 6"
		# shellcheck disable=SC2086
		inns "$ns" $down >/dev/null
		;;
	batch)
		bench "$ns" b4-up "$SRN_DOWN" "ip -4 -batch $OUT/batch/$ns.4"
		check_rules "$ns" b4-up 4
		# everything in place now: the same requests, each answered EEXIST
		bench "$ns" b4-again "" "ip -4 -force -batch $OUT/batch/$ns.4" -i
		check_rules "$ns" b4-again 4
		bench "$ns" b6-up "$SRN_DOWN" "ip -6 -batch $OUT/batch/$ns.6"
		check_rules "$ns" b6-up 6
		bench "$ns" b6-again "" "ip -6 -force -batch $OUT/batch/$ns.6" -i
		check_rules "$ns" b6-again 6
		# shellcheck disable=SC2086
		inns "$ns" $SR_DOWN >/dev/null
		;;
	esac
	check_clean "$ns" "$2"
}

# ---- the report's helper: medians, ratios, strace summaries, the table, the picture ----------
cat >"$OUT/hostsize.py" <<'PY'
import glob, json, os, re, statistics, sys

FIGS = [("sr-up", "default `up`"), ("sr-noop", "default no-op"), ("srn-up", "narrow `up`"),
        ("srn-noop", "narrow no-op"), ("ra-up", "IPv6 router from main `up`"),
        ("ra-noop", "IPv6 router from main no-op"), ("batch-up", "`ip -batch` `up`"),
        ("batch-again", "`ip -batch` again (all EEXIST)")]
# the figures that are two processes, one per family: the sum of their medians
PARTS = {"batch-up": ["b4-up", "b6-up"], "batch-again": ["b4-again", "b6-again"]}
BEGIN = "<!-- hostsize:begin (generated by bench/hostsize.sh) -->"
END = "<!-- hostsize:end -->"
HEADING = "## Host size (issue 17): bench/hostsize.sh"


def meta(d):
    m = {}
    for line in open(os.path.join(d, "meta.txt")):
        k, _, v = line.rstrip("\n").partition("=")
        m[k] = v
    return m


def points(d):
    p = []
    for line in open(os.path.join(d, "points.txt")):
        f = line.split()
        p.append({"ns": f[0], "routes": int(f[1]), "rules": int(f[2]),
                  "have": [int(x) for x in f[3:7]], "load_rules_ms": int(f[7]),
                  "load_routes_ms": int(f[8])})
    return p


def short(n):
    if n >= 1000 and n % 1000 == 0:
        return "%dk" % (n // 1000)
    return str(n)


def label(p):
    return "%s / %s" % (short(p["routes"]), short(p["rules"]))


def times(d, ns, fig):
    t = []
    for f in sorted(glob.glob(os.path.join(d, "json", "%s.%s.*.json" % (ns, fig)))):
        t += json.load(open(f))["results"][0]["times"]
    return t


def round_medians(d, ns, fig):
    return [statistics.median(json.load(open(f))["results"][0]["times"]) * 1e3
            for f in sorted(glob.glob(os.path.join(d, "json", "%s.%s.*.json" % (ns, fig))))]


def medians(d):
    """{(ns, fig): median ms}; a figure of two processes is the sum of their medians."""
    out = {}
    for p in points(d):
        for fig, _ in FIGS:
            parts = PARTS.get(fig, [fig])
            ts = [times(d, p["ns"], x) for x in parts]
            if all(ts):
                out[(p["ns"], fig)] = sum(statistics.median(t) for t in ts) * 1e3
    return out


def ratios(d):
    med, pts = medians(d), points(d)
    base = pts[0]["ns"]
    r = {}
    for (ns, fig), v in med.items():
        if (base, fig) in med and med[(base, fig)] > 0:
            r[(ns, fig)] = v / med[(base, fig)]
    return r


def to_profile(d, limit):
    r = ratios(d)
    for p in points(d):
        for fig, _ in FIGS:
            if r.get((p["ns"], fig), 0) > limit:
                print(p["ns"], fig)


TABLE = {"RT_TABLE_MAIN": "main", "RT_TABLE_LOCAL": "local", "RT_TABLE_DEFAULT": "default",
         "RT_TABLE_UNSPEC": "all"}


def table_name(v):
    if v.startswith("0x"):
        return str(int(v, 16))
    return TABLE.get(v, v)


def request_label(s):
    """One line of what a netlink request asks for, from strace's decoding of it."""
    g = lambda rx: (re.search(rx, s) or [None, None])[1]
    typ = g(r"nlmsg_type=(\w+)") or "?"
    flags = g(r"nlmsg_flags=([\w|]+)") or ""
    fam = g(r"(?:rtm_|ifa_|ifi_|\b)family=(AF_\w+)") or ""
    out = [typ.replace("RTM_", "")]
    dump = "NLM_F_DUMP" in flags
    if dump:
        out.append("dump")
    elif typ == "RTM_GETROUTE":
        out.append("lookup")
    out.append({"AF_INET": "inet", "AF_INET6": "inet6"}.get(fam, fam.lower()))
    tab = g(r"nla_type=(?:RTA|FRA)_TABLE\}, (\w+)") or g(r"\brtm_table=(\w+)") or g(r"\btable=(\w+)")
    if tab and (typ in ("RTM_NEWRULE", "RTM_DELRULE") or
                typ.endswith("ROUTE") and (dump or typ != "RTM_GETROUTE")):
        out.append("table " + table_name(tab))
    dev = g(r"nla_type=RTA_OIF\}, if_nametoindex\(\"([^\"]+)\"\)")
    if dev:
        out.append("dev " + dev)
    proto = g(r"rtm_protocol=(\w+)")
    if dump and typ == "RTM_GETROUTE" and proto and proto != "RTPROT_UNSPEC":
        out.append("proto " + proto.replace("RTPROT_", "").lower())
    return " ".join(x for x in out if x)


LINE = re.compile(r"^(\d+)\s+(sendto|sendmsg|recvfrom|recvmsg)\((\d+), (.*)\) = (-?\d+).*<([\d.]+)>\s*$")


def strace_requests(files):
    """[(label, seconds, bytes received)] per request: its send plus the receives after it."""
    reqs, cur = [], {}
    for fn in files:
        for line in open(fn, errors="replace"):
            m = LINE.match(line)
            if not m:
                continue
            pid, call, fd, args, ret, t = m.groups()
            key = (fn, pid, fd)
            if call in ("sendto", "sendmsg"):
                if "nlmsg_type=" not in args:
                    continue
                reqs.append([request_label(args), float(t), 0])
                cur[key] = len(reqs) - 1
            elif key in cur:
                r = reqs[cur[key]]
                r[1] += float(t)
                if int(ret) > 0 and "MSG_PEEK" not in args:
                    r[2] += int(ret)
                # a refusal in the answer (a probe: EEXIST, ENOENT), not an ACK's error=0
                e = re.search(r"\berror=-(E\w+)", args)
                if e:
                    r[0] += " → " + e.group(1)
    return reqs


def size(b):
    return "%.1f MiB" % (b / 1048576) if b >= 1048576 else "%d KiB" % (b // 1024)


def summary(d, ns, fig, files):
    p = [p for p in points(d) if p["ns"] == ns][0]
    title = "%s at %s (×%.2f)" % (dict(FIGS)[fig], label(p), ratios(d)[(ns, fig)])
    reqs = strace_requests(files)
    total = sum(r[1] for r in reqs)
    top = sorted(reqs, key=lambda r: -r[1])[:5]
    return "- %s: %d requests, %.1f ms in their syscalls; %s" % (
        title, len(reqs), total * 1e3,
        "; ".join("%s %.1f ms%s" % (r[0], r[1] * 1e3, " (%s read)" % size(r[2]) if r[2] >= 65536 else "")
                  for r in top))


def fmt_ms(v):
    return "%.1f" % v if v >= 10 else "%.2f" % v


def report(d):
    m, pts, med, rat = meta(d), points(d), medians(d), ratios(d)
    limit = float(m["profile_ratio"])
    out = []
    out.append("%s, %s cores (%s), kernel %s; %s at %s, iproute2 %s. hyperfine %s: %s runs per "
               "figure (after %s warm-up runs) in %s interleaved rounds, in each one approach at "
               "every host size before the next; medians. Ratio: to the same figure on the empty host%s."
               % (m["date"], m["nproc"], m["cpu"], m["kernel"], m["symroute"], m["symroute_commit"],
                  m["iproute2"], m["hyperfine"], m["runs"], m["warmup"], m["rounds"],
                  "; a smoke test (--quick)" if m["quick"] == "1" else ""))
    out.append("")
    out.append("| foreign routes / rules per family | " + " | ".join(t for _, t in FIGS) + " |")
    out.append("|---|" + "---:|" * len(FIGS))
    for p in pts:
        row = []
        for fig, _ in FIGS:
            v = med.get((p["ns"], fig))
            if v is None:
                row.append("failed")
                continue
            r = rat.get((p["ns"], fig), 1.0)
            rs = "×%.2f" % r
            row.append("%s ms %s" % (fmt_ms(v), ("**%s**" % rs) if r > limit else rs))
        out.append("| %s | %s |" % (label(p), " | ".join(row)))
    out.append("")
    out.append("Milliseconds per event. `ip -batch`: the operations `symroute up -n` prints, one "
               "`ip -4 -batch` and one `ip -6 -batch` process (the sum of their medians). "
               "`ip -batch` again: the same two processes with everything already in place "
               "(`-force`), every request answered EEXIST: what the kernel's answers to them "
               "cost, the floor under any no-op that asks whether its rules are there. "
               "In the namespaces "
               "(routes in main v4, v6; rules v4, v6): "
               + "; ".join("%s: %s" % (label(p), ", ".join(str(x) for x in p["have"])) for p in pts)
               + ". Loading them (one `ip -batch` per family and kind, rules first) took "
               + "; ".join("%s: %.1f s rules, %.1f s routes" % (label(p), p["load_rules_ms"] / 1e3,
                                                             p["load_routes_ms"] / 1e3)
                           for p in pts if p["routes"] or p["rules"])
               + ".")
    grow = []
    for p in pts[1:]:
        a, b = [(med.get((p["ns"], f)), med.get((pts[0]["ns"], f))) for f in ("sr-noop", "batch-again")]
        if None not in a + b:
            grow.append("%s: %+.2f ms and %+.2f ms" % (label(p), a[0] - a[1], b[0] - b[1]))
    if grow:
        out.append("")
        out.append("Growth over the empty host, the default no-op against `ip -batch` again (the "
                   "kernel's answers alone): " + "; ".join(grow) + ".")
    rm = round_medians(d, pts[0]["ns"], "sr-noop")
    if len(rm) > 1:
        out.append("")
        out.append("Noise: the machine's load changed between rounds; the empty host's default "
                   "no-op had per-round medians from %s to %s ms." % (fmt_ms(min(rm)), fmt_ms(max(rm))))
    out.append("")
    out.append("![per-event cost against host size](hostsize.png)")
    out.append("")
    profs = sorted(glob.glob(os.path.join(d, "prof", "*.md")))
    if profs:
        out.append("Where the time goes, for each figure above ×%s: that command once under "
                   "`strace -f -T -e trace=sendto,sendmsg,recvmsg,recvfrom,write`, its netlink "
                   "requests (the send and the receives that answer it, so a dump's time is in "
                   "its receives), the five slowest with their times. strace slows every syscall "
                   "down, so the times are larger than the figures'; the ranking is what counts."
                   % m["profile_ratio"])
        out.append("")
        order = {p["ns"]: i for i, p in enumerate(pts)}
        figo = {f: i for i, (f, _) in enumerate(FIGS)}
        keyed = []
        for f in profs:
            ns, fig = os.path.basename(f)[:-3].split(".")
            keyed.append(((order.get(ns, 99), figo.get(fig, 99)), f))
        for _, f in sorted(keyed):
            out.append(open(f).read().strip())
        out.append("")
    checks = open(os.path.join(d, "checks.txt")).read().strip()
    out.append(("Problems seen during the run:\n\n```\n%s\n```" % checks) if checks else
               "Checks: every `up` left both families' rules (`ip -batch`: its family's), and "
               "every approach's `down` left the rule counts and our (proto 73) routes as before.")
    return "\n".join(out) + "\n"


def plot(d, png):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker
    pts, med, m = points(d), medians(d), meta(d)
    fig, ax = plt.subplots(figsize=(9, 5), dpi=100)
    x = list(range(len(pts)))
    # one segment per run of points with the same number of rules: no line from the largest
    # route count back to the next rule count
    groups, start = [], 0
    for i in range(1, len(pts) + 1):
        if i == len(pts) or pts[i]["rules"] != pts[start]["rules"]:
            groups.append((start, i))
            start = i
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for n, ((f, title), style) in enumerate(zip(FIGS, ["o-", "o--", "s-", "s--", "D-", "D--", "^-", "^--"])):
        for k, (a, b) in enumerate(groups):
            y = [med.get((p["ns"], f), float("nan")) for p in pts[a:b]]
            ax.plot(x[a:b], y, style, color=colours[n % len(colours)],
                    label=title.replace("`", "") if k == 0 else None)
    for a, b in groups:
        if a:
            ax.axvline(a - 0.5, color="grey", linewidth=0.8, linestyle=":")
        ax.text((a + b - 1) / 2, 1.01, "%s foreign rules" % short(pts[a]["rules"]),
                transform=ax.get_xaxis_transform(), ha="center", va="bottom", fontsize=9)
    ax.set_xticks(x)
    ax.set_xticklabels([label(p) for p in pts])
    ax.set_xlabel("host size: foreign routes in main / foreign rules, per family")
    ax.set_ylabel("ms per event (median, log scale)")
    ax.set_yscale("log")
    ax.yaxis.set_major_locator(matplotlib.ticker.LogLocator(subs=(1, 2, 5)))
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: "%g" % v))
    ax.yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    ax.grid(True, which="both", alpha=0.3)
    ax.set_title("symroute %s: one event's cost against the host's size "
                 "(%s, %s runs per point, %s cores)"
                 % (m["symroute_commit"], m["date"], m["runs"], m["nproc"]), fontsize=10, pad=18)
    ax.legend(fontsize=9)
    fig.tight_layout()
    fig.savefig(png)


def merge(d, target):
    block = BEGIN + "\n" + report(d) + END + "\n"
    old = open(target).read() if os.path.exists(target) else ""
    if BEGIN in old and END in old:
        new = old[:old.index(BEGIN)] + block + old[old.index(END) + len(END) + 1:]
    else:
        section = (HEADING + "\n\n`make bench-hostsize` (or `bench/hostsize.sh [--quick] [BINARY]`): "
                   "one event's cost on hosts with foreign routes and rules, each host size a "
                   "network namespace of its own; the world, the approaches and the method are "
                   "in the script's head. Generated by the script from here to the end marker.\n\n"
                   + block + "\n")
        at = old.find("\n## The watcher")
        new = old[:at + 1] + section + old[at + 1:] if at >= 0 else old + "\n" + section
    with open(target + ".tmp", "w") as f:
        f.write(new)
    os.replace(target + ".tmp", target)


if __name__ == "__main__":
    cmd, a = sys.argv[1], sys.argv[2:]
    if cmd == "profile-list":
        to_profile(a[0], float(a[1]))
    elif cmd == "summary":
        print(summary(a[0], a[1], a[2], a[3:]))
    elif cmd == "report":
        sys.stdout.write(report(a[0]))
    elif cmd == "plot":
        plot(a[0], a[1])
    elif cmd == "merge":
        merge(a[0], a[1])
PY

# ---- build the hosts, then the rounds --------------------------------------------------------
START=$(date +%s)
for pt in $POINTS; do
	say "building host ${pt%%:*} routes, ${pt#*:} rules per family"
	make_point "${pt%%:*}" "${pt#*:}"
done
# Round by round; in each, one approach at every host size before the next approach: the
# figures a ratio compares are taken minutes apart at most, seconds apart mostly.
ROUND=1
while [ "$ROUND" -le "$ROUNDS" ]; do
	for approach in sr srn ra batch; do
		say "round $ROUND of $ROUNDS: $approach"
		for pt in $POINTS; do
			measure "hs-${pt%%:*}-${pt#*:}" "$approach"
		done
	done
	ROUND=$((ROUND + 1))
done

# ---- profiles: each figure well above its empty-host value, once under strace ---------------
if command -v strace >/dev/null 2>&1; then
	python3 "$OUT/hostsize.py" profile-list "$OUT" "$PROFILE_RATIO" >"$OUT/prof/list.txt" ||
		die "cannot read the figures"
	while read -r ns fig; do
		say "profile: $ns $fig"
		trace="strace -f -T -e trace=sendto,sendmsg,recvmsg,recvfrom,write"
		files=
		case "$fig" in
		sr-up|srn-up|ra-up|sr-noop|srn-noop|ra-noop)
			case "$fig" in
			sr-*) up=$SR_UP down=$SR_DOWN ;;
			srn-*) up=$SRN_UP down=$SRN_DOWN ;;
			ra-*) up=$SRR_UP down=$SR_DOWN ;;
			esac
			# shellcheck disable=SC2086
			case "$fig" in *-up) inns "$ns" $down ;; *) inns "$ns" $up ;; esac >/dev/null
			# shellcheck disable=SC2086
			inns "$ns" $trace -o "$OUT/prof/$ns.$fig.strace" $up >/dev/null 2>&1
			files=$OUT/prof/$ns.$fig.strace
			;;
		batch-up|batch-again)
			for f in 4 6; do
				# shellcheck disable=SC2086
				inns "$ns" $SRN_DOWN >/dev/null
				[ "$fig" = batch-up ] ||
					inns "$ns" ip -$f -batch "$OUT/batch/$ns.$f" >/dev/null 2>&1
				# shellcheck disable=SC2086
				inns "$ns" $trace -o "$OUT/prof/$ns.$fig.$f.strace" \
					ip -$f -force -batch "$OUT/batch/$ns.$f" >/dev/null 2>&1
				files="$files $OUT/prof/$ns.$fig.$f.strace"
			done
			;;
		esac
		# shellcheck disable=SC2086
		inns "$ns" $SR_DOWN >/dev/null
		check_clean "$ns" "profile $fig"
		# shellcheck disable=SC2086
		python3 "$OUT/hostsize.py" summary "$OUT" "$ns" "$fig" $files >"$OUT/prof/$ns.$fig.md" ||
			echo "profile $ns $fig: no summary" >>"$OUT/checks.txt"
	done <"$OUT/prof/list.txt"
else
	echo "profiles: strace not found" >>"$OUT/checks.txt"
fi

# ---- report --------------------------------------------------------------------------------
say "report (measured in $(( $(date +%s) - START )) s)"
python3 "$OUT/hostsize.py" report "$OUT" >"$OUT/report.md" || die "report failed"
if [ -n "$OUTPUT" ]; then
	PNG=$(dirname "$OUTPUT")/hostsize.png
	if python3 -c 'import matplotlib' 2>/dev/null; then
		python3 "$OUT/hostsize.py" plot "$OUT" "$PNG" || die "cannot draw $PNG"
		say "wrote $PNG"
	else
		say "no picture: python3-matplotlib is not installed (apt-get install python3-matplotlib)"
	fi
	python3 "$OUT/hostsize.py" merge "$OUT" "$OUTPUT" || die "cannot write $OUTPUT"
	say "wrote $OUTPUT"
fi
cat "$OUT/report.md"
[ -z "$RAW" ] || echo "raw results: $OUT" >&2
