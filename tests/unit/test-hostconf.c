// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Purpose: hostconf's reading of ifupdown's files for one interface: which stanza configures
 * it, the gateways its `symroute-gateway` lines name, through `source` and
 * `source-directory`, in each dialect's syntax (one row per case, written to a temporary
 * /etc/network tree); and what sync reads: the state file, a stanza's `symroute off`.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "addr.h"
#include "event.h"
#include "hostconf.h"
#include "log.h"

static char logged[4096];

static void capture(int priority, const char *msg)
{
	if (priority <= LOG_WARNING)
		snprintf(logged + strlen(logged), sizeof(logged) - strlen(logged), "%s\n", msg);
}

static const struct row {
	const char *what;
	const char *interfaces;		/* /etc/network/interfaces */
	const char *sourced;		/* interfaces.d/eth1, or NULL */
	const char *ifname;
	const char *v4, *v6;		/* the gateways expected, or NULL */
	const char *warning;		/* a piece of the one warning expected, or NULL */
	const char *where;		/* what hostconf_ifupdown_configures() says, or NULL: no */
} rows[] = {
	{ "no symroute-gateway", "iface eth1 inet static\n\taddress 203.0.113.20/25\n"
	  "\tgateway 203.0.113.1\n", NULL, "eth1", NULL, NULL, NULL, "iface eth1 in D/interfaces line 1" },
	{ "one per family, in two stanzas",
	  "auto eth1\niface eth1 inet static\n  address 203.0.113.20/25\n"
	  "  symroute-gateway 203.0.113.1\n\niface eth1 inet6 static\n  address 2001:db8:b::20/64\n"
	  "  symroute-gateway 2001:db8:b::1\n", NULL, "eth1", "203.0.113.1", "2001:db8:b::1", NULL,
	  "iface eth1 in D/interfaces line 2" },
	{ "both on one line (ifupdown2)", "iface eth1 inet static\n"
	  "    symroute-gateway 203.0.113.1   fe80::1\n", NULL, "eth1", "203.0.113.1", "fe80::1",
	  NULL, "iface eth1 in D/interfaces line 1" },
	{ "one stanza, a line per family (ifupdown-ng)", "iface eth1\n\taddress 203.0.113.20/25\n"
	  "\tsymroute-gateway 2001:db8:b::1\n\tsymroute-gateway 203.0.113.1\n", NULL, "eth1",
	  "203.0.113.1", "2001:db8:b::1", NULL, "iface eth1 in D/interfaces line 1" },
	{ "another interface's stanza", "iface eth0 inet static\n\tsymroute-gateway 198.51.100.1\n"
	  "iface eth1 inet manual\n", NULL, "eth1", NULL, NULL, NULL, "iface eth1 in D/interfaces line 3" },
	{ "an alias is another stanza", "iface eth1:1 inet static\n\tsymroute-gateway 203.0.113.1\n",
	  NULL, "eth1", NULL, NULL, NULL, NULL },
	{ "a keyword ends the stanza", "iface eth1 inet static\n\taddress 203.0.113.20/25\n"
	  "auto eth0\n\tsymroute-gateway 203.0.113.1\n", NULL, "eth1", NULL, NULL, NULL,
	  "iface eth1 in D/interfaces line 1" },
	{ "comments are not options", "iface eth1 inet static\n# symroute-gateway 203.0.113.9\n"
	  "\tsymroute-gateway 203.0.113.1 # ISP B\n", NULL, "eth1", NULL, NULL, "'203.0.113.1 # ISP B'",
	  "iface eth1 in D/interfaces line 1" },
	{ "through source-directory", "source-directory interfaces.d\n",
	  "iface eth1 inet static\n\tsymroute-gateway 203.0.113.1\n", "eth1", "203.0.113.1", NULL, NULL,
	  "iface eth1 in D/interfaces.d/eth1 line 1" },
	{ "not an address", "iface eth1 inet static\n\tsymroute-gateway 203.0.113.300\n", NULL,
	  "eth1", NULL, NULL, "eth1: symroute-gateway '203.0.113.300' in D/interfaces line 2",
	  "iface eth1 in D/interfaces line 1" },
	{ "two IPv4 gateways in two stanzas: the first", "iface eth1 inet static\n"
	  "\tsymroute-gateway 203.0.113.1\niface eth1 inet static\n\tsymroute-gateway 203.0.113.2\n",
	  NULL, "eth1", "203.0.113.1", NULL, "eth1: symroute-gateway '203.0.113.2' in D/interfaces "
	  "line 4: another IPv4 gateway than an earlier stanza's; the first is taken",
	  "iface eth1 in D/interfaces line 1" },
	{ "two IPv4 gateways in one stanza: the first", "iface eth1\n\tsymroute-gateway 203.0.113.1\n"
	  "\tsymroute-gateway 203.0.113.2\n", NULL, "eth1", "203.0.113.1", NULL,
	  "eth1: symroute-gateway '203.0.113.2' in D/interfaces line 3: another IPv4 gateway than "
	  "an earlier line's; the first is taken", "iface eth1 in D/interfaces line 1" },
	{ "inet dhcp: IPv4 is the lease's", "iface eth1 inet dhcp\n\tsymroute-gateway 203.0.113.1\n"
	  "iface eth1 inet6 static\n\tsymroute-gateway 2001:db8:b::1\n", NULL, "eth1", NULL,
	  "2001:db8:b::1", NULL, "iface eth1 in D/interfaces line 1" },
	{ "use dhcp, after the gateways (ifupdown-ng)", "iface eth1\n"
	  "\tsymroute-gateway 203.0.113.1 2001:db8:b::1\n\tuse dhcp\n", NULL, "eth1", NULL,
	  "2001:db8:b::1", NULL, "iface eth1 in D/interfaces line 1" },
	{ "the same gateway twice is no conflict", "iface eth1 inet static\n"
	  "\tsymroute-gateway 203.0.113.1\niface eth1 inet static\n\tsymroute-gateway 203.0.113.1\n",
	  NULL, "eth1", "203.0.113.1", NULL, NULL, "iface eth1 in D/interfaces line 1" },
	{ "loopback never", "iface lo inet loopback\n\tsymroute-gateway 127.0.0.2\n", NULL, "lo",
	  NULL, NULL, NULL, NULL },
};

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* "D/" in a row's text stands for the temporary directory. */
static void expand(char *out, size_t len, const char *text, const char *dir)
{
	const char *d = strstr(text, "D/");

	if (!d) {
		snprintf(out, len, "%s", text);
		return;
	}
	snprintf(out, len, "%.*s%s/%s", (int)(d - text), text, dir, d + 2);
}

