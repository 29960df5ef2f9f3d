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

#endif /* DAXTRACE_COMPAT_BPF_H */
