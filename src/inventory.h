/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Purpose: everything of ours in the kernel, across interfaces: list it, or remove it all. */
#ifndef SYMROUTE_INVENTORY_H
#define SYMROUTE_INVENTORY_H

#include <stdio.h>

struct config;
struct run_opts;

/* Print our rules and routes (all, or those of @ifname) for @families. Returns an exit code. */
int inventory_show(const struct config *cfg, const char *ifname, unsigned families, FILE *out);
/* Remove every rule and route tagged ours (package removal). Returns an exit code. */
int inventory_flush(const struct config *cfg, unsigned families, const struct run_opts *opts);

#endif
