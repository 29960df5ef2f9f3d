// SPDX-License-Identifier: GPL-2.0
/*
 * The counters one DAX fault feeds (dt_fault_counters), the exporter's fault class
 * (dt_fault_class) and the log2 latency slot (dt_lat_slot).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <linux/types.h>

#include "daxtrace.h"

#define READ_NOPAGE_PTE (DT_BIT(DT_FAULTS) | DT_BIT(DT_PTE) | DT_BIT(DT_READ) | DT_BIT(DT_NOPAGE))

static void test_bits_are_distinct(void **state)
{
	(void)state;
	/* the counters fit the __u32 set, one bit each, in the column order */
	assert_true(DT_NR_COUNTERS <= 32);
	assert_int_equal(DT_BIT(DT_FAULTS), 0x1);
	assert_int_equal(DT_BIT(DT_PTE), 0x2);
	assert_int_equal(DT_BIT(DT_PMD), 0x4);
	assert_int_equal(DT_BIT(DT_PUD), 0x8);
	assert_int_equal(DT_BIT(DT_READ), 0x10);
	assert_int_equal(DT_BIT(DT_WRITE), 0x20);
	assert_int_equal(DT_BIT(DT_NOPAGE), 0x40);
	assert_int_equal(DT_BIT(DT_FALLBACK), 0x80);
	assert_int_equal(DT_BIT(DT_SIGBUS), 0x100);
	assert_int_equal(DT_BIT(DT_MKWRITE), 0x200);
	assert_int_equal(DT_BIT(DT_SYNC), 0x400);
	assert_int_equal(DT_BIT(DT_SYNC_NS), 0x800);
	assert_int_equal(DT_BIT(DT_REMAPS), 0x4000);
}

static void test_pte_read_nopage(void **state)
{
	(void)state;
	assert_int_equal(dt_fault_counters(0, DT_VM_FAULT_NOPAGE, 0), READ_NOPAGE_PTE);
}

static void test_pte_read_no_result(void **state)
{
	(void)state;
	assert_int_equal(dt_fault_counters(0, 0, 0),
			 DT_BIT(DT_FAULTS) | DT_BIT(DT_PTE) | DT_BIT(DT_READ));
}

static void test_pte_write(void **state)
{
	__u32 set = dt_fault_counters(DT_FAULT_FLAG_WRITE, DT_VM_FAULT_NOPAGE, 0);

	(void)state;
	assert_int_equal(set,
			 DT_BIT(DT_FAULTS) | DT_BIT(DT_PTE) | DT_BIT(DT_WRITE) | DT_BIT(DT_NOPAGE));
	assert_int_equal(set & DT_BIT(DT_READ), 0);
	/* a first-touch write is not an mkwrite */
	assert_int_equal(set & DT_BIT(DT_MKWRITE), 0);
}

static void test_pte_mkwrite(void **state)
{
	(void)state;
	assert_int_equal(dt_fault_counters(DT_FAULT_FLAG_WRITE | DT_FAULT_FLAG_MKWRITE,
					   DT_VM_FAULT_NOPAGE, 0),
			 DT_BIT(DT_FAULTS) | DT_BIT(DT_PTE) | DT_BIT(DT_WRITE) |
				 DT_BIT(DT_MKWRITE) | DT_BIT(DT_NOPAGE));
}

static void test_pmd_read_fallback(void **state)
{
	__u32 set = dt_fault_counters(0, DT_VM_FAULT_FALLBACK, 1);

	(void)state;
	assert_int_equal(set, DT_BIT(DT_FAULTS) | DT_BIT(DT_PMD) | DT_BIT(DT_READ) |
				      DT_BIT(DT_FALLBACK));
	assert_int_equal(set & (DT_BIT(DT_NOPAGE) | DT_BIT(DT_PTE)), 0);
}

