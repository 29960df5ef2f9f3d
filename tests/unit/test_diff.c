// SPDX-License-Identifier: GPL-2.0
/*
 * daxtrace diff's comparison and output (cmd/diff_compare.c, diff_render.c): thresholds, globs,
 * medians and the spread rule, --fail-on, one-sided metrics, what cannot be compared, and the
 * exact text, JSON and KTAP.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cmd/diff.h"
#include "engine/record_file.h"

#define FINGERPRINT "{\"command\":[\"w\"],\"attach\":{\"fault\":\"tp_btf\"}}"

/* A record of the given fingerprint and runs ("{\"views\":...},{...}"). */
static struct json_object *record(const char *fingerprint, const char *runs)
{
	struct json_object *doc;
	struct record_error err;
	char *text;

	assert_true(asprintf(&text,
			     "{\"format\":\"daxtrace-record/1\",\"fingerprint\":%s,\"runs\":[%s]}",
			     fingerprint, runs) > 0);
	doc = record_parse("t.json", text, strlen(text), &err);
	if (!doc)
		fail_msg("%s", err.message);
	free(text);
	return doc;
}

/* One run whose top.total holds `total` ("\"mkwrite\":64,..."). */
static struct json_object *totals(const char *total)
{
	char runs[512];

	snprintf(runs, sizeof(runs), "{\"views\":{\"top\":{\"total\":{%s}}}}", total);
	return record(FINGERPRINT, runs);
}

static struct diff_result compare_docs(struct json_object *a, struct json_object *b,
				       const struct diff_opts *opts)
{
	static const struct diff_opts defaults;
	struct diff_result result;

	assert_int_equal(diff_compare(a, b, opts ? opts : &defaults, &result), 0);
	record_free(a);
	record_free(b);
	return result;
}

static const struct diff_row *row_of(const struct diff_result *result, const char *metric)
{
	for (size_t i = 0; i < result->nr_rows; i++)
		if (!strcmp(result->rows[i].metric, metric))
			return &result->rows[i];
	fail_msg("no metric %s", metric);
	return NULL;
}

static void thresholds_parsed(void **state)
{
	static const char *const bad[] = { "mkwrite", "=2",    "x=",	  "x=-1", "x=abc",
					   "x=2%%",   "x=inf", "x=1e999", "x=+",  "x=2 " };
	struct diff_threshold t;
	char text[64];

	(void)state;
	strcpy(text, "mkwrite=2");
	assert_int_equal(diff_parse_threshold(text, &t), 0);
	assert_string_equal(t.glob, "mkwrite");
	assert_true(t.limit == 2 && !t.relative && !t.increase_only);
	strcpy(text, "lat.*.p50_ns=20%");
	assert_int_equal(diff_parse_threshold(text, &t), 0);
	assert_string_equal(t.glob, "lat.*.p50_ns");
	assert_true(t.limit == 20 && t.relative && !t.increase_only);
	strcpy(text, "a=b=+0.5%");
	assert_int_equal(diff_parse_threshold(text, &t), 0);
	assert_string_equal(t.glob, "a=b");
	assert_true(t.limit == 0.5 && t.relative && t.increase_only);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		strcpy(text, bad[i]);
		if (!diff_parse_threshold(text, &t))
			fail_msg("'%s' accepted", bad[i]);
	}
}

static void exact_counts(void **state)
{
	struct diff_result result;

	(void)state;
	result = compare_docs(totals("\"mkwrite\":64,\"cow\":2,\"pte\":0"),
			      totals("\"mkwrite\":128,\"cow\":2,\"pte\":1"), NULL);
	assert_true(result.compared);
	assert_int_equal(result.status, DIFF_EXIT_REGRESSION);
	assert_int_equal(result.nr_rows, 3);
	assert_false(row_of(&result, "top.total.cow")->changed);
	assert_true(row_of(&result, "top.total.mkwrite")->regression);
	assert_int_equal(row_of(&result, "top.total.mkwrite")->a.median_count, 64);
	assert_int_equal(row_of(&result, "top.total.mkwrite")->b.median_count, 128);
	assert_true(row_of(&result, "top.total.pte")->regression);
	assert_false(row_of(&result, "top.total.pte")->timing);
	diff_result_free(&result);

	result = compare_docs(totals("\"mkwrite\":64"), totals("\"mkwrite\":64"), NULL);
	assert_int_equal(result.status, DIFF_EXIT_SAME);
	assert_int_equal(result.nr_fields, 0);
	assert_false(result.rows[0].changed);
	diff_result_free(&result);

	/* counts beyond 2^53 still compare exactly */
	result = compare_docs(totals("\"cow_bytes\":18446744073709551614"),
			      totals("\"cow_bytes\":18446744073709551613"), NULL);
	assert_true(result.rows[0].regression);
	diff_result_free(&result);
}

