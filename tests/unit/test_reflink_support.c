// SPDX-License-Identifier: GPL-2.0
/* Which DAX mounts can share extents: by file system, XFS's reflink flag and kernel release. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "engine/reflink_support.h"

static void test_verdicts(void **state)
{
	(void)state;
	assert_int_equal(reflink_support_of("xfs", 1, "7.2.13+deb14-amd64"), REFLINK_YES);
	assert_int_equal(reflink_support_of("xfs", 1, "5.19.0"), REFLINK_YES);
	assert_int_equal(reflink_support_of("xfs", 0, "6.1.0-41-amd64"), REFLINK_NOT_FORMATTED);
	/* bullseye: DAX inodes were never reflinked before v5.19, whatever mkfs said */
	assert_int_equal(reflink_support_of("xfs", 1, "5.10.0-32-amd64"), REFLINK_OLD_KERNEL);
	assert_int_equal(reflink_support_of("xfs", 1, "4.19.0"), REFLINK_OLD_KERNEL);
	assert_int_equal(reflink_support_of("xfs", -1, "6.12.0"), REFLINK_UNKNOWN);
	/* an unreadable release: the kernel decides, no claim made */
	assert_int_equal(reflink_support_of("xfs", 1, "weird"), REFLINK_YES);
	assert_int_equal(reflink_support_of("ext4", -1, "7.2.0"), REFLINK_NO_FS);
	assert_int_equal(reflink_support_of("ext2", -1, "6.1.0"), REFLINK_NO_FS);
	assert_int_equal(reflink_support_of("ext4", 1, "6.1.0"), REFLINK_NO_FS);
	assert_int_equal(reflink_support_of(NULL, -1, "6.1.0"), REFLINK_NO_FS);
	assert_null(reflink_support_reason(REFLINK_YES));
	assert_null(reflink_support_reason(REFLINK_UNKNOWN));
	assert_null(reflink_support_name(REFLINK_UNKNOWN));
	assert_string_equal(reflink_support_name(REFLINK_NO_FS), "fs_without_reflink");
	assert_string_equal(reflink_support_name(REFLINK_NOT_FORMATTED), "made_without_reflink");
	assert_string_equal(reflink_support_name(REFLINK_OLD_KERNEL), "kernel_before_5_19");
	assert_non_null(reflink_support_reason(REFLINK_OLD_KERNEL));
}

/* The made-up XFS geometry: /mnt/noreflink was made with -m reflink=0, /mnt/gone unreadable. */
static int made_up_flag(const char *mount_point)
{
	if (!strcmp(mount_point, "/mnt/noreflink"))
		return 0;
	if (!strcmp(mount_point, "/mnt/gone"))
		return -1;
	return 1;
}

static struct mount_entry entries[] = {
	{ .mount_point = "/", .fs_type = "ext4", .dax = false },
	{ .mount_point = "/mnt/dax", .fs_type = "xfs", .dax = true },
	{ .mount_point = "/mnt/ext4", .fs_type = "ext4", .dax = true },
	{ .mount_point = "/mnt/noreflink", .fs_type = "xfs", .dax = true },
	{ .mount_point = "/mnt/gone", .fs_type = "xfs", .dax = true },
	{ .mount_point = "/mnt/pagecache-xfs", .fs_type = "xfs", .dax = false },
	{ .mount_point = "/mnt/ext2", .fs_type = "ext2", .dax = true },
};

static void test_mounts(void **state)
{
	struct mount_table table = { .entries = entries, .nr = 7 };
	struct dax_mount_reflink out[4];

	(void)state;
	/* Not DAX: not ours to talk about. Unknown XFS: assumed able, not named. */
	assert_int_equal(dax_mounts_without_reflink(&table, "6.12.0", made_up_flag, out, 4), 3);
	assert_string_equal(out[0].mount_point, "/mnt/ext4");
	assert_string_equal(out[0].fs_type, "ext4");
	assert_int_equal(out[0].support, REFLINK_NO_FS);
	assert_string_equal(out[1].mount_point, "/mnt/noreflink");
	assert_int_equal(out[1].support, REFLINK_NOT_FORMATTED);
	assert_string_equal(out[2].mount_point, "/mnt/ext2");
	/* capacity: the first ones in table order */
	assert_int_equal(dax_mounts_without_reflink(&table, "6.12.0", made_up_flag, out, 1), 1);
	assert_string_equal(out[0].mount_point, "/mnt/ext4");
	/* 5.10: every DAX XFS, readable or not, is named too */
	assert_int_equal(dax_mounts_without_reflink(&table, "5.10.0", made_up_flag, out, 4), 4);
	assert_int_equal(out[0].support, REFLINK_OLD_KERNEL);
	assert_string_equal(out[0].mount_point, "/mnt/dax");
}

/* The ioctl on something that is not XFS (or not there): unknown, not "no". */
static void test_flag_not_xfs(void **state)
{
	(void)state;
	assert_int_equal(xfs_reflink_flag("/nonexistent/daxtrace"), -1);
	assert_int_equal(xfs_reflink_flag("/proc"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_mounts),
		cmocka_unit_test(test_flag_not_xfs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
