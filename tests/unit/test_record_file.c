// SPDX-License-Identifier: GPL-2.0
/* Loading a record (engine/record_file.c): what it accepts, and one line for each way it refuses. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <json-c/json.h>

#include "engine/record_file.h"
#include "engine/record_metrics.h"
#include "temp_file.h"

#define FINGERPRINT                                                                           \
	"\"fingerprint\":{\"kernel\":{\"release\":\"6.1.0-41-amd64\"},\"attach\":{\"fault\":" \
	"\"tp_btf\"},\"command\":[\"sh\",\"-c\",\"x\"],\"repeat\":2}"

static const char valid[] =
	"{\"format\":\"daxtrace-record/1\",\"daxtrace\":{\"version\":\"0.4.0\"}," FINGERPRINT
	",\"runs\":[{\"run\":1,\"wall_s\":1.25,\"views\":{\"top\":{\"total\":{\"mkwrite\":64,"
	"\"cow_lat_ns\":12.5,\"lat\":{\"slots\":[0,1,2]}},\"files\":{\"data/a.img\":{\"cow\":3},"
	"\"\":{\"cow\":1},\"a\\\"b c\\\\d\\u0001\":{\"cow\":2}}},\"mapuse\":{\"sites\":{"
	"\"dax_lock_folio\":{\"count\":18446744073709551614,\"stacks\":[{\"count\":1,"
	"\"frames\":[\"f [m]\"]}]}}}}},"
	"{\"run\":2,\"wall_s\":2,\"views\":{\"top\":{\"total\":{\"mkwrite\":65}},"
	"\"future\":{\"flag\":true,\"nothing\":null}}}]}  \n";

/* A record with one run whose views are `views`. */
static char *record_with_views(const char *views)
{
	char *text;

	assert_true(asprintf(&text,
			     "{\"format\":\"daxtrace-record/1\"," FINGERPRINT
			     ",\"runs\":[{\"views\":%s}]}",
			     views) > 0);
	return text;
}

static void expect_error(const char *text, const char *message)
{
	struct record_error err;

	assert_null(record_parse("a.json", text, strlen(text), &err));
	assert_string_equal(err.message, message);
	assert_false(err.out_of_memory);
}

static void expect_views_error(const char *views, const char *message)
{
	char *text = record_with_views(views);

	expect_error(text, message);
	free(text);
}

static void load_valid(void **state)
{
	struct json_object *doc, *run, *total;
	struct record_error err;
	char path[32];
	uint64_t count;
	double seconds;

	(void)state;
	temp_file_write(path, valid);
	doc = record_load(path, &err);
	unlink(path);
	assert_non_null(doc);
	assert_string_equal(record_string(doc, "format"), RECORD_FORMAT);
	assert_int_equal(record_nr_runs(doc), 2);
	assert_null(record_run(doc, 2));
	run = record_run(doc, 0);
	assert_true(record_number(run, "wall_s", &seconds));
	assert_true(seconds == 1.25);
	assert_true(record_u64(run, "run", &count));
	assert_int_equal(count, 1);
	total = record_object(record_object(record_views(run), "top"), "total");
	assert_true(record_u64(total, "mkwrite", &count));
	assert_int_equal(count, 64);
	assert_true(record_number(total, "cow_lat_ns", &seconds));
	assert_true(seconds == 12.5);
	/* wrong types and missing members */
	assert_false(record_u64(total, "cow_lat_ns", &count));
	assert_false(record_u64(total, "lat", &count));
	assert_false(record_u64(total, "nothing", &count));
	assert_null(record_string(total, "mkwrite"));
	assert_null(record_object(total, "mkwrite"));
	assert_null(record_object(NULL, "top"));
	assert_true(record_u64(record_fingerprint(doc), "repeat", &count));
	assert_int_equal(count, 2);
	assert_true(record_number(record_run(doc, 1), "wall_s", &seconds));
	assert_true(seconds == 2);
	record_free(doc);
}

