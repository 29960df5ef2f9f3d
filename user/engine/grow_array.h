/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one growable array of the engine: items of one size, appended at the end. A grow that
 * fails leaves the array as it was (never `p = realloc(p, ...)`), so the caller frees what it
 * has and returns.
 */
#ifndef DAXTRACE_GROW_ARRAY_H
#define DAXTRACE_GROW_ARRAY_H

#include <stddef.h>

struct grow_array {
	void *items;
	size_t item_size;
	int nr;
	int capacity;
};

#define GROW_ARRAY_INIT(type) ((struct grow_array){ .item_size = sizeof(type) })

/* Room for at least nr + more items; -ENOMEM (array unchanged) when that cannot be had. */
int grow_array_reserve(struct grow_array *a, int more);

/* A zeroed new last item, or NULL (array unchanged) when out of memory. */
void *grow_array_push(struct grow_array *a);

/* The address of item i (no bounds check). */
static inline void *grow_array_at(const struct grow_array *a, int i)
{
	return (char *)a->items + (size_t)i * a->item_size;
}

/* Hands the items to the caller (free() them) and leaves the array empty. */
void *grow_array_take(struct grow_array *a, int *nr);

void grow_array_free(struct grow_array *a);

#endif /* DAXTRACE_GROW_ARRAY_H */
