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

static __always_inline int on_dax_fault_begin(struct vm_fault *vmf, __u32 order)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct dax_fault_entry entry = { .vmf = vmf, .order = order };

	if (!dt_current_traced())
		return 0;
	entry.start_ns = bpf_ktime_get_ns();
	bpf_map_update_elem(&fault_start, &tid, &entry, BPF_ANY);
	return 0;
}

static __always_inline int on_dax_fault_done(const struct dax_fault *fault, struct inode *inode)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct dt_file_key file = { .dev = fault->dev, .ino = fault->ino };
	__u32 counters = dt_fault_counters(fault->flags, fault->result, fault->pmd);
	struct dax_fault_entry *start = bpf_map_lookup_elem(&fault_start, &tid);
	__u64 latency = start ? bpf_ktime_get_ns() - start->start_ns : 0;
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
DT_TP_TWINS(dax_pte_fault, on_dax_fault_begin(vmf, 0), struct inode *inode, struct vm_fault *vmf,
	    int result)
DT_TP_TWINS(dax_pmd_fault, on_dax_fault_begin(vmf, 0), struct inode *inode, struct vm_fault *vmf,
	    unsigned long max_pgoff, int result)
DT_TP_TWINS(dax_pte_fault_done, on_dax_fault_done_raw(inode, vmf, result, false),
	    struct inode *inode, struct vm_fault *vmf, int result)
DT_TP_TWINS(dax_pmd_fault_done, on_dax_fault_done_raw(inode, vmf, result, true),
	    struct inode *inode, struct vm_fault *vmf, unsigned long max_pgoff, int result)

SEC("tracepoint/fs_dax/dax_pte_fault")
int dax_pte_fault__tracepoint(void *ctx)
{
	return on_dax_fault_begin(NULL, 0);
}

SEC("tracepoint/fs_dax/dax_pmd_fault")
int dax_pmd_fault__tracepoint(void *ctx)
{
	return on_dax_fault_begin(NULL, 0);
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

/*
 * dax_iomap_fault(vmf, order, ...) is the one entry of every DAX fault, for fentry and kprobes.
 * Its size argument was enum page_entry_size (PTE 0, PMD 1, PUD 2) until v6.6 "mm: Remove enum
 * page_entry_size", the order since (0, PMD_ORDER 9, PUD_ORDER 18): 1 and 9 mean PMD in either.
 * PUD attempts return VM_FAULT_FALLBACK before dax_iomap_p{te,md}_fault and have no fs_dax
 * tracepoint: they are left out, so every family counts the same faults.
 */
static __always_inline int on_dax_iomap_fault_return(struct vm_fault *vmf, __u32 order,
						     vm_fault_t ret)
{
	struct inode *inode = BPF_CORE_READ(vmf, vma, vm_file, f_inode);
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	if (order != 0 && order != 1 && order != 9) {
		bpf_map_delete_elem(&fault_start, &tid);
		return 0;
	}
	return on_dax_fault_done_raw(inode, vmf, ret, order != 0);
}

SEC("fentry/dax_iomap_fault")
int BPF_PROG(dax_iomap_fault__fentry, struct vm_fault *vmf, unsigned int order)
{
	return on_dax_fault_begin(vmf, order);
}

SEC("fexit/dax_iomap_fault")
int BPF_PROG(dax_iomap_fault__fexit, struct vm_fault *vmf, unsigned int order, void *pfnp,
	     int *iomap_errp, const void *ops, vm_fault_t ret)
{
	return on_dax_iomap_fault_return(vmf, order, ret);
}

SEC("kprobe/dax_iomap_fault")
int BPF_KPROBE(dax_iomap_fault__kprobe, struct vm_fault *vmf, unsigned int order)
{
	return on_dax_fault_begin(vmf, order);
}

SEC("kretprobe/dax_iomap_fault")
int BPF_KRETPROBE(dax_iomap_fault__kretprobe, vm_fault_t ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct dax_fault_entry *entry = bpf_map_lookup_elem(&fault_start, &tid);

	if (!entry)
		return 0; /* not traced at entry */
	return on_dax_iomap_fault_return(entry->vmf, entry->order, ret);
}
