// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: `symroute check`: the kernel's own lookups prove the routing symmetric, or say why. */
/*
 * What is checked, in the order printed (see symroute(8), CHECK):
 *   state     each managed interface and family is what `symroute up IFACE` would install
 *   egress    `ip route get DEST from ADDR` leaves by ADDR's interface, for every address;
 *             when not, the rule or route that decided it is named
 *   rp_filter strict reverse-path filtering (effective max(all, IFACE) == 1) on an interface
 *             whose return path leaves by another one drops its incoming traffic
 *   wildcard  `ip route get DEST` (no source) finds a route: main holds a default
 *   arp       two managed interfaces on one IPv4 subnet need arp_filter, or arp_ignore>=1
 *             and arp_announce>=2, against ARP flux
 *   rules     no orphan rule of ours (its interface is gone), no duplicate rule
 *   unmanaged interfaces with global addresses and a default route but nothing of ours (INFO)
 *   watcher   symroute watch runs, or an IPv6 default from router advertisements (INFO)
 *   networkd  systemd-networkd running here with ManageForeignRoutingPolicyRules or
 *             ManageForeignRoutes not "no" deletes our rules and routes when it reconfigures
 *   nm        NetworkManager running here and managing an interface ifupdown configures
 * Processes count only when they run in this network namespace.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <libgen.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "addr.h"
#include "check.h"
#include "config.h"
#include "event.h"
#include "hostconf.h"
#include "exitcode.h"
#include "log.h"
#include "policy.h"
#include "rtnl.h"
#include "show.h"
#include "status.h"
#include "sysctl.h"
#include "watch.h"

#define CHECK_LINE_MAX 2048


static const int families[] = { AF_INET, AF_INET6 };
static const char *const dest4[] = { CHECK_DEST4 };
static const char *const dest6[] = { CHECK_DEST6 };

enum verdict { V_PASS, V_FAIL, V_INFO };

struct checker {
	const struct config *cfg;
	const struct hostconf_paths *paths;
	struct rtnl *nl;
	FILE *out;
	bool json;			/* one object per check in a JSON array, not lines */
	unsigned n_checks, n_fail, n_info;
	struct addr dest[2];		/* per family */
	struct have rules[2];		/* every rule, ours or not, in the kernel's order */
};

