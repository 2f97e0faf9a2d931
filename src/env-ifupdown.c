// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: the hook environment of ifupdown, ifupdown2 and ifupdown-ng (IFACE, MODE, PHASE, ADDRFAM, IF_*) as an event. */
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
 * if-down.d at PHASE=pre-down (ifupdown 0.8 sets PHASE; older ones only MODE); ifupdown2 and
 * ifupdown-ng name the phase after the directory: up and down.
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

/*
 * The families the call is about, as enum event_family bits; 0 for a call that is not about IP
 * (ADDRFAM=meta, ipx, can: not ours). Three dialects set ADDRFAM:
 *	ifupdown 0.8	exactly inet or inet6, one call per stanza: trusted (*exact set);
 *	ifupdown2	a comma list ("inet,inet6") when it merged an interface's inet and inet6
 *			stanzas into one call; Debian's 3.0.0 copies the hook environment before
 *			setting ADDRFAM, so it can be missing or another interface's;
 *	ifupdown-ng	never set: one call per interface for both families.
 * Anything but exactly one family means both: each family's outcome then rests on what the
 * kernel has (a family without a global address on the interface gets no rule, no error).
 */
static unsigned read_families(char *const *envp, bool *exact)
{
	const char *addrfam = env_value(envp, "ADDRFAM");
	const char *p;
	bool ip = false;

	*exact = false;
	if (is_empty(addrfam))
		return EVENT_V4 | EVENT_V6;
	if (strcmp(addrfam, "inet") == 0 || strcmp(addrfam, "inet6") == 0) {
		*exact = true;
		return addrfam[4] ? EVENT_V6 : EVENT_V4;
	}
	if (!strchr(addrfam, ','))
		return 0;	/* meta (the --all calls), ipx, can, ... */
	for (p = addrfam; *p; p += strcspn(p, ","), p += *p == ',') {
		size_t len = strcspn(p, ",");

		ip |= (len == 4 && strncmp(p, "inet", 4) == 0) ||
		      (len == 5 && strncmp(p, "inet6", 5) == 0);
	}
	return ip ? EVENT_V4 | EVENT_V6 : 0;
}

/* The family of a message: a call about both (ifupdown2's merged stanzas, ifupdown-ng) says so. */
static const char *family_name(const struct event *ev, int family)
{
	if (family == AF_UNSPEC)
		family = ev->families == EVENT_V6 ? AF_INET6 :
			 ev->families == EVENT_V4 ? AF_INET : AF_UNSPEC;
	return family == AF_INET6 ? "IPv6" : family == AF_INET ? "IPv4" : "IPv4 and IPv6";
}

/*
 * What follows a refused stanza: nothing is done for the family (AF_UNSPEC: the call's
 * families). On an up it is not managed; on a down (a bad symroute-table: which table to
 * empty is unknown) what symroute installed stays.
 */
static const char *refused_result(const struct event *ev, int family, char *buf, size_t size)
{
	if (ev->action == EVENT_DOWN)
		snprintf(buf, size, "symroute's %s rules and routes of %s stay",
			 family_name(ev, family), ev->ifname);
	else
		snprintf(buf, size, "%s %s %s not managed", ev->ifname, family_name(ev, family),
			 strchr(family_name(ev, family), ' ') ? "are" : "is");
	return buf;
}

/*
 * One line for a bad option or value of the stanza: the interface and the value's family
 * (with `ifup -a` the only clue which stanza it was), the option as written in the stanza,
 * why, and what follows for the whole call (every family it is about). Returns -EINVAL.
 */
static int stanza_refused(const struct event *ev, int family, const char *option,
			  const char *value, const char *why)
{
	char result[IFNAMSIZ + 64];

	log_error("%s %s: %s='%s': %s; %s", ev->ifname, family_name(ev, family), option,
		  value ? value : "", why, refused_result(ev, AF_UNSPEC, result, sizeof(result)));
	return -EINVAL;
}

