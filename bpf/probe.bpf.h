/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ways into one handler. tp_btf and raw_tp both hand the program the tracepoint's arguments as
 * an array of u64, so one macro defines the pair around the same call; the engine keeps one of
 * them (bpf_program__set_autoload) per the attach plan. Handlers read pointer arguments with
 * BPF_CORE_READ, which is valid for both: raw_tp arguments are not BTF-typed pointers.
 */
#ifndef DAXTRACE_PROBE_BPF_H
#define DAXTRACE_PROBE_BPF_H

#define DT_TP_TWINS(tp, call, args...)   \
	SEC("tp_btf/" #tp)               \
	int BPF_PROG(tp##__tp_btf, args) \
	{                                \
		return call;             \
	}                                \
	SEC("raw_tp/" #tp)               \
	int BPF_PROG(tp##__raw_tp, args) \
	{                                \
		return call;             \
	}

/*
 * The VFS inode inside an xfs_inode (fs/xfs/xfs_inode.h VFS_I()). Newer verifiers (seen on
 * 7.2) type tp_btf pointer arguments "trusted or NULL" and refuse arithmetic on them before a
 * NULL check.
 */
#define DT_VFS_I(ip)                                                                 \
	((ip) ? (struct inode *)((void *)(ip) +                                      \
				 bpf_core_field_offset(struct xfs_inode, i_vnode)) : \
		NULL)

#endif /* DAXTRACE_PROBE_BPF_H */
