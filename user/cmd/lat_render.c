// SPDX-License-Identifier: GPL-2.0
#include "cmd/lat_render.h"
#include "engine/empty_note.h"
#include "engine/block_dev.h"
#include "output/format.h"
#include "output/hist.h"
#include "output/json_writer.h"

void lat_render_text(FILE *out, const struct lat_report *report, const struct lat_view *view)
{
	char stamp[32], dev[64];

	format_utc_now(stamp, sizeof(stamp));
	fprintf(out, "%s  %d histograms  lost %llu\n", stamp, report->nr_rows,
		(unsigned long long)report->lost);
	for (int i = 0; i < report->nr_rows; i++) {
		const struct lat_row *row = &report->rows[i];

		fprintf(out, "\nkind = %s", lat_kind_names[row->key.kind]);
		if (view->per_proc)
			fprintf(out, "  pid %u", row->key.tgid);
		if (view->per_file && !row->key.ino) {
			/* ino 0: no file has it, a device DAX fault's key (bpf/devdax.bpf.c) */
			char_dev_name("/sys", row->key.dev, dev, sizeof(dev));
			fprintf(out, "  device %s", dev);
		} else if (view->per_file) {
			format_dev(row->key.dev, dev, sizeof(dev));
			fprintf(out, "  file %s ino %llu", dev, (unsigned long long)row->key.ino);
		}
		fprintf(out, "  count %llu  avg %.1f %s\n", (unsigned long long)row->count,
			row->count ? (double)row->hist.sum_ns / row->count / view->divisor : 0.0,
			view->unit);
		hist_print(out, row->hist.slots, view->divisor, view->unit);
	}
}

void lat_render_json(FILE *out, const struct lat_report *report, const struct lat_view *view)
{
	struct json_writer *w = json_writer_new(out);
	char dev[64];

	if (!w)
		return;
	json_object_begin(w);
	json_key(w, "histograms");
	json_array_begin(w);
	for (int i = 0; i < report->nr_rows; i++) {
		const struct lat_row *row = &report->rows[i];

		json_object_begin(w);
		json_kv_string(w, "kind", lat_kind_names[row->key.kind]);
		if (view->per_proc)
			json_kv_uint(w, "pid", row->key.tgid);
		if (view->per_file) {
			format_dev(row->key.dev, dev, sizeof(dev));
			json_kv_string(w, "dev", dev);
			json_kv_uint(w, "ino", row->key.ino);
			if (!row->key.ino)
				char_dev_name("/sys", row->key.dev, dev, sizeof(dev));
			json_kv_string(w, "device", row->key.ino ? NULL : dev);
		}
		json_kv_uint(w, "count", row->count);
		json_kv_uint(w, "sum_ns", row->hist.sum_ns);
		hist_json_buckets(w, row->hist.slots);
		json_object_end(w);
	}
	json_array_end(w);
	json_kv_uint(w, "lost", report->lost);
	if (view->empty)
		empty_note_json(w, view->empty);
	json_object_end(w);
	json_writer_free(w);
}
