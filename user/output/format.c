// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <time.h>
#include <linux/types.h>

#include "daxtrace.h"
#include "output/format.h"

void format_dev(unsigned int dev, char *buf, size_t size)
{
	snprintf(buf, size, "%u:%u", DT_MAJOR(dev), DT_MINOR(dev));
}

void format_bytes(unsigned long long bytes, char *buf, size_t size)
{
	static const char units[] = "GMK";

	for (int i = 0; bytes && units[i]; i++) {
		unsigned long long unit = 1ULL << (10 * (3 - i));

		if (bytes % unit == 0) {
			snprintf(buf, size, "%llu%c", bytes / unit, units[i]);
			return;
		}
	}
	snprintf(buf, size, "%llu", bytes);
}

void format_utc_now(char *buf, size_t size)
{
	format_utc(time(NULL), buf, size);
}

void format_utc(time_t when, char *buf, size_t size)
{
	struct tm tm;

	gmtime_r(&when, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
