// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: unit tests of the main-table policy: knobs, config keys, sysctl_run(), the multipath route. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "addr.h"
#include "config.h"
#include "event.h"
#include "have.h"
#include "options.h"
#include "policy.h"
#include "reconcile.h"
#include "rtnl-msg.h"
#include "show.h"
#include "sysctl.h"

static int set(struct event *ev, const char *name, const char *value, const char **why)
{
	*why = NULL;
	return options_set(ev, name, value, why);
}

static void test_metric(void **state)
{
	struct event ev;
	const char *why;

	(void)state;
	event_init(&ev, "test");
	assert_int_equal(set(&ev, "metric", "100", &why), 0);
	assert_true(ev.has & EVENT_HAS_METRIC);
	assert_int_equal(ev.metric, 100);
	assert_int_equal(set(&ev, "metric", "200", &why), -EINVAL);
	assert_string_equal(why, "given twice");
	for (const char *const *v = (const char *const[]){ "0", "-1", "2147483648", "1x", "", NULL };
	     *v; v++) {
		event_init(&ev, "test");
		assert_int_equal(set(&ev, "metric", *v, &why), -EINVAL);
		assert_string_equal(why, "not a route metric from 1 to 2147483647");
	}
	event_init(&ev, "test");
	assert_int_equal(set(&ev, "metric", "2147483647", &why), 0);
}

static void test_prefer_list(void **state)
{
	char text[ADDR_STRLEN];
	struct event ev;
	const char *why;

	(void)state;
	event_init(&ev, "test");
	assert_int_equal(set(&ev, "prefer", " 10.0.0.0/8,172.16.0.0/12  192.168.0.0/16,\t2001:db8::/32 ",
			     &why), 0);
	assert_true(ev.has & EVENT_HAS_PREFER);
	assert_int_equal(ev.n_prefer, 4);
	assert_string_equal(addr_format(&ev.prefer[0], true, text), "10.0.0.0/8");
	assert_string_equal(addr_format(&ev.prefer[2], true, text), "192.168.0.0/16");
	assert_int_equal(ev.prefer[3].family, AF_INET6);
	assert_string_equal(addr_format(&ev.prefer[3], true, text), "2001:db8::/32");
}

static void test_prefer_refused(void **state)
{
	static const char *const bad[] = {
		"", " , ", "10.0.0.1/8", "10.0.0.0", "10.0.0.0/33", "224.0.0.0/4", "127.0.0.0/8",
		"10.0.0.0/8 10.0.0.0/8", "example.org/8", "2001:db8::1/32",
	};
	struct event ev;
	const char *why;
	char many[2048] = "";

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		event_init(&ev, "test");
		assert_int_equal(set(&ev, "prefer", bad[i], &why), -EINVAL);
		assert_non_null(why);
		assert_false(ev.has & EVENT_HAS_PREFER);
	}
	/* The bound, and one past it. */
	for (unsigned i = 0; i < EVENT_MAX_PREFER; i++)
		snprintf(many + strlen(many), sizeof(many) - strlen(many), "10.%u.0.0/16 ", i);
	event_init(&ev, "test");
	assert_int_equal(set(&ev, "prefer", many, &why), 0);
	assert_int_equal(ev.n_prefer, EVENT_MAX_PREFER);
	strcat(many, "192.168.0.0/16");
	event_init(&ev, "test");
	assert_int_equal(set(&ev, "prefer", many, &why), -EINVAL);
	assert_string_equal(why, "too many prefixes (at most " EVENT_MAX_PREFER_TEXT " per interface)");
}

