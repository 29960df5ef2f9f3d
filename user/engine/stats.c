// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>

#include "engine/map_read.h"
#include "engine/sorted.h"
#include "engine/stats.h"
#include "output/hist.h"

void stats_add(struct dt_stats *into, const struct dt_stats *add)
{
	for (int c = 0; c < DT_NR_COUNTERS; c++)
		into->count[c] += add->count[c];
	for (int r = 0; r < DT_NR_FALLBACK_REASONS; r++)
		into->fallback_reasons[r] += add->fallback_reasons[r];
	for (int r = 0; r < DT_NR_NO_PMD_REASONS; r++)
		into->pte_reasons[r] += add->pte_reasons[r];
	into->lat_sum_ns += add->lat_sum_ns;
	if (add->lat_max_ns > into->lat_max_ns)
		into->lat_max_ns = add->lat_max_ns;
	hist_add(into->lat_slots, add->lat_slots);
}

/* map_merge_fn for dt_stats: counts and slots summed, the maximum latency the max. */
static void stats_merge(void *into, const void *cpu_value, size_t value_size)
{
	(void)value_size;
	stats_add(into, cpu_value);
}

void stats_merge_cpus(struct dt_stats *into, const struct dt_stats *per_cpu, int nr_cpus)
{
	map_percpu_merge(into, per_cpu, sizeof(*into), nr_cpus, stats_merge);
}

bool stats_is_zero(const struct dt_stats *stats)
{
	for (int c = 0; c < DT_NR_COUNTERS; c++)
		if (stats->count[c])
			return false;
	return hist_total(stats->lat_slots) == 0;
}

/* into -= older, clamped at 0 (a row evicted and made again restarts from 0). */
static void sub_clamped(__u64 *into, const __u64 *older, int n)
{
	for (int i = 0; i < n; i++)
		into[i] -= older[i] < into[i] ? older[i] : into[i];
}

static void stats_sub(struct dt_stats *into, const struct dt_stats *older)
{
	sub_clamped(into->count, older->count, DT_NR_COUNTERS);
	sub_clamped(into->fallback_reasons, older->fallback_reasons, DT_NR_FALLBACK_REASONS);
	sub_clamped(into->pte_reasons, older->pte_reasons, DT_NR_NO_PMD_REASONS);
	sub_clamped(&into->lat_sum_ns, &older->lat_sum_ns, 1);
	hist_sub(into->lat_slots, older->lat_slots);
}

static int compare_proc_rows(const void *a, const void *b)
{
	return memcmp(&((const struct proc_row *)a)->key, &((const struct proc_row *)b)->key,
		      sizeof(struct dt_proc_key));
}

static int compare_file_rows(const void *a, const void *b)
{
	return memcmp(&((const struct file_row *)a)->key, &((const struct file_row *)b)->key,
		      sizeof(struct dt_file_key));
}

static int compare_devdax_rows(const void *a, const void *b)
{
	__u32 x = ((const struct devdax_row *)a)->dev, y = ((const struct devdax_row *)b)->dev;

	return (x > y) - (x < y);
}

/*
 * Reads every row of a per-CPU stats hash into *rows (each row_size bytes, key at offset 0 and
 * merged stats at stats_offset), sorted by compare. Returns the row count or -errno.
 */
static int read_stats_rows(int fd, size_t key_size, void **rows, size_t row_size,
			   size_t stats_offset, int (*compare)(const void *, const void *))
{
	struct map_rows read;
	int err = map_read_rows(fd, key_size, sizeof(struct dt_stats), stats_merge, MAP_READ_AUTO,
				&read);
	char *out;

	*rows = NULL;
	if (err)
		return err;
	/* One more than needed: a delta of an empty reading still gets an array. */
	out = calloc(read.keys.nr + 1, row_size);
	if (!out) {
		map_rows_free(&read);
		return -ENOMEM;
	}
	for (int i = 0; i < read.keys.nr; i++) {
		memcpy(out + i * row_size, grow_array_at(&read.keys, i), key_size);
		memcpy(out + i * row_size + stats_offset, grow_array_at(&read.values, i),
		       sizeof(struct dt_stats));
	}
	sort_items(out, read.keys.nr, row_size, compare);
	*rows = out;
	err = read.keys.nr;
	map_rows_free(&read);
	return err;
}

int stats_read_health(int fd, __u64 health[DT_NR_HEALTH])
{
	for (__u32 slot = 0; slot < DT_NR_HEALTH; slot++) {
		int err = map_read_percpu(fd, &slot, sizeof(health[slot]), NULL, &health[slot]);

		if (err == -ENOMEM)
			return err;
		if (err)
			health[slot] = 0;
	}
	return 0;
}

