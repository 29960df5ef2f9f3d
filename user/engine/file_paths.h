/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Paths of files by dev:ino, for the renderers: the names BPF captured when it first saw the
 * file, joined to the device's mount point. An opaque handle, so that a renderer gets names,
 * never the map they come from.
 *
 * Two things the captured names cannot tell are completed here, in user space, so that a path
 * is either whole or NULL, never a file that does not exist:
 * - BPF keeps DT_NAME_LEN - 1 bytes of each name (a longer one would cost every file row its
 *   size): a component that long is completed from its directory's listing, and the path kept
 *   only once it names dev:ino (lstat). Completed paths are cached.
 * - A filesystem mounted after start: an unknown device re-reads mountinfo when it changed
 *   (POLLPRI on an open /proc/self/mountinfo, as findmnt --poll does).
 */
#ifndef DAXTRACE_FILE_PATHS_H
#define DAXTRACE_FILE_PATHS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "engine/mounts.h"

struct file_paths;

/*
 * info_fd: the file_info map (dt_file_key -> dt_file_info), or -1 for none. mounts is loaded
 * from mountinfo_path and re-read in place from it. NULL when out of memory.
 */
struct file_paths *file_paths_new(int info_fd, struct mount_table *mounts,
				  const char *mountinfo_path);
void file_paths_free(struct file_paths *paths);

/*
 * Paths of a record file (daxtrace report): no map and no mounts, only names given one by one.
 * Each name gets the id FILE_PATHS_RECORDED_DEV:ino, ino counting from 1, which lookups and
 * resolves then answer with the name.
 */
#define FILE_PATHS_RECORDED_DEV 1U
struct file_paths *file_paths_new_recorded(void);
/* The ino of a new name (copied), or 0 when out of memory. */
__u64 file_paths_add_recorded(struct file_paths *paths, const char *name);

/*
 * A name for a real dev:ino (a share stream's, daxtrace model): the first len bytes of name,
 * copied. Lookups of that dev:ino answer it, and of any other dev:ino NULL, so that the ids,
 * and the order of pairs by id, stay the recording's. 0, or -ENOMEM.
 */
int file_paths_add_named(struct file_paths *paths, __u32 dev, __u64 ino, const char *name,
			 size_t len);

/* The path of dev:ino in buf, or NULL when it cannot be told whole. */
const char *file_paths_lookup(struct file_paths *paths, __u32 dev, __u64 ino, char *buf,
			      size_t size);

/* The same from names already read from the map (a counter row carries them). */
const char *file_paths_resolve(struct file_paths *paths, __u32 dev, __u64 ino,
			       const struct dt_file_info *info, char *buf, size_t size);

/*
 * Completes in place each component of path that is DT_NAME_LEN - 1 bytes long, from its
 * directory's names that start with it; true once path names dev:ino (a kernel dev_t).
 */
bool file_path_complete(char *path, size_t size, __u32 dev, __u64 ino);

#endif /* DAXTRACE_FILE_PATHS_H */
