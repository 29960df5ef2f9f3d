// SPDX-License-Identifier: GPL-2.0
/*
 * One frame of the interactive top or cow: the header and reason lines, the process, file and
 * device tables cut to the window, a status line; or an overlay (help, sort key, columns).
 * Widths count terminal cells; nothing is written past the window's width, so nothing wraps.
 */
#include <curses.h>
#include <langinfo.h>
#include <stdio.h>
#include <string.h>

#include "cmd/counter_command.h"
#include "cmd/counter_render.h"
#include "cmd/counter_screen_draw.h"
#include "engine/counters.h"
#include "engine/empty_note.h"
#include "output/text_escape.h"

/* The name column's least width: "PID COMM" with a 15-character comm and a 5-digit pid. */
#define NAME_MIN 21
/* Names are escaped into this; a row never shows more than a window's width of one. */
#define NAME_BUF 1024

/* The column layout every table of a frame shares, so that the columns line up. */
struct layout {
	int columns[MAX_COLUMNS];
	int nr;
	int name_cells;
};

static attr_t alert_attr(const struct screen_state *st)
{
	return st->color ? COLOR_PAIR(SCREEN_PAIR_ALERT) | A_BOLD : A_BOLD;
}

/* text at (y, x), cut to the window's width. */
static void put(int y, int x, const char *text, attr_t attr)
{
	if (x >= COLS)
		return;
	attron(attr);
	mvaddnstr(y, x, text, COLS - x);
	attroff(attr);
}

static bool utf8_terminal(void)
{
	return !strcmp(nl_langinfo(CODESET), "UTF-8");
}

/*
 * name escaped into buf in at most cells: a path keeps its end ("…/16384/2619"), any other name
 * its start. Returns the cells it takes.
 */
static unsigned int fit_name(const char *name, bool path, char *buf, unsigned int cells)
{
	bool utf8 = utf8_terminal();

	if (path)
		return text_escape_tail(name, buf, NAME_BUF, cells, utf8 ? "\u2026" : "...",
					utf8 ? 1 : 3);
	return text_escape(name, buf, NAME_BUF, cells);
}

/* The value as it fits its width: counts too long for it in k, M, G, T (powers of 1000). */
static void fit_value(int column, const struct dt_stats *stats, int width, char *buf, size_t size)
{
	static const char units[] = "kMGT";
	unsigned long long v;

	column_value(column, stats, buf, size);
	if ((int)strlen(buf) <= width || column >= DT_NR_COUNTERS)
		return;
	v = stats->count[column];
	for (int u = 0; u < 4; u++) {
		v /= 1000;
		snprintf(buf, size, "%llu%c", v, units[u]);
		if ((int)strlen(buf) <= width)
			return;
	}
}

static const struct file_row *file_shown(const struct screen_state *st, int i)
{
	const struct file_row *row = &st->shown->files[i];

	return !st->dax_only || (row->has_info && row->info.dax) ? row : NULL;
}

/* The widest name of the rows the tables could show, in cells (escaped). */
static int widest_name(const struct screen_state *st)
{
	const struct stats_snapshot *snap = st->shown;
	char name[4096], shown[NAME_BUF];
	int widest = 0, cells;

	for (int i = 0; snap && i < snap->nr_procs && i < st->view->rows; i++) {
		counter_proc_name(&snap->procs[i], name, sizeof(name));
		cells = text_escape(name, shown, sizeof(shown), 0);
		widest = cells > widest ? cells : widest;
	}
	for (int i = 0; snap && i < snap->nr_files && i < st->view->rows; i++) {
		if (!file_shown(st, i))
			continue;
		counter_file_name(&snap->files[i], st->view, name, sizeof(name));
		cells = text_escape(name, shown, sizeof(shown), 0);
		widest = cells > widest ? cells : widest;
	}
	return widest;
}

/*
 * The columns that fit the width beside the name column, and the name column widened into what
 * they leave. Names get a quarter of a wide window before the least important columns do.
 */
static void layout_columns(struct screen_state *st, struct layout *l)
{
	int widest = widest_name(st), least = COLS / 4 > NAME_MIN ? COLS / 4 : NAME_MIN;
	int used, extra;

	least = widest < least ? (widest > NAME_MIN ? widest : NAME_MIN) : least;
	l->nr = columns_fit(st->view->command, st->wanted, st->nr_wanted, COLS, least, l->columns,
			    &used);
	extra = COLS - used;
	l->name_cells = least + (widest - least < extra ? widest - least : extra);
	if (l->name_cells < least)
		l->name_cells = least;
	memcpy(st->shown_columns, l->columns, sizeof(l->columns));
	st->nr_shown_columns = l->nr;
}

