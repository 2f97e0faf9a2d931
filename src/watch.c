// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Purpose: symroute watch: follows the kernel's notifications and reconciles every uplink
 * whose addresses or default changed through run_event(), the pipeline of every hook.
 *
 * The loop sleeps in poll() on three descriptors: the notification socket (whose filter
 * drops, in the kernel, what never concerns an uplink), a timer armed only while changes
 * wait, and the signals that end it. A burst of notifications about one interface (an
 * address and its routes, a link going away) marks it once; WATCH_SETTLE_MS after the first
 * one, each marked interface is reconciled. Nothing wakes it while nothing changes.
 *
 * What is an uplink, per family: an interface that is up, matches watch-interfaces and not
 * watch-exclude, has no `off` group, and either has a default route in main that is not
 * ours (DHCP, router advertisements, a static stanza, networkd, NetworkManager), or already
 * has state of ours (a hook or `up` managed it), or has an [interface NAME] group. Its event
 * is the one intent_event() rebuilds from what we left in the kernel (so a hook's table,
 * priority or main-default choice stays), or a plain `up IFACE` for a new uplink.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "event.h"
#include "exitcode.h"
#include "have.h"
#include "intent.h"
#include "lock.h"
#include "log.h"
#include "policy.h"
#include "rtnl-msg.h"
#include "rtnl.h"
#include "run.h"
#include "status.h"
#include "watch.h"

/* A burst (an address, its prefix route, the default) settles well within this. */
#define WATCH_SETTLE_MS 80
/* Interfaces marked in one burst; more make the next pass a full one. */
#define WATCH_MAX_MARKED 256
/* Port ids of our own sockets within one pass; more only cost one pass that changes nothing. */
#define WATCH_MAX_PORTS 256
#define WATCH_LAST_MAX 160

struct marked {
	uint32_t ifindex;
	unsigned families;		/* enum event_family */
	bool gone;			/* the link was deleted: sweep what was ours for @name */
	char name[IFNAMSIZ];
};

struct watch {
	const struct config *cfg;
	const struct watch_opts *opts;
	struct rtnl_events *events;
	int timer_fd, signal_fd;
	bool timer_armed;
	bool full;			/* read everything again (start, lost notifications) */
	unsigned n_marked;
	struct marked marked[WATCH_MAX_MARKED];
	unsigned n_ports;
	uint32_t ports[WATCH_MAX_PORTS];	/* our rtnl sockets during the last pass */
	/* For status: since when, how many actions, the last one. */
	time_t since, last_at;
	unsigned actions;
	char last[WATCH_LAST_MAX];
	int first_failure;		/* exit code of the first reconcile that failed (--once) */
};

/* ---- the state file status reads ---- */

static void state_write(const struct watch *w)
{
	char tmp[] = WATCH_STATE_PATH ".XXXXXX";
	FILE *f;
	int fd;

	/* A dry run changes nothing; --once is not the watcher status speaks of. */
	if (w->opts->dry_run || w->opts->once)
		return;
	if (mkdir(WATCH_STATE_DIR, 0755) < 0 && errno != EEXIST)
		return;
	fd = mkstemp(tmp);
	if (fd < 0)
		return;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmp);
		return;
	}
	fchmod(fd, 0644);
	fprintf(f, "pid=%ld\nsince=%lld\nactions=%u\n", (long)getpid(), (long long)w->since,
		w->actions);
	if (w->last[0])
		fprintf(f, "last=%s\nlast_at=%lld\n", w->last, (long long)w->last_at);
	if (fclose(f) != 0 || rename(tmp, WATCH_STATE_PATH) < 0)
		unlink(tmp);
}

/* ---- interfaces a hook said off ---- */

static void off_path(char *buf, size_t size, const char *ifname, int family)
{
	snprintf(buf, size, "%s/off%c/%s", WATCH_STATE_DIR, family == AF_INET6 ? '6' : '4', ifname);
}

void watch_note_off(const char *ifname, unsigned families, bool off)
{
	static const int fams[] = { AF_INET, AF_INET6 };
	char path[sizeof(WATCH_STATE_DIR) + IFNAMSIZ + 8];

	for (size_t i = 0; i < 2; i++) {
		if (!(families & event_family_bit(fams[i])))
			continue;
		off_path(path, sizeof(path), ifname, fams[i]);
		if (!off) {
			unlink(path);
			continue;
		}
		/* Best effort: without the mark the watcher treats the interface as any other. */
		mkdir(WATCH_STATE_DIR, 0755);
		*strrchr(path, '/') = '\0';
		mkdir(path, 0755);
		off_path(path, sizeof(path), ifname, fams[i]);
		close(open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644));
	}
}

