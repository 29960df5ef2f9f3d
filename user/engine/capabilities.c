// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include <linux/capability.h>

#include "engine/capabilities.h"

/* /proc/self/status CapEff, so no libcap is needed for a few bits; ~0 if it cannot be read. */
static unsigned long long effective_capabilities(void)
{
	unsigned long long effective = ~0ULL;
	FILE *status = fopen("/proc/self/status", "r");
	char line[256];

	if (!status)
		return effective; /* cannot tell: let the kernel decide */
	while (fgets(line, sizeof(line), status))
		if (sscanf(line, "CapEff: %llx", &effective) == 1)
			break;
	fclose(status);
	return effective;
}

bool has_capability(int cap)
{
	return effective_capabilities() & (1ULL << cap);
}

bool has_bpf_capabilities(char *missing, size_t size)
{
	unsigned long long effective = effective_capabilities();
	bool bpf = effective & (1ULL << DT_CAP_BPF);
	bool perfmon = effective & (1ULL << DT_CAP_PERFMON);

	/* Before 5.8, CAP_SYS_ADMIN was the one capability for both; it still covers them. */
	if ((effective & (1ULL << DT_CAP_SYS_ADMIN)) || (bpf && perfmon))
		return true;
	snprintf(missing, size, "%s%s%s", bpf ? "" : "CAP_BPF", !bpf && !perfmon ? " and " : "",
		 perfmon ? "" : "CAP_PERFMON");
	return false;
}

int drop_capabilities_but(int keep)
{
	struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct caps[_LINUX_CAPABILITY_U32S_3] = {};

	if (keep >= 0)
		caps[keep / 32].effective = caps[keep / 32].permitted = 1U << (keep % 32);
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) && errno != EINVAL)
		return -errno;
	if (syscall(SYS_capset, &header, caps))
		return -errno;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -errno;
	return 0;
}

int drop_all_capabilities(void)
{
	return drop_capabilities_but(-1);
}

bool bpf_fds_need_capability(void)
{
	int key = 0, fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "dt_cap_probe", 4, 4, 1, NULL);
	int status = 0;
	pid_t child;

	if (fd < 0)
		return false; /* cannot tell: drop everything, as before */
	child = fork();
	if (child == 0) {
		int value;

		_exit(drop_all_capabilities() == 0 && bpf_map_lookup_elem(fd, &key, &value) &&
		      errno == EPERM);
	}
	if (child > 0)
		waitpid(child, &status, 0);
	close(fd);
	return child > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 1;
}
