/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One line of text built in place, for output that runs at a million lines a second (snoop):
 * stdio's printf family costs about 300 ns a field here, these appends a few ns. Fields that
 * do not fit are cut; the line always ends with '\n', and never holds one
 * before: strings are escaped.
 */
#ifndef DAXTRACE_TEXT_LINE_H
#define DAXTRACE_TEXT_LINE_H

#include <stdio.h>

#define TEXT_LINE_MAX 256

struct text_line {
	char buf[TEXT_LINE_MAX];
	unsigned int len;
};

/*
 * Widths are printf's: right-aligned in width, left-aligned in -width, 0 for no padding; they
 * count terminal cells.
 */

/* s escaped (output/text_escape.h), at most max cells of it (0: all of it). */
void line_str(struct text_line *l, const char *s, int width, unsigned int max);
/* v in decimal. */
void line_uint(struct text_line *l, unsigned long long v, int width);
/* v as 0x... hexadecimal. */
void line_hex(struct text_line *l, unsigned long long v, int width);
/* v / 10^digits with that many decimals (1 to 9): line_fixed(l, 12345, 3, 0) is "12.345". */
void line_fixed(struct text_line *l, unsigned long long v, unsigned int digits, int width);
/* The text built so far, NUL-terminated, for composing one field of several parts. */
const char *line_text(struct text_line *l);
/* Ends the line with '\n' and writes it. */
void line_write(struct text_line *l, FILE *out);

#endif /* DAXTRACE_TEXT_LINE_H */
