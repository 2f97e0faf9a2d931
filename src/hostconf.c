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
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "hostconf.h"

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
	.nm_devices = "/run/NetworkManager/devices",
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

static bool ifupdown_file(const char *path, const char *ifname, int depth, char *where,
			  size_t where_len);

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

static bool ifupdown_source(const char *from, const char *arg, bool directory, const char *ifname,
			    int depth, char *where, size_t where_len)
{
	char pattern[HOSTCONF_PATH_MAX], dirbuf[HOSTCONF_PATH_MAX];
	bool found = false;

	/* Relative paths are relative to the including file's directory. */
	snprintf(dirbuf, sizeof(dirbuf), "%s", from);
	if (arg[0] == '/')
		snprintf(pattern, sizeof(pattern), "%s", arg);
	else
		snprintf(pattern, sizeof(pattern), "%s/%s", dirname(dirbuf), arg);
	if (directory) {
		DIR *dir = opendir(pattern);
		struct dirent *e;

		if (!dir)
			return false;
		while (!found && (e = readdir(dir))) {
			char path[HOSTCONF_PATH_MAX];

			if (!runparts_name(e->d_name) ||
			    snprintf(path, sizeof(path), "%s/%s", pattern, e->d_name) >=
				    (int)sizeof(path))
				continue;
			found = ifupdown_file(path, ifname, depth + 1, where, where_len);
		}
		closedir(dir);
	} else {
		glob_t g;

		if (glob(pattern, 0, NULL, &g) != 0)
			return false;
		for (size_t i = 0; !found && i < g.gl_pathc; i++)
			found = ifupdown_file(g.gl_pathv[i], ifname, depth + 1, where, where_len);
		globfree(&g);
	}
	return found;
}

static bool ifupdown_file(const char *path, const char *ifname, int depth, char *where,
			  size_t where_len)
{
	char line[HOSTCONF_INI_LINE_MAX];
	bool found = false;
	unsigned lineno = 0;
	FILE *f;

	if (depth > HOSTCONF_IFUPDOWN_DEPTH)
		return false;
	f = fopen(path, "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		char *save = NULL, *word, *arg;

		lineno++;
		word = strtok_r(line, " \t\r\n", &save);
		if (!word || word[0] == '#')
			continue;
		arg = strtok_r(NULL, " \t\r\n", &save);
		if (!arg)
			continue;
		if (strcmp(word, "iface") == 0 && strcmp(arg, ifname) == 0) {
			snprintf(where, where_len, "iface %s in %s line %u", ifname, path, lineno);
			found = true;
		} else if (strcmp(word, "source") == 0 || strcmp(word, "source-directory") == 0) {
			found = ifupdown_source(path, arg, word[6] == '-', ifname, depth, where,
						where_len);
		}
	}
	fclose(f);
	return found;
}

bool hostconf_ifupdown_configures(const struct hostconf_paths *paths, const char *ifname, char *where,
			       size_t where_len)
{
	char line[HOSTCONF_INI_LINE_MAX];
	bool found = false;
	FILE *f;

	if (strcmp(ifname, "lo") != 0 &&
	    ifupdown_file(paths->ifupdown_interfaces, ifname, 0, where, where_len))
		return true;
	/* Up through ifupdown right now: "IFACE=LOGICAL" lines. */
	f = fopen(paths->ifupdown_state, "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		char *eq = strchr(line, '=');

		if (eq && (size_t)(eq - line) == strlen(ifname) &&
		    strncmp(line, ifname, strlen(ifname)) == 0) {
			snprintf(where, where_len, "%s lists it", paths->ifupdown_state);
			found = true;
		}
	}
	fclose(f);
	return found;
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
