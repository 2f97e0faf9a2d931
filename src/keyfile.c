// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Purpose: read the key files symroute meets (/etc/symroute.conf, NetworkManager's
 * keyfile profiles) as GLib's GKeyFile reads them, without GLib on the hook path.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keyfile.h"
#include "utf8.h"

/* GKeyFile's blanks (g_ascii_isspace): not the C library's, which follows the locale. */
static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static uint32_t name_hash(unsigned group, const char *s)
{
	uint32_t h = 2166136261u ^ group;	/* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static struct keyfile_seen_slot *seen_slot(struct keyfile_seen_slot *slot, size_t size,
					   unsigned group, const char *name)
{
	size_t i = name_hash(group, name) & (size - 1);

	while (slot[i].name && (slot[i].group != group || strcmp(slot[i].name, name) != 0))
		i = (i + 1) & (size - 1);
	return &slot[i];
}

int keyfile_seen(struct keyfile_seen *s, unsigned group, const char *name, unsigned *value)
{
	struct keyfile_seen_slot *slot;

	if ((s->n + 1) * 2 > s->size) {
		size_t size = s->size ? s->size * 2 : 16;
		struct keyfile_seen_slot *v = calloc(size, sizeof(*v));

		if (!v)
			return -ENOMEM;
		for (size_t i = 0; i < s->size; i++)
			if (s->slot[i].name)
				*seen_slot(v, size, s->slot[i].group, s->slot[i].name) = s->slot[i];
		free(s->slot);
		s->slot = v;
		s->size = size;
	}
	slot = seen_slot(s->slot, s->size, group, name);
	if (slot->name) {
		*value = slot->value;
		return 1;
	}
	slot->group = group;
	slot->name = name;
	slot->value = *value;
	s->n++;
	return 0;
}

void keyfile_seen_clear(struct keyfile_seen *s)
{
	free(s->slot);
	memset(s, 0, sizeof(*s));
}

/* The group's index in kf->groups, a new one for a name not seen before. */
static int group_find_or_add(struct keyfile *kf, struct keyfile_seen *groups, const char *name,
			     unsigned *index)
{
	const char **v;
	int r;

	*index = kf->n_groups;
	r = keyfile_seen(groups, 0, name, index);
	if (r != 0)
		return r < 0 ? r : 0;
	/* Room doubles at each power of two (from 8): the count says what was allocated. */
	if (kf->n_groups >= 8 && (kf->n_groups & (kf->n_groups - 1)) == 0) {
		v = realloc(kf->groups, kf->n_groups * 2 * sizeof(*v));
		if (!v)
			return -ENOMEM;
		kf->groups = v;
	} else if (!kf->groups) {
		kf->groups = malloc(8 * sizeof(*kf->groups));
		if (!kf->groups)
			return -ENOMEM;
	}
	kf->groups[kf->n_groups++] = name;
	return 0;
}

static int item_add(struct keyfile *kf, unsigned *cap, const struct keyfile_item *item)
{
	if (kf->n_items == *cap) {
		unsigned n = *cap ? *cap * 2 : 32;
		struct keyfile_item *v = realloc(kf->items, n * sizeof(*v));

		if (!v)
			return -ENOMEM;
		kf->items = v;
		*cap = n;
	}
	kf->items[kf->n_items++] = *item;
	return 0;
}

/* "[NAME]" with only blanks after it (g_key_file_line_is_group()); NAME cut in place. */
static bool cut_group(char *line, char **name)
{
	char *close = strchr(line + 1, ']');

	if (line[0] != '[' || !close)
		return false;
	for (const char *p = close + 1; *p; p++)
		if (*p != ' ' && *p != '\t')
			return false;
	*close = '\0';
	*name = line + 1;
	return true;
}

/* Not empty, no '[', ']' or control character (g_key_file_is_group_name()). */
static bool group_name_valid(const char *name)
{
	if (!*name)
		return false;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p == '[' || *p == ']' || *p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

static bool locale_char(unsigned char c)
{
	/* ASCII letters and digits, as GKeyFile takes them in a locale, and its four others. */
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.' || c == '@' || c >= 0x80;
}

/* Not empty, no blank at either end, "[LOCALE]" only at the end (g_key_file_is_key_name()). */
static bool key_name_valid(const char *key)
{
	const char *q = key + strcspn(key, "[]");

	if (q == key || key[0] == ' ' || q[-1] == ' ')
		return false;
	if (*q == '[') {
		for (q++; *q && locale_char((unsigned char)*q); q++)
			;
		if (*q != ']')
			return false;
		q++;
	}
	return *q == '\0';
}

bool keyfile_key_localized(const char *key)
{
	return strchr(key, '[') != NULL;
}

/* One line, blanks before it skipped. Returns 0, 1 (refused: @why filled) or -ENOMEM. */
static int parse_line(struct keyfile *kf, struct keyfile_seen *groups, unsigned *cap, char *line,
		      unsigned number, bool *in_group, unsigned *group, char *why, size_t why_len)
{
	struct keyfile_item item = { .line = number };
	char *name, *eq, *end;

	while (is_blank(*line))
		line++;
	if (!*line || *line == '#')
		return 0;
	if (cut_group(line, &name)) {
		if (!group_name_valid(name)) {
			snprintf(why, why_len, "invalid group name [%s]", name);
			return 1;
		}
		if (group_find_or_add(kf, groups, name, group) < 0)
			return -ENOMEM;
		*in_group = true;
		item.group = *group;
		return item_add(kf, cap, &item);
	}
	eq = strchr(line, '=');
	if (!eq || eq == line) {
		snprintf(why, why_len, "not a [group], a KEY = VALUE line or a '#' comment");
		return 1;
	}
	if (!*in_group) {
		snprintf(why, why_len, "a key before the first [group]");
		return 1;
	}
	for (end = eq; end > line && is_blank(end[-1]); end--)
		;
	*end = '\0';
	if (!key_name_valid(line)) {
		snprintf(why, why_len, "invalid key name '%s'", line);
		return 1;
	}
	/* Blanks after the value stay, as GKeyFile keeps them (the reader decides). */
	for (eq++; is_blank(*eq); eq++)
		;
	item.group = *group;
	item.key = line;
	item.raw = eq;
	return item_add(kf, cap, &item);
}

int keyfile_parse(struct keyfile *kf, const char *data, size_t len, unsigned *bad_line,
		  char *why, size_t why_len)
{
	struct keyfile_seen groups = { 0 };
	unsigned cap = 0, number = 0, group = 0;
	bool in_group = false;
	char *line;
	int r = 0;

	memset(kf, 0, sizeof(*kf));
	*bad_line = 0;
	if (memchr(data, '\0', len)) {
		snprintf(why, why_len, "holds a NUL byte: not a text file");
		return -EINVAL;
	}
	kf->text = malloc(len + 1);
	if (!kf->text)
		return -ENOMEM;
	memcpy(kf->text, data, len);
	kf->text[len] = '\0';
	for (line = kf->text; r == 0 && line;) {
		char *nl = strchr(line, '\n');
		size_t n;

		if (nl)
			*nl = '\0';
		n = strlen(line);
		if (n && line[n - 1] == '\r')	/* a CRLF file */
			line[n - 1] = '\0';
		number++;
		r = parse_line(kf, &groups, &cap, line, number, &in_group, &group, why, why_len);
		line = nl ? nl + 1 : NULL;
	}
	keyfile_seen_clear(&groups);
	if (r == 1) {
		*bad_line = number;
		return -EINVAL;
	}
	return r;
}

void keyfile_clear(struct keyfile *kf)
{
	free(kf->text);
	free(kf->items);
	free(kf->groups);
	memset(kf, 0, sizeof(*kf));
}

char *keyfile_value(const char *raw, const char **why)
{
	size_t len = strlen(raw);
	char *out, *q;

	for (size_t i = 0; i < len;) {
		size_t n = utf8_char_len((const unsigned char *)raw + i, len - i);

		if (!n) {
			*why = "not UTF-8";
			return NULL;
		}
		i += n;
	}
	out = malloc(len + 1);
	if (!out) {
		*why = "out of memory";
		return NULL;
	}
	for (q = out; *raw; raw++) {
		if (*raw != '\\') {
			*q++ = *raw;
			continue;
		}
		switch (*++raw) {
		case 's': *q++ = ' '; break;
		case 'n': *q++ = '\n'; break;
		case 't': *q++ = '\t'; break;
		case 'r': *q++ = '\r'; break;
		case '\\': *q++ = '\\'; break;
		case '\0':
			*why = "a '\\' at the end of the value escapes nothing";
			free(out);
			return NULL;
		default:
			*why = "an escape other than \\s, \\n, \\t, \\r or \\\\";
			free(out);
			return NULL;
		}
	}
	*q = '\0';
	return out;
}
