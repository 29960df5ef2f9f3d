// SPDX-License-Identifier: GPL-2.0
/* doctor's verdicts on synthetic plans: which commands work, partly, or cannot run, and why. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "engine/verdicts.h"

enum { TOP, LAT, SNOOP, COW, SHARE, MAPUSE, EXPORTER, RECORD };

static const struct probe_point points[] = {
	{ .name = "fault" }, /* top's (users 0) */
	{ .name = "sync" },
	{ .name = "fault.devdax", .users = USED_BY_DEVDAX },
	{ .name = "cow.cancel", .users = USED_BY_COW },
	{ .name = "share.assoc", .users = USED_BY_SHARE, .required = true },
	{ .name = "mapuse.lock", .users = USED_BY_MAPUSE },
	{ .name = "task", .users = USED_BY_ALL, .command_only = true },
};
enum { FAULT, SYNC, DEVDAX, CANCEL, ASSOC, LOCK, TASK, NR_POINTS };

/* Every point available (tp_btf), then the causes given per point (CAUSE_AVAILABLE: kept). */
static struct attach_plan plan_with(const enum none_cause causes[NR_POINTS])
{
	struct attach_plan plan = { .nr_choices = NR_POINTS };

	for (int i = 0; i < NR_POINTS; i++) {
		plan.choices[i].point = &points[i];
		plan.choices[i].cause = causes[i];
		plan.choices[i].kind = causes[i] == CAUSE_AVAILABLE ? KIND_TP_BTF : KIND_NONE;
		plan.nr_available += plan.choices[i].kind != KIND_NONE;
	}
	return plan;
}

static void verdicts_for(const struct attach_plan *plan, const char *missing_caps,
			 struct command_verdict v[NR_VERDICT_COMMANDS])
{
	verdicts_compute(&(struct verdict_inputs){ .plan = plan,
						   .missing_caps = missing_caps,
						   .vmlinux_btf = true,
						   .ringbuf = true },
			 v);
}

#define FUNCTIONS_ONLY "reached by kprobe or fentry only, and this kernel has neither"
#define FUNCTIONS_FIX                                           \
	"kprobes (CONFIG_KPROBES) or fentry (BPF trampolines, " \
	"CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS)"

static void test_all_available(void **state)
{
	struct attach_plan plan = plan_with((enum none_cause[NR_POINTS]){});
	struct command_verdict v[NR_VERDICT_COMMANDS];
	static const char *const names[] = { "top",   "lat",	"snoop",    "cow",
					     "share", "mapuse", "exporter", "record" };

	(void)state;
	verdicts_for(&plan, NULL, v);
	for (int i = 0; i < NR_VERDICT_COMMANDS; i++) {
		assert_string_equal(v[i].command, names[i]);
		assert_int_equal(v[i].level, VERDICT_WORKS);
		assert_int_equal(v[i].nr_points, 0);
		assert_string_equal(v[i].why, "");
		assert_string_equal(v[i].fix, "");
	}
	assert_string_equal(verdict_level_name(VERDICT_WORKS), "works");
	assert_string_equal(verdict_level_name(VERDICT_PARTLY), "works_partly");
	assert_string_equal(verdict_level_name(VERDICT_CANNOT), "cannot_run");
}

/*
 * The 6.18 host: tracepoints only. No device DAX driver either: fault.devdax is CAUSE_NO_CODE
 * there in the guests, which leaves nothing uncounted, so it is not named.
 */
static void test_tracepoints_only(void **state)
{
	struct attach_plan plan =
		plan_with((enum none_cause[NR_POINTS]){ [SYNC] = CAUSE_NO_FUNCTION_PROBES,
							[DEVDAX] = CAUSE_NO_CODE,
							[ASSOC] = CAUSE_NO_FUNCTION_PROBES,
							[LOCK] = CAUSE_NO_FUNCTION_PROBES });
	struct command_verdict v[NR_VERDICT_COMMANDS];

	(void)state;
	verdicts_for(&plan, NULL, v);
	for (int i = TOP; i <= SNOOP; i++) {
		assert_int_equal(v[i].level, VERDICT_PARTLY);
		assert_int_equal(v[i].nr_points, 1);
		assert_string_equal(v[i].points[0], "sync");
		assert_string_equal(v[i].why, "sync: " FUNCTIONS_ONLY);
		assert_string_equal(v[i].fix, FUNCTIONS_FIX);
	}
	assert_int_equal(v[SHARE].level, VERDICT_CANNOT);
	assert_string_equal(v[SHARE].points[0], "share.assoc");
	assert_string_equal(v[SHARE].why,
			    "share.assoc: " FUNCTIONS_ONLY ": it cannot run without them");
	assert_int_equal(v[MAPUSE].level, VERDICT_CANNOT);
	assert_string_equal(v[MAPUSE].why,
			    "none of its probe points exists: mapuse.lock: " FUNCTIONS_ONLY);
	assert_string_equal(v[MAPUSE].fix, FUNCTIONS_FIX);
	/* a service and a recording go on without what is required elsewhere */
	assert_int_equal(v[EXPORTER].level, VERDICT_PARTLY);
	assert_int_equal(v[RECORD].level, VERDICT_PARTLY);
	assert_int_equal(v[RECORD].nr_points, 3);
	assert_string_equal(v[RECORD].why, "sync, share.assoc, mapuse.lock: " FUNCTIONS_ONLY);
}

