// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: faults under the whole pipeline (run_event) against a model kernel; every run converges. */
#include <errno.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdbool.h>
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

#include "addr.h"
#include "config.h"
#include "event.h"
#include "exitcode.h"
#include "log.h"
#include "policy.h"
#include "rtnl.h"
#include "run.h"
#include "options.h"
#include "reconcile.h"
#include "show.h"
#include "sysctl.h"

/*
 * The seam: the link step (-Wl,--wrap=..., see tests/unit/fault.am) sends every call the core
 * makes into rtnl.c, the interface lookups of libc and the route-cache flush here. Behind
 * them is a model kernel: links with addresses, routes and rules, with the kernel's answers
 * (EEXIST for a duplicate under EXCL, ESRCH/ENOENT for a missing object, ENODEV for a gone
 * link). Faults are injected by call number. The test drives run_event() as main() does and
 * checks, after each fault: the run failed cleanly (EXIT_KERNEL), what it changed was rolled
 * back, nothing foreign changed, and the next run without faults converges to the state a
 * fault-free run reaches, after which one more run changes nothing.
 */
int __wrap_rtnl_open(struct rtnl **out);
void __wrap_rtnl_close(struct rtnl *nl);
int __wrap_rtnl_dump_routes(struct rtnl *nl, int family, uint32_t table, rtnl_route_fn fn,
			    void *data, void (*reset)(void *data));
int __wrap_rtnl_dump_routes_oif(struct rtnl *nl, int family, uint32_t table, uint32_t oif,
				rtnl_route_fn fn, void *data, void (*reset)(void *data));
int __wrap_rtnl_dump_routes_proto(struct rtnl *nl, int family, uint32_t table, uint8_t protocol,
				  rtnl_route_fn fn, void *data, void (*reset)(void *data));
int __wrap_rtnl_dump_routes_zero4(struct rtnl *nl, uint32_t table, rtnl_route_fn fn, void *data,
				  void (*reset)(void *data));
int __wrap_rtnl_dump_routes_nets(struct rtnl *nl, int family, uint32_t table, uint8_t protocol,
				 const struct addr *nets, unsigned n_nets, rtnl_route_fn fn,
				 void *data, void (*reset)(void *data));
int __wrap_rtnl_dump_rules(struct rtnl *nl, int family, rtnl_rule_fn fn, void *data,
			   void (*reset)(void *data));
int __wrap_rtnl_dump_rules_of(struct rtnl *nl, int family, uint8_t protocol, rtnl_rule_fn fn,
			      void *data, void (*reset)(void *data));
bool __wrap_rtnl_rules_held(struct rtnl *nl, int family, const struct rule **rules, size_t *n);
int __wrap_rtnl_dump_addrs(struct rtnl *nl, int family, uint32_t ifindex, rtnl_addr_fn fn,
			   void *data, void (*reset)(void *data));
int __wrap_rtnl_route_change(struct rtnl *nl, bool add, const struct route *r);
int __wrap_sysctl_write(const struct sysctl_set *set, bool undo);
int __wrap_rtnl_rule_change(struct rtnl *nl, bool add, const struct rule *r);
int __wrap_rtnl_route_match(struct rtnl *nl, const struct addr *dst, const struct addr *src,
			    uint32_t oif, struct route *out);
int __wrap_rtnl_route_get(struct rtnl *nl, const struct addr *dst, const struct addr *src,
			  uint32_t oif, struct route *out);
bool __wrap_rtnl_link_exists(struct rtnl *nl, uint32_t ifindex);
const char *__wrap_rtnl_ext_ack(const struct rtnl *nl);
unsigned int __wrap_if_nametoindex(const char *name);
char *__wrap_if_indextoname(unsigned int ifindex, char *name);
void __wrap_apply_flush_cache(int family);

#define OURS CONFIG_DEFAULT_PROTOCOL
#define MODEL_MAX_LINKS 8
#define MODEL_MAX_ADDRS 8
#define MODEL_MAX_ROUTES 256
#define MODEL_MAX_RULES 128

/* ---- the model kernel ---- */

struct mlink {
	char name[IFNAMSIZ];
	uint32_t ifindex;
	unsigned n_addrs;
	struct addr addrs[MODEL_MAX_ADDRS];
};

/* One value under /proc/sys/net/ipv4/conf/IFNAME/ (IFNAME "default": the host's default). */
struct msysctl {
	char ifname[IFNAMSIZ];
	char knob[16];
	char value[SYSCTL_VALUE_MAX];
};

#define MODEL_MAX_SYSCTLS 8

struct kernel {
	unsigned n_links, n_routes, n_rules, n_sysctls;
	struct mlink links[MODEL_MAX_LINKS];
	struct route routes[MODEL_MAX_ROUTES];
	struct rule rules[MODEL_MAX_RULES];
	struct msysctl sysctls[MODEL_MAX_SYSCTLS];
};

static struct kernel K;

/* ---- faults, by call number ---- */

enum fault_mode {
	FAULT_NONE,
	FAULT_REFUSE,		/* the request is refused with fault.err, nothing changes */
	FAULT_ACK_LOST,		/* the kernel made the change, the reader got fault.err (ENOBUFS) */
};

static struct {
	enum fault_mode change_mode;
	int change_at;		/* 0-based index of the change request to fail; -1: none */
	int change_at2;		/* a second one (a rollback's request), -1: none */
	int change_err;
	int dump_at;		/* 0-based index of the dump to fail; -1: none */
	int dump_err;
	int interrupt_at;	/* this dump is interrupted once, then restarted (NLM_F_DUMP_INTR) */
	bool interrupt_always;	/* every dump interrupted: rtnl gives up with -EINTR */
	/* Counters of the current run. */
	int n_changes, n_dumps;
	bool ack_fired;		/* an ACK was lost after a real change */
	int n_effective;	/* requests that changed the model (a question may not) */
	/*
	 * Adds answered "already there": the questions an event asks instead of reading
	 * (run.c): eth1's default in main when main is left unread (main_by_witness(),
	 * n_asked_main, one a family at most), and our rules when the table's fingerprint
	 * says they are in place (rules_by_witness()). Neither writes anything.
	 */
	int n_asked, n_asked_main;
	int n_main_reads6;	/* dumps that list IPv6 main (a walk of all of it in a kernel) */
	int n_addr_lists;	/* dumps of every address of the host (no interface given) */
	/* A concurrent run that finishes its changes just before our first request. */
	const struct kernel *race;
	/* Guards: nothing foreign is ever the object of a change. */
	int foreign_touched;
} F;

static char rtnl_token;
static char last_error[1024];
static char lock_path[64];

static void faults_clear(void)
{
	memset(&F, 0, sizeof(F));
	F.change_at = F.change_at2 = F.dump_at = F.interrupt_at = -1;
}

static void sink(int priority, const char *msg)
{
	if (priority <= 3)	/* LOG_ERR */
		snprintf(last_error, sizeof(last_error), "%s", msg);
}

static struct mlink *link_by_index(uint32_t ifindex)
{
	for (unsigned i = 0; i < K.n_links; i++)
		if (K.links[i].ifindex == ifindex)
			return &K.links[i];
	return NULL;
}

static struct mlink *link_by_name(const char *name)
{
	for (unsigned i = 0; i < K.n_links; i++)
		if (strcmp(K.links[i].name, name) == 0)
			return &K.links[i];
	return NULL;
}

/* Objects symroute may change: tagged ours. Everything else is foreign, and so are ours of
 * the other interface (eth2) that no event of this test is about. */
static uint32_t protected_ifindex = 3;

static bool route_protected(const struct route *r)
{
	/* main-mode multipath: the shared default is every managed interface's, eth1's too. */
	if (r->protocol == OURS && (r->flags & ROUTE_SHARED))
		return false;
	return r->protocol != OURS || r->oif == protected_ifindex ||
	       r->table == CONFIG_DEFAULT_TABLE_BASE + protected_ifindex;
}

