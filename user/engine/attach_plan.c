// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "engine/attach_plan.h"
#include "engine/attach_plan_internal.h"
#include "engine/report_error.h"

/* As --attach names them; "classic" is the perf-event tracepoint of tracefs. */
static const char *const kind_names[NR_PROBE_KINDS] = {
	[KIND_TP_BTF] = "tp_btf", [KIND_RAW_TP] = "raw_tp", [KIND_CLASSIC] = "classic",
	[KIND_FENTRY] = "fentry", [KIND_KPROBE] = "kprobe",
};

/* Program name suffixes per kind, in bpf/; a target has at least one of them. */
static const char *const kind_suffixes[NR_PROBE_KINDS][2] = {
	[KIND_TP_BTF] = { "tp_btf" },
	[KIND_RAW_TP] = { "raw_tp" },
	[KIND_CLASSIC] = { "tracepoint" },
	[KIND_FENTRY] = { "fentry", "fexit" },
	[KIND_KPROBE] = { "kprobe", "kretprobe" },
};

const char *probe_kind_name(enum probe_kind kind)
{
	return kind == KIND_NONE ? "none" : kind_names[kind];
}

enum probe_kind probe_kind_by_name(const char *name)
{
	for (int k = 0; k < NR_PROBE_KINDS; k++)
		if (!strcmp(name, kind_names[k]))
			return k;
	return KIND_NONE;
}

void plan_choice_targets(const struct plan_choice *choice, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	if (choice->kind == KIND_NONE)
		return;
	for (int t = 0; t < MAX_ROUTE_TARGETS && choice->route->targets[t]; t++)
		used += snprintf(buf + used, used < size ? size - used : 0, "%s%s", t ? "+" : "",
				 choice->kind == KIND_KPROBE ? choice->symbols[t] :
							       choice->route->targets[t]);
}

static bool kind_in_family(enum probe_kind kind, enum attach_family family)
{
	switch (family) {
	case FAMILY_AUTO:
		return true;
	case FAMILY_TRACEPOINT:
		return kind == KIND_TP_BTF || kind == KIND_RAW_TP || kind == KIND_CLASSIC;
	case FAMILY_TP_BTF:
		return kind == KIND_TP_BTF;
	case FAMILY_RAW_TP:
		return kind == KIND_RAW_TP;
	case FAMILY_CLASSIC:
		return kind == KIND_CLASSIC;
	case FAMILY_FENTRY:
		return kind == KIND_FENTRY;
	case FAMILY_KPROBE:
		return kind == KIND_KPROBE;
	}
	return false;
}

static bool route_available(struct plan_choice *choice, const struct probe_route *route,
			    enum probe_kind kind, struct kernel_features *features,
			    struct plan_failures *failures)
{
	if (route->function != (kind == KIND_FENTRY || kind == KIND_KPROBE))
		return false;
	if (route->classic_only && kind != KIND_CLASSIC)
		return false;
	if (route->btf_type && !struct_in_btf(route->btf_type)) {
		failures->missing_type = route->btf_type;
		return false;
	}
	if (route->code_present && access(route->code_present, F_OK)) {
		failures->missing_code = route->code_present;
		return false;
	}
	choice->clone = false;
	for (int t = 0; t < MAX_ROUTE_TARGETS && route->targets[t]; t++) {
		if (!plan_target_available(kind, route, route->targets[t], features,
					   choice->symbols[t], sizeof(choice->symbols[t]),
					   failures))
			return false;
		if (kind == KIND_KPROBE && strcmp(choice->symbols[t], route->targets[t]))
			choice->clone = true;
	}
	return true;
}

/* The point's first route (in order of preference) that the kind reaches, within the family. */
static bool choose_kind(struct plan_choice *choice, enum probe_kind kind,
			struct kernel_features *features, enum attach_family family,
			struct plan_failures *failures)
{
	const struct probe_point *point = choice->point;

	if (!kind_in_family(kind, family))
		return false;
	for (int r = 0; r < MAX_ROUTES && point->routes[r].targets[0]; r++) {
		if (!route_available(choice, &point->routes[r], kind, features, failures))
			continue;
		choice->route = &point->routes[r];
		choice->kind = kind;
		return true;
	}
	return false;
}

