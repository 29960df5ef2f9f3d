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

/* What a pmem disk is made of, for a record's fingerprint. */
struct pmem_dev_info {
	char name[64]; /* "pmem0" */
	char provider[64]; /* its bus's provider: "ACPI.NFIT", "e820", "virtio-pmem"; "" unknown */
	char mode[16]; /* as block_dev_info's */
	unsigned long long align; /* the pfn claim's (fsdax) alignment in bytes; 0 unknown */
	unsigned long long size; /* bytes */
};

/*
 * Every pmem disk below sysfs (block/pmem*), by name, at most max; how many. The provider is
 * read from the nd bus the disk's device lies under (ndbusN/provider, drivers/nvdimm/bus.c).
 */
int pmem_devs_read(const char *sysfs, struct pmem_dev_info *devs, int max);

#endif /* DAXTRACE_BLOCK_DEV_H */
