// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: what symroute manages, read back from the kernel, with its drift; as text or JSON. */
/*
 * `symroute status --json` prints one JSON object on one line, UTF-8 whatever bytes the names
 * hold (see json_write_string()). Version 1:
 *
 * {
 *   "version": 1,
 *   "interfaces": [                       every interface with a rule or route of ours,
 *     {                                   by ifindex (or only the one asked for)
 *       "name": "eth0",
 *       "ifindex": 2,
 *       "managed": true,                  false: nothing of ours ("families" is empty)
 *       "families": [                     only families with something of ours
 *         {
 *           "family": "ipv4",             "ipv4" or "ipv6"
 *           "table": 1000002,
 *           "table_auto": true,           the table is table-base + ifindex
 *           "priority": 31100,            of our rules; null when there is none
 *           "addresses": ["198.51.100.10/25"],    the interface's global addresses
 *           "gateways": ["198.51.100.1"],         of our default routes in the table
 *           "rules": [RULE...],           ours that look up the table
 *           "routes": [ROUTE...],         ours in the table, and our fallback default in main
 *           "foreign_routes": [ROUTE...], in the table but not ours (symroute up refuses it)
 *           "in_sync": true,              true: `symroute up IFACE` would change nothing;
 *                                         null: unknown, see drift_error
 *           "drift": ["ip -4 rule add ..."], what `symroute up IFACE` would send, as ip commands
 *           "drift_error": null,          or why `symroute up IFACE` would fail now
 *           "repair": "symroute up eth1"  the command that repairs the drift (`symroute sync
 *                                         IFACE` where NetworkManager manages it, or where a
 *                                         rule goes that `up` takes the table's word for), or null
 *         }
 *       ]
 *     }
 *   ],
 *   "shared_rules": [RULE...],            our "from all lookup main suppress_prefixlength 0"
 *   "orphan_rules": [RULE...],            ours, for a table whose interface is gone
 *   "watcher": {"running": true,          symroute watch (false: only "running")
 *     "pid": 812, "since": EPOCH, "actions": 3,      its process, start, reconciles so far
 *     "last": "eth1 IPv6: up (5 changes)", "last_at": EPOCH},   its last action, if any
 *   "summary": {"ok": true,               false: `symroute status` exits 9 (EXIT_DRIFT)
 *     "managed_interfaces": 1, "families": 2,        interfaces and families with ours
 *     "in_sync": 2, "drift": 0, "unknown": 0,        families by "in_sync" true/false/null
 *     "orphan_rules": 0}
 * }
 *
 * RULE:  {"family": "ipv4", "priority": 31100, "from": "198.51.100.10" or null (all),
 *         "to": null or "ADDR[/PLEN]", "table": 1000002, "suppress_prefixlength": null or N,
 *         "protocol": 73, "ip": "priority 31100 from 198.51.100.10 lookup 1000002 proto 73"}
 * ROUTE: {"family": "ipv4", "dst": "default" or "PREFIX/PLEN", "gateway": null or "ADDR",
 *         "dev": "eth0" or null, "table": 1000002, "metric": 0, "src": null or "ADDR",
 *         "protocol": 73,
 *         "ip": "default via 198.51.100.1 dev eth0 table 1000002 proto 73 metric 0"}
 *
 * Keys are always present; lists may be empty. New keys may be added in a later version; the
 * meaning of these does not change without a new "version".
 */
#include <errno.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <syslog.h>

#include "config.h"
#include "event.h"
#include "intent.h"
#include "exitcode.h"
#include "have.h"
#include "hostconf.h"
#include "log.h"
#include "plan.h"
#include "reconcile.h"
#include "rtnl.h"
#include "show.h"
#include "status.h"
#include "utf8.h"

static const int families[] = { AF_INET, AF_INET6 };

/* Automatic tables are table_base + ifindex, and ifindex is a positive int. */
#define AUTO_TABLE_SPAN 0x7fffffffu

static bool is_auto_table(const struct config *cfg, uint32_t table)
{
	return table > cfg->table_base && table - cfg->table_base <= AUTO_TABLE_SPAN;
}

static bool is_shared_rule(const struct rule *r)
{
	return r->table == RT_TABLE_MAIN && r->suppress_prefixlen >= 0;
}

bool status_family_in_sync(const struct status_family *f)
{
	return f->drift_known && f->n_drift == 0;
}

/*
 * Interface names by index, read once per status_read() (if_indextoname() opens a socket per
 * call: five per managed interface). Outside a read, and for an index it does not hold (a link
 * made since), the kernel is asked.
 */
static struct {
	char (*name)[IF_NAMESIZE];
	size_t n;
} names;

