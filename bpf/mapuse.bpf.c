// SPDX-License-Identifier: GPL-2.0
/*
 * daxtrace mapuse: who looks up the owner of a DAX page, and how. Through the page: memory
 * failure's dax_lock_page/dax_lock_folio (reads ->mapping and ->index), and the generic
 * folio_mapping/page_mapping readers when they are handed a pmem page. Through the filesystem:
 * mf_dax_kill_procs (one call per owner that XFS's rmap found) and
 * dax_layout_busy_page_range (truncate, hole punch and clone walk the file's entries).
 * Each use is counted per site, kernel stack, process and file, with whether the kernel held
 * the page shared at that moment. docs/kernel-internals.md section 4 has the paths per kernel.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "daxtrace_mapuse.h"
#include "account.bpf.h"
#include "filter.bpf.h"
#include "page_share.bpf.h"
#include "probe.bpf.h"
#include "cost.bpf.h"
#include "share_stream.bpf.h"

/* The pmem pfn ranges (/proc/iomem "Persistent Memory"), set by the engine before load. */
const volatile __u64 pmem_pfn_lo[DT_PMEM_RANGES];
const volatile __u64 pmem_pfn_hi[DT_PMEM_RANGES]; /* exclusive */

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 1); /* DT_MAPUSE_STACKS when daxtrace mapuse sizes it before load */
	__uint(key_size, sizeof(__u32));
	__uint(value_size, DT_MAPUSE_STACK_DEPTH * sizeof(__u64));
} mapuse_stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1); /* DT_MAPUSE_KEYS when daxtrace mapuse sizes it before load */
	__type(key, struct dt_mapuse_key);
	__type(value, struct dt_mapuse_value);
} mapuse_uses SEC(".maps");

/* Uses that found mapuse_uses full: counted nowhere else. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} mapuse_dropped SEC(".maps");

static __always_inline bool pfn_is_pmem(__u64 pfn)
{
	for (int i = 0; i < DT_PMEM_RANGES; i++)
		if (pfn >= pmem_pfn_lo[i] && pfn < pmem_pfn_hi[i])
			return true;
	return false;
}

static __always_inline void file_of_mapping(struct address_space *mapping,
					    struct dt_mapuse_key *key)
{
	struct inode *host = BPF_CORE_READ(mapping, host);

	if (!host)
		return;
	struct dt_file_key file;

	key->dev = BPF_CORE_READ(host, i_sb, s_dev);
	key->ino = BPF_CORE_READ(host, i_ino);
	file = (struct dt_file_key){ .dev = key->dev, .ino = key->ino };
	if (!bpf_map_lookup_elem(&file_info, &file)) /* its path, once */
		dt_capture_names(&file, dt_inode_dentry(host), true);
}

/* share --record: the use, for the model's replay (dropped ones too, as dropped). */
static __always_inline void emit_use(const struct dt_mapuse_key *key, __u64 pfn, bool shared,
				     bool dropped)
{
	dt_share_emit(DT_REC_OWNER_USE,
		      &(struct dt_share_what){ .pfn = pfn,
					       .ino = key->ino,
					       .dev = key->dev,
					       .detail = key->site,
					       .flags = (shared ? DT_RECF_SHARED : 0) |
							(dropped ? DT_RECF_DROPPED : 0) });
}

static __always_inline int count_use(void *ctx, struct dt_mapuse_key *key, __u64 pfn, bool shared)
{
	struct dt_mapuse_value *value, zero = {};
	__u32 slot = 0;
	__u64 *dropped;

	if (!dt_current_traced() || (key->dev && !dt_file_wanted(key->dev, true)))
		return 0;
	key->tgid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(key->comm, sizeof(key->comm));
	key->stackid = bpf_get_stackid(ctx, &mapuse_stacks, 0);
	value = bpf_map_lookup_elem(&mapuse_uses, key);
	if (!value) {
		bpf_map_update_elem(&mapuse_uses, key, &zero, BPF_NOEXIST);
		value = bpf_map_lookup_elem(&mapuse_uses, key);
	}
	if (!value) {
		dropped = bpf_map_lookup_elem(&mapuse_dropped, &slot);
		if (dropped)
			(*dropped)++;
		emit_use(key, pfn, shared, true);
		return 0;
	}
	__sync_fetch_and_add(&value->count, 1);
	if (shared)
		__sync_fetch_and_add(&value->shared, 1);
	emit_use(key, pfn, shared, false);
	return 0;
}

/*
 * A lookup through the page: the kernel's own state names the file, or is the shared form
 * (marker, or NULL ->mapping with a count). The form counts, not the count: 6.12 keeps a page
 * in the shared form with one owner left, and its dax_lock_folio oops follows the form.
 */
static __always_inline int page_owner_use(void *ctx, struct page *page, enum dt_mapuse_site site)
{
	struct dt_mapuse_key key = { .site = site };
	struct dt_kernel_share view = {};

	dt_kernel_page_share(page, &view);
	if (view.state == DT_KS_OWNER)
		file_of_mapping(BPF_CORE_READ(page, mapping), &key);
	return count_use(ctx, &key, dt_page_to_pfn(page), view.state == DT_KS_SHARED);
}

