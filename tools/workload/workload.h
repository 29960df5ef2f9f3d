/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The parts of dt-workload (daxtrace-workload) that its two files share: dt-workload.c, the
 * operations, and scenarios.c, the scenarios built from them.
 */
#ifndef DT_WORKLOAD_H
#define DT_WORKLOAD_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* The operation (or scenario) running, for messages and the JSON report's "op". */
extern const char *op_name;

/* A failed system call: name it and its errno text, exit 1. */
void __attribute__((noreturn, format(printf, 1, 2))) fail(const char *fmt, ...);
/* The operation ran but did not do what it promises: exit 1. */
void __attribute__((noreturn, format(printf, 1, 2))) fail_result(const char *fmt, ...);
/* A bad command line: the message and a usage hint, exit 2. */
void __attribute__((noreturn, format(printf, 1, 2))) usage_error(const char *fmt, ...);

/* One line of JSON on stdout: {"op":..., "pid":..., then report_number's fields}. */
void report_begin(pid_t pid);
void report_number(const char *key, uint64_t value);
void report_end(void);

void sleep_seconds(double seconds);

/*
 * Runs the command line ARGV (argv[0] the program's name, then OPTIONS OP ARGS, an operation
 * only) in this process, exactly as `dt-workload ARGV...` would; it returns once OP succeeded.
 */
void operation_main(int argc, char **argv);

struct scenario;

const struct scenario *scenario_find(const char *name);
const char *scenario_name(const struct scenario *scenario);
/* The scenarios' part of --help. */
void scenarios_usage(FILE *stream);
/* Runs SCENARIO with its arguments; returns the exit status (0, or 1 when a step failed). */
int scenario_run(const struct scenario *scenario, char **args, int nr_args);

#endif
