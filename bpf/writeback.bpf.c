// SPDX-License-Identifier: GPL-2.0
/*
 * DAX writeback: fsync, msync and the flusher write a file's dirty DAX entries back by
 * flushing the CPU cache lines over them (fs/dax.c dax_writeback_mapping_range). One range per
 * call, timed from dax_writeback_range to its _done twin, and one dax_writeback_one per dirty
 * entry with the pages it covers (512 for a PMD entry).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "account.bpf.h"
#include "event.bpf.h"
#include "filter.bpf.h"
#include "probe.bpf.h"

static __always_inline int on_flush_begin(__u64 start_index)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct dax_flush_entry entry = { .start_index = start_index };

	if (!dt_current_traced())
		return 0;
	entry.start_ns = bpf_ktime_get_ns();
	bpf_map_update_elem(&flush_start, &tid, &entry, BPF_ANY);
	return 0;
}

static __always_inline int on_flush_one(__u32 dev, __u64 ino, struct inode *inode, __u64 pages)
{
	struct dt_file_key file = { .dev = dev, .ino = ino };
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct dax_flush_entry *entry;
	struct dt_rows rows;

	if (!dt_current_traced() || !dt_file_wanted(dev, true))
		return 0;
	if (dt_rows_get(&rows, &file, inode, true, true))
		dt_add(&rows, DT_FLUSH_PAGES, pages);
	entry = bpf_map_lookup_elem(&flush_start, &tid);
	if (entry)
		entry->pages += pages;
	return 0;
}

static __always_inline int on_flush_done(__u32 dev, __u64 ino, struct inode *inode)
{
	struct dt_file_key file = { .dev = dev, .ino = ino };
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct dax_flush_entry *entry = bpf_map_lookup_elem(&flush_start, &tid);
	struct dax_flush_entry started = {};
	__u64 latency = 0;
	struct dt_rows rows;

	if (entry) {
		started = *entry;
		latency = bpf_ktime_get_ns() - started.start_ns;
		bpf_map_delete_elem(&flush_start, &tid);
	}
	if (!dt_current_traced() || !dt_file_wanted(dev, true))
		return 0;
	if (dt_rows_get(&rows, &file, inode, true, true))
		dt_add(&rows, DT_FLUSHES, 1);
	if (lat_on && entry)
		dt_lat_record(DT_LAT_WRITEBACK, latency, &file);
	if (dt_event_wanted(DT_EV_WRITEBACK)) {
		struct dt_event ev = {};

		dt_event_init(&ev, DT_EV_WRITEBACK, &file);
		ev.latency_ns = latency;
		ev.pgoff = started.start_index;
		ev.bytes = started.pages << DT_PAGE_SHIFT;
		dt_event_submit(&ev);
	}
	return 0;
}

static __always_inline int on_flush_one_raw(struct inode *inode, __u64 pages, bool direct)
{
	struct dt_inode_id id;

	dt_inode_id_of(inode, direct, &id);
	return on_flush_one(id.dev, id.ino, inode, pages);
}

static __always_inline int on_flush_done_raw(struct inode *inode, bool direct)
{
	struct dt_inode_id id;

	dt_inode_id_of(inode, direct, &id);
	return on_flush_done(id.dev, id.ino, inode);
}

/* include/trace/events/fs_dax.h: the same arguments since v4.14. */
DT_TP_TWINS(dax_writeback_range, on_flush_begin(start_index), struct inode *inode,
	    unsigned long start_index, unsigned long end_index)
DT_TP_TWINS(dax_writeback_one, on_flush_one_raw(inode, pglen, dt_direct), struct inode *inode,
	    unsigned long pgoff, unsigned long pglen)
DT_TP_TWINS(dax_writeback_range_done, on_flush_done_raw(inode, dt_direct), struct inode *inode,
	    unsigned long start_index, unsigned long end_index)

SEC("tracepoint/fs_dax/dax_writeback_range")
int dax_writeback_range__tracepoint(struct trace_event_raw_dax_writeback_range_class *ctx)
{
	return on_flush_begin(BPF_CORE_READ(ctx, start_index));
}

SEC("tracepoint/fs_dax/dax_writeback_one")
int dax_writeback_one__tracepoint(struct trace_event_raw_dax_writeback_one *ctx)
{
	return on_flush_one(BPF_CORE_READ(ctx, dev), BPF_CORE_READ(ctx, ino), NULL,
			    BPF_CORE_READ(ctx, pglen));
}

SEC("tracepoint/fs_dax/dax_writeback_range_done")
int dax_writeback_range_done__tracepoint(struct trace_event_raw_dax_writeback_range_class *ctx)
{
	return on_flush_done(BPF_CORE_READ(ctx, dev), BPF_CORE_READ(ctx, ino), NULL);
}
