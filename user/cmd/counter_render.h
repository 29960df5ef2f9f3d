/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Rendering one report of a counter command (top, cow): a table for people, or one JSON
 * object.
 */
#ifndef DAXTRACE_COUNTER_RENDER_H
#define DAXTRACE_COUNTER_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "engine/attach_plan.h"
#include "engine/stats.h"

struct counter_command;
struct file_paths;
struct empty_note;
struct reflink_note;

/* How the rows are shown. */
struct counter_view {
	const struct counter_command *command; /* whose columns and JSON */
	int sort_column; /* counter_columns.h */
	const int *columns; /* the columns shown (--columns), NULL: the command's */
	int nr_columns;
	int rows;
	bool clear_screen;
	const struct attach_plan *plan;
	const struct empty_note *empty; /* no DAX to count (a record's view: NULL) */
	struct file_paths *paths; /* dev:ino -> path (it caches: not const) */
	const struct reflink_note *no_reflink; /* the command's no_reflink_means, else NULL */
};

struct json_writer;

/*
 * The first nr_counters counters of stats (enum dt_counter order) and "fallback_reasons": {...},
 * as members of an open object: top's JSON (nr_counters DT_CLONES) and a record's (all).
 */
void counter_json_values(struct json_writer *w, const struct dt_stats *stats, int nr_counters);

/* The columns the view shows, and how many. */
const int *counter_view_columns(const struct counter_view *view, int *nr);

/* A file row's path (file_paths.h), NULL when it has none (classic tracepoints, unresolved). */
const char *counter_file_path(const struct file_row *row, const struct counter_view *view,
			      char *buf, size_t size);

/* A device row's name: the record's, else /sys/dev/char's ("dax0.0"), else MAJ:MIN. */
const char *counter_device_name(const struct devdax_row *row, char *buf, size_t size);

/* A process row's name as the tables show it: "PID COMM". */
void counter_proc_name(const struct proc_row *row, char *buf, size_t size);

/* A file row's name: its path, else "MAJ:MIN ino N". */
void counter_file_name(const struct file_row *row, const struct counter_view *view, char *buf,
		       size_t size);

/* The plan's points that attached (the header's "probes A/N"). */
int counter_probes_attached(const struct attach_plan *plan);

/*
 * "TITLE name count name count" in buf for the reasons counted (fallback or no-PMD reasons);
 * false, and "", when none was.
 */
bool counter_reason_text(char *buf, size_t size, const char *title, const __u64 *counts,
			 const char *const *names, int nr);

/* Drops the rows the view's command does not show (its row_shown), before sorting. */
void counter_drop_hidden(struct stats_snapshot *snap, const struct counter_command *command);

/* Sorts the snapshot's rows by the view's key, largest first. */
void counter_sort(struct stats_snapshot *snap, const struct counter_view *view);

void counter_render_json(FILE *out, const struct stats_snapshot *snap,
			 const struct counter_view *view, double interval_s);
void counter_render_table(FILE *out, const struct stats_snapshot *snap,
			  const struct counter_view *view, double interval_s);

#endif /* DAXTRACE_COUNTER_RENDER_H */
