// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "cmd/counter_columns.h"
#include "cmd/counter_command.h"
#include "engine/counters.h"
#include "engine/report_error.h"

static const char *const latency_names[] = {
	[COLUMN_AVG_US - DT_NR_COUNTERS] = "avg_us",
	[COLUMN_P50_US - DT_NR_COUNTERS] = "p50_us",
	[COLUMN_P99_US - DT_NR_COUNTERS] = "p99_us",
	[COLUMN_MAX_US - DT_NR_COUNTERS] = "max_us",
	[COLUMN_COW_AVG_US - DT_NR_COUNTERS] = "cow_avg_us",
};

const char *column_name(int column)
{
	return column < DT_NR_COUNTERS ? counter_names[column] :
					 latency_names[column - DT_NR_COUNTERS];
}

int column_width(int column)
{
	const char *name = column_name(column);
	int width = strlen(name);

	if (column == COLUMN_COW_AVG_US)
		return 10;
	if (column >= DT_NR_COUNTERS)
		return 8;
	if (strstr(name, "bytes") || strstr(name, "pages") || strstr(name, "blocks"))
		return width > 11 ? width : 11;
	return width > 7 ? width : 7;
}

/* The column's latency in nanoseconds (a latency column only). */
static __u64 latency_ns(int column, const struct dt_stats *stats)
{
	struct latency_summary lat;

	if (column == COLUMN_COW_AVG_US)
		return cow_break_avg_ns(stats);
	latency_summarize(stats, &lat);
	switch (column) {
	case COLUMN_AVG_US:
		return lat.avg_ns;
	case COLUMN_P50_US:
		return lat.p50_ns;
	case COLUMN_P99_US:
		return lat.p99_ns;
	default:
		return lat.max_ns;
	}
}

void column_value(int column, const struct dt_stats *stats, char *buf, size_t size)
{
	__u64 timed = stats->count[DT_COW_TIMED];

	if (column < DT_NR_COUNTERS)
		snprintf(buf, size, "%llu", (unsigned long long)stats->count[column]);
	else if (column == COLUMN_COW_AVG_US) /* the mean as a double, as it always was printed */
		snprintf(buf, size, "%.1f",
			 timed ? stats->count[DT_COW_LAT_NS] / 1e3 / timed : 0.0);
	else
		snprintf(buf, size, "%.1f", latency_ns(column, stats) / 1e3);
}

__u64 column_sort_value(int column, const struct dt_stats *stats)
{
	return column < DT_NR_COUNTERS ? stats->count[column] : latency_ns(column, stats);
}

bool column_alerts(int column, const struct dt_stats *stats)
{
	return (column == DT_FALLBACK || column == DT_SIGBUS || column == DT_COW) &&
	       stats->count[column];
}

int column_by_name(const struct counter_command *command, const char *name)
{
	for (int i = 0; i < command->nr_columns; i++)
		if (!strcmp(column_name(command->columns[i]), name))
			return command->columns[i];
	return -1;
}

/* "faults, pte, ..." in buf: the names --columns takes. */
static const char *column_list(const struct counter_command *command, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < command->nr_columns && used < size; i++)
		used += snprintf(buf + used, size - used, "%s%s", i ? "," : "",
				 column_name(command->columns[i]));
	return buf;
}

int columns_parse(const struct counter_command *command, const char *list, int *columns)
{
	char name[64], names[1024];
	int nr = 0;

	for (const char *p = list;; p++) {
		size_t len = strcspn(p, ",");
		int column;

		snprintf(name, sizeof(name), "%.*s", (int)(len < sizeof(name) ? len : 0), p);
		column = column_by_name(command, name);
		if (column < 0)
			return usage_error("bad column '%.*s' in --columns: expected names of %s",
					   (int)len, p, column_list(command, names, sizeof(names)));
		for (int i = 0; i < nr; i++)
			if (columns[i] == column)
				return usage_error("column '%s' twice in --columns", name);
		columns[nr++] = column;
		p += len;
		if (!*p)
			return nr;
	}
}

/* Where the column comes in the command's priority: its place there, else after all of them. */
static int priority_of(const struct counter_command *command, int column)
{
	for (int i = 0; i < command->nr_priority; i++)
		if (command->priority[i] == column)
			return i;
	for (int i = 0; i < command->nr_columns; i++)
		if (command->columns[i] == column)
			return command->nr_priority + i;
	return command->nr_priority + command->nr_columns;
}

int columns_fit(const struct counter_command *command, const int *wanted, int nr_wanted, int width,
		int name_cells, int *shown, int *used)
{
	bool fits[MAX_COLUMNS] = { false };
	int nr = 0;

	*used = name_cells;
	/* the most important first, while they fit */
	for (int rank = 0; rank < nr_wanted; rank++) {
		int best = -1;

		for (int i = 0; i < nr_wanted; i++)
			if (!fits[i] && (best < 0 || priority_of(command, wanted[i]) <
							     priority_of(command, wanted[best])))
				best = i;
		fits[best] = true;
		if (*used + 1 + column_width(wanted[best]) > width) {
			fits[best] = false;
			break;
		}
		*used += 1 + column_width(wanted[best]);
	}
	for (int i = 0; i < nr_wanted; i++)
		if (fits[i])
			shown[nr++] = wanted[i];
	return nr;
}
