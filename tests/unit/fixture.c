// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: captured hook environments (one VAR=value per line) as envp arrays for the tests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"

#ifndef FIXTURE_DIR
#define FIXTURE_DIR "tests/fixtures"
#endif

void fixture_load(struct fixture *f, const char *subdir, const char *name)
{
	char path[512], line[FIXTURE_LINE_MAX];
	FILE *fp;

	memset(f, 0, sizeof(*f));
	snprintf(path, sizeof(path), "%s/%s/%s", FIXTURE_DIR, subdir, name);
	fp = fopen(path, "re");
	if (!fp)
		fail_msg("cannot open fixture %s", path);
	while (fgets(line, sizeof(line), fp)) {
		size_t len = strlen(line);

		assert_true(len > 0 && line[len - 1] == '\n');	/* no line longer than the buffer */
		line[len - 1] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		assert_non_null(strchr(line, '='));
		assert_true(f->n < FIXTURE_MAX_VARS);
		f->vars[f->n] = strdup(line);
		assert_non_null(f->vars[f->n]);
		f->n++;
	}
	fclose(fp);
}

ssize_t fixture_find(const struct fixture *f, const char *var)
{
	size_t len = strcspn(var, "=");

	for (size_t i = 0; i < f->n; i++)
		if (strncmp(f->vars[i], var, len) == 0 && f->vars[i][len] == '=')
			return (ssize_t)i;
	return -1;
}

void fixture_set(struct fixture *f, const char *assignment)
{
	ssize_t i = fixture_find(f, assignment);
	char *copy = strdup(assignment);

	assert_non_null(copy);
	if (i >= 0) {
		free(f->vars[i]);
		f->vars[i] = copy;
		return;
	}
	assert_true(f->n < FIXTURE_MAX_VARS);
	f->vars[f->n++] = copy;
}

void fixture_unset(struct fixture *f, const char *var)
{
	ssize_t i = fixture_find(f, var);

	if (i < 0)
		fail_msg("fixture has no %s to remove", var);
	free(f->vars[i]);
	memmove(&f->vars[i], &f->vars[i + 1], (f->n - (size_t)i) * sizeof(f->vars[0]));
	f->n--;
}

void fixture_free(struct fixture *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->vars[i]);
	f->n = 0;
}
