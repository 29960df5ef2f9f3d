// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/ftrace_cache.h"

/* FNV-1a: a change in any byte of the modules' columns changes the stamp. */
static uint64_t hash_bytes(uint64_t hash, const char *bytes, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		hash ^= (unsigned char)bytes[i];
		hash *= 0x100000001b3ULL;
	}
	return hash;
}

/* /proc/modules: "name size refcount users state address": the 1st, 2nd and 6th columns. */
static uint64_t hash_modules(const char *path)
{
	uint64_t hash = 0xcbf29ce484222325ULL;
	char name[64], size[32], address[32];
	char *line = NULL;
	size_t line_size = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return hash; /* no modules (CONFIG_MODULES=n): the boot id alone */
	while (getline(&line, &line_size, f) > 0) {
		if (sscanf(line, "%63s %31s %*s %*s %*s %31s", name, size, address) != 3)
			continue;
		hash = hash_bytes(hash, name, strlen(name) + 1);
		hash = hash_bytes(hash, size, strlen(size) + 1);
		hash = hash_bytes(hash, address, strlen(address) + 1);
	}
	free(line);
	fclose(f);
	return hash;
}

int ftrace_cache_stamp(char *stamp, size_t size, const char *boot_id_path, const char *modules_path)
{
	char boot_id[64];
	FILE *f = fopen(boot_id_path, "r");
	bool got;

	if (!f)
		return -errno;
	got = fscanf(f, "%63s", boot_id) == 1;
	fclose(f);
	if (!got)
		return -EINVAL;
	snprintf(stamp, size, "daxtrace-ftrace-cache/1 boot %s modules %016llx", boot_id,
		 (unsigned long long)hash_modules(modules_path));
	return 0;
}

/* Ours, and writable by us only: neither another user nor a group can have put it there. */
static bool trusted(const struct stat *st)
{
	return st->st_uid == geteuid() && !(st->st_mode & (S_IWGRP | S_IWOTH));
}

static bool trusted_directory(const char *path)
{
	char dir[PATH_MAX];
	char *slash;
	struct stat st;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return false;
	*slash = '\0';
	return lstat(dir, &st) == 0 && S_ISDIR(st.st_mode) && trusted(&st);
}

int ftrace_cache_load(struct name_set *set, const char *path, const char *stamp)
{
	char *line = NULL;
	size_t line_size = 0;
	struct stat st;
	int fd, err = -ENOENT;
	FILE *f;

	memset(set, 0, sizeof(*set));
	if (!trusted_directory(path))
		return -ENOENT;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -ENOENT;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || !trusted(&st)) {
		close(fd);
		return -ENOENT;
	}
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return -errno;
	}
	if (getline(&line, &line_size, f) > 0 && !strncmp(line, stamp, strlen(stamp)) &&
	    !strcmp(line + strlen(stamp), "\n"))
		err = name_set_read(set, f, 0);
	free(line);
	fclose(f);
	return err;
}

static int make_directory(const char *path)
{
	char dir[PATH_MAX];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return -EINVAL;
	*slash = '\0';
	if (mkdir(dir, 0700) && errno != EEXIST)
		return -errno;
	return trusted_directory(path) ? 0 : -EPERM;
}

int ftrace_cache_store(const struct name_set *set, const char *path, const char *stamp)
{
	char temp[PATH_MAX];
	int fd, err;
	FILE *f;

	err = make_directory(path);
	if (err)
		return err;
	if (snprintf(temp, sizeof(temp), "%s.XXXXXX", path) >= (int)sizeof(temp))
		return -ENAMETOOLONG;
	fd = mkstemp(temp); /* 0600 */
	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (!f) {
		err = -errno;
		close(fd);
		unlink(temp);
		return err;
	}
	fprintf(f, "%s\n", stamp);
	for (size_t i = 0; i < set->nr; i++)
		fprintf(f, "%s\n", set->names[i]);
	err = ferror(f) ? -EIO : 0;
	if (fclose(f) && !err)
		err = -errno;
	if (!err && rename(temp, path))
		err = -errno;
	if (err)
		unlink(temp);
	return err;
}
