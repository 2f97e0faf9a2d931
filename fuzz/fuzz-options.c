// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: libFuzzer harness for options_set(): a per-interface knob NAME and VALUE from bytes. */
#include <errno.h>

#include "fuzz.h"
#include "options.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_silence_log();
	/* Table names come from a small rt_tables tree shipped with the corpus. */
	options_rt_tables_dir = FUZZ_RT_TABLES_DIR;
	return 0;
}

/* Input: NAME, a NUL or newline, VALUE (the rest, up to a NUL). Pairs repeat. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n;
	char **v = fuzz_env_split(data, size, &n);
	struct event ev;

	event_init(&ev, "fuzz");
	for (size_t i = 0; i + 1 < n || i == 0; i += 2) {
		const char *why = NULL;
		int r = options_set(&ev, v[i] ? v[i] : "", i + 1 < n ? v[i + 1] : NULL, &why);

		FUZZ_ASSERT(r == 0 || r == -EINVAL || r == -ENOENT || r == -ERANGE);
		FUZZ_ASSERT(r == 0 || (why != NULL && why[0] != '\0'));
		if (i + 1 >= n)
			break;
	}
	if (ev.has & EVENT_HAS_TABLE)
		FUZZ_ASSERT(ev.table != 0 && ev.table != 253 && ev.table != 254 && ev.table != 255);
	if (ev.has & EVENT_HAS_PRIORITY)
		FUZZ_ASSERT(ev.priority >= 1 && ev.priority <= 32765);
	fuzz_env_free(v);
	return 0;
}
