// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: ifupdown's hook environment (IFACE, MODE, PHASE, ADDRFAM, METHOD, IF_*) as an event. */
#include <errno.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "env.h"
#include "env-ifupdown.h"
#include "event.h"
#include "log.h"
#include "options.h"

/*
 * ifupdown exports every stanza option as IF_<NAME>: upper case, '-' turned into '_', other
 * non-alphanumerics dropped (interfaces(5), ENVIRONMENT VARIABLES). `symroute-table 5` is
 * IF_SYMROUTE_TABLE=5; `symroute off` is IF_SYMROUTE=off.
 */
#define IFUPDOWN_OPT_VAR "IF_SYMROUTE"
#define IFUPDOWN_OPT_PREFIX "symroute-"
/* "symroute-" plus the longest knob name we could know, with room to spare; longer is unknown. */
#define IFUPDOWN_OPT_NAME_MAX 48

/*
 * What the call means, before any option is read. ifupdown runs if-up.d at PHASE=post-up and
 * if-down.d at PHASE=pre-down (ifupdown 0.8 sets PHASE; older ones only MODE).
 */
static int read_action(struct event *ev, char *const *envp)
{
	const char *mode = env_value(envp, "MODE");
	const char *phase = env_value(envp, "PHASE");

	if (mode && strcmp(mode, "start") == 0) {
		/* pre-up: the addresses are not there yet; nothing to do for a hook there. */
		if (is_empty(phase) || strcmp(phase, "post-up") == 0 || strcmp(phase, "up") == 0)
			ev->action = EVENT_UP;
		return 0;
	}
	if (mode && strcmp(mode, "stop") == 0) {
		/*
		 * pre-down is our phase (if-down.d): the stanza's options are all there and the
		 * link still exists, so its automatic table (base + ifindex) can be found.
		 * post-down works too for those who link the hook there, with less certainty:
		 * a virtual link may be gone, and ifupdown 0.8 was seen running post-down
		 * hooks without METHOD or any IF_* variable (ifdown -a).
		 */
		ev->action = EVENT_DOWN;
		return 0;
	}
	log_bad_value("MODE", mode,
		      "not start or stop: symroute ifupdown-hook runs from ifupdown's hooks");
	return -EINVAL;
}

/* AF_INET or AF_INET6; AF_UNSPEC for meta (the --all calls), ipx, can, ...: not ours. */
static int read_family(char *const *envp)
{
	const char *addrfam = env_value(envp, "ADDRFAM");

	if (addrfam && strcmp(addrfam, "inet") == 0)
		return AF_INET;
	if (addrfam && strcmp(addrfam, "inet6") == 0)
		return AF_INET6;
	return AF_UNSPEC;
}

static const char *family_name(int family)
{
	return family == AF_INET6 ? "IPv6" : "IPv4";
}

/*
 * What follows a refused stanza: nothing is done for the family. On an up it is not
 * managed; on a down (a bad symroute-table: which table to empty is unknown) what symroute
 * installed stays.
 */
static const char *refused_result(const struct event *ev, int family, char *buf, size_t size)
{
	if (ev->action == EVENT_DOWN)
		snprintf(buf, size, "symroute's %s rules and routes of %s stay", family_name(family),
			 ev->ifname);
	else
		snprintf(buf, size, "%s %s is not managed", ev->ifname, family_name(family));
	return buf;
}

/*
 * One line for a bad option or value of the stanza: the interface and family (with `ifup
 * -a` the only clue which stanza it was), the option as written in the stanza, why, and
 * what follows. Returns -EINVAL.
 */
static int stanza_refused(const struct event *ev, int family, const char *option,
			  const char *value, const char *why)
{
	char result[IFNAMSIZ + 64];

	log_error("%s %s: %s='%s': %s; %s", ev->ifname, family_name(family), option,
		  value ? value : "", why, refused_result(ev, family, result, sizeof(result)));
	return -EINVAL;
}

/* A gateway is a unicast address of the stanza's family (read on an up only). */
static int parse_gateway(const struct event *ev, struct addr *gw, const char *option,
			 const char *value, int family)
{
	const char *why;

	if (addr_parse(gw, value, family, ADDR_PLEN_FORBIDDEN, &why) < 0)
		return stanza_refused(ev, family, option, value, why);
	if (addr_is_unspecified(gw) || addr_is_multicast(gw) || addr_is_loopback(gw) ||
	    addr_is_v4_broadcast(gw) || addr_is_v4_mapped(gw))
		return stanza_refused(ev, family, option, value, "not a unicast gateway address");
	return 0;
}

