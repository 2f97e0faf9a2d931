// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: the per-interface knobs, parsed by one name everywhere (CLI, ifupdown, NM, config). */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "addr.h"
#include "event.h"
#include "options.h"

const char *options_rt_tables_dir = "/etc/iproute2";
/* iproute2 >= 6.5 also reads its defaults from here. */
static const char *const vendor_rt_tables_dir = "/usr/share/iproute2";

/* Table ids that are never ours: unspec, default, main, local. */
static const uint32_t reserved_tables[] = { 0, 253, 254, 255 };

/* Priorities the kernel's own rules use (local 0, main 32766, default 32767). */
#define PRIORITY_MAIN 32766u

int options_parse_bool(bool *out, const char *value, const char **why)
{
	static const char *const yes[] = { "1", "yes", "true", "on" };
	static const char *const no[] = { "0", "no", "false", "off" };

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(value, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(value, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	*why = "not a boolean (yes/no, on/off, true/false, 1/0)";
	return -EINVAL;
}

int options_parse_u32(uint32_t *out, const char *value, uint32_t min, uint32_t max,
		      const char **why)
{
	unsigned long long v;
	char *end;

	if (value[0] < '0' || value[0] > '9') {
		*why = "not a number";
		return -EINVAL;
	}
	errno = 0;
	v = strtoull(value, &end, 10);
	if (errno || *end != '\0') {
		*why = "not a number";
		return -EINVAL;
	}
	if (v < min || v > max) {
		*why = "out of range";
		return -ERANGE;
	}
	*out = (uint32_t)v;
	return 0;
}

/* Look @name up in one rt_tables-format file: "ID NAME" lines, '#' comments. */
static int table_in_file(const char *path, const char *name, uint32_t *id)
{
	char line[256];
	FILE *f = fopen(path, "re");
	int found = -ENOENT;

	if (!f)
		return -ENOENT;
	while (found < 0 && fgets(line, sizeof(line), f)) {
		char word[128];
		unsigned long v;

		/* As iproute2 reads it: "0xHEX NAME" first, then "DECIMAL NAME". */
		if ((sscanf(line, " 0x%lx %127s", &v, word) == 2 ||
		     sscanf(line, " %lu %127s", &v, word) == 2) && word[0] != '#' &&
		    strcmp(word, name) == 0 && v <= UINT32_MAX) {
			*id = (uint32_t)v;
			found = 0;
		}
	}
	fclose(f);
	return found;
}

static int table_in_dir(const char *dir, const char *name, uint32_t *id)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int r;

	snprintf(path, sizeof(path), "%s/rt_tables", dir);
	if (table_in_file(path, name, id) == 0)
		return 0;
	snprintf(path, sizeof(path), "%s/rt_tables.d", dir);
	d = opendir(path);
	if (!d)
		return -ENOENT;
	r = -ENOENT;
	while (r < 0 && (de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (len < 6 || strcmp(de->d_name + len - 5, ".conf") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/rt_tables.d/%s", dir, de->d_name);
		r = table_in_file(path, name, id);
	}
	closedir(d);
	return r;
}

/* The last name @id has in one rt_protos-format file ("ID NAME" lines), into @buf. */
static bool name_in_file(const char *path, uint32_t id, char *buf, size_t len)
{
	char line[256];
	FILE *f = fopen(path, "re");
	bool found = false;

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		char word[128];
		unsigned long v;

		if ((sscanf(line, " 0x%lx %127s", &v, word) == 2 ||
		     sscanf(line, " %lu %127s", &v, word) == 2) && word[0] != '#' && v == id &&
		    strlen(word) < len) {
			memcpy(buf, word, strlen(word) + 1);
			found = true;
		}
	}
	fclose(f);
	return found;
}

/* Every DIR/BASE.d/ *.conf, in readdir's order as ip reads them; the last name wins. */
static bool name_in_dropins(const char *dir, const char *base, uint32_t id, char *buf,
			    size_t len)
{
	char path[PATH_MAX];
	struct dirent *de;
	bool found = false;
	DIR *d;

	snprintf(path, sizeof(path), "%s/%s.d", dir, base);
	d = opendir(path);
	if (!d)
		return false;
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);

		if (n < 6 || strcmp(de->d_name + n - 5, ".conf") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s.d/%s", dir, base, de->d_name);
		found |= name_in_file(path, id, buf, len);
	}
	closedir(d);
	return found;
}

int options_protocol_name(uint8_t protocol, char *buf, size_t len)
{
	char path[PATH_MAX];
	bool found;

	/* As iproute2's rtnl_rtprot_initialize(): the vendor file only without /etc's. */
	snprintf(path, sizeof(path), "%s/rt_protos", options_rt_tables_dir);
	if (access(path, F_OK) == 0)
		found = name_in_file(path, protocol, buf, len);
	else {
		snprintf(path, sizeof(path), "%s/rt_protos", vendor_rt_tables_dir);
		found = name_in_file(path, protocol, buf, len);
	}
	found |= name_in_dropins(vendor_rt_tables_dir, "rt_protos", protocol, buf, len);
	found |= name_in_dropins(options_rt_tables_dir, "rt_protos", protocol, buf, len);
	if (!found)
		snprintf(buf, len, "%u", protocol);
	return found ? 0 : -ENOENT;
}

int options_parse_table(uint32_t *out, const char *value, const char **why)
{
	uint32_t id;
	int r;

	if (value[0] >= '0' && value[0] <= '9') {
		r = options_parse_u32(&id, value, 1, UINT32_MAX, why);
		if (r < 0) {
			*why = "not a table number from 1 to 4294967295";
			return r;
		}
	} else {
		for (const char *p = value; *p; p++) {
			if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-' && *p != '.') {
				*why = "not a table number or name";
				return -EINVAL;
			}
		}
		if (value[0] == '\0' ||
		    (table_in_dir(options_rt_tables_dir, value, &id) < 0 &&
		     table_in_dir(vendor_rt_tables_dir, value, &id) < 0)) {
			*why = "no such table name in rt_tables or rt_tables.d";
			return -ENOENT;
		}
	}
	for (size_t i = 0; i < sizeof(reserved_tables) / sizeof(reserved_tables[0]); i++) {
		if (id == reserved_tables[i]) {
			*why = "reserved table (unspec, default, main or local)";
			return -EINVAL;
		}
	}
	*out = id;
	return 0;
}

