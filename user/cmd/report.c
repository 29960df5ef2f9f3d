// SPDX-License-Identifier: GPL-2.0
/*
 * daxtrace report: a record's runs on the live commands' screens (top, cow, lat, share,
 * mapuse), or as their JSON, one object per run and view.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/commands.h"
#include "cmd/counter_command.h"
#include "cmd/counter_render.h"
#include "cmd/lat_render.h"
#include "cmd/mapuse_render.h"
#include "cmd/record_read.h"
#include "cmd/share_render.h"
#include "engine/file_paths.h"
#include "engine/record_file.h"
#include "engine/options.h"
#include "engine/report_error.h"
#include "output/text_escape.h"
#include "version.h"

struct report_cmd_opts {
	bool json;
	const char *path;
};

/* What every screen of one run needs. */
struct report_run {
	const struct report_cmd_opts *opts;
	const char *kernel_release;
	struct attach_plan plan;
	struct file_paths *paths;
	json_object *run;
	unsigned int number;
	double wall_s;
};

static void report_usage(FILE *out)
{
	fprintf(out,
		"Usage: daxtrace report [--json] FILE\n"
		"The screens of top, cow, lat, share and mapuse for each run of a record made\n"
		"by `daxtrace record` (FILE - for stdin).\n\n"
		"  -j, --json   the live commands' JSON: one object per line, per run and view,\n"
		"               {\"run\":N,\"view\":\"top\",\"report\":{...}}\n"
		"  -h, --help   this help\n"
		"  -V, --version daxtrace's version, commit and libbpf\n");
}

static int parse_report_opts(struct report_cmd_opts *opts, int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		VERSION_LONG_OPT,
		{},
	};
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+:jhV", long_opts, NULL)) != -1) {
		if (opt == 'h') {
			report_usage(stdout);
			exit(EXIT_OK);
		}
		if (opt == 'V')
			exit_version();
		if (opt != 'j')
			return usage_error("unknown option '%s' (see daxtrace report --help)",
					   argv[optind - 1]);
		opts->json = true;
	}
	if (optind + 1 != argc)
		return usage_error(optind == argc ?
					   "no record file given" :
					   "one record file only (daxtrace diff compares two)");
	opts->path = argv[optind];
	return 0;
}

/*
 * One view: its screen, or under --json {"run":N,"view":NAME,"report":<the live JSON>}. The
 * live renderers write whole objects to a stream, so the JSON goes through a buffer.
 */
static int show(const struct report_run *r, const char *view,
		void (*render)(FILE *out, const struct report_run *r, const void *data, bool json),
		const void *data)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;

	if (!r->opts->json) {
		render(stdout, r, data, false);
		return flush_output(stdout);
	}
	mem = open_memstream(&buf, &len);
	if (!mem)
		return runtime_error("out of memory");
	render(mem, r, data, true);
	if (fclose(mem)) {
		free(buf);
		return runtime_error("out of memory");
	}
	while (len && buf[len - 1] == '\n')
		len--;
	printf("{\"run\":%u,\"view\":\"%s\",\"report\":%.*s}\n", r->number, view, (int)len, buf);
	free(buf);
	return flush_output(stdout);
}

static void render_counters(FILE *out, const struct report_run *r, const void *data, bool json,
			    const struct counter_command *command)
{
	struct stats_snapshot *snap = (struct stats_snapshot *)data;
	struct counter_view view = { .command = command,
				     .sort_column = command->default_sort,
				     .rows = 20,
				     .plan = &r->plan,
				     .paths = r->paths };

	counter_drop_hidden(snap, command);
	counter_sort(snap, &view);
	if (json)
		counter_render_json(out, snap, &view, r->wall_s);
	else
		counter_render_table(out, snap, &view, r->wall_s);
}

static void render_top(FILE *out, const struct report_run *r, const void *data, bool json)
{
	render_counters(out, r, data, json, &top_command);
}

static void render_cow(FILE *out, const struct report_run *r, const void *data, bool json)
{
	render_counters(out, r, data, json, &cow_command);
}

static void render_lat(FILE *out, const struct report_run *r, const void *data, bool json)
{
	const struct lat_view view = { .divisor = 1000, .unit = "usecs" };

	(void)r;
	if (json)
		lat_render_json(out, data, &view);
	else
		lat_render_text(out, data, &view);
}

static void render_share(FILE *out, const struct report_run *r, const void *data, bool json)
{
	const struct share_view view = { .model = true,
					 .rows = 20,
					 .kernel_release = r->kernel_release,
					 .plan = &r->plan,
					 .paths = r->paths };

	if (json)
		share_render_json(out, data, &view);
	else
		share_render_text(out, data, &view);
}

static void render_mapuse(FILE *out, const struct report_run *r, const void *data, bool json)
{
	const struct mapuse_view view = { .stacks = 5,
					  .kernel_release = r->kernel_release,
					  .plan = &r->plan,
					  .paths = r->paths };

	if (json)
		mapuse_render_json(out, data, &view, r->wall_s);
	else
		mapuse_render_text(out, data, &view, r->wall_s);
}

