// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: unit tests of the host-wide config file: every key, refusals and their log lines. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <glib.h>

#include "config.h"
#include "event.h"
#include "log.h"

#ifndef CONFIG_FIXTURE_DIR
#define CONFIG_FIXTURE_DIR "tests/fixtures/config"
#endif

/* ---- captured log lines ---- */

#define LOG_CAPTURE_MAX 8

static struct {
	unsigned n;
	int priority[LOG_CAPTURE_MAX];
	char msg[LOG_CAPTURE_MAX][1024];
} logged;

static void capture(int priority, const char *msg)
{
	if (logged.n < LOG_CAPTURE_MAX) {
		logged.priority[logged.n] = priority;
		snprintf(logged.msg[logged.n], sizeof(logged.msg[0]), "%s", msg);
	}
	logged.n++;
}

static int capture_start(void **state)
{
	memset(&logged, 0, sizeof(logged));
	log_set_sink(capture);
	return 0;
}

static int capture_stop(void **state)
{
	log_set_sink(NULL);
	return 0;
}

/* Exactly one line was logged, at @priority, and it reads @text. */
static void assert_one_line(int priority, const char *text)
{
	if (logged.n != 1)
		fail_msg("%u lines logged, expected 1 (first: %s)", logged.n,
			 logged.n ? logged.msg[0] : "none");
	assert_int_equal(logged.priority[0], priority);
	assert_string_equal(logged.msg[0], text);
}

static const char *fixture(const char *name)
{
	static char path[512];

	snprintf(path, sizeof(path), "%s/%s", CONFIG_FIXTURE_DIR, name);
	return path;
}

/* ---- a temporary file for one-off contents ---- */

static char tmp_path[64];