static bool rule_protected(const struct rule *r)
{
	return r->protocol != OURS || r->table == CONFIG_DEFAULT_TABLE_BASE + protected_ifindex;
}

/*
 * Returns 0 to go ahead, 1 to change and still report ENOBUFS (the ACK lost: a request the
 * kernel answers with EEXIST or ENOENT has its answer delivered), or a -errno to refuse.
 */
static int change_fault(void)
{
	int n = F.n_changes++;

	if (n == 0 && F.race)
		K = *F.race;
	if (n != F.change_at && n != F.change_at2)
		return 0;
	return F.change_mode == FAULT_ACK_LOST ? 1 : F.change_err;
}

static int ack_lost(void)
{
	F.ack_fired = true;
	return -ENOBUFS;
}

/* The kernel's key for IPv4 and IPv6 routes: a second one with the same key is EEXIST. */
static bool route_same_key(const struct route *a, const struct route *b)
{
	return a->family == b->family && a->table == b->table && a->metric == b->metric &&
	       a->dst.plen == b->dst.plen && addr_same_ip(&a->dst, &b->dst);
}

int __wrap_rtnl_route_change(struct rtnl *nl, bool add, const struct route *r)
{
	char line[SHOW_LINE_MAX];
	int fault;

	assert_ptr_equal(nl, &rtnl_token);
	if (getenv("FAULT_DEBUG"))
		fprintf(stderr, "# change %d: %s\n", F.n_changes,
			show_route(line, sizeof(line), r, add ? "add" : "del", "?"));
	if (route_protected(r))
		F.foreign_touched++;
	fault = change_fault();
	if (fault < 0)
		return fault;
	if (add) {
		if (r->oif && !link_by_index(r->oif))
			return -ENODEV;
		for (unsigned i = 0; i < K.n_routes; i++) {
			if (!route_same_key(&K.routes[i], r))
				continue;
			/* The shared default goes with NLM_F_REPLACE (rtnl_msg_route()). */
			if (!(r->flags & ROUTE_SHARED)) {
				F.n_asked_main += r->protocol == OURS &&
						  r->table == RT_TABLE_MAIN && r->dst.plen == 0 &&
						  r->oif == 2;
				F.n_asked += r->protocol == OURS && r->table == RT_TABLE_MAIN &&
					     r->dst.plen == 0 && r->oif == 2;
				return -EEXIST;	/* an answer, not a lost one: no ACK to lose */
			}
			K.routes[i] = *r;
			F.n_effective++;
			return fault ? ack_lost() : 0;
		}
		assert_true(K.n_routes < MODEL_MAX_ROUTES);
		K.routes[K.n_routes++] = *r;
		F.n_effective++;
	} else {
		unsigned i;

		for (i = 0; i < K.n_routes; i++)
			if (route_cmp(&K.routes[i], r) == 0)
				break;
		if (i == K.n_routes)
			return -ESRCH;
		K.routes[i] = K.routes[--K.n_routes];
		F.n_effective++;
	}
	return fault ? ack_lost() : 0;
}

int __wrap_rtnl_rule_change(struct rtnl *nl, bool add, const struct rule *r)
{
	char line[SHOW_LINE_MAX];
	int fault;

	assert_ptr_equal(nl, &rtnl_token);
	if (getenv("FAULT_DEBUG"))
		fprintf(stderr, "# change %d: %s\n", F.n_changes,
			show_rule(line, sizeof(line), r, add ? "add" : "del"));
	if (rule_protected(r) && !(r->table == RT_TABLE_MAIN && r->suppress_prefixlen >= 0 &&
				   r->protocol == OURS))
		F.foreign_touched++;
	fault = change_fault();
	if (fault < 0)
		return fault;
	if (add) {
		for (unsigned i = 0; i < K.n_rules; i++) {
			if (rule_cmp(&K.rules[i], r) == 0) {
				F.n_asked += r->protocol == OURS;
				return -EEXIST;
			}
		}
		assert_true(K.n_rules < MODEL_MAX_RULES);
		K.rules[K.n_rules++] = *r;
		F.n_effective++;
	} else {
		unsigned i;

		for (i = 0; i < K.n_rules; i++)
			if (rule_cmp(&K.rules[i], r) == 0)
				break;
		if (i == K.n_rules)
			return -ENOENT;
		memmove(&K.rules[i], &K.rules[i + 1], (K.n_rules - i - 1) * sizeof(K.rules[0]));
		K.n_rules--;
		F.n_effective++;
	}
	return fault ? ack_lost() : 0;
}

/*
 * A dump: the fault plan may refuse it, interrupt it once (the callbacks see a part, then
 * reset, then everything: what NLM_F_DUMP_INTR makes rtnl.c do), or interrupt it for good.
 */
static struct msysctl *sysctl_find(const char *ifname, const char *knob)
{
	for (unsigned i = 0; i < K.n_sysctls; i++)
		if (strcmp(K.sysctls[i].ifname, ifname) == 0 && strcmp(K.sysctls[i].knob, knob) == 0)
			return &K.sysctls[i];
	return NULL;
}

/* A write to /proc is a change request like a netlink one: the same faults hit it. */
int __real_sysctl_write(const struct sysctl_set *set, bool undo);

int __wrap_sysctl_write(const struct sysctl_set *set, bool undo)
{
	struct msysctl *v = sysctl_find(set->ifname, set->knob);
	int fault = change_fault();
	int r;

	if (fault < 0)
		return fault;
	if (!v)
		return -ENOENT;
	if (getenv("FAULT_DEBUG"))
		fprintf(stderr, "# change %d: %s%s=%s\n", F.n_changes - 1, undo ? "(undo) " : "",
			set->knob, undo ? set->before : set->value);
	/* The files under sysctl_conf_dir are what sysctl_plan() reads; the model mirrors them. */
	r = __real_sysctl_write(set, undo);
	if (r < 0)
		return r;
	snprintf(v->value, sizeof(v->value), "%s", undo ? set->before : set->value);
	F.n_effective++;
	/* The value written, the caller told otherwise (as a lost ACK): it undoes it. */
	return fault == 1 ? ack_lost() : 0;
}

static char conf_dir[64];

/* A value in the model and in its file under conf_dir (sysctl_conf_dir: what is read). */
static void sysctl_put(const char *ifname, const char *knob, const char *value)
{
	struct msysctl *v = &K.sysctls[K.n_sysctls++];
	char path[256];
	FILE *f;

	assert_true(K.n_sysctls <= MODEL_MAX_SYSCTLS);
	snprintf(v->ifname, sizeof(v->ifname), "%s", ifname);
	snprintf(v->knob, sizeof(v->knob), "%s", knob);
	snprintf(v->value, sizeof(v->value), "%s", value);
	snprintf(path, sizeof(path), "%s/%s", conf_dir, ifname);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/%s/%s", conf_dir, ifname, knob);
	f = fopen(path, "we");
	assert_non_null(f);
	fprintf(f, "%s\n", value);
	assert_int_equal(fclose(f), 0);
}

static int dump_fault(void (*reset)(void *data), void *data, bool *interrupted)
{
	int n = F.n_dumps++;

	*interrupted = false;
	if (n == F.dump_at)
		return F.dump_err;
	if (F.interrupt_always)
		return -EINTR;
	/* Without a reset, rtnl.c replays into the same collection: callbacks must not mind. */
	if (n == F.interrupt_at)
		*interrupted = true;
	(void)data;
	return 0;
}

