// SPDX-License-Identifier: GPL-2.0
/*
 * daxtrace share: the census of pmem pfns shared between files (reflink), checked against the
 * kernel's own share count, and the cost of each sharing design on the traced workload.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "cmd/commands.h"
#include "cmd/reflink_note.h"
#include "cmd/share_model_opts.h"
#include "cmd/share_record.h"
#include "cmd/share_render.h"
#include "engine/mapuse_report.h"
#include "engine/report_error.h"
#include "engine/session.h"
#include "engine/snapshot.h"

struct share_opts {
	struct common_opts common;
	struct report_opts report;
	unsigned long long max_pfns;
	struct share_model_params model; /* --proxy-bytes, --alloc-ns ... */
	struct share_view view;
	struct reflink_note no_reflink;
	struct share_record record; /* --record FILE */
};

static void share_usage(FILE *out, void *ctx)
{
	(void)ctx;
	fprintf(out,
		"Usage: daxtrace share [OPTIONS] [-- CMD [ARG...]]\n"
		"Which files own each pmem page (reflink sharing), checked against the kernel's "
		"share count.\n\n"
		"  -i, --interval SEC   report interval (default 1); the census is cumulative\n"
		"  -n, --count N        stop after N reports\n"
		"  -r, --rows N         rows per table: file pairs shown (default 20)\n"
		"      --model          the cost of each sharing design (docs/designs.md)\n"
		"      --snapshot       start from the DAX pages processes map now (pagemap)\n"
		"      --max-pfns N     census capacity in pfns (default %d); more are counted as "
		"evicted\n"
		"%s"
		"      --record FILE    also write every census event to FILE, for 'daxtrace model'\n"
		"      --buffer-kb N    --record's ring buffer in KiB (default 8192)\n"
		"%s",
		DT_SHARE_DEFAULT_PFNS, share_model_opts_help, common_opts_help);
}

enum {
	OPT_MAX_PFNS = OPT_COMMAND_FIRST,
	OPT_SNAPSHOT,
	OPT_MODEL,
	OPT_RECORD,
	OPT_BUFFER_KB,
};
_Static_assert((int)OPT_BUFFER_KB < (int)OPT_PROXY_BYTES, "share's options overlap the model's");

static int share_opt(int opt, const char *arg, void *ctx)
{
	struct share_opts *opts = ctx;
	unsigned long long number;

	if (share_model_opt_is(opt))
		return share_model_opt(&opts->model, opt, arg);
	switch (opt) {
	case 'r':
		if (!parse_uint(arg, 100000, &number) || !number)
			return usage_error("bad row count '%s': expected 1 to 100000", arg);
		opts->view.rows = number;
		return 0;
	case 'm':
	case OPT_MODEL:
		if (opt == 'm') /* lat's -m is --msecs: one option language */
			deprecated_option("-m", "--model", " (-m is lat's --msecs)");
		opts->view.model = true;
		return 0;
	case OPT_MAX_PFNS:
		if (!parse_uint(arg, 1ULL << 26, &opts->max_pfns) || !opts->max_pfns)
			return usage_error("bad --max-pfns '%s': expected 1 to %llu", arg,
					   1ULL << 26);
		return 0;
	case OPT_SNAPSHOT:
		opts->view.since_snapshot = true;
		return 0;
	case OPT_RECORD:
		if (!*arg)
			return usage_error("bad --record '': expected a file name");
		opts->record.path = arg;
		return 0;
	default: /* OPT_BUFFER_KB */
		if (!parse_uint(arg, 1ULL << 22, &opts->record.buffer_kb) ||
		    !opts->record.buffer_kb)
			return usage_error("bad --buffer-kb '%s': expected 1 to %llu", arg,
					   1ULL << 22);
		return 0;
	}
}

static int parse_share_opts(struct share_opts *opts, int argc, char **argv)
{
	static const struct option long_opts[] = {
		COMMON_LONG_OPTS,
		REPORT_LONG_OPTS,
		{ "rows", required_argument, NULL, 'r' },
		{ "model", no_argument, NULL, OPT_MODEL },
		{ "max-pfns", required_argument, NULL, OPT_MAX_PFNS },
		SHARE_MODEL_LONG_OPTS,
		{ "snapshot", no_argument, NULL, OPT_SNAPSHOT },
		{ "record", required_argument, NULL, OPT_RECORD },
		{ "buffer-kb", required_argument, NULL, OPT_BUFFER_KB },
		{},
	};

	opts->max_pfns = DT_SHARE_DEFAULT_PFNS;
	opts->view.rows = 20;
	opts->model = SHARE_MODEL_PARAMS_DEFAULT;
	if (command_opts_parse(&(struct command_opts_spec){ .short_opts = REPORT_SHORT_OPTS "r:m",
							    .long_opts = long_opts,
							    .common = &opts->common,
							    .report = &opts->report,
							    .own_opt = share_opt,
							    .usage = share_usage,
							    .ctx = opts },
			       argc, argv))
		return -1;
	if (opts->model.given && !opts->view.model)
		return usage_error("%s needs --model: it is a parameter of the model",
				   opts->model.given);
	return 0;
}

