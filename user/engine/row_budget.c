// SPDX-License-Identifier: GPL-2.0
#include "engine/row_budget.h"

__u32 row_budget_rows(__u32 most, size_t value_size, int nr_cpus, size_t budget)
{
	size_t rows;

	if (nr_cpus <= 0 || value_size == 0)
		return most;
	rows = budget / (value_size * (size_t)nr_cpus);
	if (rows < DT_MIN_ROWS)
		rows = DT_MIN_ROWS;
	return rows < most ? rows : most;
}
