// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "engine/attach_plan.h"
#include "engine/report_error.h"

#define TRACEPOINTS(cat, ...)                                                  \
	{                                                                      \
		.function = false, .category = cat, .targets = { __VA_ARGS__ } \
	}
/* syscalls:* are perf events of tracefs, with no raw tracepoint behind them. */
#define SYSCALL_EVENTS(...)                                                                   \
	{                                                                                     \
		.function = false, .category = "syscalls", .classic_only = true, .targets = { \
			__VA_ARGS__                                                           \
		}                                                                             \
	}
#define FUNCTIONS(...)                                       \
	{                                                    \
		.function = true, .targets = { __VA_ARGS__ } \
	}

/*
 * Tracepoints come first: they are stable interfaces and the only way in on kernels without
 * kprobes or fentry (the 6.18 host). A function route serves --attach=fentry|kprobe, and any
 * kernel that lost a tracepoint.
 */
const struct probe_point probe_points[] = {
	{ .name = "fault",
	  .feeds = "faults pte pmd read write nopage fallback sigbus mkwrite(DAX) lat_ns",
	  .routes = { TRACEPOINTS("fs_dax", "dax_pte_fault", "dax_pte_fault_done", "dax_pmd_fault",
				  "dax_pmd_fault_done"),
		      FUNCTIONS("dax_iomap_fault") } },
	{ .name = "fault.extent",
	  .feeds = "fallback_reasons: entry_conflict or extent (the iomap of a DAX fault)",
	  .routes = { TRACEPOINTS("iomap", "iomap_iter_dstmap") } },
	/* v6.13 "xfs: split write fault handling out of __xfs_filemap_fault" */
	{ .name = "mkwrite.xfs",
	  .feeds = "mkwrite (page cache, XFS)",
	  .routes = { TRACEPOINTS("xfs", "xfs_write_fault"),
		      TRACEPOINTS("xfs", "xfs_filemap_fault"),
		      FUNCTIONS("xfs_filemap_page_mkwrite") } },
	{ .name = "cow.start",
	  .feeds = "cow (sharing breaks initiated)",
	  .routes = { TRACEPOINTS("iomap", "iomap_iter_srcmap") } },
	{ .name = "cow.end",
	  .feeds = "cow_bytes (COW remapped on completion)",
	  .routes = { TRACEPOINTS("xfs", "xfs_reflink_end_cow"),
		      FUNCTIONS("xfs_reflink_end_cow") } },
	{ .name = "remap",
	  .feeds = "remaps (clone, clone range, dedupe, unshare)",
	  .routes = { TRACEPOINTS("xfs", "xfs_reflink_remap_range", "xfs_reflink_unshare") } },
	/* fs/dax.c dax_writeback_mapping_range */
	{ .name = "writeback",
	  .feeds = "flushes flush_pages (DAX fsync/msync cache flushes), lat writeback",
	  .routes = { TRACEPOINTS("fs_dax", "dax_writeback_range", "dax_writeback_one",
				  "dax_writeback_range_done") } },
	{ .name = "task",
	  .feeds = "following the -- CMD process tree",
	  .users = USED_BY_ALL,
	  .command_only = true,
	  .routes = { TRACEPOINTS("sched", "sched_process_fork", "sched_process_exit") } },
	{ .name = "remap.call",
	  .feeds = "clones clone_ranges dedupes and their bytes (the ioctl of each remap)",
	  .users = USED_BY_REMAP_KINDS,
	  .routes = { SYSCALL_EVENTS("sys_enter_ioctl", "sys_exit_ioctl") } },
	/* top shows neither: one run per COW fork extent dropped, on every cow-mode fault */
	{ .name = "cow.cancel",
	  .feeds = "cow_cancels cow_cancel_blocks (COW reservations dropped unused)",
	  .users = USED_BY_COW,
	  .routes = { TRACEPOINTS("xfs", "xfs_reflink_cancel_cow") } },
	/* daxtrace share: fs/dax.c has no tracepoint on associations (docs/kernel-internals.md). */
	{ .name = "share.assoc",
	  .feeds = "share: associations, breaks, the kernel's share count",
	  .users = USED_BY_SHARE,
	  .required = true,
	  .routes = { FUNCTIONS("dax_insert_entry") } },
	{ .name = "share.disassoc",
	  .feeds = "share: disassociations",
	  .users = USED_BY_SHARE,
	  .required = true,
	  .routes = { FUNCTIONS("dax_disassociate_entry") } },
	/* 7.x: only dax_disassociate_entry.isra.0, which keeps the entry and drops the mapping. */
	{ .name = "share.context",
	  .feeds = "share: the file of a disassociation, when its probe is on a clone",
	  .users = USED_BY_SHARE,
	  .required = true,
	  .context_for = "share.disassoc",
	  .routes = { FUNCTIONS("grab_mapping_entry", "__dax_invalidate_entry",
				"dax_delete_mapping_range"),
		      FUNCTIONS("grab_mapping_entry", "__dax_invalidate_entry") } },
	/* daxtrace mapuse (docs/kernel-internals.md section 4). */
	{ .name = "mapuse.lock",
	  .feeds = "mapuse: memory failure finds a DAX page's owner through ->mapping",
	  .users = USED_BY_MAPUSE,
	  /* v6.7 "mm: Convert DAX lock/unlock page to lock/unlock folio" */
	  .routes = { FUNCTIONS("dax_lock_folio"), FUNCTIONS("dax_lock_page") } },
	{ .name = "mapuse.generic",
	  .feeds = "mapuse: folio_mapping / page_mapping handed a pmem page",
	  .users = USED_BY_MAPUSE,
	  .routes = { FUNCTIONS("folio_mapping", "page_mapping"), FUNCTIONS("folio_mapping") } },
	{ .name = "mapuse.fs_rmap",
	  .feeds = "mapuse, share --model rmap_lookups: owners the filesystem's rmap found",
	  .users = USED_BY_MAPUSE | USED_BY_SHARE,
	  .routes = { FUNCTIONS("mf_dax_kill_procs") } },
	{ .name = "mapuse.layout",
	  .feeds = "mapuse: truncate, hole punch and clone walk a file's DAX entries",
	  .users = USED_BY_MAPUSE,
	  .routes = { FUNCTIONS("dax_layout_busy_page_range") } },
};
const int nr_probe_points = sizeof(probe_points) / sizeof(probe_points[0]);

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

