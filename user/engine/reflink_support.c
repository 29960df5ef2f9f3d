// SPDX-License-Identifier: GPL-2.0
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/types.h>

#include "engine/reflink_support.h"

/*
 * fs/xfs/libxfs/xfs_fs.h, without xfslibs-dev: the v1 geometry, which every XFS answers, and
 * whose flags hold all the feature bits (the kernel fills the newest struct and copies the
 * head of it).
 */
struct dt_xfs_fsop_geom_v1 {
	__u32 blocksize, rtextsize, agblocks, agcount, logblocks, sectsize, inodesize, imaxpct;
	__u64 datablocks, rtblocks, rtextents, logstart;
	unsigned char uuid[16];
	__u32 sunit, swidth;
	__s32 version;
	__u32 flags, logsectsize, rtsectsize, dirblocksize;
};
#define DT_XFS_IOC_FSGEOMETRY_V1 _IOR('X', 100, struct dt_xfs_fsop_geom_v1)
#define DT_XFS_FSOP_GEOM_FLAGS_REFLINK (1U << 20)

/*
 * DAX files share extents from Linux 5.19 on (the fsdax reflink series: fsdax COW and dedupe
 * for XFS); before, XFS either refused -o dax on a reflink file system ("DAX and reflink
 * cannot be used together!") or kept reflinked inodes off DAX (xfs_inode_supports_dax).
 */
static bool release_at_least(const char *release, int want_major, int want_minor)
{
	int major = 0, minor = 0;

	if (!release || sscanf(release, "%d.%d", &major, &minor) != 2)
		return true; /* unknown: the kernel decides, do not claim it cannot */
	return major > want_major || (major == want_major && minor >= want_minor);
}

enum reflink_support reflink_support_of(const char *fs_type, int xfs_reflink_flag,
					const char *kernel_release)
{
	if (!fs_type || strcmp(fs_type, "xfs"))
		return REFLINK_NO_FS;
	if (!release_at_least(kernel_release, 5, 19))
		return REFLINK_OLD_KERNEL;
	if (xfs_reflink_flag < 0)
		return REFLINK_UNKNOWN;
	return xfs_reflink_flag ? REFLINK_YES : REFLINK_NOT_FORMATTED;
}

const char *reflink_support_reason(enum reflink_support support)
{
	switch (support) {
	case REFLINK_NO_FS:
		return "the file system has no reflink";
	case REFLINK_NOT_FORMATTED:
		return "made without reflink (mkfs.xfs -m reflink=0)";
	case REFLINK_OLD_KERNEL:
		return "DAX files share extents from Linux 5.19 on";
	default:
		return NULL;
	}
}

const char *reflink_support_name(enum reflink_support support)
{
	switch (support) {
	case REFLINK_NO_FS:
		return "fs_without_reflink";
	case REFLINK_NOT_FORMATTED:
		return "made_without_reflink";
	case REFLINK_OLD_KERNEL:
		return "kernel_before_5_19";
	default:
		return NULL;
	}
}

int xfs_reflink_flag(const char *mount_point)
{
	struct dt_xfs_fsop_geom_v1 geo;
	int fd = open(mount_point, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int err;

	if (fd < 0)
		return -1;
	err = ioctl(fd, DT_XFS_IOC_FSGEOMETRY_V1, &geo);
	close(fd);
	if (err)
		return -1;
	return !!(geo.flags & DT_XFS_FSOP_GEOM_FLAGS_REFLINK);
}

int dax_mounts_without_reflink(const struct mount_table *table, const char *kernel_release,
			       int (*flag_of)(const char *mount_point),
			       struct dax_mount_reflink *out, int max)
{
	int n = 0;

	for (int i = 0; i < table->nr && n < max; i++) {
		const struct mount_entry *m = &table->entries[i];
		int flag = -1;
		enum reflink_support support;

		if (!m->dax)
			continue;
		if (m->fs_type && !strcmp(m->fs_type, "xfs"))
			flag = flag_of(m->mount_point);
		support = reflink_support_of(m->fs_type, flag, kernel_release);
		if (!reflink_support_reason(support))
			continue;
		out[n].support = support;
		snprintf(out[n].mount_point, sizeof(out[n].mount_point), "%s",
			 m->mount_point ? m->mount_point : "?");
		snprintf(out[n].fs_type, sizeof(out[n].fs_type), "%s",
			 m->fs_type ? m->fs_type : "?");
		n++;
	}
	return n;
}
