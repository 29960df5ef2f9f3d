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
#include "event.bpf.h"
#include "filter.bpf.h"
#include "probe.bpf.h"

/* Where a sharing break starts in the file, and the bytes it is for (0: not known). */
struct dt_cow_break {
	__u64 pos;
	__u64 bytes;
};

/*
 * iomap_iter() traces the source map whenever it is not a hole: only copy-on-write (shared
 * extent under a COW fork extent) and unshare have one, on the page cache and on DAX alike.
 */
static __always_inline int on_cow_initiated(__u32 dev, __u64 ino, struct inode *inode, bool dax,
					    const struct dt_cow_break *brk)
{
	struct dt_file_key file = { .dev = dev, .ino = ino };
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct dax_fault_entry *fault;
	struct dt_rows rows;
	__u8 one = 1;

	if (!dt_current_traced() || !dt_file_wanted(dev, dax))
		return 0;
	/* Inside a DAX fault, the fault's own record is the break's, timed (fault.bpf.c). */
	fault = bpf_map_lookup_elem(&fault_start, &tid);
	if (fault) {
		fault->cow = 1;
	} else if (dt_event_wanted(DT_EV_COW)) {
		struct dt_event ev = {};

		dt_event_init(&ev, DT_EV_COW, &file);
		ev.pgoff = brk->pos >> DT_PAGE_SHIFT;
		ev.bytes = brk->bytes;
		dt_event_submit(&ev);
	}
	if (!dt_rows_get(&rows, &file, inode, dax, true))
		return 0;
	dt_add(&rows, DT_COW, 1);
	dt_add(&rows, DT_COW_BREAK_BYTES, brk->bytes);
	/* An LRU update takes a fresh element each time: only the first break of a file does. */
	if (!bpf_map_lookup_elem(&cow_files, &file))
		bpf_map_update_elem(&cow_files, &file, &one, BPF_NOEXIST);
	return 0;
}

/*
 * The end of a COW: completed (xfs_reflink_end_cow), or its reservation dropped unused
 * (xfs_reflink_cancel_cow_blocks: a failed write, a truncate, the speculative cowextsize
 * preallocation reclaimed). Page-cache COW completes in a kworker after writeback: it counts
 * when a traced process broke sharing on the file, and lands in that kworker's process row only
 * when it is traced itself. One event and its amount (bytes, or blocks) go to the two counters.
 */
static __always_inline int on_cow_settled(__u32 dev, __u64 ino, struct inode *inode, bool dax,
					  enum dt_counter events, enum dt_counter amounts,
					  __u64 amount)
{
	struct dt_file_key file = { .dev = dev, .ino = ino };
	bool traced = dt_current_traced();
	struct dt_rows rows;

	if (!traced && !bpf_map_lookup_elem(&cow_files, &file))
		return 0;
	if (!dt_file_wanted(dev, dax) || !dt_rows_get(&rows, &file, inode, dax, traced))
		return 0;
	dt_add(&rows, events, 1);
	dt_add(&rows, amounts, amount);
	return 0;
}

static __always_inline int on_cow_end(__u32 dev, __u64 ino, struct inode *inode, bool dax,
				      __u64 bytes)
{
	return on_cow_settled(dev, ino, inode, dax, DT_COW_COMPLETIONS, DT_COW_BYTES, bytes);
}

static __always_inline int on_cow_cancel(__u32 dev, __u64 ino, struct inode *inode, bool dax,
					 __u64 blocks)
{
	return on_cow_settled(dev, ino, inode, dax, DT_COW_CANCELS, DT_COW_CANCEL_BLOCKS, blocks);
}

/* A remap's kind counter, bytes next to it in enum dt_counter; none for other callers. */
static __always_inline void dt_add_remap_kind(struct dt_rows *rows, __u8 kind, __u64 length)
{
	enum dt_counter counter;

	switch (kind) {
	case DT_REMAP_CLONE:
		counter = DT_CLONES;
		break;
	case DT_REMAP_CLONE_RANGE:
		counter = DT_CLONE_RANGES;
		break;
	case DT_REMAP_DEDUPE:
		counter = DT_DEDUPES;
		break;
	case DT_REMAP_UNSHARE:
		counter = DT_UNSHARES;
		break;
	default:
		return;
	}
	dt_add(rows, counter, 1);
	dt_add(rows, counter + 1, length);
}