bool watch_is_off(const char *ifname, int family)
{
	char path[sizeof(WATCH_STATE_DIR) + IFNAMSIZ + 8];

	off_path(path, sizeof(path), ifname, family);
	return access(path, F_OK) == 0;
}

/* ---- what the notifications mark ---- */

static void arm_timer(struct watch *w)
{
	struct itimerspec t = { .it_value = { 0, WATCH_SETTLE_MS * 1000000L } };

	if (w->timer_armed)
		return;
	if (timerfd_settime(w->timer_fd, 0, &t, NULL) == 0)
		w->timer_armed = true;
}

static void mark(struct watch *w, uint32_t ifindex, unsigned families, const char *gone_name)
{
	struct marked *m = NULL;

	if (!ifindex)
		return;
	for (unsigned i = 0; i < w->n_marked; i++)
		if (w->marked[i].ifindex == ifindex)
			m = &w->marked[i];
	if (!m) {
		if (w->n_marked >= WATCH_MAX_MARKED) {
			w->full = true;
			arm_timer(w);
			return;
		}
		m = &w->marked[w->n_marked++];
		memset(m, 0, sizeof(*m));
		m->ifindex = ifindex;
	}
	m->families |= families;
	if (gone_name) {
		m->gone = true;
		snprintf(m->name, sizeof(m->name), "%s", gone_name);
	}
	arm_timer(w);
}

static void record_port(uint32_t portid, void *data)
{
	struct watch *w = data;

	if (w->n_ports < WATCH_MAX_PORTS)
		w->ports[w->n_ports++] = portid;
}

/* A notification of a change one of our own requests made (it carries our socket's port). */
static bool is_own(const struct watch *w, uint32_t portid)
{
	for (unsigned i = 0; portid && i < w->n_ports; i++)
		if (w->ports[i] == portid)
			return true;
	return false;
}

/* One more interface for a notification's verdict; a verdict that overflows asks for a full pass. */
static void hit(struct watch_verdict *v, uint32_t ifindex, unsigned families)
{
	if (!ifindex)
		return;
	if (v->n_hits >= WATCH_MAX_HITS) {
		v->full = true;
		return;
	}
	v->hits[v->n_hits].ifindex = ifindex;
	v->hits[v->n_hits].families = families;
	v->n_hits++;
}

static void classify_route(const struct config *cfg, const struct nlmsghdr *nlh,
			   struct watch_verdict *v)
{
	struct route r;
	unsigned fam;

	if (rtnl_msg_parse_route(nlh, &r) < 0)
		return;
	fam = event_family_bit(r.family);
	if (r.protocol == cfg->protocol) {
		/* Ours removed by someone: put back. Ours added: our own doing, or not ours to judge. */
		if (nlh->nlmsg_type != RTM_DELROUTE)
			return;
		if (r.table > cfg->table_base && r.table - cfg->table_base <= INT32_MAX)
			hit(v, r.table - cfg->table_base, fam);
	} else if (r.table != RT_TABLE_MAIN || r.dst.plen != 0) {
		return;
	}
	hit(v, r.oif, fam);
	for (unsigned i = 0; i < r.n_nexthops; i++)
		hit(v, r.nexthops[i].oif, fam);
}

static void classify_rule(const struct config *cfg, const struct nlmsghdr *nlh,
			  struct watch_verdict *v)
{
	struct rule r;

	if (nlh->nlmsg_type != RTM_DELRULE || rtnl_msg_parse_rule(nlh, &r) < 0 ||
	    r.protocol != cfg->protocol)
		return;
	/* An automatic table names its interface; any other is found by a full pass. */
	if (r.table > cfg->table_base && r.table - cfg->table_base <= INT32_MAX)
		hit(v, r.table - cfg->table_base, event_family_bit(r.family));
	else
		v->full = true;
}