int options_parse_priority(uint32_t *out, const char *value, const char **why)
{
	int r = options_parse_u32(out, value, 1, PRIORITY_MAIN - 1, why);

	if (r < 0)
		*why = "not a rule priority from 1 to 32765 (it must come before main's 32766)";
	return r;
}

static int set_table(struct event *ev, const char *value, const char **why)
{
	int r = options_parse_table(&ev->table, value, why);

	if (r == 0)
		ev->has |= EVENT_HAS_TABLE;
	return r;
}

static int set_priority(struct event *ev, const char *value, const char **why)
{
	int r = options_parse_priority(&ev->priority, value, why);

	if (r == 0)
		ev->has |= EVENT_HAS_PRIORITY;
	return r;
}

static int set_to_rule(struct event *ev, const char *value, const char **why)
{
	int r = options_parse_bool(&ev->to_rule, value, why);

	if (r == 0)
		ev->has |= EVENT_HAS_TO_RULE;
	return r;
}

static int set_main_default(struct event *ev, const char *value, const char **why)
{
	int r = options_parse_bool(&ev->main_default, value, why);

	if (r == 0)
		ev->has |= EVENT_HAS_MAIN_DEFAULT;
	return r;
}

static int set_onlink(struct event *ev, const char *value, const char **why)
{
	int r = options_parse_bool(&ev->onlink, value, why);

	if (r == 0)
		ev->has |= EVENT_HAS_ONLINK;
	return r;
}