/*
 * A gateway is a unicast address of the stanza's family (@family; AF_UNSPEC: either). @word is
 * one address of the option's value; a message names the word.
 */
static int parse_gateway(const struct event *ev, struct addr *gw, const char *option,
			 const char *word, int family)
{
	const char *why;

	if (addr_parse(gw, word, family, ADDR_PLEN_FORBIDDEN, &why) < 0)
		return stanza_refused(ev, family, option, word, why);
	if (addr_is_unspecified(gw) || addr_is_multicast(gw) || addr_is_loopback(gw) ||
	    addr_is_v4_broadcast(gw) || addr_is_v4_mapped(gw))
		return stanza_refused(ev, gw->family, option, word, "not a unicast gateway address");
	return 0;
}

/* A stanza's interface address: unicast, of the call's families. Logs and returns -EINVAL. */
static int check_address(struct event *ev, struct addr *a, const char *option, const char *value)
{
	int r;

	if (addr_is_unspecified(a) || addr_is_multicast(a) || addr_is_loopback(a) ||
	    addr_is_v4_mapped(a))
		return stanza_refused(ev, a->family, option, value, "not a unicast interface address");
	if (!(ev->families & event_family_bit(a->family)))
		return 0;	/* unreachable today: a one-family call parses with its family */
	r = event_add_addr(ev, a);
	if (r < 0 && r != -EEXIST)
		return r;
	return 0;
}

/*
 * `address` and `netmask`: ifupdown 0.8 splits "address 203.0.113.10/24" into
 * IF_ADDRESS=203.0.113.10 IF_NETMASK=255.255.255.0 (inet) or IF_NETMASK=64 (inet6); a
 * stanza may also still carry "ADDR/PLEN" whole (ifupdown2 always does, with the first
 * `address` of the merged stanzas only). ifupdown-ng puts every address of the interface,
 * both families, in IF_ADDRESSES ("ADDR/PLEN ADDR/PLEN ...") and the first in IF_ADDRESS.
 *
 * The addresses are checked and kept in ev->addrs, but addrs_given stays clear: the core
 * routes for the kernel's addresses of the family. A stanza's address is not the interface's
 * whole set: interfaces(5) configures several addresses of a family with several stanzas, and
 * ifup runs if-up.d once per stanza with that stanza's IF_ADDRESS only, so "exactly these"
 * would make each stanza's event drop the rule of the one before; `up ip addr add` lines add
 * more; ifupdown2 hands over the first address only. At up the kernel has them all. No
 * address (manual, auto, ...): nothing to check.
 */
static int read_address(struct event *ev, char *const *envp, int family)
{
	const char *address = env_value(envp, "IF_ADDRESS");
	const char *netmask = env_value(envp, "IF_NETMASK");
	const char *why;
	struct addr a;
	uint8_t plen;

	if (is_empty(address))
		return 0;
	if (addr_parse(&a, address, family, 0, &why) < 0)
		return stanza_refused(ev, family, "address", address, why);
	if (!is_empty(netmask)) {
		if (addr_parse_plen(&plen, netmask, a.family, &why) < 0)
			return stanza_refused(ev, a.family, "netmask", netmask, why);
		if (strchr(address, '/') && plen != a.plen)
			return stanza_refused(ev, a.family, "netmask", netmask,
					      "disagrees with the prefix length of address");
		a.plen = plen;
	}
	return check_address(ev, &a, "address", address);
}

/* The next white-space separated word of *@p into @buf; false at the end or if too long. */
static bool next_word(const char **p, char *buf, size_t size, bool *too_long)
{
	size_t len;

	*p += strspn(*p, " \t\n");
	len = strcspn(*p, " \t\n");
	*too_long = len >= size;
	if (len == 0 || *too_long)
		return false;
	memcpy(buf, *p, len);
	buf[len] = '\0';
	*p += len;
	return true;
}

