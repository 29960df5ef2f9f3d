// SPDX-License-Identifier: GPL-2.0
/*
 * daxtrace share: the owner census of pmem pfns. dax_insert_entry() associates a DAX entry's
 * pfn with a file (its inlined dax_associate_entry); dax_disassociate_entry() takes it away.
 * Every association costs at most one map update (a pfn new to the census), and one more the
 * first time a file is seen (its path, for the output); joining or leaving a known pfn is an
 * atomic change of its map value.
 *
 * At each event the kernel's own share count of the page is read (page_share.bpf.h) and
 * compared with the census: a disagreement is an anomaly, kept as a sample.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "account.bpf.h"
#include "cost.bpf.h"
#include "filter.bpf.h"
#include "page_share.bpf.h"
#include "probe.bpf.h"
#include "share_stream.bpf.h"

/*
 * Set by the engine when the disassociation probe landed on a compiler clone whose arguments
 * cannot be trusted (7.x: dax_disassociate_entry.isra.0 keeps only the entry): the file then
 * comes from the caller, remembered per task by the share.context probes.
 */
const volatile __u8 share_mapping_from_context;

/* fs/dax.c: an xarray value entry, pfn << DAX_SHIFT | flags; unchanged from v4.16 to 7.2. */
#define DT_DAX_SHIFT 4
#define DT_DAX_PMD (1UL << 1)
#define DT_DAX_ZERO_PAGE (1UL << 2)
#define DT_DAX_EMPTY (1UL << 3)

#define DT_EEXIST 17 /* include/uapi/asm-generic/errno-base.h */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC); /* memory per pfn seen, not per possible pfn */
	__uint(max_entries, 1); /* --max-pfns when daxtrace share sizes it before load */
	__type(key, __u64);
	__type(value, struct dt_pfn_owners);
} pfn_owners SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct dt_share_totals);
} share_totals SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct dt_share_gauges);
} share_gauges SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, DT_SHARE_SAMPLES);
	__type(key, __u32);
	__type(value, struct dt_anomaly);
} share_anomalies SEC(".maps");

/*
 * Per task: the file a DAX entry operation works on, for kprobes the insert's arguments, and
 * the disassociation dax_insert_entry made, held until the insert returns (see
 * entry_reinserted()).
 */
struct share_task_ctx {
	struct address_space *mapping;
	struct inode *inode;
	__u64 pgoff;
	__u64 old_entry;
	__u8 in_insert;
	__u64 held_entry; /* 0: none */
	struct address_space *held_mapping;
	/* measured costs (share_costs_on): when each began, 0 if not timed */
	__u64 insert_start_ns;
	__u64 disassoc_start_ns;
	__u32 disassoc_op; /* enum dt_cost_op, known at its entry from the census */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct share_task_ctx);
} share_task SEC(".maps");

/* Zeroed value for a pfn new to the census (too large for the BPF stack). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct dt_pfn_owners);
} zero_pfn_owners SEC(".maps");

struct share_file {
	__u32 dev;
	__u64 ino;
};

static __always_inline __u64 dax_entry_pfn(__u64 entry)
{
	return (entry >> 1) >> DT_DAX_SHIFT;
}

/* Entries that carry a pmem pfn (not the zero page, not an empty placeholder). */
static __always_inline bool dax_entry_has_pfn(__u64 entry)
{
	__u64 flags = entry >> 1;

	return (entry & 1) && !(flags & (DT_DAX_ZERO_PAGE | DT_DAX_EMPTY)) && dax_entry_pfn(entry);
}

static __always_inline struct dt_share_totals *share_totals_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&share_totals, &zero);
}

static __always_inline void share_count(enum dt_share_counter counter)
{
	struct dt_share_totals *totals = share_totals_get();

	if (totals)
		totals->count[counter]++;
}

