// SPDX-License-Identifier: GPL-2.0
/*
 * The attach plan against this host's kernel (6.18: vmlinux BTF with the fs_dax, xfs, iomap and
 * sched tracepoints, and dax_iomap_fault, xfs_filemap_page_mkwrite, xfs_reflink_end_cow in BTF
 * and kallsyms), with the features each test pretends the kernel has.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>
#include <cmocka.h>

#include <linux/types.h>

#include "daxtrace.skel.h"
#include "engine/attach_plan.h"
#include "engine/kernel_probe.h"
#include "temp_file.h"

#define NR_TOP_POINTS 9 /* the points of top, first in the table */
#define SYNC_POINT 7 /* top's one point of functions only: dax_finish_sync_fault */
#define NR_TRACEPOINT_TOP (NR_TOP_POINTS - 1) /* top's points that tracepoints reach */
#define NR_REMAP_KIND_POINTS 2 /* then snoop's and cow's: remap.call, cow.cancel */
#define NR_SHARE_POINTS 3 /* then share's: assoc, disassoc, context */
#define NR_MAPUSE_POINTS 4 /* then mapuse's: lock, generic, fs_rmap, layout */
#define NR_COST_POINTS 5 /* then cost.*: disassoc, lock, generic, kill_procs, rmap_walk */
#define NR_DEVDAX_POINTS 1 /* then device DAX's (top, lat, snoop): fentry or kprobe only */
#define NR_COMMAND_ONLY 1 /* task */

static struct kernel_features btf_kernel(void)
{
	struct kernel_features f;

	memset(&f, 0, sizeof(f));
	strcpy(f.release, "6.18.0-test");
	f.vmlinux_btf = true;
	f.task_storage = f.atomic_fetch = true; /* the host's BPF; test_share_old_bpf without */
	f.preempt.model = PREEMPT_MODEL_NONE; /* the host's; test_preemptible_* the others */
	f.kallsyms_list.path =
		KALLSYMS_PATH; /* this host's; the lists of tracefs and debugfs not */
	return f;
}

static void release(struct kernel_features *f)
{
	kernel_features_release(f); /* frees the lists (and the BTF, parsed again when needed) */
}

static const struct plan_choice *choice_named(const struct attach_plan *plan, const char *name)
{
	for (int i = 0; i < plan->nr_choices; i++)
		if (!strcmp(plan->choices[i].point->name, name))
			return &plan->choices[i];
	return NULL;
}

/*
 * Every point of the plan, in table order, chose kind through its first route; but sync, which
 * only fentry and kprobes reach: none on a kernel pretending to have neither.
 */
static void assert_all(const struct attach_plan *plan, enum probe_kind kind, const char *why)
{
	for (int i = 0; i < plan->nr_choices; i++) {
		const struct plan_choice *choice = &plan->choices[i];

		assert_ptr_equal(choice->point, &probe_points[i]);
		if (choice->point->routes[0].function) {
			assert_int_equal(i, SYNC_POINT);
			continue;
		}
		assert_int_equal(choice->kind, kind);
		assert_ptr_equal(choice->route, &probe_points[i].routes[0]);
		assert_false(choice->route->function);
		assert_string_equal(choice->why, why);
		for (int l = 0; l < MAX_ROUTE_TARGETS * 2; l++)
			assert_null(choice->links[l]);
	}
}

static void assert_none(const struct attach_plan *plan)
{
	for (int i = 0; i < plan->nr_choices; i++) {
		assert_int_equal(plan->choices[i].kind, KIND_NONE);
		assert_null(plan->choices[i].route);
	}
}

static const char *targets_of(const struct plan_choice *choice)
{
	static char buf[512];

	memset(buf, 'x', sizeof(buf));
	plan_choice_targets(choice, buf, sizeof(buf));
	return buf;
}

static void unmount_tracefs(void)
{
	umount(TRACEFS_PATH);
}

/* tracefs's events, mounted for the test where they are not (and only then unmounted). */
static bool tracefs_has_events(void)
{
	static bool mounted_here;

	if (!mounted_here && access(TRACEFS_PATH "/events", F_OK) &&
	    mount("tracefs", TRACEFS_PATH, "tracefs", 0, NULL) == 0) {
		mounted_here = true;
		atexit(unmount_tracefs);
	}
	return access(TRACEFS_PATH "/events", F_OK) == 0;
}

static void test_probe_kind_names(void **state)
{
	(void)state;
	assert_string_equal(probe_kind_name(KIND_TP_BTF), "tp_btf");
	assert_string_equal(probe_kind_name(KIND_RAW_TP), "raw_tp");
	assert_string_equal(probe_kind_name(KIND_CLASSIC), "classic");
	assert_string_equal(probe_kind_name(KIND_FENTRY), "fentry");
	assert_string_equal(probe_kind_name(KIND_KPROBE), "kprobe");
	assert_string_equal(probe_kind_name(KIND_NONE), "none");
}

