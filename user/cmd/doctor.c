// SPDX-License-Identifier: GPL-2.0
/* daxtrace doctor: what this kernel lets daxtrace count, through which probe, and what not. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/commands.h"
#include "cmd/doctor_pmem.h"
#include "engine/attach_plan.h"
#include "engine/capabilities.h"
#include "engine/kernel_probe.h"
#include "engine/lockdown.h"
#include "engine/mounts.h"
#include "engine/options.h"
#include "engine/report_error.h"
#include "engine/verdicts.h"
#include "cmd/reflink_note.h"
#include "output/json_writer.h"
#include "output/text_escape.h"

struct doctor_report {
	struct kernel_features features;
	struct attach_plan plan;
	struct mount_table mounts;
	struct doctor_pmem pmem;
	enum lockdown_mode lockdown;
	struct reflink_note no_reflink; /* what cow and share will say at start */
	struct command_verdict verdicts[NR_VERDICT_COMMANDS];
};

static void doctor_usage(FILE *out, void *ctx)
{
	(void)ctx;
	fprintf(out,
		"Usage: daxtrace doctor [--attach FAMILY] [-j]\n"
		"Prints the attach plan for this kernel: which probe feeds every counter, or why\n"
		"it cannot; BTF, kprobes, fentry, tracefs, bpffs, pmem devices and DAX mounts.\n\n" ATTACH_OPTS_HELP
			JSON_OPTS_HELP HELP_OPTS_HELP);
}

static size_t kallsyms_read(const struct kernel_features *f)
{
	return (f->kallsyms ? f->kallsyms : &f->own_kallsyms)->nr;
}

/* A function list's entries, or -1 when it was not read (not needed) or could not be. */
static long long list_entries(const struct kernel_list *list, size_t nr)
{
	return list->tried && !list->err ? (long long)nr : -1;
}

static void json_list(struct json_writer *w, const char *key, const struct kernel_list *list,
		      size_t nr)
{
	json_key(w, key);
	if (list_entries(list, nr) < 0)
		json_null(w);
	else
		json_uint(w, nr);
}

/* The kinds whose programs this model can preempt mid-run: their skipped runs are lost. */
static const enum probe_kind preemptible_kinds[] = { KIND_TP_BTF, KIND_RAW_TP, KIND_FENTRY };

static void json_preemption(struct json_writer *w, const struct preempt_info *p)
{
	bool preempts = preempt_model_preempts_bpf(p->model);

	json_key(w, "preemption");
	json_object_begin(w);
	json_kv_string(w, "model", preempt_model_name(p->model));
	json_kv_string(w, "source", preempt_source_name(p->source));
	json_key(w, "preemptible_kinds");
	json_array_begin(w);
	for (size_t k = 0; preempts && k < sizeof(preemptible_kinds) / sizeof(preemptible_kinds[0]);
	     k++)
		json_string(w, probe_kind_name(preemptible_kinds[k]));
	json_array_end(w);
	json_object_end(w);
}

static void print_preemption(const struct preempt_info *p)
{
	printf("preemption  %s (%s): ", preempt_model_name(p->model),
	       preempt_source_name(p->source));
	if (preempt_model_preempts_bpf(p->model))
		printf("tp_btf, raw_tp and fentry programs can be preempted, and a preempted one "
		       "skips its next runs on that CPU; kprobe and classic cannot: auto takes "
		       "them first\n");
	else
		printf("no BPF program is preempted\n");
}

static void verdicts_json(struct json_writer *w, const struct command_verdict *verdicts)
{
	json_key(w, "verdicts");
	json_array_begin(w);
	for (int i = 0; i < NR_VERDICT_COMMANDS; i++) {
		const struct command_verdict *v = &verdicts[i];

		json_object_begin(w);
		json_kv_string(w, "command", v->command);
		json_kv_string(w, "verdict", verdict_level_name(v->level));
		json_key(w, "missing_points");
		json_array_begin(w);
		for (int p = 0; p < v->nr_points; p++)
			json_string(w, v->points[p]);
		json_array_end(w);
		json_kv_string(w, "why", v->why[0] ? v->why : NULL);
		json_kv_string(w, "fix", v->fix[0] ? v->fix : NULL);
		json_object_end(w);
	}
	json_array_end(w);
}

