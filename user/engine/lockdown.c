// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "engine/lockdown.h"

static const char *const names[] = {
	[LOCKDOWN_UNKNOWN] = "unknown",
	[LOCKDOWN_NONE] = "none",
	[LOCKDOWN_INTEGRITY] = "integrity",
	[LOCKDOWN_CONFIDENTIALITY] = "confidentiality",
};

enum lockdown_mode lockdown_read(const char *path)
{
	char line[128], *mark, *end;
	FILE *file = fopen(path, "r");

	if (!file)
		return LOCKDOWN_UNKNOWN;
	mark = fgets(line, sizeof(line), file) ? strchr(line, '[') : NULL;
	fclose(file);
	end = mark ? strchr(mark, ']') : NULL;
	if (!end)
		return LOCKDOWN_UNKNOWN;
	*end = '\0';
	for (int mode = LOCKDOWN_NONE; mode <= LOCKDOWN_CONFIDENTIALITY; mode++)
		if (!strcmp(mark + 1, names[mode]))
			return mode;
	return LOCKDOWN_UNKNOWN;
}

const char *lockdown_name(enum lockdown_mode mode)
{
	return names[mode];
}

const char *lockdown_consequence(enum lockdown_mode mode)
{
	switch (mode) {
	case LOCKDOWN_NONE:
		return "nothing restricted";
	case LOCKDOWN_INTEGRITY:
		return "daxtrace unaffected: integrity refuses bpf_probe_write_user and writable "
		       "debugfs files, which it does not use";
	case LOCKDOWN_CONFIDENTIALITY:
		return "no daxtrace program can load: confidentiality refuses bpf_probe_read_kernel "
		       "(LOCKDOWN_BPF_READ_KERNEL), which every CO-RE read calls; kprobes and "
		       "tracefs are refused too";
	default:
		return "not reported (no lockdown LSM, or securityfs not mounted): nothing known "
		       "restricted";
	}
}
