// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "output/json_writer.h"
#include "output/log_line.h"
#include "output/text_escape.h"

static enum log_format current_format = LOG_LOGFMT;

void log_set_format(enum log_format format)
{
	current_format = format;
}

int log_format_parse(const char *name)
{
	if (!strcmp(name, "logfmt"))
		return LOG_LOGFMT;
	if (!strcmp(name, "json"))
		return LOG_JSON;
	return -1;
}

/* RFC 3339 UTC with milliseconds, as Go's logfmt loggers write it. */
static void format_time(char buf[64])
{
	struct timespec now;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	snprintf(buf, 64, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, now.tv_nsec / 1000000);
}

/* A logfmt value: bare when it is one word, else quoted; escaped as the text views escape. */
static void put_logfmt_value(FILE *out, const char *value)
{
	char escaped[1024];
	bool bare = *value != '\0';

	text_escape(value, escaped, sizeof(escaped), 0);
	for (const char *c = escaped; *c && bare; c++)
		bare = *c != ' ' && *c != '=' && *c != '"';
	if (bare) {
		fputs(escaped, out);
		return;
	}
	fputc('"', out);
	for (const char *c = escaped; *c; c++) {
		if (*c == '"')
			fputc('\\', out);
		fputc(*c, out);
	}
	fputc('"', out);
}

void log_line(const char *level, const char *msg, ...)
{
	struct json_writer *w = NULL;
	char time_text[64];
	const char *key, *value;
	va_list ap;

	format_time(time_text);
	if (current_format == LOG_JSON) {
		w = json_writer_new(stderr);
		if (!w)
			return;
		json_object_begin(w);
		json_kv_string(w, "time", time_text);
		json_kv_string(w, "level", level);
		json_kv_string(w, "msg", msg);
	} else {
		fprintf(stderr, "time=%s level=%s msg=", time_text, level);
		put_logfmt_value(stderr, msg);
	}
	va_start(ap, msg);
	while ((key = va_arg(ap, const char *))) {
		value = va_arg(ap, const char *);
		if (!value)
			continue;
		if (w) {
			json_kv_string(w, key, value);
			continue;
		}
		fprintf(stderr, " %s=", key);
		put_logfmt_value(stderr, value);
	}
	va_end(ap);
	if (w) {
		json_object_end(w);
		json_writer_free(w);
	} else {
		fputc('\n', stderr);
	}
	fflush(stderr);
}
