/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Purpose: how long one UTF-8 character is, for the readers that must not pass on bad text. */
#ifndef SYMROUTE_UTF8_H
#define SYMROUTE_UTF8_H

#include <stddef.h>

/*
 * The length of the UTF-8 character at @p (1 to 4 bytes, at most @avail), or 0 when the
 * bytes there are not one: a stray continuation byte, a truncated or overlong sequence, a
 * surrogate, or a code point past U+10FFFF. (RFC 3629.)
 */
static inline size_t utf8_char_len(const unsigned char *p, size_t avail)
{
	size_t n;
	unsigned cp;

	if (!avail)
		return 0;
	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		cp = p[0] & 0x1fu;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		cp = p[0] & 0x0fu;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		cp = p[0] & 0x07u;
	} else {
		return 0;
	}
	if (avail < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3fu);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

#endif
