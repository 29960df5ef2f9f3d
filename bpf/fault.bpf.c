// SPDX-License-Identifier: GPL-2.0
/*
 * DAX page faults: one count per DAX fault-handler invocation, sized PTE or PMD, with the
 * VM_FAULT_* result decoded (dt_fault_counters) and the handler's latency from the fs_dax
 * entry tracepoint to its *_fault_done twin; PMD faults that fell back say why
 * (dt_pmd_fallback_reason), PTE faults why no PMD fault was tried first (nopmd.bpf.h).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "account.bpf.h"
#include "event.bpf.h"
#include "filter.bpf.h"
#include "nopmd.bpf.h"
#include "probe.bpf.h"

struct dax_fault {
	__u32 dev;
	__u64 ino;
	__u32 flags; /* vmf->flags */
	__u32 result; /* vm_fault_t */
	bool pmd;
	struct dt_pmd_fault_seen view; /* PMD faults: why a fallback fell back */
	__u64 address; /* these two for snoop only */
	__u64 pgoff;
};

static __always_inline enum dt_event_type dax_fault_event_type(const struct dax_fault *fault,
							       bool cow)
{
	if (fault->result & DT_VM_FAULT_SIGBUS)
		return DT_EV_SIGBUS;
	if (cow)
		return DT_EV_COW;
	return fault->flags & DT_FAULT_FLAG_MKWRITE ? DT_EV_MKWRITE : DT_EV_FAULT;
}

/*
 * Adds one to each counter of the set (dt_fault_counters) in one row. A global function, so
 * the verifier checks it once: inlined, its 28-step loop was walked again for every state the
 * caller carried in (process row or not, file row or not, timed or not), 60 % of the 54,000
 * instructions verified for dax_pmd_fault_done and most of daxtrace's start-up after the row
 * maps. Global functions take pointer arguments since v5.12 ("bpf: Support pointers in global
 * func args"); the verifier checks the body as if row may be NULL, hence the test, though the
 * callers pass only rows they have.
 */
const volatile __u8 fault_count_static; /* set where the engine turned it static (below) */

__noinline int dt_row_count_fault(struct dt_stats *row, __u32 counters)
{
	if (!row)
		return 0;
	/*
	 * Before v5.12 the engine makes this function static (engine/global_funcs.h), and the
	 * verifier walks it at every call with the caller's states: there, one add per counter
	 * without a branch is verified in 2.5 times less time (on 6.18, forced static: 25 + 50
	 * ms to load the two fault-done programs instead of 62 + 146) for 28 stores per row.
	 */
	if (fault_count_static) {
		for (int counter = 0; counter < DT_NR_COUNTERS; counter++)
			row->count[counter] += (counters >> counter) & 1;
		return 0;
	}
	for (int counter = 0; counter < DT_NR_COUNTERS; counter++)
		if (counters & DT_BIT(counter))
			row->count[counter]++;
	return 0;
}

/* lat's histograms and snoop's record of one fault; timed is false without its start. */
static __always_inline void dax_fault_observed(const struct dax_fault *fault,
					       const struct dt_file_key *file,
					       const struct dax_fault_entry *started, bool timed,
					       __u64 latency, enum dt_fallback_reason reason,
					       __u8 pte_reason)
{
	enum dt_event_type type = dax_fault_event_type(fault, started->cow);
	bool write = fault->flags & DT_FAULT_FLAG_WRITE;

	if (lat_on && timed) {
		dt_lat_record((fault->pmd ? DT_LAT_PMD_READ : DT_LAT_PTE_READ) + write, latency,
			      file);
		if (fault->flags & DT_FAULT_FLAG_MKWRITE)
			dt_lat_record(DT_LAT_MKWRITE, latency, file);
		if (started->cow)
			dt_lat_record(DT_LAT_COW, latency, file);
		if (reason < DT_NR_FALLBACK_REASONS)
			dt_lat_record(DT_LAT_FALLBACK + reason, latency, file);
		if (pte_reason < DT_NR_NO_PMD_REASONS)
			dt_lat_record(DT_LAT_NO_PMD + pte_reason, latency, file);
	}
	if (dt_event_wanted(type)) {
		struct dt_event ev = {};

		dt_event_init(&ev, type, file);
		ev.latency_ns = timed ? latency : 0;
		ev.address = fault->address;
		ev.pgoff = fault->pgoff;
		ev.bytes = fault->pmd ? DT_PMD_SIZE : DT_PAGE_SIZE;
		ev.result = fault->result;
		ev.fault_flags = fault->flags;
		ev.pmd = fault->pmd;
		ev.dax_fault = 1;
		ev.fallback_reason = reason;
		ev.pte_reason = pte_reason;
		dt_event_submit(&ev);
	}
}

