// SPDX-License-Identifier: GPL-2.0
/* The options every command shares: the strict number parsers, each option and the "-- CMD". */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <linux/types.h>

#include "engine/options.h"
#include "engine/report_error.h"

#define NO_SUCH_PID "4194303" /* PID_MAX_LIMIT - 1: valid, and never in use on a test host */

static void test_parse_uint_ok(void **state)
{
	unsigned long long value;

	(void)state;
	assert_true(parse_uint("0", 10, &value));
	assert_int_equal(value, 0);
	assert_true(parse_uint("7", 10, &value));
	assert_int_equal(value, 7);
	assert_true(parse_uint("0042", 100, &value));
	assert_int_equal(value, 42);
	assert_true(parse_uint("4294967296", 1ULL << 32, &value));
	assert_int_equal(value, 4294967296ULL);
	assert_true(parse_uint("18446744073709551615", ULLONG_MAX, &value));
	assert_int_equal(value, ULLONG_MAX);
}

static void test_parse_uint_max_bound(void **state)
{
	unsigned long long value;

	(void)state;
	assert_true(parse_uint("100", 100, &value));
	assert_int_equal(value, 100);
	assert_false(parse_uint("101", 100, &value));
	assert_true(parse_uint("0", 0, &value));
	assert_false(parse_uint("1", 0, &value));
	assert_false(parse_uint("4294967297", 1ULL << 32, &value));
}

static void test_parse_uint_rejects(void **state)
{
	unsigned long long value;

	(void)state;
	assert_false(parse_uint(NULL, 100, &value));
	assert_false(parse_uint("", 100, &value));
	assert_false(parse_uint("-1", ULLONG_MAX, &value));
	assert_false(parse_uint("-0", 100, &value));
	assert_false(parse_uint("+1", 100, &value));
	assert_false(parse_uint("12x", 100, &value));
	assert_false(parse_uint("x12", 100, &value));
	assert_false(parse_uint("1 ", 100, &value));
	assert_false(parse_uint("0x10", 100, &value));
	assert_false(parse_uint("1.5", 100, &value));
	/* one past ULLONG_MAX: strtoull's ERANGE, not a wrapped value */
	assert_false(parse_uint("18446744073709551616", ULLONG_MAX, &value));
	assert_false(parse_uint("99999999999999999999999", ULLONG_MAX, &value));
}

/* "The whole string": strtoull and strtod skip leading white space, a strict parser must not. */
static void test_parsers_reject_leading_space(void **state)
{
	unsigned long long value = 0;
	unsigned int dev = 0;
	double seconds = 0;

	(void)state;
	assert_false(parse_uint(" 1", 100, &value));
	assert_false(parse_uint("\t1", 100, &value));
	/* past the sign check, strtoull negates: " -1" would be ULLONG_MAX */
	assert_false(parse_uint(" -1", ULLONG_MAX, &value));
	assert_false(parse_uint(" +1", 100, &value));
	assert_false(parse_dev(" 8:1", &dev));
	assert_false(parse_dev("8: 1", &dev));
	assert_false(parse_seconds(" 1", &seconds));
}

static void test_parse_seconds_ok(void **state)
{
	double value;

	(void)state;
	assert_true(parse_seconds("0.5", &value));
	assert_true(value == 0.5);
	assert_true(parse_seconds("0.01", &value));
	assert_true(value == 0.01);
	assert_true(parse_seconds("1", &value));
	assert_true(value == 1.0);
	assert_true(parse_seconds("86400", &value));
	assert_true(value == 86400.0);
	assert_true(parse_seconds("1e3", &value));
	assert_true(value == 1000.0);
	assert_true(parse_seconds("2.5", &value));
	assert_true(value == 2.5);
}