/* The remap of a clone, clone range, dedupe (told apart by remap_calls) or an unshare. */
static __always_inline int on_remap(__u32 dev, __u64 ino, struct inode *inode, bool dax,
				    __u64 offset, __u64 length, bool unshare)
{
	struct dt_file_key file = { .dev = dev, .ino = ino };
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct dt_rows rows;
	__u8 kind, *call;

	if (!dt_current_traced() || !dt_file_wanted(dev, dax))
		return 0;
	call = bpf_map_lookup_elem(&remap_calls, &tid);
	kind = unshare ? DT_REMAP_UNSHARE : call ? *call : DT_REMAP_OTHER;
	if (dt_rows_get(&rows, &file, inode, dax, true)) {
		dt_add(&rows, DT_REMAPS, 1);
		dt_add_remap_kind(&rows, kind, length);
	}
	if (dt_event_wanted(DT_EV_REMAP)) {
		struct dt_event ev = {};

		dt_event_init(&ev, DT_EV_REMAP, &file);
		ev.pgoff = offset >> DT_PAGE_SHIFT;
		ev.bytes = length;
		ev.remap_kind = kind;
		dt_event_submit(&ev);
	}
	return 0;
}

/*
 * The bytes a sharing break is for: this iteration's part of the write, fault or unshare
 * (iter->pos and ->len) inside the shared source extent. The tracepoint hands over
 * &iter->srcmap (fs/iomap/iter.c), so the iterator is found from it.
 */
static __always_inline void dt_cow_break_of(struct iomap *srcmap, struct dt_cow_break *brk)
{
	struct iomap_iter *iter =
		(void *)(dt_address_of(srcmap) - bpf_core_field_offset(struct iomap_iter, srcmap));
	__u64 src_end = BPF_CORE_READ(srcmap, offset) + BPF_CORE_READ(srcmap, length);
	__u64 end;

	brk->pos = BPF_CORE_READ(iter, pos);
	end = brk->pos + BPF_CORE_READ(iter, len);
	if (end > src_end)
		end = src_end;
	brk->bytes = end > brk->pos ? end - brk->pos : 0;
}

static __always_inline int on_cow_initiated_raw(struct inode *inode, struct iomap *srcmap,
						bool direct)
{
	struct dt_cow_break brk = {};
	struct dt_inode_id id;

	/* 7.2's verifier types tp_btf pointers "trusted or NULL": no field address before this */
	if (!srcmap)
		return 0;
	if (break_detail) /* four reads top would throw away */
		dt_cow_break_of(srcmap, &brk);
	dt_inode_id_of(inode, direct, &id);
	return on_cow_initiated(id.dev, id.ino, inode, id.dax, &brk);
}

static __always_inline int on_cow_end_raw(struct xfs_inode *ip, ssize_t count, bool direct)
{
	struct inode *inode = DT_VFS_I(ip);
	struct dt_inode_id id;

	dt_inode_id_of(inode, direct, &id);
	return on_cow_end(id.dev, id.ino, inode, id.dax, count);
}