static void table_header(const struct screen_state *st, const struct layout *l, int y,
			 const char *title)
{
	int x = l->name_cells;

	attron(A_REVERSE);
	mvhline(y, 0, ' ', COLS);
	attroff(A_REVERSE);
	put(y, 0, title, A_REVERSE);
	for (int i = 0; i < l->nr; i++) {
		int width = column_width(l->columns[i]);
		const char *name = column_name(l->columns[i]);
		bool sorted = l->columns[i] == st->view->sort_column;

		x += 1 + width;
		put(y, x - (int)strlen(name), name,
		    A_REVERSE | (sorted ? A_BOLD | A_UNDERLINE : 0));
	}
}

static void table_row(const struct screen_state *st, const struct layout *l, int y,
		      const char *name, bool path, const struct dt_stats *stats, attr_t attr)
{
	char shown[NAME_BUF], value[32];
	int x = l->name_cells;

	fit_name(name, path, shown, l->name_cells);
	put(y, 0, shown, attr);
	for (int i = 0; i < l->nr; i++) {
		int width = column_width(l->columns[i]);

		fit_value(l->columns[i], stats, width, value, sizeof(value));
		x += 1 + width;
		put(y, x - (int)strlen(value), value,
		    attr | (column_alerts(l->columns[i], stats) ? alert_attr(st) : 0));
	}
}

/*
 * The header's fields, on as many lines as the width needs (a field is never cut), then the
 * reason lines; returns the next free line.
 */
static int draw_header(const struct screen_state *st)
{
	const struct stats_snapshot *snap = st->shown;
	const struct counter_view *view = st->view;
	unsigned long long lost = snap ? stats_lost(snap) : 0;
	char fields[7][128], line[512];
	int x = 0, y = 0;

	snprintf(fields[0], sizeof(fields[0]), "%s - %s", view->command->title, st->stamp);
	snprintf(fields[1], sizeof(fields[1]), "interval %.1fs", st->refresh_s);
	snprintf(fields[2], sizeof(fields[2]), "kernel %s", st->kernel);
	snprintf(fields[3], sizeof(fields[3]), "probes %d/%d", counter_probes_attached(view->plan),
		 view->plan->nr_choices);
	snprintf(fields[4], sizeof(fields[4]), "lost %llu", lost);
	snprintf(fields[5], sizeof(fields[5]), "evicted %llu",
		 (unsigned long long)(snap ? snap->evicted : 0));
	snprintf(fields[6], sizeof(fields[6]), "%s%s", st->since_start ? "since start " : "",
		 st->paused ? "PAUSED" : "");
	for (int i = 0; i < 7; i++) {
		int len = strlen(fields[i]);

		if (!len)
			continue;
		if (x && x + 2 + len > COLS) {
			y++;
			x = 0;
		}
		x += x ? 2 : 0;
		put(y, x, fields[i], i == 4 && lost ? alert_attr(st) : A_NORMAL);
		x += len;
	}
	y++;
	/* no DAX to count: the zeros below are not "all is well" */
	if (view->empty && view->empty->reason != EMPTY_NOT)
		put(y++, 0, view->empty->message, alert_attr(st));
	if (!snap) {
		snprintf(line, sizeof(line), "counting: the first report comes after %.1fs",
			 st->refresh_s);
		put(y++, 0, line, A_NORMAL);
		return y + 1;
	}
	if (view->command->reason_lines) {
		if (counter_reason_text(line, sizeof(line),
					"PMD fallbacks:", snap->total.fallback_reasons,
					fallback_reason_names, DT_NR_FALLBACK_REASONS))
			put(y++, 0, line, A_NORMAL);
		if (counter_reason_text(line, sizeof(line),
					"PTE faults without a PMD try:", snap->total.pte_reasons,
					pte_reason_names, DT_NR_NO_PMD_REASONS))
			put(y++, 0, line, A_NORMAL);
	}
	return y + 1;
}

/* The rows each table gets of room lines: each its share, then the rest to those with more. */
static void share_rows(const int *want, int *get, int nr, int room)
{
	int left = room > 0 ? room : 0;

	for (int t = 0; t < nr; t++) {
		get[t] = want[t] < left / (nr - t) ? want[t] : left / (nr - t);
		left -= get[t];
	}
	for (int t = 0; t < nr && left > 0; t++) {
		int more = want[t] - get[t] < left ? want[t] - get[t] : left;

		get[t] += more;
		left -= more;
	}
}

static int file_rows(const struct screen_state *st)
{
	int n = 0;

	for (int i = 0; i < st->shown->nr_files; i++)
		n += file_shown(st, i) != NULL;
	return n;
}

