/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one event model shared by the BPF programs and userspace: map keys, counter values and
 * the flag bits decoded from the kernel. Fixed-width types only and no includes: the BPF side
 * gets __u32/__u64 from vmlinux.h, userspace from <linux/types.h>.
 */
#ifndef DAXTRACE_H
#define DAXTRACE_H

#define DT_COMM_LEN 16
#define DT_LAT_SLOTS 40 /* log2(ns) slots: slot s holds [2^s, 2^(s+1)) ns; 2^40 ns = 18 min */
#define DT_NAME_LEN 48 /* one path component */
#define DT_PATH_DEPTH 8 /* components captured, leaf first */

#define DT_MAX_PROCS 4096
#define DT_MAX_FILES 8192
#define DT_MAX_TRACED 8192
#define DT_MAX_DAX_DEVS 256 /* device DAX rows (devdax_stats), one per /dev/daxX.Y */

/* One slot per counter of DESIGN.md "Counter semantics"; the order is the column order. */
enum dt_counter {
	DT_FAULTS,
	DT_PTE,
	DT_PMD,
	DT_PUD, /* device DAX only: fs/dax.c never maps a PUD (dax_iomap_fault's PUD size falls back) */
	DT_READ,
	DT_WRITE,
	DT_NOPAGE,
	DT_FALLBACK,
	DT_SIGBUS,
	DT_MKWRITE,
	/*
	 * MAP_SYNC: DAX faults whose result carries VM_FAULT_NEEDDSYNC, each followed by the
	 * filesystem's dax_finish_sync_fault() (metadata flush, then the PTE/PMD made writable):
	 * counted from the fault's result, so every attach family counts them ...
	 */
	DT_SYNC,
	DT_SYNC_NS, /* ... and timed from dax_finish_sync_fault's entry to its return (fentry, kprobe) */
	DT_COW,
	DT_COW_BYTES,
	DT_REMAPS,
	DT_FLUSHES, /* DAX writeback ranges (fsync, msync, the flusher) */
	DT_FLUSH_PAGES, /* pages whose CPU cache lines those ranges flushed */
	/* daxtrace cow: the remaps by kind, on the destination file ... */
	DT_CLONES,
	DT_CLONE_BYTES,
	DT_CLONE_RANGES,
	DT_CLONE_RANGE_BYTES,
	DT_DEDUPES,
	DT_DEDUPE_BYTES,
	DT_UNSHARES,
	DT_UNSHARE_BYTES,
	/* ... and the sharing breaks: the bytes the writes asked for, the latency of the faults */
	DT_COW_BREAK_BYTES,
	DT_COW_TIMED, /* breaks that were DAX faults, timed */
	DT_COW_LAT_NS, /* their summed latency */
	DT_COW_COMPLETIONS, /* xfs_reflink_end_cow calls (cow_bytes is their sum) */
	DT_COW_CANCELS, /* COW fork extents dropped unused (xfs_reflink_cancel_cow) */
	DT_COW_CANCEL_BLOCKS, /* their filesystem blocks */
	DT_NR_COUNTERS,
};

/*
 * Why a PMD fault fell back, in the order fs/dax.c checks (dax_fault_check_fallback, then
 * grab_mapping_entry, then the iomap the filesystem returned).
 */
enum dt_fallback_reason {
	DT_FB_MISALIGNED, /* address and file offset disagree modulo 2 MiB */
	DT_FB_PRIVATE_WRITE, /* a write fault on a private mapping (it will COW) */
	DT_FB_VMA_TOO_SMALL, /* the 2 MiB range is not inside the VMA */
	DT_FB_PAST_EOF, /* the 2 MiB range reaches beyond the file's last page */
	DT_FB_ENTRY_CONFLICT, /* PTE-sized entries already present in that range of the file */
	DT_FB_EXTENT, /* the extent is shorter than 2 MiB or not 2 MiB-aligned on the device */
	DT_FB_OTHER,
	DT_NR_FALLBACK_REASONS,
};

