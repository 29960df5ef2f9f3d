// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/types.h>

#include "engine/map_read.h"

/* The kernel's "operation not supported" (include/linux/errno.h), which userspace lacks. */
#ifndef ENOTSUPP
#define ENOTSUPP 524
#endif

#define BATCH_FIRST_CHUNK 256U

struct map_shape {
	size_t key_size;
	size_t value_size;
	size_t stride; /* one CPU's copy: the value rounded up to 8 bytes (bpf_map_lookup_elem) */
	bool percpu;
	int nr_cpus; /* copies per value: 1 unless per-CPU */
	__u32 max_entries;
};

void map_merge_sum_u64(void *into, const void *cpu_value, size_t value_size)
{
	__u64 *sum = into;
	const __u64 *add = cpu_value;

	for (size_t i = 0; i < value_size / sizeof(__u64); i++)
		sum[i] += add[i];
}

int map_read_nr_cpus(void)
{
	return libbpf_num_possible_cpus();
}

static size_t cpu_stride(size_t value_size)
{
	return (value_size + 7) & ~(size_t)7;
}

void map_percpu_merge(void *into, const void *per_cpu, size_t value_size, int nr_cpus,
		      map_merge_fn merge)
{
	size_t stride = cpu_stride(value_size);

	memset(into, 0, value_size);
	for (int cpu = 0; cpu < nr_cpus; cpu++)
		(merge ? merge : map_merge_sum_u64)(into, (const char *)per_cpu + cpu * stride,
						    value_size);
}

int map_read_percpu_each(int fd, const void *key, size_t value_size,
			 void (*each)(void *ctx, int cpu, const void *value), void *ctx)
{
	int nr_cpus = map_read_nr_cpus();
	size_t stride = cpu_stride(value_size);
	char *per_cpu;

	if (nr_cpus <= 0)
		return nr_cpus < 0 ? nr_cpus : -EINVAL;
	per_cpu = calloc(nr_cpus, stride);
	if (!per_cpu)
		return -ENOMEM;
	if (bpf_map_lookup_elem(fd, key, per_cpu)) {
		int err = -errno;

		free(per_cpu);
		return err;
	}
	for (int cpu = 0; cpu < nr_cpus; cpu++)
		each(ctx, cpu, per_cpu + cpu * stride);
	free(per_cpu);
	return 0;
}

struct merge_ctx {
	void *into;
	size_t value_size;
	map_merge_fn merge;
};

static void merge_one(void *ctx, int cpu, const void *value)
{
	struct merge_ctx *m = ctx;

	(void)cpu;
	m->merge(m->into, value, m->value_size);
}

int map_read_percpu(int fd, const void *key, size_t value_size, map_merge_fn merge, void *into)
{
	struct merge_ctx m = { into, value_size, merge ? merge : map_merge_sum_u64 };
	void *sum = calloc(1, value_size);
	int err;

	if (!sum)
		return -ENOMEM;
	m.into = sum;
	err = map_read_percpu_each(fd, key, value_size, merge_one, &m);
	if (!err)
		memcpy(into, sum, value_size);
	free(sum);
	return err;
}

static bool type_is_percpu(__u32 type)
{
	return type == BPF_MAP_TYPE_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_ARRAY ||
	       type == BPF_MAP_TYPE_LRU_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE;
}

static int map_shape_get(int fd, size_t key_size, size_t value_size, struct map_shape *shape)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	if (info.key_size != key_size || info.value_size != value_size)
		return -EINVAL; /* the map is not the one the caller's structs describe */
	shape->key_size = key_size;
	shape->value_size = value_size;
	shape->stride = cpu_stride(value_size);
	shape->percpu = type_is_percpu(info.type);
	shape->nr_cpus = shape->percpu ? map_read_nr_cpus() : 1;
	shape->max_entries = info.max_entries;
	return shape->nr_cpus > 0 ? 0 : -EINVAL;
}

/* The value slot of the next row: the row itself, or the per-CPU copies to merge into it. */
static void *value_out(struct map_rows *rows, void *per_cpu)
{
	return per_cpu ? per_cpu : grow_array_at(&rows->values, rows->values.nr);
}

/* Appends count rows whose keys and values (or per-CPU copies) the kernel just wrote. */
static void take_rows(const struct map_shape *shape, struct map_rows *rows, const char *per_cpu,
		      __u32 count, map_merge_fn merge)
{
	if (per_cpu)
		for (__u32 i = 0; i < count; i++)
			map_percpu_merge(grow_array_at(&rows->values, rows->values.nr + i),
					 per_cpu + i * shape->stride * shape->nr_cpus,
					 shape->value_size, shape->nr_cpus, merge);
	rows->keys.nr += count;
	rows->values.nr += count;
}

/* A per-CPU buffer of chunk values, grown without losing the old one on failure. */
static int per_cpu_buffer(const struct map_shape *shape, __u32 chunk, char **buffer)
{
	char *grown;

	if (!shape->percpu)
		return 0;
	grown = realloc(*buffer, (size_t)chunk * shape->stride * shape->nr_cpus);
	if (!grown)
		return -ENOMEM;
	*buffer = grown;
	return 0;
}

/* -EINVAL / -ENOTSUPP / -EOPNOTSUPP from the first call: no batch for this map or kernel. */
static bool batch_refused(int err)
{
	return err == -EINVAL || err == -ENOTSUPP || err == -EOPNOTSUPP;
}

