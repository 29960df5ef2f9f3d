// SPDX-License-Identifier: GPL-2.0
/* mapuse aggregation: per site, stacks, processes and files, and the page_owner/fs split. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "engine/mapuse_report.h"

static struct dt_mapuse_key key(__u32 site, __s32 stackid, __u32 tgid, const char *comm, __u64 ino)
{
	struct dt_mapuse_key k;

	memset(&k, 0, sizeof(k));
	k.site = site;
	k.stackid = stackid;
	k.tgid = tgid;
	k.dev = ino ? 0x10300000 : 0;
	k.ino = ino;
	strncpy(k.comm, comm, sizeof(k.comm) - 1);
	return k;
}

static void test_build(void **state)
{
	struct dt_mapuse_key keys[] = {
		key(DT_SITE_DAX_LOCK_FOLIO, 7, 100, "poison", 0), /* shared page: no file */
		key(DT_SITE_DAX_LOCK_FOLIO, 7, 101, "poison", 12),
		key(DT_SITE_DAX_LOCK_FOLIO, 9, 101, "poison", 12),
		key(DT_SITE_MF_DAX_KILL_PROCS, 3, 102, "poison", 12),
		key(DT_SITE_MF_DAX_KILL_PROCS, 3, 102, "poison", 13),
		key(DT_NR_MAPUSE_SITES, 1, 1, "bogus", 1), /* unknown site: ignored */
	};
	struct dt_mapuse_value values[] = { { 1, 1 }, { 2, 0 }, { 5, 0 },
					    { 1, 0 }, { 1, 0 }, { 9, 9 } };
	struct mapuse_report r;
	const struct mapuse_site *lock = &r.sites[DT_SITE_DAX_LOCK_FOLIO];
	const struct mapuse_site *rmap = &r.sites[DT_SITE_MF_DAX_KILL_PROCS];

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(mapuse_report_build(&r, keys, values, 6), 0);
	assert_int_equal(r.total, 8);
	assert_int_equal(r.shared, 1);
	assert_int_equal(r.fs_reverse_lookups, 2);
	assert_int_equal(lock->count, 8);
	assert_int_equal(lock->shared, 1);
	assert_int_equal(lock->nr_stacks, 2);
	assert_int_equal(lock->stacks[0].stackid, 9); /* 5 uses before 3 */
	assert_int_equal(lock->stacks[0].count, 5);
	assert_int_equal(lock->stacks[1].count, 3);
	assert_int_equal(lock->nr_procs, 2);
	assert_int_equal(lock->procs[0].tgid, 101);
	assert_int_equal(lock->procs[0].count, 7);
	assert_string_equal(lock->procs[0].comm, "poison");
	assert_int_equal(lock->nr_files, 2);
	assert_int_equal(lock->files[0].ino, 12);
	assert_int_equal(lock->files[1].dev, 0);
	assert_int_equal(rmap->nr_files, 2);
	assert_int_equal(rmap->nr_stacks, 1);
	assert_true(mapuse_site_is_fs_reverse(DT_SITE_LAYOUT_BUSY));
	assert_false(mapuse_site_is_fs_reverse(DT_SITE_FOLIO_MAPPING));
	assert_string_equal(mapuse_site_name(DT_SITE_DAX_LOCK_PAGE), "dax_lock_page");
	mapuse_report_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
