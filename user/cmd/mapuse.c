// SPDX-License-Identifier: GPL-2.0
/*
 * daxtrace mapuse: which kernel paths look up a DAX page's owner through ->mapping / ->index,
 * and which go through the filesystem instead, by call site and kernel stack.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "cmd/commands.h"
#include "cmd/mapuse_render.h"
#include "engine/report_error.h"
#include "engine/session.h"

struct mapuse_opts {
	struct common_opts common;
	struct report_opts report;
	struct mapuse_view view;
};

static void mapuse_usage(FILE *out, void *ctx)
{
	(void)ctx;
	fprintf(out,
		"Usage: daxtrace mapuse [OPTIONS] [-- CMD [ARG...]]\n"
		"Kernel call sites that look up a DAX page's owner: through ->mapping, or through "
		"the filesystem.\n\n"
		"  -i, --interval SEC   report interval (default 1); counts are cumulative\n"
		"  -n, --count N        stop after N reports\n"
		"      --stacks N       kernel stacks shown per site (default 5)\n"
		"%s",
		common_opts_help);
}

enum { OPT_STACKS = OPT_COMMAND_FIRST };

static int mapuse_opt(int opt, const char *arg, void *ctx)
{
	struct mapuse_opts *opts = ctx;
	unsigned long long number;

	if (opt != OPT_STACKS || !parse_uint(arg, 1000, &number))
		return usage_error("bad --stacks '%s': expected 0 to 1000", arg);
	opts->view.stacks = number;
	return 0;
}

static int parse_mapuse_opts(struct mapuse_opts *opts, int argc, char **argv)
{
	static const struct option long_opts[] = {
		COMMON_LONG_OPTS,
		REPORT_LONG_OPTS,
		{ "stacks", required_argument, NULL, OPT_STACKS },
		{},
	};

	opts->view.stacks = 5;
	return command_opts_parse(&(struct command_opts_spec){ .short_opts = REPORT_SHORT_OPTS,
							       .long_opts = long_opts,
							       .common = &opts->common,
							       .report = &opts->report,
							       .own_opt = mapuse_opt,
							       .usage = mapuse_usage,
							       .ctx = opts },
				  argc, argv);
}

static int mapuse_report(struct session *s, void *arg)
{
	struct mapuse_opts *opts = arg;

	struct mapuse_report report;

	if (session_read_mapuse(s, &report))
		return -1;
	if (opts->common.json)
		mapuse_render_json(stdout, &report, &opts->view, session_elapsed(s));
	else
		mapuse_render_text(stdout, &report, &opts->view, session_elapsed(s));
	mapuse_report_free(&report);
	return flush_output(stdout);
}

int cmd_mapuse(int argc, char **argv)
{
	struct mapuse_opts opts = {};
	struct session_setup setup = {
		.users = USED_BY_MAPUSE,
		.without_dax = "mapuse has no DAX page to watch",
		.ksyms = true,
		.mapuse_tables = true,
		.pmem_ranges = true,
	};
	struct session session;
	struct utsname uts;
	int status;

	if (parse_mapuse_opts(&opts, argc, argv))
		return EXIT_USAGE;
	uname(&uts);
	opts.view.kernel_release = uts.release;
	status = session_open(&session, &opts.common, &setup);
	if (status == EXIT_OK) {
		opts.view.plan = &session.plan;
		opts.view.empty = &session.empty;
		opts.view.paths = session.paths;
		status = session_report_loop(&session, &opts.report, mapuse_report, &opts);
	}
	session_close(&session);
	return status;
}
