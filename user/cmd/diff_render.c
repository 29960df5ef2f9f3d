// SPDX-License-Identifier: GPL-2.0
/*
 * daxtrace diff's output: a table for people, one JSON object, or KTAP for test harnesses. The
 * metric names carry the record's file names, anyone's bytes: every name goes through the text
 * escaper (output/text_escape.h), whole, never cut, and in KTAP a '#' too, so that a name cannot
 * end a line, reach the terminal as a control sequence or start a KTAP directive.
 */
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "cmd/diff.h"
#include "output/json_writer.h"
#include "output/text_escape.h"

/* Longer names are printed whole and push their row's numbers right. */
#define NAME_COLUMN_MAX 60
/* The regressions named on stderr; the rest are counted. */
#define REGRESSIONS_NAMED 10

/* Prints s escaped (nothing when out is NULL), '#' as \x23 when ktap; returns its cells. */
static unsigned int print_escaped(FILE *out, const char *s, bool ktap)
{
	struct text_piece piece;
	unsigned int cells = 0;

	while (*s) {
		s += text_piece_next(s, &piece);
		if (ktap && piece.text[0] == '#') {
			memcpy(piece.text, "\\x23", 4);
			piece.len = piece.cells = 4;
		}
		if (out)
			fwrite(piece.text, 1, piece.len, out);
		cells += piece.cells;
	}
	return cells;
}

void diff_format_side(const struct diff_side *side, char *buf, size_t size)
{
	if (!side->runs)
		snprintf(buf, size, "-");
	else if (side->integer)
		snprintf(buf, size, "%" PRIu64, side->median_count);
	else
		snprintf(buf, size, "%.6g", side->median);
}

void diff_format_delta(const struct diff_row *row, char *buf, size_t size)
{
	if (!row->a.runs || !row->b.runs)
		snprintf(buf, size, "only in %c", row->a.runs ? 'A' : 'B');
	else if (row->a.integer && row->b.integer && row->b.median_count >= row->a.median_count)
		snprintf(buf, size, "+%" PRIu64, row->b.median_count - row->a.median_count);
	else if (row->a.integer && row->b.integer)
		snprintf(buf, size, "-%" PRIu64, row->a.median_count - row->b.median_count);
	else
		snprintf(buf, size, "%+.6g", row->b.median - row->a.median);
}

bool diff_relative(const struct diff_row *row, double *percent)
{
	if (!row->a.runs || !row->b.runs || row->a.median == 0)
		return false;
	*percent = (row->b.median - row->a.median) / row->a.median * 100;
	return true;
}

static void format_relative(const struct diff_row *row, char *buf, size_t size)
{
	double percent;

	if (diff_relative(row, &percent))
		snprintf(buf, size, "%+.1f%%", percent);
	else
		snprintf(buf, size, "-");
}

/* Why a changed metric is, or is not, a regression: the table's last column. */
static const char *verdict(const struct diff_row *row)
{
	if (row->regression)
		return "regression";
	if (row->threshold && row->a.runs && row->b.runs)
		return "within threshold";
	if (row->timing)
		return "timing";
	return "";
}

static void print_field_value(FILE *out, const char *value)
{
	if (value)
		print_escaped(out, value, false);
	else
		fputs("(none)", out);
}

static void print_fields(FILE *out, const struct diff_result *result, const char *prefix)
{
	for (size_t i = 0; i < result->nr_fields; i++) {
		const struct diff_field *field = &result->fields[i];

		fputs(prefix, out);
		print_escaped(out, field->name, false);
		fputs(": ", out);
		print_field_value(out, field->a);
		fputs(" -> ", out);
		print_field_value(out, field->b);
		fputc('\n', out);
	}
}

static void print_row(FILE *out, const struct diff_row *row, unsigned int width)
{
	char a[32], b[32], delta[32], relative[32];
	unsigned int cells;

	diff_format_side(&row->a, a, sizeof(a));
	diff_format_side(&row->b, b, sizeof(b));
	diff_format_delta(row, delta, sizeof(delta));
	format_relative(row, relative, sizeof(relative));
	cells = print_escaped(out, row->metric, false);
	fprintf(out, "%*s  %14s %14s %14s %9s  %s\n", width > cells ? (int)(width - cells) : 0, "",
		a, b, delta, relative, verdict(row));
}

void diff_render_text(FILE *out, const struct diff_result *result)
{
	unsigned int width = strlen("METRIC"), cells;
	size_t changed = 0, regressions = 0;

	if (result->nr_fields)
		print_fields(out, result, "");
	else
		fputs("fingerprint: no difference\n", out);
	if (!result->compared)
		return;
	for (size_t i = 0; i < result->nr_rows; i++) {
		if (!result->rows[i].changed)
			continue;
		changed++;
		regressions += result->rows[i].regression;
		cells = print_escaped(NULL, result->rows[i].metric, false);
		if (cells > width)
			width = cells > NAME_COLUMN_MAX ? NAME_COLUMN_MAX : cells;
	}
	fputc('\n', out);
	if (changed) {
		fprintf(out, "%-*s  %14s %14s %14s %9s\n", (int)width, "METRIC", "A", "B", "DELTA",
			"RELATIVE");
		for (size_t i = 0; i < result->nr_rows; i++)
			if (result->rows[i].changed)
				print_row(out, &result->rows[i], width);
		fputc('\n', out);
	}
	fprintf(out, "%zu metrics compared, %zu changed, %zu regressions\n", result->nr_rows,
		changed, regressions);
}

