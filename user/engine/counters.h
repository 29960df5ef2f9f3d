/* SPDX-License-Identifier: GPL-2.0 */
/* Names of the counters, as JSON keys and table columns, and the latency summary of a row. */
#ifndef DAXTRACE_COUNTERS_H
#define DAXTRACE_COUNTERS_H

#include <linux/types.h>

#include "daxtrace.h"

extern const char *const counter_names[DT_NR_COUNTERS];
extern const char *const fallback_reason_names[DT_NR_FALLBACK_REASONS];
/* Why a DAX PTE fault had no PMD fault tried first (enum dt_no_pmd_reason). */
extern const char *const pte_reason_names[DT_NR_NO_PMD_REASONS];

/* Index of a counter by name, or -1. */
int counter_by_name(const char *name);

struct latency_summary {
	__u64 avg_ns;
	__u64 p50_ns;
	__u64 p99_ns;
	__u64 max_ns;
};

void latency_summarize(const struct dt_stats *stats, struct latency_summary *summary);

/* The mean latency of the sharing breaks that were timed (DAX faults), 0 when none was. */
__u64 cow_break_avg_ns(const struct dt_stats *stats);

#endif /* DAXTRACE_COUNTERS_H */
