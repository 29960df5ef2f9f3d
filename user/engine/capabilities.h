/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DAXTRACE_CAPABILITIES_H
#define DAXTRACE_CAPABILITIES_H

#include <stdbool.h>
#include <stddef.h>

/* include/uapi/linux/capability.h */
#define DT_CAP_DAC_READ_SEARCH 2
#define DT_CAP_SYS_ADMIN 21
#define DT_CAP_PERFMON 38
#define DT_CAP_BPF 39

/* The capability is in the effective set (true when /proc/self/status cannot tell). */
bool has_capability(int cap);

/*
 * CAP_BPF + CAP_PERFMON (v5.8+), or CAP_SYS_ADMIN, in the effective set. If not, false, with
 * the missing ones named in missing ("CAP_BPF and CAP_PERFMON", "CAP_PERFMON", ...).
 */
bool has_bpf_capabilities(char *missing, size_t size);

/*
 * Gives up every capability of this thread for good (effective, permitted, inheritable and
 * ambient; no_new_privs): for a service once its programs are attached, since reading maps,
 * program statistics and detaching need none. Threads started after it inherit nothing.
 * 0, or -errno.
 */
int drop_all_capabilities(void);

/* The same, but keep (a CAP_* number) stays effective and permitted; -1 keeps none. */
int drop_capabilities_but(int keep);

/*
 * Whether a thread without CAP_BPF is refused even the BPF objects it holds. Where
 * kernel.unprivileged_bpf_disabled is set, 5.10 refuses every bpf(2) command without it
 * (newer kernels, 6.1 as Debian ships it, only the creating ones). Tried in a child that drops
 * every capability and reads a map made for it.
 */
bool bpf_fds_need_capability(void);

#endif /* DAXTRACE_CAPABILITIES_H */
