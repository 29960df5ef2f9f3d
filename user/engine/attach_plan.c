// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "engine/attach_plan.h"
#include "engine/report_error.h"

#define POINT(point_name, point_feeds, point_category, ...)                           \
	{                                                                             \
		.name = point_name, .feeds = point_feeds, .category = point_category, \
		.tracepoints = { __VA_ARGS__ },                                       \
	}

const struct probe_point probe_points[] = {
	POINT("fault.pte.start", "DAX PTE fault latency", "fs_dax", "dax_pte_fault"),
	POINT("fault.pte.done", "faults pte read write nopage fallback sigbus mkwrite (DAX)",
	      "fs_dax", "dax_pte_fault_done"),
	POINT("fault.pmd.start", "DAX PMD fault latency", "fs_dax", "dax_pmd_fault"),
	POINT("fault.pmd.done", "faults pmd read write nopage fallback sigbus (DAX)", "fs_dax",
	      "dax_pmd_fault_done"),
	/* v6.13 "xfs: split write fault handling out of __xfs_filemap_fault" */
	POINT("mkwrite.xfs", "mkwrite (page cache, XFS)", "xfs", "xfs_write_fault",
	      "xfs_filemap_fault"),
	POINT("cow.start", "cow (sharing breaks initiated)", "iomap", "iomap_iter_srcmap"),
	POINT("cow.end", "cow_bytes (COW remapped on completion)", "xfs", "xfs_reflink_end_cow"),
	POINT("remap.range", "remaps (clone, clone range, dedupe)", "xfs",
	      "xfs_reflink_remap_range"),
	POINT("remap.unshare", "remaps (unshare)", "xfs", "xfs_reflink_unshare"),
	POINT("task.fork", "following the -- CMD process tree", "sched", "sched_process_fork"),
	POINT("task.exit", "following the -- CMD process tree", "sched", "sched_process_exit"),
};
const int nr_probe_points = sizeof(probe_points) / sizeof(probe_points[0]);

/* The program suffix in bpf/ for each kind. */
static const char *const kind_suffix[NR_PROBE_KINDS] = {
	[KIND_TP_BTF] = "tp_btf",
	[KIND_RAW_TP] = "raw_tp",
	[KIND_CLASSIC] = "tracepoint",
};

/* As --attach names them: "classic" is the perf-event tracepoint of tracefs. */
static const char *const kind_names[NR_PROBE_KINDS] = {
	[KIND_TP_BTF] = "tp_btf",
	[KIND_RAW_TP] = "raw_tp",
	[KIND_CLASSIC] = "classic",
};

const char *probe_kind_name(enum probe_kind kind)
{
	return kind == KIND_NONE ? "none" : kind_names[kind];
}

static bool kind_in_family(enum probe_kind kind, enum attach_family family)
{
	switch (family) {
	case FAMILY_TP_BTF:
		return kind == KIND_TP_BTF;
	case FAMILY_RAW_TP:
		return kind == KIND_RAW_TP;
	case FAMILY_CLASSIC:
		return kind == KIND_CLASSIC;
	default:
		return true;
	}
}

/* Families with no program for these points: fentry and kprobe twins come with the DAX guests. */
static bool family_has_points(enum attach_family family)
{
	return family != FAMILY_FENTRY && family != FAMILY_KPROBE;
}

static bool kind_available(enum probe_kind kind, const struct probe_point *point,
			   const char *tracepoint, const struct kernel_features *features)
{
	switch (kind) {
	case KIND_TP_BTF:
		return features->vmlinux_btf && tracepoint_in_btf(tracepoint);
	case KIND_RAW_TP:
		return tracepoint_in_btf(tracepoint) ||
		       tracepoint_in_tracefs(point->category, tracepoint);
	case KIND_CLASSIC:
		return features->tracefs && tracepoint_in_tracefs(point->category, tracepoint);
	default:
		return false;
	}
}

