// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include <linux/types.h>

#include "daxtrace.h"
#include "engine/options.h"
#include "engine/report_error.h"
#include "version.h"

const char common_opts_help[] = FILTER_OPTS_HELP ATTACH_OPTS_HELP VERBOSE_OPTS_HELP JSON_OPTS_HELP
	HELP_OPTS_HELP COMMAND_OPTS_HELP;

static const char *const family_names[] = {
	[FAMILY_AUTO] = "auto",	      [FAMILY_FENTRY] = "fentry",
	[FAMILY_KPROBE] = "kprobe",   [FAMILY_TRACEPOINT] = "tracepoint",
	[FAMILY_TP_BTF] = "tp_btf",   [FAMILY_RAW_TP] = "raw_tp",
	[FAMILY_CLASSIC] = "classic",
};

const char *attach_family_name(enum attach_family family)
{
	return family_names[family];
}

/* The thread group (process) a task id belongs to, from /proc; 0 if it cannot be told. */
static unsigned long long tgid_of(unsigned long long tid)
{
	unsigned long long tgid = 0;
	char path[64], line[128];
	FILE *status;

	snprintf(path, sizeof(path), "/proc/%llu/status", tid);
	status = fopen(path, "r");
	if (!status)
		return 0;
	while (fgets(line, sizeof(line), status))
		if (sscanf(line, "Tgid: %llu", &tgid) == 1)
			break;
	fclose(status);
	return tgid;
}