static void test_probe_points_table(void **state)
{
	static const char *const names[NR_TOP_POINTS] = {
		"fault", "fault.extent", "mkwrite.xfs", "cow.start", "cow.end",
		"remap", "writeback",	 "sync",	"task",
	};
	const struct probe_point *sync = &probe_points[SYNC_POINT];
	const struct probe_point *cancel = &probe_points[NR_TOP_POINTS + 1];
	const struct probe_point *remap_call = &probe_points[NR_TOP_POINTS];
	const struct probe_point *mkwrite = &probe_points[2];
	const struct probe_point *devdax;

	(void)state;
	assert_int_equal(nr_probe_points, NR_TOP_POINTS + NR_REMAP_KIND_POINTS + NR_SHARE_POINTS +
						  NR_MAPUSE_POINTS + NR_COST_POINTS +
						  NR_DEVDAX_POINTS);
	/* a plan of every point (doctor's) fits: 16 did not, once remap.call joined */
	assert_true(nr_probe_points <= MAX_PLAN_POINTS);
	/* device DAX has no tracepoint: dev_dax_huge_fault, timed at its fentry */
	devdax = &probe_points[nr_probe_points - 1];
	assert_string_equal(devdax->name, "fault.devdax");
	assert_int_equal(devdax->users, USED_BY_DEVDAX);
	assert_true(devdax->quiet_when_none);
	/* no list read for it where the device DAX driver is absent, nor for sync's timing */
	assert_string_equal(devdax->routes[0].code_present, "/sys/bus/dax/drivers/device_dax");
	assert_true(devdax->routes[0].btf_suffices && sync->routes[0].btf_suffices);
	assert_true(devdax->routes[0].function);
	assert_string_equal(devdax->routes[0].targets[0], "dev_dax_huge_fault");
	assert_int_equal(devdax->routes[0].timing_targets, 1);
	/* syscalls:* exist in tracefs only */
	assert_string_equal(remap_call->name, "remap.call");
	assert_int_equal(remap_call->users, USED_BY_REMAP_KINDS);
	assert_true(remap_call->routes[0].classic_only);
	assert_string_equal(remap_call->routes[0].category, "syscalls");
	/* top shows no cancels: only cow attaches it */
	assert_string_equal(cancel->name, "cow.cancel");
	assert_int_equal(cancel->users, USED_BY_COW);
	/* no tracepoint reaches these: share's and mapuse's points are functions only */
	for (int i = NR_TOP_POINTS + NR_REMAP_KIND_POINTS;
	     i < nr_probe_points - NR_DEVDAX_POINTS - NR_COST_POINTS; i++) {
		bool share_only = i < NR_TOP_POINTS + NR_REMAP_KIND_POINTS + NR_SHARE_POINTS;

		assert_true(probe_points[i].routes[0].function);
		assert_int_equal(probe_points[i].required, share_only);
		assert_true(probe_points[i].users & (share_only ? USED_BY_SHARE : USED_BY_MAPUSE));
	}
	assert_string_equal(probe_points[NR_TOP_POINTS + NR_REMAP_KIND_POINTS + 2].context_for,
			    "share.disassoc");
	/* share's costs: timings only, in programs of their own (cost_<target>__<kind>) */
	for (int i = nr_probe_points - NR_DEVDAX_POINTS - NR_COST_POINTS;
	     i < nr_probe_points - NR_DEVDAX_POINTS; i++) {
		assert_memory_equal(probe_points[i].name, "cost.", 5);
		assert_int_equal(probe_points[i].users, USED_BY_SHARE_COSTS);
		assert_false(probe_points[i].required);
		assert_true(probe_points[i].timing_only && probe_points[i].quiet_when_none);
		for (int r = 0; r < MAX_ROUTES && probe_points[i].routes[r].targets[0]; r++) {
			assert_true(probe_points[i].routes[r].function);
			assert_string_equal(probe_points[i].routes[r].program_prefix, "cost_");
		}
	}
	for (int i = 0; i < NR_TOP_POINTS; i++) {
		assert_string_equal(probe_points[i].name, names[i]);
		assert_non_null(probe_points[i].feeds);
		assert_int_equal(probe_points[i].command_only, i == NR_TOP_POINTS - 1);
		assert_int_equal(probe_points[i].quiet_when_none, i == SYNC_POINT);
		if (i == SYNC_POINT)
			continue;
		/* the first route is tracepoints: the stable interface comes first */
		assert_false(probe_points[i].routes[0].function);
		assert_non_null(probe_points[i].routes[0].category);
	}
	/* no tracepoint brackets dax_finish_sync_fault: its fentry (kprobe) starts the timing */
	assert_true(sync->routes[0].function);
	assert_string_equal(sync->routes[0].targets[0], "dax_finish_sync_fault");
	assert_null(sync->routes[0].targets[1]);
	assert_int_equal(sync->routes[0].timing_targets, 1);
	assert_null(sync->routes[1].targets[0]);
	assert_string_equal(mkwrite->routes[0].targets[0], "xfs_write_fault");
	assert_null(mkwrite->routes[0].targets[1]);
	assert_string_equal(mkwrite->routes[1].targets[0], "xfs_filemap_fault");
	assert_true(mkwrite->routes[2].function);
	assert_string_equal(mkwrite->routes[2].targets[0], "xfs_filemap_page_mkwrite");
	assert_null(mkwrite->routes[3].targets[0]);
}

static void test_auto_btf(void **state)
{
	struct kernel_features f = btf_kernel();
	struct attach_plan plan;

	(void)state;
	memset(&plan, 0xff, sizeof(plan)); /* a used plan is reset */
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_AUTO, true, USED_BY_TOP), 0);
	assert_int_equal(plan.nr_choices, NR_TOP_POINTS);
	assert_int_equal(plan.nr_available, NR_TRACEPOINT_TOP);
	assert_all(&plan, KIND_TP_BTF, "");
	/* the host's plan: neither fentry nor kprobes, so sync cannot be timed, and says so */
	assert_int_equal(plan.choices[SYNC_POINT].kind, KIND_NONE);
	assert_string_equal(plan.choices[SYNC_POINT].why,
			    "dax_finish_sync_fault is reached by fentry or kprobe only, and this "
			    "kernel has neither");
	/* what doctor's verdicts name as the fix (engine/verdicts.c) */
	assert_int_equal(plan.choices[SYNC_POINT].cause, CAUSE_NO_FUNCTION_PROBES);
	assert_int_equal(plan.choices[0].cause, CAUSE_AVAILABLE);
	assert_string_equal(targets_of(&plan.choices[0]),
			    "dax_pte_fault+dax_pte_fault_done+dax_pmd_fault+dax_pmd_fault_done");
	assert_string_equal(targets_of(choice_named(&plan, "remap")),
			    "xfs_reflink_remap_range+xfs_reflink_unshare");
	assert_string_equal(targets_of(choice_named(&plan, "task")),
			    "sched_process_fork+sched_process_exit");
	release(&f);
}

static void test_without_command(void **state)
{
	struct kernel_features f = btf_kernel();
	struct attach_plan plan;

	(void)state;
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_AUTO, false, USED_BY_TOP), 0);
	assert_int_equal(plan.nr_choices, NR_TOP_POINTS - NR_COMMAND_ONLY);
	assert_int_equal(plan.nr_available, NR_TRACEPOINT_TOP - NR_COMMAND_ONLY);
	assert_all(&plan, KIND_TP_BTF, "");
	assert_null(choice_named(&plan, "task"));
	for (int i = 0; i < plan.nr_choices; i++)
		assert_false(plan.choices[i].point->command_only);
	assert_string_equal(plan.choices[plan.nr_choices - 1].point->name, "sync");
	release(&f);
}

