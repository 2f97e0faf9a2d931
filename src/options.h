/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Purpose: the per-interface knobs, parsed by one name everywhere (CLI, ifupdown, NM, config). */
#ifndef SYMROUTE_OPTIONS_H
#define SYMROUTE_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

struct event;

/*
 * Set the knob called @name ("table", "priority", "to-rule", "main-default",
 * "onlink") from the user's @value. The command line spells them
 * --NAME, ifupdown symroute-NAME, NetworkManager symroute.NAME.
 * Returns 0, -ENOENT for an unknown name, -EINVAL for a bad value (*why says
 * why in words).
 */
int options_set(struct event *ev, const char *name, const char *value, const char **why);

/* Value parsers shared with the config file. */
int options_parse_bool(bool *out, const char *value, const char **why);
int options_parse_u32(uint32_t *out, const char *value, uint32_t min, uint32_t max,
		      const char **why);
/* A table number or a name from rt_tables / rt_tables.d; refuses 0, 253, 254, 255. */
int options_parse_table(uint32_t *out, const char *value, const char **why);
/* A rule priority symroute may use: 1..32765, not main's or default's. */
int options_parse_priority(uint32_t *out, const char *value, const char **why);

/* "loose" (true) or "keep" (false), the rp-filter knob's values. */
int options_parse_rp_filter(bool *loose, const char *value, const char **why);

/* Route metrics symroute accepts: the kernel's u32, kept below 2^31 like the metric bases. */
#define OPTIONS_METRIC_MAX 0x7fffffffu
/* The longest "PREFIX/LEN" word of a prefer list. */
#define OPTIONS_PREFIX_TEXT_MAX 64

/*
 * "Did you mean": the name in the NULL-terminated @known nearest to the unknown @name, at
 * most OPTIONS_SUGGEST_EDITS edits away (an insertion, a deletion, a replacement or two
 * neighbours swapped each count one) and no more than a third of @name's length; the first
 * of equally near ones. NULL when none is that near, or when @name is itself known.
 */
#define OPTIONS_SUGGEST_EDITS 2u
const char *options_nearest(const char *name, const char *const *known);
/*
 * The same over the knobs of options_set() and a front end's own names (@extra,
 * NULL-terminated, at most OPTIONS_SUGGEST_EXTRA_MAX: ifupdown's "gateway", NetworkManager's
 * "gateway4", ...). Names as written after the front end's prefix ("tabel" -> "table").
 */
#define OPTIONS_SUGGEST_EXTRA_MAX 4
const char *options_suggest(const char *name, const char *const *extra);

/*
 * The name `ip` gives protocol @protocol ("symroute" for 73, from rt_protos.d), read as
 * iproute2 reads it: /etc/iproute2/rt_protos (or /usr/share/iproute2/rt_protos without it),
 * then the rt_protos.d/ *.conf of both. Returns 0, or -ENOENT with the number in @buf.
 */
int options_protocol_name(uint8_t protocol, char *buf, size_t len);

/* Where table names are looked up; tests point it elsewhere. */
extern const char *options_rt_tables_dir;

#endif