/*
 * DT_SH_SHARED_UPDATE_PAGES: the struct pages one share-count update of the unit writes. Up to
 * v6.14 dax_associate_entry() and dax_disassociate_entry() loop over every pfn of the entry
 * (for_each_mapped_pfn): 512 pages for a PMD entry. v6.0-v6.1 does so on every association,
 * COW marker or not (its read faults of a shared extent write ->mapping and ->index of all 512
 * pages instead), so its shared updates cost 512 as well. From "fs/dax: remove
 * PAGE_MAPPING_DAX_SHARED mapping flag" (v6.15) a PMD entry is one folio with one
 * folio->share: 1.
 */
static __always_inline void share_count_update_pages(const struct dt_pfn_owners *record)
{
	struct dt_share_totals *totals = share_totals_get();
	bool per_page = !bpf_core_field_exists(struct folio, share);
	__u64 pages = per_page && record->order ? DT_PMD_PAGES : 1;

	if (totals)
		totals->count[DT_SH_SHARED_UPDATE_PAGES] += pages;
}

/* level += delta, and the peak follows; a lost race with a higher peak just stops. */
static __always_inline void gauge_add(__s64 *level, __s64 *peak, __s64 delta)
{
	__s64 now = __sync_fetch_and_add(level, delta) + delta;

	for (int tries = 0; tries < 4; tries++) {
		__s64 seen = *peak;

		if (now <= seen || __sync_val_compare_and_swap(peak, seen, now) == seen)
			break;
	}
}

static __always_inline struct dt_share_gauges *share_gauges_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&share_gauges, &zero);
}

/* Census count (owners) against the kernel's at the same moment; a sample when they differ. */
static __always_inline void check_kernel_view(__u64 pfn, __u32 owners, const struct share_file *f,
					      enum dt_share_event event)
{
	struct dt_kernel_share view = {};
	struct dt_share_gauges *gauges;
	struct dt_anomaly *sample;
	__u32 slot;

	dt_kernel_share_view(pfn, &view);
	dt_share_emit(DT_REC_CHECK, &(struct dt_share_what){ .pfn = pfn,
							     .ino = f->ino,
							     .dev = f->dev,
							     .owners = owners,
							     .kernel_count = view.count,
							     .detail = view.state,
							     .flags = event | view.layout << 4 });
	if (view.count == owners)
		return;
	share_count(DT_SH_ANOMALIES);
	gauges = share_gauges_get();
	if (!gauges)
		return;
	slot = __sync_fetch_and_add(&gauges->samples, 1);
	sample = bpf_map_lookup_elem(&share_anomalies, &slot);
	if (!sample)
		return; /* DT_SHARE_SAMPLES kept already */
	sample->pfn = pfn;
	sample->dev = f->dev;
	sample->ino = f->ino;
	sample->owners = owners;
	sample->kernel_count = view.count;
	sample->kernel_state = view.state;
	sample->layout = view.layout;
	sample->event = event;
}

static __always_inline void share_file_of(struct inode *inode, struct share_file *f)
{
	f->dev = BPF_CORE_READ(inode, i_sb, s_dev);
	f->ino = BPF_CORE_READ(inode, i_ino);
}

static __always_inline bool owner_is(const struct dt_owner *o, const struct share_file *f)
{
	return o->ino == f->ino && o->dev == f->dev;
}

/* The slot holding the file among the pfn's owners, or -1 (not one, or beyond the slots). */
static __always_inline int owner_slot(const struct dt_pfn_owners *record,
				      const struct share_file *f)
{
	for (int s = 0; s < DT_SHARE_SLOTS; s++)
		if (owner_is(&record->slot[s], f))
			return s;
	return -1;
}