/* syscalls:* have no raw tracepoint: never tp_btf or raw_tp, and nothing without tracefs. */
static void test_remap_call_classic_only(void **state)
{
	struct kernel_features f = btf_kernel();
	struct attach_plan plan;
	const struct plan_choice *call;

	(void)state;
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_AUTO, false, USED_BY_REMAP_KINDS),
			 0);
	assert_int_equal(plan.nr_choices, 1);
	call = choice_named(&plan, "remap.call");
	assert_non_null(call);
	assert_int_equal(call->kind, KIND_NONE);
	/* not the event's absence: tracefs, the one place it exists, is not there */
	assert_string_equal(call->why, "sys_enter_ioctl is a tracefs event, and tracefs is not "
				       "mounted on " TRACEFS_PATH);
	f.tracefs_err = EACCES;
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_AUTO, false, USED_BY_REMAP_KINDS),
			 0);
	assert_string_equal(
		choice_named(&plan, "remap.call")->why,
		"sys_enter_ioctl is a tracefs event, and cannot read tracefs (" TRACEFS_PATH
		": permission denied): run as root or with CAP_DAC_READ_SEARCH");
	f.tracefs_err = 0;
	f.tracefs = tracefs_has_events();
	assert_true(f.tracefs); /* mounted for the test if need be: this runs as root */
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_AUTO, false, USED_BY_REMAP_KINDS),
			 0);
	call = choice_named(&plan, "remap.call");
	assert_int_equal(call->kind, KIND_CLASSIC);
	release(&f);
}

static void test_mkwrite_xfs_write_fault(void **state)
{
	static const enum attach_family families[] = { FAMILY_AUTO, FAMILY_TP_BTF, FAMILY_RAW_TP,
						       FAMILY_TRACEPOINT };
	struct kernel_features f = btf_kernel();
	const struct plan_choice *mkwrite;
	struct attach_plan plan;

	(void)state;
	/* 6.13 split xfs_write_fault out of xfs_filemap_fault; 6.18 has only the new one */
	assert_true(tracepoint_in_btf("xfs_write_fault"));
	assert_false(tracepoint_in_btf("xfs_filemap_fault"));
	f.fentry = true;
	f.kprobes = true;
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		assert_int_equal(attach_plan_resolve(&plan, &f, families[i], false, USED_BY_TOP),
				 0);
		mkwrite = choice_named(&plan, "mkwrite.xfs");
		assert_non_null(mkwrite);
		assert_int_not_equal(mkwrite->kind, KIND_NONE);
		assert_ptr_equal(mkwrite->route, &mkwrite->point->routes[0]);
		assert_string_equal(targets_of(mkwrite), "xfs_write_fault");
	}
	release(&f);
}

static void test_raw_tp(void **state)
{
	struct kernel_features f = btf_kernel();
	struct attach_plan plan;

	(void)state;
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_RAW_TP, true, USED_BY_TOP), 0);
	assert_int_equal(plan.nr_choices, NR_TOP_POINTS);
	assert_int_equal(plan.nr_available, NR_TRACEPOINT_TOP);
	assert_all(&plan, KIND_RAW_TP, "");
	release(&f);
}

static void test_tp_btf_and_tracepoint(void **state)
{
	struct kernel_features f = btf_kernel();
	struct attach_plan plan;

	(void)state;
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_TP_BTF, true, USED_BY_TOP), 0);
	assert_int_equal(plan.nr_available, NR_TRACEPOINT_TOP);
	assert_all(&plan, KIND_TP_BTF, "");
	/* any tracepoint flavour: tp_btf first, and no fallback note */
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_TRACEPOINT, true, USED_BY_TOP), 0);
	assert_int_equal(plan.nr_available, NR_TRACEPOINT_TOP);
	assert_all(&plan, KIND_TP_BTF, "");
	release(&f);
}

static void test_auto_prefers_tracepoints(void **state)
{
	struct kernel_features f = btf_kernel();
	struct attach_plan plan;

	(void)state;
	/* fentry and kprobes working change nothing while the tracepoints are there */
	f.fentry = true;
	f.kprobes = true;
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_AUTO, true, USED_BY_TOP), 0);
	assert_int_equal(plan.nr_available, NR_TOP_POINTS);
	assert_all(&plan, KIND_TP_BTF, "");
	release(&f);
}

static void test_auto_without_vmlinux_btf(void **state)
{
	struct kernel_features f = btf_kernel();
	struct attach_plan plan;

	(void)state;
	/* tp_btf needs vmlinux BTF; raw_tp is next */
	f.vmlinux_btf = false;
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_AUTO, true, USED_BY_TOP), 0);
	assert_int_equal(plan.nr_available, NR_TRACEPOINT_TOP);
	assert_all(&plan, KIND_RAW_TP, "");
	release(&f);
}

static void test_tp_btf_unavailable(void **state)
{
	struct kernel_features f = btf_kernel();
	struct attach_plan plan;

	(void)state;
	f.vmlinux_btf = false;
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_TP_BTF, true, USED_BY_TOP), 0);
	assert_int_equal(plan.nr_choices, NR_TOP_POINTS);
	assert_int_equal(plan.nr_available, 0);
	assert_none(&plan);
	assert_string_equal(plan.choices[0].why,
			    "tp_btf route to dax_pte_fault not available on this kernel");
	assert_string_equal(choice_named(&plan, "mkwrite.xfs")->why,
			    "tp_btf route to xfs_write_fault not available on this kernel");
	assert_string_equal(targets_of(&plan.choices[0]), "");
	release(&f);
}

static void test_classic_without_tracefs(void **state)
{
	struct kernel_features f = btf_kernel();
	struct attach_plan plan;

	(void)state;
	f.tracefs = false;
	f.tracefs_err = EPERM;
	/* a forced family that cannot work at all fails, like fentry and kprobe, saying why */
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_CLASSIC, false, USED_BY_TOP), -1);
	release(&f);
}

static void test_classic_with_tracefs(void **state)
{
	struct kernel_features f = btf_kernel();
	struct attach_plan plan;

	(void)state;
	if (!tracefs_has_events()) {
		print_message("tracefs is not mounted: no %s/events\n", TRACEFS_PATH);
		skip();
	}
	f.tracefs = true;
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_CLASSIC, true, USED_BY_TOP), 0);
	assert_int_equal(plan.nr_available, NR_TRACEPOINT_TOP);
	assert_all(&plan, KIND_CLASSIC, "");
	release(&f);
}

static void test_kprobe_without_kprobes(void **state)
{
	struct kernel_features f = btf_kernel();
	struct attach_plan plan;

	(void)state;
	f.kprobes = false;
	f.fentry = true;
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_KPROBE, true, USED_BY_TOP), -1);
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_KPROBE, false, USED_BY_TOP), -1);
	release(&f);
}

static void test_fentry_without_fentry(void **state)
{
	struct kernel_features f = btf_kernel();
	struct attach_plan plan;

	(void)state;
	f.fentry = false;
	f.fentry_errno = EPERM;
	f.kprobes = true;
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_FENTRY, true, USED_BY_TOP), -1);
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_FENTRY, false, USED_BY_TOP), -1);
	release(&f);
}