static void largest_count(void **state)
{
	struct json_object *doc, *site;
	struct record_error err;
	uint64_t count;

	(void)state;
	doc = record_parse("a.json", valid, strlen(valid), &err);
	assert_non_null(doc);
	site = record_object(
		record_object(record_object(record_views(record_run(doc, 0)), "mapuse"), "sites"),
		"dax_lock_folio");
	assert_true(record_u64(site, "count", &count));
	assert_true(count == 18446744073709551614ULL);
	record_free(doc);
}

static void bad_json(void **state)
{
	(void)state;
	expect_error("{\"format\":", "a.json: truncated JSON at byte 10");
	expect_error(
		"{\"format\" 1}",
		"a.json: corrupt JSON at byte 10: object property name separator ':' expected");
	/* json-c's strict mode refuses what follows the document itself */
	expect_error("{\"a\":1} {", "a.json: corrupt JSON at byte 8: unexpected character");
	expect_error("{\"a\":[1,]}", "a.json: corrupt JSON at byte 8: unexpected character");
	expect_error("{\"a\":\"\xff\"}", "a.json: corrupt JSON at byte 6: invalid utf-8 string");
	expect_error("", "a.json: empty: not a daxtrace record");
	expect_error(" \n", "a.json: empty: not a daxtrace record");
	expect_error("[1]", "a.json: not a daxtrace record (not a JSON object)");
	expect_error("\"daxtrace-record/1\"", "a.json: not a daxtrace record (not a JSON object)");
}

static void embedded_nul(void **state)
{
	static const char text[] = "{\"a\":1\0}";
	struct record_error err;

	(void)state;
	assert_null(record_parse("a.json", text, sizeof(text) - 1, &err));
	assert_string_equal(err.message, "a.json: corrupt JSON at byte 6: unexpected end of data");
	assert_null(record_parse("a.json", "{\"a\":1}\0", 8, &err));
	assert_string_equal(err.message, "a.json: trailing data after the JSON document at byte 7");
}

static void format_checked(void **state)
{
	(void)state;
	expect_error("{\"runs\":[]}", "a.json: not a daxtrace record (no \"format\")");
	expect_error("{\"format\":1}", "a.json: not a daxtrace record (no \"format\")");
	expect_error("{\"format\":\"perf-record/1\"}",
		     "a.json: not a daxtrace record (format is not daxtrace-record/1)");
	expect_error("{\"format\":\"daxtrace-record/\"}",
		     "a.json: not a daxtrace record (format is not daxtrace-record/1)");
	expect_error("{\"format\":\"daxtrace-record/1r\\nns\"}",
		     "a.json: not a daxtrace record (format is not daxtrace-record/1)");
	/* the version is refused whatever else the record holds */
	expect_error("{\"format\":\"daxtrace-record/2\",\"runs\":7}",
		     "a.json: record format daxtrace-record/2 is newer than this daxtrace reads "
		     "(daxtrace-record/1)");
}

static void structure_checked(void **state)
{
	(void)state;
	expect_error("{\"format\":\"daxtrace-record/1\",\"runs\":[]}",
		     "a.json: no \"fingerprint\" object");
	expect_error("{\"format\":\"daxtrace-record/1\",\"fingerprint\":[]}",
		     "a.json: no \"fingerprint\" object");
	expect_error("{\"format\":\"daxtrace-record/1\"," FINGERPRINT "}",
		     "a.json: no \"runs\" array");
	expect_error("{\"format\":\"daxtrace-record/1\"," FINGERPRINT ",\"runs\":{}}",
		     "a.json: no \"runs\" array");
	expect_error("{\"format\":\"daxtrace-record/1\"," FINGERPRINT ",\"runs\":[]}",
		     "a.json: no runs (\"runs\" is empty)");
	expect_error("{\"format\":\"daxtrace-record/1\"," FINGERPRINT
		     ",\"runs\":[{\"views\":{}},3]}",
		     "a.json: runs[1]: not an object");
	expect_error("{\"format\":\"daxtrace-record/1\"," FINGERPRINT ",\"runs\":[{\"run\":1}]}",
		     "a.json: runs[0]: no \"views\" object");
	expect_error("{\"format\":\"daxtrace-record/1\"," FINGERPRINT
		     ",\"runs\":[{\"views\":{},\"wall_s\":-1}]}",
		     "a.json: runs[0]: wall_s is not a number of seconds");
	expect_error("{\"format\":\"daxtrace-record/1\",\"fingerprint\":{\"command\":\"sh\"},"
		     "\"runs\":[{\"views\":{}}]}",
		     "a.json: fingerprint.command is not an array");
	expect_error("{\"format\":\"daxtrace-record/1\",\"fingerprint\":{\"command\":[1]},"
		     "\"runs\":[{\"views\":{}}]}",
		     "a.json: fingerprint.command[0] is not a string");
	expect_error("{\"format\":\"daxtrace-record/1\",\"fingerprint\":{\"attach\":{\"a\":1}},"
		     "\"runs\":[{\"views\":{}}]}",
		     "a.json: fingerprint.attach member is not a string");
	expect_error("{\"format\":\"daxtrace-record/1\",\"fingerprint\":{\"repeat\":-3},"
		     "\"runs\":[{\"views\":{}}]}",
		     "a.json: fingerprint.repeat is not a count");
}

