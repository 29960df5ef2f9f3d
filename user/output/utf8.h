/* SPDX-License-Identifier: GPL-2.0 */
/*
 * UTF-8 as strict decoders read it (RFC 3629): names from the kernel (paths, comm) are bytes,
 * and both escapers (JSON, text) must agree on which of them form characters.
 */
#ifndef DAXTRACE_UTF8_H
#define DAXTRACE_UTF8_H

#include <stdbool.h>

/*
 * The length (1 to 4) of the well-formed character at s, its code point in *cp; 0 when the
 * byte at s starts none: a stray continuation byte, an overlong form, a surrogate, a code point
 * above U+10FFFF, or a sequence cut short (by the end of the string too).
 */
unsigned int utf8_decode(const char *s, unsigned int *cp);

/* Whether all of s is well-formed UTF-8. */
bool utf8_valid(const char *s);

#endif /* DAXTRACE_UTF8_H */
