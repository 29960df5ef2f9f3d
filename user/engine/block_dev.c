// SPDX-License-Identifier: GPL-2.0
#include <limits.h>
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
