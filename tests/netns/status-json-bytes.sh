#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: `symroute status --json` stays valid JSON for link names that are not UTF-8 or hold odd bytes.
#
# The kernel takes any byte but '/', ':', whitespace and NUL in a name. Invalid UTF-8 is
# written as the Latin-1 character of each byte (\u00XX), valid UTF-8 as it is; a JSON
# parser (python3's, strict about UTF-8) must read the output, and give the names back.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"
command -v python3 >/dev/null 2>&1 || skip "python3 not installed"

ns_add peer
L1=$(printf 'eth\351x')		# Latin-1 "ethéx": not UTF-8
L2=$(printf 'q"\\\377')	# a quote, a backslash, 0xff
L3=$(printf 'w\303\251')	# UTF-8 "wé"
i=0
for n in "$L1" "$L2" "$L3"; do
	i=$((i + 1))
	ip link add name "$n" type veth peer name "p$i" netns peer || hard_error "cannot create link $i"
	ip link set dev "$n" up || hard_error "link $i up"
	ip -n peer link set "p$i" up || hard_error "peer link $i up"
done
addr . "$L1" 198.51.100.10/25
addr . "$L2" 198.51.100.140/25
addr . "$L3" 203.0.113.20/24
addr peer p1 198.51.100.1/25
addr peer p2 198.51.100.129/25
addr peer p3 203.0.113.1/24
sr_ok up "$L1" -g 198.51.100.1
sr_ok up "$L2" -g 198.51.100.129
sr_ok up "$L3" -g 203.0.113.1

# names JSON: the interfaces' names as python3 reads them, one per line, as \u escapes.
names() {
	python3 -c 'import json, sys
doc = json.loads(sys.stdin.buffer.read().decode("utf-8"))  # strict: no surrogateescape
for i in doc["interfaces"]:
    assert i["families"][0]["in_sync"] is True, i
    print(json.dumps(i["name"]))'
}
sr_ok status --json
printf '%s\n' "$SR_OUT" >"$SR_TMP/status.json"
N=$(names <"$SR_TMP/status.json") || fail "status --json is not valid JSON (or not in sync): $(cat "$SR_TMP/status.json")"
note "names as read back:"; sr_indent "$N"
assert_eq '"eth\u00e9x"
"q\"\\\u00ff"
"w\u00e9"' "$N" "the names read back: Latin-1 for bytes that are not UTF-8, UTF-8 as it is"

# One interface asked for by its name.
sr_ok status --json "$L2"
printf '%s\n' "$SR_OUT" | names >/dev/null || fail "status --json NAME is not valid JSON: $SR_OUT"

pass "status --json is valid JSON whatever bytes the link names hold"
