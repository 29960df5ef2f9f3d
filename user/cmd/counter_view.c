// SPDX-License-Identifier: GPL-2.0
/* The options and report loop of the counter-row commands (counter_view.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/counter_view.h"
#include "cmd/top_render.h"
#include "engine/counters.h"
#include "engine/report_error.h"
#include "engine/session.h"

struct top_opts {
	const struct counter_view *counters;
	struct common_opts common;
	struct report_opts report;
	bool batch;
	struct top_view view;
};

static void top_usage(FILE *out, void *ctx)
{
	const struct counter_view *view = ((struct top_opts *)ctx)->counters;

	fprintf(out,
		"Usage: daxtrace %s [OPTIONS] [-- CMD [ARG...]]\n"
		"%s\n"
		"  -i, --interval SEC   refresh interval (default 1)\n"
		"  -n, --count N        stop after N refreshes\n"
		"  -s, --sort KEY       sort rows by a counter name or 'lat' (default %s)\n"
		"  -r, --rows N         rows per table (default 20)\n"
		"  -b, --batch          no screen control, like top -b\n"
		"%s",
		view->command, view->usage, counter_names[view->default_sort], common_opts_help);
}

static int top_opt(int opt, const char *arg, void *ctx)
{
	struct top_opts *opts = ctx;
	unsigned long long number;

	switch (opt) {
	case 's':
		opts->view.sort_counter = strcmp(arg, "lat") ? counter_by_name(arg) : -1;
		if (opts->view.sort_counter < 0 && strcmp(arg, "lat"))
			return usage_error("bad sort key '%s': expected a counter name (see the "
					   "JSON keys) or lat",
					   arg);
		return 0;
	case 'r':
		if (!parse_uint(arg, 100000, &number) || !number)
			return usage_error("bad row count '%s': expected 1 to 100000", arg);
		opts->view.rows = number;
		return 0;
	default: /* 'b' */
		opts->batch = true;
		return 0;
	}
}

static int parse_top_opts(struct top_opts *opts, int argc, char **argv)
{
	static const struct option long_opts[] = {
		COMMON_LONG_OPTS,
		REPORT_LONG_OPTS,
		{ "sort", required_argument, NULL, 's' },
		{ "rows", required_argument, NULL, 'r' },
		{ "batch", no_argument, NULL, 'b' },
		{},
	};

	opts->view.rows = 20;
	opts->view.sort_counter = opts->counters->default_sort;
	return command_opts_parse(
		&(struct command_opts_spec){ .short_opts = REPORT_SHORT_OPTS "s:r:b",
					     .long_opts = long_opts,
					     .common = &opts->common,
					     .report = &opts->report,
					     .own_opt = top_opt,
					     .usage = top_usage,
					     .ctx = opts },
		argc, argv);
}

/* Rows the view does not show are dropped before sorting and rendering. */
static void drop_hidden_rows(struct stats_snapshot *snap, const struct counter_view *view)
{
	int kept = 0;

	if (!view->row_shown)
		return;
	for (int i = 0; i < snap->nr_procs; i++)
		if (view->row_shown(&snap->procs[i].stats))
			snap->procs[kept++] = snap->procs[i];
	snap->nr_procs = kept;
	kept = 0;
	for (int i = 0; i < snap->nr_files; i++)
		if (view->row_shown(&snap->files[i].stats))
			snap->files[kept++] = snap->files[i];
	snap->nr_files = kept;
}

static void top_report(const struct top_opts *opts, struct stats_snapshot *snap, double interval_s)
{
	drop_hidden_rows(snap, opts->counters);
	top_sort(snap, &opts->view);
	if (opts->common.json)
		top_render_json(stdout, snap, &opts->view, interval_s);
	else
		top_render_table(stdout, snap, &opts->view, interval_s);
}

/* -- CMD: one report for the whole run, when the command exits. */
static int top_command_run(struct top_opts *opts, struct session *session)
{
	struct stats_snapshot final;

	while (session_wait(session, 0) != SESSION_COMMAND_EXITED)
		;
	if (session_read(session, &final))
		return EXIT_RUNTIME;
	top_report(opts, &final, session_elapsed(session));
	stats_snapshot_free(&final);
	return session_exit_status(session);
}

/* Intervals: each report shows what happened since the previous one. */
static int top_interval_run(struct top_opts *opts, struct session *session)
{
	struct stats_snapshot before = {}, now, delta;
	double last = 0;
	int status = EXIT_OK;

	for (unsigned long long n = 0; !opts->report.count || n < opts->report.count; n++) {
		enum session_event event = session_wait(session, opts->report.interval_s);
		double elapsed = session_elapsed(session);

		if (session_read(session, &now)) {
			status = EXIT_RUNTIME;
			break;
		}
		if (stats_snapshot_delta(&delta, &now, &before)) {
			stats_snapshot_free(&now);
			status = EXIT_RUNTIME;
			break;
		}
		top_report(opts, &delta, elapsed - last);
		last = elapsed;
		stats_snapshot_free(&delta);
		stats_snapshot_free(&before);
		before = now;
		if (event == SESSION_STOP)
			break;
	}
	stats_snapshot_free(&before);
	return status;
}

int counter_view_main(int argc, char **argv, const struct counter_view *view)
{
	struct top_opts opts = { .counters = view };
	struct session session;
	int status;

	if (parse_top_opts(&opts, argc, argv))
		return EXIT_USAGE;
	opts.view.clear_screen = !opts.batch && !opts.common.json && isatty(STDOUT_FILENO);
	opts.view.counters = view;
	status = session_open(&session, &opts.common,
			      &(struct session_setup){ .users = view->users,
						       .syscall_events = view->syscall_events,
						       .before_load = view->before_load,
						       .arg = (void *)view });
	if (status == EXIT_OK) {
		opts.view.plan = &session.plan;
		opts.view.mounts = &session.mounts;
		status = opts.common.command ? top_command_run(&opts, &session) :
					       top_interval_run(&opts, &session);
	}
	session_close(&session);
	return status;
}