static void test_pmd_write_fallback(void **state)
{
	(void)state;
	assert_int_equal(dt_fault_counters(DT_FAULT_FLAG_WRITE, DT_VM_FAULT_FALLBACK, 1),
			 DT_BIT(DT_FAULTS) | DT_BIT(DT_PMD) | DT_BIT(DT_WRITE) |
				 DT_BIT(DT_FALLBACK));
}

static void test_pmd_nopage(void **state)
{
	(void)state;
	assert_int_equal(dt_fault_counters(DT_FAULT_FLAG_WRITE, DT_VM_FAULT_NOPAGE, DT_SIZE_PMD),
			 DT_BIT(DT_FAULTS) | DT_BIT(DT_PMD) | DT_BIT(DT_WRITE) | DT_BIT(DT_NOPAGE));
}

/* device DAX: a PUD attempt on a device whose align is smaller falls back */
static void test_pud(void **state)
{
	(void)state;
	assert_int_equal(dt_fault_counters(DT_FAULT_FLAG_WRITE, DT_VM_FAULT_FALLBACK, DT_SIZE_PUD),
			 DT_BIT(DT_FAULTS) | DT_BIT(DT_PUD) | DT_BIT(DT_WRITE) |
				 DT_BIT(DT_FALLBACK));
	assert_int_equal(dt_fault_counters(0, DT_VM_FAULT_NOPAGE, DT_SIZE_PUD),
			 DT_BIT(DT_FAULTS) | DT_BIT(DT_PUD) | DT_BIT(DT_READ) | DT_BIT(DT_NOPAGE));
}

static void test_sigbus(void **state)
{
	(void)state;
	assert_int_equal(dt_fault_counters(0, DT_VM_FAULT_SIGBUS, 0),
			 DT_BIT(DT_FAULTS) | DT_BIT(DT_PTE) | DT_BIT(DT_READ) | DT_BIT(DT_SIGBUS));
	assert_int_equal(dt_fault_counters(DT_FAULT_FLAG_WRITE, DT_VM_FAULT_SIGBUS, 1),
			 DT_BIT(DT_FAULTS) | DT_BIT(DT_PMD) | DT_BIT(DT_WRITE) | DT_BIT(DT_SIGBUS));
}

static void test_unrelated_result_bits_ignored(void **state)
{
	__u32 noise = DT_VM_FAULT_OOM | DT_VM_FAULT_MAJOR | DT_VM_FAULT_HWPOISON |
		      DT_VM_FAULT_HWPOISON_LARGE | DT_VM_FAULT_SIGSEGV | DT_VM_FAULT_LOCKED |
		      DT_VM_FAULT_RETRY | DT_VM_FAULT_DONE_COW | DT_VM_FAULT_COMPLETED;

	(void)state;
	assert_int_equal(dt_fault_counters(0, DT_VM_FAULT_NOPAGE | DT_VM_FAULT_MAJOR, 0),
			 READ_NOPAGE_PTE);
	assert_int_equal(dt_fault_counters(0, DT_VM_FAULT_NOPAGE | noise, 0), READ_NOPAGE_PTE);
	assert_int_equal(dt_fault_counters(0, noise, 0),
			 DT_BIT(DT_FAULTS) | DT_BIT(DT_PTE) | DT_BIT(DT_READ));
}

/*
 * MAP_SYNC: a write fault that allocated returns NEEDDSYNC (with MAJOR, measured on 6.1 to
 * 7.2) and no NOPAGE: the filesystem's dax_finish_sync_fault maps the page afterwards. It is
 * one sync, whatever else the result holds; sync_ns comes from the sync probe, never a fault.
 */