static void test_sysctl_knobs(void **state)
{
	struct event ev;
	const char *why;

	(void)state;
	event_init(&ev, "test");
	assert_int_equal(set(&ev, "rp-filter", "loose", &why), 0);
	assert_true(ev.rp_loose);
	event_init(&ev, "test");
	assert_int_equal(set(&ev, "rp-filter", "keep", &why), 0);
	assert_false(ev.rp_loose);
	assert_true(ev.has & EVENT_HAS_RP_FILTER);
	event_init(&ev, "test");
	assert_int_equal(set(&ev, "rp-filter", "strict", &why), -EINVAL);
	assert_string_equal(why, "not an rp_filter choice (loose or keep)");
	event_init(&ev, "test");
	assert_int_equal(set(&ev, "arp-ignore", "yes", &why), 0);
	assert_int_equal(set(&ev, "arp-announce", "on", &why), 0);
	assert_int_equal(set(&ev, "arp-filter", "0", &why), 0);
	assert_true(ev.arp_ignore && ev.arp_announce && !ev.arp_filter);
	assert_int_equal(ev.has & EVENT_HAS_SYSCTLS,
			 EVENT_HAS_ARP_IGNORE | EVENT_HAS_ARP_ANNOUNCE | EVENT_HAS_ARP_FILTER);
	assert_int_equal(set(&ev, "arp-filter", "maybe", &why), -EINVAL);
}

/* ---- config keys ---- */

static const char *write_tmp(const char *text)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/symroute-test-main.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void test_config_keys(void **state)
{
	struct config cfg;
	const char *path;

	(void)state;
	config_defaults(&cfg);
	assert_int_equal(cfg.main_mode, CONFIG_MAIN_FALLBACK);
	assert_int_equal(cfg.metric_base, 1000);
	assert_int_equal(cfg.prefer_priority, 31150);
	assert_false(cfg.rp_loose || cfg.arp_ignore || cfg.arp_announce || cfg.arp_filter);
	path = write_tmp("[symroute]\nmain-mode = metric\nmetric-base = 50\nprefer-priority = 200\n"
			 "rp-filter = loose\narp-ignore = yes\narp-announce = true\narp-filter = on\n");
	assert_int_equal(config_load(&cfg, path, true), 0);
	unlink(path);
	assert_int_equal(cfg.main_mode, CONFIG_MAIN_METRIC);
	assert_int_equal(cfg.metric_base, 50);
	assert_int_equal(cfg.prefer_priority, 200);
	assert_true(cfg.rp_loose && cfg.arp_ignore && cfg.arp_announce && cfg.arp_filter);
	for (const char *const *t = (const char *const[]){
		     "[symroute]\nmain-mode = balance\n", "[symroute]\nmain-mode = Multipath\n",
		     "[symroute]\nprefer-priority = 32766\n", "[symroute]\nrp-filter = 1\n",
		     "[symroute]\nmetric-base = -1\n", NULL };
	     *t; t++) {
		config_defaults(&cfg);
		path = write_tmp(*t);
		assert_int_equal(config_load(&cfg, path, true), -EINVAL);
		unlink(path);
	}
}

/* ---- sysctl_run() against a fake conf directory ---- */

static char conf_dir[64];

static void put(const char *iface, const char *name, const char *value)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", conf_dir, iface);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/%s/%s", conf_dir, iface, name);
	f = fopen(path, "we");
	assert_non_null(f);
	fprintf(f, "%s\n", value);
	assert_int_equal(fclose(f), 0);
}

static const char *get(const char *iface, const char *name)
{
	static char value[32];
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/%s", conf_dir, iface, name);
	f = fopen(path, "re");
	assert_non_null(f);
	assert_non_null(fgets(value, sizeof(value), f));
	fclose(f);
	value[strcspn(value, "\n")] = '\0';
	return value;
}

static int conf_setup(void **state)
{
	(void)state;
	snprintf(conf_dir, sizeof(conf_dir), "/tmp/symroute-test-conf.XXXXXX");
	if (!mkdtemp(conf_dir))
		return -1;
	sysctl_conf_dir = conf_dir;
	return 0;
}

