// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: one reading of the kernel's routes, rules, addresses and links, answered many times. */
#include <errno.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "policy.h"
#include "rtnl-msg.h"
#include "rtnl-snap.h"

/*
 * `symroute status` (and the watcher, and check, through it) asks the same questions of the
 * kernel for every interface: its addresses, its table, main through it, every rule. Asked of
 * the kernel, each answer walks all of them again: 4096 managed interfaces took seconds
 * (every rule dumped 4096 times, an ioctl per rule per interface). Here one dump of each kind
 * is kept as the kernel sent it, indexed, and each question is answered from it in the
 * kernel's order, through the same parsers, so that a reader cannot tell the difference.
 */

/* One address as rtnl_dump_addrs() hands it over. */
struct snap_addr {
	struct addr a;
	uint8_t scope;
	uint32_t ifindex, flags, seq;
};

/* One message as the kernel sent it, and what it is looked up by. */
struct snap_msg {
	uint8_t family;
	uint8_t protocol;	/* routes */
	uint32_t table;		/* routes */
	uint32_t key;		/* routes: the interface; addresses: the interface */
	uint32_t seq;		/* the kernel's order */
	struct addr dst;	/* routes */
	size_t off, len;
};

struct snap_list {
	struct snap_msg *v;
	size_t n, cap;
	size_t mark;		/* where the dump being read began: a restart drops back to it */
};

struct rtnl_snap {
	uint8_t protocol;
	char *bytes;
	size_t len, cap;
	struct snap_list routes;
	/* Addresses parsed, sorted by family, interface and the kernel's order. */
	struct snap_addr *addrs;
	size_t n_addrs, cap_addrs, addrs_mark;
	/* Rules parsed once: every interface's reading walks all of them (its orphan sweep). */
	struct rule *rules;
	size_t n_rules, cap_rules, rules_mark;
	struct snap_msg *routes_by_seq;	/* the routes again, in the kernel's order */
	struct snap_list routes_by_oif;	/* and by interface (every table through one) */
	struct snap_list routes_by_dst;	/* and by table and destination */
	uint64_t *links;	/* a bit per ifindex that exists */
	size_t n_link_words;
	uint32_t seq;
};

struct rtnl_snap *rtnl_snap_new(uint8_t protocol)
{
	struct rtnl_snap *s = calloc(1, sizeof(*s));

	if (s)
		s->protocol = protocol;
	return s;
}

void rtnl_snap_free(struct rtnl_snap *s)
{
	if (!s)
		return;
	free(s->bytes);
	free(s->routes.v);
	free(s->routes_by_seq);
	free(s->routes_by_oif.v);
	free(s->routes_by_dst.v);
	free(s->rules);
	free(s->addrs);
	free(s->links);
	free(s);
}

static int keep_bytes(struct rtnl_snap *s, const struct nlmsghdr *nlh, size_t *off)
{
	if (s->len + nlh->nlmsg_len > s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 65536;
		char *b;

		while (cap < s->len + nlh->nlmsg_len)
			cap *= 2;
		b = realloc(s->bytes, cap);
		if (!b)
			return -ENOMEM;
		s->bytes = b;
		s->cap = cap;
	}
	memcpy(s->bytes + s->len, nlh, nlh->nlmsg_len);
	*off = s->len;
	/* Messages stay 4-byte aligned, as netlink's own buffer keeps them. */
	s->len += NLMSG_ALIGN(nlh->nlmsg_len);
	return 0;
}

static int keep(struct rtnl_snap *s, struct snap_list *l, const struct nlmsghdr *nlh,
		struct snap_msg m)
{
	int err;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 256;
		struct snap_msg *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	err = keep_bytes(s, nlh, &m.off);
	if (err < 0)
		return err;
	m.len = nlh->nlmsg_len;
	m.seq = s->seq++;
	l->v[l->n++] = m;
	return 0;
}

/*
 * Which routes of main are kept: its defaults, its connected routes (the kernel's, a router
 * advertisement's) and routes of our tag. That is all any reader of a status asks of main
 * (have.c: our fallback, main's default through an interface, the shared default, the subnets
 * other interfaces reach); a host fed by BGP holds a million others there, which a snapshot
 * must not copy. The local table is never asked for.
 */
static bool route_kept(const struct rtnl_snap *s, const struct route *r)
{
	if (r->table == RT_TABLE_LOCAL)
		return false;
	if (r->table != RT_TABLE_MAIN)
		return true;
	return r->dst.plen == 0 || r->protocol == s->protocol || r->protocol == RTPROT_KERNEL ||
	       r->protocol == RTPROT_RA;
}

int rtnl_snap_add_route(const struct nlmsghdr *nlh, const struct route *r, void *data)
{
	struct rtnl_snap *s = data;

	if (!route_kept(s, r))
		return 0;
	return keep(s, &s->routes, nlh, (struct snap_msg){ .family = r->family,
		.protocol = r->protocol, .table = r->table, .key = r->oif, .dst = r->dst });
}