static bool kind_preemptible(enum probe_kind kind, const struct kernel_features *features)
{
	return (kind == KIND_TP_BTF || kind == KIND_RAW_TP || kind == KIND_FENTRY) &&
	       preempt_model_preempts_bpf(features->preempt.model);
}

/*
 * Where this kernel can preempt tp_btf, raw_tp and fentry programs, auto (and the tracepoint
 * family) first takes the kinds it cannot (preempt_model.h): kprobe, whose programs read the
 * inode (file paths), then classic tracepoints, which hand over the event's fields only.
 * Otherwise the kinds in their order: tp_btf first, the cheapest.
 */
static bool choose_in_family(struct plan_choice *choice, struct kernel_features *features,
			     enum attach_family family, struct plan_failures *failures)
{
	const struct probe_point *point = choice->point;

	if ((family == FAMILY_AUTO || family == FAMILY_TRACEPOINT) &&
	    preempt_model_preempts_bpf(features->preempt.model) &&
	    (choose_kind(choice, KIND_KPROBE, features, family, failures) ||
	     choose_kind(choice, KIND_CLASSIC, features, family, failures)))
		return true;
	for (int r = 0; r < MAX_ROUTES && point->routes[r].targets[0]; r++) {
		for (int kind = 0; kind < NR_PROBE_KINDS; kind++) {
			if (!kind_in_family(kind, family) ||
			    !route_available(choice, &point->routes[r], kind, features, failures))
				continue;
			choice->route = &point->routes[r];
			choice->kind = kind;
			if (kind_preemptible(kind, features))
				snprintf(choice->why, sizeof(choice->why),
					 "%s programs can be preempted here (preemption model %s): "
					 "runs the kernel skips are counted as lost",
					 kind_names[kind],
					 preempt_model_name(features->preempt.model));
			return true;
		}
	}
	return false;
}

static bool point_has_route(const struct probe_point *point, bool function)
{
	for (int r = 0; r < MAX_ROUTES && point->routes[r].targets[0]; r++)
		if (point->routes[r].function == function)
			return true;
	return false;
}

/* Every tracepoint route of the point is a tracefs event only (syscalls:*). */
static bool tracefs_only(const struct probe_point *point)
{
	bool any = false;

	for (int r = 0; r < MAX_ROUTES && point->routes[r].targets[0]; r++) {
		if (point->routes[r].function)
			continue;
		if (!point->routes[r].classic_only)
			return false;
		any = true;
	}
	return any;
}

/* The first target of the point's first route of that type, to name what is missing. */
static const char *first_target(const struct probe_point *point, bool function)
{
	for (int r = 0; r < MAX_ROUTES && point->routes[r].targets[0]; r++)
		if (point->routes[r].function == function)
			return point->routes[r].targets[0];
	return point->routes[0].targets[0];
}

/* The BPF features the point needs that this kernel lacks, named in buf; false if none. */
static bool bpf_needs_missing(const struct probe_point *point,
			      const struct kernel_features *features, char *buf, size_t size)
{
	bool storage = (point->bpf_needs & NEED_TASK_STORAGE) && !features->task_storage;
	bool fetch = (point->bpf_needs & NEED_ATOMIC_FETCH) && !features->atomic_fetch;

	snprintf(buf, size, "%s%s%s", storage ? "task storage maps (v5.11)" : "",
		 storage && fetch ? " and " : "", fetch ? "atomic fetch operations (v5.12)" : "");
	return storage || fetch;
}

static void choose(struct plan_choice *choice, struct kernel_features *features,
		   enum attach_family family)
{
	const struct probe_point *point = choice->point;
	bool function_family = family == FAMILY_FENTRY || family == FAMILY_KPROBE;
	struct plan_failures failures = {};
	char missing[96];