static int dump_routes(int family, uint32_t table, uint32_t oif, uint8_t protocol,
		       rtnl_route_fn fn, void *data, void (*reset)(void *data))
{
	bool interrupted;
	int r = dump_fault(reset, data, &interrupted);

	F.n_main_reads6 += (!family || family == AF_INET6) && (!table || table == RT_TABLE_MAIN);
	if (r < 0)
		return r;
	for (int pass = interrupted ? 0 : 1; pass < 2; pass++) {
		unsigned seen = 0, stop = pass == 0 ? (K.n_routes + 1) / 2 : K.n_routes;

		for (unsigned i = 0; i < K.n_routes && seen < stop; i++) {
			const struct route *k = &K.routes[i];

			if ((family && k->family != family) || (table && k->table != table) ||
			    (oif && k->oif != oif) || (protocol && k->protocol != protocol))
				continue;
			seen++;
			r = fn(k, data);
			if (r)
				return r;
		}
		if (pass == 0 && reset)
			reset(data);
	}
	return 0;
}

int __wrap_rtnl_dump_routes(struct rtnl *nl, int family, uint32_t table, rtnl_route_fn fn,
			    void *data, void (*reset)(void *data))
{
	assert_ptr_equal(nl, &rtnl_token);
	return dump_routes(family, table, 0, 0, fn, data, reset);
}

int __wrap_rtnl_dump_routes_oif(struct rtnl *nl, int family, uint32_t table, uint32_t oif,
				rtnl_route_fn fn, void *data, void (*reset)(void *data))
{
	assert_ptr_equal(nl, &rtnl_token);
	return dump_routes(family, table, oif, 0, fn, data, reset);
}

int __wrap_rtnl_dump_routes_proto(struct rtnl *nl, int family, uint32_t table, uint8_t protocol,
				  rtnl_route_fn fn, void *data, void (*reset)(void *data))
{
	assert_ptr_equal(nl, &rtnl_token);
	return dump_routes(family, table, 0, protocol, fn, data, reset);
}

/* The routes to 0.0.0.0 alone (the kernel's first key), with the dumps' faults. */
struct zero4 {
	rtnl_route_fn fn;
	void *data;
	void (*reset)(void *data);
};

static int zero4_route(const struct route *r, void *data)
{
	static const uint8_t zero[4];
	const struct zero4 *z = data;

	return memcmp(r->dst.bytes, zero, sizeof(zero)) == 0 ? z->fn(r, z->data) : 0;
}

static void zero4_reset(void *data)
{
	const struct zero4 *z = data;

	if (z->reset)
		z->reset(z->data);
}

int __wrap_rtnl_dump_routes_zero4(struct rtnl *nl, uint32_t table, rtnl_route_fn fn, void *data,
				  void (*reset)(void *data))
{
	struct zero4 z = { fn, data, reset };

	assert_ptr_equal(nl, &rtnl_token);
	return dump_routes(AF_INET, table, 0, 0, zero4_route, &z, zero4_reset);
}

/* No snapshot in the model: the rules are dumped, with the dumps' faults. */
bool __wrap_rtnl_rules_held(struct rtnl *nl, int family, const struct rule **rules, size_t *n)
{
	assert_ptr_equal(nl, &rtnl_token);
	(void)family;
	(void)rules;
	(void)n;
	return false;
}

/* The model kernel cannot filter on a destination either: the callback's own words. */
struct nets_filter {
	const struct addr *nets;
	unsigned n;
	rtnl_route_fn fn;
	void *data;
};

static int nets_route(const struct route *r, void *data)
{
	struct nets_filter *f = data;

	for (unsigned i = 0; i < f->n; i++)
		if (addr_cmp(&f->nets[i], &r->dst) == 0)
			return f->fn(r, f->data);
	return 0;
}

int __wrap_rtnl_dump_routes_nets(struct rtnl *nl, int family, uint32_t table, uint8_t protocol,
				 const struct addr *nets, unsigned n_nets, rtnl_route_fn fn,
				 void *data, void (*reset)(void *data))
{
	struct nets_filter f = { nets, n_nets, fn, data };

	assert_ptr_equal(nl, &rtnl_token);
	/* have.c's one call has no reset (a replay finds the same prefixes, kept once). */
	assert_null(reset);
	return dump_routes(family, table, 0, protocol, nets_route, &f, NULL);
}

/* The kernel's rules of @family (0: all) and of @protocol (-1: any), with the dump's faults. */
static int dump_rules(int family, int protocol, rtnl_rule_fn fn, void *data,
		      void (*reset)(void *data))
{
	bool interrupted;
	int r = dump_fault(reset, data, &interrupted);

	if (r < 0)
		return r;
	for (int pass = interrupted ? 0 : 1; pass < 2; pass++) {
		unsigned stop = pass == 0 ? (K.n_rules + 1) / 2 : K.n_rules;

		for (unsigned i = 0; i < stop; i++) {
			if ((family && K.rules[i].family != family) ||
			    (protocol >= 0 && K.rules[i].protocol != protocol))
				continue;
			r = fn(&K.rules[i], data);
			if (r)
				return r;
		}
		if (pass == 0 && reset)
			reset(data);
	}
	return 0;
}

int __wrap_rtnl_dump_rules(struct rtnl *nl, int family, rtnl_rule_fn fn, void *data,
			   void (*reset)(void *data))
{
	assert_ptr_equal(nl, &rtnl_token);
	return dump_rules(family, -1, fn, data, reset);
}

/* The same kernel and the same faults, the rules of other owners left out. */
int __wrap_rtnl_dump_rules_of(struct rtnl *nl, int family, uint8_t protocol, rtnl_rule_fn fn,
			      void *data, void (*reset)(void *data))
{
	assert_ptr_equal(nl, &rtnl_token);
	return dump_rules(family, protocol, fn, data, reset);
}

int __wrap_rtnl_dump_addrs(struct rtnl *nl, int family, uint32_t ifindex, rtnl_addr_fn fn,
			   void *data, void (*reset)(void *data))
{
	bool interrupted;
	int r = dump_fault(reset, data, &interrupted);

	assert_ptr_equal(nl, &rtnl_token);
	if (r < 0)
		return r;
	F.n_addr_lists += !ifindex;
	for (int pass = interrupted ? 0 : 1; pass < 2; pass++) {
		for (unsigned l = 0; l < K.n_links; l++) {
			const struct mlink *k = &K.links[l];

			if (ifindex && k->ifindex != ifindex)
				continue;
			for (unsigned i = 0; i < (pass == 0 ? 1 : k->n_addrs) && i < k->n_addrs; i++) {
				if (family && k->addrs[i].family != family)
					continue;
				r = fn(&k->addrs[i], RT_SCOPE_UNIVERSE, 0, data);
				if (r)
					return r;
			}
		}
		if (pass == 0 && reset)
			reset(data);
	}
	return 0;
}

/* The FIB entry main gives @dst (through @oif alone, 0: any): longest prefix, then lowest metric. */
static int main_match(const struct addr *dst, uint32_t oif, struct route *out)
{
	const struct route *best = NULL;

	for (unsigned i = 0; i < K.n_routes; i++) {
		const struct route *k = &K.routes[i];

		if (k->table != RT_TABLE_MAIN || k->family != dst->family ||
		    (oif && k->oif != oif) || !addr_in_prefix(&k->dst, dst))
			continue;
		if (!best || k->dst.plen > best->dst.plen ||
		    (k->dst.plen == best->dst.plen && k->metric < best->metric))
			best = k;
	}
	if (!best)
		return -ENETUNREACH;
	*out = *best;
	return 0;
}

/*
 * Through one interface (IPv6's router): a read like a dump for the fault plan; refused, run.c
 * reads main. Without one (narrow mode's shared subnets), a question whose refusal only
 * reads "not shared": no fault point.
 */
int __wrap_rtnl_route_match(struct rtnl *nl, const struct addr *dst, const struct addr *src,
			    uint32_t oif, struct route *out)
{
	bool interrupted;
	int r = oif ? dump_fault(NULL, NULL, &interrupted) : 0;

	(void)src;
	assert_ptr_equal(nl, &rtnl_token);
	return r < 0 ? r : main_match(dst, oif, out);
}

