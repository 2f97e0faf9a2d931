// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: symroute-nm, the libnm helper behind `symroute sync`: NM's devices in line. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <NetworkManager.h>

#include "config.h"
#include "env-nm.h"
#include "event.h"
#include "exitcode.h"
#include "log.h"
#include "run.h"

/*
 * Kept out of the symroute binary on purpose: linking libnm costs every exec ~2.5 ms and
 * ~6 MiB before main() (measured: see the README of the NetworkManager front end), and the
 * hooks (ifupdown, dhclient, nm-dispatcher) run once per event. Only `symroute sync` execs us.
 *
 * Each device's IP configuration is turned into the environment nm-dispatcher would give a
 * script for an `up`, and read by env_nm_read(): one set of rules for both paths (gateway
 * 0.0.0.0, DHCP4_ROUTERS, link-local addresses, families).
 */

/* How long NetworkManager may take to answer before sync gives up (it never blocks events). */
#define NM_SYNC_TIMEOUT_S 10
/* Variables of one synthetic dispatcher environment: a few per address, both families. */
#define NM_SYNC_ENV_MAX (8 + 2 * (EVENT_MAX_ADDRS + 2) + 4)

struct sync_env {
	char *vars[NM_SYNC_ENV_MAX + 1];
	unsigned n;
};

static int env_add(struct sync_env *e, char *var)
{
	if (!var)
		return -ENOMEM;
	if (e->n >= NM_SYNC_ENV_MAX) {
		g_free(var);
		return -E2BIG;
	}
	e->vars[e->n++] = var;
	e->vars[e->n] = NULL;
	return 0;
}

static void env_clear(struct sync_env *e)
{
	for (unsigned i = 0; i < e->n; i++)
		g_free(e->vars[i]);
	e->n = 0;
	e->vars[0] = NULL;
}

/* IPn_NUM_ADDRESSES, IPn_ADDRESS_<N>, IPn_GATEWAY from the device's NMIPConfig. */
static int env_add_ip(struct sync_env *e, NMIPConfig *cfg, char v)
{
	const char *gw = cfg ? nm_ip_config_get_gateway(cfg) : NULL;
	GPtrArray *addrs = cfg ? nm_ip_config_get_addresses(cfg) : NULL;
	unsigned n = addrs ? MIN(addrs->len, EVENT_MAX_ADDRS + 2) : 0;
	int r = 0;

	if (!cfg)
		return 0;
	for (unsigned i = 0; r == 0 && i < n; i++) {
		NMIPAddress *a = g_ptr_array_index(addrs, i);

		r = env_add(e, g_strdup_printf("IP%c_ADDRESS_%u=%s/%u %s", v, i,
					       nm_ip_address_get_address(a),
					       nm_ip_address_get_prefix(a),
					       gw ? gw : v == '4' ? "0.0.0.0" : "::"));
	}
	if (r == 0)
		r = env_add(e, g_strdup_printf("IP%c_NUM_ADDRESSES=%u", v, n));
	if (r == 0 && gw)
		r = env_add(e, g_strdup_printf("IP%c_GATEWAY=%s", v, gw));
	return r;
}

/* The `up` environment nm-dispatcher would build for an activated @dev. */
static int env_for_device(struct sync_env *e, NMDevice *dev, const char *iface)
{
	NMDhcpConfig *dhcp4 = nm_device_get_dhcp4_config(dev);
	const char *routers = dhcp4 ? nm_dhcp_config_get_one_option(dhcp4, "routers") : NULL;
	int r;

	r = env_add(e, g_strdup("NM_DISPATCHER_ACTION=up"));
	if (r == 0)
		r = env_add(e, g_strdup_printf("DEVICE_IP_IFACE=%s", iface));
	if (r == 0)
		r = env_add_ip(e, nm_device_get_ip4_config(dev), '4');
	if (r == 0)
		r = env_add_ip(e, nm_device_get_ip6_config(dev), '6');
	if (r == 0 && routers)
		r = env_add(e, g_strdup_printf("DHCP4_ROUTERS=%s", routers));
	return r;
}