	choice->kind = KIND_NONE;
	choice->cause = CAUSE_AVAILABLE;
	if (bpf_needs_missing(point, features, missing, sizeof(missing))) {
		choice->cause = CAUSE_BPF_FEATURE;
		snprintf(choice->why, sizeof(choice->why),
			 "its programs need BPF %s, which this kernel lacks", missing);
		return;
	}
	if (choose_in_family(choice, features, family, &failures))
		return;
	/*
	 * A forced family falls back only where the point has no route of its type: a function
	 * family to the tracepoints, a tracepoint family to the functions (auto's choice).
	 */
	if (family != FAMILY_AUTO && !point_has_route(point, function_family) &&
	    choose_in_family(choice, features, function_family ? FAMILY_TRACEPOINT : FAMILY_AUTO,
			     &failures)) {
		snprintf(choice->why, sizeof(choice->why),
			 "no %s route to this point; fell back to %s", attach_family_name(family),
			 probe_kind_name(choice->kind));
		return;
	}
	/* Not the function's absence: the kernel lets no function probe in. */
	if (!function_family && !point_has_route(point, false) && !features->fentry &&
	    !features->kprobes) {
		choice->cause = CAUSE_NO_FUNCTION_PROBES;
		snprintf(choice->why, sizeof(choice->why),
			 "%s is reached by fentry or kprobe only, and this kernel has neither",
			 first_target(point, true));
		return;
	}
	/* Not the event's absence: tracefs, the only place it is found, cannot be read. */
	if (!function_family && !features->tracefs && tracefs_only(point)) {
		char problem[200];

		tracefs_problem(features, problem, sizeof(problem));
		choice->cause = CAUSE_NO_TRACEFS;
		snprintf(choice->why, sizeof(choice->why), "%s is a tracefs event, and %s",
			 first_target(point, false), problem);
		return;
	}
	/* A forced family with a way in elsewhere: auto would take it. */
	choice->cause = family != FAMILY_AUTO && choose_in_family(choice, features, FAMILY_AUTO,
								  &(struct plan_failures){}) ?
				CAUSE_FAMILY :
				CAUSE_NOT_IN_KERNEL;
	choice->kind = KIND_NONE;
	choice->route = NULL;
	choice->why[0] = '\0';
	snprintf(choice->why, sizeof(choice->why), "%s%s%s not available on this kernel",
		 family == FAMILY_AUTO ? "" : attach_family_name(family),
		 family == FAMILY_AUTO ? "" : " route to ", first_target(point, function_family));
	/* The event is there, and the kernel cannot describe what its programs read. */
	if (failures.missing_type) {
		choice->cause = CAUSE_BTF_TYPE;
		snprintf(choice->why, sizeof(choice->why),
			 "its programs read struct %s, which is in no BTF of this kernel (a "
			 "module's types need module BTF, v5.11)",
			 failures.missing_type);
	}
	if (failures.missing_code) {
		choice->cause = CAUSE_NO_CODE;
		snprintf(
			choice->why, sizeof(choice->why),
			"%s is missing at start: its code is not in the kernel (module not loaded)",
			failures.missing_code);
	}
	plan_append_failures(choice->why, sizeof(choice->why), &failures, features);
}

const struct plan_choice *attach_plan_find(const struct attach_plan *plan, const char *name)
{
	for (int i = 0; i < plan->nr_choices; i++)
		if (!strcmp(plan->choices[i].point->name, name))
			return &plan->choices[i];
	return NULL;
}

static bool point_wanted(const struct attach_plan *plan, const struct probe_point *point,
			 bool with_command, unsigned int users)
{
	const struct plan_choice *served;

	if (!((point->users ? point->users : USED_BY_TOP) & users))
		return false;
	if (point->command_only && !with_command)
		return false;
	if (!point->context_for)
		return true;
	served = attach_plan_find(plan, point->context_for);
	return served && served->clone;
}

int attach_plan_resolve(struct attach_plan *plan, struct kernel_features *features,
			enum attach_family family, bool with_command, unsigned int users)
{
	if (family == FAMILY_FENTRY && !features->fentry)
		return runtime_error("--attach=fentry: fentry programs do not work on this kernel "
				     "(%s)",
				     strerror(features->fentry_errno));
	if (family == FAMILY_CLASSIC && !features->tracefs) {
		char problem[200];

		tracefs_problem(features, problem, sizeof(problem));
		return runtime_error(
			"--attach=classic: classic tracepoints live in tracefs, and %s", problem);
	}
	if (family == FAMILY_KPROBE && !features->kprobes)
		return runtime_error("--attach=kprobe: this kernel has no kprobes "
				     "(CONFIG_KPROBES off)");

