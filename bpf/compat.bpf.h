/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel layouts that vmlinux/x86/vmlinux.h (generated from a 6.18 kernel) no longer has. Each
 * is a CO-RE flavour: libbpf matches it by the name before "___" and by field names, so only
 * the fields read are listed. Each names the kernel change that retired it.
 */
#ifndef DAXTRACE_COMPAT_BPF_H
#define DAXTRACE_COMPAT_BPF_H

/* xfs:xfs_filemap_fault, up to v6.12 (split into xfs_read_fault/xfs_write_fault in v6.13). */
struct trace_event_raw_xfs_filemap_fault___pre613 {
	dev_t dev;
	xfs_ino_t ino;
	bool write_fault;
} __attribute__((preserve_access_index));

/*
 * struct dentry through v6.18 keeps d_alias in the named union d_u; the 7.x kernels (seen on
 * 7.2) put it in an anonymous union, where CO-RE finds it as a direct member.
 */
struct dentry___anon_alias {
	struct hlist_node d_alias;
} __attribute__((preserve_access_index));

static __always_inline struct dentry *dt_alias_dentry(struct hlist_node *alias)
{
	if (bpf_core_field_exists(struct dentry___anon_alias, d_alias))
		return (void *)alias - bpf_core_field_offset(struct dentry___anon_alias, d_alias);
	return (void *)alias - bpf_core_field_offset(struct dentry, d_u.d_alias);
}

/*
 * mm->flags was an unsigned long up to v6.17; v6.18 "mm: convert mm->flags to bitmap" made it
 * mm_flags_t, a bitmap whose first word holds the same bits (vmlinux.h's struct mm_struct).
 */
struct mm_struct___ulong_flags {
	unsigned long flags;
} __attribute__((preserve_access_index));

/* The first word of mm->flags; *thp_split: the kernel has MMF_DISABLE_THP_EXCEPT_ADVISED. */
static __always_inline __u64 dt_mm_flags(struct mm_struct *mm, __u8 *thp_split)
{
	struct mm_struct___ulong_flags *old = (void *)mm;

	/* the bitmap and the split of MMF_DISABLE_THP both came with v6.18 */
	*thp_split = !bpf_core_field_exists(old->flags);
	if (!*thp_split)
		return BPF_CORE_READ(old, flags);
	return BPF_CORE_READ(mm, flags.__mm_flags[0]);
}

/*
 * struct vm_fault's flags: an unsigned int up to v5.12, an enum fault_flag since "mm/doc: turn
 * fault flags into an enum" (v5.13). CO-RE matches no int with an enum, so on 5.10 the field
 * of vmlinux.h's layout is missing and this one is there (and the other way round after).
 */
struct vm_fault___uint_flags {
	unsigned int flags;
} __attribute__((preserve_access_index));

/* vmf->flags on every kernel; direct: a tp_btf argument, loaded from without a helper. */
static __always_inline __u32 dt_vmf_flags(struct vm_fault *vmf, bool direct)
{
	if (bpf_core_field_exists(struct vm_fault___uint_flags, flags))
		return BPF_CORE_READ((struct vm_fault___uint_flags *)vmf, flags);
	return direct ? vmf->flags : BPF_CORE_READ(vmf, flags);
}

#endif /* DAXTRACE_COMPAT_BPF_H */
