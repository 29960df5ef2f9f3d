// SPDX-License-Identifier: GPL-2.0
#include "engine/attach_plan.h"

#define TRACEPOINTS(cat, ...)                                                  \
	{                                                                      \
		.function = false, .category = cat, .targets = { __VA_ARGS__ } \
	}
/* syscalls:* are perf events of tracefs, with no raw tracepoint behind them. */
#define SYSCALL_EVENTS(...)                                                                   \
	{                                                                                     \
		.function = false, .category = "syscalls", .classic_only = true, .targets = { \
			__VA_ARGS__                                                           \
		}                                                                             \
	}
#define FUNCTIONS(...)                                       \
	{                                                    \
		.function = true, .targets = { __VA_ARGS__ } \
	}
/* XFS's tracepoints and functions, whose programs read XFS's own types (struct xfs_inode). */
#define XFS_TRACEPOINTS(...)                                                                \
	{                                                                                   \
		.function = false, .category = "xfs", .btf_type = "xfs_inode", .targets = { \
			__VA_ARGS__                                                         \
		}                                                                           \
	}
#define XFS_FUNCTIONS(...)                                                            \
	{                                                                             \
		.function = true, .btf_type = "xfs_inode", .targets = { __VA_ARGS__ } \
	}
/* Routes whose targets in the mask only start a timing (struct probe_route timing_targets). */
#define TIMED_TRACEPOINTS(cat, mask, ...)                                                \
	{                                                                                \
		.function = false, .category = cat, .timing_targets = mask, .targets = { \
			__VA_ARGS__                                                      \
		}                                                                        \
	}
#define TIMED_FUNCTIONS(mask, ...)                                                   \
	{                                                                            \
		.function = true, .timing_targets = mask, .targets = { __VA_ARGS__ } \
	}

/*
 * Tracepoints come first: they are stable interfaces and the only way in on kernels without
 * kprobes or fentry (the 6.18 host). A function route serves --attach=fentry|kprobe, and any
 * kernel that lost a tracepoint.
 */
