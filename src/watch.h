/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Purpose: symroute watch: uplinks reconciled whenever the kernel says they changed. */
#ifndef SYMROUTE_WATCH_H
#define SYMROUTE_WATCH_H

#include <stdbool.h>
#include <time.h>

struct config;

#define WATCH_STATE_DIR "/run/symroute"
#define WATCH_STATE_PATH WATCH_STATE_DIR "/watch.state"

struct watch_opts {
	bool dry_run;		/* print what each reconcile would send, change nothing */
};

/*
 * Run until SIGTERM or SIGINT (then EXIT_OK). One pass over every interface at start, then
 * one per burst of notifications about an uplink; lost notifications make a full pass.
 * `watch = false` returns EXIT_OK at once. Returns an exit code from exitcode.h.
 */
int watch_run(const struct config *cfg, const struct watch_opts *opts);

/* What the running watcher last wrote to WATCH_STATE_PATH, for `symroute status`. */
struct watch_state {
	bool running;		/* the pid is a live symroute */
	long pid;
	long long since, last_at;
	unsigned actions;
	char last[160];
};

/* Returns 1 when a state file was read (@s->running says whether its watcher lives), 0 if none. */
int watch_state_read(struct watch_state *s);

#endif
