// SPDX-License-Identifier: GPL-2.0
/*
 * Options and numbers (user/engine/options.c, numbers.c): the input is a command line, its
 * arguments separated by NUL bytes. Each argument goes through the number parsers, then the
 * whole line through the getopt loop every command uses, as `daxtrace top` drives it.
 */
#include <setjmp.h>
#include <string.h>

#include <linux/types.h>

#include "daxtrace.h"
#include "engine/options.h"
#include "engine/report_error.h"
#include "fuzz_input.h"
#include "version.h"

#define MAX_ARGS 32

static jmp_buf after_help;

static void check_numbers(const char *arg)
{
	struct common_opts opts = {};
	unsigned long long value;
	unsigned int dev;
	double seconds;

	if (parse_uint(arg, 4194304, &value))
		fuzz_check(value <= 4194304);
	if (parse_seconds(arg, &seconds))
		fuzz_check(seconds >= 0.01 && seconds <= 86400);
	if (parse_dev(arg, &dev))
		fuzz_check(strchr(arg, ':'));
	/* an accepted -d names a device: 0 would turn the filter off (options.h) */
	if (common_opts_parse(&opts, 'd', arg) == 1)
		fuzz_check(opts.dev != 0);
}

static int own_opt(int opt, const char *arg, void *ctx)
{
	(void)arg;
	(void)ctx;
	return opt == 's' ? 0 : -1;
}

/* -h prints the usage and exits 0: the target goes on with the next input instead. */
static void usage(FILE *out, void *ctx)
{
	(void)out;
	(void)ctx;
	longjmp(after_help, 1);
}

/* -V prints the version and exits 0 (user/version.c, not linked here): the same. */
void exit_version(void)
{
	longjmp(after_help, 1);
}

static void parse_command_line(int argc, char **argv)
{
	static const struct option long_opts[] = {
		COMMON_LONG_OPTS,
		REPORT_LONG_OPTS,
		{ "sort", required_argument, NULL, 's' },
		{},
	};
	struct common_opts common = {};
	struct report_opts report = {};
	struct command_opts_spec spec = {
		.short_opts = REPORT_SHORT_OPTS "s:",
		.long_opts = long_opts,
		.common = &common,
		.report = &report,
		.own_opt = own_opt,
		.usage = usage,
	};

	optind = 0; /* glibc: start over, as a new process would */
	if (setjmp(after_help))
		return;
	if (command_opts_parse(&spec, argc, argv) == 0) {
		fuzz_check(!common.command || (common.command >= argv && *common.command));
		fuzz_check(report.interval_s >= 0.01);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *argv[MAX_ARGS + 1];
	int argc = 0;

	if (!text)
		return 0;
	if (size)
		memcpy(text, data, size);
	text[size] = '\0';
	argv[argc++] = "top";
	for (char *arg = text; argc < MAX_ARGS && arg < text + size; arg += strlen(arg) + 1)
		argv[argc++] = arg;
	argv[argc] = NULL;
	for (int i = 1; i < argc; i++)
		check_numbers(argv[i]);
	report_set_command("top");
	parse_command_line(argc, argv);
	report_set_json(false); /* -j turned it on for this input only */
	free(text);
	return 0;
}
