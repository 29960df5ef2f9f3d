// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>

#include "engine/census.h"
#include "engine/map_read.h"
#include "engine/sorted.h"
#include "output/hist.h"

const char *const share_counter_names[DT_NR_SHARE_COUNTERS] = {
	[DT_SH_ASSOCIATIONS] = "associations",
	[DT_SH_DISASSOCIATIONS] = "disassociations",
	[DT_SH_BECAME_SHARED] = "became_shared",
	[DT_SH_BECAME_UNSHARED] = "became_unshared",
	[DT_SH_BREAKS] = "breaks",
	[DT_SH_SHARED_UPDATES] = "shared_updates",
	[DT_SH_ANOMALIES] = "anomalies",
	[DT_SH_UNMATCHED] = "unmatched",
	[DT_SH_EVICTED] = "evicted",
	[DT_SH_NO_CONTEXT] = "no_context",
	[DT_SH_SHARED_JOINS] = "shared_joins",
	[DT_SH_SHARED_UPDATES_ELSEWHERE] = "shared_updates_elsewhere",
	[DT_SH_SHARED_UPDATE_PAGES] = "shared_update_pages",
};

const struct census_figure census_page_figures[CENSUS_NR_PAGE_FIGURES] = {
	{ "pages", offsetof(struct census, pages) },
	{ "shared_pages", offsetof(struct census, shared_pages) },
	{ "extra_owner_pages", offsetof(struct census, extra_owner_pages) },
	{ "owner_entry_pages", offsetof(struct census, owner_entry_pages) },
	{ "pmd_units", offsetof(struct census, pmd_units) },
	{ "shared_pmd_units", offsetof(struct census, shared_pmd_units) },
};

__u64 census_figure(const struct census *c, const struct census_figure *f)
{
	return *(const __u64 *)((const char *)c + f->offset);
}

void census_figure_set(struct census *c, const struct census_figure *f, __u64 value)
{
	*(__u64 *)((char *)c + f->offset) = value;
}

__u64 census_unit_pages(const struct dt_pfn_owners *record)
{
	return 1ULL << record->order;
}

__u64 census_unit_bytes(const struct dt_pfn_owners *record)
{
	return DT_PAGE_SIZE * census_unit_pages(record);
}

static int compare_ids(const struct census_file_id *a, const struct census_file_id *b)
{
	if (a->dev != b->dev)
		return a->dev < b->dev ? -1 : 1;
	return (a->ino > b->ino) - (a->ino < b->ino);
}

static int compare_files(const void *a, const void *b)
{
	return compare_ids(&((const struct census_file *)a)->id,
			   &((const struct census_file *)b)->id);
}

static int compare_devs(const void *a, const void *b)
{
	__u32 x = ((const struct census_dev *)a)->dev, y = ((const struct census_dev *)b)->dev;

	return x < y ? -1 : x > y;
}

static int compare_pair_ids(const void *a, const void *b)
{
	const struct census_pair *pa = a, *pb = b;
	int order = compare_ids(&pa->a, &pb->a);

	return order ? order : compare_ids(&pa->b, &pb->b);
}

static int compare_pairs_by_sharing(const void *a, const void *b)
{
	const struct census_pair *pa = a, *pb = b;

	if (pa->shared_pfns != pb->shared_pfns)
		return pa->shared_pfns < pb->shared_pfns ? 1 : -1;
	return compare_pair_ids(a, b);
}

/* The distinct files among a record's listed owners, sorted. */
static int record_files(const struct dt_pfn_owners *r, struct census_file_id ids[DT_SHARE_SLOTS])
{
	int n = 0;

	for (int s = 0; s < DT_SHARE_SLOTS; s++) {
		struct census_file_id id = { .dev = r->slot[s].dev, .ino = r->slot[s].ino };
		bool seen = false;

		if (!id.ino)
			continue;
		for (int i = 0; i < n; i++)
			seen = seen || compare_ids(&ids[i], &id) == 0;
		if (!seen)
			ids[n++] = id;
	}
	sort_items(ids, n, sizeof(ids[0]), (int (*)(const void *, const void *))compare_ids);
	return n;
}

