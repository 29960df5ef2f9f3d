// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>

#include <bpf/bpf.h>

#include "engine/file_paths.h"

struct file_paths {
	int info_fd;
	const struct mount_table *mounts;
};

struct file_paths *file_paths_new(int info_fd, const struct mount_table *mounts)
{
	struct file_paths *paths = malloc(sizeof(*paths));

	if (paths)
		*paths = (struct file_paths){ info_fd, mounts };
	return paths;
}

void file_paths_free(struct file_paths *paths)
{
	free(paths);
}

const char *file_paths_lookup(const struct file_paths *paths, __u32 dev, __u64 ino, char *buf,
			      size_t size)
{
	struct dt_file_key key = { .dev = dev, .ino = ino };
	struct dt_file_info info;

	if (!paths || bpf_map_lookup_elem(paths->info_fd, &key, &info) ||
	    !file_path(paths->mounts, dev, &info, buf, size))
		return NULL;
	return buf;
}