/*
 * Why a DAX PTE fault had no PMD fault tried before it for its 2 MiB range (mm/memory.c
 * __handle_mm_fault calls ->huge_fault only if the PMD is none and THP is allowed for the VMA:
 * __transparent_hugepage_enabled v5.10, hugepage_vma_check v6.1, thp_vma_allowable_order
 * v6.8 on). The VMA's size and alignment are not checked there for DAX ("Huge fault does the
 * check in fault handlers"): those faults try a PMD and fall back (enum dt_fallback_reason).
 * In the order dt_no_pmd_reason() tells them apart: lasting causes before page-table state.
 */
enum dt_no_pmd_reason {
	DT_NOPMD_NO_HUGE_FAULT, /* the VMA's vm_ops have no ->huge_fault */
	DT_NOPMD_NOHUGEPAGE, /* madvise(MADV_NOHUGEPAGE): VM_NOHUGEPAGE */
	DT_NOPMD_THP_DISABLED, /* prctl(PR_SET_THP_DISABLE): MMF_DISABLE_THP* */
	DT_NOPMD_PAGE_TABLE, /* the PMD already points to a page table (earlier PTE faults) */
	DT_NOPMD_THP_UNAVAILABLE, /* none of those: THP compiled out or disabled by the hardware */
	DT_NOPMD_UNKNOWN, /* classic tracepoints: no vmf to read the page table from */
	DT_NR_NO_PMD_REASONS,
};

/* Value of every aggregation map (per CPU); userspace sums the CPUs. */
struct dt_stats {
	__u64 count[DT_NR_COUNTERS];
	__u64 fallback_reasons[DT_NR_FALLBACK_REASONS];
	__u64 pte_reasons[DT_NR_NO_PMD_REASONS]; /* PTE faults with no PMD fault tried first */
	__u64 lat_sum_ns; /* over DAX faults only */
	__u64 lat_max_ns;
	__u64 lat_slots[DT_LAT_SLOTS];
};

struct dt_proc_key {
	__u32 tgid;
	char comm[DT_COMM_LEN];
};

/*
 * The kernel's internal dev_t, which every dev field here holds: major << 20 | minor
 * (include/linux/kdev_t.h MINORBITS; userspace's st_dev packs them otherwise).
 */
#define DT_MINORBITS 20
#define DT_MINOR_MASK ((1U << DT_MINORBITS) - 1)
#define DT_MAJOR_MAX ((1U << (32 - DT_MINORBITS)) - 1)
#define DT_MKDEV(major, minor) ((major) << DT_MINORBITS | (minor))
#define DT_MAJOR(dev) ((dev) >> DT_MINORBITS)
#define DT_MINOR(dev) ((dev)&DT_MINOR_MASK)

struct dt_file_key {
	__u32 dev;
	__u32 pad;
	__u64 ino;
};

/* Path components of a file, leaf first, captured once when its row is created. */
struct dt_file_info {
	__u8 dax;
	__u8 depth;
	__u8 complete; /* the walk reached the filesystem root: names form the whole path */
	char names[DT_PATH_DEPTH][DT_NAME_LEN];
};

/*
 * The exporter's rows: one per device, or per device and cgroup (--cgroup-labels), never
 * evicted, so its counters stay cumulative whatever the number of files and processes.
 */
#define DT_MAX_DEVS 64
#define DT_CGROUP_OTHER (~0ULL) /* the cgroups past --max-series, folded into one row */

/*
 * A DAX fault's result as one name, for the exporter's result label: the first of these the
 * VM_FAULT_* bits hold, so that the results of a size and access sum to its faults.
 */
enum dt_fault_result {
	DT_RESULT_SIGBUS,
	DT_RESULT_FALLBACK,
	DT_RESULT_NOPAGE,
	DT_RESULT_OTHER, /* none of those: VM_FAULT_DONE_COW, VM_FAULT_OOM, VM_FAULT_RETRY, 0 */
	DT_NR_FAULT_RESULTS,
};

/* Faults by size (pte, pmd), access (read, write) and result: [(pmd * 2 + write) * 4 + result] */
#define DT_NR_FAULT_CLASSES (2 * 2 * DT_NR_FAULT_RESULTS)

