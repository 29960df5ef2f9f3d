// SPDX-License-Identifier: GPL-2.0
/* The mount table from a mountinfo file, and file paths from BPF-captured names. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <linux/types.h>

#include "engine/mounts.h"

#define DEV(major, minor) ((major) << 20 | (minor))

/* The real format; the bind mount of 259:0 comes before the mount of its root on purpose. */
static const char mountinfo[] =
	"22 1 259:3 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p3 rw,errors=remount-ro\n"
	"36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw,errors=continue\n"
	"37 22 259:0 /dir /srv/bind rw,relatime shared:5 - xfs /dev/pmem0 "
	"rw,attr2,dax=always,inode64\n"
	"38 22 259:0 / /mnt/dax rw,relatime shared:5 - xfs /dev/pmem0 rw,attr2,dax=always,inode64\n"
	"39 22 259:1 / /mnt/with\\040space rw,relatime - ext4 /dev/pmem1 rw,dax\n"
	"this line is not mountinfo\n"
	"40 22 259:2 /data /srv/data rw shared:7 master:2 - xfs /dev/pmem2 rw,attr2,inode64\n"
	"41 22 259:2 /data/sub /srv/sub rw - xfs /dev/pmem2 rw,attr2,inode64\n"
	"42 22 7:0 / /mnt/loop rw,relatime - ext4\n"
	"43 22 x:y / /mnt/bad rw - ext4 /dev/bad rw\n"
	"44 22 259:4 / /mnt/inode rw,relatime - xfs /dev/pmem4 rw,attr2,dax=inode\n"
	"45 22 259:5 / /mnt/ext2 rw,dax - ext2 /dev/pmem5 rw\n"
	"46 22 0:5 / /dev rw,nosuid - devtmpfs udev rw,size=4096k,dax=never\n"
	"47 22 8:17 /a\\011b\\134c /mnt/tab\\011and\\134back rw - ext4 /dev/my\\040disk rw\n"
	"short - xfs /dev/pmem9 rw\n"
	"48 22 4095:1048575 / /mnt/max rw - tmpfs tmpfs rw\n";

struct fixture {
	struct mount_table table;
	char path[64];
};

static int write_mountinfo(struct fixture *f, const char *text)
{
	FILE *out;
	int fd;

	strcpy(f->path, "/tmp/daxtrace-mountinfo-XXXXXX");
	fd = mkstemp(f->path);
	if (fd < 0)
		return -1;
	out = fdopen(fd, "w");
	if (!out)
		return -1;
	fputs(text, out);
	return fclose(out);
}

static int table_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f || write_mountinfo(f, mountinfo))
		return -1;
	if (mount_table_load(&f->table, f->path))
		return -1;
	*state = f;
	return 0;
}

static int table_teardown(void **state)
{
	struct fixture *f = *state;

	mount_table_free(&f->table);
	unlink(f->path);
	free(f);
	return 0;
}

static const struct mount_entry *by_mount_point(const struct mount_table *table,
						const char *mount_point)
{
	for (int i = 0; i < table->nr; i++)
		if (!strcmp(table->entries[i].mount_point, mount_point))
			return &table->entries[i];
	fail_msg("no mount at %s", mount_point);
	return NULL;
}

/* names[0] is the leaf, as BPF captures them. */
static struct dt_file_info leaf_first(int complete, int depth, ...)
{
	struct dt_file_info info;
	va_list ap;

	memset(&info, 0, sizeof(info));
	info.complete = complete;
	info.depth = depth;
	va_start(ap, depth);
	for (int i = 0; i < depth; i++)
		strncpy(info.names[i], va_arg(ap, const char *), DT_NAME_LEN - 1);
	va_end(ap);
	return info;
}

static void test_load_skips_malformed(void **state)
{
	struct fixture *f = *state;

	/* 16 lines: the prose line, the one without super options, x:y and "short" are skipped */
	assert_int_equal(f->table.nr, 12);
	assert_string_equal(f->table.entries[0].mount_point, "/");
	assert_string_equal(f->table.entries[4].mount_point, "/mnt/with space");
	assert_string_equal(f->table.entries[5].mount_point, "/srv/data");
	assert_string_equal(f->table.entries[7].mount_point, "/mnt/inode");
	assert_string_equal(f->table.entries[11].mount_point, "/mnt/max");
}

