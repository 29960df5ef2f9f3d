/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's own share count of a DAX entry's page, read with CO-RE from struct page or
 * struct folio as the kernel in hand lays it out (docs/kernel-internals.md, section 2). Three
 * designs, each named by the commit that brought it:
 *
 *  v6.0-v6.1   "fsdax: set a CoW flag when associate reflink mappings": a shared page has
 *              ->mapping == PAGE_MAPPING_DAX_COW (0x1) and the count in ->index.
 *  v6.2-v6.14  "fsdax: introduce page->share for fsdax in reflink mode": ->mapping ==
 *              PAGE_MAPPING_DAX_SHARED (0x1), the count in page->share.
 *  v6.15-      "fs/dax: remove PAGE_MAPPING_DAX_SHARED mapping flag": ->mapping == NULL, the
 *              count in folio->share (one per PMD folio).
 *
 * A page that is not in the shared form has one owner if ->mapping is set, else none.
 */
#ifndef DAXTRACE_PAGE_SHARE_BPF_H
#define DAXTRACE_PAGE_SHARE_BPF_H

#include "daxtrace_share.h"
#include "maps.bpf.h"
#include "probe.bpf.h"

/* The marker is a #define, not in BTF: the same value in v6.0-v6.14 under both names. */
#define DT_PAGE_MAPPING_DAX_SHARED 0x1UL

/* x86-64 VMEMMAP_START without CONFIG_RANDOMIZE_MEMORY (4-level paging). */
#define DT_VMEMMAP_START_DEFAULT 0xffffea0000000000UL

/* v6.0-v6.14: ->index, renamed __folio_index in 7.x ("mm: rename page->index to page->__folio_index"). */
struct page___v61 {
	unsigned long index;
} __attribute__((preserve_access_index));

/* v6.2-v6.14: page->share (v6.15 moved the count users to folio->share). */
struct page___v62 {
	unsigned long share;
} __attribute__((preserve_access_index));

struct dt_kernel_share {
	__u32 count;
	__u8 state; /* enum dt_kernel_state */
	__u8 layout; /* enum dt_page_layout */
};

/*
 * The struct page array's base: the variable vmemmap_base when the kernel randomizes its
 * layout, read at the address the engine found in kallsyms. (A typeless __ksym would do, but
 * libbpf 1.1's linker cannot merge one declared in two objects.)
 */
static __always_inline unsigned long dt_vmemmap(void)
{
	unsigned long base = DT_VMEMMAP_START_DEFAULT;

	if (vmemmap_base_addr)
		bpf_probe_read_kernel(&base, sizeof(base), (const void *)vmemmap_base_addr);
	return base;
}

static __always_inline struct page *dt_pfn_to_page(__u64 pfn)
{
	return (struct page *)(dt_vmemmap() + pfn * bpf_core_type_size(struct page));
}

static __always_inline __u64 dt_page_to_pfn(const void *page)
{
	return (dt_address_of(page) - dt_vmemmap()) / bpf_core_type_size(struct page);
}

/* The kernel's owner count of a page (or the head page of a folio). */
static __always_inline void dt_kernel_page_share(struct page *page, struct dt_kernel_share *view)
{
	unsigned long mapping = (unsigned long)BPF_CORE_READ(page, mapping);

	if (bpf_core_field_exists(struct folio, share)) {
		view->layout = DT_LAYOUT_V615;
		if (mapping) {
			view->count = 1;
			view->state = DT_KS_OWNER;
			return;
		}
		view->count = BPF_CORE_READ((struct folio *)page, share);
		view->state = view->count ? DT_KS_SHARED : DT_KS_NONE;
		return;
	}
	view->layout =
		bpf_core_field_exists(struct page___v62, share) ? DT_LAYOUT_V62 : DT_LAYOUT_V61;
	if (mapping != DT_PAGE_MAPPING_DAX_SHARED) {
		view->count = mapping != 0;
		view->state = mapping ? DT_KS_OWNER : DT_KS_NONE;
		return;
	}
	view->state = DT_KS_SHARED;
	if (view->layout == DT_LAYOUT_V62)
		view->count = BPF_CORE_READ((struct page___v62 *)page, share);
	else
		view->count = BPF_CORE_READ((struct page___v61 *)page, index);
}

static __always_inline void dt_kernel_share_view(__u64 pfn, struct dt_kernel_share *view)
{
	dt_kernel_page_share(dt_pfn_to_page(pfn), view);
}

#endif /* DAXTRACE_PAGE_SHARE_BPF_H */
