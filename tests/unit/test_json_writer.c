// SPDX-License-Identifier: GPL-2.0
/* The JSON writer's exact bytes: separators, escaping, numbers and line framing. */
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "output/json_writer.h"

struct capture {
	char *buf;
	size_t len;
	FILE *out;
	struct json_writer *w;
};

static int capture_setup(void **state)
{
	struct capture *c = calloc(1, sizeof(*c));

	assert_non_null(c);
	c->out = open_memstream(&c->buf, &c->len);
	assert_non_null(c->out);
	c->w = json_writer_new(c->out);
	assert_non_null(c->w);
	*state = c;
	return 0;
}

static int capture_teardown(void **state)
{
	struct capture *c = *state;

	json_writer_free(c->w);
	fclose(c->out);
	free(c->buf);
	free(c);
	return 0;
}

/* The writer leaves flushing to the command (flush_output); open_memstream publishes on fflush. */
static void assert_output(struct capture *c, const char *expected)
{
	assert_int_equal(fflush(c->out), 0);
	assert_non_null(c->buf);
	assert_int_equal(c->len, strlen(expected));
	assert_string_equal(c->buf, expected);
}

static void test_scalars_in_object(void **state)
{
	struct capture *c = *state;

	json_object_begin(c->w);
	json_kv_string(c->w, "s", "dax");
	json_kv_uint(c->w, "u", 18446744073709551615ULL);
	json_kv_int(c->w, "i", -9223372036854775807LL - 1);
	json_kv_double(c->w, "d", 0.5);
	json_kv_bool(c->w, "t", true);
	json_kv_bool(c->w, "f", false);
	json_key(c->w, "n");
	json_null(c->w);
	json_object_end(c->w);
	assert_output(c, "{\"s\":\"dax\",\"u\":18446744073709551615,\"i\":-9223372036854775808,"
			 "\"d\":0.5,\"t\":true,\"f\":false,\"n\":null}\n");
}

static void test_string_escaping(void **state)
{
	struct capture *c = *state;

	json_object_begin(c->w);
	json_kv_string(c->w, "q\"k", "say \"hi\"");
	json_kv_string(c->w, "path", "C:\\dax\\file");
	json_kv_string(c->w, "ws", "a\nb\tc\rd\be\ff");
	json_kv_string(c->w, "ctl", "\x01\x1f\x7f");
	json_kv_string(c->w, "utf8", "caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x92\xbe");
	json_object_end(c->w);
	assert_output(c, "{\"q\\\"k\":\"say \\\"hi\\\"\","
			 "\"path\":\"C:\\\\dax\\\\file\","
			 "\"ws\":\"a\\nb\\tc\\rd\\be\\ff\","
			 "\"ctl\":\"\\u0001\\u001f\x7f\","
			 "\"utf8\":\"caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x92\xbe\"}\n");
}

/*
 * Bytes that are not well-formed UTF-8 (a file named with 0xff, a comm cut inside a character)
 * become U+FFFD: strict parsers reject the document otherwise. Well-formed neighbours stay.
 */
static void test_invalid_utf8_replaced(void **state)
{
	struct capture *c = *state;

	json_array_begin(c->w);
	json_string(c->w, "a\xffz");
	json_string(c->w, "\x80\xbf"); /* continuation bytes with no lead */
	json_string(c->w, "\xc3"); /* cut by the end of the string */
	json_string(c->w, "\xc3(\xc3\xa9"); /* cut by an ASCII byte, then a whole é */
	json_string(c->w, "\xc0\xaf"); /* overlong '/' */
	json_string(c->w, "\xed\xa0\x80"); /* a surrogate, U+D800 */
	json_string(c->w, "\xf4\x90\x80\x80"); /* above U+10FFFF */
	json_string(c->w, "\xf0\x9f\x92\xbe\xe2\x82"); /* a whole 4-byte one, a cut 3-byte one */
	json_array_end(c->w);
	assert_output(c, "[\"a\\ufffdz\",\"\\ufffd\\ufffd\",\"\\ufffd\",\"\\ufffd(\xc3\xa9\","
			 "\"\\ufffd\\ufffd\",\"\\ufffd\\ufffd\\ufffd\","
			 "\"\\ufffd\\ufffd\\ufffd\\ufffd\",\"\xf0\x9f\x92\xbe\\ufffd\\ufffd\"]\n");
}

/* A name that is not UTF-8 keeps its exact bytes in key_hex; a valid one gets no such key. */
static void test_name_hex_only_when_invalid(void **state)
{
	struct capture *c = *state;

	json_object_begin(c->w);
	json_kv_name(c->w, "path", "/mnt/caf\xc3\xa9");
	json_kv_name(c->w, "comm", "x\xff\n");
	json_kv_name(c->w, "none", NULL);
	json_object_end(c->w);
	assert_output(c, "{\"path\":\"/mnt/caf\xc3\xa9\",\"comm\":\"x\\ufffd\\n\","
			 "\"comm_hex\":\"78ff0a\",\"none\":null}\n");
}

