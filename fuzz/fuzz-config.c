// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: libFuzzer harness for config_load(): /etc/symroute.conf's bytes, from a temp file. */
#include <stdio.h>
#include <unistd.h>

#include "config.h"
#include "fuzz.h"
#include "options.h"

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
	/* Table names in [interface NAME] groups come from the corpus's small rt_tables tree. */
	options_rt_tables_dir = FUZZ_RT_TABLES_DIR;
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
	/*
	 * Each [interface NAME] group: a valid, distinct name, and knobs in the ranges a stanza's
	 * may take, so that an event filled from it by config_resolve() is as sound as the
	 * front ends' (fuzz_check_event). A refused file may leave a partial group behind: the
	 * callers exit then, and only an accepted one is checked.
	 */
	FUZZ_ASSERT(cfg.n_ifaces <= CONFIG_MAX_IFACES);
	for (unsigned i = 0; r == 0 && i < cfg.n_ifaces; i++) {
		const struct config_iface *g = &cfg.ifaces[i];
		struct event ev;
		const char *why;

		FUZZ_ASSERT(config_iface_find(&cfg, g->name) == g);
		event_init(&ev, "fuzz");
		FUZZ_ASSERT(event_set_ifname(&ev, g->name, &why) == 0);
		ev.action = EVENT_UP;
		ev.families = EVENT_V4 | EVENT_V6;
		config_resolve(&cfg, &ev);
		FUZZ_ASSERT(ev.action == (g->off ? EVENT_DOWN : EVENT_UP));
		FUZZ_ASSERT(ev.has == g->has && ev.gateways_given == g->gateways);
		fuzz_check_event(&ev, 0);
		FUZZ_ASSERT(ev.n_prefer <= EVENT_MAX_PREFER);
		if (ev.has & EVENT_HAS_WEIGHT)
			FUZZ_ASSERT(ev.weight >= 1 && ev.weight <= 256);
		if (ev.has & EVENT_HAS_METRIC)
			FUZZ_ASSERT(ev.metric >= 1 && ev.metric <= OPTIONS_METRIC_MAX);
	}
	return 0;
}
