/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `daxtrace mapuse` from its maps: uses per call site, their kernel stacks (symbolised, the
 * BPF trampoline frames left out), and the processes and files behind them.
 * mapuse_report_build() is pure, for the unit tests.
 */
#ifndef DAXTRACE_MAPUSE_REPORT_H
#define DAXTRACE_MAPUSE_REPORT_H

#include <linux/types.h>

#include "daxtrace_mapuse.h"
#include "engine/ksyms.h"

struct mapuse_stack {
	__s32 stackid;
	__u64 count;
	int nr_frames;
	char frames[DT_MAPUSE_STACK_DEPTH][96]; /* leaf first, stable names, "name [module]" */
};

struct mapuse_proc {
	__u32 tgid;
	char comm[DT_COMM_LEN];
	__u64 count;
};

struct mapuse_file {
	__u32 dev; /* 0: the page named no file */
	__u64 ino;
	__u64 count;
};

struct mapuse_site {
	__u64 count;
	__u64 shared;
	struct mapuse_stack *stacks; /* most frequent first */
	int nr_stacks;
	struct mapuse_proc *procs;
	int nr_procs;
	struct mapuse_file *files;
	int nr_files;
};

struct mapuse_report {
	struct mapuse_site sites[DT_NR_MAPUSE_SITES];
	__u64 total; /* page-owner uses: the kernel read a DAX page's ->mapping / ->index */
	__u64 shared; /* of those, on a page the kernel held shared */
	__u64 fs_reverse_lookups;
	__u64 dropped; /* uses that found the aggregation map full */
	__u64 missed_runs; /* program runs the kernel skipped (filled by the session) */
};

/* Uses that happened and are in no count: skipped program runs, and a full use table. */
__u64 mapuse_report_lost(const struct mapuse_report *r);

const char *mapuse_site_name(enum dt_mapuse_site site);
bool mapuse_site_is_fs_reverse(enum dt_mapuse_site site);

/* Aggregates n rows; stacks get their ids only (no frames). */
int mapuse_report_build(struct mapuse_report *r, const struct dt_mapuse_key *keys,
			const struct dt_mapuse_value *values, int n);

/*
 * Reads the maps (engine/map_read.h), builds, and symbolises the stacks with ksyms. -errno on
 * failure, and then nothing is allocated.
 */
int mapuse_report_read(struct mapuse_report *r, int uses_fd, int stacks_fd, int dropped_fd,
		       const struct ksym_table *ksyms);

void mapuse_report_free(struct mapuse_report *r);

#endif /* DAXTRACE_MAPUSE_REPORT_H */