/* Points with a function route take it; the others fall back to a tracepoint, with a note. */
static void assert_function_family(const struct attach_plan *plan, enum probe_kind kind,
				   enum probe_kind fallback_kind, const char *fallback_why)
{
	static const struct {
		const char *name;
		int route;
		const char *function;
	} function_points[] = {
		{ "fault", 1, "dax_iomap_fault" },
		{ "mkwrite.xfs", 2, "xfs_filemap_page_mkwrite" },
		{ "cow.end", 1, "xfs_reflink_end_cow" },
		{ "sync", 0, "dax_finish_sync_fault" },
	};
	static const char *const fallback_points[] = { "cow.start", "remap", "task" };

	assert_int_equal(plan->nr_available, plan->nr_choices);
	for (size_t i = 0; i < sizeof(function_points) / sizeof(function_points[0]); i++) {
		const struct plan_choice *c = choice_named(plan, function_points[i].name);

		assert_non_null(c);
		assert_int_equal(c->kind, kind);
		assert_ptr_equal(c->route, &c->point->routes[function_points[i].route]);
		assert_true(c->route->function);
		assert_string_equal(c->route->targets[0], function_points[i].function);
		assert_string_equal(c->why, "");
		assert_string_equal(targets_of(c), function_points[i].function);
	}
	for (size_t i = 0; i < sizeof(fallback_points) / sizeof(fallback_points[0]); i++) {
		const struct plan_choice *c = choice_named(plan, fallback_points[i]);

		if (!c) /* task without a command */
			continue;
		assert_int_equal(c->kind, fallback_kind);
		assert_ptr_equal(c->route, &c->point->routes[0]);
		assert_string_equal(c->why, fallback_why);
	}
}

static void test_fentry(void **state)
{
	struct kernel_features f = btf_kernel();
	struct attach_plan plan;

	(void)state;
	f.fentry = true;
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_FENTRY, true, USED_BY_TOP), 0);
	assert_int_equal(plan.nr_choices, NR_TOP_POINTS);
	assert_function_family(&plan, KIND_FENTRY, KIND_TP_BTF,
			       "no fentry route to this point; fell back to tp_btf");
	/* without vmlinux BTF the fallback is raw_tp, and the note says so */
	f.vmlinux_btf = false;
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_FENTRY, false, USED_BY_TOP), 0);
	assert_int_equal(plan.nr_choices, NR_TOP_POINTS - NR_COMMAND_ONLY);
	assert_function_family(&plan, KIND_FENTRY, KIND_RAW_TP,
			       "no fentry route to this point; fell back to raw_tp");
	release(&f);
}

static void test_kprobe(void **state)
{
	struct kernel_features f = btf_kernel();
	const struct plan_choice *fault;
	struct attach_plan plan;

	(void)state;
	f.kprobes = true;
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_KPROBE, true, USED_BY_TOP), 0);
	assert_int_equal(plan.nr_choices, NR_TOP_POINTS);
	assert_function_family(&plan, KIND_KPROBE, KIND_TP_BTF,
			       "no kprobe route to this point; fell back to tp_btf");
	fault = choice_named(&plan, "fault");
	assert_string_equal(fault->symbols[0], "dax_iomap_fault");
	release(&f);
}

/*
 * share on this host with kprobes pretended: dax_insert_entry is a symbol of its own, and
 * dax_disassociate_entry is inlined into its callers (6.18), so the census cannot run. No top
 * point is planned, and share.context (wanted only for a clone) is not either.
 */
static void test_share_points(void **state)
{
	struct kernel_features f = btf_kernel();
	const struct plan_choice *assoc, *disassoc;
	struct attach_plan plan;

	(void)state;
	f.kprobes = true;
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_KPROBE, false, USED_BY_SHARE), 0);
	/* assoc, disassoc, and for the model mapuse's fs_rmap and ->mapping readers */
	assert_int_equal(plan.nr_choices, 5);
	assert_null(choice_named(&plan, "cost.lock"));
	assert_false(choice_named(&plan, "mapuse.fs_rmap")->point->required);
	assert_false(choice_named(&plan, "mapuse.lock")->point->required);
	assert_false(choice_named(&plan, "mapuse.generic")->point->required);
	assoc = choice_named(&plan, "share.assoc");
	assert_int_equal(assoc->kind, KIND_KPROBE);
	assert_string_equal(assoc->symbols[0], "dax_insert_entry");
	assert_false(assoc->clone);
	assert_true(assoc->point->required);
	disassoc = choice_named(&plan, "share.disassoc");
	assert_int_equal(disassoc->kind, KIND_NONE);
	assert_string_equal(disassoc->why,
			    "kprobe route to dax_disassociate_entry not available on this kernel "
			    "(kprobe: no dax_disassociate_entry in kallsyms)");
	/* auto (kprobes, no fentry) has no way to it either: not the family's fault */
	assert_int_equal(disassoc->cause, CAUSE_NOT_IN_KERNEL);
	assert_null(choice_named(&plan, "share.context"));
	assert_null(choice_named(&plan, "fault"));
	/* with a command, the task point serves share too */
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_KPROBE, true, USED_BY_SHARE), 0);
	assert_non_null(choice_named(&plan, "task"));
	/* share itself adds its cost timings: none is required, each quiet when missing */
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_KPROBE, false,
					     USED_BY_SHARE | USED_BY_SHARE_COSTS),
			 0);
	assert_int_equal(plan.nr_choices, 10);
	assert_false(choice_named(&plan, "cost.lock")->point->required);
	/* the disassociation's return: no dax_disassociate_entry here, as for its entry */
	assert_int_equal(choice_named(&plan, "cost.disassoc")->kind, KIND_NONE);
	release(&f);
}

/*
 * share with kprobes pretended on a kernel without task storage (v5.11) or atomic fetch (v5.12),
 * as Debian's 5.10: its points are not planned, whatever the functions, and the plan says why.
 */