static void test_needdsync_is_sync(void **state)
{
	__u32 write_pte = DT_BIT(DT_FAULTS) | DT_BIT(DT_PTE) | DT_BIT(DT_WRITE);

	(void)state;
	assert_int_equal(dt_fault_counters(DT_FAULT_FLAG_WRITE, DT_VM_FAULT_NEEDDSYNC, 0),
			 write_pte | DT_BIT(DT_SYNC));
	assert_int_equal(dt_fault_counters(DT_FAULT_FLAG_WRITE,
					   DT_VM_FAULT_NEEDDSYNC | DT_VM_FAULT_MAJOR, 0),
			 write_pte | DT_BIT(DT_SYNC));
	/* a PMD sync fault (dax_finish_sync_fault with PMD_ORDER) */
	assert_int_equal(dt_fault_counters(DT_FAULT_FLAG_WRITE, DT_VM_FAULT_NEEDDSYNC, 1),
			 DT_BIT(DT_FAULTS) | DT_BIT(DT_PMD) | DT_BIT(DT_WRITE) | DT_BIT(DT_SYNC));
	/* the fault that follows a sync's dax_insert_pfn_mkwrite is no mkwrite: none happened */
	assert_int_equal(dt_fault_counters(DT_FAULT_FLAG_WRITE, DT_VM_FAULT_NEEDDSYNC, 0) &
				 DT_BIT(DT_MKWRITE),
			 0);
	/* no other result feeds sync, and no fault feeds sync_ns */
	assert_int_equal(dt_fault_counters(DT_FAULT_FLAG_WRITE, ~DT_VM_FAULT_NEEDDSYNC, 0) &
				 DT_BIT(DT_SYNC),
			 0);
	assert_int_equal(dt_fault_counters(0xffffffff, 0xffffffff, 1) & DT_BIT(DT_SYNC_NS), 0);
	/* the exporter's class: a NEEDDSYNC result alone names no result of its own */
	assert_int_equal(dt_fault_class(DT_FAULT_FLAG_WRITE, DT_VM_FAULT_NEEDDSYNC, 0), 7);
}

static void test_combined_result_bits(void **state)
{
	(void)state;
	assert_int_equal(dt_fault_counters(
				 DT_FAULT_FLAG_WRITE,
				 DT_VM_FAULT_NOPAGE | DT_VM_FAULT_FALLBACK | DT_VM_FAULT_SIGBUS, 1),
			 DT_BIT(DT_FAULTS) | DT_BIT(DT_PMD) | DT_BIT(DT_WRITE) | DT_BIT(DT_NOPAGE) |
				 DT_BIT(DT_FALLBACK) | DT_BIT(DT_SIGBUS));
}

static void test_unrelated_flag_bits_ignored(void **state)
{
	/* FAULT_FLAG_ALLOW_RETRY, _KILLABLE, _USER and the like: above the two we decode */
	__u32 other_flags = 0x4 | 0x8 | 0x40 | 0x80 | 0x100;

	(void)state;
	assert_int_equal(dt_fault_counters(other_flags, DT_VM_FAULT_NOPAGE, 0), READ_NOPAGE_PTE);
	assert_int_equal(
		dt_fault_counters(other_flags | DT_FAULT_FLAG_WRITE, DT_VM_FAULT_NOPAGE, 0),
		DT_BIT(DT_FAULTS) | DT_BIT(DT_PTE) | DT_BIT(DT_WRITE) | DT_BIT(DT_NOPAGE));
}

static void test_never_feeds_other_counters(void **state)
{
	__u32 never =
		DT_BIT(DT_COW) | DT_BIT(DT_COW_BYTES) | DT_BIT(DT_REMAPS) | DT_BIT(DT_SYNC_NS);

	(void)state;
	for (__u32 flags = 0; flags < 4; flags++) {
		for (int size = DT_SIZE_PTE; size <= DT_SIZE_PUD; size++) {
			__u32 set = dt_fault_counters(flags, 0xffffffff, size);

			assert_int_equal(set & never, 0);
			/* exactly one of pte/pmd/pud and one of read/write */
			assert_int_equal(!!(set & DT_BIT(DT_PTE)) + !!(set & DT_BIT(DT_PMD)) +
						 !!(set & DT_BIT(DT_PUD)),
					 1);
			assert_int_equal(!!(set & DT_BIT(DT_READ)) + !!(set & DT_BIT(DT_WRITE)), 1);
			assert_true(set & DT_BIT(DT_FAULTS));
		}
	}
}