/* The ZONE_DEVICE page map: page->pgmap until v6.15 "mm: allow compound zone device pages". */
struct page___pgmap {
	struct dev_pagemap *pgmap;
} __attribute__((preserve_access_index));

/*
 * A ZONE_DEVICE page of an fsdax namespace, not a devdax one: its page map's type. Only asked
 * of pmem pfns, which are ZONE_DEVICE pages (or have no struct page in raw mode: the read
 * fails and gives NULL), so the pgmap union member is the one in use.
 */
static __always_inline bool page_is_fsdax(struct page *page)
{
	struct dev_pagemap *pgmap;

	if (bpf_core_field_exists(struct folio, pgmap))
		pgmap = BPF_CORE_READ((struct folio *)page, pgmap);
	else
		pgmap = BPF_CORE_READ((struct page___pgmap *)page, pgmap);
	return pgmap && BPF_CORE_READ(pgmap, type) ==
				bpf_core_enum_value(enum memory_type, MEMORY_DEVICE_FS_DAX);
}

/* Generic readers see every page of the system: only fsdax pmem pages are DAX-owned. */
static __always_inline int generic_use(void *ctx, struct page *page, enum dt_mapuse_site site)
{
	if (!pfn_is_pmem(dt_page_to_pfn(page)) || !page_is_fsdax(page))
		return 0;
	return page_owner_use(ctx, page, site);
}

static __always_inline int fs_reverse_use(void *ctx, struct address_space *mapping,
					  enum dt_mapuse_site site)
{
	struct dt_mapuse_key key = { .site = site };

	file_of_mapping(mapping, &key);
	return count_use(ctx, &key, 0, false);
}

/*
 * Counted at entry: on 6.12 a shared page makes dax_lock_folio() dereference the
 * PAGE_MAPPING_DAX_SHARED marker and oops, and no exit ever comes (docs/findings.md).
 */
DT_FUNC_TWINS(dax_lock_folio, page_owner_use(ctx, (struct page *)folio, DT_SITE_DAX_LOCK_FOLIO),
	      struct folio *folio)
/* Until v6.7 "mm: Convert DAX lock/unlock page to lock/unlock folio". */
DT_FUNC_TWINS(dax_lock_page, page_owner_use(ctx, page, DT_SITE_DAX_LOCK_PAGE), struct page *page)
DT_FUNC_TWINS(folio_mapping, generic_use(ctx, (struct page *)folio, DT_SITE_FOLIO_MAPPING),
	      struct folio *folio)
/* page_mapping() became a folio_mapping() wrapper and left in v6.4 or so; 6.1 has it. */
DT_FUNC_TWINS(page_mapping, generic_use(ctx, page, DT_SITE_PAGE_MAPPING), struct page *page)
/* mf_dax_kill_procs(mapping, index, count, mf_flags): XFS found one owner by its rmap. */
DT_FUNC_TWINS(mf_dax_kill_procs, fs_reverse_use(ctx, mapping, DT_SITE_MF_DAX_KILL_PROCS),
	      struct address_space *mapping)
DT_FUNC_TWINS(dax_layout_busy_page_range, fs_reverse_use(ctx, mapping, DT_SITE_LAYOUT_BUSY),
	      struct address_space *mapping)

/*
 * share's measured costs of the owner lookups (points cost.*; bpf/cost.bpf.h): each
 * function's entry to return, per thread, apart from mapuse's counting programs above. Kept
 * in an LRU per thread: on 6.12 dax_lock_folio on a shared page oopses and never returns
 * (docs/findings.md), and what its entry kept is overwritten by the thread's next entry, or
 * evicted, never left to fill a map.
 */
enum cost_frame { FRAME_LOCK, FRAME_MAPPING, FRAME_KILL_PROCS, FRAME_RMAP_WALK, NR_COST_FRAMES };

struct cost_frames {
	__u64 start_ns[NR_COST_FRAMES]; /* 0: not in that function, or not timed */
	__u8 shared[NR_COST_FRAMES]; /* the page was held shared: the op's _shared twin */
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1); /* DT_COST_THREADS when daxtrace share sizes it before load */
	__type(key, __u32);
	__type(value, struct cost_frames);
} cost_frames SEC(".maps");

static __always_inline int cost_begin(enum cost_frame frame, bool shared)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct cost_frames *frames, zero = {};

	if (!share_costs_on || !dt_current_traced())
		return 0;
	frames = bpf_map_lookup_elem(&cost_frames, &tid);
	if (!frames) {
		bpf_map_update_elem(&cost_frames, &tid, &zero, BPF_ANY);
		frames = bpf_map_lookup_elem(&cost_frames, &tid);
	}
	if (!frames)
		return 0;
	frames->shared[frame] = shared;
	frames->start_ns[frame] = dt_cost_clock(); /* last: our own work is not the kernel's */
	return 0;
}

