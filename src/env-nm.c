// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: NetworkManager dispatcher calls (argv, IP4_*, IP6_*, DHCP4_*, VPN_*) as an event. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "addr.h"
#include "env.h"
#include "env-nm.h"
#include "event.h"
#include "keyfile.h"
#include "log.h"
#include "options.h"

/*
 * NetworkManager-dispatcher(8) describes each address as "ADDR/PLEN GATEWAY" in
 * IP4_ADDRESS_<N>, 0 <= N < IP4_NUM_ADDRESSES (likewise IP6_, VPN_IP4_, VPN_IP6_). We read
 * at most this many; more than EVENT_MAX_ADDRS usable ones is refused by event_add_addr().
 */
#define NM_MAX_ADDRS 1024
/* Longest variable name we build: "VPN_IP6_NUM_ADDRESSES", "VPN_IP6_ADDRESS_1023". */
#define NM_VAR_MAX 32
/* One router of DHCP4_ROUTERS, as text: an IPv4 address is at most 15 characters. */
#define NM_ROUTER_MAX 64

/* What each dispatcher action means for us. Anything not here is ignored. */
static const struct {
	const char *name;
	enum event_action action;
	unsigned families;	/* the families an up reads: both = those with data */
	bool vpn;		/* the VPN's interface (VPN_IP_IFACE) and VPN_IP4_* / VPN_IP6_* */
} nm_actions[] = {
	{ "up", EVENT_UP, EVENT_V4 | EVENT_V6, false },
	{ "reapply", EVENT_UP, EVENT_V4 | EVENT_V6, false },
	{ "dhcp4-change", EVENT_UP, EVENT_V4, false },
	{ "dhcp6-change", EVENT_UP, EVENT_V6, false },
	{ "down", EVENT_DOWN, EVENT_V4 | EVENT_V6, false },
	/* Only if the script is linked into pre-down.d, which we do not ship: see nm-dispatcher/. */
	{ "pre-down", EVENT_DOWN, EVENT_V4 | EVENT_V6, false },
	{ "vpn-up", EVENT_UP, EVENT_V4 | EVENT_V6, true },
	{ "vpn-down", EVENT_DOWN, EVENT_V4 | EVENT_V6, true },
	{ "vpn-pre-down", EVENT_DOWN, EVENT_V4 | EVENT_V6, true },
	/* pre-up and vpn-pre-up (no addresses yet), hostname, connectivity-change: ignored. */
};

/* NetworkManager writes "no gateway" as 0.0.0.0 or ::, in IP6_GATEWAY too (IPv6 disabled). */
static bool is_no_gateway(const char *s)
{
	return is_empty(s) || strcmp(s, "0.0.0.0") == 0 || strcmp(s, "::") == 0;
}

/* "unknown option (did you mean symroute.main-default?)" */
#define NM_USER_SUGGEST_MAX 96

static const char *family_name(int family)
{
	return family == AF_INET ? "IPv4" : "IPv6";
}

static bool bad_unicast(const struct addr *a)
{
	return addr_is_unspecified(a) || addr_is_multicast(a) || addr_is_loopback(a) ||
	       addr_is_v4_broadcast(a) || addr_is_v4_mapped(a);
}

/* "ADDR/PLEN GATEWAY" (the gateway is optional; "0.0.0.0" or "::" when there is none). */
static int read_address_item(struct event *ev, const char *var, const char *value, int family)
{
	char text[ADDR_STRLEN];
	const char *gw_text, *why = NULL;
	size_t len = strcspn(value, " ");
	struct addr a, gw;
	int r;

	if (len >= sizeof(text)) {
		log_bad_value(var, value, "not 'ADDRESS/PLEN GATEWAY'");
		return -EINVAL;
	}
	memcpy(text, value, len);
	text[len] = '\0';
	if (addr_parse(&a, text, family, ADDR_PLEN_REQUIRED, &why) < 0) {
		log_bad_value(var, value, why);
		return -EINVAL;
	}
	if (bad_unicast(&a)) {
		log_bad_value(var, value, "not a unicast interface address");
		return -EINVAL;
	}
	gw_text = value[len] == ' ' ? value + len + 1 : NULL;
	if (gw_text && !is_no_gateway(gw_text) &&
	    addr_parse(&gw, gw_text, family, ADDR_PLEN_FORBIDDEN, &why) < 0) {
		log_bad_value(var, value, why);
		return -EINVAL;
	}
	/* The gateway field repeats IP4_GATEWAY / IP6_GATEWAY: the one read is that one. */
	if (family == AF_INET6 && addr_is_link_local(&a)) {
		log_debug("%s: %s: link-local, not routed by table", ev->ifname, text);
		return 0;
	}
	r = event_add_addr(ev, &a);
	/*
	 * Past the bound NetworkManager is not wrong: the link has that many. The event goes
	 * on, marked (addrs_overflow), and the plan refuses this family alone, so that the
	 * other one is still routed.
	 */
	if (r == -E2BIG)
		log_debug("%s: %s: past %u %s addresses", ev->ifname, var, EVENT_MAX_ADDRS,
			  family_name(family));
	return 0;	/* -EEXIST: the same address twice is the same address */
}

