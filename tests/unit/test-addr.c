// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: unit tests of address and prefix parsing, classification and formatting (src/addr.c). */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "addr.h"

/* Parse @text, which must be accepted, and return the result. */
static struct addr parse_ok(const char *text, int family, unsigned flags)
{
	const char *why = NULL;
	struct addr a;
	int r = addr_parse(&a, text, family, flags, &why);

	if (r != 0)
		fail_msg("addr_parse(\"%s\") = %d (%s), expected 0", text, r, why ? why : "?");
	return a;
}

/* Parse @text, which must be refused with @why_expected (NULL: any reason). */
static void parse_bad(const char *text, int family, unsigned flags, const char *why_expected)
{
	const char *why = NULL;
	struct addr a;
	int r = addr_parse(&a, text, family, flags, &why);

	if (r != -EINVAL)
		fail_msg("addr_parse(\"%s\") = %d, expected -EINVAL", text, r);
	assert_non_null(why);
	if (why_expected)
		assert_string_equal(why, why_expected);
}

static const char *fmt(const struct addr *a, bool with_plen)
{
	static char buf[ADDR_STRLEN];

	return addr_format(a, with_plen, buf);
}

static void test_parse_v4(void **state)
{
	struct addr a = parse_ok("198.51.100.10", AF_INET, 0);
	static const uint8_t want[4] = { 198, 51, 100, 10 };

	assert_int_equal(a.family, AF_INET);
	assert_int_equal(a.plen, 32);
	assert_memory_equal(a.bytes, want, 4);	/* network byte order */

	a = parse_ok("198.51.100.10/24", AF_INET, 0);
	assert_int_equal(a.family, AF_INET);
	assert_int_equal(a.plen, 24);
	assert_memory_equal(a.bytes, want, 4);

	a = parse_ok("0.0.0.0/0", AF_INET, ADDR_NO_HOST_BITS);
	assert_int_equal(a.plen, 0);
	assert_true(addr_is_unspecified(&a));

	/* AF_UNSPEC takes either family. */
	a = parse_ok("203.0.113.20/31", AF_UNSPEC, 0);
	assert_int_equal(a.family, AF_INET);
	assert_int_equal(a.plen, 31);
}

static void test_parse_v6(void **state)
{
	struct addr a = parse_ok("2001:db8::10", AF_INET6, 0);

	assert_int_equal(a.family, AF_INET6);
	assert_int_equal(a.plen, 128);
	assert_int_equal(a.bytes[0], 0x20);
	assert_int_equal(a.bytes[1], 0x01);
	assert_int_equal(a.bytes[2], 0x0d);
	assert_int_equal(a.bytes[3], 0xb8);
	assert_int_equal(a.bytes[15], 0x10);

	a = parse_ok("2001:DB8::10/64", AF_INET6, 0);
	assert_int_equal(a.plen, 64);
	assert_string_equal(fmt(&a, true), "2001:db8::10/64");

	a = parse_ok("fe80::1", AF_UNSPEC, 0);
	assert_int_equal(a.family, AF_INET6);
	a = parse_ok("::/0", AF_INET6, ADDR_NO_HOST_BITS);
	assert_int_equal(a.plen, 0);
}

static void test_parse_family_mismatch(void **state)
{
	parse_bad("2001:db8::1", AF_INET, 0, "not an IPv4 address");
	parse_bad("192.0.2.1", AF_INET6, 0, "not an IPv6 address");
	parse_bad("eth0", AF_UNSPEC, 0, "not an IP address");
}

static void test_parse_strict(void **state)
{
	/* What addr_parse promises: inet_pton's strict forms only, nothing around them. */
	static const char *const bad_v4[] = {
		"1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.04", "0x1.2.3.4", "1.2.3.256", " 1.2.3.4",
		"1.2.3.4 ", "1.2.3.4\n", "+1.2.3.4", "1.2.3.-4", "1..3.4", "localhost", "/24",
	};
	static const char *const bad_v6[] = {
		":::1", "1::2::3", "2001:db8::1%eth0", "2001:db8::g", "[2001:db8::1]", "2001:db8:::/64",
	};

	for (size_t i = 0; i < sizeof(bad_v4) / sizeof(bad_v4[0]); i++)
		parse_bad(bad_v4[i], AF_INET, 0, NULL);
	for (size_t i = 0; i < sizeof(bad_v6) / sizeof(bad_v6[0]); i++)
		parse_bad(bad_v6[i], AF_INET6, 0, NULL);
	parse_bad("", AF_UNSPEC, 0, "empty");
	parse_bad(NULL, AF_UNSPEC, 0, "empty");
	parse_bad("1111:2222:3333:4444:5555:6666:7777:8888/128/128/128/128/128", AF_UNSPEC, 0,
		  "too long for an address");
}