void watch_classify(const struct config *cfg, const struct nlmsghdr *nlh, struct watch_verdict *v)
{
	uint32_t ifindex, flags;
	uint8_t scope;
	struct addr a;

	memset(v, 0, sizeof(*v));
	switch (nlh->nlmsg_type) {
	case RTM_NEWADDR:
	case RTM_DELADDR:
		if (rtnl_msg_parse_addr(nlh, &a, &ifindex, &scope, &flags) == 0 &&
		    scope == RT_SCOPE_UNIVERSE)
			hit(v, ifindex, event_family_bit(a.family));
		break;
	case RTM_NEWROUTE:
	case RTM_DELROUTE:
		classify_route(cfg, nlh, v);
		break;
	case RTM_DELRULE:
		classify_rule(cfg, nlh, v);
		break;
	case RTM_NEWLINK:
		/* A link that came up may need what its addresses did not announce again. */
		if (rtnl_msg_parse_link(nlh, &ifindex, v->gone, sizeof(v->gone), &flags) == 0 &&
		    (flags & IFF_UP))
			hit(v, ifindex, EVENT_V4 | EVENT_V6);
		v->gone[0] = '\0';
		break;
	case RTM_DELLINK:
		if (rtnl_msg_parse_link(nlh, &ifindex, v->gone, sizeof(v->gone), &flags) == 0 &&
		    v->gone[0])
			hit(v, ifindex, EVENT_V4 | EVENT_V6);
		else
			v->gone[0] = '\0';
		break;
	default:
		break;
	}
}

static int on_message(const struct nlmsghdr *nlh, void *data)
{
	struct watch *w = data;
	struct watch_verdict v;

	if (is_own(w, nlh->nlmsg_pid))
		return 0;
	watch_classify(w->cfg, nlh, &v);
	for (unsigned i = 0; i < v.n_hits; i++)
		mark(w, v.hits[i].ifindex, v.hits[i].families, v.gone[0] ? v.gone : NULL);
	if (v.full) {
		w->full = true;
		arm_timer(w);
	}
	return 0;
}

/* ---- reconciling one interface ---- */

static void run(struct watch *w, const struct event *ev, const char *what, bool lock_held)
{
	unsigned changes = 0;
	struct run_opts opts = {
		.dry_run = w->opts->dry_run, .lock_path = NULL, .changes = &changes,
		.lock_held = lock_held,
	};
	int code = run_event(ev, w->cfg, &opts);

	if (code != EXIT_OK) {
		if (w->first_failure == EXIT_OK)
			w->first_failure = code;
		log_warn("watch: %s: %s failed (exit %d, said above): the interface's next "
			    "change tries again", ev->ifname, what, code);
		return;
	}
	if (!changes)
		return;
	snprintf(w->last, sizeof(w->last), "%s %s: %s (%u change%s)", ev->ifname,
		 ev->families == EVENT_V4 ? "IPv4" : ev->families == EVENT_V6 ? "IPv6" : "IPv4+IPv6",
		 what, changes, changes == 1 ? "" : "s");
	w->last_at = time(NULL);
	w->actions++;
	log_info("watch: %s", w->last);
	state_write(w);
}

struct main_default {
	uint32_t ifindex;
	uint8_t protocol;
	bool found;
};

static int main_default_route(const struct route *r, void *data)
{
	struct main_default *m = data;

	if (r->table == RT_TABLE_MAIN && r->dst.plen == 0 && r->protocol != m->protocol &&
	    (r->type == RTN_UNICAST || r->type == RTN_UNSPEC))
		m->found = true;
	return 0;
}

/* Does main hold a default through @ifindex that is not ours (its manager's)? */
static int has_manager_default(struct rtnl *nl, const struct config *cfg, int family,
			       uint32_t ifindex, bool *out)
{
	struct main_default m = { .ifindex = ifindex, .protocol = cfg->protocol };
	int err = rtnl_dump_routes_oif(nl, family, RT_TABLE_MAIN, ifindex, main_default_route, &m,
				       NULL);

	*out = m.found;
	return err;
}

static int global_addr(const struct addr *a, uint8_t scope, uint32_t flags, void *data)
{
	(void)a;
	(void)flags;
	if (scope == RT_SCOPE_UNIVERSE)
		*(bool *)data = true;
	return 0;
}

static bool link_is_up(const char *name)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	bool up = false;

	if (fd < 0)
		return false;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0)
		up = (ifr.ifr_flags & IFF_UP) && !(ifr.ifr_flags & IFF_LOOPBACK);
	close(fd);
	return up;
}