static void choose(struct plan_choice *choice, const struct kernel_features *features,
		   enum attach_family family)
{
	const struct probe_point *point = choice->point;

	choice->kind = KIND_NONE;
	for (int t = 0; point->tracepoints[t]; t++) {
		for (int kind = 0; kind < NR_PROBE_KINDS; kind++) {
			if (!kind_in_family(kind, family) ||
			    !kind_available(kind, point, point->tracepoints[t], features))
				continue;
			choice->kind = kind;
			choice->tracepoint = point->tracepoints[t];
			return;
		}
	}
	if (family == FAMILY_TP_BTF || family == FAMILY_RAW_TP || family == FAMILY_CLASSIC)
		snprintf(choice->why, sizeof(choice->why), "no %s tracepoint %s on this kernel",
			 attach_family_name(family), point->tracepoints[0]);
	else
		snprintf(choice->why, sizeof(choice->why), "tracepoint %s:%s not in this kernel",
			 point->category, point->tracepoints[0]);
}

int attach_plan_resolve(struct attach_plan *plan, const struct kernel_features *features,
			enum attach_family family, bool with_command)
{
	enum attach_family effective = family;

	if (family == FAMILY_FENTRY && !features->fentry)
		return runtime_error("--attach=fentry: fentry programs do not work on this kernel "
				     "(%s)",
				     strerror(features->fentry_errno));
	if (family == FAMILY_KPROBE && !features->kprobes)
		return runtime_error("--attach=kprobe: this kernel has no kprobes "
				     "(CONFIG_KPROBES off)");
	if (!family_has_points(family))
		effective = FAMILY_TRACEPOINT;

	memset(plan, 0, sizeof(*plan));
	for (int i = 0; i < nr_probe_points; i++) {
		struct plan_choice *choice;

		if (!strncmp(probe_points[i].name, "task.", 5) && !with_command)
			continue;
		choice = &plan->choices[plan->nr_choices++];
		choice->point = &probe_points[i];
		choose(choice, features, effective);
		if (choice->kind == KIND_NONE)
			continue;
		plan->nr_available++;
		if (effective != family)
			snprintf(choice->why, sizeof(choice->why),
				 "%s has no way to this point; fell back to %s",
				 attach_family_name(family), probe_kind_name(choice->kind));
	}
	return 0;
}

static struct bpf_program *choice_program(const struct plan_choice *choice, struct bpf_object *obj)
{
	char name[128];

	snprintf(name, sizeof(name), "%s__%s", choice->tracepoint, kind_suffix[choice->kind]);
	return bpf_object__find_program_by_name(obj, name);
}

int attach_plan_apply(const struct attach_plan *plan, struct bpf_object *obj)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj)
		bpf_program__set_autoload(prog, false);
	for (int i = 0; i < plan->nr_choices; i++) {
		const struct plan_choice *choice = &plan->choices[i];

		if (choice->kind == KIND_NONE)
			continue;
		prog = choice_program(choice, obj);
		if (!prog)
			return runtime_error("internal: no BPF program for %s via %s",
					     choice->tracepoint, kind_suffix[choice->kind]);
		bpf_program__set_autoload(prog, true);
	}
	return 0;
}

int attach_plan_attach(struct attach_plan *plan, struct bpf_object *obj)
{
	for (int i = 0; i < plan->nr_choices; i++) {
		struct plan_choice *choice = &plan->choices[i];

		if (choice->kind == KIND_NONE)
			continue;
		choice->link = bpf_program__attach(choice_program(choice, obj));
		if (!choice->link)
			return runtime_error("attaching %s to %s:%s (%s) failed: %s",
					     choice->point->name, choice->point->category,
					     choice->tracepoint, kind_suffix[choice->kind],
					     strerror(errno));
	}
	return 0;
}

void attach_plan_detach(struct attach_plan *plan)
{
	for (int i = 0; i < plan->nr_choices; i++) {
		bpf_link__destroy(plan->choices[i].link);
		plan->choices[i].link = NULL;
	}
}
