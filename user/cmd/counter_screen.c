// SPDX-License-Identifier: GPL-2.0
/*
 * The interactive top and cow: reads the counters every interval, as the batch loop does, and
 * between readings answers keys and window resizes at once (session_watch_input). A pause
 * stops the readings, not the counting: the report after it covers the pause too.
 */
#include <curses.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "cmd/counter_command.h"
#include "cmd/counter_render.h"
#include "cmd/counter_screen.h"
#include "cmd/counter_screen_draw.h"
#include "engine/report_error.h"
#include "engine/session.h"
#include "output/format.h"

/* The intervals + and - step through. */
static const double refresh_steps[] = { 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60 };
#define NR_STEPS (int)(sizeof(refresh_steps) / sizeof(refresh_steps[0]))

struct screen {
	struct screen_state st;
	struct session *session;
	struct stats_snapshot before; /* the previous reading */
	struct stats_snapshot shown; /* what the tables show: before's delta, or since start */
	bool have_shown;
	double last_read; /* seconds since attach */
	double next_tick; /* when the next reading is due (or, paused, the next look) */
	unsigned long long reports;
};

int screen_color_parse(const char *text, enum screen_color *color)
{
	static const char *const names[] = { [SCREEN_COLOR_AUTO] = "auto",
					     [SCREEN_COLOR_ALWAYS] = "always",
					     [SCREEN_COLOR_NEVER] = "never" };

	for (int i = 0; i < 3; i++) {
		if (!strcmp(text, names[i])) {
			*color = i;
			return 0;
		}
	}
	return -1;
}

/* Colours when asked for and the terminal has them; NO_COLOR (no-color.org) turns auto off. */
static bool start_colors(enum screen_color color)
{
	const char *no_color = getenv("NO_COLOR");

	if (color == SCREEN_COLOR_NEVER || (color == SCREEN_COLOR_AUTO && no_color && *no_color))
		return false;
	if (!has_colors() || start_color() == ERR)
		return false;
	use_default_colors();
	init_pair(SCREEN_PAIR_ALERT, COLOR_RED, -1);
	return true;
}

/* A reading: the counters since the previous one (or since start), sorted. 0, or -1. */
static int screen_read(struct screen *sc)
{
	const struct counter_view *view = sc->st.view;
	static const struct stats_snapshot nothing;
	struct stats_snapshot now, shown;
	double elapsed = session_elapsed(sc->session);

	if (session_read(sc->session, &now))
		return -1;
	stats_snapshot_carry(&now, &sc->before);
	if (stats_snapshot_delta(&shown, &now, sc->st.since_start ? &nothing : &sc->before)) {
		stats_snapshot_free(&now);
		return runtime_error("out of memory");
	}
	counter_drop_hidden(&shown, view->command);
	counter_sort(&shown, view);
	stats_snapshot_free(&sc->shown);
	stats_snapshot_free(&sc->before);
	sc->shown = shown;
	sc->before = now;
	sc->st.shown = &sc->shown;
	sc->st.shown_s = sc->st.since_start ? elapsed : elapsed - sc->last_read;
	sc->last_read = elapsed;
	format_utc_now(sc->st.stamp, sizeof(sc->st.stamp));
	sc->reports++;
	return 0;
}

/* + and -: the next interval up or down the steps from the current one. */
static double step_refresh(double now, int direction)
{
	for (int i = 0; i < NR_STEPS; i++) {
		int at = direction > 0 ? i : NR_STEPS - 1 - i;

		if (direction > 0 ? refresh_steps[at] > now + 1e-9 : refresh_steps[at] < now - 1e-9)
			return refresh_steps[at];
	}
	return now;
}

/* < and >: the sort key one shown column left or right. */
static void step_sort(struct screen_state *st, int direction)
{
	for (int i = 0; i < st->nr_shown_columns; i++) {
		if (st->shown_columns[i] != st->view->sort_column)
			continue;
		i += direction;
		if (i >= 0 && i < st->nr_shown_columns)
			st->view->sort_column = st->shown_columns[i];
		return;
	}
	if (st->nr_shown_columns)
		st->view->sort_column = st->shown_columns[0];
}

/* c's space: the column under the cursor shown or hidden (one always stays). */
static void toggle_column(struct screen_state *st)
{
	int column = st->view->command->columns[st->cursor];

	for (int i = 0; i < st->nr_wanted; i++) {
		if (st->wanted[i] != column)
			continue;
		if (st->nr_wanted > 1) {
			memmove(&st->wanted[i], &st->wanted[i + 1],
				(st->nr_wanted - i - 1) * sizeof(st->wanted[0]));
			st->nr_wanted--;
		}
		return;
	}
	st->wanted[st->nr_wanted++] = column;
}

/* A key in the help, sort or columns overlay. */
static void overlay_key(struct screen_state *st, int key)
{
	int last = st->view->command->nr_columns - 1;

	if (st->mode == SCREEN_HELP) {
		st->mode = SCREEN_TABLES;
		return;
	}
	switch (key) {
	case KEY_UP:
	case 'k':
		st->cursor -= st->cursor > 0;
		return;
	case KEY_DOWN:
	case 'j':
		st->cursor += st->cursor < last;
		return;
	case ' ':
		if (st->mode == SCREEN_COLUMNS)
			toggle_column(st);
		return;
	case '\n':
	case '\r':
	case KEY_ENTER:
		if (st->mode == SCREEN_SORT)
			st->view->sort_column = st->view->command->columns[st->cursor];
		st->mode = SCREEN_TABLES;
		return;
	case 27: /* Esc */
	case 'q':
	case 'c':
	case 's':
		st->mode = SCREEN_TABLES;
		return;
	}
}

