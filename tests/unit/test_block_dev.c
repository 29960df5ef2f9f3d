// SPDX-License-Identifier: GPL-2.0
/*
 * Device names and pmem namespace modes from a made-up sysfs: /sys/dev/block/MAJ:MIN links to
 * the disk, the disk's device link to its parent (a pfn or btt claim, or the namespace).
 */
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <cmocka.h>

#include "daxtrace.h"
#include "engine/block_dev.h"

struct sysfs {
	char root[sizeof("/tmp/daxtrace-sysfs-XXXXXX")];
};

/* snprintf that fails the test instead of cutting a path. */
static void path_printf(char *buf, size_t size, const char *format, ...)
{
	va_list ap;
	int len;

	va_start(ap, format);
	len = vsnprintf(buf, size, format, ap);
	va_end(ap);
	assert_true(len >= 0 && (size_t)len < size);
}

/* mkdir -p root/path */
static void make_dirs(const char *root, const char *path)
{
	char full[PATH_MAX];
	size_t n = strlen(root);

	path_printf(full, sizeof(full), "%s/%s", root, path);
	for (char *p = full + n + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		assert_true(mkdir(full, 0755) == 0 || access(full, F_OK) == 0);
		*p = '/';
	}
	assert_true(mkdir(full, 0755) == 0 || access(full, F_OK) == 0);
}

static void make_link(const char *root, const char *path, const char *target)
{
	char full[PATH_MAX];

	path_printf(full, sizeof(full), "%s/%s", root, path);
	assert_int_equal(symlink(target, full), 0);
}

static void write_file(const char *root, const char *path, const char *content)
{
	char full[PATH_MAX];
	FILE *f;

	path_printf(full, sizeof(full), "%s/%s", root, path);
	f = fopen(full, "w");
	assert_non_null(f);
	fputs(content, f);
	assert_int_equal(fclose(f), 0);
}

/*
 * A region with a namespace in each mode, as the kernel lays them out: the disk sits below its
 * parent (devices/.../PARENT/block/DISK) and links back to it with ../../../PARENT.
 */
static void add_pmem(const char *root, const char *parent, const char *disk, const char *dev,
		     const char *mode)
{
	char path[PATH_MAX], target[PATH_MAX];

	path_printf(path, sizeof(path), "devices/platform/ndbus0/region0/%s/block/%s", parent,
		    disk);
	make_dirs(root, path);
	path_printf(target, sizeof(target), "../../%s", path);
	path_printf(path, sizeof(path), "dev/block/%s", dev);
	make_link(root, path, target);
	path_printf(path, sizeof(path), "devices/platform/ndbus0/region0/%s/block/%s/device",
		    parent, disk);
	path_printf(target, sizeof(target), "../../../%s", parent);
	make_link(root, path, target);
	if (mode) {
		path_printf(path, sizeof(path), "devices/platform/ndbus0/region0/%s/mode", parent);
		write_file(root, path, mode);
	}
}

/* The directory dir (below root) made, and listed as entry, a link up to root and down to it. */
static void make_listed(const char *root, const char *dir, const char *entry, const char *up)
{
	char target[PATH_MAX];

	make_dirs(root, dir);
	path_printf(target, sizeof(target), "%s%s", up, dir);
	make_link(root, entry, target);
}

/* root/dir/name holding value */
static void write_attr(const char *root, const char *dir, const char *name, const char *value)
{
	char path[PATH_MAX];

	path_printf(path, sizeof(path), "%s/%s", dir, name);
	write_file(root, path, value);
}

/*
 * A pmem disk in the namespace at devices/NS_DIR (which holds the mode when given), listed in
 * block/, on the bus at devices/BUS_DIR (with its provider), listed in bus/nd/devices.
 */