/* The verdict on mkwrite 64 -> 128 (and cow 0 -> 8) under these thresholds. */
static struct diff_result judged(const char *const *rules, int nr)
{
	struct diff_threshold thresholds[8];
	struct diff_opts opts = { .thresholds = thresholds, .nr_thresholds = nr };
	static char texts[8][64];

	for (int i = 0; i < nr; i++) {
		strcpy(texts[i], rules[i]);
		assert_int_equal(diff_parse_threshold(texts[i], &thresholds[i]), 0);
	}
	return compare_docs(totals("\"mkwrite\":64,\"cow\":0"), totals("\"mkwrite\":128,\"cow\":8"),
			    &opts);
}

static bool mkwrite_regression(const char *const *rules, int nr)
{
	struct diff_result result = judged(rules, nr);
	bool regression = row_of(&result, "top.total.mkwrite")->regression;

	assert_true(row_of(&result, "top.total.mkwrite")->changed);
	diff_result_free(&result);
	return regression;
}

static void thresholds_applied(void **state)
{
	struct diff_result result;

	(void)state;
	assert_false(mkwrite_regression((const char *[]){ "mkwrite=64" }, 1));
	assert_true(mkwrite_regression((const char *[]){ "mkwrite=63" }, 1));
	assert_false(mkwrite_regression((const char *[]){ "mkwrite=100%" }, 1));
	assert_true(mkwrite_regression((const char *[]){ "mkwrite=99.9%" }, 1));
	assert_false(mkwrite_regression((const char *[]){ "top.*=1000" }, 1));
	assert_true(mkwrite_regression((const char *[]){ "cow=1000" }, 1));
	/* the last match wins */
	assert_true(mkwrite_regression((const char *[]){ "mkwrite=1000", "total.mkwrite=1" }, 2));
	assert_false(mkwrite_regression((const char *[]){ "total.mkwrite=1", "mkwrite=1000" }, 2));
	/* '+': an increase is held against the limit, a decrease never is */
	assert_true(mkwrite_regression((const char *[]){ "mkwrite=+10%" }, 1));

	/* from 0, any change exceeds a relative threshold */
	result = judged((const char *[]){ "*=1000000%" }, 1);
	assert_true(row_of(&result, "top.total.cow")->regression);
	assert_false(row_of(&result, "top.total.mkwrite")->regression);
	assert_int_equal(result.status, DIFF_EXIT_REGRESSION);
	diff_result_free(&result);

	result = compare_docs(
		totals("\"mkwrite\":128"), totals("\"mkwrite\":1"),
		&(struct diff_opts){
			.thresholds = (struct diff_threshold[]){ { "mkwrite", 1, true, true } },
			.nr_thresholds = 1 });
	assert_true(result.rows[0].changed);
	assert_false(result.rows[0].regression);
	assert_int_equal(result.status, DIFF_EXIT_SAME);
	diff_result_free(&result);
}

static void suffix_globs(void **state)
{
	struct diff_threshold threshold = { "mkwrite", 100, false, false };
	struct diff_opts opts = { .thresholds = &threshold, .nr_thresholds = 1 };
	struct diff_result result;
	const struct diff_row *row;

	(void)state;
	result = compare_docs(
		record(FINGERPRINT,
		       "{\"views\":{\"top\":{\"files\":{\"a.img\":{\"mkwrite\":1,\"cow\":1}}}}}"),
		record(FINGERPRINT,
		       "{\"views\":{\"top\":{\"files\":{\"a.img\":{\"mkwrite\":9,\"cow\":2}}}}}"),
		&opts);
	row = row_of(&result, "top.files.\"a.img\".mkwrite");
	assert_ptr_equal(row->threshold, &threshold);
	assert_false(row->regression);
	assert_null(row_of(&result, "top.files.\"a.img\".cow")->threshold);
	assert_true(row_of(&result, "top.files.\"a.img\".cow")->regression);
	diff_result_free(&result);
}

