// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: the only socket code: requests with their ACK, narrow dumps, extended-ack text. */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/filter.h>
#include <linux/if_addr.h>
#include <arpa/inet.h>
#include <stddef.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "policy.h"
#include "rtnl-msg.h"
#include "rtnl-snap.h"
#include "rtnl.h"

/*
 * Receive buffer. Debian 12's libmnl 1.0.4 has no MNL_SOCKET_DUMP_SIZE; the
 * kernel sizes dump batches to what the reader offers, up to 32 KiB.
 */
#define RTNL_RECV_SIZE 32768
/* For messages: "5" from RTNL_RECV_TIMEOUT_S. */
#define RTNL_TEXT_(x) #x
#define RTNL_TEXT(x) RTNL_TEXT_(x)
/* A dump interrupted by a concurrent change is retried this many times. */
#define RTNL_DUMP_RETRIES 8
#define RTNL_EXT_ACK_MAX 256

/*
 * The interfaces a dump of every address has named in this run, sorted and unique up to
 * @sorted: each existed when it was dumped, so rtnl_link_exists() asks the kernel only about
 * the others (an event that sweeps 4096 rules of other interfaces: 4096 ioctls, 6.5 ms here).
 * @asked: the questions that found none; @listed: a run that asked many has listed them all.
 */
struct link_set {
	uint32_t *v;
	unsigned n, cap, sorted;
	unsigned asked;
	bool listed;
};

/* Questions asked one by one before one list of every interface's addresses answers the rest. */
#define LINK_QUESTIONS_BEFORE_LIST 16

struct rtnl {
	struct mnl_socket *sock;
	int ioctl_fd;		/* for SIOCGIFNAME; opened on first use */
	struct link_set seen;
	struct rtnl_snap *snap;	/* while set, dumps and link questions are answered from it */
	uint32_t portid;
	uint32_t seq;
	char ext_ack[RTNL_EXT_ACK_MAX];
	char buf[RTNL_RECV_SIZE];
};

static void (*open_hook)(uint32_t portid, void *data);
static void *open_hook_data;

void rtnl_set_open_hook(void (*fn)(uint32_t portid, void *data), void *data)
{
	open_hook = fn;
	open_hook_data = data;
}

int rtnl_open(struct rtnl **out)
{
	struct rtnl *nl = calloc(1, sizeof(*nl));
	int one = 1;

	if (!nl)
		return -ENOMEM;
	nl->ioctl_fd = -1;
	nl->sock = mnl_socket_open(NETLINK_ROUTE);
	if (!nl->sock)
		goto fail;
	/* The kernel's own reason for a refusal, and dumps it filters itself. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_GET_STRICT_CHK, &one, sizeof(one));
	{
		struct timeval timeout = { .tv_sec = RTNL_RECV_TIMEOUT_S };

		if (setsockopt(mnl_socket_get_fd(nl->sock), SOL_SOCKET, SO_RCVTIMEO, &timeout,
			       sizeof(timeout)) < 0)
			goto fail;
	}
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0)
		goto fail;
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = 1;
	if (open_hook)
		open_hook(nl->portid, open_hook_data);
	*out = nl;
	return 0;
fail:
	{
		int err = -errno;

		rtnl_close(nl);
		return err ? err : -EIO;
	}
}

void rtnl_close(struct rtnl *nl)
{
	if (!nl)
		return;
	if (nl->sock)
		mnl_socket_close(nl->sock);
	if (nl->ioctl_fd >= 0)
		close(nl->ioctl_fd);
	rtnl_snap_free(nl->snap);
	free(nl->seen.v);
	free(nl);
}

const char *rtnl_ext_ack(const struct rtnl *nl)
{
	return nl->ext_ack[0] ? nl->ext_ack : NULL;
}

const char *rtnl_strerror(int err)
{
	switch (err) {
	case -ETIMEDOUT:
		return "no answer from the kernel within " RTNL_TEXT(RTNL_RECV_TIMEOUT_S) " seconds";
	case -EBADMSG:
		return "a malformed netlink reply (a message longer than what was received)";
	default:
		return strerror(-err);
	}
}

/*
 * Read one datagram into nl->buf: its length, or -ETIMEDOUT (nothing within
 * RTNL_RECV_TIMEOUT_S), -EBADMSG (truncated or malformed) or another -errno. Datagrams
 * that are not the kernel's (another process may write to our port) are dropped.
 */
static ssize_t rtnl_recv(struct rtnl *nl)
{
	for (;;) {
		struct sockaddr_nl from;
		socklen_t from_len = sizeof(from);
		ssize_t got;
		int r;

		memset(&from, 0, sizeof(from));
		/* MSG_TRUNC: the datagram's real length, so that a truncated one is seen. */
		got = recvfrom(mnl_socket_get_fd(nl->sock), nl->buf, sizeof(nl->buf), MSG_TRUNC,
			       (struct sockaddr *)&from, &from_len);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN || errno == EWOULDBLOCK ? -ETIMEDOUT : -errno;
		}
		if ((size_t)got > sizeof(nl->buf))
			return -EBADMSG;
		if (from_len != sizeof(from) || from.nl_family != AF_NETLINK)
			continue;
		r = rtnl_msg_check_datagram(nl->buf, (size_t)got, from.nl_pid);
		if (r == -EPERM)
			continue;
		if (r < 0)
			return r;
		return got;
	}
}

