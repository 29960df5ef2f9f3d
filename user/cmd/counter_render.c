// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/counter_command.h"
#include "engine/block_dev.h"
#include "engine/file_paths.h"
#include "cmd/counter_render.h"
#include "cmd/reflink_note.h"
#include "engine/counters.h"
#include "engine/sorted.h"
#include "output/format.h"
#include "cmd/plan_json.h"
#include "engine/empty_note.h"
#include "output/json_writer.h"
#include "output/text_escape.h"

static int sort_counter; /* qsort has no context argument */

static __u64 sort_value(const struct dt_stats *stats)
{
	struct latency_summary lat;

	if (sort_counter >= 0)
		return stats->count[sort_counter];
	latency_summarize(stats, &lat);
	return lat.p99_ns;
}

static int compare_stats(const struct dt_stats *a, const struct dt_stats *b)
{
	__u64 va = sort_value(a), vb = sort_value(b);

	if (va != vb)
		return va < vb ? 1 : -1;
	return 0;
}

static int compare_procs(const void *a, const void *b)
{
	const struct proc_row *pa = a, *pb = b;
	int order = compare_stats(&pa->stats, &pb->stats);

	return order ? order : (pa->key.tgid > pb->key.tgid) - (pa->key.tgid < pb->key.tgid);
}

static int compare_devices(const void *a, const void *b)
{
	const struct devdax_row *da = a, *db = b;
	int order = compare_stats(&da->stats, &db->stats);

	return order ? order : (da->dev > db->dev) - (da->dev < db->dev);
}

static int compare_files(const void *a, const void *b)
{
	const struct file_row *fa = a, *fb = b;
	int order = compare_stats(&fa->stats, &fb->stats);

	if (order)
		return order;
	if (fa->key.dev != fb->key.dev)
		return fa->key.dev < fb->key.dev ? -1 : 1;
	return (fa->key.ino > fb->key.ino) - (fa->key.ino < fb->key.ino);
}

void counter_json_values(struct json_writer *w, const struct dt_stats *stats, int nr_counters)
{
	for (int c = 0; c < nr_counters; c++)
		json_kv_uint(w, counter_names[c], stats->count[c]);
	json_key(w, "fallback_reasons");
	json_object_begin(w);
	for (int r = 0; r < DT_NR_FALLBACK_REASONS; r++)
		json_kv_uint(w, fallback_reason_names[r], stats->fallback_reasons[r]);
	json_object_end(w);
	json_key(w, "pte_reasons");
	json_object_begin(w);
	for (int r = 0; r < DT_NR_NO_PMD_REASONS; r++)
		json_kv_uint(w, pte_reason_names[r], stats->pte_reasons[r]);
	json_object_end(w);
}

void counter_drop_hidden(struct stats_snapshot *snap, const struct counter_command *command)
{
	int kept = 0;

	if (!command->row_shown)
		return;
	for (int i = 0; i < snap->nr_procs; i++)
		if (command->row_shown(&snap->procs[i].stats))
			snap->procs[kept++] = snap->procs[i];
	snap->nr_procs = kept;
	kept = 0;
	for (int i = 0; i < snap->nr_files; i++)
		if (command->row_shown(&snap->files[i].stats))
			snap->files[kept++] = snap->files[i];
	snap->nr_files = kept;
}

void counter_sort(struct stats_snapshot *snap, const struct counter_view *view)
{
	sort_counter = view->sort_counter;
	sort_items(snap->procs, snap->nr_procs, sizeof(*snap->procs), compare_procs);
	sort_items(snap->files, snap->nr_files, sizeof(*snap->files), compare_files);
	sort_items(snap->devices, snap->nr_devices, sizeof(*snap->devices), compare_devices);
}

static const char *row_path(const struct file_row *row, const struct counter_view *view, char *buf,
			    size_t size)
{
	if (!row->has_info)
		return NULL;
	return file_paths_resolve(view->paths, row->key.dev, row->key.ino, &row->info, buf, size);
}

const char *counter_device_name(const struct devdax_row *row, char *buf, size_t size)
{
	if (row->name[0])
		return row->name;
	char_dev_name("/sys", row->dev, buf, size);
	return buf;
}

void counter_render_json(FILE *out, const struct stats_snapshot *snap,
			 const struct counter_view *view, double interval_s)
{
	struct json_writer *w = json_writer_new(out);
	char buf[4096];

	if (!w)
		return;
	json_object_begin(w);
	format_utc_now(buf, sizeof(buf));
	json_kv_string(w, "time", buf);
	json_kv_double(w, "interval_s", interval_s);
	json_attach_plan(w, view->plan);
	if (view->empty)
		empty_note_json(w, view->empty);
	json_kv_uint(w, "lost", stats_lost(snap));
	json_plan_misses(w, view->plan, &snap->misses);
	json_kv_uint(w, "evicted", snap->evicted);
	if (view->no_reflink)
		reflink_note_json(w, view->no_reflink);
	json_key(w, "total");
	json_object_begin(w);
	view->command->json_counters(w, &snap->total);
	json_object_end(w);

	json_key(w, "processes");
	json_array_begin(w);
	for (int i = 0; i < snap->nr_procs; i++) {
		json_object_begin(w);
		json_kv_uint(w, "pid", snap->procs[i].key.tgid);
		json_kv_name(w, "comm", snap->procs[i].key.comm);
		view->command->json_counters(w, &snap->procs[i].stats);
		json_object_end(w);
	}
	json_array_end(w);

	json_key(w, "files");
	json_array_begin(w);
	for (int i = 0; i < snap->nr_files; i++) {
		const struct file_row *row = &snap->files[i];
		char dev[32];

		json_object_begin(w);
		format_dev(row->key.dev, dev, sizeof(dev));
		json_kv_string(w, "dev", dev);
		json_kv_uint(w, "ino", row->key.ino);
		json_kv_name(w, "path", row_path(row, view, buf, sizeof(buf)));
		json_kv_bool(w, "dax", row->has_info && row->info.dax);
		view->command->json_counters(w, &row->stats);
		json_object_end(w);
	}
	json_array_end(w);

	if (view->command->device_rows) {
		json_key(w, "devices");
		json_array_begin(w);
		for (int i = 0; i < snap->nr_devices; i++) {
			json_object_begin(w);
			json_kv_string(w, "device",
				       counter_device_name(&snap->devices[i], buf, sizeof(buf)));
			view->command->json_counters(w, &snap->devices[i].stats);
			json_object_end(w);
		}
		json_array_end(w);
	}
	json_object_end(w);
	json_writer_free(w);
}

