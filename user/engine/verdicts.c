// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "engine/verdicts.h"

/* Each command's points and how its session treats a missing one (each command's session_setup). */
static const struct verdict_command {
	const char *name;
	unsigned int users;
	bool none_required; /* a service or a recording: serves with whatever attaches */
} verdict_commands[NR_VERDICT_COMMANDS] = {
	{ .name = "top", .users = USED_BY_TOP | USED_BY_DEVDAX },
	{ .name = "lat", .users = USED_BY_TOP | USED_BY_DEVDAX },
	{ .name = "snoop", .users = USED_BY_TOP | USED_BY_DEVDAX | USED_BY_REMAP_KINDS },
	{ .name = "cow", .users = USED_BY_TOP | USED_BY_REMAP_KINDS | USED_BY_COW },
	{ .name = "share", .users = USED_BY_SHARE },
	{ .name = "mapuse", .users = USED_BY_MAPUSE },
	/* without --share, which adds share's points (and their verdict) */
	{ .name = "exporter", .users = USED_BY_TOP | USED_BY_REMAP_KINDS, .none_required = true },
	{ .name = "record", .users = USED_BY_ALL & ~USED_BY_SHARE_COSTS, .none_required = true },
};

/* Per cause: what it means, and what would bring the point back ("" when nothing would). */
static const struct {
	const char *means;
	const char *fix;
} causes[] = {
	[CAUSE_NO_FUNCTION_PROBES] = { "reached by kprobe or fentry only, and this kernel has "
				       "neither",
				       "kprobes (CONFIG_KPROBES) or fentry (BPF trampolines, "
				       "CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS)" },
	[CAUSE_BPF_FEATURE] = { "needs BPF task storage and atomic fetch", "kernel 5.12 or later" },
	[CAUSE_NO_TRACEFS] = { "a tracefs event, and tracefs cannot be read",
			       "tracefs mounted (mount -t tracefs nodev /sys/kernel/tracing)" },
	[CAUSE_BTF_TYPE] = { "reads a module's type, and the module has no BTF",
			     "module BTF (CONFIG_DEBUG_INFO_BTF_MODULES, 5.11), or XFS built in" },
	[CAUSE_NO_CODE] = { "its driver is not loaded", "the driver's module loaded" },
	[CAUSE_FAMILY] = { "the --attach family given has no way to it", "--attach auto" },
	[CAUSE_NOT_IN_KERNEL] = { "not in this kernel (tracepoint or function missing)", "" },
	[CAUSE_ATTACH_FAILED] = { "the kernel refused its attach", "" },
};

const char *verdict_level_name(enum verdict_level level)
{
	switch (level) {
	case VERDICT_WORKS:
		return "works";
	case VERDICT_PARTLY:
		return "works_partly";
	case VERDICT_CANNOT:
		return "cannot_run";
	}
	return "?";
}

static void append(char *buf, const char *sep, const char *text)
{
	size_t used = strlen(buf);

	if (!text[0])
		return;
	snprintf(buf + used, MAX_VERDICT_TEXT - used, "%s%s", used ? sep : "", text);
}

/* The session's refusals before any plan (session_open): no point matters then. */
static bool refused_before_plan(const struct verdict_inputs *in, struct command_verdict *v)
{
	if (in->missing_caps) {
		snprintf(v->why, sizeof(v->why),
			 "needs CAP_BPF and CAP_PERFMON (or root), lacks %s", in->missing_caps);
		snprintf(v->fix, sizeof(v->fix), "run as root, or grant CAP_BPF and CAP_PERFMON");
	} else if (!in->vmlinux_btf) {
		snprintf(v->why, sizeof(v->why), "no kernel BTF: CO-RE programs cannot load");
		snprintf(v->fix, sizeof(v->fix), "a kernel built with CONFIG_DEBUG_INFO_BTF");
	} else if (!in->ringbuf) {
		snprintf(v->why, sizeof(v->why), "no BPF ring buffer");
		snprintf(v->fix, sizeof(v->fix), "kernel 5.8 or later (5.10 is the oldest tested)");
	} else {
		return false;
	}
	v->level = VERDICT_CANNOT;
	return true;
}

/*
 * Lists the points of the command (users) that are none and matter (required ones when
 * required), grouped by cause in why: "a, b: means; c: means", with their fixes in fix.
 */
static int gather(const struct verdict_inputs *in, const struct verdict_command *cmd, bool required,
		  struct command_verdict *v)
{
	const struct attach_plan *plan = in->plan;

	for (size_t cause = CAUSE_AVAILABLE + 1; cause < sizeof(causes) / sizeof(causes[0]);
	     cause++) {
		char names[MAX_VERDICT_TEXT] = "";

		for (int i = 0; i < plan->nr_choices; i++) {
			const struct plan_choice *c = &plan->choices[i];
			unsigned int users = c->point->users ? c->point->users : USED_BY_TOP;

			if (!(users & cmd->users) || c->kind != KIND_NONE ||
			    (unsigned int)c->cause != cause ||
			    required != (c->point->required && !cmd->none_required))
				continue;
			/* no device DAX driver, no device DAX to count: nothing is missed */
			if (c->cause == CAUSE_NO_CODE && !required)
				continue;
			append(names, ", ", c->point->name);
			v->points[v->nr_points++] = c->point->name;
		}
		if (!names[0])
			continue;
		append(names, ": ", causes[cause].means);
		append(v->why, "; ", names);
		if (!strstr(v->fix, causes[cause].fix))
			append(v->fix, "; ", causes[cause].fix);
	}
	return v->nr_points;
}

/* A point other than -- CMD's process tree is there: the session has something to count. */
static bool counts_anything(const struct attach_plan *plan, unsigned int cmd_users)
{
	for (int i = 0; i < plan->nr_choices; i++) {
		const struct plan_choice *c = &plan->choices[i];
		unsigned int users = c->point->users ? c->point->users : USED_BY_TOP;

		if ((users & cmd_users) && c->kind != KIND_NONE && !c->point->command_only)
			return true;
	}
	return false;
}

static void verdict_compute(const struct verdict_inputs *in, const struct verdict_command *cmd,
			    struct command_verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->command = cmd->name;
	if (refused_before_plan(in, v))
		return;
	if (gather(in, cmd, true, v)) {
		v->level = VERDICT_CANNOT;
		append(v->why, "", ": it cannot run without them");
		return;
	}
	if (!counts_anything(in->plan, cmd->users)) {
		char missing[MAX_VERDICT_TEXT];

		v->level = VERDICT_CANNOT;
		gather(in, cmd, false, v);
		memcpy(missing, v->why, sizeof(missing));
		v->why[0] = '\0';
		append(v->why, "", "none of its probe points exists: ");
		append(v->why, "", missing);
		return;
	}
	v->level = gather(in, cmd, false, v) ? VERDICT_PARTLY : VERDICT_WORKS;
}

void verdicts_compute(const struct verdict_inputs *in,
		      struct command_verdict verdicts[NR_VERDICT_COMMANDS])
{
	for (int i = 0; i < NR_VERDICT_COMMANDS; i++)
		verdict_compute(in, &verdict_commands[i], &verdicts[i]);
}
