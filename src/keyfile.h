/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Purpose: read the key files symroute meets (/etc/symroute.conf, NetworkManager's
 * keyfile profiles) as GLib's GKeyFile reads them, without GLib on the hook path.
 */
#ifndef SYMROUTE_KEYFILE_H
#define SYMROUTE_KEYFILE_H

#include <stdbool.h>
#include <stddef.h>

/* One line that says something: a "[group]" header or a "KEY = VALUE" line. */
struct keyfile_item {
	unsigned line;		/* from 1 */
	unsigned group;		/* index into keyfile.groups: the header's, or the key's group */
	const char *key;	/* NULL: a header; else the key as written, [locale] and all */
	const char *raw;	/* the value as written: blanks before it dropped, escapes kept */
};

struct keyfile {
	char *text;			/* a copy of the file, cut into the strings below */
	struct keyfile_item *items;	/* in file order */
	unsigned n_items;
	const char **groups;		/* each name once, in the order of first appearance */
	unsigned n_groups;
};

/*
 * Cut @data (@len bytes) into lines as GKeyFile does: blanks before a line skipped, '#'
 * comments and empty lines, "[NAME]" headers (a group opened again continues), then
 * "KEY = VALUE" lines; CRLF line ends are taken. Anything else refuses the whole file, as
 * GKeyFile does: returns -EINVAL with the line's number in *@bad_line and why in @why.
 * 0 on success; -ENOMEM. Free with keyfile_clear(), also after a failure.
 */
int keyfile_parse(struct keyfile *kf, const char *data, size_t len, unsigned *bad_line,
		  char *why, size_t why_len);
void keyfile_clear(struct keyfile *kf);

/*
 * A set of (group, name) pairs, each with a number: what a reader has met already (a key
 * given twice, a group opened again), in constant time per look-up.
 */
struct keyfile_seen_slot {
	unsigned group;
	const char *name;	/* NULL: a free slot; the caller keeps the string */
	unsigned value;
};

struct keyfile_seen {
	struct keyfile_seen_slot *slot;
	size_t size, n;		/* size: a power of two */
};

/*
 * Has (@group, @name) been met? 1: yes, and *@value is the number noted then; 0: no, and it
 * is noted now with *@value; -ENOMEM.
 */
int keyfile_seen(struct keyfile_seen *s, unsigned group, const char *name, unsigned *value);
void keyfile_seen_clear(struct keyfile_seen *s);

/* "KEY[LOCALE]": a translation, which a reader of GKeyFile without locales never sees. */
bool keyfile_key_localized(const char *key);

/*
 * The value as g_key_file_get_string() gives it: UTF-8 only, and "\s", "\n", "\t", "\r",
 * "\\" decoded. Any other escape, or a '\' at the end, is refused as GLib 2.76 and later
 * refuse it (Debian 13; GLib 2.74 of Debian 12 passed "\x" on and dropped a final '\'): the
 * same file means the same on both. Returns a string to free(), or NULL with *why (NULL also
 * when out of memory: *why says so).
 */
char *keyfile_value(const char *raw, const char **why);

#endif
