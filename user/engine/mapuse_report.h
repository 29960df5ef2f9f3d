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

struct bpf_map;

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
};

const char *mapuse_site_name(enum dt_mapuse_site site);
bool mapuse_site_is_fs_reverse(enum dt_mapuse_site site);

/* Aggregates n rows; stacks get their ids only (no frames). */
int mapuse_report_build(struct mapuse_report *r, const struct dt_mapuse_key *keys,
			const struct dt_mapuse_value *values, int n);

/* Reads the maps, builds, and symbolises the stacks with ksyms. -errno on failure. */
/*
 * Before load, for every command that attaches mapuse's probes (mapuse; share, whose model
 * counts the filesystem's lookups): the use table and stack map at their full size.
 */
int mapuse_report_size_maps(struct bpf_map *uses, struct bpf_map *stacks);

int mapuse_report_read(struct mapuse_report *r, int uses_fd, int stacks_fd, int dropped_fd,
		       const struct ksym_table *ksyms);

void mapuse_report_free(struct mapuse_report *r);

#endif /* DAXTRACE_MAPUSE_REPORT_H */
