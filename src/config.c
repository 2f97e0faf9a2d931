// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: host-wide settings from /etc/symroute.conf, with built-in defaults. */
#include <errno.h>
#include <stddef.h>
#include <fnmatch.h>
#include <ctype.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "keyfile.h"
#include "log.h"
#include "options.h"

#define CONFIG_GROUP "symroute"
#define CONFIG_DEFAULT_LOCK_TIMEOUT_MS 10000u
/* Far above any real file (every key, commented): a bigger one is refused, not cut. */
#define CONFIG_FILE_MAX (64 * 1024)
/* A group's or key's name in a message: what fits, the line number says the rest. */
#define CONFIG_NAME_TEXT_MAX 320
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

void config_defaults(struct config *cfg)
{
	/*
	 * All but the groups: only the first n_ifaces are ever read, and the hook path does
	 * not pay for touching 100 KiB it will not use (struct config_iface is 384 bytes).
	 */
	memset(cfg, 0, offsetof(struct config, ifaces));
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
	for (size_t i = 0; i < ARRAY_SIZE(taken_protocols); i++) {
		if (taken_protocols[i].number == *out) {
			snprintf(text, sizeof(text), "a protocol number %s uses for its routes",
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
	for (size_t i = 0; i < ARRAY_SIZE(config_keys); i++)
		if (strcmp(config_keys[i].name, name) == 0)
			return &config_keys[i];
	return NULL;
}

/* "Did you mean": the key nearest to an unknown one, if one is close. */
static const char *config_nearest_key(const char *name)
{
	const char *known[ARRAY_SIZE(config_keys) + 1];

	for (size_t i = 0; i < ARRAY_SIZE(config_keys); i++)
		known[i] = config_keys[i].name;
	known[ARRAY_SIZE(config_keys)] = NULL;
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
		snprintf(where, sizeof(where), " line %u", line);
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
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
 * rename), then read from it. Returns 0 with the text in *@text (@len bytes, to free()), 1
 * when the file is absent, or -errno after one logged line.
 */
static int config_read_trusted(struct config_reader *rd, char **text, size_t *len)
{
	const char *path = rd->path;
	char *buf = NULL;
	struct stat st;
	size_t have = 0;
	int fd, err = 0;
	ssize_t n;

	*text = NULL;
	*len = 0;
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
	/* One byte past the bound tells a file that is too big from one that fills it. */
	buf = malloc(CONFIG_FILE_MAX + 1);
	if (!buf) {
		err = -ENOMEM;
		config_complain(rd, 0, CONFIG_WHOLE_FILE, "%s", strerror(-err));
		goto out;
	}
	while (have <= CONFIG_FILE_MAX && (n = read(fd, buf + have, CONFIG_FILE_MAX + 1 - have))) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			config_complain(rd, 0, CONFIG_WHOLE_FILE, "%s", strerror(-err));
			goto out;
		}
		have += (size_t)n;
	}
	if (have > CONFIG_FILE_MAX) {
		config_complain(rd, 0, CONFIG_WHOLE_FILE, "larger than %u bytes: not a symroute.conf",
				CONFIG_FILE_MAX);
		err = -EFBIG;
		goto out;
	}
	*text = buf;
	*len = have;
	buf = NULL;
out:
	free(buf);
	close(fd);
	return err;
}

/* The groups: [symroute], and [interface NAME] per interface. */
#define CONFIG_IFACE_PREFIX "interface "

/* One "KEY = VALUE" line of a group of ours: its group, its key and where it is. */
struct config_entry {
	unsigned group;		/* index into the key file's groups */
	const char *key;	/* in the key file's text */
	const char *raw;	/* the value as written */
	unsigned line;
	bool skip;		/* lenient: given twice, ignored */
};

/* The file's groups of ours and their keys, in file order. */
struct config_scan {
	struct keyfile kf;
	struct config_entry *entries;
	unsigned n_entries;
	unsigned *header_line;	/* per key file group: the line of its accepted header, or 0 */
	unsigned *order;	/* the groups of ours, by index, in file order */
	unsigned *first;	/* per order[]: its first entry (a group's are contiguous) */
	unsigned n_order;
};

static void config_scan_clear(struct config_scan *scan)
{
	keyfile_clear(&scan->kf);
	free(scan->entries);
	free(scan->header_line);
	free(scan->order);
	free(scan->first);
	memset(scan, 0, sizeof(*scan));
}

static const char *scan_group(const struct config_scan *scan, unsigned group)
{
	return scan->kf.groups[group];
}

/*
 * Is @group one of ours? Logs why not (naming @line) and returns -EINVAL. [symroute] may
 * open twice (its keys still count once); [interface NAME] names a valid interface, once.
 */
static int config_check_group(struct config_reader *rd, unsigned line, const char *group,
			      unsigned first)
{
	char section[CONFIG_NAME_TEXT_MAX];
	struct event scratch;
	const char *why = NULL;

	snprintf(section, sizeof(section), "the section [%s]", group);
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
	if (first) {
		config_complain(rd, line, "this one", "[%s]: given twice (first on line %u)", group,
				first);
		return -EINVAL;
	}
	return 0;
}

static int scan_add_entry(struct config_scan *scan, unsigned *cap, const struct config_entry *e)
{
	if (scan->n_entries == *cap) {
		unsigned n = *cap ? *cap * 2 : 32;
		struct config_entry *v = realloc(scan->entries, n * sizeof(*v));

		if (!v)
			return -ENOMEM;
		scan->entries = v;
		*cap = n;
	}
	scan->entries[scan->n_entries++] = *e;
	return 0;
}

/*
 * Every group must be one of ours, and a key may be given once per group: GKeyFile would
 * keep the last of two lines silently (which one did the admin mean?). Records every key
 * with its line, in file order, for the messages. Returns 0, or -EINVAL after one logged
 * line (-ENOMEM: said too).
 */
static int config_scan_items(struct config_reader *rd, struct config_scan *scan)
{
	struct keyfile_seen seen = { 0 };
	const struct keyfile *kf = &scan->kf;
	unsigned cap = 0;
	bool in_ours = false;
	int r = 0;

	scan->header_line = calloc(kf->n_groups + 1, sizeof(*scan->header_line));
	scan->order = calloc(kf->n_groups + 1, sizeof(*scan->order));
	scan->first = calloc(kf->n_groups + 1, sizeof(*scan->first));
	if (!scan->header_line || !scan->order || !scan->first)
		r = -ENOMEM;
	for (unsigned i = 0; r == 0 && i < kf->n_items; i++) {
		const struct keyfile_item *it = &kf->items[i];
		const char *group = scan_group(scan, it->group);
		struct config_entry e = { it->group, it->key, it->raw, it->line, false };
		unsigned first;

		if (!it->key) {
			in_ours = config_check_group(rd, it->line, group,
						     scan->header_line[it->group]) == 0;
			if (!in_ours && !rd->lenient)
				r = -EINVAL;
			/* lenient: the lines of a group refused are skipped */
			if (in_ours && !scan->header_line[it->group]) {
				scan->header_line[it->group] = it->line;
				scan->first[scan->n_order] = scan->n_entries;
				scan->order[scan->n_order++] = it->group;
			}
			continue;
		}
		if (!in_ours)
			continue;
		first = scan->n_entries;
		r = keyfile_seen(&seen, it->group, it->key, &first);
		if (r == 0) {
			r = scan_add_entry(scan, &cap, &e);
			continue;
		}
		if (r < 0)
			break;
		r = 0;
		{
			char ignoring[CONFIG_NAME_TEXT_MAX];

			snprintf(ignoring, sizeof(ignoring), "both lines: %s keeps its built-in value",
				 it->key);
			config_complain(rd, it->line, ignoring, "[%s] %s: given twice (first on line %u)",
					group, it->key, scan->entries[first].line);
		}
		if (!rd->lenient)
			r = -EINVAL;
		/* Which one did the admin mean? Neither holds. */
		scan->entries[first].skip = true;
	}
	keyfile_seen_clear(&seen);
	if (r == -ENOMEM)
		config_complain(rd, 0, CONFIG_WHOLE_FILE, "%s", strerror(ENOMEM));
	return r < 0 ? -EINVAL : 0;
}

/*
 * The value as it goes into a message: a value with a control character (an escaped "\n"
 * is a newline) is shown escaped, C-style, so that the message stays one line.
 */
static const char *printable(char *out, size_t size, const char *value)
{
	static const char from[] = "\b\f\n\r\t\v\\\"", to[] = "bfnrtv\\\"";
	bool control = false;
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)value; *p; p++)
		control |= *p < ' ' || *p == 0x7f;
	if (!control)
		return value;
	for (const unsigned char *p = (const unsigned char *)value; *p && n + 5 < size; p++) {
		const char *e = *p ? strchr(from, *p) : NULL;

		if (e)
			n += (size_t)snprintf(out + n, size - n, "\\%c", to[e - from]);
		else if (*p < ' ' || *p >= 0x7f)
			n += (size_t)snprintf(out + n, size - n, "\\%03o", *p);
		else
			out[n++] = (char)*p;
	}
	out[n] = '\0';
	return out;
}