static void test_parse_plen_strict(void **state)
{
	parse_bad("192.0.2.1/", AF_INET, 0, "empty prefix length");
	parse_bad("192.0.2.1/33", AF_INET, 0, "not a prefix length from 0 to 32");
	parse_bad("192.0.2.1/024", AF_INET, 0, "not a prefix length from 0 to 32");
	parse_bad("192.0.2.1/+24", AF_INET, 0, "not a prefix length from 0 to 32");
	parse_bad("192.0.2.1/-1", AF_INET, 0, "not a prefix length from 0 to 32");
	parse_bad("192.0.2.1/24 ", AF_INET, 0, "not a prefix length from 0 to 32");
	parse_bad("192.0.2.1/24/24", AF_INET, 0, "not a prefix length from 0 to 32");
	parse_bad("192.0.2.1/4294967320", AF_INET, 0, "not a prefix length from 0 to 32");
	parse_bad("2001:db8::1/129", AF_INET6, 0, "not a prefix length from 0 to 128");
	/* A dotted netmask is an IPv4 notion. */
	parse_bad("2001:db8::1/255.255.0.0", AF_INET6, 0, "not a prefix length from 0 to 128");
}

static void test_parse_flags(void **state)
{
	struct addr a;

	parse_bad("192.0.2.1", AF_INET, ADDR_PLEN_REQUIRED,
		  "a prefix length (ADDR/PLEN) is required");
	parse_bad("192.0.2.1/24", AF_INET, ADDR_PLEN_FORBIDDEN,
		  "an address without a prefix length is expected");
	a = parse_ok("192.0.2.1/24", AF_INET, ADDR_PLEN_REQUIRED);
	assert_int_equal(a.plen, 24);
	a = parse_ok("192.0.2.1", AF_INET, ADDR_PLEN_FORBIDDEN);
	assert_int_equal(a.plen, 32);

	/* Host bits. */
	parse_bad("192.0.2.1/24", AF_INET, ADDR_NO_HOST_BITS,
		  "host bits set beyond the prefix length");
	parse_bad("192.0.2.128/24", AF_INET, ADDR_NO_HOST_BITS, NULL);
	parse_bad("2001:db8::1/64", AF_INET6, ADDR_NO_HOST_BITS, NULL);
	parse_bad("2001:db8:0:0:8000::/64", AF_INET6, ADDR_NO_HOST_BITS, NULL);
	a = parse_ok("192.0.2.0/24", AF_INET, ADDR_NO_HOST_BITS);
	assert_false(addr_has_host_bits(&a));
	a = parse_ok("192.0.2.128/25", AF_INET, ADDR_NO_HOST_BITS);
	a = parse_ok("2001:db8::/32", AF_INET6, ADDR_NO_HOST_BITS);
	a = parse_ok("192.0.2.1", AF_INET, ADDR_NO_HOST_BITS);	/* a /32 has no host bits */
}

