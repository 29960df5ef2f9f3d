// SPDX-License-Identifier: GPL-2.0
/* The options and report loop of the counter-row commands (counter_command.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/counter_command.h"
#include "cmd/counter_render.h"
#include "cmd/reflink_note.h"
#include "engine/counters.h"
#include "engine/report_error.h"
#include "engine/session.h"

struct counter_opts {
	const struct counter_command *command;
	struct common_opts common;
	struct report_opts report;
	bool batch;
	struct counter_view view;
	struct reflink_note no_reflink;
};

/* Between reports: the previous reading, so that each report shows one interval. */
struct counter_run {
	const struct counter_opts *opts;
	struct stats_snapshot before;
	double last; /* seconds since attach at the previous report */
};

static void counter_usage(FILE *out, void *ctx)
{
	const struct counter_command *command = ((struct counter_opts *)ctx)->command;

	fprintf(out,
		"Usage: daxtrace %s [OPTIONS] [-- CMD [ARG...]]\n"
		"%s\n"
		"  -i, --interval SEC   refresh interval (default 1)\n"
		"  -n, --count N        stop after N refreshes\n"
		"  -s, --sort KEY       sort rows by a counter name or 'lat' (default %s)\n"
		"  -r, --rows N         rows per table (default 20)\n"
		"  -b, --batch          no screen control, like top -b\n"
		"%s",
		command->name, command->usage, counter_names[command->default_sort],
		common_opts_help);
}

static int counter_opt(int opt, const char *arg, void *ctx)
{
	struct counter_opts *opts = ctx;
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

static int parse_counter_opts(struct counter_opts *opts, int argc, char **argv)
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
	opts->view.sort_counter = opts->command->default_sort;
	return command_opts_parse(
		&(struct command_opts_spec){ .short_opts = REPORT_SHORT_OPTS "s:r:b",
					     .long_opts = long_opts,
					     .common = &opts->common,
					     .report = &opts->report,
					     .own_opt = counter_opt,
					     .usage = counter_usage,
					     .ctx = opts },
		argc, argv);
}

/* 0, or -1 when the report could not be written (flush_output said why). */
static int counter_show(const struct counter_opts *opts, struct stats_snapshot *snap,
			double interval_s)
{
	counter_drop_hidden(snap, opts->command);
	counter_sort(snap, &opts->view);
	if (opts->common.json)
		counter_render_json(stdout, snap, &opts->view, interval_s);
	else
		counter_render_table(stdout, snap, &opts->view, interval_s);
	return flush_output(stdout);
}

/* -- CMD: the whole run at once; intervals: what happened since the previous report. */
static int counter_report(struct session *s, void *arg)
{
	struct counter_run *run = arg;
	double elapsed = session_elapsed(s);
	struct stats_snapshot now, delta;
	int err;

	if (session_read(s, &now))
		return -1;
	if (run->opts->common.command) {
		int err = counter_show(run->opts, &now, elapsed);

		stats_snapshot_free(&now);
		return err;
	}
	stats_snapshot_carry(&now, &run->before);
	if (stats_snapshot_delta(&delta, &now, &run->before)) {
		stats_snapshot_free(&now);
		return runtime_error("out of memory");
	}
	err = counter_show(run->opts, &delta, elapsed - run->last);
	run->last = elapsed;
	stats_snapshot_free(&delta);
	stats_snapshot_free(&run->before);
	run->before = now;
	return err;
}

int counter_command_main(int argc, char **argv, const struct counter_command *command)
{
	struct counter_opts opts = { .command = command };
	struct counter_run run = { .opts = &opts };
	struct session session;
	int status;

	if (parse_counter_opts(&opts, argc, argv))
		return EXIT_USAGE;
	opts.view.clear_screen = !opts.batch && !opts.common.json && isatty(STDOUT_FILENO);
	opts.view.command = command;
	status = session_open(&session, &opts.common,
			      &(struct session_setup){ .users = command->users,
						       .syscall_events = command->syscall_events,
						       .break_detail = command->break_detail,
						       .without_dax = command->without_dax });
	if (status == EXIT_OK && command->no_reflink_means) {
		reflink_note_begin(&opts.no_reflink, &session.mounts, command->name,
				   command->no_reflink_means);
		opts.view.no_reflink = &opts.no_reflink;
	}
	if (status == EXIT_OK) {
		opts.view.plan = &session.plan;
		opts.view.empty = &session.empty;
		opts.view.paths = session.paths;
		status = session_report_loop(&session, &opts.report, counter_report, &run);
	}
	stats_snapshot_free(&run.before);
	session_close(&session);
	return status;
}
