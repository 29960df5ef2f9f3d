/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ways into one handler. tp_btf and raw_tp both hand the program the tracepoint's arguments as
 * an array of u64, so one macro defines the pair around the same call; the engine keeps one of
 * them (bpf_program__set_autoload) per the attach plan.
 *
 * The call sees the constant dt_direct: true in tp_btf, whose arguments the verifier knows as
 * BTF-typed pointers that can be loaded from directly (one instruction each), false in raw_tp,
 * whose arguments are plain numbers and need BPF_CORE_READ (a bpf_probe_read_kernel call each,
 * about 20 ns). Handlers are __always_inline, so the branch not taken is compiled away and the
 * raw_tp program never holds a direct load.
 */
#ifndef DAXTRACE_PROBE_BPF_H
#define DAXTRACE_PROBE_BPF_H

#define DT_TP_TWINS(tp, call, args...)                                \
	SEC("tp_btf/" #tp)                                            \
	int BPF_PROG(tp##__tp_btf, args)                              \
	{                                                             \
		const bool dt_direct __attribute__((unused)) = true;  \
		return call;                                          \
	}                                                             \
	SEC("raw_tp/" #tp)                                            \
	int BPF_PROG(tp##__raw_tp, args)                              \
	{                                                             \
		const bool dt_direct __attribute__((unused)) = false; \
		return call;                                          \
	}

/*
 * The same pair for a kernel function's entry: fentry (BTF-typed arguments) and kprobe (the
 * registers), around the same call. The call must read through BPF_CORE_READ, valid for both.
 */
#define DT_FUNC_TWINS(fn, call, args...)   \
	SEC("fentry/" #fn)                 \
	int BPF_PROG(fn##__fentry, args)   \
	{                                  \
		return call;               \
	}                                  \
	SEC("kprobe/" #fn)                 \
	int BPF_KPROBE(fn##__kprobe, args) \
	{                                  \
		return call;               \
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

/*
 * A pointer's value as a plain number. The verifier allows no arithmetic with an unknown
 * number on a BTF-typed pointer (an fentry argument); a copy through the stack is a scalar.
 */
static __always_inline unsigned long dt_address_of(const void *p)
{
	unsigned long value = 0;

	bpf_probe_read_kernel(&value, sizeof(value), &p);
	return value;
}

/* The identity of the file an inode is, and whether it is DAX (S_DAX, stable since v4.0). */
struct dt_inode_id {
	__u32 dev;
	__u64 ino;
	bool dax;
};

static __always_inline void dt_inode_id_of(struct inode *inode, bool direct, struct dt_inode_id *id)
{
	if (!inode) {
		*id = (struct dt_inode_id){};
	} else if (direct) {
		id->dev = inode->i_sb->s_dev;
		id->ino = inode->i_ino;
		id->dax = inode->i_flags & DT_S_DAX;
	} else {
		id->dev = BPF_CORE_READ(inode, i_sb, s_dev);
		id->ino = BPF_CORE_READ(inode, i_ino);
		id->dax = BPF_CORE_READ(inode, i_flags) & DT_S_DAX;
	}
}

#endif /* DAXTRACE_PROBE_BPF_H */
