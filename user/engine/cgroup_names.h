/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cgroup v2 ids (bpf_get_current_cgroup_id: the kernfs id, which is the directory's inode
 * number on 64-bit kernels since v5.5) as paths below the hierarchy's root ("/", "/system.slice/
 * foo.service"). A path once found is kept for the run, so a label stays the same after the
 * cgroup is removed; the table holds only ids asked for.
 */
#ifndef DAXTRACE_CGROUP_NAMES_H
#define DAXTRACE_CGROUP_NAMES_H

#include <linux/types.h>

struct cgroup_names;

/* root: the cgroup2 mount point (e.g. /sys/fs/cgroup). NULL when out of memory. */
struct cgroup_names *cgroup_names_new(const char *root);

/*
 * Asks for ids before cgroup_names_resolve: those not known yet are looked for in one walk of
 * the hierarchy.
 */
void cgroup_names_want(struct cgroup_names *names, __u64 id);
void cgroup_names_resolve(struct cgroup_names *names);

/* The path of id, or "unknown" when no directory had it (removed before it was asked for). */
const char *cgroup_names_get(const struct cgroup_names *names, __u64 id);

void cgroup_names_free(struct cgroup_names *names);

#endif /* DAXTRACE_CGROUP_NAMES_H */
