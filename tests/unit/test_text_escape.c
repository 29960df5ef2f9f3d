// SPDX-License-Identifier: GPL-2.0
/*
 * The text views' one escaper: hostile names (a comm with a newline and ESC, a file named with
 * 0xff) stay on their row and out of the terminal's control sequences; widths count cells.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "output/text_escape.h"
#include "output/text_line.h"

static void assert_escaped(const char *name, const char *expected, unsigned int cells)
{
	char buf[256];

	assert_int_equal(text_escape(name, buf, sizeof(buf), 0), cells);
	assert_string_equal(buf, expected);
}

static void test_controls_escaped(void **state)
{
	(void)state;
	assert_escaped("a\nb\tc\rd", "a\\nb\\tc\\rd", 10);
	assert_escaped("\x1b[2J\x1b]0;pwned\x07", "\\e[2J\\e]0;pwned\\x07", 19);
	assert_escaped("\x01\x7f", "\\x01\\x7f", 8);
	/* the backslash itself, so that "\n" in a name is told from a newline */
	assert_escaped("a\\nb", "a\\\\nb", 5);
}

static void test_bytes_not_utf8_escaped(void **state)
{
	(void)state;
	assert_escaped("f\xff", "f\\xff", 5);
	assert_escaped("\xc3", "\\xc3", 4); /* cut by the end of the name */
	assert_escaped("\xe2\x82z", "\\xe2\\x82z", 9);
	assert_escaped("\xc0\xaf", "\\xc0\\xaf", 8); /* overlong '/' */
	/* U+009B is CSI on an 8-bit terminal: its UTF-8 bytes are escaped */
	assert_escaped("\xc2\x9bJ", "\\xc2\\x9bJ", 9);
}

static void test_printable_utf8_kept(void **state)
{
	(void)state;
	assert_escaped("caf\xc3\xa9 \xe2\x86\x92", "caf\xc3\xa9 \xe2\x86\x92", 6);
	/* wide characters take two cells, a combining accent none */
	assert_escaped("\xe6\x97\xa5\xe6\x9c\xac", "\xe6\x97\xa5\xe6\x9c\xac", 4);
	assert_escaped("\xf0\x9f\x92\xbe", "\xf0\x9f\x92\xbe", 2);
	assert_escaped("e\xcc\x81", "e\xcc\x81", 1);
	/* a right-to-left override would show the row reordered */
	assert_escaped("a\xe2\x80\xaez", "a\\u202ez", 8);
}

/* A cut falls between pieces: never inside a UTF-8 character or an escape. */
static void test_cut_between_pieces(void **state)
{
	char buf[8];

	(void)state;
	assert_int_equal(text_escape("ab\ncd", buf, sizeof(buf), 3), 2);
	assert_string_equal(buf, "ab");
	assert_int_equal(text_escape("\xe6\x97\xa5\xe6\x9c\xac", buf, sizeof(buf), 3), 2);
	assert_string_equal(buf, "\xe6\x97\xa5");
	/* 8 bytes of buffer hold two 3-byte characters and the NUL, not a third */
	assert_int_equal(text_escape("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", buf, sizeof(buf), 0),
			 4);
	assert_string_equal(buf, "\xe6\x97\xa5\xe6\x9c\xac");
}

static void test_print_pads_by_cells(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	(void)state;
	assert_non_null(out);
	text_print(out, "\xe6\x97\xa5\xe6\x9c\xac", -6, 0);
	fputc('|', out);
	text_print(out, "a\n", 5, 0);
	fputc('|', out);
	text_print(out, "abcdef", -4, 4);
	fputc('|', out);
	fclose(out);
	assert_string_equal(text, "\xe6\x97\xa5\xe6\x9c\xac  |  a\\n|abcd|");
	free(text);
}

/* snoop's lines: a comm with a newline and ESC stays on one line, padded by cells. */
static void test_line_str_escapes(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	struct text_line l = {};

	(void)state;
	assert_non_null(out);
	line_str(&l, "x\ny\x1b", -8, 16);
	line_str(&l, "|", 0, 0);
	line_str(&l, "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", -4, 5);
	line_str(&l, "|", 0, 0);
	line_write(&l, out);
	fclose(out);
	assert_string_equal(text, "x\\ny\\e  |\xe6\x97\xa5\xe6\x9c\xac|\n");
	free(text);
}

/* A path too wide keeps its end from a '/', behind the ellipsis: the file name is what names it. */
static void test_tail_keeps_file_name(void **state)
{
	const char *path = "/mnt/pmem0/pgdata/base/16384/2619";
	char buf[64];

	(void)state;
	assert_int_equal(text_escape_tail(path, buf, sizeof(buf), 40, "...", 3), 33);
	assert_string_equal(buf, path);
	assert_int_equal(text_escape_tail(path, buf, sizeof(buf), 16, "...", 3), 14);
	assert_string_equal(buf, ".../16384/2619");
	assert_int_equal(text_escape_tail(path, buf, sizeof(buf), 12, "\xe2\x80\xa6", 1), 12);
	assert_string_equal(buf, "\xe2\x80\xa6/16384/2619");
	/* a file name wider than the column: its last cells */
	assert_int_equal(text_escape_tail("/a/0123456789", buf, sizeof(buf), 6, "...", 3), 6);
	assert_string_equal(buf, "...789");
	/* escapes count as the cells they take, and are never cut */
	assert_int_equal(text_escape_tail("/x/\n\nb", buf, sizeof(buf), 6, "...", 3), 6);
	assert_string_equal(buf, "...\\nb");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_controls_escaped),
		cmocka_unit_test(test_bytes_not_utf8_escaped),
		cmocka_unit_test(test_printable_utf8_kept),
		cmocka_unit_test(test_cut_between_pieces),
		cmocka_unit_test(test_print_pads_by_cells),
		cmocka_unit_test(test_tail_keeps_file_name),
		cmocka_unit_test(test_line_str_escapes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
