// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/pfn_table.h"

#define FIRST_CAPACITY 64
/* census_build() counts records in an int: far beyond any memory this machine has anyway */
#define MAX_CAPACITY ((size_t)1 << 30)

/* Fibonacci hashing: consecutive pfns (a file's extent) spread over the table. */
static size_t home_slot(const struct pfn_table *t, __u64 pfn)
{
	return (size_t)(pfn * 0x9e3779b97f4a7c15ULL) & (t->capacity - 1);
}

/* The slot holding pfn, or the free slot where the probe for it ends. */
static size_t probe(const struct pfn_table *t, __u64 pfn)
{
	size_t i = home_slot(t, pfn);

	while (t->used[i] && t->keys[i] != pfn)
		i = (i + 1) & (t->capacity - 1);
	return i;
}

struct dt_pfn_owners *pfn_table_find(const struct pfn_table *t, __u64 pfn)
{
	size_t i;

	if (!t->nr)
		return NULL;
	i = probe(t, pfn);
	return t->used[i] ? &t->values[i] : NULL;
}

static int grow(struct pfn_table *t)
{
	size_t capacity = t->capacity ? t->capacity * 2 : FIRST_CAPACITY;
	struct pfn_table bigger = { .capacity = capacity, .nr = t->nr };

	if (capacity > MAX_CAPACITY)
		return -ENOMEM;
	bigger.keys = calloc(capacity, sizeof(*bigger.keys));
	bigger.used = calloc(capacity, sizeof(*bigger.used));
	bigger.values = calloc(capacity, sizeof(*bigger.values));
	if (!bigger.keys || !bigger.used || !bigger.values) {
		pfn_table_free(&bigger);
		return -ENOMEM;
	}
	for (size_t i = 0; i < t->capacity; i++) {
		size_t j;

		if (!t->used[i])
			continue;
		j = probe(&bigger, t->keys[i]);
		bigger.used[j] = true;
		bigger.keys[j] = t->keys[i];
		bigger.values[j] = t->values[i];
	}
	pfn_table_free(t);
	*t = bigger;
	return 0;
}

struct dt_pfn_owners *pfn_table_add(struct pfn_table *t, __u64 pfn)
{
	size_t i;

	if ((t->nr + 1) * 2 > t->capacity && grow(t))
		return NULL;
	i = probe(t, pfn);
	t->used[i] = true;
	t->keys[i] = pfn;
	memset(&t->values[i], 0, sizeof(t->values[i]));
	t->nr++;
	return &t->values[i];
}

/* Whether slot j's entry, at home h, may move back to the hole: h is not in (hole, j]. */
static bool may_fill(size_t hole, size_t j, size_t h)
{
	return hole <= j ? (h <= hole || h > j) : (h <= hole && h > j);
}

void pfn_table_remove(struct pfn_table *t, __u64 pfn)
{
	size_t mask = t->capacity - 1, hole, j;

	if (!t->nr)
		return;
	hole = probe(t, pfn);
	if (!t->used[hole])
		return;
	/* backward shift: every entry after the hole whose probe passes it moves into it */
	for (j = (hole + 1) & mask; t->used[j]; j = (j + 1) & mask) {
		if (!may_fill(hole, j, home_slot(t, t->keys[j])))
			continue;
		t->keys[hole] = t->keys[j];
		t->values[hole] = t->values[j];
		hole = j;
	}
	t->used[hole] = false;
	memset(&t->values[hole], 0, sizeof(t->values[hole]));
	t->nr--;
}

void pfn_table_free(struct pfn_table *t)
{
	free(t->keys);
	free(t->used);
	free(t->values);
	memset(t, 0, sizeof(*t));
}
