/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Purpose: reading a hook's environment (VAR=value strings), shared by every front end. */
#ifndef SYMROUTE_ENV_H
#define SYMROUTE_ENV_H

#include <stdbool.h>
#include <stddef.h>

/* Value of @name in @envp, or NULL. The first one wins, as with getenv(). */
const char *env_value(char *const *envp, const char *name);

/* Unset and set-but-empty mean the same to every hook that calls us. */
static inline bool is_empty(const char *s)
{
	return s == NULL || s[0] == '\0';
}

#endif
