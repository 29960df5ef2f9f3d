// SPDX-License-Identifier: GPL-2.0
/*
 * Device DAX faults (/dev/daxX.Y, drivers/dax/device.c): no tracepoint, so fentry/fexit or
 * kprobe/kretprobe on dev_dax_huge_fault(vmf, size), the one function every fault of a device
 * DAX mapping runs. It is the ->huge_fault (PUD and PMD attempts), and the ->fault,
 * dev_dax_fault(), tail-calls it with the PTE size (a jmp in Debian's device_dax.ko of 5.10,
 * 6.1, 6.12 and 7.2 alike): hooking dev_dax_fault as well would count each PTE fault twice.
 * Each invocation counts once, as fsdax counts each dax_iomap_fault, a PUD or PMD attempt that
 * falls back included; its rows are the total, the process and the device (devdax_stats).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "account.bpf.h"
#include "event.bpf.h"
#include "compat.bpf.h"
#include "filter.bpf.h"
#include "nopmd.bpf.h"

/* fault.bpf.c: one global function, verified once for both files. */
extern int dt_row_count_fault(struct dt_stats *row, __u32 counters);

/*
 * The size argument: enum page_entry_size (PE_SIZE_PTE 0, PMD 1, PUD 2) until v6.6 "mm: Remove
 * enum page_entry_size", the order since (0, PMD_ORDER 9, PUD_ORDER 18). -1: neither.
 */
#define DT_PUD_ORDER 18

static __always_inline int devdax_fault_size(__u32 order)
{
	if (order == 0)
		return DT_SIZE_PTE;
	if (order == 1 || order == DT_PMD_ORDER)
		return DT_SIZE_PMD;
	if (order == 2 || order == DT_PUD_ORDER)
		return DT_SIZE_PUD;
	return -1;
}

static __always_inline int on_devdax_fault_begin(struct vm_fault *vmf, __u32 order)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct dax_fault_entry entry = { .vmf = vmf, .order = order };

	if (!dt_current_traced())
		return 0;
	/* why no PMD fault came first, read before this fault makes a page table (nopmd.bpf.h) */
	entry.pte_reason = order == 0 ? dt_pte_fault_no_pmd(vmf) : DT_NR_NO_PMD_REASONS;
	entry.start_ns = bpf_ktime_get_ns();
	bpf_map_update_elem(&fault_start, &tid, &entry, BPF_ANY);
	return 0;
}

/*
 * The rows of a device fault: total, process, and the device's row, which takes the file's
 * slot of struct dt_rows (a char device has no file row), so dt_add_latency feeds all three.
 */
static __always_inline bool devdax_rows_get(struct dt_rows *rows, __u32 rdev)
{
	__u32 zero = 0;
	bool created;

	rows->total = bpf_map_lookup_elem(&total_stats, &zero);
	rows->proc = NULL;
	rows->file = NULL;
	rows->dev = NULL; /* the exporter's fsdax device rows */
	if (!rows->total)
		return false;
	if (keyed_rows) {
		rows->proc = dt_proc_row();
		rows->file = dt_row(&devdax_stats, &rdev, DT_HEALTH_DEVDAX_INSERTS, &created);
	}
	return true;
}

static __always_inline void devdax_fault_observed(const struct dt_file_key *device, __u32 flags,
						  __u32 result, int size, bool timed, __u64 latency,
						  struct vm_fault *vmf, __u8 pte_reason)
{
	bool write = flags & DT_FAULT_FLAG_WRITE;
	enum dt_event_type type = result & DT_VM_FAULT_SIGBUS ? DT_EV_SIGBUS : DT_EV_FAULT;