/* The census record of a pfn; a new one only for a traced task's file (filters of -p/-C/-d). */
static __always_inline struct dt_pfn_owners *pfn_record(__u64 pfn, __u32 order,
							const struct share_file *f)
{
	struct dt_pfn_owners *record = bpf_map_lookup_elem(&pfn_owners, &pfn);
	__u32 zero = 0;
	void *blank;
	long err;

	if (record || !dt_current_traced() || !dt_file_wanted(f->dev, true))
		return record;
	blank = bpf_map_lookup_elem(&zero_pfn_owners, &zero);
	if (!blank)
		return NULL;
	err = bpf_map_update_elem(&pfn_owners, &pfn, blank, BPF_NOEXIST);
	if (err && err != -DT_EEXIST) { /* -E2BIG: full (another CPU may have just added it) */
		share_count(DT_SH_EVICTED);
		dt_share_emit(DT_REC_EVICTED,
			      &(struct dt_share_what){
				      .pfn = pfn, .ino = f->ino, .dev = f->dev, .order = order });
		return NULL;
	}
	record = bpf_map_lookup_elem(&pfn_owners, &pfn);
	if (record)
		record->order = order;
	return record;
}

/* The owners the unit has now. */
static __always_inline __u32 owner_joined(struct dt_pfn_owners *record, __u64 pfn,
					  const struct share_file *f, __u64 index)
{
	__u32 owners = __sync_fetch_and_add(&record->owners, 1) + 1;
	struct dt_share_gauges *gauges = share_gauges_get();

	bool listed = false;

	for (int s = 0; s < DT_SHARE_SLOTS; s++) {
		if (__sync_val_compare_and_swap(&record->slot[s].ino, 0, f->ino) == 0) {
			record->slot[s].dev = f->dev;
			record->slot[s].index = index;
			listed = true;
			break;
		}
	}
	if (!listed)
		__sync_fetch_and_add(&record->unlisted, 1);
	share_count(DT_SH_ASSOCIATIONS);
	dt_share_emit(DT_REC_ASSOCIATE, &(struct dt_share_what){ .pfn = pfn,
								 .ino = f->ino,
								 .index = index,
								 .dev = f->dev,
								 .owners = owners,
								 .order = record->order,
								 .flags = DT_RECF_IN_FAULT });
	if (owners >= 2) {
		share_count(DT_SH_SHARED_UPDATES);
		share_count(DT_SH_SHARED_JOINS);
		share_count_update_pages(record);
		if (gauges)
			gauge_add(&gauges->extra_owners, &gauges->extra_owners_peak, 1);
	}
	if (owners == 2) {
		share_count(DT_SH_BECAME_SHARED);
		record->shared_since_ns = bpf_ktime_get_ns();
		if (gauges)
			gauge_add(&gauges->shared, &gauges->shared_peak, 1);
	}
	return owners;
}

/* The path of a file new to the census, for the output; a lookup only, once it is known. */
static __always_inline void remember_file_name(const struct share_file *f, struct inode *inode)
{
	struct dt_file_key key = { .dev = f->dev, .ino = f->ino };

	if (!bpf_map_lookup_elem(&file_info, &key))
		dt_capture_names(&key, dt_inode_dentry(inode), true);
}

static __always_inline struct share_task_ctx *task_ctx(void)
{
	return bpf_task_storage_get(&share_task, bpf_get_current_task_btf(), NULL,
				    BPF_LOCAL_STORAGE_GET_F_CREATE);
}

static __always_inline int remember_mapping(struct address_space *mapping)
{
	struct share_task_ctx *task;

	if (!share_mapping_from_context)
		return 0;
	task = task_ctx();
	if (task)
		task->mapping = mapping;
	return 0;
}

static __always_inline struct address_space *remembered_mapping(void)
{
	struct share_task_ctx *task = task_ctx();

	return task ? task->mapping : NULL;
}

/*
 * What to do with a disassociation: compare the census with the kernel (at the probe, before
 * the kernel's change), take the owner away, or both. A disassociation inside dax_insert_entry
 * is compared at once and taken away when the insert returns, unless it was a no-op pair.
 */
enum disassociation_step {
	DISASSOC_CHECK = 1,
	DISASSOC_APPLY = 2,
	DISASSOC_BOTH = DISASSOC_CHECK | DISASSOC_APPLY,
	DISASSOC_IN_FAULT = 4, /* for the stream: inside dax_insert_entry */
};

/*
 * dax_disassociate_entry: the file gives the entry's pfn up. The census's owners of the unit
 * before, or 0 when the census does not have this owner (its cost is then not timed).
 */