int __wrap_rtnl_route_get(struct rtnl *nl, const struct addr *dst, const struct addr *src,
			  uint32_t oif, struct route *out)
{
	(void)src;
	(void)oif;
	assert_ptr_equal(nl, &rtnl_token);
	return main_match(dst, 0, out);
}

bool __wrap_rtnl_link_exists(struct rtnl *nl, uint32_t ifindex)
{
	return link_by_index(ifindex) != NULL;
}

const char *__wrap_rtnl_ext_ack(const struct rtnl *nl)
{
	return F.change_err == -EPERM ? "model kernel: refused by the fault plan" : NULL;
}

int __wrap_rtnl_open(struct rtnl **out)
{
	*out = (struct rtnl *)&rtnl_token;
	return 0;
}

void __wrap_rtnl_close(struct rtnl *nl)
{
	assert_true(nl == NULL || nl == (struct rtnl *)&rtnl_token);
}

unsigned int __wrap_if_nametoindex(const char *name)
{
	const struct mlink *l = link_by_name(name);

	return l ? l->ifindex : 0;
}

char *__wrap_if_indextoname(unsigned int ifindex, char *name)
{
	const struct mlink *l = link_by_index(ifindex);

	if (!l) {
		errno = ENXIO;
		return NULL;
	}
	memcpy(name, l->name, IFNAMSIZ);
	return name;
}

void __wrap_apply_flush_cache(int family)
{
	(void)family;	/* the host's route cache is not ours to touch from a unit test */
}

/* ---- building the world ---- */

static struct addr A(const char *text)
{
	const char *why;
	struct addr a;

	assert_int_equal(addr_parse(&a, text, AF_UNSPEC, 0, &why), 0);
	return a;
}

static void link_add(const char *name, uint32_t ifindex, const char *a1, const char *a2)
{
	struct mlink *l = &K.links[K.n_links++];

	memset(l, 0, sizeof(*l));
	snprintf(l->name, sizeof(l->name), "%s", name);
	l->ifindex = ifindex;
	if (a1)
		l->addrs[l->n_addrs++] = A(a1);
	if (a2)
		l->addrs[l->n_addrs++] = A(a2);
}

static void link_del(const char *name)
{
	struct mlink *l = link_by_name(name);

	assert_non_null(l);
	/* The kernel drops every route through a link that goes away; rules stay. */
	for (unsigned i = 0; i < K.n_routes;)
		if (K.routes[i].oif == l->ifindex)
			K.routes[i] = K.routes[--K.n_routes];
		else
			i++;
	*l = K.links[--K.n_links];
}

static void route_put(int family, uint8_t proto, uint32_t table, const char *dst, const char *gw,
		      uint32_t oif, uint32_t metric)
{
	struct route *r = &K.routes[K.n_routes++];

	memset(r, 0, sizeof(*r));
	r->family = (uint8_t)family;
	r->type = RTN_UNICAST;
	r->scope = gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	r->protocol = proto;
	r->table = table;
	r->metric = metric;
	r->oif = oif;
	r->dst = A(dst);
	if (gw)
		r->gateway = A(gw);
}

static void rule_put(int family, uint8_t proto, uint32_t prio, const char *from, uint32_t table)
{
	struct rule *r = &K.rules[K.n_rules++];

	memset(r, 0, sizeof(*r));
	r->family = (uint8_t)family;
	r->protocol = proto;
	r->action = FR_ACT_TO_TBL;
	r->suppress_prefixlen = -1;
	r->priority = prio;
	r->table = table;
	if (from)
		r->src = A(from);
}

/*
 * eth1 (ifindex 2): the interface the events are about. eth2 (ifindex 3): another interface
 * symroute manages; its table and rules must survive everything done to eth1. Foreign: the
 * kernel's three rules, a rule and a table of someone else's, main's own routes.
 */
static void world(bool main_default, bool multipath)
{
	memset(&K, 0, sizeof(K));
	link_add("lo", 1, NULL, NULL);
	link_add("eth1", 2, "198.51.100.10/24", "2001:db8:1::10/64");
	link_add("eth2", 3, "203.0.113.20/24", NULL);
	/* Unmanaged, in eth1's subnet (issue 19): eth1 gets a shared-subnet rule too. */
	link_add("eth3", 4, "198.51.100.20/24", NULL);

	rule_put(AF_INET, RTPROT_KERNEL, 0, NULL, RT_TABLE_LOCAL);
	rule_put(AF_INET, RTPROT_BOOT, 500, "203.0.113.99/32", 77);
	rule_put(AF_INET, RTPROT_KERNEL, 32766, NULL, RT_TABLE_MAIN);
	rule_put(AF_INET, RTPROT_KERNEL, 32767, NULL, RT_TABLE_DEFAULT);
	rule_put(AF_INET6, RTPROT_KERNEL, 0, NULL, RT_TABLE_LOCAL);
	rule_put(AF_INET6, RTPROT_KERNEL, 32766, NULL, RT_TABLE_MAIN);
	/* eth3's first: narrow mode's one lookup sees it win over eth1's. */
	route_put(AF_INET, RTPROT_KERNEL, RT_TABLE_MAIN, "198.51.100.0/24", NULL, 4, 0);
	route_put(AF_INET, RTPROT_KERNEL, RT_TABLE_MAIN, "198.51.100.0/24", NULL, 2, 0);
	route_put(AF_INET, RTPROT_KERNEL, RT_TABLE_MAIN, "203.0.113.0/24", NULL, 3, 0);
	route_put(AF_INET6, RTPROT_KERNEL, RT_TABLE_MAIN, "2001:db8:1::/64", NULL, 2, 256);
	route_put(AF_INET, RTPROT_STATIC, 77, "192.0.2.0/24", "203.0.113.1", 3, 0);
	if (main_default)
		route_put(AF_INET, RTPROT_BOOT, RT_TABLE_MAIN, "0.0.0.0/0", "198.51.100.1", 2, 0);
	/* eth2, already managed: its table, its rule and the shared rule. */
	route_put(AF_INET, OURS, CONFIG_DEFAULT_TABLE_BASE + 3, "203.0.113.0/24", NULL, 3, 0);
	K.routes[K.n_routes - 1].prefsrc = A("203.0.113.20");
	route_put(AF_INET, OURS, CONFIG_DEFAULT_TABLE_BASE + 3, "0.0.0.0/0", "203.0.113.1", 3, 0);
	rule_put(AF_INET, OURS, CONFIG_DEFAULT_SUPPRESS_PRIORITY, NULL, RT_TABLE_MAIN);
	K.rules[K.n_rules - 1].suppress_prefixlen = 0;
	rule_put(AF_INET, OURS, CONFIG_DEFAULT_PRIORITY, "203.0.113.20/32",
		 CONFIG_DEFAULT_TABLE_BASE + 3);
	/* main-mode multipath: eth2's next hop is main's shared default alone, so far. */
	if (multipath) {
		route_put(AF_INET, OURS, RT_TABLE_MAIN, "0.0.0.0/0", "203.0.113.1", 3,
			  CONFIG_DEFAULT_METRIC_BASE);
		K.routes[K.n_routes - 1].flags = ROUTE_SHARED;
	}
	/* eth1's settings as a fresh Debian host has them; strict rp_filter by default. */
	sysctl_put("default", "rp_filter", "1");
	sysctl_put("eth1", "rp_filter", "1");
	sysctl_put("eth1", "arp_ignore", "0");
}