/* The check a function target failed. */
enum target_check {
	CHECK_PASSED,
	CHECK_NOT_IN_BTF, /* fentry: no FUNC of that name in vmlinux or module BTF */
	CHECK_NOT_TRACEABLE, /* not in available_filter_functions */
	CHECK_NO_SYMBOL, /* not in kallsyms (inlined, renamed, or not in this kernel) */
	CHECK_NO_KALLSYMS, /* kallsyms could not be read */
	CHECK_BLACKLISTED, /* in the kprobe blacklist */
};

/* Why each function kind of a point could not be used: the first target that failed. */
struct plan_failures {
	struct {
		enum target_check check;
		const char *target;
		char symbol[128]; /* the name checked: a kprobe's may be a clone */
	} kind[NR_PROBE_KINDS];
};

static bool fail(struct plan_failures *failures, enum probe_kind kind, enum target_check check,
		 const char *target, const char *symbol)
{
	if (!failures->kind[kind].check) {
		failures->kind[kind].check = check;
		failures->kind[kind].target = target;
		snprintf(failures->kind[kind].symbol, sizeof(failures->kind[kind].symbol), "%s",
			 symbol ? symbol : target);
	}
	return false;
}

/*
 * An fentry target. fentry works on this kernel at all (kernel_features_probe loaded and
 * attached one program, to vfs_read); what can still fail per target is checked from lists,
 * not by loading a program per target (a verifier run, and a trampoline patched into kernel
 * text, for each):
 * - the function is a FUNC in vmlinux or module BTF (the program's attach_btf_id). This is
 *   where Debian 5.10 fails, with vmlinux BTF but no module BTF, and XFS a module; a kernel
 *   with module BTF (5.11+) also attaches fentry to module functions;
 * - it is in available_filter_functions: the trampoline goes where ftrace's call site is, so a
 *   notrace function, or one inlined into all its callers, has no place for it. When that list
 *   cannot be read, kallsyms at least says whether the function exists as a symbol.
 * What these cannot see (the verifier's deny list) fails at load or attach, and an optional
 * point then degrades.
 */
static bool fentry_target_available(const char *target, struct kernel_features *features,
				    struct plan_failures *failures)
{
	const struct name_set *ftrace;
	const struct ksym_table *kallsyms;

