// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: unit tests of the per-interface knobs: tables by number and name, priorities, bools. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "event.h"
#include "options.h"

/* ---- a private rt_tables directory, removed after the group ---- */

static char tables_dir[64];

static void write_file(const char *rel, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tables_dir, rel);
	f = fopen(path, "we");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static void remove_file(const char *rel)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", tables_dir, rel);
	unlink(path);
}

static int tables_setup(void **state)
{
	char sub[128];

	snprintf(tables_dir, sizeof(tables_dir), "/tmp/symroute-test-options.XXXXXX");
	if (!mkdtemp(tables_dir))
		return -1;
	snprintf(sub, sizeof(sub), "%s/rt_tables.d", tables_dir);
	if (mkdir(sub, 0700) < 0)
		return -1;
	write_file("rt_tables",
		   "#\n"
		   "# reserved values\n"
		   "#\n"
		   "255\tlocal\n"
		   "254\tmain\n"
		   "253\tdefault\n"
		   "0\tunspec\n"
		   "#\n"
		   "# local\n"
		   "#\n"
		   "#1\tinr.ruhep\n"
		   "200 isp1\n"
		   "  201\t isp-two   # the second uplink\n"
		   "# 202 commented\n"
		   "203 #not-a-name\n"
		   "4294967295 top\n"
		   "4294967296 toobig\n");
	write_file("rt_tables.d/uplinks.conf", "1000 isp.three\n2000000 big_table\n");
	write_file("rt_tables.d/ignored.txt", "1001 not_conf\n");
	write_file("rt_tables.d/reserved.conf", "254 main_alias\n");
	options_rt_tables_dir = tables_dir;
	return 0;
}

static int tables_teardown(void **state)
{
	char sub[128];

	remove_file("rt_tables");
	remove_file("rt_tables.d/uplinks.conf");
	remove_file("rt_tables.d/ignored.txt");
	remove_file("rt_tables.d/reserved.conf");
	remove_file("rt_tables.d/hex.conf");
	snprintf(sub, sizeof(sub), "%s/rt_tables.d", tables_dir);
	rmdir(sub);
	rmdir(tables_dir);
	return 0;
}

static uint32_t table_ok(const char *value)
{
	const char *why = NULL;
	uint32_t id = 0;
	int r = options_parse_table(&id, value, &why);

	if (r != 0)
		fail_msg("options_parse_table(\"%s\") = %d (%s), expected 0", value, r,
			 why ? why : "?");
	return id;
}

static void table_bad(const char *value, int err, const char *why_expected)
{
	const char *why = NULL;
	uint32_t id = 12345;
	int r = options_parse_table(&id, value, &why);

	if (r != err)
		fail_msg("options_parse_table(\"%s\") = %d, expected %d", value, r, err);
	assert_int_equal(id, 12345);	/* untouched on error */
	assert_non_null(why);
	if (why_expected)
		assert_string_equal(why, why_expected);
}

static void test_table_numbers(void **state)
{
	assert_int_equal(table_ok("1"), 1);
	assert_int_equal(table_ok("100"), 100);
	assert_int_equal(table_ok("252"), 252);
	assert_int_equal(table_ok("256"), 256);
	assert_int_equal(table_ok("1000003"), 1000003);
	assert_int_equal(table_ok("4294967295"), 4294967295u);

	table_bad("0", -ERANGE, "not a table number from 1 to 4294967295");
	table_bad("4294967296", -ERANGE, "not a table number from 1 to 4294967295");
	table_bad("99999999999999999999999", -EINVAL, "not a table number from 1 to 4294967295");
	table_bad("12abc", -EINVAL, "not a table number from 1 to 4294967295");
	table_bad("12 ", -EINVAL, NULL);
	table_bad(" 12", -EINVAL, "not a table number or name");
}

static void test_table_reserved(void **state)
{
	static const char *const reserved[] = { "253", "254", "255", "main", "local", "default",
						"main_alias" };

	for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		table_bad(reserved[i], -EINVAL, "reserved table (unspec, default, main or local)");
	/* 0 is refused as out of the numeric range; by name it is still reserved. */
	table_bad("0", -ERANGE, NULL);
	table_bad("unspec", -EINVAL, "reserved table (unspec, default, main or local)");
}

