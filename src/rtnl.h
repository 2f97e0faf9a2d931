/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Purpose: the only socket code: requests with their ACK, narrow dumps, extended-ack text. */
#ifndef SYMROUTE_RTNL_H
#define SYMROUTE_RTNL_H

#include <stdbool.h>
#include <stdint.h>

struct rtnl;
struct route;
struct rule;
struct addr;

typedef int (*rtnl_route_fn)(const struct route *r, void *data);
typedef int (*rtnl_rule_fn)(const struct rule *r, void *data);
typedef int (*rtnl_addr_fn)(const struct addr *a, uint8_t scope, uint32_t flags, void *data);

int rtnl_open(struct rtnl **out);
void rtnl_close(struct rtnl *nl);

/*
 * Dumps. A dump the kernel marks interrupted (NLM_F_DUMP_INTR) is restarted,
 * so callbacks must tolerate seeing objects again: they get -EAGAIN-free
 * semantics by the caller resetting its collection in @reset (may be NULL).
 * A callback returning a negative errno stops the dump with it (the rest is
 * read and dropped); a positive value stops reading at once and is returned,
 * leaving the socket unusable (rtnl_dump_routes_zero4() uses that on its own socket).
 */
int rtnl_dump_routes(struct rtnl *nl, int family, uint32_t table, rtnl_route_fn fn, void *data,
		     void (*reset)(void *data));
/* Only routes through @oif, filtered by the kernel. */
int rtnl_dump_routes_oif(struct rtnl *nl, int family, uint32_t table, uint32_t oif,
			 rtnl_route_fn fn, void *data, void (*reset)(void *data));
/*
 * IPv4: the routes of @table to 0.0.0.0 (the defaults among them), without a walk of the
 * table. The kernel dumps an IPv4 table in the order of its keys, and they all share the
 * first key: the dump is dropped (on a socket of its own) at the first route past them, so
 * a full BGP feed in main costs one buffer of it. From a snapshot, those routes of it.
 */
int rtnl_dump_routes_zero4(struct rtnl *nl, uint32_t table, rtnl_route_fn fn, void *data,
			   void (*reset)(void *data));
/* Only routes of @table tagged @protocol, filtered by the kernel (it still walks the table). */
int rtnl_dump_routes_proto(struct rtnl *nl, int family, uint32_t table, uint8_t protocol,
			   rtnl_route_fn fn, void *data, void (*reset)(void *data));
/*
 * Only routes of @table tagged @protocol to one of the @n_nets destinations (prefix length
 * included; each once in @nets). The kernel cannot filter on a destination: it is filtered
 * here, from a snapshot by a look-up per destination.
 */
int rtnl_dump_routes_nets(struct rtnl *nl, int family, uint32_t table, uint8_t protocol,
			  const struct addr *nets, unsigned n_nets, rtnl_route_fn fn, void *data,
			  void (*reset)(void *data));
int rtnl_dump_rules(struct rtnl *nl, int family, rtnl_rule_fn fn, void *data,
		    void (*reset)(void *data));
/*
 * The rules of one owner tag only. The kernel cannot filter a rule dump (it refuses any
 * selector), so every rule still crosses the socket; the others are skipped before they
 * are parsed (a host with 10,000 rules of others: one tenth of the work).
 */
int rtnl_dump_rules_of(struct rtnl *nl, int family, uint8_t protocol, rtnl_rule_fn fn,
		       void *data, void (*reset)(void *data));
int rtnl_dump_addrs(struct rtnl *nl, int family, uint32_t ifindex, rtnl_addr_fn fn, void *data,
		    void (*reset)(void *data));

/*
 * A reader that asks the same of the kernel for each of many interfaces (status) reads it
 * once: after rtnl_snapshot_take(), the dumps above and rtnl_link_exists() are answered from
 * one reading of both families' routes (main: its defaults, connected routes and those of
 * @protocol only; no local table), rules, addresses and links, until rtnl_snapshot_drop().
 * Only for reading: nothing may change the kernel meanwhile (the changes below are not
 * answered from it, and a snapshot does not see them).
 */