static __always_inline __u32 on_entry_disassociated(__u64 entry, struct address_space *mapping,
						    enum disassociation_step steps)
{
	struct dt_share_gauges *gauges;
	struct dt_pfn_owners *record;
	struct share_file f;
	__u64 pfn = dax_entry_pfn(entry), index = 0;
	__u32 owners;
	int found;

	if (!dax_entry_has_pfn(entry))
		return 0;
	if (!mapping) {
		share_count(DT_SH_NO_CONTEXT);
		dt_share_emit(DT_REC_NO_CONTEXT, &(struct dt_share_what){ .pfn = pfn });
		return 0;
	}
	record = bpf_map_lookup_elem(&pfn_owners, &pfn);
	if (!record)
		return 0; /* not in the census: associated before attach, or not traced */
	share_file_of(BPF_CORE_READ(mapping, host), &f);
	found = owner_slot(record, &f);
	if (found < 0 && !record->unlisted) {
		if (steps & DISASSOC_APPLY) {
			share_count(DT_SH_UNMATCHED);
			dt_share_emit(
				DT_REC_UNMATCHED,
				&(struct dt_share_what){ .pfn = pfn, .ino = f.ino, .dev = f.dev });
		}
		return 0;
	}
	owners = record->owners;
	if (steps & DISASSOC_CHECK)
		check_kernel_view(pfn, owners, &f, DT_EV_DISASSOCIATE);
	if (!(steps & DISASSOC_APPLY))
		return owners;
	if (found >= 0 && found < DT_SHARE_SLOTS) {
		index = record->slot[found].index;
		record->slot[found].ino = 0;
	} else {
		__sync_fetch_and_sub(&record->unlisted, 1); /* one beyond the slots left */
	}
	owners = __sync_fetch_and_sub(&record->owners, 1);
	share_count(DT_SH_DISASSOCIATIONS);
	dt_share_emit(DT_REC_DISASSOCIATE,
		      &(struct dt_share_what){
			      .pfn = pfn,
			      .ino = f.ino,
			      .index = index,
			      .dev = f.dev,
			      .owners = owners - 1,
			      .order = record->order,
			      .flags = steps & DISASSOC_IN_FAULT ? DT_RECF_IN_FAULT : 0 });
	gauges = share_gauges_get();
	if (owners >= 2) {
		share_count(DT_SH_SHARED_UPDATES);
		if (!(steps & DISASSOC_IN_FAULT))
			share_count(DT_SH_SHARED_UPDATES_ELSEWHERE);
		share_count_update_pages(record);
		if (gauges)
			gauge_add(&gauges->extra_owners, &gauges->extra_owners_peak, -1);
	}
	if (owners == 2) {
		share_count(DT_SH_BECAME_UNSHARED);
		if (gauges)
			gauge_add(&gauges->shared, &gauges->shared_peak, -1);
	}
	if (owners == 1)
		bpf_map_delete_elem(&pfn_owners, &pfn);
	return owners;
}

/*
 * From v6.2 ("fsdax,xfs: set the shared flag when file extent is shared") dax_insert_entry
 * disassociates and associates again an entry of a shared extent even when it keeps its pfn:
 * the first read of each page of a file after FICLONE, say (6.0 and 6.1 did so on a COW
 * write only, which always moves to a new pfn). The kernel's share count ends
 * where it began, and so does the census: two share-count updates, and no owner leaving and
 * joining, no pfn turning unshared and shared again (which would restart its shared age), no
 * record deleted and created. True when the held disassociation was such a pair.
 */
static __always_inline bool entry_reinserted(__u64 held, struct address_space *held_mapping,
					     struct inode *inode, __u64 new_entry)
{
	__u64 pfn = dax_entry_pfn(held);
	struct dt_pfn_owners *record;
	struct share_file f;