static void names_read(void)
{
	struct if_nameindex *links = if_nameindex();
	unsigned max = 0;

	free(names.name);
	names.name = NULL;
	names.n = 0;
	if (!links)
		return;
	for (size_t i = 0; links[i].if_index; i++)
		if (links[i].if_index > max)
			max = links[i].if_index;
	names.name = calloc((size_t)max + 1, sizeof(*names.name));
	if (names.name) {
		names.n = (size_t)max + 1;
		for (size_t i = 0; links[i].if_index; i++)
			snprintf(names.name[links[i].if_index], IF_NAMESIZE, "%s", links[i].if_name);
	}
	if_freenameindex(links);
}

static void names_drop(void)
{
	free(names.name);
	names.name = NULL;
	names.n = 0;
}

/* if_indextoname(), from the names read once when there are. */
static char *ifname_of(uint32_t ifindex, char *buf)
{
	if (ifindex < names.n && names.name[ifindex][0]) {
		memcpy(buf, names.name[ifindex], IF_NAMESIZE);
		return buf;
	}
	return if_indextoname(ifindex, buf);
}

void status_family_free(struct status_family *f)
{
	free(f->rules);
	free(f->routes);
	free(f->foreign);
	free(f->drift);
	memset(f, 0, sizeof(*f));
}

void status_free(struct status *st)
{
	if (!st)
		return;
	for (unsigned i = 0; i < st->n_ifaces; i++)
		for (size_t k = 0; k < 2; k++)
			status_family_free(&st->ifaces[i].fam[k]);
	free(st->ifaces);
	memset(st, 0, sizeof(*st));
}

/* Room for one more of @size bytes in *@v (*@cap of them), doubling up to @max. */
static int grow(void **v, unsigned *cap, unsigned n, unsigned max, size_t size)
{
	unsigned want;
	void *p;

	if (n < *cap)
		return 0;
	if (n >= max)
		return -E2BIG;
	want = *cap ? *cap * 2 : 4;
	if (want > max)
		want = max;
	p = realloc(*v, (size_t)want * size);
	if (!p)
		return -ENOMEM;
	*v = p;
	*cap = want;
	return 0;
}

int status_family_add_rule(struct status_family *f, const struct rule *r)
{
	int err = grow((void **)&f->rules, &f->cap_rules, f->n_rules, POLICY_MAX_RULES,
		       sizeof(*f->rules));

	if (err == 0)
		f->rules[f->n_rules++] = *r;
	return err;
}

static int add_route(struct status_route **v, unsigned *n, unsigned *cap, unsigned max,
		     const struct route *r, const char *dev)
{
	struct status_route *sr;
	int err = grow((void **)v, cap, *n, max, sizeof(**v));

	if (err < 0)
		return err;
	sr = &(*v)[*n];
	sr->r = *r;
	memset(sr->dev, 0, sizeof(sr->dev));
	if (dev)
		snprintf(sr->dev, sizeof(sr->dev), "%s", dev);
	else if (r->oif && !ifname_of(r->oif, sr->dev))
		snprintf(sr->dev, sizeof(sr->dev), "%u", r->oif);
	(*n)++;
	return 0;
}

int status_family_add_route(struct status_family *f, const struct route *r, const char *dev)
{
	return add_route(&f->routes, &f->n_routes, &f->cap_routes, POLICY_MAX_ROUTES, r, dev);
}

int status_family_add_foreign(struct status_family *f, const struct route *r, const char *dev)
{
	return add_route(&f->foreign, &f->n_foreign, &f->cap_foreign, STATUS_MAX_FOREIGN, r, dev);
}

/* ---- reading ---- */

/* Everything of one family the status is made from: our rules; ours and other tables' routes. */
struct scan {
	uint8_t protocol;
	struct have ours;	/* rules: ours; routes: ours anywhere, and all outside main */
};

/*
 * Ours: our tag and only the selectors we write. A rule of our tag with an fwmark, iif, ...
 * is someone's own (up keeps it): listing it would print it as "from all lookup T".
 */
static int scan_rule(const struct rule *r, void *data)
{
	struct scan *s = data;

	return have_rule_ours(s->protocol, r) ? have_add_rule(&s->ours, r) : 0;
}

static int scan_route(const struct route *r, void *data)
{
	struct scan *s = data;

	if (have_route_ours(s->protocol, r))
		return have_add_route(&s->ours, r);
	/* Foreign routes (our tag with a shape we never write among them) can only matter in tables that are not the kernel's own. */
	if (r->table == RT_TABLE_MAIN || r->table == RT_TABLE_LOCAL ||
	    r->table == RT_TABLE_DEFAULT || r->table == RT_TABLE_UNSPEC)
		return 0;
	return have_add_route(&s->ours, r);
}

static void scan_rules_reset(void *data)
{
	((struct scan *)data)->ours.n_rules = 0;
}

static void scan_routes_reset(void *data)
{
	((struct scan *)data)->ours.n_routes = 0;
}

