// SPDX-License-Identifier: GPL-2.0
/*
 * The census summary: owner histogram, files, pairs, index overrides, the same census per 4 KiB
 * page with the design model's per-page terms, and anomaly wording.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <linux/types.h>

#include "cmd/share_render.h"
#include "engine/census.h"
#include "engine/share_model.h"

#define DEV 0x10300001u /* 259:1 */

/* A record with the owners given as (ino, index) pairs; slot order as given. */
static struct dt_pfn_owners record(__u32 order, int nr, const __u64 owners[][2])
{
	struct dt_pfn_owners r;

	memset(&r, 0, sizeof(r));
	r.order = order;
	r.owners = nr;
	for (int i = 0; i < nr && i < DT_SHARE_SLOTS; i++) {
		r.slot[i].ino = owners[i][0];
		r.slot[i].index = owners[i][1];
		r.slot[i].dev = DEV;
	}
	return r;
}

/* A and B share pages 0..2 at the same index; C holds page 0 at index 64; B has page 9 alone. */
static void test_histogram_pairs_and_indexes(void **state)
{
	const __u64 abc[][2] = { { 11, 0 }, { 12, 0 }, { 13, 64 } };
	const __u64 ab1[][2] = { { 11, 1 }, { 12, 1 } };
	const __u64 ab2[][2] = { { 12, 2 }, { 11, 2 } };
	const __u64 b9[][2] = { { 12, 9 } };
	struct dt_pfn_owners records[] = {
		record(0, 3, abc),
		record(0, 2, ab1),
		record(0, 2, ab2),
		record(0, 1, b9),
	};
	struct census c;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(census_build(&c, records, 4), 0);
	assert_int_equal(c.pfns, 4);
	assert_int_equal(c.owners_hist[1], 1);
	assert_int_equal(c.owners_hist[2], 2);
	assert_int_equal(c.owners_hist[3], 1);
	assert_int_equal(c.shared_pfns, 3);
	assert_int_equal(c.shared_bytes, 3 * 4096);
	assert_int_equal(c.owner_entries, 8);
	assert_int_equal(c.extra_owners, 4);
	assert_int_equal(c.index_differs, 1);
	assert_int_equal(c.index_overrides, 1); /* C's index, against the common 0 */
	assert_int_equal(c.nr_files, 3);
	assert_int_equal(c.files[0].id.ino, 11);
	assert_int_equal(c.files[0].pfns, 3);
	assert_int_equal(c.files[1].id.ino, 12);
	assert_int_equal(c.files[1].pfns, 4);
	assert_int_equal(c.files[1].shared_pfns, 3);
	assert_int_equal(c.nr_pairs, 3);
	/* Most shared first: (A,B) 3, then (A,C) and (B,C) 1 each, by file id. */
	assert_int_equal(c.pairs[0].a.ino, 11);
	assert_int_equal(c.pairs[0].b.ino, 12);
	assert_int_equal(c.pairs[0].shared_pfns, 3);
	assert_int_equal(c.pairs[1].a.ino, 11);
	assert_int_equal(c.pairs[1].b.ino, 13);
	assert_int_equal(c.pairs[2].a.ino, 12);
	assert_int_equal(c.pairs[2].b.ino, 13);
	assert_int_equal(c.pairs[2].shared_bytes, 4096);
	/* the exporter's shared pages by device: the three shared units, B's own page not */
	assert_int_equal(c.nr_devs, 1);
	assert_int_equal(c.devs[0].dev, DEV);
	assert_int_equal(c.devs[0].shared_pfns, 3);
	census_free(&c);
}

/* A PMD entry is one unit of 2 MiB; a file owning one pfn at two indexes is one file. */
static void test_pmd_unit_and_same_file_twice(void **state)
{
	const __u64 pq[][2] = { { 21, 512 }, { 22, 512 } };
	const __u64 self[][2] = { { 23, 0 }, { 23, 8 } };
	struct dt_pfn_owners records[] = { record(9, 2, pq), record(0, 2, self) };
	struct census c;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(census_build(&c, records, 2), 0);
	assert_int_equal(c.shared_pfns, 2);
	assert_int_equal(c.shared_bytes, (2 << 20) + 4096);
	assert_int_equal(c.index_differs, 1);
	assert_int_equal(c.index_overrides, 1);
	assert_int_equal(c.nr_pairs, 1); /* (21, 22); 23 with itself is no pair */
	assert_int_equal(c.pairs[0].shared_bytes, 2 << 20);
	census_free(&c);
}

/*
 * PMD and PTE units mixed: P, Q, R own 2 MiB units as a clone and a FICLONERANGE make them
 * share (owners {P, Q}, {P, Q, R}, and {P} after Q's break), A and B share one 4 KiB page, and
 * Q holds its 4 KiB COW copy alone. Per page, a PMD unit counts 512 times.
 */