static void test_parse_plen(void **state)
{
	static const struct {
		const char *text;
		uint8_t plen;
	} good[] = {
		{ "0", 0 }, { "8", 8 }, { "24", 24 }, { "32", 32 },
		{ "255.255.255.0", 24 }, { "255.255.255.255", 32 }, { "0.0.0.0", 0 },
		{ "255.255.255.254", 31 }, { "255.255.128.0", 17 }, { "128.0.0.0", 1 },
	};
	static const char *const bad[] = {
		"255.0.255.0", "255.255.255.1", "0.255.255.255", "255.255.254.255", "255.255.255",
		"24.0", "255.255.255.0/", "33", "-1", "abc", " 24", "024", "0x18",
	};
	const char *why;
	uint8_t plen;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		plen = 99;
		why = NULL;
		if (addr_parse_plen(&plen, good[i].text, AF_INET, &why) != 0)
			fail_msg("addr_parse_plen(\"%s\") refused: %s", good[i].text, why);
		assert_int_equal(plen, good[i].plen);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		if (addr_parse_plen(&plen, bad[i], AF_INET, &why) != -EINVAL)
			fail_msg("addr_parse_plen(\"%s\") accepted", bad[i]);
		assert_non_null(why);
	}
	assert_int_equal(addr_parse_plen(&plen, "255.0.255.0", AF_INET, &why), -EINVAL);
	assert_string_equal(why, "not a contiguous IPv4 netmask");
	assert_int_equal(addr_parse_plen(&plen, "", AF_INET, &why), -EINVAL);
	assert_string_equal(why, "empty prefix length");
	assert_int_equal(addr_parse_plen(&plen, NULL, AF_INET, &why), -EINVAL);

	assert_int_equal(addr_parse_plen(&plen, "128", AF_INET6, &why), 0);
	assert_int_equal(plen, 128);
	assert_int_equal(addr_parse_plen(&plen, "64", AF_INET6, &why), 0);
	assert_int_equal(plen, 64);
	assert_int_equal(addr_parse_plen(&plen, "129", AF_INET6, &why), -EINVAL);
	assert_int_equal(addr_parse_plen(&plen, "33", AF_INET, &why), -EINVAL);
	assert_int_equal(addr_parse_plen(&plen, "ffff:ffff::", AF_INET6, &why), -EINVAL);

	/* The netmask form through addr_parse. */
	{
		struct addr a = parse_ok("192.0.2.1/255.255.255.0", AF_INET, 0);

		assert_int_equal(a.plen, 24);
		a = parse_ok("192.0.2.1/255.255.255.0", AF_UNSPEC, 0);
		assert_int_equal(a.plen, 24);
		parse_bad("192.0.2.1/255.0.255.0", AF_INET, 0, "not a contiguous IPv4 netmask");
	}
}

static void test_network_and_host_bits(void **state)
{
	struct addr a = parse_ok("198.51.100.10/24", AF_INET, 0);
	struct addr n = addr_network(&a);

	assert_string_equal(fmt(&n, true), "198.51.100.0/24");
	assert_true(addr_has_host_bits(&a));
	assert_false(addr_has_host_bits(&n));

	a = parse_ok("198.51.100.200/25", AF_INET, 0);
	n = addr_network(&a);
	assert_string_equal(fmt(&n, true), "198.51.100.128/25");
	a = parse_ok("198.51.100.255/0", AF_INET, 0);
	n = addr_network(&a);
	assert_string_equal(fmt(&n, true), "0.0.0.0/0");
	a = parse_ok("198.51.100.255/32", AF_INET, 0);
	n = addr_network(&a);
	assert_string_equal(fmt(&n, true), "198.51.100.255/32");
	assert_false(addr_has_host_bits(&a));

	a = parse_ok("2001:db8:1:2:3:4:5:6/64", AF_INET6, 0);
	n = addr_network(&a);
	assert_string_equal(fmt(&n, true), "2001:db8:1:2::/64");
	a = parse_ok("2001:db8:1:2:3:4:5:6/61", AF_INET6, 0);
	n = addr_network(&a);
	assert_string_equal(fmt(&n, true), "2001:db8:1::/61");
	a = parse_ok("2001:db8:1:ffff::1/127", AF_INET6, 0);
	n = addr_network(&a);
	assert_string_equal(fmt(&n, true), "2001:db8:1:ffff::/127");
	/* The bytes past an IPv4 address stay zero, so memcmp-based identity holds. */
	a = parse_ok("10.1.2.3/8", AF_INET, 0);
	memset(a.bytes + 4, 0xaa, 12);
	n = addr_network(&a);
	for (size_t i = 4; i < 16; i++)
		assert_int_equal(n.bytes[i], 0);
}

