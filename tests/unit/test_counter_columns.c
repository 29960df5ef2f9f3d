// SPDX-License-Identifier: GPL-2.0
/*
 * The columns of top and cow (cmd/counter_columns.c): which fit a width by the command's
 * priority, --columns parsed, values as the table prints them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <linux/types.h>

#include "cmd/counter_columns.h"
#include "cmd/counter_command.h"

/* The widths: faults 7, pte 7, fallback 8, cow_bytes 11; a latency 8. */
static void test_widths(void **state)
{
	(void)state;
	assert_int_equal(column_width(DT_FAULTS), 7);
	assert_int_equal(column_width(DT_FALLBACK), 8);
	assert_int_equal(column_width(DT_COW_BYTES), 11);
	assert_int_equal(column_width(DT_FLUSH_PAGES), 11);
	assert_int_equal(column_width(COLUMN_P99_US), 8);
	assert_int_equal(column_width(COLUMN_COW_AVG_US), 10);
	assert_string_equal(column_name(COLUMN_MAX_US), "max_us");
}

/*
 * 21 + 8 (faults) + 8 (pte) + 8 (pmd) + 9 (fallback) + 8 (mkwrite) = 62 cells: in 62 columns
 * those five fit, in top's priority, and come out in the order asked for; in 61, four.
 */
static void test_fit_by_priority(void **state)
{
	int shown[MAX_COLUMNS], used, nr;

	(void)state;
	nr = columns_fit(&top_command, top_command.columns, top_command.nr_columns, 62, 21, shown,
			 &used);
	assert_int_equal(nr, 5);
	assert_int_equal(used, 62);
	assert_int_equal(shown[0], DT_FAULTS);
	assert_int_equal(shown[1], DT_PTE);
	assert_int_equal(shown[2], DT_PMD);
	assert_int_equal(shown[3], DT_FALLBACK);
	assert_int_equal(shown[4], DT_MKWRITE);
	nr = columns_fit(&top_command, top_command.columns, top_command.nr_columns, 61, 21, shown,
			 &used);
	assert_int_equal(nr, 4);
	assert_int_equal(used, 54);
	/* every column of top fits in 200: 21 + 16 counters + 4 latencies */
	nr = columns_fit(&top_command, top_command.columns, top_command.nr_columns, 200, 21, shown,
			 &used);
	assert_int_equal(nr, top_command.nr_columns);
}

static void test_parse(void **state)
{
	int columns[MAX_COLUMNS];

	(void)state;
	assert_int_equal(columns_parse(&top_command, "mkwrite,faults,p99_us", columns), 3);
	assert_int_equal(columns[0], DT_MKWRITE);
	assert_int_equal(columns[1], DT_FAULTS);
	assert_int_equal(columns[2], COLUMN_P99_US);
	assert_int_equal(columns_parse(&cow_command, "cow_avg_us", columns), 1);
	/* a counter that is not one of the command's columns, an empty name, a repeat */
	assert_int_equal(columns_parse(&top_command, "clones", columns), -1);
	assert_int_equal(columns_parse(&top_command, "faults,", columns), -1);
	assert_int_equal(columns_parse(&top_command, "pte,pte", columns), -1);
	assert_int_equal(columns_parse(&cow_command, "p99_us", columns), -1);
}

static void test_values(void **state)
{
	struct dt_stats stats = { 0 };
	char buf[32];

	(void)state;
	stats.count[DT_FAULTS] = 1234567;
	stats.count[DT_COW_TIMED] = 4;
	stats.count[DT_COW_LAT_NS] = 10000;
	column_value(DT_FAULTS, &stats, buf, sizeof(buf));
	assert_string_equal(buf, "1234567");
	column_value(COLUMN_COW_AVG_US, &stats, buf, sizeof(buf));
	assert_string_equal(buf, "2.5");
	assert_int_equal(column_sort_value(COLUMN_COW_AVG_US, &stats), 2500);
	assert_false(column_alerts(DT_COW, &stats));
	stats.count[DT_COW] = 1;
	assert_true(column_alerts(DT_COW, &stats));
	assert_false(column_alerts(DT_FAULTS, &stats));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_widths),
		cmocka_unit_test(test_fit_by_priority),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
