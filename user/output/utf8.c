// SPDX-License-Identifier: GPL-2.0
#include "output/utf8.h"

unsigned int utf8_decode(const char *s, unsigned int *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned int len, min, code;

	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if (u[0] >= 0xc2 && u[0] <= 0xdf) {
		len = 2, min = 0x80, code = u[0] & 0x1f;
	} else if (u[0] >= 0xe0 && u[0] <= 0xef) {
		len = 3, min = 0x800, code = u[0] & 0x0f;
	} else if (u[0] >= 0xf0 && u[0] <= 0xf4) {
		len = 4, min = 0x10000, code = u[0] & 0x07;
	} else {
		return 0; /* a continuation byte, or 0xc0, 0xc1, 0xf5-0xff: never a lead byte */
	}
	/* a NUL is not a continuation byte: a sequence cut by the string's end stops here */
	for (unsigned int i = 1; i < len; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return 0;
		code = code << 6 | (u[i] & 0x3f);
	}
	if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
		return 0;
	*cp = code;
	return len;
}

bool utf8_valid(const char *s)
{
	unsigned int cp, len;

	for (; *s; s += len)
		if (!(len = utf8_decode(s, &cp)))
			return false;
	return true;
}
