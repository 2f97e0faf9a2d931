// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: the subcommand table; turns argv/envp into an event, runs it, maps errors to exit codes. */
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "addr.h"
#include "check.h"
#include "config.h"
#include "env-dhclient.h"
#include "env-dhcpcd.h"
#include "env-ifupdown.h"
#include "env-nm.h"
#include "event.h"
#include "exitcode.h"
#include "hostconf.h"
#include "log.h"
#include "options.h"
#include "inventory.h"
#include "rtnl.h"
#include "run.h"
#include "watch.h"
#include "status.h"

/* What one invocation carries from the command line to the pipeline. */
struct tool {
	struct config cfg;
	struct run_opts opts;
	const char *config_path;	/* NULL: the default, which may be absent */
	bool json;			/* status --json */
	bool has_dest;			/* check --dest */
	struct addr dest;
	bool verbose;			/* -v anywhere on the command line */
	bool once;			/* watch --once */
	bool exit_zero;			/* a hook's --exit-zero */
};

/*
 * What a run installs follows the file, so `up` (and a hook's up) refuses a bad one. The
 * readers and the removers go on with the built-in value of whatever is bad, saying so: a
 * typo must not keep the admin from seeing or removing what is there (nor block the
 * package's removal, which runs `flush`).
 */
enum config_use { CONFIG_TO_INSTALL, CONFIG_TO_READ_OR_REMOVE };

static int tool_load_config(struct tool *tool, enum config_use use)
{
	const char *path = tool->config_path ? tool->config_path : CONFIG_DEFAULT_PATH;
	bool must_exist = tool->config_path != NULL;

	config_defaults(&tool->cfg);
	if (use == CONFIG_TO_READ_OR_REMOVE) {
		config_load_lenient(&tool->cfg, path, must_exist);
		return EXIT_OK;
	}
	if (config_load(&tool->cfg, path, must_exist) < 0)
		return EXIT_CONFIG;
	return EXIT_OK;
}

static enum config_use config_use_of(const struct event *ev)
{
	return ev->action == EVENT_UP ? CONFIG_TO_INSTALL : CONFIG_TO_READ_OR_REMOVE;
}

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: symroute COMMAND [ARGS]\n"
		"Per-interface policy routing for multihomed hosts: replies leave by the interface\n"
		"the request came in on.\n\n"
		"Commands:\n"
		"  up IFACE [OPTIONS]    install or update IFACE's table and rules\n"
		"  down IFACE [-4|-6]    remove everything of symroute's for IFACE\n"
		"  show [IFACE]          list symroute's rules and routes from the kernel\n"
		"  status [IFACE] [--json]  what is managed, as the kernel holds it, and any drift\n"
		"  check [IFACE] [--dest ADDR]  prove the routing symmetric through the kernel's lookups\n"
		"  flush [-4|-6]         remove every rule and route of symroute's (all interfaces)\n"
		"  ifupdown-hook         run as an ifupdown hook (reads IFACE, IF_*, ...)\n"
		"  dhclient-hook         run from dhclient's exit hook (reads reason, new_*, ...)\n"
		"  dhcpcd-hook           run from dhcpcd-run-hooks (reads reason, new_*, nd*_*, ...)\n"
		"  nm-dispatcher IFACE ACTION  run from NetworkManager's dispatcher (reads IP4_*, ...)\n"
		"  sync [IFACE] [-n] [-v]  bring every interface ifupdown or NetworkManager has up\n"
		"                        (or IFACE alone) in line with what its manager says\n"
		"  watch [--once] [-n] [-v]  follow the kernel: reconcile every uplink when it changes\n"
		"                        (--once: every uplink now, then exit)\n\n"
		"Options of up:\n"
		"  -a, --address ADDR[/PLEN]  an address of IFACE to route for (repeatable;\n"
		"                             default: IFACE's global addresses)\n"
		"  -g, --gateway GW           the default gateway (one per family;\n"
		"                             default: main's default route via IFACE)\n"
		"  -t, --table ID|NAME        the table (default: %u + ifindex)\n"
		"  -p, --priority N           priority of the rules (default %u)\n"
		"      --to-rule              also add 'to ADDR lookup TABLE' rules\n"
		"      --no-main-default      never add a fallback default route to main\n"
		"      --onlink               the gateway is on the link even outside the prefix\n"
		"      --metric N             metric of IFACE's default route in main\n"
		"      --weight W             weight of IFACE's next hop (main-mode multipath)\n"
		"      --prefer PREFIX[,...]  destinations that always leave by IFACE\n"
		"Options of up and down (sysctls of IFACE, restored on down if still ours):\n"
		"      --rp-filter loose|keep loose reverse-path filtering (rp_filter=2)\n"
		"      --arp-ignore, --arp-announce, --arp-filter\n"
		"                             arp_ignore=1, arp_announce=2, arp_filter=1\n"
		"Options of the hooks:\n"
		"      --exit-zero            report a failure but exit 0 (the ifupdown hook)\n"
		"Common options:\n"
		"  -4, -6                     only IPv4 or only IPv6\n"
		"  -n, --dry-run              print the equivalent ip commands, change nothing\n"
		"  -c, --config FILE          configuration file (default %s)\n"
		"  -v, --verbose              say more, on stderr too\n"
		"  -h, --help, -V, --version\n",
		CONFIG_DEFAULT_TABLE_BASE, CONFIG_DEFAULT_PRIORITY, CONFIG_DEFAULT_PATH);
}

