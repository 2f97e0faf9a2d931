/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Purpose: what every libFuzzer harness shares: a silent log, envp arrays from bytes, invariants. */
#ifndef SYMROUTE_FUZZ_H
#define SYMROUTE_FUZZ_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "event.h"
#include "log.h"

/* More entries than any hook environment holds (the captured ones have about 40). */
#define FUZZ_ENV_MAX 512

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A violated invariant is a crash: libFuzzer saves the input that caused it. */
#define FUZZ_ASSERT(cond)                  \
	do {                               \
		if (!(cond))               \
			__builtin_trap();  \
	} while (0)

static void fuzz_log_sink(int priority, const char *msg)
{
	(void)priority;
	(void)msg;
}

static inline void fuzz_silence_log(void)
{
	log_set_sink(fuzz_log_sink);
}

/*
 * An envp array from @data: entries separated by NUL or newline, each its own heap copy
 * (so ASan sees a read past an entry's end). Returns a NULL-terminated array; free with
 * fuzz_env_free().
 */
static inline char **fuzz_env_split(const uint8_t *data, size_t size, size_t *count)
{
	char **envp = calloc(FUZZ_ENV_MAX + 1, sizeof(*envp));
	size_t n = 0, start = 0;

	if (!envp)
		abort();
	for (size_t i = 0; i <= size && n < FUZZ_ENV_MAX; i++) {
		if (i < size && data[i] != '\0' && data[i] != '\n')
			continue;
		envp[n] = malloc(i - start + 1);
		if (!envp[n])
			abort();
		memcpy(envp[n], data + start, i - start);
		envp[n][i - start] = '\0';
		n++;
		start = i + 1;
	}
	if (count)
		*count = n;
	return envp;
}

static inline void fuzz_env_free(char **envp)
{
	for (char **e = envp; e && *e; e++)
		free(*e);
	free(envp);
}

static inline void fuzz_check_addr(const struct addr *a)
{
	FUZZ_ASSERT(a->family == AF_INET || a->family == AF_INET6);
	FUZZ_ASSERT(a->plen <= addr_family_len(a->family) * 8);
}

/* What the core may rely on from any front end's successful parse. */
static inline void fuzz_check_event(const struct event *ev, int r)
{
	FUZZ_ASSERT(r == 0 || (r < 0 && r > -4096));
	if (r < 0 || ev->action == EVENT_IGNORE)
		return;
	FUZZ_ASSERT(ev->action == EVENT_UP || ev->action == EVENT_DOWN);
	FUZZ_ASSERT(ev->ifname[0] != '\0');
	FUZZ_ASSERT(memchr(ev->ifname, '\0', sizeof(ev->ifname)) != NULL);
	for (const char *p = ev->ifname; *p; p++)
		FUZZ_ASSERT(*p != '/' && *p != ':' && (unsigned char)*p > ' ');
	FUZZ_ASSERT(ev->families != 0 && (ev->families & ~(unsigned)(EVENT_V4 | EVENT_V6)) == 0);
	FUZZ_ASSERT(ev->n_addrs <= 2 * EVENT_MAX_ADDRS);
	for (unsigned i = 0; i < ev->n_addrs; i++) {
		const struct addr *a = &ev->addrs[i];

		fuzz_check_addr(a);
		FUZZ_ASSERT(!addr_is_unspecified(a) && !addr_is_multicast(a) &&
			    !addr_is_loopback(a) && !addr_is_v4_mapped(a));
		for (unsigned j = 0; j < i; j++)
			FUZZ_ASSERT(!addr_same_ip(a, &ev->addrs[j]));
	}
	for (int f = 0; f < 2; f++) {
		const struct addr *gw = &ev->gateway[f];

		if (!(ev->gateways_given & (f ? EVENT_V6 : EVENT_V4)))
			continue;
		fuzz_check_addr(gw);
		FUZZ_ASSERT(gw->family == (f ? AF_INET6 : AF_INET));
		FUZZ_ASSERT(!addr_is_unspecified(gw) && !addr_is_multicast(gw) &&
			    !addr_is_v4_broadcast(gw) && !addr_is_loopback(gw));
	}
	if (ev->has & EVENT_HAS_TABLE)
		FUZZ_ASSERT(ev->table != 0 && ev->table != 253 && ev->table != 254 &&
			    ev->table != 255);
	if (ev->has & EVENT_HAS_PRIORITY)
		FUZZ_ASSERT(ev->priority >= 1 && ev->priority <= 32765);
}

#endif