/* Room for one more of @size bytes in *@v (*@cap of them), doubling. */
static int grow(void **v, size_t *cap, size_t n, size_t size)
{
	size_t want;
	void *p;

	if (n < *cap)
		return 0;
	want = *cap ? 2 * *cap : 256;
	p = realloc(*v, want * size);
	if (!p)
		return -ENOMEM;
	*v = p;
	*cap = want;
	return 0;
}

int rtnl_snap_add_rule(const struct rule *r, void *data)
{
	struct rtnl_snap *s = data;
	int err = grow((void **)&s->rules, &s->cap_rules, s->n_rules, sizeof(*s->rules));

	if (err == 0)
		s->rules[s->n_rules++] = *r;
	return err;
}

int rtnl_snap_add_addr(const struct addr *a, uint8_t scope, uint32_t flags, uint32_t ifindex,
		       void *data)
{
	struct rtnl_snap *s = data;
	int err = grow((void **)&s->addrs, &s->cap_addrs, s->n_addrs, sizeof(*s->addrs));

	if (err == 0)
		s->addrs[s->n_addrs++] = (struct snap_addr){ *a, scope, ifindex, flags, s->seq++ };
	return err;
}

/* A dump restarted (NLM_F_DUMP_INTR): what its first try kept goes. */
static void mark(struct snap_list *l)
{
	l->mark = l->n;
}

static void restart(struct snap_list *l)
{
	l->n = l->mark;
}

void rtnl_snap_mark(struct rtnl_snap *s)
{
	mark(&s->routes);
	s->rules_mark = s->n_rules;
	s->addrs_mark = s->n_addrs;
}

void rtnl_snap_restart(void *data)
{
	struct rtnl_snap *s = data;

	restart(&s->routes);
	s->n_rules = s->rules_mark;
	s->n_addrs = s->addrs_mark;
}

