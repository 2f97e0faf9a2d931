/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Purpose: symroute's documented exit codes (symroute(8), EXIT STATUS). */
#ifndef SYMROUTE_EXITCODE_H
#define SYMROUTE_EXITCODE_H

enum symroute_exit {
	EXIT_OK = 0,
	EXIT_KERNEL = 1,	/* the kernel refused a change, or netlink failed */
	EXIT_USAGE = 2,		/* a bad argument, option or environment value */
	EXIT_NOT_FOUND = 3,	/* the interface, or an address on it, does not exist */
	EXIT_TABLE_BUSY = 4,	/* the table we would use holds routes, or others' rules use it */
	EXIT_LOCKED = 5,	/* another symroute run held the lock for too long, or the
				 * lock file is unsafe (link, not a file, another user's) */
	EXIT_CONFIG = 6,	/* the configuration file is unreadable or malformed */
	EXIT_CHECK_FAILED = 7,	/* symroute check: at least one check failed */
	EXIT_UNAVAILABLE = 8,	/* a service symroute needs (NetworkManager) cannot be reached */
	EXIT_DRIFT = 9,		/* symroute status: drift (up would change something, or would
				 * fail), or orphan rules of ours */
};

#endif
