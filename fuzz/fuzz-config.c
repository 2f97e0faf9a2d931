// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: libFuzzer harness for config_load(): /etc/symroute.conf's bytes, from a temp file. */
#include <stdio.h>
#include <unistd.h>

#include "config.h"
#include "fuzz.h"

/* On tmpfs where there is one: a disk stall on a shared machine is not a bug of ours. */
static char path[64];
static int fd = -1;

static void remove_file(void)
{
	if (fd >= 0)
		unlink(path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_silence_log();
	snprintf(path, sizeof(path), "/dev/shm/symroute-fuzz-config.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0) {
		snprintf(path, sizeof(path), "/tmp/symroute-fuzz-config.XXXXXX");
		fd = mkstemp(path);
	}
	if (fd < 0) {
		perror("mkstemp");
		abort();
	}
	atexit(remove_file);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config cfg;
	int r;

	if (ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	config_defaults(&cfg);
	r = config_load(&cfg, path, true);
	FUZZ_ASSERT(r == 0 || r == -EINVAL);
	/* Whatever the file says, the values stay in the ranges the rest of the code assumes. */
	FUZZ_ASSERT(cfg.protocol >= 1);
	FUZZ_ASSERT(cfg.table_base >= 256 && cfg.table_base <= 0x7fffffffu);
	FUZZ_ASSERT(cfg.priority >= 1 && cfg.priority <= 32765);
	FUZZ_ASSERT(cfg.suppress_priority >= 1 && cfg.suppress_priority <= 32765);
	FUZZ_ASSERT(cfg.fallback_metric_base >= 1 && cfg.fallback_metric_base <= 0x7fffffffu);
	FUZZ_ASSERT(cfg.lock_timeout_ms <= 600000);
	return 0;
}
