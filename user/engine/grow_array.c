// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/grow_array.h"

int grow_array_reserve(struct grow_array *a, int more)
{
	long long want = (long long)a->nr + more;
	long long capacity = a->capacity ? a->capacity : 64;
	void *grown;

	if (more < 0 || want > INT_MAX)
		return -ENOMEM;
	if (want <= a->capacity)
		return 0;
	while (capacity < want)
		capacity *= 2;
	if (capacity > INT_MAX)
		capacity = INT_MAX;
	if ((size_t)capacity > SIZE_MAX / a->item_size)
		return -ENOMEM;
	grown = realloc(a->items, (size_t)capacity * a->item_size);
	if (!grown)
		return -ENOMEM;
	a->items = grown;
	a->capacity = capacity;
	return 0;
}

void *grow_array_push(struct grow_array *a)
{
	void *item;

	if (grow_array_reserve(a, 1))
		return NULL;
	item = grow_array_at(a, a->nr++);
	memset(item, 0, a->item_size);
	return item;
}

void *grow_array_take(struct grow_array *a, int *nr)
{
	void *items = a->items;

	*nr = a->nr;
	a->items = NULL;
	a->nr = 0;
	a->capacity = 0;
	return items;
}

void grow_array_free(struct grow_array *a)
{
	free(a->items);
	a->items = NULL;
	a->nr = 0;
	a->capacity = 0;
}
