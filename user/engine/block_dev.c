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

/*
 * The mode of the pmem disk at disk_path (its sysfs directory): the claim on its namespace, its
 * parent (pfnX.Y: fsdax, bttX.Y: sector), or the namespace's own mode attribute.
 */
static void pmem_disk_mode(const char *disk_path, char *mode, size_t size)
{
	char path[PATH_MAX], parent[64];

	mode[0] = '\0';
	snprintf(path, sizeof(path), "%s/device", disk_path);
	if (!link_name(path, parent, sizeof(parent)))
		return;
	if (!strncmp(parent, "pfn", 3))
		snprintf(mode, size, "fsdax");
	else if (!strncmp(parent, "btt", 3))
		snprintf(mode, size, "sector");
	else if (snprintf(path, sizeof(path), "%s/device/mode", disk_path) > 0)
		snprintf(mode, size, "%s", namespace_mode(path));
}

bool block_dev_info(const char *sysfs, unsigned int dev, struct block_dev_info *info)
{
	char path[PATH_MAX];

	memset(info, 0, sizeof(*info));
	snprintf(path, sizeof(path), "%s/dev/block/%u:%u", sysfs, DT_MAJOR(dev), DT_MINOR(dev));
	if (!link_name(path, info->name, sizeof(info->name)))
		return false;
	if (!strncmp(info->name, "pmem", 4))
		pmem_disk_mode(path, info->mode, sizeof(info->mode));
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

/*
 * Whether the provider's regions take MAP_SYNC. The kernel shows no region attribute for it:
 * a region is asynchronous when its driver sets ND_REGION_ASYNC ("libnvdimm: add dax_dev sync
 * flag", 5.3), and then the pmem disk's dax_device is not synchronous, so that
 * daxdev_mapping_supported() refuses a VM_SYNC mapping of its files (xfs_file_mmap,
 * ext4_file_mmap: EOPNOTSUPP). virtio_pmem sets it always (its flush is a request to the
 * host); papr_scm (powerpc) when the hypervisor wants flush hcalls, which sysfs does not show;
 * nfit, e820 and cxl's pmem never. Device DAX (drivers/dax/device.c) does not check it.
 */
static enum pmem_map_sync provider_map_sync(const char *provider)
{
	static const char *const sync[] = { "ACPI.NFIT", "e820", "CXL" };

	if (!strcmp(provider, "virtio-pmem"))
		return PMEM_MAP_SYNC_NO;
	for (size_t i = 0; i < sizeof(sync) / sizeof(sync[0]); i++)
		if (!strcmp(provider, sync[i]))
			return PMEM_MAP_SYNC_YES;
	return PMEM_MAP_SYNC_UNKNOWN;
}

const char *pmem_map_sync_name(enum pmem_map_sync sync)
{
	return sync == PMEM_MAP_SYNC_YES ? "yes" : sync == PMEM_MAP_SYNC_NO ? "no" : "unknown";
}

/* The component of path that starts with prefix and a digit ("ndbus0"), into buf. */
static bool path_component(const char *path, const char *prefix, char *buf, size_t size)
{
	size_t plen = strlen(prefix);

	for (const char *c = strchr(path, '/'); c; c = strchr(c + 1, '/')) {
		size_t len = strcspn(c + 1, "/");

		if (len > plen && len < size && !strncmp(c + 1, prefix, plen) &&
		    c[1 + plen] >= '0' && c[1 + plen] <= '9') {
			snprintf(buf, size, "%.*s", (int)len, c + 1);
			return true;
		}
	}
	return false;
}

/* The provider and region of the nd bus and region that the device at dev_path lies under. */
static void nd_topology(const char *sysfs, const char *dev_path, struct pmem_dev_info *info)
{
	char real[PATH_MAX], bus[16];

	if (!realpath(dev_path, real))
		return;
	path_component(real, "region", info->region, sizeof(info->region));
	if (path_component(real, "ndbus", bus, sizeof(bus)) &&
	    read_attr(info->provider, sizeof(info->provider), "%s/bus/nd/devices/%s/provider",
		      sysfs, bus))
		info->map_sync = provider_map_sync(info->provider);
}

static unsigned long long read_number(const char *fmt, const char *sysfs, const char *name)
{
	char text[64];

	return read_attr(text, sizeof(text), fmt, sysfs, name) ? strtoull(text, NULL, 0) : 0;
}

static void pmem_disk_describe(const char *sysfs, const char *name, struct pmem_dev_info *info)
{
	char path[PATH_MAX], text[64];
	unsigned int major, minor;

	memset(info, 0, sizeof(*info));
	snprintf(info->name, sizeof(info->name), "%.*s", (int)sizeof(info->name) - 1, name);
	if (read_attr(text, sizeof(text), "%s/block/%s/dev", sysfs, name) &&
	    sscanf(text, "%u:%u", &major, &minor) == 2)
		info->dev = DT_MKDEV(major, minor);
	/* sectors of 512 bytes, always */
	info->size = read_number("%s/block/%s/size", sysfs, name) * 512;
	snprintf(path, sizeof(path), "%s/block/%s", sysfs, name);
	pmem_disk_mode(path, info->mode, sizeof(info->mode));
	info->align = read_number("%s/block/%s/device/align", sysfs, name);
	snprintf(path, sizeof(path), "%s/block/%s/device", sysfs, name);
	nd_topology(sysfs, path, info);
}

/* A device DAX: drivers/dax/bus.c's size and align (5.10+), in bytes. */
static void dax_dev_describe(const char *sysfs, const char *name, struct pmem_dev_info *info)
{
	char path[PATH_MAX];

	memset(info, 0, sizeof(*info));
	snprintf(info->name, sizeof(info->name), "%.*s", (int)sizeof(info->name) - 1, name);
	snprintf(info->mode, sizeof(info->mode), "devdax");
	info->size = read_number("%s/bus/dax/devices/%s/size", sysfs, name);
	info->align = read_number("%s/bus/dax/devices/%s/align", sysfs, name);
	snprintf(path, sizeof(path), "%s/bus/dax/devices/%s", sysfs, name);
	nd_topology(sysfs, path, info);
}

static int compare_names(const void *a, const void *b)
{
	return strverscmp(((const struct pmem_dev_info *)a)->name,
			  ((const struct pmem_dev_info *)b)->name);
}

/* The entries of sysfs/dir named prefix*, described into devs, sorted by name; how many. */
static int devs_list(const char *sysfs, const char *dir_name, const char *prefix,
		     void (*describe)(const char *, const char *, struct pmem_dev_info *),
		     struct pmem_dev_info *devs, int max)
{
	char path[PATH_MAX];
	struct dirent *d;
	DIR *dir;
	int n = 0;

	snprintf(path, sizeof(path), "%s/%s", sysfs, dir_name);
	dir = opendir(path);
	if (!dir)
		return 0;
	while (n < max && (d = readdir(dir)))
		if (!strncmp(d->d_name, prefix, strlen(prefix)))
			describe(sysfs, d->d_name, &devs[n++]);
	closedir(dir);
	qsort(devs, n, sizeof(*devs), compare_names);
	return n;
}

int pmem_devs_read(const char *sysfs, struct pmem_dev_info *devs, int max)
{
	int n = devs_list(sysfs, "block", "pmem", pmem_disk_describe, devs, max);

	return n + devs_list(sysfs, "bus/dax/devices", "dax", dax_dev_describe, devs + n, max - n);
}
