// SPDX-License-Identifier: GPL-2.0
/*
 * share --snapshot against a made-up /proc: DAX file mappings of several processes become
 * census owners (deduplicated), a PMD-mapped 2 MiB window one unit, other mappings nothing.
 * The census maps are real BPF maps (needs root; skipped otherwise, with the reason).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <bpf/bpf.h>
#include <linux/types.h>

#include "daxtrace_share.h"
#include "engine/snapshot.h"

#define DEV(major, minor) DT_MKDEV(major, minor)
#define PRESENT (1ULL << 63)
#define PMD_PFN 0x40000ULL

struct fixture {
	char root[64];
	char mountinfo[96];
	struct mount_table mounts;
	struct snapshot_maps maps;
};

static void write_file(const char *dir, const char *pid, const char *name, const void *data,
		       size_t size)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, pid);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/%s", dir, pid, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, size, f), size);
	fclose(f);
}

/* Entries of a (sparse) pagemap at the page index of address va; other entries stay 0. */
static void write_pagemap(const char *dir, const char *pid, __u64 va, const __u64 *entries,
			  size_t n)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s/pagemap", dir, pid);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, entries, n * sizeof(__u64), va / 4096 * sizeof(__u64)),
			 n * sizeof(__u64));
	close(fd);
}

static const char smaps_10[] =
	"7f0000000000-7f0000004000 rw-s 00001000 103:00 77                 /mnt/dax/a\n"
	"Size:                 16 kB\n"
	"FilePmdMapped:         0 kB\n"
	"7ffd00000000-7ffd00001000 rw-p 00000000 00:00 0                  [stack]\n";

/* a again (the same owners), b at 0 sharing a's page 1, and b's PMD-mapped second 2 MiB. */
static const char smaps_11[] =
	"7f0000000000-7f0000004000 r--s 00001000 103:00 77                 /mnt/dax/a\n"
	"FilePmdMapped:         0 kB\n"
	"7f1000000000-7f1000001000 r--s 00000000 103:00 78                 /mnt/dax/b\n"
	"FilePmdMapped:         0 kB\n"
	"7f1000200000-7f1000400000 r--s 00200000 103:00 78                 /mnt/dax/b\n"
	"FilePmdMapped:      2048 kB\n";

/* Not DAX (259:2 has no dax option), and an anonymous mapping: not counted. */
static const char smaps_12[] =
	"7f2000000000-7f2000001000 r--s 00000000 103:02 90                 /srv/plain\n"
	"7f2000001000-7f2000002000 rw-p 00000000 00:00 0 \n";

/*
 * Shorter than a page (made up: the kernel's are whole pages), once a walk that never ended;
 * and an unlinked file with a newline in its name, as the kernel writes it.
 */
static const char smaps_14[] =
	"7f3000000000-7f3000000800 r--s 00000000 103:00 79                 /mnt/dax/c\n"
	"7f3000200000-7f3000201000 r--s 00000000 103:00 80 /mnt/dax/new\\012line (deleted)\n";

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	__u64 a[4] = { PRESENT | 1000, PRESENT | 1001, 0, PRESENT | 1003 };
	__u64 b0 = PRESENT | 1000, pmd[512];
	__u64 plain[2] = { PRESENT | 5000, PRESENT | 5001 };
	__u64 c = PRESENT | 7000, gone = PRESENT | 7001;
	FILE *mi;

	*state = f;
	if (geteuid() != 0)
		return 0; /* the test skips, saying why */
	strcpy(f->root, "/tmp/daxtrace-proc-XXXXXX");
	assert_non_null(mkdtemp(f->root));
	write_file(f->root, "10", "smaps", smaps_10, strlen(smaps_10));
	write_pagemap(f->root, "10", 0x7f0000000000ULL, a, 4);
	write_file(f->root, "11", "smaps", smaps_11, strlen(smaps_11));
	write_pagemap(f->root, "11", 0x7f0000000000ULL, a, 4);
	write_pagemap(f->root, "11", 0x7f1000000000ULL, &b0, 1);
	for (int k = 0; k < 512; k++)
		pmd[k] = PRESENT | (PMD_PFN + k);
	write_pagemap(f->root, "11", 0x7f1000200000ULL, pmd, 512);
	write_file(f->root, "12", "smaps", smaps_12, strlen(smaps_12));
	write_pagemap(f->root, "12", 0x7f2000000000ULL, plain, 2);
	write_file(f->root, "13", "smaps", smaps_10, strlen(smaps_10)); /* no pagemap: gone */
	write_file(f->root, "14", "smaps", smaps_14, strlen(smaps_14));
	write_pagemap(f->root, "14", 0x7f3000000000ULL, &c, 1);
	write_pagemap(f->root, "14", 0x7f3000200000ULL, &gone, 1);

	strcpy(f->mountinfo, "/tmp/daxtrace-mi-XXXXXX");
	mi = fdopen(mkstemp(f->mountinfo), "w");
	assert_non_null(mi);
	fputs("38 22 259:0 / /mnt/dax rw,relatime - xfs /dev/pmem0 rw,dax=always\n"
	      "40 22 259:2 / /srv rw - xfs /dev/pmem2 rw\n",
	      mi);
	fclose(mi);
	assert_int_equal(mount_table_load(&f->mounts, f->mountinfo), 0);

	f->maps.owners_fd = bpf_map_create(BPF_MAP_TYPE_HASH, "t_owners", 8,
					   sizeof(struct dt_pfn_owners), 64, NULL);
	f->maps.gauges_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "t_gauges", 4,
					   sizeof(struct dt_share_gauges), 1, NULL);
	f->maps.file_info_fd =
		bpf_map_create(BPF_MAP_TYPE_HASH, "t_info", sizeof(struct dt_file_key),
			       sizeof(struct dt_file_info), 16, NULL);
	assert_true(f->maps.owners_fd >= 0 && f->maps.gauges_fd >= 0 && f->maps.file_info_fd >= 0);
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	if (!f->root[0]) {
		free(f);
		return 0;
	}
	close(f->maps.owners_fd);
	close(f->maps.gauges_fd);
	close(f->maps.file_info_fd);
	mount_table_free(&f->mounts);
	unlink(f->mountinfo);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->root);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static struct dt_pfn_owners record(const struct fixture *f, __u64 pfn)
{
	struct dt_pfn_owners r;

	memset(&r, 0, sizeof(r));
	assert_int_equal(bpf_map_lookup_elem(f->maps.owners_fd, &pfn, &r), 0);
	return r;
}

