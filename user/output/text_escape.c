// SPDX-License-Identifier: GPL-2.0
#include <stdbool.h>
#include <string.h>

#include "output/text_escape.h"
#include "output/utf8.h"

struct code_range {
	unsigned int first, last;
};

/* East Asian Wide and Fullwidth blocks (UAX #11), the emoji blocks: two cells. */
static const struct code_range wide[] = {
	{ 0x1100, 0x115f },   { 0x2e80, 0x303e },   { 0x3041, 0x33ff },	  { 0x3400, 0x4dbf },
	{ 0x4e00, 0x9fff },   { 0xa000, 0xa4cf },   { 0xac00, 0xd7a3 },	  { 0xf900, 0xfaff },
	{ 0xfe30, 0xfe4f },   { 0xff00, 0xff60 },   { 0xffe0, 0xffe6 },	  { 0x1f300, 0x1f64f },
	{ 0x1f900, 0x1f9ff }, { 0x20000, 0x2fffd }, { 0x30000, 0x3fffd },
};

/* Combining marks, zero-width joiners, variation selectors: no cell of their own. */
static const struct code_range zero_width[] = {
	{ 0x0300, 0x036f }, { 0x1ab0, 0x1aff }, { 0x1dc0, 0x1dff }, { 0x200b, 0x200d },
	{ 0x20d0, 0x20ff }, { 0xfe00, 0xfe0f }, { 0xfe20, 0xfe2f },
};

/*
 * Shown as \uNNNN: they reorder the text around them (bidi controls, "Trojan Source") or end a
 * line on some terminals (U+2028, U+2029), so the row would not read as what it holds.
 */
static const struct code_range invisible[] = {
	{ 0x061c, 0x061c },
	{ 0x200e, 0x200f },
	{ 0x2028, 0x202e },
	{ 0x2066, 0x2069 },
};

static bool in_ranges(unsigned int cp, const struct code_range *ranges, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (cp >= ranges[i].first && cp <= ranges[i].last)
			return true;
	return false;
}

#define IN(cp, ranges) in_ranges(cp, ranges, sizeof(ranges) / sizeof(ranges[0]))

static void set_piece(struct text_piece *piece, const char *text, unsigned int len,
		      unsigned int cells)
{
	memcpy(piece->text, text, len);
	piece->len = len;
	piece->cells = cells;
}

static void hex_escape(struct text_piece *piece, const char *prefix, unsigned int value,
		       unsigned int digits)
{
	static const char hex_digits[] = "0123456789abcdef";
	unsigned int n = strlen(prefix);

	memcpy(piece->text, prefix, n);
	for (unsigned int i = digits; i-- > 0;)
		piece->text[n++] = hex_digits[(value >> (4 * i)) & 15];
	piece->len = piece->cells = n;
}

unsigned int text_piece_next(const char *s, struct text_piece *piece)
{
	unsigned char c = *s;
	unsigned int cp, len;

	if (c >= 0x20 && c < 0x7f && c != '\\') {
		set_piece(piece, s, 1, 1);
		return 1;
	}
	switch (c) {
	case '\\':
		set_piece(piece, "\\\\", 2, 2);
		return 1;
	case '\n':
		set_piece(piece, "\\n", 2, 2);
		return 1;
	case '\t':
		set_piece(piece, "\\t", 2, 2);
		return 1;
	case '\r':
		set_piece(piece, "\\r", 2, 2);
		return 1;
	case 0x1b:
		set_piece(piece, "\\e", 2, 2);
		return 1;
	}
	len = c < 0x80 ? 0 : utf8_decode(s, &cp);
	/* C0, DEL, a byte that is not UTF-8, and C1 (U+0080-U+009F: 8-bit terminal controls) */
	if (!len || cp < 0xa0) {
		hex_escape(piece, "\\x", c, 2);
		return 1;
	}
	if (IN(cp, invisible))
		hex_escape(piece, "\\u", cp, 4);
	else
		set_piece(piece, s, len, IN(cp, zero_width) ? 0 : IN(cp, wide) ? 2 : 1);
	return len;
}

unsigned int text_escape(const char *s, char *buf, size_t size, unsigned int max_cells)
{
	unsigned int cells = 0;
	size_t used = 0;

	if (!size)
		return 0;
	while (*s) {
		struct text_piece piece;
		unsigned int len;

		/* snoop's fields are plain ASCII: copied without building pieces */
		if (*s >= 0x20 && *s < 0x7f && *s != '\\') {
			if (used + 1 >= size || (max_cells && cells == max_cells))
				break;
			buf[used++] = *s++;
			cells++;
			continue;
		}
		len = text_piece_next(s, &piece);
		if (used + piece.len >= size || (max_cells && cells + piece.cells > max_cells))
			break;
		memcpy(buf + used, piece.text, piece.len);
		used += piece.len;
		cells += piece.cells;
		s += len;
	}
	buf[used] = '\0';
	return cells;
}

unsigned int text_escape_tail(const char *s, char *buf, size_t size, unsigned int max_cells,
			      const char *ellipsis, unsigned int ellipsis_cells)
{
	/* each piece's cells and where it starts in s: a name is at most PATH_MAX bytes */
	enum { MAX_PIECES = 4096 };
	unsigned int cells[MAX_PIECES], offset[MAX_PIECES];
	unsigned int nr = 0, total = 0, start, budget;
	const char *p = s;
	size_t used;

	while (*p && nr < MAX_PIECES) {
		struct text_piece piece;

		offset[nr] = p - s;
		p += text_piece_next(p, &piece);
		cells[nr++] = piece.cells;
		total += piece.cells;
	}
	if (*p || total <= max_cells || max_cells <= ellipsis_cells)
		return text_escape(s, buf, size, max_cells);
	budget = max_cells - ellipsis_cells;
	/* the first piece from which the rest fits, then the first '/' from there */
	for (start = 0; total > budget; start++)
		total -= cells[start];
	for (unsigned int i = start; i < nr; i++) {
		if (s[offset[i]] == '/') {
			while (start < i)
				total -= cells[start++];
			break;
		}
	}
	used = strlen(ellipsis);
	if (used >= size)
		return text_escape(s, buf, size, max_cells);
	memcpy(buf, ellipsis, used);
	return ellipsis_cells + text_escape(s + offset[start], buf + used, size - used, 0);
}

void text_print(FILE *out, const char *s, int width, unsigned int max_cells)
{
	char shown[4 * 4096 + 1]; /* a PATH_MAX of bytes escaped as \xNN */
	unsigned int cells = text_escape(s, shown, sizeof(shown), max_cells);
	unsigned int pad = (unsigned int)(width < 0 ? -width : width);

	pad = pad > cells ? pad - cells : 0;
	if (width > 0)
		fprintf(out, "%*s", (int)pad, "");
	fputs(shown, out);
	if (width < 0)
		fprintf(out, "%*s", (int)pad, "");
}