static void test_parse_seconds_rejects(void **state)
{
	double value;

	(void)state;
	assert_false(parse_seconds(NULL, &value));
	assert_false(parse_seconds("", &value));
	assert_false(parse_seconds("0", &value));
	assert_false(parse_seconds("0.0", &value));
	assert_false(parse_seconds("0.009", &value));
	assert_false(parse_seconds("-1", &value));
	assert_false(parse_seconds("86400.5", &value));
	assert_false(parse_seconds("86401", &value));
	assert_false(parse_seconds("nan", &value));
	assert_false(parse_seconds("NAN", &value));
	assert_false(parse_seconds("inf", &value));
	assert_false(parse_seconds("-inf", &value));
	assert_false(parse_seconds("infinity", &value));
	assert_false(parse_seconds("1e400", &value));
	assert_false(parse_seconds("x", &value));
	assert_false(parse_seconds("1x", &value));
	assert_false(parse_seconds("1s", &value));
}

static void test_parse_dev_ok(void **state)
{
	unsigned int dev = 0;

	(void)state;
	assert_true(parse_dev("259:0", &dev));
	assert_int_equal(dev, 259U << 20);
	assert_int_equal(dev, 271581184U);
	assert_true(parse_dev("8:1", &dev));
	assert_int_equal(dev, 8U << 20 | 1);
	assert_true(parse_dev("0:42", &dev));
	assert_int_equal(dev, 42);
	assert_true(parse_dev("4095:1048575", &dev));
	assert_int_equal(dev, 0xffffffffU);
}

static void test_parse_dev_rejects(void **state)
{
	unsigned int dev = 1234;

	(void)state;
	assert_false(parse_dev(NULL, &dev));
	assert_false(parse_dev("", &dev));
	assert_false(parse_dev("8", &dev));
	assert_false(parse_dev("8:", &dev));
	assert_false(parse_dev(":1", &dev));
	assert_false(parse_dev(":", &dev));
	assert_false(parse_dev("4096:0", &dev));
	assert_false(parse_dev("1:1048576", &dev));
	assert_false(parse_dev("1:2:3", &dev));
	assert_false(parse_dev("a:b", &dev));
	assert_false(parse_dev("-1:0", &dev));
	assert_false(parse_dev("8:-1", &dev));
	assert_false(parse_dev("8:+1", &dev));
	assert_false(parse_dev("259:0x", &dev));
	/* longer than any MAJ:MIN, and out of range anyway */
	assert_false(parse_dev("259:00000000000000000000000000000000000000001", &dev));
	/* a failed parse leaves the device alone */
	assert_int_equal(dev, 1234);
}

static void test_attach_family_names(void **state)
{
	(void)state;
	assert_string_equal(attach_family_name(FAMILY_AUTO), "auto");
	assert_string_equal(attach_family_name(FAMILY_FENTRY), "fentry");
	assert_string_equal(attach_family_name(FAMILY_KPROBE), "kprobe");
	assert_string_equal(attach_family_name(FAMILY_TRACEPOINT), "tracepoint");
	assert_string_equal(attach_family_name(FAMILY_TP_BTF), "tp_btf");
	assert_string_equal(attach_family_name(FAMILY_RAW_TP), "raw_tp");
	assert_string_equal(attach_family_name(FAMILY_CLASSIC), "classic");
}

static void test_opt_pid_self(void **state)
{
	struct common_opts opts = { 0 };
	char pid[32];

	(void)state;
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	assert_int_equal(common_opts_parse(&opts, 'p', pid), 1);
	assert_int_equal(opts.nr_pids, 1);
	assert_int_equal(opts.pids[0], getpid());
	snprintf(pid, sizeof(pid), "%d", (int)getppid());
	assert_int_equal(common_opts_parse(&opts, 'p', pid), 1);
	assert_int_equal(opts.nr_pids, 2);
	assert_int_equal(opts.pids[0], getpid());
	assert_int_equal(opts.pids[1], getppid());
}