static void test_lat_slot_powers(void **state)
{
	(void)state;
	assert_int_equal(dt_lat_slot(0), 0);
	assert_int_equal(dt_lat_slot(1), 0);
	for (unsigned int s = 1; s < DT_LAT_SLOTS; s++) {
		assert_int_equal(dt_lat_slot(1ULL << s), s);
		assert_int_equal(dt_lat_slot((1ULL << s) - 1), s - 1);
		assert_int_equal(dt_lat_slot((1ULL << s) + 1), s);
	}
}

static void test_lat_slot_boundaries(void **state)
{
	(void)state;
	assert_int_equal(dt_lat_slot(0xf), 3);
	assert_int_equal(dt_lat_slot(0x10), 4);
	assert_int_equal(dt_lat_slot(0xff), 7);
	assert_int_equal(dt_lat_slot(0x100), 8);
	assert_int_equal(dt_lat_slot(0xffff), 15);
	assert_int_equal(dt_lat_slot(0x10000), 16);
	assert_int_equal(dt_lat_slot(0xffffffffULL), 31);
	assert_int_equal(dt_lat_slot(0x100000000ULL), 32);
	assert_int_equal(dt_lat_slot(1500), 10);
	assert_int_equal(dt_lat_slot(1000000), 19);
	/* everything at and above 2^40 - 1 lands in the last slot */
	assert_int_equal(dt_lat_slot((1ULL << 40) - 1), DT_LAT_SLOTS - 1);
	assert_int_equal(dt_lat_slot(1ULL << 40), DT_LAT_SLOTS - 1);
	assert_int_equal(dt_lat_slot(1ULL << 63), DT_LAT_SLOTS - 1);
	assert_int_equal(dt_lat_slot(UINT64_MAX), DT_LAT_SLOTS - 1);
}

/*
 * A PMD fault at 2 MiB-aligned address A for file offset 0 of a 16 MiB file, in a 16 MiB shared
 * VMA, whose extent fitted: the reference each test below changes one thing of.
 */
static struct dt_pmd_fault_seen fitting_view(void)
{
	struct dt_pmd_fault_seen v = {
		.address = 0x7f0000200000ULL + 0x234,
		.pgoff = 0,
		.vm_start = 0x7f0000200000ULL,
		.vm_end = 0x7f0000200000ULL + (16 << 20),
		.vm_flags = DT_VM_SHARED,
		.max_pgoff = (16 << 20) >> 12,
		.fault_flags = 0,
		.iomap_seen = 1,
		.extent_fits = 1,
	};

	return v;
}

static void test_fallback_reasons_in_kernel_order(void **state)
{
	struct dt_pmd_fault_seen v;

	(void)state;
	v = fitting_view();
	assert_int_equal(dt_pmd_fallback_reason(&v), DT_FB_OTHER);

	v = fitting_view();
	v.pgoff = 1; /* file offset 4 KiB at a 2 MiB-aligned address */
	assert_int_equal(dt_pmd_fallback_reason(&v), DT_FB_MISALIGNED);

	v = fitting_view();
	v.vm_flags = 0;
	v.fault_flags = DT_FAULT_FLAG_WRITE;
	assert_int_equal(dt_pmd_fallback_reason(&v), DT_FB_PRIVATE_WRITE);
	v.fault_flags = 0; /* a private read may still map 2 MiB */
	assert_int_equal(dt_pmd_fallback_reason(&v), DT_FB_OTHER);

	v = fitting_view();
	v.vm_end = v.vm_start + (1 << 20);
	assert_int_equal(dt_pmd_fallback_reason(&v), DT_FB_VMA_TOO_SMALL);
	v = fitting_view();
	v.vm_start += 4096;
	assert_int_equal(dt_pmd_fallback_reason(&v), DT_FB_VMA_TOO_SMALL);

	v = fitting_view();
	v.max_pgoff = 511; /* the file ends one page short of the 2 MiB */
	assert_int_equal(dt_pmd_fallback_reason(&v), DT_FB_PAST_EOF);
	v.max_pgoff = 512;
	assert_int_equal(dt_pmd_fallback_reason(&v), DT_FB_OTHER);

	v = fitting_view();
	v.iomap_seen = 0;
	v.extent_fits = 0;
	assert_int_equal(dt_pmd_fallback_reason(&v), DT_FB_ENTRY_CONFLICT);

	v = fitting_view();
	v.extent_fits = 0;
	assert_int_equal(dt_pmd_fallback_reason(&v), DT_FB_EXTENT);

	/* the first failing check wins, as in dax_iomap_pmd_fault() */
	v = fitting_view();
	v.pgoff = 1;
	v.vm_end = v.vm_start + 4096;
	v.iomap_seen = 0;
	assert_int_equal(dt_pmd_fallback_reason(&v), DT_FB_MISALIGNED);
}

