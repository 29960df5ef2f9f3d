// SPDX-License-Identifier: GPL-2.0
/* The log2 latency histogram: slot bounds, percentiles, merging and both renderings. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "output/hist.h"
#include "output/json_writer.h"

static void test_slot_bounds(void **state)
{
	(void)state;
	assert_int_equal(hist_slot_lo(0), 0);
	assert_int_equal(hist_slot_hi(0), 1);
	assert_int_equal(hist_slot_lo(1), 2);
	assert_int_equal(hist_slot_hi(1), 3);
	assert_int_equal(hist_slot_lo(10), 1024);
	assert_int_equal(hist_slot_hi(10), 2047);
	assert_int_equal(hist_slot_lo(39), 549755813888ULL);
	assert_int_equal(hist_slot_hi(39), 1099511627775ULL);
}

static void test_lat_slot(void **state)
{
	unsigned int slot;

	(void)state;
	assert_int_equal(dt_lat_slot(0), 0);
	assert_int_equal(dt_lat_slot(1), 0);
	assert_int_equal(dt_lat_slot(2), 1);
	assert_int_equal(dt_lat_slot(3), 1);
	assert_int_equal(dt_lat_slot(4), 2);
	assert_int_equal(dt_lat_slot(1023), 9);
	assert_int_equal(dt_lat_slot(1024), 10);
	assert_int_equal(dt_lat_slot(1ULL << 39), 39);
	assert_int_equal(dt_lat_slot(1ULL << 50), 39);
	assert_int_equal(dt_lat_slot(UINT64_MAX), 39);
	/* the bounds hist.c reports are the ones the BPF side buckets by */
	for (slot = 0; slot < DT_LAT_SLOTS; slot++) {
		assert_int_equal(dt_lat_slot(hist_slot_lo(slot)), slot);
		assert_int_equal(dt_lat_slot(hist_slot_hi(slot)), slot);
	}
}

static void test_total(void **state)
{
	__u64 slots[DT_LAT_SLOTS] = { [0] = 1, [10] = 20, [39] = 300 };

	(void)state;
	assert_int_equal(hist_total(slots), 321);
}

static void test_percentile(void **state)
{
	__u64 slots[DT_LAT_SLOTS] = { [10] = 50, [12] = 49, [20] = 1 };

	(void)state;
	assert_int_equal(hist_percentile(slots, 50, 0), 2047);
	assert_int_equal(hist_percentile(slots, 51, 0), 8191);
	assert_int_equal(hist_percentile(slots, 99, 0), 8191);
	assert_int_equal(hist_percentile(slots, 99.9, 0), 2097151);
	assert_int_equal(hist_percentile(slots, 100, 0), 2097151);
	assert_int_equal(hist_percentile(slots, 0.001, 0), 2047);
	/* p outside (0, 100] is clamped to the smallest and the largest sample */
	assert_int_equal(hist_percentile(slots, 1e-12, 0), 2047);
	assert_int_equal(hist_percentile(slots, 0, 0), 2047);
	assert_int_equal(hist_percentile(slots, 150, 0), 2097151);
	assert_int_equal(hist_percentile(slots, NAN, 0), 2047);
}

static void test_percentile_rank_rounds_up(void **state)
{
	__u64 three[DT_LAT_SLOTS] = { [1] = 1, [2] = 1, [3] = 1 };
	/* 90.04 * 10000 / 100 is 9004.000000000002 in doubles, yet rank 9004 is the one meant */
	__u64 noisy[DT_LAT_SLOTS] = { [5] = 9004, [6] = 996 };

	(void)state;
	assert_int_equal(hist_percentile(three, 50, 0), 7);
	assert_int_equal(hist_percentile(three, 33.4, 0), 7);
	assert_int_equal(hist_percentile(three, 33.3, 0), 3);
	assert_int_equal(hist_percentile(noisy, 90.04, 0), 63);
	assert_int_equal(hist_percentile(noisy, 90.05, 0), 127);
}

static void test_percentile_empty(void **state)
{
	__u64 slots[DT_LAT_SLOTS] = { 0 };

	(void)state;
	assert_int_equal(hist_percentile(slots, 50, 0), 0);
	assert_int_equal(hist_percentile(slots, 100, 12345), 0);
}

static void test_percentile_capped_at_max(void **state)
{
	__u64 slots[DT_LAT_SLOTS] = { [10] = 50, [12] = 49, [20] = 1 };
	__u64 catch_all[DT_LAT_SLOTS] = { [39] = 1 };

	(void)state;
	assert_int_equal(hist_percentile(slots, 100, 1500000), 1500000);
	assert_int_equal(hist_percentile(slots, 50, 1500000), 2047);
	/* a maximum above the slot's bound does not raise it */
	assert_int_equal(hist_percentile(slots, 100, 3000000), 2097151);
	/* the catch-all slot's log2 bound is no bound: the real maximum is */
	assert_int_equal(hist_percentile(catch_all, 100, 1ULL << 41), 1ULL << 41);
	assert_int_equal(hist_percentile(catch_all, 100, 0), 1099511627775ULL);
}

