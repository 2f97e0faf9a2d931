// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Purpose: lease.c's reading of DHCP clients' lease files: dhclient's blocks and dhcpcd's raw
 * replies, one row per case; the choice between the files in temporary directories; and the
 * files real dhclient and dhcpcd wrote (tests/fixtures/lease/README).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "addr.h"
#include "lease.h"
#include "log.h"

/* 2026-12-07 01:35:17 UTC, a second after the fixtures were written. */
#define NOW ((time_t)1796607317)
#define FUTURE "expire 1 2026/12/07 02:35:14;"
#define PAST "expire 1 2026/12/07 01:00:00;"

static char logged[4096];

static void capture(int priority, const char *msg)
{
	if (priority <= LOG_WARNING)
		snprintf(logged + strlen(logged), sizeof(logged) - strlen(logged), "%s\n", msg);
}

static int setup(void **state)
{
	(void)state;
	log_set_sink(capture);
	logged[0] = '\0';
	return 0;
}

/* The expected outcome of a row: the router, or NULL with the error; a warning's piece. */
static void check(const char *what, int r, const struct addr *gw, int want_r, const char *want_gw,
		  const char *warning)
{
	char text[ADDR_STRLEN];

	if (r != want_r)
		fail_msg("%s: returned %d, expected %d (logged: %s)", what, r, want_r, logged);
	if (want_gw && strcmp(addr_format(gw, true, text), want_gw) != 0)
		fail_msg("%s: router %s, expected %s", what, text, want_gw);
	if (warning && !strstr(logged, warning))
		fail_msg("%s: no warning with \"%s\" (logged: %s)", what, warning, logged);
	if (!warning && logged[0])
		fail_msg("%s: unexpected warning: %s", what, logged);
}

/* ---- dhclient ---- */

/* A block of eth1's, leased 203.0.113.29/25 from the server 203.0.113.2. */
#define BLOCK(routers, expire)                                                          \
	"lease {\n  interface \"eth1\";\n  fixed-address 203.0.113.29;\n"              \
	"  option subnet-mask 255.255.255.128;\n" routers "  option dhcp-lease-time 3600;\n" \
	"  " expire "\n}\n"
#define R1 "  option routers 203.0.113.1;\n"
#define R9 "  option routers 203.0.113.9;\n"