static void hostile_numbers(void **state)
{
	(void)state;
	expect_views_error("{\"top\":{\"total\":{\"cow\":1e400}}}",
			   "a.json: runs[0].views.top.total.cow: a number out of range");
	expect_views_error("{\"top\":{\"total\":{\"cow_lat_ns\":1e400}}}",
			   "a.json: runs[0].views.top.total.cow_lat_ns: a number out of range");
	expect_views_error("{\"top\":{\"total\":{\"cow\":18446744073709551616}}}",
			   "a.json: runs[0].views.top.total.cow: a count of 2^64 - 1 or more");
	expect_views_error("{\"top\":{\"total\":{\"cow\":18446744073709551615}}}",
			   "a.json: runs[0].views.top.total.cow: a count of 2^64 - 1 or more");
	expect_views_error("{\"top\":{\"total\":{\"cow\":-1}}}",
			   "a.json: runs[0].views.top.total.cow: a negative count");
	expect_views_error("{\"top\":{\"total\":{\"cow\":-99999999999999999999}}}",
			   "a.json: runs[0].views.top.total.cow: a negative count");
	expect_views_error("{\"top\":{\"total\":{\"cow_lat_ns\":-0.5}}}",
			   "a.json: runs[0].views.top.total.cow_lat_ns: a negative number");
	expect_views_error("{\"top\":{\"total\":{\"cow\":1.5}}}",
			   "a.json: runs[0].views.top.total.cow: a count that is not an integer");
	expect_views_error("{\"lat\":{\"cow\":{\"slots\":[1,-2]}}}",
			   "a.json: runs[0].views.lat.cow.slots[1]: a negative count");
	expect_views_error("{\"top\":{\"total\":{\"cow\":NaN}}}",
			   "a.json: runs[0].views.top.total.cow: a number out of range");
	/* outside the views, a number only has to be finite */
	expect_error("{\"format\":\"daxtrace-record/1\"," FINGERPRINT
		     ",\"x\":Infinity,\"runs\":[{\"views\":{}}]}",
		     "a.json: x: a number out of range");
}

/* A record whose views hold "a": n nested arrays around a 1. */
static char *record_with_nesting(size_t n)
{
	char *views = malloc(2 * n + 16), *text;
	size_t len = sprintf(views, "{\"a\":");

	assert_non_null(views);
	memset(views + len, '[', n);
	len += n;
	views[len++] = '1';
	memset(views + len, ']', n);
	strcpy(views + len + n, "}");
	text = record_with_views(views);
	free(views);
	return text;
}

