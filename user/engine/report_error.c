// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "engine/report_error.h"
#include "output/json_writer.h"

static const char *current_command = "";
static bool json_errors;
static bool output_failed, reader_gone;
static void (*report_sink)(const char *level, const char *message);

void report_set_command(const char *command)
{
	current_command = command;
}

void report_set_json(bool json)
{
	json_errors = json;
}

void report_set_sink(void (*sink)(const char *level, const char *message))
{
	report_sink = sink;
}

static void report(const char *prefix, bool to_json, const char *fmt, va_list ap)
{
	char message[512];

	vsnprintf(message, sizeof(message), fmt, ap);
	if (report_sink) {
		report_sink(*prefix ? "warn" : "error", message);
		return;
	}
	fprintf(stderr, "daxtrace%s%s: %s%s\n", *current_command ? " " : "", current_command,
		prefix, message);
	if (json_errors && to_json) {
		struct json_writer *w = json_writer_new(stdout);

		if (!w)
			return;
		json_object_begin(w);
		json_kv_string(w, "error", message);
		json_object_end(w);
		json_writer_free(w);
		fflush(stdout); /* a failure here has no better place to be said */
	}
}

int usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report("", true, fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try 'daxtrace %s%s--help' for more information.\n", current_command,
		*current_command ? " " : "");
	return -1;
}

int runtime_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report("", true, fmt, ap);
	va_end(ap);
	return -1;
}

void warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report("warning: ", false, fmt, ap);
	va_end(ap);
}

/*
 * A pipe whose reader closed shows POLLERR on its write end: seen without writing, so a quiet
 * "daxtrace snoop | head -1" ends when head does, not at the next event (as tail -f does).
 */
static bool pipe_reader_gone(FILE *out)
{
	struct pollfd pipe_end = { .fd = fileno(out) };
	struct stat st;

	return !fstat(pipe_end.fd, &st) && S_ISFIFO(st.st_mode) && poll(&pipe_end, 1, 0) == 1 &&
	       (pipe_end.revents & POLLERR);
}

int flush_output(FILE *out)
{
	int err;

	errno = 0;
	if (!fflush(out) && !ferror(out)) {
		if (!pipe_reader_gone(out))
			return 0;
		errno = EPIPE;
	}
	/* ferror with a clean fflush: the buffer went out earlier, its errno is lost */
	err = errno ? errno : EIO;
	if (!output_failed) {
		output_failed = true;
		reader_gone = err == EPIPE;
		if (!reader_gone)
			fprintf(stderr, "daxtrace%s%s: writing the output: %s\n",
				*current_command ? " " : "", current_command, strerror(err));
	}
	return -1;
}

bool output_reader_gone(void)
{
	return reader_gone;
}
