// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "daxtrace_share.h"
#include "engine/snapshot.h"

/* Documentation/admin-guide/mm/pagemap.rst: bit 63 present, bits 0-54 the pfn. */
#define PAGEMAP_PRESENT (1ULL << 63)
#define PAGEMAP_PFN_MASK ((1ULL << 55) - 1)

struct dax_vma {
	__u64 start, end, offset;
	__u32 dev; /* kernel dev_t */
	__u64 ino;
	bool pmd_mapped; /* smaps FilePmdMapped > 0 */
	char path[4096];
};

struct snapshot {
	const struct snapshot_maps *maps;
	const struct mount_table *mounts;
	struct snapshot_result *result;
	__s64 shared_delta; /* units that became shared */
	__s64 extra_delta; /* owners added to shared units */
};

static __u64 monotonic_ns(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now); /* bpf_ktime_get_ns() is CLOCK_MONOTONIC */
	return now.tv_sec * 1000000000ULL + now.tv_nsec;
}

/* One owner of one unit, unless the census has it already (several processes map a file). */
static int add_owner(struct snapshot *s, __u64 pfn, __u32 order, const struct dax_vma *vma,
		     __u64 index)
{
	struct dt_pfn_owners r;
	int free_slot = -1;

	if (bpf_map_lookup_elem(s->maps->owners_fd, &pfn, &r)) {
		memset(&r, 0, sizeof(r));
		r.order = order;
		s->result->units_added++;
	}
	for (int i = 0; i < DT_SHARE_SLOTS; i++) {
		if (r.slot[i].ino == vma->ino && r.slot[i].dev == vma->dev &&
		    r.slot[i].index == index)
			return 0;
		if (!r.slot[i].ino && free_slot < 0)
			free_slot = i;
	}
	if (free_slot >= 0)
		r.slot[free_slot] =
			(struct dt_owner){ .ino = vma->ino, .index = index, .dev = vma->dev };
	r.owners++;
	if (r.owners == 2) {
		r.shared_since_ns = monotonic_ns();
		s->shared_delta++;
	}
	if (r.owners >= 2)
		s->extra_delta++;
	s->result->owners_added++;
	return bpf_map_update_elem(s->maps->owners_fd, &pfn, &r, BPF_ANY) ? -errno : 0;
}

/* The window's DT_PMD_PAGES pages are one PMD entry: contiguous pfns from a 2 MiB-aligned one. */
static bool pmd_window(const struct dax_vma *vma, __u64 window_index, const __u64 *entries, __u64 n)
{
	__u64 first = entries[0] & PAGEMAP_PFN_MASK;

	if (!vma->pmd_mapped || n != DT_PMD_PAGES || first % DT_PMD_PAGES ||
	    window_index % DT_PMD_PAGES)
		return false;
	for (__u64 k = 0; k < DT_PMD_PAGES; k++)
		if (!(entries[k] & PAGEMAP_PRESENT) || (entries[k] & PAGEMAP_PFN_MASK) != first + k)
			return false;
	return true;
}

static void remember_path(struct snapshot *s, const struct dax_vma *vma)
{
	const struct mount_entry *mount = mount_table_find(s->mounts, vma->dev);
	struct dt_file_key key = { .dev = vma->dev, .ino = vma->ino };
	struct dt_file_info info;

	if (mount && file_info_from_path(mount, vma->path, &info)) {
		info.dax = 1;
		bpf_map_update_elem(s->maps->file_info_fd, &key, &info, BPF_NOEXIST);
	}
}

/* Walks the VMA in 2 MiB windows of the address space: a PMD entry fills one exactly. */
static int add_vma(struct snapshot *s, int pagemap_fd, const struct dax_vma *vma)
{
	const __u64 window_bytes = DT_PMD_PAGES * DT_PAGE_SIZE;
	__u64 entries[DT_PMD_PAGES];
	int err = 0;

	s->result->mappings++;
	remember_path(s, vma);
	for (__u64 at = vma->start; at < vma->end && !err;) {
		__u64 end = (at / window_bytes + 1) * window_bytes;
		__u64 n = ((end < vma->end ? end : vma->end) - at) / DT_PAGE_SIZE;
		__u64 index = (vma->offset + (at - vma->start)) / DT_PAGE_SIZE;
		ssize_t got = pread(pagemap_fd, entries, n * sizeof(entries[0]),
				    at / DT_PAGE_SIZE * sizeof(entries[0]));

		if (got != (ssize_t)(n * sizeof(entries[0])))
			return 0; /* the process went away or changed: take what we have */
		if (pmd_window(vma, index, entries, n)) {
			err = add_owner(s, entries[0] & PAGEMAP_PFN_MASK, DT_PMD_ORDER, vma, index);
		} else {
			for (__u64 k = 0; k < n && !err; k++)
				if ((entries[k] & PAGEMAP_PRESENT) &&
				    (entries[k] & PAGEMAP_PFN_MASK))
					err = add_owner(s, entries[k] & PAGEMAP_PFN_MASK, 0, vma,
							index + k);
		}
		at += n * DT_PAGE_SIZE;
	}
	return err;
}

