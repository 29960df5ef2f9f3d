// SPDX-License-Identifier: GPL-2.0
/* The rows of the per-CPU row maps under the memory budget. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <linux/types.h>

#include "daxtrace.h"
#include "engine/row_budget.h"

static void test_few_cpus_keep_every_row(void **state)
{
	(void)state;
	/* 8192 x 616 B x 2 CPUs = 10 MB: within 32 MiB */
	assert_int_equal(row_budget_rows(8192, 616, 2, DT_ROW_MAP_BUDGET), 8192);
	assert_int_equal(row_budget_rows(4096, 616, 6, DT_ROW_MAP_BUDGET), 4096);
}

static void test_many_cpus_get_fewer_rows(void **state)
{
	(void)state;
	/* 32 MiB / (616 B x 64) = 851.1 */
	assert_int_equal(row_budget_rows(8192, 616, 64, DT_ROW_MAP_BUDGET), 851);
	/* 32 MiB / (616 B x 8) = 6808.9 */
	assert_int_equal(row_budget_rows(8192, 616, 8, DT_ROW_MAP_BUDGET), 6808);
	assert_true(row_budget_rows(8192, sizeof(struct dt_stats), 64, DT_ROW_MAP_BUDGET) *
			    sizeof(struct dt_stats) * 64 <=
		    DT_ROW_MAP_BUDGET);
}

static void test_floor_and_odd_input(void **state)
{
	(void)state;
	assert_int_equal(row_budget_rows(8192, 616, 4096, DT_ROW_MAP_BUDGET), DT_MIN_ROWS);
	assert_int_equal(row_budget_rows(100, 616, 4096, DT_ROW_MAP_BUDGET), 100);
	assert_int_equal(row_budget_rows(4096, 616, 0, DT_ROW_MAP_BUDGET), 4096);
	assert_int_equal(row_budget_rows(4096, 0, 64, DT_ROW_MAP_BUDGET), 4096);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_few_cpus_keep_every_row),
		cmocka_unit_test(test_many_cpus_get_fewer_rows),
		cmocka_unit_test(test_floor_and_odd_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
