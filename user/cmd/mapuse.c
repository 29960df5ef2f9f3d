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

#include <bpf/libbpf.h>

#include "daxtrace.skel.h"
#include "cmd/commands.h"
#include "cmd/mapuse_render.h"
#include "engine/pmem.h"
#include "engine/report_error.h"
#include "engine/session.h"

struct mapuse_opts {
	struct common_opts common;
	double interval_s;
	unsigned long long count; /* 0: until interrupted */
	struct mapuse_view view;
};

static void mapuse_usage(FILE *out)
{
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

static int parse_mapuse_opts(struct mapuse_opts *opts, int argc, char **argv)
{
	static const struct option long_opts[] = {
		COMMON_LONG_OPTS,
		{ "interval", required_argument, NULL, 'i' },
		{ "count", required_argument, NULL, 'n' },
		{ "stacks", required_argument, NULL, OPT_STACKS },
		{},
	};
	unsigned long long number;
	int opt, handled;

	opts->interval_s = 1;
	opts->view.stacks = 5;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+" COMMON_SHORT_OPTS "i:n:", long_opts, NULL)) !=
	       -1) {
		handled = common_opts_parse(&opts->common, opt, optarg);
		if (handled < 0)
			return -1;
		if (handled)
			continue;
		switch (opt) {
		case 'h':
			mapuse_usage(stdout);
			exit(EXIT_OK);
		case 'i':
			if (parse_interval_opt(optarg, &opts->interval_s))
				return -1;
			break;
		case 'n':
			if (parse_count_opt(optarg, &opts->count))
				return -1;
			break;
		case OPT_STACKS:
			if (!parse_uint(optarg, 1000, &number))
				return usage_error("bad --stacks '%s': expected 0 to 1000", optarg);
			opts->view.stacks = number;
			break;
		default:
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	return common_opts_finish(&opts->common, argc, argv, optind);
}

/* The generic ->mapping readers see every page: BPF keeps those of pmem. */
static int mapuse_before_load(struct session *s, void *arg)
{
	struct pfn_range ranges[DT_PMEM_RANGES];
	int n = pmem_ranges_read("/proc/iomem", ranges, DT_PMEM_RANGES);

	(void)arg;
	if (n < 0)
		return runtime_error("cannot read /proc/iomem: %s", strerror(-n));
	for (int i = 0; i < n; i++) {
		s->skel->rodata->pmem_pfn_lo[i] = ranges[i].lo;
		s->skel->rodata->pmem_pfn_hi[i] = ranges[i].hi;
	}
	if (n == 0)
		warning("no persistent memory in /proc/iomem: folio_mapping uses cannot be seen");
	return 0;
}

static int mapuse_report(struct session *s, void *arg)
{
	struct mapuse_opts *opts = arg;

	struct mapuse_report report;
	unsigned long long lost = attach_plan_missed_runs(&s->plan, s->skel->obj);
	int err = mapuse_report_read(&report, bpf_map__fd(s->skel->maps.mapuse_uses),
				     bpf_map__fd(s->skel->maps.mapuse_stacks),
				     bpf_map__fd(s->skel->maps.mapuse_dropped), &s->ksyms);

	if (err) {
		mapuse_report_free(&report);
		return runtime_error("reading the uses failed: %s", strerror(-err));
	}
	if (opts->common.json)
		mapuse_render_json(stdout, &report, &opts->view, lost, session_elapsed(s));
	else
		mapuse_render_text(stdout, &report, &opts->view, lost, session_elapsed(s));
	mapuse_report_free(&report);
	return 0;
}

int cmd_mapuse(int argc, char **argv)
{
	struct mapuse_opts opts = {};
	struct session_setup setup = {
		.users = USED_BY_MAPUSE,
		.ksyms = true,
		.before_load = mapuse_before_load,
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
		opts.view.mounts = &session.mounts;
		opts.view.file_info_fd = bpf_map__fd(session.skel->maps.file_info);
		status = session_report_loop(&session, opts.interval_s, opts.count, mapuse_report,
					     &opts);
	}
	session_close(&session);
	return status;
}