static const char *tmp_config(const char *text)
{
	int fd;
	size_t len = strlen(text);

	snprintf(tmp_path, sizeof(tmp_path), "/tmp/symroute-test-config.XXXXXX");
	fd = mkstemp(tmp_path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	assert_int_equal(close(fd), 0);
	return tmp_path;
}

static void tmp_remove(void)
{
	unlink(tmp_path);
}

/* ---- tests ---- */

static void test_defaults(void **state)
{
	struct config cfg;

	memset(&cfg, 0xa5, sizeof(cfg));
	config_defaults(&cfg);
	assert_int_equal(cfg.protocol, CONFIG_DEFAULT_PROTOCOL);
	assert_int_equal(cfg.protocol, 73);
	assert_int_equal(cfg.table_base, 1000000);
	assert_int_equal(cfg.priority, 31100);
	assert_int_equal(cfg.suppress_priority, 31000);
	assert_true(cfg.suppress);
	assert_false(cfg.to_rule);
	assert_true(cfg.main_default);
	assert_int_equal(cfg.fallback_metric_base, 1000000);
	assert_int_equal(cfg.lock_timeout_ms, 10000);
	assert_false(cfg.narrow);
	assert_int_equal(cfg.subnet_priority, 30900);
	/*
	 * Shared-subnet rules before the shared rule, which comes before the per-address
	 * rules, all before main's 32766.
	 */
	assert_true(cfg.subnet_priority < cfg.suppress_priority);
	assert_true(cfg.suppress_priority < cfg.priority);
	assert_true(cfg.priority < 32766);
}

static void test_every_key(void **state)
{
	struct config cfg;

	config_defaults(&cfg);
	assert_int_equal(config_load(&cfg, fixture("every-key.conf"), true), 0);
	assert_int_equal(logged.n, 0);
	assert_int_equal(cfg.protocol, 201);
	assert_int_equal(cfg.table_base, 2000000);
	assert_int_equal(cfg.priority, 30100);
	assert_int_equal(cfg.suppress_priority, 30000);
	assert_int_equal(cfg.subnet_priority, 29900);
	assert_false(cfg.suppress);
	assert_true(cfg.to_rule);
	assert_false(cfg.main_default);
	assert_int_equal(cfg.fallback_metric_base, 5000);
	assert_int_equal(cfg.lock_timeout_ms, 2500);
	assert_true(cfg.narrow);
}

/*
 * Two configurations that read the same: every setting, and the [interface NAME] groups in
 * use. The room after them is never read, and config_defaults() leaves it as it is.
 */
static void assert_config_equal(const struct config *a, const struct config *b)
{
	assert_memory_equal(a, b, offsetof(struct config, ifaces));
	if (a->n_ifaces)
		assert_memory_equal(a->ifaces, b->ifaces, a->n_ifaces * sizeof(a->ifaces[0]));
}

static void test_missing_file(void **state)
{
	struct config cfg, def;
	const char *path = "/nonexistent/symroute-test/symroute.conf";

	config_defaults(&def);
	config_defaults(&cfg);
	/* No config file is the common case: defaults, silently. */
	assert_int_equal(config_load(&cfg, path, false), 0);
	assert_int_equal(logged.n, 0);
	assert_config_equal(&cfg, &def);

	/* Asked for by name (--config): an error naming the file. */
	assert_true(config_load(&cfg, path, true) < 0);
	assert_int_equal(logged.n, 1);
	assert_int_equal(logged.priority[0], LOG_ERR);
	assert_int_equal(strncmp(logged.msg[0], path, strlen(path)), 0);
	assert_int_equal(strncmp(logged.msg[0] + strlen(path), ": ", 2), 0);
	assert_non_null(strstr(logged.msg[0], "No such file"));
}

static void test_empty_and_comments(void **state)
{
	struct config cfg, def;

	config_defaults(&def);
	config_defaults(&cfg);
	assert_int_equal(config_load(&cfg, fixture("comments-only.conf"), true), 0);
	assert_config_equal(&cfg, &def);
	assert_int_equal(config_load(&cfg, tmp_config(""), true), 0);
	tmp_remove();
	assert_config_equal(&cfg, &def);
	assert_int_equal(config_load(&cfg, tmp_config("[symroute]\n"), true), 0);
	tmp_remove();
	assert_config_equal(&cfg, &def);
	assert_int_equal(logged.n, 0);
}

static void test_unknown_key(void **state)
{
	struct config cfg;
	char want[1200];
	const char *path = fixture("unknown-key.conf");

	config_defaults(&cfg);
	assert_int_equal(config_load(&cfg, path, true), -EINVAL);
	snprintf(want, sizeof(want), "%s line 3: [symroute] tabel-base: unknown key (did you mean "
		 "table-base?)", path);
	assert_one_line(LOG_ERR, want);
}

static void test_unknown_section(void **state)
{
	struct config cfg, def;
	char want[1200];
	const char *path = fixture("unknown-section.conf");

	config_defaults(&def);
	config_defaults(&cfg);
	assert_int_equal(config_load(&cfg, path, true), -EINVAL);
	snprintf(want, sizeof(want), "%s line 4: unknown section [global] (expected [symroute] or "
		 "[interface NAME])", path);
	assert_one_line(LOG_ERR, want);
	/* Sections are checked before any key is read: nothing was applied. */
	assert_config_equal(&cfg, &def);
}

static void test_bad_value(void **state)
{
	struct config cfg;
	char want[1200];
	const char *path = fixture("bad-priority.conf");

	config_defaults(&cfg);
	assert_int_equal(config_load(&cfg, path, true), -EINVAL);
	snprintf(want, sizeof(want),
		 "%s line 2: [symroute] priority='32766': not a rule priority from 1 to 32765 "
		 "(it must come before main's 32766)", path);
	assert_one_line(LOG_ERR, want);
	assert_int_equal(cfg.priority, CONFIG_DEFAULT_PRIORITY);
}

/* Each key's bounds: the line names the key and the value as written. */
static void test_bad_values_each_key(void **state)
{
	static const struct {
		const char *text;	/* the file */
		const char *line;	/* the log line after "PATH: " */
	} cases[] = {
		{ "[symroute]\nprotocol = 0\n", "protocol='0': not a protocol number from 1 to 255" },
		{ "[symroute]\nprotocol = 256\n", "protocol='256': not a protocol number from 1 to 255" },
		{ "[symroute]\nprotocol = static\n", "protocol='static': not a protocol number from 1 to 255" },
		{ "[symroute]\ntable-base = 255\n", "table-base='255': out of range" },
		{ "[symroute]\ntable-base = 2147483648\n",
		  "table-base='2147483648': out of range" },
		{ "[symroute]\ntable-base = -1\n", "table-base='-1': not a number" },
		{ "[symroute]\nsuppress-priority = 0\n",
		  "suppress-priority='0': not a rule priority from 1 to 32765 "
		  "(it must come before main's 32766)" },
		{ "[symroute]\nsuppress = maybe\n",
		  "suppress='maybe': not a boolean (yes/no, on/off, true/false, 1/0)" },
		{ "[symroute]\nto-rule = 2\n",
		  "to-rule='2': not a boolean (yes/no, on/off, true/false, 1/0)" },
		{ "[symroute]\nmain-default =\n",
		  "main-default='': not a boolean (yes/no, on/off, true/false, 1/0)" },
		{ "[symroute]\nfallback-metric-base = 0\n",
		  "fallback-metric-base='0': out of range" },
		{ "[symroute]\nlock-timeout-ms = 600001\n",
		  "lock-timeout-ms='600001': out of range" },
		{ "[symroute]\nlock-timeout-ms = 10s\n", "lock-timeout-ms='10s': not a number" },
		{ "[symroute]\nnarrow = sometimes\n",
		  "narrow='sometimes': not a boolean (yes/no, on/off, true/false, 1/0)" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct config cfg;
		char want[1200];
		const char *path = tmp_config(cases[i].text);
		int r;

		memset(&logged, 0, sizeof(logged));
		config_defaults(&cfg);
		r = config_load(&cfg, path, true);
		tmp_remove();
		if (r != -EINVAL)
			fail_msg("case %zu (%s) = %d, expected -EINVAL", i, cases[i].line, r);
		snprintf(want, sizeof(want), "%s line 2: [symroute] %s", path, cases[i].line);
		assert_one_line(LOG_ERR, want);
	}
}

static void test_bounds_accepted(void **state)
{
	struct config cfg;

	config_defaults(&cfg);
	assert_int_equal(config_load(&cfg, tmp_config("[symroute]\n"
						      "protocol=255\n"
						      "table-base=2147483647\n"
						      "priority=32765\n"
						      "suppress-priority=1\n"
						      "fallback-metric-base=1\n"
						      "lock-timeout-ms=0\n"), true), 0);
	tmp_remove();
	assert_int_equal(logged.n, 0);
	assert_int_equal(cfg.protocol, 255);
	assert_int_equal(cfg.table_base, 0x7fffffff);
	assert_int_equal(cfg.priority, 32765);
	assert_int_equal(cfg.suppress_priority, 1);
	assert_int_equal(cfg.fallback_metric_base, 1);
	assert_int_equal(cfg.lock_timeout_ms, 0);

	/* Blanks around the value are not part of it. */
	config_defaults(&cfg);
	assert_int_equal(config_load(&cfg, tmp_config("[symroute]\npriority =   30001   \n"
						      "suppress=  Off\t\n"), true), 0);
	tmp_remove();
	assert_int_equal(cfg.priority, 30001);
	assert_false(cfg.suppress);
}

/*
 * The owner tag must never be a number someone else tags routes with: symroute treats what
 * carries it as its own (a down would delete an OSPF route tagged 188). One row per user:
 * linux/rtnetlink.h RTPROT_*, iproute2's rt_protos, FRR's zebra/rt_netlink.h.
 */
static const struct {
	const char *value;
	const char *user;	/* NULL: accepted */
} protocol_table[] = {
	{ "1", "redirect" }, { "2", "the kernel" }, { "3", "boot" }, { "4", "static" },
	{ "8", "gated" }, { "9", "(ra)" }, { "10", "MRT" }, { "11", "zebra" }, { "12", "BIRD" },
	{ "13", "dnrouted" }, { "14", "XORP" }, { "15", "ntk" }, { "16", "DHCP" },
	{ "17", "mrouted" }, { "18", "keepalived" }, { "42", "babeld" }, { "99", "Open/R" },
	{ "186", "bgpd" }, { "187", "isisd" }, { "188", "ospfd" }, { "189", "ripd" },
	{ "190", "ripngd" }, { "191", "nhrpd" }, { "192", "eigrpd" }, { "193", "ldpd" },
	{ "194", "sharpd" }, { "195", "pbrd" }, { "196", "zstatic" }, { "197", "openfabric" },
	{ "198", "srte" },
	{ "5", NULL }, { "7", NULL }, { "19", NULL }, { "73", NULL }, { "185", NULL },
	{ "199", NULL }, { "201", NULL }, { "255", NULL },
};

static void test_protocol_of_others_refused(void **state)
{
	for (size_t i = 0; i < sizeof(protocol_table) / sizeof(protocol_table[0]); i++) {
		struct config cfg;
		char text[64], expect[64];
		int r;

		snprintf(text, sizeof(text), "[symroute]\nprotocol = %s\n", protocol_table[i].value);
		config_defaults(&cfg);
		memset(&logged, 0, sizeof(logged));
		r = config_load(&cfg, tmp_config(text), true);
		tmp_remove();
		if (!protocol_table[i].user) {
			if (r != 0)
				fail_msg("protocol %s refused: %s", protocol_table[i].value,
					 logged.n ? logged.msg[0] : "?");
			assert_int_equal(cfg.protocol, atoi(protocol_table[i].value));
			continue;
		}
		if (r != -EINVAL)
			fail_msg("protocol %s (%s) accepted", protocol_table[i].value,
				 protocol_table[i].user);
		assert_int_equal(cfg.protocol, CONFIG_DEFAULT_PROTOCOL);
		assert_int_equal(logged.n, 1);
		snprintf(expect, sizeof(expect), "protocol='%s': a protocol number ",
			 protocol_table[i].value);
		if (!strstr(logged.msg[0], expect) || !strstr(logged.msg[0], protocol_table[i].user))
			fail_msg("protocol %s: '%s' does not name '%s'", protocol_table[i].value,
				 logged.msg[0], protocol_table[i].user);
	}
}

/* GKeyFile turns the two characters "\n" of a value into a newline: the message escapes it. */
static void test_error_is_one_line(void **state)
{
	struct config cfg;
	char want[1200];
	const char *path = tmp_config("[symroute]\npriority = 30000\\nsymroute: forged line\n");
	int r;

	config_defaults(&cfg);
	r = config_load(&cfg, path, true);
	snprintf(want, sizeof(want), "%s line 2: [symroute] priority='30000\\nsymroute: forged "
		 "line': not a rule priority from 1 to 32765 (it must come before main's 32766)",
		 path);
	tmp_remove();
	assert_int_equal(r, -EINVAL);
	assert_one_line(LOG_ERR, want);
}

static void test_not_a_keyfile(void **state)
{
	struct config cfg;
	const char *path = fixture("not-a-keyfile.conf");

	config_defaults(&cfg);
	assert_int_equal(config_load(&cfg, path, true), -EINVAL);
	/* GLib words the reason; the line starts with the file's name. */
	assert_int_equal(logged.n, 1);
	assert_int_equal(logged.priority[0], LOG_ERR);
	assert_int_equal(strncmp(logged.msg[0], path, strlen(path)), 0);

	/* Even a missing-is-fine load refuses a file that is there but unreadable as one. */
	memset(&logged, 0, sizeof(logged));
	assert_int_equal(config_load(&cfg, path, false), -EINVAL);
	assert_int_equal(logged.n, 1);

	/* A directory is not a config file. */
	memset(&logged, 0, sizeof(logged));
	assert_true(config_load(&cfg, CONFIG_FIXTURE_DIR, false) < 0);
	assert_int_equal(logged.n, 1);
}

/* Settings are obeyed only from a regular file of root's that nobody else may write. */
static void test_untrusted_file(void **state)
{
	struct config cfg, def;
	char want[1200], dir[] = "/tmp/symroute-test-config-dir.XXXXXX", fifo[1100], link[1100];
	const char *path = tmp_config("[symroute]\npriority = 31200\n");

	config_defaults(&def);
	config_defaults(&cfg);
	assert_int_equal(chmod(path, 0666), 0);
	assert_int_equal(config_load(&cfg, path, false), -EINVAL);
	snprintf(want, sizeof(want), "%s: writable by group or others (mode 0666): refusing its "
		 "settings (chmod go-w %s)", path, path);
	assert_one_line(LOG_ERR, want);
	assert_config_equal(&cfg, &def);

	memset(&logged, 0, sizeof(logged));
	assert_int_equal(chmod(path, 0620), 0);
	assert_int_equal(config_load(&cfg, path, true), -EINVAL);
	assert_int_equal(logged.n, 1);
	assert_non_null(strstr(logged.msg[0], "writable by group or others (mode 0620)"));

	/* 0644 and 0600 are fine, and so is a symbolic link to such a file. */
	memset(&logged, 0, sizeof(logged));
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(config_load(&cfg, path, true), 0);
	assert_int_equal(cfg.priority, 31200);
	assert_non_null(mkdtemp(dir));
	snprintf(link, sizeof(link), "%s/link.conf", dir);
	assert_int_equal(symlink(path, link), 0);
	assert_int_equal(config_load(&cfg, link, true), 0);
	assert_int_equal(logged.n, 0);

	/* Another user's file: refused (the check needs root to give the file away). */
	if (geteuid() == 0) {
		assert_int_equal(chown(path, 65534, 65534), 0);
		config_defaults(&cfg);
		assert_int_equal(config_load(&cfg, path, false), -EINVAL);
		snprintf(want, sizeof(want), "%s: owned by uid 65534, not by root: refusing its "
			 "settings", path);
		assert_one_line(LOG_ERR, want);
		assert_config_equal(&cfg, &def);
	}

	/* A FIFO is not waited on, it is refused. */
	memset(&logged, 0, sizeof(logged));
	snprintf(fifo, sizeof(fifo), "%s/fifo.conf", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(config_load(&cfg, fifo, false), -EINVAL);
	snprintf(want, sizeof(want), "%s: not a regular file", fifo);
	assert_one_line(LOG_ERR, want);

	unlink(fifo);
	unlink(link);
	rmdir(dir);
	tmp_remove();
}

/* GKeyFile would keep the last of two lines for one key: refused, naming both lines. */
static void test_duplicate_key(void **state)
{
	struct config cfg, def;
	char want[1200];
	const char *path;

	config_defaults(&def);
	config_defaults(&cfg);
	path = tmp_config("# priority = 1\n[symroute]\npriority = 31200\nnarrow = yes\n"
			  "\n  priority=31201\n");
	assert_int_equal(config_load(&cfg, path, true), -EINVAL);
	snprintf(want, sizeof(want), "%s line 6: [symroute] priority: given twice (first on "
		 "line 3)", path);
	tmp_remove();
	assert_one_line(LOG_ERR, want);
	assert_config_equal(&cfg, &def);

	/* The group opened twice is still one group. */
	memset(&logged, 0, sizeof(logged));
	path = tmp_config("[symroute]\nnarrow = yes\n# again\n[symroute]\nnarrow = no\n");
	assert_int_equal(config_load(&cfg, path, true), -EINVAL);
	snprintf(want, sizeof(want), "%s line 5: [symroute] narrow: given twice (first on "
		 "line 2)", path);
	tmp_remove();
	assert_one_line(LOG_ERR, want);

	/* Different keys, comments naming a key: fine. */
	memset(&logged, 0, sizeof(logged));
	path = tmp_config("[symroute]\n# narrow = no\nnarrow = yes\npriority = 31200\n");
	assert_int_equal(config_load(&cfg, path, true), 0);
	tmp_remove();
	assert_int_equal(logged.n, 0);
	assert_true(cfg.narrow);
}

/*
 * GKeyFile loaded with G_KEY_FILE_NONE drops "KEY[LOCALE]=" lines of other locales before
 * g_key_file_get_keys() sees them; the line scan sees every key, so this one is refused as
 * unknown like any other.
 */
static void test_localized_key_refused(void **state)
{
	struct config cfg;
	char want[1200];
	const char *path = tmp_config("[symroute]\npriority[de] = 30000\n");

	config_defaults(&cfg);
	assert_int_equal(config_load(&cfg, path, true), -EINVAL);
	snprintf(want, sizeof(want), "%s line 2: [symroute] priority[de]: unknown key", path);
	tmp_remove();
	assert_one_line(LOG_ERR, want);
}

static void test_suppress_order_warning(void **state)
{
	struct config cfg;
	char want[1200];
	const char *path = fixture("suppress-after.conf");

	config_defaults(&cfg);
	/* Allowed (the admin may want it), but said. */
	assert_int_equal(config_load(&cfg, path, true), 0);
	assert_int_equal(cfg.priority, 30000);
	assert_int_equal(cfg.suppress_priority, 30500);
	snprintf(want, sizeof(want),
		 "%s: suppress-priority 30500 is not before priority 30000: routes in main that "
		 "are more specific will not win over the per-interface defaults", path);
	assert_one_line(LOG_WARNING, want);
}


/*
 * Shared-subnet rules must come before the suppress rule (issue 19): a suppress-priority moved
 * down alone takes them along; one placed by hand after it is allowed but said.
 */
static void test_subnet_priority_order(void **state)
{
	struct config cfg;
	char want[1200];
	const char *path;

	config_defaults(&cfg);
	assert_int_equal(config_load(&cfg, tmp_config("[symroute]\nsuppress-priority = 30500\n"),
				     true), 0);
	tmp_remove();
	assert_int_equal(logged.n, 0);
	assert_int_equal(cfg.subnet_priority, 30499);

	config_defaults(&cfg);
	path = tmp_config("[symroute]\nsubnet-priority = 31000\n");
	assert_int_equal(config_load(&cfg, path, true), 0);
	snprintf(want, sizeof(want), "%s: subnet-priority 31000 is not before suppress-priority "
		 "31000: an address whose subnet another interface shares answers that subnet by "
		 "the other interface", path);
	tmp_remove();
	assert_int_equal(cfg.subnet_priority, 31000);
	assert_one_line(LOG_WARNING, want);
}

/* ---- [interface NAME] groups ---- */

/* Load @text, expecting success and no message. */
static void load_ok(struct config *cfg, const char *text)
{
	int r;

	config_defaults(cfg);
	memset(&logged, 0, sizeof(logged));
	r = config_load(cfg, tmp_config(text), true);
	tmp_remove();
	if (r != 0 || logged.n)
		fail_msg("%s: %d, %s", text, r, logged.n ? logged.msg[0] : "nothing logged");
}

static void test_iface_every_key(void **state)
{
	const struct config_iface *g;
	struct config cfg;
	char text[64];

	load_ok(&cfg, "[symroute]\npriority = 31200\n"
		      "[interface eth1]\n"
		      "gateway = 198.51.100.1, 2001:db8:1::1\n"
		      "table = 100\npriority = 200\nto-rule = yes\nmain-default = no\n"
		      "onlink = yes\nmetric = 50\nweight = 3\n"
		      "prefer = 192.0.2.0/24 2001:db8:9::/48\nrp-filter = loose\n"
		      "arp-ignore = yes\narp-announce = on\narp-filter = 1\noff = no\n"
		      "[interface eth2]\noff = yes\n");
	assert_int_equal(cfg.priority, 31200);
	assert_int_equal(cfg.n_ifaces, 2);
	assert_null(config_iface_find(&cfg, "eth3"));
	assert_null(config_iface_find(&cfg, "eth"));
	g = config_iface_find(&cfg, "eth1");
	assert_non_null(g);
	assert_string_equal(g->name, "eth1");
	assert_int_equal(g->line, 3);
	assert_int_equal(g->has, EVENT_HAS_TABLE | EVENT_HAS_PRIORITY | EVENT_HAS_TO_RULE |
				 EVENT_HAS_MAIN_DEFAULT | EVENT_HAS_ONLINK | EVENT_HAS_METRIC |
				 EVENT_HAS_WEIGHT | EVENT_HAS_PREFER | EVENT_HAS_RP_FILTER |
				 EVENT_HAS_ARP_IGNORE | EVENT_HAS_ARP_ANNOUNCE |
				 EVENT_HAS_ARP_FILTER);
	assert_int_equal(g->gateways, EVENT_V4 | EVENT_V6);
	assert_string_equal(addr_format(&g->gateway[0], false, text), "198.51.100.1");
	assert_string_equal(addr_format(&g->gateway[1], false, text), "2001:db8:1::1");
	assert_int_equal(g->table, 100);
	assert_int_equal(g->priority, 200);
	assert_true(g->to_rule);
	assert_false(g->main_default);
	assert_true(g->onlink);
	assert_int_equal(g->metric, 50);
	assert_int_equal(g->weight, 3);
	assert_int_equal(g->n_prefer, 2);
	assert_string_equal(addr_format(&g->prefer[1], true, text), "2001:db8:9::/48");
	assert_true(g->rp_loose && g->arp_ignore && g->arp_announce && g->arp_filter);
	assert_false(g->off);
	g = config_iface_find(&cfg, "eth2");
	assert_non_null(g);
	assert_int_equal(g->line, 18);
	assert_true(g->off);
	assert_int_equal(g->has, 0);
	assert_int_equal(g->gateways, 0);
}

/* Every refusal names the file, the line, the group and the key; one line, -EINVAL. */
static void test_iface_refused(void **state)
{
	static const struct {
		const char *text;	/* the file */
		const char *line;	/* the log line after "PATH " */
	} cases[] = {
		/* keys: only the per-interface ones, as a stanza spells them without symroute- */
		{ "[interface eth1]\ntabel = 5\n",
		  "line 2: [interface eth1] tabel: unknown key (did you mean table?)" },
		{ "[interface eth1]\nsymroute-table = 5\n",
		  "line 2: [interface eth1] symroute-table: unknown key" },
		{ "[interface eth1]\nprotocol = 80\n",
		  "line 2: [interface eth1] protocol: unknown key" },
		{ "[interface eth1]\nsuppress = no\n",
		  "line 2: [interface eth1] suppress: unknown key" },
		{ "[interface eth1]\ntable[de] = 5\n",
		  "line 2: [interface eth1] table[de]: unknown key" },
		{ "[interface eth1]\n\n# x\ntable = 5\ntable = 6\n",
		  "line 5: [interface eth1] table: given twice (first on line 4)" },
		/* values: checked as the stanza's and the profile's are */
		{ "[interface eth1]\ntable = 0\n",
		  "line 2: [interface eth1] table='0': not a table number from 1 to 4294967295" },
		{ "[interface eth1]\ntable = 254\n",
		  "line 2: [interface eth1] table='254': reserved table (unspec, default, main or "
		  "local)" },
		{ "[interface eth1]\npriority = 32766\n",
		  "line 2: [interface eth1] priority='32766': not a rule priority from 1 to 32765 "
		  "(it must come before main's 32766)" },
		{ "[interface eth1]\nto-rule = maybe\n",
		  "line 2: [interface eth1] to-rule='maybe': not a boolean (yes/no, on/off, "
		  "true/false, 1/0)" },
		{ "[interface eth1]\nmetric = 0\n",
		  "line 2: [interface eth1] metric='0': not a route metric from 1 to 2147483647" },
		{ "[interface eth1]\nweight = 257\n",
		  "line 2: [interface eth1] weight='257': not a next-hop weight from 1 to 256" },
		{ "[interface eth1]\nprefer = 192.0.2.1/24\n",
		  "line 2: [interface eth1] prefer='192.0.2.1/24': host bits set beyond the prefix "
		  "length" },
		{ "[interface eth1]\nrp-filter = strict\n",
		  "line 2: [interface eth1] rp-filter='strict': not an rp_filter choice (loose or "
		  "keep)" },
		{ "[interface eth1]\noff = sometimes\n",
		  "line 2: [interface eth1] off='sometimes': not a boolean (yes/no, on/off, "
		  "true/false, 1/0)" },
		{ "[interface eth1]\ngateway =\n",
		  "line 2: [interface eth1] gateway='': no gateway (an address, or one IPv4 and one "
		  "IPv6 address)" },
		{ "[interface eth1]\ngateway = 198.51.100.1/24\n",
		  "line 2: [interface eth1] gateway='198.51.100.1/24': an address without a prefix "
		  "length is expected" },
		{ "[interface eth1]\ngateway = 198.51.100.1, 198.51.100.2\n",
		  "line 2: [interface eth1] gateway='198.51.100.1, 198.51.100.2': a second gateway "
		  "for the same family" },
		{ "[interface eth1]\ngateway = 198.51.100.300\n",
		  "line 2: [interface eth1] gateway='198.51.100.300': not an IP address" },
		{ "[interface eth1]\ntable = \xff\n",
		  "line 2: [interface eth1] table: unreadable value (not UTF-8)" },
		/* groups: ours only, a valid interface name, once */
		{ "[interface eth1]\ntable = 5\n[interface eth2]\n[interface eth1]\n",
		  "line 4: [interface eth1]: given twice (first on line 1)" },
		{ "[interface]\n",
		  "line 1: unknown section [interface] (expected [symroute] or [interface NAME])" },
		{ "[symroute]\n[Interface eth1]\n",
		  "line 2: unknown section [Interface eth1] (expected [symroute] or "
		  "[interface NAME])" },
		{ "[interface ]\n", "line 1: [interface ]: empty interface name" },
		{ "[interface eth1:1]\n",
		  "line 1: [interface eth1:1]: interface names cannot hold '/', ':', spaces or "
		  "control characters" },
		{ "[interface eth 1]\n",
		  "line 1: [interface eth 1]: interface names cannot hold '/', ':', spaces or "
		  "control characters" },
		{ "[interface abcdefghijklmnop]\n",
		  "line 1: [interface abcdefghijklmnop]: interface name longer than 15 characters" },
		{ "[interface all]\n",
		  "line 1: [interface all]: not an interface name: 'all' and 'default' are the "
		  "kernel's host-wide settings" },
		/* the first mistake of the file is the one named */
		{ "[interface eth1]\ntable = 0\n[symroute]\npriority = 0\n",
		  "line 4: [symroute] priority='0': not a rule priority from 1 to 32765 (it must "
		  "come before main's 32766)" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct config cfg;
		char want[1200];
		const char *path = tmp_config(cases[i].text);
		int r;

		memset(&logged, 0, sizeof(logged));
		config_defaults(&cfg);
		r = config_load(&cfg, path, true);
		tmp_remove();
		if (r != -EINVAL)
			fail_msg("case %zu (%s) = %d, expected -EINVAL", i, cases[i].line, r);
		snprintf(want, sizeof(want), "%s %s", path, cases[i].line);
		assert_one_line(LOG_ERR, want);
	}
}

/* A bounded array: the last group that fits is kept, one more is refused by its line. */
static void test_iface_limit(void **state)
{
	GString *text = g_string_new(NULL);
	struct config cfg;
	char want[1200];
	const char *path;

	for (unsigned i = 0; i < CONFIG_MAX_IFACES; i++)
		g_string_append_printf(text, "[interface up%u]\ntable = %u\n", i, 1000 + i);
	load_ok(&cfg, text->str);
	assert_int_equal(cfg.n_ifaces, CONFIG_MAX_IFACES);
	assert_int_equal(config_iface_find(&cfg, "up255")->table, 1255);
	g_string_append(text, "[interface one-more]\n");
	path = tmp_config(text->str);
	memset(&logged, 0, sizeof(logged));
	config_defaults(&cfg);
	assert_int_equal(config_load(&cfg, path, true), -EINVAL);
	snprintf(want, sizeof(want), "%s line %u: [interface one-more]: more than 256 "
		 "[interface NAME] groups", path, 2 * CONFIG_MAX_IFACES + 1);
	tmp_remove();
	assert_one_line(LOG_ERR, want);
	g_string_free(text, TRUE);
}

/*
 * config_resolve(): what the event sets (command line, stanza, profile, lease) wins; the
 * group fills the rest; what neither sets stays unset for [symroute] and the built-ins.
 */
static void test_iface_resolve(void **state)
{
	static const char conf[] = "[interface eth1]\n"
				   "gateway = 198.51.100.1, 2001:db8:1::1\n"
				   "table = 100\npriority = 200\nmain-default = yes\n"
				   "prefer = 192.0.2.0/24\nrp-filter = loose\n"
				   "[interface eth2]\noff = yes\ntable = 102\n";
	enum { NONE = 0, TABLE7 = 1, GW4 = 2, V6ONLY = 4, HAS_OFF = 8, DOWN = 16, NM = 32 };
	static const struct {
		const char *ifname;
		unsigned event;			/* what the front end set */
		uint32_t table;			/* after: 0 = unset */
		uint32_t priority;		/* after: 0 = unset */
		unsigned gateways;		/* after */
		const char *gw4;		/* after, when the IPv4 bit is set */
		enum event_action action;	/* after */
		bool main_default_set, main_default;
	} cases[] = {
		/* `symroute up eth1` or a lease: the group fills table, priority, gateways */
		{ "eth1", NONE, 100, 200, EVENT_V4 | EVENT_V6, "198.51.100.1", EVENT_UP, true, true },
		/* `-t 7` or symroute-table 7: the event's own */
		{ "eth1", TABLE7, 7, 200, EVENT_V4 | EVENT_V6, "198.51.100.1", EVENT_UP, true, true },
		/* the lease's router (or --gateway) wins for its family; IPv6 still filled */
		{ "eth1", GW4, 100, 200, EVENT_V4 | EVENT_V6, "198.51.100.254", EVENT_UP, true, true },
		/* a family the event does not touch gets no gateway */
		{ "eth1", V6ONLY, 100, 200, EVENT_V6, NULL, EVENT_UP, true, true },
		/* NetworkManager's own main-default (no) stays: its profile decides */
		{ "eth1", NM, 100, 200, EVENT_V4 | EVENT_V6, "198.51.100.1", EVENT_UP, true, false },
		/* another interface: nothing */
		{ "eth3", NONE, 0, 0, 0, NULL, EVENT_UP, false, false },
		/* off: a hook's up becomes a down, with the group's settings (its table) */
		{ "eth2", NONE, 102, 0, 0, NULL, EVENT_DOWN, false, false },
		{ "eth2", DOWN, 102, 0, 0, NULL, EVENT_DOWN, false, false },
		/* ... unless the event said on itself (a stanza's `symroute on`, `up` by hand) */
		{ "eth2", HAS_OFF, 102, 0, 0, NULL, EVENT_UP, false, false },
	};
	struct config cfg;

	load_ok(&cfg, conf);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct event ev;
		const char *why = NULL;
		char text[ADDR_STRLEN];

		event_init(&ev, "test");
		assert_int_equal(event_set_ifname(&ev, cases[i].ifname, &why), 0);
		ev.action = (cases[i].event & DOWN) ? EVENT_DOWN : EVENT_UP;
		ev.families = (cases[i].event & V6ONLY) ? EVENT_V6 : EVENT_V4 | EVENT_V6;
		if (cases[i].event & TABLE7) {
			ev.table = 7;
			ev.has |= EVENT_HAS_TABLE;
		}
		if (cases[i].event & GW4) {
			assert_int_equal(addr_parse(&ev.gateway[0], "198.51.100.254", AF_INET,
						    ADDR_PLEN_FORBIDDEN, &why), 0);
			ev.gateways_given |= EVENT_V4;
		}
		if (cases[i].event & HAS_OFF)
			ev.has |= EVENT_HAS_OFF;
		if (cases[i].event & NM) {
			ev.main_default = false;
			ev.has |= EVENT_HAS_MAIN_DEFAULT;
		}
		memset(&logged, 0, sizeof(logged));
		config_resolve(&cfg, &ev);
		if (ev.action != cases[i].action)
			fail_msg("case %zu: action %d, expected %d", i, ev.action, cases[i].action);
		assert_int_equal((ev.has & EVENT_HAS_TABLE) ? ev.table : 0, cases[i].table);
		assert_int_equal((ev.has & EVENT_HAS_PRIORITY) ? ev.priority : 0,
				 cases[i].priority);
		assert_int_equal(ev.gateways_given, cases[i].gateways);
		if (cases[i].gw4)
			assert_string_equal(addr_format(&ev.gateway[0], false, text), cases[i].gw4);
		assert_int_equal(!!(ev.has & EVENT_HAS_MAIN_DEFAULT), cases[i].main_default_set);
		if (cases[i].main_default_set)
			assert_int_equal(ev.main_default, cases[i].main_default);
		if (strcmp(cases[i].ifname, "eth1") == 0) {
			assert_true(ev.has & EVENT_HAS_PREFER);
			assert_int_equal(ev.n_prefer, 1);
			assert_string_equal(addr_format(&ev.prefer[0], true, text), "192.0.2.0/24");
			assert_true((ev.has & EVENT_HAS_RP_FILTER) && ev.rp_loose);
		}
		/* The group's off said once, at the level a hook's log keeps. */
		if (strcmp(cases[i].ifname, "eth2") == 0 && !(cases[i].event & DOWN))
			assert_int_equal(logged.n, 1);
	}
}

/*
 * GKeyFile has no inline comments: the value keeps "# note". The message says so instead of
 * "not a number" (and the line stays refused: symroute.conf(5), THE CONFIGURATION FILE).
 */
static void test_inline_comment(void **state)
{
	struct config cfg;
	char want[1200];
	const char *path = tmp_config("[symroute]\n# a comment on its own line is fine\n"
				      "priority=31200 # note\n");

	config_defaults(&cfg);
	assert_int_equal(config_load(&cfg, path, true), -EINVAL);
	snprintf(want, sizeof(want), "%s line 3: [symroute] priority='31200 # note': inline "
		 "comments are "
		 "not allowed (a '#' starts a comment only at the start of a line)", path);
	tmp_remove();
	assert_one_line(LOG_ERR, want);
	assert_int_equal(cfg.priority, CONFIG_DEFAULT_PRIORITY);

	/* A '#' inside a word is no comment: the value's own reason stays. */
	memset(&logged, 0, sizeof(logged));
	path = tmp_config("[symroute]\npriority=31#200\n");
	assert_int_equal(config_load(&cfg, path, true), -EINVAL);
	tmp_remove();
	assert_int_equal(logged.n, 1);
	assert_null(strstr(logged.msg[0], "inline comment"));
}

#define IGNORED_TAIL " (up refuses the file until it is fixed)"

/*
 * The readers and removers (show, status, check, down, flush) read the file leniently:
 * every bad line is one warning naming the file, the line and what is ignored; the good
 * lines still hold (protocol = 80 below: a down must still find objects tagged 80); a file
 * that cannot be used at all leaves the built-in values.
 */
static void test_lenient(void **state)
{
	static const struct {
		const char *text;	/* NULL: no file */
		mode_t mode;
		int ret;
		uint8_t protocol;	/* what holds afterwards */
		uint32_t priority;
		const char *warning;	/* after "PATH"; NULL: nothing logged */
	} cases[] = {
		{ "[symroute]\nprotocol = 80\npriority = 31200\n", 0644, 0, 80, 31200, NULL },
		{ "[symroute]\nprotocol = 80\npriority = 31200 # note\n", 0644, 1, 80, 31100,
		  " line 3: [symroute] priority='31200 # note': inline comments are not allowed (a '#' "
		  "starts a comment only at the start of a line); ignoring the line: priority "
		  "keeps its built-in value" IGNORED_TAIL },
		{ "[symroute]\nprotocol = 80\n  symroute-tabel = 5\n", 0644, 1, 80, 31100,
		  " line 3: [symroute] symroute-tabel: unknown key; ignoring the line"
		  IGNORED_TAIL },
		{ "[symroute]\npriority = 31200\nprotocol = 80\npriority = 31201\n", 0644, 1, 80,
		  31100, " line 4: [symroute] priority: given twice (first on line 2); ignoring "
		  "both lines: priority keeps its built-in value" IGNORED_TAIL },
		{ "[global]\nx = 1\n[symroute]\nprotocol = 80\n", 0644, 1, 80, 31100,
		  " line 1: unknown section [global] (expected [symroute] or [interface NAME]); "
		  "ignoring the section [global]"
		  IGNORED_TAIL },
		{ "this is not a key file\n", 0644, 1, 73, 31100, NULL },
		{ "[symroute]\nprotocol = 80\n", 0666, 1, 73, 31100,
		  ": writable by group or others (mode 0666): refusing its settings (chmod go-w "
		  "PATH); ignoring the file: every setting keeps its built-in value" IGNORED_TAIL },
		{ NULL, 0, 1, 73, 31100, ": No such file or directory; ignoring the file: every "
		  "setting keeps its built-in value" IGNORED_TAIL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *path = "/nonexistent/symroute-test/symroute.conf";
		char want[1200], tail[1000];
		struct config cfg;
		const char *p;
		int r;

		if (cases[i].text) {
			path = tmp_config(cases[i].text);
			assert_int_equal(chmod(path, cases[i].mode), 0);
		}
		memset(&logged, 0, sizeof(logged));
		config_defaults(&cfg);
		r = config_load_lenient(&cfg, path, true);
		if (r != cases[i].ret)
			fail_msg("case %zu: returned %d, expected %d", i, r, cases[i].ret);
		assert_int_equal(cfg.protocol, cases[i].protocol);
		assert_int_equal(cfg.priority, cases[i].priority);
		if (cases[i].ret == 0) {
			assert_int_equal(logged.n, 0);
		} else {
			/* One warning per bad thing, never an error: the run goes on. */
			assert_int_equal(logged.n, 1);
			assert_int_equal(logged.priority[0], LOG_WARNING);
			assert_int_equal(strncmp(logged.msg[0], path, strlen(path)), 0);
			assert_non_null(strstr(logged.msg[0], IGNORED_TAIL));
		}
		if (cases[i].warning) {
			/* "PATH" in the expected text stands for the file's name. */
			p = strstr(cases[i].warning, "PATH");
			if (p)
				snprintf(tail, sizeof(tail), "%.*s%s%s", (int)(p - cases[i].warning),
					 cases[i].warning, path, p + 4);
			else
				snprintf(tail, sizeof(tail), "%s", cases[i].warning);
			snprintf(want, sizeof(want), "%s%s", path, tail);
			assert_string_equal(logged.msg[0], want);
		}
		if (cases[i].text)
			tmp_remove();
	}

	/* Not named on the command line, no file: silently the built-in values, as strict. */
	{
		struct config cfg, def;

		config_defaults(&def);
		config_defaults(&cfg);
		memset(&logged, 0, sizeof(logged));
		assert_int_equal(config_load_lenient(&cfg, "/nonexistent/symroute.conf", false), 0);
		assert_int_equal(logged.n, 0);
		assert_config_equal(&cfg, &def);
	}
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, capture_start, capture_stop)
	const struct CMUnitTest tests[] = {
		T(test_defaults),
		T(test_every_key),
		T(test_missing_file),
		T(test_empty_and_comments),
		T(test_unknown_key),
		T(test_unknown_section),
		T(test_bad_value),
		T(test_bad_values_each_key),
		T(test_bounds_accepted),
		T(test_protocol_of_others_refused),
		T(test_error_is_one_line),
		T(test_not_a_keyfile),
		T(test_untrusted_file),
		T(test_duplicate_key),
		T(test_localized_key_refused),
		T(test_suppress_order_warning),
		T(test_subnet_priority_order),
		T(test_iface_every_key),
		T(test_iface_refused),
		T(test_iface_limit),
		T(test_iface_resolve),
		T(test_inline_comment),
		T(test_lenient),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