static void test_table_names(void **state)
{
	assert_int_equal(table_ok("isp1"), 200);
	assert_int_equal(table_ok("isp-two"), 201);	/* leading blanks, tabs, trailing comment */
	assert_int_equal(table_ok("isp.three"), 1000);	/* rt_tables.d/NAME.conf */
	assert_int_equal(table_ok("big_table"), 2000000);
	assert_int_equal(table_ok("top"), 4294967295u);

	table_bad("not_conf", -ENOENT, "no such table name in rt_tables or rt_tables.d");
	table_bad("commented", -ENOENT, NULL);
	table_bad("inr.ruhep", -ENOENT, NULL);
	table_bad("toobig", -ENOENT, NULL);	/* an id past 32 bits is not a table */
	table_bad("nosuch", -ENOENT, "no such table name in rt_tables or rt_tables.d");
	table_bad("ISP1", -ENOENT, NULL);	/* names are case-sensitive, as in ip */
	table_bad("isp", -ENOENT, NULL);	/* no prefix matching */
	table_bad("", -ENOENT, NULL);	/* an empty name is no name: refused all the same */
	table_bad("bad name", -EINVAL, "not a table number or name");
	table_bad("a/b", -EINVAL, "not a table number or name");
	table_bad("../rt_tables", -EINVAL, "not a table number or name");
}

/* A directory without rt_tables: only rt_tables.d is read. */
static void test_table_names_dir_only(void **state)
{
	char saved[128];

	snprintf(saved, sizeof(saved), "%s/rt_tables.saved", tables_dir);
	{
		char path[128];

		snprintf(path, sizeof(path), "%s/rt_tables", tables_dir);
		assert_int_equal(rename(path, saved), 0);
		assert_int_equal(table_ok("isp.three"), 1000);
		table_bad("isp1", -ENOENT, NULL);
		assert_int_equal(rename(saved, path), 0);
	}
}

static void test_table_hex_ids(void **state)
{
	/* iproute2 reads "0x%x NAME" lines in rt_tables before "%d NAME" ones. */
	write_file("rt_tables.d/hex.conf", "0x100 hexed\n");
	assert_int_equal(table_ok("hexed"), 256);
}

static const char *const priority_why =
	"not a rule priority from 1 to 32765 (it must come before main's 32766)";

static void test_priority(void **state)
{
	const char *why = NULL;
	uint32_t p = 0;

	assert_int_equal(options_parse_priority(&p, "1", &why), 0);
	assert_int_equal(p, 1);
	assert_int_equal(options_parse_priority(&p, "31100", &why), 0);
	assert_int_equal(p, 31100);
	assert_int_equal(options_parse_priority(&p, "32765", &why), 0);
	assert_int_equal(p, 32765);

	p = 7;
	assert_int_equal(options_parse_priority(&p, "0", &why), -ERANGE);
	assert_string_equal(why, priority_why);
	assert_int_equal(options_parse_priority(&p, "32766", &why), -ERANGE);
	assert_int_equal(options_parse_priority(&p, "32767", &why), -ERANGE);
	assert_int_equal(options_parse_priority(&p, "4294967296", &why), -ERANGE);
	assert_int_equal(options_parse_priority(&p, "abc", &why), -EINVAL);
	assert_string_equal(why, priority_why);
	assert_int_equal(options_parse_priority(&p, "-1", &why), -EINVAL);
	assert_int_equal(options_parse_priority(&p, "", &why), -EINVAL);
	assert_int_equal(options_parse_priority(&p, "100 ", &why), -EINVAL);
	assert_int_equal(options_parse_priority(&p, "0x10", &why), -EINVAL);
	assert_int_equal(p, 7);
}

static void test_u32(void **state)
{
	const char *why = NULL;
	uint32_t v = 0;

	assert_int_equal(options_parse_u32(&v, "0", 0, 10, &why), 0);
	assert_int_equal(v, 0);
	assert_int_equal(options_parse_u32(&v, "4294967295", 0, UINT32_MAX, &why), 0);
	assert_int_equal(v, UINT32_MAX);
	assert_int_equal(options_parse_u32(&v, "4294967296", 0, UINT32_MAX, &why), -ERANGE);
	assert_string_equal(why, "out of range");
	assert_int_equal(options_parse_u32(&v, "11", 0, 10, &why), -ERANGE);
	assert_int_equal(options_parse_u32(&v, "4", 5, 10, &why), -ERANGE);
	assert_int_equal(options_parse_u32(&v, "99999999999999999999", 0, UINT32_MAX, &why),
			 -EINVAL);
	assert_string_equal(why, "not a number");
	assert_int_equal(options_parse_u32(&v, "+5", 0, 10, &why), -EINVAL);
	assert_int_equal(options_parse_u32(&v, "5x", 0, 10, &why), -EINVAL);
	assert_int_equal(options_parse_u32(&v, "", 0, 10, &why), -EINVAL);
}