static int route_of_ours(const struct route *r, void *data)
{
	struct main_default *m = data;

	if (have_route_ours(m->protocol, r))
		m->found = true;
	return 0;
}

struct auto_rule {
	const struct config *cfg;
	uint32_t table;
	bool found;
};

static int rule_of_auto_table(const struct rule *r, void *data)
{
	struct auto_rule *a = data;

	if (r->table == a->table && have_rule_ours(a->cfg->protocol, r))
		a->found = true;
	return 0;
}

/*
 * Has symroute state for @ifindex in @family: a route of ours through it (a managed family
 * has at least its connected route in its table), found by a kernel-filtered dump, so that
 * an interface that is nobody's uplink (a container's veth) costs no read of our rules.
 * With @rules_too, also a rule of ours for its automatic table: the kernel removes, without
 * a notification, the routes an IPv4 address took with it (a DHCP lease released), and the
 * rule stays behind; the caller asks when the interface has no global address left.
 */
static int has_state_of_ours(struct rtnl *nl, const struct config *cfg, int family,
			     uint32_t ifindex, bool rules_too, bool *out)
{
	struct main_default m = { .ifindex = ifindex, .protocol = cfg->protocol };
	struct auto_rule a = { .cfg = cfg, .table = cfg->table_base + ifindex };
	int err = rtnl_dump_routes_oif(nl, family, 0, ifindex, route_of_ours, &m, NULL);

	if (err == 0 && !m.found && rules_too)
		err = rtnl_dump_rules_of(nl, family, cfg->protocol, rule_of_auto_table, &a, NULL);
	*out = m.found || a.found;
	return err;
}

/* What one family of an interface is to the watcher. */
struct family_view {
	bool ours;		/* symroute state */
	bool manager;		/* a default in main that is not ours */
	bool global;		/* a global address */
};

static int family_view(struct rtnl *nl, const struct config *cfg, int family, uint32_t ifindex,
		       struct family_view *v)
{
	int err;

	memset(v, 0, sizeof(*v));
	err = has_manager_default(nl, cfg, family, ifindex, &v->manager);
	if (err == 0)
		err = rtnl_dump_addrs(nl, family, ifindex, global_addr, &v->global, NULL);
	if (err == 0)
		err = has_state_of_ours(nl, cfg, family, ifindex, !v->global, &v->ours);
	return err;
}

/*
 * The event for one family of an uplink, or none (returns 0). A family of ours with no
 * address left: down. A new uplink: `up IFACE` as by hand. Ours: the event that keeps what
 * we left (intent_event()), from the status read for it.
 */
static int family_event(struct rtnl *nl, const struct config *cfg, const char *name,
			uint32_t ifindex, int family, const struct family_view *v,
			struct event *ev)
{
	const struct status_iface *iface;
	const char *why = NULL;
	struct status st = { 0 };
	int r = 0;

	if (!v->global || !v->ours) {
		event_init(ev, "watch");
		ev->action = v->global ? EVENT_UP : EVENT_DOWN;
		ev->keep_table_gateway = true;
		ev->families = event_family_bit(family);
		return event_set_ifname(ev, name, &why) < 0 ? 0 : 1;
	}
	r = status_read(nl, cfg, name, &st);
	if (r == 0) {
		iface = status_iface_find(&st, ifindex);
		r = iface && iface->fam[family == AF_INET6].family &&
		    status_intent(cfg, iface, &iface->fam[family == AF_INET6], v->manager, "watch",
				  ev, &why) == 0;
	}
	status_free(&st);
	return r;
}

