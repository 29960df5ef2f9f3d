/* SPDX-License-Identifier: GPL-2.0 */
/* Rendering one report of `daxtrace mapuse`: text for people, or one JSON object. */
#ifndef DAXTRACE_MAPUSE_RENDER_H
#define DAXTRACE_MAPUSE_RENDER_H

#include <stdio.h>

#include "engine/attach_plan.h"
#include "engine/mapuse_report.h"
#include "engine/mounts.h"

struct mapuse_view {
	int stacks; /* stacks shown per site */
	const char *kernel_release;
	const struct attach_plan *plan;
	const struct mount_table *mounts;
	int file_info_fd;
};

void mapuse_render_json(FILE *out, const struct mapuse_report *r, const struct mapuse_view *view,
			unsigned long long lost, double elapsed_s);
void mapuse_render_text(FILE *out, const struct mapuse_report *r, const struct mapuse_view *view,
			unsigned long long lost, double elapsed_s);

#endif /* DAXTRACE_MAPUSE_RENDER_H */