static void test_bools(void **state)
{
	static const char *const yes[] = { "1", "yes", "true", "on", "YES", "True", "On" };
	static const char *const no[] = { "0", "no", "false", "off", "NO", "False", "OFF" };
	static const char *const bad[] = { "", "2", "y", "n", "yes ", " no", "enable", "-1",
					   "oui" };
	const char *why = NULL;
	bool b;

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		b = false;
		assert_int_equal(options_parse_bool(&b, yes[i], &why), 0);
		assert_true(b);
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		b = true;
		assert_int_equal(options_parse_bool(&b, no[i], &why), 0);
		assert_false(b);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		b = true;
		if (options_parse_bool(&b, bad[i], &why) != -EINVAL)
			fail_msg("options_parse_bool(\"%s\") accepted", bad[i]);
		assert_true(b);
		assert_string_equal(why, "not a boolean (yes/no, on/off, true/false, 1/0)");
	}
}

static void test_set_knobs(void **state)
{
	const char *why = NULL;
	struct event ev;

	event_init(&ev, "test");
	assert_int_equal(ev.has, 0);

	assert_int_equal(options_set(&ev, "table", "isp1", &why), 0);
	assert_int_equal(ev.table, 200);
	assert_int_equal(ev.has, EVENT_HAS_TABLE);

	assert_int_equal(options_set(&ev, "priority", "30500", &why), 0);
	assert_int_equal(ev.priority, 30500);
	assert_true(ev.has & EVENT_HAS_PRIORITY);

	assert_int_equal(options_set(&ev, "to-rule", "yes", &why), 0);
	assert_true(ev.to_rule);
	assert_true(ev.has & EVENT_HAS_TO_RULE);

	/* "no" is a value, marked as given: it overrides the config file's default. */
	assert_int_equal(options_set(&ev, "main-default", "no", &why), 0);
	assert_false(ev.main_default);
	assert_true(ev.has & EVENT_HAS_MAIN_DEFAULT);

	assert_int_equal(options_set(&ev, "onlink", "on", &why), 0);
	assert_true(ev.onlink);
	assert_int_equal(ev.has, EVENT_HAS_TABLE | EVENT_HAS_PRIORITY | EVENT_HAS_TO_RULE |
					 EVENT_HAS_MAIN_DEFAULT | EVENT_HAS_ONLINK);
}

static void test_set_bad_values(void **state)
{
	const char *why = NULL;
	struct event ev;

	/*
	 * options.h: -ENOENT is "unknown option" only; every bad value is -EINVAL,
	 * so a front end never mistakes an unknown table name for an unknown knob.
	 * (options_set() once passed the value parsers' -ENOENT and -ERANGE through.)
	 */
	event_init(&ev, "test");
	assert_int_equal(options_set(&ev, "table", "main", &why), -EINVAL);
	assert_string_equal(why, "reserved table (unspec, default, main or local)");
	assert_int_equal(options_set(&ev, "table", "nosuch", &why), -EINVAL);
	assert_string_equal(why, "no such table name in rt_tables or rt_tables.d");
	assert_int_equal(options_set(&ev, "table", "0", &why), -EINVAL);
	assert_int_equal(options_set(&ev, "priority", "32766", &why), -EINVAL);
	assert_int_equal(options_set(&ev, "to-rule", "maybe", &why), -EINVAL);
	assert_int_equal(options_set(&ev, "onlink", NULL, &why), -EINVAL);
	/* A refused value marks nothing as given. */
	assert_int_equal(ev.has, 0);
	assert_int_equal(ev.table, 0);
	assert_int_equal(ev.priority, 0);
}

static void test_set_unknown(void **state)
{
	static const char *const unknown[] = { "tabel", "Table", "table ", "", "gateway", "address",
					       "tab", "to_rule" };
	const char *why = NULL;
	struct event ev;

	event_init(&ev, "test");
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		why = NULL;
		if (options_set(&ev, unknown[i], "1", &why) != -ENOENT)
			fail_msg("options_set(\"%s\") did not say -ENOENT", unknown[i]);
		assert_string_equal(why, "unknown option");
	}
	/*
	 * options.h lists "suppress" among the knobs options_set() takes, but it is a
	 * host-wide setting only (config "suppress", struct event has no field for it):
	 * the header's list is wrong, the behaviour (-ENOENT) is the one pinned here.
	 */
	assert_int_equal(options_set(&ev, "suppress", "no", &why), -ENOENT);
	assert_int_equal(ev.has, 0);
}

