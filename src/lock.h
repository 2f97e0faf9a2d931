/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Purpose: one symroute run at a time changes the kernel (the shared rule, main's default). */
#ifndef SYMROUTE_LOCK_H
#define SYMROUTE_LOCK_H

#define LOCK_DEFAULT_PATH "/run/symroute.lock"

/*
 * Take the lock at @path, waiting up to @timeout_ms. Returns an fd >= 0, or -errno after one
 * logged line: -ETIMEDOUT (another run held it), or the file is unsafe (a symbolic link, not
 * a regular file, another user's) or cannot be opened. Every failure is EXIT_LOCKED.
 */
int lock_take(const char *path, unsigned timeout_ms);
void lock_release(int fd);

#endif
