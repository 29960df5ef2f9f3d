/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `daxtrace share --snapshot`: the owners of the DAX pages that processes have mapped right
 * now, from /proc/PID/smaps and /proc/PID/pagemap (pfns need CAP_SYS_ADMIN), added to the
 * census map so that it does not start empty. Pages a file has associated but nobody maps are
 * invisible there: the kernel may count owners the snapshot could not see.
 */
#ifndef DAXTRACE_SNAPSHOT_H
#define DAXTRACE_SNAPSHOT_H

#include <linux/types.h>

#include "engine/mounts.h"

struct dt_share_record;

struct snapshot_maps {
	int owners_fd; /* pfn -> struct dt_pfn_owners */
	int gauges_fd; /* struct dt_share_gauges: shared levels and peaks */
	int file_info_fd; /* dt_file_key -> names, for the paths in the output */
	/* share --record: each owner added, as a DT_REC_SNAPSHOT record (NULL: none) */
	int (*record)(void *ctx, const struct dt_share_record *record);
	void *record_ctx;
};

struct snapshot_result {
	__u64 mappings; /* DAX file mappings read */
	__u64 owners_added;
	__u64 units_added;
};

/* Reads every process under proc_root ("/proc"); -errno on a map update failure. */
int snapshot_take(const struct snapshot_maps *maps, const struct mount_table *mounts,
		  const char *proc_root, struct snapshot_result *result);

#endif /* DAXTRACE_SNAPSHOT_H */