/* Where @ifindex is, or would go, in @st's interfaces (ordered by ifindex). */
static unsigned iface_at(const struct status *st, uint32_t ifindex)
{
	unsigned lo = 0, hi = st->n_ifaces;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;

		if (st->ifaces[mid].ifindex < ifindex)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct status_iface *status_iface_find(const struct status *st, uint32_t ifindex)
{
	unsigned at = iface_at(st, ifindex);

	return at < st->n_ifaces && st->ifaces[at].ifindex == ifindex ? &st->ifaces[at] : NULL;
}

static struct status_iface *iface_get(struct status *st, uint32_t ifindex, int *err)
{
	unsigned lo = iface_at(st, ifindex);
	struct status_iface *v;

	/* A binary search, and room made by doubling (4096 interfaces). */
	if (lo < st->n_ifaces && st->ifaces[lo].ifindex == ifindex)
		return &st->ifaces[lo];
	if (st->n_ifaces == st->cap_ifaces) {
		unsigned cap = st->cap_ifaces ? 2 * st->cap_ifaces : 8;

		v = realloc(st->ifaces, cap * sizeof(*v));
		if (!v) {
			*err = -ENOMEM;
			return NULL;
		}
		st->ifaces = v;
		st->cap_ifaces = cap;
	}
	v = st->ifaces;
	memmove(&v[lo + 1], &v[lo], (st->n_ifaces - lo) * sizeof(*v));
	st->n_ifaces++;
	memset(&v[lo], 0, sizeof(v[lo]));
	v[lo].ifindex = ifindex;
	if (!ifname_of(ifindex, v[lo].name))
		snprintf(v[lo].name, sizeof(v[lo].name), "%u", ifindex);
	return &v[lo];
}

/* The interface a table of ours serves, or 0 when it is gone (the table's rules are orphans). */
static uint32_t table_owner(const struct config *cfg, const struct scan *s, uint32_t table)
{
	char name[IF_NAMESIZE];

	if (is_auto_table(cfg, table)) {
		uint32_t idx = table - cfg->table_base;

		return ifname_of(idx, name) ? idx : 0;
	}
	for (unsigned i = 0; i < s->ours.n_routes; i++) {
		const struct route *r = &s->ours.routes[i];

		if (r->table == table && have_route_ours(s->protocol, r) && r->oif &&
		    ifname_of(r->oif, name))
			return r->oif;
	}
	return 0;
}

static struct status_family *family_get(struct status *st, const struct config *cfg,
					uint32_t ifindex, int family, uint32_t table, int *err)
{
	struct status_iface *i = iface_get(st, ifindex, err);
	struct status_family *f;

	if (!i)
		return NULL;
	f = &i->fam[family == AF_INET6];
	if (!f->family) {
		f->family = (uint8_t)family;
		f->table = table;
		f->table_auto = table == cfg->table_base + ifindex;
	}
	return f;
}

/* Place our rules and routes of one family on their interfaces. */
static int place_family(struct status *st, const struct config *cfg, const struct scan *s,
			int family)
{
	int err = 0;

	for (unsigned i = 0; i < s->ours.n_rules; i++) {
		const struct rule *r = &s->ours.rules[i];
		struct status_family *f;
		uint32_t owner;

		if (is_shared_rule(r)) {
			if (st->n_shared >= STATUS_MAX_SHARED)
				return -E2BIG;
			st->shared[st->n_shared++] = *r;
			continue;
		}
		owner = table_owner(cfg, s, r->table);
		/* Our tag where we never write it (another priority): not ours to call orphan. */
		if (!owner && !have_rule_sweepable(cfg, r))
			continue;
		if (!owner) {
			if (st->n_orphans >= STATUS_MAX_ORPHANS)
				return -E2BIG;
			st->orphans[st->n_orphans++] = *r;
			continue;
		}
		f = family_get(st, cfg, owner, family, r->table, &err);
		if (!f)
			return err;
		err = status_family_add_rule(f, r);
		if (err < 0)
			return err;
		/* The interface's priority is its source rules'; subnet rules have their own. */
		if (r->table == f->table && !(addr_is_set(&r->src) && addr_is_set(&r->dst)) &&
		    (!f->has_priority || r->priority < f->priority)) {
			f->has_priority = true;
			f->priority = r->priority;
		}
	}
	for (unsigned i = 0; i < s->ours.n_routes; i++) {
		const struct route *r = &s->ours.routes[i];
		struct status_family *f;
		uint32_t owner;

		if (!have_route_ours(s->protocol, r))
			continue;
		if (r->table == RT_TABLE_MAIN)
			owner = r->oif;
		else if (is_auto_table(cfg, r->table))
			owner = table_owner(cfg, s, r->table);
		else
			owner = r->oif;
		if (!owner)
			continue;
		f = family_get(st, cfg, owner, family,
			       r->table == RT_TABLE_MAIN ? cfg->table_base + owner : r->table, &err);
		if (!f)
			return err;
		err = status_family_add_route(f, r, NULL);
		if (err < 0)
			return err;
		if (r->table == f->table && r->dst.plen == 0 && addr_is_set(&r->gateway)) {
			if (f->n_gateways >= STATUS_MAX_GATEWAYS)
				return -E2BIG;
			f->gateways[f->n_gateways++] = r->gateway;
		}
	}
	/* Routes that are not ours in a table of ours: symroute refuses such a table. */
	for (unsigned i = 0; i < s->ours.n_routes; i++) {
		const struct route *r = &s->ours.routes[i];

		if (have_route_ours(s->protocol, r))
			continue;
		for (unsigned j = 0; j < st->n_ifaces; j++) {
			struct status_family *f = &st->ifaces[j].fam[family == AF_INET6];

			if (f->family && f->table == r->table) {
				err = status_family_add_foreign(f, r, NULL);
				if (err < 0)
					return err;
			}
		}
	}
	return 0;
}

/* plan_build() explains a refusal with log_error(): keep its words for drift_error. */
/* Room for the prefix "symroute up would fail: " in drift_error. */
static char plan_error[STATUS_ERROR_MAX - 32];

static void plan_error_sink(int priority, const char *msg)
{
	if (priority <= LOG_WARNING && !plan_error[0])
		snprintf(plan_error, sizeof(plan_error), "%s", msg);
}

static bool is_orphan(const struct status *st, const struct rule *r)
{
	for (unsigned i = 0; i < st->n_orphans; i++)
		if (rule_cmp(&st->orphans[i], r) == 0)
			return true;
	return false;
}

int status_intent(const struct config *cfg, const struct status_iface *iface,
		  const struct status_family *f, bool manager_default, const char *origin,
		  struct event *ev, const char **why)
{
	struct event knobs;

	if (intent_event(cfg, iface, f, manager_default, origin, ev, why) < 0)
		return -EINVAL;
	/*
	 * As `up` by hand: the stanza's symroute-gateway, or the lease's router, is the intent
	 * (main.c), and so are its other symroute-* knobs, over what the kernel shows: a to-rule
	 * someone deleted is drift.
	 */
	event_default_gateways(ev, iface->intent_gw, iface->intent_gws);
	event_init(&knobs, "stanza");
	config_event_take_knobs(ev, &knobs,
				hostconf_stanza_knobs(&hostconf_default_paths, iface->name, &knobs));
	return 0;
}

/* What `symroute up IFACE` with no options would send now, for one family. */
static int family_drift(struct rtnl *nl, const struct config *cfg, const struct status *st,
			const struct status_iface *iface, struct status_family *f)
{
	struct link_state link;
	struct have have;
	struct policy *want = NULL;
	struct op *ops = NULL;
	struct event ev;
	const char *why = NULL;
	unsigned n;
	int err;

	err = have_read(nl, cfg, f->family, iface->ifindex, f->table,
			HAVE_MAIN_ROUTES | HAVE_SHARED_NETS, &link, &have);
	if (err < 0)
		goto out;
	/* IPv6's router as an event without a gateway finds it (run.c): the kernel's. */
	if (f->family == AF_INET6)
		have_note_router(nl, cfg, &link);
	for (unsigned i = 0; i < link.n_addrs; i++)
		f->addrs[f->n_addrs++] = link.addrs[i];
	/*
	 * The settings the kernel shows are kept; a default in main that is its manager's alone
	 * says main-default off (NetworkManager's events do), and the state its event left is in
	 * sync. Without any default through it, `up`'s built-in choice stands, so a main that
	 * lost every default still shows what `up` would put back.
	 */
	if (status_intent(cfg, iface, f, addr_is_set(&link.main_gateway), "status", &ev, &why) < 0) {
		snprintf(f->drift_error, sizeof(f->drift_error), "%s", why);
		err = 0;
		goto out;
	}
	have_note_table_gateway(&have, f->table, &link);
	if (have.n_foreign) {
		snprintf(f->drift_error, sizeof(f->drift_error),
			 "table %u holds %u route(s) that are not symroute's: symroute up refuses "
			 "to touch it", f->table, have.n_foreign);
		goto out;
	}
	want = malloc(sizeof(*want));
	if (!want) {
		err = -ENOMEM;
		goto out;
	}
	plan_error[0] = '\0';
	log_set_sink(plan_error_sink);
	err = plan_build(&ev, cfg, f->family, &link, have.n_other_rules > 0, want);
	log_set_sink(NULL);
	if (err < 0) {
		snprintf(f->drift_error, sizeof(f->drift_error), "symroute up would fail: %s",
			 plan_error[0] ? plan_error : strerror(-err));
		err = 0;
		goto out;
	}
	ops = calloc(reconcile_max_ops(want, &have) + 1, sizeof(*ops));
	if (!ops) {
		err = -ENOMEM;
		goto out;
	}
	n = reconcile(want, &have, ops);
	/* Orphans are everybody's business: listed once, not as this interface's drift. */
	for (unsigned i = 0; i < n; i++) {
		if (ops[i].kind == OP_DEL_RULE && is_orphan(st, &ops[i].u.rule))
			continue;
		ops[f->n_drift++] = ops[i];
	}
	/*
	 * A rule that goes, beside a table whose fingerprint vouches for the wanted rules (a
	 * duplicate, one left by a refused undo): `up` would ask for the wanted ones and not
	 * read the rest, so only `sync` removes it.
	 */
	if (plan_rules_in_place(want, &have, f->table))
		for (unsigned i = 0; i < f->n_drift; i++)
			f->drift_needs_sync |= ops[i].kind == OP_DEL_RULE;
	if (f->n_drift > STATUS_MAX_DRIFT) {
		f->n_drift = 0;
		err = -E2BIG;
		goto out;
	}
	if (f->n_drift) {
		/* The drift is at the front of what reconcile() made: keep just that. */
		f->drift = realloc(ops, f->n_drift * sizeof(*ops));
		if (!f->drift)
			f->drift = ops;
		ops = NULL;
	}
	f->drift_known = true;
out:
	free(ops);
	free(want);
	have_free(&have);
	return err;
}

int status_read(struct rtnl *nl, const struct config *cfg, const char *ifname, struct status *st)
{
	uint32_t only = 0;
	int err = 0;

	memset(st, 0, sizeof(*st));
	if (ifname) {
		only = if_nametoindex(ifname);
		if (!only)
			return -ENODEV;
		if (!iface_get(st, only, &err))
			return err;
	}
	/*
	 * Every interface: what follows asks the kernel the same questions for each (its rules,
	 * its table, main through it), so they are answered from one reading of it (4096 managed
	 * interfaces: each rule was dumped 4096 times). Without the memory for it, as before.
	 */
	if (!only) {
		rtnl_snapshot_take(nl, cfg->protocol);
		names_read();
	}
	for (size_t k = 0; k < 2 && err == 0; k++) {
		struct scan s = { .protocol = cfg->protocol };

		err = rtnl_dump_rules(nl, families[k], scan_rule, &s, scan_rules_reset);
		if (err == 0)
			err = rtnl_dump_routes(nl, families[k], 0, scan_route, &s, scan_routes_reset);
		if (err == 0)
			err = place_family(st, cfg, &s, families[k]);
		have_free(&s.ours);
	}
	for (unsigned i = 0; i < st->n_ifaces && err == 0; i++) {
		struct status_iface *iface = &st->ifaces[i];
		struct hostconf_gateways hg = { .gw = iface->intent_gw };

		if (only && iface->ifindex != only)
			continue;
		hostconf_gateways(&hostconf_default_paths, iface->name, EVENT_V4 | EVENT_V6, &hg);
		iface->intent_gws = hg.found;
		iface->nm_managed = hostconf_nm_manages(&hostconf_default_paths, iface->ifindex);
		for (size_t k = 0; k < 2 && err == 0; k++)
			if (iface->fam[k].family)
				err = family_drift(nl, cfg, st, iface, &iface->fam[k]);
	}
	if (err == 0 && only) {
		/* Only the interface asked for. */
		unsigned keep = 0;

		for (unsigned i = 0; i < st->n_ifaces; i++) {
			if (st->ifaces[i].ifindex == only) {
				st->ifaces[keep++] = st->ifaces[i];
				continue;
			}
			for (size_t k = 0; k < 2; k++)
				status_family_free(&st->ifaces[i].fam[k]);
		}
		st->n_ifaces = keep;
	}
	rtnl_snapshot_drop(nl);
	names_drop();
	if (err < 0)
		status_free(st);
	return err;
}

/* ---- JSON ---- */

/*
 * A JSON string is UTF-8, but an interface name is any bytes (the kernel refuses only '/',
 * ':', whitespace and NUL): a name from a Latin-1 script, or a hostile one, must not make the
 * whole document invalid. Valid UTF-8 sequences pass as they are; a byte that is not part
 * of one is written as the Latin-1 character of the same value ("\u00e9" for 0xe9), so
 * nothing is lost to U+FFFD and an ASCII name reads the same. Control characters and DEL
 * are escaped.
 */
void json_write_string(FILE *out, const char *s)
{
	const unsigned char *end = (const unsigned char *)s + strlen(s);

	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p >= 0x80) {
			size_t n = utf8_char_len(p, (size_t)(end - p));

			if (!n) {
				fprintf(out, "\\u%04x", *p);
			} else {
				fwrite(p, 1, n, out);
				p += n - 1;
			}
			continue;
		}
		switch (*p) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(out, "\\u%04x", *p);
			else
				fputc(*p, out);
		}
	}
	fputc('"', out);
}

