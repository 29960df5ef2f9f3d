/* SPDX-License-Identifier: GPL-2.0 */
/*
 * top's and cow's reports as CSV (--csv): one header line for the whole run, then per report a
 * row per process, file and device (top) and the total, each with the report's time and
 * interval, so that the rows of every interval load into one table. The columns are listed in
 * docs/daxtrace-top.8 (CSV); every value equals the JSON's.
 */
#ifndef DAXTRACE_COUNTER_CSV_H
#define DAXTRACE_COUNTER_CSV_H

#include <stdio.h>

#include "cmd/counter_render.h"

/* The header line: the rows' identity, then the view's columns (--columns, else the command's). */
void counter_csv_header(FILE *out, const struct counter_view *view);

/* One report's rows: processes, files, devices (top), then the total; every row, not -r's. */
void counter_render_csv(FILE *out, const struct stats_snapshot *snap,
			const struct counter_view *view, double interval_s);

#endif /* DAXTRACE_COUNTER_CSV_H */
