/* SPDX-License-Identifier: GPL-2.0 */
/* Where persistent memory lives in the physical address space, from /proc/iomem. */
#ifndef DAXTRACE_PMEM_H
#define DAXTRACE_PMEM_H

#include <stdio.h>

struct pfn_range {
	unsigned long long lo, hi; /* pfns, hi exclusive */
};

/*
 * The "Persistent Memory" ranges of an iomem file (top level or nested, e.g. under a
 * namespace), up to max; returns how many, or -errno. Without root the addresses read 0 and
 * no range is returned.
 */
int pmem_ranges_read(const char *iomem_path, struct pfn_range *ranges, int max);
/* The same from an open iomem stream. */
int pmem_ranges_parse(FILE *iomem, struct pfn_range *ranges, int max);

#endif /* DAXTRACE_PMEM_H */
