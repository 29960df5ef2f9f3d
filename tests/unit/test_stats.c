// SPDX-License-Identifier: GPL-2.0
/* Per-CPU merging, the zero test and the interval delta between two snapshots. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <linux/types.h>

#include "engine/stats.h"

/* The order stats_snapshot_read leaves rows in: memcmp of the key. */
static int proc_key_order(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct dt_proc_key));
}

static int file_key_order(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct dt_file_key));
}

static struct proc_row proc(__u32 tgid, const char *comm, __u64 faults, __u64 slot10)
{
	struct proc_row row;

	memset(&row, 0, sizeof(row));
	row.key.tgid = tgid;
	strncpy(row.key.comm, comm, sizeof(row.key.comm) - 1);
	row.stats.count[DT_FAULTS] = faults;
	row.stats.count[DT_PTE] = faults;
	row.stats.lat_slots[10] = slot10;
	row.stats.lat_sum_ns = slot10 * 1500;
	row.stats.lat_max_ns = slot10 ? 2000 : 0;
	return row;
}

static struct file_row file(__u32 dev, __u64 ino, __u64 faults, const char *leaf)
{
	struct file_row row;

	memset(&row, 0, sizeof(row));
	row.key.dev = dev;
	row.key.ino = ino;
	row.stats.count[DT_FAULTS] = faults;
	row.stats.count[DT_PMD] = faults;
	if (leaf) {
		row.has_info = true;
		row.info.dax = 1;
		row.info.depth = 1;
		row.info.complete = 1;
		strncpy(row.info.names[0], leaf, DT_NAME_LEN - 1);
	}
	return row;
}

/* A heap copy of rows, sorted like stats_snapshot_read sorts them. */
static void *sorted_copy(const void *rows, int nr, size_t size,
			 int (*order)(const void *, const void *))
{
	void *copy = calloc(nr + 1, size);

	assert_non_null(copy);
	memcpy(copy, rows, nr * size);
	qsort(copy, nr, size, order);
	return copy;
}

static void test_merge_two_cpus(void **state)
{
	struct dt_stats cpus[2], merged;

	(void)state;
	memset(cpus, 0, sizeof(cpus));
	cpus[0].count[DT_FAULTS] = 3;
	cpus[0].count[DT_READ] = 3;
	cpus[0].lat_sum_ns = 3000;
	cpus[0].lat_max_ns = 1500;
	cpus[0].lat_slots[9] = 1;
	cpus[0].lat_slots[10] = 2;
	cpus[1].count[DT_FAULTS] = 4;
	cpus[1].count[DT_WRITE] = 4;
	cpus[1].count[DT_COW_BYTES] = 1ULL << 40;
	cpus[1].lat_sum_ns = 40000;
	cpus[1].lat_max_ns = 20000;
	cpus[1].lat_slots[10] = 1;
	cpus[1].lat_slots[14] = 3;
	memset(&merged, 0xaa, sizeof(merged)); /* overwritten, not added to */

	stats_merge_cpus(&merged, cpus, 2);
	assert_int_equal(merged.count[DT_FAULTS], 7);
	assert_int_equal(merged.count[DT_READ], 3);
	assert_int_equal(merged.count[DT_WRITE], 4);
	assert_int_equal(merged.count[DT_COW_BYTES], 1ULL << 40);
	assert_int_equal(merged.count[DT_PTE], 0);
	assert_int_equal(merged.count[DT_REMAPS], 0);
	assert_int_equal(merged.lat_sum_ns, 43000);
	assert_int_equal(merged.lat_max_ns, 20000);
	assert_int_equal(merged.lat_slots[9], 1);
	assert_int_equal(merged.lat_slots[10], 3);
	assert_int_equal(merged.lat_slots[14], 3);
	assert_int_equal(merged.lat_slots[0], 0);
	assert_int_equal(merged.lat_slots[39], 0);
}

