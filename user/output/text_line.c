// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "output/text_escape.h"
#include "output/text_line.h"

static void put(struct text_line *l, char c)
{
	if (l->len < TEXT_LINE_MAX - 1) /* one byte stays for the '\n' */
		l->buf[l->len++] = c;
}

static void pad(struct text_line *l, unsigned int written, unsigned int width)
{
	for (; written < width; written++)
		put(l, ' ');
}

/* digits of v in base, most significant first, into out (24 bytes); returns how many */
static unsigned int digits_of(unsigned long long v, unsigned int base, char *out)
{
	char rev[24];
	unsigned int n = 0;

	do {
		rev[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	for (unsigned int i = 0; i < n; i++)
		out[i] = rev[n - 1 - i];
	return n;
}

/* text of n bytes taking cells terminal cells, aligned in width as printf would */
static void put_aligned(struct text_line *l, const char *text, unsigned int n, unsigned int cells,
			int width)
{
	if (width > 0)
		pad(l, cells, width);
	for (unsigned int i = 0; i < n; i++)
		put(l, text[i]);
	if (width < 0)
		pad(l, cells, -width);
}

void line_str(struct text_line *l, const char *s, int width, unsigned int max)
{
	char shown[TEXT_LINE_MAX];
	unsigned int cells = text_escape(s, shown, sizeof(shown), max);

	put_aligned(l, shown, strlen(shown), cells, width);
}

void line_uint(struct text_line *l, unsigned long long v, int width)
{
	char text[24];

	unsigned int n = digits_of(v, 10, text);

	put_aligned(l, text, n, n, width);
}

void line_hex(struct text_line *l, unsigned long long v, int width)
{
	char text[24] = "0x";

	unsigned int n = 2 + digits_of(v, 16, text + 2);

	put_aligned(l, text, n, n, width);
}

void line_fixed(struct text_line *l, unsigned long long v, unsigned int digits, int width)
{
	unsigned long long scale = 1;
	char text[48];
	unsigned int n;

	for (unsigned int i = 0; i < digits; i++)
		scale *= 10;
	n = digits_of(v / scale, 10, text);
	text[n++] = '.';
	for (unsigned long long unit = scale / 10; unit; unit /= 10)
		text[n++] = '0' + v % scale / unit % 10;
	put_aligned(l, text, n, n, width);
}

const char *line_text(struct text_line *l)
{
	l->buf[l->len] = '\0'; /* len < TEXT_LINE_MAX: put keeps the last byte free */
	return l->buf;
}

void line_write(struct text_line *l, FILE *out)
{
	l->buf[l->len++] = '\n';
	fwrite_unlocked(l->buf, 1, l->len, out);
	l->len = 0;
}
