// SPDX-License-Identifier: GPL-2.0
/*
 * The CSV writer's exact bytes: RFC 4180 quoting (comma, quote, CR, LF), names escaped as the
 * text views escape them so that a hostile comm or path keeps its row, numbers plain, and
 * doubles as the JSON writer writes them whatever the locale.
 */
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "output/csv_writer.h"
#include "output_capture.h"

struct capture {
	struct output_capture text;
	struct csv_row row;
};

static int capture_setup(void **state)
{
	struct capture *c = calloc(1, sizeof(*c));

	assert_non_null(c);
	output_capture_open(&c->text);
	csv_row_begin(&c->row, c->text.out);
	*state = c;
	return 0;
}

static int capture_teardown(void **state)
{
	struct capture *c = *state;

	output_capture_close(&c->text);
	free(c);
	return 0;
}

static void assert_output(struct capture *c, const char *expected)
{
	output_capture_assert(&c->text, expected);
}

/* One field per call, the comma between them only, a newline at the end. */
static void test_plain_fields(void **state)
{
	struct capture *c = *state;

	csv_field(&c->row, "process");
	csv_uint(&c->row, 0);
	csv_uint(&c->row, 18446744073709551615ULL);
	csv_field(&c->row, "/mnt/dax/a b");
	csv_row_end(&c->row);
	csv_row_begin(&c->row, c->text.out);
	csv_field(&c->row, "x");
	csv_row_end(&c->row);
	assert_output(c, "process,0,18446744073709551615,/mnt/dax/a b\nx\n");
}

/* NULL and "" are empty fields, and a row of only empty fields keeps its commas. */
static void test_empty_fields(void **state)
{
	struct capture *c = *state;

	csv_field(&c->row, NULL);
	csv_field(&c->row, "");
	csv_name(&c->row, NULL);
	csv_row_end(&c->row);
	assert_output(c, ",,\n");
}

/* RFC 4180 2.6 and 2.7: comma, quote, CR and LF quote the field; a quote is doubled. */
static void test_quoting(void **state)
{
	struct capture *c = *state;

	csv_field(&c->row, "a,b");
	csv_field(&c->row, "say \"hi\"");
	csv_field(&c->row, "\"");
	csv_field(&c->row, "line\nbreak");
	csv_field(&c->row, "cr\rhere");
	csv_field(&c->row, "'apos' and \\ stay");
	csv_row_end(&c->row);
	assert_output(c, "\"a,b\",\"say \"\"hi\"\"\",\"\"\"\",\"line\nbreak\",\"cr\rhere\","
			 "'apos' and \\ stay\n");
}

/*
 * A name holds no newline, control byte or invalid UTF-8 once escaped (text_escape.h), and is
 * quoted only for what is left: a comma or a quote.
 */
static void test_names_escaped_then_quoted(void **state)
{
	struct capture *c = *state;

	csv_name(&c->row, "x\ny\x1bz");
	csv_name(&c->row, "bad\xff"
			  "comm");
	csv_name(&c->row, "/mnt/dax/a,\"b\"\r\n\\");
	csv_name(&c->row, "caf\xc3\xa9");
	csv_row_end(&c->row);
	assert_output(c, "x\\ny\\ez,bad\\xffcomm,\"/mnt/dax/a,\"\"b\"\"\\r\\n\\\\\",caf\xc3\xa9\n");
}

static void assert_double(double v, const char *expected)
{
	char buf[32];

	csv_format_double(v, buf, sizeof(buf));
	assert_string_equal(buf, expected);
}

/* %.6g as json_double writes it (test_json_writer.c), so CSV and JSON values compare equal. */
static void test_doubles(void **state)
{
	(void)state;
	assert_double(0.2, "0.2");
	assert_double(1.0, "1");
	assert_double(0.0354032123, "0.0354032");
	assert_double(1.23456789e8, "1.23457e+08");
	assert_double(NAN, "");
	assert_double(INFINITY, "");
}

/* A decimal comma would split the field: the C locale whatever the thread's (LOCPATH, make). */
static void test_double_ignores_locale(void **state)
{
	locale_t comma = newlocale(LC_NUMERIC_MASK, "de_DE.UTF-8", (locale_t)0);
	locale_t saved;
	char buf[32];

	(void)state;
	if (comma == (locale_t)0) {
		print_message("no de_DE.UTF-8 locale (LOCPATH=%s)\n", getenv("LOCPATH"));
		skip();
	}
	saved = uselocale(comma);
	csv_format_double(2.5, buf, sizeof(buf));
	uselocale(saved);
	freelocale(comma);
	assert_string_equal(buf, "2.5");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_plain_fields, capture_setup, capture_teardown),
		cmocka_unit_test_setup_teardown(test_empty_fields, capture_setup, capture_teardown),
		cmocka_unit_test_setup_teardown(test_quoting, capture_setup, capture_teardown),
		cmocka_unit_test_setup_teardown(test_names_escaped_then_quoted, capture_setup,
						capture_teardown),
		cmocka_unit_test(test_doubles),
		cmocka_unit_test(test_double_ignores_locale),
	};

	return cmocka_run_group_tests_name("csv_writer", tests, NULL, NULL);
}