struct dt_dev_key {
	__u32 dev;
	__u32 pad;
	__u64 cgroup; /* bpf_get_current_cgroup_id(), DT_CGROUP_OTHER, or 0 without labels */
};

struct dt_dev_stats {
	struct dt_stats stats;
	__u64 faults[DT_NR_FAULT_CLASSES];
};

/* Engine-wide counters, one per-CPU array slot each. */
enum dt_health {
	DT_HEALTH_PROC_INSERTS,
	DT_HEALTH_FILE_INSERTS,
	DT_HEALTH_MAP_FULL, /* an update that failed: the event is counted in total only */
	DT_HEALTH_LAT_UNMATCHED, /* a *_fault_done without its start */
	DT_HEALTH_EVENTS_LOST, /* snoop: the ring buffer was full */
	DT_HEALTH_LAT_LOST, /* lat: the histogram map was full */
	DT_HEALTH_DEV_INSERTS, /* exporter: device (and cgroup) rows made */
	DT_HEALTH_FOLDED_CGROUPS, /* exporter: cgroups past --max-series, folded into "other" */
	DT_HEALTH_DEVDAX_INSERTS, /* device DAX rows made */
	DT_HEALTH_STREAM_LOST, /* share --record: the share_stream ring buffer was full */
	DT_NR_HEALTH,
};

/* include/linux/mm_types.h enum vm_fault_reason; stable since v4.17. */
#define DT_VM_FAULT_OOM 0x000001
#define DT_VM_FAULT_SIGBUS 0x000002
#define DT_VM_FAULT_MAJOR 0x000004
#define DT_VM_FAULT_HWPOISON 0x000010
#define DT_VM_FAULT_HWPOISON_LARGE 0x000020
#define DT_VM_FAULT_SIGSEGV 0x000040
#define DT_VM_FAULT_NOPAGE 0x000100
#define DT_VM_FAULT_LOCKED 0x000200
#define DT_VM_FAULT_RETRY 0x000400
#define DT_VM_FAULT_FALLBACK 0x000800
#define DT_VM_FAULT_DONE_COW 0x001000
#define DT_VM_FAULT_NEEDDSYNC 0x002000
#define DT_VM_FAULT_COMPLETED 0x004000

/* include/linux/mm_types.h enum fault_flag; stable since v5.11. */
#define DT_FAULT_FLAG_WRITE 0x1
#define DT_FAULT_FLAG_MKWRITE 0x2

/* include/linux/fs.h: S_DAX, stable since v4.0. */
#define DT_S_DAX (1 << 13)

/* A set of enum dt_counter values, as bits. */
#define DT_BIT(counter) (1U << (counter))

/* The size of a DAX fault handler's attempt: dt_fault_counters()'s size argument. */
enum dt_fault_size {
	DT_SIZE_PTE,
	DT_SIZE_PMD,
	DT_SIZE_PUD, /* device DAX: dev_dax_huge_fault's PUD attempts */
};

/*
 * The counters one DAX fault-handler invocation (fs_dax *_fault_done, dax_iomap_fault's or
 * dev_dax_huge_fault's return) feeds; size is enum dt_fault_size (fsdax passes 0 or 1). A pfn_mkwrite runs the DAX fault path again as a write with
 * FAULT_FLAG_MKWRITE set, so it is a write fault and an mkwrite; a first-touch write is not an
 * mkwrite. A PMD fault that falls back is a PMD fault with result fallback; its PTE retry is
 * another invocation. A NEEDDSYNC result (a MAP_SYNC write that allocated or left metadata
 * unsynced) is a sync: the filesystem calls dax_finish_sync_fault() once for it.
 */