/* The profile's symroute.* user data, through NetworkManager (any storage, not only keyfiles). */
static int read_user_data(struct event *ev, NMDevice *dev)
{
	NMActiveConnection *ac = nm_device_get_active_connection(dev);
	NMRemoteConnection *rc = ac ? nm_active_connection_get_connection(ac) : NULL;
	NMSetting *s = rc ? nm_connection_get_setting(NM_CONNECTION(rc), NM_TYPE_SETTING_USER)
			  : NULL;
	const char *const *keys;
	guint n = 0;
	int r = 0;

	if (!s)
		return 0;
	keys = nm_setting_user_get_keys(NM_SETTING_USER(s), &n);
	for (guint i = 0; r == 0 && i < n; i++)
		r = env_nm_user_set(ev, keys[i], nm_setting_user_get_data(NM_SETTING_USER(s), keys[i]));
	return r;
}

static bool is_down_state(NMDeviceState st)
{
	return st == NM_DEVICE_STATE_UNAVAILABLE || st == NM_DEVICE_STATE_DISCONNECTED ||
	       st == NM_DEVICE_STATE_DEACTIVATING || st == NM_DEVICE_STATE_FAILED;
}

/* The first failure is the exit code; the other devices are still synced. */
static void merge_code(int *code, int c)
{
	if (*code == EXIT_OK)
		*code = c;
}

/*
 * One device: activated -> up with its IP configuration and profile settings; managed but
 * disconnected, unavailable or failed -> down (a missed `down` event). Activating devices are
 * left to the event NetworkManager is about to send; unmanaged ones are not NetworkManager's
 * (ifupdown's hook may own them).
 */
static int sync_device(NMDevice *dev, const struct config *cfg, const struct run_opts *opts)
{
	const char *iface = nm_device_get_ip_iface(dev);
	NMDeviceState st = nm_device_get_state(dev);
	struct sync_env env = { .n = 0 };
	char *argv[] = { "sync", NULL };
	struct event ev;
	int code;

	if (!iface || !*iface)
		iface = nm_device_get_iface(dev);
	if (!iface || !*iface || strcmp(iface, "lo") == 0 || !nm_device_get_managed(dev))
		return EXIT_OK;
	if (st == NM_DEVICE_STATE_ACTIVATED) {
		if (env_for_device(&env, dev, iface) < 0) {
			log_error("%s: too many addresses to read", iface);
			env_clear(&env);
			return EXIT_USAGE;
		}
		if (env_nm_read(&ev, 1, argv, env.vars) < 0 || read_user_data(&ev, dev) < 0) {
			env_clear(&env);
			return EXIT_USAGE;
		}
		env_clear(&env);
	} else if (is_down_state(st)) {
		const char *why = NULL;

		event_init(&ev, "nm");
		if (event_set_ifname(&ev, iface, &why) < 0) {
			log_bad_value("interface", iface, why);
			return EXIT_USAGE;
		}
		ev.action = EVENT_DOWN;
		ev.families = EVENT_V4 | EVENT_V6;
	} else {
		log_debug("%s: activating (state %d): its dispatcher event will follow", iface, st);
		return EXIT_OK;
	}
	if (ev.action == EVENT_IGNORE)
		return EXIT_OK;
	log_debug("%s: %s", iface, ev.action == EVENT_UP ? "up" : "down");
	code = run_event(&ev, cfg, opts);
	if (code != EXIT_OK)
		log_error("%s: sync failed (exit code %d); going on with the other devices", iface,
			  code);
	return code;
}

/* NMClient with a deadline: a hung NetworkManager gives an error, not a hang. */
struct client_wait {
	GMainLoop *loop;
	NMClient *client;
	GError *error;
};

static void client_ready(GObject *source, GAsyncResult *res, gpointer data)
{
	struct client_wait *w = data;

	(void)source;
	w->client = nm_client_new_finish(res, &w->error);
	g_main_loop_quit(w->loop);
}