	if (!dax_entry_has_pfn(new_entry) || dax_entry_pfn(new_entry) != pfn ||
	    held_mapping != BPF_CORE_READ(inode, i_mapping))
		return false;
	record = bpf_map_lookup_elem(&pfn_owners, &pfn);
	if (!record)
		return false; /* not in the census yet: the association adds it */
	share_file_of(inode, &f);
	if (owner_slot(record, &f) < 0 && !record->unlisted)
		return false; /* an owner the census never saw join: let it join now */
	share_count(DT_SH_DISASSOCIATIONS);
	share_count(DT_SH_ASSOCIATIONS);
	dt_share_emit(DT_REC_REINSERT, &(struct dt_share_what){ .pfn = pfn,
								.ino = f.ino,
								.dev = f.dev,
								.owners = record->owners,
								.order = record->order,
								.flags = DT_RECF_IN_FAULT });
	if (record->owners >= 2) {
		share_count(DT_SH_SHARED_UPDATES);
		share_count(DT_SH_SHARED_UPDATES);
		share_count(DT_SH_SHARED_JOINS);
		share_count_update_pages(record);
		share_count_update_pages(record);
	}
	check_kernel_view(pfn, record->owners, &f, DT_EV_ASSOCIATE);
	return true;
}

/*
 * The disassociation held since dax_insert_entry began, if any, is a pair with the insert's
 * association (entry_reinserted) or is applied now, after the kernel's.
 */
static __always_inline bool held_disassociation_cancelled(struct share_task_ctx *task,
							  struct inode *inode, __u64 new_entry)
{
	__u64 held = task->held_entry;
	struct address_space *held_mapping = task->held_mapping;

	task->held_entry = 0;
	if (!held)
		return false;
	if (inode && entry_reinserted(held, held_mapping, inode, new_entry))
		return true;
	on_entry_disassociated(held, held_mapping, DISASSOC_APPLY | DISASSOC_IN_FAULT);
	return false;
}

/* dax_insert_entry begins: its disassociation, if it makes one, is held until it returns. */
static __always_inline struct share_task_ctx *insert_began(void)
{
	struct share_task_ctx *task = task_ctx();

	if (!task)
		return NULL;
	held_disassociation_cancelled(task, NULL, 0); /* a return a kretprobe missed */
	task->in_insert = 1;
	return task;
}

/*
 * After dax_insert_entry: the file owns the pfn of the entry it returned. What the insert did
 * to the census, as the operation its duration is the cost of; DT_NR_COST_OPS: no owner
 * changed (not timed).
 */
static __always_inline enum dt_cost_op on_entry_inserted(struct share_task_ctx *task,
							 struct inode *inode, __u64 pgoff,
							 __u64 old_entry, __u64 new_entry)
{
	struct share_file f;
	struct dt_pfn_owners *record;
	__u32 order = (new_entry >> 1) & DT_DAX_PMD ? DT_PMD_ORDER : 0;
	__u64 pfn = dax_entry_pfn(new_entry);
	__u64 index = order ? pgoff & ~DT_PMD_COLOUR : pgoff;

	__u32 owners;

	if (task) {
		task->in_insert = 0;
		if (held_disassociation_cancelled(task, inode, new_entry))
			return DT_COST_REINSERT;
	}
	if (!dax_entry_has_pfn(new_entry) || !inode)
		return DT_NR_COST_OPS;
	share_file_of(inode, &f);
	record = pfn_record(pfn, order, &f);
	if (!record)
		return DT_NR_COST_OPS;
	for (int s = 0; s < DT_SHARE_SLOTS; s++)
		if (owner_is(&record->slot[s], &f) && record->slot[s].index == index)
			return DT_NR_COST_OPS; /* the same owner: a fault on an entry in place */
	remember_file_name(&f, inode);
	owners = owner_joined(record, pfn, &f, index);
	check_kernel_view(pfn, record->owners, &f, DT_EV_ASSOCIATE);

	/* A fault that replaced a pfn others still own broke sharing (a COW write). */
	if (dax_entry_has_pfn(old_entry) && dax_entry_pfn(old_entry) != pfn) {
		__u64 old_pfn = dax_entry_pfn(old_entry);
		struct dt_pfn_owners *old = bpf_map_lookup_elem(&pfn_owners, &old_pfn);
		struct dt_share_totals *totals = share_totals_get();

		if (old && old->owners >= 1 && totals) {
			__u64 age = bpf_ktime_get_ns() - old->shared_since_ns;
			__u32 slot = dt_lat_slot(age);

			totals->count[DT_SH_BREAKS]++;
			dt_share_emit(DT_REC_BREAK, &(struct dt_share_what){ .pfn = old_pfn,
									     .ino = f.ino,
									     .index = age,
									     .dev = f.dev,
									     .order = old->order });
			totals->break_age_sum_ns += age;
			if (age > totals->break_age_max_ns)
				totals->break_age_max_ns = age;
			barrier_var(slot); /* as in dt_stats_latency, for the 6.1 verifier */
			if (slot < DT_LAT_SLOTS)
				totals->break_age_slots[slot]++;
		}
	}
	return owners >= 2 ? DT_COST_ASSOC_SHARED : DT_COST_ASSOC_PRIVATE;
}