/*
 * `address` and `netmask`: ifupdown 0.8 splits "address 203.0.113.10/24" into
 * IF_ADDRESS=203.0.113.10 IF_NETMASK=255.255.255.0 (inet) or IF_NETMASK=64 (inet6); a
 * stanza may also still carry "ADDR/PLEN" whole.
 *
 * The address is checked and kept in ev->addrs, but addrs_given stays clear: the core routes
 * for the kernel's addresses of the family. A stanza's address is not the interface's whole
 * set: interfaces(5) configures several addresses of a family with several stanzas, and ifup
 * runs if-up.d once per stanza with that stanza's IF_ADDRESS only, so "exactly these" would
 * make each stanza's event drop the rule of the one before; `up ip addr add` lines add more.
 * At post-up the kernel has them all. No address (manual, auto, ...): nothing to check.
 */
static int read_address(struct event *ev, char *const *envp, int family)
{
	const char *address = env_value(envp, "IF_ADDRESS");
	const char *netmask = env_value(envp, "IF_NETMASK");
	const char *why;
	struct addr a;
	uint8_t plen;
	int r;

	if (is_empty(address))
		return 0;
	if (addr_parse(&a, address, family, 0, &why) < 0)
		return stanza_refused(ev, family, "address", address, why);
	if (!is_empty(netmask)) {
		if (addr_parse_plen(&plen, netmask, family, &why) < 0)
			return stanza_refused(ev, family, "netmask", netmask, why);
		if (strchr(address, '/') && plen != a.plen)
			return stanza_refused(ev, family, "netmask", netmask,
					      "disagrees with the prefix length of address");
		a.plen = plen;
	}
	if (addr_is_unspecified(&a) || addr_is_multicast(&a) || addr_is_loopback(&a) ||
	    addr_is_v4_mapped(&a))
		return stanza_refused(ev, family, "address", address,
				      "not a unicast interface address");
	r = event_add_addr(ev, &a);
	if (r < 0 && r != -EEXIST)
		return r;
	return 0;
}

/* `symroute-gateway` wins over `gateway`: it exists for the stanzas that cannot have one. */
static int read_gateway(struct event *ev, char *const *envp, int family)
{
	const char *option = "symroute-gateway";
	const char *value = env_value(envp, "IF_SYMROUTE_GATEWAY");
	int i = event_family_index(family);

	if (is_empty(value)) {
		option = "gateway";
		value = env_value(envp, "IF_GATEWAY");
	}
	if (is_empty(value))
		return 0;
	if (parse_gateway(ev, &ev->gateway[i], option, value, family) < 0)
		return -EINVAL;
	ev->gateways_given |= event_family_bit(family);
	return 0;
}

/* `symroute on|off`. Returns 1 for off, 0 for on (or absent), -EINVAL. */
static int read_switch(const struct event *ev, int family, const char *value)
{
	if (strcmp(value, "on") == 0)
		return 0;
	if (strcmp(value, "off") == 0)
		return 1;
	return stanza_refused(ev, family, "symroute", value, "not on or off");
}

/*
 * Turn the rest of an IF_SYMROUTE_* variable name (@suffix, up to '=') into the option the
 * user wrote: "TO_RULE" -> "symroute-to-rule". Returns -E2BIG past IFUPDOWN_OPT_NAME_MAX.
 */
