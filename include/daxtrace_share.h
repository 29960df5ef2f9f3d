/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The owner census of `daxtrace share`, shared by bpf/share.bpf.c and userspace: which files a
 * DAX entry's pfn is associated with, what the kernel's own share count said, and the
 * transitions in between. docs/designs.md explains every field and the models built on them.
 *
 * The census unit is one DAX entry: a 4 KiB page, or a PMD entry counted once as one 2 MiB
 * unit keyed by its first pfn ("unit": "pmd" in the output). The kernel keeps one share count
 * per PMD folio since v6.15, and the same count on each of the 512 pages before: the first
 * page's count is the entry's on every kernel.
 */
#ifndef DAXTRACE_SHARE_H
#define DAXTRACE_SHARE_H

#include "daxtrace.h"

#define DT_SHARE_SLOTS 7 /* owners listed per pfn; more are counted, not listed */
#define DT_SHARE_SAMPLES 16 /* anomalies kept whole */
#define DT_SHARE_DEFAULT_PFNS 65536

/* One owner of a pfn: a file and the page index the entry has there. ino 0 = free slot. */
struct dt_owner {
	__u64 ino;
	__u64 index;
	__u32 dev;
	__u32 pad;
};

/* Value of the census map, keyed by the entry's first pfn. */
struct dt_pfn_owners {
	__u32 owners; /* all owners, listed in slot[] or not */
	__u32 order; /* 0: a 4 KiB entry, DT_PMD_ORDER: a PMD entry */
	__u64 shared_since_ns; /* when it last went from 1 to 2 owners */
	/*
	 * owners that found every slot taken: a leave matching no slot is one of them while this
	 * is not 0, and only then (else it is an owner the census never had: unmatched)
	 */
	__u32 unlisted;
	__u32 pad;
	struct dt_owner slot[DT_SHARE_SLOTS];
};

enum dt_share_counter {
	DT_SH_ASSOCIATIONS, /* an owner joined a pfn */
	DT_SH_DISASSOCIATIONS, /* an owner left a pfn */
	DT_SH_BECAME_SHARED, /* 1 -> 2 owners */
	DT_SH_BECAME_UNSHARED, /* 2 -> 1 owners */
	DT_SH_BREAKS, /* a fault moved an owner off a pfn that others still own (COW) */
	DT_SH_SHARED_UPDATES, /* associations and disassociations with 2 or more owners */
	DT_SH_ANOMALIES, /* census and kernel share count disagreed */
	DT_SH_UNMATCHED, /* a disassociation of an owner the census did not have */
	DT_SH_EVICTED, /* a new pfn not recorded: the census map was full */
	DT_SH_NO_CONTEXT, /* a disassociation whose file could not be told (7.x .isra clone) */
	DT_SH_SHARED_JOINS, /* associations leaving 2 or more owners (reinserts too): proxy allocations */
	DT_SH_SHARED_UPDATES_ELSEWHERE, /* shared updates outside a fault: FICLONE, truncate, punch */
	/*
	 * struct pages the kernel wrote for DT_SH_SHARED_UPDATES: 512 per update of a PMD unit
	 * where the count is per page (v6.0-v6.14), 1 where it is per folio (v6.15+)
	 */
	DT_SH_SHARED_UPDATE_PAGES,
	DT_NR_SHARE_COUNTERS,
};

/* Per CPU; userspace sums. */
struct dt_share_totals {
	__u64 count[DT_NR_SHARE_COUNTERS];
	__u64 break_age_sum_ns; /* from a pfn becoming shared to the break that left it */
	__u64 break_age_max_ns;
	__u64 break_age_slots[DT_LAT_SLOTS];
};

/* Levels over the whole system, updated atomically (one copy, not per CPU). */
struct dt_share_gauges {
	__s64 shared; /* pfns with 2 or more owners now */
	__s64 shared_peak;
	__s64 extra_owners; /* sum of (owners - 1) over shared pfns: proxy objects */
	__s64 extra_owners_peak;
	__u64 samples; /* anomaly samples claimed */
};

/* How struct page / struct folio carry the share count (bpf/page_share.bpf.h). */
enum dt_page_layout {
	DT_LAYOUT_UNKNOWN,
	DT_LAYOUT_V61, /* v6.0-v6.1: ->mapping = PAGE_MAPPING_DAX_COW, count in ->index */
	DT_LAYOUT_V62, /* v6.2-v6.14: ->mapping = PAGE_MAPPING_DAX_SHARED, count in page->share */
	DT_LAYOUT_V615, /* v6.15+: ->mapping = NULL, count in folio->share */
};

enum dt_kernel_state {
	DT_KS_NONE, /* no owner */
	DT_KS_OWNER, /* ->mapping names one file */
	DT_KS_SHARED, /* the shared form: marker or NULL mapping, with a count */
};

enum dt_share_event { DT_EV_ASSOCIATE, DT_EV_DISASSOCIATE };

/* An anomaly kept whole. owners is the census count at the moment of the event. */
struct dt_anomaly {
	__u64 pfn;
	__u64 ino; /* the file of the event */
	__u32 dev;
	__u32 owners;
	__u32 kernel_count;
	__u8 kernel_state;
	__u8 event;
	__u8 layout;
	__u8 pad;
};

/*
 * Measured costs (docs/designs.md "Measured costs"): the duration of each kernel operation a
 * sharing design adds or removes, timed entry to return by share's programs. The order is the
 * output's; names in user/engine/share_costs.c.
 */
enum dt_cost_op {
	DT_COST_ASSOC_PRIVATE, /* dax_insert_entry: an owner joined, leaving 1 owner */
	DT_COST_ASSOC_SHARED, /* dax_insert_entry: an owner joined, leaving 2 or more */
	DT_COST_REINSERT, /* dax_insert_entry: leave and join again of one owner (v6.2+) */
	DT_COST_DISASSOC_SHARED_FAULT, /* dax_disassociate_entry, 2+ owners, in dax_insert_entry */
	DT_COST_DISASSOC_SHARED_ELSEWHERE, /* the same outside a fault: FICLONE, truncate, punch */
	DT_COST_DISASSOC_PRIVATE, /* dax_disassociate_entry of a unit with 1 owner */
	DT_COST_MF_DAX_KILL_PROCS, /* one owner the filesystem's rmap found */
	DT_COST_RMAP_WALK, /* xfs_dax_notify_failure that walked the rmap (not -EOPNOTSUPP) */
	DT_COST_DAX_LOCK, /* dax_lock_folio / dax_lock_page, on a page not held shared */
	DT_COST_DAX_LOCK_SHARED, /* ... on a page the kernel held shared */
	DT_COST_FOLIO_MAPPING, /* folio_mapping / page_mapping on an fsdax pmem page */
	DT_COST_FOLIO_MAPPING_SHARED, /* ... held shared */
	DT_NR_COST_OPS,
};

#define DT_COST_THREADS 4096 /* threads inside a timed lookup at once (an LRU: more evict) */

/* One operation's durations; per CPU, userspace sums. */
struct dt_cost {
	__u64 count;
	__u64 sum_ns;
	__u64 max_ns;
	__u64 slots[DT_LAT_SLOTS]; /* dt_lat_slot(ns) */
};

#endif /* DAXTRACE_SHARE_H */