static gboolean client_timeout(gpointer data)
{
	g_cancellable_cancel(data);
	return G_SOURCE_REMOVE;
}

static int client_open(NMClient **out)
{
	GCancellable *cancel = g_cancellable_new();
	struct client_wait w = { g_main_loop_new(NULL, FALSE), NULL, NULL };
	guint timer = g_timeout_add_seconds(NM_SYNC_TIMEOUT_S, client_timeout, cancel);
	int code = EXIT_OK;

	nm_client_new_async(cancel, client_ready, &w);
	g_main_loop_run(w.loop);
	if (!g_cancellable_is_cancelled(cancel))
		g_source_remove(timer);
	if (!w.client) {
		log_error("NetworkManager cannot be reached over D-Bus: %s",
			  w.error ? w.error->message : "unknown error");
		code = EXIT_UNAVAILABLE;
	} else if (!nm_client_get_nm_running(w.client)) {
		log_error("NetworkManager is not running: nothing to sync (events still work: "
			  "the dispatcher hook does not need it)");
		code = EXIT_UNAVAILABLE;
	}
	if (code != EXIT_OK && w.client)
		g_object_unref(w.client);
	else
		*out = w.client;
	g_clear_error(&w.error);
	g_main_loop_unref(w.loop);
	g_object_unref(cancel);
	return code;
}

/* Every device, or the one whose interface is @only. */
static int cmd_sync(const struct config *cfg, const struct run_opts *opts, const char *only)
{
	NMClient *client = NULL;
	const GPtrArray *devs;
	bool found = false;
	int code = client_open(&client);

	if (code != EXIT_OK)
		return code;
	devs = nm_client_get_devices(client);
	for (guint i = 0; devs && i < devs->len; i++) {
		NMDevice *dev = g_ptr_array_index(devs, i);
		const char *ip = nm_device_get_ip_iface(dev), *name = nm_device_get_iface(dev);

		if (only && g_strcmp0(only, ip) != 0 && g_strcmp0(only, name) != 0)
			continue;
		found = true;
		merge_code(&code, sync_device(dev, cfg, opts));
	}
	g_object_unref(client);
	if (only && !found) {
		log_error("%s: NetworkManager has no such device: nothing to sync", only);
		merge_code(&code, EXIT_UNAVAILABLE);
	}
	return code;
}

static void usage(FILE *out)
{
	fprintf(out, "Usage: symroute-nm sync [IFACE] [-n|--dry-run] [-c|--config FILE] "
		     "[-v|--verbose]\n"
		     "Brings every NetworkManager device's table and rules, or IFACE's, in line (run "
		     "by `symroute sync`).\n");
}

int main(int argc, char **argv)
{
	static const struct option long_options[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "config", required_argument, NULL, 'c' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	/* The repair: nothing taken on a witness's word (run.c, main_by_witness()). */
	struct run_opts opts = { .dry_run = false, .lock_path = NULL, .thorough = true };
	const char *config_path = NULL;
	struct config cfg;
	bool verbose = false;
	int c;

	while ((c = getopt_long(argc, argv, "nc:vhV", long_options, NULL)) != -1) {
		switch (c) {
		case 'n':
			opts.dry_run = true;
			break;
		case 'c':
			config_path = optarg;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case 'V':
			printf("symroute-nm %s\n", PACKAGE_VERSION);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	log_open(verbose || isatty(STDERR_FILENO), verbose);
	if (optind >= argc || argc - optind > 2 || strcmp(argv[optind], "sync") != 0) {
		usage(stderr);
		return EXIT_USAGE;
	}
	config_defaults(&cfg);
	if (config_load(&cfg, config_path ? config_path : CONFIG_DEFAULT_PATH,
			config_path != NULL) < 0)
		return EXIT_CONFIG;
	return cmd_sync(&cfg, &opts, optind + 1 < argc ? argv[optind + 1] : NULL);
}
