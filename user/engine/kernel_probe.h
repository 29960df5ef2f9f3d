/* SPDX-License-Identifier: GPL-2.0 */
/* What this kernel offers to a tracer, found by asking it, never by its version number. */
#ifndef DAXTRACE_KERNEL_PROBE_H
#define DAXTRACE_KERNEL_PROBE_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/kernel_btf.h"
#include "engine/ksyms.h"
#include "engine/preempt_model.h"

#define TRACEFS_PATH "/sys/kernel/tracing"
#define BPFFS_PATH "/sys/fs/bpf"
#define KALLSYMS_PATH "/proc/kallsyms"
#define FTRACE_FUNCTIONS_PATH TRACEFS_PATH "/available_filter_functions"
#define KPROBE_BLACKLIST_PATH "/sys/kernel/debug/kprobes/blacklist"

/* A list of the kernel's, read at most once: when a check first needs it. */
struct kernel_list {
	const char *path; /* NULL: not consulted */
	bool tried;
	int err; /* 0 once read, else the -errno of the read */
};

struct kernel_features {
	char release[65];
	bool vmlinux_btf;
	int module_btfs; /* module BTF files found under /sys/kernel/btf */
	bool tracefs; /* mounted (possibly by us, see tracefs_mounted_by_us) and readable */
	bool tracefs_mounted_by_us;
	/*
	 * Why not tracefs: ENOENT not mounted (and no mount tried), EPERM the mount was refused
	 * (it needs CAP_SYS_ADMIN), EACCES mounted and unreadable (0700 root by default).
	 */
	int tracefs_err;
	bool bpffs;
	bool kprobes; /* the kprobe perf PMU exists */
	bool fentry; /* a trivial fentry program loads and attaches (to vfs_read) */
	int fentry_errno;
	/*
	 * BPF features, each found by a probe (never by the version): task storage maps (v5.11,
	 * "bpf: Implement task local storage") and atomic fetch operations (v5.12, "bpf: Add
	 * BPF_FETCH field / create atomic_fetch_add instruction"), which share's programs use
	 * (probe_point bpf_needs), and pointer arguments of global functions (v5.12, "bpf: Support
	 * pointers in global func args"; without them the engine turns global functions static
	 * before load, see global_funcs.h).
	 */
	bool ringbuf; /* BPF ring buffer (v5.8): every command's object has one, the oldest need */
	bool task_storage;
	bool atomic_fetch;
	bool global_func_ptr_args;
	struct preempt_info preempt; /* whether tp_btf, raw_tp and fentry runs can be preempted */
	/*
	 * The function lists behind the per-target checks of fentry and kprobe routes. Each is
	 * read once, and only when a function route is considered on a kernel that has fentry or
	 * kprobes: on the host (neither), none is ever read. kallsyms goes into *kallsyms, which
	 * a session points at its own table, so that its stack names and vmemmap_base come from
	 * the same one read.
	 */
	struct kernel_list kallsyms_list, ftrace_list, blacklist_list;
	struct ksym_table *kallsyms; /* NULL: own_kallsyms */
	struct ksym_table own_kallsyms;
	struct name_set ftrace; /* available_filter_functions */
	const char *ftrace_cache_path; /* where ftrace is kept between runs; NULL: nowhere */
	struct name_set blacklist; /* kprobes/blacklist */
	bool may_mount_tracefs; /* for available_filter_functions, unmounted right after */
};

/*
 * Fills *f (before any list is read: it starts them anew). mount_tracefs: mount tracefs if
 * absent (classic tracepoints need it).
 */
void kernel_features_probe(struct kernel_features *f, bool mount_tracefs);

/* /proc/kallsyms, read on the first call; NULL if it cannot be (kallsyms_list.err). */
const struct ksym_table *kernel_kallsyms(struct kernel_features *f);

/*
 * tracefs available_filter_functions, read on the first call (tracefs mounted meanwhile if it
 * is not and may_mount_tracefs); NULL if it cannot be (ftrace_list.err).
 */
const struct name_set *kernel_ftrace_functions(struct kernel_features *f);

/*
 * debugfs kprobes/blacklist, read on the first call; NULL if it cannot be (blacklist_list.err:
 * debugfs is not mounted, or lockdown hides it). daxtrace does not mount debugfs: the kernel
 * then refuses a blacklisted kprobe at attach, and the point degrades (see attach_plan.h).
 */
const struct name_set *kernel_kprobe_blacklist(struct kernel_features *f);

/* Why classic tracepoints cannot be used (f->tracefs_err), and what to do, into buf. */
void tracefs_problem(const struct kernel_features *f, char *buf, size_t size);

/* tracefs has events/<category>/<name> (classic tracepoints). */
bool tracepoint_in_tracefs(const char *category, const char *name);

/* Unmounts tracefs if kernel_features_probe mounted it, frees the cached BTF and the lists. */
void kernel_features_release(struct kernel_features *f);

#endif /* DAXTRACE_KERNEL_PROBE_H */