/*
 * The entry of a DAX fault; tp is the classic dax_pte_fault tracepoint's record, which a PTE
 * fault without vmf (that family) reads its reason from.
 */
static __always_inline int on_dax_fault_begin(struct vm_fault *vmf, __u32 order, __u64 pgoff,
					      struct trace_event_raw_dax_pte_fault_class *tp)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct dax_fault_entry entry = {
		.vmf = vmf,
		.order = order,
		.pmd_pos = (pgoff & ~DT_PMD_COLOUR) << DT_PAGE_SHIFT,
	};

	if (!dt_current_traced())
		return 0;
	/* order 0 is a PTE fault both as enum page_entry_size and as an order */
	if (order == 0 && vmf)
		entry.pte_reason = dt_pte_fault_no_pmd(vmf);
	else if (order == 0 && tp)
		entry.pte_reason = dt_pte_fault_no_pmd_tp(BPF_CORE_READ(tp, address),
							  BPF_CORE_READ(tp, vm_flags));
	else
		entry.pte_reason = DT_NR_NO_PMD_REASONS;
	entry.start_ns = bpf_ktime_get_ns();
	bpf_map_update_elem(&fault_start, &tid, &entry, BPF_ANY);
	return 0;
}

static __always_inline int on_dax_fault_done(const struct dax_fault *fault, struct inode *inode)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct dt_file_key file = { .dev = fault->dev, .ino = fault->ino };
	__u32 counters = dt_fault_counters(fault->flags, fault->result, fault->pmd);
	struct dax_fault_entry *entry = bpf_map_lookup_elem(&fault_start, &tid);
	enum dt_fallback_reason reason = DT_NR_FALLBACK_REASONS;
	/* a PTE fault whose entry was not seen: why no PMD fault was tried is unknown */
	struct dax_fault_entry started = { .pte_reason = DT_NOPMD_UNKNOWN };
	bool start = entry != NULL;
	__u8 pte_reason;
	__u64 latency = 0;
	struct dt_rows rows;

	if (entry) {
		started = *entry;
		latency = bpf_ktime_get_ns() - started.start_ns;
		bpf_map_delete_elem(&fault_start, &tid);
	}
	if (!dt_current_traced())
		return 0;
	if (fault->pmd && (fault->result & DT_VM_FAULT_FALLBACK))
		dt_pmd_fallback_seen(fault->view.address);
	if (!dt_file_wanted(fault->dev, true))
		return 0;
	if (!dt_rows_get(&rows, &file, inode, true, true))
		return 0;
	dt_row_count_fault(rows.total, counters);
	if (rows.proc)
		dt_row_count_fault(rows.proc, counters);
	if (rows.file)
		dt_row_count_fault(rows.file, counters);
	if (rows.dev) {
		__u32 class = dt_fault_class(fault->flags, fault->result, fault->pmd);

		dt_row_count_fault(&rows.dev->stats, counters);
		barrier_var(class); /* as in dt_stats_latency: keep the bound on this register */
		if (class < DT_NR_FAULT_CLASSES)
			rows.dev->faults[class]++;
	}
	if (start)
		dt_add_latency(&rows, latency);
	else
		dt_health_inc(DT_HEALTH_LAT_UNMATCHED);
	if (start && started.cow) {
		dt_add(&rows, DT_COW_TIMED, 1);
		dt_add(&rows, DT_COW_LAT_NS, latency);
	}
	if (fault->pmd && (fault->result & DT_VM_FAULT_FALLBACK)) {
		struct dt_pmd_fault_seen view = fault->view;

		view.iomap_seen = started.iomap_seen;
		view.extent_fits = started.extent_fits;
		reason = dt_pmd_fallback_reason(&view);
		dt_add_fallback_reason(&rows, reason);
	}
	pte_reason = fault->pmd ? DT_NR_NO_PMD_REASONS : started.pte_reason;
	dt_add_pte_reason(&rows, pte_reason);
	dax_fault_observed(fault, &file, &started, start, latency, reason, pte_reason);
	return 0;
}

