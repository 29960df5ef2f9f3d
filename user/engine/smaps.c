// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <linux/types.h>

#include "daxtrace.h"
#include "engine/kernel_escape.h"
#include "engine/smaps.h"

/* d_path() (fs/d_path.c) appends it to the path of an unlinked file. */
#define DELETED_SUFFIX " (deleted)"

/* The path field as the file's name: escapes decoded, the deleted mark taken off. */
static void decode_path(char *path, bool *deleted)
{
	size_t len = strlen(path), suffix = strlen(DELETED_SUFFIX);

	/* the line's end; smaps has no trailing blanks of its own: they are the file's */
	if (len && path[len - 1] == '\n')
		path[--len] = '\0';
	*deleted = len > suffix && !strcmp(path + len - suffix, DELETED_SUFFIX);
	if (*deleted)
		path[len - suffix] = '\0';
	/* after the suffix: an escaped newline cannot make a " (deleted)" of its own */
	kernel_unescape(path, MAPS_ESCAPED);
}

/* A header line into vma; its path (decoded, malloc'd) into *path. 0, -EINVAL or -ENOMEM. */
static int parse_header(const char *line, struct smaps_vma *vma, char **path)
{
	unsigned int major, minor;
	char perms[8];
	int path_at = 0;

	if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64 " %x:%x %" SCNu64 " %n",
		   (uint64_t *)&vma->start, (uint64_t *)&vma->end, perms, (uint64_t *)&vma->offset,
		   &major, &minor, (uint64_t *)&vma->ino, &path_at) < 7 ||
	    vma->end <= vma->start || major > DT_MAJOR_MAX || minor > DT_MINOR_MASK)
		return -EINVAL;
	vma->dev = DT_MKDEV(major, minor);
	vma->pmd_mapped = false;
	*path = strdup(path_at ? line + path_at : "");
	if (!*path)
		return -ENOMEM;
	decode_path(*path, &vma->deleted);
	vma->path = *path;
	return 0;
}

int smaps_read(FILE *smaps, smaps_vma_fn fn, void *ctx)
{
	struct smaps_vma vma = {}, next;
	char *line = NULL, *path = NULL, *next_path;
	size_t cap = 0;
	ssize_t len;
	int err = 0;

	/* getline: a path escapes to up to 4 x PATH_MAX bytes, and a cut line would be two */
	while (!err && (len = getline(&line, &cap, smaps)) > 0) {
		unsigned long long kb;

		if (strlen(line) != (size_t)len)
			continue; /* a NUL: not the kernel's line */
		err = parse_header(line, &next, &next_path);
		if (!err) {
			if (path)
				err = fn(&vma, ctx);
			free(path);
			vma = next;
			path = next_path;
		} else if (err == -EINVAL) {
			/* a mapping's "Key: value" lines ("FilePmdMapped" looks hex to sscanf) */
			err = 0;
			if (path && sscanf(line, "FilePmdMapped: %llu kB", &kb) == 1)
				vma.pmd_mapped = kb > 0;
		}
	}
	if (!err && path)
		err = fn(&vma, ctx);
	free(path);
	free(line);
	return err;
}
