// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: one symroute run at a time changes the kernel (the shared rule, main's default). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lock.h"
#include "log.h"

/* Poll step while another run holds the lock: runs take about a millisecond. */
#define LOCK_POLL_NS 2000000L
#define LOCK_MODE 0600

/*
 * The lock file must be ours alone: a file someone else owns, or may open, lets them hold
 * the lock (every run then gives up) or point it elsewhere. A symbolic link is not followed
 * (O_NOFOLLOW); what was opened is checked on the descriptor. Owned by the user running us
 * (root, in every real run); a wrong mode of our own file is repaired. Returns 0 or -errno
 * after one logged line.
 */
static int lock_check(int fd, const char *path)
{
	struct stat st;

	if (fstat(fd, &st) < 0) {
		log_error("cannot take the lock %s: %s", path, strerror(errno));
		return -errno;
	}
	if (!S_ISREG(st.st_mode)) {
		log_error("cannot take the lock %s: not a regular file; remove it", path);
		return -EINVAL;
	}
	if (st.st_uid != geteuid()) {
		log_error("cannot take the lock %s: owned by uid %u, not by root: another user "
			  "could hold it; remove it", path, (unsigned)st.st_uid);
		return -EPERM;
	}
	if ((st.st_mode & 07777) != LOCK_MODE && fchmod(fd, LOCK_MODE) < 0) {
		log_error("cannot take the lock %s: mode %04o, and cannot make it %04o: %s", path,
			  (unsigned)(st.st_mode & 07777), LOCK_MODE, strerror(errno));
		return -errno;
	}
	return 0;
}

int lock_take(const char *path, unsigned timeout_ms)
{
	struct timespec step = { 0, LOCK_POLL_NS };
	unsigned long waited_ns = 0;
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK,
		      LOCK_MODE);
	int err;

	if (fd < 0) {
		err = -errno;
		if (err == -ELOOP)
			log_error("cannot take the lock %s: a symbolic link; remove it", path);
		else if (err == -EISDIR)
			log_error("cannot take the lock %s: not a regular file; remove it", path);
		else
			log_error("cannot take the lock %s: %s", path, strerror(-err));
		return err;
	}
	err = lock_check(fd, path);
	if (err < 0) {
		close(fd);
		return err;
	}
	/* flock: released by the kernel when we exit, however we exit. */
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		err = errno;
		if (err != EWOULDBLOCK && err != EINTR) {
			log_error("cannot take the lock %s: %s", path, strerror(err));
			close(fd);
			return -err;
		}
		if (waited_ns >= (unsigned long)timeout_ms * 1000000UL) {
			log_error("another symroute run held %s for more than %u ms", path,
				  timeout_ms);
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