	if (!function_in_btf(target))
		return fail(failures, KIND_FENTRY, CHECK_NOT_IN_BTF, target, NULL);
	ftrace = kernel_ftrace_functions(features);
	if (ftrace)
		return name_set_has(ftrace, target) ||
		       fail(failures, KIND_FENTRY, CHECK_NOT_TRACEABLE, target, NULL);
	kallsyms = kernel_kallsyms(features);
	return !kallsyms || ksym_table_function(kallsyms, target) ||
	       fail(failures, KIND_FENTRY, CHECK_NO_SYMBOL, target, NULL);
}

/*
 * A kprobe target: the function, or its .isra/.constprop clone (which is then what gets
 * probed), in available_filter_functions (so it is a function, and one the kernel lets
 * instrumentation into: not noinstr, not notrace), and not in the kprobe blacklist. That list
 * names the clones too, so kallsyms (twice as many lines, and slower to read) is read for the
 * plan only when available_filter_functions cannot be, or to tell why a target is missing. A
 * blacklist that cannot be read is not checked (doctor says so); the kernel's own refusal at
 * attach then makes the point unavailable.
 */
static bool kprobe_target_available(const char *target, struct kernel_features *features,
				    char *symbol, size_t symbol_size,
				    struct plan_failures *failures)
{
	const struct name_set *ftrace = kernel_ftrace_functions(features), *blacklist;
	const struct ksym_table *kallsyms;
	const struct ksym *sym;
	const char *found;

	if (ftrace) {
		found = name_set_function(ftrace, target);
		if (!found)
			return fail(failures, KIND_KPROBE, CHECK_NOT_TRACEABLE, target, NULL);
	} else {
		kallsyms = kernel_kallsyms(features);
		if (!kallsyms)
			return fail(failures, KIND_KPROBE, CHECK_NO_KALLSYMS, target, NULL);
		sym = ksym_table_function(kallsyms, target);
		if (!sym)
			return fail(failures, KIND_KPROBE, CHECK_NO_SYMBOL, target, NULL);
		found = sym->name;
	}
	snprintf(symbol, symbol_size, "%s", found);
	blacklist = kernel_kprobe_blacklist(features);
	return !blacklist || !name_set_has(blacklist, found) ||
	       fail(failures, KIND_KPROBE, CHECK_BLACKLISTED, target, found);
}

/* In the words doctor prints: which check refused the target. */
static void describe_failure(char *buf, size_t size, enum probe_kind kind,
			     const struct plan_failures *failures, struct kernel_features *features)
{
	const char *target = failures->kind[kind].target, *symbol = failures->kind[kind].symbol;
	enum target_check check = failures->kind[kind].check;
	const struct ksym_table *kallsyms;

	/* Not traceable, or not there at all? kallsyms tells, for a point left without a way. */
	if (check == CHECK_NOT_TRACEABLE) {
		kallsyms = kernel_kallsyms(features);
		if (kallsyms && !ksym_table_function(kallsyms, target))
			check = CHECK_NO_SYMBOL;
	}
	switch (check) {
	case CHECK_NOT_IN_BTF:
		snprintf(buf, size, "%s not in %s", target,
			 features->module_btfs ? "vmlinux or module BTF" :
						 "vmlinux BTF (and no module has BTF)");
		break;
	case CHECK_NOT_TRACEABLE:
		snprintf(buf, size, "%s not in available_filter_functions", symbol);
		break;
	case CHECK_NO_SYMBOL:
		snprintf(buf, size, "no %s in kallsyms", target);
		break;
	case CHECK_NO_KALLSYMS:
		snprintf(buf, size, "cannot read kallsyms (%s)",
			 strerror(-features->kallsyms_list.err));
		break;
	case CHECK_BLACKLISTED:
		snprintf(buf, size, "%s in the kprobe blacklist", symbol);
		break;
	case CHECK_PASSED:
		buf[0] = '\0';
		break;
	}
}

static bool target_available(enum probe_kind kind, const struct probe_route *route,
			     const char *target, struct kernel_features *features, char *symbol,
			     size_t symbol_size, struct plan_failures *failures)
{
	switch (kind) {
	case KIND_TP_BTF:
		return features->vmlinux_btf && tracepoint_in_btf(target);
	case KIND_RAW_TP:
		return tracepoint_in_btf(target) || tracepoint_in_tracefs(route->category, target);
	case KIND_CLASSIC:
		return features->tracefs && tracepoint_in_tracefs(route->category, target);
	case KIND_FENTRY:
		return features->fentry && fentry_target_available(target, features, failures);
	case KIND_KPROBE:
		return features->kprobes &&
		       kprobe_target_available(target, features, symbol, symbol_size, failures);
	default:
		return false;
	}
}