static void test_opt_pid_bad(void **state)
{
	struct common_opts opts = { 0 };

	(void)state;
	assert_int_equal(common_opts_parse(&opts, 'p', NO_SUCH_PID), -1);
	assert_int_equal(common_opts_parse(&opts, 'p', "0"), -1);
	assert_int_equal(common_opts_parse(&opts, 'p', "-1"), -1);
	assert_int_equal(common_opts_parse(&opts, 'p', ""), -1);
	assert_int_equal(common_opts_parse(&opts, 'p', "12ab"), -1);
	assert_int_equal(common_opts_parse(&opts, 'p', "4194305"), -1);
	assert_int_equal(common_opts_parse(&opts, 'p', "99999999999"), -1);
	assert_int_equal(opts.nr_pids, 0);
}

static void test_opt_pid_at_most_max(void **state)
{
	struct common_opts opts = { 0 };
	char pid[32];

	(void)state;
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	for (int i = 0; i < DT_MAX_PIDS; i++)
		assert_int_equal(common_opts_parse(&opts, 'p', pid), 1);
	assert_int_equal(opts.nr_pids, DT_MAX_PIDS);
	assert_int_equal(common_opts_parse(&opts, 'p', pid), -1);
	assert_int_equal(opts.nr_pids, DT_MAX_PIDS);
}

/* Accepting a cgroup v2 directory needs one mounted: the host tests do (cgroup-filter). */
static void test_opt_cgroup(void **state)
{
	struct common_opts opts = { 0 };

	(void)state;
	assert_int_equal(common_opts_parse(&opts, 'C', "/tmp"), -1); /* a directory, not a cgroup */
	assert_int_equal(common_opts_parse(&opts, 'C', "/dev/null"), -1);
	assert_int_equal(common_opts_parse(&opts, 'C', "/proc/self/status"), -1);
	assert_int_equal(common_opts_parse(&opts, 'C', "/nonexistent/daxtrace-test"), -1);
	assert_int_equal(common_opts_parse(&opts, 'C', ""), -1);
	assert_null(opts.cgroup_path);
}

static void test_opt_dev(void **state)
{
	struct common_opts opts = { 0 };

	(void)state;
	assert_int_equal(common_opts_parse(&opts, 'd', "259:3"), 1);
	assert_int_equal(opts.dev, 259U << 20 | 3);
	assert_int_equal(common_opts_parse(&opts, 'd', "259"), -1);
	assert_int_equal(common_opts_parse(&opts, 'd', "4096:0"), -1);
	assert_int_equal(common_opts_parse(&opts, 'd', "/dev/pmem0"), -1);
	assert_int_equal(opts.dev, 259U << 20 | 3);
	/* dev_t 0 is "no device filter" in BPF: 0:0 was taken and turned the filter off */
	assert_int_equal(common_opts_parse(&opts, 'd', "0:0"), -1);
	assert_int_equal(common_opts_parse(&opts, 'd', "00:000"), -1);
	assert_int_equal(opts.dev, 259U << 20 | 3);
	assert_int_equal(common_opts_parse(&opts, 'd', "0:1"), 1);
	assert_int_equal(opts.dev, 1);
}

static void test_opt_flags(void **state)
{
	struct common_opts opts = { 0 };

	(void)state;
	assert_int_equal(common_opts_parse(&opts, OPT_DAX_ONLY, NULL), 1);
	assert_true(opts.dax_only);
	assert_false(opts.verbose);
	assert_int_equal(common_opts_parse(&opts, 'v', NULL), 1);
	assert_int_equal(opts.verbose, 1);
	assert_int_equal(common_opts_parse(&opts, 'v', NULL), 1);
	assert_int_equal(opts.verbose, 2); /* -vv: libbpf's debug log too */
	assert_false(opts.json);
	assert_int_equal(common_opts_parse(&opts, 'j', NULL), 1);
	/* errors of later tests must not land as JSON among the TAP lines */
	report_set_json(false);
	assert_true(opts.json);
	assert_int_equal(opts.nr_pids, 0);
	assert_null(opts.cgroup_path);
	assert_int_equal(opts.dev, 0);
	assert_int_equal(opts.family, FAMILY_AUTO);
}

