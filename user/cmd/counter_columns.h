/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The columns of top's and cow's tables: a counter (enum dt_counter) or a latency figure of the
 * row. A command lists its columns in table order (struct counter_command); the batch table, the
 * screen, --columns, --csv and the sort keys all take them from there.
 */
#ifndef DAXTRACE_COUNTER_COLUMNS_H
#define DAXTRACE_COUNTER_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "daxtrace.h"

struct counter_command;

/* The columns after the counters: a row's fault latency (top) or sharing-break latency (cow). */
enum counter_column_latency {
	COLUMN_AVG_US = DT_NR_COUNTERS,
	COLUMN_P50_US,
	COLUMN_P99_US,
	COLUMN_MAX_US,
	COLUMN_COW_AVG_US,
	COLUMN_END,
};

/* Most columns a command has: every counter and every latency column. */
#define MAX_COLUMNS COLUMN_END

/* Its name, as the table header, --columns and the screen's sort keys know it. */
const char *column_name(int column);

/* Its width in cells: its name's, at least 7, 11 for bytes and pages; latencies' as printed. */
int column_width(int column);

/* The row's value in the column, as the table prints it (no padding), in buf. */
void column_value(int column, const struct dt_stats *stats, char *buf, size_t size);

/* What sorting by the column compares, largest first. */
__u64 column_sort_value(int column, const struct dt_stats *stats);

/* Whether the value is one to see at once (non-zero fallback, sigbus, cow): coloured. */
bool column_alerts(int column, const struct dt_stats *stats);

/* The command's column of that name, or -1. */
int column_by_name(const struct counter_command *command, const char *name);

/*
 * --columns LIST: comma-separated names of the command's columns, in the order they are to be
 * shown, each once. Fills columns (MAX_COLUMNS) and returns how many, or -1 after a usage error.
 */
int columns_parse(const struct counter_command *command, const char *list, int *columns);

/*
 * The columns of wanted (nr_wanted, in their order) that fit in width cells beside a name
 * column of name_cells, each with one space before it, the command's priority deciding which
 * go first (struct counter_command's priority, then table order). Fills shown and returns how
 * many; the cells they take are in *used.
 */
int columns_fit(const struct counter_command *command, const int *wanted, int nr_wanted, int width,
		int name_cells, int *shown, int *used);

#endif /* DAXTRACE_COUNTER_COLUMNS_H */
