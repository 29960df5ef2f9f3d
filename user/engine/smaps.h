/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /proc/PID/smaps, the part share --snapshot needs: each mapping's range, file (device, inode,
 * path) and whether part of it is mapped by PMD entries. The file is outside input: a header
 * line "start-end perms offset MAJ:MIN inode path" (hex numbers but the inode) starts each
 * mapping, its "Key: value" lines follow.
 */
#ifndef DAXTRACE_SMAPS_H
#define DAXTRACE_SMAPS_H

#include <stdbool.h>
#include <stdio.h>

#include <linux/types.h>

struct smaps_vma {
	__u64 start, end; /* end exclusive, above start */
	__u64 offset; /* in the file, bytes */
	__u32 dev; /* kernel dev_t */
	__u64 ino; /* 0: not a file */
	bool pmd_mapped; /* FilePmdMapped > 0 */
	bool deleted; /* the file is unlinked: the kernel's " (deleted)" is not in path */
	const char *path; /* decoded (\012 is a newline); "" if none; valid during the call */
};

/* Called once per mapping, its lines read; non-zero stops the walk. */
typedef int (*smaps_vma_fn)(const struct smaps_vma *vma, void *ctx);

/*
 * Calls fn for each mapping of an smaps stream; lines of another shape are skipped. Returns
 * fn's first non-zero value, -ENOMEM, or 0 at the end.
 */
int smaps_read(FILE *smaps, smaps_vma_fn fn, void *ctx);

#endif /* DAXTRACE_SMAPS_H */
