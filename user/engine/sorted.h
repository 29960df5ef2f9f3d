/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qsort and bsearch for arrays that may be empty. C (7.1.4) wants valid pointers even for zero
 * items, and an empty grow_array or map read has none (NULL): UndefinedBehaviorSanitizer
 * stops on that. These skip the call instead, in one place.
 */
#ifndef DAXTRACE_SORTED_H
#define DAXTRACE_SORTED_H

#include <stdlib.h>

typedef int (*compare_fn)(const void *, const void *);

static inline void sort_items(void *items, size_t n, size_t size, compare_fn compare)
{
	if (n)
		qsort(items, n, size, compare);
}

static inline void *find_item(const void *key, const void *items, size_t n, size_t size,
			      compare_fn compare)
{
	return n ? bsearch(key, items, n, size, compare) : NULL;
}

#endif /* DAXTRACE_SORTED_H */
