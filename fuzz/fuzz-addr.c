// SPDX-License-Identifier: GPL-2.0-or-later
/* Purpose: libFuzzer harness for addr_parse() and addr_parse_plen(), with a format round trip. */
#include <stdbool.h>

#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_silence_log();
	return 0;
}

static const int families[] = { AF_UNSPEC, AF_INET, AF_INET6, AF_UNSPEC };

/* Input: one byte (family in bits 0-1, parse flags in bits 2-4), then the text. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[ADDR_STRLEN];
	const char *why = NULL;
	struct addr a, back;
	unsigned flags;
	uint8_t plen = 0xee;
	char *text;
	int family, r;

	if (size < 1)
		return 0;
	family = families[data[0] & 3];
	flags = (data[0] >> 2) & 7;
	text = malloc(size);
	if (!text)
		abort();
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';

	r = addr_parse(&a, text, family, flags, &why);
	FUZZ_ASSERT(r == 0 || r == -EINVAL);
	if (r < 0) {
		FUZZ_ASSERT(why != NULL && why[0] != '\0');
	} else {
		fuzz_check_addr(&a);
		FUZZ_ASSERT(family == AF_UNSPEC || a.family == family);
		if (flags & ADDR_PLEN_FORBIDDEN)
			FUZZ_ASSERT(a.plen == addr_family_len(a.family) * 8);
		if (flags & ADDR_NO_HOST_BITS)
			FUZZ_ASSERT(!addr_has_host_bits(&a));
		/* What we print is what we read: the dry run's text means the same address. */
		addr_format(&a, true, buf);
		FUZZ_ASSERT(addr_parse(&back, buf, a.family, ADDR_PLEN_REQUIRED, &why) == 0);
		FUZZ_ASSERT(addr_cmp(&a, &back) == 0);
		back = addr_network(&a);
		FUZZ_ASSERT(!addr_has_host_bits(&back));
		FUZZ_ASSERT(addr_in_prefix(&a, &a));
	}
	why = NULL;
	r = addr_parse_plen(&plen, text, family == AF_UNSPEC ? AF_INET6 : family, &why);
	if (r == 0)
		FUZZ_ASSERT(plen <= (family == AF_INET ? 32 : 128));
	else
		FUZZ_ASSERT(r == -EINVAL && why != NULL);
	free(text);
	return 0;
}
