/* SPDX-License-Identifier: GPL-2.0 */
/* Rendering one report of `daxtrace share`: text for people, or one JSON object. */
#ifndef DAXTRACE_SHARE_RENDER_H
#define DAXTRACE_SHARE_RENDER_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "engine/attach_plan.h"
#include "engine/census.h"
#include "engine/share_costs.h"
#include "engine/share_model.h"
#include "engine/share_price.h"

struct empty_note;
struct file_paths;
struct json_writer;
struct reflink_note;

struct share_view {
	bool model;
	bool since_snapshot;
	int rows; /* files and pairs shown */
	const char *kernel_release;
	const struct attach_plan *plan;
	const struct empty_note *empty; /* no DAX to count */
	struct file_paths *paths; /* dev:ino -> path (it caches: not const) */
	const struct reflink_note *no_reflink; /* DAX mounts whose files never share pfns */
};

/* One report: the census and what the engine derived from it. */
struct share_report {
	const struct census *census;
	struct share_losses losses;
	struct share_model model; /* view->model */
	const struct share_costs *costs; /* measured costs; NULL: none (a record's view) */
	struct share_price price; /* view->model and costs: the model's counts x unit costs */
	double elapsed_s;
	time_t time; /* when the report's numbers were read; 0: now (a live report) */
};

/* Why the census and the kernel's count disagreed, as far as the numbers can tell. */
const char *share_anomaly_explanation(const struct dt_anomaly *a, bool since_snapshot);

/*
 * "model": {...}, each design's cost (docs/designs.md gives each formula and why); share's
 * JSON and a record's. Its peaks are maxima of levels that start at 0: never below 0.
 */
void share_model_json(struct json_writer *w, const struct share_model *m);

/* "MODEL (docs/designs.md)" and a line or two per design, for people. */
void share_model_text(FILE *out, const struct share_model *m);

void share_render_json(FILE *out, const struct share_report *report, const struct share_view *view);
void share_render_text(FILE *out, const struct share_report *report, const struct share_view *view);

#endif /* DAXTRACE_SHARE_RENDER_H */
