// SPDX-License-Identifier: GPL-2.0
/* top's and cow's reports as CSV; see counter_csv.h. */
#include "cmd/counter_columns.h"
#include "cmd/counter_command.h"
#include "cmd/counter_csv.h"
#include "engine/counters.h"
#include "output/csv_writer.h"
#include "output/format.h"

/* What identifies a row, before its columns; "device" only for a command with device rows. */
static const char *const identity_names[] = { "time", "interval_s", "row",  "pid", "comm",
					      "dev",  "ino",	    "path", "dax", "device" };
enum { IDENTITY_DEVICE = 9 };

/*
 * The latency columns by their JSON unit, nanoseconds, where the table shows microseconds: the
 * JSON's lat_ns (avg, p50, p99, max) and breaks.avg_ns.
 */
static const char *const latency_ns_names[] = {
	[COLUMN_AVG_US - DT_NR_COUNTERS] = "avg_ns",
	[COLUMN_P50_US - DT_NR_COUNTERS] = "p50_ns",
	[COLUMN_P99_US - DT_NR_COUNTERS] = "p99_ns",
	[COLUMN_MAX_US - DT_NR_COUNTERS] = "max_ns",
	[COLUMN_COW_AVG_US - DT_NR_COUNTERS] = "cow_avg_ns",
};

/* The parts of a report that every row repeats. */
struct csv_report {
	FILE *out;
	const struct counter_view *view;
	char time[32];
	char interval_s[32];
};

static int nr_identity(const struct counter_view *view)
{
	return view->command->device_rows ? IDENTITY_DEVICE + 1 : IDENTITY_DEVICE;
}

static const char *csv_column_name(int column)
{
	return column < DT_NR_COUNTERS ? counter_names[column] :
					 latency_ns_names[column - DT_NR_COUNTERS];
}

void counter_csv_header(FILE *out, const struct counter_view *view)
{
	int nr;
	const int *columns = counter_view_columns(view, &nr);
	struct csv_row row;

	csv_row_begin(&row, out);
	for (int i = 0; i < nr_identity(view); i++)
		csv_field(&row, identity_names[i]);
	for (int i = 0; i < nr; i++)
		csv_field(&row, csv_column_name(columns[i]));
	csv_row_end(&row);
}

/* n empty fields: the identity columns a kind of row does not have. */
static void empty_fields(struct csv_row *row, int n)
{
	while (n-- > 0)
		csv_field(row, NULL);
}

/* time, interval_s and row: the first columns of every row. */
static void row_begin(struct csv_row *row, const struct csv_report *report, const char *kind)
{
	csv_row_begin(row, report->out);
	csv_field(row, report->time);
	csv_field(row, report->interval_s);
	csv_field(row, kind);
}

/* The device column where there is one, the view's columns, then the line's end. */
static void row_end(struct csv_row *row, const struct csv_report *report, const char *device,
		    const struct dt_stats *stats)
{
	int nr;
	const int *columns = counter_view_columns(report->view, &nr);

	if (report->view->command->device_rows)
		csv_name(row, device);
	/* what sorting compares is the exact value: the count, or the latency in nanoseconds */
	for (int i = 0; i < nr; i++)
		csv_uint(row, column_sort_value(columns[i], stats));
	csv_row_end(row);
}

static void process_row(const struct csv_report *report, const struct proc_row *proc)
{
	struct csv_row row;

	row_begin(&row, report, "process");
	csv_uint(&row, proc->key.tgid);
	csv_name(&row, proc->key.comm);
	empty_fields(&row, 4); /* dev, ino, path, dax */
	row_end(&row, report, NULL, &proc->stats);
}

static void file_row(const struct csv_report *report, const struct file_row *file)
{
	char dev[32], path[4096];
	struct csv_row row;

	row_begin(&row, report, "file");
	empty_fields(&row, 2); /* pid, comm */
	format_dev(file->key.dev, dev, sizeof(dev));
	csv_field(&row, dev);
	csv_uint(&row, file->key.ino);
	csv_name(&row, counter_file_path(file, report->view, path, sizeof(path)));
	csv_field(&row, file->has_info && file->info.dax ? "true" : "false");
	row_end(&row, report, NULL, &file->stats);
}

static void device_row(const struct csv_report *report, const struct devdax_row *device)
{
	char name[64];
	struct csv_row row;

	row_begin(&row, report, "device");
	empty_fields(&row, 6); /* pid, comm, dev, ino, path, dax */
	row_end(&row, report, counter_device_name(device, name, sizeof(name)), &device->stats);
}

void counter_render_csv(FILE *out, const struct stats_snapshot *snap,
			const struct counter_view *view, double interval_s)
{
	struct csv_report report = { .out = out, .view = view };
	struct csv_row row;

	format_utc_now(report.time, sizeof(report.time));
	csv_format_double(interval_s, report.interval_s, sizeof(report.interval_s));
	for (int i = 0; i < snap->nr_procs; i++)
		process_row(&report, &snap->procs[i]);
	for (int i = 0; i < snap->nr_files; i++)
		file_row(&report, &snap->files[i]);
	if (view->command->device_rows)
		for (int i = 0; i < snap->nr_devices; i++)
			device_row(&report, &snap->devices[i]);
	row_begin(&row, &report, "total");
	empty_fields(&row, 6);
	row_end(&row, &report, NULL, &snap->total);
}