/* The function of frame returned at end_ns; op (or its _shared twin) when timed. */
static __always_inline int cost_finish(enum cost_frame frame, enum dt_cost_op op, bool timed,
				       __u64 end_ns)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct cost_frames *frames;
	__u64 start_ns;

	if (!share_costs_on)
		return 0;
	frames = bpf_map_lookup_elem(&cost_frames, &tid);
	if (!frames || !frames->start_ns[frame])
		return 0;
	start_ns = frames->start_ns[frame];
	frames->start_ns[frame] = 0;
	if (timed)
		dt_cost_add(op + frames->shared[frame], start_ns, end_ns);
	return 0;
}

static __always_inline bool page_held_shared(struct page *page)
{
	struct dt_kernel_share view = {};

	dt_kernel_page_share(page, &view);
	return view.state == DT_KS_SHARED;
}

static __always_inline int generic_cost_begin(struct page *page)
{
	if (!share_costs_on || !pfn_is_pmem(dt_page_to_pfn(page)) || !page_is_fsdax(page))
		return 0;
	return cost_begin(FRAME_MAPPING, page_held_shared(page));
}

/*
 * Entry and return of fn, fentry/fexit and kprobe/kretprobe, named cost_<fn>__<kind> (the
 * point's program_prefix): begin at entry, end (given end_ns, read first) at return.
 */
#define DT_COST_TWINS(fn, begin, end, args...)    \
	SEC("fentry/" #fn)                        \
	int BPF_PROG(cost_##fn##__fentry, args)   \
	{                                         \
		return begin;                     \
	}                                         \
	SEC("fexit/" #fn)                         \
	int BPF_PROG(cost_##fn##__fexit)          \
	{                                         \
		__u64 end_ns = dt_cost_clock();   \
		return end;                       \
	}                                         \
	SEC("kprobe/" #fn)                        \
	int BPF_KPROBE(cost_##fn##__kprobe, args) \
	{                                         \
		return begin;                     \
	}                                         \
	SEC("kretprobe/" #fn)                     \
	int BPF_KRETPROBE(cost_##fn##__kretprobe) \
	{                                         \
		__u64 end_ns = dt_cost_clock();   \
		return end;                       \
	}

DT_COST_TWINS(dax_lock_folio, cost_begin(FRAME_LOCK, page_held_shared((struct page *)folio)),
	      cost_finish(FRAME_LOCK, DT_COST_DAX_LOCK, true, end_ns), struct folio *folio)
DT_COST_TWINS(dax_lock_page, cost_begin(FRAME_LOCK, page_held_shared(page)),
	      cost_finish(FRAME_LOCK, DT_COST_DAX_LOCK, true, end_ns), struct page *page)
DT_COST_TWINS(folio_mapping, generic_cost_begin((struct page *)folio),
	      cost_finish(FRAME_MAPPING, DT_COST_FOLIO_MAPPING, true, end_ns), struct folio *folio)
DT_COST_TWINS(page_mapping, generic_cost_begin(page),
	      cost_finish(FRAME_MAPPING, DT_COST_FOLIO_MAPPING, true, end_ns), struct page *page)
DT_COST_TWINS(mf_dax_kill_procs, cost_begin(FRAME_KILL_PROCS, false),
	      cost_finish(FRAME_KILL_PROCS, DT_COST_MF_DAX_KILL_PROCS, true, end_ns),
	      struct address_space *mapping)

/*
 * fs/xfs/xfs_notify_failure.c xfs_dax_notify_failure(dax_dev, offset, len, mf_flags), XFS's
 * ->notify_failure from v5.19 to 7.2: the rmap walk that finds each owner and calls
 * mf_dax_kill_procs for it (6.12 moved the walk into xfs_dax_notify_ddev_failure, 7.x into
 * xfs_dax_notify_dev_failure; both are called from it). Without rmapbt it returns
 * -EOPNOTSUPP at once, no walk: not timed.
 */
#define DT_EOPNOTSUPP 95 /* include/uapi/asm-generic/errno.h */

SEC("fentry/xfs_dax_notify_failure")
int BPF_PROG(cost_xfs_dax_notify_failure__fentry)
{
	return cost_begin(FRAME_RMAP_WALK, false);
}

SEC("fexit/xfs_dax_notify_failure")
int BPF_PROG(cost_xfs_dax_notify_failure__fexit, void *dax_dev, __u64 offset, __u64 len,
	     int mf_flags, int ret)
{
	__u64 end_ns = dt_cost_clock();

	return cost_finish(FRAME_RMAP_WALK, DT_COST_RMAP_WALK, ret != -DT_EOPNOTSUPP, end_ns);
}

SEC("kprobe/xfs_dax_notify_failure")
int BPF_KPROBE(cost_xfs_dax_notify_failure__kprobe)
{
	return cost_begin(FRAME_RMAP_WALK, false);
}

SEC("kretprobe/xfs_dax_notify_failure")
int BPF_KRETPROBE(cost_xfs_dax_notify_failure__kretprobe, int ret)
{
	__u64 end_ns = dt_cost_clock();

	return cost_finish(FRAME_RMAP_WALK, DT_COST_RMAP_WALK, ret != -DT_EOPNOTSUPP, end_ns);
}