static void deep_nesting(void **state)
{
	size_t depth = 10000, len = 0;
	char *text = malloc(2 * depth + 16);
	struct record_error err;
	char *at_limit;

	(void)state;
	assert_non_null(text);
	len += sprintf(text, "{\"a\":");
	for (size_t i = 0; i < depth; i++)
		text[len++] = '[';
	for (size_t i = 0; i < depth; i++)
		text[len++] = ']';
	text[len++] = '}';
	assert_null(record_parse("a.json", text, len, &err));
	assert_string_equal(err.message, "a.json: nesting deeper than 32");
	free(text);

	/* 32 levels parse: the views object is the 4th, its "a" array the 5th */
	at_limit = record_with_nesting(28);
	record_free(record_parse("a.json", at_limit, strlen(at_limit), &err));
	assert_string_equal(err.message, "");
	free(at_limit);
	at_limit = record_with_nesting(29);
	expect_error(at_limit, "a.json: nesting deeper than 32");
	free(at_limit);
}

static void long_strings(void **state)
{
	size_t huge = 100u << 20;
	char *text = malloc(huge + 64), *key, *views;
	struct record_error err;
	size_t len;

	(void)state;
	assert_non_null(text);
	len = sprintf(text, "{\"format\":\"");
	memset(text + len, 'x', huge);
	len += huge;
	len += sprintf(text + len, "\"}");
	assert_null(record_parse("a.json", text, len, &err));
	assert_string_equal(err.message,
			    "a.json: not a daxtrace record (format is not daxtrace-record/1)");
	free(text);

	key = malloc(RECORD_MAX_STRING + 2);
	assert_non_null(key);
	memset(key, 'k', RECORD_MAX_STRING + 1);
	key[RECORD_MAX_STRING + 1] = '\0';
	assert_true(asprintf(&views, "{\"top\":{\"files\":{\"%s\":{\"cow\":1}}}}", key) > 0);
	expect_views_error(views, "a.json: runs[0].views.top.files: a key longer than 4096 bytes");
	free(views);
	assert_true(asprintf(&views, "{\"top\":{\"files\":{\"%.4096s\":{\"cow\":1}}}}", key) > 0);
	text = record_with_views(views);
	record_free(record_parse("a.json", text, strlen(text), &err));
	assert_string_equal(err.message, "");
	free(text);
	free(views);
	assert_true(asprintf(&views,
			     "{\"mapuse\":{\"sites\":{\"s\":{\"stacks\":[{\"frames\":"
			     "[\"%s\"]}]}}}}",
			     key) > 0);
	expect_views_error(views, "a.json: runs[0].views.mapuse.sites.s.stacks[0].frames[0]: a "
				  "string longer than 4096 bytes");
	free(views);
	free(key);
	expect_views_error("{\"a\":{\"b\":\"x\\u0000y\"}}",
			   "a.json: runs[0].views.a.b: a string with a NUL character");
}

static void unreadable_files(void **state)
{
	struct record_error err;
	char path[32];
	FILE *big;

	(void)state;
	assert_null(record_load("/nonexistent/a.json", &err));
	assert_string_equal(err.message, "/nonexistent/a.json: No such file or directory");
	assert_null(record_load("/", &err));
	assert_string_equal(err.message, "/: Is a directory");

	/* one byte more than a record may be: refused without parsing (a sparse file) */
	temp_file_write(path, "");
	big = fopen(path, "w");
	assert_non_null(big);
	assert_int_equal(ftruncate(fileno(big), RECORD_MAX_BYTES + 1), 0);
	fclose(big);
	assert_null(record_load(path, &err));
	unlink(path);
	assert_int_equal(strncmp(err.message, path, strlen(path)), 0);
	assert_string_equal(err.message + strlen(path),
			    ": larger than 256 MiB, the most a record may be");

	/* a name that is not text is shown escaped */
	assert_null(record_load("/nonexistent/a\n\x1b[2J.json", &err));
	assert_string_equal(err.message, "/nonexistent/a\\n\\e[2J.json: No such file or directory");
}

/* --- metrics ------------------------------------------------------------------------------ */