/*
 * PREFIX_ADDRESS_<N> for N below PREFIX_NUM_ADDRESSES, or for as many as there are when the
 * count is missing. Sets *found when the event describes addresses for the family at all.
 */
static int read_addresses(struct event *ev, char *const *envp, const char *prefix, int family,
			  bool *found)
{
	char var[NM_VAR_MAX];
	const char *num_text, *value, *why = NULL;
	uint32_t n = NM_MAX_ADDRS;
	bool counted = false;
	int r;

	snprintf(var, sizeof(var), "%sNUM_ADDRESSES", prefix);
	num_text = env_value(envp, var);
	if (num_text) {
		if (options_parse_u32(&n, num_text, 0, NM_MAX_ADDRS, &why) < 0) {
			log_bad_value(var, num_text, "not a number of addresses from 0 to 1024");
			return -EINVAL;
		}
		counted = true;
		*found = n > 0;
	}
	for (uint32_t i = 0; i < n; i++) {
		snprintf(var, sizeof(var), "%sADDRESS_%u", prefix, i);
		value = env_value(envp, var);
		if (is_empty(value)) {
			if (!counted)
				break;
			log_bad_value(var, value, "missing, though NUM_ADDRESSES counts it");
			return -EINVAL;
		}
		*found = true;
		r = read_address_item(ev, var, value, family);
		if (r < 0)
			return r;
	}
	return 0;
}

/* DHCP4_IP_ADDRESS and DHCP4_SUBNET_MASK (from the server: untrusted), when IP4_* has none. */
static int read_dhcp4_address(struct event *ev, char *const *envp, bool *found)
{
	const char *address = env_value(envp, "DHCP4_IP_ADDRESS");
	const char *mask = env_value(envp, "DHCP4_SUBNET_MASK");
	const char *why = NULL;
	struct addr a;

	if (is_empty(address))
		return 0;
	if (addr_parse(&a, address, AF_INET, ADDR_PLEN_FORBIDDEN, &why) < 0) {
		log_bad_value("DHCP4_IP_ADDRESS", address, why);
		return -EINVAL;
	}
	if (bad_unicast(&a)) {
		log_bad_value("DHCP4_IP_ADDRESS", address, "not a unicast interface address");
		return -EINVAL;
	}
	if (is_empty(mask)) {
		log_bad_value("DHCP4_SUBNET_MASK", mask, "missing beside DHCP4_IP_ADDRESS");
		return -EINVAL;
	}
	if (addr_parse_plen(&a.plen, mask, AF_INET, &why) < 0) {
		log_bad_value("DHCP4_SUBNET_MASK", mask, why);
		return -EINVAL;
	}
	*found = true;
	if (event_add_addr(ev, &a) == -E2BIG)
		return -EINVAL;
	return 0;
}

/*
 * DHCP4_ROUTERS: space-separated, from the DHCP server, so from the network. The first valid
 * one is taken; invalid ones are logged and skipped, as the dhclient front end does: refusing
 * the whole lease would leave the old lease's table in place, which is worse.
 */
static void read_dhcp4_router(struct event *ev, char *const *envp)
{
	const char *routers = env_value(envp, "DHCP4_ROUTERS");
	const char *p = routers;

	if (is_empty(routers))
		return;
	while (*p) {
		char word[NM_ROUTER_MAX];
		const char *why = NULL;
		size_t len;
		struct addr gw;

		while (*p == ' ' || *p == '\t')
			p++;
		len = strcspn(p, " \t");
		if (len == 0)
			break;
		if (len >= sizeof(word)) {
			why = "too long for an IPv4 address";
		} else {
			memcpy(word, p, len);
			word[len] = '\0';
			if (addr_parse(&gw, word, AF_INET, ADDR_PLEN_FORBIDDEN, &why) == 0) {
				why = addr_router_unusable(&gw, NULL);
				for (unsigned i = 0; !why && i < ev->n_addrs; i++)
					why = addr_router_unusable(&gw, &ev->addrs[i]);
			}
		}
		if (!why) {
			ev->gateway[event_family_index(AF_INET)] = gw;
			ev->gateways_given |= EVENT_V4;
			return;
		}
		log_warn("DHCP4_ROUTERS='%s': skipping '%.*s': %s", routers, (int)len, p, why);
		p += len;
	}
}