/* A metric for the interface's default route in main (main-mode metric); 0 is IPv6's "1024". */
static int set_metric(struct event *ev, const char *value, const char **why)
{
	int r = options_parse_u32(&ev->metric, value, 1, OPTIONS_METRIC_MAX, why);

	if (r < 0) {
		*why = "not a route metric from 1 to 2147483647";
		return r;
	}
	ev->has |= EVENT_HAS_METRIC;
	return 0;
}

/* The weight of the interface's next hop in main's multipath default: the kernel's 1..256. */
static int set_weight(struct event *ev, const char *value, const char **why)
{
	uint32_t w;

	if (options_parse_u32(&w, value, 1, 256, why) < 0) {
		*why = "not a next-hop weight from 1 to 256";
		return -EINVAL;
	}
	ev->weight = (uint16_t)w;
	ev->has |= EVENT_HAS_WEIGHT;
	return 0;
}

/*
 * Preferred prefixes: one value holds the whole list (ifupdown and NetworkManager give one
 * string), separated by commas or blanks. Each is a network prefix (no host bits).
 */
static int set_prefer(struct event *ev, const char *value, const char **why)
{
	char word[OPTIONS_PREFIX_TEXT_MAX];
	const char *p = value;

	ev->n_prefer = 0;
	for (;;) {
		struct addr a;
		size_t len;

		p += strspn(p, ", \t");
		if (*p == '\0')
			break;
		len = strcspn(p, ", \t");
		if (len >= sizeof(word)) {
			*why = "a prefix that is too long";
			return -EINVAL;
		}
		memcpy(word, p, len);
		word[len] = '\0';
		p += len;
		if (addr_parse(&a, word, AF_UNSPEC, ADDR_PLEN_REQUIRED | ADDR_NO_HOST_BITS, why) < 0)
			return -EINVAL;
		if (addr_is_multicast(&a) || addr_is_loopback(&a)) {
			*why = "a multicast or loopback prefix";
			return -EINVAL;
		}
		for (unsigned i = 0; i < ev->n_prefer; i++) {
			if (addr_cmp(&ev->prefer[i], &a) == 0) {
				*why = "a prefix given twice";
				return -EINVAL;
			}
		}
		if (ev->n_prefer >= EVENT_MAX_PREFER) {
			*why = "too many prefixes (at most " EVENT_MAX_PREFER_TEXT " per interface)";
			return -E2BIG;
		}
		ev->prefer[ev->n_prefer++] = a;
	}
	if (ev->n_prefer == 0) {
		*why = "no prefix (a list of PREFIX/LEN, separated by commas or blanks)";
		return -EINVAL;
	}
	ev->has |= EVENT_HAS_PREFER;
	return 0;
}

int options_parse_rp_filter(bool *loose, const char *value, const char **why)
{
	if (strcasecmp(value, "loose") == 0) {
		*loose = true;
		return 0;
	}
	if (strcasecmp(value, "keep") == 0) {
		*loose = false;
		return 0;
	}
	*why = "not an rp_filter choice (loose or keep)";
	return -EINVAL;
}

static int set_rp_filter(struct event *ev, const char *value, const char **why)
{
	int r = options_parse_rp_filter(&ev->rp_loose, value, why);

	if (r == 0)
		ev->has |= EVENT_HAS_RP_FILTER;
	return r;
}

static int set_arp_ignore(struct event *ev, const char *value, const char **why)
{
	int r = options_parse_bool(&ev->arp_ignore, value, why);

	if (r == 0)
		ev->has |= EVENT_HAS_ARP_IGNORE;
	return r;
}

static int set_arp_announce(struct event *ev, const char *value, const char **why)
{
	int r = options_parse_bool(&ev->arp_announce, value, why);

	if (r == 0)
		ev->has |= EVENT_HAS_ARP_ANNOUNCE;
	return r;
}