static void test_fields(void **state)
{
	struct fixture *f = *state;
	const struct mount_entry *e;

	e = by_mount_point(&f->table, "/mnt/parent");
	assert_int_equal(e->dev, DEV(98U, 0U));
	assert_int_equal(e->dev, 102760448U);
	assert_string_equal(e->root, "/mnt1");
	assert_string_equal(e->fs_type, "ext3");
	assert_string_equal(e->source, "/dev/root");
	assert_false(e->dax);

	e = by_mount_point(&f->table, "/mnt/dax");
	assert_int_equal(e->dev, DEV(259U, 0U));
	assert_int_equal(e->dev, 271581184U);
	assert_string_equal(e->root, "/");
	assert_string_equal(e->fs_type, "xfs");
	assert_string_equal(e->source, "/dev/pmem0");
	assert_true(e->dax);

	e = by_mount_point(&f->table, "/");
	assert_int_equal(e->dev, DEV(259U, 3U));
	assert_string_equal(e->fs_type, "ext4");
	assert_string_equal(e->source, "/dev/nvme0n1p3");

	e = by_mount_point(&f->table, "/mnt/max");
	assert_int_equal(e->dev, 0xffffffffU);
	assert_string_equal(e->fs_type, "tmpfs");
}

static void test_dax_flags(void **state)
{
	struct fixture *f = *state;

	assert_true(by_mount_point(&f->table, "/mnt/dax")->dax);
	assert_true(by_mount_point(&f->table, "/srv/bind")->dax);
	assert_true(by_mount_point(&f->table, "/mnt/with space")->dax); /* ext4 "dax" */
	assert_true(by_mount_point(&f->table, "/mnt/ext2")->dax); /* in the mount options */
	assert_false(by_mount_point(&f->table, "/mnt/inode")->dax); /* dax=inode: per file */
	assert_false(by_mount_point(&f->table, "/dev")->dax); /* dax=never */
	assert_false(by_mount_point(&f->table, "/srv/data")->dax);
	assert_false(by_mount_point(&f->table, "/")->dax);
}

static void test_unescape(void **state)
{
	struct fixture *f = *state;
	const struct mount_entry *e;

	e = by_mount_point(&f->table, "/mnt/with space");
	assert_int_equal(e->dev, DEV(259U, 1U));
	e = by_mount_point(&f->table, "/mnt/tab\tand\\back");
	assert_int_equal(e->dev, DEV(8U, 17U));
	assert_string_equal(e->root, "/a\tb\\c");
	assert_string_equal(e->source, "/dev/my disk");
}

/* Input the kernel never writes, found by reading and by fuzzing (tests/fuzz/fuzz_mounts.c). */
static const char hostile[] =
	"50 22 8:1 / /mnt/new\\012line rw - ext4 /dev/sda1 rw\n"
	/* \000 is no escape: decoding it cut the mount point short, to a plausible "/mnt/nul" */
	"51 22 8:2 / /mnt/nul\\000x rw - ext4 /dev/sda2 rw\n"
	/* not three octal digits, or above \377, or a byte the kernel does not escape */
	"52 22 8:3 / /mnt/\\1ab\\400\\101 rw - ext4 /dev/sda3 rw\n"
	"53 22 8:4 / /mnt/end\\04 rw - ext4 /dev/sda4 rw\n"
	/* devices that do not fit a dev_t, or are not MAJ:MIN: 4096:0 wrapped around to 0:0 */
	"54 22 4096:0 / /mnt/wrapped rw - ext4 /dev/x rw\n"
	"55 22 -1:0 / /mnt/negative rw - ext4 /dev/x rw\n"
	"56 22 8:1x / /mnt/trailing rw - ext4 /dev/x rw\n"
	"57 22 8:+1 / /mnt/plus rw - ext4 /dev/x rw\n"
	"58 22 8:5 / /mnt/esc\\134040aped rw - ext\\0404 /dev/sda5 rw\n";

static void test_read_hostile(void **state)
{
	struct mount_table table;
	FILE *in = fmemopen((void *)hostile, sizeof(hostile) - 1, "r");

	(void)state;
	assert_non_null(in);
	mount_table_read(&table, in);
	fclose(in);
	assert_int_equal(table.nr, 5);
	assert_string_equal(table.entries[0].mount_point, "/mnt/new\nline");
	assert_string_equal(table.entries[1].mount_point, "/mnt/nul\\000x");
	assert_string_equal(table.entries[2].mount_point, "/mnt/\\1ab\\400\\101");
	assert_string_equal(table.entries[3].mount_point, "/mnt/end\\04");
	/* an escaped backslash is not the start of another escape */
	assert_string_equal(table.entries[4].mount_point, "/mnt/esc\\040aped");
	assert_string_equal(table.entries[4].fs_type, "ext 4");
	assert_int_equal(table.entries[4].dev, DEV(8U, 5U));
	mount_table_free(&table);
}

