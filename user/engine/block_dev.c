// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/types.h>

#include "daxtrace.h"
#include "engine/block_dev.h"

/* The last component of the link at path, into buf; false if it is no link. */
static bool link_name(const char *path, char *buf, size_t size)
{
	char target[PATH_MAX];
	ssize_t len = readlink(path, target, sizeof(target) - 1);
	const char *slash;

	if (len <= 0)
		return false;
	target[len] = '\0';
	slash = strrchr(target, '/');
	slash = slash ? slash + 1 : target;
	if (strlen(slash) >= size)
		return false;
	memcpy(buf, slash, strlen(slash) + 1);
	return true;
}

/* drivers/nvdimm/namespace_devs.c mode_show, in ndctl's words. */
static const char *namespace_mode(const char *mode_path)
{
	static const char *const names[][2] = {
		{ "memory", "fsdax" },
		{ "dax", "devdax" },
		{ "safe", "sector" },
		{ "raw", "raw" },
	};
	char mode[32] = "";
	FILE *f = fopen(mode_path, "r");

	if (!f)
		return "";
	if (!fgets(mode, sizeof(mode), f))
		mode[0] = '\0';
	fclose(f);
	mode[strcspn(mode, "\n")] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(mode, names[i][0]))
			return names[i][1];
	return "";
}

bool block_dev_info(const char *sysfs, unsigned int dev, struct block_dev_info *info)
{
	char path[PATH_MAX], parent[64];

	memset(info, 0, sizeof(*info));
	snprintf(path, sizeof(path), "%s/dev/block/%u:%u", sysfs, DT_MAJOR(dev), DT_MINOR(dev));
	if (!link_name(path, info->name, sizeof(info->name)))
		return false;
	if (strncmp(info->name, "pmem", 4))
		return true;
	snprintf(path, sizeof(path), "%s/dev/block/%u:%u/device", sysfs, DT_MAJOR(dev),
		 DT_MINOR(dev));
	if (!link_name(path, parent, sizeof(parent)))
		return true;
	if (!strncmp(parent, "pfn", 3))
		snprintf(info->mode, sizeof(info->mode), "fsdax");
	else if (!strncmp(parent, "btt", 3))
		snprintf(info->mode, sizeof(info->mode), "sector");
	else if (snprintf(path, sizeof(path), "%s/dev/block/%u:%u/device/mode", sysfs,
			  DT_MAJOR(dev), DT_MINOR(dev)) > 0)
		snprintf(info->mode, sizeof(info->mode), "%s", namespace_mode(path));
	return true;
}

bool char_dev_name(const char *sysfs, unsigned int dev, char *name, size_t size)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/dev/char/%u:%u", sysfs, DT_MAJOR(dev), DT_MINOR(dev));
	if (link_name(path, name, size))
		return true;
	snprintf(name, size, "%u:%u", DT_MAJOR(dev), DT_MINOR(dev));
	return false;
}

/* The first line of sysfs/rel (printf-style), without its newline; false if unreadable. */
static bool read_attr(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static bool read_attr(char *buf, size_t size, const char *fmt, ...)
{
	char path[PATH_MAX];
	va_list ap;
	FILE *f;
	bool ok;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	f = fopen(path, "r");
	if (!f)
		return false;
	ok = fgets(buf, size, f) != NULL;
	fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok;
}

/* The provider of the nd bus (a path component "ndbusN") that the device path lies under. */
static void bus_provider(const char *sysfs, const char *device_path, char *buf, size_t size)
{
	char real[PATH_MAX];
	const char *bus;

	buf[0] = '\0';
	if (!realpath(device_path, real))
		return;
	for (bus = strstr(real, "/ndbus"); bus; bus = strstr(bus + 1, "/ndbus")) {
		size_t len = strcspn(bus + 1, "/");

		if (len < 16 && read_attr(buf, size, "%s/bus/nd/devices/%.*s/provider", sysfs,
					  (int)len, bus + 1))
			return;
	}
}

static void pmem_dev_describe(const char *sysfs, const char *name, struct pmem_dev_info *info)
{
	char text[64], path[PATH_MAX], link[PATH_MAX];
	struct block_dev_info block;
	unsigned int major, minor;

	memset(info, 0, sizeof(*info));
	snprintf(info->name, sizeof(info->name), "%.*s", (int)sizeof(info->name) - 1, name);
	if (read_attr(text, sizeof(text), "%s/block/%s/size", sysfs, name))
		info->size = strtoull(text, NULL, 10) * 512; /* sectors of 512 bytes, always */
	if (read_attr(text, sizeof(text), "%s/block/%s/dev", sysfs, name) &&
	    sscanf(text, "%u:%u", &major, &minor) == 2 &&
	    block_dev_info(sysfs, DT_MKDEV(major, minor), &block))
		snprintf(info->mode, sizeof(info->mode), "%s", block.mode);
	if (read_attr(text, sizeof(text), "%s/block/%s/device/align", sysfs, name))
		info->align = strtoull(text, NULL, 10);
	snprintf(path, sizeof(path), "%s/block/%s/device", sysfs, name);
	if (link_name(path, link, sizeof(link)))
		bus_provider(sysfs, path, info->provider, sizeof(info->provider));
}

static int compare_names(const void *a, const void *b)
{
	return strverscmp(((const struct pmem_dev_info *)a)->name,
			  ((const struct pmem_dev_info *)b)->name);
}

int pmem_devs_read(const char *sysfs, struct pmem_dev_info *devs, int max)
{
	char path[PATH_MAX];
	struct dirent *d;
	DIR *dir;
	int n = 0;

	snprintf(path, sizeof(path), "%s/block", sysfs);
	dir = opendir(path);
	if (!dir)
		return 0;
	while ((d = readdir(dir)) && n < max)
		if (!strncmp(d->d_name, "pmem", 4))
			pmem_dev_describe(sysfs, d->d_name, &devs[n++]);
	closedir(dir);
	qsort(devs, n, sizeof(*devs), compare_names);
	return n;
}
