/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How many rows a per-CPU hash map gets. Every row holds its value once per possible CPU, all
 * preallocated: file_stats' 8192 rows of 616 bytes are 5 MB a CPU, 323 MB on 64 CPUs. A budget
 * per map keeps an always-on daxtop cheap on a large server; the rows it costs are LRU
 * evictions, counted ("evicted"), and the totals are never evicted.
 */
#ifndef DAXTRACE_ROW_BUDGET_H
#define DAXTRACE_ROW_BUDGET_H

#include <stddef.h>
#include <linux/types.h>

#define DT_ROW_MAP_BUDGET (32UL << 20) /* bytes of per-CPU values in one map */
#define DT_MIN_ROWS 256

/* most rows, fewer where most * value_size * nr_cpus exceeds budget, DT_MIN_ROWS at least. */
__u32 row_budget_rows(__u32 most, size_t value_size, int nr_cpus, size_t budget);

#endif /* DAXTRACE_ROW_BUDGET_H */
