# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: a routing daemon's churn as `ip -batch` files, for tests/netns/watch-cost.sh and
# bench/watch.sh (issue 15): n routes on rd0, half IPv4 host routes in 198.18.0.0/15 (RFC 2544
# benchmark space), half /64s inside 2001:db8:ffff::/48, via a neighbour on rd0, with protocol
# 186 ("bgp" in iproute2's rt_protos). b routes per file: DIR/churn-NNN.add adds them,
# DIR/churn-NNN.del removes them.
# Usage: awk -v n=ROUTES -v b=BATCH -v dir=DIR -f churn-batches.awk
BEGIN {
	for (i = 0; i < n / 2; i++) {
		f = sprintf("%s/churn-%03d", dir, int(2 * i / b))
		v4 = sprintf("198.18.%d.%d/32 via 192.0.2.2", int(i / 256), i % 256)
		v6 = sprintf("2001:db8:ffff:%x::/64 via 2001:db8:ffff::2", i + 1)
		printf "route add %s dev rd0 proto 186\nroute add %s dev rd0 proto 186\n", v4, v6 >(f ".add")
		printf "route del %s dev rd0 proto 186\nroute del %s dev rd0 proto 186\n", v4, v6 >(f ".del")
	}
}