/*
 * A value with its "# note": say that this is an inline comment rather than "not a
 * number".
 */
static const char *config_why(const char *value, const char *why)
{
	const char *hash = strchr(value, '#');

	if (hash && (hash == value || isspace((unsigned char)hash[-1])))
		return "inline comments are not allowed (a '#' starts a comment only at the "
		       "start of a line)";
	return why ? why : "unreadable";
}

static void log_bad_entry(struct config_reader *rd, const struct config_scan *scan,
			  const struct config_entry *e, const char *value, const char *why)
{
	char shown[512], ignoring[CONFIG_NAME_TEXT_MAX];

	snprintf(ignoring, sizeof(ignoring), "the line: %s keeps its built-in value", e->key);
	config_complain(rd, e->line, ignoring, "[%s] %s='%s': %s", scan_group(scan, e->group),
			e->key, printable(shown, sizeof(shown), value ? value : ""),
			config_why(value ? value : "", why));
}

/* "ADDR[, ADDR]": at most one gateway per family, each a unicast address. */
static int iface_set_gateway(struct event *ev, const char *value, const char **why)
{
	unsigned n = 0;

	for (const char *p = value; *p;) {
		size_t len = strcspn(p, ", \t");
		struct addr gw;
		unsigned bit;
		char *word;
		int r;

		if (!len) {
			p++;
			continue;
		}
		word = strndup(p, len);
		if (!word) {
			*why = "out of memory";
			return -ENOMEM;
		}
		p += len;
		r = addr_parse(&gw, word, AF_UNSPEC, ADDR_PLEN_FORBIDDEN, why);
		free(word);
		if (r < 0)
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
	for (size_t i = 0; i < ARRAY_SIZE(knob_fields); i++) {
		const struct knob_field *f = &knob_fields[i];

		if (!(has & f->has))
			continue;
		memcpy((char *)dst + (dst_is_event ? f->in_event : f->in_group),
		       (const char *)src + (dst_is_event ? f->in_group : f->in_event), f->size);
	}
}

void config_event_take_knobs(struct event *dst, const struct event *src, unsigned has)
{
	for (size_t i = 0; i < ARRAY_SIZE(knob_fields); i++) {
		const struct knob_field *f = &knob_fields[i];

		if (has & f->has)
			memcpy((char *)dst + f->in_event, (const char *)src + f->in_event, f->size);
	}
	dst->has |= has & ~(EVENT_HAS_OFF);
}

/*
 * The value of a key the scan found, blanks around it dropped, or NULL after one logged
 * line: a translated key ("table[de]": GKeyFile drops those, and none is ours), a value
 * that is not UTF-8 or holds an escape GKeyFile refuses. Free with free().
 */
static char *entry_value(struct config_reader *rd, const struct config_scan *scan,
			 const struct config_entry *e)
{
	const char *why = NULL;
	char *value, *start, *end;

	if (keyfile_key_localized(e->key)) {
		config_complain(rd, e->line, "the line", "[%s] %s: unknown key",
				scan_group(scan, e->group), e->key);
		return NULL;
	}
	value = keyfile_value(e->raw, &why);
	if (!value) {
		config_complain(rd, e->line, "the line", "[%s] %s: unreadable value (%s)",
				scan_group(scan, e->group), e->key, why);
		return NULL;
	}
	/* An escaped blank ("\s", "\t") at either end is still a blank around the value. */
	for (start = value; isspace((unsigned char)*start); start++)
		;
	for (end = start + strlen(start); end > start && isspace((unsigned char)end[-1]); end--)
		;
	*end = '\0';
	memmove(value, start, (size_t)(end - start) + 1);
	return value;
}

/*
 * Read one [interface NAME] group's keys (in @scan) into @g: through options_set(), as a
 * stanza's or a profile's, so that a key means and checks the same everywhere; `gateway`
 * and `off` as the front ends read theirs. Returns 0 or -EINVAL after one logged line.
 */
static int config_iface_store(struct config_reader *rd, const struct config_scan *scan,
			      unsigned index, struct config_iface *g)
{
	static const char *const group_names[] = { "gateway", "off", NULL };
	unsigned group = scan->order[index];
	const char *name = scan_group(scan, group);
	struct event scratch;

	event_init(&scratch, "config");
	/* A group opens once, so its keys are the entries from its first on: one pass in all. */
	for (unsigned i = scan->first[index]; i < scan->n_entries; i++) {
		const struct config_entry *e = &scan->entries[i];
		const char *why = NULL;
		char *value;
		int r;

		if (e->group != group)
			break;
		if (e->skip)
			continue;
		value = entry_value(rd, scan, e);
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
						name, e->key, near ? " (did you mean " : "",
						near ? near : "", near ? "?)" : "");
				free(value);
				if (!rd->lenient)
					return -EINVAL;
				continue;
			}
		}
		if (r < 0)
			log_bad_entry(rd, scan, e, value, why);
		free(value);
		if (r < 0 && !rd->lenient)
			return -EINVAL;
	}
	g->has = scratch.has;
	g->gateways = scratch.gateways_given;
	memcpy(g->gateway, scratch.gateway, sizeof(g->gateway));
	knobs_copy(g, false, &scratch, scratch.has);
	return 0;
}

