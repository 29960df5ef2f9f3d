// SPDX-License-Identifier: GPL-2.0
/* /proc/iomem: the pfn ranges of persistent memory, and nothing else. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "engine/pmem.h"

/* As the 7.2 guest shows it (seen), plus a legacy e820 range and an unprivileged reader's. */
static const char iomem[] = "00000000-00000fff : Reserved\n"
			    "00100000-7ffdffff : System RAM\n"
			    "  01000000-01ffffff : Kernel code\n"
			    "100000000-13fffffff : Persistent Memory\n"
			    "  100000000-13fffffff : namespace0.0\n"
			    "140000000-17fffffff : Persistent Memory (legacy)\n"
			    "00000000-00000000 : Persistent Memory\n"
			    "180000000-1bfffffff : Persistent Memory\n";

static void test_ranges(void **state)
{
	char path[] = "/tmp/daxtrace-iomem-XXXXXX";
	struct pfn_range r[4];
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, iomem, strlen(iomem)), strlen(iomem));
	close(fd);
	assert_int_equal(pmem_ranges_read(path, r, 4), 3);
	assert_int_equal(r[0].lo, 0x100000);
	assert_int_equal(r[0].hi, 0x140000);
	assert_int_equal(r[1].lo, 0x140000); /* legacy (memmap=) pmem is pmem too */
	assert_int_equal(r[2].lo, 0x180000);
	assert_int_equal(pmem_ranges_read(path, r, 1), 1);
	unlink(path);
	assert_int_equal(pmem_ranges_read(path, r, 4), -2); /* -ENOENT */
}

/*
 * A line longer than the old 256-byte buffer was read in pieces, and a piece could look like a
 * range of its own: a resource name is whatever its driver chose.
 */
static void test_long_line(void **state)
{
	const char *tail = "100000000-13fffffff : Persistent Memory\n";
	char text[1024], *p = text;
	struct pfn_range r[4];
	FILE *in;

	(void)state;
	p += sprintf(p, "00000000-00000fff : ");
	memset(p, 'n', 255 - (p - text));
	p += 255 - (p - text);
	p += sprintf(p, "%s", tail);
	p += sprintf(p, "180000000-1bfffffff : Persistent Memory\n");
	in = fmemopen(text, p - text, "r");
	assert_non_null(in);
	assert_int_equal(pmem_ranges_parse(in, r, 4), 1);
	assert_int_equal(r[0].lo, 0x180000);
	assert_int_equal(r[0].hi, 0x1c0000);
	fclose(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_long_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