static const struct dhclient_row {
	const char *what;
	const char *text;
	int r;
	const char *gw;
	const char *warning;
} dhclient_rows[] = {
	{ "one block", BLOCK(R1, FUTURE), 0, "203.0.113.1/32", NULL },
	{ "several blocks: the last", BLOCK(R1, FUTURE) BLOCK(R9, FUTURE), 0, "203.0.113.9/32", NULL },
	{ "the last expired: the one before", BLOCK(R1, FUTURE) BLOCK(R9, PAST), 0, "203.0.113.1/32",
	  NULL },
	{ "all expired", BLOCK(R1, PAST) BLOCK(R9, PAST), -ENOENT, NULL, NULL },
	{ "expiring now is expired", BLOCK(R1, "expire 1 2026/12/07 01:35:17;"), -ENOENT, NULL, NULL },
	{ "a second later is current", BLOCK(R1, "expire 1 2026/12/07 01:35:18;"), 0,
	  "203.0.113.1/32", NULL },
	{ "expire never", BLOCK(R1, "expire never;"), 0, "203.0.113.1/32", NULL },
	{ "expire epoch (db-time-format local)",
	  BLOCK(R1, "expire epoch 1796610914; # Mon Dec 07 02:35:14 2026"), 0, "203.0.113.1/32", NULL },
	{ "no expire: not a lease", "lease {\n interface \"eth1\";\n" R1 "}\n", -ENOENT, NULL, NULL },
	{ "a month 13: not current", BLOCK(R1, "expire 1 2026/13/07 02:35:14;"), -ENOENT, NULL, NULL },
	{ "29 February of a leap year", BLOCK(R1, "expire 2 2028/02/29 00:00:00;"), 0,
	  "203.0.113.1/32", NULL },
	{ "29 February of another year", BLOCK(R1, "expire 1 2027/02/29 00:00:00;"), -ENOENT, NULL,
	  NULL },
	{ "a weekday 7", BLOCK(R1, "expire 7 2026/12/07 02:35:14;"), -ENOENT, NULL, NULL },
	{ "another interface's, later", BLOCK(R1, FUTURE)
	  "lease {\n interface \"eth2\";\n option routers 198.51.100.1;\n " FUTURE "\n}\n", 0,
	  "203.0.113.1/32", NULL },
	{ "only another interface's",
	  "lease {\n interface \"eth2\";\n option routers 198.51.100.1;\n " FUTURE "\n}\n", -ENOENT,
	  NULL, NULL },
	{ "eth10 is not eth1",
	  "lease {\n interface \"eth10\";\n option routers 198.51.100.1;\n " FUTURE "\n}\n", -ENOENT,
	  NULL, NULL },
	{ "the newest current names no router", BLOCK(R1, FUTURE) BLOCK("", FUTURE), -ENOENT, NULL,
	  NULL },
	{ "an older one without routers", BLOCK("", FUTURE) BLOCK(R1, FUTURE), 0, "203.0.113.1/32",
	  NULL },
	{ "two routers: the first", BLOCK("  option routers 203.0.113.1, 203.0.113.2;\n", FUTURE), 0,
	  "203.0.113.1/32", NULL },
	{ "two routers without a blank", BLOCK("  option routers 203.0.113.3,203.0.113.2;\n", FUTURE),
	  0, "203.0.113.3/32", NULL },
	{ "not an address", BLOCK("  option routers 203.0.113.300;\n", FUTURE), -EINVAL, NULL,
	  "router '203.0.113.300'" },
	{ "a prefix", BLOCK("  option routers 203.0.113.1/25;\n", FUTURE), -EINVAL, NULL,
	  "router '203.0.113.1/25'" },
	{ "an IPv6 address", BLOCK("  option routers 2001:db8::1;\n", FUTURE), -EINVAL, NULL,
	  "router '2001:db8::1'" },
	{ "routers without a value", BLOCK("  option routers;\n", FUTURE), -EINVAL, NULL,
	  "option routers: no address" },
	{ "a comma first", BLOCK("  option routers , 203.0.113.1;\n", FUTURE), -EINVAL, NULL,
	  "option routers: no address" },
	{ "0.0.0.0", BLOCK("  option routers 0.0.0.0;\n", FUTURE), -EINVAL, NULL,
	  "router '0.0.0.0': not a unicast address" },
	{ "224.0.0.1", BLOCK("  option routers 224.0.0.1;\n", FUTURE), -EINVAL, NULL,
	  "router '224.0.0.1': not a unicast address" },
	{ "255.255.255.255", BLOCK("  option routers 255.255.255.255;\n", FUTURE), -EINVAL, NULL,
	  "router '255.255.255.255': not a unicast address" },
	{ "loopback", BLOCK("  option routers 127.0.0.1;\n", FUTURE), -EINVAL, NULL,
	  "router '127.0.0.1': not a unicast address" },
	{ "the leased address", BLOCK("  option routers 203.0.113.29;\n", FUTURE), -EINVAL, NULL,
	  "an address of the interface itself" },
	{ "the subnet's broadcast", BLOCK("  option routers 203.0.113.127;\n", FUTURE), -EINVAL, NULL,
	  "the subnet's broadcast address" },
	{ "a bad router in an older lease is history", BLOCK("  option routers 0.0.0.0;\n", FUTURE)
	  BLOCK(R9, FUTURE), 0, "203.0.113.9/32", NULL },
	{ "quoted strings", "lease {\n interface \"eth1\";\n option routers \"203.0.113.4\";\n"
	  " expire \"1\" \"2026/12/07\" \"02:35:14\";\n}\n", 0, "203.0.113.4/32", NULL },
	{ "a quoted router", "lease {\n interface \"eth1\";\n option routers \"203.0.113.4\";\n "
	  FUTURE "\n}\n", 0, "203.0.113.4/32", NULL },
	{ "an unquoted interface", "lease {\n interface eth1;\n option routers 203.0.113.4;\n " FUTURE
	  "\n}\n", 0, "203.0.113.4/32", NULL },
	{ "an escaped quote", "lease {\n interface \"eth\\\"1\";\n option routers 203.0.113.4;\n "
	  FUTURE "\n}\n", -ENOENT, NULL, NULL },
	{ "comments, tabs, one line", "# written by hand\nlease{interface\t\"eth1\";# eth1\n"
	  "option routers\t203.0.113.5 ;" FUTURE "}# end\n", 0, "203.0.113.5/32", NULL },
	{ "a '#' inside a string", "lease {\n interface \"eth1\";\n option host-name \"a#b\";\n" R1
	  " " FUTURE "\n}\n", 0, "203.0.113.1/32", NULL },
	{ "default-duid and a lease6 block are skipped", "default-duid \"\\000\\001\\000\\001\";\n"
	  "lease6 {\n  interface \"eth1\";\n  ia-na 1a:2b:3c:4d {\n    starts 1;\n  }\n"
	  "  option routers 198.51.100.1;\n}\n" BLOCK(R1, FUTURE), 0, "203.0.113.1/32", NULL },
	{ "a nested block inside a lease", "lease {\n interface \"eth1\";\n x { option routers 9.9.9.9; }\n"
	  R1 " " FUTURE "\n}\n", 0, "203.0.113.1/32", NULL },
	{ "a stray '}'", "}\n}\n" BLOCK(R1, FUTURE), 0, "203.0.113.1/32", NULL },
	{ "truncated mid-block: the block before", BLOCK(R1, FUTURE)
	  "lease {\n  interface \"eth1\";\n  option routers 203.0.113.9;\n  expire never;\n", 0,
	  "203.0.113.1/32", NULL },
	{ "truncated mid-string", BLOCK(R1, FUTURE) "lease {\n interface \"et", 0, "203.0.113.1/32",
	  NULL },
	{ "truncated mid-word", BLOCK(R1, FUTURE) "lease {\n interface \"eth1\";\n option routers 203.0.1",
	  0, "203.0.113.1/32", NULL },
	{ "only a truncated block", "lease {\n interface \"eth1\";\n" R1 " " FUTURE "\n", -ENOENT,
	  NULL, NULL },
	{ "empty", "", -ENOENT, NULL, NULL },
	{ "not a lease file", "\x7f" "ELF\x02\x01\x01{{{;;;\"", -ENOENT, NULL, NULL },
	{ "a word of 300 characters", "lease {\n interface \"eth1\";\n option routers "
	  "203.0.113.11111111111111111111111111111111111111111111111111111111111111111111111111111111"
	  "11111111111111111111111111111111111111111111111111111111111111111111111111111111111111111"
	  "11111111111111111111111111111111111111111111111111111111111111111111111111111111111111111"
	  "111111111111111111111111111111111111111;\n " FUTURE "\n}\n", -EINVAL, NULL,
	  "option routers: no address" },
};

