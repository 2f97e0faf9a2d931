#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: `symroute check` catches a rule of ours present twice. The kernel appends an
# identical rule when asked without NLM_F_EXCL (old kernels ignored EXCL); `ip` always sets
# it, so the duplicate is made with a raw netlink request from python3.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"
command -v python3 >/dev/null 2>&1 || skip "python3 not installed (needed to send a rule without NLM_F_EXCL)"

topo_two_uplinks
T0=$(table_of . eth0)
sr_ok up eth0
sr_ok up eth1 --gateway 203.0.113.1
sr_ok check

# RTM_NEWRULE "priority 31100 from 198.51.100.10 lookup T0 proto 73", CREATE without EXCL.
assert_not_host_netns
python3 - "$T0" <<'PY' || fail "cannot send the raw RTM_NEWRULE"
import socket, struct, sys
table = int(sys.argv[1])
def attr(kind, data):
    n = 4 + len(data)
    return struct.pack("HH", n, kind) + data + b"\0" * ((4 - n % 4) % 4)
# struct fib_rule_hdr: family, dst_len, src_len, tos, table, res1, res2, action (TO_TBL), flags
body = struct.pack("BBBBBBBBI", socket.AF_INET, 0, 32, 0, 0, 0, 0, 1, 0)
body += attr(6, struct.pack("I", 31100))               # FRA_PRIORITY
body += attr(15, struct.pack("I", table))              # FRA_TABLE
body += attr(21, struct.pack("B", 73))                 # FRA_PROTOCOL
body += attr(2, socket.inet_aton("198.51.100.10"))     # FRA_SRC
# RTM_NEWRULE (32), NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE
msg = struct.pack("IHHII", 16 + len(body), 32, 0x1 | 0x4 | 0x400, 1, 0) + body
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
s.bind((0, 0))
s.send(msg)
err = struct.unpack("i", s.recv(4096)[16:20])[0]
sys.exit(1 if err else 0)
PY
assert_count "$(ip_ns . -4 rule show priority 31100)" "from 198\.51\.100\.10 lookup $T0" 2 "set-up: the rule is there twice"

sr_expect 7 check
note "symroute check:"; sr_indent "$SR_OUT"
assert_match "$SR_OUT" "^FAIL duplicate rule of ours, 2 times: 'priority 31100 from 198\.51\.100\.10 lookup $T0 proto 73' \| ip -4 rule show priority 31100\$" \
	"check names the duplicate"
assert_match "$SR_OUT" "^FAIL eth0 IPv4: .* first: ip -4 rule del priority 31100 from 198\.51\.100\.10 lookup $T0 proto 73" \
	"the second copy is the pending change"

# An up takes the table's word that its rules are in place (they are, twice): status names
# the command that reads them.
sr status eth0
assert_contains "$SR_OUT" "DRIFT, \`symroute sync eth0\` would make 1 change(s)" "status names sync as the repair"
sr_ok up eth0
assert_count "$(ip_ns . -4 rule show priority 31100)" "from 198\.51\.100\.10 lookup $T0" 2 \
	"up asks for its rules and reads none: the copy stays"
sr_ok sync eth0
sr_ok check
assert_match "$SR_OUT" "^PASS no duplicate rule of ours" "symroute sync removed it"
pass "duplicate rules are caught; exit 7"