static void test_merge_four_cpus(void **state)
{
	struct dt_stats cpus[4], merged, expected;

	(void)state;
	memset(cpus, 0, sizeof(cpus));
	memset(&expected, 0, sizeof(expected));
	for (int cpu = 0; cpu < 4; cpu++) {
		for (int c = 0; c < DT_NR_COUNTERS; c++)
			cpus[cpu].count[c] = (cpu + 1) * 100 + c;
		for (int s = 0; s < DT_LAT_SLOTS; s++)
			cpus[cpu].lat_slots[s] = cpu * s;
		cpus[cpu].lat_sum_ns = 1000 * (cpu + 1);
	}
	/* the largest maximum on a middle CPU, not the last */
	cpus[0].lat_max_ns = 10;
	cpus[1].lat_max_ns = 99999;
	cpus[2].lat_max_ns = 5;
	cpus[3].lat_max_ns = 0;
	for (int c = 0; c < DT_NR_COUNTERS; c++)
		expected.count[c] = 1000 + 4 * c;
	for (int s = 0; s < DT_LAT_SLOTS; s++)
		expected.lat_slots[s] = 6 * s;
	expected.lat_sum_ns = 10000;
	expected.lat_max_ns = 99999;

	stats_merge_cpus(&merged, cpus, 4);
	assert_memory_equal(&merged, &expected, sizeof(expected));
}

static void test_merge_three_cpus_and_fewer(void **state)
{
	struct dt_stats cpus[3], merged;

	(void)state;
	memset(cpus, 0, sizeof(cpus));
	cpus[0].count[DT_SIGBUS] = 1;
	cpus[1].count[DT_SIGBUS] = 2;
	cpus[2].count[DT_SIGBUS] = 4;
	cpus[2].lat_max_ns = 7;
	stats_merge_cpus(&merged, cpus, 3);
	assert_int_equal(merged.count[DT_SIGBUS], 7);
	assert_int_equal(merged.lat_max_ns, 7);
	/* only the CPUs asked for */
	stats_merge_cpus(&merged, cpus, 2);
	assert_int_equal(merged.count[DT_SIGBUS], 3);
	assert_int_equal(merged.lat_max_ns, 0);
	stats_merge_cpus(&merged, cpus, 0);
	assert_true(stats_is_zero(&merged));
	assert_int_equal(merged.count[DT_SIGBUS], 0);
}

static void test_add(void **state)
{
	struct dt_stats into, add;

	(void)state;
	memset(&into, 0, sizeof(into));
	memset(&add, 0, sizeof(add));
	into.count[DT_FAULTS] = 5;
	into.count[DT_MKWRITE] = 1;
	into.lat_sum_ns = 100;
	into.lat_max_ns = 900;
	into.lat_slots[3] = 2;
	add.count[DT_FAULTS] = 6;
	add.count[DT_REMAPS] = 2;
	add.lat_sum_ns = 50;
	add.lat_max_ns = 400;
	add.lat_slots[3] = 1;
	add.lat_slots[39] = 8;

	stats_add(&into, &add);
	assert_int_equal(into.count[DT_FAULTS], 11);
	assert_int_equal(into.count[DT_MKWRITE], 1);
	assert_int_equal(into.count[DT_REMAPS], 2);
	assert_int_equal(into.lat_sum_ns, 150);
	assert_int_equal(into.lat_max_ns, 900); /* the larger one stays */
	assert_int_equal(into.lat_slots[3], 3);
	assert_int_equal(into.lat_slots[39], 8);
	/* add is only read */
	assert_int_equal(add.count[DT_FAULTS], 6);
	add.lat_max_ns = 901;
	stats_add(&into, &add);
	assert_int_equal(into.lat_max_ns, 901);
	assert_int_equal(into.count[DT_FAULTS], 17);
}

static void test_is_zero(void **state)
{
	struct dt_stats stats;

	(void)state;
	memset(&stats, 0, sizeof(stats));
	assert_true(stats_is_zero(&stats));
	/* a maximum is carried over intervals, it is no movement */
	stats.lat_max_ns = 12345;
	assert_true(stats_is_zero(&stats));
	stats.count[DT_REMAPS] = 1;
	assert_false(stats_is_zero(&stats));
	stats.count[DT_REMAPS] = 0;
	stats.count[DT_FAULTS] = 1;
	assert_false(stats_is_zero(&stats));
	stats.count[DT_FAULTS] = 0;
	stats.lat_slots[39] = 1;
	assert_false(stats_is_zero(&stats));
	stats.lat_slots[39] = 0;
	stats.lat_slots[0] = 1;
	assert_false(stats_is_zero(&stats));
}

