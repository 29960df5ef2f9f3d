// SPDX-License-Identifier: GPL-2.0
/*
 * The cache of available_filter_functions (ftrace_cache.h): its stamp follows the boot and the
 * modules loaded, not their use counts; a list kept is read back whole under the same stamp
 * only, and never from a file or a directory another user could have written.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "engine/ftrace_cache.h"
#include "temp_file.h"

static const char boot_a[] = "0f6b9f3c-5a8e-4bd4-9d1f-2c7b6a0e4d11\n";
static const char boot_b[] = "8d2a4e0b-1c3f-4a5b-8e6d-7f9a0b1c2d3e\n";
static const char modules[] = "xfs 2539520 1 - Live 0xffffffffc0800000\n"
			      "libcrc32c 12288 1 xfs, Live 0xffffffffc0700000\n";
/* the same modules in use by more: the list of functions is the same */
static const char modules_used[] = "xfs 2539520 3 - Live 0xffffffffc0800000\n"
				   "libcrc32c 12288 2 xfs,btrfs, Live 0xffffffffc0700000\n";
/* xfs reloaded elsewhere, a rebuilt xfs of another size, one module more */
static const char modules_moved[] = "xfs 2539520 1 - Live 0xffffffffc0900000\n"
				    "libcrc32c 12288 1 xfs, Live 0xffffffffc0700000\n";
static const char modules_rebuilt[] = "xfs 2543616 1 - Live 0xffffffffc0800000\n"
				      "libcrc32c 12288 1 xfs, Live 0xffffffffc0700000\n";
static const char modules_more[] = "xfs 2539520 1 - Live 0xffffffffc0800000\n"
				   "libcrc32c 12288 1 xfs, Live 0xffffffffc0700000\n"
				   "dax_pmem 12288 0 - Live 0xffffffffc0a00000\n";

static void stamp_of(char *stamp, const char *boot, const char *modules_text)
{
	char boot_path[64], modules_path[64];

	temp_file_write(boot_path, boot);
	temp_file_write(modules_path, modules_text);
	assert_int_equal(ftrace_cache_stamp(stamp, FTRACE_STAMP_SIZE, boot_path, modules_path), 0);
	unlink(boot_path);
	unlink(modules_path);
}

static void test_stamp(void **state)
{
	char stamp[FTRACE_STAMP_SIZE], other[FTRACE_STAMP_SIZE];

	(void)state;
	stamp_of(stamp, boot_a, modules);
	assert_non_null(strstr(stamp, "0f6b9f3c-5a8e-4bd4-9d1f-2c7b6a0e4d11"));
	stamp_of(other, boot_a, modules_used);
	assert_string_equal(stamp, other);
	stamp_of(other, boot_b, modules);
	assert_string_not_equal(stamp, other);
	stamp_of(other, boot_a, modules_moved);
	assert_string_not_equal(stamp, other);
	stamp_of(other, boot_a, modules_rebuilt);
	assert_string_not_equal(stamp, other);
	stamp_of(other, boot_a, modules_more);
	assert_string_not_equal(stamp, other);
	/* no boot id: no stamp, so nothing is cached */
	assert_int_equal(ftrace_cache_stamp(other, sizeof(other), "/nonexistent/boot_id",
					    "/nonexistent/modules"),
			 -ENOENT);
}

/* A set as ftrace_functions_load makes it, from an available_filter_functions of 4 lines. */
static void make_set(struct name_set *set)
{
	char path[64];

	temp_file_write(path, "dax_iomap_fault\n"
			      "dax_disassociate_entry.isra.0\n"
			      "xfs_filemap_page_mkwrite [xfs]\n"
			      "xfs_reflink_end_cow [xfs]\n");
	assert_int_equal(ftrace_functions_load(set, path), 0);
	unlink(path);
	assert_int_equal(set->nr, 4);
}

static void test_store_load(void **state)
{
	char dir[] = "/tmp/daxtrace-cache-XXXXXX", path[128], stamp[FTRACE_STAMP_SIZE];
	char other[FTRACE_STAMP_SIZE];
	struct name_set set, back;
	struct stat st;

	(void)state;
	assert_non_null(mkdtemp(dir));
	/* a directory it makes itself, 0700 */
	snprintf(path, sizeof(path), "%s/run/available_filter_functions", dir);
	stamp_of(stamp, boot_a, modules);
	make_set(&set);
	assert_int_equal(ftrace_cache_load(&back, path, stamp), -ENOENT);
	assert_int_equal(ftrace_cache_store(&set, path, stamp), 0);
	snprintf(path, sizeof(path), "%s/run", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	snprintf(path, sizeof(path), "%s/run/available_filter_functions", dir);

	assert_int_equal(ftrace_cache_load(&back, path, stamp), 0);
	assert_int_equal(back.nr, set.nr);
	for (size_t i = 0; i < set.nr; i++)
		assert_string_equal(back.names[i], set.names[i]);
	assert_string_equal(name_set_function(&back, "dax_disassociate_entry"),
			    "dax_disassociate_entry.isra.0");
	assert_true(name_set_has(&back, "xfs_reflink_end_cow"));
	name_set_free(&back);

	/* another boot, or modules loaded since: the kernel's list is read again */
	stamp_of(other, boot_b, modules);
	assert_int_equal(ftrace_cache_load(&back, path, other), -ENOENT);
	stamp_of(other, boot_a, modules_more);
	assert_int_equal(ftrace_cache_load(&back, path, other), -ENOENT);
	/* a stamp that only starts the same is another */
	assert_int_equal(ftrace_cache_load(&back, path, "daxtrace-ftrace-cache/1 boot"), -ENOENT);

	/* a file others could write, or in a directory others could write: not trusted */
	assert_int_equal(chmod(path, 0620), 0);
	assert_int_equal(ftrace_cache_load(&back, path, stamp), -ENOENT);
	assert_int_equal(chmod(path, 0600), 0);
	snprintf(path, sizeof(path), "%s/run", dir);
	assert_int_equal(chmod(path, 0777), 0);
	snprintf(path, sizeof(path), "%s/run/available_filter_functions", dir);
	assert_int_equal(ftrace_cache_load(&back, path, stamp), -ENOENT);
	assert_int_equal(ftrace_cache_store(&set, path, stamp), -EPERM);
	snprintf(path, sizeof(path), "%s/run", dir);
	assert_int_equal(chmod(path, 0700), 0);

	/* a symbolic link in its place is not followed */
	snprintf(path, sizeof(path), "%s/run/link", dir);
	assert_int_equal(symlink("available_filter_functions", path), 0);
	assert_int_equal(ftrace_cache_load(&back, path, stamp), -ENOENT);
	unlink(path);

	snprintf(path, sizeof(path), "%s/run/available_filter_functions", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/run", dir);
	assert_int_equal(rmdir(path), 0);
	assert_int_equal(rmdir(dir), 0);
	name_set_free(&set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stamp),
		cmocka_unit_test(test_store_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