/* "start-end perms offset MAJ:MIN inode path" (hex numbers but the inode). */
static bool parse_vma_header(const char *line, struct dax_vma *vma)
{
	unsigned int major, minor;
	char perms[8];
	int path_at = 0;

	if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64 " %x:%x %" SCNu64 " %n",
		   (uint64_t *)&vma->start, (uint64_t *)&vma->end, perms, (uint64_t *)&vma->offset,
		   &major, &minor, (uint64_t *)&vma->ino, &path_at) < 7)
		return false;
	vma->dev = DT_MKDEV(major, minor);
	vma->pmd_mapped = false;
	snprintf(vma->path, sizeof(vma->path), "%s", path_at ? line + path_at : "");
	vma->path[strcspn(vma->path, "\n")] = '\0';
	return true;
}

static bool vma_is_dax_file(const struct snapshot *s, const struct dax_vma *vma)
{
	const struct mount_entry *mount;

	if (!vma->ino)
		return false;
	mount = mount_table_find(s->mounts, vma->dev);
	return mount && mount->dax;
}

static int add_process(struct snapshot *s, const char *proc_root, const char *pid)
{
	char path[512], line[4608];
	struct dax_vma vma, next;
	bool have = false;
	int pagemap_fd, err = 0;
	FILE *smaps;

	snprintf(path, sizeof(path), "%s/%s/smaps", proc_root, pid);
	smaps = fopen(path, "r");
	snprintf(path, sizeof(path), "%s/%s/pagemap", proc_root, pid);
	pagemap_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (!smaps || pagemap_fd < 0)
		goto out; /* gone, or a kernel thread: nothing mapped */
	while (!err && fgets(line, sizeof(line), smaps)) {
		unsigned long long kb;

		/* A VMA's header line, then its "Key: value" lines ("FilePmdMapped" looks hex). */
		if (parse_vma_header(line, &next)) {
			if (have)
				err = add_vma(s, pagemap_fd, &vma);
			vma = next;
			have = vma_is_dax_file(s, &vma);
		} else if (have && sscanf(line, "FilePmdMapped: %llu kB", &kb) == 1) {
			vma.pmd_mapped = kb > 0;
		}
	}
	if (!err && have)
		err = add_vma(s, pagemap_fd, &vma);
out:
	if (smaps)
		fclose(smaps);
	if (pagemap_fd >= 0)
		close(pagemap_fd);
	return err;
}

static int update_gauges(const struct snapshot *s)
{
	struct dt_share_gauges g;
	__u32 zero = 0;

	if (bpf_map_lookup_elem(s->maps->gauges_fd, &zero, &g))
		return -errno;
	g.shared += s->shared_delta;
	g.extra_owners += s->extra_delta;
	if (g.shared > g.shared_peak)
		g.shared_peak = g.shared;
	if (g.extra_owners > g.extra_owners_peak)
		g.extra_owners_peak = g.extra_owners;
	return bpf_map_update_elem(s->maps->gauges_fd, &zero, &g, BPF_ANY) ? -errno : 0;
}

int snapshot_take(const struct snapshot_maps *maps, const struct mount_table *mounts,
		  const char *proc_root, struct snapshot_result *result)
{
	struct snapshot s = { .maps = maps, .mounts = mounts, .result = result };
	DIR *proc = opendir(proc_root);
	struct dirent *d;
	int err = 0;

	memset(result, 0, sizeof(*result));
	if (!proc)
		return -errno;
	while (!err && (d = readdir(proc)))
		if (isdigit((unsigned char)d->d_name[0]))
			err = add_process(&s, proc_root, d->d_name);
	closedir(proc);
	return err ? err : update_gauges(&s);
}
