// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: host-wide settings from /etc/symroute.conf, with built-in defaults. */
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "options.h"

#define CONFIG_GROUP "symroute"
#define CONFIG_DEFAULT_LOCK_TIMEOUT_MS 10000u
/* Far above any real file (every key, commented): a bigger one is refused, not cut. */
#define CONFIG_FILE_MAX (64 * 1024)

void config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->protocol = CONFIG_DEFAULT_PROTOCOL;
	cfg->table_base = CONFIG_DEFAULT_TABLE_BASE;
	cfg->priority = CONFIG_DEFAULT_PRIORITY;
	cfg->suppress_priority = CONFIG_DEFAULT_SUPPRESS_PRIORITY;
	cfg->suppress = true;
	cfg->to_rule = false;
	cfg->main_default = true;
	cfg->fallback_metric_base = CONFIG_DEFAULT_FALLBACK_METRIC_BASE;
	cfg->lock_timeout_ms = CONFIG_DEFAULT_LOCK_TIMEOUT_MS;
	cfg->main_mode = CONFIG_MAIN_FALLBACK;
	cfg->metric_base = CONFIG_DEFAULT_METRIC_BASE;
	cfg->prefer_priority = CONFIG_DEFAULT_PREFER_PRIORITY;
}

enum key_kind { KEY_U32, KEY_PROTOCOL, KEY_BOOL, KEY_PRIORITY, KEY_MAIN_MODE, KEY_RP_FILTER };

/*
 * Owner tags that are someone else's: the kernel's and iproute2's own (routes
 * an admin adds carry "boot"), and those of known routing daemons. Ours must
 * not be one of them, or a down would remove what the admin made. Sources:
 * linux/rtnetlink.h RTPROT_*, iproute2's rt_protos, FRR's zebra/rt_netlink.h.
 */
static const struct {
	uint8_t number;
	const char *user;
} taken_protocols[] = {
	{ 0, "the kernel (unspec)" }, { 1, "the kernel (redirect)" }, { 2, "the kernel" },
	{ 3, "iproute2 (boot: ip route add)" }, { 4, "the administrator (static)" },
	{ 8, "gated" }, { 9, "router advertisements (ra)" }, { 10, "Merit MRT" },
	{ 11, "Quagga/FRR zebra" }, { 12, "BIRD" }, { 13, "dnrouted" }, { 14, "XORP" },
	{ 15, "Netsukuku (ntk)" }, { 16, "DHCP clients" }, { 17, "mrouted" },
	{ 18, "keepalived" }, { 42, "babeld" }, { 99, "Open/R" },
	{ 186, "FRR bgpd" }, { 187, "FRR isisd" }, { 188, "FRR ospfd" }, { 189, "FRR ripd" },
	{ 190, "FRR ripngd" }, { 191, "FRR nhrpd" }, { 192, "FRR eigrpd" }, { 193, "FRR ldpd" },
	{ 194, "FRR sharpd" }, { 195, "FRR pbrd" }, { 196, "FRR static routes (zstatic)" },
	{ 197, "FRR fabricd (openfabric)" }, { 198, "FRR pathd (srte)" },
};

static int parse_protocol(uint32_t *out, const char *value, const char **why)
{
	static char text[96];
	int r = options_parse_u32(out, value, 1, 255, why);

	if (r < 0) {
		*why = "not a protocol number from 1 to 255";
		return -EINVAL;
	}
	for (size_t i = 0; i < G_N_ELEMENTS(taken_protocols); i++) {
		if (taken_protocols[i].number == *out) {
			g_snprintf(text, sizeof(text), "a protocol number %s uses for its routes",
				   taken_protocols[i].user);
			*why = text;
			return -EINVAL;
		}
	}
	return 0;
}

