/* SPDX-License-Identifier: GPL-2.0 */
/*
 * share's measured costs (include/daxtrace_share.h enum dt_cost_op): the durations BPF timed
 * per operation, summed over CPUs, and which operations this run could time at all (the probe
 * point each needs is attached). The pure parts serve the unit tests and the offline replay,
 * which adds one DT_REC_COST record at a time as BPF added the duration.
 */
#ifndef DAXTRACE_SHARE_COSTS_H
#define DAXTRACE_SHARE_COSTS_H

#include <stdbool.h>
#include <linux/types.h>

#include "daxtrace_share.h"

struct attach_plan;

struct share_costs {
	bool measured[DT_NR_COST_OPS]; /* its point attached: a count of 0 is a real 0 */
	struct dt_cost op[DT_NR_COST_OPS];
};

/* The operations' names, as JSON keys and in the text. */
extern const char *const share_cost_names[DT_NR_COST_OPS];

/* The probe point an operation's timing needs (user/engine/probe_points.c). */
const char *share_cost_point(enum dt_cost_op op);

/* One duration, as bpf/cost.bpf.h adds it. */
void share_cost_add(struct dt_cost *c, __u64 ns);

/* into += add: per-CPU copies, or two runs. */
void share_cost_merge(struct dt_cost *into, const struct dt_cost *add);

/* The operations the plan times (1 << enum dt_cost_op): the point of each is attached. */
__u32 share_costs_measured_by(const struct attach_plan *plan);

/* measured[op] from such a mask (the plan's, or a stream header's costs_measured). */
void share_costs_set_measured(struct share_costs *c, __u32 mask);

/* The share_costs map (fd), summed over CPUs; measured left as it is. 0 or -errno. */
int share_costs_read(struct share_costs *c, int fd);

#endif /* DAXTRACE_SHARE_COSTS_H */