/* Put the second route to @dst of @family in main before the first (equal metrics: it wins). */
static void route_swap_first(int family, const char *dst)
{
	struct addr d = A(dst);
	int first = -1;

	for (unsigned i = 0; i < K.n_routes; i++) {
		struct route *r = &K.routes[i];

		if (r->family != family || r->table != RT_TABLE_MAIN || addr_cmp(&r->dst, &d))
			continue;
		if (first < 0) {
			first = (int)i;
		} else {
			struct route t = K.routes[first];

			K.routes[first] = *r;
			*r = t;
			return;
		}
	}
	fail_msg("no two routes to %s in main", dst);
}

/* ---- comparing states ---- */

static int qroute(const void *a, const void *b)
{
	return route_cmp(a, b);
}

static int qrule(const void *a, const void *b)
{
	return rule_cmp(a, b);
}

/* Kernels keep rules in priority order and routes in no order we depend on. */
static void normalize(struct kernel *k)
{
	qsort(k->routes, k->n_routes, sizeof(k->routes[0]), qroute);
	qsort(k->rules, k->n_rules, sizeof(k->rules[0]), qrule);
}

static bool same_state(const struct kernel *a, const struct kernel *b)
{
	struct kernel x = *a, y = *b;

	normalize(&x);
	normalize(&y);
	if (x.n_routes != y.n_routes || x.n_rules != y.n_rules)
		return false;
	for (unsigned i = 0; i < x.n_routes; i++)
		if (route_cmp(&x.routes[i], &y.routes[i]))
			return false;
	for (unsigned i = 0; i < x.n_rules; i++)
		if (rule_cmp(&x.rules[i], &y.rules[i]))
			return false;
	/* The same values in the same slots: the model never adds or removes one. */
	if (x.n_sysctls != y.n_sysctls)
		return false;
	for (unsigned i = 0; i < x.n_sysctls; i++)
		if (strcmp(x.sysctls[i].value, y.sysctls[i].value) != 0)
			return false;
	return true;
}

/* What is not symroute's to change: everything but ours on eth1. */
static void foreign_part(const struct kernel *k, struct kernel *out)
{
	memset(out, 0, sizeof(*out));
	for (unsigned i = 0; i < k->n_routes; i++)
		if (route_protected(&k->routes[i]))
			out->routes[out->n_routes++] = k->routes[i];
	for (unsigned i = 0; i < k->n_rules; i++)
		if (rule_protected(&k->rules[i]) &&
		    !(k->rules[i].table == RT_TABLE_MAIN && k->rules[i].suppress_prefixlen >= 0))
			out->rules[out->n_rules++] = k->rules[i];
}

static void assert_foreign_unchanged(const struct kernel *before)
{
	struct kernel a, b;

	foreign_part(before, &a);
	foreign_part(&K, &b);
	if (!same_state(&a, &b))
		fail_msg("a foreign object (or eth2's) changed");
	assert_int_equal(F.foreign_touched, 0);
}

/* No two identical rules or routes of ours: a duplicate is what EXCL exists to prevent. */
static void assert_no_duplicates(void)
{
	struct kernel x = K;

	normalize(&x);
	for (unsigned i = 1; i < x.n_rules; i++)
		assert_int_not_equal(rule_cmp(&x.rules[i - 1], &x.rules[i]), 0);
	for (unsigned i = 1; i < x.n_routes; i++)
		assert_int_not_equal(route_cmp(&x.routes[i - 1], &x.routes[i]), 0);
}

/* ---- running events ---- */

struct scenario {
	const char *name;
	bool main_default;	/* main holds a foreign default: ours stays behind it */
	bool narrow;		/* config `narrow`: shared subnets found by lookup, not by dumps */
	enum event_action action;
	const char *change_addr;	/* eth1's IPv4 address before the event, if it changed */
	bool stale_gone;	/* eth1 was deleted before the event arrived */
	bool sysctls;		/* rp-filter loose and arp-ignore: /proc writes among the changes */
	bool multipath;		/* main-mode multipath: eth1's hop joins or leaves eth2's */
	/*
	 * After eth1's first up, before the event: the fallback metric base changes (main
	 * still holds our default at the old metric); the event's IPv4 gateway is another
	 * one; our default in main is deleted by hand.
	 */
	bool metric_change;
	const char *new_gateway;
	bool hand_deleted;
	/*
	 * IPv6 without a gateway in the event (DHCPv6, SLAAC): a router's default through
	 * eth1 in main gives it; a repeat of the first up; the router changed before it.
	 */
	bool router_v6;
	bool repeat;
	const char *new_router;
	/*
	 * Before the event: rules of ours into the automatic tables of interfaces that vanished
	 * without a down, from eth1's address (an interface recreated with a new index) and
	 * from another one (ORPHAN_MINE, ORPHAN_OTHER).
	 */
	bool orphan_mine;
	bool orphan_other;
	/* eth1's connected route before eth3's in main: eth1's own wins the lookup. */
	bool own_route_wins;
};

#define ORPHAN_MINE (CONFIG_DEFAULT_TABLE_BASE + 9)
#define ORPHAN_OTHER (CONFIG_DEFAULT_TABLE_BASE + 8)

static struct config cfg;
static bool thorough;	/* the next run is `sync`'s: main read, whatever the witness says */

static int run(const struct scenario *s)
{
	struct run_opts opts = { .dry_run = false, .lock_path = lock_path, .thorough = thorough };
	struct event ev;
	const char *why;

	event_init(&ev, "test");
	assert_int_equal(event_set_ifname(&ev, "eth1", &why), 0);
	ev.action = s->action;
	ev.families = EVENT_V4 | EVENT_V6;
	ev.strict_addrs = false;
	if (s->action == EVENT_UP) {
		ev.gateway[0] = A(s->new_gateway ? s->new_gateway : "198.51.100.1");
		ev.gateway[1] = A("2001:db8:1::1");
		ev.gateways_given = s->router_v6 ? EVENT_V4 : EVENT_V4 | EVENT_V6;
	}
	if (s->sysctls) {
		assert_int_equal(options_set(&ev, "rp-filter", "loose", &why), 0);
		assert_int_equal(options_set(&ev, "arp-ignore", "yes", &why), 0);
	}
	F.n_changes = F.n_dumps = F.n_effective = F.n_asked = F.n_asked_main = 0;
	F.n_main_reads6 = F.n_addr_lists = 0;
	last_error[0] = '\0';
	if (getenv("FAULT_DEBUG"))
		fprintf(stderr, "# run: %s\n", s->name);
	return run_event(&ev, &cfg, &opts);
}

/* The state before the event: eth1 already up (for a down or a change) or not yet. */
static void prepare(const struct scenario *s)
{
	struct scenario up = { .action = EVENT_UP, .main_default = s->main_default,
			       .sysctls = s->sysctls, .multipath = s->multipath };

	world(s->main_default, s->multipath);
	if (s->own_route_wins)
		route_swap_first(AF_INET, "198.51.100.0/24");
	if (s->router_v6)
		route_put(AF_INET6, RTPROT_RA, RT_TABLE_MAIN, "::/0", "fe80::1", 2, 1024);
	faults_clear();
	cfg.fallback_metric_base = CONFIG_DEFAULT_FALLBACK_METRIC_BASE;
	up.router_v6 = s->router_v6;
	if (s->action == EVENT_DOWN || s->change_addr || s->stale_gone || s->metric_change ||
	    s->new_gateway || s->hand_deleted || s->repeat || s->new_router)
		assert_int_equal(run(&up), EXIT_OK);
	for (unsigned i = 0; s->new_router && i < K.n_routes; i++)
		if (K.routes[i].protocol == RTPROT_RA)
			K.routes[i].gateway = A(s->new_router);
	if (s->metric_change)
		cfg.fallback_metric_base += 1000;
	for (unsigned i = 0; s->hand_deleted && i < K.n_routes; i++)
		if (K.routes[i].protocol == OURS && K.routes[i].table == RT_TABLE_MAIN &&
		    K.routes[i].oif == 2)
			K.routes[i--] = K.routes[--K.n_routes];
	if (s->change_addr)
		K.links[1].addrs[0] = A(s->change_addr);
	if (s->stale_gone)
		link_del("eth1");
	if (s->orphan_mine)
		rule_put(AF_INET, OURS, CONFIG_DEFAULT_PRIORITY, "198.51.100.10/32", ORPHAN_MINE);
	if (s->orphan_other)
		rule_put(AF_INET, OURS, CONFIG_DEFAULT_PRIORITY, "192.0.2.9/32", ORPHAN_OTHER);
	faults_clear();
}