/* A fresh DAX mapping's PTE fault that a PMD fault would have come before. */
static struct dt_pte_fault_seen pte_view(void)
{
	struct dt_pte_fault_seen v = {
		.vm_flags = DT_VM_SHARED,
		.mm_flags = 0,
		.pmd = 0,
		.has_huge_fault = 1,
	};

	return v;
}

static void test_no_pmd_reasons(void **state)
{
	struct dt_pte_fault_seen v;

	(void)state;
	v = pte_view();
	assert_int_equal(dt_no_pmd_reason(&v), DT_NOPMD_THP_UNAVAILABLE);
	v.pmd_tried = 1; /* the retry of a PMD fallback: no reason, whatever else holds */
	v.vm_flags |= DT_VM_NOHUGEPAGE;
	assert_int_equal(dt_no_pmd_reason(&v), DT_NR_NO_PMD_REASONS);

	v = pte_view();
	v.has_huge_fault = 0;
	assert_int_equal(dt_no_pmd_reason(&v), DT_NOPMD_NO_HUGE_FAULT);

	v = pte_view();
	v.vm_flags |= DT_VM_NOHUGEPAGE;
	v.pmd = 0x1234067; /* a page table: still named after the madvise that caused it */
	assert_int_equal(dt_no_pmd_reason(&v), DT_NOPMD_NOHUGEPAGE);

	v = pte_view();
	v.mm_flags = 1ULL << 24; /* MMF_DISABLE_THP (v6.18: _COMPLETELY) */
	assert_int_equal(dt_no_pmd_reason(&v), DT_NOPMD_THP_DISABLED);
	v.vm_flags |= DT_VM_HUGEPAGE; /* MADV_HUGEPAGE does not override it */
	assert_int_equal(dt_no_pmd_reason(&v), DT_NOPMD_THP_DISABLED);

	/* bit 23: MMF_HUGE_ZERO_PAGE before v6.18, MMF_DISABLE_THP_EXCEPT_ADVISED since */
	v = pte_view();
	v.mm_flags = 1ULL << 23;
	assert_int_equal(dt_no_pmd_reason(&v), DT_NOPMD_THP_UNAVAILABLE);
	v.thp_except_advised = 1;
	assert_int_equal(dt_no_pmd_reason(&v), DT_NOPMD_THP_DISABLED);
	v.vm_flags |= DT_VM_HUGEPAGE; /* ...except where madvise(MADV_HUGEPAGE) advised */
	assert_int_equal(dt_no_pmd_reason(&v), DT_NOPMD_THP_UNAVAILABLE);

	/* pmd_none() ignores the accessed and dirty bits (x86 KNL erratum) */
	v = pte_view();
	v.pmd = 0x60;
	assert_int_equal(dt_no_pmd_reason(&v), DT_NOPMD_THP_UNAVAILABLE);
	v.pmd = 0x1000067;
	assert_int_equal(dt_no_pmd_reason(&v), DT_NOPMD_PAGE_TABLE);

	/* classic tracepoints: madvise and prctl are seen, the page table is not */
	v = pte_view();
	v.no_vmf = 1;
	v.has_huge_fault = 0;
	assert_int_equal(dt_no_pmd_reason(&v), DT_NOPMD_UNKNOWN);
	v.vm_flags |= DT_VM_NOHUGEPAGE;
	assert_int_equal(dt_no_pmd_reason(&v), DT_NOPMD_NOHUGEPAGE);
	v.vm_flags = 0;
	v.mm_flags = 1ULL << 24;
	assert_int_equal(dt_no_pmd_reason(&v), DT_NOPMD_THP_DISABLED);
}

