// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "cmd/counter_render.h"
#include "cmd/record_views.h"
#include "cmd/share_render.h"
#include "engine/file_paths.h"
#include "engine/mounts.h"
#include "output/hist.h"
#include "output/json_writer.h"

bool record_files_span_mounts(const struct stats_snapshot *snap)
{
	for (int i = 1; i < snap->nr_files; i++)
		if (snap->files[i].key.dev != snap->files[0].key.dev)
			return true;
	return false;
}

/*
 * The name of dev:ino in a record: its path below its mount point ("data/a.img"), with
 * " @MOUNT" when names->with_mount; "?DEV:INO" when the path cannot be told whole.
 */
static const char *file_name(const struct record_names *names, __u32 dev, __u64 ino,
			     const struct dt_file_info *info, char *buf, size_t size)
{
	const struct mount_entry *mount = mount_table_find(names->mounts, dev);
	char path[4096];
	const char *got, *rel;
	size_t len;

	got = info ? file_paths_resolve(names->paths, dev, ino, info, path, sizeof(path)) :
		     file_paths_lookup(names->paths, dev, ino, path, sizeof(path));
	if (!got || !mount) {
		snprintf(buf, size, "?%u:%u:%llu", DT_MAJOR(dev), DT_MINOR(dev),
			 (unsigned long long)ino);
		return buf;
	}
	len = strlen(mount->mount_point);
	rel = path;
	if (!strncmp(path, mount->mount_point, len) && path[len] == '/')
		rel = path + len + 1;
	else if (!strcmp(mount->mount_point, "/") && path[0] == '/')
		rel = path + 1;
	if (names->with_mount)
		snprintf(buf, size, "%s @%s", rel, mount->mount_point);
	else
		snprintf(buf, size, "%s", rel);
	return buf;
}

/* {"sum_ns","max_ns","p50_ns","p99_ns","slots":[...]} of a log2 histogram. */
static void hist_json(struct json_writer *w, const char *key, __u64 sum_ns, __u64 max_ns,
		      const __u64 slots[DT_LAT_SLOTS])
{
	json_key(w, key);
	json_object_begin(w);
	json_kv_uint(w, "count", hist_total(slots));
	json_kv_uint(w, "sum_ns", sum_ns);
	if (max_ns)
		json_kv_uint(w, "max_ns", max_ns);
	json_kv_uint(w, "p50_ns", hist_percentile(slots, 50, max_ns));
	json_kv_uint(w, "p99_ns", hist_percentile(slots, 99, max_ns));
	json_key(w, "slots");
	json_array_begin(w);
	for (int s = 0; s < DT_LAT_SLOTS; s++)
		json_uint(w, slots[s]);
	json_array_end(w);
	json_object_end(w);
}

static void stats_json(struct json_writer *w, const char *key, const struct dt_stats *stats)
{
	json_key(w, key);
	json_object_begin(w);
	counter_json_values(w, stats, DT_NR_COUNTERS);
	hist_json(w, "lat", stats->lat_sum_ns, stats->lat_max_ns, stats->lat_slots);
	json_object_end(w);
}

static void counters_json(struct json_writer *w, const struct stats_snapshot *snap,
			  const struct record_names *names)
{
	char name[4200];

	json_key(w, "top");
	json_object_begin(w);
	stats_json(w, "total", &snap->total);
	json_key(w, "files");
	json_object_begin(w);
	for (int i = 0; i < snap->nr_files; i++) {
		const struct file_row *row = &snap->files[i];

		file_name(names, row->key.dev, row->key.ino, row->has_info ? &row->info : NULL,
			  name, sizeof(name));
		stats_json(w, name, &row->stats);
	}
	json_object_end(w);
	json_key(w, "devices");
	json_object_begin(w);
	for (int i = 0; i < snap->nr_devices; i++)
		stats_json(w, counter_device_name(&snap->devices[i], name, sizeof(name)),
			   &snap->devices[i].stats);
	json_object_end(w);
	json_object_end(w);
}

static void lat_json(struct json_writer *w, const struct lat_report *lat)
{
	json_key(w, "lat");
	json_object_begin(w);
	for (int i = 0; i < lat->nr_rows; i++)
		hist_json(w, lat_kind_names[lat->rows[i].key.kind], lat->rows[i].hist.sum_ns, 0,
			  lat->rows[i].hist.slots);
	json_object_end(w);
}

static void census_files_json(struct json_writer *w, const struct census *c,
			      const struct record_names *names)
{
	char name[4200], other[4200], pair[8500];

	json_key(w, "files");
	json_object_begin(w);
	for (int i = 0; i < c->nr_files; i++) {
		const struct census_file *f = &c->files[i];

		json_key(w, file_name(names, f->id.dev, f->id.ino, NULL, name, sizeof(name)));
		json_object_begin(w);
		json_kv_uint(w, "pfns", f->pfns);
		json_kv_uint(w, "shared_pfns", f->shared_pfns);
		json_object_end(w);
	}
	json_object_end(w);
	json_key(w, "pairs");
	json_object_begin(w);
	for (int i = 0; i < c->nr_pairs; i++) {
		const struct census_pair *p = &c->pairs[i];

		file_name(names, p->a.dev, p->a.ino, NULL, name, sizeof(name));
		file_name(names, p->b.dev, p->b.ino, NULL, other, sizeof(other));
		/* a < b by dev:ino, which two kernels need not agree on: order by name */
		if (strcmp(name, other) < 0)
			snprintf(pair, sizeof(pair), "%s | %s", name, other);
		else
			snprintf(pair, sizeof(pair), "%s | %s", other, name);
		json_key(w, pair);
		json_object_begin(w);
		json_kv_uint(w, "shared_pfns", p->shared_pfns);
		json_kv_uint(w, "shared_bytes", p->shared_bytes);
		json_object_end(w);
	}
	json_object_end(w);
}

