// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: one symroute run at a time changes the kernel (the shared rule, main's default). */
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "lock.h"

/* Poll step while another run holds the lock: runs take about a millisecond. */
#define LOCK_POLL_NS 2000000L

int lock_take(const char *path, unsigned timeout_ms)
{
	struct timespec step = { 0, LOCK_POLL_NS };
	unsigned long waited_ns = 0;
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);

	if (fd < 0)
		return -errno;
	/* flock: released by the kernel when we exit, however we exit. */
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int err = errno;

		if (err != EWOULDBLOCK && err != EINTR) {
			close(fd);
			return -err;
		}
		if (waited_ns >= (unsigned long)timeout_ms * 1000000UL) {
			close(fd);
			return -ETIMEDOUT;
		}
		nanosleep(&step, NULL);
		waited_ns += LOCK_POLL_NS;
	}
	return fd;
}

void lock_release(int fd)
{
	if (fd >= 0)
		close(fd);
}