static void add_disk(const char *root, const char *bus_dir, const char *provider,
		     const char *ns_dir, const char *disk, const char *sectors, const char *mode)
{
	char path[PATH_MAX], entry[PATH_MAX];

	path_printf(path, sizeof(path), "devices/%s/block/%s", ns_dir, disk);
	path_printf(entry, sizeof(entry), "block/%s", disk);
	make_listed(root, path, entry, "../");
	write_attr(root, path, "size", sectors);
	path_printf(entry, sizeof(entry), "%s/device", path);
	make_link(root, entry, "../.."); /* the namespace, like the kernel's ../../../NAME */
	path_printf(path, sizeof(path), "devices/%s", ns_dir);
	if (mode)
		write_attr(root, path, "mode", mode);
	path_printf(path, sizeof(path), "devices/%s", bus_dir);
	path_printf(entry, sizeof(entry), "bus/nd/devices/%s", strrchr(bus_dir, '/') + 1);
	make_listed(root, path, entry, "../../../");
	write_attr(root, path, "provider", provider);
}

/* A device DAX at devices/DIR/NAME, listed in bus/dax/devices, with size and align in bytes. */
static void add_dax(const char *root, const char *dir, const char *name, const char *size,
		    const char *align)
{
	char path[PATH_MAX], entry[PATH_MAX];

	path_printf(path, sizeof(path), "devices/%s/%s", dir, name);
	path_printf(entry, sizeof(entry), "bus/dax/devices/%s", name);
	make_listed(root, path, entry, "../../../");
	write_attr(root, path, "size", size);
	if (align)
		write_attr(root, path, "align", align);
}

