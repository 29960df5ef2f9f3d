/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Between attach_plan.c, which chooses a route and kind per point, and plan_targets.c, which
 * checks one target against this kernel and says why it failed. Not for the commands.
 */
#ifndef DAXTRACE_ATTACH_PLAN_INTERNAL_H
#define DAXTRACE_ATTACH_PLAN_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/attach_plan.h"

/* The check a function target failed. */
enum target_check {
	CHECK_PASSED,
	CHECK_NOT_IN_BTF, /* fentry: no FUNC of that name in vmlinux or module BTF */
	CHECK_NOT_TRACEABLE, /* not in available_filter_functions */
	CHECK_NO_SYMBOL, /* not in kallsyms (inlined, renamed, or not in this kernel) */
	CHECK_NO_KALLSYMS, /* kallsyms could not be read */
	CHECK_BLACKLISTED, /* in the kprobe blacklist */
	CHECK_STRUCT_ARG, /* fentry: takes a struct by value, and the trampoline cannot (< 6.1) */
};

/* Why each function kind of a point could not be used: the first target that failed. */
struct plan_failures {
	struct {
		enum target_check check;
		const char *target;
		char symbol[128]; /* the name checked: a kprobe's may be a clone */
	} kind[NR_PROBE_KINDS];
	const char *missing_type; /* a route's btf_type, not in the kernel's BTF */
	const char *missing_code; /* a route's code_present path, missing */
};

/* Whether the target can be reached by kind; a kprobe's symbol is the kallsyms name. */
bool plan_target_available(enum probe_kind kind, const struct probe_route *route,
			   const char *target, struct kernel_features *features, char *symbol,
			   size_t symbol_size, struct plan_failures *failures);

/* Appends the checks that refused a point's targets, per function kind, to its why. */
void plan_append_failures(char *buf, size_t size, const struct plan_failures *failures,
			  struct kernel_features *features);

#endif /* DAXTRACE_ATTACH_PLAN_INTERNAL_H */