static struct census mixed_census(void)
{
	const __u64 pq[][2] = { { 31, 0 }, { 32, 0 } };
	const __u64 pqr[][2] = { { 31, 512 }, { 32, 512 }, { 33, 0 } };
	const __u64 p[][2] = { { 31, 1024 } };
	const __u64 ab[][2] = { { 41, 5 }, { 42, 5 } };
	const __u64 q[][2] = { { 32, 1025 } };
	struct dt_pfn_owners records[] = {
		record(DT_PMD_ORDER, 2, pq),
		record(DT_PMD_ORDER, 3, pqr),
		record(DT_PMD_ORDER, 1, p),
		record(0, 2, ab),
		record(0, 1, q),
	};
	struct census c;

	memset(&c, 0, sizeof(c));
	assert_int_equal(census_build(&c, records, 5), 0);
	return c;
}

static void test_pages_of_pmd_and_pte_units(void **state)
{
	struct census c = mixed_census();

	(void)state;
	/* per unit: a PMD entry counts once */
	assert_int_equal(c.pfns, 5);
	assert_int_equal(c.shared_pfns, 3);
	assert_int_equal(c.extra_owners, 1 + 2 + 1);
	assert_int_equal(c.owner_entries, 2 + 3 + 1 + 2 + 1);
	assert_int_equal(c.pmd_units, 3);
	assert_int_equal(c.shared_pmd_units, 2);
	/* per page: 512 for each PMD unit, 1 for each PTE unit */
	assert_int_equal(c.pages, 3 * 512 + 2);
	assert_int_equal(c.shared_pages, 2 * 512 + 1);
	assert_int_equal(c.extra_owner_pages, (1 + 2) * 512 + 1);
	assert_int_equal(c.owner_entry_pages, (2 + 3 + 1) * 512 + 2 + 1);
	assert_int_equal(c.shared_bytes, c.shared_pages * 4096);
	census_free(&c);
}

/* The report's and a record's keys name the members they stand for. */
static void test_page_figure_keys(void **state)
{
	struct census c = mixed_census();
	const char *keys = "pages shared_pages extra_owner_pages owner_entry_pages pmd_units "
			   "shared_pmd_units";
	const __u64 values[CENSUS_NR_PAGE_FIGURES] = {
		c.pages, c.shared_pages, c.extra_owner_pages, c.owner_entry_pages, 3, 2,
	};
	char joined[128] = "";

	(void)state;
	for (int i = 0; i < CENSUS_NR_PAGE_FIGURES; i++) {
		snprintf(joined + strlen(joined), sizeof(joined) - strlen(joined), "%s%s",
			 i ? " " : "", census_page_figures[i].key);
		assert_int_equal(census_figure(&c, &census_page_figures[i]), values[i]);
	}
	assert_string_equal(joined, keys);
	census_free(&c);
}

/*
 * The model charges each design per unit and per page: proxies and protection records for the
 * whole folio or for each page, one multi-order entry per owner or one per page; the kernel's
 * struct-page writes come from the BPF counter as they are.
 */
static void test_model_per_page(void **state)
{
	struct census c = mixed_census();
	struct share_rmap rmap = { 0 };
	struct share_model m;

	(void)state;
	c.totals.count[DT_SH_SHARED_UPDATES] = 4;
	c.totals.count[DT_SH_SHARED_UPDATE_PAGES] = 3 * 512 + 1;
	share_model_compute(&m, &c, 64, &rmap, NULL);
	assert_int_equal(m.kernel.share_count_updates, 4);
	assert_int_equal(m.kernel.share_count_update_pages, 3 * 512 + 1);
	assert_int_equal(m.proxy.objects, 4);
	assert_int_equal(m.proxy.objects_per_page, 3 * 512 + 1);
	assert_int_equal(m.proxy.bytes, 4 * 64);
	assert_int_equal(m.proxy.bytes_per_page_proxies, (3 * 512 + 1) * 64);
	assert_int_equal(m.pfn_entries.entries, 9);
	assert_int_equal(m.pfn_entries.entries_per_page, 6 * 512 + 3);
	assert_int_equal(m.write_protect.objects, 3);
	assert_int_equal(m.write_protect.objects_per_page, 2 * 512 + 1);
	assert_true(share_model_has_pmd(&m));
	census_free(&c);
}

/* Without a PMD unit, per page is per unit, and the text leaves the per-page terms out. */
static void test_model_without_pmd(void **state)
{
	const __u64 ab[][2] = { { 41, 5 }, { 42, 5 } };
	struct dt_pfn_owners records[] = { record(0, 2, ab) };
	struct share_rmap rmap = { 0 };
	struct share_model m;
	struct census c;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(census_build(&c, records, 1), 0);
	share_model_compute(&m, &c, 64, &rmap, NULL);
	assert_int_equal(c.pmd_units, 0);
	assert_int_equal(c.pages, 1);
	assert_int_equal(m.proxy.objects_per_page, m.proxy.objects);
	assert_int_equal(m.pfn_entries.entries_per_page, m.pfn_entries.entries);
	assert_int_equal(m.write_protect.objects_per_page, m.write_protect.objects);
	assert_false(share_model_has_pmd(&m));
	census_free(&c);
}

