/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one way the engine reads a BPF map: a whole map as rows (batch lookup, or a
 * bpf_map_get_next_key walk where the kernel or the map type has no batch operations), one
 * entry of a per-CPU map, and the per-CPU merge, sized by the CPUs the kernel can have
 * (libbpf_num_possible_cpus), never by a fixed bound. A read that fails leaves nothing
 * allocated.
 */
#ifndef DAXTRACE_MAP_READ_H
#define DAXTRACE_MAP_READ_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/grow_array.h"

/*
 * Folds one CPU's copy of a value into the merged value (which starts zeroed). value_size is
 * the map's value size.
 */
typedef void (*map_merge_fn)(void *into, const void *cpu_value, size_t value_size);

/* The merge of values made only of __u64 counters: each word summed. */
void map_merge_sum_u64(void *into, const void *cpu_value, size_t value_size);

/* CPUs a per-CPU value has copies for; negative errno if unknown. */
int map_read_nr_cpus(void);

/*
 * Merges nr_cpus copies of a value laid out as the kernel hands them over (each rounded up to
 * 8 bytes) into into (zeroed first). merge NULL: map_merge_sum_u64.
 */
void map_percpu_merge(void *into, const void *per_cpu, size_t value_size, int nr_cpus,
		      map_merge_fn merge);

/*
 * One entry of a per-CPU map: each CPU's copy is given to each(ctx, cpu, value). -errno
 * (ENOENT: no such key) and each not called on failure.
 */
int map_read_percpu_each(int fd, const void *key, size_t value_size,
			 void (*each)(void *ctx, int cpu, const void *value), void *ctx);

/* One entry of a per-CPU map, merged into into (merge NULL: summed u64 words). -errno. */
int map_read_percpu(int fd, const void *key, size_t value_size, map_merge_fn merge, void *into);

/* Every entry of a map: keys and values in two parallel arrays, values merged over CPUs. */
struct map_rows {
	struct grow_array keys;
	struct grow_array values;
};

enum map_read_path {
	MAP_READ_AUTO, /* batch, or the walk when the kernel refuses batch for this map */
	MAP_READ_WALK, /* get_next_key only (tests; maps known to have no batch) */
};

/*
 * Reads every entry of fd, whose key and value sizes must be key_size and value_size. For a
 * per-CPU map each row's value is the merge (merge NULL: summed u64 words) of its CPUs' copies.
 *
 * A get_next_key walk starts again from the first key when the current one was deleted under
 * it (an LRU eviction, an owner leaving): keys read twice are kept once, where they were first
 * read. The batch path walks buckets and has no such restart. Returns 0 or -errno, and on
 * failure rows is empty.
 */
int map_read_rows(int fd, size_t key_size, size_t value_size, map_merge_fn merge,
		  enum map_read_path path, struct map_rows *rows);

/* Drops the rows whose keys appeared before (first kept, order kept); the new count. */
int map_rows_dedupe(struct map_rows *rows);

void map_rows_free(struct map_rows *rows);

#endif /* DAXTRACE_MAP_READ_H */