static void medians(void **state)
{
	struct diff_result result;
	const struct diff_row *row;

	(void)state;
	result = compare_docs(record(FINGERPRINT, "{\"views\":{\"c\":30}},{\"views\":{\"c\":10}},"
						  "{\"views\":{\"c\":20}}"),
			      record(FINGERPRINT, "{\"views\":{\"c\":40}},{\"views\":{\"c\":10}},"
						  "{\"views\":{\"c\":30}},{\"views\":{\"c\":20}}"),
			      NULL);
	row = row_of(&result, "c");
	assert_int_equal(row->a.runs, 3);
	assert_int_equal(row->a.median_count, 20);
	assert_true(row->a.min == 10 && row->a.max == 30);
	/* an even number of runs: the lower middle one, an observed count */
	assert_int_equal(row->b.runs, 4);
	assert_int_equal(row->b.median_count, 20);
	assert_false(row->changed);
	assert_int_equal(result.status, DIFF_EXIT_SAME);
	diff_result_free(&result);

	/* a metric missing from a run: the median of the runs that have it */
	result = compare_docs(
		record(FINGERPRINT, "{\"views\":{\"c\":5}},{\"views\":{}},{\"views\":{\"c\":7}}"),
		record(FINGERPRINT, "{\"views\":{\"c\":5}}"), NULL);
	row = row_of(&result, "c");
	assert_int_equal(row->a.runs, 2);
	assert_int_equal(row->a.median_count, 5);
	assert_false(row->changed);
	diff_result_free(&result);
}

/* Three runs of p50_ns, the values given as "x y z". */
static struct json_object *three_runs(const char *values)
{
	char runs[256];
	int x, y, z;

	assert_int_equal(sscanf(values, "%d %d %d", &x, &y, &z), 3);
	snprintf(
		runs, sizeof(runs),
		"{\"views\":{\"p50_ns\":%d}},{\"views\":{\"p50_ns\":%d}},{\"views\":{\"p50_ns\":%d}}",
		x, y, z);
	return record(FINGERPRINT, runs);
}

/* p50_ns over three runs a side, with or without a threshold. */
static struct diff_result timings(const char *a, const char *b, const char *rule)
{
	struct diff_threshold threshold;
	struct diff_opts opts = { .thresholds = &threshold, .nr_thresholds = rule ? 1 : 0 };
	char text[64];

	if (rule) {
		strcpy(text, rule);
		assert_int_equal(diff_parse_threshold(text, &threshold), 0);
	}
	return compare_docs(three_runs(a), three_runs(b), &opts);
}

static void spread_rule(void **state)
{
	struct diff_result result;

	(void)state;
	/* ranges [100,300] and [250,400] overlap: no change, though the medians differ */
	result = timings("100 300 200", "250 260 400", "p50_ns=1");
	assert_true(result.rows[0].timing);
	assert_false(result.rows[0].changed);
	assert_false(result.rows[0].regression);
	diff_result_free(&result);
	/* [100,300] and [310,400]: a change, shown; no threshold names it: no regression */
	result = timings("100 300 200", "350 310 400", NULL);
	assert_true(result.rows[0].changed);
	assert_false(result.rows[0].regression);
	assert_int_equal(result.status, DIFF_EXIT_SAME);
	diff_result_free(&result);
	/* named: the medians, 200 -> 350, +75% */
	result = timings("100 300 200", "350 310 400", "lat.*=80%");
	assert_false(result.rows[0].regression);
	diff_result_free(&result);
	result = timings("100 300 200", "350 310 400", "p50_ns=74%");
	assert_true(result.rows[0].regression);
	assert_int_equal(result.status, DIFF_EXIT_REGRESSION);
	diff_result_free(&result);
	result = timings("100 300 200", "350 310 400", "*_ns=149");
	assert_true(result.rows[0].regression);
	diff_result_free(&result);
	result = timings("100 300 200", "350 310 400", "*_ns=150");
	assert_false(result.rows[0].regression);
	diff_result_free(&result);
	/* a single run each: any difference is a change */
	result = compare_docs(totals("\"cow_lat_ns\":10"), totals("\"cow_lat_ns\":11"), NULL);
	assert_true(result.rows[0].changed);
	assert_false(result.rows[0].regression);
	diff_result_free(&result);
}