typedef int (*rtnl_msg_fn)(const struct nlmsghdr *nlh, void *data);

/*
 * Send @req and read until its ACK (a request) or NLMSG_DONE (a dump).
 * Data messages go to @fn. Returns 0, the kernel's -errno, -EINTR for a dump
 * the kernel marked interrupted, or a callback's non-zero value.
 */
static int rtnl_transact(struct rtnl *nl, struct nlmsghdr *req, rtnl_msg_fn fn, void *data)
{
	/* NLM_F_DUMP is two bits; NLM_F_EXCL shares one of them. */
	bool dump = (req->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	bool interrupted = false;
	int cb_err = 0;

	/* A change makes a snapshot stale: the dumps after it ask the kernel again. RTM_GET* is
	 * the third of each group of four message types. */
	if (nl->snap && req->nlmsg_type >= RTM_BASE && (req->nlmsg_type - RTM_BASE) % 4 != 2)
		rtnl_snapshot_drop(nl);
	req->nlmsg_seq = ++nl->seq;
	nl->ext_ack[0] = '\0';
	if (mnl_socket_sendto(nl->sock, req, req->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		ssize_t got = rtnl_recv(nl);
		const struct nlmsghdr *nlh;
		int len;

		if (got < 0)
			return (int)got;
		len = (int)got;
		for (nlh = (const struct nlmsghdr *)nl->buf; mnl_nlmsg_ok(nlh, len);
		     nlh = mnl_nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_seq != nl->seq || nlh->nlmsg_pid != nl->portid)
				continue;
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				interrupted = true;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
				const char *msg;

				if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*err))
					return -EBADMSG;
				if (err->error == 0 && dump)
					continue;	/* an ACK inside a dump: keep reading to DONE */
				msg = rtnl_msg_ext_ack(nlh);
				if (msg)
					snprintf(nl->ext_ack, sizeof(nl->ext_ack), "%s", msg);
				return err->error ? err->error : cb_err;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				int error = 0;

				if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int))
					memcpy(&error, mnl_nlmsg_get_payload(nlh), sizeof(int));
				if (error < 0) {
					const char *msg = rtnl_msg_ext_ack(nlh);

					if (msg)
						snprintf(nl->ext_ack, sizeof(nl->ext_ack), "%s", msg);
					return error;
				}
				if (cb_err)
					return cb_err;
				return interrupted ? -EINTR : 0;
			}
			if (fn && !cb_err)
				cb_err = fn(nlh, data);
			/* A positive answer stops reading now; the socket must then be dropped. */
			if (cb_err > 0)
				return cb_err;
			/* A request answered with data and no ACK asked for: done. */
			if (!dump && !(req->nlmsg_flags & NLM_F_ACK))
				return cb_err;
		}
	}
}

/*
 * A dump, restarted while the kernel reports it interrupted by a concurrent change. @reset
 * gets the caller's own @reset_data, not @data (the wrapper that parses each message for it).
 */
