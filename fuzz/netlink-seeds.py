#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: write raw rtnetlink receive buffers (dumps, refusals with extended ACK) as fuzz seeds.
# Run by fuzz/make-seeds inside a throw-away network namespace; argv[1] is the output directory.
import os
import socket
import struct
import sys

NETLINK_ROUTE, NETLINK_CAP_ACK, NETLINK_EXT_ACK = 0, 10, 11
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP, NLM_F_CREATE, NLM_F_EXCL = 1, 4, 0x300, 0x400, 0x200
RTM_NEWROUTE, RTM_GETROUTE, RTM_GETADDR, RTM_NEWRULE, RTM_GETRULE = 24, 26, 22, 32, 34
RTA_TABLE, RTA_OIF, RTA_GATEWAY, FRA_TABLE, FRA_PRIORITY = 15, 4, 5, 15, 6

out = sys.argv[1]
seq = 100


def attr(kind, payload):
    n = 4 + len(payload)
    return struct.pack("HH", n, kind) + payload + b"\0" * ((4 - n % 4) % 4)


def request(sock, kind, flags, body):
    global seq
    seq += 1
    sock.send(struct.pack("IHHII", 16 + len(body), kind, NLM_F_REQUEST | flags, seq, 0) + body)
    bufs = []
    while True:
        buf = sock.recv(65536)
        bufs.append(buf)
        off = 0
        while off + 16 <= len(buf):
            n, kind0 = struct.unpack_from("IH", buf, off)
            if kind0 in (2, 3):     # NLMSG_ERROR, NLMSG_DONE
                return bufs
            off += (n + 3) & ~3 if n >= 16 else len(buf)


def save(name, bufs):
    for i, b in enumerate(bufs):
        with open(os.path.join(out, "%s-%d" % (name, i)), "wb") as f:
            f.write(b)


for capped in (0, 1):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_ROUTE)
    s.setsockopt(270, NETLINK_EXT_ACK, 1)
    s.setsockopt(270, NETLINK_CAP_ACK, capped)
    s.bind((0, 0))
    sfx = "capped" if capped else "full"
    if not capped:
        for fam, name in ((socket.AF_INET, "v4"), (socket.AF_INET6, "v6")):
            rtm = struct.pack("BBBBBBBBI", fam, 0, 0, 0, 0, 0, 0, 0, 0)
            save("dump-routes-" + name, request(s, RTM_GETROUTE, NLM_F_DUMP, rtm))
            save("dump-rules-" + name, request(s, RTM_GETRULE, NLM_F_DUMP, rtm))
            ifa = struct.pack("BBBBI", fam, 0, 0, 0, 0)
            save("dump-addrs-" + name, request(s, RTM_GETADDR, NLM_F_DUMP, ifa))
    # Refusals: a gateway on no link; a duplicate rule with EXCL; a table filter that is empty.
    rtm = struct.pack("BBBBBBBBI", socket.AF_INET, 0, 0, 0, 254, 73, 0, 1, 0)
    body = rtm + attr(RTA_GATEWAY, socket.inet_aton("203.0.113.1")) + attr(RTA_OIF, struct.pack("I", 9999))
    save("refused-route-" + sfx, request(s, RTM_NEWROUTE, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, body))
    frh = struct.pack("BBBBBBBBI", socket.AF_INET, 0, 0, 0, 0, 0, 0, 1, 0)
    body = frh + attr(FRA_PRIORITY, struct.pack("I", 31000)) + attr(FRA_TABLE, struct.pack("I", 254))
    save("refused-rule-" + sfx, request(s, RTM_NEWRULE, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, body))
    rtm = struct.pack("BBBBBBBBI", socket.AF_INET, 0, 0, 0, 0, 0, 0, 0, 0)
    save("empty-table-" + sfx, request(s, RTM_GETROUTE, NLM_F_DUMP, rtm + attr(RTA_TABLE, struct.pack("I", 4242))))
    s.close()