/* [(pmd * 2 + write) * 4 + result]: sigbus 0, fallback 1, nopage 2, other 3 */
static void test_fault_class_result_priority(void **state)
{
	(void)state;
	assert_int_equal(DT_NR_FAULT_CLASSES, 16);
	/* a PTE read: each result alone, then the first of several */
	assert_int_equal(dt_fault_class(0, DT_VM_FAULT_SIGBUS, 0), 0);
	assert_int_equal(dt_fault_class(0, DT_VM_FAULT_FALLBACK, 0), 1);
	assert_int_equal(dt_fault_class(0, DT_VM_FAULT_NOPAGE, 0), 2);
	assert_int_equal(dt_fault_class(0, 0, 0), 3);
	assert_int_equal(
		dt_fault_class(0, DT_VM_FAULT_SIGBUS | DT_VM_FAULT_FALLBACK | DT_VM_FAULT_NOPAGE,
			       0),
		0);
	assert_int_equal(dt_fault_class(0, DT_VM_FAULT_FALLBACK | DT_VM_FAULT_NOPAGE, 0), 1);
	assert_int_equal(dt_fault_class(0, DT_VM_FAULT_SIGBUS | DT_VM_FAULT_NOPAGE, 0), 0);
	/* bits that name no result of their own do not change it */
	assert_int_equal(dt_fault_class(0, DT_VM_FAULT_NOPAGE | DT_VM_FAULT_NEEDDSYNC, 0), 2);
	assert_int_equal(dt_fault_class(0, DT_VM_FAULT_NOPAGE | DT_VM_FAULT_LOCKED, 0), 2);
	assert_int_equal(dt_fault_class(0, DT_VM_FAULT_NEEDDSYNC, 0), 3);
	assert_int_equal(dt_fault_class(0, DT_VM_FAULT_DONE_COW, 0), 3);
	assert_int_equal(dt_fault_class(0, DT_VM_FAULT_OOM, 0), 3);
	assert_int_equal(dt_fault_class(0, DT_VM_FAULT_RETRY, 0), 3);
	assert_int_equal(dt_fault_class(0, DT_VM_FAULT_HWPOISON, 0), 3);
}

