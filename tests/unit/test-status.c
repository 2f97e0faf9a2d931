// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: unit tests of `symroute status --json` and its text form, written from plain structs,
 * and of the configuration-file readers of `symroute check`. */
#include <errno.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>
#include <glib.h>

#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "addr.h"
#include "check.h"
#include "hostconf.h"
#include "status.h"

/* ---- building a status by hand ---- */

static struct addr A(const char *text)
{
	const char *why = NULL;
	struct addr a;

	if (addr_parse(&a, text, AF_UNSPEC, 0, &why) < 0)
		fail_msg("bad test address %s: %s", text, why);
	return a;
}

static struct rule from_rule(const char *src, uint32_t table)
{
	struct rule r;

	memset(&r, 0, sizeof(r));
	r.src = A(src);
	r.family = r.src.family;
	r.protocol = 73;
	r.action = FR_ACT_TO_TBL;
	r.suppress_prefixlen = -1;
	r.priority = 31100;
	r.table = table;
	return r;
}

static struct rule shared_rule(int family)
{
	struct rule r;

	memset(&r, 0, sizeof(r));
	r.family = (uint8_t)family;
	r.protocol = 73;
	r.action = FR_ACT_TO_TBL;
	r.suppress_prefixlen = 0;
	r.priority = 31000;
	r.table = RT_TABLE_MAIN;
	return r;
}

static struct status_route route(const char *dst, const char *gw, const char *src,
				 const char *dev, uint32_t oif, uint32_t table)
{
	struct status_route sr;
	struct route *r = &sr.r;

	memset(&sr, 0, sizeof(sr));
	if (strcmp(dst, "default") == 0) {
		r->dst = A(strchr(gw, ':') ? "::/0" : "0.0.0.0/0");
	} else {
		r->dst = A(dst);
	}
	r->family = r->dst.family;
	r->type = RTN_UNICAST;
	r->scope = gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	r->protocol = 73;
	r->table = table;
	r->oif = oif;
	if (gw)
		r->gateway = A(gw);
	if (src)
		r->prefsrc = A(src);
	snprintf(sr.dev, sizeof(sr.dev), "%s", dev);
	return sr;
}

static void add_rule(struct status_family *f, struct rule r)
{
	assert_int_equal(status_family_add_rule(f, &r), 0);
}

static void add_route(struct status_family *f, struct status_route sr)
{
	assert_int_equal(status_family_add_route(f, &sr.r, sr.dev), 0);
}

static struct status *status_new(unsigned n_ifaces)
{
	struct status *st = calloc(1, sizeof(*st));

	assert_non_null(st);
	st->n_ifaces = n_ifaces;
	if (n_ifaces) {
		st->ifaces = calloc(n_ifaces, sizeof(*st->ifaces));
		assert_non_null(st->ifaces);
	}
	/* Room for the drift the tests write; status_free() frees it. */
	for (unsigned i = 0; i < n_ifaces; i++)
		for (size_t k = 0; k < 2; k++) {
			st->ifaces[i].fam[k].drift = calloc(8, sizeof(struct op));
			assert_non_null(st->ifaces[i].fam[k].drift);
		}
	return st;
}

static void status_del(struct status *st)
{
	status_free(st);
	free(st);
}

/* eth0 as symroute installs it: in sync, IPv4. */
static void fill_eth0_v4(struct status_iface *i)
{
	struct status_family *f = &i->fam[0];

	snprintf(i->name, sizeof(i->name), "eth0");
	i->ifindex = 2;
	f->family = AF_INET;
	f->table = 1000002;
	f->table_auto = true;
	f->has_priority = true;
	f->priority = 31100;
	f->addrs[f->n_addrs++] = A("198.51.100.10/25");
	f->gateways[f->n_gateways++] = A("198.51.100.1");
	add_rule(f, from_rule("198.51.100.10", 1000002));
	add_route(f, route("198.51.100.0/25", NULL, "198.51.100.10", "eth0", 2, 1000002));
	add_route(f, route("default", "198.51.100.1", NULL, "eth0", 2, 1000002));
	f->drift_known = true;
}

static char *json_of(const struct status *st)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	status_write_json(st, f);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static char *text_of(const struct status *st)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	status_write_text(st, f);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/* ---- a small JSON checker: the output must parse, whatever it holds ---- */

static const char *js_value(const char *p);

static const char *js_ws(const char *p)
{
	while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
		p++;
	return p;
}