__attribute__((format(printf, 4, 5))) static void report(struct checker *c, enum verdict v,
							   const char *cmd, const char *fmt, ...)
{
	static const char *const word[] = { "PASS", "FAIL", "INFO" };
	char line[CHECK_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	c->n_fail += v == V_FAIL;
	c->n_info += v == V_INFO;
	if (!c->json) {
		fprintf(c->out, "%s %s%s%s\n", word[v], line, cmd ? " | " : "", cmd ? cmd : "");
		c->n_checks++;
		return;
	}
	fprintf(c->out, "%s{\"verdict\":\"%s\",\"what\":", c->n_checks++ ? "," : "", word[v]);
	json_write_string(c->out, line);
	fputs(",\"command\":", c->out);
	if (cmd)
		json_write_string(c->out, cmd);
	else
		fputs("null", c->out);
	fputc('}', c->out);
}

static const char *fam_name(int family)
{
	return family == AF_INET6 ? "IPv6" : "IPv4";
}

static const char *fam_flag(int family)
{
	return family == AF_INET6 ? "-6" : "-4";
}

static const char *ifname_of(uint32_t ifindex, char *buf)
{
	if (!ifindex)
		return "none";
	if (!if_indextoname(ifindex, buf))
		snprintf(buf, IF_NAMESIZE, "%u", ifindex);
	return buf;
}

/* A table as `ip` names it. */
static const char *table_name(uint32_t table, char *buf, size_t len)
{
	if (table == RT_TABLE_MAIN)
		return "main";
	if (table == RT_TABLE_LOCAL)
		return "local";
	if (table == RT_TABLE_DEFAULT)
		return "default";
	snprintf(buf, len, "%u", table);
	return buf;
}

/* ---- kernel reads ---- */

static int rules_collect(const struct rule *r, void *data)
{
	return have_add_rule(data, r);
}

static void rules_reset(void *data)
{
	((struct have *)data)->n_rules = 0;
}

struct addr_list {
	unsigned n;
	struct {
		uint32_t ifindex;
		struct addr a;
	} v[256];
};

static int addr_collect(const struct addr *a, uint8_t scope, uint32_t flags, void *data)
{
	struct addr_list *l = data;

	if (scope != RT_SCOPE_UNIVERSE)
		return 0;
	if (l->n >= sizeof(l->v) / sizeof(l->v[0]))
		return 0;	/* enough to pick a destination and find candidates */
	l->v[l->n].a = *a;
	l->v[l->n].ifindex = 0;
	l->n++;
	return 0;
}

static void addr_list_reset(void *data)
{
	((struct addr_list *)data)->n = 0;
}

static int main_collect(const struct route *r, void *data)
{
	return have_add_route(data, r);
}

static void main_reset(void *data)
{
	((struct have *)data)->n_routes = 0;
}

static int pick_dest(struct checker *c, int family, const struct addr *given)
{
	const char *const *cands = family == AF_INET ? dest4 : dest6;
	size_t n = family == AF_INET ? sizeof(dest4) / sizeof(dest4[0]) :
				       sizeof(dest6) / sizeof(dest6[0]);
	struct addr_list *l;
	int r;

	if (given && given->family == family) {
		c->dest[family == AF_INET6] = *given;
		return 0;
	}
	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	r = rtnl_dump_addrs(c->nl, family, 0, addr_collect, l, addr_list_reset);
	for (size_t i = 0; r == 0 && i < n; i++) {
		struct addr a;
		const char *why;
		bool covered = false;

		if (addr_parse(&a, cands[i], family, ADDR_PLEN_FORBIDDEN, &why) < 0)
			continue;
		for (unsigned j = 0; j < l->n && !covered; j++)
			covered = addr_in_prefix(&l->v[j].a, &a);
		c->dest[family == AF_INET6] = a;
		if (!covered)
			break;
	}
	free(l);
	return r;
}

/* ---- the checks ---- */

static void check_state(struct checker *c, const struct status_iface *iface,
			const struct status_family *f)
{
	char cmd[CHECK_LINE_MAX], line[SHOW_LINE_MAX];

	snprintf(cmd, sizeof(cmd), "symroute up %s %s --dry-run", iface->name,
		 fam_flag(f->family));
	if (!f->drift_known) {
		report(c, V_FAIL, cmd, "%s %s: %s", iface->name, fam_name(f->family),
		       f->drift_error);
		return;
	}
	if (f->n_drift) {
		report(c, V_FAIL, cmd,
		       "%s %s: table %u and its rules are not what symroute would install now "
		       "(incomplete or changed): %u change(s) pending, first: %s",
		       iface->name, fam_name(f->family), f->table, f->n_drift,
		       show_op(line, sizeof(line), &f->drift[0], iface->name));
		return;
	}
	report(c, V_PASS, cmd, "%s %s: table %u, %u rule(s) and %u route(s) of ours as symroute "
	       "would install them", iface->name, fam_name(f->family), f->table, f->n_rules,
	       f->n_routes);
}

static bool rule_selects(const struct rule *r, const struct addr *src, const struct addr *dst)
{
	if (r->action != FR_ACT_TO_TBL)
		return false;
	if (addr_is_set(&r->src) && (!src || !addr_in_prefix(&r->src, src)))
		return false;
	if (addr_is_set(&r->dst) && !addr_in_prefix(&r->dst, dst))
		return false;
	return true;
}

/* The most specific route of @table in @routes covering @dst, not a default; NULL if none. */
static const struct route *best_route(const struct route *v, unsigned n, uint32_t table,
				      const struct addr *dst, bool with_default)
{
	const struct route *best = NULL;

	for (unsigned i = 0; i < n; i++) {
		const struct route *r = &v[i];

		if (r->table != table || r->family != dst->family || r->type != RTN_UNICAST)
			continue;
		if (!with_default && r->dst.plen == 0)
			continue;
		if (r->dst.plen && !addr_in_prefix(&r->dst, dst))
			continue;
		if (!best || r->dst.plen > best->dst.plen)
			best = r;
	}
	return best;
}

/* Why did the lookup from @src end in @got's table and interface? Words into @why. */
static void explain(struct checker *c, const struct status_family *f, const struct addr *src,
		    const struct addr *dst, const struct route *got, char *why, size_t len)
{
	const struct have *all = &c->rules[f->family == AF_INET6];
	char line[SHOW_LINE_MAX], line2[SHOW_LINE_MAX], name[IF_NAMESIZE], t[16];
	const struct rule *mine = NULL;

	/* The address's source rule, not its subnet rule (which selects its subnet only). */
	for (unsigned i = 0; i < f->n_rules && !mine; i++)
		if (f->rules[i].table == f->table && addr_is_set(&f->rules[i].src) &&
		    addr_same_ip(&f->rules[i].src, src) && !addr_is_set(&f->rules[i].dst))
			mine = &f->rules[i];
	if (got->table == f->table) {
		const struct route *r = NULL;

		/* The most specific foreign route covering the destination, else any. */
		for (unsigned i = 0; i < f->n_foreign; i++) {
			const struct route *x = &f->foreign[i].r;

			if (x->table == f->table &&
			    (x->dst.plen == 0 || addr_in_prefix(&x->dst, dst)) &&
			    (!r || x->dst.plen >= r->dst.plen))
				r = x;
		}
		if (!r && f->n_foreign)
			r = &f->foreign[0].r;
		if (r)
			snprintf(why, len, "route '%s' in our table %u is not symroute's",
				 show_route(line, sizeof(line), r, NULL,
					    ifname_of(r->oif, name)), f->table);
		else
			snprintf(why, len, "our table %u sends it there", f->table);
		return;
	}
	/*
	 * Walk the rules in the kernel's order up to ours: the first that selects the
	 * packet and whose table holds a route for it decided. A suppress rule only
	 * decides with a route more specific than its suppress_prefixlength.
	 */
	for (unsigned i = 0; i < all->n_rules; i++) {
		const struct rule *r = &all->rules[i];
		const char *whose;

		if (mine && rule_cmp(r, mine) == 0)
			break;
		if (r->table != got->table || !rule_selects(r, src, dst))
			continue;
		whose = r->protocol == c->cfg->protocol ? "our" :
			r->protocol == RTPROT_KERNEL ? "the kernel's" : "the foreign";
		if (r->suppress_prefixlen >= 0) {
			struct have mr = { 0 };
			const struct route *m = NULL;
			bool decided;

			if (rtnl_dump_routes(c->nl, f->family, r->table, main_collect, &mr,
					     main_reset) == 0)
				m = best_route(mr.routes, mr.n_routes, r->table, dst, false);
			/* Decided before have_free(): m points into mr's routes. */
			decided = m && m->dst.plen > r->suppress_prefixlen;
			if (decided)
				snprintf(why, len, "%s rule '%s' lets table %s's route '%s' "
					 "win: it is more specific than a default", whose,
					 show_rule(line, sizeof(line), r, NULL),
					 table_name(r->table, t, sizeof(t)),
					 show_route(line2, sizeof(line2), m, NULL,
						    ifname_of(m->oif, name)));
			have_free(&mr);
			if (decided)
				return;
			continue;
		}
		if (mine)
			snprintf(why, len, "%s rule '%s' comes before ours at priority %u", whose,
				 show_rule(line, sizeof(line), r, NULL), mine->priority);
		else
			snprintf(why, len, "no rule of ours for this address; %s rule '%s' decides",
				 whose, show_rule(line, sizeof(line), r, NULL));
		return;
	}
	if (!mine)
		snprintf(why, len, "no rule of ours for this address: the lookup fell through to "
			 "table %s", table_name(got->table, t, sizeof(t)));
	else
		snprintf(why, len, "our table %u has no route for it (no default route?): the "
			 "lookup went on to table %s", f->table,
			 table_name(got->table, t, sizeof(t)));
}

/*
 * `ip route get DST from ADDR`; returns true when it leaves by the address's interface.
 * @what names the destination when it is not the far one ("its gateway").
 */
/*
 * The kernel's lookup for @dst from @src, as `ip route get` answers it. For IPv6, the FIB
 * entry the lookup matches (fibmatch) when it is a single path: the same interface, gateway,
 * table and type, without the answer's source address, which the kernel picks by walking
 * every address of the host (rt6_fill_node: 4096 interfaces made check take 15 s). A
 * multipath entry, or no answer, is asked again as `ip route get` asks it.
 */
static int check_lookup(struct checker *c, const struct addr *dst, const struct addr *src,
			struct route *got)
{
	if (dst->family == AF_INET6 && rtnl_route_match(c->nl, dst, src, 0, got) == 0 &&
	    got->n_nexthops == 0)
		return 0;
	return rtnl_route_get(c->nl, dst, src, 0, got);
}

static bool check_egress_to(struct checker *c, const struct status_iface *iface,
			    const struct status_family *f, const struct addr *src,
			    const struct addr *dst, const char *what)
{
	char a[ADDR_STRLEN], d[ADDR_STRLEN], g[ADDR_STRLEN], cmd[CHECK_LINE_MAX];
	char why[CHECK_LINE_MAX], name[IF_NAMESIZE], t[16], to[CHECK_LINE_MAX];
	struct route got;
	int r;

	addr_format(src, false, a);
	addr_format(dst, false, d);
	if (what)
		snprintf(to, sizeof(to), " to %s (%s)", d, what);
	else
		to[0] = '\0';
	snprintf(cmd, sizeof(cmd), "ip %s route get %s from %s", fam_flag(f->family), d, a);
	r = check_lookup(c, dst, src, &got);
	if (r < 0) {
		report(c, V_FAIL, cmd, "%s %s from %s to %s: no route (%s)", iface->name,
		       fam_name(f->family), a, d, strerror(-r));
		return false;
	}
	if (got.type != RTN_UNICAST) {
		report(c, V_FAIL, cmd, "%s %s from %s to %s: the lookup gives a route of type %u "
		       "in table %u, not a way out", iface->name, fam_name(f->family), a, d,
		       got.type, got.table);
		return false;
	}
	if (addr_is_set(&got.gateway))
		snprintf(g, sizeof(g), " via %s", addr_format(&got.gateway, false, why));
	else
		g[0] = '\0';
	if (got.oif == iface->ifindex) {
		report(c, V_PASS, cmd, "%s %s from %s%s leaves by %s%s (table %s)", iface->name,
		       fam_name(f->family), a, to, iface->name, g,
		       table_name(got.table, t, sizeof(t)));
		return true;
	}
	explain(c, f, src, dst, &got, why, sizeof(why));
	report(c, V_FAIL, cmd, "%s %s from %s%s leaves by %s%s (table %s), not by %s: %s",
	       iface->name, fam_name(f->family), a, to, ifname_of(got.oif, name), g,
	       table_name(got.table, t, sizeof(t)), iface->name, why);
	return false;
}

static bool check_egress(struct checker *c, const struct status_iface *iface,
			 const struct status_family *f, const struct addr *src)
{
	return check_egress_to(c, iface, f, src, &c->dest[f->family == AF_INET6], NULL);
}

/*
 * A neighbour on @src's own subnet to look up: the first host number that is not the
 * address itself, the subnet's network or broadcast address, a gateway (looked up on its
 * own), nor local to this host.
 */
static bool subnet_peer(struct checker *c, const struct status_family *f, const struct addr *src,
			struct addr *peer)
{
	struct addr net = addr_network(src);

	for (unsigned k = 0; k < 8; k++) {
		struct route got;
		bool gateway = false;

		if (!addr_nth_host(&net, k, peer))
			return false;
		for (unsigned i = 0; i < f->n_gateways; i++)
			gateway |= addr_same_ip(&f->gateways[i], peer);
		if (gateway || addr_router_unusable(peer, src) || (src->family == AF_INET6 && k == 0))
			continue;
		/*
		 * From @src: the local table answers first either way, and a lookup without a
		 * source makes the kernel pick one among every interface's addresses (IPv6: a
		 * walk of all of them per question, seconds for 4096 interfaces).
		 */
		if (check_lookup(c, peer, src, &got) == 0 && got.type == RTN_LOCAL)
			continue;
		return true;
	}
	return false;
}

/*
 * Its own subnet and its gateway: from each address they must leave by its interface.
 * Main's connected route of another interface on the same subnet would otherwise win (the
 * shared suppress rule lets it), and replies to neighbours and the router leave by the
 * other interface, where the provider drops a source it did not give that interface.
 */
static bool check_subnet(struct checker *c, const struct status_iface *iface,
			 const struct status_family *f, const struct addr *src)
{
	char what[ADDR_STRLEN + 32], n[ADDR_STRLEN];
	struct addr peer, net = addr_network(src);
	bool ok = true;

	if (src->plen < addr_family_len(src->family) * 8 && subnet_peer(c, f, src, &peer)) {
		snprintf(what, sizeof(what), "its subnet %s", addr_format(&net, true, n));
		ok &= check_egress_to(c, iface, f, src, &peer, what);
	}
	for (unsigned i = 0; i < f->n_gateways; i++)
		if (!addr_is_link_local(&f->gateways[i]))
			ok &= check_egress_to(c, iface, f, src, &f->gateways[i], "its gateway");
	return ok;
}

static void check_rp_filter(struct checker *c, const struct status_iface *iface, bool return_ok)
{
	char cmd[CHECK_LINE_MAX], key[64], word[4 * sizeof(key) + 3];
	int v;

	/* As sysctl spells it (eth1.100 is eth1/100), one shell word: the name is anybody's. */
	snprintf(cmd, sizeof(cmd), "sysctl net.ipv4.conf.all.rp_filter %s",
		 show_shell_word(word, sizeof(word),
				 sysctl_ipv4_key(key, sizeof(key), iface->name, "rp_filter")));
	if (hostconf_ipv4_conf(c->paths, iface->name, "rp_filter", HOSTCONF_MAX, &v) < 0) {
		report(c, V_INFO, cmd, "%s: cannot read rp_filter", iface->name);
		return;
	}
	if (v != 1)
		report(c, V_PASS, cmd, "%s rp_filter is %s (%d)", iface->name,
		       v == 2 ? "loose" : "off", v);
	else if (return_ok)
		report(c, V_PASS, cmd, "%s rp_filter is strict and the return path of each "
		       "address leaves by %s", iface->name, iface->name);
	else
		report(c, V_FAIL, cmd, "%s rp_filter is strict (1) and the return path of an "
		       "address of %s leaves by another interface: the kernel drops what arrives "
		       "on %s", iface->name, iface->name, iface->name);
}

static void check_wildcard(struct checker *c, int family)
{
	const struct addr *dst = &c->dest[family == AF_INET6];
	char d[ADDR_STRLEN], g[ADDR_STRLEN], cmd[CHECK_LINE_MAX], name[IF_NAMESIZE], t[16];
	struct route got;
	int r;

	addr_format(dst, false, d);
	snprintf(cmd, sizeof(cmd), "ip %s route get %s; ip %s route show table main default",
		 fam_flag(family), d, fam_flag(family));
	r = rtnl_route_get(c->nl, dst, NULL, 0, &got);
	if (r < 0 || got.type != RTN_UNICAST) {
		report(c, V_FAIL, cmd, "%s without a source address (new connections) to %s: no "
		       "route (%s): main has no default route", fam_name(family), d,
		       r < 0 ? strerror(-r) : "not a unicast route");
		return;
	}
	if (addr_is_set(&got.gateway))
		snprintf(g, sizeof(g), " via %s", addr_format(&got.gateway, false, d));
	else
		g[0] = '\0';
	addr_format(dst, false, d);
	report(c, V_PASS, cmd, "%s without a source address to %s leaves by %s%s (table %s)",
	       fam_name(family), d, ifname_of(got.oif, name), g,
	       table_name(got.table, t, sizeof(t)));
}

static bool arp_protected(struct checker *c, const char *ifname)
{
	int filter = 0, ignore = 0, announce = 0;

	if (hostconf_ipv4_conf(c->paths, ifname, "arp_filter", HOSTCONF_OR, &filter) < 0 ||
	    hostconf_ipv4_conf(c->paths, ifname, "arp_ignore", HOSTCONF_MAX, &ignore) < 0 ||
	    hostconf_ipv4_conf(c->paths, ifname, "arp_announce", HOSTCONF_MAX, &announce) < 0)
		return false;
	return filter || (ignore >= 1 && announce >= 2);
}

/* Pairs of managed interfaces on one IPv4 subnet; with @only, the pairs it is in. */
static void check_arp_flux(struct checker *c, const struct status *st, uint32_t only)
{
	const char *cmd = "sysctl -a --pattern 'net.ipv4.conf.*.arp_(filter|ignore|announce)'";
	unsigned shared = 0;

	for (unsigned i = 0; i < st->n_ifaces; i++) {
		const struct status_family *a = &st->ifaces[i].fam[0];

		for (unsigned j = i + 1; a->family && j < st->n_ifaces; j++) {
			const struct status_family *b = &st->ifaces[j].fam[0];
			const struct addr *net = NULL;
			char text[ADDR_STRLEN];

			for (unsigned x = 0; b->family && x < a->n_addrs && !net; x++) {
				for (unsigned y = 0; y < b->n_addrs && !net; y++) {
					const struct addr *p = &a->addrs[x], *q = &b->addrs[y];

					if (addr_in_prefix(p, q) || addr_in_prefix(q, p))
						net = p->plen <= q->plen ? p : q;
				}
			}
			if (!net || (only && st->ifaces[i].ifindex != only &&
				     st->ifaces[j].ifindex != only))
				continue;
			shared++;
			{
				struct addr n = addr_network(net);
				bool ok = arp_protected(c, st->ifaces[i].name) &&
					  arp_protected(c, st->ifaces[j].name);

				report(c, ok ? V_PASS : V_FAIL, cmd,
				       "%s and %s share %s%s", st->ifaces[i].name,
				       st->ifaces[j].name, addr_format(&n, true, text),
				       ok ? " and both answer ARP only for their own addresses" :
				       " without arp_filter=1 or arp_ignore=1 with arp_announce=2: "
				       "ARP flux, either may answer for the other's address");
			}
		}
	}
	if (!shared)
		report(c, V_PASS, NULL,
		       "no two managed interfaces share an IPv4 subnet (no ARP flux)");
}


/* Sorting rule indexes: equal rules together, each run in the order the kernel lists them. */
static int rule_index_cmp(const void *a, const void *b, void *data)
{
	const struct rule *rules = data;
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
	int r = rule_cmp(&rules[x], &rules[y]);

	return r ? r : x < y ? -1 : x > y;
}

/*
 * For each rule of @all, how many times it is there when it is the first of its kind, 0 for
 * the later copies (they are reported once, with the first). Sorted, not compared pairwise:
 * 4096 interfaces have 4096 rules. NULL without memory.
 */
static unsigned *duplicate_counts(const struct have *all)
{
	unsigned *order = malloc((all->n_rules ? all->n_rules : 1) * sizeof(*order));
	unsigned *times = calloc(all->n_rules ? all->n_rules : 1, sizeof(*times));

	if (!order || !times) {
		free(order);
		free(times);
		return NULL;
	}
	for (unsigned i = 0; i < all->n_rules; i++)
		order[i] = i;
	qsort_r(order, all->n_rules, sizeof(*order), rule_index_cmp, (void *)all->rules);
	for (unsigned i = 0, run; i < all->n_rules; i += run) {
		for (run = 1; i + run < all->n_rules &&
			      rule_cmp(&all->rules[order[i]], &all->rules[order[i + run]]) == 0;)
			run++;
		times[order[i]] = run;
	}
	free(order);
	return times;
}

static void check_rules(struct checker *c, const struct status *st)
{
	char line[SHOW_LINE_MAX], cmd[CHECK_LINE_MAX];
	unsigned dups = 0;

	for (unsigned i = 0; i < st->n_orphans; i++) {
		const struct rule *r = &st->orphans[i];

		snprintf(cmd, sizeof(cmd), "ip %s rule show table %u", fam_flag(r->family),
			 r->table);
		/*
		 * An up whose table vouches for its rules reads none (symroute(8), TABLES AND
		 * PRIORITIES), so no up is sure to sweep; the watcher sweeps at the deletion.
		 */
		report(c, V_FAIL, cmd, "orphan rule of ours '%s': the interface of table %u is gone "
		       "(symroute sync or flush removes it)", show_rule(line, sizeof(line), r, NULL),
		       r->table);
	}
	if (!st->n_orphans)
		report(c, V_PASS, NULL, "no orphan rule of ours");
	/* Duplicates, in every family's list of our rules. */
	for (size_t k = 0; k < 2; k++) {
		const struct have *all = &c->rules[k];
		unsigned *times = duplicate_counts(all);

		for (unsigned i = 0; times && i < all->n_rules; i++) {
			const struct rule *r = &all->rules[i];
			unsigned n = times[i];

			if (!have_rule_ours(c->cfg->protocol, r) || n < 2)
				continue;
			dups++;
			snprintf(cmd, sizeof(cmd), "ip %s rule show priority %u",
				 fam_flag(r->family), r->priority);
			report(c, V_FAIL, cmd, "duplicate rule of ours, %u times: '%s'", n,
			       show_rule(line, sizeof(line), r, NULL));
		}
		free(times);
	}
	if (!dups)
		report(c, V_PASS, NULL, "no duplicate rule of ours");
}

static bool is_managed(const struct status *st, uint32_t ifindex)
{
	const struct status_iface *i = status_iface_find(st, ifindex);

	return i && (i->fam[0].family || i->fam[1].family);
}

/* Does symroute manage @family of @ifindex? */
static bool is_managed_family(const struct status *st, uint32_t ifindex, int family)
{
	const struct status_iface *i = status_iface_find(st, ifindex);

	return i && i->fam[family == AF_INET6].family != 0;
}

/*
 * An address symroute does not manage, on an interface with a default route of its own in
 * main: connections to it come in by that interface, so the kernel's lookup from it must leave
 * by it too, or the replies go out of another uplink (dropped by its ISP, or by strict
 * rp_filter on the way in). This answers "is my host affected" before symroute ever ran, and
 * for a family left out (IPv4 managed, IPv6 not).
 */
static void check_unmanaged_addr(struct checker *c, const char *name, uint32_t ifindex,
				 const struct addr *src)
{
	const struct addr *dst = &c->dest[src->family == AF_INET6];
	char a[ADDR_STRLEN], d[ADDR_STRLEN], cmd[CHECK_LINE_MAX], out[IF_NAMESIZE], t[16];
	struct route got;
	int r;

	addr_format(src, false, a);
	addr_format(dst, false, d);
	snprintf(cmd, sizeof(cmd), "ip %s route get %s from %s; symroute up %s %s --dry-run",
		 fam_flag(src->family), d, a, name, fam_flag(src->family));
	r = check_lookup(c, dst, src, &got);
	if (r < 0 || got.type != RTN_UNICAST)
		return;	/* no way out at all: the wildcard source has the same problem */
	if (got.oif == ifindex) {
		report(c, V_PASS, cmd, "%s %s from %s (not managed) leaves by %s (table %s)", name,
		       fam_name(src->family), a, name, table_name(got.table, t, sizeof(t)));
		return;
	}
	report(c, V_FAIL, cmd, "%s %s from %s (not managed) leaves by %s (table %s), not by %s: "
	       "replies to connections that come in on %s take the other uplink; symroute sync %s "
	       "fixes it with its manager's settings (stanza, profile, lease)", name,
	       fam_name(src->family), a,
	       ifname_of(got.oif, out), table_name(got.table, t, sizeof(t)), name, name, name);
}

/* The global addresses of one interface and family; NULL when it has none. */
static struct addr_list *unmanaged_addrs(struct checker *c, int family, uint32_t ifindex)
{
	struct addr_list *addrs = calloc(1, sizeof(*addrs));

	if (addrs && (rtnl_dump_addrs(c->nl, family, ifindex, addr_collect, addrs,
				      addr_list_reset) < 0 || !addrs->n)) {
		free(addrs);
		addrs = NULL;
	}
	return addrs;
}

/*
 * The usual second uplink has no default route of its own in main: its gateway is in its
 * stanza's symroute-gateway alone, and in no table while symroute has not run on it (a fresh
 * install, a hook that failed). Its addresses are judged all the same. (A symroute-gateway
 * that is not an address is named by hostconf's warning, and the interface is left out.)
 */
static void check_stanza_uplinks(struct checker *c, const struct status *st, int family,
				 const uint32_t *seen, unsigned n_seen)
{
	struct if_nameindex *links = if_nameindex();

	if (!links)
		return;
	for (struct if_nameindex *l = links; l->if_index; l++) {
		char cmd[CHECK_LINE_MAX], gw_text[ADDR_STRLEN];
		struct addr_list *addrs;
		struct addr gw[2];
		struct hostconf_gateways hg = { .gw = gw };
		int f = family == AF_INET6;
		bool dup = false;

		for (unsigned j = 0; j < n_seen; j++)
			dup |= seen[j] == l->if_index;
		if (dup || is_managed_family(st, l->if_index, family))
			continue;
		hostconf_gateways(c->paths, l->if_name, EVENT_V4 | EVENT_V6, &hg);
		if (!(hg.found & (f ? EVENT_V6 : EVENT_V4)))
			continue;
		addrs = unmanaged_addrs(c, family, l->if_index);
		if (!addrs)
			continue;
		snprintf(cmd, sizeof(cmd), "symroute up %s --dry-run", l->if_name);
		report(c, V_INFO, cmd, "%s %s has global addresses and %s names gateway %s (%s), but "
		       "no table of symroute's (not managed)", l->if_name, fam_name(family),
		       hg.from[f], addr_format(&gw[f], false, gw_text), hg.detail[f]);
		for (unsigned j = 0; j < addrs->n; j++)
			check_unmanaged_addr(c, l->if_name, l->if_index, &addrs->v[j].a);
		free(addrs);
	}
	if_freenameindex(links);
}

static void check_unmanaged(struct checker *c, const struct status *st)
{
	for (size_t k = 0; k < 2; k++) {
		struct have mr = { 0 };
		uint32_t seen[64];
		unsigned n_seen = 0;

		if (rtnl_dump_routes(c->nl, families[k], RT_TABLE_MAIN, main_collect, &mr,
				     main_reset) < 0) {
			have_free(&mr);
			continue;
		}
		for (unsigned i = 0; i < mr.n_routes; i++) {
			const struct route *r = &mr.routes[i];
			struct addr_list *addrs;
			char name[IF_NAMESIZE], cmd[CHECK_LINE_MAX];
			bool dup = false;

			if (r->dst.plen || !r->oif || r->protocol == c->cfg->protocol ||
			    is_managed_family(st, r->oif, families[k]))
				continue;
			for (unsigned j = 0; j < n_seen; j++)
				dup |= seen[j] == r->oif;
			if (dup || n_seen >= 64)
				continue;
			seen[n_seen++] = r->oif;
			addrs = unmanaged_addrs(c, families[k], r->oif);
			if (!addrs)
				continue;
			ifname_of(r->oif, name);
			snprintf(cmd, sizeof(cmd), "symroute up %s --dry-run", name);
			report(c, V_INFO, cmd, "%s %s has global addresses and a default route but "
			       "no table of symroute's (not managed)", name, fam_name(families[k]));
			for (unsigned j = 0; j < addrs->n; j++)
				check_unmanaged_addr(c, name, r->oif, &addrs->v[j].a);
			free(addrs);
		}
		have_free(&mr);
		check_stanza_uplinks(c, st, families[k], seen, n_seen);
	}
}

/*
 * Router advertisements change an uplink's addresses and gateway with no hook event (SLAAC
 * after ifup, a renumbered prefix, a new router): only symroute watch follows them. Said once,
 * for the first interface whose IPv6 default in main came from one, when no watcher runs.
 */
static void check_watcher(struct checker *c)
{
	struct watch_state w;
	struct have mr = { 0 };
	char name[IF_NAMESIZE];

	if (watch_state_read(&w) > 0 && w.running) {
		report(c, V_PASS, "symroute status", "symroute watch runs (pid %ld): what changes "
		       "after a hook ran is followed", w.pid);
		return;
	}
	if (rtnl_dump_routes(c->nl, AF_INET6, RT_TABLE_MAIN, main_collect, &mr, main_reset) < 0) {
		have_free(&mr);
		return;
	}
	for (unsigned i = 0; i < mr.n_routes; i++) {
		const struct route *r = &mr.routes[i];

		if (r->dst.plen || !r->oif || r->protocol != RTPROT_RA)
			continue;
		report(c, V_INFO, "systemctl enable --now symroute-watch",
		       "%s IPv6: its default comes from router advertisements, which change its "
		       "addresses and gateway with no hook event; symroute watch is not running to "
		       "follow them", ifname_of(r->oif, name));
		break;
	}
	have_free(&mr);
}

static void check_networkd(struct checker *c)
{
	const char *cmd = "systemd-analyze cat-config systemd/networkd.conf";
	struct hostconf_networkd nd;

	if (!hostconf_running_here(c->paths, "systemd-networkd")) {
		report(c, V_PASS, NULL, "systemd-networkd is not running in this network namespace");
		return;
	}
	hostconf_networkd_foreign(c->paths, &nd);
	if (nd.rules)
		report(c, V_FAIL, cmd, "systemd-networkd is running with "
		       "ManageForeignRoutingPolicyRules=yes (%s): it deletes symroute's rules "
		       "whenever it reconfigures; set it to no in [Network] of %s", nd.rules_from,
		       c->paths->networkd_conf);
	if (nd.routes)
		report(c, V_FAIL, cmd, "systemd-networkd is running with ManageForeignRoutes=yes "
		       "(%s): it deletes symroute's routes whenever it reconfigures; set it to no in "
		       "[Network] of %s", nd.routes_from, c->paths->networkd_conf);
	if (!nd.rules && !nd.routes)
		report(c, V_PASS, cmd, "systemd-networkd is running and leaves foreign rules and "
		       "routes alone (ManageForeignRoutingPolicyRules=no, ManageForeignRoutes=no)");
}

static void check_nm(struct checker *c, const char *only)
{
	struct if_nameindex *ifs, *p;
	unsigned conflicts = 0;

	if (!hostconf_running_here(c->paths, "NetworkManager")) {
		report(c, V_PASS, NULL, "NetworkManager is not running in this network namespace");
		return;
	}
	ifs = if_nameindex();
	for (p = ifs; p && p->if_index; p++) {
		char where[HOSTCONF_PATH_MAX], cmd[CHECK_LINE_MAX];

		if (only && strcmp(only, p->if_name) != 0)
			continue;
		if (!hostconf_nm_manages(c->paths, p->if_index) ||
		    !hostconf_ifupdown_configures(c->paths, p->if_name, where, sizeof(where)))
			continue;
		conflicts++;
		snprintf(cmd, sizeof(cmd), "nmcli device show %s; ifquery --list", p->if_name);
		report(c, V_FAIL, cmd, "%s is managed by NetworkManager (%s/%u) and configured by "
		       "ifupdown too (%s): both set its addresses and routes", p->if_name,
		       c->paths->nm_devices, p->if_index, where);
	}
	if_freenameindex(ifs);
	if (!conflicts)
		report(c, V_PASS, "nmcli device status", "NetworkManager manages no interface that "
		       "ifupdown configures");
}

int check_run_paths(const struct config *cfg, const char *ifname, const struct addr *dest,
		    const struct hostconf_paths *paths, bool json, FILE *out)
{
	struct checker c = { .cfg = cfg, .paths = paths, .out = out, .json = json };
	struct status st = { 0 };
	bool managed[2] = { false, false };
	uint32_t only = 0;
	int code = EXIT_OK;
	int err;

	err = rtnl_open(&c.nl);
	if (err < 0) {
		log_error("cannot open rtnetlink: %s", strerror(-err));
		return EXIT_KERNEL;
	}
	/* Every interface is read: ARP flux is about pairs, even when one is asked for. */
	if (ifname) {
		only = if_nametoindex(ifname);
		if (!only)
			err = -ENODEV;
	}
	if (err == 0)
		err = status_read(c.nl, cfg, NULL, &st);
	for (size_t k = 0; err == 0 && k < 2; k++) {
		err = rtnl_dump_rules(c.nl, families[k], rules_collect, &c.rules[k], rules_reset);
		if (err == 0)
			err = pick_dest(&c, families[k], dest);
	}
	if (err == -ENODEV) {
		log_error("interface %s does not exist", ifname);
		code = EXIT_NOT_FOUND;
		goto out;
	}
	if (err < 0) {
		log_error("reading the kernel's routing state failed: %s", rtnl_strerror(err));
		code = err == -E2BIG ? EXIT_USAGE : EXIT_KERNEL;
		goto out;
	}

	if (json)
		fputs("{\"version\":1,\"checks\":[", out);
	if (only && !is_managed(&st, only)) {
		char cmd[CHECK_LINE_MAX];

		snprintf(cmd, sizeof(cmd), "symroute up %s --dry-run", ifname);
		report(&c, V_FAIL, cmd, "%s is not managed by symroute: no rule or route of ours",
		       ifname);
	}
	if (!ifname && !st.n_ifaces)
		report(&c, V_INFO, "symroute show", "no interface is managed by symroute");
	for (unsigned i = 0; i < st.n_ifaces; i++) {
		const struct status_iface *iface = &st.ifaces[i];

		for (size_t k = 0; k < 2; k++) {
			const struct status_family *f = &iface->fam[k];
			bool ok = true;

			if (!f->family || (only && iface->ifindex != only))
				continue;
			managed[k] = true;
			check_state(&c, iface, f);
			for (unsigned j = 0; j < f->n_addrs; j++) {
				ok &= check_egress(&c, iface, f, &f->addrs[j]);
				ok &= check_subnet(&c, iface, f, &f->addrs[j]);
			}
			if (!f->n_addrs)
				report(&c, V_FAIL, NULL, "%s %s: no global address to route for",
				       iface->name, fam_name(f->family));
			if (f->family == AF_INET)
				check_rp_filter(&c, iface, ok);
		}
	}
	for (size_t k = 0; k < 2; k++)
		if (managed[k])
			check_wildcard(&c, families[k]);
	check_arp_flux(&c, &st, only);
	check_rules(&c, &st);
	if (!ifname)
		check_unmanaged(&c, &st);
	check_watcher(&c);
	check_networkd(&c);
	check_nm(&c, ifname);
	code = c.n_fail ? EXIT_CHECK_FAILED : EXIT_OK;
	if (json)
		fprintf(out, "],\"summary\":{\"ok\":%s,\"checks\":%u,\"failed\":%u,\"info\":%u}}\n",
			c.n_fail ? "false" : "true", c.n_checks, c.n_fail, c.n_info);
out:
	for (size_t k = 0; k < 2; k++)
		have_free(&c.rules[k]);
	status_free(&st);
	rtnl_close(c.nl);
	return code;
}

int check_run(const struct config *cfg, const char *ifname, const struct addr *dest, bool json,
	      FILE *out)
{
	return check_run_paths(cfg, ifname, dest, &hostconf_default_paths, json, out);
}