static void test_in_prefix(void **state)
{
	struct addr net = parse_ok("198.51.100.10/24", AF_INET, 0);	/* host bits ignored */
	struct addr in = parse_ok("198.51.100.1", AF_INET, 0);
	struct addr edge = parse_ok("198.51.100.255", AF_INET, 0);
	struct addr out = parse_ok("198.51.101.1", AF_INET, 0);
	struct addr v6 = parse_ok("2001:db8::1", AF_INET6, 0);
	struct addr net6 = parse_ok("2001:db8::10/64", AF_INET6, 0);
	struct addr out6 = parse_ok("2001:db8:0:1::1", AF_INET6, 0);
	struct addr all = parse_ok("0.0.0.0/0", AF_INET, 0);
	struct addr host = parse_ok("198.51.100.1/32", AF_INET, 0);

	assert_true(addr_in_prefix(&net, &in));
	assert_true(addr_in_prefix(&net, &edge));
	assert_false(addr_in_prefix(&net, &out));
	assert_false(addr_in_prefix(&net, &v6));	/* another family is never inside */
	assert_true(addr_in_prefix(&net6, &v6));
	assert_false(addr_in_prefix(&net6, &out6));
	assert_true(addr_in_prefix(&all, &out));
	assert_true(addr_in_prefix(&host, &in));
	assert_false(addr_in_prefix(&host, &edge));

	net = parse_ok("203.0.113.20/31", AF_INET, 0);
	in = parse_ok("203.0.113.21", AF_INET, 0);
	out = parse_ok("203.0.113.22", AF_INET, 0);
	assert_true(addr_in_prefix(&net, &in));
	assert_false(addr_in_prefix(&net, &out));
}

/* Host number k of a prefix: the neighbours check and narrow mode look up (issue 19). */
static void test_nth_host(void **state)
{
	static const struct {
		const char *net;
		unsigned k;
		const char *host;	/* NULL: outside the prefix */
	} rows[] = {
		{ "203.0.113.0/24", 1, "203.0.113.1" },
		{ "203.0.113.0/24", 255, "203.0.113.255" },
		{ "203.0.113.0/24", 256, NULL },
		{ "198.51.100.0/23", 256, "198.51.101.0" },	/* the carry into the next byte */
		{ "203.0.113.20/31", 1, "203.0.113.21" },
		{ "203.0.113.20/31", 2, NULL },
		{ "2001:db8:1::/64", 9, "2001:db8:1::9" },
		{ "2001:db8:1::ff/128", 1, NULL },
		{ "255.255.255.254/31", 2, NULL },	/* past the end of the address space */
	};
	char text[ADDR_STRLEN];

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct addr net = parse_ok(rows[i].net, AF_UNSPEC, 0), host;
		bool ok = addr_nth_host(&net, rows[i].k, &host);

		if (ok != (rows[i].host != NULL))
			fail_msg("%s host %u: %s", rows[i].net, rows[i].k,
				 ok ? "inside, expected outside" : "outside, expected inside");
		if (!ok)
			continue;
		assert_string_equal(addr_format(&host, false, text), rows[i].host);
		assert_int_equal(host.plen, net.family == AF_INET ? 32 : 128);
	}
}

static void test_format_round_trip(void **state)
{
	static const char *const texts[] = {
		"198.51.100.10/24", "0.0.0.0/0", "255.255.255.255/32", "10.0.0.1/8",
		"2001:db8::10/64", "::/0", "::1/128", "fe80::1/64", "::ffff:192.0.2.1/128",
		"2001:db8:1:2:3:4:5:6/128", "2001:db8::/32",
	};
	char buf[ADDR_STRLEN];

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct addr a = parse_ok(texts[i], AF_UNSPEC, 0), b;
		const char *why;

		assert_string_equal(addr_format(&a, true, buf), texts[i]);
		assert_int_equal(addr_parse(&b, buf, AF_UNSPEC, 0, &why), 0);
		assert_int_equal(addr_cmp(&a, &b), 0);
		/* Without the prefix length, the bare address parses back to the same IP. */
		addr_format(&a, false, buf);
		assert_null(strchr(buf, '/'));
		assert_int_equal(addr_parse(&b, buf, AF_UNSPEC, ADDR_PLEN_FORBIDDEN, &why), 0);
		assert_true(addr_same_ip(&a, &b));
	}
	{
		struct addr none = { 0 };

		assert_string_equal(addr_format(&none, true, buf), "none");
		assert_false(addr_is_set(&none));
	}
	{
		/* The longest text there is fits ADDR_STRLEN. */
		struct addr a = parse_ok("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255/128",
					 AF_INET6, 0);

		addr_format(&a, true, buf);
		assert_true(strlen(buf) < ADDR_STRLEN);
		assert_string_equal(buf, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128");
	}
}

