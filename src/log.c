// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: messages to syslog (the journal) and, when a person is watching, stderr. */
#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>

#include "log.h"

static bool log_stderr;
static bool log_verbose;
static bool log_syslog;
static log_sink_fn log_sink;

void log_open(bool to_stderr, bool verbose)
{
	log_stderr = to_stderr;
	log_verbose = verbose;
	/* LOG_NDELAY off: the socket opens on the first message, so a quiet run costs nothing. */
	openlog("symroute", LOG_PID, LOG_DAEMON);
	log_syslog = true;
}

void log_set_sink(log_sink_fn sink)
{
	log_sink = sink;
}

static void log_emit(int priority, const char *fmt, va_list ap)
{
	char msg[1024];

	if (priority == LOG_DEBUG && !log_verbose)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* Values come from the network and from files: a newline in one must not forge a line. */
	for (char *p = msg; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	if (log_sink) {
		log_sink(priority, msg);
		return;
	}
	if (log_syslog)
		syslog(priority, "%s", msg);
	if (priority <= LOG_WARNING || log_stderr || !log_syslog)
		fprintf(stderr, "symroute: %s\n", msg);
}

#define LOG_FN(name, prio)                  \
	void name(const char *fmt, ...)     \
	{                                   \
		va_list ap;                 \
		va_start(ap, fmt);          \
		log_emit(prio, fmt, ap);    \
		va_end(ap);                 \
	}

LOG_FN(log_error, LOG_ERR)
LOG_FN(log_warn, LOG_WARNING)
LOG_FN(log_info, LOG_INFO)
LOG_FN(log_debug, LOG_DEBUG)

void log_bad_value(const char *name, const char *value, const char *why)
{
	log_error("%s='%s': %s", name, value ? value : "", why);
}