static bool entry_in_main_group(const struct config_scan *scan, const struct config_entry *e)
{
	return strcmp(scan_group(scan, e->group), CONFIG_GROUP) == 0;
}

/* Read the [symroute] group's keys (in @scan) into @cfg. Returns 0 or -EINVAL. */
static int config_store(struct config_reader *rd, const struct config_scan *scan,
			struct config *cfg)
{
	for (unsigned i = 0; i < scan->n_entries; i++) {
		const struct config_entry *e = &scan->entries[i];
		const struct config_key *k;
		const char *why = NULL;
		char *value;
		int r;

		if (!entry_in_main_group(scan, e) || e->skip)
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
		value = entry_value(rd, scan, e);
		if (!value) {
			if (!rd->lenient)
				return -EINVAL;
			continue;
		}
		r = config_set_key(cfg, k, value, &why);
		if (r < 0)
			log_bad_entry(rd, scan, e, value, why);
		free(value);
		if (r < 0 && !rd->lenient)
			return -EINVAL;
	}
	return 0;
}

/* Every [interface NAME] group, in file order, into cfg->ifaces. Returns 0 or -EINVAL. */
static int config_store_ifaces(struct config_reader *rd, const struct config_scan *scan,
			       struct config *cfg)
{
	for (unsigned i = 0; i < scan->n_order; i++) {
		const char *group = scan_group(scan, scan->order[i]);
		unsigned line = scan->header_line[scan->order[i]];
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
		snprintf(g->name, sizeof(g->name), "%s", group + strlen(CONFIG_IFACE_PREFIX));
		g->line = line;
		if (config_iface_store(rd, scan, i, g) < 0)
			return -EINVAL;
	}
	return 0;
}

