// SPDX-License-Identifier: GPL-2.0
/* The options and report loop of the counter-row commands (counter_command.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/counter_columns.h"
#include "cmd/counter_command.h"
#include "cmd/counter_csv.h"
#include "cmd/counter_render.h"
#include "cmd/counter_screen.h"
#include "cmd/reflink_note.h"
#include "engine/counters.h"
#include "engine/report_error.h"
#include "engine/session.h"

enum { OPT_COLUMNS = OPT_COMMAND_FIRST, OPT_COLOR, OPT_CSV };

struct counter_opts {
	const struct counter_command *command;
	struct common_opts common;
	struct report_opts report;
	bool batch;
	enum screen_color color;
	int columns[MAX_COLUMNS]; /* --columns */
	bool csv;
	struct counter_view view;
	struct reflink_note no_reflink;
};

/* Between reports: the previous reading, so that each report shows one interval. */
struct counter_run {
	const struct counter_opts *opts;
	struct stats_snapshot before;
	double last; /* seconds since attach at the previous report */
	bool csv_header_written; /* once, with the first report: -- CMD's output stays out of it */
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
		"      --columns LIST   the columns shown, comma-separated (see the man page)\n"
		"      --color WHEN     colour on the screen: auto (default), always or never\n"
		"      --csv            CSV on stdout: one header, then a row per process, file%s\n"
		"                       and the total each report\n"
		"%s",
		command->name, command->usage, counter_names[command->default_sort],
		command->device_rows ? ", device" : "", common_opts_help);
}

/*
 * The accepted keys listed from counter_names itself: the man pages' lists are checked against
 * this line (tests/e2e/host/manpages.sh), so they cannot drift from the code.
 */
static int bad_sort_key(const char *arg)
{
	char keys[DT_NR_COUNTERS * 24];
	size_t len = 0;

	keys[0] = '\0';
	for (int c = 0; c < DT_NR_COUNTERS && len < sizeof(keys); c++)
		len += snprintf(keys + len, sizeof(keys) - len, "%s, ", counter_names[c]);
	return usage_error("bad sort key '%s': expected one of %slat", arg, keys);
}

static int counter_opt(int opt, const char *arg, void *ctx)
{
	struct counter_opts *opts = ctx;
	unsigned long long number;

	switch (opt) {
	case 's':
		/* lat: the 99th percentile of the row's latency, what a slow row shows first */
		opts->view.sort_column = strcmp(arg, "lat") ? counter_by_name(arg) : COLUMN_P99_US;
		if (opts->view.sort_column < 0)
			return bad_sort_key(arg);
		return 0;
	case 'r':
		if (!parse_uint(arg, 100000, &number) || !number)
			return usage_error("bad row count '%s': expected 1 to 100000", arg);
		opts->view.rows = number;
		return 0;
	case OPT_COLUMNS:
		opts->view.nr_columns = columns_parse(opts->command, arg, opts->columns);
		opts->view.columns = opts->columns;
		return opts->view.nr_columns < 0 ? -1 : 0;
	case OPT_COLOR:
		if (screen_color_parse(arg, &opts->color))
			return usage_error("bad --color '%s': expected auto, always or never", arg);
		return 0;
	case OPT_CSV:
		opts->csv = true;
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
		{ "columns", required_argument, NULL, OPT_COLUMNS },
		{ "color", required_argument, NULL, OPT_COLOR },
		{ "csv", no_argument, NULL, OPT_CSV },
		{},
	};

	opts->view.rows = 20;
	opts->view.sort_column = opts->command->default_sort;
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
static int counter_show(struct counter_run *run, struct stats_snapshot *snap, double interval_s)
{
	const struct counter_opts *opts = run->opts;

	counter_drop_hidden(snap, opts->command);
	counter_sort(snap, &opts->view);
	if (opts->csv && !run->csv_header_written) {
		counter_csv_header(stdout, &opts->view);
		run->csv_header_written = true;
	}
	if (opts->csv)
		counter_render_csv(stdout, snap, &opts->view, interval_s);
	else if (opts->common.json)
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
		int err = counter_show(run, &now, elapsed);

		stats_snapshot_free(&now);
		return err;
	}
	stats_snapshot_carry(&now, &run->before);
	if (stats_snapshot_delta(&delta, &now, &run->before)) {
		stats_snapshot_free(&now);
		return runtime_error("out of memory");
	}
	err = counter_show(run, &delta, elapsed - run->last);
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
	bool interactive;
	int status;

	if (parse_counter_opts(&opts, argc, argv))
		return EXIT_USAGE;
	if (opts.csv && opts.common.json) {
		usage_error("--csv and --json exclude each other");
		return EXIT_USAGE;
	}
	/* a terminal to draw on and keys to read; with -- CMD the command has the terminal */
	interactive = !opts.batch && !opts.common.json && !opts.csv && !opts.common.command &&
		      isatty(STDOUT_FILENO) && isatty(STDIN_FILENO);
	opts.view.clear_screen =
		!opts.batch && !opts.common.json && !opts.csv && isatty(STDOUT_FILENO);
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
		if (interactive)
			status = counter_screen_run(&session, &opts.view, &opts.report, opts.color);
		/* no screen after all (a terminal curses does not know): the batch table */
		if (!interactive || status == SCREEN_UNAVAILABLE)
			status = session_report_loop(&session, &opts.report, counter_report, &run);
	}
	stats_snapshot_free(&run.before);
	session_close(&session);
	return status;
}
