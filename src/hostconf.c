// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Purpose: what the host's other network tools are set to do, read from their own files:
 * systemd-networkd's foreign-rule settings, ifupdown's stanzas, NetworkManager's device
 * state, the IPv4 sysctls, and which daemons run in this network namespace. check.c judges;
 * this reads, and never changes anything.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <ifaddrs.h>
#include <libgen.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "event.h"
#include "hostconf.h"
#include "lease.h"
#include "log.h"
#include "options.h"

#define HOSTCONF_INI_LINE_MAX 4096
#define HOSTCONF_MAX_DROPINS 128
/* `source` nesting in /etc/network/interfaces, as deep as anyone writes it. */
#define HOSTCONF_IFUPDOWN_DEPTH 8

const struct hostconf_paths hostconf_default_paths = {
	.proc = "/proc",
	.networkd_conf = "/etc/systemd/networkd.conf",
	.networkd_dropins = { "/usr/lib/systemd/networkd.conf.d",
			      "/usr/local/lib/systemd/networkd.conf.d",
			      "/run/systemd/networkd.conf.d",
			      "/etc/systemd/networkd.conf.d", NULL },
	.ifupdown_interfaces = "/etc/network/interfaces",
	.ifupdown_state = "/run/network/ifstate",
	.ifupdown_ng_state = "/run/ifstate",
	.ifupdown2_state = "/var/tmp/network/ifstatenew",
	.nm_devices = "/run/NetworkManager/devices",
	.leases = &lease_default_paths,
};

/* ---- small file readers ---- */

static int read_int_file(const char *path, int *v)
{
	FILE *f = fopen(path, "re");
	int r = -EINVAL;

	if (!f)
		return -errno;
	if (fscanf(f, "%d", v) == 1)
		r = 0;
	fclose(f);
	return r;
}

int hostconf_ipv4_conf(const struct hostconf_paths *paths, const char *ifname, const char *key,
		       enum hostconf_merge merge, int *v)
{
	char path[HOSTCONF_PATH_MAX];
	int all = 0, dev = 0;
	int r;

	snprintf(path, sizeof(path), "%s/sys/net/ipv4/conf/all/%s", paths->proc, key);
	r = read_int_file(path, &all);
	if (r == 0) {
		snprintf(path, sizeof(path), "%s/sys/net/ipv4/conf/%s/%s", paths->proc, ifname,
			 key);
		r = read_int_file(path, &dev);
	}
	if (r < 0)
		return r;
	*v = merge == HOSTCONF_OR ? (all || dev) : (all > dev ? all : dev);
	return 0;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/*
 * The last value of KEY in [SECTION] of an INI-style file (systemd's
 * configuration and NetworkManager's keyfiles). Returns 1 found, 0 not, -errno.
 */
static int ini_get(const char *path, const char *section, const char *key, char *val, size_t len)
{
	char line[HOSTCONF_INI_LINE_MAX];
	bool in_section = false;
	int found = 0;
	FILE *f = fopen(path, "re");

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *s = trim(line), *eq;

		if (!*s || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			char *end = strchr(s, ']');

			in_section = end && (size_t)(end - s - 1) == strlen(section) &&
				     strncmp(s + 1, section, strlen(section)) == 0;
			continue;
		}
		eq = strchr(s, '=');
		if (!in_section || !eq)
			continue;
		*eq = '\0';
		if (strcmp(trim(s), key) == 0) {
			snprintf(val, len, "%s", trim(eq + 1));
			found = 1;
		}
	}
	fclose(f);
	return found;
}

/* systemd's parse_boolean(): 1 true, 0 false, -1 neither. */
static int parse_bool(const char *v)
{
	static const char *const yes[] = { "1", "yes", "y", "true", "t", "on" };
	static const char *const no[] = { "0", "no", "n", "false", "f", "off" };

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return 1;
		if (strcasecmp(v, no[i]) == 0)
			return 0;
	}
	return -1;
}

/* ---- systemd-networkd ---- */

struct dropin {
	char name[256];
	char path[HOSTCONF_PATH_MAX];
};

