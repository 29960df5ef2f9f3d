/* SPDX-License-Identifier: GPL-2.0 */
/* A block device's name, and for persistent memory its namespace mode, from sysfs. */
#ifndef DAXTRACE_BLOCK_DEV_H
#define DAXTRACE_BLOCK_DEV_H

#include <stdbool.h>
#include <stddef.h>

struct block_dev_info {
	char name[64]; /* "pmem0", "loop3"; empty when sysfs does not know the device */
	char mode[16]; /* pmem only, as ndctl names it: fsdax, sector, raw; else empty */
};

/*
 * Looks dev (kernel dev_t) up below sysfs ("/sys"): /sys/dev/block/MAJ:MIN names the disk;
 * a pmem disk's parent is the claim on its namespace (pfnX.Y: fsdax, bttX.Y: sector) or the
 * namespace itself, whose mode attribute says (memory: fsdax, raw). False when unknown.
 */
bool block_dev_info(const char *sysfs, unsigned int dev, struct block_dev_info *info);

/*
 * A char device's name from /sys/dev/char/MAJ:MIN ("dax0.0" for device DAX); when sysfs does
 * not know it, "MAJ:MIN" and false.
 */
bool char_dev_name(const char *sysfs, unsigned int dev, char *name, size_t size);

/* Whether a MAP_SYNC mapping of a DAX file on the device is accepted. */
enum pmem_map_sync {
	PMEM_MAP_SYNC_UNKNOWN, /* a provider whose regions may be either (papr_scm), or none */
	PMEM_MAP_SYNC_YES,
	PMEM_MAP_SYNC_NO, /* an asynchronous region (virtio-pmem): mmap fails with EOPNOTSUPP */
};

/* What a pmem device (disk or device DAX) is made of: doctor's table, a record's fingerprint. */
struct pmem_dev_info {
	char name[64]; /* "pmem0", "dax0.0" */
	unsigned int dev; /* a disk's kernel dev_t (what its mounts show); 0 for a device DAX */
	char provider[64]; /* its bus's provider: "ACPI.NFIT", "e820", "virtio-pmem"; "" unknown */
	char region[16]; /* the nd region it lies in, "region0"; "" unknown */
	char mode[16]; /* as block_dev_info's, or "devdax" for a device DAX */
	unsigned long long align; /* the pfn claim's or device DAX's alignment in bytes; 0 none */
	unsigned long long size; /* bytes */
	enum pmem_map_sync map_sync;
};

/*
 * Every pmem disk (block/pmem*) and device DAX (bus/dax/devices/dax*) below sysfs, disks
 * first, each by name, at most max; how many. The provider and region are read from the nd
 * bus and region the device lies under (ndbusN/provider, drivers/nvdimm/bus.c).
 */
int pmem_devs_read(const char *sysfs, struct pmem_dev_info *devs, int max);

/* "yes", "no" or "unknown". */
const char *pmem_map_sync_name(enum pmem_map_sync sync);

#endif /* DAXTRACE_BLOCK_DEV_H */