	if (lat_on && timed) {
		dt_lat_record(DT_LAT_PTE_READ + size * 2 + write, latency, device);
		if (pte_reason < DT_NR_NO_PMD_REASONS)
			dt_lat_record(DT_LAT_NO_PMD + pte_reason, latency, device);
	}
	if (dt_event_wanted(type)) {
		struct dt_event ev = {};

		dt_event_init(&ev, type, device);
		ev.latency_ns = timed ? latency : 0;
		ev.address = BPF_CORE_READ(vmf, address);
		ev.pgoff = BPF_CORE_READ(vmf, pgoff);
		ev.bytes = size == DT_SIZE_PUD ? DT_PMD_SIZE << DT_PMD_ORDER :
			   size == DT_SIZE_PMD ? DT_PMD_SIZE :
						 DT_PAGE_SIZE;
		ev.result = result;
		ev.fault_flags = flags;
		ev.pmd = size == DT_SIZE_PMD;
		ev.pud = size == DT_SIZE_PUD;
		ev.dax_fault = 1;
		ev.devdax = 1;
		ev.pte_reason = pte_reason;
		dt_event_submit(&ev);
	}
}

/* fexit and kretprobe share this: it reads as for a plain pointer. */
static __always_inline int on_devdax_fault_return(struct vm_fault *vmf, __u32 order, vm_fault_t ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct dax_fault_entry *entry = bpf_map_lookup_elem(&fault_start, &tid);
	struct dt_file_key device = {}; /* ino 0: no inode has it, so lat -F tells devices apart */
	int size = devdax_fault_size(order);
	/* a PTE fault whose entry was not seen: why no PMD fault was tried is unknown */
	__u8 pte_reason = size == DT_SIZE_PTE ? DT_NOPMD_UNKNOWN : DT_NR_NO_PMD_REASONS;
	__u64 latency = 0;
	struct dt_rows rows;
	__u32 counters, flags;
	bool timed = entry != NULL;

	if (entry) {
		latency = bpf_ktime_get_ns() - entry->start_ns;
		if (size == DT_SIZE_PTE)
			pte_reason = entry->pte_reason;
		bpf_map_delete_elem(&fault_start, &tid);
	}
	if (size < 0 || !dt_current_traced())
		return 0;
	/* a PMD attempt that fell back: its PTE retry comes next, in this thread */
	if (size == DT_SIZE_PMD && (ret & DT_VM_FAULT_FALLBACK))
		dt_pmd_fallback_seen(BPF_CORE_READ(vmf, address));
	flags = dt_vmf_flags(vmf, false); /* an unsigned int before v5.13 */
	device.dev = BPF_CORE_READ(vmf, vma, vm_file, f_inode, i_rdev);
	if (!devdax_rows_get(&rows, device.dev))
		return 0;
	counters = dt_fault_counters(flags, ret, size);
	dt_row_count_fault(rows.total, counters);
	if (rows.proc)
		dt_row_count_fault(rows.proc, counters);
	if (rows.file)
		dt_row_count_fault(rows.file, counters);
	if (timed)
		dt_add_latency(&rows, latency);
	else
		dt_health_inc(DT_HEALTH_LAT_UNMATCHED);
	dt_add_pte_reason(&rows, pte_reason);
	devdax_fault_observed(&device, flags, ret, size, timed, latency, vmf, pte_reason);
	return 0;
}

SEC("fentry/dev_dax_huge_fault")
int BPF_PROG(dev_dax_huge_fault__fentry, struct vm_fault *vmf, unsigned int order)
{
	return on_devdax_fault_begin(vmf, order);
}

SEC("fexit/dev_dax_huge_fault")
int BPF_PROG(dev_dax_huge_fault__fexit, struct vm_fault *vmf, unsigned int order, vm_fault_t ret)
{
	return on_devdax_fault_return(vmf, order, ret);
}

SEC("kprobe/dev_dax_huge_fault")
int BPF_KPROBE(dev_dax_huge_fault__kprobe, struct vm_fault *vmf, unsigned int order)
{
	return on_devdax_fault_begin(vmf, order);
}

SEC("kretprobe/dev_dax_huge_fault")
int BPF_KRETPROBE(dev_dax_huge_fault__kretprobe, vm_fault_t ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct dax_fault_entry *entry = bpf_map_lookup_elem(&fault_start, &tid);

	if (!entry)
		return 0; /* not traced at entry */
	return on_devdax_fault_return(entry->vmf, entry->order, ret);
}