/* dax_insert_entry returned at end_ns: its duration is the cost of what it did, if timed. */
static __always_inline int insert_returned(struct share_task_ctx *task, enum dt_cost_op op,
					   __u64 end_ns)
{
	if (!task)
		return 0;
	dt_cost_add(op, task->insert_start_ns, end_ns);
	task->insert_start_ns = 0;
	return 0;
}

/*
 * dax_insert_entry(xas, vmf, iter, entry, pfn, flags) returns the entry now in place: the new
 * one, or the old one when the kernel kept it. pfn is a pfn_t up to v6.14 and an unsigned long
 * after "mm: remove pfn_t"; it is not read (the returned entry carries the pfn).
 */
SEC("fentry/dax_insert_entry")
int BPF_PROG(dax_insert_entry__fentry, struct xa_state *xas, struct vm_fault *vmf,
	     const struct iomap_iter *iter)
{
	struct share_task_ctx *task = insert_began();

	if (!task)
		return 0;
	if (share_mapping_from_context)
		task->mapping = BPF_CORE_READ(iter, inode, i_mapping);
	task->insert_start_ns = dt_cost_clock(); /* last: our own work is not the kernel's */
	return 0;
}

SEC("fexit/dax_insert_entry")
int BPF_PROG(dax_insert_entry__fexit, struct xa_state *xas, struct vm_fault *vmf,
	     const struct iomap_iter *iter, void *entry, __u64 pfn, unsigned long flags, void *ret)
{
	__u64 end_ns = dt_cost_clock(); /* first: the census's work is not the kernel's */
	struct share_task_ctx *task = task_ctx();

	return insert_returned(task,
			       on_entry_inserted(task, BPF_CORE_READ(iter, inode),
						 BPF_CORE_READ(vmf, pgoff), (__u64)entry,
						 (__u64)ret),
			       end_ns);
}

SEC("kprobe/dax_insert_entry")
int BPF_KPROBE(dax_insert_entry__kprobe, struct xa_state *xas, struct vm_fault *vmf,
	       const struct iomap_iter *iter, void *entry)
{
	struct share_task_ctx *task = insert_began();
	struct inode *inode = BPF_CORE_READ(iter, inode);

	if (!task) {
		share_count(DT_SH_NO_CONTEXT);
		dt_share_emit(DT_REC_NO_CONTEXT, &(struct dt_share_what){ 0 });
		return 0;
	}
	/* A plain local: BPF_CORE_READ(task->inode, ...) would relocate our own type. */
	task->inode = inode;
	task->mapping = BPF_CORE_READ(inode, i_mapping);
	task->pgoff = BPF_CORE_READ(vmf, pgoff);
	task->old_entry = (__u64)entry;
	task->insert_start_ns = dt_cost_clock();
	return 0;
}

