// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "cmd/record_read.h"
#include "engine/counters.h"
#include "engine/file_paths.h"

json_object *record_member(json_object *obj, const char *key)
{
	json_object *value = NULL;

	return json_object_object_get_ex(obj, key, &value) ? value : NULL;
}

__u64 record_count(json_object *obj, const char *key)
{
	json_object *value = record_member(obj, key);

	return json_object_is_type(value, json_type_int) ? json_object_get_uint64(value) : 0;
}

/* Up to n numbers of the array at key into out (the rest 0). */
static void read_u64_array(json_object *obj, const char *key, __u64 *out, size_t n)
{
	json_object *array = record_member(obj, key);
	size_t len =
		json_object_is_type(array, json_type_array) ? json_object_array_length(array) : 0;

	memset(out, 0, n * sizeof(*out));
	for (size_t i = 0; i < len && i < n; i++) {
		json_object *item = json_object_array_get_idx(array, i);

		if (json_object_is_type(item, json_type_int))
			out[i] = json_object_get_uint64(item);
	}
}

static int name_index(const char *const *names, int nr, const char *name)
{
	for (int i = 0; i < nr; i++)
		if (names[i] && !strcmp(names[i], name))
			return i;
	return -1;
}

void record_read_plan(json_object *fingerprint, struct attach_plan *plan)
{
	json_object *attach = record_member(fingerprint, "attach");

	*plan = (struct attach_plan){};
	for (int p = 0; p < nr_probe_points && plan->nr_choices < MAX_PLAN_POINTS; p++) {
		json_object *kind = record_member(attach, probe_points[p].name);
		struct plan_choice *choice;

		if (!json_object_is_type(kind, json_type_string))
			continue;
		choice = &plan->choices[plan->nr_choices++];
		choice->point = &probe_points[p];
		choice->kind = probe_kind_by_name(json_object_get_string(kind));
		plan->nr_available += choice->kind != KIND_NONE;
	}
}

static void read_stats(json_object *obj, struct dt_stats *stats)
{
	json_object *reasons = record_member(obj, "fallback_reasons"),
		    *pte_reasons = record_member(obj, "pte_reasons"),
		    *lat = record_member(obj, "lat");

	memset(stats, 0, sizeof(*stats));
	for (int c = 0; c < DT_NR_COUNTERS; c++)
		stats->count[c] = record_count(obj, counter_names[c]);
	for (int r = 0; r < DT_NR_FALLBACK_REASONS; r++)
		stats->fallback_reasons[r] = record_count(reasons, fallback_reason_names[r]);
	for (int r = 0; r < DT_NR_NO_PMD_REASONS; r++)
		stats->pte_reasons[r] = record_count(pte_reasons, pte_reason_names[r]);
	stats->lat_sum_ns = record_count(lat, "sum_ns");
	stats->lat_max_ns = record_count(lat, "max_ns");
	read_u64_array(lat, "slots", stats->lat_slots, DT_LAT_SLOTS);
}

/* The id of a recorded name; false when out of memory. */
static bool name_id(struct file_paths *paths, const char *name, __u32 *dev, __u64 *ino)
{
	*dev = FILE_PATHS_RECORDED_DEV;
	*ino = file_paths_add_recorded(paths, name);
	return *ino != 0;
}

/* The device DAX rows of a record (none in one made before them), named as recorded. */
static int read_devices(json_object *devices, struct stats_snapshot *snap)
{
	int n = json_object_is_type(devices, json_type_object) ?
			json_object_object_length(devices) :
			0;

	snap->devices = calloc(n ? n : 1, sizeof(*snap->devices));
	if (!snap->devices)
		return -1;
	if (!n)
		return 0;
	json_object_object_foreach(devices, name, stats)
	{
		struct devdax_row *row = &snap->devices[snap->nr_devices];

		row->dev = snap->nr_devices++;
		snprintf(row->name, sizeof(row->name), "%s", name);
		read_stats(stats, &row->stats);
	}
	return 0;
}