int rtnl_snapshot_take(struct rtnl *nl, uint8_t protocol);
void rtnl_snapshot_drop(struct rtnl *nl);

/*
 * With a snapshot: its rules of @family in the kernel's order, without a copy (valid until
 * the snapshot is dropped), and true; without one, false (dump them).
 */
bool rtnl_rules_held(struct rtnl *nl, int family, const struct rule **rules, size_t *n);

/* Changes: one request, its ACK checked. Return 0 or the kernel's -errno. */
int rtnl_route_change(struct rtnl *nl, bool add, const struct route *r);
int rtnl_rule_change(struct rtnl *nl, bool add, const struct rule *r);



/* The kernel's lookup for DST from SRC, as `ip route get`. */
int rtnl_route_get(struct rtnl *nl, const struct addr *dst, const struct addr *src, uint32_t oif,
		   struct route *out);

/*
 * The FIB entry the kernel's lookup for DST matches (`ip route get fibmatch DST`); from
 * @src (NULL: none), policy rules for the source applied; through interface @oif only (0:
 * any), the kernel passes over routes through other interfaces, back to shorter prefixes,
 * whatever main holds.
 */
int rtnl_route_match(struct rtnl *nl, const struct addr *dst, const struct addr *src,
		     uint32_t oif, struct route *out);

/*
 * Wait up to @timeout_ms until every address in @want (global ones; the prefix length is not
 * compared) is on @ifindex, following the kernel's address notifications (no polling).
 * Returns 0 when all are there, -ETIMEDOUT when some never came, or -errno.
 */
int rtnl_wait_addrs(uint32_t ifindex, const struct addr *want, unsigned n, unsigned timeout_ms);

/*
 * Does an interface with this index exist? Yes without a question for one a dump of every
 * interface's addresses named in this handle's life (a run, under the lock); else one ioctl
 * on a socket kept open.
 */
bool rtnl_link_exists(struct rtnl *nl, uint32_t ifindex);

/*
 * Every socket rtnl_open() makes is reported to @fn with its port id: the watcher tells the
 * kernel's notifications of its own changes (they carry that port id) from everyone else's.
 */
void rtnl_set_open_hook(void (*fn)(uint32_t portid, void *data), void *data);

/*
 * Notifications for `symroute watch`: links, IPv4/IPv6 addresses, routes and rules, of which
 * a socket filter lets through only links, deleted rules, global addresses, and routes that
 * are defaults in main or tagged @protocol. rtnl_events_read() hands each queued message to
 * @fn without blocking and returns 0 once the queue is empty, @fn's negative value, or
 * -ENOBUFS when the kernel dropped notifications (the caller must read everything again).
 */
struct rtnl_events;
struct nlmsghdr;
typedef int (*rtnl_event_fn)(const struct nlmsghdr *nlh, void *data);
int rtnl_events_open(struct rtnl_events **out, uint8_t protocol);
int rtnl_events_fd(const struct rtnl_events *ev);
int rtnl_events_read(struct rtnl_events *ev, rtnl_event_fn fn, void *data);
void rtnl_events_close(struct rtnl_events *ev);

/* The kernel's extended-ack text for the last failed request, or NULL. */
const char *rtnl_ext_ack(const struct rtnl *nl);

/*
 * Seconds one read waits for the kernel's answer, then the request fails with -ETIMEDOUT.
 * The kernel answers at once (a dump of thousands of routes in milliseconds); a reply lost
 * (a full socket buffer, a kernel bug) must not leave a hook, and the interface event
 * behind it, waiting forever.
 */
#define RTNL_RECV_TIMEOUT_S 5
/* An rtnl error as one clause for a message: strerror(), but saying what a lost or
 * malformed reply means. */
const char *rtnl_strerror(int err);

#endif