/* Every key of the file, its parser and where it lands. */
static const struct config_key {
	const char *name;
	enum key_kind kind;
	size_t offset;
	uint32_t min, max;
} config_keys[] = {
	/* 1-255: 0 is "unspec", which cannot tag anything. */
	{ "protocol", KEY_PROTOCOL, offsetof(struct config, protocol), 1, 255 },
	/* Leaves room for any ifindex below 2^31 without wrapping into the reserved tables. */
	{ "table-base", KEY_U32, offsetof(struct config, table_base), 256, 0x7fffffffu },
	{ "priority", KEY_PRIORITY, offsetof(struct config, priority), 0, 0 },
	{ "suppress-priority", KEY_PRIORITY, offsetof(struct config, suppress_priority), 0, 0 },
	{ "suppress", KEY_BOOL, offsetof(struct config, suppress), 0, 0 },
	{ "to-rule", KEY_BOOL, offsetof(struct config, to_rule), 0, 0 },
	{ "main-default", KEY_BOOL, offsetof(struct config, main_default), 0, 0 },
	{ "fallback-metric-base", KEY_U32, offsetof(struct config, fallback_metric_base), 1,
	  0x7fffffffu },
	{ "lock-timeout-ms", KEY_U32, offsetof(struct config, lock_timeout_ms), 0, 600000 },
	{ "narrow", KEY_BOOL, offsetof(struct config, narrow), 0, 0 },
	{ "main-mode", KEY_MAIN_MODE, offsetof(struct config, main_mode), 0, 0 },
	/* Leaves room for any ifindex below 2^31: the sum stays below 2^32. */
	{ "metric-base", KEY_U32, offsetof(struct config, metric_base), 0, 0x7fffffffu },
	{ "prefer-priority", KEY_PRIORITY, offsetof(struct config, prefer_priority), 0, 0 },
	{ "rp-filter", KEY_RP_FILTER, offsetof(struct config, rp_loose), 0, 0 },
	{ "arp-ignore", KEY_BOOL, offsetof(struct config, arp_ignore), 0, 0 },
	{ "arp-announce", KEY_BOOL, offsetof(struct config, arp_announce), 0, 0 },
	{ "arp-filter", KEY_BOOL, offsetof(struct config, arp_filter), 0, 0 },
};

static int config_set_key(struct config *cfg, const struct config_key *k, const char *value,
			  const char **why)
{
	char *field = (char *)cfg + k->offset;
	uint32_t v;
	bool b;
	int r;

	switch (k->kind) {
	case KEY_BOOL:
		r = options_parse_bool(&b, value, why);
		if (r == 0)
			memcpy(field, &b, sizeof(b));
		return r;
	case KEY_RP_FILTER:
		r = options_parse_rp_filter(&b, value, why);
		if (r == 0)
			memcpy(field, &b, sizeof(b));
		return r;
	case KEY_MAIN_MODE: {
		enum config_main_mode m;

		if (strcmp(value, "fallback") == 0) {
			m = CONFIG_MAIN_FALLBACK;
		} else if (strcmp(value, "metric") == 0) {
			m = CONFIG_MAIN_METRIC;
		} else if (strcmp(value, "multipath") == 0) {
			m = CONFIG_MAIN_MULTIPATH;
		} else {
			*why = "not a main mode (fallback, metric or multipath)";
			return -EINVAL;
		}
		memcpy(field, &m, sizeof(m));
		return 0;
	}
	case KEY_PRIORITY:
		r = options_parse_priority(&v, value, why);
		break;
	case KEY_PROTOCOL:
		r = parse_protocol(&v, value, why);
		break;
	case KEY_U32:
		r = options_parse_u32(&v, value, k->min, k->max, why);
		break;
	default:
		return -EINVAL;
	}
	if (r < 0)
		return r;
	if (k->kind == KEY_PROTOCOL) {
		uint8_t u8 = (uint8_t)v;

		memcpy(field, &u8, sizeof(u8));
	} else {
		memcpy(field, &v, sizeof(v));
	}
	return 0;
}

static const struct config_key *config_find_key(const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(config_keys); i++)
		if (strcmp(config_keys[i].name, name) == 0)
			return &config_keys[i];
	return NULL;
}

/*
 * One reading of the file. Strict (up, sync: what they install follows the file) stops at
 * the first bad line; lenient (the readers and the removers: show, status, check, down,
 * flush) says what it ignores and goes on, so a typo never blocks seeing or removing what
 * is there, nor the package's removal.
 */
#define CONFIG_WHOLE_FILE NULL

struct config_reader {
	const char *path;
	bool lenient;
	unsigned ignored;	/* lenient: lines, or the whole file, left out */
};

/*
 * One line about the file: "PATH[ line N]: what". Lenient: a warning that goes on to say
 * what is left out (@ignoring: "the file: ...", "the line: priority keeps ...").
 */
__attribute__((format(printf, 4, 5)))
static void config_complain(struct config_reader *rd, unsigned line, const char *ignoring,
			    const char *fmt, ...)
{
	char where[32] = "", what[768];
	va_list ap;

	if (line)
		g_snprintf(where, sizeof(where), " line %u", line);
	va_start(ap, fmt);
	g_vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (!rd->lenient) {
		log_error("%s%s: %s", rd->path, where, what);
		return;
	}
	rd->ignored++;
	log_warn("%s%s: %s; ignoring %s (up refuses the file until it is fixed)", rd->path, where,
		 what, ignoring ? ignoring : "the file: every setting keeps its built-in value");
}