static void check_gateway(const struct row *r, int family, const char *want, unsigned found,
			  const struct addr gw[2])
{
	char text[ADDR_STRLEN];
	unsigned bit = event_family_bit(family);

	if (!want) {
		if (found & bit)
			fail_msg("%s: %s gateway %s found, none expected", r->what,
				 family == AF_INET ? "IPv4" : "IPv6",
				 addr_format(&gw[event_family_index(family)], false, text));
		return;
	}
	if (!(found & bit))
		fail_msg("%s: no %s gateway found, %s expected", r->what,
			 family == AF_INET ? "IPv4" : "IPv6", want);
	assert_string_equal(addr_format(&gw[event_family_index(family)], false, text), want);
}

static void test_ifupdown_rows(void **state)
{
	char dir[] = "/tmp/test-hostconf.XXXXXX", path[512], sub[512], want[512], where[512];
	struct hostconf_paths paths = hostconf_default_paths;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/interfaces", dir);
	snprintf(sub, sizeof(sub), "%s/interfaces.d", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	strcat(sub, "/eth1");
	paths.ifupdown_interfaces = path;
	paths.ifupdown_state = "/nonexistent/ifstate";
	paths.ifupdown_ng_state = "/nonexistent/ng-ifstate";
	paths.ifupdown2_state = "/nonexistent/ifstatenew";
	log_set_sink(capture);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		struct addr gw[2];
		unsigned found;
		bool configures;

		write_file(path, r->interfaces);
		unlink(sub);
		if (r->sourced)
			write_file(sub, r->sourced);
		logged[0] = '\0';
		memset(gw, 0, sizeof(gw));
		found = hostconf_ifupdown_gateways(&paths, r->ifname, gw);
		check_gateway(r, AF_INET, r->v4, found, gw);
		check_gateway(r, AF_INET6, r->v6, found, gw);
		if (r->warning) {
			expand(want, sizeof(want), r->warning, dir);
			if (!strstr(logged, want))
				fail_msg("%s: warning \"%s\" expected, logged: \"%s\"", r->what, want, logged);
			/* One line for one bad line. */
			assert_int_equal(strchr(logged, '\n') - logged + 1, (long)strlen(logged));
		} else if (logged[0]) {
			fail_msg("%s: nothing expected in the log, got \"%s\"", r->what, logged);
		}
		configures = hostconf_ifupdown_configures(&paths, r->ifname, where, sizeof(where));
		if (!r->where) {
			if (configures)
				fail_msg("%s: configured by \"%s\", expected not", r->what, where);
			continue;
		}
		expand(want, sizeof(want), r->where, dir);
		if (!configures)
			fail_msg("%s: not configured, expected \"%s\"", r->what, want);
		assert_string_equal(where, want);
	}
	log_set_sink(NULL);
	unlink(sub);
	unlink(path);
	snprintf(sub, sizeof(sub), "%s/interfaces.d", dir);
	rmdir(sub);
	rmdir(dir);
}