static void test_share_old_bpf(void **state)
{
	struct kernel_features f = btf_kernel();
	struct attach_plan plan;

	(void)state;
	f.kprobes = true;
	f.task_storage = f.atomic_fetch = false;
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_AUTO, false, USED_BY_SHARE), 0);
	assert_int_equal(choice_named(&plan, "share.assoc")->kind, KIND_NONE);
	assert_string_equal(choice_named(&plan, "share.assoc")->why,
			    "its programs need BPF task storage maps (v5.11) and atomic fetch "
			    "operations (v5.12), which this kernel lacks");
	f.task_storage = true; /* 5.11 */
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_AUTO, false, USED_BY_SHARE), 0);
	assert_string_equal(choice_named(&plan, "share.disassoc")->why,
			    "its programs need BPF atomic fetch operations (v5.12), which this "
			    "kernel lacks");
	assert_int_equal(choice_named(&plan, "share.disassoc")->cause, CAUSE_BPF_FEATURE);
	/* mapuse's point of the model needs neither */
	assert_null(strstr(choice_named(&plan, "mapuse.fs_rmap")->why, "need BPF"));
	release(&f);
}

/* On this host: the functions are there, but no function probe is: say that, not "missing". */
static void test_share_without_function_probes(void **state)
{
	struct kernel_features f = btf_kernel();
	struct attach_plan plan;

	(void)state;
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_AUTO, false, USED_BY_SHARE), 0);
	assert_int_equal(choice_named(&plan, "share.assoc")->kind, KIND_NONE);
	assert_string_equal(choice_named(&plan, "share.assoc")->why,
			    "dax_insert_entry is reached by fentry or kprobe only, and this kernel "
			    "has neither");
	assert_int_equal(choice_named(&plan, "share.assoc")->cause, CAUSE_NO_FUNCTION_PROBES);
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_TRACEPOINT, false, USED_BY_SHARE),
			 0);
	assert_string_equal(choice_named(&plan, "share.assoc")->why,
			    "dax_insert_entry is reached by fentry or kprobe only, and this kernel "
			    "has neither");
	f.kprobes = true; /* then it is the function that is missing (inlined on 6.18) */
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_AUTO, false, USED_BY_SHARE), 0);
	assert_string_equal(choice_named(&plan, "share.disassoc")->why,
			    "dax_disassociate_entry not available on this kernel "
			    "(kprobe: no dax_disassociate_entry in kallsyms)");
	/* A forced tracepoint family takes a function route where the point has no other. */
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_TRACEPOINT, false, USED_BY_SHARE),
			 0);
	assert_int_equal(choice_named(&plan, "share.assoc")->kind, KIND_KPROBE);
	assert_string_equal(choice_named(&plan, "share.assoc")->why,
			    "no tracepoint route to this point; fell back to kprobe");
	release(&f);
}

/* Made-up kernel lists: a file each, removed by remove_lists. */
struct fake_lists {
	char kallsyms[40], ftrace[40], blacklist[40];
};

/* A 7.x-like kernel: XFS a module, dax_disassociate_entry only as a clone. */
static const char fake_kallsyms[] = "ffffffff81000100 T dax_iomap_fault\n"
				    "ffffffff81000180 T dax_finish_sync_fault\n"
				    "ffffffff81000200 t dax_insert_entry\n"
				    "ffffffff81000300 t dax_disassociate_entry.isra.0\n"
				    "ffffffff81000400 t grab_mapping_entry\n"
				    "ffffffff81000500 t __dax_invalidate_entry\n"
				    "ffffffff81000600 T dax_delete_mapping_range\n"
				    "ffffffff81000700 T mf_dax_kill_procs\n"
				    "ffffffff81000800 T vfs_read\n"
				    "ffffffffc0001000 t xfs_filemap_page_mkwrite\t[xfs]\n"
				    "ffffffffc0001100 t xfs_reflink_end_cow\t[xfs]\n";
static const char fake_ftrace[] = "dax_iomap_fault\n"
				  "dax_finish_sync_fault\n"
				  "dax_insert_entry\n"
				  "dax_disassociate_entry.isra.0\n"
				  "grab_mapping_entry\n"
				  "__dax_invalidate_entry\n"
				  "dax_delete_mapping_range\n"
				  "vfs_read\n"
				  "xfs_filemap_page_mkwrite [xfs]\n"
				  "xfs_reflink_end_cow [xfs]\n";

static struct kernel_features fake_kernel(struct fake_lists *lists, const char *kallsyms,
					  const char *ftrace, const char *blacklist)
{
	struct kernel_features f = btf_kernel();

	f.kallsyms_list.path = NULL;
	memset(lists, 0, sizeof(*lists));
	if (kallsyms) {
		temp_file_write(lists->kallsyms, kallsyms);
		f.kallsyms_list.path = lists->kallsyms;
	}
	if (ftrace) {
		temp_file_write(lists->ftrace, ftrace);
		f.ftrace_list.path = lists->ftrace;
	}
	if (blacklist) {
		temp_file_write(lists->blacklist, blacklist);
		f.blacklist_list.path = lists->blacklist;
	}
	return f;
}

static void remove_lists(struct fake_lists *lists)
{
	if (lists->kallsyms[0])
		unlink(lists->kallsyms);
	if (lists->ftrace[0])
		unlink(lists->ftrace);
	if (lists->blacklist[0])
		unlink(lists->blacklist);
}

/* Every target passes the three checks: kallsyms, the blacklist, available_filter_functions. */
/*
 * Where tp_btf, raw_tp and fentry runs can be preempted (7.2: lazy), auto takes kprobes first,
 * then classic tracepoints, and only then a preemptible kind, saying so.
 */
static void test_preemptible_auto_takes_kprobes(void **state)
{
	static const char *const with_kprobe[] = { "fault", "mkwrite.xfs", "cow.end" };
	struct fake_lists lists;
	struct kernel_features f = fake_kernel(&lists, fake_kallsyms, fake_ftrace, "");
	const struct plan_choice *c;
	struct attach_plan plan;

	(void)state;
	f.kprobes = true;
	f.fentry = true;
	f.tracefs = false; /* no classic: the rest falls back to tp_btf */
	f.preempt.model = PREEMPT_MODEL_LAZY;
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_AUTO, false, USED_BY_TOP), 0);
	for (size_t i = 0; i < sizeof(with_kprobe) / sizeof(with_kprobe[0]); i++) {
		c = choice_named(&plan, with_kprobe[i]);
		assert_int_equal(c->kind, KIND_KPROBE);
		assert_true(c->route->function);
		assert_string_equal(c->why, "");
	}
	c = choice_named(&plan, "fault.extent");
	assert_int_equal(c->kind, KIND_TP_BTF);
	assert_string_equal(c->why, "tp_btf programs can be preempted here (preemption model "
				    "lazy): runs the kernel skips are counted as lost");
	/* the same kernel with preemption off: tp_btf, the cheapest, and no note */
	f.preempt.model = PREEMPT_MODEL_VOLUNTARY;
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_AUTO, false, USED_BY_TOP), 0);
	assert_int_equal(choice_named(&plan, "fault")->kind, KIND_TP_BTF);
	assert_string_equal(choice_named(&plan, "fault")->why, "");
	/* a forced kind is what it says, preemptible or not */
	f.preempt.model = PREEMPT_MODEL_FULL;
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_TP_BTF, false, USED_BY_TOP), 0);
	assert_int_equal(choice_named(&plan, "fault")->kind, KIND_TP_BTF);
	release(&f);
	remove_lists(&lists);
}

