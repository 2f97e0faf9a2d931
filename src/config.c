// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: host-wide settings from /etc/symroute.conf, with built-in defaults. */
#include <errno.h>
#include <fnmatch.h>
#include <fcntl.h>
#include <glib.h>
#include <stdarg.h>
#include <string.h>
#include <sys/socket.h>
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
	cfg->subnet_priority = CONFIG_DEFAULT_SUBNET_PRIORITY;
	cfg->watch = true;
}

enum key_kind {
	KEY_U32, KEY_PROTOCOL, KEY_BOOL, KEY_PRIORITY, KEY_MAIN_MODE, KEY_RP_FILTER, KEY_PATTERNS
};

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
	{ "subnet-priority", KEY_PRIORITY, offsetof(struct config, subnet_priority), 0, 0 },
	{ "rp-filter", KEY_RP_FILTER, offsetof(struct config, rp_loose), 0, 0 },
	{ "arp-ignore", KEY_BOOL, offsetof(struct config, arp_ignore), 0, 0 },
	{ "arp-announce", KEY_BOOL, offsetof(struct config, arp_announce), 0, 0 },
	{ "arp-filter", KEY_BOOL, offsetof(struct config, arp_filter), 0, 0 },
	{ "watch", KEY_BOOL, offsetof(struct config, watch), 0, 0 },
	{ "watch-interfaces", KEY_PATTERNS, offsetof(struct config, watch_interfaces), 0, 0 },
	{ "watch-exclude", KEY_PATTERNS, offsetof(struct config, watch_exclude), 0, 0 },
};

/*
 * Interface name patterns: shell globs separated by blanks, each no longer than a name can
 * be (a longer one could never match, which is a typo worth an error).
 */
static int parse_patterns(char *field, const char *value, const char **why)
{
	const char *p = value;

	if (strlen(value) >= CONFIG_PATTERNS_MAX) {
		*why = "longer than " CONFIG_PATTERNS_MAX_TEXT " characters";
		return -EINVAL;
	}
	while (*p) {
		size_t n = strcspn(p, " \t");

		if (n >= IFNAMSIZ) {
			*why = "a pattern longer than an interface name can be (15 characters)";
			return -EINVAL;
		}
		p += n;
		p += strspn(p, " \t");
	}
	memcpy(field, value, strlen(value) + 1);
	return 0;
}

static bool patterns_match(const char *patterns, const char *ifname)
{
	const char *p = patterns;

	while (*p) {
		char one[IFNAMSIZ];
		size_t n = strcspn(p, " \t");

		if (n && n < sizeof(one)) {
			memcpy(one, p, n);
			one[n] = '\0';
			if (fnmatch(one, ifname, 0) == 0)
				return true;
		}
		p += n;
		p += strspn(p, " \t");
	}
	return false;
}

bool config_watch_wants(const struct config *cfg, const char *ifname)
{
	if (cfg->watch_interfaces[0] && !patterns_match(cfg->watch_interfaces, ifname))
		return false;
	return !patterns_match(cfg->watch_exclude, ifname);
}

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
	case KEY_PATTERNS:
		return parse_patterns(field, value, why);
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
 * One reading of the file. Strict (up, sync: what they install follows the file) stops at
 * the first bad line; lenient (the readers and the removers: show, status, check, down,
 * flush) says what it ignores and goes on, so a typo never blocks seeing or removing what
 * is there, nor the package's removal.
 */
#define CONFIG_WHOLE_FILE NULL

struct config_reader {
	const char *path;
	bool lenient;
	unsigned ignored;	/* lenient: lines, groups or the whole file, left out */
};

/*
 * One line about the file: "PATH[ line N]: what". Lenient: a warning that goes on to say
 * what is left out (@ignoring: "the line: priority keeps ...", "the section [x]"; NULL:
 * the whole file).
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

/*
 * The settings decide what root does to the routing: they are obeyed only from a regular
 * file that root owns (or the user running us, who could do as much without it) and that
 * neither group nor others may write. Checked on the open descriptor (no race with a
 * rename), then read from it. Returns 0 with the text in @buf, 1 when the file is absent,
 * or -errno after one logged line.
 */