static void test_delta_procs(void **state)
{
	/* 1 and 256 differ in byte order: memcmp puts 256 (00 01 ..) before 1 (01 00 ..) */
	struct proc_row before_rows[] = {
		proc(1, "init", 10, 4),	  proc(256, "dd", 100, 50), proc(300, "fio", 7, 0),
		proc(4000, "gone", 5, 5), proc(256, "bash", 3, 0),
	};
	struct proc_row now_rows[] = {
		proc(1, "init", 10, 4), /* did not move */
		proc(256, "dd", 130, 60), /* moved */
		proc(300, "fio", 9, 0), /* moved, counts only */
		proc(77, "new", 2, 1), /* new */
		proc(256, "bash", 3, 0), /* same tgid, other comm: its own row, did not move */
	};
	struct stats_snapshot before = { 0 }, now = { 0 }, delta;
	const struct proc_row *row;

	(void)state;
	now_rows[1].stats.lat_max_ns = 777777; /* kept from now */
	before.procs = sorted_copy(before_rows, 5, sizeof(struct proc_row), proc_key_order);
	before.nr_procs = 5;
	now.procs = sorted_copy(now_rows, 5, sizeof(struct proc_row), proc_key_order);
	now.nr_procs = 5;

	assert_int_equal(stats_snapshot_delta(&delta, &now, &before), 0);
	assert_int_equal(delta.nr_procs, 3);
	assert_int_equal(delta.nr_files, 0);

	/* key bytes: 256 "dd" is 00 01 .., 300 is 2c 01 .., 77 is 4d 00 .. */
	row = &delta.procs[0];
	assert_int_equal(row->key.tgid, 256);
	assert_string_equal(row->key.comm, "dd");
	assert_int_equal(row->stats.count[DT_FAULTS], 30);
	assert_int_equal(row->stats.count[DT_PTE], 30);
	assert_int_equal(row->stats.lat_slots[10], 10);
	assert_int_equal(row->stats.lat_sum_ns, 15000);
	assert_int_equal(row->stats.lat_max_ns, 777777);

	row = &delta.procs[1];
	assert_int_equal(row->key.tgid, 300);
	assert_string_equal(row->key.comm, "fio");
	assert_int_equal(row->stats.count[DT_FAULTS], 2);
	assert_int_equal(row->stats.lat_slots[10], 0);

	row = &delta.procs[2];
	assert_int_equal(row->key.tgid, 77);
	assert_string_equal(row->key.comm, "new");
	assert_int_equal(row->stats.count[DT_FAULTS], 2);
	assert_int_equal(row->stats.lat_slots[10], 1);
	assert_int_equal(row->stats.lat_sum_ns, 1500);
	assert_int_equal(row->stats.lat_max_ns, 2000);

	stats_snapshot_free(&delta);
	assert_null(delta.procs);
	assert_null(delta.files);
	stats_snapshot_free(&now);
	stats_snapshot_free(&before);
}

static void test_delta_files(void **state)
{
	const __u32 pmem0 = 259U << 20, pmem1 = 259U << 20 | 1, sda = 8U << 20 | 1;
	struct file_row before_rows[] = {
		file(pmem0, 12, 4, "a"),
		file(pmem0, 13, 8, "b"),
		file(sda, 12, 1, NULL),
	};
	struct file_row now_rows[] = {
		file(pmem0, 12, 4, "a"), /* did not move */
		file(pmem0, 13, 11, "b"), /* moved */
		file(sda, 12, 6, NULL), /* moved, no names */
		file(pmem1, 12, 2, "c"), /* new, same ino on another device */
	};
	struct stats_snapshot before = { 0 }, now = { 0 }, delta;
	const struct file_row *row;

	(void)state;
	before.files = sorted_copy(before_rows, 3, sizeof(struct file_row), file_key_order);
	before.nr_files = 3;
	now.files = sorted_copy(now_rows, 4, sizeof(struct file_row), file_key_order);
	now.nr_files = 4;

	assert_int_equal(stats_snapshot_delta(&delta, &now, &before), 0);
	assert_int_equal(delta.nr_procs, 0);
	assert_int_equal(delta.nr_files, 3);
	/* memcmp order of {dev, pad, ino}: pmem0 is 00 00 30 10, pmem1 01 00 30 10, sda 01 00 80 00 */
	row = &delta.files[0];
	assert_int_equal(row->key.dev, pmem0);
	assert_int_equal(row->key.ino, 13);
	assert_int_equal(row->stats.count[DT_FAULTS], 3);
	assert_int_equal(row->stats.count[DT_PMD], 3);
	assert_true(row->has_info);
	assert_int_equal(row->info.complete, 1);
	assert_string_equal(row->info.names[0], "b");

	row = &delta.files[1];
	assert_int_equal(row->key.dev, pmem1);
	assert_int_equal(row->key.ino, 12);
	assert_int_equal(row->stats.count[DT_FAULTS], 2);
	assert_true(row->has_info);
	assert_string_equal(row->info.names[0], "c");

	row = &delta.files[2];
	assert_int_equal(row->key.dev, sda);
	assert_int_equal(row->key.ino, 12);
	assert_int_equal(row->stats.count[DT_FAULTS], 5);
	assert_int_equal(row->stats.count[DT_PMD], 5);
	assert_false(row->has_info);

	stats_snapshot_free(&delta);
	stats_snapshot_free(&now);
	stats_snapshot_free(&before);
}