static int rtnl_dump(struct rtnl *nl, struct nlmsghdr *req, rtnl_msg_fn fn, void *data,
		     void (*reset)(void *data), void *reset_data)
{
	int r = -EINTR;

	for (int i = 0; i < RTNL_DUMP_RETRIES && r == -EINTR; i++) {
		if (i > 0 && reset)
			reset(reset_data);
		r = rtnl_transact(nl, req, fn, data);
	}
	return r;
}

struct route_dump {
	rtnl_route_fn fn;
	void *data;
	uint32_t table;
	uint32_t oif;
	uint8_t protocol;	/* 0: any */
	const struct addr *nets;	/* n_nets destinations, one of which it must be; NULL: any */
	unsigned n_nets;
	/* Instead of @fn, for a snapshot: the route with the message it came in. */
	int (*keep)(const struct nlmsghdr *nlh, const struct route *r, void *data);
};

static bool route_to_nets(const struct route_dump *d, const struct route *r)
{
	for (unsigned i = 0; i < d->n_nets; i++)
		if (addr_cmp(&d->nets[i], &r->dst) == 0)
			return true;
	return !d->nets;
}

/* One parsed route through the dump's filter to its caller. */
static int route_pass(const struct nlmsghdr *nlh, const struct route *r,
		      const struct route_dump *d)
{
	/* Kernels without strict checking ignore the filter: apply it here too. */
	if ((d->table && r->table != d->table) || (d->oif && r->oif != d->oif) ||
	    (d->protocol && r->protocol != d->protocol) || !route_to_nets(d, r))
		return 0;
	if (d->keep)
		return d->keep(nlh, r, d->data);
	return d->fn(r, d->data);
}

static int route_msg(const struct nlmsghdr *nlh, void *data)
{
	struct route r;
	int err = rtnl_msg_parse_route(nlh, &r);

	if (err == -ENOENT)
		return 0;
	return err < 0 ? err : route_pass(nlh, &r, data);
}

int rtnl_dump_routes_oif(struct rtnl *nl, int family, uint32_t table, uint32_t oif,
			 rtnl_route_fn fn, void *data, void (*reset)(void *data))
{
	char buf[RTNL_MSG_MAX];
	struct route_dump d = { fn, data, table, oif, 0, NULL, 0, NULL };
	int r;

	if (nl->snap)
		return rtnl_snap_routes(nl->snap, &(struct rtnl_snap_filter){ .family = (uint8_t)family,
					.table = table, .oif = oif }, route_msg, &d);
	r = rtnl_dump(nl, rtnl_msg_route_dump_oif(buf, family, table, oif), route_msg, &d, reset,
		      data);

	/* IPv4 answers a filter on a table that does not exist yet with ENOENT: it is empty. */
	if (r == -ENOENT && table) {
		nl->ext_ack[0] = '\0';
		return 0;
	}
	return r;
}

int rtnl_dump_routes(struct rtnl *nl, int family, uint32_t table, rtnl_route_fn fn, void *data,
		     void (*reset)(void *data))
{
	return rtnl_dump_routes_oif(nl, family, table, 0, fn, data, reset);
}

/* Routes to 0.0.0.0 go on to route_msg(); the first to another address ends the read. */
struct zero_dump {
	struct route_dump d;
	bool stop;		/* past them: stop (a dump) or skip (a snapshot) */
};

static int zero_msg(const struct nlmsghdr *nlh, void *data)
{
	static const uint8_t zero[sizeof(struct in_addr)];
	const struct zero_dump *z = data;
	struct route r;
	int err = rtnl_msg_parse_route(nlh, &r);

	if (err == -ENOENT)
		return 0;
	if (err < 0)
		return err;
	if (r.dst.family == AF_INET && memcmp(r.dst.bytes, zero, sizeof(zero)) == 0)
		return route_pass(nlh, &r, &z->d);
	return z->stop ? 1 : 0;
}