static void fail_on(void **state)
{
	static const char *const only_cow[] = { "cow" };
	struct diff_opts opts = { .fail_on = only_cow, .nr_fail_on = 1 };
	struct diff_result result;

	(void)state;
	result = compare_docs(totals("\"mkwrite\":64,\"cow\":0"),
			      totals("\"mkwrite\":128,\"cow\":8"), &opts);
	assert_true(row_of(&result, "top.total.mkwrite")->changed);
	assert_false(row_of(&result, "top.total.mkwrite")->regression);
	assert_true(row_of(&result, "top.total.cow")->regression);
	assert_int_equal(result.status, DIFF_EXIT_REGRESSION);
	diff_result_free(&result);

	result = compare_docs(totals("\"mkwrite\":64,\"cow\":0"),
			      totals("\"mkwrite\":128,\"cow\":0"), &opts);
	assert_int_equal(result.status, DIFF_EXIT_SAME);
	diff_result_free(&result);
}

static void one_sided(void **state)
{
	struct diff_threshold threshold = { "p99_ns", 5, false, false };
	struct diff_opts allow = { .allow_missing = true };
	struct diff_opts named = { .thresholds = &threshold, .nr_thresholds = 1 };
	struct diff_result result;
	const struct diff_row *row;

	(void)state;
	result = compare_docs(totals("\"mkwrite\":1,\"p50_ns\":4"),
			      totals("\"mkwrite\":1,\"cow\":0,\"p99_ns\":3"), NULL);
	row = row_of(&result, "top.total.cow");
	assert_int_equal(row->a.runs, 0);
	assert_int_equal(row->b.runs, 1);
	assert_true(row->changed);
	assert_true(row->regression);
	/* a timing on one side: shown, no regression unless a threshold names it */
	assert_true(row_of(&result, "top.total.p50_ns")->changed);
	assert_false(row_of(&result, "top.total.p50_ns")->regression);
	assert_false(row_of(&result, "top.total.p99_ns")->regression);
	assert_int_equal(result.status, DIFF_EXIT_REGRESSION);
	diff_result_free(&result);

	result = compare_docs(totals("\"p50_ns\":4"), totals("\"p99_ns\":3"), &named);
	assert_false(row_of(&result, "top.total.p50_ns")->regression);
	assert_true(row_of(&result, "top.total.p99_ns")->regression);
	diff_result_free(&result);

	result = compare_docs(totals("\"mkwrite\":1"), totals("\"mkwrite\":1,\"cow\":0"), &allow);
	assert_true(row_of(&result, "top.total.cow")->changed);
	assert_false(row_of(&result, "top.total.cow")->regression);
	assert_int_equal(result.status, DIFF_EXIT_SAME);
	diff_result_free(&result);
}

static void cannot_compare(void **state)
{
	struct diff_opts allow = { .allow_missing = true };
	struct diff_result result;

	(void)state;
	result = compare_docs(record("{\"command\":[\"a\"]}", "{\"views\":{\"c\":1}}"),
			      record("{\"command\":[\"b\"]}", "{\"views\":{\"c\":2}}"), NULL);
	assert_false(result.compared);
	assert_int_equal(result.status, DIFF_EXIT_CANNOT_COMPARE);
	assert_int_equal(result.nr_rows, 0);
	assert_int_equal(result.nr_blockers, 1);
	assert_string_equal(result.blockers[0], "the records ran different commands");
	assert_int_equal(result.nr_fields, 1);
	assert_string_equal(result.fields[0].name, "command");
	assert_string_equal(result.fields[0].a, "[\"a\"]");
	assert_string_equal(result.fields[0].b, "[\"b\"]");
	diff_result_free(&result);

	result = compare_docs(record("{\"attach\":{\"mkwrite.xfs\":\"kprobe\",\"fault\":\"tp_btf\","
				     "\"share.assoc\":\"none\"}}",
				     "{\"views\":{}}"),
			      record("{\"attach\":{\"fault\":\"raw_tp\",\"share.assoc\":\"fentry\","
				     "\"mkwrite.xfs\":\"none\",\"cow\":\"none\"}}",
				     "{\"views\":{}}"),
			      NULL);
	assert_int_equal(result.status, DIFF_EXIT_CANNOT_COMPARE);
	assert_int_equal(result.nr_blockers, 2);
	assert_string_equal(result.blockers[0], "mkwrite.xfs attached in A only (kprobe)");
	assert_string_equal(result.blockers[1], "share.assoc attached in B only (fentry)");
	diff_result_free(&result);

	/* a point one plan does not hold at all (share.context: 7.2, not 6.1) blocks nothing */
	result = compare_docs(record("{\"attach\":{\"fault\":\"tp_btf\"}}", "{\"views\":{}}"),
			      record("{\"attach\":{\"fault\":\"kprobe\",\"share.context\":"
				     "\"kprobe\"}}",
				     "{\"views\":{}}"),
			      NULL);
	assert_int_equal(result.nr_blockers, 0);
	assert_int_equal(result.status, DIFF_EXIT_SAME);
	diff_result_free(&result);

	/* compared anyway: the blockers are kept, the status is the metrics' */
	result = compare_docs(record("{\"command\":[\"a\"]}", "{\"views\":{\"c\":1}}"),
			      record("{}", "{\"views\":{\"c\":2}}"), &allow);
	assert_true(result.compared);
	assert_int_equal(result.nr_blockers, 1);
	assert_int_equal(result.status, DIFF_EXIT_REGRESSION);
	diff_result_free(&result);
}