/* share's text report of a census and its model; the caller frees it. */
static char *render_text(const struct census *c, const struct share_model *m)
{
	struct share_report report = { .census = c, .model = *m };
	struct share_view view = { .model = true, .kernel_release = "test" };
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);

	assert_non_null(out);
	share_render_text(out, &report, &view);
	fclose(out);
	return text;
}

/* The text says the PMD units and each design's per-page term only when there is a PMD unit. */
static void test_text_per_page_terms(void **state)
{
	struct census c = mixed_census();
	struct share_rmap rmap = { 0 };
	struct share_model m;
	char *text;

	(void)state;
	c.totals.count[DT_SH_SHARED_UPDATES] = 4;
	c.totals.count[DT_SH_SHARED_UPDATE_PAGES] = 3 * 512 + 1;
	share_model_compute(&m, &c, 64, &rmap, NULL);
	text = render_text(&c, &m);
	assert_non_null(strstr(text, "owners: 1:2 2:2 3:1   pmd units 3 (2 shared)\n"));
	assert_non_null(strstr(
		text,
		"share-count updates 4 (4 in faults, 0 elsewhere) writing 1537 struct pages\n"));
	assert_non_null(
		strstr(text, "256 bytes at 64 per object; per page 1537 objects, 98368 bytes\n"));
	assert_non_null(strstr(
		text, "page-cache entries 9, per page 3075, reverse lookups: memory failure not "
		      "measured, ->mapping readers not measured, shared unmaps 0\n"));
	assert_non_null(strstr(text,
			       "objects 3 (peak 0), per page 1025, break callbacks 0, sites to "
			       "convert not measured\n"));
	free(text);
	c.pmd_units = 0;
	m.pfn_entries.entries_per_page = m.pfn_entries.entries;
	text = render_text(&c, &m);
	assert_null(strstr(text, "pmd units"));
	assert_null(strstr(text, "per page"));
	assert_null(strstr(text, "struct pages"));
	free(text);
	census_free(&c);
}

/* More owners than slots are counted and reported as unlisted; a record at 0 is skipped. */
static void test_unlisted_and_empty(void **state)
{
	__u64 many[DT_SHARE_SLOTS][2];
	struct dt_pfn_owners records[2];
	struct census c;

	(void)state;
	for (int i = 0; i < DT_SHARE_SLOTS; i++) {
		many[i][0] = 100 + i;
		many[i][1] = 7;
	}
	records[0] = record(0, DT_SHARE_SLOTS, many);
	records[0].owners = DT_SHARE_SLOTS + 3;
	records[1] = record(0, 0, many);
	memset(&c, 0, sizeof(c));
	assert_int_equal(census_build(&c, records, 2), 0);
	assert_int_equal(c.pfns, 1);
	assert_int_equal(c.owners_hist[DT_SHARE_SLOTS + 3], 1);
	assert_int_equal(c.unlisted_owners, 3);
	assert_int_equal(c.index_differs, 0);
	census_free(&c);
}

/* No record at all (nothing shared yet): an empty census, no file, no pair. */
static void test_no_records(void **state)
{
	struct census c;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(census_build(&c, NULL, 0), 0);
	assert_int_equal(c.pfns, 0);
	assert_int_equal(c.nr_files, 0);
	assert_int_equal(c.nr_pairs, 0);
	census_free(&c);
}

static void test_anomaly_explanations(void **state)
{
	struct dt_anomaly read_share = {
		.owners = 2, .kernel_count = 1, .layout = DT_LAYOUT_V61, .kernel_state = DT_KS_OWNER
	};
	struct dt_anomaly missed_leave = { .owners = 2,
					   .kernel_count = 1,
					   .layout = DT_LAYOUT_V615,
					   .kernel_state = DT_KS_OWNER };
	struct dt_anomaly unseen_owner = { .owners = 1,
					   .kernel_count = 2,
					   .layout = DT_LAYOUT_V62,
					   .kernel_state = DT_KS_SHARED };

	(void)state;
	assert_string_equal(share_anomaly_explanation(&read_share, false),
			    "kernel: v6.0-v6.1 marks a page shared only on a COW write; a read "
			    "fault's dax_associate_entry() replaced ->mapping instead");
	assert_non_null(strstr(share_anomaly_explanation(&missed_leave, false), "not seen"));
	assert_non_null(strstr(share_anomaly_explanation(&unseen_owner, false), "--snapshot"));
	assert_null(strstr(share_anomaly_explanation(&unseen_owner, true), "--snapshot"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_histogram_pairs_and_indexes),
		cmocka_unit_test(test_pmd_unit_and_same_file_twice),
		cmocka_unit_test(test_pages_of_pmd_and_pte_units),
		cmocka_unit_test(test_page_figure_keys),
		cmocka_unit_test(test_model_per_page),
		cmocka_unit_test(test_model_without_pmd),
		cmocka_unit_test(test_text_per_page_terms),
		cmocka_unit_test(test_unlisted_and_empty),
		cmocka_unit_test(test_no_records),
		cmocka_unit_test(test_anomaly_explanations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