static int collect_up(const char *ifname, void *data)
{
	char *names = data;

	strcat(names, ifname);
	strcat(names, " ");
	return 0;
}

static bool collect_knob(const char *name, const char *value, const char *path, unsigned lineno,
			 void *data)
{
	char *out = data;

	(void)path;
	snprintf(out + strlen(out), 256 - strlen(out), "%s=%s@%u ", name, value, lineno);
	return false;
}

/* The knobs `up` by hand and sync take from the stanzas: not the gateway, not a DHCP stanza's. */
static void test_ifupdown_knobs(void **state)
{
	char dir[] = "/tmp/test-hostconf.XXXXXX", path[512], knobs[256] = "";
	struct hostconf_paths paths = hostconf_default_paths;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/interfaces", dir);
	paths.ifupdown_interfaces = path;
	write_file(path, "iface eth1 inet dhcp\n\tsymroute-priority 5\n"
			 "iface eth1 inet6 static\n\tsymroute-table 200\n\tsymroute-gateway fe80::1\n"
			 "\tsymroute-tabel 7 \n\tgateway 2001:db8::1\n\tsymroute off\n"
			 "iface eth2 inet static\n\tsymroute-table 300\n"
			 "iface eth1\n\tsymroute-to-rule yes\n");
	hostconf_ifupdown_knobs(&paths, "eth1", collect_knob, knobs);
	assert_string_equal(knobs, "table=200@4 tabel=7@6 to-rule=yes@12 ");
	knobs[0] = '\0';
	hostconf_ifupdown_knobs(&paths, "eth9", collect_knob, knobs);
	assert_string_equal(knobs, "");
	unlink(path);
	rmdir(dir);
}