static const char *js_string(const char *p)
{
	if (*p++ != '"')
		return NULL;
	while (*p && *p != '"') {
		if ((unsigned char)*p < 0x20)
			return NULL;	/* raw control characters are not JSON */
		if (*p == '\\') {
			p++;
			if (*p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!strchr("0123456789abcdefABCDEF", p[i]) || !p[i])
						return NULL;
				p += 4;
			} else if (!*p || !strchr("\"\\/bfnrt", *p)) {
				return NULL;
			}
		}
		p++;
	}
	return *p == '"' ? p + 1 : NULL;
}

static const char *js_list(const char *p, char close, bool object)
{
	p = js_ws(p + 1);
	if (*p == close)
		return p + 1;
	for (;;) {
		if (object) {
			p = js_string(js_ws(p));
			if (!p)
				return NULL;
			p = js_ws(p);
			if (*p++ != ':')
				return NULL;
		}
		p = js_value(p);
		if (!p)
			return NULL;
		p = js_ws(p);
		if (*p == close)
			return p + 1;
		if (*p++ != ',')
			return NULL;
	}
}

static const char *js_value(const char *p)
{
	p = js_ws(p);
	switch (*p) {
	case '{':
		return js_list(p, '}', true);
	case '[':
		return js_list(p, ']', false);
	case '"':
		return js_string(p);
	}
	if (strncmp(p, "true", 4) == 0)
		return p + 4;
	if (strncmp(p, "false", 5) == 0)
		return p + 5;
	if (strncmp(p, "null", 4) == 0)
		return p + 4;
	if (*p == '-' || (*p >= '0' && *p <= '9')) {
		p++;
		while (*p >= '0' && *p <= '9')
			p++;
		return p;
	}
	return NULL;
}

static void assert_valid_json(const char *text)
{
	const char *end = js_value(text);

	if (!end || strcmp(js_ws(end), "") != 0)
		fail_msg("not one JSON value: %s", text);
}

/* ---- tests ---- */

static void test_json_empty(void **state)
{
	struct status *st = status_new(0);
	char *j = json_of(st);

	assert_string_equal(j, "{\"version\":1,\"interfaces\":[],\"shared_rules\":[],"
			       "\"orphan_rules\":[],\"summary\":{\"ok\":true,"
			       "\"managed_interfaces\":0,\"families\":0,\"in_sync\":0,\"drift\":0,"
			       "\"unknown\":0,\"orphan_rules\":0}}\n");
	assert_valid_json(j);
	free(j);
	status_del(st);
}

static void test_json_one_in_sync(void **state)
{
	struct status *st = status_new(1);
	char *j;

	fill_eth0_v4(&st->ifaces[0]);
	st->shared[st->n_shared++] = shared_rule(AF_INET);
	j = json_of(st);
	assert_string_equal(j,
		"{\"version\":1,\"interfaces\":[{\"name\":\"eth0\",\"ifindex\":2,\"managed\":true,"
		"\"families\":[{\"family\":\"ipv4\",\"table\":1000002,\"table_auto\":true,"
		"\"priority\":31100,\"addresses\":[\"198.51.100.10/25\"],"
		"\"gateways\":[\"198.51.100.1\"],"
		"\"rules\":[{\"family\":\"ipv4\",\"priority\":31100,\"from\":\"198.51.100.10\","
		"\"to\":null,\"table\":1000002,\"suppress_prefixlength\":null,\"protocol\":73,"
		"\"ip\":\"priority 31100 from 198.51.100.10 lookup 1000002 proto 73\"}],"
		"\"routes\":[{\"family\":\"ipv4\",\"dst\":\"198.51.100.0/25\",\"gateway\":null,"
		"\"dev\":\"eth0\",\"table\":1000002,\"metric\":0,\"src\":\"198.51.100.10\","
		"\"protocol\":73,\"ip\":\"198.51.100.0/25 dev eth0 table 1000002 proto 73 scope "
		"link src 198.51.100.10 metric 0\"},"
		"{\"family\":\"ipv4\",\"dst\":\"default\",\"gateway\":\"198.51.100.1\","
		"\"dev\":\"eth0\",\"table\":1000002,\"metric\":0,\"src\":null,\"protocol\":73,"
		"\"ip\":\"default via 198.51.100.1 dev eth0 table 1000002 proto 73 metric 0\"}],"
		"\"foreign_routes\":[],\"in_sync\":true,\"drift\":[],\"drift_error\":null,"
		"\"repair\":null}]}],"
		"\"shared_rules\":[{\"family\":\"ipv4\",\"priority\":31000,\"from\":null,"
		"\"to\":null,\"table\":254,\"suppress_prefixlength\":0,\"protocol\":73,"
		"\"ip\":\"priority 31000 from all lookup main suppress_prefixlength 0 proto 73\"}],"
		"\"orphan_rules\":[],\"summary\":{\"ok\":true,\"managed_interfaces\":1,"
		"\"families\":1,\"in_sync\":1,\"drift\":0,\"unknown\":0,\"orphan_rules\":0}}\n");
	assert_valid_json(j);
	assert_true(status_family_in_sync(&st->ifaces[0].fam[0]));
	free(j);
	status_del(st);
}