/* top's and cow's screens of the same rows: each drops and sorts rows its own way */
static int show_counters(const struct report_run *r, const char *view,
			 void (*render)(FILE *out, const struct report_run *r, const void *data,
					bool json))
{
	struct stats_snapshot snap;
	int err = record_read_counters(r->run, r->paths, &snap) ? runtime_error("out of memory") :
								  show(r, view, render, &snap);

	stats_snapshot_free(&snap);
	return err;
}

static int show_counters_and_lat(const struct report_run *r, json_object *views)
{
	struct lat_report lat;
	int err;

	if (!record_member(views, "top"))
		return 0;
	err = show_counters(r, "top", render_top) || show_counters(r, "cow", render_cow);
	if (err || !record_member(views, "lat"))
		return err;
	err = record_read_lat(views, &lat) ? runtime_error("out of memory") :
					     show(r, "lat", render_lat, &lat);
	lat_report_free(&lat);
	return err;
}

static int show_share(const struct report_run *r, json_object *share)
{
	struct share_report report = { .elapsed_s = r->wall_s };
	struct share_rmap rmap;
	struct census census;
	int err;

	if (!share)
		return 0;
	err = record_read_census(share, r->paths, &census, &rmap);
	if (!err) {
		report.census = &census;
		share_losses_compute(&report.losses, &census, record_count(r->run, "missed_runs"));
		share_model_compute(
			&report.model, &census,
			record_count(record_member(record_member(share, "model"), "proxy"),
				     "bytes_per_object"),
			&rmap, NULL);
		err = show(r, "share", render_share, &report);
	} else {
		err = runtime_error("out of memory");
	}
	census_free(&census);
	return err;
}

static int show_mapuse(const struct report_run *r, json_object *mapuse)
{
	struct mapuse_report uses;
	int err;

	if (!mapuse)
		return 0;
	err = record_read_mapuse(mapuse, r->paths, &uses) ? runtime_error("out of memory") :
							    show(r, "mapuse", render_mapuse, &uses);
	mapuse_report_free(&uses);
	return err;
}

/* "run 2 of 3: sh -c ..., exit status 0, 1.52 s" above a run's screens. */
static void run_heading(const struct report_run *r, json_object *fingerprint, size_t nr_runs)
{
	json_object *command = record_member(fingerprint, "command");
	size_t words = json_object_is_type(command, json_type_array) ?
			       json_object_array_length(command) :
			       0;

	printf("=== %s  run %u of %zu  kernel ", r->opts->path, r->number, nr_runs);
	text_print(stdout, r->kernel_release, 0, 64);
	printf("  command:");
	for (size_t i = 0; i < words; i++) {
		putchar(' ');
		text_print(stdout, json_object_get_string(json_object_array_get_idx(command, i)), 0,
			   256);
	}
	if (!words)
		printf(" (none: until stopped)");
	printf("  exit status %lld  %.3f s\n\n",
	       (long long)json_object_get_int64(record_member(r->run, "exit_status")), r->wall_s);
}

static int report_runs(const struct report_cmd_opts *opts, json_object *doc)
{
	json_object *fingerprint = record_member(doc, "fingerprint");
	json_object *runs = record_member(doc, "runs");
	size_t nr_runs = json_object_array_length(runs);
	struct report_run r = { .opts = opts };
	int err = 0;

	/* the loader checks what a record must have; the rest may be missing or of another type */
	r.kernel_release = record_string(record_object(fingerprint, "kernel"), "release");
	if (!r.kernel_release)
		r.kernel_release = "unknown";
	record_read_plan(fingerprint, &r.plan);
	for (size_t i = 0; i < nr_runs && !err; i++) {
		json_object *views;

		r.run = json_object_array_get_idx(runs, i);
		views = record_member(r.run, "views");
		r.number = i + 1;
		r.wall_s = json_object_get_double(record_member(r.run, "wall_s"));
		r.paths = file_paths_new_recorded();
		if (!r.paths)
			return runtime_error("out of memory");
		if (!opts->json)
			run_heading(&r, fingerprint, nr_runs);
		err = show_counters_and_lat(&r, views) ||
		      show_share(&r, record_member(views, "share")) ||
		      show_mapuse(&r, record_member(views, "mapuse"));
		file_paths_free(r.paths);
	}
	return err ? EXIT_RUNTIME : EXIT_OK;
}

int cmd_report(int argc, char **argv)
{
	struct report_cmd_opts opts = {};
	struct record_error err;
	json_object *doc;
	int status;

	if (parse_report_opts(&opts, argc, argv))
		return EXIT_USAGE;
	doc = record_load(opts.path, &err);
	if (!doc) {
		runtime_error("%s", err.message); /* one line: no usage hint for a bad file */
		return err.out_of_memory ? EXIT_RUNTIME : EXIT_USAGE;
	}
	status = report_runs(&opts, doc);
	record_free(doc);
	return status;
}