static void test_null_strings(void **state)
{
	struct capture *c = *state;

	json_object_begin(c->w);
	json_kv_string(c->w, "comm", NULL);
	json_key(c->w, "names");
	json_array_begin(c->w);
	json_string(c->w, NULL);
	json_string(c->w, "");
	json_array_end(c->w);
	json_object_end(c->w);
	assert_output(c, "{\"comm\":null,\"names\":[null,\"\"]}\n");
}

static void test_nesting_commas(void **state)
{
	struct capture *c = *state;

	json_object_begin(c->w);
	json_key(c->w, "a");
	json_array_begin(c->w);
	json_uint(c->w, 1);
	json_object_begin(c->w);
	json_key(c->w, "b");
	json_array_begin(c->w);
	json_array_end(c->w);
	json_object_end(c->w);
	json_object_begin(c->w);
	json_key(c->w, "c");
	json_object_begin(c->w);
	json_object_end(c->w);
	json_kv_int(c->w, "d", -2);
	json_object_end(c->w);
	json_array_begin(c->w);
	json_uint(c->w, 3);
	json_uint(c->w, 4);
	json_array_end(c->w);
	json_array_end(c->w);
	json_kv_uint(c->w, "e", 5);
	json_object_end(c->w);
	assert_output(c, "{\"a\":[1,{\"b\":[]},{\"c\":{},\"d\":-2},[3,4]],\"e\":5}\n");
}

static void test_max_depth(void **state)
{
	struct capture *c = *state;
	int i;

	for (i = 0; i < 16; i++)
		json_array_begin(c->w);
	json_uint(c->w, 7);
	for (i = 0; i < 16; i++)
		json_array_end(c->w);
	assert_output(c, "[[[[[[[[[[[[[[[[7]]]]]]]]]]]]]]]]\n");
}

static void test_doubles(void **state)
{
	struct capture *c = *state;

	json_array_begin(c->w);
	json_double(c->w, 0.0);
	json_double(c->w, -1.25);
	json_double(c->w, 1.0 / 3);
	json_double(c->w, 123456789.0);
	json_double(c->w, 1e-7);
	json_double(c->w, 1e21);
	json_double(c->w, NAN);
	json_double(c->w, INFINITY);
	json_double(c->w, -INFINITY);
	json_array_end(c->w);
	assert_output(c, "[0,-1.25,0.333333,1.23457e+08,1e-07,1e+21,null,null,null]\n");
}

/*
 * A locale with a decimal comma must not leak into the JSON. make check builds de_DE.UTF-8 into
 * build/locale (LOCPATH) with localedef, so this runs without touching the system's locales.
 */
static void test_double_ignores_locale(void **state)
{
	struct capture *c = *state;
	locale_t comma = newlocale(LC_NUMERIC_MASK, "de_DE.UTF-8", (locale_t)0);
	locale_t saved;

	if (comma == (locale_t)0) {
		print_message("no de_DE.UTF-8 locale (LOCPATH=%s)\n", getenv("LOCPATH"));
		skip();
	}
	saved = uselocale(comma);
	json_array_begin(c->w);
	json_double(c->w, 2.5);
	json_array_end(c->w);
	uselocale(saved);
	freelocale(comma);
	assert_output(c, "[2.5]\n");
}

static void test_one_line_per_top_level_object(void **state)
{
	struct capture *c = *state;

	json_object_begin(c->w);
	json_kv_uint(c->w, "a", 1);
	json_object_end(c->w);
	assert_output(c, "{\"a\":1}\n");

	json_object_begin(c->w);
	json_key(c->w, "b");
	json_object_begin(c->w);
	json_kv_uint(c->w, "c", 2);
	json_object_end(c->w);
	json_object_end(c->w);
	json_object_begin(c->w);
	json_object_end(c->w);
	assert_output(c, "{\"a\":1}\n{\"b\":{\"c\":2}}\n{}\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_scalars_in_object, capture_setup,
						capture_teardown),
		cmocka_unit_test_setup_teardown(test_string_escaping, capture_setup,
						capture_teardown),
		cmocka_unit_test_setup_teardown(test_invalid_utf8_replaced, capture_setup,
						capture_teardown),
		cmocka_unit_test_setup_teardown(test_name_hex_only_when_invalid, capture_setup,
						capture_teardown),
		cmocka_unit_test_setup_teardown(test_null_strings, capture_setup, capture_teardown),
		cmocka_unit_test_setup_teardown(test_nesting_commas, capture_setup,
						capture_teardown),
		cmocka_unit_test_setup_teardown(test_max_depth, capture_setup, capture_teardown),
		cmocka_unit_test_setup_teardown(test_doubles, capture_setup, capture_teardown),
		cmocka_unit_test_setup_teardown(test_double_ignores_locale, capture_setup,
						capture_teardown),
		cmocka_unit_test_setup_teardown(test_one_line_per_top_level_object, capture_setup,
						capture_teardown),
	};

	return cmocka_run_group_tests_name("json_writer", tests, NULL, NULL);
}