static void test_compare(void **state)
{
	struct addr a = parse_ok("192.0.2.1/24", AF_INET, 0);
	struct addr b = parse_ok("192.0.2.1/25", AF_INET, 0);
	struct addr c = parse_ok("192.0.2.2/24", AF_INET, 0);
	struct addr d = parse_ok("2001:db8::1/24", AF_INET6, 0);

	assert_true(addr_same_ip(&a, &b));
	assert_false(addr_same_ip(&a, &c));
	assert_false(addr_same_ip(&a, &d));
	assert_int_equal(addr_cmp(&a, &a), 0);
	assert_int_equal(addr_cmp(&a, &b), -1);
	assert_int_equal(addr_cmp(&b, &a), 1);
	assert_int_equal(addr_cmp(&a, &c), -1);
	assert_int_equal(addr_cmp(&c, &a), 1);
	assert_int_equal(addr_cmp(&a, &d), -1);	/* AF_INET < AF_INET6 */
	assert_int_equal(addr_family_len(AF_INET), 4);
	assert_int_equal(addr_family_len(AF_INET6), 16);
	assert_int_equal(addr_family_len(AF_UNSPEC), 0);
}

static bool classify(const char *text, bool (*pred)(const struct addr *))
{
	struct addr a = parse_ok(text, AF_UNSPEC, 0);

	return pred(&a);
}

static void test_classifiers(void **state)
{
	assert_true(classify("224.0.0.1", addr_is_multicast));
	assert_true(classify("239.255.255.255", addr_is_multicast));
	assert_false(classify("223.255.255.255", addr_is_multicast));
	assert_false(classify("240.0.0.1", addr_is_multicast));
	assert_true(classify("ff02::1", addr_is_multicast));
	assert_false(classify("fe80::1", addr_is_multicast));

	assert_true(classify("255.255.255.255", addr_is_v4_broadcast));
	assert_false(classify("255.255.255.254", addr_is_v4_broadcast));
	assert_false(classify("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", addr_is_v4_broadcast));

	assert_true(classify("::ffff:192.0.2.1", addr_is_v4_mapped));
	assert_false(classify("::192.0.2.1", addr_is_v4_mapped));	/* compatible, not mapped */
	assert_false(classify("192.0.2.1", addr_is_v4_mapped));
	assert_false(classify("2001:db8::ffff:c000:201", addr_is_v4_mapped));

	assert_true(classify("169.254.1.1", addr_is_link_local));
	assert_false(classify("169.253.1.1", addr_is_link_local));
	assert_true(classify("fe80::1", addr_is_link_local));
	assert_true(classify("febf::1", addr_is_link_local));
	assert_false(classify("fec0::1", addr_is_link_local));	/* site-local */
	assert_false(classify("2001:db8::1", addr_is_link_local));

	assert_true(classify("127.0.0.1", addr_is_loopback));
	assert_true(classify("127.255.0.1", addr_is_loopback));
	assert_false(classify("128.0.0.1", addr_is_loopback));
	assert_true(classify("::1", addr_is_loopback));
	assert_false(classify("::2", addr_is_loopback));
	assert_false(classify("::", addr_is_loopback));

	assert_true(classify("0.0.0.0", addr_is_unspecified));
	assert_true(classify("::", addr_is_unspecified));
	assert_false(classify("0.0.0.1", addr_is_unspecified));
	assert_false(classify("::1", addr_is_unspecified));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_v4),
		cmocka_unit_test(test_parse_v6),
		cmocka_unit_test(test_parse_family_mismatch),
		cmocka_unit_test(test_parse_strict),
		cmocka_unit_test(test_parse_plen_strict),
		cmocka_unit_test(test_parse_flags),
		cmocka_unit_test(test_parse_plen),
		cmocka_unit_test(test_network_and_host_bits),
		cmocka_unit_test(test_in_prefix),
		cmocka_unit_test(test_nth_host),
		cmocka_unit_test(test_format_round_trip),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_classifiers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