static void test_dhclient_rows(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(dhclient_rows) / sizeof(dhclient_rows[0]); i++) {
		const struct dhclient_row *row = &dhclient_rows[i];
		size_t len = strlen(row->text);
		/* Exactly the text's bytes, no NUL after them: a read past them is an ASan error. */
		char *text = malloc(len ? len : 1);
		struct addr gw = { 0 };
		int r;

		assert_non_null(text);
		memcpy(text, row->text, len);
		logged[0] = '\0';
		r = lease_dhclient_parse(text, len, "eth1", NOW, &gw);
		check(row->what, r, &gw, row->r, row->gw, row->warning);
		free(text);
	}
}

/* A NUL inside a word ends nothing early: "203.0.113.1\0x" is not 203.0.113.1. */
static void test_dhclient_nul(void **state)
{
	static const char text[] = "lease {\n interface \"eth1\";\n option routers 203.0.113.1\0x;\n "
				   FUTURE "\n}\n";
	struct addr gw;

	(void)state;
	assert_int_equal(lease_dhclient_parse(text, sizeof(text) - 1, "eth1", NOW, &gw), -EINVAL);
	assert_non_null(strstr(logged, "option routers: no address"));
}

/* ---- dhcpcd ---- */

/* A BOOTP reply with @opts after the cookie, as dhcpcd writes it: op, yiaddr, cookie, options. */
struct reply {
	unsigned char op;
	unsigned char yiaddr[4];
	bool bad_cookie;
	const char *opts;		/* options, the end option included where the row wants it */
	size_t opts_len;
	size_t cut;			/* when non-zero: only the first @cut bytes */
};

#define OPTS(s) .opts = (s), .opts_len = sizeof(s) - 1
#define LEASED { 203, 0, 113, 29 }
#define MASK25 "\x01\x04\xff\xff\xff\x80"
#define ROUTER1 "\x03\x04\xcb\x00\x71\x01"
#define HOUR "\x33\x04\x00\x00\x0e\x10"
#define ACK "\x35\x01\x05"

static unsigned char *build_reply(const struct reply *rp, size_t *len)
{
	static const unsigned char cookie[4] = { 99, 130, 83, 99 };
	size_t n = 240 + rp->opts_len;
	unsigned char *m = calloc(1, n);

	assert_non_null(m);
	m[0] = rp->op;
	m[1] = 1;	/* Ethernet */
	m[2] = 6;
	memcpy(m + 16, rp->yiaddr, 4);
	memcpy(m + 236, cookie, 4);
	if (rp->bad_cookie)
		m[239] = 0x62;
	memcpy(m + 240, rp->opts, rp->opts_len);
	*len = rp->cut ? rp->cut : n;
	return m;
}