static bool is_cgroup2_dir(const char *path)
{
	struct statfs fs;

	return statfs(path, &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC;
}

static int parse_family(const char *text, enum attach_family *family)
{
	for (size_t i = 0; i < sizeof(family_names) / sizeof(family_names[0]); i++) {
		if (!strcmp(text, family_names[i])) {
			*family = i;
			return 0;
		}
	}
	return -1;
}

int common_opts_parse(struct common_opts *opts, int opt, const char *arg)
{
	unsigned long long number, tgid;
	unsigned int number_dev;
	struct stat st;

	switch (opt) {
	case 'p':
		if (!parse_uint(arg, 4194304, &number) || number == 0)
			return usage_error("bad PID '%s': expected a positive process id", arg);
		if (kill((pid_t)number, 0) && errno == ESRCH)
			return usage_error("no process with PID %llu", number);
		/* The filters match thread groups: a thread's id would match nothing. */
		tgid = tgid_of(number);
		if (tgid && tgid != number)
			return usage_error(
				"%llu is a thread of process %llu: -p takes a process id", number,
				tgid);
		if (opts->nr_pids == DT_MAX_PIDS)
			return usage_error("at most %d -p options", DT_MAX_PIDS);
		opts->pids[opts->nr_pids++] = number;
		return 1;
	case 'C':
		if (stat(arg, &st) || !S_ISDIR(st.st_mode))
			return usage_error("cgroup '%s' is not a directory", arg);
		if (!is_cgroup2_dir(arg))
			return usage_error("'%s' is not in a cgroup v2 hierarchy", arg);
		opts->cgroup_path = arg;
		return 1;
	case 'd':
		if (!parse_dev(arg, &number_dev) || !number_dev)
			return usage_error(
				"bad device '%s': expected MAJ:MIN of a device, e.g. 259:0 "
				"(major up to %u, minor up to %u, not 0:0)",
				arg, DT_MAJOR_MAX, DT_MINOR_MASK);
		/* 0 is "any device" to the BPF filter (filter_dev): 0:0 would turn it off */
		opts->dev = number_dev;
		return 1;
	case OPT_DAX_ONLY:
		opts->dax_only = true;
		return 1;
	case OPT_ATTACH:
		if (parse_family(arg, &opts->family))
			return usage_error("bad --attach '%s': expected "
					   "auto|fentry|kprobe|tracepoint|tp_btf|raw_tp|classic",
					   arg);
		return 1;
	case 'v':
		opts->verbose++;
		return 1;
	case 'j':
		opts->json = true;
		report_set_json(true);
		return 1;
	default:
		return 0;
	}
}

int common_opts_finish(struct common_opts *opts, int argc, char **argv, int optind)
{
	bool dashdash = optind > 0 && optind <= argc && !strcmp(argv[optind - 1], "--");

	if (optind < argc && !dashdash)
		return usage_error("unexpected argument '%s'", argv[optind]);
	if (dashdash && optind == argc)
		return usage_error("'--' needs a command to run");
	if (dashdash && opts->nr_pids)
		return usage_error("-p and -- CMD exclude each other");
	opts->command = optind < argc ? &argv[optind] : NULL;
	return 0;
}

static int report_opts_parse(struct report_opts *opts, int opt, const char *arg)
{
	if (opt == 'i' && !parse_seconds(arg, &opts->interval_s))
		return usage_error("bad interval '%s': expected seconds, 0.01 to 86400", arg);
	if (opt == 'n' && (!parse_uint(arg, 1ULL << 32, &opts->count) || !opts->count))
		return usage_error("bad count '%s': expected a positive integer", arg);
	return opt == 'i' || opt == 'n';
}

/*
 * Whether arg ("--name" or "--name=value", name perhaps abbreviated) is the long option of val
 * (optopt), which is 0 for an unknown long option.
 */
static bool is_long_option(const struct option *options, const char *arg, int val)
{
	size_t len;

	if (strncmp(arg, "--", 2))
		return false;
	len = strcspn(arg + 2, "=");
	for (; options && options->name; options++)
		if (!strncmp(options->name, arg + 2, len) && options->val == val)
			return true;
	return !val;
}

/*
 * getopt's '?' (unknown, or a value for an option that takes none) or ':' (no argument) as
 * one line naming the option as typed. While getopt is inside a bundle like "-xv",
 * argv[optind - 1] is the argument before it: a short option is optopt. A long option is the
 * argument getopt has just passed, up to its '='.
 */
int bad_option(const struct option *options, int opt, int argc, char **argv)
{
	const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "";
	char short_option[] = { '-', (char)optopt, '\0' };
	int len = (int)strcspn(arg, "=");

	if (!is_long_option(options, arg, optopt)) {
		arg = short_option;
		len = 2;
	}
	if (opt == ':')
		return usage_error("option '%.*s' needs an argument", len, arg);
	if (optopt && arg[len] == '=')
		return usage_error("option '%.*s' takes no argument", len, arg);
	return usage_error("unknown option '%.*s'", len, arg);
}

void deprecated_option(const char *old, const char *new, const char *note)
{
	warning("%s is deprecated, use %s%s", old, new, note);
}

/*
 * With -- CMD a command reports once, when CMD exits (session_report_loop): -i and -n would be
 * ignored, so they are refused rather than silently dropped.
 */
static int check_report_opts(const struct common_opts *common, const char *given)
{
	if (common->command && *given)
		return usage_error("-%s and -- CMD exclude each other: with a command, one report "
				   "when it exits",
				   given);
	return 0;
}

int command_opts_parse(const struct command_opts_spec *spec, int argc, char **argv)
{
	char short_opts[64], given[3] = "";
	int opt, handled;

	/* ':' after '+': a missing argument is told apart from an unknown option */
	snprintf(short_opts, sizeof(short_opts), "+:%s%s",
		 spec->common_short_opts ? spec->common_short_opts : COMMON_SHORT_OPTS,
		 spec->short_opts);
	if (spec->report)
		spec->report->interval_s = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, short_opts, spec->long_opts, NULL)) != -1) {
		handled = common_opts_parse(spec->common, opt, optarg);
		if (!handled && spec->report)
			handled = report_opts_parse(spec->report, opt, optarg);
		if (handled < 0)
			return -1;
		if (handled) {
			/* the first of -i and -n given, for check_report_opts */
			if ((opt == 'i' || opt == 'n') && !given[0])
				given[0] = (char)opt;
			continue;
		}
		if (opt == 'h') {
			spec->usage(stdout, spec->ctx);
			exit(EXIT_OK);
		}
		if (opt == 'V')
			exit_version();
		if (opt == ':' || opt == '?')
			return bad_option(spec->long_opts, opt, argc, argv);
		if (!spec->own_opt)
			return usage_error("unknown option '%s'", argv[optind - 1]);
		if (spec->own_opt(opt, optarg, spec->ctx))
			return -1;
	}
	if (common_opts_finish(spec->common, argc, argv, optind))
		return -1;
	return check_report_opts(spec->common, given);
}
