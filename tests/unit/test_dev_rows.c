// SPDX-License-Identifier: GPL-2.0
/* The exporter's per-device rows: rows of (device, cgroup) summed over the cgroups. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <linux/types.h>

#include "daxtrace.h"
#include "engine/dev_rows.h"

#define PMEM0 DT_MKDEV(259, 0)
#define PMEM1 DT_MKDEV(259, 1)

/* A row whose every field is told from the others by base; lat_max_ns given. */
static struct dev_row row(__u32 dev, __u64 cgroup, __u64 base, __u64 lat_max_ns)
{
	struct dev_row r;

	memset(&r, 0, sizeof(r));
	r.key.dev = dev;
	r.key.cgroup = cgroup;
	for (int c = 0; c < DT_NR_COUNTERS; c++)
		r.stats.stats.count[c] = base + c;
	for (int f = 0; f < DT_NR_FALLBACK_REASONS; f++)
		r.stats.stats.fallback_reasons[f] = base * 10 + f;
	r.stats.stats.lat_sum_ns = base * 1000;
	r.stats.stats.lat_max_ns = lat_max_ns;
	for (int s = 0; s < DT_LAT_SLOTS; s++)
		r.stats.stats.lat_slots[s] = base * 2 + s;
	for (int k = 0; k < DT_NR_FAULT_CLASSES; k++)
		r.stats.faults[k] = base * 100 + k;
	return r;
}

/* The sum of n rows made with bases summing to bases. */
static void assert_sum(const struct dev_row *r, __u32 dev, int n, __u64 bases, __u64 lat_max_ns)
{
	const struct dt_stats *s = &r->stats.stats;

	assert_int_equal(r->key.dev, dev);
	assert_int_equal(r->key.pad, 0);
	assert_int_equal(r->key.cgroup, 0);
	for (int c = 0; c < DT_NR_COUNTERS; c++)
		assert_int_equal(s->count[c], bases + (__u64)n * c);
	for (int f = 0; f < DT_NR_FALLBACK_REASONS; f++)
		assert_int_equal(s->fallback_reasons[f], bases * 10 + (__u64)n * f);
	assert_int_equal(s->lat_sum_ns, bases * 1000);
	assert_int_equal(s->lat_max_ns, lat_max_ns);
	for (int l = 0; l < DT_LAT_SLOTS; l++)
		assert_int_equal(s->lat_slots[l], bases * 2 + (__u64)n * l);
	for (int k = 0; k < DT_NR_FAULT_CLASSES; k++)
		assert_int_equal(r->stats.faults[k], bases * 100 + (__u64)n * k);
}

static void test_summed_per_device(void **state)
{
	struct dev_row in[] = {
		row(PMEM0, 1, 1, 700), row(PMEM0, 2, 2, 9000), row(PMEM0, DT_CGROUP_OTHER, 3, 50),
		row(PMEM1, 7, 10, 5),  row(PMEM1, 8, 20, 4),
	};
	struct dev_rows rows = { in, 5 }, out;

	(void)state;
	assert_int_equal(dev_rows_by_device(&rows, &out), 0);
	assert_int_equal(out.nr, 2);
	/* the maximum latency is the largest, not the sum (9750) */
	assert_sum(&out.rows[0], PMEM0, 3, 1 + 2 + 3, 9000);
	assert_sum(&out.rows[1], PMEM1, 2, 10 + 20, 5);
	/* the input is left alone */
	assert_int_equal(in[0].stats.stats.count[DT_FAULTS], 1);
	assert_int_equal(in[0].key.cgroup, 1);
	dev_rows_free(&out);
	assert_null(out.rows);
	assert_int_equal(out.nr, 0);
}

/* Without --cgroup-labels each device has one row (cgroup 0): it comes out as it went in. */
static void test_one_row_per_device(void **state)
{
	/* sorted by the kernel's dev_t: 7:0 before 259:0 */
	struct dev_row in[] = {
		row(DT_MKDEV(7, 0), 0, 6, 1),
		row(PMEM0, 0, 4, 123),
		row(PMEM1, 0, 5, 0),
	};
	struct dev_rows rows = { in, 3 }, out;

	(void)state;
	assert_int_equal(dev_rows_by_device(&rows, &out), 0);
	assert_int_equal(out.nr, 3);
	assert_sum(&out.rows[0], DT_MKDEV(7, 0), 1, 6, 1);
	assert_sum(&out.rows[1], PMEM0, 1, 4, 123);
	assert_sum(&out.rows[2], PMEM1, 1, 5, 0);
	dev_rows_free(&out);
}

static void test_empty(void **state)
{
	struct dev_rows rows = { NULL, 0 }, out;

	(void)state;
	memset(&out, 0xff, sizeof(out));
	assert_int_equal(dev_rows_by_device(&rows, &out), 0);
	assert_int_equal(out.nr, 0);
	assert_non_null(out.rows);
	dev_rows_free(&out);
	assert_null(out.rows);
	assert_int_equal(out.nr, 0);
	dev_rows_free(&out); /* twice: nothing left to free */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_summed_per_device),
		cmocka_unit_test(test_one_row_per_device),
		cmocka_unit_test(test_empty),
	};

	return cmocka_run_group_tests_name("dev_rows", tests, NULL, NULL);
}
