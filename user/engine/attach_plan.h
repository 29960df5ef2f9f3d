/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The attach plan: every probe point daxtrace uses, its ordered ways in, and the one chosen on
 * this kernel. Programs are named "<tracepoint>__<kind>" in bpf/, so the plan finds them by
 * name and needs no per-program code.
 */
#ifndef DAXTRACE_ATTACH_PLAN_H
#define DAXTRACE_ATTACH_PLAN_H

#include <stdbool.h>

#include "engine/kernel_probe.h"
#include "engine/options.h"

struct bpf_object;
struct bpf_program;
struct bpf_link;

enum probe_kind { KIND_TP_BTF, KIND_RAW_TP, KIND_CLASSIC, NR_PROBE_KINDS, KIND_NONE = -1 };

struct probe_point {
	const char *name;
	const char *feeds; /* the counters it feeds, for doctor */
	const char *category; /* tracefs event category */
	const char *tracepoints[3]; /* per kernel generation, newest first, NULL-terminated */
};

struct plan_choice {
	const struct probe_point *point;
	enum probe_kind kind; /* KIND_NONE: unavailable, see why */
	const char *tracepoint;
	char why[160]; /* why unavailable, or a note on a forced-family fallback */
	struct bpf_link *link;
};

struct attach_plan {
	struct plan_choice choices[16];
	int nr_choices;
	int nr_available;
};

extern const struct probe_point probe_points[];
extern const int nr_probe_points;

const char *probe_kind_name(enum probe_kind kind);

/* Chooses a way in for every point; fails (-1, message printed) only for an impossible force. */
int attach_plan_resolve(struct attach_plan *plan, const struct kernel_features *features,
			enum attach_family family, bool with_command);

/* Turns autoload off for every program the plan did not choose. Before bpf_object__load. */
int attach_plan_apply(const struct attach_plan *plan, struct bpf_object *obj);

/* Attaches the chosen programs; -1 with a message if one fails. After bpf_object__load. */
int attach_plan_attach(struct attach_plan *plan, struct bpf_object *obj);

void attach_plan_detach(struct attach_plan *plan);

#endif /* DAXTRACE_ATTACH_PLAN_H */
