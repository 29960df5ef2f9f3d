/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The attach plan: every probe point daxtrace uses, its routes (tracepoints, or a kernel
 * function), and the one route and program kind chosen on this kernel. Programs are named
 * "<target>__<suffix>" in bpf/ (dax_iomap_fault__fexit, xfs_write_fault__tp_btf), so the plan
 * finds them by name and needs no code per program.
 */
#ifndef DAXTRACE_ATTACH_PLAN_H
#define DAXTRACE_ATTACH_PLAN_H

#include <stdbool.h>

#include "engine/kernel_probe.h"
#include "engine/options.h"

struct bpf_object;
struct bpf_link;

enum probe_kind {
	KIND_TP_BTF,
	KIND_RAW_TP,
	KIND_CLASSIC,
	KIND_FENTRY,
	KIND_KPROBE,
	NR_PROBE_KINDS,
	KIND_NONE = -1,
};

#define MAX_ROUTE_TARGETS 4
#define MAX_ROUTES 4
#define MAX_PLAN_POINTS 32 /* room for every row of probe_points[] (a unit test checks) */

struct probe_route {
	bool function; /* targets are kernel functions (fentry, kprobe), else tracepoints */
	const char *category; /* tracefs event category of tracepoint targets */
	bool classic_only; /* tracefs events without a raw tracepoint (syscalls:*) */
	const char *targets[MAX_ROUTE_TARGETS]; /* all attached together; NULL-terminated */
	/*
	 * Targets (bit t: targets[t]) whose runs only start a timing: a run the kernel skips
	 * costs a latency sample, and no count. For a function, its fentry (the fexit has the
	 * arguments); never its kprobe, whose kretprobe counts only what the entry saw.
	 */
	unsigned int timing_targets;
	/*
	 * A type its programs read with CO-RE that is not vmlinux's, or NULL: the route needs it
	 * in the kernel's BTF. XFS's types are in vmlinux BTF when XFS is built in, else in the
	 * xfs module's BTF (CONFIG_DEBUG_INFO_BTF_MODULES, v5.11): Debian's 5.10 has neither.
	 */
	const char *btf_type;
	/*
	 * A sysfs path that exists exactly when the targets' code is in the kernel (a driver's
	 * directory, there whether it is a loaded module or built in), or NULL: without it the
	 * route is unavailable at the cost of one stat, without reading the kernel's function
	 * lists (about 0.6 s under TCG on 6.1, at every start).
	 */
	const char *code_present;
	/*
	 * For a point that only times something (its absence is quiet_when_none): a BTF FUNC is
	 * enough for fentry, available_filter_functions is not read. A function the trampoline
	 * still cannot reach fails at attach, and the optional point then goes without it.
	 */
	bool btf_suffices;
	/*
	 * Prepended to the programs' names ("<prefix><target>__<suffix>"), or NULL: a second
	 * point on a function another point probes (share's cost timings), whose programs the
	 * other point must not find as its own.
	 */
	const char *program_prefix;
};

/* BPF features a point's programs cannot do without (struct kernel_features). */
enum bpf_need {
	NEED_TASK_STORAGE = 1 << 0,
	NEED_ATOMIC_FETCH = 1 << 1,
};

/* The commands a point serves: a session attaches only its command's points. */
enum point_user {
	USED_BY_TOP = 1 << 0,
	USED_BY_SHARE = 1 << 1,
	USED_BY_MAPUSE = 1 << 2,
	USED_BY_REMAP_KINDS = 1 << 3, /* snoop and cow tell clone, clone range and dedupe apart */
	USED_BY_COW = 1 << 4, /* what only daxtrace cow shows: cancelled COW reservations */
	USED_BY_DEVDAX = 1 << 5, /* device DAX faults: top, lat, snoop (cow and the exporter not) */
	/* share's cost timings: share alone (record's share view and the exporter time nothing) */
	USED_BY_SHARE_COSTS = 1 << 6,
	USED_BY_ALL = USED_BY_TOP | USED_BY_SHARE | USED_BY_MAPUSE | USED_BY_REMAP_KINDS |
		      USED_BY_COW | USED_BY_DEVDAX | USED_BY_SHARE_COSTS,
};

struct probe_point {
	const char *name;
	const char *feeds; /* the counters it feeds, for doctor */
	unsigned int users; /* enum point_user; 0 means top */
	bool command_only; /* needed only to follow a -- CMD process tree */
	bool required; /* its command cannot run without it */
	unsigned int bpf_needs; /* enum bpf_need */
	/*
	 * Feeds a detail only (a timing), or a kind of DAX most machines lack (device DAX needs a
	 * module, and fentry or kprobes), whose absence is the normal case on some kernels (no
	 * fentry, no kprobes: the 6.18 host): doctor, -v's plan and the JSON's "attach" say so, a
	 * session does not warn at every start.
	 */
	bool quiet_when_none;
	/*
	 * Needed only when that point's kprobe landed on a compiler clone (.isra/.constprop),
	 * whose arguments cannot be trusted: this point then supplies them from the callers.
	 */
	const char *context_for;
	/*
	 * Its programs only time (share's costs): a run the kernel skips costs a duration
	 * sample (lat_samples_lost), no count.
	 */
	bool timing_only;
	struct probe_route routes[MAX_ROUTES]; /* in order of preference */
};