/* ifupdown-ng's IF_ADDRESSES: every `address` of the interface, both families, in CIDR form. */
static int read_addresses(struct event *ev, const char *list)
{
	char word[ADDR_STRLEN + 8];
	const char *p = list, *why;
	bool too_long;
	struct addr a;
	int r;

	while (next_word(&p, word, sizeof(word), &too_long)) {
		if (addr_parse(&a, word, AF_UNSPEC, 0, &why) < 0)
			return stanza_refused(ev, AF_UNSPEC, "address", word, why);
		r = check_address(ev, &a, "address", word);
		if (r < 0)
			return r;
	}
	if (too_long)
		return stanza_refused(ev, AF_UNSPEC, "address", p, "not an IP address");
	return 0;
}

/*
 * A gateway option's value: white-space separated addresses, the family of each from its
 * text. Sets the families it gives in *@got (enum event_family) and the gateways in @gw[].
 * @one_per_family: more than one of a family is an error naming the interface (ours,
 * `symroute-gateway`); otherwise the first of each family is taken (ifupdown-ng's `gateway`
 * may be given once per family and more: IF_GATEWAYS holds them all). @family: a one-family
 * call (ifupdown 0.8) checks `gateway` against the stanza's family as before; AF_UNSPEC
 * takes either.
 */
static int parse_gateways(const struct event *ev, struct addr gw[2], unsigned *got,
			  const char *option, const char *value, int family, bool one_per_family)
{
	char word[ADDR_STRLEN + 8];
	const char *p = value;
	bool too_long;
	struct addr a;

	*got = 0;
	while (next_word(&p, word, sizeof(word), &too_long)) {
		unsigned bit;

		if (parse_gateway(ev, &a, option, word, family) < 0)
			return -EINVAL;
		bit = event_family_bit(a.family);
		if (*got & bit) {
			/*
			 * The same gateway again is no conflict: ifupdown-ng's ifquery lists the
			 * line of each stanza it merged (see ifupdown/symroute-ifupdown.in).
			 */
			if (!one_per_family || addr_same_ip(&a, &gw[event_family_index(a.family)]))
				continue;
			return stanza_refused(ev, a.family, option, value,
					      a.family == AF_INET ? "two IPv4 gateways; give at most one per family" :
					      "two IPv6 gateways; give at most one per family");
		}
		*got |= bit;
		gw[event_family_index(a.family)] = a;
	}
	if (too_long)
		return stanza_refused(ev, family, option, value, "not an IP address");
	return 0;
}

/*
 * `symroute-gateway` wins over `gateway`, family by family: it exists for the stanzas that
 * cannot have one, and, as a list with one gateway per family (`symroute-gateway 203.0.113.1
 * fe80::1`), for the dialects that hand a hook one value per option for the whole interface
 * (ifupdown2: the first stanza's; ifupdown-ng: the last line's). In a one-family call its
 * other family's gateway is checked and left to that family's own call.
 */
