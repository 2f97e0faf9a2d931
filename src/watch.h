/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Purpose: symroute watch: uplinks reconciled whenever the kernel says they changed. */
#ifndef SYMROUTE_WATCH_H
#define SYMROUTE_WATCH_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct config;
struct nlmsghdr;

#define WATCH_STATE_DIR "/run/symroute"
#define WATCH_STATE_PATH WATCH_STATE_DIR "/watch.state"

struct watch_opts {
	bool dry_run;		/* print what each reconcile would send, change nothing */
	bool once;		/* one pass over every interface, then return */
};

/* A multipath default names this many interfaces at most in one verdict (more: a full pass). */
#define WATCH_MAX_HITS 8

/* What one notification means for the watcher: interfaces to reconcile, or a full pass. */
struct watch_verdict {
	unsigned n_hits;
	struct {
		uint32_t ifindex;
		unsigned families;	/* enum event_family */
	} hits[WATCH_MAX_HITS];
	char gone[IFNAMSIZ];			/* RTM_DELLINK: the name whose rules must go */
	bool full;			/* read every interface again (a rule of ours in a chosen table) */
};

/*
 * Pure: which interfaces a notification concerns. A global address added or removed; a
 * default route in main that is not ours, added or removed; anything of ours removed (put
 * back); a link that is up (again); a link deleted (@gone set). Everything else: nothing.
 */
void watch_classify(const struct config *cfg, const struct nlmsghdr *nlh, struct watch_verdict *v);

/*
 * With @opts->once: one pass over every interface, and the exit code of the first reconcile
 * that failed (EXIT_OK if none did). Else:
 * run until SIGTERM or SIGINT (then EXIT_OK). One pass over every interface at start, then
 * one per burst of notifications about an uplink; lost notifications make a full pass.
 * `watch = false` returns EXIT_OK at once. Returns an exit code from exitcode.h.
 */
int watch_run(const struct config *cfg, const struct watch_opts *opts);

/*
 * What the last event that said so said: symroute is off (or on) for @ifname in @families
 * (enum event_family). Kept in WATCH_STATE_DIR (a tmpfs: gone at reboot, when every hook
 * says it again), where the watcher, which never sees a stanza or a profile, looks.
 */
void watch_note_off(const char *ifname, unsigned families, bool off);
bool watch_is_off(const char *ifname, int family);

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
