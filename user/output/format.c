// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <time.h>

#include "output/format.h"

void format_dev(unsigned int dev, char *buf, size_t size)
{
	snprintf(buf, size, "%u:%u", dev >> 20, dev & ((1U << 20) - 1));
}

void format_utc_now(char *buf, size_t size)
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
