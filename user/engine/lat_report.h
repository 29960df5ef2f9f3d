/* SPDX-License-Identifier: GPL-2.0 */
/* Reading lat's histograms: per-CPU copies merged, sorted by key, and one interval's delta. */
#ifndef DAXTRACE_LAT_REPORT_H
#define DAXTRACE_LAT_REPORT_H

#include <linux/types.h>

#include "daxtrace_event.h"

struct lat_row {
	struct dt_lat_key key;
	__u64 count; /* the sum of the slots */
	struct dt_lat_hist hist;
};

struct lat_report {
	struct lat_row *rows; /* by kind, then pid, dev, ino */
	int nr_rows;
	__u64 lost; /* histogram updates that found the map full */
};

extern const char *const lat_kind_names[DT_NR_LAT_KINDS];

int lat_report_read(struct lat_report *report, int hists_fd, int health_fd);

/* delta = now - before, row by row; rows that did not move are left out. */
int lat_report_delta(struct lat_report *delta, const struct lat_report *now,
		     const struct lat_report *before);

void lat_report_free(struct lat_report *report);

#endif /* DAXTRACE_LAT_REPORT_H */