/* Points with no kprobe route take classic tracepoints, in auto and in --attach=kprobe. */
static void test_preemptible_auto_takes_classic(void **state)
{
	struct fake_lists lists;
	struct kernel_features f = fake_kernel(&lists, fake_kallsyms, fake_ftrace, "");
	struct attach_plan plan;

	(void)state;
	if (!tracefs_has_events()) {
		print_message("tracefs is not mounted: no %s/events\n", TRACEFS_PATH);
		skip();
	}
	f.kprobes = true;
	f.tracefs = true;
	f.preempt.model = PREEMPT_MODEL_LAZY;
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_AUTO, true, USED_BY_TOP), 0);
	assert_int_equal(choice_named(&plan, "fault")->kind, KIND_KPROBE);
	assert_int_equal(choice_named(&plan, "fault.extent")->kind, KIND_CLASSIC);
	assert_int_equal(choice_named(&plan, "task")->kind, KIND_CLASSIC);
	assert_string_equal(choice_named(&plan, "task")->why, "");
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_KPROBE, true, USED_BY_TOP), 0);
	assert_int_equal(choice_named(&plan, "fault.extent")->kind, KIND_CLASSIC);
	assert_string_equal(choice_named(&plan, "fault.extent")->why,
			    "no kprobe route to this point; fell back to classic");
	release(&f);
	remove_lists(&lists);
}

static void test_kprobe_targets_checked(void **state)
{
	struct fake_lists lists;
	struct kernel_features f =
		fake_kernel(&lists, fake_kallsyms, fake_ftrace, "0x0-0x0\tnmi_handle\n");
	const struct plan_choice *c;
	struct attach_plan plan;

	(void)state;
	f.kprobes = true;
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_KPROBE, false, USED_BY_TOP), 0);
	assert_function_family(&plan, KIND_KPROBE, KIND_TP_BTF,
			       "no kprobe route to this point; fell back to tp_btf");
	/* available_filter_functions names the functions and their clones: no kallsyms needed */
	assert_true(f.ftrace_list.tried && f.blacklist_list.tried);
	assert_false(f.kallsyms_list.tried);
	assert_int_equal(f.ftrace.nr, 10);
	assert_int_equal(f.blacklist.nr, 1);
	/* share: the clone is probed, and share.context supplies the file */
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_AUTO, false, USED_BY_SHARE), 0);
	c = choice_named(&plan, "share.disassoc");
	assert_int_equal(c->kind, KIND_KPROBE);
	assert_true(c->clone);
	assert_string_equal(targets_of(c), "dax_disassociate_entry.isra.0");
	c = choice_named(&plan, "share.context");
	assert_non_null(c);
	assert_int_equal(c->kind, KIND_KPROBE);
	assert_string_equal(targets_of(c),
			    "grab_mapping_entry+__dax_invalidate_entry+dax_delete_mapping_range");
	/* in kallsyms, not in available_filter_functions: kallsyms is read to tell */
	c = choice_named(&plan, "mapuse.fs_rmap");
	assert_int_equal(c->kind, KIND_NONE);
	assert_string_equal(c->why, "mf_dax_kill_procs not available on this kernel (kprobe: "
				    "mf_dax_kill_procs not in available_filter_functions)");
	assert_int_equal(f.kallsyms_list.err, 0);
	assert_int_equal(f.own_kallsyms.nr, 11);
	/* read once: the files are gone, the lists stay */
	remove_lists(&lists);
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_AUTO, false, USED_BY_SHARE), 0);
	assert_int_equal(choice_named(&plan, "share.disassoc")->kind, KIND_KPROBE);
	assert_int_equal(choice_named(&plan, "share.context")->kind, KIND_KPROBE);
	release(&f);
	assert_int_equal(f.own_kallsyms.nr, 0);
	assert_int_equal(f.ftrace.nr, 0);
	assert_false(f.kallsyms_list.tried);
}

/* Which check made each target unavailable, in the words doctor prints. */
static void test_kprobe_target_refused(void **state)
{
	static const char blacklist[] =
		"0xffffffffc0001100-0xffffffffc0001180\txfs_reflink_end_cow [xfs]\n";
	struct fake_lists lists;
	struct kernel_features f = fake_kernel(&lists,
					       "ffffffff81000100 t dax_iomap_fault\n"
					       "ffffffffc0001100 t xfs_reflink_end_cow\t[xfs]\n",
					       "xfs_reflink_end_cow [xfs]\n", blacklist);
	struct attach_plan plan;

	(void)state;
	f.kprobes = true;
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_KPROBE, false, USED_BY_TOP), 0);
	assert_string_equal(choice_named(&plan, "fault")->why,
			    "kprobe route to dax_iomap_fault not available on this kernel "
			    "(kprobe: dax_iomap_fault not in available_filter_functions)");
	assert_string_equal(choice_named(&plan, "mkwrite.xfs")->why,
			    "kprobe route to xfs_filemap_page_mkwrite not available on this kernel "
			    "(kprobe: no xfs_filemap_page_mkwrite in kallsyms)");
	assert_string_equal(choice_named(&plan, "cow.end")->why,
			    "kprobe route to xfs_reflink_end_cow not available on this kernel "
			    "(kprobe: xfs_reflink_end_cow in the kprobe blacklist)");
	assert_string_equal(choice_named(&plan, "sync")->why,
			    "kprobe route to dax_finish_sync_fault not available on this kernel "
			    "(kprobe: no dax_finish_sync_fault in kallsyms)");
	for (int i = 0; i < 4; i++)
		assert_int_equal(plan.choices[i == 0 ? 0 :
					      i == 1 ? 2 :
					      i == 2 ? 4 :
						       SYNC_POINT]
					 .kind,
				 KIND_NONE);
	assert_int_equal(plan.nr_available, plan.nr_choices - 4);
	remove_lists(&lists);
	release(&f);
}

