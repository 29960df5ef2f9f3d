/* SPDX-License-Identifier: GPL-2.0 */
/* Rendering one report of a counter view (top, cow): a table for people, or one JSON object. */
#ifndef DAXTRACE_TOP_RENDER_H
#define DAXTRACE_TOP_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "engine/attach_plan.h"
#include "engine/mounts.h"
#include "engine/stats.h"

struct counter_view;

struct top_view {
	const struct counter_view *counters; /* which command's columns and JSON */
	int sort_counter; /* enum dt_counter, or -1 for latency */
	int rows;
	bool clear_screen;
	const struct attach_plan *plan;
	const struct mount_table *mounts;
};

/* Sorts the snapshot's rows by the view's key, largest first. */
void top_sort(struct stats_snapshot *snap, const struct top_view *view);

void top_render_json(FILE *out, const struct stats_snapshot *snap, const struct top_view *view,
		     double interval_s);
void top_render_table(FILE *out, const struct stats_snapshot *snap, const struct top_view *view,
		      double interval_s);

#endif /* DAXTRACE_TOP_RENDER_H */