static void metrics_named(void **state)
{
	struct record_metrics metrics;
	struct record_error err;
	struct json_object *doc;
	static const char *const names[] = {
		"mapuse.sites.dax_lock_folio.count",
		"top.files.\"\".cow",
		"top.files.\"a\\\"b c\\\\d\\u0001\".cow",
		"top.files.\"data/a.img\".cow",
		"top.total.cow_lat_ns",
		"top.total.mkwrite",
		"wall_s",
	};

	(void)state;
	doc = record_parse("a.json", valid, strlen(valid), &err);
	assert_non_null(doc);
	assert_int_equal(record_metrics_of_run(record_run(doc, 0), &metrics), 0);
	assert_int_equal(metrics.nr, 7);
	for (size_t i = 0; i < metrics.nr; i++)
		assert_string_equal(metrics.items[i].name, names[i]);
	assert_true(metrics.items[0].integer);
	assert_true(metrics.items[0].count == 18446744073709551614ULL);
	assert_false(metrics.items[0].timing);
	assert_true(metrics.items[4].timing);
	assert_false(metrics.items[4].integer);
	assert_true(metrics.items[4].value == 12.5);
	assert_int_equal(metrics.items[5].count, 64);
	assert_true(metrics.items[6].timing);
	assert_true(metrics.items[6].value == 1.25);
	record_metrics_free(&metrics);

	/* booleans and nulls are not metrics */
	assert_int_equal(record_metrics_of_run(record_run(doc, 1), &metrics), 0);
	assert_int_equal(metrics.nr, 2);
	assert_string_equal(metrics.items[0].name, "top.total.mkwrite");
	assert_string_equal(metrics.items[1].name, "wall_s");
	assert_true(metrics.items[1].integer);
	record_metrics_free(&metrics);
	record_free(doc);
}

static void metrics_matched(void **state)
{
	(void)state;
	assert_true(record_metric_matches("top.total.mkwrite", "mkwrite"));
	assert_true(record_metric_matches("top.total.mkwrite", "top.total.mkwrite"));
	assert_true(record_metric_matches("top.total.mkwrite", "total.mkwrite"));
	assert_true(record_metric_matches("top.files.\"a\".mkwrite", "mkwrite"));
	assert_true(record_metric_matches("top.files.\"a.img\".mkwrite", "mkwrite"));
	assert_true(record_metric_matches("top.files.\"a.img\".mkwrite", "\"a.img\".mkwrite"));
	assert_true(record_metric_matches("lat.pte-read.p50_ns", "lat.*.p50_ns"));
	assert_true(record_metric_matches("top.total.lat.p50_ns", "*_ns"));
	assert_true(record_metric_matches("top.total.cow", "total.*"));
	/* a suffix starts after a separator, never inside a quoted key */
	assert_false(record_metric_matches("top.files.\"a.img\".mkwrite", "img\".mkwrite"));
	assert_false(record_metric_matches("top.total.mkwrite", "write"));
	assert_false(record_metric_matches("top.total.mkwrite", "top"));
	assert_false(record_metric_matches("top.total.mkwrite", "mkwrite.x"));
	assert_false(record_metric_matches("top.files.\"x\\\".mkwrite\"", "mkwrite\""));
}

static void name_append(void **state)
{
	char *name = NULL;
	size_t len = 0, size = 0;

	(void)state;
	assert_int_equal(record_name_append(&name, &len, &size, "top"), 0);
	assert_int_equal(record_name_append(&name, &len, &size, "a b"), 0);
	assert_int_equal(record_name_append(&name, &len, &size, "\x1f\\"), 0);
	assert_int_equal(record_name_append(&name, &len, &size, ""), 0);
	assert_string_equal(name, "top.\"a b\".\"\\u001f\\\\\".\"\"");
	assert_int_equal(len, strlen(name));
	free(name);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(load_valid),	   cmocka_unit_test(largest_count),
		cmocka_unit_test(bad_json),	   cmocka_unit_test(embedded_nul),
		cmocka_unit_test(format_checked),  cmocka_unit_test(structure_checked),
		cmocka_unit_test(hostile_numbers), cmocka_unit_test(deep_nesting),
		cmocka_unit_test(long_strings),	   cmocka_unit_test(unreadable_files),
		cmocka_unit_test(metrics_named),   cmocka_unit_test(metrics_matched),
		cmocka_unit_test(name_append),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
