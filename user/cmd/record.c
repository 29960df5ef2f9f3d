// SPDX-License-Identifier: GPL-2.0
/*
 * daxtrace record: every view this kernel supports (top's and cow's counters, lat's
 * histograms, share's census and model, mapuse's sites) for one run of a command, or N runs
 * with fresh counters each, written as one versioned JSON document (docs/daxtrace-record.5)
 * for `daxtrace report` and `daxtrace diff`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cmd/commands.h"
#include "cmd/record_fingerprint.h"
#include "cmd/record_views.h"
#include "engine/report_error.h"
#include "engine/session.h"
#include "output/json_writer.h"
#include "version.h"

#define RECORD_FORMAT "daxtrace-record/1"
#define MAX_REPEAT 1000

struct record_opts {
	struct common_opts common;
	const char *output; /* -o: a path, or "-" for stdout */
	unsigned long long repeat;
};

/* One record being written: its file, and the first failing run's exit status. */
struct record_file {
	const struct record_opts *opts;
	char *tmp_path; /* written here, renamed to the output once whole */
	FILE *out;
	struct json_writer *w;
	unsigned int runs;
	int status;
};

static void record_usage(FILE *out, void *ctx)
{
	(void)ctx;
	fprintf(out,
		"Usage: daxtrace record -o FILE [OPTIONS] [-- CMD [ARG...]]\n"
		"Every view this kernel supports (top, cow, lat, share, mapuse) for a run of CMD,\n"
		"as one JSON document for `daxtrace report` and `daxtrace diff` "
		"(daxtrace-record(5)).\n"
		"Without CMD: until SIGINT or SIGTERM, or until every -p process has exited.\n\n"
		"  -o, --output FILE    write the record there (- for stdout); required\n"
		"      --repeat N       run CMD N times, fresh counters each run (default 1)\n"
		/* no -j: a record is always JSON */
		FILTER_OPTS_HELP ATTACH_OPTS_HELP VERBOSE_OPTS_HELP HELP_OPTS_HELP
			COMMAND_OPTS_HELP);
}

enum { OPT_REPEAT = OPT_COMMAND_FIRST };

static int record_opt(int opt, const char *arg, void *ctx)
{
	struct record_opts *opts = ctx;

	if (opt == 'o') {
		opts->output = arg;
		return 0;
	}
	/* OPT_REPEAT */
	if (!parse_uint(arg, MAX_REPEAT, &opts->repeat) || !opts->repeat)
		return usage_error("bad --repeat '%s': expected 1 to %d", arg, MAX_REPEAT);
	return 0;
}

static int parse_record_opts(struct record_opts *opts, int argc, char **argv)
{
	static const struct option long_opts[] = {
		COMMON_LONG_OPTS,
		{ "output", required_argument, NULL, 'o' },
		{ "repeat", required_argument, NULL, OPT_REPEAT },
		{},
	};

	opts->repeat = 1;
	if (command_opts_parse(&(struct command_opts_spec){ .short_opts = "o:",
							    .long_opts = long_opts,
							    .common = &opts->common,
							    .own_opt = record_opt,
							    .usage = record_usage,
							    .ctx = opts },
			       argc, argv))
		return -1;
	if (!opts->output)
		return usage_error("no output file: give -o FILE (- for stdout)");
	if (opts->common.json)
		return usage_error("-j/--json: a record is always JSON (daxtrace report --json "
				   "shows it as the live commands' JSON)");
	if (opts->repeat > 1 && !opts->common.command)
		return usage_error("--repeat %llu needs a command to repeat: -- CMD [ARG...]",
				   opts->repeat);
	return 0;
}