static int conf_teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", conf_dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_sysctl_run(void **state)
{
	struct config cfg;
	struct event ev;
	const char *why;

	(void)state;
	config_defaults(&cfg);
	put("default", "rp_filter", "1");
	put("eth0", "rp_filter", "0");
	put("eth0", "arp_ignore", "0");
	put("eth0", "arp_announce", "0");
	put("eth0", "arp_filter", "0");

	event_init(&ev, "test");
	ev.action = EVENT_UP;
	ev.families = EVENT_V4 | EVENT_V6;
	assert_int_equal(event_set_ifname(&ev, "eth0", &why), 0);
	/* Nothing asked: nothing touched. */
	assert_int_equal(sysctl_run(&ev, &cfg, false), 0);
	assert_string_equal(get("eth0", "rp_filter"), "0");

	assert_int_equal(set(&ev, "rp-filter", "loose", &why), 0);
	assert_int_equal(set(&ev, "arp-ignore", "yes", &why), 0);
	assert_int_equal(set(&ev, "arp-announce", "yes", &why), 0);
	assert_int_equal(set(&ev, "arp-filter", "yes", &why), 0);
	assert_int_equal(sysctl_run(&ev, &cfg, false), 4);
	assert_string_equal(get("eth0", "rp_filter"), "2");
	assert_string_equal(get("eth0", "arp_ignore"), "1");
	assert_string_equal(get("eth0", "arp_announce"), "2");
	assert_string_equal(get("eth0", "arp_filter"), "1");
	assert_int_equal(sysctl_run(&ev, &cfg, false), 0);
	/* An IPv6-only event has no IPv4 settings to change. */
	ev.families = EVENT_V6;
	put("eth0", "arp_filter", "0");
	assert_int_equal(sysctl_run(&ev, &cfg, false), 0);
	ev.families = EVENT_V4;
	assert_int_equal(sysctl_run(&ev, &cfg, false), 1);

	/* Down: only what still holds our value; rp_filter back to the default's value. */
	put("eth0", "arp_announce", "1");
	ev.action = EVENT_DOWN;
	assert_int_equal(sysctl_run(&ev, &cfg, false), 3);
	assert_string_equal(get("eth0", "rp_filter"), "1");
	assert_string_equal(get("eth0", "arp_ignore"), "0");
	assert_string_equal(get("eth0", "arp_announce"), "1");
	assert_string_equal(get("eth0", "arp_filter"), "0");
	assert_int_equal(sysctl_run(&ev, &cfg, false), 0);
	/* A gone interface on down: nothing to restore, no error. */
	assert_int_equal(event_set_ifname(&ev, "gone0", &why), 0);
	assert_int_equal(sysctl_run(&ev, &cfg, false), 0);
	/* A gone interface on up: an error naming the file. */
	ev.action = EVENT_UP;
	assert_int_equal(sysctl_run(&ev, &cfg, false), -ENOENT);

	/* The config's host-wide default applies when the event says nothing; its "keep" wins. */
	event_init(&ev, "test");
	ev.action = EVENT_UP;
	ev.families = EVENT_V4;
	assert_int_equal(event_set_ifname(&ev, "eth0", &why), 0);
	cfg.rp_loose = true;
	put("eth0", "rp_filter", "0");
	assert_int_equal(set(&ev, "rp-filter", "keep", &why), 0);
	assert_int_equal(sysctl_run(&ev, &cfg, false), 0);
	event_init(&ev, "test");
	ev.action = EVENT_UP;
	ev.families = EVENT_V4;
	assert_int_equal(event_set_ifname(&ev, "eth0", &why), 0);
	assert_int_equal(sysctl_run(&ev, &cfg, true), 1);	/* dry run: counted, not written */
	assert_string_equal(get("eth0", "rp_filter"), "0");
	assert_int_equal(sysctl_run(&ev, &cfg, false), 1);
	assert_string_equal(get("eth0", "rp_filter"), "2");
}

/* ---- the shared multipath default: encoding, identity, diff, dry-run text ---- */

static struct addr A(const char *text)
{
	const char *why = NULL;
	struct addr a;

	if (addr_parse(&a, text, AF_UNSPEC, 0, &why) < 0)
		fail_msg("bad test address '%s': %s", text, why);
	return a;
}

static struct route shared_route(int family, const char *gw_a, const char *gw_b)
{
	struct route r;