/* What `symroute sync` reads: the interfaces ifupdown has up, and a stanza's `symroute off`. */
static void test_ifupdown_state_and_off(void **state)
{
	char dir[] = "/tmp/test-hostconf.XXXXXX", path[512], ifstate[512], ngstate[512],
	     pickle[512], names[256] = "";
	struct hostconf_paths paths = hostconf_default_paths;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/interfaces", dir);
	snprintf(ifstate, sizeof(ifstate), "%s/ifstate", dir);
	snprintf(ngstate, sizeof(ngstate), "%s/ng-ifstate", dir);
	snprintf(pickle, sizeof(pickle), "%s/ifstatenew", dir);
	paths.ifupdown_interfaces = path;
	paths.ifupdown_state = ifstate;
	paths.ifupdown_ng_state = ngstate;
	paths.ifupdown2_state = pickle;

	assert_int_equal(hostconf_ifupdown_each_up(&paths, collect_up, names), 0);
	assert_string_equal(names, "");	/* no state file: nothing is up */
	write_file(ifstate, "lo=lo\neth0=eth0\n=junk\nno-equals-sign\neth1=eth1\n");
	assert_int_equal(hostconf_ifupdown_each_up(&paths, collect_up, names), 0);
	assert_string_equal(names, "lo eth0 eth1 ");
	/* ifupdown-ng's lines carry a refcount; a name both files list is handed over once. */
	write_file(ngstate, "eth0=eth0 1\nbond0=bond0 2 explicit\n");
	names[0] = '\0';
	assert_int_equal(hostconf_ifupdown_each_up(&paths, collect_up, names), 0);
	assert_string_equal(names, "lo eth0 eth1 bond0 ");
	unlink(ngstate);
	unlink(ifstate);
	/*
	 * ifupdown2's state is a pickle: where it exists, an iface stanza whose link exists is up
	 * ("lo" is in every namespace; "zz9" in none), once however many stanzas name it.
	 */
	write_file(path, "iface lo inet loopback\niface zz9 inet static\niface lo inet6 loopback\n");
	names[0] = '\0';
	assert_int_equal(hostconf_ifupdown_each_up(&paths, collect_up, names), 0);
	assert_string_equal(names, "");	/* no pickle: not ifupdown2's host */
	write_file(pickle, "\x80\x05junk");
	assert_int_equal(hostconf_ifupdown_each_up(&paths, collect_up, names), 0);
	assert_string_equal(names, "lo ");
	unlink(pickle);

	write_file(path, "iface eth0 inet static\n\tsymroute on\n"
			 "iface eth1 inet static\n\taddress 203.0.113.20/25\n"
			 "iface eth1 inet6 static\n\tsymroute off\n"
			 "iface eth2 inet static\n\tsymroute banana\n"
			 "iface eth3 inet static\n# symroute off\n");
	assert_false(hostconf_ifupdown_off(&paths, "eth0"));
	assert_true(hostconf_ifupdown_off(&paths, "eth1"));	/* one stanza's off is the interface's */
	assert_false(hostconf_ifupdown_off(&paths, "eth2"));	/* the hook refuses it, with its line */
	assert_false(hostconf_ifupdown_off(&paths, "eth3"));
	assert_false(hostconf_ifupdown_off(&paths, "eth9"));
	write_file(path, "iface eth1 inet static\n\tsymroute off \t\n");
	assert_true(hostconf_ifupdown_off(&paths, "eth1"));	/* trailing blanks are no part of it */

	/* source-directory in run-parts' order, whatever order the directory lists: "10-a" first. */
	{
		char sub[512], a[600], b[600];
		struct addr gw[2];

		snprintf(sub, sizeof(sub), "%s/interfaces.d", dir);
		assert_int_equal(mkdir(sub, 0755), 0);
		snprintf(b, sizeof(b), "%s/20-b", sub);
		write_file(b, "iface eth1 inet static\n\tsymroute-gateway 203.0.113.2\n");
		snprintf(a, sizeof(a), "%s/10-a", sub);
		write_file(a, "iface eth1 inet static\n\tsymroute-gateway 203.0.113.1\n");
		write_file(path, "source-directory interfaces.d\n");
		log_set_sink(capture);
		logged[0] = '\0';
		assert_int_equal(hostconf_ifupdown_gateways(&paths, "eth1", gw), EVENT_V4);
		log_set_sink(NULL);
		check_gateway(&rows[0], AF_INET, "203.0.113.1", EVENT_V4, gw);
		assert_non_null(strstr(logged, "20-b line 2: another IPv4 gateway"));
		unlink(a);
		unlink(b);
		rmdir(sub);
	}
	unlink(ifstate);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ifupdown_rows),
		cmocka_unit_test(test_ifupdown_state_and_off),
		cmocka_unit_test(test_ifupdown_knobs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
