/* SPDX-License-Identifier: GPL-2.0 */
/* share's measured costs (engine/share_costs.h): the COSTS block of the text, "costs" in JSON. */
#ifndef DAXTRACE_SHARE_COSTS_RENDER_H
#define DAXTRACE_SHARE_COSTS_RENDER_H

#include <stdio.h>

#include "engine/share_costs.h"

struct json_writer;

/*
 * One line per operation timed at least once: count, then avg, p50, p99 and max in us (p50
 * and p99 are log2 bucket bounds, hist.h); then one line naming those not measured.
 */
void share_costs_text(FILE *out, const struct share_costs *c);

/*
 * "costs": {"<op>": {"measured", "point", and when measured: "count", "total_ns", "avg_ns",
 * "p50_ns", "p99_ns", "max_ns", "buckets"}}, every operation (docs/daxtrace-share.8).
 */
void share_costs_json(struct json_writer *w, const struct share_costs *c);

#endif /* DAXTRACE_SHARE_COSTS_RENDER_H */
