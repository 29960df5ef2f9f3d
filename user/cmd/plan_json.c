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

void json_plan_misses(struct json_writer *w, const struct attach_plan *plan,
		      const struct plan_misses *misses)
{
	json_kv_uint(w, "lat_samples_lost", misses->total.lat_samples_lost);
	json_key(w, "losses");
	json_object_begin(w);
	for (int i = 0; i < plan->nr_choices; i++) {
		if (plan->choices[i].kind == KIND_NONE)
			continue;
		json_key(w, plan->choices[i].point->name);
		json_object_begin(w);
		json_kv_uint(w, "lost", misses->points[i].lost);
		json_kv_uint(w, "lat_samples_lost", misses->points[i].lat_samples_lost);
		json_object_end(w);
	}
	json_object_end(w);
}