static void doctor_json(const struct doctor_report *r)
{
	const struct kernel_features *f = &r->features;
	struct json_writer *w = json_writer_new(stdout);
	char tracefs[200];

	if (!w)
		return;
	tracefs_problem(f, tracefs, sizeof(tracefs));
	json_object_begin(w);
	json_kv_string(w, "kernel", r->features.release);
	json_kv_bool(w, "btf", r->features.vmlinux_btf);
	json_kv_uint(w, "module_btfs", r->features.module_btfs);
	/* mounted by the system; doctor mounts it meanwhile as the sessions would */
	json_kv_bool(w, "tracefs", r->features.tracefs && !r->features.tracefs_mounted_by_us);
	json_kv_string(w, "tracefs_problem", r->features.tracefs ? NULL : tracefs);
	json_kv_string(w, "lockdown", lockdown_name(r->lockdown));
	json_kv_string(w, "lockdown_consequence", lockdown_consequence(r->lockdown));
	json_kv_bool(w, "bpffs", r->features.bpffs);
	json_kv_bool(w, "kprobes", r->features.kprobes);
	json_kv_bool(w, "fentry", r->features.fentry);
	json_preemption(w, &f->preempt);
	json_kv_bool(w, "supported", f->vmlinux_btf && f->ringbuf);
	json_key(w, "bpf_features");
	json_object_begin(w);
	json_kv_bool(w, "ringbuf", f->ringbuf);
	json_kv_bool(w, "task_storage", f->task_storage);
	json_kv_bool(w, "atomic_fetch", f->atomic_fetch);
	json_kv_bool(w, "global_func_ptr_args", f->global_func_ptr_args);
	json_object_end(w);
	/* what the function routes' targets were checked against (null: not read, or unreadable) */
	json_key(w, "function_lists");
	json_object_begin(w);
	json_list(w, "kallsyms", &f->kallsyms_list, kallsyms_read(f));
	json_list(w, "available_filter_functions", &f->ftrace_list, f->ftrace.nr);
	json_list(w, "kprobe_blacklist", &f->blacklist_list, f->blacklist.nr);
	json_object_end(w);
	doctor_pmem_json(w, &r->pmem, &r->mounts);
	json_key(w, "dax_mounts");
	json_array_begin(w);
	for (int i = 0; i < r->mounts.nr; i++)
		if (r->mounts.entries[i].dax)
			json_string(w, r->mounts.entries[i].mount_point);
	json_array_end(w);
	reflink_note_json(w, &r->no_reflink);
	json_key(w, "plan");
	json_array_begin(w);
	for (int i = 0; i < r->plan.nr_choices; i++) {
		const struct plan_choice *c = &r->plan.choices[i];
		char targets[512];

		plan_choice_targets(c, targets, sizeof(targets));
		json_object_begin(w);
		json_kv_string(w, "point", c->point->name);
		json_kv_string(w, "feeds", c->point->feeds);
		json_kv_string(w, "kind", probe_kind_name(c->kind));
		json_kv_string(w, "targets", c->kind == KIND_NONE ? NULL : targets);
		json_kv_string(w, "note", c->why[0] ? c->why : NULL);
		json_object_end(w);
	}
	json_array_end(w);
	verdicts_json(w, r->verdicts);
	json_object_end(w);
	json_writer_free(w);
}

/* The VERDICTS table: the verdict with spaces, then why and fix on lines of their own. */
static void verdicts_text(const struct command_verdict *verdicts)
{
	printf("\n%-9s %-13s %s\n", "COMMAND", "VERDICT", "WHY / FIX");
	for (int i = 0; i < NR_VERDICT_COMMANDS; i++) {
		const struct command_verdict *v = &verdicts[i];
		char level[16];

		snprintf(level, sizeof(level), "%s", verdict_level_name(v->level));
		for (char *c = level; *c; c++)
			*c = *c == '_' ? ' ' : *c;
		printf("%-9s %-13s %s\n", v->command, level, v->why[0] ? v->why : "-");
		if (v->fix[0])
			printf("%-23s fix: %s\n", "", v->fix);
	}
}

static const char *yes_no(bool yes)
{
	return yes ? "yes" : "no";
}

/* "N functions", or why the list was not read and what that leaves unchecked. */
static void print_list(const char *label, const struct kernel_list *list, size_t nr,
		       const char *unit, const char *unchecked)
{
	printf("%-11s ", label);
	if (!list->tried)
		printf("not read (no function route needed it)\n");
	else if (!list->err)
		printf("%zu %s\n", nr, unit);
	else
		printf("cannot read %s (%s): %s\n", list->path ? list->path : "it",
		       strerror(-list->err), unchecked);
}

