// SPDX-License-Identifier: GPL-2.0
/*
 * The map reader: the growable array, the per-CPU merge with a made-up CPU count, the
 * de-duplication of a restarted walk, and real maps (hash, per-CPU hash, LRU per-CPU hash,
 * per-CPU array) read by batch and by the get_next_key walk, with exact counts.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <bpf/bpf.h>
#include <linux/types.h>

#include "engine/grow_array.h"
#include "engine/map_read.h"

#define NR_KEYS 1000 /* more than one batch chunk (256) */

struct pair_value {
	__u64 count;
	__u64 bytes;
};

/* A value whose size is no multiple of 8: its per-CPU copies are 16 bytes apart. */
struct odd_value {
	__u32 a, b, c;
};

static void test_grow_array_push_and_take(void **state)
{
	struct grow_array a = GROW_ARRAY_INIT(__u64);
	__u64 *items;
	int nr;

	(void)state;
	for (int i = 0; i < 1000; i++) {
		__u64 *slot = grow_array_push(&a);

		assert_non_null(slot);
		assert_int_equal(*slot, 0); /* zeroed */
		*slot = i * 3;
	}
	assert_int_equal(a.nr, 1000);
	assert_true(a.capacity >= 1000);
	assert_int_equal(*(__u64 *)grow_array_at(&a, 999), 2997);
	items = grow_array_take(&a, &nr);
	assert_int_equal(nr, 1000);
	assert_null(a.items);
	assert_int_equal(a.nr, 0);
	assert_int_equal(items[500], 1500);
	free(items);
}

static void test_grow_array_failed_grow_keeps_items(void **state)
{
	struct grow_array a = GROW_ARRAY_INIT(char[1024]);

	(void)state;
	assert_non_null(grow_array_push(&a));
	memset(a.items, 'x', 1024);
	/* Far beyond any allocation: refused, the array as it was. */
	assert_int_equal(grow_array_reserve(&a, 0x7fffff00), -ENOMEM);
	assert_int_equal(grow_array_reserve(&a, -1), -ENOMEM);
	assert_int_equal(a.nr, 1);
	assert_non_null(a.items);
	assert_int_equal(((char *)a.items)[1023], 'x');
	grow_array_free(&a);
	assert_null(a.items);
	assert_int_equal(a.capacity, 0);
}

static void test_percpu_sum_made_up_cpus(void **state)
{
	enum { CPUS = 7 };
	struct pair_value per_cpu[CPUS], sum;

	(void)state;
	for (int cpu = 0; cpu < CPUS; cpu++)
		per_cpu[cpu] = (struct pair_value){ cpu + 1, 100 * (cpu + 1) };
	map_percpu_merge(&sum, per_cpu, sizeof(sum), CPUS, NULL);
	assert_int_equal(sum.count, 28);
	assert_int_equal(sum.bytes, 2800);
	map_percpu_merge(&sum, per_cpu, sizeof(sum), 1, NULL);
	assert_int_equal(sum.count, 1);
	map_percpu_merge(&sum, per_cpu, sizeof(sum), 0, NULL);
	assert_int_equal(sum.count, 0);
}

static void merge_odd(void *into, const void *cpu_value, size_t size)
{
	struct odd_value *sum = into;
	const struct odd_value *v = cpu_value;

	assert_int_equal(size, sizeof(*v));
	sum->a += v->a;
	sum->b = v->b > sum->b ? v->b : sum->b; /* a maximum, like lat_max_ns */
	sum->c += v->c;
}

static void test_percpu_merge_rounds_the_stride(void **state)
{
	/* Three CPUs' 12-byte values, each padded to 16 as the kernel lays them out. */
	__u32 per_cpu[3][4] = { { 1, 5, 10, 0xdead }, { 2, 9, 20, 0xdead }, { 3, 7, 30, 0xdead } };
	struct odd_value sum;

	(void)state;
	map_percpu_merge(&sum, per_cpu, sizeof(sum), 3, merge_odd);
	assert_int_equal(sum.a, 6);
	assert_int_equal(sum.b, 9);
	assert_int_equal(sum.c, 60);
}