static void reconcile_iface(struct watch *w, uint32_t ifindex, unsigned families)
{
	static const int fams[] = { AF_INET, AF_INET6 };
	const struct config_iface *group;
	struct rtnl *nl = NULL;
	char name[IF_NAMESIZE];
	int lock_fd = -1;
	int err;

	/* Gone already: its RTM_DELLINK sweeps. Down: what it had waits for it to come back. */
	if (!if_indextoname(ifindex, name) || !link_is_up(name) ||
	    !config_watch_wants(w->cfg, name))
		return;
	group = config_iface_find(w->cfg, name);
	if (group && group->off)
		return;
	/*
	 * The lock, before anything is read: a hook running now would otherwise be seen half
	 * applied (its rules there, our fallback default not yet), and the event rebuilt from
	 * that would undo the rest once the hook is done.
	 */
	if (!w->opts->dry_run) {
		lock_fd = lock_take(LOCK_DEFAULT_PATH, w->cfg->lock_timeout_ms);
		if (lock_fd < 0) {
			log_warn("watch: %s: not reconciled (the lock, said above): the interface's "
				 "next change tries again", name);
			return;
		}
	}
	err = rtnl_open(&nl);
	for (size_t i = 0; err == 0 && i < 2; i++) {
		struct family_view v;
		struct event ev;
		int r;

		if (!(families & event_family_bit(fams[i])) || watch_is_off(name, fams[i]))
			continue;
		err = family_view(nl, w->cfg, fams[i], ifindex, &v);
		if (err < 0)
			break;
		/* Not an uplink, and nothing of ours to keep or remove. */
		if (!v.ours && ((!v.manager && !group) || !v.global))
			continue;
		r = family_event(nl, w->cfg, name, ifindex, fams[i], &v, &ev);
		if (r < 0)
			err = r;
		else if (r > 0)
			run(w, &ev, ev.action == EVENT_UP ? "up" : "no global address left, down",
			    lock_fd >= 0);
	}
	if (err < 0)
		log_warn("watch: %s: reading the kernel's routing state failed: %s: the "
			 "interface's next change tries again", name, rtnl_strerror(err));
	rtnl_close(nl);
	lock_release(lock_fd);
}

/* A deleted link: a down for its name removes its rules, which now look up a dead table. */
static void sweep_gone(struct watch *w, const char *name)
{
	struct event ev;
	const char *why = NULL;

	/* The name came back already (a link recreated): its own notifications follow. */
	if (if_nametoindex(name))
		return;
	event_init(&ev, "watch");
	ev.action = EVENT_DOWN;
	ev.families = EVENT_V4 | EVENT_V6;
	if (event_set_ifname(&ev, name, &why) < 0)
		return;
	run(w, &ev, "gone, what was ours removed", false);
}

static void full_pass(struct watch *w)
{
	struct if_nameindex *links = if_nameindex();

	if (!links) {
		log_warn("watch: cannot list the interfaces: %s", strerror(errno));
		return;
	}
	for (struct if_nameindex *l = links; l->if_index; l++)
		reconcile_iface(w, l->if_index, EVENT_V4 | EVENT_V6);
	if_freenameindex(links);
}

static void pass(struct watch *w)
{
	struct marked todo[WATCH_MAX_MARKED];
	unsigned n = w->n_marked;
	bool full = w->full;

	memcpy(todo, w->marked, n * sizeof(*todo));
	w->n_marked = 0;
	w->full = false;
	/* Our own changes' notifications are recognised by the sockets of this pass. */
	w->n_ports = 0;
	for (unsigned i = 0; i < n; i++)
		if (todo[i].gone)
			sweep_gone(w, todo[i].name);
	if (full) {
		full_pass(w);
		return;
	}
	for (unsigned i = 0; i < n; i++)
		if (!todo[i].gone)
			reconcile_iface(w, todo[i].ifindex, todo[i].families);
}

/* ---- the loop ---- */

static int open_fds(struct watch *w, sigset_t *sigs)
{
	sigemptyset(sigs);
	sigaddset(sigs, SIGTERM);
	sigaddset(sigs, SIGINT);
	sigaddset(sigs, SIGHUP);
	if (sigprocmask(SIG_BLOCK, sigs, NULL) < 0)
		return -errno;
	w->signal_fd = signalfd(-1, sigs, SFD_CLOEXEC | SFD_NONBLOCK);
	if (w->signal_fd < 0)
		return -errno;
	w->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (w->timer_fd < 0)
		return -errno;
	return rtnl_events_open(&w->events, w->cfg->protocol);
}

/* Returns true when the loop must end (SIGTERM, SIGINT). */
static bool on_signal(struct watch *w)
{
	struct signalfd_siginfo si;
	bool stop = false;

	while (read(w->signal_fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			/* The configuration is read at start: a reload is a restart. */
			log_info("watch: SIGHUP: reading the kernel again (restart to reread %s)",
				 CONFIG_DEFAULT_PATH);
			w->full = true;
			arm_timer(w);
		} else {
			stop = true;
		}
	}
	return stop;
}