static void fingerprint_fields(void **state)
{
	struct diff_result result;
	struct json_object *a, *b;
	struct record_error err;
	static const char a_text[] =
		"{\"format\":\"daxtrace-record/1\",\"daxtrace\":{\"version\":\"0.4.0\"},"
		"\"fingerprint\":{\"kernel\":{\"release\":\"6.1.0-41-amd64\",\"config\":"
		"{\"CONFIG_FS_DAX\":\"y\"}},\"dax_mounts\":[{\"mount\":\"/mnt/dax\",\"options\":"
		"\"rw\"}],\"repeat\":1},\"runs\":[{\"views\":{}}]}";
	static const char b_text[] =
		"{\"format\":\"daxtrace-record/1\",\"daxtrace\":{\"version\":\"0.5.0\"},"
		"\"fingerprint\":{\"kernel\":{\"release\":\"7.2.13-amd64\",\"config\":"
		"{\"CONFIG_FS_DAX\":\"y\"}},\"dax_mounts\":[{\"mount\":\"/mnt/dax\",\"options\":"
		"\"ro\"}],\"repeat\":3,\"memory_kb\":2014208},\"runs\":[{\"views\":{}}]}";

	(void)state;
	a = record_parse("a", a_text, strlen(a_text), &err);
	b = record_parse("b", b_text, strlen(b_text), &err);
	result = compare_docs(a, b, NULL);
	assert_int_equal(result.nr_fields, 5);
	assert_string_equal(result.fields[0].name, "dax_mounts[0].options");
	assert_string_equal(result.fields[0].a, "rw");
	assert_string_equal(result.fields[0].b, "ro");
	assert_string_equal(result.fields[1].name, "daxtrace.version");
	assert_string_equal(result.fields[2].name, "kernel.release");
	assert_string_equal(result.fields[2].a, "6.1.0-41-amd64");
	assert_string_equal(result.fields[2].b, "7.2.13-amd64");
	assert_string_equal(result.fields[3].name, "memory_kb");
	assert_null(result.fields[3].a);
	assert_string_equal(result.fields[3].b, "2014208");
	assert_string_equal(result.fields[4].name, "repeat");
	assert_string_equal(result.fields[4].a, "1");
	assert_string_equal(result.fields[4].b, "3");
	assert_int_equal(result.status, DIFF_EXIT_SAME);
	diff_result_free(&result);
}

/* What render wrote, as one string (free it). */
static char *rendered(void (*render)(FILE *, const struct diff_result *),
		      const struct diff_result *result)
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);

	assert_non_null(out);
	render(out, result);
	fclose(out);
	return text;
}

/* mkwrite 64 -> 128 (regression), a hostile file's cow 1 -> 1, wall_s 1.5 -> 1.25. */
static struct diff_result sample(void)
{
	return compare_docs(
		record("{\"kernel\":{\"release\":\"6.1\"}}",
		       "{\"wall_s\":1.5,\"views\":{\"top\":{\"total\":{\"mkwrite\":64},"
		       "\"files\":{\"x#y\\n\\u001b[2J\":{\"cow\":1}}}}}"),
		record("{\"kernel\":{\"release\":\"7.2\\u001b[2J\"}}",
		       "{\"wall_s\":1.25,\"views\":{\"top\":{\"total\":{\"mkwrite\":128},"
		       "\"files\":{\"x#y\\n\\u001b[2J\":{\"cow\":1}}}}}"),
		NULL);
}

