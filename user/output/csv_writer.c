// SPDX-License-Identifier: GPL-2.0
/* CSV rows; see csv_writer.h. */
#include <locale.h>
#include <math.h>
#include <string.h>

#include "output/csv_writer.h"
#include "output/text_escape.h"

void csv_row_begin(struct csv_row *row, FILE *out)
{
	row->out = out;
	row->has_field = false;
}

/* The one place that writes a comma: before every field of a row but its first. */
static void separate_field(struct csv_row *row)
{
	if (row->has_field)
		fputc(',', row->out);
	row->has_field = true;
}

void csv_field(struct csv_row *row, const char *s)
{
	separate_field(row);
	if (!s)
		return;
	if (!s[strcspn(s, ",\"\r\n")]) {
		fputs(s, row->out);
		return;
	}
	fputc('"', row->out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', row->out);
		fputc(*s, row->out);
	}
	fputc('"', row->out);
}

void csv_name(struct csv_row *row, const char *s)
{
	char shown[4 * 4096 + 1]; /* a PATH_MAX of bytes escaped as \xNN */

	if (!s) {
		csv_field(row, NULL);
		return;
	}
	text_escape(s, shown, sizeof(shown), 0);
	csv_field(row, shown);
}

void csv_uint(struct csv_row *row, unsigned long long v)
{
	separate_field(row);
	fprintf(row->out, "%llu", v);
}

void csv_row_end(struct csv_row *row)
{
	fputc('\n', row->out);
	row->has_field = false;
}

void csv_format_double(double v, char *buf, size_t size)
{
	locale_t c_numeric, saved;

	if (!size)
		return;
	buf[0] = '\0';
	if (!isfinite(v))
		return;
	/* printf formats doubles in the thread's locale, which may use a decimal comma */
	c_numeric = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	if (c_numeric == (locale_t)0) { /* out of memory: daxtrace itself never sets a locale */
		snprintf(buf, size, "%.6g", v);
		return;
	}
	saved = uselocale(c_numeric);
	snprintf(buf, size, "%.6g", v);
	uselocale(saved);
	freelocale(c_numeric);
}
