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