/* "Did you mean": the key nearest to an unknown one, if one is close. */
static const char *config_nearest_key(const char *name)
{
	const char *known[G_N_ELEMENTS(config_keys) + 1];

	for (size_t i = 0; i < G_N_ELEMENTS(config_keys); i++)
		known[i] = config_keys[i].name;
	known[G_N_ELEMENTS(config_keys)] = NULL;
	return options_nearest(name, known);
}

/*
 * The settings decide what root does to the routing: they are obeyed only from a regular
 * file that root owns (or the user running us, who could do as much without it) and that
 * neither group nor others may write. Checked on the open descriptor (no race with a
 * rename), then read from it. Returns 0 with the text in @buf, 1 when the file is absent,
 * or -errno after one logged line.
 */
static int config_read_trusted(struct config_reader *rd, GString *buf)
{
	char chunk[4096];
	struct stat st;
	const char *path = rd->path;
	int fd, err = 0;
	ssize_t n;

	/* O_NONBLOCK: a FIFO put there must not hang the hook; it is refused below. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		err = -errno;
		if (err == -ENOENT)
			return 1;
		config_complain(rd, 0, CONFIG_WHOLE_FILE, "%s", strerror(-err));
		return err;
	}
	if (fstat(fd, &st) < 0) {
		err = -errno;
		config_complain(rd, 0, CONFIG_WHOLE_FILE, "%s", strerror(-err));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		config_complain(rd, 0, CONFIG_WHOLE_FILE, "not a regular file");
		err = -EINVAL;
		goto out;
	}
	if (st.st_uid != 0 && st.st_uid != geteuid()) {
		config_complain(rd, 0, CONFIG_WHOLE_FILE, "owned by uid %u, not by root: refusing its settings",
				(unsigned)st.st_uid);
		err = -EPERM;
		goto out;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		config_complain(rd, 0, CONFIG_WHOLE_FILE, "writable by group or others (mode %04o): refusing its "
				"settings (chmod go-w %s)", (unsigned)(st.st_mode & 07777), path);
		err = -EPERM;
		goto out;
	}
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			config_complain(rd, 0, CONFIG_WHOLE_FILE, "%s", strerror(-err));
			goto out;
		}
		if (buf->len + (size_t)n > CONFIG_FILE_MAX) {
			config_complain(rd, 0, CONFIG_WHOLE_FILE, "larger than %u bytes: not a symroute.conf",
					CONFIG_FILE_MAX);
			err = -EFBIG;
			goto out;
		}
		g_string_append_len(buf, chunk, n);
	}
out:
	close(fd);
	return err;
}

/*
 * Where each key of [symroute] is, for messages: @lines maps a key to its line. GKeyFile
 * keeps the last of two lines with the same key, silently; a key given twice is a mistake
 * (which one did the admin mean?): refused, naming both lines (lenient: both are ignored,
 * the key goes into @twice). Reads the text as GKeyFile does: leading blanks skipped, '#'
 * comments, "[group]" headers, "KEY = VALUE"; only the [symroute] group, however often it
 * opens.
 */
static int config_index_keys(struct config_reader *rd, const char *text, GHashTable *lines,
			     GHashTable *twice)
{
	bool ours = false;
	unsigned line = 0;

	for (const char *p = text; *p;) {
		const char *end = strchr(p, '\n');
		const char *eq, *k;
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char *key;
		gpointer first;

		line++;
		k = p;
		p += len + (end ? 1 : 0);
		while (len && g_ascii_isspace(*k)) {
			k++;
			len--;
		}
		if (!len || *k == '#')
			continue;
		if (*k == '[') {
			const char *close = memchr(k, ']', len);

			ours = close && (size_t)(close - k - 1) == strlen(CONFIG_GROUP) &&
			       memcmp(k + 1, CONFIG_GROUP, strlen(CONFIG_GROUP)) == 0;
			continue;
		}
		eq = memchr(k, '=', len);
		if (!ours || !eq)
			continue;
		while (eq > k && g_ascii_isspace(eq[-1]))
			eq--;
		key = g_strndup(k, (size_t)(eq - k));
		if (g_hash_table_lookup_extended(lines, key, NULL, &first)) {
			g_autofree char *both = g_strdup_printf(
				"both lines: %s keeps its built-in value", key);

			config_complain(rd, line, both, "[%s] %s: given twice (first on line %u)",
					CONFIG_GROUP, key, GPOINTER_TO_UINT(first));
			if (!rd->lenient) {
				g_free(key);
				return -EINVAL;
			}
			g_hash_table_add(twice, key);
			continue;
		}
		g_hash_table_insert(lines, key, GUINT_TO_POINTER(line));
	}
	return 0;
}

/*
 * The value as GKeyFile hands it over keeps a '#' and what follows: say that this is an
 * inline comment rather than "not a number".
 */
static const char *config_why(const char *value, const char *why)
{
	const char *hash = strchr(value, '#');

	if (hash && (hash == value || g_ascii_isspace(hash[-1])))
		return "inline comments are not allowed (a '#' starts a comment only at the "
		       "start of a line)";
	return why ? why : "unreadable";
}

static int config_read(struct config_reader *rd, struct config *cfg, bool must_exist)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(GString) text = g_string_new(NULL);
	g_autoptr(GHashTable) lines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GHashTable) twice = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_auto(GStrv) groups = NULL;
	g_auto(GStrv) keys = NULL;
	gsize n_keys = 0;
	int r;

	r = config_read_trusted(rd, text);
	if (r == 1 && !must_exist)
		return 0;
	if (r == 1) {
		config_complain(rd, 0, CONFIG_WHOLE_FILE, "%s", strerror(ENOENT));
		return -ENOENT;
	}
	if (r < 0)
		return -EINVAL;
	if (!g_key_file_load_from_data(kf, text->str, text->len, G_KEY_FILE_NONE, &error)) {
		config_complain(rd, 0, CONFIG_WHOLE_FILE, "%s", error->message);
		return -EINVAL;
	}
	groups = g_key_file_get_groups(kf, NULL);
	for (gsize i = 0; groups[i]; i++) {
		if (strcmp(groups[i], CONFIG_GROUP) != 0) {
			g_autofree char *section = g_strdup_printf("the section [%s]", groups[i]);

			config_complain(rd, 0, section, "unknown section [%s] (expected [%s])",
					groups[i], CONFIG_GROUP);
			if (!rd->lenient)
				return -EINVAL;
		}
	}
	if (!g_key_file_has_group(kf, CONFIG_GROUP))
		return 0;
	if (config_index_keys(rd, text->str, lines, twice) < 0)
		return -EINVAL;
	keys = g_key_file_get_keys(kf, CONFIG_GROUP, &n_keys, NULL);
	for (gsize i = 0; i < n_keys; i++) {
		const struct config_key *k = config_find_key(keys[i]);
		unsigned line = GPOINTER_TO_UINT(g_hash_table_lookup(lines, keys[i]));
		g_autofree char *value = NULL;
		g_autofree char *ignoring = NULL;
		const char *why = NULL;

		if (g_hash_table_contains(twice, keys[i]))
			continue;	/* said above */
		if (!k) {
			const char *near = config_nearest_key(keys[i]);

			config_complain(rd, line, "the line", "[%s] %s: unknown key%s%s%s",
					CONFIG_GROUP, keys[i], near ? " (did you mean " : "",
					near ? near : "", near ? "?)" : "");
			if (!rd->lenient)
				return -EINVAL;
			continue;
		}
		value = g_key_file_get_string(kf, CONFIG_GROUP, keys[i], NULL);
		if (!value || config_set_key(cfg, k, g_strstrip(value), &why) < 0) {
			ignoring = g_strdup_printf("the line: %s keeps its built-in value", k->name);
			config_complain(rd, line, ignoring, "%s='%s': %s", keys[i],
					value ? value : "", config_why(value ? value : "", why));
			if (!rd->lenient)
				return -EINVAL;
		}
	}
	if (cfg->suppress_priority >= cfg->priority)
		log_warn("%s: suppress-priority %u is not before priority %u: routes in main "
			 "that are more specific will not win over the per-interface defaults",
			 rd->path, cfg->suppress_priority, cfg->priority);
	return 0;
}

int config_load(struct config *cfg, const char *path, bool must_exist)
{
	struct config_reader rd = { .path = path };

	return config_read(&rd, cfg, must_exist);
}

int config_load_lenient(struct config *cfg, const char *path, bool must_exist)
{
	struct config_reader rd = { .path = path, .lenient = true };
	struct config before = *cfg;

	/* Whatever stopped the reading of the file as a whole: none of it holds. */
	if (config_read(&rd, cfg, must_exist) < 0)
		*cfg = before;
	return rd.ignored ? 1 : 0;
}