static __always_inline int on_remap_raw(struct xfs_inode *dest, __u64 offset, __u64 length,
					bool unshare, bool direct)
{
	struct inode *inode = DT_VFS_I(dest);
	struct dt_inode_id id;

	dt_inode_id_of(inode, direct, &id);
	return on_remap(id.dev, id.ino, inode, id.dax, offset, length, unshare);
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

DT_TP_TWINS(iomap_iter_srcmap, on_cow_initiated_raw(inode, iomap, dt_direct), struct inode *inode,
	    struct iomap *iomap)
DT_TP_TWINS(xfs_reflink_end_cow, on_cow_end_raw(ip, count, dt_direct), struct xfs_inode *ip,
	    xfs_off_t offset, ssize_t count)
DT_TP_TWINS(xfs_reflink_remap_range, on_remap_raw(dest, pos_out, len, false, dt_direct),
	    struct xfs_inode *src, xfs_off_t pos_in, xfs_off_t len, struct xfs_inode *dest,
	    xfs_off_t pos_out)
DT_TP_TWINS(xfs_reflink_unshare, on_remap_raw(ip, offset, len, true, dt_direct),
	    struct xfs_inode *ip, xfs_off_t offset, ssize_t len)

SEC("tracepoint/iomap/iomap_iter_srcmap")
int iomap_iter_srcmap__tracepoint(struct trace_event_raw_iomap_class *ctx)
{
	/* tracefs has the source extent only, not the iterator: its start, and no bytes */
	struct dt_cow_break brk = { .pos = break_detail ? BPF_CORE_READ(ctx, offset) : 0 };
	__u32 dev = BPF_CORE_READ(ctx, dev);

	return on_cow_initiated(dev, BPF_CORE_READ(ctx, ino), NULL, dt_dev_is_dax(dev), &brk);
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

	return on_remap(dev, BPF_CORE_READ(ctx, dest_ino), NULL, dt_dev_is_dax(dev),
			BPF_CORE_READ(ctx, dest_offset), BPF_CORE_READ(ctx, len), false);
}

SEC("tracepoint/xfs/xfs_reflink_unshare")
int xfs_reflink_unshare__tracepoint(struct trace_event_raw_xfs_simple_io_class *ctx)
{
	__u32 dev = BPF_CORE_READ(ctx, dev);

	return on_remap(dev, BPF_CORE_READ(ctx, ino), NULL, dt_dev_is_dax(dev),
			BPF_CORE_READ(ctx, offset), BPF_CORE_READ(ctx, count), true);
}

/*
 * The remap tracepoint cannot tell a clone from a clone range or a dedupe: the ioctl that asked
 * can (include/uapi/linux/fs.h, stable since v4.5). Kept per thread for the call's duration.
 */
#define DT_FICLONE 0x40049409U
#define DT_FICLONERANGE 0x4020940dU
#define DT_FIDEDUPERANGE 0xc0189436U

SEC("tracepoint/syscalls/sys_enter_ioctl")
int sys_enter_ioctl__tracepoint(struct trace_event_raw_sys_enter *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u32 cmd = ctx->args[1];
	__u8 kind;

	if (cmd == DT_FICLONE)
		kind = DT_REMAP_CLONE;
	else if (cmd == DT_FICLONERANGE)
		kind = DT_REMAP_CLONE_RANGE;
	else if (cmd == DT_FIDEDUPERANGE)
		kind = DT_REMAP_DEDUPE;
	else
		return 0;
	if (dt_current_traced())
		bpf_map_update_elem(&remap_calls, &tid, &kind, BPF_ANY);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_ioctl")
int sys_exit_ioctl__tracepoint(void *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	bpf_map_delete_elem(&remap_calls, &tid);
	return 0;
}

static __always_inline int on_cow_cancel_raw(struct xfs_inode *ip, struct xfs_bmbt_irec *irec,
					     bool direct)
{
	struct inode *inode = DT_VFS_I(ip);
	struct dt_inode_id id;

	if (!irec) /* as in on_cow_initiated_raw */
		return 0;
	dt_inode_id_of(inode, direct, &id);
	return on_cow_cancel(id.dev, id.ino, inode, id.dax, BPF_CORE_READ(irec, br_blockcount));
}

DT_TP_TWINS(xfs_reflink_cancel_cow, on_cow_cancel_raw(ip, irec, dt_direct), struct xfs_inode *ip,
	    struct xfs_bmbt_irec *irec)

SEC("tracepoint/xfs/xfs_reflink_cancel_cow")
int xfs_reflink_cancel_cow__tracepoint(struct trace_event_raw_xfs_inode_irec_class *ctx)
{
	__u32 dev = BPF_CORE_READ(ctx, dev);

	return on_cow_cancel(dev, BPF_CORE_READ(ctx, ino), NULL, dt_dev_is_dax(dev),
			     BPF_CORE_READ(ctx, len));
}