static void test_dedupe_keeps_first_in_order(void **state)
{
	const __u32 keys[] = { 5, 3, 9, 3, 5, 1, 9, 9 };
	struct map_rows rows = { GROW_ARRAY_INIT(__u32), GROW_ARRAY_INIT(__u64) };

	(void)state;
	for (unsigned int i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		*(__u32 *)grow_array_push(&rows.keys) = keys[i];
		*(__u64 *)grow_array_push(&rows.values) = i;
	}
	assert_int_equal(map_rows_dedupe(&rows), 4);
	assert_int_equal(rows.keys.nr, 4);
	assert_int_equal(rows.values.nr, 4);
	{
		const __u32 want_keys[] = { 5, 3, 9, 1 };
		const __u64 want_values[] = { 0, 1, 2, 5 };

		for (int i = 0; i < 4; i++) {
			assert_int_equal(((__u32 *)rows.keys.items)[i], want_keys[i]);
			assert_int_equal(((__u64 *)rows.values.items)[i], want_values[i]);
		}
	}
	map_rows_free(&rows);
}

static int bpf_or_skip(enum bpf_map_type type, size_t key_size, size_t value_size, __u32 entries)
{
	int fd = bpf_map_create(type, "dt_test", key_size, value_size, entries, NULL);

	if (fd < 0) {
		print_message("cannot create a BPF map (%s): needs root and BPF\n",
			      strerror(errno));
		skip();
	}
	return fd;
}

/* Key k holds {k, 2k} on every CPU (per-CPU maps) or once. */
static void fill(int fd, bool percpu, int nr_cpus, int n)
{
	struct pair_value *values = calloc(percpu ? nr_cpus : 1, sizeof(*values));

	assert_non_null(values);
	for (__u32 k = 1; k <= (__u32)n; k++) {
		for (int cpu = 0; cpu < (percpu ? nr_cpus : 1); cpu++)
			values[cpu] = (struct pair_value){ k, 2 * k };
		assert_int_equal(bpf_map_update_elem(fd, &k, values, BPF_ANY), 0);
	}
	free(values);
}

/* Every key 1..n once, each value {k, 2k} times the copies. */
static void check_rows(const struct map_rows *rows, int n, int copies)
{
	char *seen = calloc(n + 1, 1);

	assert_non_null(seen);
	assert_int_equal(rows->keys.nr, n);
	assert_int_equal(rows->values.nr, n);
	for (int i = 0; i < rows->keys.nr; i++) {
		__u32 k = ((const __u32 *)rows->keys.items)[i];
		const struct pair_value *v = grow_array_at(&rows->values, i);

		assert_in_range(k, 1, n);
		assert_false(seen[k]);
		seen[k] = 1;
		assert_int_equal(v->count, (__u64)k * copies);
		assert_int_equal(v->bytes, 2ULL * k * copies);
	}
	free(seen);
}

static void read_both_ways(enum bpf_map_type type, bool percpu)
{
	int nr_cpus = map_read_nr_cpus();
	int fd = bpf_or_skip(type, sizeof(__u32), sizeof(struct pair_value), 4096);
	struct map_rows rows;

	assert_true(nr_cpus > 0);
	fill(fd, percpu, nr_cpus, NR_KEYS);
	assert_int_equal(map_read_rows(fd, sizeof(__u32), sizeof(struct pair_value), NULL,
				       MAP_READ_AUTO, &rows),
			 0);
	check_rows(&rows, NR_KEYS, percpu ? nr_cpus : 1);
	map_rows_free(&rows);
	assert_int_equal(map_read_rows(fd, sizeof(__u32), sizeof(struct pair_value), NULL,
				       MAP_READ_WALK, &rows),
			 0);
	check_rows(&rows, NR_KEYS, percpu ? nr_cpus : 1);
	map_rows_free(&rows);
	close(fd);
}

static void test_hash(void **state)
{
	(void)state;
	read_both_ways(BPF_MAP_TYPE_HASH, false);
}

static void test_percpu_hash(void **state)
{
	(void)state;
	read_both_ways(BPF_MAP_TYPE_PERCPU_HASH, true);
}

