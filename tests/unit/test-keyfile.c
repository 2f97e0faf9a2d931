// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Purpose: unit tests of the key file reader (src/keyfile.c), against GLib's GKeyFile itself:
 * the files symroute reads (/etc/symroute.conf, NetworkManager's profiles) must mean to it
 * what they mean to GKeyFile, which NetworkManager and earlier symroute read them with.
 */
#include <errno.h>
#include <glib.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "keyfile.h"
#include "utf8.h"

/* What a reader gets: 1 = accepted, 0 = refused (the whole file). */
static const struct {
	const char *text;
	bool accepted;
	unsigned bad_line;	/* refused: the line named */
} files[] = {
	{ "", true, 0 },
	{ "# only a comment\n\n   \n", true, 0 },
	{ "[symroute]\npriority = 31200\n", true, 0 },
	{ "[symroute]\npriority=31200", true, 0 },			/* no final newline */
	{ "  [symroute]  \n\tpriority\t=\t31200\t\n", true, 0 },	/* blanks around */
	{ "[symroute]\r\npriority = 31200\r\n", true, 0 },		/* CRLF */
	{ "[symroute]\npriority = \n", true, 0 },			/* empty value */
	{ "[symroute]\nkey with spaces = 1\n", true, 0 },
	{ "[symroute]\npriority = 1 = 2\n", true, 0 },			/* '=' in the value */
	{ "[symroute]\ntable[de] = 5\ntable = 6\n", true, 0 },		/* a translation */
	{ "[symroute]\ntable[de_DE.UTF-8@euro] = 5\n", true, 0 },
	{ "[a]\nx = 1\n[b]\ny = 2\n[a]\nz = 3\n", true, 0 },		/* a group reopened */
	{ "[a]\nx = 1\nx = 2\n", true, 0 },				/* the last one wins */
	{ "[interface eth1]\ngateway = 198.51.100.1, 2001:db8::1\n", true, 0 },
	{ "[symroute]\nv = a\\sb\\tc\\nd\\re\\\\f\n", true, 0 },	/* escapes */
	{ "[symroute]\nv = \\s lead and trail \\s\n", true, 0 },
	{ "[symroute]\nv = # not a comment\n", true, 0 },
	{ "[symroute]\n# x = 1\n", true, 0 },
	{ "[symroute]\nv = caf\xc3\xa9\n", true, 0 },			/* UTF-8 */
	{ "[gr\xc3\xbcn]\nv = 1\n", true, 0 },
	{ "[a] \t\nv = 1\n", true, 0 },					/* blanks after ] */
	{ "this is not a key file\n", false, 1 },
	{ "[symroute]\npriority 31200\n", false, 2 },
	{ "priority = 31200\n", false, 1 },				/* no group yet */
	{ "[symroute\n", false, 1 },
	{ "[]\n", false, 1 },
	{ "[a[b]\n", false, 1 },
	{ "[a]b]\n", false, 1 },
	{ "[a] x\n", false, 1 },
	{ "[a\x01]\n", false, 1 },
	{ "[a]\n= 1\n", false, 2 },					/* no key */
	{ "[a]\n  = 1\n", false, 2 },
	{ "[a]\nx] = 1\n", false, 2 },
	{ "[a]\nx[de = 1\n", false, 2 },
	{ "[a]\nx[de]y = 1\n", false, 2 },
	{ "[a]\nx[d e] = 1\n", false, 2 },
	{ "[a]\nx = 1\n\n\ny\n", false, 5 },
};

/* The last item of @key in @group, as GKeyFile keeps it. */
static const struct keyfile_item *last_of(const struct keyfile *kf, unsigned group,
					  const char *key)
{
	const struct keyfile_item *found = NULL;

	for (unsigned i = 0; i < kf->n_items; i++)
		if (kf->items[i].key && kf->items[i].group == group &&
		    strcmp(kf->items[i].key, key) == 0)
			found = &kf->items[i];
	return found;
}

/* Accepted or refused alike; the same groups in the same order, the same keys and values. */
static void test_as_gkeyfile(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		GKeyFile *g = g_key_file_new();
		gboolean g_ok = g_key_file_load_from_data(g, files[i].text, strlen(files[i].text),
							  G_KEY_FILE_NONE, NULL);
		struct keyfile kf;
		unsigned bad_line;
		char why[256] = "";
		int r = keyfile_parse(&kf, files[i].text, strlen(files[i].text), &bad_line, why,
				      sizeof(why));
		gchar **groups;
		gsize n_groups;

		if ((r == 0) != files[i].accepted || (bool)g_ok != files[i].accepted)
			fail_msg("file %zu: keyfile %d (%s), GKeyFile %d, expected %s", i, r, why,
				 g_ok, files[i].accepted ? "accepted" : "refused");
		if (!files[i].accepted) {
			assert_int_equal(r, -EINVAL);
			if (bad_line != files[i].bad_line || !why[0])
				fail_msg("file %zu: refused at line %u (%s), expected line %u", i,
					 bad_line, why, files[i].bad_line);
			keyfile_clear(&kf);
			g_key_file_free(g);
			continue;
		}
		groups = g_key_file_get_groups(g, &n_groups);
		assert_int_equal(n_groups, kf.n_groups);
		for (unsigned k = 0; k < kf.n_groups; k++) {
			gchar **keys = g_key_file_get_keys(g, groups[k], NULL, NULL);
			/* GKeyFile lists a key given twice twice (one value): count each once. */
			GHashTable *distinct = g_hash_table_new(g_str_hash, g_str_equal);
			unsigned n_ours = 0;

			assert_string_equal(groups[k], kf.groups[k]);
			/* Every key GKeyFile keeps, with the value of its last line. */
			for (gchar **key = keys; key && *key; key++) {
				const struct keyfile_item *it = last_of(&kf, k, *key);
				const char *bad = NULL;
				gchar *want;
				char *got;

				if (!g_hash_table_add(distinct, *key))
					continue;
				want = g_key_file_get_string(g, groups[k], *key, NULL);
				if (!it)
					fail_msg("file %zu: [%s] %s: GKeyFile has it, keyfile not", i,
						 groups[k], *key);
				assert_false(keyfile_key_localized(*key));
				got = keyfile_value(it->raw, &bad);
				if (g_strcmp0(want, got) != 0)
					fail_msg("file %zu: [%s] %s: GKeyFile '%s', keyfile '%s' (%s)", i,
						 groups[k], *key, want ? want : "(null)",
						 got ? got : "(null)", bad ? bad : "");
				free(got);
				g_free(want);
				n_ours++;
			}
			/* And no other key but translations, which GKeyFile drops. */
			for (unsigned j = 0; j < kf.n_items; j++) {
				const struct keyfile_item *it = &kf.items[j];

				if (it->key && it->group == k && !keyfile_key_localized(it->key) &&
				    last_of(&kf, k, it->key) == it)
					n_ours--;
			}
			if (n_ours != 0)
				fail_msg("file %zu: [%s]: %d key(s) more in GKeyFile than in keyfile", i,
					 groups[k], (int)n_ours);
			g_hash_table_destroy(distinct);
			g_strfreev(keys);
		}
		g_strfreev(groups);
		keyfile_clear(&kf);
		g_key_file_free(g);
	}
}

