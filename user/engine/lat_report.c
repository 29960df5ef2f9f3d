// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "engine/lat_report.h"
#include "engine/map_read.h"
#include "engine/sorted.h"
#include "engine/stats.h"
#include "output/hist.h"

const char *const lat_kind_names[DT_NR_LAT_KINDS] = {
	[DT_LAT_PTE_READ] = "pte-read",
	[DT_LAT_PTE_WRITE] = "pte-write",
	[DT_LAT_PMD_READ] = "pmd-read",
	[DT_LAT_PMD_WRITE] = "pmd-write",
	[DT_LAT_PUD_READ] = "pud-read",
	[DT_LAT_PUD_WRITE] = "pud-write",
	[DT_LAT_MKWRITE] = "mkwrite",
	[DT_LAT_COW] = "cow",
	[DT_LAT_WRITEBACK] = "writeback",
	[DT_LAT_SYNC] = "sync",
	[DT_LAT_FALLBACK + DT_FB_MISALIGNED] = "fallback-misaligned",
	[DT_LAT_FALLBACK + DT_FB_PRIVATE_WRITE] = "fallback-private_write",
	[DT_LAT_FALLBACK + DT_FB_VMA_TOO_SMALL] = "fallback-vma_too_small",
	[DT_LAT_FALLBACK + DT_FB_PAST_EOF] = "fallback-past_eof",
	[DT_LAT_FALLBACK + DT_FB_ENTRY_CONFLICT] = "fallback-entry_conflict",
	[DT_LAT_FALLBACK + DT_FB_EXTENT] = "fallback-extent",
	[DT_LAT_FALLBACK + DT_FB_OTHER] = "fallback-other",
	[DT_LAT_NO_PMD + DT_NOPMD_NO_HUGE_FAULT] = "nopmd-no_huge_fault",
	[DT_LAT_NO_PMD + DT_NOPMD_NOHUGEPAGE] = "nopmd-nohugepage",
	[DT_LAT_NO_PMD + DT_NOPMD_THP_DISABLED] = "nopmd-thp_disabled",
	[DT_LAT_NO_PMD + DT_NOPMD_PAGE_TABLE] = "nopmd-page_table",
	[DT_LAT_NO_PMD + DT_NOPMD_THP_UNAVAILABLE] = "nopmd-thp_unavailable",
	[DT_LAT_NO_PMD + DT_NOPMD_UNKNOWN] = "nopmd-unknown",
};

static int compare_keys(const void *a, const void *b)
{
	const struct dt_lat_key *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->tgid != y->tgid)
		return x->tgid < y->tgid ? -1 : 1;
	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return 0;
}

int lat_report_read(struct lat_report *report, int hists_fd, int health_fd)
{
	__u64 health[DT_NR_HEALTH];
	struct map_rows rows;
	int err;

	memset(report, 0, sizeof(*report));
	/* A histogram is counters only: its per-CPU copies merge as summed words. */
	err = map_read_rows(hists_fd, sizeof(struct dt_lat_key), sizeof(struct dt_lat_hist), NULL,
			    MAP_READ_AUTO, &rows);
	if (err)
		return err;
	report->rows = calloc(rows.keys.nr ? rows.keys.nr : 1, sizeof(*report->rows));
	if (!report->rows) {
		map_rows_free(&rows);
		return -ENOMEM;
	}
	for (int i = 0; i < rows.keys.nr; i++) {
		struct lat_row *row = &report->rows[i];

		row->key = *(const struct dt_lat_key *)grow_array_at(&rows.keys, i);
		row->hist = *(const struct dt_lat_hist *)grow_array_at(&rows.values, i);
		row->count = hist_total(row->hist.slots);
	}
	report->nr_rows = rows.keys.nr;
	map_rows_free(&rows);
	sort_items(report->rows, report->nr_rows, sizeof(*report->rows), compare_keys);
	if (stats_read_health(health_fd, health) == 0)
		report->lost = health[DT_HEALTH_LAT_LOST];
	return 0;
}

int lat_report_delta(struct lat_report *delta, const struct lat_report *now,
		     const struct lat_report *before)
{
	memset(delta, 0, sizeof(*delta));
	delta->rows = calloc(now->nr_rows ? now->nr_rows : 1, sizeof(*delta->rows));
	if (!delta->rows)
		return -ENOMEM;
	for (int i = 0; i < now->nr_rows; i++) {
		const struct lat_row *old =
			find_item(&now->rows[i].key, before->rows, before->nr_rows,
				  sizeof(*before->rows), compare_keys);
		struct lat_row *row = &delta->rows[delta->nr_rows];

		*row = now->rows[i];
		if (old) {
			row->hist.sum_ns -= old->hist.sum_ns;
			hist_sub(row->hist.slots, old->hist.slots);
			row->count = hist_total(row->hist.slots);
		}
		delta->nr_rows += row->count != 0;
	}
	delta->lost = now->lost - before->lost;
	return 0;
}

void lat_report_free(struct lat_report *report)
{
	free(report->rows);
	memset(report, 0, sizeof(*report));
}