static void ktap_output(void **state)
{
	struct diff_result result = sample();
	char *text = rendered(diff_render_ktap, &result);

	(void)state;
	assert_string_equal(text, "KTAP version 1\n"
				  "1..3\n"
				  "# kernel.release: 6.1 -> 7.2\\e[2J\n"
				  "ok 1 top.files.x\\x23y\\n\\e[2J.cow\n"
				  "# top.total.mkwrite: 64 -> 128 (+64, +100.0%) regression\n"
				  "not ok 2 top.total.mkwrite\n"
				  "# wall_s: 1.5 -> 1.25 (-0.25, -16.7%) timing\n"
				  "ok 3 wall_s\n");
	free(text);
	diff_result_free(&result);

	result = compare_docs(record("{\"command\":[\"a\"]}", "{\"views\":{\"c\":1}}"),
			      record("{\"command\":[\"b\"]}", "{\"views\":{\"c\":1}}"), NULL);
	text = rendered(diff_render_ktap, &result);
	assert_string_equal(text, "KTAP version 1\n"
				  "1..0\n"
				  "# command: [\"a\"] -> [\"b\"]\n"
				  "# cannot compare: the records ran different commands\n");
	free(text);
	diff_result_free(&result);
}

static void json_output(void **state)
{
	struct diff_result result = sample();
	char *text = rendered(diff_render_json, &result);

	(void)state;
	assert_string_equal(
		text, "{\"fingerprint\":[{\"field\":\"kernel.release\",\"a\":\"6.1\",\"b\":"
		      "\"7.2\\u001b[2J\"}],\"cannot_compare\":[],\"compared\":true,\"metrics\":["
		      "{\"metric\":\"top.total.mkwrite\",\"a\":64,\"b\":128,\"delta\":64,"
		      "\"relative\":100,\"kind\":\"exact\",\"regression\":true},"
		      "{\"metric\":\"wall_s\",\"a\":1.5,\"b\":1.25,\"delta\":-0.25,"
		      "\"relative\":-16.6667,\"kind\":\"timing\",\"regression\":false}],"
		      "\"status\":1}\n");
	free(text);
	diff_result_free(&result);
}

static void text_output(void **state)
{
	struct diff_result result = sample();
	char *text = rendered(diff_render_text, &result);

	(void)state;
	assert_string_equal(
		text, "kernel.release: 6.1 -> 7.2\\e[2J\n"
		      "\n"
		      "METRIC                          A              B          DELTA  RELATIVE\n"
		      "top.total.mkwrite              64            128            +64   +100.0%"
		      "  regression\n"
		      "wall_s                        1.5           1.25          -0.25    -16.7%"
		      "  timing\n"
		      "\n"
		      "3 metrics compared, 2 changed, 1 regressions\n");
	free(text);
	diff_result_free(&result);
}

static void regressions_named(void **state)
{
	struct diff_result result = sample();
	char views[2][1024];
	char *text;
	int len[2] = {};

	(void)state;
	text = rendered(diff_print_regressions, &result);
	assert_string_equal(text, "daxtrace diff: regression: top.total.mkwrite 64 -> 128\n");
	free(text);
	diff_result_free(&result);

	for (int i = 0; i < 12; i++)
		for (int side = 0; side < 2; side++)
			len[side] += snprintf(views[side] + len[side], 64, "%s\"c%02d\":%d",
					      i ? "," : "", i, side);
	{
		char runs_a[1100], runs_b[1100];

		snprintf(runs_a, sizeof(runs_a), "{\"views\":{%s}}", views[0]);
		snprintf(runs_b, sizeof(runs_b), "{\"views\":{%s}}", views[1]);
		result = compare_docs(record("{}", runs_a), record("{}", runs_b), NULL);
	}
	text = rendered(diff_print_regressions, &result);
	assert_string_equal(text, "daxtrace diff: regression: c00 0 -> 1, c01 0 -> 1, c02 0 -> 1, "
				  "c03 0 -> 1, c04 0 -> 1, c05 0 -> 1, c06 0 -> 1, c07 0 -> 1, "
				  "c08 0 -> 1, c09 0 -> 1, and 2 more\n");
	free(text);
	diff_result_free(&result);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(thresholds_parsed),
		cmocka_unit_test(exact_counts),
		cmocka_unit_test(thresholds_applied),
		cmocka_unit_test(suffix_globs),
		cmocka_unit_test(medians),
		cmocka_unit_test(spread_rule),
		cmocka_unit_test(fail_on),
		cmocka_unit_test(one_sided),
		cmocka_unit_test(cannot_compare),
		cmocka_unit_test(fingerprint_fields),
		cmocka_unit_test(ktap_output),
		cmocka_unit_test(json_output),
		cmocka_unit_test(text_output),
		cmocka_unit_test(regressions_named),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
