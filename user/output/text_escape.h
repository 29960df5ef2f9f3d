/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names from the kernel (comm, paths, mount points) in the text views. A name is bytes: a
 * process can call itself "a\nb\e[2J" and a file can be named with 0xff. Printable UTF-8 is
 * kept; everything else is escaped C-style, so that a name never breaks a row and never reaches
 * root's terminal as a control sequence, and the bytes can still be told from the text:
 *
 *   \\ a backslash      \n \t \r \e   newline, tab, carriage return, escape
 *   \xNN any other control character (C0, DEL, C1) and each byte that is not UTF-8
 *   \uNNNN the invisible characters that reorder or break a line (bidi controls, U+2028/9)
 *
 * Widths count terminal cells, not bytes: a CJK character takes 2, a combining mark 0.
 */
#ifndef DAXTRACE_TEXT_ESCAPE_H
#define DAXTRACE_TEXT_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/* One character of a name as it is shown: kept or escaped. */
struct text_piece {
	char text[8]; /* not NUL-terminated */
	unsigned int len;
	unsigned int cells;
};

/* The piece s starts with (s not at its end); returns the bytes of s it stands for. */
unsigned int text_piece_next(const char *s, struct text_piece *piece);

/*
 * s escaped into buf, NUL-terminated, with at most max_cells cells (0: no limit) and never cut
 * inside a piece; returns the cells written.
 */
unsigned int text_escape(const char *s, char *buf, size_t size, unsigned int max_cells);

/*
 * s escaped into buf as text_escape does, but when it is wider than max_cells (at least 1) its
 * end is kept, behind ellipsis (ellipsis_cells wide): from a '/' when one fits, so that a path
 * keeps its file name ("…/16384/2619"). Returns the cells written.
 */
unsigned int text_escape_tail(const char *s, char *buf, size_t size, unsigned int max_cells,
			      const char *ellipsis, unsigned int ellipsis_cells);

/*
 * s escaped, cut to max_cells (0: no limit), aligned in width cells as printf aligns: right in
 * width, left in -width.
 */
void text_print(FILE *out, const char *s, int width, unsigned int max_cells);

#endif /* DAXTRACE_TEXT_ESCAPE_H */
