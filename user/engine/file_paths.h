/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Paths of files by dev:ino, for the renderers: the names BPF captured when it first saw the
 * file, joined to the device's mount point. An opaque handle, so that a renderer gets names,
 * never the map they come from.
 */
#ifndef DAXTRACE_FILE_PATHS_H
#define DAXTRACE_FILE_PATHS_H

#include <stddef.h>
#include <linux/types.h>

#include "engine/mounts.h"

struct file_paths;

/* info_fd: the file_info map (dt_file_key -> dt_file_info). NULL when out of memory. */
struct file_paths *file_paths_new(int info_fd, const struct mount_table *mounts);
void file_paths_free(struct file_paths *paths);

/* The path of dev:ino in buf, or NULL when it cannot be told whole (see file_path). */
const char *file_paths_lookup(const struct file_paths *paths, __u32 dev, __u64 ino, char *buf,
			      size_t size);

#endif /* DAXTRACE_FILE_PATHS_H */