int record_read_counters(json_object *run, struct file_paths *paths, struct stats_snapshot *snap)
{
	json_object *top = record_member(record_member(run, "views"), "top");
	json_object *files = record_member(top, "files");
	int n = json_object_is_type(files, json_type_object) ? json_object_object_length(files) : 0;

	*snap = (struct stats_snapshot){};
	read_stats(record_member(top, "total"), &snap->total);
	snap->misses.total.lost = record_count(run, "lost");
	snap->misses.total.lat_samples_lost = record_count(run, "lat_samples_lost");
	snap->evicted = record_count(run, "evicted");
	snap->files = calloc(n ? n : 1, sizeof(*snap->files));
	if (!snap->files)
		return -1;
	if (json_object_is_type(files, json_type_object)) {
		json_object_object_foreach(files, name, stats)
		{
			struct file_row *row = &snap->files[snap->nr_files];

			if (!name_id(paths, name, &row->key.dev, &row->key.ino))
				return -1;
			row->has_info = true;
			read_stats(stats, &row->stats);
			snap->nr_files++;
		}
	}
	return read_devices(record_member(top, "devices"), snap);
}

int record_read_lat(json_object *views, struct lat_report *lat)
{
	json_object *kinds = record_member(views, "lat");
	int n = json_object_is_type(kinds, json_type_object) ? json_object_object_length(kinds) : 0;

	*lat = (struct lat_report){ .rows = calloc(n ? n : 1, sizeof(*lat->rows)) };
	if (!lat->rows)
		return -1;
	if (json_object_is_type(kinds, json_type_object)) {
		json_object_object_foreach(kinds, name, hist)
		{
			int kind = name_index(lat_kind_names, DT_NR_LAT_KINDS, name);
			struct lat_row *row = &lat->rows[lat->nr_rows];

			if (kind < 0)
				continue; /* a kind of a newer daxtrace */
			row->key.kind = kind;
			row->hist.sum_ns = record_count(hist, "sum_ns");
			read_u64_array(hist, "slots", row->hist.slots, DT_LAT_SLOTS);
			row->count = record_count(hist, "count");
			lat->nr_rows++;
		}
	}
	return 0;
}

static __s64 record_s64(json_object *obj, const char *key)
{
	json_object *value = record_member(obj, key);

	return json_object_is_type(value, json_type_int) ? json_object_get_int64(value) : 0;
}

static int read_census_files(json_object *share, struct file_paths *paths, struct census *c)
{
	json_object *files = record_member(share, "files"), *pairs = record_member(share, "pairs");
	int nr_files =
		json_object_is_type(files, json_type_object) ? json_object_object_length(files) : 0;
	int nr_pairs =
		json_object_is_type(pairs, json_type_object) ? json_object_object_length(pairs) : 0;

	c->files = calloc(nr_files ? nr_files : 1, sizeof(*c->files));
	c->pairs = calloc(nr_pairs ? nr_pairs : 1, sizeof(*c->pairs));
	if (!c->files || !c->pairs)
		return -1;
	if (json_object_is_type(files, json_type_object)) {
		json_object_object_foreach(files, name, file)
		{
			struct census_file *f = &c->files[c->nr_files++];

			if (!name_id(paths, name, &f->id.dev, &f->id.ino))
				return -1;
			f->pfns = record_count(file, "pfns");
			f->shared_pfns = record_count(file, "shared_pfns");
		}
	}
	if (json_object_is_type(pairs, json_type_object)) {
		json_object_object_foreach(pairs, key, pair)
		{
			const char *bar = strstr(key, " | ");
			struct census_pair *p = &c->pairs[c->nr_pairs];
			char *a;

			if (!bar)
				continue;
			a = strndup(key, bar - key);
			if (!a || !name_id(paths, a, &p->a.dev, &p->a.ino) ||
			    !name_id(paths, bar + 3, &p->b.dev, &p->b.ino)) {
				free(a);
				return -1;
			}
			free(a);
			p->shared_pfns = record_count(pair, "shared_pfns");
			p->shared_bytes = record_count(pair, "shared_bytes");
			c->nr_pairs++;
		}
	}
	return 0;
}

int record_read_census(json_object *share, struct file_paths *paths, struct census *c,
		       struct share_rmap *rmap)
{
	json_object *totals = record_member(share, "totals"),
		    *gauges = record_member(share, "gauges");
	json_object *age = record_member(totals, "break_age");
	json_object *pfn_entries = record_member(record_member(share, "model"), "pfn_entries");