static void doctor_text(const struct doctor_report *r)
{
	const struct kernel_features *f = &r->features;
	char tracefs[200];
	int width = 0, n = 0;

	tracefs_problem(f, tracefs, sizeof(tracefs));
	printf("kernel      %s\n", f->release);
	printf("btf         %s (vmlinux), %d module BTFs\n", yes_no(f->vmlinux_btf),
	       f->module_btfs);
	printf("tracefs     %s\n",
	       f->tracefs_mounted_by_us ?
		       "not mounted (mounted on demand: --attach=classic, snoop, cow)" :
	       f->tracefs ? "mounted" :
			    tracefs);
	printf("lockdown    %s: %s\n", lockdown_name(r->lockdown),
	       lockdown_consequence(r->lockdown));
	printf("bpffs       %s\n", f->bpffs ? "mounted" : "not mounted (not needed)");
	printf("kprobes     %s\n", yes_no(f->kprobes));
	printf("fentry      %s%s%s%s\n", yes_no(f->fentry), f->fentry ? "" : " (",
	       f->fentry ? "" : strerror(f->fentry_errno), f->fentry ? "" : ")");
	print_preemption(&f->preempt);
	printf("bpf         ring buffer %s, task storage %s, atomic fetch %s, global function "
	       "pointer arguments %s\n",
	       yes_no(f->ringbuf), yes_no(f->task_storage), yes_no(f->atomic_fetch),
	       yes_no(f->global_func_ptr_args));
	/* The floor, by what every command loads (README.md "Kernels"); found, not by version. */
	if (!f->vmlinux_btf || !f->ringbuf)
		printf("support     this kernel is older than daxtrace supports: it needs vmlinux BTF "
		       "and the BPF ring buffer (5.8 at least; 5.10 is the oldest tested)\n");
	print_list("kallsyms", &f->kallsyms_list, kallsyms_read(f), "symbols",
		   "no kprobe target can be found");
	print_list("ftrace", &f->ftrace_list, f->ftrace.nr, "functions ftrace can trace",
		   "targets not checked against it");
	print_list("blacklist", &f->blacklist_list, f->blacklist.nr, "functions kprobes refuse",
		   "not checked; the kernel refuses a blacklisted kprobe at attach, and the point "
		   "is then unavailable");
	printf("dax mounts  ");
	for (int i = 0; i < r->mounts.nr; i++)
		if (r->mounts.entries[i].dax) {
			fputs(n++ ? ", " : "", stdout);
			text_print(stdout, r->mounts.entries[i].mount_point, 0, 0);
			printf(" (%s)", r->mounts.entries[i].fs_type);
		}
	printf("%s\n", n ? "" : "none");
	doctor_pmem_text(&r->pmem, &r->mounts);
	reflink_note_text(stdout, &r->no_reflink);
	/* the longest point name sets the column (share.disassoc, 14) */
	for (int i = 0; i < r->plan.nr_choices; i++)
		if ((int)strlen(r->plan.choices[i].point->name) > width)
			width = strlen(r->plan.choices[i].point->name);
	printf("\n%-*s %-8s %s\n", width, "POINT", "KIND", "TARGETS / FEEDS");
	for (int i = 0; i < r->plan.nr_choices; i++) {
		const struct plan_choice *c = &r->plan.choices[i];
		char targets[512];

		plan_choice_targets(c, targets, sizeof(targets));
		printf("%-*s %-8s %s\n%-*s -> %s\n", width, c->point->name,
		       probe_kind_name(c->kind), c->kind == KIND_NONE ? "-" : targets, width + 9,
		       "", c->point->feeds);
		if (c->why[0])
			printf("%-*s    %s\n", width + 9, "", c->why);
	}
	verdicts_text(r->verdicts);
}

int cmd_doctor(int argc, char **argv)
{
	/* no filters, no -- CMD and no -v (no session, no libbpf log): doctor traces nothing */
	static const struct option long_opts[] = {
		{ "attach", required_argument, NULL, OPT_ATTACH },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		VERSION_LONG_OPT,
		{},
	};
	struct common_opts opts = {};
	char missing[32];
	static struct doctor_report report; /* 64 pmem devices: not on the stack */
	int status;

	if (command_opts_parse(&(struct command_opts_spec){ .short_opts = "",
							    .long_opts = long_opts,
							    .common = &opts,
							    .usage = doctor_usage,
							    .common_short_opts = PLAN_SHORT_OPTS },
			       argc, argv))
		return EXIT_USAGE;
	if (opts.command) {
		usage_error("doctor runs no command: it reports on this kernel only");
		return EXIT_USAGE;
	}

	/*
	 * Like the sessions: tracefs is mounted where it is not, and only meanwhile (classic
	 * tracepoints, and the syscall events of snoop and cow, exist only there).
	 */
	kernel_features_probe(&report.features, true);
	if (attach_plan_resolve(&report.plan, &report.features, opts.family, true, USED_BY_ALL)) {
		kernel_features_release(&report.features);
		return EXIT_RUNTIME;
	}
	mount_table_load(&report.mounts, "/proc/self/mountinfo");
	doctor_pmem_read(&report.pmem, "/sys");
	reflink_note_begin(&report.no_reflink, &report.mounts, NULL, NULL);
	report.lockdown = lockdown_read(LOCKDOWN_PATH);
	verdicts_compute(
		&(struct verdict_inputs){
			.plan = &report.plan,
			.missing_caps =
				has_bpf_capabilities(missing, sizeof(missing)) ? NULL : missing,
			.vmlinux_btf = report.features.vmlinux_btf,
			.ringbuf = report.features.ringbuf },
		report.verdicts);
	if (opts.json)
		doctor_json(&report);
	else
		doctor_text(&report);
	status = report.plan.nr_available ? EXIT_OK : EXIT_RUNTIME;
	if (flush_output(stdout))
		status = EXIT_RUNTIME;
	mount_table_free(&report.mounts);
	kernel_features_release(&report.features);
	return status;
}
