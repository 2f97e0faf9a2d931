// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: unit tests of the run lock: a file of our own, 0600, never followed or shared. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>
#include <cmocka.h>

#include "lock.h"
#include "log.h"

static struct {
	unsigned n;
	char msg[1024];
} logged;

static void capture(int priority, const char *msg)
{
	if (logged.n++ == 0)
		snprintf(logged.msg, sizeof(logged.msg), "%s", msg);
}

static char dir[64];
static char path[128];

static int setup(void **state)
{
	memset(&logged, 0, sizeof(logged));
	log_set_sink(capture);
	snprintf(dir, sizeof(dir), "/tmp/symroute-test-lock.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/symroute.lock", dir);
	return 0;
}

static int teardown(void **state)
{
	log_set_sink(NULL);
	unlink(path);
	rmdir(path);
	rmdir(dir);
	return 0;
}

/* One line was logged, and it reads @before, the lock's path, @after. */
static void assert_logged(const char *before, const char *after)
{
	char want[512];

	snprintf(want, sizeof(want), "%s%s%s", before, path, after);
	assert_int_equal(logged.n, 1);
	assert_string_equal(logged.msg, want);
}

static mode_t mode_of(const char *p)
{
	struct stat st;

	assert_int_equal(lstat(p, &st), 0);
	return st.st_mode & 07777;
}

static void test_fresh(void **state)
{
	int fd = lock_take(path, 0);

	assert_true(fd >= 0);
	assert_int_equal(mode_of(path), 0600);
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	assert_int_equal(logged.n, 0);
	lock_release(fd);
	/* Taken again once released. */
	fd = lock_take(path, 0);
	assert_true(fd >= 0);
	lock_release(fd);
}

/* 0644 let anyone open it and hold a shared lock; our own file is put right. */
static void test_mode_repaired(void **state)
{
	int fd = open(path, O_CREAT | O_WRONLY, 0644);

	assert_true(fd >= 0);
	assert_int_equal(fchmod(fd, 0644), 0);
	close(fd);
	fd = lock_take(path, 0);
	assert_true(fd >= 0);
	assert_int_equal(mode_of(path), 0600);
	assert_int_equal(logged.n, 0);
	lock_release(fd);
}

static void test_symlink(void **state)
{
	char target[160];
	int fd;

	snprintf(target, sizeof(target), "%s/elsewhere", dir);
	assert_int_equal(symlink(target, path), 0);
	fd = lock_take(path, 0);
	assert_int_equal(fd, -ELOOP);
	assert_logged("cannot take the lock ", ": a symbolic link; remove it");
	/* Nothing was created where it pointed. */
	assert_int_equal(access(target, F_OK), -1);
}

static void test_directory(void **state)
{
	assert_int_equal(mkdir(path, 0700), 0);
	assert_true(lock_take(path, 0) < 0);
	assert_logged("cannot take the lock ", ": not a regular file; remove it");
}

static void test_fifo(void **state)
{
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(lock_take(path, 0), -EINVAL);
	assert_logged("cannot take the lock ", ": not a regular file; remove it");
}

static void test_other_owner(void **state)
{
	int fd;

	if (geteuid() != 0)
		skip();	/* giving a file away needs root */
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	assert_int_equal(fchown(fd, 65534, 65534), 0);
	close(fd);
	assert_int_equal(lock_take(path, 0), -EPERM);
	assert_logged("cannot take the lock ", ": owned by uid 65534, not by root: another user "
		      "could hold it; remove it");
	/* Refused, not repaired. */
	assert_int_equal(mode_of(path), 0600);
}

static void test_held(void **state)
{
	int other = open(path, O_CREAT | O_RDWR, 0600);

	assert_true(other >= 0);
	assert_int_equal(flock(other, LOCK_SH), 0);
	assert_int_equal(lock_take(path, 10), -ETIMEDOUT);
	assert_logged("another symroute run held ", " for more than 10 ms");
	close(other);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_fresh),
		T(test_mode_repaired),
		T(test_symlink),
		T(test_directory),
		T(test_fifo),
		T(test_other_owner),
		T(test_held),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
