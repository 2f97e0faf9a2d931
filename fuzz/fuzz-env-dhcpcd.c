// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: libFuzzer harness for env_dhcpcd_read(): dhcpcd-run-hooks' environment from bytes. */
#include "env-dhcpcd.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_silence_log();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char **envp = fuzz_env_split(data, size, NULL);
	struct event ev;
	int r = env_dhcpcd_read(&ev, envp);

	fuzz_check_event(&ev, r);
	if (r == 0 && ev.action == EVENT_UP) {
		/* A DHCP server picks new_routers: never the leased address, its broadcast... */
		if ((ev.gateways_given & EVENT_V4) && ev.n_addrs) {
			struct addr net = addr_network(&ev.addrs[0]);

			FUZZ_ASSERT(!addr_same_ip(&ev.gateway[0], &ev.addrs[0]));
			FUZZ_ASSERT(ev.addrs[0].plen > 30 ||
				    !addr_is_subnet_broadcast(&net, &ev.gateway[0]));
		}
		/* ...and IPv6 addresses come from the kernel, never from the environment. */
		FUZZ_ASSERT(!(ev.addrs_given & EVENT_V6));
	}
	fuzz_env_free(envp);
	return 0;
}
