/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Purpose: NetworkManager dispatcher calls (argv, IP4_*, IP6_*, DHCP4_*, VPN_*) as an event. */
#ifndef SYMROUTE_ENV_NM_H
#define SYMROUTE_ENV_NM_H

#include <stdbool.h>
#include <stddef.h>

struct event;

/* Per-profile settings live in the profile's user data under keys starting with this. */
#define ENV_NM_USER_PREFIX "symroute."

/*
 * Read one NetworkManager-dispatcher(8) call into @ev. Pure: @argv and @envp only.
 * @argv[0] is the subcommand, @argv[1] the interface and @argv[2] the action, as
 * nm-dispatcher passes them to a script (NM_DISPATCHER_ACTION stands in for a missing action).
 *
 * Returns 0 with ev->action set:
 *   EVENT_UP	up, reapply (the families with an IP configuration), dhcp4-change (IPv4),
 *		dhcp6-change (IPv6), vpn-up (on VPN_IP_IFACE, from VPN_IP4_* / VPN_IP6_*);
 *   EVENT_DOWN	down, pre-down, vpn-down, vpn-pre-down: both families;
 *   EVENT_IGNORE	pre-up, vpn-pre-up, hostname, connectivity-change, anything unknown, and a
 *		VPN without an interface of its own.
 * ev->strict_addrs is false: a queued event may be obsolete, the core keeps to the kernel.
 * An up has main-default off (EVENT_HAS_MAIN_DEFAULT): NetworkManager owns main's defaults.
 * A gateway of 0.0.0.0 or :: (or IPv4's absence) is no gateway; for IPv4 the first valid
 * DHCP4_ROUTERS entry then stands in.
 * Returns -EINVAL after logging one line naming the variable (log_bad_value()).
 */
int env_nm_read(struct event *ev, int argc, char *const *argv, char *const *envp);

/*
 * Apply one user-data entry of the profile: symroute.off (yes: an EVENT_UP becomes EVENT_DOWN
 * of both families, nothing of ours stays; any other action is left as it is),
 * symroute.gateway4 / symroute.gateway6 (the table's default route; wins over the event's, and
 * gives one to a never-default profile, for which NetworkManager reports none), and the knobs
 * of options_set(): symroute.table, .priority, .to-rule, .main-default, .onlink. Keys outside
 * ENV_NM_USER_PREFIX are someone else's and ignored; an unknown symroute.* key is refused
 * (a typo must not pass).
 * Returns 0, or -EINVAL after one logged line naming the key. Pure.
 */
int env_nm_user_set(struct event *ev, const char *key, const char *value);

/*
 * Decode one user-data key as NetworkManager 1.46+ writes it after CONNECTION_USER_ in a
 * dispatcher script's environment: letters upper-cased, an upper-case letter as '_' + the
 * letter, digits kept, '.' as "__", any other byte as '_' + three octal digits
 * ("SYMROUTE__TO_055RULE" is "symroute.to-rule"). Writes the key to @out (@size bytes with its
 * NUL). Returns 0, -EINVAL for text that is not such an encoding (or a NUL byte), or
 * -ENAMETOOLONG. Pure.
 */
int env_nm_user_key_decode(const char *enc, char *out, size_t size);

/*
 * Apply the profile's symroute.* user data from CONNECTION_USER_* variables of @envp
 * (NetworkManager 1.46+) with env_nm_user_set(). *@found: any CONNECTION_USER_ variable was
 * there, so the environment speaks for the profile (a profile without user data gets none).
 * A name that is not NetworkManager's encoding is ignored with a debug line. Returns 0 or
 * env_nm_user_set()'s -EINVAL. Pure.
 */
int env_nm_read_user_env(struct event *ev, char *const *envp, bool *found);

/*
 * The profile's settings for an EVENT_UP @ev: from CONNECTION_USER_* in @envp where
 * NetworkManager (1.46+) handed any (env_nm_read_user_env()); otherwise
 * from the keyfile named by CONNECTION_FILENAME in @envp (its
 * [user] group: NetworkManager keeps every profile in a keyfile on Debian), into an EVENT_UP
 * @ev. No CONNECTION_FILENAME, a file that is gone (the profile was deleted while the event
 * waited in NetworkManager's queue) or a file that is not a keyfile (the ifupdown plugin's
 * /etc/network/interfaces): defaults, with a note in the log. Returns 0, -EINVAL for a bad
 * setting, -EIO for a file that exists but cannot be read. Reads the file; no libnm, no D-Bus.
 */
int env_nm_read_profile(struct event *ev, char *const *envp);

#endif