/* A line longer than any buffer is one mount, not two made of its halves; a NUL ends no line. */
static void test_read_long_line(void **state)
{
	static const char nul_line[] = "60 22 8:6 / /mnt/a\0/b rw - ext4 /dev/sda6 rw\n";
	size_t long_len = 20000, nul_len = sizeof(nul_line) - 1;
	char *text = malloc(long_len + 200 + nul_len), *p = text;
	struct mount_table table;
	FILE *in;

	(void)state;
	assert_non_null(text);
	p += sprintf(p, "59 22 8:7 / /mnt/");
	memset(p, 'x', long_len);
	p += long_len;
	p += sprintf(p, " rw - ext4 /dev/sda7 rw\n");
	memcpy(p, nul_line, nul_len);
	p += nul_len;
	in = fmemopen(text, p - text, "r");
	assert_non_null(in);
	mount_table_read(&table, in);
	fclose(in);
	assert_int_equal(table.nr, 1);
	assert_int_equal(strlen(table.entries[0].mount_point), strlen("/mnt/") + long_len);
	assert_string_equal(table.entries[0].fs_type, "ext4");
	assert_string_equal(table.entries[0].source, "/dev/sda7");
	assert_int_equal(table.entries[0].dev, DEV(8U, 7U));
	mount_table_free(&table);
	free(text);
}

static void test_find_prefers_root_mount(void **state)
{
	struct fixture *f = *state;
	const struct mount_entry *e;

	e = mount_table_find(&f->table, DEV(259U, 0U));
	assert_non_null(e);
	assert_string_equal(e->mount_point, "/mnt/dax");
	assert_string_equal(e->root, "/");
	/* only bind mounts of subdirectories: the first one */
	e = mount_table_find(&f->table, DEV(259U, 2U));
	assert_non_null(e);
	assert_string_equal(e->mount_point, "/srv/data");
	e = mount_table_find(&f->table, DEV(98U, 0U));
	assert_non_null(e);
	assert_string_equal(e->mount_point, "/mnt/parent");
	assert_null(mount_table_find(&f->table, DEV(259U, 9U)));
	assert_null(mount_table_find(&f->table, DEV(7U, 0U))); /* its line was malformed */
	assert_null(mount_table_find(&f->table, 0));
}

static void test_path_dax_mount(void **state)
{
	struct fixture *f = *state;
	struct dt_file_info info = leaf_first(1, 2, "f", "dir");
	char buf[256];

	assert_true(file_path(&f->table, DEV(259U, 0U), &info, buf, sizeof(buf)));
	assert_string_equal(buf, "/mnt/dax/dir/f");
	info = leaf_first(1, 1, "pmem.img");
	assert_true(file_path(&f->table, DEV(259U, 0U), &info, buf, sizeof(buf)));
	assert_string_equal(buf, "/mnt/dax/pmem.img");
	info = leaf_first(1, 2, "f", "x");
	assert_true(file_path(&f->table, DEV(259U, 1U), &info, buf, sizeof(buf)));
	assert_string_equal(buf, "/mnt/with space/x/f");
}

static void test_path_root_mount(void **state)
{
	struct fixture *f = *state;
	struct dt_file_info info = leaf_first(1, 2, "passwd", "etc");
	char buf[256];

	assert_true(file_path(&f->table, DEV(259U, 3U), &info, buf, sizeof(buf)));
	assert_string_equal(buf, "/etc/passwd");
	info = leaf_first(1, 1, "vmlinuz");
	assert_true(file_path(&f->table, DEV(259U, 3U), &info, buf, sizeof(buf)));
	assert_string_equal(buf, "/vmlinuz");
}

static void test_path_full_depth(void **state)
{
	struct fixture *f = *state;
	struct dt_file_info info = leaf_first(1, 8, "h", "g", "f", "e", "d", "c", "b", "a");
	char buf[256];

	assert_true(file_path(&f->table, DEV(259U, 0U), &info, buf, sizeof(buf)));
	assert_string_equal(buf, "/mnt/dax/a/b/c/d/e/f/g/h");
}

static void test_path_long_names(void **state)
{
	struct fixture *f = *state;
	char name[DT_NAME_LEN], expected[512] = "/mnt/dax";
	struct dt_file_info info;
	char buf[512];

	memset(name, 'n', DT_NAME_LEN - 1);
	name[DT_NAME_LEN - 1] = '\0';
	info = leaf_first(1, 8, name, name, name, name, name, name, name, name);
	for (int i = 0; i < 8; i++) {
		strcat(expected, "/");
		strcat(expected, name);
	}
	assert_true(file_path(&f->table, DEV(259U, 0U), &info, buf, sizeof(buf)));
	assert_string_equal(buf, expected);
}