/* Listed owners whose index is not the most common one among them. */
static __u64 index_overrides(const struct dt_pfn_owners *r, int *listed)
{
	int best = 0;

	*listed = 0;
	for (int s = 0; s < DT_SHARE_SLOTS; s++) {
		int same = 0;

		if (!r->slot[s].ino)
			continue;
		(*listed)++;
		for (int t = 0; t < DT_SHARE_SLOTS; t++)
			same += r->slot[t].ino && r->slot[t].index == r->slot[s].index;
		if (same > best)
			best = same;
	}
	return *listed - best;
}

/* Sorted items of size bytes with equal ids merged by merge(); returns the new count. */
static int merge_sorted(void *items, int n, size_t size, int (*compare)(const void *, const void *),
			void (*merge)(void *into, const void *from))
{
	char *base = items;
	int out = 0;

	sort_items(items, n, size, compare);
	for (int i = 0; i < n; i++) {
		if (out && compare(base + (out - 1) * size, base + i * size) == 0)
			merge(base + (out - 1) * size, base + i * size);
		else
			memmove(base + out++ * size, base + i * size, size);
	}
	return out;
}

static void merge_file(void *into, const void *from)
{
	struct census_file *f = into;
	const struct census_file *g = from;

	f->pfns += g->pfns;
	f->shared_pfns += g->shared_pfns;
}

static void merge_pair(void *into, const void *from)
{
	struct census_pair *p = into;
	const struct census_pair *q = from;

	p->shared_pfns += q->shared_pfns;
	p->shared_bytes += q->shared_bytes;
}

static void merge_dev(void *into, const void *from)
{
	((struct census_dev *)into)->shared_pfns += ((const struct census_dev *)from)->shared_pfns;
}

/* The rows a record adds to: its files, their pairs, and a shared unit's device. */
struct census_rows {
	struct grow_array files;
	struct grow_array pairs;
	struct grow_array devs;
};

static int add_record(struct census *c, const struct dt_pfn_owners *r, struct census_rows *rows)
{
	struct census_file_id ids[DT_SHARE_SLOTS];
	bool shared = r->owners >= 2;
	int nr_ids = record_files(r, ids);
	int listed;
	__u64 overrides = index_overrides(r, &listed);

	__u64 pages = census_unit_pages(r);
	bool pmd = r->order == DT_PMD_ORDER;

	c->pfns++;
	c->owners_hist[r->owners < CENSUS_MAX_OWNERS ? r->owners : CENSUS_MAX_OWNERS]++;
	c->owner_entries += r->owners;
	c->unlisted_owners += r->owners > (__u32)listed ? r->owners - listed : 0;
	c->pages += pages;
	c->owner_entry_pages += r->owners * pages;
	c->pmd_units += pmd;
	if (shared) {
		c->shared_pfns++;
		c->shared_bytes += census_unit_bytes(r);
		c->extra_owners += r->owners - 1;
		c->index_differs += overrides > 0;
		c->index_overrides += overrides;
		c->shared_pages += pages;
		c->extra_owner_pages += (r->owners - 1) * pages;
		c->shared_pmd_units += pmd;
	}
	if (shared && nr_ids) {
		struct census_dev *dev = grow_array_push(&rows->devs);

		if (!dev)
			return -ENOMEM;
		*dev = (struct census_dev){ ids[0].dev, 1 };
	}
	for (int i = 0; i < nr_ids; i++) {
		struct census_file *file = grow_array_push(&rows->files);

		if (!file)
			return -ENOMEM;
		*file = (struct census_file){ ids[i], 1, shared };
		for (int j = i + 1; j < nr_ids; j++) {
			struct census_pair *pair = grow_array_push(&rows->pairs);

			if (!pair)
				return -ENOMEM;
			*pair = (struct census_pair){ ids[i], ids[j], 1, census_unit_bytes(r) };
		}
	}
	return 0;
}