static int config_read(struct config_reader *rd, struct config *cfg, bool must_exist)
{
	struct config_scan scan = { 0 };
	bool subnet_given = false;
	unsigned bad_line;
	char why[CONFIG_NAME_TEXT_MAX + 64];
	char *text;
	size_t len;
	int r;

	r = config_read_trusted(rd, &text, &len);
	if (r == 1 && !must_exist)
		return 0;
	if (r == 1) {
		config_complain(rd, 0, CONFIG_WHOLE_FILE, "%s", strerror(ENOENT));
		return -ENOENT;
	}
	if (r < 0)
		return -EINVAL;
	r = keyfile_parse(&scan.kf, text, len, &bad_line, why, sizeof(why));
	free(text);
	if (r < 0) {
		config_complain(rd, bad_line, CONFIG_WHOLE_FILE, "%s",
				r == -ENOMEM ? strerror(ENOMEM) : why);
		config_scan_clear(&scan);
		return -EINVAL;
	}
	/*
	 * The whole structure is checked before any value is read: a strict refusal changes
	 * nothing. (Lenient: each bad line is left out and the others hold.)
	 */
	r = config_scan_items(rd, &scan);
	if (r == 0)
		r = config_store(rd, &scan, cfg);
	if (r == 0)
		r = config_store_ifaces(rd, &scan, cfg);
	for (unsigned i = 0; r == 0 && i < scan.n_entries; i++)
		subnet_given |= entry_in_main_group(&scan, &scan.entries[i]) &&
				strcmp(scan.entries[i].key, "subnet-priority") == 0;
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