static void test_path_incomplete(void **state)
{
	struct fixture *f = *state;
	struct dt_file_info info = leaf_first(0, 2, "f", "dir");
	char buf[256] = "untouched";

	assert_false(file_path(&f->table, DEV(259U, 0U), &info, buf, sizeof(buf)));
	info = leaf_first(1, 0);
	assert_false(file_path(&f->table, DEV(259U, 0U), &info, buf, sizeof(buf)));
	info = leaf_first(0, 0);
	assert_false(file_path(&f->table, DEV(259U, 0U), &info, buf, sizeof(buf)));
	assert_string_equal(buf, "untouched");
}

static void test_path_unknown_dev(void **state)
{
	struct fixture *f = *state;
	struct dt_file_info info = leaf_first(1, 2, "f", "dir");
	char buf[256] = "untouched";

	assert_false(file_path(&f->table, DEV(259U, 9U), &info, buf, sizeof(buf)));
	assert_false(file_path(&f->table, 0, &info, buf, sizeof(buf)));
	assert_string_equal(buf, "untouched");
}

static void test_path_bind_subdir(void **state)
{
	struct fixture *f = *state;
	struct dt_file_info info = leaf_first(1, 3, "f", "x", "data");
	char buf[256];

	/* 259:2 is mounted only as /data at /srv/data: the file is /data/x/f in its filesystem */
	assert_true(file_path(&f->table, DEV(259U, 2U), &info, buf, sizeof(buf)));
	assert_string_equal(buf, "/srv/data/x/f");
	info = leaf_first(1, 3, "f", "sub", "data");
	assert_true(file_path(&f->table, DEV(259U, 2U), &info, buf, sizeof(buf)));
	assert_string_equal(buf, "/srv/data/sub/f");
	/* 98:0 shows /mnt1 of its filesystem at /mnt/parent */
	info = leaf_first(1, 2, "log", "mnt1");
	assert_true(file_path(&f->table, DEV(98U, 0U), &info, buf, sizeof(buf)));
	assert_string_equal(buf, "/mnt/parent/log");
}

/* Longer than the buffer it is assembled in: no names, rather than its directory's as the file's. */
static void test_info_from_long_path(void **state)
{
	static const struct mount_entry mount = { .mount_point = "/mnt", .root = "/" };
	char path[4300];
	struct dt_file_info info;

	(void)state;
	memset(path, 'd', sizeof(path));
	memcpy(path, "/mnt/", 5);
	strcpy(path + 4150, "/leaf");
	assert_false(file_info_from_path(&mount, path, &info));
	strcpy(path + 2000, "/leaf");
	assert_true(file_info_from_path(&mount, path, &info));
	assert_int_equal(info.depth, 2);
	assert_string_equal(info.names[0], "leaf");
}

static void test_path_outside_bind(void **state)
{
	struct fixture *f = *state;
	struct dt_file_info info = leaf_first(1, 2, "f", "other");
	char buf[256];

	assert_false(file_path(&f->table, DEV(259U, 2U), &info, buf, sizeof(buf)));
	/* a sibling whose name starts like the mount's root is outside it too */
	info = leaf_first(1, 2, "f", "database");
	assert_false(file_path(&f->table, DEV(259U, 2U), &info, buf, sizeof(buf)));
	info = leaf_first(1, 1, "dat");
	assert_false(file_path(&f->table, DEV(259U, 2U), &info, buf, sizeof(buf)));
}

/*
 * A bind mount of one file (mount --bind /data/f /srv/file) shows that file at its mount point:
 * the file is mounted here, so its path can be told whole.
 */
static void test_path_bind_mounted_file(void **state)
{
	struct fixture f = { 0 };
	struct dt_file_info info = leaf_first(1, 2, "f", "data");
	char buf[256] = "";

	(void)state;
	assert_int_equal(write_mountinfo(&f, "50 22 259:6 /data/f /srv/file rw,relatime - xfs "
					     "/dev/pmem6 rw,attr2,dax=always,inode64\n"),
			 0);
	assert_int_equal(mount_table_load(&f.table, f.path), 0);
	unlink(f.path);
	assert_int_equal(f.table.nr, 1);
	assert_true(file_path(&f.table, DEV(259U, 6U), &info, buf, sizeof(buf)));
	assert_string_equal(buf, "/srv/file");
	mount_table_free(&f.table);
}

