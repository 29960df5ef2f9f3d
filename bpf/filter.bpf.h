/* SPDX-License-Identifier: GPL-2.0 */
/* The in-kernel filters of the common options, applied before anything is aggregated. */
#ifndef DAXTRACE_FILTER_BPF_H
#define DAXTRACE_FILTER_BPF_H

#include "maps.bpf.h"

static __always_inline bool dt_current_traced(void)
{
	if (filter_tgid) {
		__u32 tgid = bpf_get_current_pid_tgid() >> 32;

		if (!bpf_map_lookup_elem(&traced_tgids, &tgid))
			return false;
	}
	if (filter_cgroup && bpf_current_task_under_cgroup(&cgroup_filter, 0) != 1)
		return false;
	return true;
}

static __always_inline bool dt_file_wanted(__u32 dev, bool dax)
{
	if (filter_dev && dev != filter_dev)
		return false;
	return dax || !dax_only;
}

/* For probes that carry only dev and ino (classic tracepoints). */
static __always_inline bool dt_dev_is_dax(__u32 dev)
{
	return bpf_map_lookup_elem(&dax_devs, &dev) != NULL;
}

static __always_inline bool dt_inode_is_dax(const struct inode *inode)
{
	return BPF_CORE_READ(inode, i_flags) & DT_S_DAX;
}

#endif /* DAXTRACE_FILTER_BPF_H */