static const struct dhcpcd_row {
	const char *what;
	struct reply reply;
	time_t written;
	int r;
	const char *gw;
	const char *warning;
} dhcpcd_rows[] = {
	{ "an ACK", { 2, LEASED, false, OPTS(ACK MASK25 ROUTER1 HOUR "\xff") }, NOW - 60, 0,
	  "203.0.113.1/32", NULL },
	{ "two routers: the first", { 2, LEASED, false,
	  OPTS(ACK "\x03\x08\xcb\x00\x71\x02\xcb\x00\x71\x01" HOUR "\xff") }, NOW - 60, 0,
	  "203.0.113.2/32", NULL },
	{ "padding, and after the end", { 2, LEASED, false,
	  OPTS("\x00\x00" ROUTER1 "\x00" HOUR "\xff\x00\x00\x00\x00") }, NOW - 60, 0,
	  "203.0.113.1/32", NULL },
	{ "no end option", { 2, LEASED, false, OPTS(ROUTER1 HOUR) }, NOW - 60, 0, "203.0.113.1/32",
	  NULL },
	{ "a second option 3: the first", { 2, LEASED, false,
	  OPTS(ROUTER1 "\x03\x04\xcb\x00\x71\x09" HOUR "\xff") }, NOW - 60, 0, "203.0.113.1/32", NULL },
	{ "a router after the end counts not", { 2, LEASED, false, OPTS(HOUR "\xff" ROUTER1) },
	  NOW - 60, -ENOENT, NULL, NULL },
	{ "no router", { 2, LEASED, false, OPTS(ACK MASK25 HOUR "\xff") }, NOW - 60, -ENOENT, NULL,
	  NULL },
	{ "a truncated header", { 2, LEASED, false, OPTS(ROUTER1 HOUR "\xff"), .cut = 100 }, NOW - 60,
	  -EINVAL, NULL, NULL },
	{ "the header without its cookie", { 2, LEASED, false, OPTS(""), .cut = 236 }, NOW - 60,
	  -EINVAL, NULL, NULL },
	{ "a bad cookie", { 2, LEASED, true, OPTS(ROUTER1 HOUR "\xff") }, NOW - 60, -EINVAL, NULL,
	  NULL },
	{ "an option's length past the end", { 2, LEASED, false, OPTS(HOUR "\x03\x08\xcb\x00\x71\x01") },
	  NOW - 60, -EINVAL, NULL, NULL },
	{ "an option code without its length", { 2, LEASED, false, OPTS(HOUR "\x03") }, NOW - 60,
	  -EINVAL, NULL, NULL },
	{ "the message cut inside an option", { 2, LEASED, false, OPTS(HOUR ROUTER1 "\xff"),
	  .cut = 240 + 6 + 3 }, NOW - 60, -EINVAL, NULL, NULL },
	{ "routers of 3 bytes", { 2, LEASED, false, OPTS("\x03\x03\xcb\x00\x71" HOUR "\xff") }, NOW - 60,
	  -EINVAL, NULL, "option 3 (routers) of 3 bytes" },
	{ "routers of 0 bytes", { 2, LEASED, false, OPTS("\x03\x00" HOUR "\xff") }, NOW - 60, -EINVAL,
	  NULL, "option 3 (routers) of 0 bytes" },
	{ "expired: written + lease time == now", { 2, LEASED, false, OPTS(ROUTER1 HOUR "\xff") },
	  NOW - 3600, -ENOENT, NULL, NULL },
	{ "a second before expiry", { 2, LEASED, false, OPTS(ROUTER1 HOUR "\xff") }, NOW - 3599, 0,
	  "203.0.113.1/32", NULL },
	{ "an infinite lease", { 2, LEASED, false, OPTS(ROUTER1 "\x33\x04\xff\xff\xff\xff\xff") },
	  NOW - 400000000, 0, "203.0.113.1/32", NULL },
	{ "no lease time (BOOTP): infinite", { 2, LEASED, false, OPTS(ROUTER1 "\xff") },
	  NOW - 400000000, 0, "203.0.113.1/32", NULL },
	{ "a lease time of 2 bytes", { 2, LEASED, false, OPTS(ROUTER1 "\x33\x02\x0e\x10\xff") },
	  NOW - 60, -EINVAL, NULL, NULL },
	{ "a request (op 1)", { 1, LEASED, false, OPTS(ROUTER1 HOUR "\xff") }, NOW - 60, -EINVAL,
	  NULL, NULL },
	{ "no address leased", { 2, { 0, 0, 0, 0 }, false, OPTS(ROUTER1 HOUR "\xff") }, NOW - 60,
	  -ENOENT, NULL, NULL },
	{ "router 0.0.0.0", { 2, LEASED, false, OPTS("\x03\x04\x00\x00\x00\x00" HOUR "\xff") },
	  NOW - 60, -EINVAL, NULL, "router '0.0.0.0': not a unicast address" },
	{ "router 224.0.0.1", { 2, LEASED, false, OPTS("\x03\x04\xe0\x00\x00\x01" HOUR "\xff") },
	  NOW - 60, -EINVAL, NULL, "router '224.0.0.1': not a unicast address" },
	{ "router 255.255.255.255", { 2, LEASED, false, OPTS("\x03\x04\xff\xff\xff\xff" HOUR "\xff") },
	  NOW - 60, -EINVAL, NULL, "router '255.255.255.255': not a unicast address" },
	{ "router 127.0.0.1", { 2, LEASED, false, OPTS("\x03\x04\x7f\x00\x00\x01" HOUR "\xff") },
	  NOW - 60, -EINVAL, NULL, "router '127.0.0.1': not a unicast address" },
	{ "the leased address", { 2, LEASED, false, OPTS("\x03\x04\xcb\x00\x71\x1d" HOUR "\xff") },
	  NOW - 60, -EINVAL, NULL, "an address of the interface itself" },
	{ "the /25's broadcast", { 2, LEASED, false,
	  OPTS(MASK25 "\x03\x04\xcb\x00\x71\x7f" HOUR "\xff") }, NOW - 60, -EINVAL, NULL,
	  "the subnet's broadcast address" },
	{ "the same without a mask: a host", { 2, LEASED, false,
	  OPTS("\x03\x04\xcb\x00\x71\x7f" HOUR "\xff") }, NOW - 60, 0, "203.0.113.127/32", NULL },
	{ "a mask with holes is no mask", { 2, LEASED, false,
	  OPTS("\x01\x04\xff\x00\xff\x80\x03\x04\xcb\x00\x71\x7f" HOUR "\xff") }, NOW - 60, 0,
	  "203.0.113.127/32", NULL },
};

