/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's preemption model, and which BPF program kinds it can preempt mid-run.
 *
 * A tp_btf, raw_tp or fentry program runs with migration disabled but preemption on when the
 * model is full, lazy or rt. Preempted on a CPU, it blocks the next run of itself there
 * (recursion protection is per program and per CPU): the kernel skips that run and counts it
 * in recursion_misses, and its event is never counted. Debian's 7.2 runs "full (lazy)" by
 * default: six processes faulting on two vCPUs lost 15-23 % of their faults through tp_btf.
 * kprobe programs run from an int3 or ftrace handler with preemption off, and classic
 * tracepoint programs from perf's tracepoint handler, which disables preemption itself
 * (include/trace/perf.h) where the tracepoint no longer does (2026, "tracing: Guard
 * __DECLARE_TRACE() use of __DO_TRACE_CALL() with SRCU-fast"): neither can be preempted, on
 * any model. Measured on 7.2 (tests/e2e/vm/concurrency-suite.sh): tp_btf and raw_tp lost
 * 2,800-4,500 of 12,288 faults, classic and kprobe none.
 */
#ifndef DAXTRACE_PREEMPT_MODEL_H
#define DAXTRACE_PREEMPT_MODEL_H

#include <stdbool.h>
#include <stddef.h>

enum preempt_model {
	PREEMPT_MODEL_UNKNOWN,
	PREEMPT_MODEL_NONE,
	PREEMPT_MODEL_VOLUNTARY,
	PREEMPT_MODEL_FULL,
	PREEMPT_MODEL_LAZY,
	PREEMPT_MODEL_RT,
};

/* Where the model was read, most exact first. */
enum preempt_source {
	PREEMPT_FROM_NOWHERE,
	PREEMPT_FROM_DEBUGFS, /* sched/preempt: the model in force (PREEMPT_DYNAMIC, v5.12) */
	PREEMPT_FROM_CMDLINE, /* preempt=: the boot choice of a PREEMPT_DYNAMIC kernel */
	PREEMPT_FROM_CONFIG, /* /proc/config.gz or /boot/config-RELEASE: the build's default */
	PREEMPT_FROM_UNAME, /* uname -v: "PREEMPT_RT", or "PREEMPT" of a static build */
};

struct preempt_info {
	enum preempt_model model;
	enum preempt_source source;
};

#define PREEMPT_CONFIG_PATHS 2

/* The files read, so that tests can give made-up ones. */
struct preempt_paths {
	const char *debugfs; /* /sys/kernel/debug/sched/preempt */
	const char *cmdline; /* /proc/cmdline */
	const char *configs[PREEMPT_CONFIG_PATHS]; /* /proc/config.gz, /boot/config-RELEASE */
	const char *uname_version; /* uname -v's text itself, not a path */
};

/* "none voluntary (full) lazy": the model in parentheses. */
enum preempt_model preempt_model_from_debugfs(const char *text);

/* The last preempt= of a command line (the kernel takes the last). */
enum preempt_model preempt_model_from_cmdline(const char *text);

/* A kernel config's default model: CONFIG_PREEMPT_RT, _LAZY, CONFIG_PREEMPT, ... =y. */
enum preempt_model preempt_model_from_config(const char *text);

/* uname -v: PREEMPT_RT, PREEMPT_LAZY, or PREEMPT without PREEMPT_DYNAMIC (static builds). */
enum preempt_model preempt_model_from_uname(const char *version);

/* The model in force, from the most exact source that answers. */
void preempt_model_detect(struct preempt_info *info, const struct preempt_paths *paths);

/* This machine's files. */
void preempt_model_detect_here(struct preempt_info *info, const char *release);

const char *preempt_model_name(enum preempt_model model);
const char *preempt_source_name(enum preempt_source source);

/*
 * Whether tp_btf, raw_tp and fentry programs can be preempted mid-run. An unknown model
 * counts as preemptible: the routes chosen then (kprobe, classic) lose nothing on any model.
 */
bool preempt_model_preempts_bpf(enum preempt_model model);

#endif /* DAXTRACE_PREEMPT_MODEL_H */