const struct probe_point probe_points[] = {
	{ .name = "fault",
	  .feeds =
		  "faults pte pmd read write nopage fallback sigbus mkwrite (fsdax) lat_ns pte_reasons "
		  "(classic: no vmf, so page_table, no_huge_fault, thp_unavailable count as unknown)",
	  .routes = { TIMED_TRACEPOINTS("fs_dax", 1 << 0 | 1 << 2, "dax_pte_fault",
					"dax_pte_fault_done", "dax_pmd_fault",
					"dax_pmd_fault_done"),
		      TIMED_FUNCTIONS(1 << 0, "dax_iomap_fault") } },
	{ .name = "fault.extent",
	  .feeds = "fallback_reasons: entry_conflict or extent (the iomap of a DAX fault)",
	  .routes = { TRACEPOINTS("iomap", "iomap_iter_dstmap") } },
	/* v6.13 "xfs: split write fault handling out of __xfs_filemap_fault" */
	{ .name = "mkwrite.xfs",
	  .feeds = "mkwrite (page cache, XFS)",
	  .routes = { XFS_TRACEPOINTS("xfs_write_fault"), XFS_TRACEPOINTS("xfs_filemap_fault"),
		      FUNCTIONS("xfs_filemap_page_mkwrite") } },
	{ .name = "cow.start",
	  .feeds = "cow (sharing breaks initiated)",
	  .routes = { TRACEPOINTS("iomap", "iomap_iter_srcmap") } },
	{ .name = "cow.end",
	  .feeds = "cow_bytes (COW remapped on completion)",
	  .routes = { XFS_TRACEPOINTS("xfs_reflink_end_cow"),
		      XFS_FUNCTIONS("xfs_reflink_end_cow") } },
	{ .name = "remap",
	  .feeds = "remaps (clone, clone range, dedupe, unshare)",
	  .routes = { XFS_TRACEPOINTS("xfs_reflink_remap_range", "xfs_reflink_unshare") } },
	/* fs/dax.c dax_writeback_mapping_range */
	{ .name = "writeback",
	  .feeds = "flushes flush_pages (DAX fsync/msync cache flushes), lat writeback",
	  .routes = { TIMED_TRACEPOINTS("fs_dax", 1 << 0, "dax_writeback_range",
					"dax_writeback_one", "dax_writeback_range_done") } },
	/*
	 * fs/dax.c dax_finish_sync_fault: the MAP_SYNC metadata sync after a NEEDDSYNC fault. No
	 * tracepoint brackets it; without fentry and kprobes, sync still counts (the fault's result).
	 * A timing only: its BTF FUNC is enough for fentry, so top reads no function list for it.
	 */
	{ .name = "sync",
	  .feeds =
		  "sync_ns, lat sync, snoop sync records (sync itself counts from the fault result)",
	  .quiet_when_none = true,
	  .routes = { { .function = true,
			.timing_targets = 1 << 0,
			.targets = { "dax_finish_sync_fault" },
			.btf_suffices = true } } },
	{ .name = "task",
	  .feeds = "following the -- CMD process tree",
	  .users = USED_BY_ALL,
	  .command_only = true,
	  .routes = { TRACEPOINTS("sched", "sched_process_fork", "sched_process_exit") } },
	{ .name = "remap.call",
	  .feeds = "clones clone_ranges dedupes and their bytes (the ioctl of each remap)",
	  .users = USED_BY_REMAP_KINDS,
	  .routes = { SYSCALL_EVENTS("sys_enter_ioctl", "sys_exit_ioctl") } },
	/* top shows neither: one run per COW fork extent dropped, on every cow-mode fault */
	{ .name = "cow.cancel",
	  .feeds = "cow_cancels cow_cancel_blocks (COW reservations dropped unused)",
	  .users = USED_BY_COW,
	  .routes = { XFS_TRACEPOINTS("xfs_reflink_cancel_cow") } },
/* share's programs keep a context per task and count owners with atomic fetch-and-add. */
#define SHARE_NEEDS (NEED_TASK_STORAGE | NEED_ATOMIC_FETCH)

	/* daxtrace share: fs/dax.c has no tracepoint on associations (docs/kernel-internals.md). */
	{ .name = "share.assoc",
	  .feeds = "share: associations, breaks, the kernel's share count",
	  .users = USED_BY_SHARE,
	  .required = true,
	  .bpf_needs = SHARE_NEEDS,
	  .routes = { FUNCTIONS("dax_insert_entry") } },
	{ .name = "share.disassoc",
	  .feeds = "share: disassociations",
	  .users = USED_BY_SHARE,
	  .required = true,
	  .bpf_needs = SHARE_NEEDS,
	  .routes = { FUNCTIONS("dax_disassociate_entry") } },
	/* 7.x: only dax_disassociate_entry.isra.0, which keeps the entry and drops the mapping. */
	{ .name = "share.context",
	  .feeds = "share: the file of a disassociation, when its probe is on a clone",
	  .users = USED_BY_SHARE,
	  .required = true,
	  .bpf_needs = SHARE_NEEDS,
	  .context_for = "share.disassoc",
	  .routes = { FUNCTIONS("grab_mapping_entry", "__dax_invalidate_entry",
				"dax_delete_mapping_range"),
		      FUNCTIONS("grab_mapping_entry", "__dax_invalidate_entry") } },
	/* daxtrace mapuse (docs/kernel-internals.md section 4). */
	{ .name = "mapuse.lock",
	  .feeds = "mapuse, share --model lookups: memory failure finds a DAX page's owner through "
		   "->mapping",
	  .users = USED_BY_MAPUSE | USED_BY_SHARE,
	  /* v6.7 "mm: Convert DAX lock/unlock page to lock/unlock folio" */
	  .routes = { FUNCTIONS("dax_lock_folio"), FUNCTIONS("dax_lock_page") } },
	{ .name = "mapuse.generic",
	  .feeds = "mapuse, share --model lookups: folio_mapping / page_mapping handed a pmem page",
	  .users = USED_BY_MAPUSE | USED_BY_SHARE,
	  .routes = { FUNCTIONS("folio_mapping", "page_mapping"), FUNCTIONS("folio_mapping") } },
	{ .name = "mapuse.fs_rmap",
	  .feeds = "mapuse, share --model rmap_lookups: owners the filesystem's rmap found",
	  .users = USED_BY_MAPUSE | USED_BY_SHARE,
	  .routes = { FUNCTIONS("mf_dax_kill_procs") } },
	{ .name = "mapuse.layout",
	  .feeds = "mapuse: truncate, hole punch and clone walk a file's DAX entries",
	  .users = USED_BY_MAPUSE,
	  .routes = { FUNCTIONS("dax_layout_busy_page_range") } },
	/*
	 * drivers/dax/device.c has no tracepoint. dev_dax_fault (the ->fault) tail-calls this
	 * ->huge_fault with the PTE size, so it alone sees every device DAX fault once. Module
	 * device_dax: fentry needs its module BTF (not on Debian 5.10), kprobes only the symbol;
	 * without the driver (most machines, and the fsdax guests) the point is none at once.
	 */
	{ .name = "fault.devdax",
	  .feeds = "device DAX (/dev/daxX.Y) faults pte pmd pud read write nopage fallback sigbus "
		   "lat_ns, per device",
	  .users = USED_BY_DEVDAX,
	  .quiet_when_none = true,
	  .routes = { { .function = true,
			.timing_targets = 1 << 0,
			.targets = { "dev_dax_huge_fault" },
			.code_present = "/sys/bus/dax/drivers/device_dax",
			.btf_suffices = true } } },
};
const int nr_probe_points = sizeof(probe_points) / sizeof(probe_points[0]);