int rtnl_dump_routes_zero4(struct rtnl *nl, uint32_t table, rtnl_route_fn fn, void *data,
			   void (*reset)(void *data))
{
	struct zero_dump z = { { fn, data, table, 0, 0, NULL, 0, NULL }, false };
	char buf[RTNL_MSG_MAX];
	struct rtnl *own;
	int r;

	if (nl->snap)
		return rtnl_snap_routes(nl->snap, &(struct rtnl_snap_filter){ .family = AF_INET,
					.table = table }, zero_msg, &z);
	r = rtnl_open(&own);
	if (r < 0)
		return r;
	z.stop = true;
	r = rtnl_dump(own, rtnl_msg_route_dump_oif(buf, AF_INET, table, 0), zero_msg, &z, reset,
		      data);
	rtnl_close(own);
	/* IPv4 answers a filter on a table that does not exist yet with ENOENT: it is empty. */
	if (r == -ENOENT || r == 1)
		return 0;
	return r;
}

int rtnl_dump_routes_proto(struct rtnl *nl, int family, uint32_t table, uint8_t protocol,
			   rtnl_route_fn fn, void *data, void (*reset)(void *data))
{
	return rtnl_dump_routes_nets(nl, family, table, protocol, NULL, 0, fn, data, reset);
}

int rtnl_dump_routes_nets(struct rtnl *nl, int family, uint32_t table, uint8_t protocol,
			  const struct addr *nets, unsigned n_nets, rtnl_route_fn fn, void *data,
			  void (*reset)(void *data))
{
	char buf[RTNL_MSG_MAX];
	struct route_dump d = { fn, data, table, 0, protocol, nets, n_nets, NULL };
	int r = 0;

	if (!nl->snap)
		return rtnl_dump(nl, rtnl_msg_route_dump_table_proto(buf, family, table, protocol),
				 route_msg, &d, reset, data);
	if (!nets)
		return rtnl_snap_routes(nl->snap, &(struct rtnl_snap_filter){
						.family = (uint8_t)family, .table = table,
						.protocol = protocol }, route_msg, &d);
	/* From a snapshot, each destination is one look-up, not a walk of the table. */
	for (unsigned i = 0; i < n_nets && r == 0; i++)
		r = rtnl_snap_routes(nl->snap, &(struct rtnl_snap_filter){
					     .family = (uint8_t)family, .table = table,
					     .protocol = protocol, .dst = &nets[i] }, route_msg, &d);
	return r;
}

struct rule_dump {
	rtnl_rule_fn fn;
	void *data;
	int protocol;	/* -1: every rule */
};

static int rule_msg(const struct nlmsghdr *nlh, void *data)
{
	struct rule_dump *d = data;
	struct rule r;
	int err;

	if (d->protocol >= 0) {
		err = rtnl_msg_rule_protocol(nlh);
		if (err == -ENOENT || (err >= 0 && err != d->protocol))
			return 0;
	}
	err = rtnl_msg_parse_rule(nlh, &r);

	if (err == -ENOENT)
		return 0;
	if (err < 0)
		return err;
	return d->fn(&r, d->data);
}

int rtnl_dump_rules(struct rtnl *nl, int family, rtnl_rule_fn fn, void *data,
		    void (*reset)(void *data))
{
	char buf[RTNL_MSG_MAX];
	struct rule_dump d = { fn, data, -1 };

	if (nl->snap)
		return rtnl_snap_rules(nl->snap, family, fn, data);
	return rtnl_dump(nl, rtnl_msg_rule_dump(buf, family), rule_msg, &d, reset, data);
}

static int rule_of_protocol(const struct rule *r, void *data)
{
	const struct rule_dump *d = data;

	return r->protocol == d->protocol ? d->fn(r, d->data) : 0;
}

int rtnl_dump_rules_of(struct rtnl *nl, int family, uint8_t protocol, rtnl_rule_fn fn,
		       void *data, void (*reset)(void *data))
{
	char buf[RTNL_MSG_MAX];
	struct rule_dump d = { fn, data, protocol };

	if (nl->snap)
		return rtnl_snap_rules(nl->snap, family, rule_of_protocol, &d);
	return rtnl_dump(nl, rtnl_msg_rule_dump(buf, family), rule_msg, &d, reset, data);
}

bool rtnl_rules_held(struct rtnl *nl, int family, const struct rule **rules, size_t *n)
{
	if (!nl->snap)
		return false;
	*n = rtnl_snap_rules_of(nl->snap, family, rules);
	return true;
}

