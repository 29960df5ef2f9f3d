// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <bpf/bpf.h>

#include "engine/file_paths.h"
#include "engine/grow_array.h"

/* A name as long as BPF keeps: maybe the start of a longer one. */
#define CUT_LEN (DT_NAME_LEN - 1)
/* Names tried in all for one path: a directory of many names sharing 47 bytes is not worth more. */
#define COMPLETE_TRIES 64
/*
 * Completed paths kept: a long run meets ever new files (the soak: 100,000), so the oldest
 * make room, and a path that left is completed again when it shows up.
 */
#define COMPLETED_KEPT 1024

struct completed_path {
	__u32 dev;
	__u64 ino;
	char *path;
};

struct file_paths {
	int info_fd;
	struct mount_table *mounts;
	const char *mountinfo_path;
	int mountinfo_watch; /* -1: none, then re-read on every unknown device */
	bool reread_unseen; /* mounted between the session's read and the watch's open */
	struct grow_array completed; /* struct completed_path, at most COMPLETED_KEPT */
	int oldest; /* the next one replaced once completed is full */
	struct grow_array recorded; /* char *: a record's names, ino i + 1 is recorded[i] */
	struct grow_array named; /* struct completed_path: a share stream's names */
};

struct file_paths *file_paths_new(int info_fd, struct mount_table *mounts,
				  const char *mountinfo_path)
{
	struct file_paths *paths = malloc(sizeof(*paths));

	if (!paths)
		return NULL;
	*paths = (struct file_paths){ .info_fd = info_fd,
				      .mounts = mounts,
				      .mountinfo_path = mountinfo_path,
				      .mountinfo_watch = open(mountinfo_path, O_RDONLY | O_CLOEXEC),
				      .reread_unseen = true,
				      .completed = GROW_ARRAY_INIT(struct completed_path),
				      .recorded = GROW_ARRAY_INIT(char *),
				      .named = GROW_ARRAY_INIT(struct completed_path) };
	return paths;
}

struct file_paths *file_paths_new_recorded(void)
{
	struct file_paths *paths = calloc(1, sizeof(*paths));

	if (!paths)
		return NULL;
	paths->info_fd = -1;
	paths->mountinfo_watch = -1;
	paths->completed = GROW_ARRAY_INIT(struct completed_path);
	paths->recorded = GROW_ARRAY_INIT(char *);
	paths->named = GROW_ARRAY_INIT(struct completed_path);
	return paths;
}

__u64 file_paths_add_recorded(struct file_paths *paths, const char *name)
{
	char *copy = strdup(name), **slot = copy ? grow_array_push(&paths->recorded) : NULL;

	if (!slot) {
		free(copy);
		return 0;
	}
	*slot = copy;
	return paths->recorded.nr;
}

int file_paths_add_named(struct file_paths *paths, __u32 dev, __u64 ino, const char *name,
			 size_t len)
{
	char *copy = strndup(name, len);
	struct completed_path *named = copy ? grow_array_push(&paths->named) : NULL;

	if (!named) {
		free(copy);
		return -ENOMEM;
	}
	*named = (struct completed_path){ dev, ino, copy };
	return 0;
}

/* A named file's path into buf; NULL when dev:ino has none, or an empty one (not told). */
static const char *named_path(const struct file_paths *paths, __u32 dev, __u64 ino, char *buf,
			      size_t size)
{
	for (int i = 0; i < paths->named.nr; i++) {
		const struct completed_path *named = grow_array_at(&paths->named, i);

		if (named->dev == dev && named->ino == ino && named->path[0]) {
			snprintf(buf, size, "%s", named->path);
			return buf;
		}
	}
	return NULL;
}

/* A record's name of dev:ino into buf, or NULL when dev:ino is none of them. */
static const char *recorded_path(const struct file_paths *paths, __u32 dev, __u64 ino, char *buf,
				 size_t size)
{
	if (dev != FILE_PATHS_RECORDED_DEV || !ino || ino > (__u64)paths->recorded.nr)
		return NULL;
	snprintf(buf, size, "%s", *(char **)grow_array_at(&paths->recorded, ino - 1));
	return buf;
}

void file_paths_free(struct file_paths *paths)
{
	if (!paths)
		return;
	if (paths->mountinfo_watch >= 0)
		close(paths->mountinfo_watch);
	for (int i = 0; i < paths->completed.nr; i++)
		free(((struct completed_path *)grow_array_at(&paths->completed, i))->path);
	grow_array_free(&paths->completed);
	for (int i = 0; i < paths->recorded.nr; i++)
		free(*(char **)grow_array_at(&paths->recorded, i));
	grow_array_free(&paths->recorded);
	for (int i = 0; i < paths->named.nr; i++)
		free(((struct completed_path *)grow_array_at(&paths->named, i))->path);
	grow_array_free(&paths->named);
	free(paths);
}