static bool rule_into(uint32_t table)
{
	for (unsigned i = 0; i < K.n_rules; i++)
		if (K.rules[i].table == table)
			return true;
	return false;
}

/* The fault-free outcome, and how many changes and dumps the run needs. */
static void reference(const struct scenario *s, struct kernel *want, int *n_changes, int *n_dumps)
{
	prepare(s);
	if (run(s) != EXIT_OK)
		fail_msg("%s: the fault-free run failed: %s", s->name, last_error);
	*want = K;
	*n_changes = F.n_changes;
	*n_dumps = F.n_dumps;
	assert_no_duplicates();
	/* Up: one default of ours through eth1 per family in main, the event's, nothing older. */
	if (s->action == EVENT_UP && !s->stale_gone && !s->multipath) {
		unsigned n = 0;

		for (unsigned i = 0; i < K.n_routes; i++) {
			const struct route *r = &K.routes[i];

			if (r->protocol != OURS || r->table != RT_TABLE_MAIN || r->oif != 2)
				continue;
			n++;
			assert_int_equal(r->metric, cfg.fallback_metric_base + 2);
			if (r->family == AF_INET) {
				struct addr gw = A(s->new_gateway ? s->new_gateway : "198.51.100.1");

				assert_true(addr_same_ip(&r->gateway, &gw));
			} else if (s->router_v6) {
				/* The router main has now, whether the lookup confirmed it or not. */
				struct addr gw = A(s->new_router ? s->new_router : "fe80::1");

				assert_true(addr_same_ip(&r->gateway, &gw));
			}
		}
		if (n != 2)
			fail_msg("%s: %u defaults of ours through eth1 in main, not 2", s->name, n);
	}
	/* eth1 shares its subnet with eth3 while up: its subnet rule is among what faults hit. */
	{
		bool subnet_rule = false;

		for (unsigned i = 0; i < K.n_rules; i++)
			subnet_rule |= K.rules[i].priority == CONFIG_DEFAULT_SUBNET_PRIORITY &&
				       K.rules[i].protocol == OURS;
		assert_int_equal(subnet_rule, s->action == EVENT_UP && !s->stale_gone);
	}
	/* The orphan from eth1's address is swept with the event's changes. */
	if (s->orphan_mine)
		assert_false(rule_into(ORPHAN_MINE));
	/*
	 * Idempotent: a second identical event changes nothing. It sends nothing but
	 * questions answered EEXIST: for our default in main, one per family, when it left
	 * main unread, and for the rules the table's fingerprint says are in place.
	 */
	assert_int_equal(run(s), EXIT_OK);
	assert_int_equal(F.n_effective, 0);
	assert_true(F.n_asked_main <= 2);
	assert_int_equal(F.n_changes, F.n_asked);
	assert_true(same_state(&K, want));
}

/*
 * A second fault while our default in main changes (a lost answer to the question for it,
 * or a refused undo) can leave main and the interface's table telling different stories:
 * both defaults in main, or the table's new default beside main's old one. Likewise when
 * the rules change (an address change): a refused undo of the table's default leaves the
 * fingerprint of the new rules beside the old ones; and when an IPv6 router changes (the
 * table's new router is then the one the lookup finds). The next event then takes the
 * witness's word for main and the rules, which it does not read (an orphan's delete undone
 * stays, unread). That is the price of not
 * reading them; `sync` reads everything, and repairs (apply.c's log line says so).
 */
static void repair_after_second_fault(const struct scenario *s)
{
	if (!s->metric_change && !s->new_gateway && !s->new_router && !s->change_addr &&
	    !s->orphan_mine)
		return;
	faults_clear();
	thorough = true;
	if (run(s) != EXIT_OK)
		fail_msg("%s: the repair (sync) failed: %s", s->name, last_error);
	thorough = false;
}

/* After a failed run: the next one converges, and the one after that changes nothing. */
static void assert_converges(const struct scenario *s, const struct kernel *want, const char *what)
{
	faults_clear();
	if (run(s) != EXIT_OK)
		fail_msg("%s, %s: the run after the fault failed: %s", s->name, what, last_error);
	if (!same_state(&K, want))
		fail_msg("%s, %s: the run after the fault did not converge", s->name, what);
	assert_int_equal(run(s), EXIT_OK);
	if (F.n_effective != 0 || F.n_changes != F.n_asked)
		fail_msg("%s, %s: a converged state still changed (%d)", s->name, what, F.n_changes);
	assert_no_duplicates();
}

static const struct scenario scenarios[] = {
	{ "up from nothing", .action = EVENT_UP },
	{ "up from nothing, main has a default", .main_default = true, .action = EVENT_UP },
	{ "address change", .action = EVENT_UP, .change_addr = "198.51.100.11/24" },
	{ "down", .action = EVENT_DOWN },
	{ "stale up, interface gone", .action = EVENT_UP, .stale_gone = true },
	{ "up from nothing, narrow", .narrow = true, .action = EVENT_UP },
	{ "address change, narrow", .narrow = true, .action = EVENT_UP,
	  .change_addr = "198.51.100.11/24" },
	{ "down, narrow", .narrow = true, .action = EVENT_DOWN },
	{ "up from nothing, sysctls", .action = EVENT_UP, .sysctls = true },
	{ "down, sysctls", .action = EVENT_DOWN, .sysctls = true },
	{ "up, multipath", .action = EVENT_UP, .multipath = true },
	{ "down, multipath", .action = EVENT_DOWN, .multipath = true },
	/* Main left unread: what the witness (eth1's table) and the question must still catch. */
	{ "fallback metric changed", .action = EVENT_UP, .metric_change = true },
	{ "gateway changed", .action = EVENT_UP, .new_gateway = "198.51.100.254" },
	{ "main default deleted by hand", .action = EVENT_UP, .hand_deleted = true },
	/* IPv6's default in main deleted by name; another metric than the table's name: read. */
	{ "down, fallback metric changed", .action = EVENT_DOWN, .metric_change = true },
	/* IPv6's router found in main by one lookup through eth1, not a read of main. */
	{ "up from nothing, IPv6 router in main", .action = EVENT_UP, .router_v6 = true },
	{ "repeated up, IPv6 router in main", .action = EVENT_UP, .router_v6 = true, .repeat = true },
	{ "IPv6 router changed", .action = EVENT_UP, .router_v6 = true, .new_router = "fe80::2" },
	/* An orphan from eth1's address: swept by the event, within its undo scope. */
	{ "up from nothing, orphan", .action = EVENT_UP, .orphan_mine = true },
	{ "down, orphan", .action = EVENT_DOWN, .orphan_mine = true },
	{ "stale up, interface gone, orphan", .action = EVENT_UP, .stale_gone = true,
	  .orphan_mine = true },
	/* eth1's route wins: its repeated up asks the lookup, then lists the addresses. */
	{ "repeated up, own route wins", .action = EVENT_UP, .repeat = true,
	  .own_route_wins = true },
};

static const int change_errors[] = { -ENOBUFS, -EINTR, -EBUSY, -EPERM, -ENOMEM };

static void set_config(const struct scenario *s)
{
	config_defaults(&cfg);
	cfg.narrow = s->narrow;
	if (s->multipath)
		cfg.main_mode = CONFIG_MAIN_MULTIPATH;
	cfg.lock_timeout_ms = 1000;
}

