/* SPDX-License-Identifier: GPL-2.0 */
/* The "attach" object of every command's JSON report: probe point -> kind, or "none". */
#ifndef DAXTRACE_PLAN_JSON_H
#define DAXTRACE_PLAN_JSON_H

#include "engine/attach_plan.h"
#include "output/json_writer.h"

void json_attach_plan(struct json_writer *w, const struct attach_plan *plan);

#endif /* DAXTRACE_PLAN_JSON_H */
