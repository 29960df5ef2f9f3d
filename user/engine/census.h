/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The owner census of `daxtrace share`, summarised from the BPF maps: the owner histogram,
 * which files hold pmem and which pairs of files share it, and the numbers the design model
 * (docs/designs.md) is computed from. census_build() is pure, for the unit tests.
 */
#ifndef DAXTRACE_CENSUS_H
#define DAXTRACE_CENSUS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "daxtrace_share.h"

#define CENSUS_MAX_OWNERS 64 /* owner histogram buckets; the last holds "64 or more" */

struct census_file_id {
	__u32 dev;
	__u64 ino;
};

struct census_file {
	struct census_file_id id;
	__u64 pfns;
	__u64 shared_pfns;
};

/* A device's shared units: reflink shares within one filesystem, so its owners' device. */
struct census_dev {
	__u32 dev;
	__u64 shared_pfns;
};

struct census_pair {
	struct census_file_id a, b; /* a < b */
	__u64 shared_pfns;
	__u64 shared_bytes;
};

struct census {
	__u64 pfns; /* census units with at least one owner */
	__u64 owners_hist[CENSUS_MAX_OWNERS + 1]; /* [n]: units with n owners */
	__u64 owner_entries; /* sum of owners: page-cache entries of the pfn-entries design */
	__u64 unlisted_owners; /* owners beyond DT_SHARE_SLOTS: counted, not named */
	__u64 shared_pfns;
	__u64 shared_bytes;
	__u64 extra_owners; /* sum of (owners - 1) over shared units */
	__u64 index_differs; /* shared units whose owners do not all have the same index */
	__u64 index_overrides; /* owners whose index is not the unit's most common one */
	/* The same census per 4 KiB page: a PMD unit counts its 512 pages (docs/designs.md). */
	__u64 pages; /* pages of all units */
	__u64 shared_pages; /* pages of shared units */
	__u64 extra_owner_pages; /* sum of (owners - 1) x pages over shared units */
	__u64 owner_entry_pages; /* sum of owners x pages: owners' mappings of single pages */
	__u64 pmd_units; /* units that are PMD entries (order DT_PMD_ORDER) */
	__u64 shared_pmd_units;
	struct census_file *files;
	int nr_files;
	struct census_pair *pairs; /* most shared first */
	int nr_pairs;
	struct census_dev *devs; /* by device */
	int nr_devs;
	struct dt_share_totals totals;
	struct dt_share_gauges gauges;
	struct dt_anomaly samples[DT_SHARE_SAMPLES];
	int nr_samples;
};

struct census_maps {
	int owners_fd;
	int totals_fd;
	int gauges_fd;
	int anomalies_fd;
};

/*
 * The per-page figures of struct census by JSON key, so that the report and a record write
 * (and read) the same ones: pages ... shared_pmd_units.
 */
struct census_figure {
	const char *key;
	size_t offset; /* of a __u64 member of struct census */
};

#define CENSUS_NR_PAGE_FIGURES 6
extern const struct census_figure census_page_figures[CENSUS_NR_PAGE_FIGURES];

/* The value of the member a figure names, and setting it (a record read back). */
__u64 census_figure(const struct census *c, const struct census_figure *f);
void census_figure_set(struct census *c, const struct census_figure *f, __u64 value);

/* The share counters' names (enum dt_share_counter), as JSON keys. */
extern const char *const share_counter_names[DT_NR_SHARE_COUNTERS];

/* Bytes a census unit stands for: 4 KiB, or 2 MiB for a PMD entry. */
__u64 census_unit_bytes(const struct dt_pfn_owners *record);

/* 4 KiB pages a census unit stands for: 1, or 512 for a PMD entry. */
__u64 census_unit_pages(const struct dt_pfn_owners *record);

/*
 * Summarises n records (any order); totals, gauges and samples are left as they are. On
 * failure (-ENOMEM) nothing is left allocated.
 */
int census_build(struct census *c, const struct dt_pfn_owners *records, int n);

/* Reads the maps (engine/map_read.h) and builds; -errno on failure, nothing allocated. */
int census_read(struct census *c, const struct census_maps *maps);

void census_free(struct census *c);

#endif /* DAXTRACE_CENSUS_H */