static inline __u32 dt_fault_counters(__u32 fault_flags, __u32 result, int size)
{
	__u32 set = DT_BIT(DT_FAULTS);

	set |= DT_BIT(size == DT_SIZE_PUD ? DT_PUD : size == DT_SIZE_PMD ? DT_PMD : DT_PTE);

	set |= DT_BIT(fault_flags & DT_FAULT_FLAG_WRITE ? DT_WRITE : DT_READ);
	if (fault_flags & DT_FAULT_FLAG_MKWRITE)
		set |= DT_BIT(DT_MKWRITE);
	if (result & DT_VM_FAULT_NEEDDSYNC)
		set |= DT_BIT(DT_SYNC);
	if (result & DT_VM_FAULT_NOPAGE)
		set |= DT_BIT(DT_NOPAGE);
	if (result & DT_VM_FAULT_FALLBACK)
		set |= DT_BIT(DT_FALLBACK);
	if (result & DT_VM_FAULT_SIGBUS)
		set |= DT_BIT(DT_SIGBUS);
	return set;
}

/* The exporter's fsdax rows: PTE (pmd 0) or PMD (any other pmd); device DAX has no class. */
static inline __u32 dt_fault_class(__u32 fault_flags, __u32 result, int pmd)
{
	__u32 outcome = DT_RESULT_OTHER;

	if (result & DT_VM_FAULT_SIGBUS)
		outcome = DT_RESULT_SIGBUS;
	else if (result & DT_VM_FAULT_FALLBACK)
		outcome = DT_RESULT_FALLBACK;
	else if (result & DT_VM_FAULT_NOPAGE)
		outcome = DT_RESULT_NOPAGE;
	return ((pmd ? 2 : 0) + (fault_flags & DT_FAULT_FLAG_WRITE ? 1 : 0)) * DT_NR_FAULT_RESULTS +
	       outcome;
}

#define DT_PAGE_SHIFT 12
#define DT_PAGE_SIZE (1ULL << DT_PAGE_SHIFT)
#define DT_PMD_ORDER 9 /* a PMD entry maps 2^9 pages (x86-64 PMD_ORDER) */
#define DT_PMD_PAGES (1ULL << DT_PMD_ORDER)
#define DT_PMD_SIZE (DT_PAGE_SIZE << DT_PMD_ORDER)
#define DT_PMD_COLOUR (DT_PMD_PAGES - 1) /* fs/dax.c PG_PMD_COLOUR */
#define DT_VM_SHARED 0x8ULL /* include/linux/mm.h */

/* What a PMD fault that fell back saw, as the fs_dax tracepoint and the iomap tell it. */
struct dt_pmd_fault_seen {
	__u64 address;
	__u64 pgoff;
	__u64 vm_start;
	__u64 vm_end;
	__u64 vm_flags;
	__u64 max_pgoff; /* pages in the file, rounded up */
	__u32 fault_flags;
	__u8 iomap_seen; /* the filesystem was asked for the extent: the entry lock succeeded */
	__u8 extent_fits; /* ...and it mapped the whole 2 MiB, 2 MiB-aligned */
};

/* The checks of dax_iomap_pmd_fault(), replayed in its order (v5.x to 7.2 alike). */
static inline enum dt_fallback_reason dt_pmd_fallback_reason(const struct dt_pmd_fault_seen *v)
{
	__u64 pmd_addr = v->address & ~(DT_PMD_SIZE - 1);

	if ((v->pgoff & DT_PMD_COLOUR) != ((v->address >> DT_PAGE_SHIFT) & DT_PMD_COLOUR))
		return DT_FB_MISALIGNED;
	if ((v->fault_flags & DT_FAULT_FLAG_WRITE) && !(v->vm_flags & DT_VM_SHARED))
		return DT_FB_PRIVATE_WRITE;
	if (pmd_addr < v->vm_start || pmd_addr + DT_PMD_SIZE > v->vm_end)
		return DT_FB_VMA_TOO_SMALL;
	if ((v->pgoff | DT_PMD_COLOUR) >= v->max_pgoff)
		return DT_FB_PAST_EOF;
	if (!v->iomap_seen)
		return DT_FB_ENTRY_CONFLICT;
	if (!v->extent_fits)
		return DT_FB_EXTENT;
	return DT_FB_OTHER;
}