static void test_opt_attach(void **state)
{
	static const struct {
		const char *name;
		enum attach_family family;
	} names[] = {
		{ "fentry", FAMILY_FENTRY },
		{ "kprobe", FAMILY_KPROBE },
		{ "tracepoint", FAMILY_TRACEPOINT },
		{ "tp_btf", FAMILY_TP_BTF },
		{ "raw_tp", FAMILY_RAW_TP },
		{ "classic", FAMILY_CLASSIC },
		{ "auto", FAMILY_AUTO },
	};
	struct common_opts opts = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		opts.family = FAMILY_CLASSIC;
		if (names[i].family == FAMILY_CLASSIC)
			opts.family = FAMILY_AUTO;
		assert_int_equal(common_opts_parse(&opts, OPT_ATTACH, names[i].name), 1);
		assert_int_equal(opts.family, names[i].family);
	}
	opts.family = FAMILY_RAW_TP;
	assert_int_equal(common_opts_parse(&opts, OPT_ATTACH, "tp-btf"), -1);
	assert_int_equal(common_opts_parse(&opts, OPT_ATTACH, "AUTO"), -1);
	assert_int_equal(common_opts_parse(&opts, OPT_ATTACH, "kprobes"), -1);
	assert_int_equal(common_opts_parse(&opts, OPT_ATTACH, ""), -1);
	assert_int_equal(opts.family, FAMILY_RAW_TP);
}

static void test_opt_not_common(void **state)
{
	struct common_opts opts = { 0 };
	struct common_opts untouched = { 0 };

	(void)state;
	/* -h is listed with the common options, but each command prints its own usage */
	assert_int_equal(common_opts_parse(&opts, 'h', NULL), 0);
	assert_int_equal(common_opts_parse(&opts, 'i', "1"), 0);
	assert_int_equal(common_opts_parse(&opts, 'x', NULL), 0);
	assert_int_equal(common_opts_parse(&opts, '?', NULL), 0);
	assert_int_equal(common_opts_parse(&opts, OPT_COMMAND_FIRST, "1"), 0);
	assert_memory_equal(&opts, &untouched, sizeof(opts));
}

static void test_finish_command(void **state)
{
	char *argv[] = { "daxtrace", "-v", "--", "ls", "-l", NULL };
	struct common_opts opts = { 0 };

	(void)state;
	assert_int_equal(common_opts_finish(&opts, 5, argv, 3), 0);
	assert_ptr_equal(opts.command, &argv[3]);
	assert_string_equal(opts.command[0], "ls");
	assert_string_equal(opts.command[1], "-l");
	assert_null(opts.command[2]);
}

static void test_finish_dashdash_without_command(void **state)
{
	char *argv[] = { "daxtrace", "-v", "--", NULL };
	struct common_opts opts = { 0 };

	(void)state;
	assert_int_equal(common_opts_finish(&opts, 3, argv, 3), -1);
	assert_null(opts.command);
}

static void test_finish_stray_positional(void **state)
{
	char *argv[] = { "daxtrace", "-v", "stray", NULL };
	char *argv2[] = { "daxtrace", "stray", "--", "ls", NULL };
	struct common_opts opts = { 0 };

	(void)state;
	assert_int_equal(common_opts_finish(&opts, 3, argv, 2), -1);
	assert_null(opts.command);
	/* getopt with "+" stops at the first operand: what follows is not the command */
	assert_int_equal(common_opts_finish(&opts, 4, argv2, 1), -1);
	assert_null(opts.command);
}