int census_build(struct census *c, const struct dt_pfn_owners *records, int n)
{
	struct census_rows rows = {
		.files = GROW_ARRAY_INIT(struct census_file),
		.pairs = GROW_ARRAY_INIT(struct census_pair),
		.devs = GROW_ARRAY_INIT(struct census_dev),
	};

	for (int i = 0; i < n; i++) {
		int err;

		if (!records[i].owners)
			continue; /* being removed when read */
		err = add_record(c, &records[i], &rows);
		if (err) {
			grow_array_free(&rows.files);
			grow_array_free(&rows.pairs);
			grow_array_free(&rows.devs);
			return err;
		}
	}
	c->files = grow_array_take(&rows.files, &c->nr_files);
	c->pairs = grow_array_take(&rows.pairs, &c->nr_pairs);
	c->devs = grow_array_take(&rows.devs, &c->nr_devs);
	c->nr_files =
		merge_sorted(c->files, c->nr_files, sizeof(*c->files), compare_files, merge_file);
	c->nr_pairs = merge_sorted(c->pairs, c->nr_pairs, sizeof(*c->pairs), compare_pair_ids,
				   merge_pair);
	c->nr_devs = merge_sorted(c->devs, c->nr_devs, sizeof(*c->devs), compare_devs, merge_dev);
	sort_items(c->pairs, c->nr_pairs, sizeof(*c->pairs), compare_pairs_by_sharing);
	return 0;
}

/* map_merge_fn for the share totals: counts and ages summed, the oldest break the max. */
static void merge_totals(void *into, const void *cpu_value, size_t value_size)
{
	struct dt_share_totals *sum = into;
	const struct dt_share_totals *cpu = cpu_value;

	(void)value_size;
	for (int k = 0; k < DT_NR_SHARE_COUNTERS; k++)
		sum->count[k] += cpu->count[k];
	sum->break_age_sum_ns += cpu->break_age_sum_ns;
	if (cpu->break_age_max_ns > sum->break_age_max_ns)
		sum->break_age_max_ns = cpu->break_age_max_ns;
	hist_add(sum->break_age_slots, cpu->break_age_slots);
}

static int read_samples(struct census *c, int fd)
{
	__u64 claimed = c->gauges.samples;

	c->nr_samples = claimed < DT_SHARE_SAMPLES ? claimed : DT_SHARE_SAMPLES;
	for (__u32 i = 0; i < (__u32)c->nr_samples; i++)
		if (bpf_map_lookup_elem(fd, &i, &c->samples[i]))
			return -errno;
	return 0;
}

int census_read(struct census *c, const struct census_maps *maps)
{
	struct map_rows records;
	__u32 zero = 0;
	int err;

	memset(c, 0, sizeof(*c));
	err = map_read_percpu(maps->totals_fd, &zero, sizeof(c->totals), merge_totals, &c->totals);
	if (!err && bpf_map_lookup_elem(maps->gauges_fd, &zero, &c->gauges))
		err = -errno;
	if (!err)
		err = read_samples(c, maps->anomalies_fd);
	if (err)
		return err;
	/* A pfn removed while the map is read is simply not there any more. */
	err = map_read_rows(maps->owners_fd, sizeof(__u64), sizeof(struct dt_pfn_owners), NULL,
			    MAP_READ_AUTO, &records);
	if (err)
		return err;
	err = census_build(c, records.values.items, records.values.nr);
	map_rows_free(&records);
	return err;
}

void census_free(struct census *c)
{
	free(c->files);
	free(c->pairs);
	free(c->devs);
	c->files = NULL;
	c->pairs = NULL;
	c->devs = NULL;
}
