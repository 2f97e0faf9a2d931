// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: reading a hook's environment (VAR=value strings), shared by every front end. */
#include "env.h"

#include <string.h>

const char *env_value(char *const *envp, const char *name)
{
	size_t len = strlen(name);

	for (char *const *e = envp; e && *e; e++)
		if (strncmp(*e, name, len) == 0 && (*e)[len] == '=')
			return *e + len + 1;
	return NULL;
}