static int config_read_trusted(struct config_reader *rd, GString *buf)
{
	const char *path = rd->path;
	char chunk[4096];
	struct stat st;
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
		config_complain(rd, 0, CONFIG_WHOLE_FILE,
				"owned by uid %u, not by root: refusing its settings",
				(unsigned)st.st_uid);
		err = -EPERM;
		goto out;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		config_complain(rd, 0, CONFIG_WHOLE_FILE, "writable by group or others (mode %04o): "
				"refusing its settings (chmod go-w %s)",
				(unsigned)(st.st_mode & 07777), path);
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
			config_complain(rd, 0, CONFIG_WHOLE_FILE,
					"larger than %u bytes: not a symroute.conf", CONFIG_FILE_MAX);
			err = -EFBIG;
			goto out;
		}
		g_string_append_len(buf, chunk, n);
	}
out:
	close(fd);
	return err;
}

/* What GKeyFile's groups are called: [symroute], and [interface NAME] per interface. */
#define CONFIG_IFACE_PREFIX "interface "

/* One "KEY = VALUE" line of the file: its group, its key and where it is. */
struct config_entry {
	const char *group;	/* the group's name, owned by the scan */
	char *key;
	unsigned line;
	bool skip;		/* lenient: given twice, ignored */
};

/* The file's structure as written, line by line: GKeyFile keeps no line numbers. */
struct config_scan {
	GPtrArray *entries;	/* struct config_entry, in file order */
	GHashTable *groups;	/* group name -> line of its first header */
	GPtrArray *order;	/* the group names (owned by groups), in file order */
	GArray *first;		/* guint per order[]: its first entry (a group's are contiguous) */
};

static void config_entry_free(gpointer p)
{
	struct config_entry *e = p;

	g_free(e->key);
	g_free(e);
}

static void config_scan_clear(struct config_scan *scan)
{
	if (scan->entries)
		g_ptr_array_unref(scan->entries);
	if (scan->order)
		g_ptr_array_unref(scan->order);
	if (scan->first)
		g_array_unref(scan->first);
	if (scan->groups)
		g_hash_table_unref(scan->groups);
}

/*
 * Is @group one of ours? Logs why not (naming @line) and returns -EINVAL. [symroute] may
 * open twice (its keys still count once); [interface NAME] names a valid interface, once.
 */
static int config_check_group(struct config_reader *rd, unsigned line, const char *group,
			      GHashTable *groups)
{
	g_autofree char *section = g_strdup_printf("the section [%s]", group);
	struct event scratch;
	const char *why = NULL;
	gpointer first;

	if (strcmp(group, CONFIG_GROUP) == 0)
		return 0;
	if (strncmp(group, CONFIG_IFACE_PREFIX, strlen(CONFIG_IFACE_PREFIX)) != 0) {
		config_complain(rd, line, section, "unknown section [%s] (expected [%s] or [%sNAME])",
				group, CONFIG_GROUP, CONFIG_IFACE_PREFIX);
		return -EINVAL;
	}
	/* The name as the kernel would take it for a link, checked as the front ends do. */
	event_init(&scratch, "config");
	if (event_set_ifname(&scratch, group + strlen(CONFIG_IFACE_PREFIX), &why) < 0) {
		config_complain(rd, line, section, "[%s]: %s", group, why);
		return -EINVAL;
	}
	/* Two groups for one interface: which one did the admin mean? */
	if (g_hash_table_lookup_extended(groups, group, NULL, &first)) {
		config_complain(rd, line, "this one", "[%s]: given twice (first on line %u)", group,
				GPOINTER_TO_UINT(first));
		return -EINVAL;
	}
	return 0;
}

/*
 * Read the text as GKeyFile does (after it accepted it): leading blanks skipped, '#'
 * comments, "[group]" headers, "KEY = VALUE". Every group must be one of ours, and a key
 * may be given once per group: GKeyFile would keep the last of two lines silently (which
 * one did the admin mean?). Records every key with its line, in file order, for the
 * messages. Returns 0, or -EINVAL after one logged line.
 */