/* The kernel raises POLLPRI on an open mountinfo once its namespace's mounts changed. */
static bool mounts_changed(struct file_paths *paths)
{
	struct pollfd watch = { .fd = paths->mountinfo_watch, .events = POLLPRI };

	if (paths->reread_unseen) {
		paths->reread_unseen = false;
		return true;
	}
	return watch.fd < 0 || (poll(&watch, 1, 0) == 1 && (watch.revents & POLLPRI));
}

static const struct mount_entry *find_mount(struct file_paths *paths, __u32 dev)
{
	const struct mount_entry *mount = mount_table_find(paths->mounts, dev);

	if (mount || !mounts_changed(paths))
		return mount;
	mount_table_free(paths->mounts);
	mount_table_load(paths->mounts, paths->mountinfo_path);
	return mount_table_find(paths->mounts, dev);
}

static bool names_file(const char *path, __u32 dev, __u64 ino)
{
	struct stat st;

	return !lstat(path, &st) && st.st_ino == ino &&
	       DT_MKDEV(major(st.st_dev), minor(st.st_dev)) == dev;
}

/*
 * path[0, done) is a directory that exists and what follows is BPF's names, '/'-separated.
 * Each CUT_LEN one is replaced by each name of its directory that starts with it, depth first.
 */
static bool complete_below(char *path, size_t size, size_t done, __u32 dev, __u64 ino, int *tries)
{
	char *name = path + done + 1, *end, rest[4096], cut[CUT_LEN + 1];
	bool found = false;
	struct dirent *entry;
	DIR *dir;

	if (!path[done])
		return names_file(path, dev, ino);
	end = strchrnul(name, '/');
	if (end - name != CUT_LEN)
		return complete_below(path, size, end - path, dev, ino, tries);
	memcpy(cut, name, CUT_LEN);
	cut[CUT_LEN] = '\0';
	snprintf(rest, sizeof(rest), "%s", end);
	path[done] = '\0';
	dir = opendir(done ? path : "/");
	path[done] = '/';
	while (dir && !found && (entry = readdir(dir)) && *tries > 0) {
		size_t len = strlen(entry->d_name);

		if (strncmp(entry->d_name, cut, CUT_LEN) || done + 1 + len + strlen(rest) >= size)
			continue;
		--*tries;
		snprintf(path + done, size - done, "/%s%s", entry->d_name, rest);
		found = complete_below(path, size, done + 1 + len, dev, ino, tries);
	}
	if (dir)
		closedir(dir);
	if (!found)
		snprintf(path + done, size - done, "/%s%s", cut, rest);
	return found;
}

bool file_path_complete(char *path, size_t size, __u32 dev, __u64 ino)
{
	int tries = COMPLETE_TRIES;

	return path[0] == '/' && complete_below(path, size, 0, dev, ino, &tries);
}

static bool maybe_cut(const struct dt_file_info *info)
{
	for (int i = 0; i < info->depth && i < DT_PATH_DEPTH; i++)
		if (strnlen(info->names[i], DT_NAME_LEN) == CUT_LEN)
			return true;
	return false;
}

static const char *completed_path(struct file_paths *paths, __u32 dev, __u64 ino, char *buf,
				  size_t size)
{
	struct completed_path *known;

	for (int i = 0; i < paths->completed.nr; i++) {
		known = grow_array_at(&paths->completed, i);
		if (known->path && known->dev == dev && known->ino == ino) {
			snprintf(buf, size, "%s", known->path);
			return buf;
		}
	}
	if (!file_path_complete(buf, size, dev, ino))
		return NULL;
	if (paths->completed.nr < COMPLETED_KEPT) {
		known = grow_array_push(&paths->completed);
	} else {
		known = grow_array_at(&paths->completed, paths->oldest);
		paths->oldest = (paths->oldest + 1) % COMPLETED_KEPT;
		free(known->path);
	}
	/* out of memory: the path is still right, only completed again next time (path NULL) */
	if (known)
		*known = (struct completed_path){ dev, ino, strdup(buf) };
	return buf;
}

const char *file_paths_resolve(struct file_paths *paths, __u32 dev, __u64 ino,
			       const struct dt_file_info *info, char *buf, size_t size)
{
	if (paths && paths->recorded.nr)
		return recorded_path(paths, dev, ino, buf, size);
	if (paths && paths->named.nr)
		return named_path(paths, dev, ino, buf, size);
	if (!paths || !find_mount(paths, dev) || !file_path(paths->mounts, dev, info, buf, size))
		return NULL;
	return maybe_cut(info) ? completed_path(paths, dev, ino, buf, size) : buf;
}

const char *file_paths_lookup(struct file_paths *paths, __u32 dev, __u64 ino, char *buf,
			      size_t size)
{
	struct dt_file_key key = { .dev = dev, .ino = ino };
	struct dt_file_info info;

	if (paths && paths->recorded.nr)
		return recorded_path(paths, dev, ino, buf, size);
	if (paths && paths->named.nr)
		return named_path(paths, dev, ino, buf, size);
	if (!paths || paths->info_fd < 0 || bpf_map_lookup_elem(paths->info_fd, &key, &info))
		return NULL;
	return file_paths_resolve(paths, dev, ino, &info, buf, size);
}
