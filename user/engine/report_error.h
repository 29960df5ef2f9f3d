/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one error path: a line on stderr naming the problem, and under --json also an
 * {"error": ...} object on stdout, so a consumer of the stream sees why it ended.
 */
#ifndef DAXTRACE_REPORT_ERROR_H
#define DAXTRACE_REPORT_ERROR_H

#include <stdbool.h>
#include <stdio.h>

enum exit_status { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

void report_set_command(const char *command);
void report_set_json(bool json);

/*
 * Where errors and warnings go instead of the plain line on stderr: a service's log
 * (output/log_line.h). level is "error" or "warn". NULL restores the plain line.
 */
void report_set_sink(void (*sink)(const char *level, const char *message));

/* Bad input: the message plus the usage hint. Returns -1 so callers can 'return usage_error'. */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Anything else that stops the command. Returns -1. */
int runtime_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A degraded but running session: stderr only. */
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Flushes the command's output after a report or a batch of records: 0, or -1 when writing it
 * failed (a full disk, /dev/full), said once on stderr only, since stdout is what failed. When
 * the reader went away (EPIPE: "daxtrace snoop | head -1") it is quiet: the command ends, the
 * session tears down, and main then ends as SIGPIPE would have ended it (output_reader_gone).
 */
int flush_output(FILE *out);

/* Whether flush_output saw EPIPE. */
bool output_reader_gone(void);

#endif /* DAXTRACE_REPORT_ERROR_H */