static int config_scan(struct config_reader *rd, const char *text, struct config_scan *scan)
{
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	const char *group = NULL;
	unsigned line = 0;

	scan->entries = g_ptr_array_new_with_free_func(config_entry_free);
	scan->groups = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	scan->order = g_ptr_array_new();
	scan->first = g_array_new(FALSE, FALSE, sizeof(guint));
	for (const char *p = text; *p;) {
		const char *end = strchr(p, '\n');
		const char *eq, *k;
		size_t len = end ? (size_t)(end - p) : strlen(p);
		struct config_entry *e;
		char *key, *both;
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
			char *name;

			if (!close)
				continue;	/* GKeyFile refused such a line already */
			name = g_strndup(k + 1, (size_t)(close - k - 1));
			if (config_check_group(rd, line, name, scan->groups) < 0) {
				g_free(name);
				if (!rd->lenient)
					return -EINVAL;
				group = NULL;	/* lenient: its lines are skipped */
				continue;
			}
			if (!g_hash_table_lookup_extended(scan->groups, name, (gpointer *)&group,
							  NULL)) {
				g_hash_table_insert(scan->groups, name, GUINT_TO_POINTER(line));
				g_ptr_array_add(scan->order, name);
				g_array_append_val(scan->first, scan->entries->len);
				group = name;
			} else {
				g_free(name);
			}
			continue;
		}
		eq = memchr(k, '=', len);
		if (!group || !eq)
			continue;	/* GKeyFile refused such a line already */
		while (eq > k && g_ascii_isspace(eq[-1]))
			eq--;
		key = g_strndup(k, (size_t)(eq - k));
		both = g_strconcat(group, "\n", key, NULL);
		if (g_hash_table_lookup_extended(seen, both, NULL, &first)) {
			g_autofree char *ignoring = g_strdup_printf(
				"both lines: %s keeps its built-in value", key);

			config_complain(rd, line, ignoring, "[%s] %s: given twice (first on line %u)",
					group, key, GPOINTER_TO_UINT(first));
			g_free(both);
			if (!rd->lenient) {
				g_free(key);
				return -EINVAL;
			}
			/* Which one did the admin mean? Neither holds. */
			for (guint i = 0; i < scan->entries->len; i++) {
				e = g_ptr_array_index(scan->entries, i);
				if (e->group == group && strcmp(e->key, key) == 0)
					e->skip = true;
			}
			g_free(key);
			continue;
		}
		g_hash_table_insert(seen, both, GUINT_TO_POINTER(line));
		e = g_new0(struct config_entry, 1);
		e->group = group;
		e->key = key;
		e->line = line;
		g_ptr_array_add(scan->entries, e);
	}
	return 0;
}

/*
 * The value as it goes into a message: a value with a control character (GKeyFile turns
 * "\n" into a newline) is escaped, so that the message stays one line. Free with g_free().
 */
static char *printable(const char *value)
{
	for (const char *p = value; *p; p++)
		if ((unsigned char)*p < ' ' || *p == 0x7f)
			return g_strescape(value, NULL);
	return g_strdup(value);
}

/*
 * GKeyFile hands over a value with its "# note": say that this is an inline comment rather
 * than "not a number".
 */
static const char *config_why(const char *value, const char *why)
{
	const char *hash = strchr(value, '#');

	if (hash && (hash == value || g_ascii_isspace(hash[-1])))
		return "inline comments are not allowed (a '#' starts a comment only at the "
		       "start of a line)";
	return why ? why : "unreadable";
}

static void log_bad_entry(struct config_reader *rd, const struct config_entry *e,
			  const char *value, const char *why)
{
	g_autofree char *shown = printable(value ? value : "");
	g_autofree char *ignoring = g_strdup_printf("the line: %s keeps its built-in value",
						    e->key);

	config_complain(rd, e->line, ignoring, "[%s] %s='%s': %s", e->group, e->key, shown,
			config_why(value ? value : "", why));
}

/* "ADDR[, ADDR]": at most one gateway per family, each a unicast address. */
static int iface_set_gateway(struct event *ev, const char *value, const char **why)
{
	g_auto(GStrv) words = g_strsplit_set(value, ", \t", -1);
	unsigned n = 0;

	for (gsize i = 0; words[i]; i++) {
		struct addr gw;
		unsigned bit;

		if (!words[i][0])
			continue;
		if (addr_parse(&gw, words[i], AF_UNSPEC, ADDR_PLEN_FORBIDDEN, why) < 0)
			return -EINVAL;
		*why = addr_router_unusable(&gw, NULL);
		if (*why)
			return -EINVAL;
		bit = event_family_bit(gw.family);
		if (ev->gateways_given & bit) {
			*why = "a second gateway for the same family";
			return -EINVAL;
		}
		ev->gateway[event_family_index(gw.family)] = gw;
		ev->gateways_given |= bit;
		n++;
	}
	if (!n) {
		*why = "no gateway (an address, or one IPv4 and one IPv6 address)";
		return -EINVAL;
	}
	return 0;
}

