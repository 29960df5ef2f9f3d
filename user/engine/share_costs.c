// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "engine/map_read.h"
#include "engine/share_costs.h"
#include "output/hist.h"

const char *const share_cost_names[DT_NR_COST_OPS] = {
	[DT_COST_ASSOC_PRIVATE] = "assoc_private",
	[DT_COST_ASSOC_SHARED] = "assoc_shared",
	[DT_COST_REINSERT] = "reinsert",
	[DT_COST_DISASSOC_SHARED_FAULT] = "disassoc_shared_fault",
	[DT_COST_DISASSOC_SHARED_ELSEWHERE] = "disassoc_shared_elsewhere",
	[DT_COST_DISASSOC_PRIVATE] = "disassoc_private",
	[DT_COST_MF_DAX_KILL_PROCS] = "mf_dax_kill_procs",
	[DT_COST_RMAP_WALK] = "rmap_walk",
	[DT_COST_DAX_LOCK] = "dax_lock",
	[DT_COST_DAX_LOCK_SHARED] = "dax_lock_shared",
	[DT_COST_FOLIO_MAPPING] = "folio_mapping",
	[DT_COST_FOLIO_MAPPING_SHARED] = "folio_mapping_shared",
};

const char *share_cost_point(enum dt_cost_op op)
{
	switch (op) {
	case DT_COST_ASSOC_PRIVATE:
	case DT_COST_ASSOC_SHARED:
	case DT_COST_REINSERT:
		return "share.assoc"; /* dax_insert_entry's entry and return */
	case DT_COST_DISASSOC_SHARED_FAULT:
	case DT_COST_DISASSOC_SHARED_ELSEWHERE:
	case DT_COST_DISASSOC_PRIVATE:
		return "cost.disassoc";
	case DT_COST_MF_DAX_KILL_PROCS:
		return "cost.fs_rmap";
	case DT_COST_RMAP_WALK:
		return "cost.rmap_walk";
	case DT_COST_DAX_LOCK:
	case DT_COST_DAX_LOCK_SHARED:
		return "cost.lock";
	default:
		return "cost.generic";
	}
}

void share_cost_add(struct dt_cost *c, __u64 ns)
{
	c->count++;
	c->sum_ns += ns;
	if (ns > c->max_ns)
		c->max_ns = ns;
	c->slots[dt_lat_slot(ns)]++;
}

void share_cost_merge(struct dt_cost *into, const struct dt_cost *add)
{
	into->count += add->count;
	into->sum_ns += add->sum_ns;
	if (add->max_ns > into->max_ns)
		into->max_ns = add->max_ns;
	hist_add(into->slots, add->slots);
}

void share_costs_set_measured(struct share_costs *c, __u32 mask)
{
	for (int op = 0; op < DT_NR_COST_OPS; op++)
		c->measured[op] = mask & 1u << op;
}

static void merge_cost(void *into, const void *cpu_value, size_t value_size)
{
	(void)value_size;
	share_cost_merge(into, cpu_value);
}

int share_costs_read(struct share_costs *c, int fd)
{
	for (__u32 op = 0; op < DT_NR_COST_OPS; op++) {
		int err = map_read_percpu(fd, &op, sizeof(c->op[op]), merge_cost, &c->op[op]);

		if (err)
			return err;
	}
	return 0;
}