static void test_finish_nothing_left(void **state)
{
	char *argv[] = { "daxtrace", "-v", NULL };
	char *bare[] = { "daxtrace", NULL };
	struct common_opts opts = { 0 };

	(void)state;
	assert_int_equal(common_opts_finish(&opts, 2, argv, 2), 0);
	assert_null(opts.command);
	assert_int_equal(common_opts_finish(&opts, 1, bare, 1), 0);
	assert_null(opts.command);
}

static void test_finish_pid_and_command(void **state)
{
	char *argv[] = { "daxtrace", "-p", "1", "--", "sleep", "1", NULL };
	struct common_opts opts = { 0 };
	char pid[32];

	(void)state;
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	assert_int_equal(common_opts_parse(&opts, 'p', pid), 1);
	assert_int_equal(common_opts_finish(&opts, 6, argv, 4), -1);
	assert_null(opts.command);
}

/* The common options through getopt_long the way the commands drive it. */
static void test_getopt_round_trip(void **state)
{
	static const struct option long_opts[] = {
		COMMON_LONG_OPTS,
		{},
	};
	char *argv[] = { "daxtrace",   "-v", "--attach", "raw_tp", "-d", "8:1",
			 "--dax-only", "--", "sleep",	 "10",	   NULL };
	int argc = sizeof(argv) / sizeof(argv[0]) - 1;
	struct common_opts opts = { 0 };
	int opt;

	(void)state;
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+" COMMON_SHORT_OPTS, long_opts, NULL)) != -1)
		assert_int_equal(common_opts_parse(&opts, opt, optarg), 1);
	assert_int_equal(optind, 8);
	assert_int_equal(common_opts_finish(&opts, argc, argv, optind), 0);
	assert_true(opts.verbose);
	assert_true(opts.dax_only);
	assert_false(opts.json);
	assert_int_equal(opts.family, FAMILY_RAW_TP);
	assert_int_equal(opts.dev, 8U << 20 | 1);
	assert_null(opts.cgroup_path);
	assert_ptr_equal(opts.command, &argv[8]);
	assert_string_equal(opts.command[0], "sleep");
	assert_string_equal(opts.command[1], "10");
	assert_null(opts.command[2]);
}

/* command_opts_parse over argv as `daxtrace top` would; its stderr (the usage error) in err. */
static int parse_argv(int argc, char **argv, char *err, size_t size)
{
	static const struct option long_opts[] = {
		COMMON_LONG_OPTS,
		REPORT_LONG_OPTS,
		{},
	};
	struct common_opts common = { 0 };
	struct report_opts report = { 0 };
	struct command_opts_spec spec = { .short_opts = REPORT_SHORT_OPTS,
					  .long_opts = long_opts,
					  .common = &common,
					  .report = &report };
	FILE *capture = tmpfile();
	int saved = dup(STDERR_FILENO), ret;
	size_t got;

	assert_non_null(capture);
	fflush(stderr);
	dup2(fileno(capture), STDERR_FILENO);
	optind = 0;
	ret = command_opts_parse(&spec, argc, argv);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(capture);
	got = fread(err, 1, size - 1, capture);
	err[got] = '\0';
	err[strcspn(err, "\n")] = '\0'; /* the first line: the message, not the hint */
	fclose(capture);
	return ret;
}

#define ARGC(argv) ((int)(sizeof(argv) / sizeof(argv[0])) - 1)

/*
 * The option named is the one at fault: inside a bundle argv[optind - 1] was the argument
 * before it ("top -xv" said "unknown option 'top'"); a long one is named up to its '='.
 */