static int set_arp_filter(struct event *ev, const char *value, const char **why)
{
	int r = options_parse_bool(&ev->arp_filter, value, why);

	if (r == 0)
		ev->has |= EVENT_HAS_ARP_FILTER;
	return r;
}

/* The knobs, by the name users write (after the front end's prefix). */
static const struct {
	const char *name;
	unsigned has;
	int (*set)(struct event *ev, const char *value, const char **why);
} knobs[] = {
	{ "table", EVENT_HAS_TABLE, set_table },
	{ "priority", EVENT_HAS_PRIORITY, set_priority },
	{ "to-rule", EVENT_HAS_TO_RULE, set_to_rule },
	{ "main-default", EVENT_HAS_MAIN_DEFAULT, set_main_default },
	{ "onlink", EVENT_HAS_ONLINK, set_onlink },
	{ "metric", EVENT_HAS_METRIC, set_metric },
	{ "weight", EVENT_HAS_WEIGHT, set_weight },
	{ "prefer", EVENT_HAS_PREFER, set_prefer },
	{ "rp-filter", EVENT_HAS_RP_FILTER, set_rp_filter },
	{ "arp-ignore", EVENT_HAS_ARP_IGNORE, set_arp_ignore },
	{ "arp-announce", EVENT_HAS_ARP_ANNOUNCE, set_arp_announce },
	{ "arp-filter", EVENT_HAS_ARP_FILTER, set_arp_filter },
};

int options_set(struct event *ev, const char *name, const char *value, const char **why)
{
	for (size_t i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++) {
		if (strcmp(knobs[i].name, name) != 0)
			continue;
		/* Two values for one knob: which one the user meant is a guess we do not make. */
		if (ev->has & knobs[i].has) {
			*why = "given twice";
			return -EINVAL;
		}
		/* One answer for every bad value, as options.h promises: -EINVAL. */
		return knobs[i].set(ev, value ? value : "", why) < 0 ? -EINVAL : 0;
	}
	*why = "unknown option";
	return -ENOENT;
}

/*
 * Edits (insert, delete, replace, swap of two neighbours) from @a to @b, counted only up to
 * @limit: a typo's distance ("tabel" is one swap from "table"). Options are short words;
 * longer ones are never a typo of a known name.
 */
#define SUGGEST_WORD_MAX 32

static unsigned edit_distance(const char *a, const char *b, unsigned limit)
{
	unsigned d[SUGGEST_WORD_MAX + 1][SUGGEST_WORD_MAX + 1];
	size_t la = strlen(a), lb = strlen(b);

	if (la > SUGGEST_WORD_MAX || lb > SUGGEST_WORD_MAX)
		return limit + 1;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (unsigned)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			unsigned cost = a[i - 1] != b[j - 1];
			unsigned best = d[i - 1][j - 1] + cost;

			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

const char *options_nearest(const char *name, const char *const *known)
{
	/* Two edits, but never more than a third of the word: "mtu" is no typo of "metric". */
	unsigned limit = strlen(name) / 3 < OPTIONS_SUGGEST_EDITS ? (unsigned)strlen(name) / 3 :
								       OPTIONS_SUGGEST_EDITS;
	const char *best = NULL;
	unsigned best_d = limit + 1;

	for (const char *const *k = known; k && *k; k++) {
		unsigned d = edit_distance(name, *k, limit);

		if (d == 0)
			return NULL;	/* known: no typo to suggest a fix for */
		if (d < best_d) {
			best = *k;
			best_d = d;
		}
	}
	return best;
}

const char *options_suggest(const char *name, const char *const *extra)
{
	const char *known[sizeof(knobs) / sizeof(knobs[0]) + OPTIONS_SUGGEST_EXTRA_MAX + 1];
	size_t n = 0;

	for (size_t i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++)
		known[n++] = knobs[i].name;
	for (size_t i = 0; extra && extra[i] && i < OPTIONS_SUGGEST_EXTRA_MAX; i++)
		known[n++] = extra[i];
	known[n] = NULL;
	return options_nearest(name, known);
}
