/* SPDX-License-Identifier: GPL-2.0 */
/* What this kernel offers to a tracer, found by asking it, never by its version number. */
#ifndef DAXTRACE_KERNEL_PROBE_H
#define DAXTRACE_KERNEL_PROBE_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/kernel_btf.h"

#define TRACEFS_PATH "/sys/kernel/tracing"
#define BPFFS_PATH "/sys/fs/bpf"

struct kernel_features {
	char release[65];
	bool vmlinux_btf;
	int module_btfs; /* module BTF files found under /sys/kernel/btf */
	bool tracefs; /* mounted (possibly by us, see tracefs_mounted_by_us) */
	bool tracefs_mounted_by_us;
	bool bpffs;
	bool kprobes; /* the kprobe perf PMU exists */
	bool fentry; /* a trivial fentry program loads and attaches */
	int fentry_errno;
};

/* Fills *f. mount_tracefs: mount tracefs if absent (classic tracepoints need it). */
void kernel_features_probe(struct kernel_features *f, bool mount_tracefs);

/*
 * The function's text symbol in /proc/kallsyms, for kprobes: the name itself, else a compiler
 * clone "name.isra.N" / "name.constprop.N" (the whole function under another name, e.g.
 * dax_disassociate_entry.isra.0 on 7.x). Copies the symbol found into symbol.
 */
bool kallsyms_find(const char *name, char *symbol, size_t size);

/* tracefs has events/<category>/<name> (classic tracepoints). */
bool tracepoint_in_tracefs(const char *category, const char *name);

/* Unmounts tracefs if kernel_features_probe mounted it, and frees the cached BTF. */
void kernel_features_release(struct kernel_features *f);

#endif /* DAXTRACE_KERNEL_PROBE_H */