static void test_fault_class_size_and_access(void **state)
{
	(void)state;
	assert_int_equal(dt_fault_class(DT_FAULT_FLAG_WRITE, DT_VM_FAULT_SIGBUS, 0), 4);
	assert_int_equal(dt_fault_class(DT_FAULT_FLAG_WRITE, DT_VM_FAULT_NOPAGE, 0), 6);
	assert_int_equal(dt_fault_class(DT_FAULT_FLAG_WRITE, DT_VM_FAULT_DONE_COW, 0), 7);
	assert_int_equal(dt_fault_class(0, DT_VM_FAULT_SIGBUS, 1), 8);
	assert_int_equal(dt_fault_class(0, DT_VM_FAULT_FALLBACK, 1), 9);
	assert_int_equal(dt_fault_class(0, DT_VM_FAULT_NOPAGE, 1), 10);
	assert_int_equal(dt_fault_class(0, DT_VM_FAULT_FALLBACK | DT_VM_FAULT_NOPAGE, 1), 9);
	assert_int_equal(dt_fault_class(DT_FAULT_FLAG_WRITE, DT_VM_FAULT_FALLBACK, 1), 13);
	assert_int_equal(
		dt_fault_class(DT_FAULT_FLAG_WRITE | DT_FAULT_FLAG_MKWRITE, DT_VM_FAULT_NOPAGE, 1),
		14);
	assert_int_equal(dt_fault_class(DT_FAULT_FLAG_WRITE, DT_VM_FAULT_RETRY, 1), 15);
	/* pmd is a truth value; flags other than WRITE do not make a write */
	assert_int_equal(dt_fault_class(0, DT_VM_FAULT_NOPAGE, 2), 10);
	assert_int_equal(dt_fault_class(DT_FAULT_FLAG_MKWRITE, DT_VM_FAULT_NOPAGE, 0), 2);
	assert_int_equal(dt_fault_class(0x40, DT_VM_FAULT_NOPAGE, 0), 2);
}

/* Every class is reached by exactly one (size, access, result), and agrees with the counters. */
static void test_fault_class_agrees_with_counters(void **state)
{
	static const __u32 results[] = { DT_VM_FAULT_SIGBUS, DT_VM_FAULT_FALLBACK,
					 DT_VM_FAULT_NOPAGE, 0 };
	static const int result_counter[] = { DT_SIGBUS, DT_FALLBACK, DT_NOPAGE, -1 };
	int seen[DT_NR_FAULT_CLASSES] = { 0 };

	(void)state;
	for (int pmd = 0; pmd < 2; pmd++)
		for (int write = 0; write < 2; write++)
			for (int r = 0; r < 4; r++) {
				__u32 flags = write ? DT_FAULT_FLAG_WRITE : 0;
				__u32 class = dt_fault_class(flags, results[r], pmd);
				__u32 set = dt_fault_counters(flags, results[r], pmd);

				assert_true(class < DT_NR_FAULT_CLASSES);
				seen[class]++;
				assert_int_equal(class % DT_NR_FAULT_RESULTS, r);
				assert_int_equal(!!(set & DT_BIT(DT_PMD)), class / 8);
				assert_int_equal(!!(set & DT_BIT(DT_WRITE)), class / 4 % 2);
				if (result_counter[r] >= 0)
					assert_true(set & DT_BIT(result_counter[r]));
			}
	for (int c = 0; c < DT_NR_FAULT_CLASSES; c++)
		assert_int_equal(seen[c], 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bits_are_distinct),
		cmocka_unit_test(test_pte_read_nopage),
		cmocka_unit_test(test_pte_read_no_result),
		cmocka_unit_test(test_pte_write),
		cmocka_unit_test(test_pte_mkwrite),
		cmocka_unit_test(test_pmd_read_fallback),
		cmocka_unit_test(test_pmd_write_fallback),
		cmocka_unit_test(test_pmd_nopage),
		cmocka_unit_test(test_pud),
		cmocka_unit_test(test_sigbus),
		cmocka_unit_test(test_unrelated_result_bits_ignored),
		cmocka_unit_test(test_needdsync_is_sync),
		cmocka_unit_test(test_combined_result_bits),
		cmocka_unit_test(test_unrelated_flag_bits_ignored),
		cmocka_unit_test(test_never_feeds_other_counters),
		cmocka_unit_test(test_lat_slot_powers),
		cmocka_unit_test(test_lat_slot_boundaries),
		cmocka_unit_test(test_fallback_reasons_in_kernel_order),
		cmocka_unit_test(test_no_pmd_reasons),
		cmocka_unit_test(test_fault_class_result_priority),
		cmocka_unit_test(test_fault_class_size_and_access),
		cmocka_unit_test(test_fault_class_agrees_with_counters),
	};

	return cmocka_run_group_tests_name("fault_counters", tests, NULL, NULL);
}