int watch_run(const struct config *cfg, const struct watch_opts *opts)
{
	struct watch *w = calloc(1, sizeof(*w));
	sigset_t sigs;
	int code = EXIT_OK;
	int err;

	if (!w)
		return EXIT_KERNEL;
	w->cfg = cfg;
	w->opts = opts;
	w->timer_fd = w->signal_fd = -1;
	if (opts->once) {
		/* By hand (the admin's word): `watch = false` concerns the service, not this. */
		full_pass(w);
		code = w->first_failure;
		free(w);
		return code;
	}
	if (!cfg->watch) {
		log_info("watch: 'watch = false' in the configuration: not watching");
		free(w);
		return EXIT_OK;
	}
	/* Subscribe before the first pass: a change during it is seen again afterwards. */
	err = open_fds(w, &sigs);
	if (err < 0) {
		log_error("watch: cannot follow the kernel's routing notifications: %s",
			  strerror(-err));
		code = EXIT_KERNEL;
		goto out;
	}
	rtnl_set_open_hook(record_port, w);
	w->since = time(NULL);
	state_write(w);
	log_info("watch: following interfaces%s%s%s%s", cfg->watch_interfaces[0] ? " matching '" : "",
		 cfg->watch_interfaces, cfg->watch_interfaces[0] ? "'" : "",
		 opts->dry_run ? " (dry run: changes are printed, not made)" : "");
	w->full = true;
	pass(w);
	for (;;) {
		struct pollfd p[] = {
			{ .fd = rtnl_events_fd(w->events), .events = POLLIN },
			{ .fd = w->timer_fd, .events = POLLIN },
			{ .fd = w->signal_fd, .events = POLLIN },
		};

		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			log_error("watch: poll: %s", strerror(errno));
			code = EXIT_KERNEL;
			break;
		}
		if (p[2].revents && on_signal(w))
			break;
		if (p[0].revents) {
			err = rtnl_events_read(w->events, on_message, w);
			if (err == -ENOBUFS) {
				log_warn("watch: the kernel dropped notifications (a burst larger "
					    "than the socket's buffer): reading every interface again");
				w->full = true;
				arm_timer(w);
			} else if (err < 0) {
				log_error("watch: reading the kernel's notifications: %s",
					  strerror(-err));
				code = EXIT_KERNEL;
				break;
			}
		}
		if (p[1].revents) {
			uint64_t expirations;

			if (read(w->timer_fd, &expirations, sizeof(expirations)) < 0 &&
			    errno != EAGAIN)
				continue;
			w->timer_armed = false;
			pass(w);
		}
	}
	log_info("watch: stopped%s", code == EXIT_OK ? "" : " on an error");
	if (!opts->dry_run)
		unlink(WATCH_STATE_PATH);
out:
	rtnl_set_open_hook(NULL, NULL);
	rtnl_events_close(w->events);
	if (w->timer_fd >= 0)
		close(w->timer_fd);
	if (w->signal_fd >= 0)
		close(w->signal_fd);
	free(w);
	return code;
}

/* ---- what status shows ---- */

int watch_state_read(struct watch_state *s)
{
	char line[WATCH_LAST_MAX + 16], comm[64] = "", path[64];
	FILE *f = fopen(WATCH_STATE_PATH, "r");

	memset(s, 0, sizeof(*s));
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "pid=", 4) == 0)
			s->pid = atol(line + 4);
		else if (strncmp(line, "since=", 6) == 0)
			s->since = atoll(line + 6);
		else if (strncmp(line, "actions=", 8) == 0)
			s->actions = (unsigned)strtoul(line + 8, NULL, 10);
		else if (strncmp(line, "last_at=", 8) == 0)
			s->last_at = atoll(line + 8);
		else if (strncmp(line, "last=", 5) == 0) {
			size_t n = strnlen(line + 5, sizeof(s->last) - 1);

			memcpy(s->last, line + 5, n);
			s->last[n] = '\0';
		}
	}
	fclose(f);
	/* A file left by a watcher that was killed: its pid is gone or someone else's now. */
	snprintf(path, sizeof(path), "/proc/%ld/comm", s->pid);
	f = s->pid > 0 ? fopen(path, "r") : NULL;
	if (f) {
		if (fgets(comm, sizeof(comm), f))
			comm[strcspn(comm, "\n")] = '\0';
		fclose(f);
	}
	s->running = strcmp(comm, "symroute") == 0;
	return 1;
}
