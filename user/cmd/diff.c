// SPDX-License-Identifier: GPL-2.0
/*
 * daxtrace diff A B: two records (daxtrace-record(5)) compared, fingerprint first, then every
 * metric that changed, with exit statuses for `git bisect run` (cmd/diff.h, daxtrace-diff(8)).
 * No BPF: it reads files only, and runs unprivileged.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/commands.h"
#include "cmd/diff.h"
#include "engine/options.h"
#include "engine/record_file.h"
#include "engine/report_error.h"
#include "version.h"

/* More would be a script's mistake; each is matched against every metric. */
#define DIFF_MAX_RULES 64

enum {
	OPT_THRESHOLD = OPT_COMMAND_FIRST,
	OPT_FAIL_ON,
	OPT_ALLOW_MISSING,
	OPT_FORMAT,
};

struct diff_cmd_opts {
	struct diff_threshold thresholds[DIFF_MAX_RULES];
	const char *fail_on[DIFF_MAX_RULES];
	struct diff_opts compare;
	enum diff_format format;
	const char *paths[2];
};

static void diff_usage(FILE *out)
{
	fprintf(out,
		"Usage: daxtrace diff [OPTIONS] A B\n"
		"Compares two records of `daxtrace record` (or `-` for one on stdin): the\n"
		"fingerprint differences, then every metric that changed, with A's and B's value\n"
		"(the median over a record's runs), the delta and the relative change.\n"
		"A count that differs is a regression; a timing (a name ending in _ns or _s) only\n"
		"when a --threshold names it, the runs' ranges do not overlap and it exceeds it.\n"
		"  -t, --threshold METRIC=LIMIT  a change up to LIMIT (e.g. 2, or 20%%; +20%%: increases\n"
		"                        only) is not a regression; METRIC is a glob matched against\n"
		"                        the name or any suffix after a '.'; the last match wins\n"
		"      --fail-on METRIC  only metrics matching these globs can be regressions\n"
		"      --allow-missing   compare records of different commands or attached points,\n"
		"                        and a metric on one side only is no regression\n"
		"  -j, --json            one JSON object on stdout\n"
		"      --format FORMAT   text (default), json or ktap (KTAP version 1)\n"
		"  -h, --help            this help\n"
		"  -V, --version         daxtrace's version, commit and libbpf\n"
		"Exit status: 0 no regression, 1 regression (named on stderr), 2 bad usage or a\n"
		"file that is not a record, 125 cannot compare (git bisect run: skip), 255 failed.\n");
}

static int diff_opt(struct diff_cmd_opts *opts, int opt, char *arg)
{
	struct diff_opts *compare = &opts->compare;

	switch (opt) {
	case 't':
		if (compare->nr_thresholds == DIFF_MAX_RULES)
			return usage_error("at most %d --threshold options", DIFF_MAX_RULES);
		if (diff_parse_threshold(arg, &opts->thresholds[compare->nr_thresholds]))
			return usage_error("bad --threshold '%s': expected METRIC=LIMIT or "
					   "METRIC=LIMIT%%, e.g. mkwrite=2 or 'lat.*.p50_ns=20%%'",
					   arg);
		compare->nr_thresholds++;
		return 0;
	case OPT_FAIL_ON:
		if (compare->nr_fail_on == DIFF_MAX_RULES)
			return usage_error("at most %d --fail-on options", DIFF_MAX_RULES);
		if (!*arg)
			return usage_error("bad --fail-on '': expected a metric name or glob");
		opts->fail_on[compare->nr_fail_on++] = arg;
		return 0;
	case OPT_ALLOW_MISSING:
		compare->allow_missing = true;
		return 0;
	case 'j':
		opts->format = DIFF_JSON;
		return 0;
	case OPT_FORMAT:
		if (!strcmp(arg, "text"))
			opts->format = DIFF_TEXT;
		else if (!strcmp(arg, "json"))
			opts->format = DIFF_JSON;
		else if (!strcmp(arg, "ktap"))
			opts->format = DIFF_KTAP;
		else
			return usage_error("bad --format '%s': expected text, json or ktap", arg);
		return 0;
	}
	return usage_error("unknown option");
}

