// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/counter_columns.h"
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

static int sort_column; /* qsort has no context argument */

static int compare_stats(const struct dt_stats *a, const struct dt_stats *b)
{
	__u64 va = column_sort_value(sort_column, a), vb = column_sort_value(sort_column, b);

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
	sort_column = view->sort_column;
	sort_items(snap->procs, snap->nr_procs, sizeof(*snap->procs), compare_procs);
	sort_items(snap->files, snap->nr_files, sizeof(*snap->files), compare_files);
	sort_items(snap->devices, snap->nr_devices, sizeof(*snap->devices), compare_devices);
}

const char *counter_file_path(const struct file_row *row, const struct counter_view *view,
			      char *buf, size_t size)
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
		json_kv_name(w, "path", counter_file_path(row, view, buf, sizeof(buf)));
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

const int *counter_view_columns(const struct counter_view *view, int *nr)
{
	*nr = view->columns ? view->nr_columns : view->command->nr_columns;
	return view->columns ? view->columns : view->command->columns;
}

static void table_header(FILE *out, const struct counter_view *view, const char *name_column)
{
	int nr;
	const int *columns = counter_view_columns(view, &nr);

	fprintf(out, "%-28s", name_column);
	for (int i = 0; i < nr; i++)
		fprintf(out, " %*s", column_width(columns[i]), column_name(columns[i]));
	fputc('\n', out);
}

static void table_row(FILE *out, const struct counter_view *view, const char *name,
		      const struct dt_stats *stats)
{
	int nr;
	const int *columns = counter_view_columns(view, &nr);
	char value[32];

	text_print(out, name, -28, 28);
	for (int i = 0; i < nr; i++) {
		column_value(columns[i], stats, value, sizeof(value));
		fprintf(out, " %*s", column_width(columns[i]), value);
	}
	fputc('\n', out);
}

bool counter_reason_text(char *buf, size_t size, const char *title, const __u64 *counts,
			 const char *const *names, int nr)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int r = 0; r < nr; r++) {
		if (!counts[r] || used >= size)
			continue;
		used += snprintf(buf + used, size - used, "%s %s %llu", used ? "" : title, names[r],
				 (unsigned long long)counts[r]);
	}
	return used;
}

/* The reason line, when any reason was counted. */
static void reason_line(FILE *out, const char *title, const __u64 *counts, const char *const *names,
			int nr)
{
	char line[512];

	if (counter_reason_text(line, sizeof(line), title, counts, names, nr))
		fprintf(out, "%s\n", line);
}

int counter_probes_attached(const struct attach_plan *plan)
{
	int attached = 0;

	for (int i = 0; i < plan->nr_choices; i++)
		attached += plan->choices[i].kind != KIND_NONE;
	return attached;
}

void counter_proc_name(const struct proc_row *row, char *buf, size_t size)
{
	snprintf(buf, size, "%u %s", row->key.tgid, row->key.comm);
}

void counter_file_name(const struct file_row *row, const struct counter_view *view, char *buf,
		       size_t size)
{
	char dev[32];

	if (counter_file_path(row, view, buf, size))
		return;
	format_dev(row->key.dev, dev, sizeof(dev));
	snprintf(buf, size, "%s ino %llu", dev, (unsigned long long)row->key.ino);
}

void counter_render_table(FILE *out, const struct stats_snapshot *snap,
			  const struct counter_view *view, double interval_s)
{
	char stamp[32], name[4096];

	if (view->clear_screen)
		fputs("\033[H\033[2J", out);
	format_utc_now(stamp, sizeof(stamp));
	fprintf(out, "%s - %s  interval %.1fs  probes %d/%d  lost %llu  evicted %llu\n\n",
		view->command->title, stamp, interval_s, counter_probes_attached(view->plan),
		view->plan->nr_choices, (unsigned long long)stats_lost(snap),
		(unsigned long long)snap->evicted);
	table_header(out, view, "PID COMM");
	for (int i = 0; i < snap->nr_procs && i < view->rows; i++) {
		counter_proc_name(&snap->procs[i], name, sizeof(name));
		table_row(out, view, name, &snap->procs[i].stats);
	}
	table_row(out, view, "TOTAL", &snap->total);
	if (view->command->reason_lines) {
		reason_line(out, "PMD fallbacks:", snap->total.fallback_reasons,
			    fallback_reason_names, DT_NR_FALLBACK_REASONS);
		reason_line(out, "PTE faults without a PMD try:", snap->total.pte_reasons,
			    pte_reason_names, DT_NR_NO_PMD_REASONS);
	}
	fputc('\n', out);
	table_header(out, view, "FILE");
	for (int i = 0; i < snap->nr_files && i < view->rows; i++) {
		counter_file_name(&snap->files[i], view, name, sizeof(name));
		table_row(out, view, name, &snap->files[i].stats);
	}
	if (view->no_reflink)
		reflink_note_text(out, view->no_reflink);
	fputc('\n', out);
	if (!view->command->device_rows)
		return;
	table_header(out, view, "DEVICE");
	for (int i = 0; i < snap->nr_devices && i < view->rows; i++) {
		table_row(out, view, counter_device_name(&snap->devices[i], name, sizeof(name)),
			  &snap->devices[i].stats);
	}
	fputc('\n', out);
}