/* PREFIX_GATEWAY; for IPv4 outside a VPN, DHCP4_ROUTERS when it says there is none. */
static int read_gateway(struct event *ev, char *const *envp, const char *prefix, int family,
			bool vpn, bool *found)
{
	char var[NM_VAR_MAX];
	const char *value, *why = NULL;
	struct addr gw;

	snprintf(var, sizeof(var), "%sGATEWAY", prefix);
	value = env_value(envp, var);
	if (!is_no_gateway(value)) {
		if (addr_parse(&gw, value, family, ADDR_PLEN_FORBIDDEN, &why) < 0) {
			log_bad_value(var, value, why);
			return -EINVAL;
		}
		if (bad_unicast(&gw)) {
			log_bad_value(var, value, "not a unicast gateway address");
			return -EINVAL;
		}
		ev->gateway[event_family_index(family)] = gw;
		ev->gateways_given |= event_family_bit(family);
		*found = true;
		return 0;
	}
	if (family == AF_INET && !vpn)
		read_dhcp4_router(ev, envp);
	return 0;
}

/*
 * An IPv4 gateway outside every prefix of the interface (a /32 address, as clouds hand out,
 * with its router beside it): NetworkManager routes it on the link, and so does its table.
 */
static void mark_onlink(struct event *ev)
{
	const struct addr *gw = &ev->gateway[event_family_index(AF_INET)];
	bool any = false;

	for (unsigned i = 0; i < ev->n_addrs; i++) {
		if (ev->addrs[i].family != AF_INET)
			continue;
		any = true;
		if (!addr_router_needs_onlink(gw, &ev->addrs[i]))
			return;
	}
	if (any) {
		ev->onlink = true;
		ev->has |= EVENT_HAS_ONLINK;
	}
}

/* One family's addresses and gateway. */
static int read_family(struct event *ev, char *const *envp, int family, bool vpn, bool *found)
{
	static const char *const prefixes[2][2] = { { "IP4_", "IP6_" }, { "VPN_IP4_", "VPN_IP6_" } };
	const char *prefix = prefixes[vpn][family == AF_INET6];
	bool addrs = false;
	int r;

	r = read_addresses(ev, envp, prefix, family, &addrs);
	if (r == 0 && !addrs && family == AF_INET && !vpn)
		r = read_dhcp4_address(ev, envp, &addrs);
	if (r < 0)
		return r;
	if (addrs)
		ev->addrs_given |= event_family_bit(family);
	*found = addrs;
	r = read_gateway(ev, envp, prefix, family, vpn, found);
	if (r == 0 && family == AF_INET && (ev->gateways_given & EVENT_V4))
		mark_onlink(ev);
	return r;
}

/* The interface: the VPN's own for VPN actions; else the device's IP interface. */
static const char *pick_iface(char *const *envp, int argc, char *const *argv, bool vpn,
			      const char **var)
{
	const char *v;

	if (vpn) {
		*var = "VPN_IP_IFACE";
		return env_value(envp, *var);
	}
	*var = "DEVICE_IP_IFACE";
	v = env_value(envp, *var);
	if (is_empty(v)) {
		*var = "DEVICE_IFACE";
		v = env_value(envp, *var);
	}
	if (is_empty(v) && argc > 1 && strcmp(argv[1], "none") != 0) {
		*var = "interface argument";
		v = argv[1];
	}
	return v;
}

