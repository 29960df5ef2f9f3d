// SPDX-License-Identifier: GPL-2.0
/* daxtrace top (daxtop): live per-process and per-file counters of DAX and mmap-write behaviour. */
#include "cmd/commands.h"
#include "cmd/counter_columns.h"
#include "cmd/counter_command.h"
#include "cmd/counter_render.h"
#include "engine/attach_plan.h"
#include "engine/counters.h"
#include "output/json_writer.h"

static const int top_columns[] = {
	DT_FAULTS,	DT_PTE,	       DT_PMD,	      DT_PUD,	     DT_READ,
	DT_WRITE,	DT_NOPAGE,     DT_FALLBACK,   DT_SIGBUS,     DT_MKWRITE,
	DT_SYNC,	DT_COW,	       DT_COW_BYTES,  DT_REMAPS,     DT_FLUSHES,
	DT_FLUSH_PAGES, COLUMN_AVG_US, COLUMN_P50_US, COLUMN_P99_US, COLUMN_MAX_US,
};

/* What a narrow screen keeps: the fault sizes and why not PMD, then writes and their costs. */
static const int top_priority[] = {
	DT_FAULTS, DT_PTE,	  DT_PMD,  DT_FALLBACK, DT_MKWRITE, DT_WRITE,	DT_SIGBUS,
	DT_COW,	   COLUMN_P99_US, DT_SYNC, DT_READ,	DT_PUD,	    DT_FLUSHES,
};

/* The counters before daxtrace cow's (DT_CLONES on), the fallback reasons and fault latency. */
static void top_json_counters(struct json_writer *w, const struct dt_stats *stats)
{
	struct latency_summary lat;

	counter_json_values(w, stats, DT_CLONES);
	latency_summarize(stats, &lat);
	json_key(w, "lat_ns");
	json_object_begin(w);
	json_kv_uint(w, "avg", lat.avg_ns);
	json_kv_uint(w, "p50", lat.p50_ns);
	json_kv_uint(w, "p99", lat.p99_ns);
	json_kv_uint(w, "max", lat.max_ns);
	json_object_end(w);
}

const struct counter_command top_command = {
	.name = "top",
	.title = "daxtop",
	.usage =
		"       daxtop [OPTIONS] [-- CMD [ARG...]]\n"
		"DAX faults (PTE/PMD/PUD, results), mkwrite, MAP_SYNC syncs, COW breaks, remaps and "
		"writeback flushes,\nper process, per file and per device DAX device.\n",
	.columns = top_columns,
	.nr_columns = sizeof(top_columns) / sizeof(top_columns[0]),
	.priority = top_priority,
	.nr_priority = sizeof(top_priority) / sizeof(top_priority[0]),
	.default_sort = DT_FAULTS,
	.reason_lines = true,
	.json_counters = top_json_counters,
	.device_rows = true,
	.users = USED_BY_TOP | USED_BY_DEVDAX,
	.without_dax = "top counts only page-cache mmap writes and XFS reflink activity",
};

int cmd_top(int argc, char **argv)
{
	return counter_command_main(argc, argv, &top_command);
}