/*
 * --record's file, then --snapshot: before -- CMD starts, so that it cannot change what is
 * mapped first.
 */
static int share_after_attach(struct session *s, void *arg)
{
	struct share_opts *opts = arg;
	struct snapshot_result result;

	if (share_record_begin(&opts->record, s, opts->view.since_snapshot))
		return -1;
	if (!opts->view.since_snapshot)
		return 0;
	if (session_take_snapshot(s, &result))
		return -1;
	if (opts->common.verbose)
		fprintf(stderr,
			"daxtrace: snapshot: %llu DAX mappings, %llu owners of %llu new pfns\n",
			(unsigned long long)result.mappings,
			(unsigned long long)result.owners_added,
			(unsigned long long)result.units_added);
	return 0;
}

static bool point_attached(const struct session *s, const char *name)
{
	const struct plan_choice *c = attach_plan_find(&s->plan, name);

	return c && c->kind != KIND_NONE;
}

/*
 * The owner lookups of mapuse's sites: the filesystem's (mapuse.fs_rmap) and the ->mapping
 * readers' (mapuse.lock, mapuse.generic), each measured only when its points are attached.
 */
static int read_owner_lookups(struct session *s, struct share_rmap *rmap, struct share_uses *uses)
{
	struct mapuse_report report;

	rmap->measured = point_attached(s, "mapuse.fs_rmap");
	rmap->lookups = 0;
	if (session_read_mapuse(s, &report))
		return -1;
	if (rmap->measured)
		rmap->lookups = report.sites[DT_SITE_MF_DAX_KILL_PROCS].count;
	share_uses_from_report(uses, &report,
			       point_attached(s, "mapuse.lock") &&
				       point_attached(s, "mapuse.generic"));
	mapuse_report_free(&report);
	return 0;
}

static int share_report(struct session *s, void *arg)
{
	struct share_opts *opts = arg;
	struct share_report report = {};
	struct share_costs costs;
	struct share_uses uses;
	struct share_rmap rmap;
	struct census census;
	/* the records of the events the maps hold: none is left for after the final report */
	int err = opts->record.writer ? session_share_stream_drain(s) : 0;

	if (err)
		return runtime_error("--record %s: %s", opts->record.path, strerror(-err));
	if (session_read_census(s, &census))
		return -1;
	if (read_owner_lookups(s, &rmap, &uses)) {
		census_free(&census);
		return -1;
	}
	if (session_read_costs(s, &costs)) {
		census_free(&census);
		return -1;
	}
	report.costs = &costs;
	report.census = &census;
	report.elapsed_s = session_elapsed(s);
	share_losses_compute(&report.losses, &census, session_missed_runs(s));
	share_model_compute(&report.model, &census, opts->model.proxy_bytes, &rmap, &uses);
	share_price_compute(&report.price, &report.model, &costs, &opts->model.price);
	if (opts->common.json)
		share_render_json(stdout, &report, &opts->view);
	else
		share_render_text(stdout, &report, &opts->view);
	census_free(&census);
	return flush_output(stdout);
}

int cmd_share(int argc, char **argv)
{
	struct share_opts opts = {};
	struct session_setup setup = {
		.users = USED_BY_SHARE | USED_BY_SHARE_COSTS,
		.without_dax = "share has no DAX page to count",
		.ksyms = true,
		.mapuse_tables = true, /* the model counts the owner lookups of mapuse's sites */
		.pmem_ranges = true, /* ... among them folio_mapping's on pmem pages */
		.share_costs = true, /* the operations' durations (share_costs.h) */
		.after_attach = share_after_attach,
		.arg = &opts,
	};
	struct session session;
	struct utsname uts;
	int status;

	if (parse_share_opts(&opts, argc, argv))
		return EXIT_USAGE;
	uname(&uts);
	opts.view.kernel_release = uts.release;
	setup.census_pfns = opts.max_pfns;
	share_record_setup(&opts.record, &setup);
	status = session_open(&session, &opts.common, &setup);
	if (status == EXIT_OK) {
		reflink_note_begin(&opts.no_reflink, &session.mounts, "share",
				   "no shared pages to find there");
		opts.view.no_reflink = &opts.no_reflink;
		opts.view.plan = &session.plan;
		opts.view.empty = &session.empty;
		opts.view.paths = session.paths;
		status = session_report_loop(&session, &opts.report, share_report, &opts);
	}
	if (share_record_finish(&opts.record, &session) && status == EXIT_OK)
		status = EXIT_RUNTIME;
	session_close(&session);
	return status;
}