static int by_family_table_seq(const void *a, const void *b)
{
	const struct snap_msg *x = a, *y = b;

	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	if (x->table != y->table)
		return x->table < y->table ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int by_family_key_seq(const void *a, const void *b)
{
	const struct snap_msg *x = a, *y = b;

	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int by_addr_family_index_seq(const void *a, const void *b)
{
	const struct snap_addr *x = a, *y = b;

	if (x->a.family != y->a.family)
		return x->a.family < y->a.family ? -1 : 1;
	if (x->ifindex != y->ifindex)
		return x->ifindex < y->ifindex ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int by_family_table_dst_seq(const void *a, const void *b)
{
	const struct snap_msg *x = a, *y = b;
	int r;

	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	if (x->table != y->table)
		return x->table < y->table ? -1 : 1;
	r = addr_cmp(&x->dst, &y->dst);
	if (r)
		return r;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* qsort() and memcpy() of nothing: their pointers may be NULL then, which they do not allow. */
static void sort(void *v, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n)
		qsort(v, n, size, cmp);
}

static void copy(void *to, const void *from, size_t n)
{
	if (n)
		memcpy(to, from, n);
}

/* @to: @from's messages again, sorted by @cmp. */
static int index_copy(struct snap_list *to, const struct snap_list *from,
		      int (*cmp)(const void *, const void *))
{
	to->v = malloc((from->n ? from->n : 1) * sizeof(*from->v));
	if (!to->v)
		return -ENOMEM;
	copy(to->v, from->v, from->n * sizeof(*from->v));
	to->n = from->n;
	sort(to->v, to->n, sizeof(*to->v), cmp);
	return 0;
}

int rtnl_snap_seal(struct rtnl_snap *s)
{
	struct if_nameindex *links = if_nameindex();
	unsigned max = 0;

	if (!links)
		return -errno;
	for (size_t i = 0; links[i].if_index; i++)
		if (links[i].if_index > max)
			max = links[i].if_index;
	s->n_link_words = max / 64 + 1;
	s->links = calloc(s->n_link_words, sizeof(*s->links));
	if (!s->links) {
		if_freenameindex(links);
		return -ENOMEM;
	}
	for (size_t i = 0; links[i].if_index; i++)
		s->links[links[i].if_index / 64] |= UINT64_C(1) << (links[i].if_index % 64);
	if_freenameindex(links);
	/* A dump of every table answers in the kernel's order: kept before the sort. */
	s->routes_by_seq = malloc((s->routes.n ? s->routes.n : 1) * sizeof(*s->routes_by_seq));
	if (!s->routes_by_seq)
		return -ENOMEM;
	copy(s->routes_by_seq, s->routes.v, s->routes.n * sizeof(*s->routes.v));
	if (index_copy(&s->routes_by_oif, &s->routes, by_family_key_seq) < 0 ||
	    index_copy(&s->routes_by_dst, &s->routes, by_family_table_dst_seq) < 0)
		return -ENOMEM;
	sort(s->routes.v, s->routes.n, sizeof(*s->routes.v), by_family_table_seq);
	sort(s->addrs, s->n_addrs, sizeof(*s->addrs), by_addr_family_index_seq);
	return 0;
}

/* The first message of @l at or after @probe (its seq 0) in @cmp's order. */
static size_t lower_bound(const struct snap_list *l, struct snap_msg probe,
			  int (*cmp)(const void *, const void *))
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cmp(&l->v[mid], &probe) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static const struct nlmsghdr *msg_at(const struct rtnl_snap *s, const struct snap_msg *m)
{
	return (const struct nlmsghdr *)(const void *)(s->bytes + m->off);
}

static bool route_wanted(const struct snap_msg *m, const struct rtnl_snap_filter *f)
{
	return (!f->family || m->family == f->family) && (!f->table || m->table == f->table) &&
	       (!f->oif || m->key == f->oif) && (!f->protocol || m->protocol == f->protocol) &&
	       (!f->dst || addr_cmp(&m->dst, f->dst) == 0);
}

int rtnl_snap_routes(const struct rtnl_snap *s, const struct rtnl_snap_filter *f,
		     int (*fn)(const struct nlmsghdr *nlh, void *data), void *data)
{
	const struct snap_list *index = NULL;
	struct snap_msg probe = { .family = f->family, .table = f->table, .key = f->oif };
	int (*cmp)(const void *, const void *) = NULL;
	size_t i = 0;
	int err = 0;

	/* The run of an index that holds every answer (in the kernel's order within it). */
	if (f->family && f->table && f->dst) {
		index = &s->routes_by_dst;
		probe.dst = *f->dst;
		cmp = by_family_table_dst_seq;
	} else if (f->family && f->oif) {
		/* Through one interface: a short run, where main's is as long as the host. */
		index = &s->routes_by_oif;
		cmp = by_family_key_seq;
	} else if (f->family && f->table) {
		index = &s->routes;
		cmp = by_family_table_seq;
	}
	if (!index) {
		/* Anything else: all of them, in the kernel's order. */
		for (i = 0; i < s->routes.n && err == 0; i++)
			if (route_wanted(&s->routes_by_seq[i], f))
				err = fn(msg_at(s, &s->routes_by_seq[i]), data);
		return err;
	}
	for (i = lower_bound(index, probe, cmp); i < index->n && err == 0; i++) {
		struct snap_msg end = index->v[i];

		end.seq = 0;
		if (cmp(&end, &probe) != 0)
			break;	/* past the run */
		if (route_wanted(&index->v[i], f))
			err = fn(msg_at(s, &index->v[i]), data);
	}
	return err;
}

int rtnl_snap_rules(const struct rtnl_snap *s, int family,
		    int (*fn)(const struct rule *r, void *data), void *data)
{
	int err = 0;

	for (size_t i = 0; i < s->n_rules && err == 0; i++)
		if (!family || s->rules[i].family == family)
			err = fn(&s->rules[i], data);
	return err;
}

size_t rtnl_snap_rules_of(const struct rtnl_snap *s, int family, const struct rule **rules)
{
	size_t i = 0, n = 0;

	/* Each family's dump is one run: IPv4's, then IPv6's. */
	while (i < s->n_rules && s->rules[i].family != family)
		i++;
	while (i + n < s->n_rules && s->rules[i + n].family == family)
		n++;
	*rules = s->rules + i;
	return n;
}

int rtnl_snap_addrs(const struct rtnl_snap *s, int family, uint32_t ifindex,
		    int (*fn)(const struct addr *a, uint8_t scope, uint32_t flags, void *data),
		    void *data)
{
	size_t i = 0;
	int err = 0;

	/* One interface of one family: its run, found by halving. */
	if (family && ifindex) {
		size_t hi = s->n_addrs;

		while (i < hi) {
			size_t mid = i + (hi - i) / 2;
			const struct snap_addr *m = &s->addrs[mid];

			if (m->a.family < family || (m->a.family == family && m->ifindex < ifindex))
				i = mid + 1;
			else
				hi = mid;
		}
	}
	for (; i < s->n_addrs && err == 0; i++) {
		const struct snap_addr *m = &s->addrs[i];

		if (family && ifindex && (m->a.family != family || m->ifindex != ifindex))
			break;
		if ((!family || m->a.family == family) && (!ifindex || m->ifindex == ifindex))
			err = fn(&m->a, m->scope, m->flags, data);
	}
	return err;
}

bool rtnl_snap_link(const struct rtnl_snap *s, uint32_t ifindex)
{
	return ifindex / 64 < s->n_link_words &&
	       (s->links[ifindex / 64] & (UINT64_C(1) << (ifindex % 64)));
}
