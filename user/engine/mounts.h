/* SPDX-License-Identifier: GPL-2.0 */
/* Mounted filesystems by device: where a dev:ino lives, and which devices are mounted DAX. */
#ifndef DAXTRACE_MOUNTS_H
#define DAXTRACE_MOUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <linux/types.h>

#include "daxtrace.h"

struct mount_entry {
	unsigned int dev; /* kernel dev_t */
	char *mount_point;
	char *root; /* the mount's root inside its filesystem */
	char *fs_type;
	char *source;
	bool dax; /* mounted with dax / dax=always */
};

struct mount_table {
	struct mount_entry *entries;
	int nr;
};

/* Reads a mountinfo file ("/proc/self/mountinfo"); -errno if it cannot be opened. */
int mount_table_load(struct mount_table *table, const char *mountinfo_path);
/* The same from an open mountinfo stream; lines of another shape are skipped. */
void mount_table_read(struct mount_table *table, FILE *mountinfo);
void mount_table_free(struct mount_table *table);
const struct mount_entry *mount_table_find(const struct mount_table *table, unsigned int dev);

/*
 * The path of a file from the names captured in BPF (leaf first) and its device's mount.
 * False when it cannot be told whole (no names, walk cut short, device not mounted here).
 */
bool file_path(const struct mount_table *table, unsigned int dev, const struct dt_file_info *info,
	       char *buf, size_t size);

/*
 * The inverse of file_path: the names (leaf first) of a path under its mount, as BPF would
 * have captured them from the dentries. False when the path is not under the mount point or
 * has more than DT_PATH_DEPTH components.
 */
bool file_info_from_path(const struct mount_entry *mount, const char *path,
			 struct dt_file_info *info);

#endif /* DAXTRACE_MOUNTS_H */