static int dropin_cmp(const void *a, const void *b)
{
	return strcmp(((const struct dropin *)a)->name, ((const struct dropin *)b)->name);
}

static void networkd_apply(const char *path, struct hostconf_networkd *nd)
{
	char v[64];

	if (ini_get(path, "Network", "ManageForeignRoutingPolicyRules", v, sizeof(v)) == 1 &&
	    parse_bool(v) >= 0) {
		nd->rules = parse_bool(v);
		snprintf(nd->rules_from, sizeof(nd->rules_from), "%s", path);
	}
	if (ini_get(path, "Network", "ManageForeignRoutes", v, sizeof(v)) == 1 &&
	    parse_bool(v) >= 0) {
		nd->routes = parse_bool(v);
		snprintf(nd->routes_from, sizeof(nd->routes_from), "%s", path);
	}
}

void hostconf_networkd_foreign(const struct hostconf_paths *paths, struct hostconf_networkd *nd)
{
	struct dropin *d = calloc(HOSTCONF_MAX_DROPINS, sizeof(*d));
	unsigned n = 0;

	/* systemd's defaults: both "yes". */
	nd->rules = nd->routes = true;
	snprintf(nd->rules_from, sizeof(nd->rules_from), "default");
	snprintf(nd->routes_from, sizeof(nd->routes_from), "default");
	networkd_apply(paths->networkd_conf, nd);
	if (!d)
		return;
	/* Drop-ins by file name; a later directory's file masks an earlier one's of that name. */
	for (size_t i = 0; i < HOSTCONF_MAX_DROPIN_DIRS && paths->networkd_dropins[i]; i++) {
		DIR *dir = opendir(paths->networkd_dropins[i]);
		struct dirent *e;

		if (!dir)
			continue;
		while ((e = readdir(dir))) {
			size_t len = strlen(e->d_name);
			unsigned j;

			if (len < 6 || strcmp(e->d_name + len - 5, ".conf") != 0 ||
			    len >= sizeof(d->name))
				continue;
			for (j = 0; j < n && strcmp(d[j].name, e->d_name) != 0; j++)
				;
			if (j == n) {
				if (n >= HOSTCONF_MAX_DROPINS)
					continue;
				n++;
			}
			snprintf(d[j].name, sizeof(d[j].name), "%s", e->d_name);
			snprintf(d[j].path, sizeof(d[j].path), "%s/%s", paths->networkd_dropins[i],
				 e->d_name);
		}
		closedir(dir);
	}
	qsort(d, n, sizeof(*d), dropin_cmp);
	for (unsigned j = 0; j < n; j++)
		networkd_apply(d[j].path, nd);
	free(d);
}

/* ---- processes in this network namespace ---- */