/*
 * The fields of struct event that each knob of a group fills, the same in struct
 * config_iface: config_iface_store() and config_resolve() copy by this one table.
 */
#define KNOB_FIELD(bit, field)                                                          \
	{ bit, offsetof(struct event, field), offsetof(struct config_iface, field),     \
	  sizeof(((struct event *)0)->field) }
static const struct knob_field {
	unsigned has;
	size_t in_event, in_group, size;
} knob_fields[] = {
	KNOB_FIELD(EVENT_HAS_TABLE, table),
	KNOB_FIELD(EVENT_HAS_PRIORITY, priority),
	KNOB_FIELD(EVENT_HAS_TO_RULE, to_rule),
	KNOB_FIELD(EVENT_HAS_MAIN_DEFAULT, main_default),
	KNOB_FIELD(EVENT_HAS_ONLINK, onlink),
	KNOB_FIELD(EVENT_HAS_METRIC, metric),
	KNOB_FIELD(EVENT_HAS_WEIGHT, weight),
	KNOB_FIELD(EVENT_HAS_PREFER, n_prefer),
	KNOB_FIELD(EVENT_HAS_PREFER, prefer),
	KNOB_FIELD(EVENT_HAS_RP_FILTER, rp_loose),
	KNOB_FIELD(EVENT_HAS_ARP_IGNORE, arp_ignore),
	KNOB_FIELD(EVENT_HAS_ARP_ANNOUNCE, arp_announce),
	KNOB_FIELD(EVENT_HAS_ARP_FILTER, arp_filter),
};
#undef KNOB_FIELD

