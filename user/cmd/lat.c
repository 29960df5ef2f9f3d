// SPDX-License-Identifier: GPL-2.0
/*
 * daxtrace lat: log2 latency histograms of DAX faults by size and access, write-protect
 * faults, sharing breaks and writeback flushes, measured in the kernel from each handler's
 * entry to its exit (no user crossing per event).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/commands.h"
#include "cmd/lat_render.h"
#include "engine/report_error.h"
#include "engine/session.h"

struct lat_opts {
	struct common_opts common;
	struct report_opts report;
	struct lat_view view;
};

/* Between reports: the previous reading, so that each report shows one interval. */
struct lat_state {
	const struct lat_opts *opts;
	struct lat_report before;
};

static void lat_usage(FILE *out, void *ctx)
{
	(void)ctx;
	fprintf(out,
		"Usage: daxtrace lat [OPTIONS] [-- CMD [ARG...]]\n"
		"Latency histograms of DAX faults (pte-read, pte-write, pmd-read, pmd-write), "
		"mkwrite,\nsharing breaks (cow), DAX writeback and MAP_SYNC syncs, timed in the kernel.\n\n"
		"  -i, --interval SEC   report interval (default 1); each report covers one "
		"interval\n"
		"  -n, --count N        stop after N reports\n"
		"  -P, --per-process    one histogram per process and kind\n"
		"  -F, --per-file       one histogram per file and kind\n"
		"  -u, --usecs          print microseconds (default)\n"
		"  -m, --msecs          print milliseconds\n"
		"%s",
		common_opts_help);
}

static int lat_opt(int opt, const char *arg, void *ctx)
{
	struct lat_view *view = &((struct lat_opts *)ctx)->view;

	(void)arg;
	if (opt == 'P')
		view->per_proc = true;
	else if (opt == 'F')
		view->per_file = true;
	else if (opt == 'm')
		view->divisor = 1000000, view->unit = "msecs";
	else /* 'u' */
		view->divisor = 1000, view->unit = "usecs";
	return 0;
}

static int parse_lat_opts(struct lat_opts *opts, int argc, char **argv)
{
	static const struct option long_opts[] = {
		COMMON_LONG_OPTS,
		REPORT_LONG_OPTS,
		{ "per-process", no_argument, NULL, 'P' },
		{ "per-file", no_argument, NULL, 'F' },
		{ "usecs", no_argument, NULL, 'u' },
		{ "msecs", no_argument, NULL, 'm' },
		{},
	};

	opts->view.divisor = 1000;
	opts->view.unit = "usecs";
	return command_opts_parse(
		&(struct command_opts_spec){ .short_opts = REPORT_SHORT_OPTS "PFum",
					     .long_opts = long_opts,
					     .common = &opts->common,
					     .report = &opts->report,
					     .own_opt = lat_opt,
					     .usage = lat_usage,
					     .ctx = opts },
		argc, argv);
}

static int lat_report(struct session *s, void *arg)
{
	struct lat_state *state = arg;
	struct lat_report now, delta;
	int err;

	if (session_read_lat(s, &now))
		return -1;
	err = lat_report_delta(&delta, &now, &state->before);
	if (err) {
		lat_report_free(&now);
		return runtime_error("reading the histograms: %s", strerror(-err));
	}
	if (state->opts->common.json)
		lat_render_json(stdout, &delta, &state->opts->view);
	else
		lat_render_text(stdout, &delta, &state->opts->view);
	lat_report_free(&delta);
	lat_report_free(&state->before);
	state->before = now;
	return flush_output(stdout);
}

int cmd_lat(int argc, char **argv)
{
	struct lat_opts opts = {};
	struct lat_state state = { .opts = &opts };
	struct session session;
	int status;

	if (parse_lat_opts(&opts, argc, argv))
		return EXIT_USAGE;
	status = session_open(
		&session, &opts.common,
		&(struct session_setup){ .users = USED_BY_TOP | USED_BY_DEVDAX,
					 .lat = { .on = true,
						  .per_proc = opts.view.per_proc,
						  .per_file = opts.view.per_file },
					 .without_dax = "lat has no DAX fault or flush to time" });
	opts.view.empty = &session.empty;
	if (status == EXIT_OK)
		status = session_report_loop(&session, &opts.report, lat_report, &state);
	lat_report_free(&state.before);
	session_close(&session);
	return status;
}