/* file_info_from_path is file_path's inverse: through a bind of a subdirectory too. */
static void test_info_from_path_round_trip(void **state)
{
	struct fixture *f = *state;
	const char *paths[][2] = { { "259:0", "/mnt/dax/a/b" },
				   { "259:2", "/srv/data/x/f" },
				   { "98:0", "/mnt/parent/log" } };
	struct dt_file_info info;
	char buf[256];

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		unsigned int major, minor;

		assert_int_equal(sscanf(paths[i][0], "%u:%u", &major, &minor), 2);
		assert_true(file_info_from_path(mount_table_find(&f->table, DEV(major, minor)),
						paths[i][1], &info));
		assert_true(file_path(&f->table, DEV(major, minor), &info, buf, sizeof(buf)));
		assert_string_equal(buf, paths[i][1]);
	}
	assert_int_equal(info.depth, 2); /* mnt1, log */
	assert_string_equal(info.names[0], "log");
	/* not below the mount point; a longer name that merely starts with it */
	assert_false(
		file_info_from_path(mount_table_find(&f->table, DEV(259U, 0U)), "/srv/x", &info));
	assert_false(file_info_from_path(mount_table_find(&f->table, DEV(259U, 0U)), "/mnt/daxy/f",
					 &info));
	assert_false(
		file_info_from_path(mount_table_find(&f->table, DEV(259U, 0U)), "/mnt/dax", &info));
}

static void test_load_missing_file(void **state)
{
	struct mount_table table;

	(void)state;
	memset(&table, 0xaa, sizeof(table));
	assert_int_equal(mount_table_load(&table, "/nonexistent/daxtrace/mountinfo"), -ENOENT);
	assert_int_equal(table.nr, 0);
	assert_null(table.entries);
	assert_null(mount_table_find(&table, DEV(259U, 0U)));
}

static void test_load_empty_and_free(void **state)
{
	struct fixture f = { 0 };

	(void)state;
	assert_int_equal(write_mountinfo(&f, ""), 0);
	assert_int_equal(mount_table_load(&f.table, f.path), 0);
	unlink(f.path);
	assert_int_equal(f.table.nr, 0);
	mount_table_free(&f.table);
	assert_int_equal(f.table.nr, 0);
	assert_null(f.table.entries);
}

static void test_free_clears(void **state)
{
	struct fixture *f = *state;

	mount_table_free(&f->table);
	assert_int_equal(f->table.nr, 0);
	assert_null(f->table.entries);
	/* and a second free (the teardown's) is harmless */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_load_skips_malformed, table_setup,
						table_teardown),
		cmocka_unit_test_setup_teardown(test_fields, table_setup, table_teardown),
		cmocka_unit_test_setup_teardown(test_dax_flags, table_setup, table_teardown),
		cmocka_unit_test_setup_teardown(test_unescape, table_setup, table_teardown),
		cmocka_unit_test(test_read_hostile),
		cmocka_unit_test(test_read_long_line),
		cmocka_unit_test_setup_teardown(test_find_prefers_root_mount, table_setup,
						table_teardown),
		cmocka_unit_test_setup_teardown(test_path_dax_mount, table_setup, table_teardown),
		cmocka_unit_test_setup_teardown(test_path_root_mount, table_setup, table_teardown),
		cmocka_unit_test_setup_teardown(test_path_full_depth, table_setup, table_teardown),
		cmocka_unit_test_setup_teardown(test_path_long_names, table_setup, table_teardown),
		cmocka_unit_test_setup_teardown(test_path_incomplete, table_setup, table_teardown),
		cmocka_unit_test_setup_teardown(test_path_unknown_dev, table_setup, table_teardown),
		cmocka_unit_test_setup_teardown(test_path_bind_subdir, table_setup, table_teardown),
		cmocka_unit_test_setup_teardown(test_path_outside_bind, table_setup,
						table_teardown),
		cmocka_unit_test(test_path_bind_mounted_file),
		cmocka_unit_test(test_info_from_long_path),
		cmocka_unit_test_setup_teardown(test_info_from_path_round_trip, table_setup,
						table_teardown),
		cmocka_unit_test(test_load_missing_file),
		cmocka_unit_test(test_load_empty_and_free),
		cmocka_unit_test_setup_teardown(test_free_clears, table_setup, table_teardown),
	};

	return cmocka_run_group_tests_name("mounts", tests, NULL, NULL);
}