/* Names and messages with quotes, backslashes and control characters stay one JSON string. */
static void test_json_escaping(void **state)
{
	struct status *st = status_new(1);
	struct status_iface *i = &st->ifaces[0];
	struct status_family *f = &i->fam[1];
	char *j;

	/* The kernel allows any byte but '/', ':', whitespace and NUL in a name. */
	snprintf(i->name, sizeof(i->name), "a\"b\\c\x01\x7f");
	i->ifindex = 7;
	f->family = AF_INET6;
	f->table = 100;
	f->drift_known = false;
	snprintf(f->drift_error, sizeof(f->drift_error), "line one\nline\ttwo \"quoted\" \\");
	j = json_of(st);
	assert_non_null(strstr(j, "\"name\":\"a\\\"b\\\\c\\u0001\\u007f\","));
	assert_non_null(strstr(j, "\"table_auto\":false,\"priority\":null,\"addresses\":[],"
				  "\"gateways\":[],\"rules\":[],\"routes\":[],\"foreign_routes\":[],"
				  "\"in_sync\":null,\"drift\":[],"
				  "\"drift_error\":\"line one\\nline\\ttwo \\\"quoted\\\" \\\\\","
				  "\"repair\":null}"));
	assert_valid_json(j);
	assert_false(status_family_in_sync(f));
	free(j);
	status_del(st);
}

/*
 * A name is bytes, JSON is UTF-8: valid UTF-8 passes as it is, any other byte is written as
 * the Latin-1 character of its value (\u00XX); the document stays valid UTF-8 and JSON.
 */