#define SAME_FIELD(field)                                                               \
	_Static_assert(sizeof(((struct event *)0)->field) ==                            \
		       sizeof(((struct config_iface *)0)->field), #field " differs")
SAME_FIELD(table);
SAME_FIELD(priority);
SAME_FIELD(to_rule);
SAME_FIELD(main_default);
SAME_FIELD(onlink);
SAME_FIELD(metric);
SAME_FIELD(weight);
SAME_FIELD(n_prefer);
SAME_FIELD(prefer);
SAME_FIELD(rp_loose);
SAME_FIELD(arp_ignore);
SAME_FIELD(arp_announce);
SAME_FIELD(arp_filter);
SAME_FIELD(gateway);
#undef SAME_FIELD

/* Copy the knobs @has of one struct into the other, by knob_fields[]. */
static void knobs_copy(void *dst, bool dst_is_event, const void *src, unsigned has)
{
	for (size_t i = 0; i < G_N_ELEMENTS(knob_fields); i++) {
		const struct knob_field *f = &knob_fields[i];

		if (!(has & f->has))
			continue;
		memcpy((char *)dst + (dst_is_event ? f->in_event : f->in_group),
		       (const char *)src + (dst_is_event ? f->in_group : f->in_event), f->size);
	}
}

void config_event_take_knobs(struct event *dst, const struct event *src, unsigned has)
{
	for (size_t i = 0; i < G_N_ELEMENTS(knob_fields); i++) {
		const struct knob_field *f = &knob_fields[i];

		if (has & f->has)
			memcpy((char *)dst + f->in_event, (const char *)src + f->in_event, f->size);
	}
	dst->has |= has & ~(EVENT_HAS_OFF);
}

/*
 * The value of a key the scan found, or NULL after one logged line: a key GKeyFile dropped
 * (a localized one, "table[de]", is none of ours) or a value that is not UTF-8.
 */
static char *entry_value(struct config_reader *rd, GKeyFile *kf, const struct config_entry *e)
{
	char *value;

	if (!g_key_file_has_key(kf, e->group, e->key, NULL)) {
		config_complain(rd, e->line, "the line", "[%s] %s: unknown key", e->group, e->key);
		return NULL;
	}
	value = g_key_file_get_string(kf, e->group, e->key, NULL);
	if (!value) {
		config_complain(rd, e->line, "the line", "[%s] %s: unreadable value (not UTF-8)",
				e->group, e->key);
		return NULL;
	}
	return g_strstrip(value);
}

/*
 * Read one [interface NAME] group's keys (in @scan) into @g: through options_set(), as a
 * stanza's or a profile's, so that a key means and checks the same everywhere; `gateway`
 * and `off` as the front ends read theirs. Returns 0 or -EINVAL after one logged line.
 */
static int config_iface_store(struct config_reader *rd, GKeyFile *kf,
			      const struct config_scan *scan, guint index, struct config_iface *g)
{
	static const char *const group_names[] = { "gateway", "off", NULL };
	const char *group = g_ptr_array_index(scan->order, index);
	struct event scratch;

	event_init(&scratch, "config");
	/* A group opens once, so its keys are the entries from its first on: one pass in all. */
	for (guint i = g_array_index(scan->first, guint, index); i < scan->entries->len; i++) {
		const struct config_entry *e = g_ptr_array_index(scan->entries, i);
		g_autofree char *value = NULL;
		const char *why = NULL;
		int r;

		if (e->group != group)
			break;
		if (e->skip)
			continue;
		value = entry_value(rd, kf, e);
		if (!value) {
			if (!rd->lenient)
				return -EINVAL;
			continue;
		}
		if (strcmp(e->key, "gateway") == 0) {
			r = iface_set_gateway(&scratch, value, &why);
		} else if (strcmp(e->key, "off") == 0) {
			r = options_parse_bool(&g->off, value, &why);
		} else {
			r = options_set(&scratch, e->key, value, &why);
			if (r == -ENOENT) {
				const char *near = options_suggest(e->key, group_names);

				config_complain(rd, e->line, "the line", "[%s] %s: unknown key%s%s%s",
						group, e->key, near ? " (did you mean " : "",
						near ? near : "", near ? "?)" : "");
				if (!rd->lenient)
					return -EINVAL;
				continue;
			}
		}
		if (r < 0) {
			log_bad_entry(rd, e, value, why);
			if (!rd->lenient)
				return -EINVAL;
		}
	}
	g->has = scratch.has;
	g->gateways = scratch.gateways_given;
	memcpy(g->gateway, scratch.gateway, sizeof(g->gateway));
	knobs_copy(g, false, &scratch, scratch.has);
	return 0;
}

/* Read the [symroute] group's keys (in @scan) into @cfg. Returns 0 or -EINVAL. */
static int config_store(struct config_reader *rd, GKeyFile *kf, const struct config_scan *scan,
			struct config *cfg)
{
	for (guint i = 0; i < scan->entries->len; i++) {
		const struct config_entry *e = g_ptr_array_index(scan->entries, i);
		const struct config_key *k;
		g_autofree char *value = NULL;
		const char *why = NULL;

		if (strcmp(e->group, CONFIG_GROUP) != 0 || e->skip)
			continue;
		k = config_find_key(e->key);
		if (!k) {
			const char *near = config_nearest_key(e->key);

			config_complain(rd, e->line, "the line", "[%s] %s: unknown key%s%s%s",
					CONFIG_GROUP, e->key, near ? " (did you mean " : "",
					near ? near : "", near ? "?)" : "");
			if (!rd->lenient)
				return -EINVAL;
			continue;
		}
		value = entry_value(rd, kf, e);
		if (!value) {
			if (!rd->lenient)
				return -EINVAL;
			continue;
		}
		if (config_set_key(cfg, k, value, &why) < 0) {
			log_bad_entry(rd, e, value, why);
			if (!rd->lenient)
				return -EINVAL;
		}
	}
	return 0;
}

/* Every [interface NAME] group, in file order, into cfg->ifaces. Returns 0 or -EINVAL. */
static int config_store_ifaces(struct config_reader *rd, GKeyFile *kf,
			       const struct config_scan *scan, struct config *cfg)
{
	for (guint i = 0; i < scan->order->len; i++) {
		const char *group = g_ptr_array_index(scan->order, i);
		unsigned line = GPOINTER_TO_UINT(g_hash_table_lookup(scan->groups, group));
		struct config_iface *g;

		if (strcmp(group, CONFIG_GROUP) == 0)
			continue;
		if (cfg->n_ifaces >= CONFIG_MAX_IFACES) {
			config_complain(rd, line, "this section and the ones after it",
					"[%s]: more than " CONFIG_MAX_IFACES_TEXT " [%sNAME] groups",
					group, CONFIG_IFACE_PREFIX);
			return rd->lenient ? 0 : -EINVAL;
		}
		g = &cfg->ifaces[cfg->n_ifaces++];
		memset(g, 0, sizeof(*g));
		g_strlcpy(g->name, group + strlen(CONFIG_IFACE_PREFIX), sizeof(g->name));
		g->line = line;
		if (config_iface_store(rd, kf, scan, i, g) < 0)
			return -EINVAL;
	}
	return 0;
}

static int config_read(struct config_reader *rd, struct config *cfg, bool must_exist)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(GString) text = g_string_new(NULL);
	struct config_scan scan = { 0 };
	bool subnet_given = false;
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
	/*
	 * The whole structure is checked before any value is read: a strict refusal changes
	 * nothing. (Lenient: each bad line is left out and the others hold.)
	 */
	r = config_scan(rd, text->str, &scan);
	if (r == 0)
		r = config_store(rd, kf, &scan, cfg);
	if (r == 0)
		r = config_store_ifaces(rd, kf, &scan, cfg);
	for (guint i = 0; r == 0 && i < scan.entries->len; i++) {
		const struct config_entry *e = g_ptr_array_index(scan.entries, i);

		subnet_given |= strcmp(e->group, CONFIG_GROUP) == 0 &&
				strcmp(e->key, "subnet-priority") == 0;
	}
	config_scan_clear(&scan);
	if (r < 0)
		return -EINVAL;
	if (cfg->suppress_priority >= cfg->priority)
		log_warn("%s: suppress-priority %u is not before priority %u: routes in main "
			 "that are more specific will not win over the per-interface defaults",
			 rd->path, cfg->suppress_priority, cfg->priority);
	/*
	 * The shared-subnet rules must come before the suppress rule: moved down by hand, the
	 * suppress rule takes them along (just before it) unless they were placed by hand too.
	 */
	if (!subnet_given && cfg->subnet_priority >= cfg->suppress_priority &&
	    cfg->suppress_priority > 1)
		cfg->subnet_priority = cfg->suppress_priority - 1;
	if (subnet_given && cfg->suppress && cfg->subnet_priority >= cfg->suppress_priority)
		log_warn("%s: subnet-priority %u is not before suppress-priority %u: an address "
			 "whose subnet another interface shares answers that subnet by the other "
			 "interface", rd->path, cfg->subnet_priority, cfg->suppress_priority);
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

const struct config_iface *config_iface_find(const struct config *cfg, const char *ifname)
{
	for (unsigned i = 0; i < cfg->n_ifaces; i++)
		if (strcmp(cfg->ifaces[i].name, ifname) == 0)
			return &cfg->ifaces[i];
	return NULL;
}

void config_resolve(const struct config *cfg, struct event *ev)
{
	const struct config_iface *g = config_iface_find(cfg, ev->ifname);
	unsigned take;

	if (!g)
		return;
	take = g->has & ~ev->has;
	knobs_copy(ev, true, g, take);
	ev->has |= take;
	event_default_gateways(ev, g->gateway, g->gateways);
	if (!g->off || ev->action != EVENT_UP)
		return;
	if (ev->has & EVENT_HAS_OFF) {
		log_warn("%s: up as the %s says, over `off` in [%s%s] of symroute.conf", ev->ifname,
			 ev->origin && strcmp(ev->origin, "cli") == 0 ? "command line" :
			 ev->origin ? ev->origin : "event", CONFIG_IFACE_PREFIX, g->name);
		return;
	}
	/* As a stanza's `symroute off`: what was installed before the setting came goes. */
	log_info("%s: off in [%s%s] of symroute.conf: removing what is ours", ev->ifname,
		 CONFIG_IFACE_PREFIX, g->name);
	ev->action = EVENT_DOWN;
}
