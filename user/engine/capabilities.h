/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DAXTRACE_CAPABILITIES_H
#define DAXTRACE_CAPABILITIES_H

#include <stdbool.h>

/* CAP_BPF + CAP_PERFMON (v5.8+), or CAP_SYS_ADMIN, in the effective set. */
bool has_bpf_capabilities(void);

#endif /* DAXTRACE_CAPABILITIES_H */