int env_nm_read(struct event *ev, int argc, char *const *argv, char *const *envp)
{
	const char *action = argc > 2 ? argv[2] : env_value(envp, "NM_DISPATCHER_ACTION");
	const char *iface, *var, *why = NULL;
	size_t i, n = sizeof(nm_actions) / sizeof(nm_actions[0]);
	unsigned with_data = 0;

	event_init(ev, "nm");
	ev->strict_addrs = false;

	if (argc > 3) {
		log_bad_value("argument", argv[3], "unexpected (nm-dispatcher passes IFACE ACTION)");
		return -EINVAL;
	}
	if (is_empty(action)) {
		log_bad_value("NM_DISPATCHER_ACTION", action,
			      "missing: symroute nm-dispatcher runs from NetworkManager's dispatcher");
		return -EINVAL;
	}
	for (i = 0; i < n; i++)
		if (strcmp(nm_actions[i].name, action) == 0)
			break;
	if (i == n)
		return 0;	/* EVENT_IGNORE */

	iface = pick_iface(envp, argc, argv, nm_actions[i].vpn, &var);
	if (is_empty(iface)) {
		if (nm_actions[i].vpn) {
			log_info("%s: the VPN has no interface of its own (no VPN_IP_IFACE): "
				 "nothing to route", action);
			return 0;
		}
		log_bad_value("DEVICE_IP_IFACE", iface, "missing: no interface for the event");
		return -EINVAL;
	}
	if (event_set_ifname(ev, iface, &why) < 0) {
		log_bad_value(var, iface, why);
		return -EINVAL;
	}
	if (strcmp(iface, "lo") == 0)
		return 0;	/* NetworkManager >= 1.42 may manage loopback: never ours */

	if (nm_actions[i].action == EVENT_DOWN) {
		ev->action = EVENT_DOWN;
		ev->families = nm_actions[i].families;
		return 0;
	}

	for (int f = 0; f < 2; f++) {
		int family = f ? AF_INET6 : AF_INET;
		bool found = false;
		int r;

		if (!(nm_actions[i].families & event_family_bit(family)))
			continue;
		r = read_family(ev, envp, family, nm_actions[i].vpn, &found);
		if (r < 0)
			return r;
		if (found)
			with_data |= event_family_bit(family);
	}
	/*
	 * up/reapply/vpn-up: the families NetworkManager configured. dhcpN-change: that
	 * family even without variables (NetworkManager 1.42.4 sends one before activation
	 * with none): the core then takes the kernel's addresses.
	 */
	ev->families = nm_actions[i].families == (EVENT_V4 | EVENT_V6) ? with_data
								     : nm_actions[i].families;
	if (!ev->families) {
		log_info("%s: %s without an IP configuration: nothing to do", iface, action);
		return 0;
	}
	for (int f = 0; f < 2; f++) {
		int family = f ? AF_INET6 : AF_INET;

		if ((ev->families & event_family_bit(family)) &&
		    !(ev->gateways_given & event_family_bit(family)))
			log_info("%s: %s: no %s gateway (%s): the table gets main's default via "
				 "%s if there is one, else only the connected routes",
				 iface, action, family_name(family),
				 family == AF_INET ? "IP4_GATEWAY absent or 0.0.0.0, no DHCP4_ROUTERS"
						   : "IP6_GATEWAY absent, :: or 0.0.0.0",
				 iface);
	}
	/*
	 * NetworkManager decides main's default routes: a profile without one there (never-default,
	 * or no gateway) must not get symroute's fallback default in main either. The profile's
	 * symroute.main-default=yes, read later, still can.
	 */
	ev->main_default = false;
	ev->has |= EVENT_HAS_MAIN_DEFAULT;
	ev->action = EVENT_UP;
	return 0;
}

/* What NetworkManager profiles take besides the knobs, for "did you mean". */
static const char *const user_names[] = { "off", "gateway4", "gateway6", NULL };

/*
 * One line for a bad symroute.* setting of the profile: the interface (every family: a
 * profile's settings are the interface's), the key as the profile has it, why, and what
 * follows. Returns -EINVAL.
 */
static int user_refused(const struct event *ev, const char *key, const char *value,
			const char *why)
{
	if (!ev->ifname[0])
		log_bad_value(key, value, why);
	else if (ev->action == EVENT_DOWN)
		log_error("%s: %s='%s': %s; symroute's rules and routes of %s stay", ev->ifname,
			  key, value, why, ev->ifname);
	else
		log_error("%s: %s='%s': %s; %s is not managed", ev->ifname, key, value, why,
			  ev->ifname);
	return -EINVAL;
}