static void json_addr(FILE *out, const struct addr *a, bool with_plen)
{
	char text[ADDR_STRLEN];

	if (!addr_is_set(a)) {
		fputs("null", out);
		return;
	}
	json_write_string(out, addr_format(a, with_plen, text));
}

static const char *family_name(int family)
{
	return family == AF_INET6 ? "ipv6" : "ipv4";
}

static bool host_plen(const struct addr *a)
{
	return a->plen == addr_family_len(a->family) * 8;
}

static void json_rule(FILE *out, const struct rule *r)
{
	char line[SHOW_LINE_MAX];

	fprintf(out, "{\"family\":\"%s\",\"priority\":%u,\"from\":", family_name(r->family),
		r->priority);
	json_addr(out, &r->src, !host_plen(&r->src));
	fputs(",\"to\":", out);
	json_addr(out, &r->dst, !host_plen(&r->dst));
	fprintf(out, ",\"table\":%u,\"suppress_prefixlength\":", r->table);
	if (r->suppress_prefixlen >= 0)
		fprintf(out, "%d", r->suppress_prefixlen);
	else
		fputs("null", out);
	fprintf(out, ",\"protocol\":%u,\"ip\":", r->protocol);
	json_write_string(out, show_rule(line, sizeof(line), r, NULL));
	fputc('}', out);
}