static int record_file_open(struct record_file *f)
{
	const char *path = f->opts->output;
	int fd;

	if (!strcmp(path, "-")) {
		f->out = stdout;
		return 0;
	}
	if (asprintf(&f->tmp_path, "%s.XXXXXX", path) < 0) {
		f->tmp_path = NULL;
		return runtime_error("out of memory");
	}
	fd = mkstemp(f->tmp_path);
	/* mkstemp's 0600 would outlive the rename: the mode a plain create gives instead */
	if (fd >= 0) {
		mode_t mask = umask(0);

		umask(mask);
		fchmod(fd, 0666 & ~mask);
	}
	if (fd < 0 || !(f->out = fdopen(fd, "w"))) {
		if (fd >= 0)
			close(fd);
		runtime_error("cannot write %s: %m", path);
		free(f->tmp_path);
		f->tmp_path = NULL;
		return -1;
	}
	return 0;
}

/* The head of the document, once the first session says what the plan is. */
static int record_begin(struct record_file *f, const struct session *s)
{
	f->w = json_writer_new(f->out);
	if (!f->w)
		return runtime_error("out of memory");
	json_object_begin(f->w);
	json_kv_string(f->w, "format", RECORD_FORMAT);
	json_key(f->w, "daxtrace");
	json_object_begin(f->w);
	json_kv_string(f->w, "version", daxtrace_version());
	json_kv_string(f->w, "git", daxtrace_git_commit());
	json_kv_string(f->w, "libbpf", daxtrace_libbpf_version());
	json_object_end(f->w);
	record_fingerprint_json(f->w, s, f->opts->common.command, f->opts->repeat);
	json_key(f->w, "runs");
	json_array_begin(f->w);
	return 0;
}

/* Whether the plan attached a point of this name (prefix: "share." any of share's). */
static bool plan_has(const struct attach_plan *plan, const char *prefix)
{
	for (int i = 0; i < plan->nr_choices; i++)
		if (plan->choices[i].kind != KIND_NONE &&
		    !strncmp(plan->choices[i].point->name, prefix, strlen(prefix)))
			return true;
	return false;
}

/* The views of the run that just ended, read from its session. */
struct run_reading {
	struct stats_snapshot counters;
	struct lat_report lat;
	struct census census;
	struct mapuse_report mapuse;
	struct share_rmap rmap;
	bool has_census, has_mapuse;
};

static void run_reading_free(struct run_reading *r)
{
	stats_snapshot_free(&r->counters);
	lat_report_free(&r->lat);
	if (r->has_census)
		census_free(&r->census);
	if (r->has_mapuse)
		mapuse_report_free(&r->mapuse);
}

static int run_read(struct session *s, struct run_reading *r)
{
	*r = (struct run_reading){};
	if (session_read(s, &r->counters))
		return -1;
	if (session_read_lat(s, &r->lat))
		return -1;
	r->has_mapuse = plan_has(&s->plan, "mapuse.");
	if (r->has_mapuse && session_read_mapuse(s, &r->mapuse)) {
		r->has_mapuse = false;
		return -1;
	}
	r->rmap.measured = plan_has(&s->plan, "mapuse.fs_rmap");
	if (r->rmap.measured)
		r->rmap.lookups = r->mapuse.sites[DT_SITE_MF_DAX_KILL_PROCS].count;
	r->has_census = plan_has(&s->plan, "share.assoc");
	if (r->has_census && session_read_census(s, &r->census)) {
		r->has_census = false;
		return -1;
	}
	return 0;
}

static int record_run(struct session *s, void *arg)
{
	struct record_file *f = arg;
	struct run_reading r;
	struct record_names names = { .paths = s->paths, .mounts = &s->mounts };
	int err = run_read(s, &r);

	if (!err) {
		names.with_mount = record_files_span_mounts(&r.counters);
		json_object_begin(f->w);
		json_kv_uint(f->w, "run", f->runs + 1);
		json_kv_int(f->w, "exit_status", session_exit_status(s));
		json_kv_double(f->w, "wall_s", session_elapsed(s));
		json_kv_uint(f->w, "lost", stats_lost(&r.counters));
		json_kv_uint(f->w, "lat_samples_lost", r.counters.misses.total.lat_samples_lost);
		json_kv_uint(f->w, "evicted", r.counters.evicted);
		/* every point's skipped runs: no count of the kernel's, so no metric (share's losses) */
		json_kv_uint(f->w, "missed_runs", session_missed_runs(s));
		record_views_json(f->w,
				  &(struct record_run_views){
					  .counters = &r.counters,
					  .lat = &r.lat,
					  .census = r.has_census ? &r.census : NULL,
					  .rmap = &r.rmap,
					  .proxy_bytes = 64, /* share --model's default */
					  .mapuse = r.has_mapuse ? &r.mapuse : NULL,
				  },
				  &names);
		json_object_end(f->w);
		f->runs++;
	}
	run_reading_free(&r);
	return err;
}

