/* SPDX-License-Identifier: GPL-2.0 */
/* The options every command shares, parsed in one place. */
#ifndef DAXTRACE_OPTIONS_H
#define DAXTRACE_OPTIONS_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "engine/numbers.h"

#define DT_MAX_PIDS 64

/* Attach families, in the order auto tries them for a point that has several. */
enum attach_family {
	FAMILY_AUTO,
	FAMILY_FENTRY,
	FAMILY_KPROBE,
	FAMILY_TRACEPOINT, /* any tracepoint flavour: tp_btf, then raw_tp, then classic */
	FAMILY_TP_BTF,
	FAMILY_RAW_TP,
	FAMILY_CLASSIC,
};

struct common_opts {
	pid_t pids[DT_MAX_PIDS];
	int nr_pids;
	const char *cgroup_path;
	unsigned int dev; /* kernel dev_t (DT_MKDEV), 0 = any */
	bool dax_only;
	int verbose; /* -v: the plan, timings, libbpf's warnings; -vv: its debug log too */
	bool json;
	enum attach_family family;
	char **command; /* argv after "--", NULL if none */
};

/*
 * getopt_long entries for the common options; a command appends its own after them. One option
 * language (docs/architecture.md, "Options: one language"): a letter here means the same in
 * every command, and no command gives it another meaning.
 */
#define COMMON_SHORT_OPTS "p:C:d:vjhV"
/* The common options of a command that traces nothing (doctor): no filters, no -- CMD. */
#define PLAN_SHORT_OPTS "jhV"
#define COMMON_LONG_OPTS                                                                     \
	{ "pid", required_argument, NULL, 'p' }, { "cgroup", required_argument, NULL, 'C' }, \
		{ "dev", required_argument, NULL, 'd' },                                     \
		{ "dax-only", no_argument, NULL, OPT_DAX_ONLY },                             \
		{ "attach", required_argument, NULL, OPT_ATTACH },                           \
		{ "verbose", no_argument, NULL, 'v' }, { "json", no_argument, NULL, 'j' },   \
		{ "help", no_argument, NULL, 'h' }, VERSION_LONG_OPT

/* -V, --version: every command has it, as "daxtrace -V" before the command has. */
#define VERSION_LONG_OPT                          \
	{                                         \
		"version", no_argument, NULL, 'V' \
	}

enum { OPT_DAX_ONLY = 256, OPT_ATTACH, OPT_COMMAND_FIRST = 300 };

/*
 * Help text for the common options, for each command's usage; in parts for the commands that
 * take only some of them.
 */
#define FILTER_OPTS_HELP                                                                 \
	"  -p, --pid PID        trace only this process (repeatable)\n"                  \
	"  -C, --cgroup PATH    trace only tasks in this cgroup v2 directory or below\n" \
	"  -d, --dev MAJ:MIN    count only files on this device (not 0:0)\n"             \
	"      --dax-only       count only DAX files\n"
#define ATTACH_OPTS_HELP \
	"      --attach FAMILY  auto|fentry|kprobe|tracepoint|tp_btf|raw_tp|classic\n"
#define VERBOSE_OPTS_HELP                                                                    \
	"  -v, --verbose        the attach plan, timings and libbpf's warnings on stderr;\n" \
	"                       -vv adds libbpf's debug log\n"
#define JSON_OPTS_HELP "  -j, --json           newline-delimited JSON on stdout\n"
#define HELP_OPTS_HELP                       \
	"  -h, --help           this help\n" \
	"  -V, --version        daxtrace's version, commit and libbpf\n"
#define COMMAND_OPTS_HELP \
	"  -- CMD [ARG...]      run CMD, trace it and its descendants, report when it exits\n"
extern const char common_opts_help[];

/*
 * Applies one getopt result to *opts. Returns 1 if it was a common option, 0 if not (the
 * command's own), -1 after printing a usage error.
 */
int common_opts_parse(struct common_opts *opts, int opt, const char *arg);

/* After getopt: takes "-- CMD ARGS" from argv[optind..]; -1 after a usage error. */
int common_opts_finish(struct common_opts *opts, int argc, char **argv, int optind);

const char *attach_family_name(enum attach_family family);

/* -i SEC and -n N of the commands that report periodically. */
struct report_opts {
	double interval_s; /* default 1 */
	unsigned long long count; /* 0: until interrupted */
};

#define REPORT_SHORT_OPTS "i:n:"
#define REPORT_LONG_OPTS                              \
	{ "interval", required_argument, NULL, 'i' }, \
	{                                             \
		"count", required_argument, NULL, 'n' \
	}

/* A command's options: what command_opts_parse needs to know of it. */
struct command_opts_spec {
	const char *short_opts; /* the command's own letters (REPORT_SHORT_OPTS included) */
	const struct option *long_opts; /* all of them, COMMON_LONG_OPTS included */
	struct common_opts *common;
	struct report_opts *report; /* NULL: no -i and -n */
	/* Any other option: 0, or -1 after its usage error. NULL: the command has none. */
	int (*own_opt)(int opt, const char *arg, void *ctx);
	void (*usage)(FILE *out, void *ctx); /* for -h, which exits 0 */
	void *ctx;
	const char *common_short_opts; /* NULL: COMMON_SHORT_OPTS */
};

/*
 * The one getopt loop of every command: the common options, -i and -n, -h, the command's own,
 * then common_opts_finish. Returns 0, or -1 after a usage error.
 */
int command_opts_parse(const struct command_opts_spec *spec, int argc, char **argv);

/*
 * getopt's '?' or ':' (opt) as one usage error naming the option as typed, for a command with a
 * getopt loop of its own (diff: no common options, two file arguments). Returns -1.
 */
int bad_option(const struct option *options, int opt, int argc, char **argv);

/*
 * An old spelling that still works for one release: one warning line naming the new one, e.g.
 * deprecated_option("-b", "--buffer-kb", " (-b will mean --batch)").
 */
void deprecated_option(const char *old, const char *new, const char *note);

#endif /* DAXTRACE_OPTIONS_H */
