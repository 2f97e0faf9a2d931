/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Purpose: messages to syslog (the journal) and, when a person is watching, stderr. */
#ifndef SYMROUTE_LOG_H
#define SYMROUTE_LOG_H

#include <stdbool.h>

/*
 * @to_stderr: errors always go to stderr too (ifupdown and NetworkManager
 * show a hook's stderr); notices and info only when @to_stderr is set (a
 * terminal, or --verbose).
 */
void log_open(bool to_stderr, bool verbose);

__attribute__((format(printf, 1, 2))) void log_error(const char *fmt, ...);
__attribute__((format(printf, 1, 2))) void log_warn(const char *fmt, ...);
__attribute__((format(printf, 1, 2))) void log_info(const char *fmt, ...);
__attribute__((format(printf, 1, 2))) void log_debug(const char *fmt, ...);

/*
 * The one-line error for a bad value, naming the variable as the user wrote
 * it: "IF_ADDRESS='10.0.0.300/24': not an IPv4 address".
 */
void log_bad_value(const char *name, const char *value, const char *why);

/* Tests capture messages instead of printing them. */
typedef void (*log_sink_fn)(int priority, const char *msg);
void log_set_sink(log_sink_fn sink);

#endif