bool hostconf_running_here(const struct hostconf_paths *paths, const char *name)
{
	char path[HOSTCONF_PATH_MAX];
	struct stat self, other;
	struct dirent *e;
	bool found = false;
	DIR *dir;

	snprintf(path, sizeof(path), "%s/self/ns/net", paths->proc);
	if (stat(path, &self) < 0)
		return false;
	dir = opendir(paths->proc);
	if (!dir)
		return false;
	while (!found && (e = readdir(dir))) {
		char argv0[HOSTCONF_PATH_MAX];
		const char *base;
		size_t got;
		FILE *f;

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		/* argv[0], not comm: comm is cut to 15 bytes ("systemd-network" is also
		 * systemd-networkd-wait-online's). */
		snprintf(path, sizeof(path), "%s/%s/cmdline", paths->proc, e->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		got = fread(argv0, 1, sizeof(argv0) - 1, f);
		fclose(f);
		argv0[got] = '\0';
		base = strrchr(argv0, '/');
		base = base ? base + 1 : argv0;
		if (strcmp(base, name) != 0)
			continue;
		/* A daemon in another network namespace does not touch ours. */
		snprintf(path, sizeof(path), "%s/%s/ns/net", paths->proc, e->d_name);
		if (stat(path, &other) == 0 && other.st_ino == self.st_ino &&
		    other.st_dev == self.st_dev)
			found = true;
	}
	closedir(dir);
	return found;
}

/* ---- ifupdown and NetworkManager ---- */

/*
 * One walk over ifupdown's files for one interface: @stanza is called at each
 * `iface IFNAME ...` line, @option at each option line of those stanzas (the lines up to the
 * next top-level keyword). Either returns true to stop the walk.
 */
struct ifupdown_visit {
	const char *ifname;	/* NULL: every stanza, named in stanza_ifname */
	const char *stanza_ifname;
	bool (*stanza)(struct ifupdown_visit *v, const char *path, unsigned lineno);
	bool (*option)(struct ifupdown_visit *v, const char *key, const char *value,
		       const char *path, unsigned lineno);
	void (*stanza_end)(struct ifupdown_visit *v);
	void *data;
	/* The stanza's `iface NAME FAMILY METHOD` words ("" where ifupdown-ng has none). */
	char family[16], method[32];
};

static bool ifupdown_file(const char *path, int depth, struct ifupdown_visit *v);

/* run-parts' rule for source-directory: names of letters, digits, '_' and '-' only. */
static bool runparts_name(const char *name)
{
	if (!*name)
		return false;
	for (; *name; name++)
		if (!isalnum((unsigned char)*name) && *name != '_' && *name != '-')
			return false;
	return true;
}

static bool ifupdown_source(const char *from, const char *arg, bool directory, int depth,
			    struct ifupdown_visit *v)
{
	char pattern[HOSTCONF_PATH_MAX], dirbuf[HOSTCONF_PATH_MAX];
	bool stop = false;

	/* Relative paths are relative to the including file's directory. */
	snprintf(dirbuf, sizeof(dirbuf), "%s", from);
	if (arg[0] == '/')
		snprintf(pattern, sizeof(pattern), "%s", arg);
	else
		snprintf(pattern, sizeof(pattern), "%s/%s", dirname(dirbuf), arg);
	if (directory) {
		/* In run-parts' order, as ifupdown reads them: the first stanza found is the first. */
		struct dirent **names;
		int n = scandir(pattern, &names, NULL, alphasort);

		for (int i = 0; i < n; i++) {
			char path[HOSTCONF_PATH_MAX];

			if (!stop && runparts_name(names[i]->d_name) &&
			    snprintf(path, sizeof(path), "%s/%s", pattern, names[i]->d_name) <
				    (int)sizeof(path))
				stop = ifupdown_file(path, depth + 1, v);
			free(names[i]);
		}
		if (n >= 0)
			free(names);
	} else {
		glob_t g;

		if (glob(pattern, 0, NULL, &g) != 0)
			return false;
		for (size_t i = 0; !stop && i < g.gl_pathc; i++)
			stop = ifupdown_file(g.gl_pathv[i], depth + 1, v);
		globfree(&g);
	}
	return stop;
}

/* The words that end a stanza's options (interfaces(5), ifupdown2's and ifupdown-ng's). */
static bool ifupdown_keyword(const char *word)
{
	static const char *const keywords[] = { "iface", "auto", "mapping", "source",
						"source-directory", "rename", "template", NULL };

	for (size_t i = 0; keywords[i]; i++)
		if (strcmp(word, keywords[i]) == 0)
			return true;
	return strncmp(word, "allow-", 6) == 0;
}

static bool ifupdown_file(const char *path, int depth, struct ifupdown_visit *v)
{
	char line[HOSTCONF_INI_LINE_MAX];
	bool stop = false, in_stanza = false;
	unsigned lineno = 0;
	FILE *f;

	if (depth > HOSTCONF_IFUPDOWN_DEPTH)
		return false;
	f = fopen(path, "re");
	if (!f)
		return false;
	while (!stop && fgets(line, sizeof(line), f)) {
		char *save = NULL, *word, *arg;

		lineno++;
		word = strtok_r(line, " \t\r\n", &save);
		if (!word || word[0] == '#')
			continue;
		if (!ifupdown_keyword(word)) {
			if (in_stanza && v->option) {
				char *rest = strtok_r(NULL, "\r\n", &save), *end;

				rest = rest ? rest + strspn(rest, " \t") : word + strlen(word);
				for (end = rest + strlen(rest); end > rest && (end[-1] == ' ' ||
								      end[-1] == '\t');)
					*--end = '\0';
				stop = v->option(v, word, rest, path, lineno);
			}
			continue;
		}
		if (in_stanza && v->stanza_end)
			v->stanza_end(v);
		in_stanza = false;
		arg = strtok_r(NULL, " \t\r\n", &save);
		if (!arg)
			continue;
		if (strcmp(word, "iface") == 0 && (!v->ifname || strcmp(arg, v->ifname) == 0)) {
			const char *family = strtok_r(NULL, " \t\r\n", &save);
			const char *method = family ? strtok_r(NULL, " \t\r\n", &save) : NULL;

			snprintf(v->family, sizeof(v->family), "%s", family ? family : "");
			snprintf(v->method, sizeof(v->method), "%s", method ? method : "");
			in_stanza = true;
			v->stanza_ifname = arg;
			if (v->stanza)
				stop = v->stanza(v, path, lineno);
		} else if (strcmp(word, "source") == 0 || strcmp(word, "source-directory") == 0) {
			stop = ifupdown_source(path, arg, word[6] == '-', depth, v);
		}
	}
	if (in_stanza && v->stanza_end)
		v->stanza_end(v);
	fclose(f);
	return stop;
}

static bool ifupdown_walk(const struct hostconf_paths *paths, struct ifupdown_visit *v)
{
	return ifupdown_file(paths->ifupdown_interfaces, 0, v);
}

struct ifupdown_where {
	char *where;
	size_t len;
};

static bool stanza_found(struct ifupdown_visit *v, const char *path, unsigned lineno)
{
	struct ifupdown_where *w = v->data;

	snprintf(w->where, w->len, "iface %s in %s line %u", v->ifname, path, lineno);
	return true;
}

/* The names already handed to the caller of hostconf_ifupdown_each_up(): each one once. */
struct each_up {
	int (*fn)(const char *ifname, void *data);
	void *data;
	char (*seen)[IF_NAMESIZE];
	size_t n, cap;
	int stopped;	/* what @fn answered when it ended a walk over the stanzas */
};

static int each_up_once(struct each_up *e, const char *ifname)
{
	if (strlen(ifname) >= IF_NAMESIZE)
		return 0;
	for (size_t i = 0; i < e->n; i++)
		if (strcmp(e->seen[i], ifname) == 0)
			return 0;
	if (e->n == e->cap) {
		size_t cap = e->cap ? 2 * e->cap : 16;
		char (*seen)[IF_NAMESIZE] = realloc(e->seen, cap * sizeof(*seen));

		if (!seen)
			return -ENOMEM;
		e->seen = seen;
		e->cap = cap;
	}
	snprintf(e->seen[e->n++], IF_NAMESIZE, "%s", ifname);
	return e->fn(ifname, e->data);
}

/* A state file of "IFACE=LOGICAL ..." lines (ifupdown 0.8; ifupdown-ng adds a refcount). */
static int each_state_line(const char *path, struct each_up *e)
{
	char line[HOSTCONF_INI_LINE_MAX];
	int r = 0;
	FILE *f;

	f = path ? fopen(path, "re") : NULL;
	if (!f)
		return 0;
	while (r == 0 && fgets(line, sizeof(line), f)) {
		char *eq = strchr(line, '=');

		if (!eq || eq == line)
			continue;
		*eq = '\0';
		r = each_up_once(e, line);
	}
	fclose(f);
	return r;
}

static bool stanza_with_link(struct ifupdown_visit *v, const char *path, unsigned lineno)
{
	struct each_up *e = v->data;

	(void)path;
	(void)lineno;
	if (!if_nametoindex(v->stanza_ifname))
		return false;
	e->stopped = each_up_once(e, v->stanza_ifname);
	return e->stopped != 0;
}

int hostconf_ifupdown_each_up(const struct hostconf_paths *paths,
			      int (*fn)(const char *ifname, void *data), void *data)
{
	struct each_up e = { .fn = fn, .data = data };
	int r = each_state_line(paths->ifupdown_state, &e);

	if (r == 0)
		r = each_state_line(paths->ifupdown_ng_state, &e);
	if (r == 0 && paths->ifupdown2_state && access(paths->ifupdown2_state, F_OK) == 0) {
		struct ifupdown_visit v = { .ifname = NULL, .stanza = stanza_with_link, .data = &e };

		ifupdown_walk(paths, &v);
		r = e.stopped;
	}
	free(e.seen);
	return r;
}

static int is_this_one(const char *ifname, void *data)
{
	return strcmp(ifname, data) == 0;
}

bool hostconf_ifupdown_configures(const struct hostconf_paths *paths, const char *ifname, char *where,
			       size_t where_len)
{
	struct ifupdown_where w = { where, where_len };
	struct ifupdown_visit v = { .ifname = ifname, .stanza = stanza_found, .data = &w };

	if (strcmp(ifname, "lo") != 0 && ifupdown_walk(paths, &v))
		return true;
	if (hostconf_ifupdown_each_up(paths, is_this_one, (void *)ifname) != 1)
		return false;
	snprintf(where, where_len, "%s lists it", paths->ifupdown_state);
	return true;
}

static bool off_option(struct ifupdown_visit *v, const char *key, const char *value,
		       const char *path, unsigned lineno)
{
	const char *why;
	bool on;

	(void)path;
	(void)lineno;
	if (strcmp(key, "symroute") != 0 || options_parse_bool(&on, value, &why) < 0)
		return false;
	*(bool *)v->data = !on;
	return !on;	/* one stanza's `symroute off` is the interface's */
}

bool hostconf_ifupdown_off(const struct hostconf_paths *paths, const char *ifname)
{
	bool off = false;
	struct ifupdown_visit v = { .ifname = ifname, .option = off_option, .data = &off };

	ifupdown_walk(paths, &v);
	return off;
}

struct stanza_knobs {
	bool (*fn)(const char *name, const char *value, const char *path, unsigned lineno,
		   void *data);
	void *data;
	bool dhcp4;	/* the stanza is `inet dhcp` */
};

static bool knobs_stanza(struct ifupdown_visit *v, const char *path, unsigned lineno)
{
	struct stanza_knobs *k = v->data;

	(void)path;
	(void)lineno;
	k->dhcp4 = strcmp(v->family, "inet") == 0 && strcmp(v->method, "dhcp") == 0;
	return false;
}

static bool knobs_option(struct ifupdown_visit *v, const char *key, const char *value,
			 const char *path, unsigned lineno)
{
	static const char prefix[] = "symroute-";
	struct stanza_knobs *k = v->data;

	if (k->dhcp4 || strncmp(key, prefix, sizeof(prefix) - 1) != 0 ||
	    strcmp(key, "symroute-gateway") == 0)
		return false;
	return k->fn(key + sizeof(prefix) - 1, value, path, lineno, k->data);
}

void hostconf_ifupdown_knobs(const struct hostconf_paths *paths, const char *ifname,
			     bool (*fn)(const char *name, const char *value, const char *path,
					unsigned lineno, void *data),
			     void *data)
{
	struct stanza_knobs k = { fn, data, false };
	struct ifupdown_visit v = { .ifname = ifname, .stanza = knobs_stanza,
				    .option = knobs_option, .data = &k };

	if (strcmp(ifname, "lo") != 0)
		ifupdown_walk(paths, &v);
}

/* One `symroute-NAME VALUE` line: the knob's first line is taken, a bad one warned of. */
static bool stanza_knob(const char *name, const char *value, const char *path, unsigned lineno,
			void *data)
{
	static const char *const stanza_names[] = { "gateway", NULL };
	struct event *knobs = data, with = *knobs;
	const char *why = NULL, *near;
	int r = options_set(&with, name, value, &why);

	if (r < 0) {
		near = r == -ENOENT ? options_suggest(name, stanza_names) : NULL;
		log_warn("%s: symroute-%s '%s' in %s line %u: %s%s%s%s; not taken", knobs->ifname,
			 name, value, path, lineno, why, near ? " (did you mean symroute-" : "",
			 near ? near : "", near ? "?)" : "");
	} else if (with.has & ~knobs->has) {
		*knobs = with;
	}
	return false;
}

unsigned hostconf_stanza_knobs(const struct hostconf_paths *paths, const char *ifname,
			       struct event *knobs)
{
	snprintf(knobs->ifname, sizeof(knobs->ifname), "%s", ifname);
	hostconf_ifupdown_knobs(paths, ifname, stanza_knob, knobs);
	return knobs->has;
}

/* A stanza's symroute-gateway lines, taken when the stanza ends. */
struct stanza_line {
	struct addr gw;
	char value[128], path[HOSTCONF_PATH_MAX];
	unsigned lineno;
};

struct stanza_gateways {
	struct addr *gw;	/* [2], by event_family_index() */
	unsigned found;		/* EVENT_V4 | EVENT_V6 */
	/* The stanza being read: */
	struct stanza_line line[2];
	unsigned pending;	/* EVENT_V4 | EVENT_V6 in line[] */
	bool dhcp4;		/* `inet dhcp`, or ifupdown-ng's `use dhcp` */
};

static void gateway_conflict(const struct ifupdown_visit *v, const struct stanza_line *l,
			     int f, const char *whose)
{
	log_warn("%s: symroute-gateway '%s' in %s line %u: another %s gateway than %s; the first "
		 "is taken", v->ifname, l->value, l->path, l->lineno, f ? "IPv6" : "IPv4", whose);
}

static bool gateway_stanza(struct ifupdown_visit *v, const char *path, unsigned lineno)
{
	struct stanza_gateways *sg = v->data;

	(void)path;
	(void)lineno;
	sg->pending = 0;
	sg->dhcp4 = strcmp(v->family, "inet") == 0 && strcmp(v->method, "dhcp") == 0;
	return false;
}

/* One symroute-gateway line: taken whole, or not at all (as its ifup would refuse it). */
static bool gateway_option(struct ifupdown_visit *v, const char *key, const char *value,
			   const char *path, unsigned lineno)
{
	struct stanza_gateways *sg = v->data;
	struct addr line[2];
	unsigned on_line = 0;
	const char *p = value, *why = NULL;

	if (strcmp(key, "use") == 0 && strcmp(value, "dhcp") == 0)
		sg->dhcp4 = true;
	if (strcmp(key, "symroute-gateway") != 0)
		return false;
	while (*p && !why) {
		size_t n = strcspn(p, " \t");
		char word[ADDR_STRLEN + 1];
		struct addr a;

		if (n >= sizeof(word)) {
			why = "not an IP address";
			break;
		}
		memcpy(word, p, n);
		word[n] = '\0';
		if (addr_parse(&a, word, AF_UNSPEC, ADDR_PLEN_FORBIDDEN, &why) < 0)
			break;
		if ((on_line & event_family_bit(a.family)) &&
		    !addr_same_ip(&a, &line[event_family_index(a.family)]))
			why = "two gateways of one family";
		line[event_family_index(a.family)] = a;
		on_line |= event_family_bit(a.family);
		p += n;
		p += strspn(p, " \t");
	}
	if (why) {
		log_warn("%s: symroute-gateway '%s' in %s line %u: %s; not taken", v->ifname, value,
			 path, lineno, why);
		return false;
	}
	for (int f = 0; f < 2; f++) {
		struct stanza_line *l = &sg->line[f];
		unsigned bit = f ? EVENT_V6 : EVENT_V4;

		if (!(on_line & bit))
			continue;
		if (sg->pending & bit) {
			if (!addr_same_ip(&line[f], &l->gw)) {
				struct stanza_line here = { .gw = line[f], .lineno = lineno };

				snprintf(here.value, sizeof(here.value), "%s", value);
				snprintf(here.path, sizeof(here.path), "%s", path);
				gateway_conflict(v, &here, f, "an earlier line's");
			}
			continue;
		}
		l->gw = line[f];
		l->lineno = lineno;
		snprintf(l->value, sizeof(l->value), "%s", value);
		snprintf(l->path, sizeof(l->path), "%s", path);
		sg->pending |= bit;
	}
	return false;
}

/*
 * IPv4 of a DHCP stanza is its DHCP client's (the if-up.d hook says so and takes none of its
 * symroute-* options): its lease's router, not the stanza's symroute-gateway.
 */
static void gateway_stanza_end(struct ifupdown_visit *v)
{
	struct stanza_gateways *sg = v->data;

	for (int f = 0; f < 2; f++) {
		unsigned bit = f ? EVENT_V6 : EVENT_V4;

		if (!(sg->pending & bit) || (!f && sg->dhcp4))
			continue;
		if (!(sg->found & bit)) {
			sg->gw[f] = sg->line[f].gw;
			sg->found |= bit;
		} else if (!addr_same_ip(&sg->line[f].gw, &sg->gw[f])) {
			gateway_conflict(v, &sg->line[f], f, "an earlier stanza's");
		}
	}
	sg->pending = 0;
}

unsigned hostconf_ifupdown_gateways(const struct hostconf_paths *paths, const char *ifname,
				    struct addr gw[2])
{
	struct stanza_gateways sg = { .gw = gw };
	struct ifupdown_visit v = { .ifname = ifname, .stanza = gateway_stanza,
				    .option = gateway_option, .stanza_end = gateway_stanza_end,
				    .data = &sg };

	if (strcmp(ifname, "lo") != 0)
		ifupdown_walk(paths, &v);
	return sg.found;
}

/* Does @ifname hold the IPv4 address @a (with its prefix length) right now? */
static bool iface_has_address(const char *ifname, const struct addr *a)
{
	struct ifaddrs *list, *i;
	bool found = false;

	if (getifaddrs(&list) < 0)
		return false;
	for (i = list; i && !found; i = i->ifa_next) {
		const struct sockaddr_in *sin = (const void *)i->ifa_addr;
		const struct sockaddr_in *mask = (const void *)i->ifa_netmask;

		found = sin && sin->sin_family == AF_INET && i->ifa_name &&
			strcmp(i->ifa_name, ifname) == 0 &&
			memcmp(&sin->sin_addr, a->bytes, 4) == 0 && mask &&
			(unsigned)__builtin_popcount(mask->sin_addr.s_addr) == a->plen;
	}
	freeifaddrs(list);
	return found;
}

void hostconf_gateways(const struct hostconf_paths *paths, const char *ifname, unsigned wanted,
		       struct hostconf_gateways *out)
{
	char where[HOSTCONF_PATH_MAX];
	struct addr router, leased;

	out->found = hostconf_ifupdown_gateways(paths, ifname, out->gw);
	for (int f = 0; f < 2; f++) {
		bool stanza = out->found & (f ? EVENT_V6 : EVENT_V4);

		out->from[f] = stanza ? "its iface stanza" : NULL;
		snprintf(out->detail[f], sizeof(out->detail[f]), "%s",
			 stanza ? "symroute-gateway" : "");
	}
	if ((out->found & EVENT_V4) || !(wanted & EVENT_V4) || !paths->leases)
		return;
	if (lease_ipv4_router(paths->leases, ifname, time(NULL), &router, &leased, where,
			      sizeof(where)) == LEASE_NONE)
		return;
	/* A file outlives its client (dhcpcd leaves it when it stops): the address must be here. */
	if (leased.family != AF_INET || !iface_has_address(ifname, &leased)) {
		log_debug("%s: %s: the leased address is not on the interface: not taken", ifname,
			  where);
		return;
	}
	out->gw[0] = router;
	out->found |= EVENT_V4;
	out->from[0] = "its DHCP lease";
	snprintf(out->detail[0], sizeof(out->detail[0]), "%s", where);
}

bool hostconf_nm_manages(const struct hostconf_paths *paths, unsigned ifindex)
{
	char path[HOSTCONF_PATH_MAX], v[32];

	/* NetworkManager keeps each device's state as a keyfile named by its ifindex. */
	snprintf(path, sizeof(path), "%s/%u", paths->nm_devices, ifindex);
	if (ini_get(path, "device", "managed", v, sizeof(v)) != 1)
		return false;
	return parse_bool(v) == 1;
}
