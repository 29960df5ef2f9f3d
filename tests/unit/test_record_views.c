// SPDX-License-Identifier: GPL-2.0
/*
 * A record's views written (record_views.c) and read back (record_read.c): every counter,
 * reason, histogram slot, census figure and mapuse site comes back, files by their path below
 * the mount point, so that `daxtrace report` shows what `daxtrace record` counted.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cmd/record_read.h"
#include "cmd/record_views.h"
#include "engine/file_paths.h"
#include "engine/mounts.h"
#include "output/json_writer.h"

/* Distinct values everywhere, so that a field read into the wrong place shows. */
static void fill_stats(struct dt_stats *s, __u64 seed)
{
	memset(s, 0, sizeof(*s));
	for (int c = 0; c < DT_NR_COUNTERS; c++)
		s->count[c] = seed * 1000 + c;
	for (int r = 0; r < DT_NR_FALLBACK_REASONS; r++)
		s->fallback_reasons[r] = seed * 100 + r;
	s->lat_slots[3] = seed;
	s->lat_slots[10] = 2;
	s->lat_sum_ns = 5000 * seed;
	s->lat_max_ns = 1500;
}

struct written {
	struct file_paths *paths;
	struct mount_entry mount;
	struct mount_table mounts;
	struct stats_snapshot snap;
	struct file_row files[2];
	struct lat_report lat;
	struct lat_row lat_rows[2];
	struct census census;
	struct census_file census_files[2];
	struct census_pair pair;
	struct mapuse_report uses;
	struct mapuse_file use_files[2];
	struct mapuse_stack stack;
	struct share_rmap rmap;
	json_object *run;
};

static void make_reports(struct written *w)
{
	__u64 a, b;

	w->paths = file_paths_new_recorded();
	assert_non_null(w->paths);
	a = file_paths_add_recorded(w->paths, "/mnt/dax/data/a.img");
	b = file_paths_add_recorded(w->paths, "/mnt/dax/b");
	w->mount = (struct mount_entry){ .dev = FILE_PATHS_RECORDED_DEV,
					 .mount_point = "/mnt/dax",
					 .root = "/",
					 .fs_type = "xfs",
					 .source = "/dev/pmem0",
					 .dax = true };
	w->mounts = (struct mount_table){ .entries = &w->mount, .nr = 1 };

	fill_stats(&w->snap.total, 1);
	fill_stats(&w->files[0].stats, 2);
	fill_stats(&w->files[1].stats, 3);
	w->files[0].key = (struct dt_file_key){ .dev = FILE_PATHS_RECORDED_DEV, .ino = a };
	w->files[1].key = (struct dt_file_key){ .dev = FILE_PATHS_RECORDED_DEV, .ino = b };
	w->snap.files = w->files;
	w->snap.nr_files = 2;
	w->snap.misses.total.lost = 7;
	w->snap.misses.total.lat_samples_lost = 8;
	w->snap.evicted = 9;

	w->lat_rows[0] = (struct lat_row){ .key.kind = DT_LAT_PTE_READ, .count = 3 };
	w->lat_rows[0].hist.slots[4] = 3;
	w->lat_rows[0].hist.sum_ns = 90;
	w->lat_rows[1] = (struct lat_row){ .key.kind = DT_LAT_COW, .count = 1 };
	w->lat_rows[1].hist.slots[20] = 1;
	w->lat_rows[1].hist.sum_ns = 1 << 20;
	w->lat = (struct lat_report){ .rows = w->lat_rows, .nr_rows = 2 };

	w->census = (struct census){ .pfns = 11,
				     .owner_entries = 12,
				     .unlisted_owners = 13,
				     .shared_pfns = 14,
				     .shared_bytes = 15 * 4096,
				     .extra_owners = 16,
				     .index_differs = 17,
				     .index_overrides = 18,
				     .pages = 19,
				     .shared_pages = 20,
				     .extra_owner_pages = 21,
				     .owner_entry_pages = 22,
				     .pmd_units = 23,
				     .shared_pmd_units = 24 };
	w->census.owners_hist[1] = 4;
	w->census.owners_hist[CENSUS_MAX_OWNERS] = 5;
	for (int i = 0; i < DT_NR_SHARE_COUNTERS; i++)
		w->census.totals.count[i] = 100 + i;
	w->census.totals.break_age_slots[12] = 6;
	w->census.totals.break_age_sum_ns = 6 << 12;
	w->census.totals.break_age_max_ns = 7000;
	w->census.gauges = (struct dt_share_gauges){
		.shared = 3, .shared_peak = 30, .extra_owners = 2, .extra_owners_peak = 31
	};
	w->census_files[0] = (struct census_file){ .id = { FILE_PATHS_RECORDED_DEV, b },
						   .pfns = 20,
						   .shared_pfns = 10 };
	w->census_files[1] = (struct census_file){ .id = { FILE_PATHS_RECORDED_DEV, a },
						   .pfns = 21,
						   .shared_pfns = 11 };
	w->census.files = w->census_files;
	w->census.nr_files = 2;
	/* a < b by id, but b's name sorts first: the record names the pair in name order */
	w->pair = (struct census_pair){ .a = { FILE_PATHS_RECORDED_DEV, a },
					.b = { FILE_PATHS_RECORDED_DEV, b },
					.shared_pfns = 10,
					.shared_bytes = 40960 };
	w->census.pairs = &w->pair;
	w->census.nr_pairs = 1;
	w->rmap = (struct share_rmap){ .measured = true, .lookups = 2 };

	w->use_files[0] =
		(struct mapuse_file){ .dev = FILE_PATHS_RECORDED_DEV, .ino = b, .count = 5 };
	w->use_files[1] = (struct mapuse_file){ .dev = 0, .count = 1 }; /* no file */
	w->stack = (struct mapuse_stack){ .count = 6, .nr_frames = 2 };
	strcpy(w->stack.frames[0], "folio_mapping");
	strcpy(w->stack.frames[1], "folio_mark_dirty [xfs]");
	w->uses = (struct mapuse_report){
		.total = 6, .shared = 2, .fs_reverse_lookups = 3, .dropped = 1
	};
	w->uses.sites[DT_SITE_FOLIO_MAPPING] = (struct mapuse_site){ .count = 6,
								     .shared = 2,
								     .stacks = &w->stack,
								     .nr_stacks = 1,
								     .files = w->use_files,
								     .nr_files = 2 };
}