static int read_gateway(struct event *ev, char *const *envp, int family)
{
	const char *sym = env_value(envp, "IF_SYMROUTE_GATEWAY");
	const char *plain = env_value(envp, "IF_GATEWAYS");
	const char *plain_option = "gateway";
	struct addr gw[2];
	unsigned got_sym = 0, got_plain = 0;

	memset(gw, 0, sizeof(gw));
	if (!is_empty(sym) &&
	    parse_gateways(ev, gw, &got_sym, "symroute-gateway", sym, AF_UNSPEC, true) < 0)
		return -EINVAL;
	if (is_empty(plain))
		plain = env_value(envp, "IF_GATEWAY");
	if (!is_empty(plain)) {
		struct addr other[2];

		memset(other, 0, sizeof(other));
		/* ifupdown 0.8's one-family stanza: its `gateway` is of that family. */
		if (parse_gateways(ev, other, &got_plain, plain_option, plain, family, false) < 0)
			return -EINVAL;
		for (int i = 0; i < 2; i++)
			if ((got_plain & (1u << i)) && !(got_sym & (1u << i)))
				gw[i] = other[i];
	}
	for (int i = 0; i < 2; i++) {
		unsigned bit = 1u << i;

		if (((got_sym | got_plain) & bit) && (ev->families & bit)) {
			ev->gateway[i] = gw[i];
			ev->gateways_given |= bit;
		}
	}
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

/*
 * Every IF_SYMROUTE_* variable. Returns 1 when the stanza says `symroute off`, 0, or
 * -EINVAL after one logged line.
 */
/* What ifupdown's stanzas take besides the knobs, for "did you mean". */
static const char *const stanza_names[] = { "gateway", NULL };

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
			ev->off = off;
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
				  family_name(ev, family), (int)(eq - *e), *e,
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

/*
 * The call's `inet dhcp` (or ifupdown-ng's `use dhcp`): IPv4 belongs to the DHCP client's hook.
 * METHOD is the one setting of a call that ifupdown2 merged (its first stanza's); ifupdown-ng
 * always says METHOD=none and names its executors in IF_USE.
 */
static bool is_dhcp4(char *const *envp, unsigned families)
{
	const char *method = env_value(envp, "METHOD");
	const char *use = env_value(envp, "IF_USE");
	char word[16];
	const char *p = use;
	bool too_long;

	if (!(families & EVENT_V4))
		return false;
	if (method && strcmp(method, "dhcp") == 0)
		return true;
	while (p && next_word(&p, word, sizeof(word), &too_long))
		if (strcmp(word, "dhcp") == 0)
			return true;
	return false;
}

int env_ifupdown_read(struct event *ev, char *const *envp)
{
	const char *iface = env_value(envp, "IFACE");
	const char *method = env_value(envp, "METHOD");
	unsigned families;
	bool exact;
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
	families = read_families(envp, &exact);
	family = !exact ? AF_UNSPEC : families == EVENT_V4 ? AF_INET : AF_INET6;
	/*
	 * METHOD is trusted to say "not ours" only beside an ADDRFAM of one family (ifupdown
	 * 0.8, NetworkManager's shim): Debian's ifupdown2 3.0.0 may hand over another
	 * interface's, and a stale `loopback` must not skip an uplink; lo is known by its name.
	 */
	if (!exact)
		method = NULL;
	/*
	 * Nothing to do: the calls ifup -a / ifdown -a make before and after the interfaces
	 * (IFACE=--all, ADDRFAM=meta), loopback, families that are not IP, pre-up, and
	 * NetworkManager's 01-ifupdown shim, which runs if-up.d for its own connections
	 * (METHOD=NetworkManager): those are handled by our dispatcher script, with the
	 * profile's settings; acting here too would make two hooks fight over them.
	 */
	if (ev->action == EVENT_IGNORE || strcmp(iface, "--all") == 0 || families == 0 ||
	    (method && strcmp(method, "loopback") == 0) || strcmp(iface, "lo") == 0 ||
	    (method && strcmp(method, "NetworkManager") == 0)) {
		ev->action = EVENT_IGNORE;
		return 0;
	}

	alias = read_ifname(ev, iface);
	if (alias < 0)
		return alias;
	ev->families = families;
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

	if (is_dhcp4(envp, families)) {
		if (exact)
			return read_dhcp4(ev, envp);
		/*
		 * One call for both families (ifupdown2's merged stanzas, ifupdown-ng): IPv4
		 * is the DHCP client hook's as above, IPv6 and the options are read here.
		 */
		if (ev->action == EVENT_UP)
			ev->families &= ~(unsigned)EVENT_V4;
	}

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
	/*
	 * A down: all of ours for the families goes, found by the interface (its table, the
	 * rules that look it up), never by the addresses: ifupdown2 and ifupdown-ng run
	 * if-down.d after they deleted them.
	 */
	if (ev->action == EVENT_DOWN)
		return 0;

	r = is_empty(env_value(envp, "IF_ADDRESSES")) ? read_address(ev, envp, family) :
							  read_addresses(ev, env_value(envp, "IF_ADDRESSES"));
	if (r < 0)
		return r;
	return read_gateway(ev, envp, family);
}