static int parse_diff_opts(struct diff_cmd_opts *opts, int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "threshold", required_argument, NULL, 't' },
		{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
		{ "allow-missing", no_argument, NULL, OPT_ALLOW_MISSING },
		{ "json", no_argument, NULL, 'j' },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "help", no_argument, NULL, 'h' },
		VERSION_LONG_OPT,
		{},
	};
	int opt;

	opts->compare.thresholds = opts->thresholds;
	opts->compare.fail_on = opts->fail_on;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":t:jhV", long_opts, NULL)) != -1) {
		if (opt == 'h') {
			diff_usage(stdout);
			exit(EXIT_OK);
		}
		if (opt == 'V')
			exit_version();
		if (opt == ':' || opt == '?')
			return bad_option(long_opts, opt, argc, argv);
		if (diff_opt(opts, opt, optarg))
			return -1;
	}
	report_set_json(opts->format == DIFF_JSON);
	if (argc - optind < 2)
		return usage_error("needs two records, A and B");
	if (argc - optind > 2)
		return usage_error("unexpected argument '%s'", argv[optind + 2]);
	opts->paths[0] = argv[optind];
	opts->paths[1] = argv[optind + 1];
	if (!strcmp(opts->paths[0], "-") && !strcmp(opts->paths[1], "-"))
		return usage_error("only one of A and B can be '-' (stdin)");
	return 0;
}

/* Says why the records cannot be compared, or that they are compared anyway. */
static void report_blockers(const struct diff_result *result)
{
	fprintf(stderr, "daxtrace diff: %s: ",
		result->compared ? "comparing anyway (--allow-missing)" :
				   "cannot compare (--allow-missing compares anyway)");
	for (size_t i = 0; i < result->nr_blockers; i++)
		fprintf(stderr, "%s%s", i ? "; " : "", result->blockers[i]);
	fputc('\n', stderr);
}

/*
 * A record whose runs lost events holds counts that may be short: a "regression" may be the
 * loss. Said on stderr, with each side's sums; the comparison itself is unchanged.
 */
static void warn_losses(const struct json_object *doc, const char *side)
{
	uint64_t sums[3] = {}, value;
	static const char *const keys[3] = { "lost", "missed_runs", "evicted" };

	for (size_t i = 0; i < record_nr_runs(doc); i++)
		for (int k = 0; k < 3; k++)
			if (record_u64(record_run(doc, i), keys[k], &value))
				sums[k] += value;
	if (sums[0] || sums[1] || sums[2])
		warning("%s's counts may be short: its runs lost %llu events, the kernel skipped "
			"%llu program runs, %llu rows were evicted (daxtrace-top(8), LOST EVENTS)",
			side, (unsigned long long)sums[0], (unsigned long long)sums[1],
			(unsigned long long)sums[2]);
}

static int diff_records(const struct diff_cmd_opts *opts, struct json_object *const docs[2])
{
	struct diff_result result;
	int status;

	warn_losses(docs[0], "A");
	warn_losses(docs[1], "B");
	if (diff_compare(docs[0], docs[1], &opts->compare, &result)) {
		runtime_error("out of memory comparing the records");
		return DIFF_EXIT_FAILED;
	}
	if (opts->format == DIFF_JSON)
		diff_render_json(stdout, &result);
	else if (opts->format == DIFF_KTAP)
		diff_render_ktap(stdout, &result);
	else
		diff_render_text(stdout, &result);
	status = result.status;
	if (flush_output(stdout))
		status = DIFF_EXIT_FAILED;
	if (result.nr_blockers)
		report_blockers(&result);
	if (status == DIFF_EXIT_REGRESSION)
		diff_print_regressions(stderr, &result);
	diff_result_free(&result);
	return status;
}

int cmd_diff(int argc, char **argv)
{
	struct diff_cmd_opts opts = {};
	struct json_object *docs[2] = {};
	struct record_error err;
	int status = DIFF_EXIT_USAGE;

	if (parse_diff_opts(&opts, argc, argv))
		return DIFF_EXIT_USAGE;
	for (int i = 0; i < 2; i++) {
		docs[i] = record_load(opts.paths[i], &err);
		if (!docs[i]) {
			runtime_error("%s", err.message);
			status = err.out_of_memory ? DIFF_EXIT_FAILED : DIFF_EXIT_USAGE;
			goto out;
		}
	}
	status = diff_records(&opts, docs);
out:
	record_free(docs[0]);
	record_free(docs[1]);
	return status;
}
