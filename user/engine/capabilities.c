// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "engine/capabilities.h"

/* include/uapi/linux/capability.h */
#define CAP_SYS_ADMIN 21
#define CAP_PERFMON 38
#define CAP_BPF 39

/* /proc/self/status CapEff, so no libcap is needed for three bits. */
bool has_bpf_capabilities(void)
{
	unsigned long long effective = 0;
	FILE *status = fopen("/proc/self/status", "r");
	char line[256];

	if (!status)
		return true; /* cannot tell: let the kernel decide at load */
	while (fgets(line, sizeof(line), status))
		if (sscanf(line, "CapEff: %llx", &effective) == 1)
			break;
	fclose(status);
	if (effective & (1ULL << CAP_SYS_ADMIN))
		return true;
	return (effective & (1ULL << CAP_BPF)) && (effective & (1ULL << CAP_PERFMON));
}
