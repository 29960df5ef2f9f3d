/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel lockdown (security/lockdown, Linux 5.4): what its mode leaves daxtrace. Integrity
 * refuses the reasons up to LOCKDOWN_INTEGRITY_MAX (bpf_probe_write_user, writable debugfs
 * files, ...), none of which daxtrace uses. Confidentiality adds LOCKDOWN_BPF_READ_KERNEL:
 * the verifier then has no bpf_probe_read_kernel (kernel/trace/bpf_trace.c), which every
 * CO-RE read (BPF_CORE_READ) of ours calls, so no program loads; LOCKDOWN_KPROBES and
 * LOCKDOWN_TRACEFS (no tracefs files are created) go with it.
 */
#ifndef DAXTRACE_LOCKDOWN_H
#define DAXTRACE_LOCKDOWN_H

#define LOCKDOWN_PATH "/sys/kernel/security/lockdown"

enum lockdown_mode {
	LOCKDOWN_UNKNOWN, /* no file: no lockdown LSM, or securityfs not mounted */
	LOCKDOWN_NONE,
	LOCKDOWN_INTEGRITY,
	LOCKDOWN_CONFIDENTIALITY,
};

/* The bracketed mode of a lockdown file ("none [integrity] confidentiality"). */
enum lockdown_mode lockdown_read(const char *path);

/* "none", "integrity", "confidentiality", or "unknown". */
const char *lockdown_name(enum lockdown_mode mode);

/* What the mode means for daxtrace, one sentence. */
const char *lockdown_consequence(enum lockdown_mode mode);

#endif /* DAXTRACE_LOCKDOWN_H */
