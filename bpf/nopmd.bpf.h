/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Why a DAX PTE fault had no PMD fault tried first for its 2 MiB range (enum
 * dt_no_pmd_reason). __handle_mm_fault tries ->huge_fault(PMD) first when the PMD is none and
 * THP is allowed for the VMA; when that falls back, it retries as a PTE fault in the same
 * call, in the same thread. So a PMD fallback is remembered per thread until the next PTE
 * fault's entry takes it; any other PTE fault is explained from its vmf. File system DAX
 * (fault.bpf.c) and device DAX PTE faults both call these, at the fault handler's entry,
 * before the fault has made a page table.
 */
#ifndef DAXTRACE_NOPMD_BPF_H
#define DAXTRACE_NOPMD_BPF_H

#include "compat.bpf.h"
#include "maps.bpf.h"

/* A PMD fault at address fell back: its PTE retry comes next in this thread. */
static __always_inline void dt_pmd_fallback_seen(__u64 address)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 range = address & ~(DT_PMD_SIZE - 1);

	bpf_map_update_elem(&pmd_tried, &tid, &range, BPF_ANY);
}

/* Whether this thread's last PMD fallback was on address's 2 MiB range; forgets it either way. */
static __always_inline __u8 dt_pmd_was_tried(__u64 address)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 *range = bpf_map_lookup_elem(&pmd_tried, &tid);
	__u8 tried;

	if (!range)
		return 0;
	tried = *range == (address & ~(DT_PMD_SIZE - 1));
	bpf_map_delete_elem(&pmd_tried, &tid);
	return tried;
}

/* A PTE fault with its vmf: the checks of __handle_mm_fault, a few loads, no loop. */
static __always_inline __u8 dt_pte_fault_no_pmd(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = BPF_CORE_READ(vmf, vma);
	struct dt_pte_fault_seen seen = {};
	pmd_t *pmd;

	seen.pmd_tried = dt_pmd_was_tried(BPF_CORE_READ(vmf, address));
	if (seen.pmd_tried)
		return DT_NR_NO_PMD_REASONS;
	seen.has_huge_fault = BPF_CORE_READ(vma, vm_ops, huge_fault) != NULL;
	seen.vm_flags = BPF_CORE_READ(vma, vm_flags);
	seen.mm_flags = dt_mm_flags(BPF_CORE_READ(vma, vm_mm), &seen.thp_except_advised);
	pmd = BPF_CORE_READ(vmf, pmd);
	if (pmd)
		bpf_probe_read_kernel(&seen.pmd, sizeof(seen.pmd), pmd);
	return dt_no_pmd_reason(&seen);
}

/*
 * The classic fs_dax:dax_pte_fault tracepoint has the address and vm_flags but no vmf: the
 * mm is the current task's (a fault by get_user_pages from another task would be misread),
 * and the page table cannot be seen, so what is neither madvise nor prctl is unknown.
 */
static __always_inline __u8 dt_pte_fault_no_pmd_tp(__u64 address, __u64 vm_flags)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct dt_pte_fault_seen seen = { .no_vmf = 1, .vm_flags = vm_flags };

	seen.pmd_tried = dt_pmd_was_tried(address);
	if (seen.pmd_tried)
		return DT_NR_NO_PMD_REASONS;
	seen.mm_flags = dt_mm_flags(BPF_CORE_READ(task, mm), &seen.thp_except_advised);
	return dt_no_pmd_reason(&seen);
}

#endif /* DAXTRACE_NOPMD_BPF_H */