static void test_snapshot(void **state)
{
	struct fixture *f = *state;
	struct snapshot_result result;
	struct dt_share_gauges g;
	struct dt_pfn_owners r;
	struct dt_file_info info;
	struct dt_file_key a_key = { .dev = DEV(259, 0), .ino = 77 };
	struct dt_file_key gone_key = { .dev = DEV(259, 0), .ino = 80 };
	__u64 pfn = 5000;
	__u32 zero = 0;

	if (!f->root[0]) {
		print_message("creating BPF maps needs root\n");
		skip();
	}
	assert_int_equal(snapshot_take(&f->maps, &f->mounts, f->root, &result), 0);
	/* a in 10; a, b and b's PMD window in 11; c and the unlinked file in 14 */
	assert_int_equal(result.mappings, 6);
	assert_int_equal(result.units_added, 6); /* 1000, 1001, 1003, the PMD, 7000, 7001 */
	assert_int_equal(result.owners_added, 7);

	r = record(f, 1000); /* a at index 1, b at index 0 */
	assert_int_equal(r.owners, 2);
	assert_int_equal(r.order, 0);
	assert_int_equal(r.slot[0].ino, 77);
	assert_int_equal(r.slot[0].index, 1);
	assert_int_equal(r.slot[0].dev, DEV(259, 0));
	assert_int_equal(r.slot[1].ino, 78);
	assert_int_equal(r.slot[1].index, 0);
	assert_true(r.shared_since_ns > 0);
	r = record(f, 1003);
	assert_int_equal(r.owners, 1);
	assert_int_equal(r.slot[0].index, 4);
	r = record(f, PMD_PFN);
	assert_int_equal(r.owners, 1);
	assert_int_equal(r.order, 9);
	assert_int_equal(r.slot[0].index, 512);
	assert_int_not_equal(bpf_map_lookup_elem(f->maps.owners_fd, &pfn, &r), 0); /* not DAX */

	assert_int_equal(bpf_map_lookup_elem(f->maps.gauges_fd, &zero, &g), 0);
	assert_int_equal(g.shared, 1);
	assert_int_equal(g.shared_peak, 1);
	assert_int_equal(g.extra_owners, 1);
	assert_int_equal(bpf_map_lookup_elem(f->maps.file_info_fd, &a_key, &info), 0);
	assert_int_equal(info.depth, 1);
	assert_string_equal(info.names[0], "a");
	r = record(f, 7000);
	assert_int_equal(r.slot[0].ino, 79);
	assert_int_equal(r.slot[0].index, 0);
	/* the name BPF captures from the dentry: decoded, without the " (deleted)" of d_path */
	assert_int_equal(bpf_map_lookup_elem(f->maps.file_info_fd, &gone_key, &info), 0);
	assert_int_equal(info.depth, 1);
	assert_string_equal(info.names[0], "new\nline");

	/* A second snapshot adds nobody: every owner is there already. */
	assert_int_equal(snapshot_take(&f->maps, &f->mounts, f->root, &result), 0);
	assert_int_equal(result.owners_added, 0);
	assert_int_equal(record(f, 1000).owners, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_snapshot, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