static void test_json_non_utf8(void **state)
{
	static const struct {
		const char *name, *json;
	} cases[] = {
		{ "eth\xe9", "\"name\":\"eth\\u00e9\"" },			/* Latin-1 é */
		{ "eth\xc3\xa9", "\"name\":\"eth\xc3\xa9\"" },		/* UTF-8 é: kept */
		{ "\xff\xfe", "\"name\":\"\\u00ff\\u00fe\"" },
		{ "a\xc3", "\"name\":\"a\\u00c3\"" },			/* cut sequence */
		{ "\xc0\x80x", "\"name\":\"\\u00c0\\u0080x\"" },		/* overlong NUL */
		{ "\xed\xa0\x80", "\"name\":\"\\u00ed\\u00a0\\u0080\"" },	/* a surrogate */
		{ "\x80\xe2\x82\xac", "\"name\":\"\\u0080\xe2\x82\xac\"" },	/* stray, then € */
		{ "\xf0\x9f\x90\xa7\x1b", "\"name\":\"\xf0\x9f\x90\xa7\\u001b\"" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct status *st = status_new(1);
		char *j;

		snprintf(st->ifaces[0].name, sizeof(st->ifaces[0].name), "%s", cases[i].name);
		st->ifaces[0].ifindex = 3;
		j = json_of(st);
		if (!strstr(j, cases[i].json))
			fail_msg("case %zu: no %s in %s", i, cases[i].json, j);
		assert_true(g_utf8_validate(j, -1, NULL));
		assert_valid_json(j);
		free(j);
		status_del(st);
	}
}

/* Several interfaces: one in sync, one drifted with a foreign route, one not managed; orphans. */
static void test_json_several(void **state)
{
	struct status *st = status_new(3);
	struct status_family *f;
	struct rule orphan = from_rule("203.0.113.99", 1000009);
	char *j, *p0, *p1, *p2;

	fill_eth0_v4(&st->ifaces[0]);

	snprintf(st->ifaces[1].name, sizeof(st->ifaces[1].name), "eth1");
	st->ifaces[1].ifindex = 3;
	f = &st->ifaces[1].fam[0];
	f->family = AF_INET;
	f->table = 1000003;
	f->table_auto = true;
	f->addrs[f->n_addrs++] = A("203.0.113.20/25");
	{
		struct status_route sr = route("default", "203.0.113.5", NULL, "eth1", 3, 1000003);

		assert_int_equal(status_family_add_foreign(f, &sr.r, sr.dev), 0);
	}
	f->foreign[0].r.protocol = RTPROT_STATIC;
	f->drift_known = true;
	f->drift[f->n_drift].kind = OP_ADD_RULE;
	f->drift[f->n_drift++].u.rule = from_rule("203.0.113.20", 1000003);
	f = &st->ifaces[1].fam[1];
	f->family = AF_INET6;
	f->table = 1000003;
	f->table_auto = true;
	f->drift_known = true;
	f->drift[f->n_drift].kind = OP_ADD_ROUTE;
	f->drift[f->n_drift++].u.route = route("default", "2001:db8:b::1", NULL, "eth1", 3,
					       1000003).r;

	snprintf(st->ifaces[2].name, sizeof(st->ifaces[2].name), "eth2");
	st->ifaces[2].ifindex = 4;
	st->orphans[st->n_orphans++] = orphan;

	j = json_of(st);
	assert_valid_json(j);
	p0 = strstr(j, "{\"name\":\"eth0\",\"ifindex\":2,\"managed\":true,");
	p1 = strstr(j, "{\"name\":\"eth1\",\"ifindex\":3,\"managed\":true,");
	p2 = strstr(j, "{\"name\":\"eth2\",\"ifindex\":4,\"managed\":false,\"families\":[]}");
	assert_non_null(p0);
	assert_non_null(p1);
	assert_non_null(p2);
	assert_true(p0 < p1 && p1 < p2);
	assert_non_null(strstr(j, "\"foreign_routes\":[{\"family\":\"ipv4\",\"dst\":\"default\","
				  "\"gateway\":\"203.0.113.5\",\"dev\":\"eth1\",\"table\":1000003,"
				  "\"metric\":0,\"src\":null,\"protocol\":4,"));
	assert_non_null(strstr(j, "\"in_sync\":false,\"drift\":[\"ip -4 rule add priority "
				  "31100 from 203.0.113.20 lookup 1000003 proto 73\"],"
				  "\"drift_error\":null,\"repair\":\"symroute up eth1\"}"));
	assert_non_null(strstr(j, "\"drift\":[\"ip -6 route add default via 2001:db8:b::1 dev "
				  "eth1 table 1000003 proto 73 metric 0\"]"));
	assert_non_null(strstr(j, "\"orphan_rules\":[{\"family\":\"ipv4\",\"priority\":31100,"
				  "\"from\":\"203.0.113.99\",\"to\":null,\"table\":1000009,"));
	/* The summary counts families by in_sync; drift and orphans make it not ok (exit 9). */
	assert_non_null(strstr(j, ",\"summary\":{\"ok\":false,\"managed_interfaces\":2,"
				  "\"families\":3,\"in_sync\":1,\"drift\":2,\"unknown\":0,"
				  "\"orphan_rules\":1}}\n"));
	/* Prefixes that are not host addresses keep their length. */
	st->orphans[0].src = A("203.0.113.0/24");
	free(j);
	j = json_of(st);
	assert_non_null(strstr(j, "\"from\":\"203.0.113.0/24\""));
	free(j);
	status_del(st);
}

static void test_text(void **state)
{
	struct status *st = status_new(2);
	char *t;

	fill_eth0_v4(&st->ifaces[0]);
	snprintf(st->ifaces[1].name, sizeof(st->ifaces[1].name), "eth2");
	st->ifaces[1].ifindex = 4;
	st->ifaces[0].fam[0].drift[0].kind = OP_DEL_RULE;
	st->ifaces[0].fam[0].drift[0].u.rule = from_rule("198.51.100.11", 1000002);
	st->ifaces[0].fam[0].n_drift = 1;
	t = text_of(st);
	assert_string_equal(t,
		"eth0 (ifindex 2)\n"
		"  IPv4: table 1000002, priority 31100: DRIFT, `symroute up eth0` would make 1 "
		"change(s)\n"
		"    addresses: 198.51.100.10/25\n"
		"    gateways: 198.51.100.1\n"
		"    rule  priority 31100 from 198.51.100.10 lookup 1000002 proto 73\n"
		"    route 198.51.100.0/25 dev eth0 table 1000002 proto 73 scope link src "
		"198.51.100.10 metric 0\n"
		"    route default via 198.51.100.1 dev eth0 table 1000002 proto 73 metric 0\n"
		"    would run: ip -4 rule del priority 31100 from 198.51.100.11 lookup 1000002 "
		"proto 73\n"
		"eth2 (ifindex 4): not managed by symroute\n");
	free(t);
	status_del(st);

	st = status_new(0);
	t = text_of(st);
	assert_string_equal(t, "no interface is managed by symroute\n");
	free(t);
	status_del(st);
}

/* The watcher's line and JSON object: running (from its state file), stopped, never started. */
static void test_watcher(void **state)
{
	struct status *st = status_new(0);
	char *t;

	(void)state;
	st->watcher_known = true;
	t = text_of(st);
	assert_string_equal(t, "no interface is managed by symroute\n"
			       "watcher: not running (symroute watch, symroute-watch.service)\n");
	free(t);
	st->has_watcher = true;
	st->watcher.running = true;
	st->watcher.pid = 42;
	st->watcher.since = 1765047600;	/* 2025-12-06 19:00:00 UTC */
	st->watcher.actions = 3;
	st->watcher.last_at = 1765047612;
	snprintf(st->watcher.last, sizeof(st->watcher.last), "eth1 IPv6: up (5 changes)");
	t = text_of(st);
	assert_string_equal(t, "no interface is managed by symroute\n"
			       "watcher: running (pid 42) since 2025-12-06 19:00:00 UTC, 3 actions; "
			       "last: eth1 IPv6: up (5 changes) at 19:00:12\n");
	free(t);
	t = json_of(st);
	assert_non_null(strstr(t, ",\"watcher\":{\"running\":true,\"pid\":42,\"since\":1765047600,"
				  "\"actions\":3,\"last\":\"eth1 IPv6: up (5 changes)\","
				  "\"last_at\":1765047612},\"summary\":"));
	free(t);
	/* A state file whose watcher died: not running, and nothing of it shown. */
	st->watcher.running = false;
	t = json_of(st);
	assert_non_null(strstr(t, ",\"watcher\":{\"running\":false},\"summary\":"));
	free(t);
	status_del(st);
}

/* ---- check's file readers, on files in a temporary directory ---- */

static char tmpdir[PATH_MAX];

static const char *put_file(const char *rel, const char *text)
{
	static char path[PATH_MAX + 64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	return path;
}

static void make_dir(const char *rel)
{
	char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	assert_int_equal(mkdir(path, 0755), 0);
}

static char *in_tmp(const char *rel)
{
	char *path = malloc(PATH_MAX + 64);

	assert_non_null(path);
	snprintf(path, PATH_MAX + 64, "%s/%s", tmpdir, rel);
	return path;
}

static int tmp_setup(void **state)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/symroute-test-status.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int tmp_teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_networkd(void **state)
{
	char *conf = in_tmp("networkd.conf"), *lib = in_tmp("lib.d"), *etc = in_tmp("etc.d");
	struct hostconf_paths p = { .networkd_conf = conf, .networkd_dropins = { lib, etc, NULL } };
	struct hostconf_networkd nd;

	/* Nothing: systemd's defaults. */
	hostconf_networkd_foreign(&p, &nd);
	assert_true(nd.rules);
	assert_true(nd.routes);
	assert_string_equal(nd.rules_from, "default");

	/* Another section's key, a comment, an invalid value: all ignored. */
	put_file("networkd.conf", "[DHCPv4]\nManageForeignRoutes=no\n[Network]\n"
		 "; ManageForeignRoutes=no\n# ManageForeignRoutes=no\nManageForeignRoutes=maybe\n"
		 "  ManageForeignRoutingPolicyRules =  off  \n");
	hostconf_networkd_foreign(&p, &nd);
	assert_false(nd.rules);
	assert_string_equal(nd.rules_from, conf);
	assert_true(nd.routes);
	assert_string_equal(nd.routes_from, "default");

	/* Drop-ins: by name; a later directory's file of the same name masks the earlier one. */
	make_dir("lib.d");
	make_dir("etc.d");
	put_file("lib.d/50-x.conf", "[Network]\nManageForeignRoutes=no\n");
	hostconf_networkd_foreign(&p, &nd);
	assert_false(nd.routes);
	put_file("etc.d/50-x.conf", "[Network]\nManageForeignRoutes=yes\n");
	hostconf_networkd_foreign(&p, &nd);
	assert_true(nd.routes);
	put_file("lib.d/60-y.conf", "[Network]\nManageForeignRoutes=0\nManageForeignRoutes=1\n"
		 "ManageForeignRoutes=No\n");
	put_file("etc.d/40-z.conf", "[Network]\nManageForeignRoutingPolicyRules=yes\n");
	put_file("etc.d/README", "[Network]\nManageForeignRoutes=yes\n");	/* not *.conf */
	hostconf_networkd_foreign(&p, &nd);
	assert_false(nd.routes);	/* 60-y.conf is last by name; its last assignment wins */
	assert_non_null(strstr(nd.routes_from, "/lib.d/60-y.conf"));
	assert_true(nd.rules);		/* networkd.conf first, then the drop-ins: 40-z.conf */
	assert_non_null(strstr(nd.rules_from, "/etc.d/40-z.conf"));
	free(conf);
	free(lib);
	free(etc);
}

static void test_ifupdown(void **state)
{
	char *ifaces = in_tmp("interfaces"), *ifstate = in_tmp("ifstate");
	struct hostconf_paths p = { .ifupdown_interfaces = ifaces, .ifupdown_state = ifstate };
	char where[PATH_MAX + 128];

	assert_false(hostconf_ifupdown_configures(&p, "eth1", where, sizeof(where)));
	make_dir("interfaces.d");
	make_dir("more");
	put_file("interfaces", "auto lo\niface lo inet loopback\n#iface eth2 inet dhcp\n"
		 "iface eth10 inet dhcp\nsource interfaces.d/*\nsource-directory more\n");
	put_file("interfaces.d/eth1",
		 "auto eth1\n\tiface  eth1 inet static\n\taddress 203.0.113.20/25\n");
	put_file("more/eth3", "iface eth3 inet6 auto\n");
	/* run-parts skips names with dots. */
	put_file("more/eth4.disabled", "iface eth4 inet dhcp\n");
	assert_true(hostconf_ifupdown_configures(&p, "eth1", where, sizeof(where)));
	assert_non_null(strstr(where, "iface eth1 in "));
	assert_non_null(strstr(where, "/interfaces.d/eth1 line 2"));
	assert_true(hostconf_ifupdown_configures(&p, "eth3", where, sizeof(where)));
	assert_true(hostconf_ifupdown_configures(&p, "eth10", where, sizeof(where)));
	assert_false(hostconf_ifupdown_configures(&p, "eth2", where, sizeof(where)));
	assert_false(hostconf_ifupdown_configures(&p, "eth4", where, sizeof(where)));
	assert_false(hostconf_ifupdown_configures(&p, "eth", where, sizeof(where)));
	assert_false(hostconf_ifupdown_configures(&p, "lo", where, sizeof(where)));

	/* A file that sources itself ends at the nesting bound. */
	put_file("interfaces.d/loop", "source loop\n");
	assert_false(hostconf_ifupdown_configures(&p, "eth9", where, sizeof(where)));

	put_file("ifstate", "lo=lo\neth5=eth5-home\n");
	assert_true(hostconf_ifupdown_configures(&p, "eth5", where, sizeof(where)));
	assert_non_null(strstr(where, "ifstate lists it"));
	assert_false(hostconf_ifupdown_configures(&p, "eth", where, sizeof(where)));
	free(ifaces);
	free(ifstate);
}

static void test_nm(void **state)
{
	char *dir = in_tmp("nm");
	struct hostconf_paths p = { .nm_devices = dir };

	make_dir("nm");
	/* As NetworkManager 1.42 writes them. */
	put_file("nm/3", "[device]\nmanaged=true\nperm-hw-addr-fake=8A:48:7F:47:66:AC\n"
		 "connection-uuid=5e1f0a57-0000-4000-8000-000000000001\nnm-owned=false\n"
		 "route-metric-default-effective=100\n");
	put_file("nm/5", "[device]\nmanaged=false\n");
	put_file("nm/6", "[dhcp4]\nmanaged=true\n");
	assert_true(hostconf_nm_manages(&p, 3));
	assert_false(hostconf_nm_manages(&p, 5));
	assert_false(hostconf_nm_manages(&p, 6));
	assert_false(hostconf_nm_manages(&p, 7));
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_empty),
		cmocka_unit_test(test_json_one_in_sync),
		cmocka_unit_test(test_json_escaping),
		cmocka_unit_test(test_json_non_utf8),
		cmocka_unit_test(test_json_several),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_watcher),
		cmocka_unit_test_setup_teardown(test_networkd, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_ifupdown, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_nm, tmp_setup, tmp_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