static int snapshot_read_rows(struct stats_snapshot *snap, const struct stats_maps *maps)
{
	__u32 zero = 0;
	int n;

	/* The totals are an array slot that always exists: a failed read leaves them 0. */
	if (map_read_percpu(maps->total_fd, &zero, sizeof(snap->total), stats_merge,
			    &snap->total) == -ENOMEM)
		return -ENOMEM;
	n = read_stats_rows(maps->proc_fd, sizeof(struct dt_proc_key), (void **)&snap->procs,
			    sizeof(struct proc_row), offsetof(struct proc_row, stats),
			    compare_proc_rows);
	if (n < 0)
		return n;
	snap->nr_procs = n;
	n = read_stats_rows(maps->file_fd, sizeof(struct dt_file_key), (void **)&snap->files,
			    sizeof(struct file_row), offsetof(struct file_row, stats),
			    compare_file_rows);
	if (n < 0)
		return n;
	snap->nr_files = n;
	n = read_stats_rows(maps->devdax_fd, sizeof(__u32), (void **)&snap->devices,
			    sizeof(struct devdax_row), offsetof(struct devdax_row, stats),
			    compare_devdax_rows);
	if (n < 0)
		return n;
	snap->nr_devices = n;
	for (int i = 0; i < snap->nr_files; i++) {
		struct file_row *row = &snap->files[i];

		row->has_info = bpf_map_lookup_elem(maps->file_info_fd, &row->key, &row->info) == 0;
	}
	return 0;
}

int stats_snapshot_read(struct stats_snapshot *snap, const struct stats_maps *maps)
{
	__u64 inserts, rows;
	int err;

	memset(snap, 0, sizeof(*snap));
	/*
	 * The insert counters first, then the rows: a row the probes create between the two reads
	 * is then among the rows and not yet among the inserts, so "inserts - rows" can only fall
	 * short of the evictions, never exceed them. Read the other way round, each such row
	 * looked evicted until the next report, whose delta then went below zero (a u64 of
	 * nearly 2^64 in the JSON; seen in the soak, docs/performance.md "Long runs").
	 */
	err = stats_read_health(maps->health_fd, snap->health);
	if (!err)
		err = snapshot_read_rows(snap, maps);
	if (err) {
		stats_snapshot_free(snap);
		return err;
	}
	inserts = snap->health[DT_HEALTH_PROC_INSERTS] + snap->health[DT_HEALTH_FILE_INSERTS];
	rows = (__u64)snap->nr_procs + (__u64)snap->nr_files;
	snap->evicted = inserts > rows ? inserts - rows : 0;
	return 0;
}

void stats_snapshot_carry(struct stats_snapshot *now, const struct stats_snapshot *before)
{
	if (now->evicted < before->evicted)
		now->evicted = before->evicted;
}

/*
 * out = now - before for rows of row_size bytes (key first, stats at stats_offset), both sorted
 * by compare; rows that did not move are left out. Returns the number of rows written.
 */
static int delta_rows(void *out, const void *now, int nr_now, const void *before, int nr_before,
		      size_t row_size, size_t stats_offset,
		      int (*compare)(const void *, const void *))
{
	int n = 0;

	for (int i = 0; i < nr_now; i++) {
		char *row = (char *)out + n * row_size;
		const char *old;

		memcpy(row, (const char *)now + i * row_size, row_size);
		old = find_item(row, before, nr_before, row_size, compare);
		if (old)
			stats_sub((struct dt_stats *)(row + stats_offset),
				  (const struct dt_stats *)(old + stats_offset));
		if (!stats_is_zero((struct dt_stats *)(row + stats_offset)))
			n++;
	}
	return n;
}

int stats_snapshot_delta(struct stats_snapshot *delta, const struct stats_snapshot *now,
			 const struct stats_snapshot *before)
{
	memset(delta, 0, sizeof(*delta));
	delta->procs = calloc(now->nr_procs + 1, sizeof(struct proc_row));
	delta->files = calloc(now->nr_files + 1, sizeof(struct file_row));
	delta->devices = calloc(now->nr_devices + 1, sizeof(struct devdax_row));
	if (!delta->procs || !delta->files || !delta->devices) {
		stats_snapshot_free(delta);
		return -ENOMEM;
	}

	delta->total = now->total;
	stats_sub(&delta->total, &before->total);
	delta->nr_procs = delta_rows(delta->procs, now->procs, now->nr_procs, before->procs,
				     before->nr_procs, sizeof(struct proc_row),
				     offsetof(struct proc_row, stats), compare_proc_rows);
	delta->nr_files = delta_rows(delta->files, now->files, now->nr_files, before->files,
				     before->nr_files, sizeof(struct file_row),
				     offsetof(struct file_row, stats), compare_file_rows);
	delta->nr_devices = delta_rows(
		delta->devices, now->devices, now->nr_devices, before->devices, before->nr_devices,
		sizeof(struct devdax_row), offsetof(struct devdax_row, stats), compare_devdax_rows);
	for (int h = 0; h < DT_NR_HEALTH; h++)
		delta->health[h] = now->health[h] - before->health[h];
	/* An estimate (stats_snapshot_carry keeps it from going back): never below zero. */
	delta->evicted = now->evicted > before->evicted ? now->evicted - before->evicted : 0;
	plan_misses_sub(&delta->misses, &now->misses, &before->misses);
	return 0;
}

void stats_snapshot_free(struct stats_snapshot *snap)
{
	free(snap->procs);
	free(snap->files);
	free(snap->devices);
	snap->procs = NULL;
	snap->files = NULL;
	snap->devices = NULL;
	snap->nr_procs = 0;
	snap->nr_files = 0;
	snap->nr_devices = 0;
}

__u64 stats_lost(const struct stats_snapshot *snap)
{
	return snap->misses.total.lost + snap->health[DT_HEALTH_MAP_FULL];
}
