// SPDX-License-Identifier: GPL-2.0
/*
 * XFS reflink: sharing breaks initiated (a write or write fault that iomap served with a source
 * map, i.e. out of a shared extent into a COW staging extent), their completion
 * (xfs_reflink_end_cow, with bytes) and remap operations (clone, clone range, dedupe, unshare).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "account.bpf.h"
#include "filter.bpf.h"
#include "probe.bpf.h"

/*
 * iomap_iter() traces the source map whenever it is not a hole: only copy-on-write (shared
 * extent under a COW fork extent) and unshare have one, on the page cache and on DAX alike.
 */
static __always_inline int on_cow_initiated(__u32 dev, __u64 ino, struct inode *inode, bool dax)
{
	struct dt_file_key file = { .dev = dev, .ino = ino };
	struct dt_rows rows;
	__u8 one = 1;

	if (!dt_current_traced() || !dt_file_wanted(dev, dax))
		return 0;
	if (!dt_rows_get(&rows, &file, inode, dax, true))
		return 0;
	dt_add(&rows, DT_COW, 1);
	/* An LRU update takes a fresh element each time: only the first break of a file does. */
	if (!bpf_map_lookup_elem(&cow_files, &file))
		bpf_map_update_elem(&cow_files, &file, &one, BPF_NOEXIST);
	return 0;
}

/*
 * Page-cache COW completes in a kworker after writeback; it counts when a traced process broke
 * sharing on the file, and lands in that kworker's process row only when it is traced itself.
 */
static __always_inline int on_cow_end(__u32 dev, __u64 ino, struct inode *inode, bool dax,
				      __u64 bytes)
{
	struct dt_file_key file = { .dev = dev, .ino = ino };
	bool traced = dt_current_traced();
	struct dt_rows rows;

	if (!traced && !bpf_map_lookup_elem(&cow_files, &file))
		return 0;
	if (!dt_file_wanted(dev, dax) || !dt_rows_get(&rows, &file, inode, dax, traced))
		return 0;
	dt_add(&rows, DT_COW_BYTES, bytes);
	return 0;
}

static __always_inline int on_remap(__u32 dev, __u64 ino, struct inode *inode, bool dax)
{
	struct dt_file_key file = { .dev = dev, .ino = ino };
	struct dt_rows rows;

	if (!dt_current_traced() || !dt_file_wanted(dev, dax))
		return 0;
	if (dt_rows_get(&rows, &file, inode, dax, true))
		dt_add(&rows, DT_REMAPS, 1);
	return 0;
}

static __always_inline int on_cow_initiated_raw(struct inode *inode, bool direct)
{
	struct dt_inode_id id;

	dt_inode_id_of(inode, direct, &id);
	return on_cow_initiated(id.dev, id.ino, inode, id.dax);
}

static __always_inline int on_cow_end_raw(struct xfs_inode *ip, ssize_t count, bool direct)
{
	struct inode *inode = DT_VFS_I(ip);
	struct dt_inode_id id;

	dt_inode_id_of(inode, direct, &id);
	return on_cow_end(id.dev, id.ino, inode, id.dax, count);
}

static __always_inline int on_remap_raw(struct xfs_inode *dest, bool direct)
{
	struct inode *inode = DT_VFS_I(dest);
	struct dt_inode_id id;

	dt_inode_id_of(inode, direct, &id);
	return on_remap(id.dev, id.ino, inode, id.dax);
}

/* xfs_reflink_end_cow(ip, offset, count): the same since v4.9, for fentry and kprobes. */
SEC("fentry/xfs_reflink_end_cow")
int BPF_PROG(xfs_reflink_end_cow__fentry, struct xfs_inode *ip, xfs_off_t offset, xfs_off_t count)
{
	return on_cow_end_raw(ip, count, true); /* fentry arguments are BTF-typed too */
}

SEC("kprobe/xfs_reflink_end_cow")
int BPF_KPROBE(xfs_reflink_end_cow__kprobe, struct xfs_inode *ip, xfs_off_t offset, xfs_off_t count)
{
	return on_cow_end_raw(ip, count, false);
}

DT_TP_TWINS(iomap_iter_srcmap, on_cow_initiated_raw(inode, dt_direct), struct inode *inode,
	    struct iomap *iomap)
DT_TP_TWINS(xfs_reflink_end_cow, on_cow_end_raw(ip, count, dt_direct), struct xfs_inode *ip,
	    xfs_off_t offset, ssize_t count)
DT_TP_TWINS(xfs_reflink_remap_range, on_remap_raw(dest, dt_direct), struct xfs_inode *src,
	    xfs_off_t pos_in, xfs_off_t len, struct xfs_inode *dest, xfs_off_t pos_out)
DT_TP_TWINS(xfs_reflink_unshare, on_remap_raw(ip, dt_direct), struct xfs_inode *ip,
	    xfs_off_t offset, ssize_t len)

SEC("tracepoint/iomap/iomap_iter_srcmap")
int iomap_iter_srcmap__tracepoint(struct trace_event_raw_iomap_class *ctx)
{
	__u32 dev = BPF_CORE_READ(ctx, dev);

	return on_cow_initiated(dev, BPF_CORE_READ(ctx, ino), NULL, dt_dev_is_dax(dev));
}

SEC("tracepoint/xfs/xfs_reflink_end_cow")
int xfs_reflink_end_cow__tracepoint(struct trace_event_raw_xfs_simple_io_class *ctx)
{
	__u32 dev = BPF_CORE_READ(ctx, dev);

	return on_cow_end(dev, BPF_CORE_READ(ctx, ino), NULL, dt_dev_is_dax(dev),
			  BPF_CORE_READ(ctx, count));
}

SEC("tracepoint/xfs/xfs_reflink_remap_range")
int xfs_reflink_remap_range__tracepoint(struct trace_event_raw_xfs_double_io_class *ctx)
{
	__u32 dev = BPF_CORE_READ(ctx, dev);

	return on_remap(dev, BPF_CORE_READ(ctx, dest_ino), NULL, dt_dev_is_dax(dev));
}

SEC("tracepoint/xfs/xfs_reflink_unshare")
int xfs_reflink_unshare__tracepoint(struct trace_event_raw_xfs_simple_io_class *ctx)
{
	__u32 dev = BPF_CORE_READ(ctx, dev);

	return on_remap(dev, BPF_CORE_READ(ctx, ino), NULL, dt_dev_is_dax(dev));
}