/* The run object the writer makes, parsed. */
static json_object *write_run(struct written *w)
{
	const struct record_names names = { .paths = w->paths, .mounts = &w->mounts };
	struct json_writer *jw;
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	json_object *run;

	assert_non_null(out);
	jw = json_writer_new(out);
	json_object_begin(jw);
	json_kv_uint(jw, "lost", 7);
	json_kv_uint(jw, "lat_samples_lost", 8);
	json_kv_uint(jw, "evicted", 9);
	json_kv_uint(jw, "missed_runs", 4);
	record_views_json(jw,
			  &(struct record_run_views){ .counters = &w->snap,
						      .lat = &w->lat,
						      .census = &w->census,
						      .rmap = &w->rmap,
						      .proxy_bytes = 64,
						      .mapuse = &w->uses },
			  &names);
	json_object_end(jw);
	json_writer_free(jw);
	assert_int_equal(fclose(out), 0);
	run = json_tokener_parse(text);
	assert_non_null(run);
	free(text);
	return run;
}

static const char *name_of(struct file_paths *paths, __u32 dev, __u64 ino)
{
	static char buf[4096];

	return file_paths_lookup(paths, dev, ino, buf, sizeof(buf));
}

static void test_counters(void **state)
{
	struct written w = {};
	struct file_paths *back = file_paths_new_recorded();
	struct stats_snapshot snap;

	(void)state;
	make_reports(&w);
	w.run = write_run(&w);
	assert_int_equal(record_read_counters(w.run, back, &snap), 0);
	assert_memory_equal(&snap.total, &w.snap.total, sizeof(snap.total));
	assert_int_equal(snap.nr_files, 2);
	assert_string_equal(name_of(back, snap.files[0].key.dev, snap.files[0].key.ino),
			    "data/a.img");
	assert_memory_equal(&snap.files[0].stats, &w.files[0].stats, sizeof(struct dt_stats));
	assert_string_equal(name_of(back, snap.files[1].key.dev, snap.files[1].key.ino), "b");
	assert_memory_equal(&snap.files[1].stats, &w.files[1].stats, sizeof(struct dt_stats));
	assert_int_equal(snap.misses.total.lost, 7);
	assert_int_equal(snap.misses.total.lat_samples_lost, 8);
	assert_int_equal(snap.evicted, 9);
	stats_snapshot_free(&snap);
	json_object_put(w.run);
	file_paths_free(back);
	file_paths_free(w.paths);
}

static void test_lat(void **state)
{
	struct written w = {};
	struct lat_report lat;

	(void)state;
	make_reports(&w);
	w.run = write_run(&w);
	assert_int_equal(record_read_lat(record_member(w.run, "views"), &lat), 0);
	assert_int_equal(lat.nr_rows, 2);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(lat.rows[i].key.kind, w.lat_rows[i].key.kind);
		assert_int_equal(lat.rows[i].count, w.lat_rows[i].count);
		assert_memory_equal(&lat.rows[i].hist, &w.lat_rows[i].hist,
				    sizeof(lat.rows[i].hist));
	}
	lat_report_free(&lat);
	json_object_put(w.run);
	file_paths_free(w.paths);
}

