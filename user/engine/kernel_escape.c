// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "engine/kernel_escape.h"

static int octal_digit(char c)
{
	return c >= '0' && c <= '7' ? c - '0' : -1;
}

/* The byte \ooo at text stands for, or -1 if it is not one of escaped. */
static int escaped_byte(const char *text, const char *escaped)
{
	int high, mid, low, byte;

	if (text[0] != '\\')
		return -1;
	high = octal_digit(text[1]);
	mid = high >= 0 ? octal_digit(text[2]) : -1;
	low = mid >= 0 ? octal_digit(text[3]) : -1;
	if (low < 0 || high > 3)
		return -1;
	byte = high * 64 + mid * 8 + low;
	/* strchr finds the terminating NUL too: \000 is never an escape */
	return byte && strchr(escaped, byte) ? byte : -1;
}

void kernel_unescape(char *text, const char *escaped)
{
	char *out = text;

	while (*text) {
		int byte = escaped_byte(text, escaped);

		if (byte >= 0) {
			*out++ = (char)byte;
			text += 4;
		} else {
			*out++ = *text++;
		}
	}
	*out = '\0';
}