static int read_batch(int fd, const struct map_shape *shape, map_merge_fn merge,
		      struct map_rows *rows)
{
	/* The position token: a bucket number (hash maps) or a key (arrays). */
	size_t token_size = shape->key_size > 8 ? shape->key_size : 8;
	char *tokens = calloc(2, token_size), *per_cpu = NULL;
	__u32 chunk = BATCH_FIRST_CHUNK;
	bool first = true;
	int err = tokens ? 0 : -ENOMEM;

	if (shape->max_entries && chunk > shape->max_entries)
		chunk = shape->max_entries;
	while (!err) {
		__u32 count = chunk;

		err = grow_array_reserve(&rows->keys, chunk)	       ?:
			      grow_array_reserve(&rows->values, chunk) ?:
			      per_cpu_buffer(shape, chunk, &per_cpu);
		if (err)
			break;
		err = bpf_map_lookup_batch(fd, first ? NULL : tokens, tokens + token_size,
					   grow_array_at(&rows->keys, rows->keys.nr),
					   value_out(rows, per_cpu), &count, NULL);
		if (err == -ENOSPC && count == 0 && chunk < shape->max_entries) {
			chunk *= 2; /* one hash bucket holds more than a chunk: take it whole */
			err = 0;
			continue;
		}
		if (err && err != -ENOENT)
			break;
		take_rows(shape, rows, per_cpu, count, merge);
		if (err == -ENOENT) {
			err = 0; /* the end of the map */
			break;
		}
		memcpy(tokens, tokens + token_size, token_size);
		first = false;
	}
	free(tokens);
	free(per_cpu);
	return err;
}

static int read_walk(int fd, const struct map_shape *shape, map_merge_fn merge,
		     struct map_rows *rows)
{
	char *keys = calloc(2, shape->key_size), *per_cpu = NULL;
	/* Each deletion under the walk restarts it: give up on a map that never holds still. */
	long long steps = 0, limit = 4LL * shape->max_entries + 64;
	void *prev = NULL;
	int err = keys ? 0 : -ENOMEM;

	if (!err)
		err = per_cpu_buffer(shape, 1, &per_cpu);
	while (!err && ++steps <= limit) {
		char *next = keys + shape->key_size;

		err = bpf_map_get_next_key(fd, prev, next);
		if (err)
			break;
		memcpy(keys, next, shape->key_size);
		prev = keys;
		err = grow_array_reserve(&rows->keys, 1) ?: grow_array_reserve(&rows->values, 1);
		if (err)
			break;
		if (bpf_map_lookup_elem(fd, keys, value_out(rows, per_cpu)))
			continue; /* deleted between the two calls: not there any more */
		memcpy(grow_array_at(&rows->keys, rows->keys.nr), keys, shape->key_size);
		take_rows(shape, rows, per_cpu, 1, merge);
	}
	if (err == -ENOENT || steps > limit)
		err = 0;
	free(keys);
	free(per_cpu);
	if (!err)
		map_rows_dedupe(rows);
	return err;
}

int map_read_rows(int fd, size_t key_size, size_t value_size, map_merge_fn merge,
		  enum map_read_path path, struct map_rows *rows)
{
	struct map_shape shape = {};
	int err;

	rows->keys = (struct grow_array){ .item_size = key_size };
	rows->values = (struct grow_array){ .item_size = value_size };
	err = map_shape_get(fd, key_size, value_size, &shape);
	if (err)
		return err;
	err = path == MAP_READ_WALK ? -EOPNOTSUPP : read_batch(fd, &shape, merge, rows);
	if (batch_refused(err) && rows->keys.nr == 0)
		err = read_walk(fd, &shape, merge, rows);
	if (err)
		map_rows_free(rows);
	return err;
}

struct dedupe_ctx {
	const char *keys;
	size_t key_size;
};

/* By key, then by position: the first of equal keys sorts first. */
static int compare_positions(const void *a, const void *b, void *arg)
{
	const struct dedupe_ctx *ctx = arg;
	int i = *(const int *)a, j = *(const int *)b;
	int order =
		memcmp(ctx->keys + i * ctx->key_size, ctx->keys + j * ctx->key_size, ctx->key_size);

	return order ? order : (i > j) - (i < j);
}

int map_rows_dedupe(struct map_rows *rows)
{
	struct dedupe_ctx ctx = { rows->keys.items, rows->keys.item_size };
	int n = rows->keys.nr, kept = 0;
	int *order, *dropped;

	if (n < 2)
		return n;
	order = calloc(n, sizeof(*order));
	dropped = calloc(n, sizeof(*dropped));
	if (!order || !dropped) {
		/* Out of memory: the rows stay, duplicates and all. */
		free(order);
		free(dropped);
		return n;
	}
	for (int i = 0; i < n; i++)
		order[i] = i;
	qsort_r(order, n, sizeof(*order), compare_positions, &ctx);
	for (int i = 1; i < n; i++)
		dropped[order[i]] = !memcmp(ctx.keys + order[i] * ctx.key_size,
					    ctx.keys + order[i - 1] * ctx.key_size, ctx.key_size);
	for (int i = 0; i < n; i++) {
		if (dropped[i])
			continue;
		if (kept != i) {
			memcpy(grow_array_at(&rows->keys, kept), grow_array_at(&rows->keys, i),
			       rows->keys.item_size);
			memcpy(grow_array_at(&rows->values, kept), grow_array_at(&rows->values, i),
			       rows->values.item_size);
		}
		kept++;
	}
	rows->keys.nr = rows->values.nr = kept;
	free(order);
	free(dropped);
	return kept;
}

void map_rows_free(struct map_rows *rows)
{
	grow_array_free(&rows->keys);
	grow_array_free(&rows->values);
}
