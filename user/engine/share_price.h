/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Each sharing design's counts (share_model.h) multiplied by a cost per operation: kernel time
 * that share measured in this run (share_costs.h), or an assumption the user can replace with
 * a flag. docs/designs.md "Priced" gives each unit cost and why that operation stands for it.
 * Pure: the online report and the offline replay price the same numbers the same way.
 */
#ifndef DAXTRACE_SHARE_PRICE_H
#define DAXTRACE_SHARE_PRICE_H

#include <stdbool.h>
#include <linux/types.h>

#include "engine/share_costs.h"
#include "engine/share_model.h"

/* What one operation of a design costs, in ns. */
enum share_unit {
	SHARE_UNIT_UPDATE, /* a share-count update: dax_disassociate_entry of a shared unit */
	SHARE_UNIT_ALLOC, /* a proxy or protection record made or freed (assumed) */
	SHARE_UNIT_LOOKUP, /* a pfn -> proxy or protection lookup (assumed) */
	SHARE_UNIT_RMAP_WALK, /* a filesystem reverse lookup: xfs_dax_notify_failure's walk */
	SHARE_NR_UNITS,
};

enum share_unit_source {
	SHARE_UNIT_UNKNOWN, /* nothing timed it in this run, and no flag gave it */
	SHARE_UNIT_MEASURED, /* the average of the operations it stands for, timed here */
	SHARE_UNIT_FALLBACK, /* measured, from the stand-in operation named in `from` */
	SHARE_UNIT_ASSUMED, /* the default assumption: as much as `from` costs */
	SHARE_UNIT_GIVEN, /* a flag gave it */
};

/* The flags: -1 takes the default of each (docs/daxtrace-share.8, --alloc-ns ...). */
struct share_price_params {
	long long alloc_ns;
	long long lookup_ns;
	long long rmap_walk_ns;
};

#define SHARE_PRICE_PARAMS_DEFAULT ((struct share_price_params){ -1, -1, -1 })

struct share_unit_cost {
	enum share_unit_source source;
	__u64 ns; /* not UNKNOWN */
	__u64 samples; /* MEASURED, FALLBACK, ASSUMED: the timed calls the average is of */
	const char *from; /* what it is (or would be) taken from: operations, a unit, a flag */
};

/* One term: a count the model implies times one unit cost. */
struct share_price_term {
	const char *name; /* JSON key and text label */
	bool counted; /* the model measured the count (share_uses.measured, for the readers') */
	__u64 count;
	enum share_unit unit;
	bool priced; /* counted, and the count is 0 or the unit is known */
	__u64 ns;
};

#define SHARE_PRICE_MAX_TERMS 3

enum share_design {
	SHARE_KERNEL,
	SHARE_PROXY,
	SHARE_PFN_ENTRIES,
	SHARE_WRITE_PROTECT,
	SHARE_NR_DESIGNS
};

struct share_design_price {
	int nr_terms;
	struct share_price_term terms[SHARE_PRICE_MAX_TERMS];
	bool priced; /* every term priced (and, for lookups, the readers measured) */
	__u64 total_ns;
};

struct share_price {
	struct share_unit_cost unit[SHARE_NR_UNITS];
	struct share_design_price design[SHARE_NR_DESIGNS];
};

extern const char *const share_unit_names[SHARE_NR_UNITS];
extern const char *const share_unit_flags[SHARE_NR_UNITS]; /* NULL: no flag, measured only */
extern const char *const share_unit_source_names[];
extern const char *const share_design_names[SHARE_NR_DESIGNS];

void share_price_compute(struct share_price *p, const struct share_model *m,
			 const struct share_costs *costs, const struct share_price_params *params);

#endif /* DAXTRACE_SHARE_PRICE_H */
