/* SPDX-License-Identifier: GPL-2.0 */
/*
 * doctor's verdict per command: works, works partly (which points stay empty), or cannot run
 * (why, and what would fix it), from one attach plan resolved for every command's points
 * (USED_BY_ALL, with a command) and what a session checks before it plans.
 */
#ifndef DAXTRACE_VERDICTS_H
#define DAXTRACE_VERDICTS_H

#include <stdbool.h>

#include "engine/attach_plan.h"

enum verdict_level { VERDICT_WORKS, VERDICT_PARTLY, VERDICT_CANNOT };

/* What session_open refuses before it plans (session.c), found by the caller. */
struct verdict_inputs {
	const struct attach_plan *plan;
	const char *missing_caps; /* "CAP_BPF and CAP_PERFMON", or NULL when they are held */
	bool vmlinux_btf;
	bool ringbuf;
};

#define MAX_VERDICT_TEXT 600

struct command_verdict {
	const char *command;
	enum verdict_level level;
	/* the points of the command that stay empty (partly), or the one it cannot do without */
	const char *points[MAX_PLAN_POINTS];
	int nr_points;
	char why[MAX_VERDICT_TEXT]; /* empty when it works */
	char fix[MAX_VERDICT_TEXT]; /* what would make it work (fully); empty when nothing can */
};

#define NR_VERDICT_COMMANDS 8 /* top lat snoop cow share mapuse exporter record */

/* One verdict per command, in that order. */
void verdicts_compute(const struct verdict_inputs *in,
		      struct command_verdict verdicts[NR_VERDICT_COMMANDS]);

/* "works", "works_partly", "cannot_run" (the JSON's); the text table shows them with spaces. */
const char *verdict_level_name(enum verdict_level level);

#endif /* DAXTRACE_VERDICTS_H */
