// SPDX-License-Identifier: GPL-2.0
/*
 * daxtrace: what Linux DAX really does. One binary, one verb per view, like bpftool and
 * ndctl; invoked as "daxtop" it is "daxtrace top".
 */
#include <libgen.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cmd/commands.h"
#include "engine/options.h"
#include "engine/report_error.h"
#include "version.h"

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "top", cmd_top, "live DAX faults, mkwrite, COW and remaps per process and file" },
	{ "lat", cmd_lat, "latency histograms of DAX faults, mkwrite, COW breaks and writeback" },
	{ "snoop", cmd_snoop, "one line per DAX event, through a ring buffer that never blocks" },
	{ "cow", cmd_cow, "reflink remaps by kind, sharing breaks, COW completions and cancels" },
	{ "share", cmd_share, "which files share each pmem page, and what each design would cost" },
	{ "mapuse", cmd_mapuse, "which kernel paths look up a DAX page's owner, and how" },
	{ "exporter", cmd_exporter, "DAX metrics per device for Prometheus, as a service" },
	{ "record", cmd_record, "every view of a command's run, as one file for report and diff" },
	{ "report", cmd_report, "the live commands' screens, from a record file" },
	{ "diff", cmd_diff, "two records compared: what changed, and exit 1 on a regression" },
	{ "model", cmd_model, "each sharing design's cost, offline, from a share --record stream" },
	{ "doctor", cmd_doctor, "what this kernel lets daxtrace count, and how" },
};

#define NR_COMMANDS (int)(sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	fprintf(out, "Usage: daxtrace COMMAND [OPTIONS]\n\nCommands:\n");
	for (int i = 0; i < NR_COMMANDS; i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(out,
		"\nOptions:\n" HELP_OPTS_HELP
		"\n'daxtrace COMMAND --help' describes a command; 'daxtop' is 'daxtrace top'.\n");
}

static const struct command *find_command(const char *name)
{
	for (int i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	return NULL;
}

/*
 * A reader that went away (EPIPE) ends us as SIGPIPE would have, quietly, as git does; but only
 * now, after the session tore down, which the signal itself would have skipped.
 */
static int end_command(int status)
{
	sigset_t pipe_signal;

	if (output_reader_gone()) {
		signal(SIGPIPE, SIG_DFL);
		sigemptyset(&pipe_signal);
		sigaddset(&pipe_signal, SIGPIPE);
		sigprocmask(SIG_UNBLOCK, &pipe_signal, NULL);
		raise(SIGPIPE);
	}
	return status;
}

/*
 * Every report reads the row maps whole and frees the reading: with full maps some 30 MB a
 * second at -i 1 (8,192 file rows, 4,096 process rows, their per-CPU values and the delta).
 * glibc's dynamic mmap threshold then serves those blocks from the heap one report and from
 * mmap the next, and trims the heap's top now and then: top's RSS swung between 25 and 47 MB
 * for the whole soak hour (docs/performance.md, "Long runs"), which no operator can tell from
 * a leak. Fixed thresholds keep the blocks in a heap that is never trimmed: the RSS climbs to
 * the readings' size once and stays there, and no report pays page faults for fresh memory.
 */
static void keep_report_memory(void)
{
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	mallopt(M_TRIM_THRESHOLD, 512 << 20);
}

int main(int argc, char **argv)
{
	const struct command *command;

	keep_report_memory();

	if (!strcmp(basename(argv[0]), "daxtop")) {
		report_set_command("top");
		return end_command(cmd_top(argc, argv));
	}
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version"))
		return end_command(print_version());
	command = find_command(argv[1]);
	if (!command) {
		fprintf(stderr, "daxtrace: unknown command '%s'\n", argv[1]);
		usage(stderr);
		return EXIT_USAGE;
	}
	report_set_command(command->name);
	return end_command(command->run(argc - 1, argv + 1));
}