/* Says once which points did not attach: their views or counters are absent or 0. */
static void report_missing_points(const struct attach_plan *plan)
{
	for (int i = 0; i < plan->nr_choices; i++)
		if (plan->choices[i].kind == KIND_NONE)
			fprintf(stderr, "daxtrace record: %s not attached (%s): %s\n",
				plan->choices[i].point->name, plan->choices[i].why,
				plan->choices[i].point->feeds);
}

/* One run in a session of its own: fresh counters, the command started once attached. */
static int record_one(struct record_file *f, const struct session_setup *setup)
{
	struct report_opts until_stopped = { .interval_s = 0, .count = 1 };
	struct session s;
	int status = session_open(&s, &f->opts->common, setup);

	if (status == EXIT_OK && !f->w) {
		report_missing_points(&s.plan);
		if (record_begin(f, &s))
			status = EXIT_RUNTIME;
	}
	if (status == EXIT_OK)
		status = session_report_loop(&s, &until_stopped, record_run, f);
	session_close(&s);
	return status;
}

/* Ends the document and puts it in place; false after saying what failed. */
static bool record_finish(struct record_file *f)
{
	bool ok;

	json_array_end(f->w);
	json_object_end(f->w);
	fputc('\n', f->out);
	ok = !flush_output(f->out);
	if (f->out == stdout)
		return ok;
	ok = !fclose(f->out) && ok;
	f->out = NULL;
	if (!ok)
		return false;
	if (rename(f->tmp_path, f->opts->output))
		return !runtime_error("cannot write %s: %m", f->opts->output);
	free(f->tmp_path);
	f->tmp_path = NULL;
	return true;
}

static void record_file_abandon(struct record_file *f)
{
	json_writer_free(f->w);
	if (f->out && f->out != stdout)
		fclose(f->out);
	if (f->tmp_path)
		unlink(f->tmp_path);
	free(f->tmp_path);
}

int cmd_record(int argc, char **argv)
{
	struct record_opts opts = {};
	struct record_file f = { .opts = &opts };
	const struct session_setup setup = {
		.users = USED_BY_ALL & ~USED_BY_SHARE_COSTS, /* its share view has no costs */
		.ksyms = true,
		.syscall_events = true,
		.break_detail = true,
		.lat = { .on = true },
		.census_pfns = DT_SHARE_DEFAULT_PFNS,
		.mapuse_tables = true,
		.pmem_ranges = true,
		.none_required = true,
		.without_dax = "record counts only page-cache mmap writes and XFS reflink activity",
	};
	int status = EXIT_OK;

	if (parse_record_opts(&opts, argc, argv))
		return EXIT_USAGE;
	if (record_file_open(&f))
		return EXIT_RUNTIME;
	for (unsigned long long run = 0; run < opts.repeat; run++) {
		int run_status = record_one(&f, &setup);

		if (f.runs == run) { /* no run recorded: the session failed, and said why */
			record_file_abandon(&f);
			return run_status == EXIT_OK ? EXIT_RUNTIME : run_status;
		}
		/* the command's failure is in the run (exit_status); the runs go on */
		if (status == EXIT_OK)
			status = run_status;
	}
	if (!record_finish(&f)) {
		record_file_abandon(&f);
		return EXIT_RUNTIME;
	}
	json_writer_free(f.w);
	return status;
}
