/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Purpose: one event through the whole pipeline: read, plan, reconcile, apply. */
#ifndef SYMROUTE_RUN_H
#define SYMROUTE_RUN_H

#include <stdbool.h>

struct event;
struct config;

struct run_opts {
	bool dry_run;		/* print the equivalent `ip` commands, change nothing */
	const char *lock_path;	/* NULL: LOCK_DEFAULT_PATH */
	unsigned *changes;	/* NULL, or set to how many changes reached the kernel */
	/*
	 * The caller holds the lock already: the watcher takes it before it reads what decides
	 * its event, so that a hook's run cannot be seen half applied.
	 */
	bool lock_held;
	/*
	 * Read everything this event's decision touches, main included, rather than ask the
	 * kernel where a witness vouches for it (run.c, main_by_witness()): `sync`, the repair.
	 */
	bool thorough;
};

/* Returns an exit code from exitcode.h; errors are logged. */
int run_event(const struct event *ev, const struct config *cfg, const struct run_opts *opts);

#endif