/*
 * Why a point is unavailable, by what would fix it: doctor's verdicts (engine/verdicts.h) name
 * the fix, the why text the details.
 */
enum none_cause {
	CAUSE_AVAILABLE,
	CAUSE_NO_FUNCTION_PROBES, /* function targets only, and neither kprobes nor fentry */
	CAUSE_BPF_FEATURE, /* its programs need a BPF feature of a newer kernel */
	CAUSE_NO_TRACEFS, /* a tracefs event only, and tracefs cannot be read */
	CAUSE_BTF_TYPE, /* a module's type, not in any BTF (no module BTF) */
	CAUSE_NO_CODE, /* its driver is not loaded: nothing of that kind to count */
	CAUSE_FAMILY, /* the forced --attach family has no way to it */
	CAUSE_NOT_IN_KERNEL, /* the tracepoint or function is not in this kernel (version) */
	CAUSE_ATTACH_FAILED, /* chosen, but the kernel refused the attach */
};

struct plan_choice {
	const struct probe_point *point;
	const struct probe_route *route;
	enum probe_kind kind; /* KIND_NONE: unavailable, see why */
	char symbols[MAX_ROUTE_TARGETS][128]; /* kprobe: the kallsyms name (maybe a clone) */
	bool clone; /* a kprobe target is a compiler clone of the function */
	char why[320]; /* why unavailable, or a note on a forced-family fallback */
	enum none_cause cause; /* CAUSE_AVAILABLE unless kind is KIND_NONE */
	struct bpf_link *links[MAX_ROUTE_TARGETS * 2];
};

struct attach_plan {
	struct plan_choice choices[MAX_PLAN_POINTS];
	int nr_choices;
	int nr_available;
	/*
	 * A service's plan (the exporter): no point is required, a missing one only stays 0, and
	 * the service reports each one itself (no warning here).
	 */
	bool none_required;
};

extern const struct probe_point probe_points[];
extern const int nr_probe_points;

const char *probe_kind_name(enum probe_kind kind);
/* The kind probe_kind_name names; KIND_NONE for "none" and for any other word. */
enum probe_kind probe_kind_by_name(const char *name);

/* "tracepoint_a+tracepoint_b" or the function: what a choice attaches to. */
void plan_choice_targets(const struct plan_choice *choice, char *buf, size_t size);

/*
 * Chooses a way in for every point the users (enum point_user) need; fails (-1, message
 * printed) for an impossible force, or when a required point has no way in.
 */
int attach_plan_resolve(struct attach_plan *plan, struct kernel_features *features,
			enum attach_family family, bool with_command, unsigned int users);

/* The choice made for a point, or NULL if the plan does not have it. */
const struct plan_choice *attach_plan_find(const struct attach_plan *plan, const char *name);

/* Turns autoload off for every program the plan did not choose. Before bpf_object__load. */
int attach_plan_apply(const struct attach_plan *plan, struct bpf_object *obj);

/*
 * Attaches the chosen programs, after bpf_object__load. A point whose programs do not all
 * attach is detached, and, unless it is required (in a plan not none_required), becomes
 * unavailable (kind none, why: the failed attach) with a warning on stderr that its counters
 * stay 0; the rest go on. -1 with a message if a required point fails (or a program is
 * missing from the object).
 */
int attach_plan_attach(struct attach_plan *plan, struct bpf_object *obj);

/* Makes a chosen point unavailable, for why (kind none, no route, nr_available updated). */
void attach_plan_unavailable(struct attach_plan *plan, struct plan_choice *choice, const char *why);

void attach_plan_detach(struct attach_plan *plan);

/*
 * Runs of the chosen programs the kernel skipped, per point and in all: a tp_btf, raw_tp or
 * fentry program preempted on a CPU blocks another run of itself there, and any program can
 * be skipped when it would nest in another on its CPU (recursion_misses, since v5.12; kprobes
 * since v6.7). Plus, for kprobes, the probe's own misses (a kretprobe out of instances; link
 * info "missed", since v6.7).
 */
struct point_misses {
	unsigned long long lost; /* each an event missing from the counters */
	unsigned long long lat_samples_lost; /* each only a latency sample (timing_targets) */
};

struct plan_misses {
	struct point_misses total;
	struct point_misses points[MAX_PLAN_POINTS]; /* as plan->choices */
};

void attach_plan_misses(const struct attach_plan *plan, struct bpf_object *obj,
			struct plan_misses *misses);

/* delta = now - before, point by point (one interval). */
void plan_misses_sub(struct plan_misses *delta, const struct plan_misses *now,
		     const struct plan_misses *before);

#endif /* DAXTRACE_ATTACH_PLAN_H */