static __always_inline int on_dax_fault_done_raw(struct inode *inode, struct vm_fault *vmf,
						 int result, bool pmd, bool direct)
{
	struct dt_inode_id id;
	struct dax_fault fault = {
		.flags = dt_vmf_flags(vmf, direct),
		.result = result,
		.pmd = pmd,
	};

	dt_inode_id_of(inode, direct, &id);
	fault.dev = id.dev;
	fault.ino = id.ino;
	if (events_on) {
		fault.address = BPF_CORE_READ(vmf, address);
		fault.pgoff = BPF_CORE_READ(vmf, pgoff);
	}

	if (pmd && (result & DT_VM_FAULT_FALLBACK)) {
		struct vm_area_struct *vma = BPF_CORE_READ(vmf, vma);

		fault.view.address = BPF_CORE_READ(vmf, address);
		fault.view.pgoff = BPF_CORE_READ(vmf, pgoff);
		fault.view.vm_start = BPF_CORE_READ(vma, vm_start);
		fault.view.vm_end = BPF_CORE_READ(vma, vm_end);
		fault.view.vm_flags = BPF_CORE_READ(vma, vm_flags);
		fault.view.fault_flags = fault.flags;
		/* fs/dax.c: max_pgoff = DIV_ROUND_UP(i_size_read(inode), PAGE_SIZE) */
		fault.view.max_pgoff = (BPF_CORE_READ(inode, i_size) + 4095) >> DT_PAGE_SHIFT;
	}
	return on_dax_fault_done(&fault, inode);
}

/* include/trace/events/fs_dax.h: the same arguments from v4.14 to today. */
DT_TP_TWINS(dax_pte_fault, on_dax_fault_begin(vmf, 0, 0, NULL), struct inode *inode,
	    struct vm_fault *vmf, int result)
DT_TP_TWINS(dax_pmd_fault, on_dax_fault_begin(vmf, 9, BPF_CORE_READ(vmf, pgoff), NULL),
	    struct inode *inode, struct vm_fault *vmf, unsigned long max_pgoff, int result)
DT_TP_TWINS(dax_pte_fault_done, on_dax_fault_done_raw(inode, vmf, result, false, dt_direct),
	    struct inode *inode, struct vm_fault *vmf, int result)
DT_TP_TWINS(dax_pmd_fault_done, on_dax_fault_done_raw(inode, vmf, result, true, dt_direct),
	    struct inode *inode, struct vm_fault *vmf, unsigned long max_pgoff, int result)

SEC("tracepoint/fs_dax/dax_pte_fault")
int dax_pte_fault__tracepoint(struct trace_event_raw_dax_pte_fault_class *ctx)
{
	return on_dax_fault_begin(NULL, 0, 0, ctx);
}

SEC("tracepoint/fs_dax/dax_pmd_fault")
int dax_pmd_fault__tracepoint(struct trace_event_raw_dax_pmd_fault_class *ctx)
{
	return on_dax_fault_begin(NULL, 9, BPF_CORE_READ(ctx, pgoff), NULL);
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

	if (events_on) {
		fault.address = BPF_CORE_READ(ctx, address);
		fault.pgoff = BPF_CORE_READ(ctx, pgoff);
	}
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
		.view = {
			.address = BPF_CORE_READ(ctx, address),
			.pgoff = BPF_CORE_READ(ctx, pgoff),
			.vm_start = BPF_CORE_READ(ctx, vm_start),
			.vm_end = BPF_CORE_READ(ctx, vm_end),
			.vm_flags = BPF_CORE_READ(ctx, vm_flags),
			.max_pgoff = BPF_CORE_READ(ctx, max_pgoff),
			.fault_flags = BPF_CORE_READ(ctx, flags),
		},
	};

	fault.address = fault.view.address;
	fault.pgoff = fault.view.pgoff;
	return on_dax_fault_done(&fault, NULL);
}

