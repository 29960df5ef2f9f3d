/* SPDX-License-Identifier: GPL-2.0 */
/*
 * share's measured costs: the duration of one operation (enum dt_cost_op) into its row of
 * share_costs, and, under share --record, a DT_REC_COST record so that the replay has the same
 * costs. Off unless the engine set share_costs_on before load: the verifier then drops every
 * call, and the fault path pays nothing for them.
 */
#ifndef DAXTRACE_COST_BPF_H
#define DAXTRACE_COST_BPF_H

#include "daxtrace_share.h"
#include "maps.bpf.h"
#include "share_stream.bpf.h"

/*
 * The time an operation begins (read last in its entry program) or returns (read first in its
 * exit program), so that our own work is not counted as the kernel's; 0 when costs are off.
 */
static __always_inline __u64 dt_cost_clock(void)
{
	return share_costs_on ? bpf_ktime_get_ns() : 0;
}

/* The operation that began at start_ns (0: not timed) returned at end_ns. */
static __always_inline void dt_cost_add(enum dt_cost_op op, __u64 start_ns, __u64 end_ns)
{
	__u32 key = op, slot;
	struct dt_cost *cost;
	__u64 ns;

	if (!share_costs_on || !start_ns || end_ns < start_ns || op >= DT_NR_COST_OPS)
		return;
	ns = end_ns - start_ns;
	cost = bpf_map_lookup_elem(&share_costs, &key);
	if (!cost)
		return;
	cost->count++;
	cost->sum_ns += ns;
	if (ns > cost->max_ns)
		cost->max_ns = ns;
	slot = dt_lat_slot(ns);
	barrier_var(slot); /* as in dt_stats_latency, for the 6.1 verifier */
	if (slot < DT_LAT_SLOTS)
		cost->slots[slot]++;
	dt_share_emit(DT_REC_COST, &(struct dt_share_what){ .index = ns, .detail = op });
}

#endif /* DAXTRACE_COST_BPF_H */