enum long_only {
	OPT_TO_RULE = 256,
	OPT_NO_MAIN_DEFAULT,
	OPT_ONLINK,
	OPT_JSON,
	OPT_DEST,
	OPT_METRIC,
	OPT_WEIGHT,
	OPT_PREFER,
	OPT_RP_FILTER,
	OPT_ARP_IGNORE,
	OPT_ARP_ANNOUNCE,
	OPT_ARP_FILTER,
	OPT_ONCE,
	OPT_EXIT_ZERO,
};

static const struct option long_options[] = {
	{ "address", required_argument, NULL, 'a' },
	{ "gateway", required_argument, NULL, 'g' },
	{ "table", required_argument, NULL, 't' },
	{ "priority", required_argument, NULL, 'p' },
	{ "to-rule", no_argument, NULL, OPT_TO_RULE },
	{ "no-main-default", no_argument, NULL, OPT_NO_MAIN_DEFAULT },
	{ "onlink", no_argument, NULL, OPT_ONLINK },
	{ "metric", required_argument, NULL, OPT_METRIC },
	{ "weight", required_argument, NULL, OPT_WEIGHT },
	{ "prefer", required_argument, NULL, OPT_PREFER },
	{ "rp-filter", required_argument, NULL, OPT_RP_FILTER },
	{ "arp-ignore", no_argument, NULL, OPT_ARP_IGNORE },
	{ "arp-announce", no_argument, NULL, OPT_ARP_ANNOUNCE },
	{ "arp-filter", no_argument, NULL, OPT_ARP_FILTER },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "dest", required_argument, NULL, OPT_DEST },
	{ "once", no_argument, NULL, OPT_ONCE },
	{ "exit-zero", no_argument, NULL, OPT_EXIT_ZERO },
	{ "dry-run", no_argument, NULL, 'n' },
	{ "config", required_argument, NULL, 'c' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static int set_gateway(struct event *ev, const char *value)
{
	const char *why = NULL;
	struct addr gw;
	int fi;

	if (addr_parse(&gw, value, AF_UNSPEC, ADDR_PLEN_FORBIDDEN, &why) < 0) {
		log_bad_value("--gateway", value, why);
		return -EINVAL;
	}
	fi = event_family_index(gw.family);
	if (ev->gateways_given & event_family_bit(gw.family)) {
		log_bad_value("--gateway", value, "a second gateway for the same family");
		return -EINVAL;
	}
	ev->gateway[fi] = gw;
	ev->gateways_given |= event_family_bit(gw.family);
	return 0;
}

static int add_address(struct event *ev, const char *value)
{
	const char *why = NULL;
	struct addr a;
	int r;

	if (addr_parse(&a, value, AF_UNSPEC, 0, &why) < 0) {
		log_bad_value("--address", value, why);
		return -EINVAL;
	}
	if (addr_is_unspecified(&a) || addr_is_multicast(&a) || addr_is_loopback(&a) ||
	    addr_is_v4_mapped(&a)) {
		log_bad_value("--address", value, "not a unicast interface address");
		return -EINVAL;
	}
	r = event_add_addr(ev, &a);
	if (r == -E2BIG) {
		log_bad_value("--address", value,
			      "too many addresses (at most " EVENT_MAX_ADDRS_TEXT " per interface and family)");
		return r;
	}
	if (r == -EEXIST) {
		log_bad_value("--address", value, "given twice");
		return -EINVAL;
	}
	ev->addrs_given |= event_family_bit(a.family);
	return 0;
}

static int set_knob(struct event *ev, const char *option, const char *name, const char *value)
{
	const char *why = NULL;

	if (options_set(ev, name, value, &why) < 0) {
		log_bad_value(option, value, why);
		return -EINVAL;
	}
	return 0;
}

enum iface_arg { IFACE_NONE, IFACE_OPTIONAL, IFACE_REQUIRED };

/*
 * Which options a command takes, beyond -c, -v, -h and -V: any other is refused (exit 2)
 * rather than ignored (`show --metric 5` would otherwise look like it did something).
 */
enum takes {
	TAKES_UP = 1 << 0,	/* -a -g -t -p --to-rule --no-main-default --onlink --metric ... */
	TAKES_SYSCTLS = 1 << 1,	/* --rp-filter --arp-ignore --arp-announce --arp-filter */
	TAKES_FAMILY = 1 << 2,	/* -4 -6 */
	TAKES_DRY_RUN = 1 << 3,	/* -n */
	TAKES_JSON = 1 << 4,	/* --json */
	TAKES_DEST = 1 << 5,	/* --dest */
	TAKES_ONCE = 1 << 6,	/* --once */
	TAKES_EXIT_ZERO = 1 << 7,	/* --exit-zero */
};

static unsigned option_class(int c)
{
	switch (c) {
	case 'a': case 'g': case 't': case 'p': case OPT_TO_RULE: case OPT_NO_MAIN_DEFAULT:
	case OPT_ONLINK: case OPT_METRIC: case OPT_WEIGHT: case OPT_PREFER:
		return TAKES_UP;
	case OPT_RP_FILTER: case OPT_ARP_IGNORE: case OPT_ARP_ANNOUNCE: case OPT_ARP_FILTER:
		return TAKES_SYSCTLS;
	case '4': case '6':
		return TAKES_FAMILY;
	case 'n':
		return TAKES_DRY_RUN;
	case OPT_JSON:
		return TAKES_JSON;
	case OPT_DEST:
		return TAKES_DEST;
	case OPT_ONCE:
		return TAKES_ONCE;
	case OPT_EXIT_ZERO:
		return TAKES_EXIT_ZERO;
	default:
		return 0;	/* -c, -v, -h, -V: every command's */
	}
}

/*
 * Parse "COMMAND [IFACE] [options]" into @ev. Returns an exit code, or -1
 * when --help or --version answered already.
 */
static int parse_cli(int argc, char **argv, struct event *ev, struct tool *tool,
		     enum iface_arg iface, unsigned takes)
{
	unsigned only = 0;
	const char *why = NULL;
	int c, at = -1;

	event_init(ev, "cli");
	ev->strict_addrs = true;
	ev->keep_table_gateway = true;
	optind = 1;
	while ((c = getopt_long(argc, argv, "a:g:t:p:46nc:vhV", long_options, &at)) != -1) {
		unsigned class = option_class(c);
		int r = 0;

		if (class && !(takes & class)) {
			if (at >= 0)
				log_error("%s: option --%s is not one of %s's (see symroute --help)",
					  argv[0], long_options[at].name, argv[0]);
			else
				log_error("%s: option -%c is not one of %s's (see symroute --help)",
					  argv[0], c, argv[0]);
			return EXIT_USAGE;
		}
		at = -1;
		switch (c) {
		case 'a':
			r = add_address(ev, optarg);
			break;
		case 'g':
			r = set_gateway(ev, optarg);
			break;
		case 't':
			r = set_knob(ev, "--table", "table", optarg);
			break;
		case 'p':
			r = set_knob(ev, "--priority", "priority", optarg);
			break;
		case OPT_TO_RULE:
			r = set_knob(ev, "--to-rule", "to-rule", "yes");
			break;
		case OPT_NO_MAIN_DEFAULT:
			r = set_knob(ev, "--no-main-default", "main-default", "no");
			break;
		case OPT_ONLINK:
			r = set_knob(ev, "--onlink", "onlink", "yes");
			break;
		case OPT_METRIC:
			r = set_knob(ev, "--metric", "metric", optarg);
			break;
		case OPT_WEIGHT:
			r = set_knob(ev, "--weight", "weight", optarg);
			break;
		case OPT_PREFER:
			r = set_knob(ev, "--prefer", "prefer", optarg);
			break;
		case OPT_RP_FILTER:
			r = set_knob(ev, "--rp-filter", "rp-filter", optarg);
			break;
		case OPT_ARP_IGNORE:
			r = set_knob(ev, "--arp-ignore", "arp-ignore", "yes");
			break;
		case OPT_ARP_ANNOUNCE:
			r = set_knob(ev, "--arp-announce", "arp-announce", "yes");
			break;
		case OPT_ARP_FILTER:
			r = set_knob(ev, "--arp-filter", "arp-filter", "yes");
			break;
		case OPT_JSON:
			tool->json = true;
			break;
		case OPT_DEST:
			if (addr_parse(&tool->dest, optarg, AF_UNSPEC, ADDR_PLEN_FORBIDDEN, &why) < 0) {
				log_bad_value("--dest", optarg, why);
				return EXIT_USAGE;
			}
			tool->has_dest = true;
			break;
		case '4':
			only |= EVENT_V4;
			break;
		case '6':
			only |= EVENT_V6;
			break;
		case 'n':
			tool->opts.dry_run = true;
			break;
		case OPT_ONCE:
			tool->once = true;
			break;
		case OPT_EXIT_ZERO:
			tool->exit_zero = true;
			break;
		case 'c':
			tool->config_path = optarg;
			break;
		case 'v':
			break;	/* handled in main() */
		case 'h':
			usage(stdout);
			return -1;
		case 'V':
			printf("symroute %s\n", PACKAGE_VERSION);
			return -1;
		default:
			return EXIT_USAGE;
		}
		if (r < 0)
			return EXIT_USAGE;
	}
	if (iface != IFACE_NONE && (iface == IFACE_REQUIRED || optind < argc)) {
		if (optind >= argc) {
			log_error("%s: an interface name is required", argv[0]);
			return EXIT_USAGE;
		}
		if (event_set_ifname(ev, argv[optind], &why) < 0) {
			log_bad_value("IFACE", argv[optind], why);
			return EXIT_USAGE;
		}
		optind++;
	}
	if (optind < argc) {
		log_bad_value("argument", argv[optind], "unexpected");
		return EXIT_USAGE;
	}
	/* The families named by addresses or gateways, else both; -4/-6 narrow it. */
	ev->families = ev->addrs_given | ev->gateways_given;
	if (!ev->families)
		ev->families = EVENT_V4 | EVENT_V6;
	if (only) {
		if ((ev->addrs_given | ev->gateways_given) & ~only) {
			log_error("-4/-6 excludes the family of a given --address or --gateway");
			return EXIT_USAGE;
		}
		ev->families = only;
	}
	return EXIT_OK;
}

/* Read the configuration, then run the event. Returns an exit code. */
static int run_loaded(struct tool *tool, const struct event *ev)
{
	int code = tool_load_config(tool, config_use_of(ev));

	return code ? code : run_event(ev, &tool->cfg, &tool->opts);
}

/*
 * Parse the command line of a reader or remover (show, status, check, flush) and read the
 * configuration: EXIT_OK to go on, -1 when --help or --version answered already, or an
 * exit code.
 */
static int prepare(int argc, char **argv, struct tool *tool, struct event *ev,
		   enum iface_arg iface, unsigned takes)
{
	int code = parse_cli(argc, argv, ev, tool, iface, takes);

	return code ? code : tool_load_config(tool, CONFIG_TO_READ_OR_REMOVE);
}

/*
 * `up` by hand (and sync) with no gateway for a family takes the one the interface's iface
 * stanza names (symroute-gateway), else for IPv4 its current DHCP lease's router, over main's
 * and its table's, as the stanza's ifup (or the lease's hook) would: on the usual second uplink
 * (no default via it in main) whose table lost its default, the obvious repair must not leave
 * the table with connected routes only. The
 * stanza's other symroute-* knobs (table, priority, ...) are taken where the command line
 * gives none: after `symroute flush`, `symroute sync` puts back what ifup had made.
 */
static void take_stanza_intent(struct event *ev)
{
	struct addr gw[2];
	struct hostconf_gateways hg = { .gw = gw };
	struct event knobs;
	/* Families the event touches with no gateway given: only those can take one. */
	unsigned open = ev->families & ~ev->gateways_given & (EVENT_V4 | EVENT_V6);
	unsigned took = 0;
	char text[ADDR_STRLEN];

	if (open) {
		hostconf_gateways(&hostconf_default_paths, ev->ifname, open, &hg);
		took = event_default_gateways(ev, gw, hg.found);
	}
	for (int f = 0; f < 2; f++)
		if (took & (f ? EVENT_V6 : EVENT_V4))
			log_info("%s: %s gateway %s from %s (%s)", ev->ifname, f ? "IPv6" : "IPv4",
				 addr_format(&gw[f], false, text), hg.from[f], hg.detail[f]);
	event_init(&knobs, "stanza");
	config_event_take_knobs(ev, &knobs,
				hostconf_stanza_knobs(&hostconf_default_paths, ev->ifname, &knobs) &
					~ev->has);
}

static int cmd_up_down(int argc, char **argv, struct tool *tool, enum event_action action)
{
	struct event ev;
	/* down takes the up options only to refuse them with its own words, below. */
	int code = parse_cli(argc, argv, &ev, tool, IFACE_REQUIRED,
			     TAKES_UP | TAKES_SYSCTLS | TAKES_FAMILY | TAKES_DRY_RUN);

	if (code)
		return code < 0 ? EXIT_OK : code;
	/* The sysctl knobs on down say which values are ours to put back. */
	if (action == EVENT_DOWN &&
	    (ev.addrs_given || ev.gateways_given || (ev.has & ~EVENT_HAS_SYSCTLS))) {
		log_error("down takes no addresses, gateways or table options: it removes "
			  "everything of ours for the interface");
		return EXIT_USAGE;
	}
	ev.action = action;
	/*
	 * By hand is the admin's word: `up` wins over the `off` of an [interface NAME] group,
	 * and after `down` the watcher leaves the interface alone until the next `up`.
	 */
	ev.has |= EVENT_HAS_OFF;
	ev.off = action == EVENT_DOWN;
	if (action == EVENT_UP)
		take_stanza_intent(&ev);
	return run_loaded(tool, &ev);
}

static int cmd_up(int argc, char **argv, struct tool *tool)
{
	return cmd_up_down(argc, argv, tool, EVENT_UP);
}

static int cmd_down(int argc, char **argv, struct tool *tool)
{
	return cmd_up_down(argc, argv, tool, EVENT_DOWN);
}

static int cmd_show(int argc, char **argv, struct tool *tool)
{
	struct event ev;
	int code = prepare(argc, argv, tool, &ev, IFACE_OPTIONAL, TAKES_FAMILY);

	if (code)
		return code < 0 ? EXIT_OK : code;
	return inventory_show(&tool->cfg, ev.ifname[0] ? ev.ifname : NULL, ev.families, stdout);
}

static int cmd_status(int argc, char **argv, struct tool *tool)
{
	struct event ev;
	int code = prepare(argc, argv, tool, &ev, IFACE_OPTIONAL, TAKES_JSON);

	if (code)
		return code < 0 ? EXIT_OK : code;
	return status_run(&tool->cfg, ev.ifname[0] ? ev.ifname : NULL, tool->json, stdout);
}

static int cmd_check(int argc, char **argv, struct tool *tool)
{
	struct event ev;
	int code = prepare(argc, argv, tool, &ev, IFACE_OPTIONAL, TAKES_DEST | TAKES_JSON);

	if (code)
		return code < 0 ? EXIT_OK : code;
	return check_run(&tool->cfg, ev.ifname[0] ? ev.ifname : NULL,
			 tool->has_dest ? &tool->dest : NULL, tool->json, stdout);
}

static int cmd_flush(int argc, char **argv, struct tool *tool)
{
	struct event ev;
	int code = prepare(argc, argv, tool, &ev, IFACE_NONE, TAKES_FAMILY | TAKES_DRY_RUN);

	if (code)
		return code < 0 ? EXIT_OK : code;
	return inventory_flush(&tool->cfg, ev.families, &tool->opts);
}

/*
 * Front ends: hooks exec us with the environment their caller set. Options
 * still apply (--dry-run, --config, -v) so a hook can be tried by hand.
 */
static int cmd_hook(int argc, char **argv, struct tool *tool,
		    int (*read_env)(struct event *ev, char *const *envp))
{
	struct event ignored, ev;
	/* What the event is comes from the environment: only -n (and -c, -v) by hand. */
	int code = parse_cli(argc, argv, &ignored, tool, IFACE_NONE,
			     TAKES_DRY_RUN | TAKES_EXIT_ZERO);

	if (code)
		return code < 0 ? EXIT_OK : code;
	if (read_env(&ev, environ) < 0)
		code = EXIT_USAGE;
	else if (ev.action != EVENT_IGNORE)
		code = run_loaded(tool, &ev);
	/*
	 * A hook that execs us, where a failing hook stops its caller half way (ifup with
	 * run-parts --exit-on-error): the failure is reported (stderr, syslog), not returned.
	 */
	return tool->exit_zero ? EXIT_OK : code;
}

static int cmd_ifupdown(int argc, char **argv, struct tool *tool)
{
	return cmd_hook(argc, argv, tool, env_ifupdown_read);
}

static int cmd_dhclient(int argc, char **argv, struct tool *tool)
{
	return cmd_hook(argc, argv, tool, env_dhclient_read);
}

static int cmd_dhcpcd(int argc, char **argv, struct tool *tool)
{
	return cmd_hook(argc, argv, tool, env_dhcpcd_read);
}

/*
 * NetworkManager's dispatcher passes IFACE ACTION and the event in the environment; the
 * profile's symroute.* settings come from its keyfile (CONNECTION_FILENAME), without libnm.
 */
/*
 * How long an `up` from NetworkManager waits for the addresses it names to reach the kernel.
 * NetworkManager 1.52 (Debian 13) dispatches `up` on a reactivation before its IPv4
 * address is on the interface, and sends nothing when it arrives: without the wait the
 * address would get no rule until the next event. A stale event (the addresses gone for
 * good) pays the wait once and then routes what the kernel has, as before.
 */
#define NM_ADDR_WAIT_MS 5000

static void nm_wait_for_addresses(const struct event *ev)
{
	unsigned ifindex = if_nametoindex(ev->ifname);
	int err;

	if (ev->action != EVENT_UP || !ifindex || !ev->n_addrs)
		return;
	err = rtnl_wait_addrs(ifindex, ev->addrs, ev->n_addrs, NM_ADDR_WAIT_MS);
	if (err == -ETIMEDOUT)
		log_info("%s: up: not every address NetworkManager reports reached the interface "
			 "within %u ms: routing what it has", ev->ifname, NM_ADDR_WAIT_MS);
	else if (err < 0)
		log_info("%s: up: cannot follow the interface's addresses (%s): routing what it "
			 "has", ev->ifname, strerror(-err));
}

static int cmd_nm_dispatcher(int argc, char **argv, struct tool *tool)
{
	static const struct option nm_options[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "config", required_argument, NULL, 'c' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	struct event ev;
	int c, code;

	/*
	 * By hand: nm-dispatcher [-n] [-v] [-c FILE] [--] IFACE ACTION; '+': IFACE may be "".
	 * The hook passes "--" first: a link named "-n" or "-c" is not an option.
	 */
	optind = 1;
	while ((c = getopt_long(argc, argv, "+nc:v", nm_options, NULL)) != -1) {
		if (c == 'n')
			tool->opts.dry_run = true;
		else if (c == 'c')
			tool->config_path = optarg;
		else if (c != 'v')
			return EXIT_USAGE;
	}
	if (env_nm_read(&ev, argc - optind + 1, argv + optind - 1, environ) < 0)
		return EXIT_USAGE;
	if (ev.action == EVENT_IGNORE)
		return EXIT_OK;
	code = env_nm_read_profile(&ev, environ);
	if (code < 0)
		return code == -EINVAL ? EXIT_USAGE : EXIT_CONFIG;
	if (!tool->opts.dry_run)
		nm_wait_for_addresses(&ev);
	return run_loaded(tool, &ev);
}

/* libnm lives in a helper of its own: the hooks above never pay its start-up. */
#define NM_HELPER LIBEXECDIR "/symroute/symroute-nm"

/*
 * NetworkManager's part of sync, in its helper. Only the installed helper: no variable names
 * another one (`SYMROUTE_NM_HELPER=/tmp/x symroute sync` ran /tmp/x as root). The namespace
 * tests put the build's helper at this path in their own mount namespace
 * (tests/netns/nm-lib.sh, nm_place_helper). @replace: exec it in place of this process.
 */
static int nm_sync(int argc, char **argv, bool replace)
{
	const char *helper = NM_HELPER;
	char **args = calloc((size_t)argc + 2, sizeof(*args));
	int status, code = EXIT_UNAVAILABLE;
	pid_t pid = 0;

	if (!args)
		return EXIT_KERNEL;
	args[0] = "symroute-nm";
	args[1] = "sync";
	for (int i = 1; i < argc; i++)
		args[i + 1] = argv[i];
	fflush(NULL);
	if (!replace)
		pid = fork();
	if (pid == 0) {
		execv(helper, args);
		log_error("sync: cannot run %s: %s: NetworkManager's helper is in the package "
			  "symroute-nm (or a build configured with libnm)", helper, strerror(errno));
		if (!replace)
			_exit(EXIT_UNAVAILABLE);
	} else if (pid > 0 && waitpid(pid, &status, 0) == pid) {
		code = WIFEXITED(status) ? WEXITSTATUS(status) : EXIT_KERNEL;
	} else {
		log_error("sync: cannot start %s: %s", helper, strerror(errno));
	}
	free(args);
	return code;
}

struct sync_state {
	struct tool *tool;
	unsigned handled;
	int code;	/* the first failure's exit code */
};

/*
 * One interface as its manager would leave it now: `up` as by hand (the kernel's addresses,
 * the stanza's symroute-gateway, what symroute already chose), or `down` when a stanza says
 * `symroute off` or the link is gone.
 */
static int sync_by_hand(struct sync_state *s, const char *ifname)
{
	const char *why = NULL;
	struct event ev;
	int code;

	event_init(&ev, "sync");
	if (event_set_ifname(&ev, ifname, &why) < 0)
		return 0;
	ev.families = EVENT_V4 | EVENT_V6;
	ev.keep_table_gateway = true;
	ev.action = EVENT_DOWN;
	if (!if_nametoindex(ifname))
		log_info("%s: no such link: removing what is ours", ifname);
	else if (hostconf_ifupdown_off(&hostconf_default_paths, ifname))
		log_info("%s: symroute off in its iface stanza: removing what is ours", ifname);
	else
		ev.action = EVENT_UP;
	if (ev.action == EVENT_UP)
		take_stanza_intent(&ev);
	s->handled++;
	code = run_event(&ev, &s->tool->cfg, &s->tool->opts);
	if (code != EXIT_OK && s->code == EXIT_OK)
		s->code = code;
	return 0;
}

/* One interface ifupdown has up; NetworkManager's devices are left to its helper. */
static int sync_ifupdown_one(const char *ifname, void *data)
{
	unsigned ifindex = if_nametoindex(ifname);

	if (!ifindex || strcmp(ifname, "lo") == 0 ||
	    hostconf_nm_manages(&hostconf_default_paths, ifindex))
		return 0;
	return sync_by_hand(data, ifname);
}

/*
 * `sync` with no interface: every interface ifupdown has up (its state files), then
 * NetworkManager's devices when it runs here. With neither, the helper says that
 * NetworkManager cannot be reached (exit 8), as before ifupdown's part existed.
 * `sync IFACE`: that interface alone, by the helper when NetworkManager manages it, else as
 * ifupdown's part does (or `up` by hand would, for an interface no manager names).
 */
static int cmd_sync(int argc, char **argv, struct tool *tool)
{
	struct sync_state s = { tool, 0, EXIT_OK };
	struct event ev;
	unsigned ifindex;
	int code = parse_cli(argc, argv, &ev, tool, IFACE_OPTIONAL, TAKES_DRY_RUN);

	if (code)
		return code < 0 ? EXIT_OK : code;
	code = tool_load_config(tool, CONFIG_TO_INSTALL);
	if (code)
		return code;
	tool->opts.thorough = true;	/* the repair: nothing taken on a witness's word */
	if (ev.ifname[0]) {
		ifindex = if_nametoindex(ev.ifname);
		if (ifindex && hostconf_nm_manages(&hostconf_default_paths, ifindex))
			return nm_sync(argc, argv, true);
		if (strcmp(ev.ifname, "lo") == 0) {
			log_error("sync: lo is not an uplink");
			return EXIT_USAGE;
		}
		sync_by_hand(&s, ev.ifname);
		return s.code;
	}
	hostconf_ifupdown_each_up(&hostconf_default_paths, sync_ifupdown_one, &s);
	if (!s.handled)
		return nm_sync(argc, argv, true);
	if (hostconf_running_here(&hostconf_default_paths, "NetworkManager")) {
		code = nm_sync(argc, argv, false);
		if (s.code == EXIT_OK)
			s.code = code;
	}
	return s.code;
}

/*
 * symroute watch: the configuration must be sound (every action is an up); a broken one is
 * refused at start, with its line, rather than half applied for as long as the watcher runs.
 */
static int cmd_watch(int argc, char **argv, struct tool *tool)
{
	struct watch_opts opts = { 0 };
	struct event ev;
	int code = parse_cli(argc, argv, &ev, tool, IFACE_NONE, TAKES_DRY_RUN | TAKES_ONCE);

	if (code)
		return code < 0 ? EXIT_OK : code;
	code = tool_load_config(tool, CONFIG_TO_INSTALL);
	if (code)
		return code;
	/* Under systemd the journal takes syslog's lines; by hand and in tests, stderr too. */
	if (!getenv("JOURNAL_STREAM"))
		log_open(true, tool->verbose);
	opts.dry_run = tool->opts.dry_run;
	opts.once = tool->once;
	return watch_run(&tool->cfg, &opts);
}

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv, struct tool *tool);
} commands[] = {
	{ "up", cmd_up },
	{ "down", cmd_down },
	{ "show", cmd_show },
	{ "status", cmd_status },
	{ "check", cmd_check },
	{ "flush", cmd_flush },
	{ "ifupdown-hook", cmd_ifupdown },
	{ "dhclient-hook", cmd_dhclient },
	{ "dhcpcd-hook", cmd_dhcpcd },
	{ "nm-dispatcher", cmd_nm_dispatcher },
	{ "sync", cmd_sync },
	{ "watch", cmd_watch },
};

int main(int argc, char **argv)
{
	/* Static: zero without a memset of its 100 KiB of [interface NAME] room (struct config). */
	static struct tool tool;
	bool verbose = false;

	/* Before getopt runs: "--" ends the options here too (a link may be named "-v"). */
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "-v") == 0 || strcmp(argv[i], "--verbose") == 0)
			verbose = true;
	log_open(verbose || isatty(STDERR_FILENO), verbose);
	tool.verbose = verbose;
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0) {
		printf("symroute %s\n", PACKAGE_VERSION);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1, &tool);
	log_bad_value("COMMAND", argv[1], "unknown command (see symroute --help)");
	return EXIT_USAGE;
}
