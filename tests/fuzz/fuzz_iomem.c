// SPDX-License-Identifier: GPL-2.0
/* /proc/iomem (user/engine/pmem.c): the persistent memory ranges the census counts in. */
#include "engine/pmem.h"
#include "fuzz_input.h"

#define MAX_RANGES 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *in = fuzz_input_open(data, size);
	struct pfn_range ranges[MAX_RANGES];
	int n;

	if (!in)
		return 0;
	n = pmem_ranges_parse(in, ranges, MAX_RANGES);
	fclose(in);
	fuzz_check(n >= 0 && n <= MAX_RANGES);
	for (int i = 0; i < n; i++)
		fuzz_check(ranges[i].lo < ranges[i].hi);
	return 0;
}