/* A column is as wide as its name, at least 7, and 11 for byte and page counts. */
static int column_width(int counter)
{
	int width = strlen(counter_names[counter]);

	if (strstr(counter_names[counter], "bytes") || strstr(counter_names[counter], "pages") ||
	    strstr(counter_names[counter], "blocks"))
		return width > 11 ? width : 11;
	return width > 7 ? width : 7;
}

static void table_header(FILE *out, const struct counter_command *command, const char *name_column)
{
	fprintf(out, "%-28s", name_column);
	for (int i = 0; i < command->nr_columns; i++)
		fprintf(out, " %*s", column_width(command->columns[i]),
			counter_names[command->columns[i]]);
	if (command->latency == COUNTER_FAULT_LATENCY)
		fprintf(out, " %8s %8s %8s %8s\n", "avg_us", "p50_us", "p99_us", "max_us");
	else
		fprintf(out, " %10s\n", "cow_avg_us");
}

static void table_row(FILE *out, const struct counter_command *command, const char *name,
		      const struct dt_stats *stats)
{
	struct latency_summary lat;
	__u64 timed = stats->count[DT_COW_TIMED];

	text_print(out, name, -28, 28);
	for (int i = 0; i < command->nr_columns; i++)
		fprintf(out, " %*llu", column_width(command->columns[i]),
			(unsigned long long)stats->count[command->columns[i]]);
	if (command->latency == COUNTER_COW_LATENCY) {
		fprintf(out, " %10.1f\n", timed ? stats->count[DT_COW_LAT_NS] / 1e3 / timed : 0.0);
		return;
	}
	latency_summarize(stats, &lat);
	fprintf(out, " %8.1f %8.1f %8.1f %8.1f\n", lat.avg_ns / 1e3, lat.p50_ns / 1e3,
		lat.p99_ns / 1e3, lat.max_ns / 1e3);
}

/* "TITLE name count name count" for the reasons counted, nothing when none was. */
static void reason_line(FILE *out, const char *title, const __u64 *counts, const char *const *names,
			int nr)
{
	bool any = false;

	for (int r = 0; r < nr; r++) {
		if (!counts[r])
			continue;
		if (!any)
			fputs(title, out);
		fprintf(out, " %s %llu", names[r], (unsigned long long)counts[r]);
		any = true;
	}
	if (any)
		fputc('\n', out);
}

void counter_render_table(FILE *out, const struct stats_snapshot *snap,
			  const struct counter_view *view, double interval_s)
{
	char stamp[32], name[4096], dev[32];
	int attached = 0;

	for (int i = 0; i < view->plan->nr_choices; i++)
		attached += view->plan->choices[i].kind != KIND_NONE;
	if (view->clear_screen)
		fputs("\033[H\033[2J", out);
	format_utc_now(stamp, sizeof(stamp));
	fprintf(out, "%s - %s  interval %.1fs  probes %d/%d  lost %llu  evicted %llu\n\n",
		view->command->title, stamp, interval_s, attached, view->plan->nr_choices,
		(unsigned long long)stats_lost(snap), (unsigned long long)snap->evicted);
	table_header(out, view->command, "PID COMM");
	for (int i = 0; i < snap->nr_procs && i < view->rows; i++) {
		snprintf(name, sizeof(name), "%u %s", snap->procs[i].key.tgid,
			 snap->procs[i].key.comm);
		table_row(out, view->command, name, &snap->procs[i].stats);
	}
	table_row(out, view->command, "TOTAL", &snap->total);
	if (view->command->latency == COUNTER_FAULT_LATENCY) {
		reason_line(out, "PMD fallbacks:", snap->total.fallback_reasons,
			    fallback_reason_names, DT_NR_FALLBACK_REASONS);
		reason_line(out, "PTE faults without a PMD try:", snap->total.pte_reasons,
			    pte_reason_names, DT_NR_NO_PMD_REASONS);
	}
	fputc('\n', out);
	table_header(out, view->command, "FILE");
	for (int i = 0; i < snap->nr_files && i < view->rows; i++) {
		const struct file_row *row = &snap->files[i];

		if (!row_path(row, view, name, sizeof(name))) {
			format_dev(row->key.dev, dev, sizeof(dev));
			snprintf(name, sizeof(name), "%s ino %llu", dev,
				 (unsigned long long)row->key.ino);
		}
		table_row(out, view->command, name, &row->stats);
	}
	if (view->no_reflink)
		reflink_note_text(out, view->no_reflink);
	fputc('\n', out);
	if (!view->command->device_rows)
		return;
	table_header(out, view->command, "DEVICE");
	for (int i = 0; i < snap->nr_devices && i < view->rows; i++) {
		table_row(out, view->command,
			  counter_device_name(&snap->devices[i], name, sizeof(name)),
			  &snap->devices[i].stats);
	}
	fputc('\n', out);
}
