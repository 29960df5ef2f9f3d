/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading the aggregation maps: per-CPU values merged into one, rows keyed by process and by
 * file, and the difference between two readings (one interval).
 */
#ifndef DAXTRACE_STATS_H
#define DAXTRACE_STATS_H

#include <linux/types.h>
#include <stdbool.h>

#include "daxtrace.h"
#include "engine/attach_plan.h"

struct proc_row {
	struct dt_proc_key key;
	struct dt_stats stats;
};

struct file_row {
	struct dt_file_key key;
	struct dt_stats stats;
	struct dt_file_info info;
	bool has_info;
};

/* A device DAX row: dev is the char device's dev_t (/dev/daxX.Y's i_rdev). */
struct devdax_row {
	__u32 dev;
	__u32 pad;
	struct dt_stats stats;
	char name[32]; /* a record's name of the device; empty: ask sysfs for dev's */
};

struct stats_snapshot {
	struct dt_stats total;
	struct proc_row *procs;
	int nr_procs;
	struct file_row *files;
	int nr_files;
	struct devdax_row *devices;
	int nr_devices;
	__u64 health[DT_NR_HEALTH];
	__u64 evicted; /* rows the LRU maps dropped: inserts - rows present */
	struct plan_misses misses; /* program runs the kernel skipped (filled by the session) */
};

struct stats_maps {
	int total_fd;
	int proc_fd;
	int file_fd;
	int file_info_fd;
	int devdax_fd;
	int health_fd;
};

/* Sums nr_cpus consecutive per-CPU copies of dt_stats; the maximum latency is the max. */
void stats_merge_cpus(struct dt_stats *into, const struct dt_stats *per_cpu, int nr_cpus);

/* into += add, counts and histogram; lat_max_ns is the larger. */
void stats_add(struct dt_stats *into, const struct dt_stats *add);

/* True when no counter moved and no latency was recorded. */
bool stats_is_zero(const struct dt_stats *stats);

/* The engine-wide counters (enum dt_health), summed over the CPUs. */
int stats_read_health(int fd, __u64 health[DT_NR_HEALTH]);

int stats_snapshot_read(struct stats_snapshot *snap, const struct stats_maps *maps);

/*
 * now->evicted = the larger of now's and before's. The rows and the insert counters are not
 * read at one instant, so the estimate can dip below an earlier one (rows inserted during the
 * read); keeping the maximum makes the reports' evictions sum to the largest estimate.
 */
void stats_snapshot_carry(struct stats_snapshot *now, const struct stats_snapshot *before);

/*
 * delta = now - before, row by row (rows sorted by key). Rows that did not move are left out.
 * lat_max_ns stays the maximum since start: a maximum cannot be subtracted.
 */
int stats_snapshot_delta(struct stats_snapshot *delta, const struct stats_snapshot *now,
			 const struct stats_snapshot *before);

void stats_snapshot_free(struct stats_snapshot *snap);

/* Events that happened and are in no counter: skipped program runs, and full maps. */
__u64 stats_lost(const struct stats_snapshot *snap);

#endif /* DAXTRACE_STATS_H */
