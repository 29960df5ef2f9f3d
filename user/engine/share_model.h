/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The numbers `daxtrace share` derives from its census, computed once for the text and the
 * JSON report: what the census may have missed, and the cost of each sharing design on the
 * traced workload (docs/designs.md gives each formula and why).
 */
#ifndef DAXTRACE_SHARE_MODEL_H
#define DAXTRACE_SHARE_MODEL_H

#include <stdbool.h>
#include <linux/types.h>

#include "daxtrace_mapuse.h"
#include "engine/census.h"

/* Events the census may not have seen, so that an anomaly can be told from a kernel bug. */
struct share_losses {
	__u64 missed_runs; /* program runs the kernel skipped */
	__u64 no_context; /* disassociations whose file was unknown */
	__u64 evicted; /* census units dropped: the map was full */
	__u64 unmatched; /* disassociations of an owner the census did not have */
	__u64 lost; /* missed_runs + no_context: events in no count */
};

/* Owner lookups the filesystem made (mf_dax_kill_procs), for the pfn-entries design. */
struct share_rmap {
	bool measured; /* the mapuse.fs_rmap point is attached */
	__u64 lookups;
};

/*
 * The ->mapping readers of `daxtrace mapuse` (dax_lock_folio/page, folio_mapping/page_mapping
 * on pmem pages: the page_owner sites) during the run: what the proxy design would turn into
 * proxy lookups, the pfn-entries design into filesystem lookups, and what the
 * write-protection design would have to convert.
 */
struct share_uses {
	bool measured; /* mapuse.lock and mapuse.generic are attached */
	__u64 count[DT_NR_MAPUSE_SITES]; /* uses per site */
	__u64 shared[DT_NR_MAPUSE_SITES]; /* ... on a page the kernel held shared */
};

/*
 * Per unit: a PMD entry counts once, as the design would keep one object for the whole folio.
 * The *_per_page terms charge the same design per 4 KiB page (512 for a PMD unit): what it
 * pays if its objects cannot stand for a folio ("Shared PMD entries" in docs/designs.md).
 */
struct share_model {
	struct { /* today's kernel: a share count per page */
		__u64 shared_pfns;
		__s64 shared_pfns_peak;
		__u64 share_count_updates;
		__u64 share_count_updates_in_faults; /* inside dax_insert_entry */
		__u64 share_count_updates_elsewhere; /* FICLONE layout breaks, truncate, punch */
		/* struct pages those updates wrote: 512 per PMD update up to v6.14, 1 from v6.15 */
		__u64 share_count_update_pages;
	} kernel;
	struct { /* a proxy object per extra owner */
		__u64 objects;
		__s64 objects_peak;
		__u64 index_overrides;
		__u64 bytes_per_object;
		__u64 bytes;
		__u64 allocations; /* an owner joined a shared unit: a proxy is made */
		__u64 frees; /* an owner left a shared unit: its proxy goes */
		__u64 lookups; /* ->mapping readers on shared pages: pfn -> proxy (uses.measured) */
		__u64 objects_per_page; /* a proxy per extra owner of each page */
		__u64 bytes_per_page_proxies;
	} proxy;
	struct { /* pfn entries in each owner's page cache */
		__u64 entries; /* one multi-order xarray entry per owner of a unit */
		__u64 entries_per_page;
		struct share_rmap rmap;
		/* ->mapping readers on any DAX page: none names its owner (uses.measured) */
		__u64 owner_lookups;
		/* owners leaving a shared unit outside a fault: who still owns the pfn? */
		__u64 shared_unmaps;
		__u64 reverse_lookups; /* the three together (when all are measured) */
	} pfn_entries;
	struct { /* write-protect the shared pages, a callback when sharing breaks */
		__u64 objects;
		__s64 objects_peak;
		__u64 break_callbacks;
		__u64 allocations; /* a unit became shared: its record is made */
		__u64 frees; /* a unit became unshared: its record goes */
		/* page_owner sites that met a shared page: each must learn write protection */
		__u64 sites_to_convert;
		__u64 uses_on_shared; /* their uses on shared pages */
		__u64 objects_per_page; /* a protection record per shared page */
	} write_protect;
	struct share_uses uses; /* what the terms above marked "uses.measured" come from */
};

void share_losses_compute(struct share_losses *l, const struct census *c, __u64 missed_runs);

/* uses: NULL when the ->mapping readers were not probed (the terms from them unmeasured). */
void share_model_compute(struct share_model *m, const struct census *c, __u64 proxy_bytes,
			 const struct share_rmap *rmap, const struct share_uses *uses);

/* The uses of a mapuse report (engine/mapuse_report.h), for share_model_compute. */
struct mapuse_report;
void share_uses_from_report(struct share_uses *u, const struct mapuse_report *r, bool measured);

/* True when some unit is a PMD entry: the per-page terms then differ from the per-unit ones. */
bool share_model_has_pmd(const struct share_model *m);

#endif /* DAXTRACE_SHARE_MODEL_H */