static void test_dhcpcd_rows(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(dhcpcd_rows) / sizeof(dhcpcd_rows[0]); i++) {
		const struct dhcpcd_row *row = &dhcpcd_rows[i];
		struct addr gw = { 0 };
		size_t len;
		unsigned char *msg = build_reply(&row->reply, &len);
		/* Exactly @len bytes, so a read past the message is an ASan error. */
		unsigned char *exact = malloc(len);
		int r;

		assert_non_null(exact);
		memcpy(exact, msg, len);
		logged[0] = '\0';
		r = lease_dhcpcd_parse(exact, len, row->written, NOW, &gw);
		check(row->what, r, &gw, row->r, row->gw, row->warning);
		free(exact);
		free(msg);
	}
}

/* ---- what real clients wrote ---- */

static unsigned char *read_fixture(const char *name, size_t *len)
{
	char path[4096];
	unsigned char *buf = malloc(65536);
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", LEASE_FIXTURE_DIR, name);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_non_null(buf);
	*len = fread(buf, 1, 65536, f);
	fclose(f);
	return buf;
}

static void test_real_files(void **state)
{
	const time_t dhcpcd_mtime = 1796607316, dhclient_expiry = 1796610914;
	struct addr gw;
	char text[ADDR_STRLEN];
	size_t len;
	unsigned char *buf;

	(void)state;
	buf = read_fixture("dhclient.eth1.leases", &len);
	assert_int_equal(lease_dhclient_parse((char *)buf, len, "eth1", NOW, &gw), 0);
	assert_string_equal(addr_format(&gw, true, text), "203.0.113.1/32");
	assert_int_equal(lease_dhclient_parse((char *)buf, len, "eth1", dhclient_expiry - 1, &gw), 0);
	assert_int_equal(lease_dhclient_parse((char *)buf, len, "eth1", dhclient_expiry, &gw), -ENOENT);
	assert_int_equal(lease_dhclient_parse((char *)buf, len, "eth2", NOW, &gw), -ENOENT);
	free(buf);

	buf = read_fixture("dhcpcd-eth1.lease", &len);
	assert_int_equal(len, 300);
	assert_int_equal(lease_dhcpcd_parse(buf, len, dhcpcd_mtime, NOW, &gw), 0);
	assert_string_equal(addr_format(&gw, true, text), "203.0.113.1/32");
	assert_int_equal(lease_dhcpcd_parse(buf, len, dhcpcd_mtime, dhcpcd_mtime + 3599, &gw), 0);
	assert_int_equal(lease_dhcpcd_parse(buf, len, dhcpcd_mtime, dhcpcd_mtime + 3600, &gw),
			 -ENOENT);
	free(buf);
	assert_string_equal(logged, "");
}

/* ---- choosing between the files ---- */

#define DHCLIENT_IF "dhcp/dhclient.eth1.leases"
#define DHCLIENT_ALL "dhcp/dhclient.leases"
#define DHCPCD "dhcpcd/eth1.lease"
#define DHCPCD_ROUTER9 "\x03\x04\xcb\x00\x71\x09"

struct file {
	const char *name;		/* under the temporary directory; NULL ends the list */
	const char *dhclient;		/* a dhclient file's text, or NULL for a dhcpcd reply */
	struct reply reply;
	time_t mtime;
	size_t pad;			/* bytes of blanks before the text (a file too large) */
};

