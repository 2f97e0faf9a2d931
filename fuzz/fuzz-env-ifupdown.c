// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: libFuzzer harness for env_ifupdown_read(): ifupdown's hook environment from bytes. */
#include "env-ifupdown.h"
#include "fuzz.h"
#include "options.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_silence_log();
	options_rt_tables_dir = FUZZ_RT_TABLES_DIR;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char **envp = fuzz_env_split(data, size, NULL);
	struct event ev;

	fuzz_check_event(&ev, env_ifupdown_read(&ev, envp));
	fuzz_env_free(envp);
	return 0;
}