/* A list that cannot be read is not checked; kallsyms that cannot be read means no kprobe. */
static void test_kprobe_lists_unreadable(void **state)
{
	struct fake_lists lists;
	struct kernel_features f = fake_kernel(&lists, fake_kallsyms, NULL, NULL);
	struct attach_plan plan;

	(void)state;
	f.kprobes = true;
	f.blacklist_list.path = "/nonexistent/kprobes/blacklist"; /* debugfs not mounted */
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_KPROBE, false, USED_BY_TOP), 0);
	assert_function_family(&plan, KIND_KPROBE, KIND_TP_BTF,
			       "no kprobe route to this point; fell back to tp_btf");
	assert_int_equal(f.ftrace_list.err, -ENOENT);
	assert_int_equal(f.blacklist_list.err, -ENOENT);
	remove_lists(&lists);
	release(&f);

	/* available_filter_functions is enough without kallsyms */
	f = fake_kernel(&lists, NULL, fake_ftrace, NULL);
	f.kprobes = true;
	f.kallsyms_list.path = "/nonexistent/kallsyms";
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_KPROBE, false, USED_BY_TOP), 0);
	assert_function_family(&plan, KIND_KPROBE, KIND_TP_BTF,
			       "no kprobe route to this point; fell back to tp_btf");
	assert_false(f.kallsyms_list.tried);
	remove_lists(&lists);
	release(&f);

	/* neither: no kprobe target can be found */
	f = fake_kernel(&lists, NULL, NULL, NULL);
	f.kprobes = true;
	f.kallsyms_list.path = "/nonexistent/kallsyms";
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_KPROBE, false, USED_BY_TOP), 0);
	assert_string_equal(choice_named(&plan, "fault")->why,
			    "kprobe route to dax_iomap_fault not available on this kernel "
			    "(kprobe: cannot read kallsyms (No such file or directory))");
	assert_int_equal(plan.nr_available,
			 plan.nr_choices - 4); /* fault, mkwrite, cow.end, sync */
	release(&f);
}

/*
 * fentry per target on this host's BTF (dax_iomap_fault is in it, dax_disassociate_entry is
 * inlined on 6.18), against made-up lists.
 */
static void test_fentry_targets_checked(void **state)
{
	struct fake_lists lists;
	struct kernel_features f =
		fake_kernel(&lists, NULL, "xfs_filemap_page_mkwrite\nxfs_reflink_end_cow\n", NULL);
	struct attach_plan plan;

	(void)state;
	f.fentry = true;
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_FENTRY, false, USED_BY_TOP), 0);
	assert_string_equal(choice_named(&plan, "fault")->why,
			    "fentry route to dax_iomap_fault not available on this kernel "
			    "(fentry: dax_iomap_fault not in available_filter_functions)");
	assert_int_equal(choice_named(&plan, "mkwrite.xfs")->kind, KIND_FENTRY);
	assert_int_equal(choice_named(&plan, "cow.end")->kind, KIND_FENTRY);
	/* tried only to tell a missing function from a notrace one: here it cannot be read */
	assert_int_equal(f.kallsyms_list.err, -ENOENT);
	/* not in BTF: said before any list is read; which BTF depends on the module BTFs */
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_FENTRY, false, USED_BY_SHARE), 0);
	assert_string_equal(choice_named(&plan, "share.disassoc")->why,
			    "fentry route to dax_disassociate_entry not available on this kernel "
			    "(fentry: dax_disassociate_entry not in vmlinux BTF (and no module "
			    "has BTF))");
	f.module_btfs = 2;
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_FENTRY, false, USED_BY_SHARE), 0);
	assert_string_equal(choice_named(&plan, "share.disassoc")->why,
			    "fentry route to dax_disassociate_entry not available on this kernel "
			    "(fentry: dax_disassociate_entry not in vmlinux or module BTF)");
	/* both kinds tried: each says what it found */
	f.kprobes = true;
	f.kallsyms_list = (struct kernel_list){ .path = KALLSYMS_PATH }; /* this host's, unread */
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_AUTO, false, USED_BY_SHARE), 0);
	assert_string_equal(choice_named(&plan, "share.disassoc")->why,
			    "dax_disassociate_entry not available on this kernel (fentry: "
			    "dax_disassociate_entry not in vmlinux or module BTF; kprobe: no "
			    "dax_disassociate_entry in kallsyms)");
	remove_lists(&lists);
	release(&f);

	/* without available_filter_functions, kallsyms says whether the function exists */
	f = fake_kernel(&lists, "ffffffff81000100 t xfs_reflink_end_cow\n", NULL, NULL);
	f.fentry = true;
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_FENTRY, false, USED_BY_TOP), 0);
	assert_string_equal(choice_named(&plan, "fault")->why,
			    "fentry route to dax_iomap_fault not available on this kernel "
			    "(fentry: no dax_iomap_fault in kallsyms)");
	assert_int_equal(choice_named(&plan, "cow.end")->kind, KIND_FENTRY);
	remove_lists(&lists);
	release(&f);
}

/*
 * The host's way: no fentry, no kprobes: no list is read, so start-up pays nothing for the
 * function checks. With them, the tracepoint points still take tracepoints, and top's sync
 * (dax_finish_sync_fault has no tracepoint, and feeds a timing only) takes fentry on its BTF
 * FUNC alone: still no list read (0.6 s at every start under TCG on 6.1, before).
 */
static void test_no_lists_read_without_function_routes(void **state)
{
	struct fake_lists lists;
	struct kernel_features f = fake_kernel(&lists, fake_kallsyms, fake_ftrace, "");
	struct attach_plan plan;

	(void)state;
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_AUTO, true, USED_BY_ALL), 0);
	assert_false(f.kallsyms_list.tried || f.ftrace_list.tried || f.blacklist_list.tried);
	f.kprobes = true;
	f.fentry = true;
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_AUTO, true, USED_BY_TOP), 0);
	assert_int_equal(plan.nr_available, NR_TOP_POINTS);
	for (int i = 0; i < plan.nr_choices; i++)
		assert_int_equal(plan.choices[i].kind, i == SYNC_POINT ? KIND_FENTRY : KIND_TP_BTF);
	assert_false(f.kallsyms_list.tried || f.ftrace_list.tried || f.blacklist_list.tried);
	remove_lists(&lists);
	release(&f);
}

/*
 * Attach failures, with the real BPF object opened but not loaded: libbpf refuses to attach a
 * program that has no fd (EINVAL), which is what a refused attach looks like to the plan.
 */