/* "Did you mean": typos find their option; other words, and known names, find nothing. */
static void test_suggest(void **state)
{
	static const char *const ifupdown_extra[] = { "gateway", NULL };
	static const char *const nm_extra[] = { "off", "gateway4", "gateway6", NULL };
	static const struct {
		const char *name;
		const char *const *extra;
		const char *want;	/* NULL: no suggestion */
	} cases[] = {
		{ "tabel", NULL, "table" },		/* two letters swapped: one edit */
		{ "tbale", NULL, "table" },
		{ "tble", NULL, "table" },		/* one left out */
		{ "tables", NULL, "table" },		/* one too many */
		{ "prority", NULL, "priority" },
		{ "priorty", NULL, "priority" },
		{ "to_rule", NULL, "to-rule" },		/* a replacement */
		{ "torule", NULL, "to-rule" },
		{ "main-defualt", NULL, "main-default" },
		{ "metirc", NULL, "metric" },
		{ "wieght", NULL, "weight" },
		{ "prefre", NULL, "prefer" },
		{ "rpfilter", NULL, "rp-filter" },
		{ "arp-ignroe", NULL, "arp-ignore" },
		{ "arp-filtre", NULL, "arp-filter" },
		{ "onlnik", NULL, "onlink" },
		{ "gatway", ifupdown_extra, "gateway" },	/* a front end's own name */
		{ "gatway", NULL, NULL },			/* ... only where it has it */
		{ "gateway", ifupdown_extra, NULL },		/* known: not a typo */
		{ "gateway5", nm_extra, "gateway4" },		/* the first of equally near */
		{ "of", nm_extra, NULL },			/* short words: a third, 0 edits */
		{ "table", NULL, NULL },			/* known */
		{ "mtu", NULL, NULL },				/* three edits from "metric" */
		{ "tab", NULL, NULL },				/* two edits, over a third */
		{ "address", NULL, NULL },
		{ "tableid", NULL, "table" },			/* two edits, within a third of 7 */
		{ "", NULL, NULL },
		{ "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", NULL, NULL },	/* too long */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = options_suggest(cases[i].name, cases[i].extra);

		if (!cases[i].want && got)
			fail_msg("'%s': suggested '%s', expected nothing", cases[i].name, got);
		if (cases[i].want && (!got || strcmp(got, cases[i].want) != 0))
			fail_msg("'%s': suggested '%s', expected '%s'", cases[i].name,
				 got ? got : "(nothing)", cases[i].want);
	}
}

/* `proto symroute`: protocol names as ip finds them; the number when none names it. */
static void test_protocol_names(void **state)
{
	static const struct {
		uint8_t number;
		int ret;
		const char *name;
	} cases[] = {
		{ 73, 0, "symroute" },		/* rt_protos */
		{ 201, 0, "overridden" },	/* 0xc9 in rt_protos, then rt_protos.d wins */
		{ 222, 0, "dropin" },		/* rt_protos.d/NAME.conf only */
		{ 77, -ENOENT, "77" },		/* nobody's name: the number */
		{ 78, -ENOENT, "78" },		/* a commented line is no name */
	};
	char sub[128];

	(void)state;
	snprintf(sub, sizeof(sub), "%s/rt_protos.d", tables_dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	write_file("rt_protos", "# names\n73\tsymroute\n0xc9 hexname\n#78 commented\n");
	write_file("rt_protos.d/extra.conf", "222 dropin\n201 overridden\n");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[64];
		int r = options_protocol_name(cases[i].number, buf, sizeof(buf));

		if (r != cases[i].ret || strcmp(buf, cases[i].name) != 0)
			fail_msg("protocol %u: %d '%s', expected %d '%s'", cases[i].number, r, buf,
				 cases[i].ret, cases[i].name);
	}
	remove_file("rt_protos");
	remove_file("rt_protos.d/extra.conf");
	assert_int_equal(rmdir(sub), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_numbers),
		cmocka_unit_test(test_table_reserved),
		cmocka_unit_test(test_table_names),
		cmocka_unit_test(test_table_names_dir_only),
		cmocka_unit_test(test_table_hex_ids),
		cmocka_unit_test(test_priority),
		cmocka_unit_test(test_u32),
		cmocka_unit_test(test_bools),
		cmocka_unit_test(test_set_knobs),
		cmocka_unit_test(test_set_bad_values),
		cmocka_unit_test(test_set_unknown),
		cmocka_unit_test(test_suggest),
		cmocka_unit_test(test_protocol_names),
	};

	return cmocka_run_group_tests(tests, tables_setup, tables_teardown);
}
