// SPDX-License-Identifier: GPL-2.0
/*
 * Write-protect faults on page-cache XFS files: one ->page_mkwrite each. XFS traces every write
 * fault, DAX ones included; DAX mkwrites are counted in fault.bpf.c from FAULT_FLAG_MKWRITE, so
 * events on DAX inodes are dropped here rather than counted twice.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "account.bpf.h"
#include "compat.bpf.h"
#include "event.bpf.h"
#include "filter.bpf.h"
#include "probe.bpf.h"

static __always_inline int on_page_mkwrite(__u32 dev, __u64 ino, struct inode *inode, bool dax)
{
	struct dt_file_key file = { .dev = dev, .ino = ino };
	struct dt_rows rows;

	if (dax || !dt_current_traced() || !dt_file_wanted(dev, dax))
		return 0;
	if (dt_rows_get(&rows, &file, inode, dax, true))
		dt_add(&rows, DT_MKWRITE, 1);
	if (dt_event_wanted(DT_EV_MKWRITE)) {
		struct dt_event ev = {}; /* XFS traces the fault's start only: untimed */

		dt_event_init(&ev, DT_EV_MKWRITE, &file);
		ev.fault_flags = DT_FAULT_FLAG_WRITE | DT_FAULT_FLAG_MKWRITE;
		dt_event_submit(&ev);
	}
	return 0;
}

static __always_inline int on_xfs_write_fault_raw(struct xfs_inode *ip, bool write_fault,
						  bool direct)
{
	struct inode *inode = DT_VFS_I(ip);
	struct dt_inode_id id;

	if (!write_fault)
		return 0;
	dt_inode_id_of(inode, direct, &id);
	return on_page_mkwrite(id.dev, id.ino, inode, id.dax);
}

/*
 * v6.13 "xfs: split write fault handling out of __xfs_filemap_fault" replaced
 * xfs_filemap_fault(ip, order, write_fault) with xfs_write_fault(ip, order) and
 * xfs_read_fault(ip, order). Before v6.6 the second argument was enum page_entry_size.
 */
DT_TP_TWINS(xfs_write_fault, on_xfs_write_fault_raw(ip, true, dt_direct), struct xfs_inode *ip,
	    unsigned int order)
DT_TP_TWINS(xfs_filemap_fault, on_xfs_write_fault_raw(ip, write_fault, dt_direct),
	    struct xfs_inode *ip, unsigned int order, bool write_fault)

SEC("tracepoint/xfs/xfs_write_fault")
int xfs_write_fault__tracepoint(struct trace_event_raw_xfs_fault_class *ctx)
{
	__u32 dev = BPF_CORE_READ(ctx, dev);

	return on_page_mkwrite(dev, BPF_CORE_READ(ctx, ino), NULL, dt_dev_is_dax(dev));
}

SEC("tracepoint/xfs/xfs_filemap_fault")
int xfs_filemap_fault__tracepoint(struct trace_event_raw_xfs_filemap_fault___pre613 *ctx)
{
	__u32 dev = BPF_CORE_READ(ctx, dev);

	if (!BPF_CORE_READ(ctx, write_fault))
		return 0;
	return on_page_mkwrite(dev, BPF_CORE_READ(ctx, ino), NULL, dt_dev_is_dax(dev));
}

/* ->page_mkwrite of XFS itself, for fentry and kprobes; DAX files use ->pfn_mkwrite instead. */
static __always_inline int on_xfs_page_mkwrite_call(struct vm_fault *vmf)
{
	struct inode *inode = BPF_CORE_READ(vmf, vma, vm_file, f_inode);
	struct dt_inode_id id;

	dt_inode_id_of(inode, false, &id);
	return on_page_mkwrite(id.dev, id.ino, inode, id.dax);
}

SEC("fentry/xfs_filemap_page_mkwrite")
int BPF_PROG(xfs_filemap_page_mkwrite__fentry, struct vm_fault *vmf)
{
	return on_xfs_page_mkwrite_call(vmf);
}

SEC("kprobe/xfs_filemap_page_mkwrite")
int BPF_KPROBE(xfs_filemap_page_mkwrite__kprobe, struct vm_fault *vmf)
{
	return on_xfs_page_mkwrite_call(vmf);
}
