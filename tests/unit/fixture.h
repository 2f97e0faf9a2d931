/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Purpose: captured hook environments (one VAR=value per line) as envp arrays for the tests. */
#ifndef SYMROUTE_TEST_FIXTURE_H
#define SYMROUTE_TEST_FIXTURE_H

#include <stddef.h>
#include <sys/types.h>

#define FIXTURE_MAX_VARS 128
#define FIXTURE_LINE_MAX 1024

struct fixture {
	char *vars[FIXTURE_MAX_VARS + 1];	/* NULL-terminated: an envp */
	size_t n;
};

/* Load FIXTURE_DIR/@subdir/@name ('#' comments and blank lines skipped); fails the test on error. */
void fixture_load(struct fixture *f, const char *subdir, const char *name);
ssize_t fixture_find(const struct fixture *f, const char *var);
/* Replace VAR's value, or add VAR=value. */
void fixture_set(struct fixture *f, const char *assignment);
void fixture_unset(struct fixture *f, const char *var);
void fixture_free(struct fixture *f);

#endif
