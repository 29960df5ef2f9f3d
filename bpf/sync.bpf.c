// SPDX-License-Identifier: GPL-2.0
/*
 * MAP_SYNC metadata syncs. A DAX write fault on a MAP_SYNC mapping whose block (or other
 * metadata) is not yet on media returns VM_FAULT_NEEDDSYNC, and the filesystem (XFS
 * __xfs_filemap_fault / xfs_dax_fault_locked, ext4_dax_huge_fault) then calls
 * dax_finish_sync_fault(): vfs_fsync_range over the faulting page, then the PTE or PMD made
 * writable (dax_insert_pfn_mkwrite). fault.bpf.c counts the sync from the fault's result; this
 * times it from the function's entry to its return: sync_ns, lat's sync kind and snoop's sync
 * record. fs/dax.c has no tracepoint around it, hence fentry/fexit or kprobe/kretprobe only.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "account.bpf.h"
#include "event.bpf.h"
#include "filter.bpf.h"
#include "compat.bpf.h"
#include "probe.bpf.h"

static __always_inline int on_sync_begin(struct vm_fault *vmf, __u32 order)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct dax_sync_entry entry = { .vmf = vmf, .order = order };

	if (!dt_current_traced())
		return 0;
	entry.start_ns = bpf_ktime_get_ns();
	bpf_map_update_elem(&sync_start, &tid, &entry, BPF_ANY);
	return 0;
}

/*
 * Its order was enum page_entry_size (PTE 0, PMD 1) until v6.6 "mm: Remove enum
 * page_entry_size", PMD_ORDER since: anything but 0 is a 2 MiB sync.
 */
static __always_inline int on_sync_return(struct vm_fault *vmf, __u32 order, __u32 result)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct dax_sync_entry *entry = bpf_map_lookup_elem(&sync_start, &tid);
	struct inode *inode = BPF_CORE_READ(vmf, vma, vm_file, f_inode);
	struct dt_file_key file;
	struct dt_inode_id id;
	struct dt_rows rows;
	__u64 latency;

	if (!entry)
		return 0; /* not traced at entry */
	latency = bpf_ktime_get_ns() - entry->start_ns;
	bpf_map_delete_elem(&sync_start, &tid);
	dt_inode_id_of(inode, false, &id);
	if (!dt_file_wanted(id.dev, true))
		return 0;
	file = (struct dt_file_key){ .dev = id.dev, .ino = id.ino };
	if (dt_rows_get(&rows, &file, inode, true, true))
		dt_add(&rows, DT_SYNC_NS, latency);
	if (lat_on)
		dt_lat_record(DT_LAT_SYNC, latency, &file);
	if (dt_event_wanted(DT_EV_SYNC)) {
		struct dt_event ev = {};

		dt_event_init(&ev, DT_EV_SYNC, &file);
		ev.latency_ns = latency;
		ev.address = BPF_CORE_READ(vmf, address);
		ev.pgoff = BPF_CORE_READ(vmf, pgoff);
		ev.bytes = order ? DT_PMD_SIZE : DT_PAGE_SIZE;
		ev.pmd = order != 0;
		ev.fault_flags = dt_vmf_flags(vmf, false); /* an unsigned int before v5.13 */
		ev.result = result;
		dt_event_submit(&ev);
	}
	return 0;
}

/* The pfn was pfn_t until v6.17 "mm: remove pfn_t"; either is one 64-bit argument. */
SEC("fentry/dax_finish_sync_fault")
int BPF_PROG(dax_finish_sync_fault__fentry, struct vm_fault *vmf, unsigned int order)
{
	return on_sync_begin(vmf, order);
}

SEC("fexit/dax_finish_sync_fault")
int BPF_PROG(dax_finish_sync_fault__fexit, struct vm_fault *vmf, unsigned int order,
	     unsigned long pfn, vm_fault_t ret)
{
	return on_sync_return(vmf, order, ret);
}

SEC("kprobe/dax_finish_sync_fault")
int BPF_KPROBE(dax_finish_sync_fault__kprobe, struct vm_fault *vmf, unsigned int order)
{
	return on_sync_begin(vmf, order);
}

SEC("kretprobe/dax_finish_sync_fault")
int BPF_KRETPROBE(dax_finish_sync_fault__kretprobe, vm_fault_t ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct dax_sync_entry *entry = bpf_map_lookup_elem(&sync_start, &tid);

	if (!entry)
		return 0;
	return on_sync_return(entry->vmf, entry->order, ret);
}
