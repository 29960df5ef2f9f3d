// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/dev_rows.h"
#include "engine/map_read.h"
#include "engine/sorted.h"
#include "engine/stats.h"

/* map_merge_fn for dt_dev_stats: as dt_stats (the maximum latency the max), faults summed. */
static void dev_stats_merge(void *into, const void *cpu_value, size_t value_size)
{
	struct dt_dev_stats *sum = into;
	const struct dt_dev_stats *cpu = cpu_value;

	(void)value_size;
	stats_add(&sum->stats, &cpu->stats);
	for (int c = 0; c < DT_NR_FAULT_CLASSES; c++)
		sum->faults[c] += cpu->faults[c];
}

static int compare_dev_rows(const void *a, const void *b)
{
	const struct dt_dev_key *x = &((const struct dev_row *)a)->key;
	const struct dt_dev_key *y = &((const struct dev_row *)b)->key;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	return x->cgroup < y->cgroup ? -1 : x->cgroup > y->cgroup;
}

int dev_rows_read(int fd, struct dev_rows *out)
{
	struct map_rows read;
	int err = map_read_rows(fd, sizeof(struct dt_dev_key), sizeof(struct dt_dev_stats),
				dev_stats_merge, MAP_READ_AUTO, &read);

	memset(out, 0, sizeof(*out));
	if (err)
		return err;
	out->rows = calloc(read.keys.nr + 1, sizeof(*out->rows));
	if (!out->rows) {
		map_rows_free(&read);
		return -ENOMEM;
	}
	for (int i = 0; i < read.keys.nr; i++) {
		memcpy(&out->rows[i].key, grow_array_at(&read.keys, i), sizeof(struct dt_dev_key));
		memcpy(&out->rows[i].stats, grow_array_at(&read.values, i),
		       sizeof(struct dt_dev_stats));
	}
	out->nr = read.keys.nr;
	sort_items(out->rows, out->nr, sizeof(*out->rows), compare_dev_rows);
	map_rows_free(&read);
	return 0;
}

int dev_rows_by_device(const struct dev_rows *rows, struct dev_rows *out)
{
	memset(out, 0, sizeof(*out));
	out->rows = calloc(rows->nr + 1, sizeof(*out->rows));
	if (!out->rows)
		return -ENOMEM;
	for (int i = 0; i < rows->nr; i++) {
		struct dev_row *last = out->nr ? &out->rows[out->nr - 1] : NULL;

		if (!last || last->key.dev != rows->rows[i].key.dev) {
			last = &out->rows[out->nr++];
			last->key.dev = rows->rows[i].key.dev;
		}
		dev_stats_merge(&last->stats, &rows->rows[i].stats, sizeof(last->stats));
	}
	return 0;
}

void dev_rows_free(struct dev_rows *rows)
{
	free(rows->rows);
	rows->rows = NULL;
	rows->nr = 0;
}