static void test_delta_totals_and_health(void **state)
{
	struct stats_snapshot before = { 0 }, now = { 0 }, delta;

	(void)state;
	before.total.count[DT_FAULTS] = 100;
	before.total.count[DT_NOPAGE] = 90;
	before.total.count[DT_COW_BYTES] = 4096;
	before.total.lat_sum_ns = 100000;
	before.total.lat_max_ns = 5000;
	before.total.lat_slots[10] = 100;
	before.health[DT_HEALTH_PROC_INSERTS] = 3;
	before.health[DT_HEALTH_FILE_INSERTS] = 10;
	before.health[DT_HEALTH_MAP_FULL] = 1;
	before.evicted = 2;

	now.total = before.total;
	now.total.count[DT_FAULTS] = 150;
	now.total.count[DT_NOPAGE] = 90;
	now.total.count[DT_COW_BYTES] = 3 * 4096;
	now.total.lat_sum_ns = 180000;
	now.total.lat_max_ns = 64000;
	now.total.lat_slots[10] = 140;
	now.total.lat_slots[15] = 10;
	now.health[DT_HEALTH_PROC_INSERTS] = 5;
	now.health[DT_HEALTH_FILE_INSERTS] = 10;
	now.health[DT_HEALTH_MAP_FULL] = 4;
	now.health[DT_HEALTH_LAT_UNMATCHED] = 2;
	now.evicted = 9;

	assert_int_equal(stats_snapshot_delta(&delta, &now, &before), 0);
	assert_int_equal(delta.total.count[DT_FAULTS], 50);
	assert_int_equal(delta.total.count[DT_NOPAGE], 0);
	assert_int_equal(delta.total.count[DT_COW_BYTES], 2 * 4096);
	assert_int_equal(delta.total.count[DT_SIGBUS], 0);
	assert_int_equal(delta.total.lat_sum_ns, 80000);
	assert_int_equal(delta.total.lat_max_ns, 64000);
	assert_int_equal(delta.total.lat_slots[10], 40);
	assert_int_equal(delta.total.lat_slots[15], 10);
	assert_int_equal(delta.health[DT_HEALTH_PROC_INSERTS], 2);
	assert_int_equal(delta.health[DT_HEALTH_FILE_INSERTS], 0);
	assert_int_equal(delta.health[DT_HEALTH_MAP_FULL], 3);
	assert_int_equal(delta.health[DT_HEALTH_LAT_UNMATCHED], 2);
	assert_int_equal(delta.evicted, 7);
	assert_int_equal(delta.nr_procs, 0);
	assert_int_equal(delta.nr_files, 0);
	/* the inputs are only read */
	assert_int_equal(now.total.count[DT_FAULTS], 150);
	assert_int_equal(before.total.count[DT_FAULTS], 100);
	stats_snapshot_free(&delta);
}

static void test_delta_max_kept_from_now(void **state)
{
	struct proc_row before_row = proc(42, "app", 10, 10);
	struct proc_row now_row = proc(42, "app", 11, 10);
	struct stats_snapshot before = { 0 }, now = { 0 }, delta;

	(void)state;
	before_row.stats.lat_max_ns = 90000;
	now_row.stats.lat_max_ns = 90000; /* no new maximum in this interval */
	now.total.lat_max_ns = 90000;
	before.total.lat_max_ns = 90000;
	before.procs = &before_row;
	before.nr_procs = 1;
	now.procs = &now_row;
	now.nr_procs = 1;

	assert_int_equal(stats_snapshot_delta(&delta, &now, &before), 0);
	assert_int_equal(delta.total.lat_max_ns, 90000);
	assert_int_equal(delta.nr_procs, 1);
	assert_int_equal(delta.procs[0].stats.count[DT_FAULTS], 1);
	assert_int_equal(delta.procs[0].stats.lat_slots[10], 0);
	assert_int_equal(delta.procs[0].stats.lat_sum_ns, 0);
	assert_int_equal(delta.procs[0].stats.lat_max_ns, 90000);
	stats_snapshot_free(&delta);
}