static void json_route(FILE *out, const struct status_route *sr)
{
	const struct route *r = &sr->r;
	char line[SHOW_LINE_MAX], text[ADDR_STRLEN];

	fprintf(out, "{\"family\":\"%s\",\"dst\":", family_name(r->family));
	json_write_string(out, r->dst.plen ? addr_format(&r->dst, true, text) : "default");
	fputs(",\"gateway\":", out);
	json_addr(out, &r->gateway, false);
	fputs(",\"dev\":", out);
	if (sr->dev[0])
		json_write_string(out, sr->dev);
	else
		fputs("null", out);
	fprintf(out, ",\"table\":%u,\"metric\":%u,\"src\":", r->table, r->metric);
	json_addr(out, &r->prefsrc, false);
	fprintf(out, ",\"protocol\":%u,\"ip\":", r->protocol);
	/* show_route() resolves a missing name through the kernel; "?" keeps this pure. */
	json_write_string(out, show_route(line, sizeof(line), r, NULL, sr->dev[0] ? sr->dev : "?"));
	fputc('}', out);
}

static void json_rules(FILE *out, const struct rule *v, unsigned n)
{
	fputc('[', out);
	for (unsigned i = 0; i < n; i++) {
		if (i)
			fputc(',', out);
		json_rule(out, &v[i]);
	}
	fputc(']', out);
}

