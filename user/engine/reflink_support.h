/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Whether the files of a DAX mount can share extents (reflink), so that cow and share can say
 * why they count nothing there instead of showing zeros as if nothing had happened.
 */
#ifndef DAXTRACE_REFLINK_SUPPORT_H
#define DAXTRACE_REFLINK_SUPPORT_H

#include "engine/mounts.h"

enum reflink_support {
	REFLINK_YES,
	REFLINK_UNKNOWN, /* XFS whose geometry could not be read: assumed able */
	REFLINK_NO_FS, /* a file system without reflink (ext4, ext2, erofs...) */
	REFLINK_NOT_FORMATTED, /* XFS made without it (mkfs.xfs -m reflink=0) */
	REFLINK_OLD_KERNEL, /* XFS on a kernel before 5.19, which never shares DAX extents */
};

/* The XFS geometry's reflink flag: 1, 0, or -1 when it could not be read. */
enum reflink_support reflink_support_of(const char *fs_type, int xfs_reflink_flag,
					const char *kernel_release);

/* Why files there cannot share extents, NULL for YES and UNKNOWN: for people, ... */
const char *reflink_support_reason(enum reflink_support support);
/* ... and for JSON: "fs_without_reflink", "made_without_reflink", "kernel_before_5_19". */
const char *reflink_support_name(enum reflink_support support);

/* The XFS_FSOP_GEOM_FLAGS_REFLINK bit of the XFS mounted on mount_point: 1, 0 or -1. */
int xfs_reflink_flag(const char *mount_point);

/* Copies: a mount table is re-read in place when mounts change (file_paths.h). */
struct dax_mount_reflink {
	char mount_point[4096];
	char fs_type[64];
	enum reflink_support support;
};

/* The most mounts a report names (more DAX mounts without reflink are left out). */
#define DT_MAX_NO_REFLINK 16

/*
 * The DAX mounts of table whose files cannot share extents, up to max, in table order; how
 * many. flag_of reads a mount's XFS reflink flag (xfs_reflink_flag; tests pass their own).
 */
int dax_mounts_without_reflink(const struct mount_table *table, const char *kernel_release,
			       int (*flag_of)(const char *mount_point),
			       struct dax_mount_reflink *out, int max);

#endif /* DAXTRACE_REFLINK_SUPPORT_H */