/*
 * dax_iomap_fault(vmf, order, ...) is the one entry of every DAX fault, for fentry and kprobes.
 * Its size argument was enum page_entry_size (PTE 0, PMD 1, PUD 2) until v6.6 "mm: Remove enum
 * page_entry_size", the order since (0, PMD_ORDER 9, PUD_ORDER 18): 1 and DT_PMD_ORDER mean PMD in either.
 * PUD attempts return VM_FAULT_FALLBACK before dax_iomap_p{te,md}_fault and have no fs_dax
 * tracepoint: they are left out, so every family counts the same faults.
 */
static __always_inline int on_dax_iomap_fault_return(struct vm_fault *vmf, __u32 order,
						     vm_fault_t ret)
{
	struct inode *inode = BPF_CORE_READ(vmf, vma, vm_file, f_inode);
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	if (order != 0 && order != 1 && order != DT_PMD_ORDER) {
		bpf_map_delete_elem(&fault_start, &tid);
		return 0;
	}
	/* fexit and kretprobe share this: read as for a plain pointer */
	return on_dax_fault_done_raw(inode, vmf, ret, order != 0, false);
}

SEC("fentry/dax_iomap_fault")
int BPF_PROG(dax_iomap_fault__fentry, struct vm_fault *vmf, unsigned int order)
{
	return on_dax_fault_begin(vmf, order, BPF_CORE_READ(vmf, pgoff), NULL);
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
	return on_dax_fault_begin(vmf, order, BPF_CORE_READ(vmf, pgoff), NULL);
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

/*
 * The extent the filesystem returned inside a DAX fault (iomap_iter() traces every one): a PMD
 * fault that got this far passed the entry lock, and needs the whole 2 MiB range mapped at a
 * 2 MiB-aligned device address (dax_iomap_pfn).
 */
static __always_inline struct dax_fault_entry *dax_fault_in_progress(void)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	return bpf_map_lookup_elem(&fault_start, &tid);
}

static __always_inline int on_dax_fault_extent(struct dax_fault_entry *entry, __u64 offset,
					       __u64 length, __u64 addr)
{
	__u64 pos = entry->pmd_pos;

	entry->iomap_seen = 1;
	entry->extent_fits = offset <= pos && offset + length >= pos + DT_PMD_SIZE &&
			     ((addr + (pos - offset)) & (DT_PMD_SIZE - 1)) == 0;
	return 0;
}

/*
 * Every iomap iteration of every file system gets here (buffered I/O and page-cache mkwrite
 * included): a file that is not DAX returns after one load, without a map lookup.
 */
static __always_inline int on_dax_fault_extent_raw(struct inode *inode, struct iomap *iomap,
						   bool direct)
{
	struct dax_fault_entry *entry;
	struct dt_inode_id id;

	dt_inode_id_of(inode, direct, &id);
	if (!id.dax)
		return 0;
	entry = dax_fault_in_progress();
	if (!entry)
		return 0;
	if (direct)
		return on_dax_fault_extent(entry, iomap->offset, iomap->length, iomap->addr);
	return on_dax_fault_extent(entry, BPF_CORE_READ(iomap, offset),
				   BPF_CORE_READ(iomap, length), BPF_CORE_READ(iomap, addr));
}

DT_TP_TWINS(iomap_iter_dstmap, on_dax_fault_extent_raw(inode, iomap, dt_direct),
	    struct inode *inode, struct iomap *iomap)

SEC("tracepoint/iomap/iomap_iter_dstmap")
int iomap_iter_dstmap__tracepoint(struct trace_event_raw_iomap_class *ctx)
{
	struct dax_fault_entry *entry = dax_fault_in_progress();

	if (!entry)
		return 0;
	return on_dax_fault_extent(entry, BPF_CORE_READ(ctx, offset), BPF_CORE_READ(ctx, length),
				   BPF_CORE_READ(ctx, addr));
}