static int sysfs_setup(void **state)
{
	struct sysfs *s = calloc(1, sizeof(*s));

	assert_non_null(s);
	strcpy(s->root, "/tmp/daxtrace-sysfs-XXXXXX");
	assert_non_null(mkdtemp(s->root));
	make_dirs(s->root, "dev/block");
	add_pmem(s->root, "pfn0.1", "pmem0", "259:0", NULL);
	add_pmem(s->root, "namespace1.0", "pmem1", "259:1", "memory\n");
	add_pmem(s->root, "namespace2.0", "pmem2", "259:2", "raw\n");
	add_pmem(s->root, "namespace3.0", "pmem3", "259:3", "safe\n");
	add_pmem(s->root, "btt4.1", "pmem4s", "259:4", NULL);
	add_pmem(s->root, "namespace5.0", "pmem5", "259:5", "dax\n");
	add_pmem(s->root, "namespace6.0", "pmem6", "259:6", "bogus\n");
	add_pmem(s->root, "namespace7.0", "pmem7", "259:7", NULL); /* no mode file */
	/* a minor past 8 bits: the kernel's dev_t keeps 20 */
	add_pmem(s->root, "pfn8.0", "pmem8", "259:65540", NULL);
	/* the disks' own attributes, and the bus provider (pmem_devs_read) */
	make_dirs(s->root, "block");
	make_link(s->root, "block/pmem0", "../devices/platform/ndbus0/region0/pfn0.1/block/pmem0");
	make_link(s->root, "block/pmem1",
		  "../devices/platform/ndbus0/region0/namespace1.0/block/pmem1");
	write_file(s->root, "devices/platform/ndbus0/region0/pfn0.1/block/pmem0/size", "2093056\n");
	write_file(s->root, "devices/platform/ndbus0/region0/pfn0.1/block/pmem0/dev", "259:0\n");
	write_file(s->root, "devices/platform/ndbus0/region0/pfn0.1/align", "2097152\n");
	write_file(s->root, "devices/platform/ndbus0/region0/namespace1.0/block/pmem1/size", "8\n");
	write_file(s->root, "devices/platform/ndbus0/region0/namespace1.0/block/pmem1/dev",
		   "259:1\n");
	write_file(s->root, "devices/platform/ndbus0/provider", "ACPI.NFIT\n");
	make_dirs(s->root, "bus/nd/devices");
	make_link(s->root, "bus/nd/devices/ndbus0", "../../../devices/platform/ndbus0");
	/*
	 * The other providers, laid out as the 7.2 guests of tools/vm/run.sh --pmem-provider
	 * show them: a virtio-pmem device's bus under its PCI function, e820's under the
	 * e820_pmem platform device; both regions' namespace is raw with struct pages ("memory").
	 */
	add_disk(s->root, "pci0000:00/0000:00:04.0/virtio0/ndbus1", "virtio-pmem\n",
		 "pci0000:00/0000:00:04.0/virtio0/ndbus1/region9/namespace9.0", "pmem9",
		 "2097152\n", "memory\n");
	add_disk(s->root, "platform/e820_pmem/ndbus2", "e820\n",
		 "platform/e820_pmem/ndbus2/region10/namespace10.0", "pmem10", "4096\n",
		 "memory\n");
	/* a device DAX on the NVDIMM's bus; one from soft-reserved memory (dax_hmem), no nd bus */
	make_dirs(s->root, "bus/dax/devices");
	add_dax(s->root, "platform/ndbus0/region3/dax3.0", "dax3.0", "1054867456\n", "2097152\n");
	add_dax(s->root, "platform/hmem.0", "dax11.0", "4294967296\n", NULL);
	make_dirs(s->root, "devices/virtual/block/loop0");
	make_link(s->root, "dev/block/7:0", "../../devices/virtual/block/loop0");
	*state = s;
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

static int sysfs_teardown(void **state)
{
	struct sysfs *s = *state;

	nftw(s->root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(s);
	return 0;
}

static void assert_device(const struct sysfs *s, unsigned int dev, const char *name,
			  const char *mode)
{
	struct block_dev_info info;

	memset(&info, 'x', sizeof(info)); /* filled whatever it held */
	assert_true(block_dev_info(s->root, dev, &info));
	assert_string_equal(info.name, name);
	assert_string_equal(info.mode, mode);
}

static void test_pmem_modes(void **state)
{
	const struct sysfs *s = *state;

	assert_device(s, DT_MKDEV(259, 0), "pmem0", "fsdax"); /* claimed by a pfn */
	assert_device(s, DT_MKDEV(259, 1), "pmem1", "fsdax"); /* namespace mode "memory" */
	assert_device(s, DT_MKDEV(259, 2), "pmem2", "raw");
	assert_device(s, DT_MKDEV(259, 3), "pmem3", "sector"); /* "safe" */
	assert_device(s, DT_MKDEV(259, 4), "pmem4s", "sector"); /* claimed by a btt */
	assert_device(s, DT_MKDEV(259, 5), "pmem5", "devdax"); /* "dax" */
	assert_device(s, DT_MKDEV(259, 6), "pmem6", ""); /* a mode ndctl has no name for */
	assert_device(s, DT_MKDEV(259, 7), "pmem7", ""); /* no mode attribute */
	assert_device(s, DT_MKDEV(259, 65540), "pmem8", "fsdax");
}

static void test_other_disk(void **state)
{
	const struct sysfs *s = *state;

	assert_device(s, DT_MKDEV(7, 0), "loop0", "");
}

static void test_unknown_device(void **state)
{
	const struct sysfs *s = *state;
	struct block_dev_info info;

	memset(&info, 'x', sizeof(info));
	assert_false(block_dev_info(s->root, DT_MKDEV(259, 9), &info));
	assert_string_equal(info.name, "");
	assert_string_equal(info.mode, "");
	/* dev is the kernel's dev_t: userspace's st_dev packs 259:65540 otherwise */
	assert_false(block_dev_info(s->root, (unsigned int)makedev(259, 65540), &info));
	assert_string_equal(info.name, "");
	assert_false(block_dev_info("/nonexistent-sysfs", DT_MKDEV(259, 0), &info));
	assert_string_equal(info.name, "");
}

/*
 * Every block/pmem* disk, then every bus/dax device DAX, by name: size in bytes, mode, the pfn
 * claim's or the device DAX's align, the provider and region, MAP_SYNC by provider.
 */
static void test_pmem_devs(void **state)
{
	const struct sysfs *s = *state;
	struct pmem_dev_info devs[8];

	memset(devs, 'x', sizeof(devs));
	assert_int_equal(pmem_devs_read(s->root, devs, 8), 6);
	assert_string_equal(devs[0].name, "pmem0");
	assert_string_equal(devs[0].provider, "ACPI.NFIT");
	assert_string_equal(devs[0].region, "region0");
	assert_string_equal(devs[0].mode, "fsdax");
	assert_int_equal(devs[0].align, 2097152);
	assert_int_equal(devs[0].size, 2093056ULL * 512);
	assert_int_equal(devs[0].map_sync, PMEM_MAP_SYNC_YES);
	assert_int_equal(devs[0].dev, DT_MKDEV(259, 0));
	assert_string_equal(devs[1].name, "pmem1");
	assert_string_equal(devs[1].provider, "ACPI.NFIT");
	assert_string_equal(devs[1].mode, "fsdax"); /* namespace mode "memory" */
	assert_int_equal(devs[1].align, 0); /* a namespace has no align of its own */
	assert_int_equal(devs[1].size, 4096);
	assert_string_equal(devs[2].name, "pmem9"); /* by version: 9 before 10 */
	assert_string_equal(devs[2].provider, "virtio-pmem");
	assert_string_equal(devs[2].region, "region9");
	assert_string_equal(devs[2].mode, "fsdax");
	assert_int_equal(devs[2].size, 1ULL << 30);
	assert_int_equal(devs[2].map_sync, PMEM_MAP_SYNC_NO); /* ND_REGION_ASYNC */
	assert_int_equal(devs[2].dev, 0); /* no dev attribute */
	assert_string_equal(devs[3].name, "pmem10");
	assert_string_equal(devs[3].provider, "e820");
	assert_string_equal(devs[3].region, "region10");
	assert_int_equal(devs[3].map_sync, PMEM_MAP_SYNC_YES);
	assert_string_equal(devs[4].name, "dax3.0");
	assert_string_equal(devs[4].provider, "ACPI.NFIT");
	assert_string_equal(devs[4].region, "region3");
	assert_string_equal(devs[4].mode, "devdax");
	assert_int_equal(devs[4].align, 2097152);
	assert_int_equal(devs[4].size, 1054867456);
	assert_int_equal(devs[4].dev, 0); /* a character device */
	assert_string_equal(devs[5].name, "dax11.0");
	assert_string_equal(devs[5].provider, ""); /* no nd bus above it */
	assert_string_equal(devs[5].region, "");
	assert_int_equal(devs[5].align, 0); /* no align attribute (before 5.10) */
	assert_int_equal(devs[5].size, 4294967296ULL);
	assert_int_equal(devs[5].map_sync, PMEM_MAP_SYNC_UNKNOWN);
	assert_string_equal(pmem_map_sync_name(devs[2].map_sync), "no");
	assert_string_equal(pmem_map_sync_name(devs[3].map_sync), "yes");
	assert_string_equal(pmem_map_sync_name(devs[5].map_sync), "unknown");
	/* at most max (which ones, readdir's order says), disks first */
	assert_int_equal(pmem_devs_read(s->root, devs, 1), 1);
	assert_string_equal(devs[0].mode, "fsdax");
	assert_int_equal(pmem_devs_read(s->root, devs, 5), 5);
	assert_string_equal(devs[4].mode, "devdax");
	assert_int_equal(pmem_devs_read("/nonexistent-sysfs", devs, 4), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pmem_modes),
		cmocka_unit_test(test_other_disk),
		cmocka_unit_test(test_unknown_device),
		cmocka_unit_test(test_pmem_devs),
	};

	return cmocka_run_group_tests_name("block_dev", tests, sysfs_setup, sysfs_teardown);
}