	memset(&r, 0, sizeof(r));
	r.family = (uint8_t)family;
	r.type = RTN_UNICAST;
	r.protocol = 73;
	r.table = RT_TABLE_MAIN;
	r.metric = 1000;
	r.dst.family = (uint8_t)family;
	r.flags = ROUTE_SHARED;
	r.n_nexthops = 2;
	r.nexthops[0].oif = 1;	/* lo: a name every namespace has, for the text */
	r.nexthops[0].weight = 1;
	r.nexthops[0].gateway = A(gw_a);
	r.nexthops[1].oif = 1;
	r.nexthops[1].weight = 256;
	r.nexthops[1].flags = NEXTHOP_ONLINK;
	r.nexthops[1].gateway = A(gw_b);
	return r;
}

static void test_multipath_encoding(void **state)
{
	char buf[RTNL_MSG_MAX] __attribute__((aligned(4)));
	struct route r, back;
	struct nlmsghdr *nlh;

	(void)state;
	for (int f = 0; f < 2; f++) {
		r = f ? shared_route(AF_INET6, "fe80::1", "2001:db8::1")
		      : shared_route(AF_INET, "198.51.100.1", "203.0.113.1");
		/* Added with replace, never with EXCL: the route is rewritten whole. */
		nlh = rtnl_msg_route(buf, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, &r);
		assert_int_equal(nlh->nlmsg_flags & (NLM_F_EXCL | NLM_F_REPLACE | NLM_F_CREATE),
				 NLM_F_REPLACE | NLM_F_CREATE);
		assert_int_equal(rtnl_msg_parse_route(nlh, &back), 0);
		assert_false(back.flags & ROUTE_HAS_EXTRA);
		assert_int_equal(back.n_nexthops, 2);
		/* Decoded in the canonical order (by interface, then gateway). */
		route_nexthops_sort(&r);
		for (unsigned i = 0; i < 2; i++) {
			assert_int_equal(back.nexthops[i].weight, r.nexthops[i].weight);
			assert_int_equal(back.nexthops[i].flags, r.nexthops[i].flags);
		}
		/* The decoder does not know the route is the shared one: have.c says so. */
		back.flags |= ROUTE_SHARED;
		assert_int_equal(route_cmp(&r, &back), 0);
		/* A delete keeps its flags. */
		nlh = rtnl_msg_route(buf, RTM_DELROUTE, 0, &r);
		assert_int_equal(nlh->nlmsg_flags & (NLM_F_REPLACE | NLM_F_CREATE), 0);
	}
	/* The order of next hops does not make two routes differ once sorted. */
	r = shared_route(AF_INET, "203.0.113.1", "198.51.100.1");
	back = r;
	back.nexthops[0] = r.nexthops[1];
	back.nexthops[1] = r.nexthops[0];
	route_nexthops_sort(&r);
	route_nexthops_sort(&back);
	assert_int_equal(route_cmp(&r, &back), 0);
	/* Weights and next hops are part of the identity. */
	back.nexthops[0].weight++;
	assert_int_not_equal(route_cmp(&r, &back), 0);
	back = r;
	back.n_nexthops = 1;
	assert_int_not_equal(route_cmp(&r, &back), 0);
}

static void test_multipath_malformed(void **state)
{
	char buf[RTNL_MSG_MAX] __attribute__((aligned(4)));
	struct route r = shared_route(AF_INET, "198.51.100.1", "203.0.113.1"), back;
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	(void)state;
	/* An empty RTA_MULTIPATH last in the message (found by fuzz-rtnl-msg: the uapi
	 * RTNH_OK() read past it): foreign, and nothing read beyond the message. */
	r.n_nexthops = 0;
	nlh = rtnl_msg_route(buf, RTM_NEWROUTE, 0, &r);
	nest = mnl_attr_nest_start(nlh, RTA_MULTIPATH);
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(rtnl_msg_parse_route(nlh, &back), 0);
	assert_true(back.flags & ROUTE_HAS_EXTRA);
	assert_int_equal(back.n_nexthops, 0);
	/* A next hop cut short, and one with a nested attribute we never send. */
	r = shared_route(AF_INET, "198.51.100.1", "203.0.113.1");
	nlh = rtnl_msg_route(buf, RTM_NEWROUTE, 0, &r);
	nlh->nlmsg_len -= 4;
	assert_true(rtnl_msg_parse_route(nlh, &back) < 0 || (back.flags & ROUTE_HAS_EXTRA));
	r = shared_route(AF_INET, "198.51.100.1", "203.0.113.1");
	r.n_nexthops = 3;
	r.nexthops[2] = r.nexthops[0];
	r.nexthops[2].oif = 0;	/* an interface index of 0 is no next hop */
	nlh = rtnl_msg_route(buf, RTM_NEWROUTE, 0, &r);
	assert_int_equal(rtnl_msg_parse_route(nlh, &back), 0);
	assert_true(back.flags & ROUTE_HAS_EXTRA);
}