int env_nm_user_set(struct event *ev, const char *key, const char *value)
{
	size_t pre = strlen(ENV_NM_USER_PREFIX);
	const char *name, *why = NULL, *near;
	char unknown[NM_USER_SUGGEST_MAX];
	bool off;
	int r;

	if (strncmp(key, ENV_NM_USER_PREFIX, pre) != 0)
		return 0;	/* someone else's user data */
	name = key + pre;
	if (!value)
		value = "";
	if (strcmp(name, "off") == 0) {
		if (options_parse_bool(&off, value, &why) < 0)
			return user_refused(ev, key, value, why);
		ev->has |= EVENT_HAS_OFF;	/* over symroute.conf's [interface NAME] */
		ev->off = off;
		/*
		 * Only an up becomes a down: whatever we installed before the setting was added
		 * goes. An ignored event (pre-up, hostname, an unknown action) has no interface
		 * to act on and stays ignored; a down stays a down.
		 */
		if (off && ev->action == EVENT_UP) {
			ev->action = EVENT_DOWN;
			ev->families = EVENT_V4 | EVENT_V6;
		}
		return 0;
	}
	if (strcmp(name, "gateway4") == 0 || strcmp(name, "gateway6") == 0) {
		int family = name[7] == '4' ? AF_INET : AF_INET6;
		struct addr gw;

		/* For never-default profiles: NetworkManager then reports no gateway at all. */
		if (addr_parse(&gw, value, family, ADDR_PLEN_FORBIDDEN, &why) < 0)
			return user_refused(ev, key, value, why);
		if (bad_unicast(&gw))
			return user_refused(ev, key, value, "not a unicast gateway address");
		ev->gateway[event_family_index(family)] = gw;
		ev->gateways_given |= event_family_bit(family);
		return 0;
	}
	/* The profile's own choice replaces the NetworkManager default set by env_nm_read(). */
	if (strcmp(name, "main-default") == 0)
		ev->has &= ~(unsigned)EVENT_HAS_MAIN_DEFAULT;
	r = options_set(ev, name, value, &why);
	if (r == -ENOENT && (near = options_suggest(name, user_names))) {
		snprintf(unknown, sizeof(unknown), "%s (did you mean %s%s?)", why,
			 ENV_NM_USER_PREFIX, near);
		why = unknown;
	}
	if (r < 0)
		return user_refused(ev, key, value, why ? why : "unknown setting");
	return 0;
}

/* What NetworkManager 1.46+ puts before each user-data key it hands a dispatcher script. */
#define NM_USER_ENV_PREFIX "CONNECTION_USER_"
/* The longest user-data key NetworkManager accepts (nm-setting-user.c: 255 bytes). */
#define NM_USER_KEY_MAX 255

