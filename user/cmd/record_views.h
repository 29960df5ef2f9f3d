/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "views" of one run of a record (docs/daxtrace-record.5): what top, cow, lat, share and
 * mapuse read from the session, with files named by their path below their mount point and
 * kernel sites by symbol, never by inode or address, so that two kernels' records compare.
 */
#ifndef DAXTRACE_RECORD_VIEWS_H
#define DAXTRACE_RECORD_VIEWS_H

#include <stdbool.h>

#include "engine/census.h"
#include "engine/lat_report.h"
#include "engine/mapuse_report.h"
#include "engine/share_model.h"
#include "engine/stats.h"

struct file_paths;
struct json_writer;
struct mount_table;

/* How a run names its files. */
struct record_names {
	struct file_paths *paths;
	const struct mount_table *mounts;
	bool with_mount; /* the files lie on more than one filesystem: " @MOUNT" after each */
};

/* What one run read; a part left NULL is a view this kernel's plan does not have. */
struct record_run_views {
	const struct stats_snapshot *counters; /* top and cow: the total and the file rows */
	const struct lat_report *lat;
	const struct census *census;
	const struct share_rmap *rmap;
	__u64 proxy_bytes;
	const struct mapuse_report *mapuse;
};

/* True when the snapshot's files lie on more than one filesystem. */
bool record_files_span_mounts(const struct stats_snapshot *snap);

/* "views": {...}. */
void record_views_json(struct json_writer *w, const struct record_run_views *views,
		       const struct record_names *names);

#endif /* DAXTRACE_RECORD_VIEWS_H */
