// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/pmem.h"

#define PAGE_SHIFT 12

int pmem_ranges_parse(FILE *iomem, struct pfn_range *ranges, int max)
{
	char *line = NULL;
	size_t cap = 0;
	int n = 0;

	/* getline: a cut long line (resource names are the drivers') could read as a range */
	while (n < max && getline(&line, &cap, iomem) > 0) {
		unsigned long long start, end;
		int name_at = 0;

		if (sscanf(line, " %llx-%llx : %n", &start, &end, &name_at) != 2 || !name_at ||
		    strncmp(line + name_at, "Persistent Memory", 17) || end <= start)
			continue;
		ranges[n].lo = start >> PAGE_SHIFT;
		ranges[n].hi = (end >> PAGE_SHIFT) + 1;
		n++;
	}
	free(line);
	return n;
}

int pmem_ranges_read(const char *iomem_path, struct pfn_range *ranges, int max)
{
	FILE *f = fopen(iomem_path, "r");
	int n;

	if (!f)
		return -errno;
	n = pmem_ranges_parse(f, ranges, max);
	fclose(f);
	return n;
}
