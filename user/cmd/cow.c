// SPDX-License-Identifier: GPL-2.0
/*
 * daxtrace cow: the reflink report. Remaps by kind with their bytes, sharing breaks (bytes, and
 * the latency of those that were DAX faults), COW completions (kernel workers included) and
 * cancelled COW reservations, per process and per file, on DAX and on the page cache.
 */
#include "cmd/commands.h"
#include "cmd/counter_columns.h"
#include "cmd/counter_command.h"
#include "engine/attach_plan.h"
#include "engine/counters.h"
#include "output/json_writer.h"

static const int cow_columns[] = {
	DT_REMAPS,
	DT_CLONES,
	DT_CLONE_BYTES,
	DT_CLONE_RANGES,
	DT_CLONE_RANGE_BYTES,
	DT_DEDUPES,
	DT_DEDUPE_BYTES,
	DT_UNSHARES,
	DT_UNSHARE_BYTES,
	DT_COW,
	DT_COW_BREAK_BYTES,
	DT_COW_COMPLETIONS,
	DT_COW_BYTES,
	DT_COW_CANCELS,
	DT_COW_CANCEL_BLOCKS,
	COLUMN_COW_AVG_US,
};

/* What a narrow screen keeps: the breaks and what made them shared, then what they cost. */
static const int cow_priority[] = {
	DT_COW,	     DT_REMAPS,		 DT_CLONES,	    DT_COW_BREAK_BYTES,
	DT_UNSHARES, DT_COW_COMPLETIONS, COLUMN_COW_AVG_US, DT_COW_CANCELS,
};

/* {"count": N, "bytes": N}, a remap kind's or the completions'. */
static void json_count_bytes(struct json_writer *w, const char *key, __u64 count, __u64 bytes)
{
	json_key(w, key);
	json_object_begin(w);
	json_kv_uint(w, "count", count);
	json_kv_uint(w, "bytes", bytes);
	json_object_end(w);
}

static void cow_json_counters(struct json_writer *w, const struct dt_stats *stats)
{
	const __u64 *c = stats->count;

	json_key(w, "remaps");
	json_object_begin(w);
	json_kv_uint(w, "total", c[DT_REMAPS]);
	json_count_bytes(w, "clone", c[DT_CLONES], c[DT_CLONE_BYTES]);
	json_count_bytes(w, "clone_range", c[DT_CLONE_RANGES], c[DT_CLONE_RANGE_BYTES]);
	json_count_bytes(w, "dedupe", c[DT_DEDUPES], c[DT_DEDUPE_BYTES]);
	json_count_bytes(w, "unshare", c[DT_UNSHARES], c[DT_UNSHARE_BYTES]);
	json_object_end(w);
	json_key(w, "breaks");
	json_object_begin(w);
	json_kv_uint(w, "count", c[DT_COW]);
	json_kv_uint(w, "bytes", c[DT_COW_BREAK_BYTES]);
	json_kv_uint(w, "timed", c[DT_COW_TIMED]);
	json_kv_uint(w, "avg_ns", cow_break_avg_ns(stats));
	json_object_end(w);
	json_count_bytes(w, "completions", c[DT_COW_COMPLETIONS], c[DT_COW_BYTES]);
	json_key(w, "cancels");
	json_object_begin(w);
	json_kv_uint(w, "count", c[DT_COW_CANCELS]);
	json_kv_uint(w, "blocks", c[DT_COW_CANCEL_BLOCKS]);
	json_object_end(w);
}

static bool cow_row_shown(const struct dt_stats *stats)
{
	return stats->count[DT_REMAPS] || stats->count[DT_COW] ||
	       stats->count[DT_COW_COMPLETIONS] || stats->count[DT_COW_CANCELS];
}

const struct counter_command cow_command = {
	.name = "cow",
	.title = "daxtrace cow",
	.usage = "Reflink: remaps by kind (clone, clone range, dedupe, unshare) with bytes, "
		 "sharing breaks,\nCOW completions and cancelled COW reservations, per process "
		 "and per file.\n",
	.columns = cow_columns,
	.nr_columns = sizeof(cow_columns) / sizeof(cow_columns[0]),
	.priority = cow_priority,
	.nr_priority = sizeof(cow_priority) / sizeof(cow_priority[0]),
	.default_sort = DT_COW,
	.json_counters = cow_json_counters,
	.row_shown = cow_row_shown,
	.users = USED_BY_TOP | USED_BY_REMAP_KINDS | USED_BY_COW,
	.syscall_events = true,
	.break_detail = true,
	/* their files never break sharing, so their rows would be zeros: left out (row_shown) */
	.no_reflink_means = "no sharing breaks to count there",
	.without_dax = "cow counts only page-cache copy-on-write and remaps on XFS",
};

int cmd_cow(int argc, char **argv)
{
	return counter_command_main(argc, argv, &cow_command);
}