/* The cursor on the sort column in the command's list, for s. */
static int sort_cursor(const struct screen_state *st)
{
	for (int i = 0; i < st->view->command->nr_columns; i++)
		if (st->view->command->columns[i] == st->view->sort_column)
			return i;
	return 0;
}

/* One key; false for q. A key that changes the order sorts what is shown again. */
static bool screen_key(struct screen *sc, int key)
{
	struct screen_state *st = &sc->st;

	if (st->mode != SCREEN_TABLES) {
		overlay_key(st, key);
		goto resort;
	}
	switch (key) {
	case 'q':
	case 'Q':
		return false;
	case 'h':
	case '?':
		st->mode = SCREEN_HELP;
		break;
	case 's':
		st->mode = SCREEN_SORT;
		st->cursor = sort_cursor(st);
		break;
	case 'c':
		st->mode = SCREEN_COLUMNS;
		st->cursor = 0;
		break;
	case '<':
	case '>':
		step_sort(st, key == '>' ? 1 : -1);
		break;
	case 'p':
		st->hide_procs = !st->hide_procs;
		break;
	case 'f':
		st->hide_files = !st->hide_files;
		break;
	case 'd':
		st->dax_only = !st->dax_only;
		break;
	case 'a':
		st->since_start = !st->since_start;
		break;
	case ' ':
		st->paused = !st->paused;
		break;
	case '+':
	case '-':
		st->refresh_s = step_refresh(st->refresh_s, key == '+' ? 1 : -1);
		break;
	}
resort:
	if (sc->have_shown)
		counter_sort(&sc->shown, st->view);
	return true;
}

/* Every key waiting; false once q was pressed. */
static bool read_keys(struct screen *sc)
{
	int key;

	while ((key = getch()) != ERR)
		if (!screen_key(sc, key))
			return false;
	return true;
}

/* The window's new size, which curses takes from the terminal (SIGWINCH came to our signalfd). */
static void resize(void)
{
	struct winsize ws;

	if (!ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_row && ws.ws_col)
		resizeterm(ws.ws_row, ws.ws_col);
}

static SCREEN *screen_open(struct screen *sc, enum screen_color color)
{
	SCREEN *term;

	setlocale(LC_CTYPE, ""); /* the terminal's character set: names in UTF-8 */
	term = newterm(NULL, stdout, stdin);
	if (!term)
		return NULL;
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	sc->st.color = start_colors(color);
	return term;
}

/* One wait for the next reading, a key, a resize or the end; false at the end. */
static bool screen_step(struct screen *sc, const struct report_opts *every, int *status)
{
	double left = sc->next_tick - session_elapsed(sc->session);
	enum session_event event = left > 0 ? session_wait(sc->session, left) : SESSION_TICK;

	switch (event) {
	case SESSION_INPUT:
		return read_keys(sc);
	case SESSION_RESIZE:
		resize();
		return true;
	case SESSION_TICK:
		/* paused too: a deadline that never moved would make every wait return at once */
		sc->next_tick = session_elapsed(sc->session) + sc->st.refresh_s;
		if (sc->st.paused)
			return true;
		if (screen_read(sc)) {
			*status = EXIT_RUNTIME;
			return false;
		}
		sc->have_shown = true;
		return !every->count || sc->reports < every->count;
	default: /* a signal, or the -p processes gone */
		return false;
	}
}

int counter_screen_run(struct session *s, struct counter_view *view,
		       const struct report_opts *every, enum screen_color color)
{
	struct screen sc = { .session = s,
			     .st = { .view = view, .refresh_s = every->interval_s },
			     .next_tick = every->interval_s };
	const int *columns = counter_view_columns(view, &sc.st.nr_wanted);
	struct utsname uts;
	int status = EXIT_OK;
	SCREEN *term;

	memcpy(sc.st.wanted, columns, sc.st.nr_wanted * sizeof(columns[0]));
	snprintf(sc.st.kernel, sizeof(sc.st.kernel), "%s", uname(&uts) ? "?" : uts.release);
	format_utc_now(sc.st.stamp, sizeof(sc.st.stamp));
	term = screen_open(&sc, color);
	if (!term) {
		fprintf(stderr,
			"daxtrace %s: curses cannot drive this terminal (TERM=%s): the "
			"batch table instead\n",
			view->command->name, getenv("TERM") ? getenv("TERM") : "");
		return SCREEN_UNAVAILABLE;
	}
	if (session_watch_input(s, STDIN_FILENO))
		status = EXIT_RUNTIME;
	while (status == EXIT_OK) {
		screen_draw(&sc.st);
		if (!screen_step(&sc, every, &status))
			break;
	}
	endwin();
	delscreen(term);
	if (status != EXIT_OK)
		fprintf(stderr, "daxtrace %s: the screen stopped: the counters could not be read\n",
			view->command->name);
	stats_snapshot_free(&sc.before);
	stats_snapshot_free(&sc.shown);
	return status;
}
