// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "engine/pmem.h"

#define PAGE_SHIFT 12

int pmem_ranges_read(const char *iomem_path, struct pfn_range *ranges, int max)
{
	FILE *f = fopen(iomem_path, "r");
	char line[256];
	int n = 0;

	if (!f)
		return -errno;
	while (n < max && fgets(line, sizeof(line), f)) {
		unsigned long long start, end;
		int name_at = 0;

		if (sscanf(line, " %llx-%llx : %n", &start, &end, &name_at) != 2 || !name_at ||
		    strncmp(line + name_at, "Persistent Memory", 17) || end <= start)
			continue;
		ranges[n].lo = start >> PAGE_SHIFT;
		ranges[n].hi = (end >> PAGE_SHIFT) + 1;
		n++;
	}
	fclose(f);
	return n;
}