/* A refusal at every step of every scenario: rolled back, foreign intact, then converges. */
static void test_refusal_at_every_step(void **state)
{
	unsigned tried = 0;

	for (size_t si = 0; si < sizeof(scenarios) / sizeof(scenarios[0]); si++) {
		const struct scenario *s = &scenarios[si];
		struct kernel want, before;
		int n_changes, n_dumps;

		set_config(s);
		reference(s, &want, &n_changes, &n_dumps);
		assert_true(n_changes > 0);
		for (int k = 0; k < n_changes; k++) {
			for (size_t e = 0; e < sizeof(change_errors) / sizeof(change_errors[0]); e++) {
				char what[96];
				int code;

				prepare(s);
				before = K;
				F.change_mode = FAULT_REFUSE;
				F.change_at = k;
				F.change_err = change_errors[e];
				code = run(s);
				snprintf(what, sizeof(what), "change %d refused with %s", k,
					 strerror(-change_errors[e]));
				if (code != EXIT_KERNEL)
					fail_msg("%s, %s: exit %d, expected %d", s->name, what, code,
						 EXIT_KERNEL);
				if (last_error[0] == '\0')
					fail_msg("%s, %s: no error logged", s->name, what);
				assert_foreign_unchanged(&before);
				/* Narrow mode's flushes too: the kernel echoes what each one removed. */
				if (!same_state(&K, &before))
					fail_msg("%s, %s: not rolled back", s->name, what);
				assert_converges(s, &want, what);
				tried++;
			}
		}
	}
	print_message("# %u refusals injected, each rolled back and converged\n", tried);
}

/* ENOBUFS on the reply: the kernel made the change but the ACK was lost. */
static void test_ack_lost_at_every_step(void **state)
{
	unsigned tried = 0;

	for (size_t si = 0; si < sizeof(scenarios) / sizeof(scenarios[0]); si++) {
		const struct scenario *s = &scenarios[si];
		struct kernel want, before;
		int n_changes, n_dumps;

		set_config(s);
		reference(s, &want, &n_changes, &n_dumps);
		for (int k = 0; k < n_changes; k++) {
			int code;

			prepare(s);
			before = K;
			F.change_mode = FAULT_ACK_LOST;
			F.change_at = k;
			F.change_err = -ENOBUFS;
			code = run(s);
			if (code != (F.ack_fired ? EXIT_KERNEL : EXIT_OK))
				fail_msg("%s: ACK of change %d lost: exit %d (%s)", s->name, k, code,
					 last_error[0] ? last_error : "nothing logged");
			assert_foreign_unchanged(&before);
			repair_after_second_fault(s);
			assert_converges(s, &want, "ACK lost");
			tried++;
		}
	}
	print_message("# %u lost ACKs injected, each converged on the next run\n", tried);
}

/* The refusal, then the rollback's own request refused too: the next run still repairs. */
static void test_rollback_refused(void **state)
{
	unsigned tried = 0;

	for (size_t si = 0; si < sizeof(scenarios) / sizeof(scenarios[0]); si++) {
		const struct scenario *s = &scenarios[si];
		struct kernel want, before;
		int n_changes, n_dumps;

		set_config(s);
		reference(s, &want, &n_changes, &n_dumps);
		for (int k = 1; k < n_changes; k++) {
			prepare(s);
			before = K;
			F.change_mode = FAULT_REFUSE;
			F.change_at = k;
			F.change_at2 = k + 1;	/* the first undo request */
			F.change_err = -EBUSY;
			assert_int_equal(run(s), EXIT_KERNEL);
			assert_foreign_unchanged(&before);
			repair_after_second_fault(s);
			assert_converges(s, &want, "rollback refused");
			tried++;
		}
	}
	print_message("# %u refused rollbacks, each repaired by the next run\n", tried);
}

/* A dump refused: nothing was changed yet (every family is read before anything is sent). */
static void test_dump_refused(void **state)
{
	static const int errs[] = { -ENOBUFS, -EBUSY, -ENOMEM, -EINTR };
	unsigned tried = 0;

	for (size_t si = 0; si < sizeof(scenarios) / sizeof(scenarios[0]); si++) {
		const struct scenario *s = &scenarios[si];
		struct kernel want, before;
		int n_changes, n_dumps;

		set_config(s);
		reference(s, &want, &n_changes, &n_dumps);
		assert_true(n_dumps > 0);
		for (int d = 0; d < n_dumps; d++) {
			for (size_t e = 0; e < sizeof(errs) / sizeof(errs[0]); e++) {
				int code;

				prepare(s);
				before = K;
				F.dump_at = d;
				F.dump_err = errs[e];
				code = run(s);
				/*
				 * A probe may be best effort (have_others_managed() keeps the
				 * shared rule when it cannot tell): the run may then succeed
				 * with a state the next run finishes.
				 */
				if (code != EXIT_OK) {
					assert_int_equal(code, EXIT_KERNEL);
					if (!same_state(&K, &before))
						fail_msg("%s: dump %d refused: the kernel changed",
							 s->name, d);
				}
				assert_foreign_unchanged(&before);
				assert_converges(s, &want, "dump refused");
				tried++;
			}
		}
	}
	print_message("# %u refused dumps: each a clean failure (or a best-effort probe), then converged\n", tried);
}

/* NLM_F_DUMP_INTR once: the dump is read again from the start; the result is the same. */
static void test_dump_interrupted_once(void **state)
{
	unsigned tried = 0;

	for (size_t si = 0; si < sizeof(scenarios) / sizeof(scenarios[0]); si++) {
		const struct scenario *s = &scenarios[si];
		struct kernel want, before;
		int n_changes, n_dumps;

		set_config(s);
		reference(s, &want, &n_changes, &n_dumps);
		for (int d = 0; d < n_dumps; d++) {
			prepare(s);
			before = K;
			F.interrupt_at = d;
			if (run(s) != EXIT_OK)
				fail_msg("%s: dump %d interrupted once: %s", s->name, d, last_error);
			if (!same_state(&K, &want))
				fail_msg("%s: dump %d interrupted once: a different result (the "
					 "collection was not reset)", s->name, d);
			assert_foreign_unchanged(&before);
			assert_no_duplicates();
			tried++;
		}
	}
	print_message("# %u interrupted dumps restarted, same outcome each time\n", tried);
}

/* Interrupted every time: rtnl gives up with EINTR, the run fails and changes nothing. */
static void test_dump_interrupted_for_good(void **state)
{
	for (size_t si = 0; si < sizeof(scenarios) / sizeof(scenarios[0]); si++) {
		const struct scenario *s = &scenarios[si];
		struct kernel want, before;
		int n_changes, n_dumps;

		set_config(s);
		reference(s, &want, &n_changes, &n_dumps);
		prepare(s);
		before = K;
		F.interrupt_always = true;
		assert_int_equal(run(s), EXIT_KERNEL);
		assert_true(same_state(&K, &before));
		assert_foreign_unchanged(&before);
		assert_converges(s, &want, "dumps interrupted for good");
	}
}

/* The kernel's answers that mean "already so" are success, not faults. */
static void test_already_converged_answers(void **state)
{
	const struct scenario *s = &scenarios[0];
	struct kernel want;
	int n_changes, n_dumps;

	set_config(s);
	reference(s, &want, &n_changes, &n_dumps);
	/* Someone made the same changes between our dumps and our first request: EEXIST. */
	prepare(s);
	F.race = &want;
	assert_int_equal(run(s), EXIT_OK);
	assert_true(same_state(&K, &want));
	assert_no_duplicates();
	/* And for a down: what we delete is already gone (ESRCH, ENOENT). */
	{
		const struct scenario *d = &scenarios[3];
		struct kernel gone;

		set_config(d);
		reference(d, &gone, &n_changes, &n_dumps);
		prepare(d);
		F.race = &gone;
		assert_int_equal(run(d), EXIT_OK);
		assert_true(same_state(&K, &gone));
	}
}

