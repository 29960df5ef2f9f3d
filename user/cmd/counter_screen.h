/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The full-screen, interactive top and cow (ncurses): used when stdout and stdin are a terminal,
 * without -b, --json, --csv or -- CMD. Batch mode (counter_render.c) is what a pipe gets.
 */
#ifndef DAXTRACE_COUNTER_SCREEN_H
#define DAXTRACE_COUNTER_SCREEN_H

struct counter_view;
struct report_opts;
struct session;

enum screen_color { SCREEN_COLOR_AUTO, SCREEN_COLOR_ALWAYS, SCREEN_COLOR_NEVER };

/* --color WHEN: 0, or -1 for a word that is none of auto, always, never. */
int screen_color_parse(const char *text, enum screen_color *color);

/* counter_screen_run's status when curses cannot drive the terminal: show the batch table. */
#define SCREEN_UNAVAILABLE (-1)

/*
 * Runs the screen until q, a signal, the -p processes' exit or -n reports; returns the exit
 * status, or SCREEN_UNAVAILABLE before anything was drawn.
 */
int counter_screen_run(struct session *s, struct counter_view *view,
		       const struct report_opts *every, enum screen_color color);

#endif /* DAXTRACE_COUNTER_SCREEN_H */