static bool route_available(struct plan_choice *choice, const struct probe_route *route,
			    enum probe_kind kind, struct kernel_features *features,
			    struct plan_failures *failures)
{
	if (route->function != (kind == KIND_FENTRY || kind == KIND_KPROBE))
		return false;
	if (route->classic_only && kind != KIND_CLASSIC)
		return false;
	choice->clone = false;
	for (int t = 0; t < MAX_ROUTE_TARGETS && route->targets[t]; t++) {
		if (!target_available(kind, route, route->targets[t], features, choice->symbols[t],
				      sizeof(choice->symbols[t]), failures))
			return false;
		if (kind == KIND_KPROBE && strcmp(choice->symbols[t], route->targets[t]))
			choice->clone = true;
	}
	return true;
}

static bool choose_in_family(struct plan_choice *choice, struct kernel_features *features,
			     enum attach_family family, struct plan_failures *failures)
{
	const struct probe_point *point = choice->point;

	for (int r = 0; r < MAX_ROUTES && point->routes[r].targets[0]; r++) {
		for (int kind = 0; kind < NR_PROBE_KINDS; kind++) {
			if (!kind_in_family(kind, family) ||
			    !route_available(choice, &point->routes[r], kind, features, failures))
				continue;
			choice->route = &point->routes[r];
			choice->kind = kind;
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

/* The first target of the point's first route of that type, to name what is missing. */
static const char *first_target(const struct probe_point *point, bool function)
{
	for (int r = 0; r < MAX_ROUTES && point->routes[r].targets[0]; r++)
		if (point->routes[r].function == function)
			return point->routes[r].targets[0];
	return point->routes[0].targets[0];
}

/* " (fentry: ...; kprobe: ...)": what each function kind tried found, or "". */
static void append_failures(char *buf, size_t size, const struct plan_failures *failures,
			    struct kernel_features *features)
{
	size_t used = strlen(buf);
	int n = 0;

	for (int kind = 0; kind < NR_PROBE_KINDS; kind++) {
		char reason[192];

		if (!failures->kind[kind].check)
			continue;
		describe_failure(reason, sizeof(reason), kind, failures, features);
		used += snprintf(buf + used, used < size ? size - used : 0, "%s%s: %s",
				 n++ ? "; " : " (", kind_names[kind], reason);
	}
	if (n && used < size)
		snprintf(buf + used, size - used, ")");
}

static void choose(struct plan_choice *choice, struct kernel_features *features,
		   enum attach_family family)
{
	const struct probe_point *point = choice->point;
	bool function_family = family == FAMILY_FENTRY || family == FAMILY_KPROBE;
	struct plan_failures failures = {};

	choice->kind = KIND_NONE;
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
		snprintf(choice->why, sizeof(choice->why),
			 "%s is reached by fentry or kprobe only, and this kernel has neither",
			 first_target(point, true));
		return;
	}
	snprintf(choice->why, sizeof(choice->why), "%s%s%s not available on this kernel",
		 family == FAMILY_AUTO ? "" : attach_family_name(family),
		 family == FAMILY_AUTO ? "" : " route to ", first_target(point, function_family));
	append_failures(choice->why, sizeof(choice->why), &failures, features);
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

			snprintf(name, sizeof(name), "%s__%s", choice->route->targets[t],
				 kind_suffixes[choice->kind][s]);
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
		if (choice->point->required)
			return runtime_error("probe point %s: %s", choice->point->name,
					     failure.message);
		attach_plan_unavailable(plan, choice, failure.message);
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

static int add_missed_runs(const struct plan_choice *choice, int target, bool retprobe,
			   struct bpf_program *prog, void *arg)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	(void)choice, (void)target, (void)retprobe;
	if (bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len) == 0)
		*(unsigned long long *)arg += info.recursion_misses;
	return 0;
}

unsigned long long attach_plan_missed_runs(const struct attach_plan *plan, struct bpf_object *obj)
{
	unsigned long long missed = 0;

	for (int i = 0; i < plan->nr_choices; i++)
		if (plan->choices[i].kind != KIND_NONE)
			for_each_choice_program(&plan->choices[i], obj, add_missed_runs, &missed);
	return missed;
}
