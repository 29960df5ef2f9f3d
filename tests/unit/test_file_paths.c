// SPDX-License-Identifier: GPL-2.0
/*
 * Paths whole or not at all: names BPF cut at DT_NAME_LEN - 1 bytes (in the middle of a UTF-8
 * character too) completed from the directory, on a real directory tree under /tmp; and a
 * device that was not mounted when the table was read.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <cmocka.h>

#include "engine/file_paths.h"
#include "temp_file.h"

#define CUT (DT_NAME_LEN - 1)

struct fixture {
	char dir[64];
	char mountinfo[64];
	__u32 dev;
};

static int fixture_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char line[256];
	struct stat st;

	assert_non_null(f);
	strcpy(f->dir, "/tmp/daxtrace-paths-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	assert_int_equal(stat(f->dir, &st), 0);
	f->dev = DT_MKDEV(major(st.st_dev), minor(st.st_dev));
	snprintf(line, sizeof(line), "1 0 %u:%u / %s rw - tmpfs none rw\n", major(st.st_dev),
		 minor(st.st_dev), f->dir);
	temp_file_write(f->mountinfo, line);
	*state = f;
	return 0;
}

static int fixture_teardown(void **state)
{
	struct fixture *f = *state;
	char command[128];

	snprintf(command, sizeof(command), "rm -rf '%s'", f->dir);
	assert_int_equal(system(command), 0);
	unlink(f->mountinfo);
	free(f);
	return 0;
}

/* dir/name, created (a directory when name ends with '/'); returns its inode. */
static __u64 make(const char *dir, const char *name, char *path, size_t size)
{
	struct stat st;
	size_t len;

	snprintf(path, size, "%s/%s", dir, name);
	len = strlen(path);
	if (path[len - 1] == '/') {
		path[len - 1] = '\0';
		assert_int_equal(mkdir(path, 0755), 0);
	} else {
		int fd = open(path, O_CREAT | O_WRONLY, 0644);

		assert_true(fd >= 0);
		close(fd);
	}
	assert_int_equal(stat(path, &st), 0);
	return st.st_ino;
}

/* name repeated to len bytes, then tail */
static char *long_name(char *buf, char c, size_t len, const char *tail)
{
	memset(buf, c, len);
	strcpy(buf + len, tail);
	return buf;
}

/* What BPF shows of full: every component cut to CUT bytes. */
static void cut_components(const char *full, char *out, size_t size)
{
	char copy[4096], *save, *name;

	snprintf(copy, sizeof(copy), "%s", full);
	out[0] = '\0';
	for (name = strtok_r(copy, "/", &save); name; name = strtok_r(NULL, "/", &save))
		snprintf(out + strlen(out), size - strlen(out), "/%.*s", CUT, name);
}

static void test_long_names_completed(void **state)
{
	struct fixture *f = *state;
	char dname[128], fname[256], dir[4096], file[4096], path[4096];
	__u64 ino;

	make(f->dir, long_name(dname, 'd', 60, "/"), dir, sizeof(dir));
	ino = make(dir, long_name(fname, 'f', 254, "g"), file, sizeof(file));
	cut_components(file, path, sizeof(path));
	assert_string_not_equal(path, file);
	assert_true(file_path_complete(path, sizeof(path), f->dev, ino));
	assert_string_equal(path, file);
}

/* Two names alike in their first CUT bytes: the one that is dev:ino. */
static void test_twins_told_apart(void **state)
{
	struct fixture *f = *state;
	char name[128], a[4096], b[4096], path[4096];
	__u64 ino_b;

	make(f->dir, long_name(name, 't', CUT, "-a"), a, sizeof(a));
	ino_b = make(f->dir, long_name(name, 't', CUT, "-b"), b, sizeof(b));
	cut_components(b, path, sizeof(path));
	assert_true(file_path_complete(path, sizeof(path), f->dev, ino_b));
	assert_string_equal(path, b);
}

/* The cut fell inside "é" (0xc3 0xa9): the path BPF gave is not even UTF-8; completed, it is. */
static void test_cut_inside_utf8(void **state)
{
	struct fixture *f = *state;
	char name[128], file[4096], path[4096];
	__u64 ino;

	ino = make(f->dir, long_name(name, 'u', CUT - 1, "\xc3\xa9-tail"), file, sizeof(file));
	cut_components(file, path, sizeof(path));
	assert_int_equal((unsigned char)path[strlen(path) - 1], 0xc3);
	assert_true(file_path_complete(path, sizeof(path), f->dev, ino));
	assert_string_equal(path, file);
}

/* A name exactly CUT bytes long is its own completion. */
static void test_exact_length_kept(void **state)
{
	struct fixture *f = *state;
	char name[128], file[4096], path[4096];
	__u64 ino;

	ino = make(f->dir, long_name(name, 'x', CUT, ""), file, sizeof(file));
	snprintf(path, sizeof(path), "%s", file);
	assert_true(file_path_complete(path, sizeof(path), f->dev, ino));
	assert_string_equal(path, file);
}

