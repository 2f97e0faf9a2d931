// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: libFuzzer harness for env_nm_read() and the user-data readers: a dispatcher call. */
#include "env-nm.h"
#include "fuzz.h"
#include "options.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_silence_log();
	options_rt_tables_dir = FUZZ_RT_TABLES_DIR;
	return 0;
}

/*
 * Input: entries separated by NUL or newline. The first three are the dispatcher's argv
 * (subcommand, interface, action); an up also reads CONNECTION_USER_* entries
 * (env_nm_read_user_env()); an entry "symroute.KEY=VALUE" also goes through env_nm_user_set(),
 * whatever the action; every entry is in the environment.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n;
	char **envp = fuzz_env_split(data, size, &n);
	char *argv[4] = { NULL, NULL, NULL, NULL };
	int argc = n < 3 ? (int)n : 3;
	struct event ev;
	int r;

	for (int i = 0; i < argc; i++)
		argv[i] = envp[i];
	r = env_nm_read(&ev, argc, argv, envp + argc);
	fuzz_check_event(&ev, r);
	if (r == 0 && ev.action == EVENT_UP) {
		/* NetworkManager 1.46+'s CONNECTION_USER_* (the keyfile part reads files: not here). */
		bool found;

		r = env_nm_read_user_env(&ev, envp + argc, &found);
		fuzz_check_event(&ev, r);
		r = 0;
	}
	if (r == 0) {
		for (char **e = envp + argc; *e; e++) {
			char *eq = strchr(*e, '=');

			if (!eq || strncmp(*e, ENV_NM_USER_PREFIX, strlen(ENV_NM_USER_PREFIX)) != 0)
				continue;
			*eq = '\0';
			r = env_nm_user_set(&ev, *e, eq + 1);
			*eq = '=';
			FUZZ_ASSERT(r == 0 || (r < 0 && r > -4096));
		}
		fuzz_check_event(&ev, 0);
	}
	fuzz_env_free(envp);
	return 0;
}
