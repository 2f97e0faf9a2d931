// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Purpose: libFuzzer harness for lease_dhclient_parse() and lease_dhcpcd_parse(): every input is
 * both a dhclient lease file and a dhcpcd reply, as a DHCP server could have shaped either.
 */
#include "fuzz.h"
#include "lease.h"

/* The fixtures' time (tests/fixtures/lease): their leases are current at it. */
#define FUZZ_NOW ((time_t)1796607317)

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_silence_log();
	return 0;
}

/* What the core may rely on from either parser: a usable IPv4 router, or -ENOENT / -EINVAL. */
static void check_router(int r, const struct addr *gw)
{
	FUZZ_ASSERT(r == 0 || r == -ENOENT || r == -EINVAL);
	if (r < 0)
		return;
	FUZZ_ASSERT(gw->family == AF_INET && gw->plen == 32);
	FUZZ_ASSERT(addr_router_unusable(gw, NULL) == NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct addr gw, again;
	int r;

	if (size > LEASE_DHCLIENT_MAX)
		return 0;
	r = lease_dhclient_parse((const char *)data, size, "eth1", FUZZ_NOW, &gw);
	check_router(r, &gw);
	if (size > LEASE_DHCPCD_MAX)
		return 0;
	r = lease_dhcpcd_parse(data, size, FUZZ_NOW - 60, FUZZ_NOW, &gw);
	check_router(r, &gw);
	/* A lease current now was current when it was written, with the same router. */
	if (r == 0) {
		FUZZ_ASSERT(lease_dhcpcd_parse(data, size, FUZZ_NOW - 60, FUZZ_NOW - 60, &again) == 0);
		FUZZ_ASSERT(addr_same_ip(&gw, &again));
	}
	return 0;
}