#define DT_VM_HUGEPAGE 0x20000000ULL /* include/linux/mm.h, stable since v2.6.38 */
#define DT_VM_NOHUGEPAGE 0x40000000ULL
/*
 * mm->flags bits (include/linux/sched/coredump.h; include/linux/mm_types.h from v6.13):
 * MMF_DISABLE_THP is bit 24 up to v6.17; v6.18 "prctl: extend PR_SET_THP_DISABLE to
 * optionally exclude VM_HUGEPAGE" renamed it MMF_DISABLE_THP_COMPLETELY (still 24) and gave
 * bit 23 (MMF_HUGE_ZERO_FOLIO before) to MMF_DISABLE_THP_EXCEPT_ADVISED.
 */
#define DT_MMF_DISABLE_THP_EXCEPT_ADVISED 23
#define DT_MMF_DISABLE_THP 24
/* arch/x86/include/asm/pgtable.h pmd_none(): the KNL erratum bits (dirty, accessed) ignored */
#define DT_PMD_NONE_IGNORED 0x60ULL

/* What a DAX PTE fault's entry saw of its VMA and page table (bpf/nopmd.bpf.h reads it). */
struct dt_pte_fault_seen {
	__u64 vm_flags;
	__u64 mm_flags; /* the first word of mm->flags */
	__u64 pmd; /* *vmf->pmd */
	__u8 pmd_tried; /* a PMD fault of the same task fell back on this 2 MiB range just before */
	__u8 has_huge_fault; /* vma->vm_ops->huge_fault is set */
	__u8 thp_except_advised; /* the kernel has MMF_DISABLE_THP_EXCEPT_ADVISED (v6.18 on) */
	__u8 no_vmf; /* classic tracepoint: vm_flags and mm_flags only */
};

/*
 * DT_NR_NO_PMD_REASONS if a PMD fault was tried, else why not. The kernel tests pmd_none()
 * first, but a page table left by earlier PTE faults is a consequence: the lasting cause
 * (madvise, prctl) is what the user can change, so it is named first.
 */
static inline enum dt_no_pmd_reason dt_no_pmd_reason(const struct dt_pte_fault_seen *v)
{
	if (v->pmd_tried)
		return DT_NR_NO_PMD_REASONS;
	if (!v->no_vmf && !v->has_huge_fault)
		return DT_NOPMD_NO_HUGE_FAULT;
	if (v->vm_flags & DT_VM_NOHUGEPAGE)
		return DT_NOPMD_NOHUGEPAGE;
	/* v6.18 vma_thp_disabled(): EXCEPT_ADVISED spares VMAs with VM_HUGEPAGE */
	if ((v->mm_flags & (1ULL << DT_MMF_DISABLE_THP)) ||
	    (v->thp_except_advised && (v->mm_flags & (1ULL << DT_MMF_DISABLE_THP_EXCEPT_ADVISED)) &&
	     !(v->vm_flags & DT_VM_HUGEPAGE)))
		return DT_NOPMD_THP_DISABLED;
	if (v->no_vmf)
		return DT_NOPMD_UNKNOWN;
	if (v->pmd & ~DT_PMD_NONE_IGNORED)
		return DT_NOPMD_PAGE_TABLE;
	return DT_NOPMD_THP_UNAVAILABLE;
}

/*
 * Log2 slot of a latency, branch-free so it costs the same on the fault path for any value.
 * Both sides use it, so slot s means [2^s, 2^(s+1)) ns everywhere; slot 0 also holds 0 ns.
 */
static inline __u32 dt_lat_slot(__u64 ns)
{
	__u32 slot, shift;

	shift = (ns > 0xffffffffULL) << 5;
	ns >>= shift;
	slot = shift;
	shift = (ns > 0xffff) << 4;
	ns >>= shift;
	slot |= shift;
	shift = (ns > 0xff) << 3;
	ns >>= shift;
	slot |= shift;
	shift = (ns > 0xf) << 2;
	ns >>= shift;
	slot |= shift;
	shift = (ns > 0x3) << 1;
	ns >>= shift;
	slot |= shift;
	slot |= (__u32)(ns >> 1);
	return slot < DT_LAT_SLOTS ? slot : DT_LAT_SLOTS - 1;
}

#endif /* DAXTRACE_H */
