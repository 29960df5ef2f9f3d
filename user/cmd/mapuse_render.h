/* SPDX-License-Identifier: GPL-2.0 */
/* Rendering one report of `daxtrace mapuse`: text for people, or one JSON object. */
#ifndef DAXTRACE_MAPUSE_RENDER_H
#define DAXTRACE_MAPUSE_RENDER_H

#include <stdio.h>

#include "engine/attach_plan.h"
#include "engine/mapuse_report.h"

struct empty_note;
struct file_paths;

struct mapuse_view {
	int stacks; /* stacks shown per site */
	const char *kernel_release;
	const struct attach_plan *plan;
	const struct empty_note *empty; /* no DAX to count */
	struct file_paths *paths; /* dev:ino -> path (it caches: not const) */
};

void mapuse_render_json(FILE *out, const struct mapuse_report *r, const struct mapuse_view *view,
			double elapsed_s);
void mapuse_render_text(FILE *out, const struct mapuse_report *r, const struct mapuse_view *view,
			double elapsed_s);

#endif /* DAXTRACE_MAPUSE_RENDER_H */