static void test_bad_option_named(void **state)
{
	char *bundle[] = { "top", "-xv", NULL };
	char *after_long[] = { "top", "--verbose", "-vx", NULL };
	char *unknown_long[] = { "top", "--frobnicate=3", NULL };
	char *missing_short[] = { "top", "-vd", NULL };
	char *missing_long[] = { "top", "-v", "--dev", NULL };
	char *needless_value[] = { "top", "--json=1", NULL };
	char err[512];

	(void)state;
	assert_int_equal(parse_argv(ARGC(bundle), bundle, err, sizeof(err)), -1);
	assert_string_equal(err, "daxtrace: unknown option '-x'");
	assert_int_equal(parse_argv(ARGC(after_long), after_long, err, sizeof(err)), -1);
	assert_string_equal(err, "daxtrace: unknown option '-x'");
	assert_int_equal(parse_argv(ARGC(unknown_long), unknown_long, err, sizeof(err)), -1);
	assert_string_equal(err, "daxtrace: unknown option '--frobnicate'");
	assert_int_equal(parse_argv(ARGC(missing_short), missing_short, err, sizeof(err)), -1);
	assert_string_equal(err, "daxtrace: option '-d' needs an argument");
	assert_int_equal(parse_argv(ARGC(missing_long), missing_long, err, sizeof(err)), -1);
	assert_string_equal(err, "daxtrace: option '--dev' needs an argument");
	assert_int_equal(parse_argv(ARGC(needless_value), needless_value, err, sizeof(err)), -1);
	assert_string_equal(err, "daxtrace: option '--json' takes no argument");
}

/*
 * With -- CMD a command reports once, when CMD exits: -i and -n were silently ignored there.
 * The first of them given is named; without a command both are fine.
 */
static void test_report_opts_with_command(void **state)
{
	char *interval[] = { "top", "-i", "2", "--", "true", NULL };
	char *count_first[] = { "top", "--count=3", "-i", "2", "--", "true", NULL };
	char *no_command[] = { "top", "-i", "2", "-n", "3", NULL };
	char *command_only[] = { "top", "-v", "--", "true", NULL };
	char err[512];

	(void)state;
	assert_int_equal(parse_argv(ARGC(interval), interval, err, sizeof(err)), -1);
	assert_string_equal(err, "daxtrace: -i and -- CMD exclude each other: with a command, one "
				 "report when it exits");
	assert_int_equal(parse_argv(ARGC(count_first), count_first, err, sizeof(err)), -1);
	assert_string_equal(err, "daxtrace: -n and -- CMD exclude each other: with a command, one "
				 "report when it exits");
	assert_int_equal(parse_argv(ARGC(no_command), no_command, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_int_equal(parse_argv(ARGC(command_only), command_only, err, sizeof(err)), 0);
	assert_string_equal(err, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_uint_ok),
		cmocka_unit_test(test_parse_uint_max_bound),
		cmocka_unit_test(test_parse_uint_rejects),
		cmocka_unit_test(test_parsers_reject_leading_space),
		cmocka_unit_test(test_parse_seconds_ok),
		cmocka_unit_test(test_parse_seconds_rejects),
		cmocka_unit_test(test_parse_dev_ok),
		cmocka_unit_test(test_parse_dev_rejects),
		cmocka_unit_test(test_attach_family_names),
		cmocka_unit_test(test_opt_pid_self),
		cmocka_unit_test(test_opt_pid_bad),
		cmocka_unit_test(test_opt_pid_at_most_max),
		cmocka_unit_test(test_opt_cgroup),
		cmocka_unit_test(test_opt_dev),
		cmocka_unit_test(test_opt_flags),
		cmocka_unit_test(test_opt_attach),
		cmocka_unit_test(test_opt_not_common),
		cmocka_unit_test(test_finish_command),
		cmocka_unit_test(test_finish_dashdash_without_command),
		cmocka_unit_test(test_finish_stray_positional),
		cmocka_unit_test(test_finish_nothing_left),
		cmocka_unit_test(test_finish_pid_and_command),
		cmocka_unit_test(test_getopt_round_trip),
		cmocka_unit_test(test_bad_option_named),
		cmocka_unit_test(test_report_opts_with_command),
	};

	return cmocka_run_group_tests_name("options", tests, NULL, NULL);
}