static void json_side(struct json_writer *w, const char *key, const struct diff_side *side)
{
	json_key(w, key);
	if (!side->runs)
		json_null(w);
	else if (side->integer)
		json_uint(w, side->median_count);
	else
		json_double(w, side->median);
}

static void json_delta(struct json_writer *w, const struct diff_row *row)
{
	uint64_t up = row->b.median_count - row->a.median_count;
	uint64_t down = row->a.median_count - row->b.median_count;

	json_key(w, "delta");
	if (!row->a.runs || !row->b.runs)
		json_null(w);
	else if (row->a.integer && row->b.integer && row->b.median_count >= row->a.median_count &&
		 up <= INT64_MAX)
		json_int(w, (long long)up);
	else if (row->a.integer && row->b.integer && row->b.median_count < row->a.median_count &&
		 down <= INT64_MAX)
		json_int(w, -(long long)down);
	else
		json_double(w, row->b.median - row->a.median);
}

static void json_metric(struct json_writer *w, const struct diff_row *row)
{
	double percent;

	json_object_begin(w);
	json_kv_name(w, "metric", row->metric);
	json_side(w, "a", &row->a);
	json_side(w, "b", &row->b);
	json_delta(w, row);
	json_key(w, "relative");
	if (diff_relative(row, &percent))
		json_double(w, percent);
	else
		json_null(w);
	json_kv_string(w, "kind", row->timing ? "timing" : "exact");
	json_kv_bool(w, "regression", row->regression);
	json_object_end(w);
}

void diff_render_json(FILE *out, const struct diff_result *result)
{
	struct json_writer *w = json_writer_new(out);

	if (!w)
		return;
	json_object_begin(w);
	json_key(w, "fingerprint");
	json_array_begin(w);
	for (size_t i = 0; i < result->nr_fields; i++) {
		json_object_begin(w);
		json_kv_name(w, "field", result->fields[i].name);
		json_kv_name(w, "a", result->fields[i].a);
		json_kv_name(w, "b", result->fields[i].b);
		json_object_end(w);
	}
	json_array_end(w);
	json_key(w, "cannot_compare");
	json_array_begin(w);
	for (size_t i = 0; i < result->nr_blockers; i++)
		json_string(w, result->blockers[i]);
	json_array_end(w);
	json_kv_bool(w, "compared", result->compared);
	json_key(w, "metrics");
	json_array_begin(w);
	for (size_t i = 0; i < result->nr_rows; i++)
		if (result->rows[i].changed)
			json_metric(w, &result->rows[i]);
	json_array_end(w);
	json_kv_uint(w, "status", result->status);
	json_object_end(w);
	json_writer_free(w);
}

static void ktap_values(FILE *out, const struct diff_row *row)
{
	char a[32], b[32], delta[32], relative[32];

	diff_format_side(&row->a, a, sizeof(a));
	diff_format_side(&row->b, b, sizeof(b));
	diff_format_delta(row, delta, sizeof(delta));
	format_relative(row, relative, sizeof(relative));
	fputs("# ", out);
	print_escaped(out, row->metric, true);
	fprintf(out, ": %s -> %s (%s, %s)%s%s\n", a, b, delta, relative, *verdict(row) ? " " : "",
		verdict(row));
}

void diff_render_ktap(FILE *out, const struct diff_result *result)
{
	fputs("KTAP version 1\n", out);
	fprintf(out, "1..%zu\n", result->compared ? result->nr_rows : 0);
	print_fields(out, result, "# ");
	for (size_t i = 0; i < result->nr_blockers; i++)
		fprintf(out, "# cannot compare: %s\n", result->blockers[i]);
	if (!result->compared)
		return;
	for (size_t i = 0; i < result->nr_rows; i++) {
		const struct diff_row *row = &result->rows[i];

		if (row->changed)
			ktap_values(out, row);
		fprintf(out, "%s %zu ", row->regression ? "not ok" : "ok", i + 1);
		print_escaped(out, row->metric, true);
		fputc('\n', out);
	}
}

void diff_print_regressions(FILE *err, const struct diff_result *result)
{
	char a[32], b[32];
	size_t named = 0, more = 0;

	for (size_t i = 0; i < result->nr_rows; i++) {
		const struct diff_row *row = &result->rows[i];

		if (!row->regression)
			continue;
		if (named == REGRESSIONS_NAMED) {
			more++;
			continue;
		}
		diff_format_side(&row->a, a, sizeof(a));
		diff_format_side(&row->b, b, sizeof(b));
		fputs(named++ ? ", " : "daxtrace diff: regression: ", err);
		print_escaped(err, row->metric, false);
		fprintf(err, " %s -> %s", a, b);
	}
	if (more)
		fprintf(err, ", and %zu more", more);
	if (named)
		fputc('\n', err);
}