static void test_multipath_reconcile(void **state)
{
	static struct policy want;
	struct have have = { 0 };
	struct op ops[8];
	struct route old = shared_route(AF_INET, "198.51.100.1", "203.0.113.1");
	struct route new = old;
	unsigned n;

	(void)state;
	new.nexthops[0].weight = 7;
	memset(&want, 0, sizeof(want));
	want.routes[want.n_routes++] = new;
	assert_int_equal(have_add_route(&have, &old), 0);
	/* A changed shared route: one replace, no delete; its undo writes the old one back. */
	n = reconcile(&want, &have, ops);
	assert_int_equal(n, 1);
	assert_int_equal(ops[0].kind, OP_REPLACE_ROUTE);
	assert_int_equal(route_cmp(&ops[0].u.replace.route, &new), 0);
	assert_int_equal(route_cmp(&ops[0].u.route, &new), 0);
	assert_int_equal(route_cmp(&ops[0].u.replace.prev, &old), 0);
	/* The same: nothing. */
	want.routes[0] = old;
	assert_int_equal(reconcile(&want, &have, ops), 0);
	/* None wanted any more: deleted. */
	want.n_routes = 0;
	n = reconcile(&want, &have, ops);
	assert_int_equal(n, 1);
	assert_int_equal(ops[0].kind, OP_DEL_ROUTE);
	/* A single path replacing the multipath route: still a replace. */
	want.routes[0] = old;
	want.routes[0].n_nexthops = 0;
	want.routes[0].oif = 1;
	want.routes[0].gateway = A("203.0.113.1");
	want.n_routes = 1;
	n = reconcile(&want, &have, ops);
	assert_int_equal(n, 1);
	assert_int_equal(ops[0].kind, OP_REPLACE_ROUTE);
	assert_int_equal(route_cmp(&ops[0].u.replace.prev, &old), 0);
	/* None in place: an add (created; its undo is a delete of the route it made). */
	have_free(&have);
	n = reconcile(&want, &have, ops);
	assert_int_equal(n, 1);
	assert_int_equal(ops[0].kind, OP_ADD_ROUTE);
}

static void test_multipath_text(void **state)
{
	struct route r = shared_route(AF_INET, "198.51.100.1", "203.0.113.1");
	char line[SHOW_LINE_MAX];
	struct op op = { .kind = OP_ADD_ROUTE };

	(void)state;
	op.u.route = r;
	/* As `ip` takes it; the event's interface name is not the next hops'. */
	assert_string_equal(show_op(line, sizeof(line), &op, "eth9"),
			    "ip -4 route replace default table main proto 73 metric 1000 "
			    "nexthop via 198.51.100.1 dev lo weight 1 "
			    "nexthop via 203.0.113.1 dev lo weight 256 onlink");
	op.u.route.n_nexthops = 0;
	op.u.route.oif = 1;
	op.u.route.gateway = A("198.51.100.1");
	assert_string_equal(show_op(line, sizeof(line), &op, "eth9"),
			    "ip -4 route replace default via 198.51.100.1 dev lo table main proto 73 "
			    "metric 1000");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_metric),
		cmocka_unit_test(test_prefer_list),
		cmocka_unit_test(test_prefer_refused),
		cmocka_unit_test(test_sysctl_knobs),
		cmocka_unit_test(test_config_keys),
		cmocka_unit_test_setup_teardown(test_sysctl_run, conf_setup, conf_teardown),
		cmocka_unit_test(test_multipath_encoding),
		cmocka_unit_test(test_multipath_malformed),
		cmocka_unit_test(test_multipath_reconcile),
		cmocka_unit_test(test_multipath_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
