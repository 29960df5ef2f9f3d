// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "engine/attach_plan.h"
#include "engine/attach_plan_internal.h"

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
static bool fentry_target_available(const struct probe_route *route, const char *target,
				    struct kernel_features *features,
				    struct plan_failures *failures)
{
	const struct name_set *ftrace;
	const struct ksym_table *kallsyms;

	if (!function_in_btf(target))
		return fail(failures, KIND_FENTRY, CHECK_NOT_IN_BTF, target, NULL);
	if (function_takes_struct_by_value(target) && !trampoline_takes_struct_args())
		return fail(failures, KIND_FENTRY, CHECK_STRUCT_ARG, target, NULL);
	if (route->btf_suffices)
		return true;
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
	case CHECK_STRUCT_ARG:
		snprintf(buf, size,
			 "%s takes a struct by value, which fentry reaches from v6.1 (\"bpf: Allow "
			 "struct argument in trampoline based programs\")",
			 target);
		break;
	case CHECK_PASSED:
		buf[0] = '\0';
		break;
	}
}

bool plan_target_available(enum probe_kind kind, const struct probe_route *route,
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
		return features->fentry &&
		       fentry_target_available(route, target, features, failures);
	case KIND_KPROBE:
		return features->kprobes &&
		       kprobe_target_available(target, features, symbol, symbol_size, failures);
	default:
		return false;
	}
}

/* " (fentry: ...; kprobe: ...)": what each function kind tried found, or "". */
void plan_append_failures(char *buf, size_t size, const struct plan_failures *failures,
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
				 n++ ? "; " : " (", probe_kind_name(kind), reason);
	}
	if (n && used < size)
		snprintf(buf + used, size - used, ")");
}
