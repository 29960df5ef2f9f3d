/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The commands that show the per-process and per-file counter rows (daxtrace top, daxtrace
 * cow): one options parser, one report loop and one renderer (top_render.c), each command
 * choosing its columns and its JSON.
 */
#ifndef DAXTRACE_COUNTER_VIEW_H
#define DAXTRACE_COUNTER_VIEW_H

#include <stdbool.h>
#include <linux/types.h>

#include "daxtrace.h"

struct json_writer;
struct session;

/* The latency columns at the end of a table row. */
enum view_latency {
	VIEW_FAULT_LATENCY, /* DAX fault handlers: avg, p50, p99, max */
	VIEW_COW_LATENCY, /* the sharing breaks that were DAX faults: avg */
};

struct counter_view {
	const char *command; /* "top" */
	const char *title; /* the table's first word: "daxtop" */
	const char *usage; /* the usage text's description line(s) */
	const int *columns; /* enum dt_counter, the table's columns in order */
	int nr_columns;
	enum view_latency latency;
	int default_sort; /* enum dt_counter */
	/* The counters of one row or the total, as JSON members of an open object. */
	void (*json_counters)(struct json_writer *w, const struct dt_stats *stats);
	/* Whether a row belongs in this view at all (NULL: every row). */
	bool (*row_shown)(const struct dt_stats *stats);
	unsigned int users; /* enum point_user */
	bool syscall_events; /* see struct session_setup */
	int (*before_load)(struct session *s, void *arg); /* NULL: none; arg is the view */
};

int counter_view_main(int argc, char **argv, const struct counter_view *view);

#endif /* DAXTRACE_COUNTER_VIEW_H */
