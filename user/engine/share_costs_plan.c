// SPDX-License-Identifier: GPL-2.0
/*
 * Which operations of engine/share_costs.h an attach plan times: apart from share_costs.c, so
 * that the replay (and its fuzz target) needs no attach plan.
 */
#include "engine/attach_plan.h"
#include "engine/share_costs.h"

__u32 share_costs_measured_by(const struct attach_plan *plan)
{
	__u32 mask = 0;

	for (int op = 0; op < DT_NR_COST_OPS; op++) {
		const struct plan_choice *choice = attach_plan_find(plan, share_cost_point(op));

		if (choice && choice->kind != KIND_NONE)
			mask |= 1u << op;
	}
	return mask;
}