static const struct dir_row {
	const char *what;
	const char *ifname;
	struct file files[3];
	enum lease_source source;
	const char *gw;
	const char *where;		/* relative to the temporary directory; "" none */
	const char *warning;
} dir_rows[] = {
	{ "nothing", "eth1", { { NULL } }, LEASE_NONE, NULL, "", NULL },
	{ "dhclient.IFACE.leases", "eth1", { { DHCLIENT_IF, BLOCK(R1, FUTURE), .mtime = NOW - 10 } },
	  LEASE_DHCLIENT, "203.0.113.1/32", DHCLIENT_IF, NULL },
	{ "dhclient.leases", "eth1", { { DHCLIENT_ALL, BLOCK(R9, FUTURE), .mtime = NOW - 10 } },
	  LEASE_DHCLIENT, "203.0.113.9/32", DHCLIENT_ALL, NULL },
	{ "dhclient.IFACE.leases first", "eth1", { { DHCLIENT_IF, BLOCK(R1, FUTURE), .mtime = NOW - 10 },
	  { DHCLIENT_ALL, BLOCK(R9, FUTURE), .mtime = NOW - 5 } }, LEASE_DHCLIENT, "203.0.113.1/32",
	  DHCLIENT_IF, NULL },
	{ "dhclient.IFACE.leases expired: dhclient.leases", "eth1",
	  { { DHCLIENT_IF, BLOCK(R1, PAST), .mtime = NOW - 10 },
	    { DHCLIENT_ALL, BLOCK(R9, FUTURE), .mtime = NOW - 5 } }, LEASE_DHCLIENT, "203.0.113.9/32",
	  DHCLIENT_ALL, NULL },
	{ "dhcpcd", "eth1", { { DHCPCD, NULL, { 2, LEASED, false, OPTS(ROUTER1 HOUR "\xff") },
	  .mtime = NOW - 10 } }, LEASE_DHCPCD, "203.0.113.1/32", DHCPCD, NULL },
	{ "dhcpcd's expired by its mtime", "eth1", { { DHCPCD, NULL,
	  { 2, LEASED, false, OPTS(ROUTER1 HOUR "\xff") }, .mtime = NOW - 3600 } }, LEASE_NONE, NULL,
	  "", NULL },
	{ "both current, dhcpcd's later", "eth1", { { DHCLIENT_IF, BLOCK(R1, FUTURE), .mtime = NOW - 10 },
	  { DHCPCD, NULL, { 2, LEASED, false, OPTS(DHCPCD_ROUTER9 HOUR "\xff") }, .mtime = NOW - 5 } },
	  LEASE_DHCPCD, "203.0.113.9/32", DHCPCD, NULL },
	{ "both current, dhclient's later", "eth1", { { DHCLIENT_IF, BLOCK(R1, FUTURE), .mtime = NOW - 5 },
	  { DHCPCD, NULL, { 2, LEASED, false, OPTS(DHCPCD_ROUTER9 HOUR "\xff") }, .mtime = NOW - 10 } },
	  LEASE_DHCLIENT, "203.0.113.1/32", DHCLIENT_IF, NULL },
	{ "both written in the same second: dhclient", "eth1",
	  { { DHCLIENT_IF, BLOCK(R1, FUTURE), .mtime = NOW - 5 },
	    { DHCPCD, NULL, { 2, LEASED, false, OPTS(DHCPCD_ROUTER9 HOUR "\xff") }, .mtime = NOW - 5 } },
	  LEASE_DHCLIENT, "203.0.113.1/32", DHCLIENT_IF, NULL },
	{ "dhclient's expired, dhcpcd's older but current", "eth1",
	  { { DHCLIENT_IF, BLOCK(R1, PAST), .mtime = NOW - 5 },
	    { DHCPCD, NULL, { 2, LEASED, false, OPTS(DHCPCD_ROUTER9 HOUR "\xff") }, .mtime = NOW - 50 } },
	  LEASE_DHCPCD, "203.0.113.9/32", DHCPCD, NULL },
	{ "the newest current lease names no router", "eth1",
	  { { DHCLIENT_IF, BLOCK("", FUTURE), .mtime = NOW - 5 },
	    { DHCPCD, NULL, { 2, LEASED, false, OPTS(DHCPCD_ROUTER9 HOUR "\xff") }, .mtime = NOW - 50 } },
	  LEASE_NONE, NULL, DHCLIENT_IF, NULL },
	{ "the newest current lease names 0.0.0.0", "eth1",
	  { { DHCLIENT_IF, BLOCK(R1, FUTURE), .mtime = NOW - 50 },
	    { DHCPCD, NULL, { 2, LEASED, false, OPTS("\x03\x04\0\0\0\0" HOUR "\xff") }, .mtime = NOW - 5 } },
	  LEASE_NONE, NULL, DHCPCD, "router '0.0.0.0'" },
	{ "another interface's files", "eth1", { { "dhcp/dhclient.eth2.leases", BLOCK(R1, FUTURE),
	  .mtime = NOW - 5 }, { "dhcpcd/eth2.lease", NULL, { 2, LEASED, false, OPTS(ROUTER1 HOUR) },
	  .mtime = NOW - 5 } }, LEASE_NONE, NULL, "", NULL },
	{ "an ifname with '/' stays in the directory", "../x", { { "x.lease", NULL,
	  { 2, LEASED, false, OPTS(ROUTER1 HOUR) }, .mtime = NOW - 5 } }, LEASE_NONE, NULL, "", NULL },
	{ "an ifname starting with '.'", "..", { { "dhcpcd/...lease", NULL,
	  { 2, LEASED, false, OPTS(ROUTER1 HOUR) }, .mtime = NOW - 5 } }, LEASE_NONE, NULL, "", NULL },
	{ "an empty ifname", "", { { "dhcpcd/.lease", NULL, { 2, LEASED, false, OPTS(ROUTER1 HOUR) },
	  .mtime = NOW - 5 } }, LEASE_NONE, NULL, "", NULL },
	{ "an ifname of 16 characters", "abcdefghijklmnop", { { "dhcpcd/abcdefghijklmnop.lease",
	  NULL, { 2, LEASED, false, OPTS(ROUTER1 HOUR) }, .mtime = NOW - 5 } }, LEASE_NONE, NULL, "",
	  NULL },
	{ "15 characters is a name", "abcdefghijklmno", { { "dhcpcd/abcdefghijklmno.lease",
	  NULL, { 2, LEASED, false, OPTS(ROUTER1 HOUR) }, .mtime = NOW - 5 } }, LEASE_DHCPCD,
	  "203.0.113.1/32", "dhcpcd/abcdefghijklmno.lease", NULL },
	{ "a dhclient file over 1 MiB is not read", "eth1", { { DHCLIENT_IF, BLOCK(R1, FUTURE),
	  .mtime = NOW - 5, .pad = LEASE_DHCLIENT_MAX } }, LEASE_NONE, NULL, "",
	  "larger than 1048576 bytes" },
	{ "1 MiB is", "eth1", { { DHCLIENT_IF, BLOCK(R1, FUTURE), .mtime = NOW - 5,
	  .pad = LEASE_DHCLIENT_MAX - sizeof(BLOCK(R1, FUTURE)) + 1 } }, LEASE_DHCLIENT,
	  "203.0.113.1/32", DHCLIENT_IF, NULL },
	{ "a dhcpcd file over 64 KiB is not read", "eth1", { { DHCPCD, NULL,
	  { 2, LEASED, false, OPTS(ROUTER1 HOUR "\xff") }, .mtime = NOW - 5,
	  .pad = LEASE_DHCPCD_MAX } }, LEASE_NONE, NULL, "", "larger than 65536 bytes" },
	{ "a directory in the lease's place", "eth1", { { "dhcpcd/eth1.lease/", NULL,
	  { 0 }, 0, 0 } }, LEASE_NONE, NULL, "", NULL },
};