/* Two causes: grouped per cause in why, their fixes each once. */
static void test_causes_grouped(void **state)
{
	struct attach_plan plan =
		plan_with((enum none_cause[NR_POINTS]){ [SYNC] = CAUSE_NO_FUNCTION_PROBES,
							[CANCEL] = CAUSE_FAMILY,
							[TASK] = CAUSE_NO_TRACEFS });
	struct command_verdict v[NR_VERDICT_COMMANDS];

	(void)state;
	verdicts_for(&plan, NULL, v);
	assert_int_equal(v[COW].level, VERDICT_PARTLY);
	assert_int_equal(v[COW].nr_points, 3);
	assert_string_equal(v[COW].why, "sync: " FUNCTIONS_ONLY
					"; task: a tracefs event, and tracefs cannot be read"
					"; cow.cancel: the --attach family given has no way to it");
	assert_string_equal(v[COW].fix, FUNCTIONS_FIX "; tracefs mounted (mount -t tracefs "
						      "nodev /sys/kernel/tracing); --attach auto");
	/* top has no cow.cancel */
	assert_int_equal(v[TOP].nr_points, 2);
}

/* Only -- CMD's process tree left: nothing to count, as session_open refuses. */
static void test_nothing_but_task(void **state)
{
	struct attach_plan plan =
		plan_with((enum none_cause[NR_POINTS]){ [FAULT] = CAUSE_NOT_IN_KERNEL,
							[SYNC] = CAUSE_NOT_IN_KERNEL,
							[DEVDAX] = CAUSE_NO_CODE });
	struct command_verdict v[NR_VERDICT_COMMANDS];

	(void)state;
	verdicts_for(&plan, NULL, v);
	assert_int_equal(v[TOP].level, VERDICT_CANNOT);
	assert_string_equal(v[TOP].why, "none of its probe points exists: fault, sync: not in "
					"this kernel (tracepoint or function missing)");
	assert_string_equal(v[TOP].fix, "");
	assert_int_equal(v[COW].level, VERDICT_PARTLY); /* cow.cancel */
}

/* What session_open refuses before it plans: every command, whatever the plan. */
static void test_refused_before_plan(void **state)
{
	struct attach_plan plan = plan_with((enum none_cause[NR_POINTS]){});
	struct command_verdict v[NR_VERDICT_COMMANDS];

	(void)state;
	verdicts_for(&plan, "CAP_PERFMON", v);
	for (int i = 0; i < NR_VERDICT_COMMANDS; i++) {
		assert_int_equal(v[i].level, VERDICT_CANNOT);
		assert_string_equal(v[i].why,
				    "needs CAP_BPF and CAP_PERFMON (or root), lacks CAP_PERFMON");
		assert_string_equal(v[i].fix, "run as root, or grant CAP_BPF and CAP_PERFMON");
	}
	verdicts_compute(&(struct verdict_inputs){ .plan = &plan, .ringbuf = true }, v);
	assert_int_equal(v[RECORD].level, VERDICT_CANNOT);
	assert_string_equal(v[RECORD].fix, "a kernel built with CONFIG_DEBUG_INFO_BTF");
	verdicts_compute(&(struct verdict_inputs){ .plan = &plan, .vmlinux_btf = true }, v);
	assert_int_equal(v[EXPORTER].level, VERDICT_CANNOT);
	assert_string_equal(v[EXPORTER].why, "no BPF ring buffer");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_available),	    cmocka_unit_test(test_tracepoints_only),
		cmocka_unit_test(test_causes_grouped),	    cmocka_unit_test(test_nothing_but_task),
		cmocka_unit_test(test_refused_before_plan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
