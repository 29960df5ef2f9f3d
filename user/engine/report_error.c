// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>

#include "engine/report_error.h"
#include "output/json_writer.h"

static const char *current_command = "";
static bool json_errors;

void report_set_command(const char *command)
{
	current_command = command;
}

void report_set_json(bool json)
{
	json_errors = json;
}

static void report(const char *prefix, bool to_json, const char *fmt, va_list ap)
{
	char message[512];

	vsnprintf(message, sizeof(message), fmt, ap);
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
