/* SPDX-License-Identifier: GPL-2.0 */
/* Drawing the interactive screen (counter_screen.c) with curses: its state, and one draw. */
#ifndef DAXTRACE_COUNTER_SCREEN_DRAW_H
#define DAXTRACE_COUNTER_SCREEN_DRAW_H

#include <stdbool.h>

#include "cmd/counter_columns.h"
#include "engine/stats.h"

struct counter_view;

/* What the screen shows: the tables, or one of the overlays a key opened. */
enum screen_mode { SCREEN_TABLES, SCREEN_HELP, SCREEN_SORT, SCREEN_COLUMNS };

struct screen_state {
	struct counter_view *view; /* command, sort column, rows (-r), plan, paths */
	const struct stats_snapshot *shown; /* the last reading; NULL before the first */
	double shown_s; /* the seconds it covers */
	double refresh_s; /* the interval, + and - change it */
	char stamp[32]; /* when it was read */
	char kernel[65];
	bool color; /* a colour for the alerts, else bold */
	bool paused, since_start, dax_only, hide_procs, hide_files;
	enum screen_mode mode;
	int cursor; /* the overlay's line, in the command's columns */
	int wanted[MAX_COLUMNS]; /* the columns asked for (--columns, c), in order */
	int nr_wanted;
	int shown_columns[MAX_COLUMNS]; /* those the last draw fitted in the width: < and > */
	int nr_shown_columns;
};

/* The colour pair of the values to see at once. */
#define SCREEN_PAIR_ALERT 1

/* Erases and draws the whole screen for st (and sets its shown_columns). */
void screen_draw(struct screen_state *st);

#endif /* DAXTRACE_COUNTER_SCREEN_DRAW_H */