static void write_bytes(const char *path, const void *data, size_t len, size_t pad)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	for (size_t i = 0; i < pad; i++)
		assert_int_equal(fputc(' ', f), ' ');
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void make_file(const char *dir, const struct file *fl)
{
	struct timespec times[2] = { { fl->mtime, 0 }, { fl->mtime, 0 } };
	char path[4096];
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, fl->name);
	n = strlen(path);
	if (path[n - 1] == '/') {
		assert_int_equal(mkdir(path, 0755), 0);
		return;
	}
	if (fl->dhclient) {
		/* The padding goes after the text: blanks, and still one block. */
		write_bytes(path, fl->dhclient, strlen(fl->dhclient), 0);
		if (fl->pad) {
			FILE *f = fopen(path, "a");

			assert_non_null(f);
			for (size_t i = 0; i < fl->pad; i++)
				fputc(' ', f);
			assert_int_equal(fclose(f), 0);
		}
	} else {
		unsigned char *msg = build_reply(&fl->reply, &n);

		/* dhcpcd pads its reply with zeros (the fixture has 43 after the end option). */
		write_bytes(path, msg, n, 0);
		if (fl->pad) {
			FILE *f = fopen(path, "a");

			assert_non_null(f);
			for (size_t i = 0; i < fl->pad; i++)
				fputc(0, f);
			assert_int_equal(fclose(f), 0);
		}
		free(msg);
	}
	assert_int_equal(utimensat(AT_FDCWD, path, times, 0), 0);
}

