/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The commands that show the per-process and per-file counter rows (daxtrace top, daxtrace
 * cow): one options parser, one report loop and one renderer (counter_render.c), each command
 * describing its columns, its JSON and what it asks of the session in a counter_command.
 */
#ifndef DAXTRACE_COUNTER_COMMAND_H
#define DAXTRACE_COUNTER_COMMAND_H

#include <stdbool.h>
#include <linux/types.h>

#include "daxtrace.h"

struct json_writer;

struct counter_command {
	const char *name; /* "top" */
	const char *title; /* the table's first word: "daxtop" */
	const char *usage; /* the usage text's description line(s) */
	const int *columns; /* counter_columns.h: the table's columns in order */
	int nr_columns;
	/* The columns a narrow screen keeps first, most important first; then table order. */
	const int *priority;
	int nr_priority;
	int default_sort; /* a column */
	bool reason_lines; /* the PMD fallback and no-PMD reason lines under the total */
	/* The counters of one row or the total, as JSON members of an open object. */
	void (*json_counters)(struct json_writer *w, const struct dt_stats *stats);
	/* Whether a row belongs in this command's report at all (NULL: every row). */
	bool (*row_shown)(const struct dt_stats *stats);
	bool device_rows; /* a DEVICE table and a "devices" array: device DAX rows */
	unsigned int users; /* enum point_user */
	bool syscall_events; /* see struct session_setup */
	bool break_detail; /* see struct session_setup */
	/* Sharing breaks: names the DAX mounts that cannot reflink (cmd/reflink_note.h). */
	const char *no_reflink_means;
	const char *without_dax; /* see struct session_setup */
};

/* The two counter commands: report shows their screens from a record too. */
extern const struct counter_command top_command, cow_command;

int counter_command_main(int argc, char **argv, const struct counter_command *command);

#endif /* DAXTRACE_COUNTER_COMMAND_H */
