/* SPDX-License-Identifier: GPL-2.0 */
/* The "attach" object of every command's JSON report: probe point -> kind, or "none". */
#ifndef DAXTRACE_PLAN_JSON_H
#define DAXTRACE_PLAN_JSON_H

#include "engine/attach_plan.h"
#include "output/json_writer.h"

void json_attach_plan(struct json_writer *w, const struct attach_plan *plan);

/*
 * "lat_samples_lost" in all, and "losses": per attached point, the runs the kernel skipped
 * that cost a count ("lost") and those that cost only a latency sample.
 */
void json_plan_misses(struct json_writer *w, const struct attach_plan *plan,
		      const struct plan_misses *misses);

#endif /* DAXTRACE_PLAN_JSON_H */