/* A dump names its interfaces in runs: each run once. Out of memory: the ioctl answers. */
static void link_set_note(struct link_set *s, uint32_t ifindex)
{
	if (s->n > s->sorted && s->v[s->n - 1] == ifindex)
		return;
	if (s->n == s->cap) {
		unsigned cap = s->cap ? 2 * s->cap : 64;
		uint32_t *v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			return;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = ifindex;
}

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static void link_set_settle(struct link_set *s)
{
	unsigned n = 0;

	if (s->n == s->sorted)
		return;
	qsort(s->v, s->n, sizeof(*s->v), u32_cmp);
	for (unsigned i = 0; i < s->n; i++)
		if (!n || s->v[n - 1] != s->v[i])
			s->v[n++] = s->v[i];
	s->n = s->sorted = n;
}

static bool link_set_has(const struct link_set *s, uint32_t ifindex)
{
	return s->sorted && bsearch(&ifindex, s->v, s->sorted, sizeof(*s->v), u32_cmp);
}

struct addr_dump {
	rtnl_addr_fn fn;
	void *data;
	uint32_t ifindex;
	/* Instead of @fn, for a snapshot: the address with its interface. */
	int (*keep)(const struct addr *a, uint8_t scope, uint32_t flags, uint32_t ifindex,
		    void *data);
	struct link_set *seen;	/* a dump of every interface's addresses notes them here */
};

static int addr_msg(const struct nlmsghdr *nlh, void *data)
{
	struct addr_dump *d = data;
	struct addr a;
	uint32_t ifindex, flags;
	uint8_t scope;
	int err = rtnl_msg_parse_addr(nlh, &a, &ifindex, &scope, &flags);

	if (err == -ENOENT)
		return 0;
	if (err < 0)
		return err;
	if (d->seen)
		link_set_note(d->seen, ifindex);
	if (d->ifindex && ifindex != d->ifindex)
		return 0;
	if (d->keep)
		return d->keep(&a, scope, flags, ifindex, d->data);
	return d->fn(&a, scope, flags, d->data);
}

int rtnl_dump_addrs(struct rtnl *nl, int family, uint32_t ifindex, rtnl_addr_fn fn, void *data,
		    void (*reset)(void *data))
{
	char buf[RTNL_MSG_MAX];
	struct addr_dump d = { fn, data, ifindex, NULL, ifindex ? NULL : &nl->seen };
	int r;

	if (nl->snap)
		return rtnl_snap_addrs(nl->snap, family, ifindex, fn, data);
	r = rtnl_dump(nl, rtnl_msg_addr_dump(buf, family, ifindex), addr_msg, &d, reset, data);
	link_set_settle(&nl->seen);
	return r;
}

struct addr_presence {
	const struct addr *want;
	unsigned n;
	bool *seen;
};

static int addr_presence_cb(const struct addr *a, uint8_t scope, uint32_t flags, void *data)
{
	struct addr_presence *p = data;

	(void)scope;
	(void)flags;
	for (unsigned i = 0; i < p->n; i++)
		if (addr_same_ip(a, &p->want[i]))
			p->seen[i] = true;
	return 0;
}

static void addr_presence_reset(void *data)
{
	struct addr_presence *p = data;

	memset(p->seen, 0, p->n * sizeof(*p->seen));
}

/* Are all of @p's addresses on @ifindex now? One dump per family wanted. */
static int addrs_all_there(struct rtnl *nl, uint32_t ifindex, struct addr_presence *p)
{
	static const int families[] = { AF_INET, AF_INET6 };
	bool all = true;

	addr_presence_reset(p);
	for (size_t k = 0; k < 2; k++) {
		bool wanted = false;
		int err;

		for (unsigned i = 0; i < p->n; i++)
			wanted |= p->want[i].family == families[k];
		if (!wanted)
			continue;
		err = rtnl_dump_addrs(nl, families[k], ifindex, addr_presence_cb, p, NULL);
		if (err < 0)
			return err;
	}
	for (unsigned i = 0; i < p->n; i++)
		all &= p->seen[i];
	return all;
}

/* Read and drop what is queued: the next look dumps the truth anyway (after an overrun too). */
static void drain(int fd)
{
	char buf[RTNL_RECV_SIZE];

	for (;;) {
		ssize_t r = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (r > 0 || (r < 0 && (errno == EINTR || errno == ENOBUFS)))
			continue;
		return;
	}
}

int rtnl_wait_addrs(uint32_t ifindex, const struct addr *want, unsigned n, unsigned timeout_ms)
{
	struct addr_presence p = { want, n, NULL };
	struct mnl_socket *events = NULL;
	struct rtnl *nl = NULL;
	struct timespec start, now;
	int err;

	if (!n)
		return 0;
	p.seen = calloc(n, sizeof(*p.seen));
	if (!p.seen)
		return -ENOMEM;
	/* Subscribe before the first look, so that an address added in between is not missed. */
	events = mnl_socket_open(NETLINK_ROUTE);
	if (!events || mnl_socket_bind(events, RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR,
				       MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		goto out;
	}
	err = rtnl_open(&nl);
	if (err < 0)
		goto out;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		struct pollfd pfd = { .fd = mnl_socket_get_fd(events), .events = POLLIN };
		long elapsed_ms;

		err = addrs_all_there(nl, ifindex, &p);
		if (err != 0)
			break;	/* 1: all there; < 0: the dump failed */
		clock_gettime(CLOCK_MONOTONIC, &now);
		elapsed_ms = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
		if (elapsed_ms >= (long)timeout_ms) {
			err = -ETIMEDOUT;
			break;
		}
		err = poll(&pfd, 1, (int)(timeout_ms - elapsed_ms));
		if (err < 0 && errno != EINTR) {
			err = -errno;
			break;
		}
		if (err > 0)
			drain(pfd.fd);
	}
	if (err == 1)
		err = 0;
out:
	rtnl_close(nl);
	if (events)
		mnl_socket_close(events);
	free(p.seen);
	return err ? (err < 0 ? err : -EIO) : 0;
}

int rtnl_route_change(struct rtnl *nl, bool add, const struct route *r)
{
	char buf[RTNL_MSG_MAX];

	/* EXCL: an identical route is reported, never duplicated or replaced. */
	return rtnl_transact(nl,
			     rtnl_msg_route(buf, add ? RTM_NEWROUTE : RTM_DELROUTE,
					    add ? NLM_F_CREATE | NLM_F_EXCL : 0, r),
			     NULL, NULL);
}

int rtnl_rule_change(struct rtnl *nl, bool add, const struct rule *r)
{
	char buf[RTNL_MSG_MAX];

	/* Without EXCL the kernel would append an identical second rule. */
	return rtnl_transact(nl,
			     rtnl_msg_rule(buf, add ? RTM_NEWRULE : RTM_DELRULE,
					   add ? NLM_F_CREATE | NLM_F_EXCL : 0, r),
			     NULL, NULL);
}

struct route_get {
	struct route *out;
	bool found;
};

static int route_get_msg(const struct nlmsghdr *nlh, void *data)
{
	struct route_get *g = data;

	if (rtnl_msg_parse_route(nlh, g->out) == 0)
		g->found = true;
	return 0;
}

/* A lookup @req, answered by one route into @out; -ENOENT when none came. */
static int route_ask(struct rtnl *nl, struct nlmsghdr *req, struct route *out)
{
	struct route_get g = { out, false };
	int r = rtnl_transact(nl, req, route_get_msg, &g);

	if (r < 0)
		return r;
	return g.found ? 0 : -ENOENT;
}

int rtnl_route_get(struct rtnl *nl, const struct addr *dst, const struct addr *src, uint32_t oif,
		   struct route *out)
{
	char buf[RTNL_MSG_MAX];

	return route_ask(nl, rtnl_msg_route_get(buf, dst, src, oif), out);
}

int rtnl_route_match(struct rtnl *nl, const struct addr *dst, const struct addr *src,
		     uint32_t oif, struct route *out)
{
	char buf[RTNL_MSG_MAX];

	return route_ask(nl, rtnl_msg_route_match(buf, dst, src, oif), out);
}

static int addr_ignore(const struct addr *a, uint8_t scope, uint32_t flags, void *data)
{
	(void)a;
	(void)scope;
	(void)flags;
	(void)data;
	return 0;
}

bool rtnl_link_exists(struct rtnl *nl, uint32_t ifindex)
{
	struct ifreq ifr;

	/* if_indextoname() opens and closes a socket per call; a sweep asks thousands of times. */
	if (ifindex == 0 || ifindex > INT32_MAX)
		return false;
	if (nl->snap)
		return rtnl_snap_link(nl->snap, ifindex);
	if (link_set_has(&nl->seen, ifindex))
		return true;
	/*
	 * Many questions (a down or sync beside thousands of managed interfaces, where no
	 * list of the host's addresses was read): one list costs less than a question each.
	 * A failed list changes nothing: the questions go on.
	 */
	if (!nl->seen.listed && ++nl->seen.asked > LINK_QUESTIONS_BEFORE_LIST) {
		nl->seen.listed = true;
		if (rtnl_dump_addrs(nl, AF_UNSPEC, 0, addr_ignore, NULL, NULL) == 0 &&
		    link_set_has(&nl->seen, ifindex))
			return true;
	}
	if (nl->ioctl_fd < 0)
		nl->ioctl_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (nl->ioctl_fd < 0)
		return true;	/* cannot tell: never call an interface gone on a guess */
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_ifindex = (int)ifindex;
	return ioctl(nl->ioctl_fd, SIOCGIFNAME, &ifr) == 0 || errno != ENODEV;
}

int rtnl_snapshot_take(struct rtnl *nl, uint8_t protocol)
{
	static const int families[] = { AF_INET, AF_INET6 };
	char buf[RTNL_MSG_MAX];
	struct rtnl_snap *s = rtnl_snap_new(protocol);
	int r = s ? 0 : -ENOMEM;

	rtnl_snapshot_drop(nl);
	for (size_t k = 0; k < 2 && r == 0; k++) {
		struct route_dump rd = { NULL, s, 0, 0, 0, NULL, 0, rtnl_snap_add_route };

		rtnl_snap_mark(s);
		r = rtnl_dump(nl, rtnl_msg_route_dump_oif(buf, families[k], 0, 0), route_msg, &rd,
			      rtnl_snap_restart, s);
		rtnl_snap_mark(s);
		if (r == 0)
			r = rtnl_dump_rules(nl, families[k], rtnl_snap_add_rule, s,
					    rtnl_snap_restart);
		rtnl_snap_mark(s);
		if (r == 0) {
			struct addr_dump d = { NULL, s, 0, rtnl_snap_add_addr, NULL };

			r = rtnl_dump(nl, rtnl_msg_addr_dump(buf, families[k], 0), addr_msg, &d,
				      rtnl_snap_restart, s);
		}
	}
	if (r == 0)
		r = rtnl_snap_seal(s);
	if (r < 0)
		rtnl_snap_free(s);
	else
		nl->snap = s;
	return r;
}

void rtnl_snapshot_drop(struct rtnl *nl)
{
	rtnl_snap_free(nl->snap);
	nl->snap = NULL;
}

/* ---- notifications (symroute watch) ---- */

struct rtnl_events {
	struct mnl_socket *sock;
	char buf[RTNL_RECV_SIZE];
};

/*
 * The kernel drops, before they reach the socket's queue, the notifications the watcher never
 * acts on: new rules (ours come from our own changes; someone else's do not concern us),
 * addresses that are not global, and every route that is neither a default in main nor one
 * of ours. A routing daemon's churn on other prefixes costs the watcher no wake-up. A
 * notification holds one message (rtnl_notify() sends one per change), which is what the
 * filter reads; BPF loads 16-bit fields in network order, hence htons() on the types.
 */
static int events_attach_filter(int fd, uint8_t protocol)
{
	enum {
		OFF_TYPE = offsetof(struct nlmsghdr, nlmsg_type),
		OFF_BODY = NLMSG_HDRLEN,
		OFF_RT_DST_LEN = OFF_BODY + offsetof(struct rtmsg, rtm_dst_len),
		OFF_RT_TABLE = OFF_BODY + offsetof(struct rtmsg, rtm_table),
		OFF_RT_PROTO = OFF_BODY + offsetof(struct rtmsg, rtm_protocol),
		OFF_IFA_SCOPE = OFF_BODY + offsetof(struct ifaddrmsg, ifa_scope),
	};
	struct sock_filter code[] = {
		/* 0 */ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, OFF_TYPE),
		/* 1 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, htons(RTM_NEWROUTE), 6, 0),
		/* 2 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, htons(RTM_DELROUTE), 5, 0),
		/* 3 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, htons(RTM_NEWRULE), 11, 0),
		/* 4 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, htons(RTM_NEWADDR), 1, 0),
		/* 5 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, htons(RTM_DELADDR), 0, 8),
		/* 6: an address: global scope only */
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, OFF_IFA_SCOPE),
		/* 7 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, RT_SCOPE_UNIVERSE, 6, 7),
		/* 8: a route: ours, or a default in main */
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, OFF_RT_PROTO),
		/* 9 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, protocol, 4, 0),
		/* 10 */ BPF_STMT(BPF_LD | BPF_B | BPF_ABS, OFF_RT_DST_LEN),
		/* 11 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 3),
		/* 12 */ BPF_STMT(BPF_LD | BPF_B | BPF_ABS, OFF_RT_TABLE),
		/* 13 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, RT_TABLE_MAIN, 0, 1),
		/* 14: kept (links, deleted rules, and what passed above) */
		BPF_STMT(BPF_RET | BPF_K, 0xffffffffu),
		/* 15: dropped */
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = { .len = sizeof(code) / sizeof(code[0]), .filter = code };

	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) < 0 ? -errno : 0;
}