static void test_delta_empty(void **state)
{
	struct stats_snapshot before = { 0 }, now = { 0 }, delta;
	struct proc_row row = proc(9, "x", 1, 0);

	(void)state;
	assert_int_equal(stats_snapshot_delta(&delta, &now, &before), 0);
	assert_non_null(delta.procs);
	assert_non_null(delta.files);
	assert_int_equal(delta.nr_procs, 0);
	assert_int_equal(delta.nr_files, 0);
	assert_true(stats_is_zero(&delta.total));
	stats_snapshot_free(&delta);

	/* the first interval: everything in now is new */
	now.procs = &row;
	now.nr_procs = 1;
	assert_int_equal(stats_snapshot_delta(&delta, &now, &before), 0);
	assert_int_equal(delta.nr_procs, 1);
	assert_memory_equal(&delta.procs[0], &row, sizeof(row));
	stats_snapshot_free(&delta);
}

static void test_delta_identical(void **state)
{
	struct proc_row procs[] = { proc(1, "a", 5, 1), proc(2, "b", 6, 2) };
	struct file_row files[] = { file(1, 1, 3, "f") };
	struct stats_snapshot snap = { 0 }, delta;

	(void)state;
	snap.procs = sorted_copy(procs, 2, sizeof(struct proc_row), proc_key_order);
	snap.nr_procs = 2;
	snap.files = files;
	snap.nr_files = 1;
	snap.total.count[DT_FAULTS] = 14;
	snap.total.lat_max_ns = 2000;
	snap.health[DT_HEALTH_FILE_INSERTS] = 1;
	assert_int_equal(stats_snapshot_delta(&delta, &snap, &snap), 0);
	assert_int_equal(delta.nr_procs, 0);
	assert_int_equal(delta.nr_files, 0);
	assert_true(stats_is_zero(&delta.total));
	assert_int_equal(delta.total.lat_max_ns, 2000);
	assert_int_equal(delta.health[DT_HEALTH_FILE_INSERTS], 0);
	stats_snapshot_free(&delta);
	free(snap.procs);
}

/*
 * "evicted" is inserts - rows, two readings that are not one instant: an estimate that can dip
 * below the one before. A dip must not become a delta below zero (it printed as a u64 of
 * nearly 2^64 in the soak), and the reports must still sum to the largest estimate.
 */
static void test_delta_evicted_never_goes_back(void **state)
{
	__u64 estimates[] = { 5, 4, 6, 6, 2, 9 };
	struct stats_snapshot before = { 0 }, now = { 0 }, delta;
	__u64 sum = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(estimates) / sizeof(estimates[0]); i++) {
		now.evicted = estimates[i];
		stats_snapshot_carry(&now, &before);
		assert_int_equal(stats_snapshot_delta(&delta, &now, &before), 0);
		assert_true(delta.evicted <= 9);
		sum += delta.evicted;
		stats_snapshot_free(&delta);
		before.evicted = now.evicted;
	}
	assert_int_equal(sum, 9);
	assert_int_equal(before.evicted, 9);

	/* Without the carry, a dip is a zero delta, not a wrapped one. */
	before.evicted = 7;
	now.evicted = 3;
	assert_int_equal(stats_snapshot_delta(&delta, &now, &before), 0);
	assert_int_equal(delta.evicted, 0);
	stats_snapshot_free(&delta);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge_two_cpus),
		cmocka_unit_test(test_merge_four_cpus),
		cmocka_unit_test(test_merge_three_cpus_and_fewer),
		cmocka_unit_test(test_add),
		cmocka_unit_test(test_is_zero),
		cmocka_unit_test(test_delta_procs),
		cmocka_unit_test(test_delta_files),
		cmocka_unit_test(test_delta_totals_and_health),
		cmocka_unit_test(test_delta_max_kept_from_now),
		cmocka_unit_test(test_delta_empty),
		cmocka_unit_test(test_delta_identical),
		cmocka_unit_test(test_delta_evicted_never_goes_back),
	};

	return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
