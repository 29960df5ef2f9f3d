// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "engine/counters.h"
#include "output/hist.h"

const char *const counter_names[DT_NR_COUNTERS] = {
	[DT_FAULTS] = "faults",
	[DT_PTE] = "pte",
	[DT_PMD] = "pmd",
	[DT_PUD] = "pud",
	[DT_READ] = "read",
	[DT_WRITE] = "write",
	[DT_NOPAGE] = "nopage",
	[DT_FALLBACK] = "fallback",
	[DT_SIGBUS] = "sigbus",
	[DT_MKWRITE] = "mkwrite",
	[DT_SYNC] = "sync",
	[DT_SYNC_NS] = "sync_ns",
	[DT_COW] = "cow",
	[DT_COW_BYTES] = "cow_bytes",
	[DT_REMAPS] = "remaps",
	[DT_FLUSHES] = "flushes",
	[DT_FLUSH_PAGES] = "flush_pages",
	[DT_CLONES] = "clones",
	[DT_CLONE_BYTES] = "clone_bytes",
	[DT_CLONE_RANGES] = "clone_ranges",
	[DT_CLONE_RANGE_BYTES] = "clone_range_bytes",
	[DT_DEDUPES] = "dedupes",
	[DT_DEDUPE_BYTES] = "dedupe_bytes",
	[DT_UNSHARES] = "unshares",
	[DT_UNSHARE_BYTES] = "unshare_bytes",
	[DT_COW_BREAK_BYTES] = "cow_break_bytes",
	[DT_COW_TIMED] = "cow_timed",
	[DT_COW_LAT_NS] = "cow_lat_ns",
	[DT_COW_COMPLETIONS] = "cow_completions",
	[DT_COW_CANCELS] = "cow_cancels",
	[DT_COW_CANCEL_BLOCKS] = "cow_cancel_blocks",
};

const char *const fallback_reason_names[DT_NR_FALLBACK_REASONS] = {
	[DT_FB_MISALIGNED] = "misaligned",
	[DT_FB_PRIVATE_WRITE] = "private_write",
	[DT_FB_VMA_TOO_SMALL] = "vma_too_small",
	[DT_FB_PAST_EOF] = "past_eof",
	[DT_FB_ENTRY_CONFLICT] = "entry_conflict",
	[DT_FB_EXTENT] = "extent",
	[DT_FB_OTHER] = "other",
};

const char *const pte_reason_names[DT_NR_NO_PMD_REASONS] = {
	[DT_NOPMD_NO_HUGE_FAULT] = "no_huge_fault",
	[DT_NOPMD_NOHUGEPAGE] = "nohugepage",
	[DT_NOPMD_THP_DISABLED] = "thp_disabled",
	[DT_NOPMD_PAGE_TABLE] = "page_table",
	[DT_NOPMD_THP_UNAVAILABLE] = "thp_unavailable",
	[DT_NOPMD_UNKNOWN] = "unknown", /* classic tracepoints: no vmf */
};

int counter_by_name(const char *name)
{
	for (int c = 0; c < DT_NR_COUNTERS; c++)
		if (!strcmp(name, counter_names[c]))
			return c;
	return -1;
}

/* Percentiles are log2-bucket upper bounds, capped at the true maximum. */
void latency_summarize(const struct dt_stats *stats, struct latency_summary *summary)
{
	__u64 samples = hist_total(stats->lat_slots);

	summary->avg_ns = samples ? stats->lat_sum_ns / samples : 0;
	summary->p50_ns = hist_percentile(stats->lat_slots, 50, stats->lat_max_ns);
	summary->p99_ns = hist_percentile(stats->lat_slots, 99, stats->lat_max_ns);
	summary->max_ns = samples ? stats->lat_max_ns : 0;
}

__u64 cow_break_avg_ns(const struct dt_stats *stats)
{
	__u64 timed = stats->count[DT_COW_TIMED];

	return timed ? stats->count[DT_COW_LAT_NS] / timed : 0;
}
