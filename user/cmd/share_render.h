/* SPDX-License-Identifier: GPL-2.0 */
/* Rendering one report of `daxtrace share`: text for people, or one JSON object. */
#ifndef DAXTRACE_SHARE_RENDER_H
#define DAXTRACE_SHARE_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "engine/attach_plan.h"
#include "engine/census.h"
#include "engine/mounts.h"

struct share_view {
	bool model;
	bool since_snapshot;
	int rows; /* files and pairs shown */
	unsigned long long proxy_bytes; /* bytes per proxy object in the model */
	const char *kernel_release;
	const struct attach_plan *plan;
	const struct mount_table *mounts;
	int file_info_fd; /* paths captured in BPF */
};

/* Program runs the kernel skipped and disassociations whose file was unknown. */
struct share_losses {
	unsigned long long missed_runs;
};

/* Owner lookups the filesystem made (mf_dax_kill_procs), for the pfn-entries model. */
struct share_rmap {
	bool measured; /* the mapuse.fs_rmap point is attached */
	unsigned long long lookups;
};

/* Why the census and the kernel's count disagreed, as far as the numbers can tell. */
const char *share_anomaly_explanation(const struct dt_anomaly *a, bool since_snapshot);

void share_render_json(FILE *out, const struct census *c, const struct share_view *view,
		       const struct share_losses *losses, const struct share_rmap *rmap,
		       double elapsed_s);
void share_render_text(FILE *out, const struct census *c, const struct share_view *view,
		       const struct share_losses *losses, const struct share_rmap *rmap,
		       double elapsed_s);

#endif /* DAXTRACE_SHARE_RENDER_H */