static void test_optional_point_degrades(void **state)
{
	struct kernel_features f = btf_kernel();
	struct daxtrace_bpf *skel = daxtrace_bpf__open();
	const struct plan_choice *c;
	struct plan_misses misses;
	struct attach_plan plan;

	(void)state;
	assert_non_null(skel);
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_AUTO, false, USED_BY_TOP), 0);
	assert_int_equal(attach_plan_apply(&plan, skel->obj), 0);
	assert_int_equal(plan.nr_available, NR_TRACEPOINT_TOP - NR_COMMAND_ONLY);
	/* every point optional: each becomes unavailable, with the attach that failed */
	assert_int_equal(attach_plan_attach(&plan, skel->obj), 0);
	assert_int_equal(plan.nr_available, 0);
	assert_int_equal(plan.nr_choices, NR_TOP_POINTS - NR_COMMAND_ONLY);
	assert_none(&plan);
	c = choice_named(&plan, "fault");
	assert_string_equal(c->why, "attaching dax_pte_fault__tp_btf to dax_pte_fault (tp_btf) "
				    "failed: Invalid argument");
	assert_string_equal(targets_of(c), "");
	for (int i = 0; i < plan.nr_choices; i++)
		for (int l = 0; l < MAX_ROUTE_TARGETS * 2; l++)
			assert_null(plan.choices[i].links[l]);
	attach_plan_misses(&plan, skel->obj, &misses);
	assert_int_equal(misses.total.lost, 0);
	assert_int_equal(misses.total.lat_samples_lost, 0);
	attach_plan_detach(&plan);
	daxtrace_bpf__destroy(skel);
	release(&f);
}

/* A required point that does not attach stops the command; the points before it stay. */
static void test_required_point_stops(void **state)
{
	struct kernel_features f = btf_kernel();
	struct daxtrace_bpf *skel = daxtrace_bpf__open();
	struct probe_point required;
	struct attach_plan plan;

	(void)state;
	assert_non_null(skel);
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_AUTO, false, USED_BY_TOP), 0);
	assert_int_equal(attach_plan_apply(&plan, skel->obj), 0);
	required = *plan.choices[1].point; /* fault.extent, made required */
	required.required = true;
	plan.choices[1].point = &required;
	assert_int_equal(attach_plan_attach(&plan, skel->obj), -1);
	assert_int_equal(plan.choices[0].kind, KIND_NONE); /* fault: optional, degraded first */
	assert_int_equal(plan.choices[1].kind,
			 KIND_TP_BTF); /* left as planned: the command stops */
	assert_int_equal(plan.choices[2].kind, KIND_TP_BTF); /* not reached */
	assert_int_equal(plan.nr_available, NR_TRACEPOINT_TOP - NR_COMMAND_ONLY - 1);
	attach_plan_detach(&plan);
	daxtrace_bpf__destroy(skel);
	release(&f);
}

/* What attach does to a point that fails: kind none, no route, the reason, one fewer. */
static void test_attach_plan_unavailable(void **state)
{
	struct kernel_features f = btf_kernel();
	struct attach_plan plan;
	struct plan_choice *c;

	(void)state;
	f.kprobes = true;
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_KPROBE, false, USED_BY_TOP), 0);
	c = &plan.choices[0];
	assert_string_equal(c->symbols[0], "dax_iomap_fault");
	attach_plan_unavailable(&plan, c, "attaching it failed: Device or resource busy");
	assert_int_equal(c->kind, KIND_NONE);
	assert_int_equal(c->cause, CAUSE_ATTACH_FAILED);
	assert_null(c->route);
	assert_string_equal(c->symbols[0], "");
	assert_string_equal(c->why, "attaching it failed: Device or resource busy");
	assert_int_equal(plan.nr_available, plan.nr_choices - 1);
	/* twice is once */
	attach_plan_unavailable(&plan, c, "again");
	assert_int_equal(plan.nr_available, plan.nr_choices - 1);
	assert_string_equal(c->why, "again");
	release(&f);
}

static void test_choice_targets_truncated(void **state)
{
	struct kernel_features f = btf_kernel();
	struct attach_plan plan;
	char buf[16];

	(void)state;
	assert_int_equal(attach_plan_resolve(&plan, &f, FAMILY_AUTO, false, USED_BY_TOP), 0);
	memset(buf, 'x', sizeof(buf));
	plan_choice_targets(&plan.choices[0], buf, sizeof(buf));
	assert_string_equal(buf, "dax_pte_fault+d");
	memset(buf, 'x', sizeof(buf));
	plan_choice_targets(&plan.choices[0], buf, 1);
	assert_string_equal(buf, "");
	assert_int_equal(buf[1], 'x');
	release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe_kind_names),
		cmocka_unit_test(test_probe_points_table),
		cmocka_unit_test(test_share_points),
		cmocka_unit_test(test_share_without_function_probes),
		cmocka_unit_test(test_auto_btf),
		cmocka_unit_test(test_without_command),
		cmocka_unit_test(test_remap_call_classic_only),
		cmocka_unit_test(test_mkwrite_xfs_write_fault),
		cmocka_unit_test(test_raw_tp),
		cmocka_unit_test(test_tp_btf_and_tracepoint),
		cmocka_unit_test(test_auto_prefers_tracepoints),
		cmocka_unit_test(test_auto_without_vmlinux_btf),
		cmocka_unit_test(test_tp_btf_unavailable),
		cmocka_unit_test(test_classic_without_tracefs),
		cmocka_unit_test(test_classic_with_tracefs),
		cmocka_unit_test(test_kprobe_without_kprobes),
		cmocka_unit_test(test_fentry_without_fentry),
		cmocka_unit_test(test_fentry),
		cmocka_unit_test(test_kprobe),
		cmocka_unit_test(test_choice_targets_truncated),
		cmocka_unit_test(test_kprobe_targets_checked),
		cmocka_unit_test(test_kprobe_target_refused),
		cmocka_unit_test(test_kprobe_lists_unreadable),
		cmocka_unit_test(test_fentry_targets_checked),
		cmocka_unit_test(test_no_lists_read_without_function_routes),
		cmocka_unit_test(test_preemptible_auto_takes_kprobes),
		cmocka_unit_test(test_preemptible_auto_takes_classic),
		cmocka_unit_test(test_optional_point_degrades),
		cmocka_unit_test(test_required_point_stops),
		cmocka_unit_test(test_share_old_bpf),
		cmocka_unit_test(test_attach_plan_unavailable),
	};
	struct kernel_features none = { 0 };
	int failed;

	failed = cmocka_run_group_tests_name("attach_plan", tests, NULL, NULL);
	kernel_features_release(&none); /* frees the kernel BTF the plan loaded */
	return failed;
}