static void json_routes(FILE *out, const struct status_route *v, unsigned n)
{
	fputc('[', out);
	for (unsigned i = 0; i < n; i++) {
		if (i)
			fputc(',', out);
		json_route(out, &v[i]);
	}
	fputc(']', out);
}

static void json_family(FILE *out, const struct status_iface *iface, const struct status_family *f)
{
	char line[SHOW_LINE_MAX];

	fprintf(out, "{\"family\":\"%s\",\"table\":%u,\"table_auto\":%s,\"priority\":",
		family_name(f->family), f->table, f->table_auto ? "true" : "false");
	if (f->has_priority)
		fprintf(out, "%u", f->priority);
	else
		fputs("null", out);
	fputs(",\"addresses\":[", out);
	for (unsigned i = 0; i < f->n_addrs; i++) {
		if (i)
			fputc(',', out);
		json_addr(out, &f->addrs[i], true);
	}
	fputs("],\"gateways\":[", out);
	for (unsigned i = 0; i < f->n_gateways; i++) {
		if (i)
			fputc(',', out);
		json_addr(out, &f->gateways[i], false);
	}
	fputs("],\"rules\":", out);
	json_rules(out, f->rules, f->n_rules);
	fputs(",\"routes\":", out);
	json_routes(out, f->routes, f->n_routes);
	fputs(",\"foreign_routes\":", out);
	json_routes(out, f->foreign, f->n_foreign);
	fprintf(out, ",\"in_sync\":%s,\"drift\":[",
		f->drift_known ? (f->n_drift ? "false" : "true") : "null");
	for (unsigned i = 0; i < f->n_drift; i++) {
		if (i)
			fputc(',', out);
		json_write_string(out, show_op(line, sizeof(line), &f->drift[i], iface->name));
	}
	fputs("],\"drift_error\":", out);
	if (f->drift_known)
		fputs("null", out);
	else
		json_write_string(out, f->drift_error);
	fputs(",\"repair\":", out);
	if (f->drift_known && f->n_drift)
		json_write_string(out, status_repair(iface, line, sizeof(line)));
	else
		fputs("null", out);
	fputc('}', out);
}

