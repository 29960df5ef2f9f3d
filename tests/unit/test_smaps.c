// SPDX-License-Identifier: GPL-2.0
/* /proc/PID/smaps as share --snapshot reads it: ranges, files, paths as the files' names. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <linux/types.h>

#include "daxtrace.h"
#include "engine/smaps.h"

#define MAX_SEEN 8

struct seen {
	struct smaps_vma vma[MAX_SEEN];
	char path[MAX_SEEN][64];
	int nr;
	int stop_at; /* returns -EIO for this mapping (counted from 1), 0: never */
};

static int remember(const struct smaps_vma *vma, void *ctx)
{
	struct seen *seen = ctx;

	assert_true(seen->nr < MAX_SEEN);
	seen->vma[seen->nr] = *vma;
	snprintf(seen->path[seen->nr], sizeof(seen->path[0]), "%s", vma->path);
	seen->nr++;
	return seen->nr == seen->stop_at ? -EIO : 0;
}

static int read_text(const char *text, size_t size, struct seen *seen)
{
	FILE *in = fmemopen((void *)text, size, "r");
	int err;

	assert_non_null(in);
	err = smaps_read(in, remember, seen);
	fclose(in);
	return err;
}

static const char smaps[] =
	"7f0000000000-7f0000004000 rw-s 00001000 103:00 77                 /mnt/dax/a\n"
	"Size:                 16 kB\n"
	"FilePmdMapped:      2048 kB\n"
	"7ffd00000000-7ffd00001000 rw-p 00000000 00:00 0                  [stack]\n"
	"7f1000000000-7f1000001000 r--s 00000000 fff:fffff 78 /mnt/dax/b\n"
	"FilePmdMapped:         0 kB\n"
	"7f2000000000-7f2000001000 r--s 00000000 103:00 79\n";

static void test_fields(void **state)
{
	struct seen seen = {};

	(void)state;
	assert_int_equal(read_text(smaps, sizeof(smaps) - 1, &seen), 0);
	assert_int_equal(seen.nr, 4);
	assert_int_equal(seen.vma[0].start, 0x7f0000000000ULL);
	assert_int_equal(seen.vma[0].end, 0x7f0000004000ULL);
	assert_int_equal(seen.vma[0].offset, 0x1000);
	assert_int_equal(seen.vma[0].dev, DT_MKDEV(0x103U, 0U));
	assert_int_equal(seen.vma[0].ino, 77);
	assert_true(seen.vma[0].pmd_mapped);
	assert_false(seen.vma[0].deleted);
	assert_string_equal(seen.path[0], "/mnt/dax/a");
	assert_int_equal(seen.vma[1].ino, 0);
	assert_string_equal(seen.path[1], "[stack]");
	assert_false(seen.vma[1].pmd_mapped);
	assert_int_equal(seen.vma[2].dev, 0xffffffffU); /* the largest dev_t */
	assert_false(seen.vma[2].pmd_mapped);
	assert_string_equal(seen.path[3], ""); /* no path field at all */
}

/*
 * The kernel escapes only a newline in a maps path (\012); the name of a file since unlinked
 * ends in " (deleted)". Both used to be kept, so the path named no file: decoded and dropped.
 */
static const char paths[] =
	"1000-2000 r--s 00000000 103:00 80 /mnt/dax/new\\012line\n"
	"2000-3000 r--s 00000000 103:00 81 /mnt/dax/gone (deleted)\n"
	"3000-4000 r--s 00000000 103:00 82 /mnt/dax/both\\012 (deleted)\n"
	/* a backslash is not escaped in maps: \040 is the name's own, and so is a trailing blank */
	"4000-5000 r--s 00000000 103:00 83 /mnt/dax/back\\040slash \n"
	"5000-6000 r--s 00000000 103:00 84 /mnt/dax/ (deleted)\n"
	"6000-7000 r--s 00000000 103:00 85  (deleted)\n";

static void test_paths(void **state)
{
	struct seen seen = {};

	(void)state;
	assert_int_equal(read_text(paths, sizeof(paths) - 1, &seen), 0);
	assert_int_equal(seen.nr, 6);
	assert_string_equal(seen.path[0], "/mnt/dax/new\nline");
	assert_false(seen.vma[0].deleted);
	assert_string_equal(seen.path[1], "/mnt/dax/gone");
	assert_true(seen.vma[1].deleted);
	assert_string_equal(seen.path[2], "/mnt/dax/both\n");
	assert_true(seen.vma[2].deleted);
	assert_string_equal(seen.path[3], "/mnt/dax/back\\040slash ");
	assert_false(seen.vma[3].deleted);
	assert_string_equal(seen.path[4], "/mnt/dax/");
	assert_true(seen.vma[4].deleted);
	/* sscanf's " %n" takes the blank before it: what is left is the suffix's text alone */
	assert_string_equal(seen.path[5], "(deleted)");
	assert_false(seen.vma[5].deleted);
}

/* Ranges that are empty or backwards, devices beyond a dev_t: not mappings. */
static const char bad_headers[] = "2000-2000 r--s 00000000 103:00 90 /empty\n"
				  "3000-2000 r--s 00000000 103:00 91 /backwards\n"
				  "1000-2000 r--s 00000000 1000:00 92 /major\n"
				  "1000-2000 r--s 00000000 103:100000 93 /minor\n"
				  "1000-2000 r--s 00000000 103:00\n"
				  "1000-1800 r--s 00000000 103:00 94 /short\n";

static void test_bad_headers(void **state)
{
	struct seen seen = {};

	(void)state;
	assert_int_equal(read_text(bad_headers, sizeof(bad_headers) - 1, &seen), 0);
	assert_int_equal(seen.nr, 1);
	/* shorter than a page: made up, but a mapping; share --snapshot must end on it */
	assert_string_equal(seen.path[0], "/short");
	assert_int_equal(seen.vma[0].end, 0x1800);
}

/* A path escaped to more than any line buffer is one mapping, not two made of its halves. */
static void test_long_line(void **state)
{
	const char *bogus = "1000-2000 r--s 00000000 103:00 96 /bogus\n";
	size_t name_len = 3 * 4096;
	char *text = malloc(name_len + 256), *p = text;
	struct seen seen = {};

	(void)state;
	assert_non_null(text);
	p += sprintf(p, "1000-2000 r--s 00000000 103:00 95 /");
	/* chosen so that a cut at 4608 bytes (the old buffer) starts a header of its own */
	memset(p, 'x', 4608 - 1 - (p - text));
	p += 4608 - 1 - (p - text);
	p += sprintf(p, "%s", bogus);
	assert_int_equal(read_text(text, p - text, &seen), 0);
	assert_int_equal(seen.nr, 1);
	assert_int_equal(seen.vma[0].ino, 95);
	free(text);
}

/* The callback's error stops the walk and is returned. */
static void test_stop(void **state)
{
	struct seen seen = { .stop_at = 2 };

	(void)state;
	assert_int_equal(read_text(smaps, sizeof(smaps) - 1, &seen), -EIO);
	assert_int_equal(seen.nr, 2);
	seen = (struct seen){};
	assert_int_equal(read_text("", 0, &seen), 0);
	assert_int_equal(seen.nr, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),	    cmocka_unit_test(test_paths),
		cmocka_unit_test(test_bad_headers), cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_stop),
	};

	return cmocka_run_group_tests_name("smaps", tests, NULL, NULL);
}
