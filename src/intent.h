/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Purpose: the event that keeps what symroute left in the kernel, rebuilt from one family's status. */
#ifndef SYMROUTE_INTENT_H
#define SYMROUTE_INTENT_H

#include <stdbool.h>

struct config;
struct event;
struct status_family;
struct status_iface;

/*
 * What `symroute up IFACE` must be told so that it keeps the settings an earlier event left
 * in the kernel for one family (@f of @iface): a table or priority chosen by hand, "to" rules,
 * preferred prefixes, main's metric or weight, onlink. The gateway is not copied: like `up` by
 * hand, the event takes main's default via the interface first, then our table's
 * (keep_table_gateway), so a router that changed its address is followed.
 * @manager_default: main holds a default via the interface that is not ours while none of
 * ours is there: its manager decides main's defaults (NetworkManager's events say
 * main-default off), and the event keeps it that way.
 * Fills @ev as an EVENT_UP for the family, from @origin. Returns 0, or -EINVAL with @why set
 * when the interface's name cannot be an event's.
 */
int intent_event(const struct config *cfg, const struct status_iface *iface,
		 const struct status_family *f, bool manager_default, const char *origin,
		 struct event *ev, const char **why);

/* Does @f hold a default route of ours in main through @ifindex (a fallback, metric mode's)? */
bool intent_has_main_default(const struct status_family *f, unsigned ifindex);

#endif