/*
 * A gauge of the census, signed in the kernel's map for its atomic updates, but never below 0:
 * it counts only owners the census saw join (a disassociation of an unknown owner is
 * "unmatched"). A record's numbers are all >= 0 (record_file.h).
 */
static __u64 level(__s64 gauge)
{
	return gauge > 0 ? gauge : 0;
}

static void share_json(struct json_writer *w, const struct record_run_views *v,
		       const struct record_names *names)
{
	const struct census *c = v->census;
	struct share_model model;

	json_key(w, "share");
	json_object_begin(w);
	json_kv_uint(w, "pfns", c->pfns);
	json_kv_uint(w, "shared_pfns", c->shared_pfns);
	json_kv_uint(w, "shared_bytes", c->shared_bytes);
	json_kv_uint(w, "owner_entries", c->owner_entries);
	json_kv_uint(w, "unlisted_owners", c->unlisted_owners);
	json_kv_uint(w, "extra_owners", c->extra_owners);
	json_kv_uint(w, "index_differs", c->index_differs);
	json_kv_uint(w, "index_overrides", c->index_overrides);
	for (int i = 0; i < CENSUS_NR_PAGE_FIGURES; i++) /* for the model's per-page terms */
		json_kv_uint(w, census_page_figures[i].key,
			     census_figure(c, &census_page_figures[i]));
	json_key(w, "owners_hist");
	json_array_begin(w);
	for (int n = 0; n <= CENSUS_MAX_OWNERS; n++)
		json_uint(w, c->owners_hist[n]);
	json_array_end(w);
	json_key(w, "totals");
	json_object_begin(w);
	for (int i = 0; i < DT_NR_SHARE_COUNTERS; i++)
		json_kv_uint(w, share_counter_names[i], c->totals.count[i]);
	hist_json(w, "break_age", c->totals.break_age_sum_ns, c->totals.break_age_max_ns,
		  c->totals.break_age_slots);
	json_object_end(w);
	json_key(w, "gauges");
	json_object_begin(w);
	json_kv_uint(w, "shared", level(c->gauges.shared));
	json_kv_uint(w, "shared_peak", level(c->gauges.shared_peak));
	json_kv_uint(w, "extra_owners", level(c->gauges.extra_owners));
	json_kv_uint(w, "extra_owners_peak", level(c->gauges.extra_owners_peak));
	json_object_end(w);
	census_files_json(w, c, names);
	share_model_compute(&model, c, v->proxy_bytes, v->rmap, NULL);
	share_model_json(w, &model);
	json_object_end(w);
}

static void mapuse_site_json(struct json_writer *w, const struct mapuse_site *site,
			     const struct record_names *names)
{
	char name[4200];

	json_object_begin(w);
	json_kv_uint(w, "count", site->count);
	json_kv_uint(w, "shared", site->shared);
	json_key(w, "files");
	json_object_begin(w);
	for (int i = 0; i < site->nr_files; i++) {
		const struct mapuse_file *f = &site->files[i];

		if (f->dev)
			file_name(names, f->dev, f->ino, NULL, name, sizeof(name));
		else
			snprintf(name, sizeof(name), "(no file)");
		json_kv_uint(w, name, f->count);
	}
	json_object_end(w);
	json_key(w, "stacks");
	json_array_begin(w);
	for (int i = 0; i < site->nr_stacks; i++) {
		json_object_begin(w);
		json_kv_uint(w, "count", site->stacks[i].count);
		json_key(w, "frames");
		json_array_begin(w);
		for (int f = 0; f < site->stacks[i].nr_frames; f++)
			json_string(w, site->stacks[i].frames[f]);
		json_array_end(w);
		json_object_end(w);
	}
	json_array_end(w);
	json_object_end(w);
}

static void mapuse_json(struct json_writer *w, const struct mapuse_report *r,
			const struct record_names *names)
{
	json_key(w, "mapuse");
	json_object_begin(w);
	json_kv_uint(w, "total", r->total);
	json_kv_uint(w, "shared", r->shared);
	json_kv_uint(w, "fs_reverse_lookups", r->fs_reverse_lookups);
	json_kv_uint(w, "dropped", r->dropped);
	json_key(w, "sites");
	json_object_begin(w);
	for (int s = 0; s < DT_NR_MAPUSE_SITES; s++) {
		if (!r->sites[s].count)
			continue;
		json_key(w, mapuse_site_name(s));
		mapuse_site_json(w, &r->sites[s], names);
	}
	json_object_end(w);
	json_object_end(w);
}

void record_views_json(struct json_writer *w, const struct record_run_views *views,
		       const struct record_names *names)
{
	json_key(w, "views");
	json_object_begin(w);
	if (views->counters)
		counters_json(w, views->counters, names);
	if (views->lat)
		lat_json(w, views->lat);
	if (views->census)
		share_json(w, views, names);
	if (views->mapuse)
		mapuse_json(w, views->mapuse, names);
	json_object_end(w);
}