	memset(plan, 0, sizeof(*plan));
	for (int i = 0; i < nr_probe_points; i++) {
		struct plan_choice *choice;

		if (!point_wanted(plan, &probe_points[i], with_command, users))
			continue;
		choice = &plan->choices[plan->nr_choices++];
		choice->point = &probe_points[i];
		choose(choice, features, family);
		plan->nr_available += choice->kind != KIND_NONE;
	}
	return 0;
}

/* Calls fn for every program of a choice: each target with each suffix of its kind. */
static int for_each_choice_program(const struct plan_choice *choice, struct bpf_object *obj,
				   int (*fn)(const struct plan_choice *choice, int target,
					     bool retprobe, struct bpf_program *prog, void *arg),
				   void *arg)
{
	for (int t = 0; t < MAX_ROUTE_TARGETS && choice->route->targets[t]; t++) {
		int found = 0;

		for (int s = 0; s < 2 && kind_suffixes[choice->kind][s]; s++) {
			struct bpf_program *prog;
			char name[128];
			int err;

			snprintf(name, sizeof(name), "%s%s__%s",
				 choice->route->program_prefix ? choice->route->program_prefix : "",
				 choice->route->targets[t], kind_suffixes[choice->kind][s]);
			prog = bpf_object__find_program_by_name(obj, name);
			if (!prog)
				continue;
			found++;
			err = fn(choice, t, s == 1, prog, arg);
			if (err)
				return err;
		}
		if (!found)
			return runtime_error("internal: no BPF program for %s via %s",
					     choice->route->targets[t], kind_names[choice->kind]);
	}
	return 0;
}

static int enable_program(const struct plan_choice *choice, int target, bool retprobe,
			  struct bpf_program *prog, void *arg)
{
	(void)choice, (void)target, (void)retprobe, (void)arg;
	return bpf_program__set_autoload(prog, true);
}

int attach_plan_apply(const struct attach_plan *plan, struct bpf_object *obj)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj)
		bpf_program__set_autoload(prog, false);
	for (int i = 0; i < plan->nr_choices; i++)
		if (plan->choices[i].kind != KIND_NONE &&
		    for_each_choice_program(&plan->choices[i], obj, enable_program, NULL))
			return -1;
	return 0;
}

/* What a failed attach says; filled by attach_program. */
struct attach_failure {
	struct plan_choice *choice;
	char message[256];
};

static int attach_program(const struct plan_choice *choice, int target, bool retprobe,
			  struct bpf_program *prog, void *arg)
{
	struct attach_failure *failure = arg;
	struct bpf_link *link;
	int slot = target * 2 + retprobe;

	/* A kprobe goes to the symbol kallsyms has, which may be a .isra/.constprop clone. */
	if (choice->kind == KIND_KPROBE)
		link = bpf_program__attach_kprobe(prog, retprobe, choice->symbols[target]);
	else
		link = bpf_program__attach(prog);
	if (!link) {
		snprintf(failure->message, sizeof(failure->message),
			 "attaching %s to %s (%s) failed: %s", bpf_program__name(prog),
			 choice->kind == KIND_KPROBE ? choice->symbols[target] :
						       choice->route->targets[target],
			 kind_names[choice->kind], strerror(errno));
		return -1;
	}
	failure->choice->links[slot] = link;
	return 0;
}

static void detach_choice(struct plan_choice *choice)
{
	for (int l = 0; l < MAX_ROUTE_TARGETS * 2; l++) {
		bpf_link__destroy(choice->links[l]);
		choice->links[l] = NULL;
	}
}

