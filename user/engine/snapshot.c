// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "daxtrace_share.h"
#include "daxtrace_share_stream.h"
#include "engine/smaps.h"
#include "engine/snapshot.h"

/* Documentation/admin-guide/mm/pagemap.rst: bit 63 present, bits 0-54 the pfn. */
#define PAGEMAP_PRESENT (1ULL << 63)
#define PAGEMAP_PFN_MASK ((1ULL << 55) - 1)

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

/* share --record: the owner just added, for the replay (time: when the unit became shared). */
static int record_owner(struct snapshot *s, __u64 pfn, const struct dt_pfn_owners *r,
			const struct smaps_vma *vma, __u64 index)
{
	struct dt_share_record record = {
		.time_ns = r->owners == 2 ? r->shared_since_ns : monotonic_ns(),
		.pfn = pfn,
		.ino = vma->ino,
		.index = index,
		.dev = vma->dev,
		.owners = r->owners,
		.type = DT_REC_SNAPSHOT,
		.order = r->order,
	};

	return s->maps->record(s->maps->record_ctx, &record);
}

/* One owner of one unit, unless the census has it already (several processes map a file). */
static int add_owner(struct snapshot *s, __u64 pfn, __u32 order, const struct smaps_vma *vma,
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
	else
		r.unlisted++; /* as bpf/share.bpf.c owner_joined() */
	r.owners++;
	if (r.owners == 2) {
		r.shared_since_ns = monotonic_ns();
		s->shared_delta++;
	}
	if (r.owners >= 2)
		s->extra_delta++;
	s->result->owners_added++;
	if (bpf_map_update_elem(s->maps->owners_fd, &pfn, &r, BPF_ANY))
		return -errno;
	return s->maps->record ? record_owner(s, pfn, &r, vma, index) : 0;
}

/* The window's DT_PMD_PAGES pages are one PMD entry: contiguous pfns from a 2 MiB-aligned one. */
static bool pmd_window(const struct smaps_vma *vma, __u64 window_index, const __u64 *entries,
		       __u64 n)
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

static void remember_path(struct snapshot *s, const struct smaps_vma *vma)
{
	const struct mount_entry *mount = mount_table_find(s->mounts, vma->dev);
	struct dt_file_key key = { .dev = vma->dev, .ino = vma->ino };
	struct dt_file_info info;

	if (mount && file_info_from_path(mount, vma->path, &info)) {
		info.dax = 1;
		bpf_map_update_elem(s->maps->file_info_fd, &key, &info, BPF_NOEXIST);
	}
}

/*
 * Walks the VMA in 2 MiB windows of the address space: a PMD entry fills one exactly. In pages,
 * the partial one at the end included, so that every window moves on by at least one (a VMA
 * shorter than a page, which only a made-up smaps has, made a window of none and no end).
 */
static int add_vma(struct snapshot *s, int pagemap_fd, const struct smaps_vma *vma)
{
	const __u64 first = vma->start / DT_PAGE_SIZE;
	const __u64 last = vma->end / DT_PAGE_SIZE + (vma->end % DT_PAGE_SIZE != 0);
	__u64 entries[DT_PMD_PAGES];
	int err = 0;

	s->result->mappings++;
	remember_path(s, vma);
	for (__u64 page = first; page < last && !err;) {
		__u64 window_end = (page / DT_PMD_PAGES + 1) * DT_PMD_PAGES;
		__u64 n = (window_end < last ? window_end : last) - page;
		__u64 index = vma->offset / DT_PAGE_SIZE + (page - first);
		ssize_t got = pread(pagemap_fd, entries, n * sizeof(entries[0]),
				    page * sizeof(entries[0]));

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
		page += n;
	}
	return err;
}

static bool vma_is_dax_file(const struct snapshot *s, const struct smaps_vma *vma)
{
	const struct mount_entry *mount;

	if (!vma->ino)
		return false;
	mount = mount_table_find(s->mounts, vma->dev);
	return mount && mount->dax;
}

struct process {
	struct snapshot *s;
	int pagemap_fd;
};

static int add_mapping(const struct smaps_vma *vma, void *ctx)
{
	struct process *p = ctx;

	return vma_is_dax_file(p->s, vma) ? add_vma(p->s, p->pagemap_fd, vma) : 0;
}

static int add_process(struct snapshot *s, const char *proc_root, const char *pid)
{
	struct process p = { .s = s, .pagemap_fd = -1 };
	char path[512];
	int err = 0;
	FILE *smaps;

	snprintf(path, sizeof(path), "%s/%s/smaps", proc_root, pid);
	smaps = fopen(path, "r");
	snprintf(path, sizeof(path), "%s/%s/pagemap", proc_root, pid);
	p.pagemap_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (smaps && p.pagemap_fd >= 0) /* else gone, or a kernel thread: nothing mapped */
		err = smaps_read(smaps, add_mapping, &p);
	if (smaps)
		fclose(smaps);
	if (p.pagemap_fd >= 0)
		close(p.pagemap_fd);
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