static void draw_tables(struct screen_state *st, int y)
{
	const struct stats_snapshot *snap = st->shown;
	const struct counter_view *view = st->view;
	bool devices = view->command->device_rows && snap->nr_devices;
	int want[3], get[3], max = view->rows;
	char name[4096];
	struct layout l;

	layout_columns(st, &l);
	want[0] = st->hide_procs ? 0 : (snap->nr_procs < max ? snap->nr_procs : max);
	want[1] = st->hide_files ? 0 : file_rows(st) < max ? file_rows(st) : max;
	want[2] = devices ? (snap->nr_devices < max ? snap->nr_devices : max) : 0;
	/* the lines besides rows: a header, TOTAL and a blank; a header and a blank each */
	share_rows(want, get, 3, LINES - 1 - y - 3 - (st->hide_files ? 0 : 2) - (devices ? 2 : 0));

	table_header(st, &l, y++, "PID COMM");
	for (int i = 0; i < get[0]; i++) {
		counter_proc_name(&snap->procs[i], name, sizeof(name));
		table_row(st, &l, y++, name, false, &snap->procs[i].stats, A_NORMAL);
	}
	table_row(st, &l, y++, "TOTAL", false, &snap->total, A_BOLD);
	y++;
	if (!st->hide_files) {
		table_header(st, &l, y++, st->dax_only ? "FILE (DAX)" : "FILE");
		for (int i = 0, n = 0; i < snap->nr_files && n < get[1]; i++) {
			if (!file_shown(st, i))
				continue;
			counter_file_name(&snap->files[i], view, name, sizeof(name));
			table_row(st, &l, y++, name, true, &snap->files[i].stats, A_NORMAL);
			n++;
		}
		y++;
	}
	if (!devices)
		return;
	table_header(st, &l, y++, "DEVICE");
	for (int i = 0; i < get[2]; i++)
		table_row(st, &l, y++, counter_device_name(&snap->devices[i], name, sizeof(name)),
			  false, &snap->devices[i].stats, A_NORMAL);
}

static const char *const help_lines[] = {
	"s        choose the sort column",
	"< >      sort by the column left or right of the current one",
	"p        show or hide the process rows",
	"f        show or hide the file table",
	"d        DAX files only in the file table, or all files",
	"a        counts since start, or per interval",
	"space    pause or resume (nothing is lost: the next report covers the pause)",
	"+ -      a longer or shorter interval",
	"c        choose the columns",
	"h ?      this help",
	"q        quit",
	"",
	"Any key returns to the tables.",
};

/* The command's columns as a list, the cursor's line reversed; sort: the key marked. */
static void draw_column_list(struct screen_state *st, int y, const char *title)
{
	const struct counter_command *command = st->view->command;
	int room = LINES - 1 - y - 1, first = st->cursor >= room ? st->cursor - room + 1 : 0;
	char line[128];

	put(y++, 0, title, A_BOLD);
	for (int i = first; i < command->nr_columns && i - first < room; i++) {
		int column = command->columns[i];
		bool on = false;

		for (int w = 0; w < st->nr_wanted; w++)
			on |= st->wanted[w] == column;
		if (st->mode == SCREEN_SORT)
			snprintf(line, sizeof(line), "%c %s",
				 column == st->view->sort_column ? '*' : ' ', column_name(column));
		else
			snprintf(line, sizeof(line), "[%c] %s", on ? 'x' : ' ',
				 column_name(column));
		put(y++, 2, line, i == st->cursor ? A_REVERSE : A_NORMAL);
	}
}

static void draw_status(const struct screen_state *st)
{
	char line[256];

	snprintf(line, sizeof(line),
		 " sort %s%s%s | h help  s sort  c columns  space pause  q quit ",
		 column_name(st->view->sort_column), st->dax_only ? " | DAX only" : "",
		 st->hide_procs || st->hide_files ? " | tables hidden" : "");
	attron(A_REVERSE);
	mvhline(LINES - 1, 0, ' ', COLS);
	attroff(A_REVERSE);
	put(LINES - 1, 0, line, A_REVERSE);
}

void screen_draw(struct screen_state *st)
{
	int y;

	erase();
	y = draw_header(st);
	switch (st->mode) {
	case SCREEN_HELP:
		put(y++, 0, "Keys", A_BOLD);
		for (size_t i = 0; i < sizeof(help_lines) / sizeof(help_lines[0]); i++)
			put(y++, 2, help_lines[i], A_NORMAL);
		break;
	case SCREEN_SORT:
		draw_column_list(st, y, "Sort by (up/down, Enter chooses, Esc returns)");
		break;
	case SCREEN_COLUMNS:
		draw_column_list(st, y, "Columns (up/down, space shows or hides, Enter returns)");
		break;
	default:
		if (st->shown)
			draw_tables(st, y);
	}
	draw_status(st);
	refresh();
}