int rtnl_events_open(struct rtnl_events **out, uint8_t protocol)
{
	static const unsigned groups[] = {
		RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR, RTNLGRP_IPV4_ROUTE,
		RTNLGRP_IPV6_ROUTE, RTNLGRP_IPV4_RULE, RTNLGRP_IPV6_RULE,
	};
	struct rtnl_events *ev = calloc(1, sizeof(*ev));
	int size = 1 << 20;
	int err;

	if (!ev)
		return -ENOMEM;
	ev->sock = mnl_socket_open(NETLINK_ROUTE);
	if (!ev->sock)
		goto fail;
	if (mnl_socket_bind(ev->sock, 0, MNL_SOCKET_AUTOPID) < 0)
		goto fail;
	err = events_attach_filter(mnl_socket_get_fd(ev->sock), protocol);
	if (err < 0) {
		errno = -err;
		goto fail;
	}
	/* Room for a burst (a link with many addresses going away); root may exceed rmem_max. */
	if (setsockopt(mnl_socket_get_fd(ev->sock), SOL_SOCKET, SO_RCVBUFFORCE, &size,
		       sizeof(size)) < 0)
		setsockopt(mnl_socket_get_fd(ev->sock), SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		int g = (int)groups[i];

		if (mnl_socket_setsockopt(ev->sock, NETLINK_ADD_MEMBERSHIP, &g, sizeof(g)) < 0)
			goto fail;
	}
	*out = ev;
	return 0;
fail:
	err = -errno;
	rtnl_events_close(ev);
	return err ? err : -EIO;
}

int rtnl_events_fd(const struct rtnl_events *ev)
{
	return mnl_socket_get_fd(ev->sock);
}

int rtnl_events_read(struct rtnl_events *ev, rtnl_event_fn fn, void *data)
{
	for (;;) {
		ssize_t len = recv(mnl_socket_get_fd(ev->sock), ev->buf, sizeof(ev->buf), MSG_DONTWAIT);
		const struct nlmsghdr *nlh;
		int left;

		if (len < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			return -errno;	/* ENOBUFS: notifications were lost */
		}
		/* Only the kernel's notifications are believed (a local process may write here). */
		if (rtnl_msg_check_datagram(ev->buf, (size_t)len, 0) < 0)
			continue;
		left = (int)len;
		for (nlh = (const struct nlmsghdr *)ev->buf; mnl_nlmsg_ok(nlh, left);
		     nlh = mnl_nlmsg_next(nlh, &left)) {
			int r = fn(nlh, data);

			if (r < 0)
				return r;
		}
	}
}

void rtnl_events_close(struct rtnl_events *ev)
{
	if (!ev)
		return;
	if (ev->sock)
		mnl_socket_close(ev->sock);
	free(ev);
}