static void test_census(void **state)
{
	struct written w = {};
	struct file_paths *back = file_paths_new_recorded();
	json_object *share;
	struct share_rmap rmap;
	struct census c;

	(void)state;
	make_reports(&w);
	w.run = write_run(&w);
	share = record_member(record_member(w.run, "views"), "share");
	assert_int_equal(record_read_census(share, back, &c, &rmap), 0);
	assert_int_equal(c.pfns, 11);
	assert_int_equal(c.owner_entries, 12);
	assert_int_equal(c.unlisted_owners, 13);
	assert_int_equal(c.shared_pfns, 14);
	assert_int_equal(c.shared_bytes, 15 * 4096);
	assert_int_equal(c.extra_owners, 16);
	assert_int_equal(c.index_differs, 17);
	assert_int_equal(c.index_overrides, 18);
	for (int i = 0; i < CENSUS_NR_PAGE_FIGURES; i++) /* pages 19 ... shared_pmd_units 24 */
		assert_int_equal(census_figure(&c, &census_page_figures[i]), 19 + i);
	assert_memory_equal(c.owners_hist, w.census.owners_hist, sizeof(c.owners_hist));
	assert_memory_equal(&c.totals, &w.census.totals, sizeof(c.totals));
	assert_memory_equal(&c.gauges, &w.census.gauges, sizeof(c.gauges));
	assert_int_equal(record_count(w.run, "missed_runs"), 4);
	assert_true(rmap.measured);
	assert_int_equal(rmap.lookups, 2);
	assert_int_equal(c.nr_files, 2);
	assert_string_equal(name_of(back, c.files[0].id.dev, c.files[0].id.ino), "b");
	assert_int_equal(c.files[0].pfns, 20);
	assert_int_equal(c.files[0].shared_pfns, 10);
	assert_string_equal(name_of(back, c.files[1].id.dev, c.files[1].id.ino), "data/a.img");
	assert_int_equal(c.nr_pairs, 1);
	assert_string_equal(name_of(back, c.pairs[0].a.dev, c.pairs[0].a.ino), "b");
	assert_string_equal(name_of(back, c.pairs[0].b.dev, c.pairs[0].b.ino), "data/a.img");
	assert_int_equal(c.pairs[0].shared_bytes, 40960);
	assert_int_equal(record_count(record_member(record_member(share, "model"), "proxy"),
				      "bytes_per_object"),
			 64);
	census_free(&c);
	json_object_put(w.run);
	file_paths_free(back);
	file_paths_free(w.paths);
}

static void test_mapuse(void **state)
{
	struct written w = {};
	struct file_paths *back = file_paths_new_recorded();
	struct mapuse_report r;
	const struct mapuse_site *site;

	(void)state;
	make_reports(&w);
	w.run = write_run(&w);
	assert_int_equal(record_read_mapuse(record_member(record_member(w.run, "views"), "mapuse"),
					    back, &r),
			 0);
	assert_int_equal(r.total, 6);
	assert_int_equal(r.shared, 2);
	assert_int_equal(r.fs_reverse_lookups, 3);
	assert_int_equal(r.dropped, 1);
	for (int s = 0; s < DT_NR_MAPUSE_SITES; s++)
		assert_int_equal(r.sites[s].count, s == DT_SITE_FOLIO_MAPPING ? 6 : 0);
	site = &r.sites[DT_SITE_FOLIO_MAPPING];
	assert_int_equal(site->shared, 2);
	assert_int_equal(site->nr_files, 2);
	assert_string_equal(name_of(back, site->files[0].dev, site->files[0].ino), "b");
	assert_int_equal(site->files[0].count, 5);
	assert_int_equal(site->files[1].dev, 0); /* (no file) */
	assert_int_equal(site->files[1].count, 1);
	assert_int_equal(site->nr_stacks, 1);
	assert_int_equal(site->stacks[0].count, 6);
	assert_int_equal(site->stacks[0].nr_frames, 2);
	assert_string_equal(site->stacks[0].frames[1], "folio_mark_dirty [xfs]");
	mapuse_report_free(&r);
	json_object_put(w.run);
	file_paths_free(back);
	file_paths_free(w.paths);
}

/* A record of files on two filesystems names each with its mount point. */
static void test_names_with_mount(void **state)
{
	struct stats_snapshot snap = {};
	struct file_row rows[2] = { { .key = { .dev = 1, .ino = 1 } },
				    { .key = { .dev = 2, .ino = 1 } } };

	(void)state;
	snap.files = rows;
	snap.nr_files = 1;
	assert_false(record_files_span_mounts(&snap));
	snap.nr_files = 2;
	assert_true(record_files_span_mounts(&snap));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counters),	 cmocka_unit_test(test_lat),
		cmocka_unit_test(test_census),		 cmocka_unit_test(test_mapuse),
		cmocka_unit_test(test_names_with_mount),
	};

	return cmocka_run_group_tests_name("record_views", tests, NULL, NULL);
}