/* Gone (or another file): no path rather than a wrong one, and the names are left as they were. */
static void test_gone_is_not_completed(void **state)
{
	struct fixture *f = *state;
	char name[128], file[4096], path[4096], before[4096];
	__u64 ino;

	ino = make(f->dir, long_name(name, 'g', 80, ""), file, sizeof(file));
	cut_components(file, path, sizeof(path));
	strcpy(before, path);
	assert_false(file_path_complete(path, sizeof(path), f->dev, ino + 1));
	assert_string_equal(path, before);
	unlink(file);
	assert_false(file_path_complete(path, sizeof(path), f->dev, ino));
}

/* Through the handle: names as BPF captures them, the mount read after the fact. */
static void test_resolve_mounted_after_start(void **state)
{
	struct fixture *f = *state;
	char name[256], file[4096], buf[4096], absent[64];
	struct mount_table mounts;
	struct file_paths *paths;
	struct dt_file_info info;
	__u64 ino;

	ino = make(f->dir, long_name(name, 'r', 200, ".dat"), file, sizeof(file));
	/* the table daxtrace read at start: without this device */
	temp_file_write(absent, "1 0 1:99 / /elsewhere rw - tmpfs none rw\n");
	assert_int_equal(mount_table_load(&mounts, absent), 0);
	assert_null(mount_table_find(&mounts, f->dev));
	unlink(absent);
	paths = file_paths_new(-1, &mounts, f->mountinfo);
	assert_non_null(paths);
	assert_true(file_info_from_path(&(struct mount_entry){ .mount_point = f->dir, .root = "/" },
					file, &info));
	assert_string_equal(file_paths_resolve(paths, f->dev, ino, &info, buf, sizeof(buf)), file);
	/* completed once, then remembered */
	assert_string_equal(file_paths_resolve(paths, f->dev, ino, &info, buf, sizeof(buf)), file);
	file_paths_free(paths);
	mount_table_free(&mounts);
}

/* The completed paths kept are bounded (1,024): the oldest goes, and is completed anew. */
static void test_completed_paths_bounded(void **state)
{
	enum { FILES = 1100 };
	struct fixture *f = *state;
	char name[128], file[4096], first[4096], last[4096], buf[4096];
	static struct dt_file_info infos[FILES];
	static __u64 inos[FILES];
	struct mount_table mounts;
	struct file_paths *paths;

	assert_int_equal(mount_table_load(&mounts, f->mountinfo), 0);
	paths = file_paths_new(-1, &mounts, f->mountinfo);
	assert_non_null(paths);
	for (int i = 0; i < FILES; i++) {
		snprintf(name, sizeof(name), "%04d%060d", i, 0); /* cut by BPF, told apart early */
		inos[i] = make(f->dir, name, file, sizeof(file));
		assert_true(file_info_from_path(
			&(struct mount_entry){ .mount_point = f->dir, .root = "/" }, file,
			&infos[i]));
		assert_string_equal(
			file_paths_resolve(paths, f->dev, inos[i], &infos[i], buf, sizeof(buf)),
			file);
		if (i == 0)
			strcpy(first, file);
		strcpy(last, file);
	}
	unlink(first);
	unlink(last);
	/* the last is still kept; the first made room, and completing it again finds no file */
	assert_string_equal(file_paths_resolve(paths, f->dev, inos[FILES - 1], &infos[FILES - 1],
					       buf, sizeof(buf)),
			    last);
	assert_null(file_paths_resolve(paths, f->dev, inos[0], &infos[0], buf, sizeof(buf)));
	file_paths_free(paths);
	mount_table_free(&mounts);
}

/* A share stream's names: its own dev:ino answered, the bytes given only; no other file. */
static void test_named(void **state)
{
	struct file_paths *paths = file_paths_new_recorded();
	char buf[64];

	(void)state;
	assert_int_equal(file_paths_add_named(paths, 0x10300001, 11, "/mnt/dax/a.img and more", 14),
			 0);
	assert_int_equal(file_paths_add_named(paths, 0x10300001, 12, "", 0), 0); /* not told */
	assert_string_equal(file_paths_lookup(paths, 0x10300001, 11, buf, sizeof(buf)),
			    "/mnt/dax/a.img");
	assert_null(file_paths_lookup(paths, 0x10300001, 12, buf, sizeof(buf)));
	assert_null(file_paths_lookup(paths, 0x10300002, 11, buf, sizeof(buf)));
	assert_null(file_paths_lookup(paths, FILE_PATHS_RECORDED_DEV, 1, buf, sizeof(buf)));
	file_paths_free(paths);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_long_names_completed, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_twins_told_apart, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_cut_inside_utf8, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_exact_length_kept, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_gone_is_not_completed, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_resolve_mounted_after_start, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_completed_paths_bounded, fixture_setup,
						fixture_teardown),
		cmocka_unit_test(test_named),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
