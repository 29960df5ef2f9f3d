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

#endif /* DAXTRACE_CAPABILITIES_H */