static int option_name(char *buf, size_t size, const char *suffix, size_t len)
{
	size_t pre = strlen(IFUPDOWN_OPT_PREFIX);

	if (pre + len >= size)
		return -E2BIG;
	memcpy(buf, IFUPDOWN_OPT_PREFIX, pre);
	for (size_t i = 0; i < len; i++) {
		char c = suffix[i];

		buf[pre + i] = c == '_' ? '-' : (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	buf[pre + len] = '\0';
	return 0;
}

/* What ifupdown's stanzas take besides the knobs, for "did you mean". */
static const char *const stanza_names[] = { "gateway", NULL };

/*
 * Every IF_SYMROUTE_* variable. Returns 1 when the stanza says `symroute off`, 0, or
 * -EINVAL after one logged line.
 */
static int read_options(struct event *ev, char *const *envp, int family)
{
	size_t var_len = strlen(IFUPDOWN_OPT_VAR);
	bool off = false;

	for (char *const *e = envp; e && *e; e++) {
		char name[IFUPDOWN_OPT_NAME_MAX], unknown[IFUPDOWN_OPT_NAME_MAX + 64];
		const char *suffix, *eq, *value, *why, *near;
		int r;

		if (strncmp(*e, IFUPDOWN_OPT_VAR, var_len) != 0)
			continue;
		suffix = *e + var_len;
		if (suffix[0] == '=') {
			r = read_switch(ev, family, suffix + 1);
			if (r < 0)
				return r;
			off = r == 1;
			ev->has |= EVENT_HAS_OFF;	/* over symroute.conf's [interface NAME] */
			continue;
		}
		if (suffix[0] != '_')
			continue;	/* IF_SYMROUTEFOO: someone else's option */
		suffix++;
		eq = strchr(suffix, '=');
		if (!eq)
			continue;
		value = eq + 1;
		if (option_name(name, sizeof(name), suffix, (size_t)(eq - suffix)) < 0) {
			char result[IFNAMSIZ + 64];

			log_error("%s %s: %.*s: unknown option; %s", ev->ifname,
				  family_name(family), (int)(eq - *e), *e,
				  refused_result(ev, family, result, sizeof(result)));
			return -EINVAL;
		}
		if (strcmp(name, "symroute-gateway") == 0)
			continue;	/* needs the family: read_gateway() */
		if (strcmp(name, "symroute-off") == 0)
			return stanza_refused(ev, family, name, value,
					      "unknown option; write `symroute off`");
		why = NULL;
		r = options_set(ev, name + strlen(IFUPDOWN_OPT_PREFIX), value, &why);
		/* -ENOENT: an unknown name (a bad value, even a missing table name, is -EINVAL). */
		near = r == -ENOENT ? options_suggest(name + strlen(IFUPDOWN_OPT_PREFIX),
						      stanza_names) : NULL;
		if (near) {
			snprintf(unknown, sizeof(unknown), "%s (did you mean %s%s?)", why,
				 IFUPDOWN_OPT_PREFIX, near);
			why = unknown;
		}
		if (r < 0)
			return stanza_refused(ev, family, name, value, why);
	}
	return off ? 1 : 0;
}

/* The first IF_SYMROUTE or IF_SYMROUTE_* variable of @envp, as the option's name; NULL if none. */
static const char *first_option(char *const *envp, char *buf, size_t size)
{
	size_t var_len = strlen(IFUPDOWN_OPT_VAR);

	for (char *const *e = envp; e && *e; e++) {
		const char *suffix = *e + var_len;
		const char *eq;

		if (strncmp(*e, IFUPDOWN_OPT_VAR, var_len) != 0)
			continue;
		if (suffix[0] == '=')
			return "symroute";
		eq = strchr(suffix, '=');
		if (suffix[0] == '_' && eq &&
		    option_name(buf, size, suffix + 1, (size_t)(eq - suffix - 1)) == 0)
			return buf;
	}
	return NULL;
}

/*
 * `inet dhcp` stanzas belong to dhclient's exit hook. It applies the lease before if-up.d runs
 * (BOUND) and on every renewal, and it knows the router; this call knows neither. On a
 * multihomed host main's default is often another interface's, and dhclient-script's own
 * `ip route add default` then fails (EEXIST, silently): an up from here, with no gateway in
 * main to take, would remove the router BOUND installed. The stanza's symroute-* options do
 * not reach dhclient-script (ifupdown passes it IF_METRIC only), so they cannot be applied
 * here either without a renewal undoing them: say so once, at ifup.
 */
static int read_dhcp4(struct event *ev, char *const *envp)
{
	char buf[IFUPDOWN_OPT_NAME_MAX];
	const char *option = first_option(envp, buf, sizeof(buf));

	if (ev->action == EVENT_UP) {
		if (option)
			log_warn("%s: not applied to an `inet dhcp` stanza: dhclient's exit hook "
				 "applies the lease and its renewals, and cannot see the stanza's "
				 "options (host-wide defaults are in symroute.conf)", option);
		ev->action = EVENT_IGNORE;
		ev->families = 0;
	}
	return 0;	/* a down: all of ours for IPv4 goes, as dhclient's RELEASE does next */
}

/*
 * IFACE is the interface, or an alias stanza's "NAME:LABEL" (`iface eth1:1 inet static`,
 * the old ifconfig way, still common): ifupdown 0.8 sets IFACE=LOGICAL=eth1:1 and adds the
 * stanza's address to eth1 with that label (tests/fixtures/ifupdown/alias-*.env). Such an
 * address is eth1's like any other: the event is eth1's. Returns 1 for an alias, 0, or
 * -EINVAL after one logged line.
 */
static int read_ifname(struct event *ev, const char *iface)
{
	const char *colon = strchr(iface, ':');
	char name[IFNAMSIZ];
	const char *why;
	size_t len;

	if (!colon) {
		if (event_set_ifname(ev, iface, &why) < 0) {
			log_bad_value("IFACE", iface, why);
			return -EINVAL;
		}
		return 0;
	}
	/* The kernel's limit on a label is an interface name's: 15 bytes, the alias's too. */
	len = (size_t)(colon - iface);
	if (strlen(iface) >= IFNAMSIZ) {
		log_bad_value("IFACE", iface, "alias longer than 15 characters");
		return -EINVAL;
	}
	if (len == 0 || colon[1] == '\0') {
		log_bad_value("IFACE", iface, "not an interface or an alias (NAME:LABEL)");
		return -EINVAL;
	}
	memcpy(name, iface, len);
	name[len] = '\0';
	if (event_set_ifname(ev, name, &why) < 0) {
		log_bad_value("IFACE", iface, why);
		return -EINVAL;
	}
	return 1;
}

int env_ifupdown_read(struct event *ev, char *const *envp)
{
	const char *iface = env_value(envp, "IFACE");
	const char *method = env_value(envp, "METHOD");
	int family, alias, off, r;

	event_init(ev, "ifupdown");
	ev->strict_addrs = false;

	if (is_empty(iface)) {
		log_bad_value("IFACE", iface,
			      "no interface: symroute ifupdown-hook runs from ifupdown's hooks");
		return -EINVAL;
	}
	r = read_action(ev, envp);
	if (r < 0)
		return r;
	family = read_family(envp);
	/*
	 * Nothing to do: the calls ifup -a / ifdown -a make before and after the interfaces
	 * (IFACE=--all, ADDRFAM=meta), loopback, families that are not IP, pre-up, and
	 * NetworkManager's 01-ifupdown shim, which runs if-up.d for its own connections
	 * (METHOD=NetworkManager): those are handled by our dispatcher script, with the
	 * profile's settings; acting here too would make two hooks fight over them.
	 */
	if (ev->action == EVENT_IGNORE || strcmp(iface, "--all") == 0 || family == AF_UNSPEC ||
	    (method && strcmp(method, "loopback") == 0) || strcmp(iface, "lo") == 0 ||
	    (method && strcmp(method, "NetworkManager") == 0)) {
		ev->action = EVENT_IGNORE;
		return 0;
	}

	alias = read_ifname(ev, iface);
	if (alias < 0)
		return alias;
	ev->families = event_family_bit(family);
	if (alias && ev->action == EVENT_DOWN) {
		/*
		 * ifdown of an alias takes its address away, not the interface: a down would
		 * remove the interface's table and every rule. Its address's rule is left to
		 * the interface's next event (at pre-down the address is still there anyway).
		 */
		log_info("%s: alias %s going down: %s's table and rules stay", iface, iface,
			 ev->ifname);
		ev->action = EVENT_IGNORE;
		return 0;
	}

	if (family == AF_INET && method && strcmp(method, "dhcp") == 0)
		return read_dhcp4(ev, envp);

	off = read_options(ev, envp, family);
	if (off < 0)
		return off;
	if (off && alias) {
		/* An alias stanza cannot take its interface's routing away: nothing to do. */
		ev->action = EVENT_IGNORE;
		return 0;
	}
	if (off) {
		/* `symroute off`: what we installed before (the option came later) goes. */
		ev->action = EVENT_DOWN;
		return 0;
	}
	if (ev->action == EVENT_DOWN)
		return 0;	/* all of ours for the family goes: addresses do not matter */

	r = read_address(ev, envp, family);
	if (r < 0)
		return r;
	return read_gateway(ev, envp, family);
}
