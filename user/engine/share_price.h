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
	SHARE_UNIT_FALLBACK, /* measured, on the stand-in operation named in `from` */
	SHARE_UNIT_ASSUMED, /* the default assumption: as much as `from` costs */
	SHARE_UNIT_GIVEN, /* a flag gave it */
};

/* The flags, per unit: -1 takes its default (docs/daxtrace-share.8, --update-ns ...). */
struct share_price_params {
	long long ns[SHARE_NR_UNITS];
};

#define SHARE_PRICE_PARAMS_DEFAULT ((struct share_price_params){ { -1, -1, -1, -1 } })

struct share_unit_cost {
	enum share_unit_source source;
	__u64 ns; /* not UNKNOWN */
	__u64 samples; /* MEASURED, FALLBACK, ASSUMED: the timed calls the average is of */
	const char *from; /* what it was taken from (UNKNOWN: everything it could have been) */
};

enum share_term_state {
	SHARE_TERM_PRICED, /* count x unit (0 when the count is) */
	SHARE_TERM_NOT_COUNTED, /* the model did not measure the count (share_uses.measured) */
	SHARE_TERM_UNIT_UNKNOWN, /* a count above 0 at an unknown unit */
	SHARE_TERM_OVERFLOW, /* count x unit beyond 64 bits (only a corrupt stream's durations) */
};

/* One term: a count the model implies times one unit cost. */
struct share_price_term {
	const char *name; /* JSON key and text label */
	enum share_term_state state;
	__u64 count; /* not NOT_COUNTED */
	enum share_unit unit;
	__u64 ns; /* PRICED */
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
	bool priced; /* every term priced, and their sum within 64 bits */
	__u64 total_ns;
};

struct share_price {
	struct share_unit_cost unit[SHARE_NR_UNITS];
	struct share_design_price design[SHARE_NR_DESIGNS];
};

extern const char *const share_unit_names[SHARE_NR_UNITS];
extern const char *const share_unit_flags[SHARE_NR_UNITS];
extern const char *const share_unit_source_names[];
extern const char *const share_design_names[SHARE_NR_DESIGNS];

void share_price_compute(struct share_price *p, const struct share_model *m,
			 const struct share_costs *costs, const struct share_price_params *params);

#endif /* DAXTRACE_SHARE_PRICE_H */
