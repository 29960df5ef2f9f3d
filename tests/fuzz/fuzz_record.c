// SPDX-License-Identifier: GPL-2.0
/*
 * Records (user/engine/record_file.c, record_metrics.c, cmd/diff_compare.c): the input is a
 * record file. What the loader accepts must hold what it promises its readers (record_file.h),
 * and the diff's flattening and comparison must take it, against itself and against a fixed
 * record, without a crash, a leak or a broken invariant.
 */
#include <string.h>

#include <json-c/json.h>

#include "cmd/diff.h"
#include "engine/record_file.h"
#include "engine/record_metrics.h"
#include "fuzz_input.h"

static const char other[] =
	"{\"format\":\"daxtrace-record/1\",\"fingerprint\":{\"attach\":{\"fault\":\"tp_btf\"}},"
	"\"runs\":[{\"wall_s\":1,\"views\":{\"top\":{\"total\":{\"mkwrite\":3,\"p50_ns\":7}}}}]}";

static void check_runs(const struct json_object *doc)
{
	struct record_metrics metrics;

	fuzz_check(record_fingerprint(doc));
	fuzz_check(record_nr_runs(doc) >= 1);
	for (size_t i = 0; i < record_nr_runs(doc); i++) {
		fuzz_check(record_views(record_run(doc, i)));
		if (record_metrics_of_run(record_run(doc, i), &metrics))
			continue;
		for (size_t m = 0; m < metrics.nr; m++) {
			fuzz_check(!m ||
				   strcmp(metrics.items[m - 1].name, metrics.items[m].name) < 0);
			fuzz_check(metrics.items[m].value >= 0);
			fuzz_check(metrics.items[m].timing || metrics.items[m].integer);
			fuzz_check(record_metric_matches(metrics.items[m].name, "*"));
		}
		record_metrics_free(&metrics);
	}
}

static void check_diff(const struct json_object *a, const struct json_object *b)
{
	static const char *const fail_on[] = { "*" };
	struct diff_threshold threshold = { "mkwrite", 1, true, false };
	struct diff_opts opts = {
		.thresholds = &threshold, .nr_thresholds = 1, .fail_on = fail_on, .nr_fail_on = 1
	};
	struct diff_result result;

	if (diff_compare(a, b, &opts, &result))
		return;
	fuzz_check(result.compared == !result.nr_blockers);
	for (size_t i = 0; i < result.nr_rows; i++) {
		const struct diff_row *row = &result.rows[i];

		fuzz_check(row->a.runs || row->b.runs);
		fuzz_check(!row->regression || row->changed);
		fuzz_check(!i || strcmp(result.rows[i - 1].metric, row->metric) < 0);
	}
	/* a record against itself: nothing changed */
	if (a == b)
		for (size_t i = 0; i < result.nr_rows; i++)
			fuzz_check(!result.rows[i].changed);
	diff_result_free(&result);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_object *doc, *fixed;
	struct record_error err;

	doc = record_parse("fuzz.json", (const char *)data, size, &err);
	if (!doc) {
		fuzz_check(err.message[0] && !strchr(err.message, '\n'));
		return 0;
	}
	check_runs(doc);
	fixed = record_parse("other.json", other, strlen(other), &err);
	fuzz_check(fixed);
	check_diff(doc, doc);
	check_diff(doc, fixed);
	check_diff(fixed, doc);
	record_free(fixed);
	record_free(doc);
	return 0;
}
