// SPDX-License-Identifier: GPL-2.0
/*
 * DAX page faults: one count per DAX fault-handler invocation, sized PTE or PMD, with the
 * VM_FAULT_* result decoded (dt_fault_counters) and the handler's latency from the fs_dax
 * entry tracepoint to its *_fault_done twin.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "account.bpf.h"
#include "filter.bpf.h"
#include "probe.bpf.h"

struct dax_fault {
	__u32 dev;
	__u64 ino;
	__u32 flags; /* vmf->flags */
	__u32 result; /* vm_fault_t */
	bool pmd;
};

static __always_inline int on_dax_fault_begin(void)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 now;

	if (!dt_current_traced())
		return 0;
	now = bpf_ktime_get_ns();
	bpf_map_update_elem(&fault_start, &tid, &now, BPF_ANY);
	return 0;
}

static __always_inline int on_dax_fault_done(const struct dax_fault *fault, struct inode *inode)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct dt_file_key file = { .dev = fault->dev, .ino = fault->ino };
	__u32 counters = dt_fault_counters(fault->flags, fault->result, fault->pmd);
	__u64 *start = bpf_map_lookup_elem(&fault_start, &tid);
	__u64 latency = start ? bpf_ktime_get_ns() - *start : 0;
	struct dt_rows rows;
	int counter;

	if (start)
		bpf_map_delete_elem(&fault_start, &tid);
	if (!dt_current_traced() || !dt_file_wanted(fault->dev, true))
		return 0;
	if (!dt_rows_get(&rows, &file, inode, true, true))
		return 0;
	for (counter = 0; counter < DT_NR_COUNTERS; counter++)
		if (counters & DT_BIT(counter))
			dt_add(&rows, counter, 1);
	if (start)
		dt_add_latency(&rows, latency);
	else
		dt_health_inc(DT_HEALTH_LAT_UNMATCHED);
	return 0;
}

static __always_inline int on_dax_fault_done_raw(struct inode *inode, struct vm_fault *vmf,
						 int result, bool pmd)
{
	struct dax_fault fault = {
		.dev = BPF_CORE_READ(inode, i_sb, s_dev),
		.ino = BPF_CORE_READ(inode, i_ino),
		.flags = BPF_CORE_READ(vmf, flags),
		.result = result,
		.pmd = pmd,
	};

	return on_dax_fault_done(&fault, inode);
}

/* include/trace/events/fs_dax.h: the same arguments from v4.14 to today. */
DT_TP_TWINS(dax_pte_fault, on_dax_fault_begin(), struct inode *inode, struct vm_fault *vmf,
	    int result)
DT_TP_TWINS(dax_pmd_fault, on_dax_fault_begin(), struct inode *inode, struct vm_fault *vmf,
	    unsigned long max_pgoff, int result)
DT_TP_TWINS(dax_pte_fault_done, on_dax_fault_done_raw(inode, vmf, result, false),
	    struct inode *inode, struct vm_fault *vmf, int result)
DT_TP_TWINS(dax_pmd_fault_done, on_dax_fault_done_raw(inode, vmf, result, true),
	    struct inode *inode, struct vm_fault *vmf, unsigned long max_pgoff, int result)

SEC("tracepoint/fs_dax/dax_pte_fault")
int dax_pte_fault__tracepoint(void *ctx)
{
	return on_dax_fault_begin();
}

SEC("tracepoint/fs_dax/dax_pmd_fault")
int dax_pmd_fault__tracepoint(void *ctx)
{
	return on_dax_fault_begin();
}

SEC("tracepoint/fs_dax/dax_pte_fault_done")
int dax_pte_fault_done__tracepoint(struct trace_event_raw_dax_pte_fault_class *ctx)
{
	struct dax_fault fault = {
		.dev = BPF_CORE_READ(ctx, dev),
		.ino = BPF_CORE_READ(ctx, ino),
		.flags = BPF_CORE_READ(ctx, flags),
		.result = BPF_CORE_READ(ctx, result),
		.pmd = false,
	};

	return on_dax_fault_done(&fault, NULL);
}

SEC("tracepoint/fs_dax/dax_pmd_fault_done")
int dax_pmd_fault_done__tracepoint(struct trace_event_raw_dax_pmd_fault_class *ctx)
{
	struct dax_fault fault = {
		.dev = BPF_CORE_READ(ctx, dev),
		.ino = BPF_CORE_READ(ctx, ino),
		.flags = BPF_CORE_READ(ctx, flags),
		.result = BPF_CORE_READ(ctx, result),
		.pmd = true,
	};

	return on_dax_fault_done(&fault, NULL);
}