static void test_add(void **state)
{
	__u64 into[DT_LAT_SLOTS] = { [0] = 1, [5] = 2 };
	__u64 cpu[DT_LAT_SLOTS] = { [5] = 3, [39] = 4 };
	__u64 expected[DT_LAT_SLOTS] = { [0] = 1, [5] = 5, [39] = 4 };

	(void)state;
	hist_add(into, cpu);
	assert_memory_equal(into, expected, sizeof(expected));
}

static void test_sub_clamps_at_zero(void **state)
{
	__u64 into[DT_LAT_SLOTS] = { [0] = 10, [5] = 2, [7] = 6 };
	__u64 older[DT_LAT_SLOTS] = { [0] = 4, [5] = 3, [9] = 1 };
	__u64 expected[DT_LAT_SLOTS] = { [0] = 6, [7] = 6 };

	(void)state;
	hist_sub(into, older);
	assert_memory_equal(into, expected, sizeof(expected));
}

/* Renders into a string the caller frees. */
static char *print_to_string(const __u64 *slots, __u64 divisor, const char *unit)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	hist_print(out, slots, divisor, unit);
	fclose(out);
	return buf;
}

static void test_print_usecs(void **state)
{
	__u64 slots[DT_LAT_SLOTS] = { [10] = 3, [12] = 12, [13] = 1 };
	char *text = print_to_string(slots, 1000, "usecs");

	(void)state;
	assert_string_equal(
		text,
		"     usecs               : count    distribution\n"
		"         1 -> 2          : 3        |**********                              |\n"
		"         2 -> 4          : 0        |                                        |\n"
		"         4 -> 8          : 12       |****************************************|\n"
		"         8 -> 16         : 1        |****                                    |\n");
	free(text);
}

static void test_print_wide_bounds(void **state)
{
	__u64 slots[DT_LAT_SLOTS] = { [35] = 2, [36] = 1 };
	char *text = print_to_string(slots, 1, "nsecs");

	(void)state;
	assert_string_equal(
		text,
		"       nsecs                 : count    distribution\n"
		" 34359738368 -> 68719476735  : 2        |****************************************|\n"
		" 68719476736 -> 137438953471 : 1        |********************                    |\n");
	free(text);
}

static void test_print_empty(void **state)
{
	__u64 slots[DT_LAT_SLOTS] = { 0 };
	char *text = print_to_string(slots, 1000, "usecs");

	(void)state;
	assert_string_equal(text, "");
	free(text);
}

/* Writes {<buckets>} as one JSON line into a string the caller frees. */
static char *buckets_to_string(const __u64 *slots)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct json_writer *w;

	assert_non_null(out);
	w = json_writer_new(out);
	assert_non_null(w);
	json_object_begin(w);
	hist_json_buckets(w, slots);
	json_object_end(w);
	json_writer_free(w);
	fclose(out);
	return buf;
}

static void test_json_buckets(void **state)
{
	__u64 slots[DT_LAT_SLOTS] = { [0] = 2, [10] = 3, [39] = 1 };
	char *json = buckets_to_string(slots);

	(void)state;
	assert_string_equal(json,
			    "{\"buckets\":[{\"lo_ns\":0,\"hi_ns\":1,\"count\":2},"
			    "{\"lo_ns\":1024,\"hi_ns\":2047,\"count\":3},"
			    "{\"lo_ns\":549755813888,\"hi_ns\":1099511627775,\"count\":1}]}\n");
	free(json);
}

static void test_json_buckets_empty(void **state)
{
	__u64 slots[DT_LAT_SLOTS] = { 0 };
	char *json = buckets_to_string(slots);

	(void)state;
	assert_string_equal(json, "{\"buckets\":[]}\n");
	free(json);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slot_bounds),
		cmocka_unit_test(test_lat_slot),
		cmocka_unit_test(test_total),
		cmocka_unit_test(test_percentile),
		cmocka_unit_test(test_percentile_rank_rounds_up),
		cmocka_unit_test(test_percentile_empty),
		cmocka_unit_test(test_percentile_capped_at_max),
		cmocka_unit_test(test_add),
		cmocka_unit_test(test_sub_clamps_at_zero),
		cmocka_unit_test(test_print_usecs),
		cmocka_unit_test(test_print_wide_bounds),
		cmocka_unit_test(test_print_empty),
		cmocka_unit_test(test_json_buckets),
		cmocka_unit_test(test_json_buckets_empty),
	};

	return cmocka_run_group_tests_name("hist", tests, NULL, NULL);
}
