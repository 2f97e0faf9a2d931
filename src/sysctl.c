// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: optional per-interface IPv4 sysctls (rp_filter, arp_*): set on up, put back on down. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apply.h"
#include "config.h"
#include "event.h"
#include "log.h"
#include "reconcile.h"
#include "show.h"
#include "sysctl.h"

const char *sysctl_conf_dir = "/proc/sys/net/ipv4/conf";


/*
 * Each knob: the file under conf/IF/, the value the classic multihoming guides
 * recommend, and what "the value before" means on down. symroute records
 * nothing, so it cannot know what was there: it puts back the kernel's default
 * for new interfaces (conf/default/NAME), or 0, the built-in default, where
 * conf/default is not the usual source (arp_* are 0 on a fresh kernel).
 */
static const struct sysctl_knob {
	unsigned has;		/* enum event_has */
	const char *name;
	const char *ours;
	bool restore_from_default;	/* else restore "0" */
} knobs[] = {
	{ EVENT_HAS_RP_FILTER, "rp_filter", "2", true },	/* loose: RFC 3704 */
	{ EVENT_HAS_ARP_IGNORE, "arp_ignore", "1", false },
	{ EVENT_HAS_ARP_ANNOUNCE, "arp_announce", "2", false },
	{ EVENT_HAS_ARP_FILTER, "arp_filter", "1", false },
};

/* Is the knob on for this event: the event says, else the config's host-wide default. */
static bool knob_on(const struct event *ev, const struct config *cfg, unsigned has)
{
	switch (has) {
	case EVENT_HAS_RP_FILTER:
		return (ev->has & has) ? ev->rp_loose : cfg->rp_loose;
	case EVENT_HAS_ARP_IGNORE:
		return (ev->has & has) ? ev->arp_ignore : cfg->arp_ignore;
	case EVENT_HAS_ARP_ANNOUNCE:
		return (ev->has & has) ? ev->arp_announce : cfg->arp_announce;
	case EVENT_HAS_ARP_FILTER:
		return (ev->has & has) ? ev->arp_filter : cfg->arp_filter;
	}
	return false;
}

static int read_value(const char *path, char *out, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;
	int err = 0;

	if (fd < 0)
		return -errno;
	n = read(fd, out, len - 1);
	if (n < 0)
		err = -errno;
	close(fd);
	if (err)
		return err;
	out[n] = '\0';
	out[strcspn(out, "\n")] = '\0';
	return 0;
}

static int write_value(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int err = 0;

	if (fd < 0)
		return -errno;
	n = write(fd, value, strlen(value));
	if (n < 0)
		err = -errno;
	else if ((size_t)n != strlen(value))
		err = -EIO;
	close(fd);
	return err;
}

/* `sysctl` spells a '.' inside an interface name as '/' (eth0.100 is eth0/100). */
char *sysctl_ipv4_key(char *buf, size_t len, const char *ifname, const char *knob)
{
	char dotted[IFNAMSIZ];
	size_t i;

	for (i = 0; ifname[i] && i < sizeof(dotted) - 1; i++)
		dotted[i] = ifname[i] == '.' ? '/' : ifname[i];
	dotted[i] = '\0';
	snprintf(buf, len, "net.ipv4.conf.%s.%s", dotted, knob);
	return buf;
}

static void knob_path(char *path, size_t len, const char *ifname, const char *knob)
{
	snprintf(path, len, "%s/%s/%s", sysctl_conf_dir, ifname, knob);
}

int sysctl_plan(const struct event *ev, const struct config *cfg, struct sysctl_set *sets)
{
	int n = 0;

	if (!(ev->families & EVENT_V4))
		return 0;
	for (size_t i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++) {
		const struct sysctl_knob *k = &knobs[i];
		char path[PATH_MAX], now[SYSCTL_VALUE_MAX], want[SYSCTL_VALUE_MAX];
		int r;

		if (!knob_on(ev, cfg, k->has))
			continue;
		knob_path(path, sizeof(path), ev->ifname, k->name);
		r = sysctl_read(ev->ifname, k->name, now, sizeof(now));
		if (r == -ENOENT && ev->action == EVENT_DOWN)
			continue;	/* the interface is gone, and its settings with it */
		if (r < 0) {
			log_error("%s: cannot read %s: %s", ev->ifname, path, strerror(-r));
			return r;
		}
		if (ev->action == EVENT_UP) {
			if (strcmp(now, k->ours) == 0)
				continue;
			snprintf(want, sizeof(want), "%s", k->ours);
		} else {
			/* Someone changed it since: theirs now, not ours to put back. */
			if (strcmp(now, k->ours) != 0)
				continue;
			snprintf(want, sizeof(want), "0");
			if (k->restore_from_default) {
				char dpath[PATH_MAX];

				knob_path(dpath, sizeof(dpath), "default", k->name);
				r = sysctl_read("default", k->name, want, sizeof(want));
				if (r < 0) {
					log_error("%s: cannot read %s: %s", ev->ifname, dpath,
						  strerror(-r));
					return r;
				}
			}
			if (strcmp(now, want) == 0)
				continue;
		}
		memset(&sets[n], 0, sizeof(sets[n]));
		snprintf(sets[n].ifname, sizeof(sets[n].ifname), "%s", ev->ifname);
		snprintf(sets[n].knob, sizeof(sets[n].knob), "%s", k->name);
		snprintf(sets[n].value, sizeof(sets[n].value), "%s", want);
		snprintf(sets[n].before, sizeof(sets[n].before), "%s", now);
		n++;
	}
	return n;
}

int sysctl_read(const char *ifname, const char *knob, char *out, size_t len)
{
	char path[PATH_MAX];

	knob_path(path, sizeof(path), ifname, knob);
	return read_value(path, out, len);
}

int sysctl_write(const struct sysctl_set *set, bool undo)
{
	char path[PATH_MAX];

	knob_path(path, sizeof(path), set->ifname, set->knob);
	return write_value(path, undo ? set->before : set->value);
}

int sysctl_run(const struct event *ev, const struct config *cfg, bool dry_run)
{
	struct sysctl_set sets[SYSCTL_MAX_SETS];
	struct op ops[SYSCTL_MAX_SETS];
	char line[SHOW_LINE_MAX];
	int n = sysctl_plan(ev, cfg, sets);

	if (n <= 0)
		return n;
	for (int i = 0; i < n; i++) {
		memset(&ops[i], 0, sizeof(ops[i]));
		ops[i].kind = OP_SET_SYSCTL;
		ops[i].u.sysctl = sets[i];
		if (dry_run)
			printf("%s\n", show_op(line, sizeof(line), &ops[i], ev->ifname));
	}
	/* No netlink operation among them: apply needs no socket. */
	return dry_run ? n : apply_ops(NULL, ops, (unsigned)n, ev->ifname);
}