static int setup(void **state)
{
	int fd;

	snprintf(lock_path, sizeof(lock_path), "/tmp/symroute-test-fault.XXXXXX");
	fd = mkstemp(lock_path);
	if (fd < 0)
		return -1;
	close(fd);
	snprintf(conf_dir, sizeof(conf_dir), "/tmp/symroute-test-fault-conf.XXXXXX");
	if (!mkdtemp(conf_dir))
		return -1;
	sysctl_conf_dir = conf_dir;
	log_set_sink(sink);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	unlink(lock_path);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", conf_dir);
	return system(cmd) == 0 ? 0 : -1;
}

/*
 * IPv6's router found by one lookup through eth1: a first up and a DHCPv6 renewal read no
 * IPv6 main, the renewal sends nothing but questions. A new router (the table then tells
 * another story) or a lookup refused: main is read.
 */
static void test_router_by_lookup(void **state)
{
	struct scenario first = { "first", .action = EVENT_UP, .router_v6 = true };
	struct scenario renewal = { "renewal", .action = EVENT_UP, .router_v6 = true, .repeat = true };
	struct scenario moved = { "moved", .action = EVENT_UP, .router_v6 = true,
				  .new_router = "fe80::2" };

	(void)state;
	set_config(&first);
	prepare(&first);
	assert_int_equal(run(&first), EXIT_OK);
	assert_int_equal(F.n_main_reads6, 0);
	assert_true(F.n_effective > 0);
	prepare(&renewal);
	assert_int_equal(run(&renewal), EXIT_OK);
	assert_int_equal(F.n_main_reads6, 0);
	assert_int_equal(F.n_effective, 0);
	/*
	 * Refuse each read in turn: a refused dump fails the run, which changes nothing; the
	 * one refusal it survives is the lookup's, after which main was read instead.
	 */
	{
		int survived = 0;

		for (int d = 0; d < 16; d++) {
			prepare(&renewal);
			F.dump_at = d;
			F.dump_err = -ENOBUFS;
			if (run(&renewal) != EXIT_OK || F.n_dumps <= d)
				continue;
			survived++;
			assert_int_equal(F.n_main_reads6, 1);
			assert_int_equal(F.n_effective, 0);
		}
		assert_int_equal(survived, 1);
	}
	set_config(&moved);
	prepare(&moved);
	assert_int_equal(run(&moved), EXIT_OK);
	assert_int_equal(F.n_main_reads6, 1);
	assert_true(F.n_effective > 0);
}

/* Routes of ours through eth1 in main, both families. */
static unsigned ours_in_main(void)
{
	unsigned n = 0;

	for (unsigned i = 0; i < K.n_routes; i++)
		n += K.routes[i].protocol == OURS && K.routes[i].table == RT_TABLE_MAIN &&
		     K.routes[i].oif == 2;
	return n;
}

/*
 * A down deletes IPv6's default in main by the name eth1's table gives it, main unread; not
 * there by that name (the metric changed since the up), main is read and ours still goes.
 */
static void test_down_by_name(void **state)
{
	struct scenario down = { "down", .action = EVENT_DOWN };
	struct scenario other = { "down, metric changed", .action = EVENT_DOWN,
				  .metric_change = true };

	(void)state;
	set_config(&down);
	prepare(&down);
	assert_int_equal(ours_in_main(), 2);
	assert_int_equal(run(&down), EXIT_OK);
	assert_int_equal(F.n_main_reads6, 0);
	assert_int_equal(ours_in_main(), 0);
	prepare(&other);
	assert_int_equal(run(&other), EXIT_OK);
	assert_int_equal(F.n_main_reads6, 1);
	assert_int_equal(ours_in_main(), 0);
}

/*
 * Whose orphans a run sweeps: an event for a live interface asks about other interfaces'
 * tables only until one is alive (the shared rule stays) and sweeps the orphans from its
 * addresses; sync, and a run for an interface that is gone, sweep every one.
 */
static void test_orphan_sweep_scope(void **state)
{
	static const struct {
		struct scenario s;
		bool sync;
		bool mine_kept, other_kept;
	} rows[] = {
		{ { "up, orphans", .action = EVENT_UP, .orphan_mine = true,
		    .orphan_other = true }, false, false, true },
		/* The table's fingerprint vouches for eth1's rules: none is read. */
		{ { "repeated up, orphans", .action = EVENT_UP, .repeat = true,
		    .orphan_mine = true, .orphan_other = true }, false, true, true },
		{ { "down, orphans", .action = EVENT_DOWN, .orphan_mine = true,
		    .orphan_other = true }, false, false, true },
		{ { "sync, orphans", .action = EVENT_UP, .orphan_mine = true,
		    .orphan_other = true }, true, false, false },
		{ { "stale up, orphans", .action = EVENT_UP, .stale_gone = true,
		    .orphan_mine = true, .orphan_other = true }, false, false, false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct scenario *s = &rows[i].s;

		set_config(s);
		prepare(s);
		thorough = rows[i].sync;
		if (run(s) != EXIT_OK)
			fail_msg("%s: %s", s->name, last_error);
		thorough = false;
		if (rule_into(ORPHAN_MINE) != rows[i].mine_kept ||
		    rule_into(ORPHAN_OTHER) != rows[i].other_kept)
			fail_msg("%s: orphan from eth1's address %s, the other %s", s->name,
				 rule_into(ORPHAN_MINE) ? "kept" : "swept",
				 rule_into(ORPHAN_OTHER) ? "kept" : "swept");
		/* eth2 is alive: its rule, and the shared rule, stay. */
		assert_true(rule_into(CONFIG_DEFAULT_TABLE_BASE + 3));
	}
}

/*
 * Shared subnets at a repeated up: one lookup per prefix, and the list of the host's
 * addresses only when the lookups' answer is not what eth1's table was written with. eth3
 * shares eth1's IPv4 subnet: where eth3's route wins the lookup says so (no list); where
 * eth1's own wins, its table was written with the subnet rule the list found at the first
 * up, so the list is read again, and the rule stays. IPv6 is shared by no one: no list.
 * A first up lists exactly, a family each that has addresses; narrow never lists.
 */
static void test_shared_by_lookup(void **state)
{
	static const struct {
		struct scenario s;
		int lists;
	} rows[] = {
		{ { "first up", .action = EVENT_UP }, 2 },
		{ { "repeated up, eth3's route wins", .action = EVENT_UP, .repeat = true }, 0 },
		{ { "repeated up, own route wins", .action = EVENT_UP, .repeat = true,
		    .own_route_wins = true }, 1 },
		{ { "first up, narrow", .narrow = true, .action = EVENT_UP }, 0 },
		{ { "down", .action = EVENT_DOWN }, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct scenario *s = &rows[i].s;

		set_config(s);
		prepare(s);
		if (run(s) != EXIT_OK)
			fail_msg("%s: %s", s->name, last_error);
		if (F.n_addr_lists != rows[i].lists)
			fail_msg("%s: %d lists of the host's addresses, not %d", s->name,
				 F.n_addr_lists, rows[i].lists);
		if (s->repeat && F.n_effective)
			fail_msg("%s: a repeated up changed %d things", s->name, F.n_effective);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refusal_at_every_step),
		cmocka_unit_test(test_ack_lost_at_every_step),
		cmocka_unit_test(test_rollback_refused),
		cmocka_unit_test(test_dump_refused),
		cmocka_unit_test(test_dump_interrupted_once),
		cmocka_unit_test(test_dump_interrupted_for_good),
		cmocka_unit_test(test_already_converged_answers),
		cmocka_unit_test(test_router_by_lookup),
		cmocka_unit_test(test_down_by_name),
		cmocka_unit_test(test_orphan_sweep_scope),
		cmocka_unit_test(test_shared_by_lookup),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
