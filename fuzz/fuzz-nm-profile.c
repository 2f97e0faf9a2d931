// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: libFuzzer harness for env_nm_read_profile(): a NetworkManager keyfile's bytes. */
#include <stdio.h>
#include <unistd.h>

#include "env-nm.h"
#include "fuzz.h"
#include "options.h"

/* On tmpfs where there is one: a disk stall on a shared machine is not a bug of ours. */
static char path[64];
static char env_var[sizeof("CONNECTION_FILENAME=") + sizeof(path)];
static int fd = -1;

static void remove_file(void)
{
	if (fd >= 0)
		unlink(path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_silence_log();
	options_rt_tables_dir = FUZZ_RT_TABLES_DIR;
	snprintf(path, sizeof(path), "/dev/shm/symroute-fuzz-profile.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0) {
		snprintf(path, sizeof(path), "/tmp/symroute-fuzz-profile.XXXXXX");
		fd = mkstemp(path);
	}
	if (fd < 0) {
		perror("mkstemp");
		abort();
	}
	atexit(remove_file);
	snprintf(env_var, sizeof(env_var), "CONNECTION_FILENAME=%s", path);
	return 0;
}

/* Input: the keyfile; its [user] group carries symroute.* settings. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *envp[] = { env_var, NULL };
	const char *why;
	struct event ev;
	int r;

	if (ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	event_init(&ev, "nm");
	ev.action = EVENT_UP;
	ev.families = EVENT_V4 | EVENT_V6;
	if (event_set_ifname(&ev, "eth1", &why) < 0)
		abort();
	r = env_nm_read_profile(&ev, envp);
	FUZZ_ASSERT(r == 0 || r == -EINVAL || r == -EIO);
	fuzz_check_event(&ev, r);
	return 0;
}
