// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: libFuzzer harness for env_dhclient_read(): dhclient-script's environment from bytes. */
#include "env-dhclient.h"
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
	int r = env_dhclient_read(&ev, envp);

	fuzz_check_event(&ev, r);
	/* A DHCP server picks new_routers: the leased address is never our gateway. */
	if (r == 0 && ev.action == EVENT_UP && (ev.gateways_given & EVENT_V4) && ev.n_addrs)
		FUZZ_ASSERT(!addr_same_ip(&ev.gateway[0], &ev.addrs[0]));
	fuzz_env_free(envp);
	return 0;
}