const char *status_repair(const struct status_iface *iface, char *buf, size_t len)
{
	bool sync = iface->nm_managed || iface->fam[0].drift_needs_sync ||
		    iface->fam[1].drift_needs_sync;

	snprintf(buf, len, "symroute %s %s", sync ? "sync" : "up", iface->name);
	return buf;
}

void status_summarize(const struct status *st, struct status_summary *sum)
{
	memset(sum, 0, sizeof(*sum));
	for (unsigned i = 0; i < st->n_ifaces; i++) {
		const struct status_iface *iface = &st->ifaces[i];

		if (iface->fam[0].family || iface->fam[1].family)
			sum->managed++;
		for (size_t k = 0; k < 2; k++) {
			const struct status_family *f = &iface->fam[k];

			if (!f->family)
				continue;
			sum->families++;
			if (!f->drift_known)
				sum->unknown++;
			else if (f->n_drift)
				sum->drift++;
			else
				sum->in_sync++;
		}
	}
	sum->orphan_rules = st->n_orphans;
}

bool status_summary_ok(const struct status_summary *sum)
{
	return !sum->drift && !sum->unknown && !sum->orphan_rules;
}

/* "watcher": what its state file says, when status_run() read it; the summary stays last. */
static void json_watcher(FILE *out, const struct status *st)
{
	const struct watch_state *w = &st->watcher;
	bool running = st->has_watcher && w->running;

	if (!st->watcher_known)
		return;
	fprintf(out, ",\"watcher\":{\"running\":%s", running ? "true" : "false");
	if (running) {
		fprintf(out, ",\"pid\":%ld,\"since\":%lld,\"actions\":%u", w->pid, w->since,
			w->actions);
		if (w->last[0]) {
			fputs(",\"last\":", out);
			json_write_string(out, w->last);
			fprintf(out, ",\"last_at\":%lld", w->last_at);
		}
	}
	fputc('}', out);
}

void status_write_json(const struct status *st, FILE *out)
{
	struct status_summary sum;

	fputs("{\"version\":1,\"interfaces\":[", out);
	for (unsigned i = 0; i < st->n_ifaces; i++) {
		const struct status_iface *iface = &st->ifaces[i];
		bool first = true;
		bool managed = iface->fam[0].family || iface->fam[1].family;

		if (i)
			fputc(',', out);
		fputs("{\"name\":", out);
		json_write_string(out, iface->name);
		fprintf(out, ",\"ifindex\":%u,\"managed\":%s,\"families\":[", iface->ifindex,
			managed ? "true" : "false");
		for (size_t k = 0; k < 2; k++) {
			if (!iface->fam[k].family)
				continue;
			if (!first)
				fputc(',', out);
			first = false;
			json_family(out, iface, &iface->fam[k]);
		}
		fputs("]}", out);
	}
	fputs("],\"shared_rules\":", out);
	json_rules(out, st->shared, st->n_shared);
	fputs(",\"orphan_rules\":", out);
	json_rules(out, st->orphans, st->n_orphans);
	json_watcher(out, st);
	status_summarize(st, &sum);
	fprintf(out, ",\"summary\":{\"ok\":%s,\"managed_interfaces\":%u,\"families\":%u,"
		"\"in_sync\":%u,\"drift\":%u,\"unknown\":%u,\"orphan_rules\":%u}",
		status_summary_ok(&sum) ? "true" : "false", sum.managed, sum.families, sum.in_sync,
		sum.drift, sum.unknown, sum.orphan_rules);
	fputs("}\n", out);
}

/* ---- text ---- */

