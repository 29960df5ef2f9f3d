/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The census units of a replay (share_replay.c), keyed by pfn as bpf/share.bpf.c's pfn_owners
 * map is: open addressing with linear probing, doubled when half full, and deletion by moving
 * the following entries back (no tombstones, so a long replay of joins and leaves never
 * degrades). A hash map of the C library would not do: hsearch() cannot delete, and a stream's
 * pfns are its writer's choice, so a tree of our own would need balancing for sorted input.
 *
 * values[] is kept whole, a free slot zeroed (owners 0), so that census_build(), which skips
 * records of no owner, takes it as it is: pfn_table_values().
 */
#ifndef DAXTRACE_PFN_TABLE_H
#define DAXTRACE_PFN_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "daxtrace_share.h"

struct pfn_table {
	__u64 *keys;
	bool *used;
	struct dt_pfn_owners *values;
	size_t capacity; /* 0 or a power of 2 */
	size_t nr;
};

/* The unit of pfn, or NULL. */
struct dt_pfn_owners *pfn_table_find(const struct pfn_table *t, __u64 pfn);

/* A new zeroed unit for pfn (not in the table), or NULL when out of memory (table unchanged). */
struct dt_pfn_owners *pfn_table_add(struct pfn_table *t, __u64 pfn);

/* Removes pfn's unit, if there is one; other units' addresses may change. */
void pfn_table_remove(struct pfn_table *t, __u64 pfn);

/* capacity records, the free ones zeroed (owners 0). */
static inline const struct dt_pfn_owners *pfn_table_values(const struct pfn_table *t)
{
	return t->values;
}

void pfn_table_free(struct pfn_table *t);

#endif /* DAXTRACE_PFN_TABLE_H */
