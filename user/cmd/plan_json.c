// SPDX-License-Identifier: GPL-2.0
#include "cmd/plan_json.h"

void json_attach_plan(struct json_writer *w, const struct attach_plan *plan)
{
	json_key(w, "attach");
	json_object_begin(w);
	for (int i = 0; i < plan->nr_choices; i++)
		json_kv_string(w, plan->choices[i].point->name,
			       probe_kind_name(plan->choices[i].kind));
	json_object_end(w);
}
