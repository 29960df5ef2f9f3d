/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `daxtrace mapuse`, shared by bpf/mapuse.bpf.c and userspace: kernel call sites that look up
 * the owner of a DAX page, through the page (->mapping / ->index) or through the filesystem.
 */
#ifndef DAXTRACE_MAPUSE_H
#define DAXTRACE_MAPUSE_H

#include "daxtrace.h"

#define DT_MAPUSE_STACK_DEPTH 32
#define DT_MAPUSE_STACKS 1024
#define DT_MAPUSE_KEYS 4096
#define DT_PMEM_RANGES 4

/* The probed functions; each is a site of one kind. */
enum dt_mapuse_site {
	DT_SITE_DAX_LOCK_PAGE, /* page_owner: memory failure reads page->mapping (<= 6.6) */
	DT_SITE_DAX_LOCK_FOLIO, /* page_owner: the same on a folio (>= 6.7) */
	DT_SITE_FOLIO_MAPPING, /* page_owner: generic ->mapping reader, on a pmem page */
	DT_SITE_PAGE_MAPPING, /* page_owner: the same, page flavour (<= 6.1) */
	DT_SITE_MF_DAX_KILL_PROCS, /* fs_reverse: one owner found by the filesystem's rmap */
	DT_SITE_LAYOUT_BUSY, /* fs_reverse: truncate/punch/clone walk the file's DAX entries */
	DT_NR_MAPUSE_SITES,
};

/* One aggregation row: a use at a site, from one stack, by one process, on one file. */
struct dt_mapuse_key {
	__u32 site;
	__s32 stackid; /* negative: the stack could not be taken */
	__u32 tgid;
	__u32 dev; /* 0 when the page names no file (shared, or no owner) */
	__u64 ino;
	char comm[DT_COMM_LEN];
};

struct dt_mapuse_value {
	__u64 count;
	__u64 shared; /* uses on a page the kernel itself held shared at that moment */
};

#endif /* DAXTRACE_MAPUSE_H */
