// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "engine/counters.h"
#include "output/hist.h"

const char *const counter_names[DT_NR_COUNTERS] = {
	[DT_FAULTS] = "faults",
	[DT_PTE] = "pte",
	[DT_PMD] = "pmd",
	[DT_READ] = "read",
	[DT_WRITE] = "write",
	[DT_NOPAGE] = "nopage",
	[DT_FALLBACK] = "fallback",
	[DT_SIGBUS] = "sigbus",
	[DT_MKWRITE] = "mkwrite",
	[DT_COW] = "cow",
	[DT_COW_BYTES] = "cow_bytes",
	[DT_REMAPS] = "remaps",
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
