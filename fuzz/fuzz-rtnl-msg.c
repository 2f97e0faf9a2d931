// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: libFuzzer harness for the netlink reply decoders (routes, rules, addresses, ext-ack). */
#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "fuzz.h"
#include "policy.h"
#include "rtnl-msg.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_silence_log();
	return 0;
}

/* A decoded object we would compare with what we want must mean what we would send. */
static void route_round_trip(const struct route *r)
{
	char buf[RTNL_MSG_MAX] __attribute__((aligned(4)));
	struct route back;

	if (r->flags & ROUTE_HAS_EXTRA)
		return;
	/* An RTA_DST under a zero length is dropped by the encoder; the kernel never sends one. */
	if (r->dst.plen == 0 && !addr_is_unspecified(&r->dst))
		return;
	FUZZ_ASSERT(rtnl_msg_parse_route(rtnl_msg_route(buf, RTM_NEWROUTE, 0, r), &back) == 0);
	FUZZ_ASSERT(route_cmp(r, &back) == 0);
}

static void rule_round_trip(const struct rule *r)
{
	char buf[RTNL_MSG_MAX] __attribute__((aligned(4)));
	struct rule back;

	if (r->flags & RULE_HAS_EXTRA)
		return;
	FUZZ_ASSERT(rtnl_msg_parse_rule(rtnl_msg_rule(buf, RTM_NEWRULE, 0, r), &back) == 0);
	FUZZ_ASSERT(rule_cmp(r, &back) == 0);
}

/* Every decoder on one message that mnl_nlmsg_ok() accepted, as rtnl_transact() calls them. */
static void decode(const struct nlmsghdr *nlh)
{
	struct route route;
	struct rule rule;
	struct addr a;
	uint32_t ifindex, flags;
	uint8_t scope;
	const char *msg;
	int r;

	r = rtnl_msg_parse_route(nlh, &route);
	FUZZ_ASSERT(r == 0 || r == -ENOENT || r == -EINVAL);
	if (r == 0) {
		FUZZ_ASSERT(route.family == AF_INET || route.family == AF_INET6);
		FUZZ_ASSERT(route.dst.plen <= addr_family_len(route.family) * 8);
		route_round_trip(&route);
	}
	r = rtnl_msg_parse_rule(nlh, &rule);
	FUZZ_ASSERT(r == 0 || r == -ENOENT || r == -EINVAL);
	if (r == 0) {
		FUZZ_ASSERT(rule.family == AF_INET || rule.family == AF_INET6);
		FUZZ_ASSERT(rule.suppress_prefixlen >= -1 && rule.suppress_prefixlen <= 128);
		rule_round_trip(&rule);
	}
	r = rtnl_msg_parse_addr(nlh, &a, &ifindex, &scope, &flags);
	FUZZ_ASSERT(r == 0 || r == -ENOENT || r == -EINVAL);
	if (r == 0)
		fuzz_check_addr(&a);
	msg = rtnl_msg_ext_ack(nlh);
	if (msg) {
		FUZZ_ASSERT((const char *)msg > (const char *)nlh);
		FUZZ_ASSERT(msg + strlen(msg) < (const char *)nlh + MNL_ALIGN(nlh->nlmsg_len));
	}
}

/*
 * Input: a receive buffer, checked and walked as rtnl_transact() does: only a datagram
 * rtnl_msg_check_datagram() accepts is walked, and then every message must lie within it.
 * Each message is copied to a heap block of nlmsg_len bytes (rounded up to 4, as libmnl
 * reads), so ASan reports any read past it; then decoded as it came, and once more as each
 * kind we decode (the type field is the fuzzer's cheapest obstacle).
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint16_t types[] = { RTM_NEWROUTE, RTM_NEWRULE, RTM_NEWADDR, NLMSG_ERROR };
	uint32_t *aligned = malloc(size + 4);
	const struct nlmsghdr *nlh;
	int len = (int)size;

	if (!aligned || size > 1 << 20)
		abort();
	memcpy(aligned, data, size);
	if (rtnl_msg_check_datagram(aligned, size, 0) < 0) {
		free(aligned);
		return 0;
	}
	for (nlh = (const struct nlmsghdr *)aligned; mnl_nlmsg_ok(nlh, len);
	     nlh = mnl_nlmsg_next(nlh, &len)) {
		struct nlmsghdr *copy;

		/*
		 * libmnl 1.0.4's mnl_nlmsg_ok() compares (int)nlmsg_len: a length of 2^31 or more
		 * passes. rtnl_msg_check_datagram() refused any such datagram already.
		 */
		FUZZ_ASSERT(nlh->nlmsg_len <= (uint32_t)len);
		/* libmnl walks attributes up to MNL_ALIGN(nlmsg_len), as the kernel pads them. */
		copy = calloc(1, MNL_ALIGN(nlh->nlmsg_len));
		if (!copy)
			abort();
		memcpy(copy, nlh, nlh->nlmsg_len);
		decode(copy);
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
			copy->nlmsg_type = types[i];
			decode(copy);
		}
		copy->nlmsg_flags |= NLM_F_ACK_TLVS;
		decode(copy);
		copy->nlmsg_flags |= NLM_F_CAPPED;
		decode(copy);
		free(copy);
	}
	free(aligned);
	return 0;
}
