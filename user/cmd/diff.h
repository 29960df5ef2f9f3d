/* SPDX-License-Identifier: GPL-2.0 */
/*
 * daxtrace diff: two records compared (docs/daxtrace-diff.8). diff.c parses the options and
 * loads the records, diff_compare.c compares them (pure: unit-tested), diff_render.c shows the
 * result as a table, one JSON object or KTAP.
 */
#ifndef DAXTRACE_DIFF_H
#define DAXTRACE_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct json_object;

/*
 * For `git bisect run`, which takes 0 as good, 125 as "cannot test: skip", 1 to 127 otherwise as
 * bad, and anything above 127 as "stop the bisection". diff itself failing (out of memory, a
 * write error) is no verdict on the commit: 255 stops the bisection rather than mark it bad.
 */
enum diff_exit {
	DIFF_EXIT_SAME = 0, /* nothing crossed a threshold */
	DIFF_EXIT_REGRESSION = 1,
	DIFF_EXIT_USAGE = 2, /* bad options, or a file that is not a record this daxtrace reads */
	DIFF_EXIT_CANNOT_COMPARE = 125,
	DIFF_EXIT_FAILED = 255,
};

/* --threshold GLOB=[+]LIMIT[%]: a change within LIMIT is shown but is not a regression. */
struct diff_threshold {
	const char *glob;
	double limit; /* in the metric's unit, or percent of A's value */
	bool relative;
	bool increase_only; /* '+': a decrease, however large, is not a regression */
};

struct diff_opts {
	const struct diff_threshold *thresholds; /* the last that matches a metric applies */
	int nr_thresholds;
	const char *const *fail_on; /* globs; none: every metric can be a regression */
	int nr_fail_on;
	bool allow_missing;
};

/* One metric on one side: over the runs that have it. */
struct diff_side {
	unsigned int runs; /* 0: not on this side */
	double median, min, max; /* the median is the lower middle run's: an observed value */
	uint64_t median_count; /* the median exactly, when every value is an integer */
	bool integer;
};

struct diff_row {
	char *metric;
	struct diff_side a, b;
	bool timing;
	bool changed; /* shown in the table; for a timing, the two ranges do not overlap */
	bool regression;
	const struct diff_threshold *threshold; /* the one that applies, or NULL */
};

/* A fingerprint field that differs; a NULL value: not on that side. */
struct diff_field {
	char *name;
	char *a, *b;
};

struct diff_result {
	struct diff_field *fields;
	size_t nr_fields;
	struct diff_row *rows; /* every metric of either side, sorted by name */
	size_t nr_rows;
	char **blockers; /* why the records cannot be compared ("command differs") */
	size_t nr_blockers;
	bool compared; /* metrics compared: no blocker, or --allow-missing */
	int status; /* enum diff_exit */
};

/* Parses "GLOB=LIMIT", "GLOB=LIMIT%", with '+' before LIMIT for increases only; -1 if bad. */
int diff_parse_threshold(char *text, struct diff_threshold *threshold);

/* Compares two loaded records; 0, or -ENOMEM with nothing kept. */
int diff_compare(const struct json_object *a, const struct json_object *b,
		 const struct diff_opts *opts, struct diff_result *result);
void diff_result_free(struct diff_result *result);

/* "64", "1.234", "-" when absent; "+64", "-3" for a delta. */
void diff_format_side(const struct diff_side *side, char *buf, size_t size);
void diff_format_delta(const struct diff_row *row, char *buf, size_t size);
/* Whether the relative change can be told (A's median is not 0), and its percent. */
bool diff_relative(const struct diff_row *row, double *percent);

enum diff_format { DIFF_TEXT, DIFF_JSON, DIFF_KTAP };

void diff_render_text(FILE *out, const struct diff_result *result);
void diff_render_json(FILE *out, const struct diff_result *result);
void diff_render_ktap(FILE *out, const struct diff_result *result);
/* The stderr line naming the regressions (at most 10, then "and N more"). */
void diff_print_regressions(FILE *err, const struct diff_result *result);

#endif /* DAXTRACE_DIFF_H */
