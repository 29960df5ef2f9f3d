// SPDX-License-Identifier: GPL-2.0
/* The census summary: owner histogram, files, pairs, index overrides, and anomaly wording. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <linux/types.h>

#include "cmd/share_render.h"
#include "engine/census.h"

#define DEV 0x10300001u /* 259:1 */

/* A record with the owners given as (ino, index) pairs; slot order as given. */
static struct dt_pfn_owners record(__u32 order, int nr, const __u64 owners[][2])
{
	struct dt_pfn_owners r;

	memset(&r, 0, sizeof(r));
	r.order = order;
	r.owners = nr;
	for (int i = 0; i < nr && i < DT_SHARE_SLOTS; i++) {
		r.slot[i].ino = owners[i][0];
		r.slot[i].index = owners[i][1];
		r.slot[i].dev = DEV;
	}
	return r;
}

/* A and B share pages 0..2 at the same index; C holds page 0 at index 64; B has page 9 alone. */
static void test_histogram_pairs_and_indexes(void **state)
{
	const __u64 abc[][2] = { { 11, 0 }, { 12, 0 }, { 13, 64 } };
	const __u64 ab1[][2] = { { 11, 1 }, { 12, 1 } };
	const __u64 ab2[][2] = { { 12, 2 }, { 11, 2 } };
	const __u64 b9[][2] = { { 12, 9 } };
	struct dt_pfn_owners records[] = {
		record(0, 3, abc),
		record(0, 2, ab1),
		record(0, 2, ab2),
		record(0, 1, b9),
	};
	struct census c;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(census_build(&c, records, 4), 0);
	assert_int_equal(c.pfns, 4);
	assert_int_equal(c.owners_hist[1], 1);
	assert_int_equal(c.owners_hist[2], 2);
	assert_int_equal(c.owners_hist[3], 1);
	assert_int_equal(c.shared_pfns, 3);
	assert_int_equal(c.shared_bytes, 3 * 4096);
	assert_int_equal(c.owner_entries, 8);
	assert_int_equal(c.extra_owners, 4);
	assert_int_equal(c.index_differs, 1);
	assert_int_equal(c.index_overrides, 1); /* C's index, against the common 0 */
	assert_int_equal(c.nr_files, 3);
	assert_int_equal(c.files[0].id.ino, 11);
	assert_int_equal(c.files[0].pfns, 3);
	assert_int_equal(c.files[1].id.ino, 12);
	assert_int_equal(c.files[1].pfns, 4);
	assert_int_equal(c.files[1].shared_pfns, 3);
	assert_int_equal(c.nr_pairs, 3);
	/* Most shared first: (A,B) 3, then (A,C) and (B,C) 1 each, by file id. */
	assert_int_equal(c.pairs[0].a.ino, 11);
	assert_int_equal(c.pairs[0].b.ino, 12);
	assert_int_equal(c.pairs[0].shared_pfns, 3);
	assert_int_equal(c.pairs[1].a.ino, 11);
	assert_int_equal(c.pairs[1].b.ino, 13);
	assert_int_equal(c.pairs[2].a.ino, 12);
	assert_int_equal(c.pairs[2].b.ino, 13);
	assert_int_equal(c.pairs[2].shared_bytes, 4096);
	/* the exporter's shared pages by device: the three shared units, B's own page not */
	assert_int_equal(c.nr_devs, 1);
	assert_int_equal(c.devs[0].dev, DEV);
	assert_int_equal(c.devs[0].shared_pfns, 3);
	census_free(&c);
}

/* A PMD entry is one unit of 2 MiB; a file owning one pfn at two indexes is one file. */
static void test_pmd_unit_and_same_file_twice(void **state)
{
	const __u64 pq[][2] = { { 21, 512 }, { 22, 512 } };
	const __u64 self[][2] = { { 23, 0 }, { 23, 8 } };
	struct dt_pfn_owners records[] = { record(9, 2, pq), record(0, 2, self) };
	struct census c;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(census_build(&c, records, 2), 0);
	assert_int_equal(c.shared_pfns, 2);
	assert_int_equal(c.shared_bytes, (2 << 20) + 4096);
	assert_int_equal(c.index_differs, 1);
	assert_int_equal(c.index_overrides, 1);
	assert_int_equal(c.nr_pairs, 1); /* (21, 22); 23 with itself is no pair */
	assert_int_equal(c.pairs[0].shared_bytes, 2 << 20);
	census_free(&c);
}

/* More owners than slots are counted and reported as unlisted; a record at 0 is skipped. */
static void test_unlisted_and_empty(void **state)
{
	__u64 many[DT_SHARE_SLOTS][2];
	struct dt_pfn_owners records[2];
	struct census c;

	(void)state;
	for (int i = 0; i < DT_SHARE_SLOTS; i++) {
		many[i][0] = 100 + i;
		many[i][1] = 7;
	}
	records[0] = record(0, DT_SHARE_SLOTS, many);
	records[0].owners = DT_SHARE_SLOTS + 3;
	records[1] = record(0, 0, many);
	memset(&c, 0, sizeof(c));
	assert_int_equal(census_build(&c, records, 2), 0);
	assert_int_equal(c.pfns, 1);
	assert_int_equal(c.owners_hist[DT_SHARE_SLOTS + 3], 1);
	assert_int_equal(c.unlisted_owners, 3);
	assert_int_equal(c.index_differs, 0);
	census_free(&c);
}

/* No record at all (nothing shared yet): an empty census, no file, no pair. */
static void test_no_records(void **state)
{
	struct census c;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(census_build(&c, NULL, 0), 0);
	assert_int_equal(c.pfns, 0);
	assert_int_equal(c.nr_files, 0);
	assert_int_equal(c.nr_pairs, 0);
	census_free(&c);
}

static void test_anomaly_explanations(void **state)
{
	struct dt_anomaly read_share = {
		.owners = 2, .kernel_count = 1, .layout = DT_LAYOUT_V61, .kernel_state = DT_KS_OWNER
	};
	struct dt_anomaly missed_leave = { .owners = 2,
					   .kernel_count = 1,
					   .layout = DT_LAYOUT_V615,
					   .kernel_state = DT_KS_OWNER };
	struct dt_anomaly unseen_owner = { .owners = 1,
					   .kernel_count = 2,
					   .layout = DT_LAYOUT_V62,
					   .kernel_state = DT_KS_SHARED };

	(void)state;
	assert_string_equal(share_anomaly_explanation(&read_share, false),
			    "kernel: v6.0-v6.1 marks a page shared only on a COW write; a read "
			    "fault's dax_associate_entry() replaced ->mapping instead");
	assert_non_null(strstr(share_anomaly_explanation(&missed_leave, false), "not seen"));
	assert_non_null(strstr(share_anomaly_explanation(&unseen_owner, false), "--snapshot"));
	assert_null(strstr(share_anomaly_explanation(&unseen_owner, true), "--snapshot"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_histogram_pairs_and_indexes),
		cmocka_unit_test(test_pmd_unit_and_same_file_twice),
		cmocka_unit_test(test_unlisted_and_empty),
		cmocka_unit_test(test_no_records),
		cmocka_unit_test(test_anomaly_explanations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