void attach_plan_unavailable(struct attach_plan *plan, struct plan_choice *choice, const char *why)
{
	snprintf(choice->why, sizeof(choice->why), "%s", why);
	choice->cause = CAUSE_ATTACH_FAILED;
	if (choice->kind != KIND_NONE)
		plan->nr_available--;
	choice->kind = KIND_NONE;
	choice->route = NULL;
	choice->clone = false;
	memset(choice->symbols, 0, sizeof(choice->symbols));
}

int attach_plan_attach(struct attach_plan *plan, struct bpf_object *obj)
{
	for (int i = 0; i < plan->nr_choices; i++) {
		struct attach_failure failure = { .choice = &plan->choices[i] };
		struct plan_choice *choice = &plan->choices[i];

		if (choice->kind == KIND_NONE ||
		    !for_each_choice_program(choice, obj, attach_program, &failure))
			continue;
		/* All of a point or none: a fault's start without its end counts nothing. */
		detach_choice(choice);
		if (!failure.message[0]) /* not an attach: a program missing from the object */
			return -1;
		if (choice->point->required && !plan->none_required)
			return runtime_error("probe point %s: %s", choice->point->name,
					     failure.message);
		attach_plan_unavailable(plan, choice, failure.message);
		if (!plan->none_required) /* a service logs its plan itself */
			warning("%s: %s; these stay 0: %s", choice->point->name, choice->why,
				choice->point->feeds);
	}
	return 0;
}

void attach_plan_detach(struct attach_plan *plan)
{
	for (int i = 0; i < plan->nr_choices; i++)
		detach_choice(&plan->choices[i]);
}

/* A kprobe's own misses: reentered, or (kretprobe) out of instances; 0 before v6.7. */
static unsigned long long kprobe_link_missed(const struct bpf_link *link)
{
	struct bpf_link_info info = {};
	__u32 len = sizeof(info);

	if (!link || bpf_link_get_info_by_fd(bpf_link__fd(link), &info, &len) ||
	    info.type != BPF_LINK_TYPE_PERF_EVENT ||
	    (info.perf_event.type != BPF_PERF_EVENT_KPROBE &&
	     info.perf_event.type != BPF_PERF_EVENT_KRETPROBE))
		return 0;
	return info.perf_event.kprobe.missed;
}

static bool run_only_times(const struct plan_choice *choice, int target, bool retprobe)
{
	if (choice->point->timing_only)
		return true;
	if (!(choice->route->timing_targets & 1u << target))
		return false;
	return choice->kind != KIND_KPROBE && !(choice->kind == KIND_FENTRY && retprobe);
}

static int add_misses(const struct plan_choice *choice, int target, bool retprobe,
		      struct bpf_program *prog, void *arg)
{
	struct point_misses *misses = arg;
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	unsigned long long skipped = 0;

	if (bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len) == 0)
		skipped = info.recursion_misses;
	if (choice->kind == KIND_KPROBE)
		skipped += kprobe_link_missed(choice->links[target * 2 + retprobe]);
	if (run_only_times(choice, target, retprobe))
		misses->lat_samples_lost += skipped;
	else
		misses->lost += skipped;
	return 0;
}

void attach_plan_misses(const struct attach_plan *plan, struct bpf_object *obj,
			struct plan_misses *misses)
{
	memset(misses, 0, sizeof(*misses));
	for (int i = 0; i < plan->nr_choices; i++) {
		struct point_misses *point = &misses->points[i];

		if (plan->choices[i].kind == KIND_NONE)
			continue;
		for_each_choice_program(&plan->choices[i], obj, add_misses, point);
		misses->total.lost += point->lost;
		misses->total.lat_samples_lost += point->lat_samples_lost;
	}
}

static void point_misses_sub(struct point_misses *delta, const struct point_misses *now,
			     const struct point_misses *before)
{
	delta->lost = now->lost - before->lost;
	delta->lat_samples_lost = now->lat_samples_lost - before->lat_samples_lost;
}

void plan_misses_sub(struct plan_misses *delta, const struct plan_misses *now,
		     const struct plan_misses *before)
{
	point_misses_sub(&delta->total, &now->total, &before->total);
	for (int i = 0; i < MAX_PLAN_POINTS; i++)
		point_misses_sub(&delta->points[i], &now->points[i], &before->points[i]);
}
