// SPDX-License-Identifier: GPL-2.0
/*
 * The exporter's log lines on stderr: logfmt quoting and escaping (values round-trip through a
 * logfmt reader, which unescapes only quoted values), one event per line, and JSON objects.
 */
#include <regex.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "output/log_line.h"

struct capture {
	FILE *file;
	int saved_stderr;
	char text[8192];
};

static void capture_begin(struct capture *c)
{
	c->file = tmpfile();
	assert_non_null(c->file);
	fflush(stderr);
	c->saved_stderr = dup(STDERR_FILENO);
	assert_true(c->saved_stderr >= 0);
	assert_true(dup2(fileno(c->file), STDERR_FILENO) >= 0);
}

/* Restores stderr and returns what was written to it. */
static const char *capture_end(struct capture *c)
{
	size_t len;

	fflush(stderr);
	assert_true(dup2(c->saved_stderr, STDERR_FILENO) >= 0);
	close(c->saved_stderr);
	rewind(c->file);
	len = fread(c->text, 1, sizeof(c->text) - 1, c->file);
	c->text[len] = '\0';
	fclose(c->file);
	return c->text;
}

static int reset_format(void **state)
{
	(void)state;
	log_set_format(LOG_LOGFMT);
	return 0;
}

/* RFC 3339 in UTC with milliseconds: 2026-12-04T21:07:58.123Z (24 characters). */
#define TIME_RE "[0-9]{4}-(0[1-9]|1[0-2])-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]\\.[0-9]{3}Z"

/* line is "PREFIX<time>REST": checks the time's shape and returns REST. */
static const char *after_time(const char *line, const char *prefix)
{
	regex_t re;
	size_t n = strlen(prefix);

	assert_int_equal(strncmp(line, prefix, n), 0);
	assert_int_equal(regcomp(&re, "^" TIME_RE, REG_EXTENDED | REG_NOSUB), 0);
	assert_int_equal(regexec(&re, line + n, 0, NULL, 0), 0);
	regfree(&re);
	return line + n + strlen("2026-12-04T21:07:58.123Z");
}

/* The next line of *text is PREFIX<time>REST (REST with its newline); moves *text past it. */
static void assert_line(const char **text, const char *prefix, const char *rest)
{
	const char *after = after_time(*text, prefix);

	assert_int_equal(strncmp(after, rest, strlen(rest)), 0);
	*text = after + strlen(rest);
}

static void test_format_parse(void **state)
{
	(void)state;
	assert_int_equal(log_format_parse("logfmt"), LOG_LOGFMT);
	assert_int_equal(log_format_parse("json"), LOG_JSON);
	assert_int_equal(log_format_parse("xml"), -1);
	assert_int_equal(log_format_parse(""), -1);
	assert_int_equal(log_format_parse("JSON"), -1);
}

static void test_logfmt_shape(void **state)
{
	struct capture c;

	(void)state;
	capture_begin(&c);
	log_line("info", "starting", "key", "value", NULL);
	assert_string_equal(after_time(capture_end(&c), "time="),
			    " level=info msg=starting key=value\n");
}

static void test_logfmt_quoting(void **state)
{
	struct capture c;

	(void)state;
	capture_begin(&c);
	log_line("warn", "probe point attached", "why", "a \"b\"", "empty", "", "eq", "a=b", "gone",
		 NULL, "point", "dax_pmd_fault_done", "name", "caf\xc3\xa9", NULL);
	assert_string_equal(after_time(capture_end(&c), "time="),
			    " level=warn msg=\"probe point attached\" why=\"a \\\"b\\\"\""
			    " empty=\"\" eq=\"a=b\" point=dax_pmd_fault_done name=caf\xc3\xa9\n");
}

/*
 * One event is one line: control characters are escaped, and an escaped value is quoted, as
 * logfmt readers unescape quoted values only (a bare C:\\dir would read as two backslashes).
 */
static void test_logfmt_escaping(void **state)
{
	struct capture c;
	const char *rest;

	(void)state;
	capture_begin(&c);
	log_line("error", "line\nbreak", "nl", "a\nb", "tab", "x\ty", "path", "C:\\dir", "esc",
		 "\x1b[2J", NULL);
	rest = after_time(capture_end(&c), "time=");
	assert_string_equal(rest, " level=error msg=\"line\\nbreak\" nl=\"a\\nb\" tab=\"x\\ty\""
				  " path=\"C:\\\\dir\" esc=\"\\e[2J\"\n");
	assert_ptr_equal(strchr(c.text, '\n'), c.text + strlen(c.text) - 1);
}

/* A long value (a path near PATH_MAX) is written whole. */
static void test_logfmt_long_value(void **state)
{
	char path[4001], expected[4100];
	struct capture c;

	(void)state;
	memset(path, 'a', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	snprintf(expected, sizeof(expected), " level=info msg=long path=%s\n", path);
	capture_begin(&c);
	log_line("info", "long", "path", path, NULL);
	assert_string_equal(after_time(capture_end(&c), "time="), expected);
}

static void test_logfmt_one_line_per_event(void **state)
{
	struct capture c;
	const char *text;

	(void)state;
	capture_begin(&c);
	log_line("info", "one", NULL);
	log_line("info", "two", "k", "v", NULL);
	text = capture_end(&c);
	assert_line(&text, "time=", " level=info msg=one\n");
	assert_line(&text, "time=", " level=info msg=two k=v\n");
	assert_string_equal(text, "");
}

/* One JSON object per line: time, level, msg, then the pairs given a value. */
static void test_json(void **state)
{
	struct capture c;
	const char *text;

	(void)state;
	log_set_format(LOG_JSON);
	capture_begin(&c);
	log_line("info", "probe point attached", "point", "dax_pmd_fault_done", "gone", NULL, "why",
		 "a \"b\"\nc", NULL);
	log_line("error", "bye", NULL);
	text = capture_end(&c);
	assert_line(&text, "{\"time\":\"",
		    "\",\"level\":\"info\",\"msg\":\"probe point attached\","
		    "\"point\":\"dax_pmd_fault_done\",\"why\":\"a \\\"b\\\"\\nc\"}\n");
	assert_line(&text, "{\"time\":\"", "\",\"level\":\"error\",\"msg\":\"bye\"}\n");
	assert_string_equal(text, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_parse),
		cmocka_unit_test_teardown(test_logfmt_shape, reset_format),
		cmocka_unit_test_teardown(test_logfmt_quoting, reset_format),
		cmocka_unit_test_teardown(test_logfmt_escaping, reset_format),
		cmocka_unit_test_teardown(test_logfmt_long_value, reset_format),
		cmocka_unit_test_teardown(test_logfmt_one_line_per_event, reset_format),
		cmocka_unit_test_teardown(test_json, reset_format),
	};

	return cmocka_run_group_tests_name("log_line", tests, NULL, NULL);
}