static void test_lru_percpu_hash(void **state)
{
	(void)state;
	read_both_ways(BPF_MAP_TYPE_LRU_PERCPU_HASH, true);
}

static void test_empty_map(void **state)
{
	int fd = bpf_or_skip(BPF_MAP_TYPE_HASH, sizeof(__u32), sizeof(struct pair_value), 16);
	struct map_rows rows;

	(void)state;
	assert_int_equal(map_read_rows(fd, sizeof(__u32), sizeof(struct pair_value), NULL,
				       MAP_READ_AUTO, &rows),
			 0);
	assert_int_equal(rows.keys.nr, 0);
	map_rows_free(&rows);
	assert_int_equal(map_read_rows(fd, sizeof(__u32), sizeof(struct pair_value), NULL,
				       MAP_READ_WALK, &rows),
			 0);
	assert_int_equal(rows.keys.nr, 0);
	map_rows_free(&rows);
	close(fd);
}

/* A map that is not what the caller's structs say is refused, and nothing stays allocated. */
static void test_wrong_sizes_refused(void **state)
{
	int fd = bpf_or_skip(BPF_MAP_TYPE_HASH, sizeof(__u32), sizeof(struct pair_value), 16);
	struct map_rows rows;

	(void)state;
	fill(fd, false, 1, 3);
	assert_int_equal(map_read_rows(fd, sizeof(__u64), sizeof(struct pair_value), NULL,
				       MAP_READ_AUTO, &rows),
			 -EINVAL);
	assert_null(rows.keys.items);
	assert_null(rows.values.items);
	assert_true(map_read_rows(-1, sizeof(__u32), sizeof(struct pair_value), NULL, MAP_READ_AUTO,
				  &rows) < 0);
	assert_null(rows.keys.items);
	close(fd);
}

/* One slot of a per-CPU array: summed, and each CPU's copy seen once. */
struct cpu_seen {
	int calls;
	__u64 sum;
};

static void count_cpu(void *ctx, int cpu, const void *value)
{
	struct cpu_seen *seen = ctx;

	assert_int_equal(cpu, seen->calls);
	seen->calls++;
	seen->sum += *(const __u64 *)value;
}

static void test_percpu_array_slot(void **state)
{
	int nr_cpus = map_read_nr_cpus();
	int fd = bpf_or_skip(BPF_MAP_TYPE_PERCPU_ARRAY, sizeof(__u32), sizeof(__u64), 4);
	__u64 *per_cpu = calloc(nr_cpus, sizeof(__u64)), sum = 0;
	struct cpu_seen seen = {};
	__u32 slot = 2, missing = 9;

	(void)state;
	assert_non_null(per_cpu);
	for (int cpu = 0; cpu < nr_cpus; cpu++)
		per_cpu[cpu] = cpu + 10;
	assert_int_equal(bpf_map_update_elem(fd, &slot, per_cpu, BPF_ANY), 0);
	assert_int_equal(map_read_percpu(fd, &slot, sizeof(__u64), NULL, &sum), 0);
	assert_int_equal(sum, (__u64)nr_cpus * 10 + (__u64)nr_cpus * (nr_cpus - 1) / 2);
	assert_int_equal(map_read_percpu_each(fd, &slot, sizeof(__u64), count_cpu, &seen), 0);
	assert_int_equal(seen.calls, nr_cpus);
	assert_int_equal(seen.sum, sum);
	assert_int_equal(map_read_percpu(fd, &missing, sizeof(__u64), NULL, &sum), -ENOENT);
	free(per_cpu);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grow_array_push_and_take),
		cmocka_unit_test(test_grow_array_failed_grow_keeps_items),
		cmocka_unit_test(test_percpu_sum_made_up_cpus),
		cmocka_unit_test(test_percpu_merge_rounds_the_stride),
		cmocka_unit_test(test_dedupe_keeps_first_in_order),
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_percpu_hash),
		cmocka_unit_test(test_lru_percpu_hash),
		cmocka_unit_test(test_empty_map),
		cmocka_unit_test(test_wrong_sizes_refused),
		cmocka_unit_test(test_percpu_array_slot),
	};

	return cmocka_run_group_tests_name("map_read", tests, NULL, NULL);
}
