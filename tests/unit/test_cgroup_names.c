// SPDX-License-Identifier: GPL-2.0
/*
 * cgroup ids as paths, on a made-up hierarchy: the ids are the directories' inode numbers, as
 * cgroup v2 ids are on 64-bit kernels.
 */
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "engine/cgroup_names.h"

#define NO_SUCH_ID 0xfffffffffffffff0ULL

struct hierarchy {
	char root[sizeof("/tmp/daxtrace-cgroup-XXXXXX")];
	struct cgroup_names *names;
};

static void make_dir(const struct hierarchy *h, const char *path)
{
	char full[PATH_MAX];

	assert_true(snprintf(full, sizeof(full), "%s%s", h->root, path) < (int)sizeof(full));
	assert_int_equal(mkdir(full, 0755), 0);
}

/* The id of root + path ("" for the root itself). */
static __u64 dir_id(const struct hierarchy *h, const char *path)
{
	char full[PATH_MAX];
	struct stat st;

	assert_true(snprintf(full, sizeof(full), "%s%s", h->root, path) < (int)sizeof(full));
	assert_int_equal(stat(full, &st), 0);
	return st.st_ino;
}

static int hierarchy_setup(void **state)
{
	struct hierarchy *h = calloc(1, sizeof(*h));

	assert_non_null(h);
	strcpy(h->root, "/tmp/daxtrace-cgroup-XXXXXX");
	assert_non_null(mkdtemp(h->root));
	make_dir(h, "/a");
	make_dir(h, "/a/b");
	h->names = cgroup_names_new(h->root);
	assert_non_null(h->names);
	*state = h;
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

static int hierarchy_teardown(void **state)
{
	struct hierarchy *h = *state;

	cgroup_names_free(h->names);
	nftw(h->root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(h);
	return 0;
}

static void test_resolve(void **state)
{
	struct hierarchy *h = *state;
	__u64 root = dir_id(h, ""), a = dir_id(h, "/a"), b = dir_id(h, "/a/b");

	cgroup_names_want(h->names, b);
	cgroup_names_want(h->names, NO_SUCH_ID);
	cgroup_names_want(h->names, root);
	cgroup_names_want(h->names, a);
	cgroup_names_want(h->names, b); /* twice: one entry */
	/* nothing is known before the walk */
	assert_string_equal(cgroup_names_get(h->names, a), "unknown");
	cgroup_names_resolve(h->names);
	assert_string_equal(cgroup_names_get(h->names, root), "/");
	assert_string_equal(cgroup_names_get(h->names, a), "/a");
	assert_string_equal(cgroup_names_get(h->names, b), "/a/b");
	assert_string_equal(cgroup_names_get(h->names, NO_SUCH_ID), "unknown");
	assert_string_equal(cgroup_names_get(h->names, NO_SUCH_ID - 1), "unknown"); /* not asked */
}

/* A cgroup made after the first walk is found by the next one; the first answers stay. */
static void test_second_resolve(void **state)
{
	struct hierarchy *h = *state;
	__u64 a = dir_id(h, "/a"), c, d;

	cgroup_names_want(h->names, a);
	cgroup_names_resolve(h->names);
	assert_string_equal(cgroup_names_get(h->names, a), "/a");
	make_dir(h, "/c");
	make_dir(h, "/a/b/d");
	c = dir_id(h, "/c");
	d = dir_id(h, "/a/b/d");
	cgroup_names_want(h->names, d);
	cgroup_names_want(h->names, c);
	cgroup_names_resolve(h->names);
	assert_string_equal(cgroup_names_get(h->names, c), "/c");
	assert_string_equal(cgroup_names_get(h->names, d), "/a/b/d");
	assert_string_equal(cgroup_names_get(h->names, a), "/a");
}

/* A label stays the same after its cgroup is removed. */
static void test_kept_after_removal(void **state)
{
	struct hierarchy *h = *state;
	__u64 b = dir_id(h, "/a/b");
	char path[PATH_MAX];
	struct cgroup_names *late;

	cgroup_names_want(h->names, b);
	cgroup_names_resolve(h->names);
	assert_string_equal(cgroup_names_get(h->names, b), "/a/b");
	assert_true(snprintf(path, sizeof(path), "%s/a/b", h->root) < (int)sizeof(path));
	assert_int_equal(rmdir(path), 0);
	cgroup_names_want(h->names, b);
	cgroup_names_resolve(h->names);
	assert_string_equal(cgroup_names_get(h->names, b), "/a/b");
	/* asked for only after the removal: no directory has it any more */
	late = cgroup_names_new(h->root);
	assert_non_null(late);
	cgroup_names_want(late, b);
	cgroup_names_resolve(late);
	assert_string_equal(cgroup_names_get(late, b), "unknown");
	cgroup_names_free(late);
}

/* A root given with a trailing slash (or "/" itself) still gives paths that start with one. */
static void test_root_with_trailing_slash(void **state)
{
	struct hierarchy *h = *state;
	__u64 root = dir_id(h, ""), a = dir_id(h, "/a"), b = dir_id(h, "/a/b");
	char slashed[PATH_MAX];
	struct cgroup_names *names;

	assert_true(snprintf(slashed, sizeof(slashed), "%s//", h->root) < (int)sizeof(slashed));
	names = cgroup_names_new(slashed);
	assert_non_null(names);
	cgroup_names_want(names, root);
	cgroup_names_want(names, a);
	cgroup_names_want(names, b);
	cgroup_names_resolve(names);
	assert_string_equal(cgroup_names_get(names, root), "/");
	assert_string_equal(cgroup_names_get(names, a), "/a");
	assert_string_equal(cgroup_names_get(names, b), "/a/b");
	cgroup_names_free(names);
}

/* Many ids asked for out of order: each finds its own directory. */
static void test_many(void **state)
{
	struct hierarchy *h = *state;
	__u64 ids[40];
	char path[32];

	for (int i = 0; i < 40; i++) {
		snprintf(path, sizeof(path), "/a/n%d", i);
		make_dir(h, path);
		ids[i] = dir_id(h, path);
	}
	for (int i = 39; i >= 0; i -= 2)
		cgroup_names_want(h->names, ids[i]);
	for (int i = 0; i < 40; i += 2)
		cgroup_names_want(h->names, ids[i]);
	cgroup_names_resolve(h->names);
	for (int i = 0; i < 40; i++) {
		snprintf(path, sizeof(path), "/a/n%d", i);
		assert_string_equal(cgroup_names_get(h->names, ids[i]), path);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_resolve, hierarchy_setup, hierarchy_teardown),
		cmocka_unit_test_setup_teardown(test_second_resolve, hierarchy_setup,
						hierarchy_teardown),
		cmocka_unit_test_setup_teardown(test_kept_after_removal, hierarchy_setup,
						hierarchy_teardown),
		cmocka_unit_test_setup_teardown(test_root_with_trailing_slash, hierarchy_setup,
						hierarchy_teardown),
		cmocka_unit_test_setup_teardown(test_many, hierarchy_setup, hierarchy_teardown),
	};

	return cmocka_run_group_tests_name("cgroup_names", tests, NULL, NULL);
}