SEC("kretprobe/dax_insert_entry")
int BPF_KRETPROBE(dax_insert_entry__kretprobe, void *ret)
{
	__u64 end_ns = dt_cost_clock();
	struct share_task_ctx *task = task_ctx();
	struct inode *inode;

	if (!task || !task->inode)
		return 0;
	inode = task->inode;
	task->inode = NULL;
	return insert_returned(
		task, on_entry_inserted(task, inode, task->pgoff, task->old_entry, (__u64)ret),
		end_ns);
}

/* dax_disassociate_entry(entry, mapping, trunc), v4.16 to v6.x; 7.x has only an .isra clone. */
/*
 * Which cost a disassociation is, from the census's owners before it (0: not timed) and
 * whether it is a fault's: a shared unit's share-count update in a fault or elsewhere
 * (FICLONE's layout break, truncate, punch), or a private unit's.
 */
static __always_inline enum dt_cost_op disassoc_cost(__u32 owners, bool in_fault)
{
	if (!owners)
		return DT_NR_COST_OPS;
	if (owners == 1)
		return DT_COST_DISASSOC_PRIVATE;
	return in_fault ? DT_COST_DISASSOC_SHARED_FAULT : DT_COST_DISASSOC_SHARED_ELSEWHERE;
}

/* A disassociation inside dax_insert_entry is held until the insert returns. */
static __always_inline int on_disassociate(__u64 entry, struct address_space *mapping)
{
	struct share_task_ctx *task = task_ctx();
	bool in_fault = task && task->in_insert;
	__u32 owners;

	if (in_fault && !task->held_entry && dax_entry_has_pfn(entry)) {
		task->held_entry = entry;
		task->held_mapping = mapping;
		owners = on_entry_disassociated(entry, mapping, DISASSOC_CHECK);
	} else {
		owners = on_entry_disassociated(entry, mapping,
						in_fault ? DISASSOC_BOTH | DISASSOC_IN_FAULT :
							   DISASSOC_BOTH);
	}
	if (task) {
		task->disassoc_op = disassoc_cost(owners, in_fault);
		task->disassoc_start_ns = dt_cost_clock(); /* last: the census's work is ours */
	}
	return 0;
}

/* cost.disassoc: dax_disassociate_entry returned (a program of its own point). */
static __always_inline int disassoc_returned(void)
{
	__u64 end_ns = dt_cost_clock();
	struct share_task_ctx *task;

	if (!share_costs_on)
		return 0;
	task = task_ctx();
	if (!task)
		return 0;
	dt_cost_add(task->disassoc_op, task->disassoc_start_ns, end_ns);
	task->disassoc_start_ns = 0;
	return 0;
}

SEC("fentry/dax_disassociate_entry")
int BPF_PROG(dax_disassociate_entry__fentry, void *entry, struct address_space *mapping)
{
	return on_disassociate((__u64)entry, mapping);
}

SEC("kprobe/dax_disassociate_entry")
int BPF_KPROBE(dax_disassociate_entry__kprobe, void *entry, struct address_space *mapping)
{
	if (share_mapping_from_context)
		mapping = remembered_mapping();
	return on_disassociate((__u64)entry, mapping);
}

/* 7.x: a kretprobe on the .isra clone, as its kprobe (the clone keeps its return). */
SEC("fexit/dax_disassociate_entry")
int BPF_PROG(cost_dax_disassociate_entry__fexit)
{
	return disassoc_returned();
}

SEC("kretprobe/dax_disassociate_entry")
int BPF_KRETPROBE(cost_dax_disassociate_entry__kretprobe)
{
	return disassoc_returned();
}

/*
 * The callers of the 7.x clone, besides dax_insert_entry (docs/kernel-internals.md 1.1): a PMD
 * entry downgraded, truncate/invalidate, and dax_delete_mapping_range (layout breaks, 7.x).
 */
DT_FUNC_TWINS(grab_mapping_entry, remember_mapping(mapping), struct xa_state *xas,
	      struct address_space *mapping)
DT_FUNC_TWINS(__dax_invalidate_entry, remember_mapping(mapping), struct address_space *mapping)
DT_FUNC_TWINS(dax_delete_mapping_range, remember_mapping(mapping), struct address_space *mapping)