static void text_family(FILE *out, const struct status_iface *iface, const struct status_family *f)
{
	char line[SHOW_LINE_MAX], text[ADDR_STRLEN];

	fprintf(out, "  %s: table %u%s", f->family == AF_INET6 ? "IPv6" : "IPv4", f->table,
		f->table_auto ? "" : " (chosen)");
	if (f->has_priority)
		fprintf(out, ", priority %u", f->priority);
	if (!f->drift_known)
		fprintf(out, ": unknown drift: %s\n", f->drift_error);
	else if (f->n_drift && iface->nm_managed)
		fprintf(out, ": DRIFT, %u change(s); NetworkManager manages it: `%s` repairs "
			"it\n", f->n_drift, status_repair(iface, line, sizeof(line)));
	else if (f->n_drift)
		fprintf(out, ": DRIFT, `%s` would make %u change(s)\n",
			status_repair(iface, line, sizeof(line)), f->n_drift);
	else
		fprintf(out, ": in sync\n");
	fputs("    addresses:", out);
	for (unsigned i = 0; i < f->n_addrs; i++)
		fprintf(out, " %s", addr_format(&f->addrs[i], true, text));
	fputs(f->n_addrs ? "\n" : " none\n", out);
	fputs("    gateways:", out);
	for (unsigned i = 0; i < f->n_gateways; i++)
		fprintf(out, " %s", addr_format(&f->gateways[i], false, text));
	fputs(f->n_gateways ? "\n" : " none\n", out);
	for (unsigned i = 0; i < f->n_rules; i++)
		fprintf(out, "    rule  %s\n", show_rule(line, sizeof(line), &f->rules[i], NULL));
	for (unsigned i = 0; i < f->n_routes; i++)
		fprintf(out, "    route %s\n",
			show_route(line, sizeof(line), &f->routes[i].r, NULL,
				   f->routes[i].dev[0] ? f->routes[i].dev : "?"));
	for (unsigned i = 0; i < f->n_foreign; i++)
		fprintf(out, "    not ours: %s\n",
			show_route(line, sizeof(line), &f->foreign[i].r, NULL,
				   f->foreign[i].dev[0] ? f->foreign[i].dev : "?"));
	for (unsigned i = 0; i < f->n_drift; i++)
		fprintf(out, "    would run: %s\n",
			show_op(line, sizeof(line), &f->drift[i], iface->name));
}

/* UTC, as the journal's --utc shows it: one host's logs and status line up. */
static const char *utc_time(char *buf, size_t size, long long when, bool with_date)
{
	time_t t = (time_t)when;
	struct tm tm;
	size_t n = 0;

	if (gmtime_r(&t, &tm))
		n = with_date ? strftime(buf, size, "%Y-%m-%d %H:%M:%S UTC", &tm) :
				strftime(buf, size, "%H:%M:%S", &tm);
	if (!n)
		snprintf(buf, size, "%lld", when);
	return buf;
}

static void text_watcher(FILE *out, const struct status *st)
{
	const struct watch_state *w = &st->watcher;
	char since[32], at[32];

	if (!st->watcher_known)
		return;
	if (!st->has_watcher || !w->running) {
		fputs("watcher: not running (symroute watch, symroute-watch.service)\n", out);
		return;
	}
	fprintf(out, "watcher: running (pid %ld) since %s, %u action%s", w->pid,
		utc_time(since, sizeof(since), w->since, true), w->actions,
		w->actions == 1 ? "" : "s");
	if (w->last[0])
		fprintf(out, "; last: %s at %s", w->last,
			utc_time(at, sizeof(at), w->last_at, false));
	fputc('\n', out);
}

void status_write_text(const struct status *st, FILE *out)
{
	char line[SHOW_LINE_MAX];

	if (!st->n_ifaces)
		fputs("no interface is managed by symroute\n", out);
	for (unsigned i = 0; i < st->n_ifaces; i++) {
		const struct status_iface *iface = &st->ifaces[i];

		fprintf(out, "%s (ifindex %u)%s\n", iface->name, iface->ifindex,
			iface->fam[0].family || iface->fam[1].family ? "" :
			": not managed by symroute");
		for (size_t k = 0; k < 2; k++)
			if (iface->fam[k].family)
				text_family(out, iface, &iface->fam[k]);
	}
	for (unsigned i = 0; i < st->n_shared; i++)
		fprintf(out, "shared %s: rule %s\n",
			st->shared[i].family == AF_INET6 ? "IPv6" : "IPv4",
			show_rule(line, sizeof(line), &st->shared[i], NULL));
	for (unsigned i = 0; i < st->n_orphans; i++)
		fprintf(out, "orphan %s: rule %s\n",
			st->orphans[i].family == AF_INET6 ? "IPv6" : "IPv4",
			show_rule(line, sizeof(line), &st->orphans[i], NULL));
	text_watcher(out, st);
}

int status_run(const struct config *cfg, const char *ifname, bool json, FILE *out)
{
	struct status_summary sum;
	struct rtnl *nl = NULL;
	struct status st;
	int err;

	err = rtnl_open(&nl);
	if (err < 0) {
		log_error("cannot open rtnetlink: %s", strerror(-err));
		return EXIT_KERNEL;
	}
	err = status_read(nl, cfg, ifname, &st);
	rtnl_close(nl);
	if (err == -ENODEV) {
		log_error("interface %s does not exist", ifname);
		return EXIT_NOT_FOUND;
	}
	if (err < 0) {
		log_error("reading the kernel's routing state failed: %s", strerror(-err));
		return err == -E2BIG ? EXIT_USAGE : EXIT_KERNEL;
	}
	st.watcher_known = true;
	st.has_watcher = watch_state_read(&st.watcher) > 0;
	if (json)
		status_write_json(&st, out);
	else
		status_write_text(&st, out);
	status_summarize(&st, &sum);
	status_free(&st);
	return status_summary_ok(&sum) ? EXIT_OK : EXIT_DRIFT;
}