	*c = (struct census){};
	c->pfns = record_count(share, "pfns");
	c->shared_pfns = record_count(share, "shared_pfns");
	c->shared_bytes = record_count(share, "shared_bytes");
	c->owner_entries = record_count(share, "owner_entries");
	c->unlisted_owners = record_count(share, "unlisted_owners");
	c->extra_owners = record_count(share, "extra_owners");
	c->index_differs = record_count(share, "index_differs");
	c->index_overrides = record_count(share, "index_overrides");
	for (int i = 0; i < CENSUS_NR_PAGE_FIGURES; i++)
		census_figure_set(c, &census_page_figures[i],
				  record_count(share, census_page_figures[i].key));
	read_u64_array(share, "owners_hist", c->owners_hist, CENSUS_MAX_OWNERS + 1);
	for (int i = 0; i < DT_NR_SHARE_COUNTERS; i++)
		c->totals.count[i] = record_count(totals, share_counter_names[i]);
	c->totals.break_age_sum_ns = record_count(age, "sum_ns");
	c->totals.break_age_max_ns = record_count(age, "max_ns");
	read_u64_array(age, "slots", c->totals.break_age_slots, DT_LAT_SLOTS);
	c->gauges.shared = record_s64(gauges, "shared");
	c->gauges.shared_peak = record_s64(gauges, "shared_peak");
	c->gauges.extra_owners = record_s64(gauges, "extra_owners");
	c->gauges.extra_owners_peak = record_s64(gauges, "extra_owners_peak");
	rmap->measured = record_member(pfn_entries, "rmap_lookups") != NULL;
	rmap->lookups = record_count(pfn_entries, "rmap_lookups");
	return read_census_files(share, paths, c);
}

static int read_site(json_object *obj, struct file_paths *paths, struct mapuse_site *site)
{
	json_object *files = record_member(obj, "files"), *stacks = record_member(obj, "stacks");
	int nr_files =
		json_object_is_type(files, json_type_object) ? json_object_object_length(files) : 0;
	int nr_stacks =
		json_object_is_type(stacks, json_type_array) ? json_object_array_length(stacks) : 0;

	site->count = record_count(obj, "count");
	site->shared = record_count(obj, "shared");
	site->files = calloc(nr_files ? nr_files : 1, sizeof(*site->files));
	site->stacks = calloc(nr_stacks ? nr_stacks : 1, sizeof(*site->stacks));
	if (!site->files || !site->stacks)
		return -1;
	if (json_object_is_type(files, json_type_object)) {
		json_object_object_foreach(files, name, count)
		{
			struct mapuse_file *f = &site->files[site->nr_files++];

			f->count = json_object_is_type(count, json_type_int) ?
					   json_object_get_uint64(count) :
					   0;
			if (strcmp(name, "(no file)") && !name_id(paths, name, &f->dev, &f->ino))
				return -1;
		}
	}
	for (int i = 0; i < nr_stacks; i++) {
		json_object *stack = json_object_array_get_idx(stacks, i);
		json_object *frames = record_member(stack, "frames");
		struct mapuse_stack *s = &site->stacks[site->nr_stacks++];
		int depth = json_object_is_type(frames, json_type_array) ?
				    json_object_array_length(frames) :
				    0;

		s->count = record_count(stack, "count");
		for (int f = 0; f < depth && f < DT_MAPUSE_STACK_DEPTH; f++) {
			const char *frame =
				json_object_get_string(json_object_array_get_idx(frames, f));

			snprintf(s->frames[s->nr_frames++], sizeof(s->frames[0]), "%s",
				 frame ? frame : "");
		}
	}
	return 0;
}

int record_read_mapuse(json_object *mapuse, struct file_paths *paths, struct mapuse_report *r)
{
	json_object *sites = record_member(mapuse, "sites");
	const char *names[DT_NR_MAPUSE_SITES];

	*r = (struct mapuse_report){};
	r->total = record_count(mapuse, "total");
	r->shared = record_count(mapuse, "shared");
	r->fs_reverse_lookups = record_count(mapuse, "fs_reverse_lookups");
	r->dropped = record_count(mapuse, "dropped");
	for (int s = 0; s < DT_NR_MAPUSE_SITES; s++)
		names[s] = mapuse_site_name(s);
	if (json_object_is_type(sites, json_type_object)) {
		json_object_object_foreach(sites, name, site)
		{
			int s = name_index(names, DT_NR_MAPUSE_SITES, name);

			if (s >= 0 && read_site(site, paths, &r->sites[s]))
				return -1;
		}
	}
	return 0;
}