int env_nm_user_key_decode(const char *enc, char *out, size_t size)
{
	size_t n = 0;

	for (const char *p = enc; *p; n++) {
		char c;

		if (n + 1 >= size)
			return -ENAMETOOLONG;
		if (*p >= 'A' && *p <= 'Z') {
			c = (char)(*p++ - 'A' + 'a');
		} else if (*p >= '0' && *p <= '9') {
			c = *p++;
		} else if (*p != '_') {
			return -EINVAL;
		} else if (p[1] == '_') {
			c = '.';
			p += 2;
		} else if (p[1] >= 'A' && p[1] <= 'Z') {
			c = p[1];
			p += 2;
		} else if (p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7' &&
			   p[3] >= '0' && p[3] <= '7') {
			c = (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0'));
			if (c == '\0')
				return -EINVAL;
			p += 4;
		} else {
			return -EINVAL;
		}
		out[n] = c;
	}
	if (n == 0)
		return -EINVAL;
	out[n] = '\0';
	return 0;
}

int env_nm_read_user_env(struct event *ev, char *const *envp, bool *found)
{
	size_t pre = strlen(NM_USER_ENV_PREFIX);

	*found = false;
	for (char *const *e = envp; e && *e; e++) {
		char key[NM_USER_KEY_MAX + 1];
		const char *eq;
		char *name;
		int r;

		if (strncmp(*e, NM_USER_ENV_PREFIX, pre) != 0 || !(eq = strchr(*e, '=')))
			continue;
		*found = true;
		name = strndup(*e + pre, (size_t)(eq - *e - (ptrdiff_t)pre));
		if (!name)
			return -ENOMEM;
		r = env_nm_user_key_decode(name, key, sizeof(key));
		if (r < 0) {
			/* Not NetworkManager's encoding: not a setting of ours to obey, nor a typo. */
			log_debug("%s: %s%s: not an encoded user-data key, ignored", ev->ifname,
				  NM_USER_ENV_PREFIX, name);
			free(name);
			continue;
		}
		free(name);
		if (strncmp(key, ENV_NM_USER_PREFIX, strlen(ENV_NM_USER_PREFIX)) != 0)
			continue;	/* someone else's user data */
		r = env_nm_user_set(ev, key, eq + 1);
		if (r < 0)
			return r;
	}
	return 0;
}

/*
 * A keyfile profile bigger than this is not one NetworkManager wrote for an interface: its
 * user data is left alone (NetworkManager 1.46+ hands it over in the environment anyway).
 */
#define NM_PROFILE_MAX (1024 * 1024)

/* The file at @path, whole: 0, -ENOENT, -EFBIG or another -errno. Free *@text. */
static int read_profile(const char *path, char **text, size_t *len)
{
	size_t have = 0, cap = 4096;
	char *buf = malloc(cap);
	int fd, err = 0;

	*text = NULL;
	if (!buf)
		return -ENOMEM;
	/* O_NONBLOCK: a FIFO put there must not hang the dispatcher. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		free(buf);
		return -errno;
	}
	for (;;) {
		ssize_t n;

		if (have == cap) {
			char *v = cap < NM_PROFILE_MAX ? realloc(buf, cap * 2) : NULL;

			if (!v) {
				err = cap < NM_PROFILE_MAX ? -ENOMEM : -EFBIG;
				break;
			}
			buf = v;
			cap *= 2;
		}
		n = read(fd, buf + have, cap - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? -errno : 0;
			break;
		}
		have += (size_t)n;
	}
	close(fd);
	if (err < 0) {
		free(buf);
		return err;
	}
	*text = buf;
	*len = have;
	return 0;
}

int env_nm_read_profile(struct event *ev, char *const *envp)
{
	const char *path = env_value(envp, "CONNECTION_FILENAME");
	struct keyfile kf = { 0 };
	struct keyfile_seen later = { 0 };
	unsigned bad_line;
	char why[256];
	bool from_env, *last = NULL;
	char *text = NULL;
	size_t len = 0;
	int r = 0;

	if (ev->action != EVENT_UP)
		return 0;
	/*
	 * NetworkManager 1.46+ hands the running profile's user data over: right for every
	 * settings plugin and in-memory profile, and after `nmcli device reapply`, where the
	 * file may differ. Older ones hand nothing: read the keyfile.
	 */
	r = env_nm_read_user_env(ev, envp, &from_env);
	if (r < 0 || from_env || is_empty(path))
		return r;
	r = read_profile(path, &text, &len);
	if (r == -ENOENT) {
		/* Deleted while the event waited in NetworkManager's queue. */
		log_info("%s: profile %s is gone: default settings", ev->ifname, path);
		return 0;
	}
	if (r == 0 && keyfile_parse(&kf, text, len, &bad_line, why, sizeof(why)) == -EINVAL)
		r = -EILSEQ;
	if (r == -EFBIG || r == -EILSEQ) {
		log_info("%s: profile %s is not a keyfile: default settings here; "
			 "`symroute sync` reads its user data through NetworkManager",
			 ev->ifname, path);
		r = 0;
		goto out;
	}
	if (r < 0) {
		log_error("CONNECTION_FILENAME='%s': %s", path, strerror(-r));
		r = -EIO;
		goto out;
	}
	/* A key given twice counts once, with its last value, as NetworkManager reads it. */
	last = calloc(kf.n_items + 1, sizeof(*last));
	if (!last) {
		r = -ENOMEM;
		goto out;
	}
	for (unsigned i = kf.n_items; i-- > 0;) {
		const struct keyfile_item *it = &kf.items[i];
		unsigned unused = 0;
		int seen;

		if (!it->key || strcmp(kf.groups[it->group], "user") != 0 ||
		    strncmp(it->key, ENV_NM_USER_PREFIX, strlen(ENV_NM_USER_PREFIX)) != 0)
			continue;
		seen = keyfile_seen(&later, 0, it->key, &unused);
		if (seen < 0) {
			r = seen;
			goto out;
		}
		last[i] = seen == 0;
	}
	for (unsigned i = 0; r == 0 && i < kf.n_items; i++) {
		const struct keyfile_item *it = &kf.items[i];
		const char *bad = NULL;
		char *value;

		if (!last[i] || keyfile_key_localized(it->key))
			continue;
		value = keyfile_value(it->raw, &bad);
		if (!value) {
			/* Refused as a bad value is: not UTF-8, or an escape GKeyFile refuses. */
			r = user_refused(ev, it->key, it->raw, bad);
			continue;
		}
		r = env_nm_user_set(ev, it->key, value);
		free(value);
	}
out:
	free(last);
	keyfile_seen_clear(&later);
	keyfile_clear(&kf);
	free(text);
	return r;
}