static void remove_tree(const char *dir)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_dir_rows(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(dir_rows) / sizeof(dir_rows[0]); i++) {
		const struct dir_row *row = &dir_rows[i];
		char dir[] = "/tmp/test-lease.XXXXXX", sub[256], dhcp[512], dhcpcd[512];
		char where[4096], want_where[4096];
		struct lease_paths paths;
		struct addr gw = { 0 };
		enum lease_source s;

		assert_non_null(mkdtemp(dir));
		/* The lease directories one level down, so "../x" has somewhere to point. */
		snprintf(sub, sizeof(sub), "%s/var", dir);
		assert_int_equal(mkdir(sub, 0755), 0);
		snprintf(dhcp, sizeof(dhcp), "%s/dhcp", sub);
		snprintf(dhcpcd, sizeof(dhcpcd), "%s/dhcpcd", sub);
		assert_int_equal(mkdir(dhcp, 0755), 0);
		assert_int_equal(mkdir(dhcpcd, 0755), 0);
		paths.dhclient_dir = dhcp;
		paths.dhcpcd_dir = dhcpcd;
		for (const struct file *fl = row->files; fl < row->files + 3 && fl->name; fl++)
			make_file(sub, fl);
		logged[0] = '\0';
		s = lease_ipv4_router(&paths, row->ifname, NOW, &gw, NULL, where, sizeof(where));
		if (s != row->source)
			fail_msg("%s: source %d, expected %d (where '%s', logged: %s)", row->what, s,
				 row->source, where, logged);
		check(row->what, s == LEASE_NONE ? -ENOENT : 0, &gw, row->source == LEASE_NONE ?
		      -ENOENT : 0, row->gw, row->warning);
		if (row->where[0])
			snprintf(want_where, sizeof(want_where), "%s/%s", sub, row->where);
		else
			want_where[0] = '\0';
		if (strcmp(where, want_where) != 0)
			fail_msg("%s: where '%s', expected '%s'", row->what, where, want_where);
		remove_tree(dir);
	}
}

/* The captured files in their real places: dhcpcd's was written a second after dhclient's. */
static void test_real_dirs(void **state)
{
	char dir[] = "/tmp/test-lease.XXXXXX", path[4096], where[4096], text[ADDR_STRLEN];
	struct lease_paths paths = { dir, dir };
	struct timespec dhclient_t[2] = { { 1796607314, 0 }, { 1796607314, 0 } };
	struct timespec dhcpcd_t[2] = { { 1796607316, 0 }, { 1796607316, 0 } };
	struct addr gw, leased;
	unsigned char *buf;
	size_t len;

	(void)state;
	assert_non_null(mkdtemp(dir));
	buf = read_fixture("dhclient.eth1.leases", &len);
	snprintf(path, sizeof(path), "%s/dhclient.eth1.leases", dir);
	write_bytes(path, buf, len, 0);
	free(buf);
	assert_int_equal(utimensat(AT_FDCWD, path, dhclient_t, 0), 0);
	assert_int_equal(lease_ipv4_router(&paths, "eth1", NOW, &gw, &leased, where, sizeof(where)),
			 LEASE_DHCLIENT);
	assert_string_equal(where, path);
	assert_string_equal(addr_format(&gw, false, text), "203.0.113.1");
	/* The leased address, which the caller finds on the interface or not. */
	assert_string_equal(addr_format(&leased, true, text), "203.0.113.29/25");

	buf = read_fixture("dhcpcd-eth1.lease", &len);
	snprintf(path, sizeof(path), "%s/eth1.lease", dir);
	write_bytes(path, buf, len, 0);
	free(buf);
	assert_int_equal(utimensat(AT_FDCWD, path, dhcpcd_t, 0), 0);
	assert_int_equal(lease_ipv4_router(&paths, "eth1", NOW, &gw, &leased, where, sizeof(where)),
			 LEASE_DHCPCD);
	assert_string_equal(where, path);
	assert_string_equal(addr_format(&gw, false, text), "203.0.113.1");
	assert_string_equal(addr_format(&leased, true, text), "203.0.113.29/25");
	/* dhclient's lease ends at 02:35:14, dhcpcd's two seconds later. */
	assert_int_equal(lease_ipv4_router(&paths, "eth1", 1796610915, &gw, &leased, where, sizeof(where)),
			 LEASE_DHCPCD);
	assert_int_equal(lease_ipv4_router(&paths, "eth1", 1796610916, &gw, &leased, where, sizeof(where)),
			 LEASE_NONE);
	assert_string_equal(where, "");
	/* Had dhcpcd written first, dhclient's lease would be the one. */
	dhcpcd_t[0].tv_sec = dhcpcd_t[1].tv_sec = 1796607300;
	assert_int_equal(utimensat(AT_FDCWD, path, dhcpcd_t, 0), 0);
	assert_int_equal(lease_ipv4_router(&paths, "eth1", NOW, &gw, &leased, where, sizeof(where)),
			 LEASE_DHCLIENT);
	remove_tree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_dhclient_rows, setup),
		cmocka_unit_test_setup(test_dhclient_nul, setup),
		cmocka_unit_test_setup(test_dhcpcd_rows, setup),
		cmocka_unit_test_setup(test_real_files, setup),
		cmocka_unit_test_setup(test_dir_rows, setup),
		cmocka_unit_test_setup(test_real_dirs, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
