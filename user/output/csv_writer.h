/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CSV rows (RFC 4180): fields separated by commas, a field that holds a comma, a double quote,
 * CR or LF written between double quotes with its quotes doubled, so that every row parses to
 * the same number of fields. Rows end with LF (not RFC 4180's CRLF), as every Unix tool and
 * Python's csv module read them.
 *
 * Names from the kernel and users (comm, paths) go through csv_name: escaped as the text views
 * escape them (output/text_escape.h), so a row holds no control byte and no invalid UTF-8,
 * and the exact bytes can be told back from the backslash escapes.
 */
#ifndef DAXTRACE_CSV_WRITER_H
#define DAXTRACE_CSV_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* One row being written: it knows whether the next field needs a comma before it. */
struct csv_row {
	FILE *out;
	bool has_field;
};

void csv_row_begin(struct csv_row *row, FILE *out);
/* s as it is, quoted when it must be; NULL or "" is an empty field. */
void csv_field(struct csv_row *row, const char *s);
/* s escaped as in the text views, then as csv_field; NULL is an empty field. */
void csv_name(struct csv_row *row, const char *s);
void csv_uint(struct csv_row *row, unsigned long long v);
/* Ends the row with '\n'. */
void csv_row_end(struct csv_row *row);

/*
 * v as the JSON writer writes a double (%.6g in the C locale, whatever the thread's locale),
 * so that a CSV value equals the JSON's; "" when v is not finite (JSON's null).
 */
void csv_format_double(double v, char *buf, size_t size);

#endif /* DAXTRACE_CSV_WRITER_H */
