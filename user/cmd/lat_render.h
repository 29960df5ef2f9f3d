/* SPDX-License-Identifier: GPL-2.0 */
/* daxtrace lat's output: biolatency-style text histograms, or one JSON object per report. */
#ifndef DAXTRACE_LAT_RENDER_H
#define DAXTRACE_LAT_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "engine/lat_report.h"

struct empty_note;

struct lat_view {
	__u64 divisor; /* ns per printed unit: 1000 (-u, default) or 1000000 (-m) */
	const char *unit; /* "usecs" or "msecs" */
	bool per_proc; /* -P: rows carry a pid */
	bool per_file; /* -F: rows carry dev and ino */
	const struct empty_note *empty; /* no DAX to time (a record's view: NULL) */
};

void lat_render_text(FILE *out, const struct lat_report *report, const struct lat_view *view);
void lat_render_json(FILE *out, const struct lat_report *report, const struct lat_view *view);

#endif /* DAXTRACE_LAT_RENDER_H */
