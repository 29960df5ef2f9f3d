/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The exporter's rows: counters per device, or per device and cgroup (struct dt_dev_key),
 * cumulative since attach. The map is a plain hash: rows are never evicted.
 */
#ifndef DAXTRACE_DEV_ROWS_H
#define DAXTRACE_DEV_ROWS_H

#include <linux/types.h>

#include "daxtrace.h"

struct dev_row {
	struct dt_dev_key key;
	struct dt_dev_stats stats; /* merged over the CPUs */
};

struct dev_rows {
	struct dev_row *rows; /* sorted by key: device, then cgroup */
	int nr;
};

/* Every row of the dev_stats map; 0, or -errno with nothing allocated. */
int dev_rows_read(int fd, struct dev_rows *out);

/* The rows summed over cgroups: one per device (key.cgroup 0). 0, or -ENOMEM. */
int dev_rows_by_device(const struct dev_rows *rows, struct dev_rows *out);

void dev_rows_free(struct dev_rows *rows);

#endif /* DAXTRACE_DEV_ROWS_H */