/* Values: decoded as g_key_file_get_string() does, refused where it refuses. */
static void test_values(void **state)
{
	/*
	 * An escape GKeyFile does not know, or a final '\\': GLib 2.74 (Debian 12) passed
	 * them on, 2.76 and later (Debian 13) refuse the value, as symroute does on both.
	 */
	static const struct {
		const char *raw, *value;	/* value NULL: refused */
		bool glib_varies;
	} cases[] = {
		{ "", "", false },
		{ "plain", "plain", false },
		{ "a\\sb", "a b", false },
		{ "\\n\\t\\r\\\\", "\n\t\r\\", false },
		{ "\\", NULL, true },
		{ "a\\", NULL, true },
		{ "\\x", NULL, true },
		{ "\\;", NULL, true },
		{ "trailing blanks \t ", "trailing blanks \t ", false },
		{ "caf\xc3\xa9", "caf\xc3\xa9", false },
		{ "\xff", NULL, false },
		{ "\xc3", NULL, false },			/* truncated */
		{ "\xc0\xaf", NULL, false },			/* overlong */
		{ "\xed\xa0\x80", NULL, false },		/* a surrogate */
		{ "\xf4\x90\x80\x80", NULL, false },		/* past U+10FFFF */
		{ "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80", false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		GKeyFile *g = g_key_file_new();
		char *text = g_strdup_printf("[a]\nk = %s\n", cases[i].raw);
		const char *why = NULL;
		char *got = keyfile_value(cases[i].raw, &why);
		gchar *want;

		assert_true(g_key_file_load_from_data(g, text, strlen(text), G_KEY_FILE_NONE, NULL));
		want = g_key_file_get_string(g, "a", "k", NULL);
		if (g_strcmp0(got, cases[i].value) != 0 ||
		    (!cases[i].glib_varies && g_strcmp0(want, cases[i].value) != 0))
			fail_msg("case %zu: keyfile '%s' (%s), GKeyFile '%s', expected '%s'", i,
				 got ? got : "(null)", why ? why : "", want ? want : "(null)",
				 cases[i].value ? cases[i].value : "(null)");
		if (!got)
			assert_non_null(why);
		free(got);
		g_free(want);
		g_free(text);
		g_key_file_free(g);
	}
}

/* A NUL byte is no text: refused, naming no line (GKeyFile's own reading varies). */
static void test_nul_refused(void **state)
{
	static const char text[] = "[a]\nk = 1\0\n";
	struct keyfile kf;
	unsigned bad_line;
	char why[128];

	(void)state;
	assert_int_equal(keyfile_parse(&kf, text, sizeof(text) - 1, &bad_line, why, sizeof(why)),
			 -EINVAL);
	assert_non_null(strstr(why, "NUL"));
	keyfile_clear(&kf);
}

/* Thousands of groups and keys: each group once, lines and order kept. */
static void test_many(void **state)
{
	GString *text = g_string_new(NULL);
	struct keyfile_seen seen = { 0 };
	struct keyfile kf;
	unsigned bad_line, v;
	char why[128];

	(void)state;
	for (unsigned i = 0; i < 5000; i++)
		g_string_append_printf(text, "[g%u]\nk%u = %u\n", i % 2500, i, i);
	assert_int_equal(keyfile_parse(&kf, text->str, text->len, &bad_line, why, sizeof(why)), 0);
	assert_int_equal(kf.n_groups, 2500);
	assert_int_equal(kf.n_items, 10000);
	assert_string_equal(kf.groups[1234], "g1234");
	assert_int_equal(kf.items[9999].line, 10000);
	assert_int_equal(kf.items[9999].group, 4999 % 2500);
	keyfile_clear(&kf);
	g_string_free(text, TRUE);

	/* The set: the number noted first is the one found later. */
	for (unsigned i = 0; i < 3000; i++) {
		static char names[3000][8];

		snprintf(names[i], sizeof(names[i]), "n%u", i);
		v = i;
		assert_int_equal(keyfile_seen(&seen, i % 3, names[i], &v), 0);
		v = 0;
		assert_int_equal(keyfile_seen(&seen, i % 3, names[i], &v), 1);
		assert_int_equal(v, i);
	}
	v = 7;
	assert_int_equal(keyfile_seen(&seen, 1, "n0", &v), 0);	/* another group */
	keyfile_seen_clear(&seen);
}

/* utf8_char_len(): RFC 3629's table, byte by byte. */
static void test_utf8(void **state)
{
	static const struct {
		const char *bytes;
		size_t avail, len;
	} cases[] = {
		{ "a", 1, 1 }, { "\x7f", 1, 1 },
		{ "\xc2\x80", 2, 2 }, { "\xdf\xbf", 2, 2 }, { "\xc1\xbf", 2, 0 }, { "\xc2", 1, 0 },
		{ "\xe0\xa0\x80", 3, 3 }, { "\xe0\x9f\xbf", 3, 0 }, { "\xed\x9f\xbf", 3, 3 },
		{ "\xed\xa0\x80", 3, 0 }, { "\xef\xbf\xbf", 3, 3 }, { "\xe2\x82", 2, 0 },
		{ "\xf0\x90\x80\x80", 4, 4 }, { "\xf0\x8f\xbf\xbf", 4, 0 },
		{ "\xf4\x8f\xbf\xbf", 4, 4 }, { "\xf4\x90\x80\x80", 4, 0 }, { "\xf5\x80\x80\x80", 4, 0 },
		{ "\x80", 1, 0 }, { "\xbf", 1, 0 }, { "\xfe", 1, 0 }, { "\xc3\x28", 2, 0 },
		{ "\xc3\xa9", 1, 0 },	/* the buffer ends inside it */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = utf8_char_len((const unsigned char *)cases[i].bytes, cases[i].avail);
		gboolean glib_valid = g_utf8_validate_len(cases[i].bytes, cases[i].avail, NULL) &&
				      cases[i].avail == (cases[i].len ? cases[i].len : 0);

		if (n != cases[i].len)
			fail_msg("case %zu: %zu, expected %zu", i, n, cases[i].len);
		/* GLib agrees wherever the case is one whole character. */
		if (cases[i].len && !glib_valid)
			fail_msg("case %zu: GLib refuses what is valid", i);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_as_gkeyfile),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_nul_refused),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
