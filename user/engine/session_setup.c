// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "daxtrace.skel.h"
#include "daxtrace_event.h"
#include "daxtrace_mapuse.h"
#include "daxtrace_share_stream.h"
#include "engine/file_paths.h"
#include "engine/pmem.h"
#include "engine/report_error.h"
#include "engine/row_budget.h"
#include "engine/session.h"
#include "engine/session_internal.h"

/*
 * Gives a map its entries. The object declares the maps only some commands use with one entry,
 * so that the others neither wait for nor pay for a preallocated map.
 */
static int size_map(struct bpf_map *map, __u32 entries, const char *what)
{
	int err = bpf_map__set_max_entries(map, entries);

	if (err)
		return runtime_error("cannot size the %s (%u entries): %s", what, entries,
				     strerror(-err));
	return 0;
}

/* The per-process and per-file rows, within the memory budget on this many CPUs. */
int session_size_row_maps(struct session *s)
{
	int nr_cpus = libbpf_num_possible_cpus();
	__u32 procs =
		row_budget_rows(DT_MAX_PROCS, sizeof(struct dt_stats), nr_cpus, DT_ROW_MAP_BUDGET);
	__u32 files =
		row_budget_rows(DT_MAX_FILES, sizeof(struct dt_stats), nr_cpus, DT_ROW_MAP_BUDGET);

	if (s->setup->dev_rows.on) /* no process or file rows: their maps keep one entry */
		return 0;
	if (s->opts->verbose)
		fprintf(stderr, "daxtrace: rows: %u processes, %u files (%d CPUs, %lu MiB a map)\n",
			procs, files, nr_cpus, DT_ROW_MAP_BUDGET >> 20);
	return size_map(s->skel->maps.proc_stats, procs, "process rows") ||
	       size_map(s->skel->maps.file_stats, files, "file rows");
}

/*
 * lat: histograms by kind (and process, file), within the same memory budget. By kind and
 * device only, the exporter's, a kind has at most one per device.
 */
static int set_lat(struct session *s)
{
	const struct session_setup *setup = s->setup;
	bool per_dev_only = setup->lat.per_dev && !setup->lat.per_proc && !setup->lat.per_file;
	__u32 keys = row_budget_rows(per_dev_only ? DT_NR_LAT_KINDS * DT_MAX_DEVS : DT_LAT_KEYS,
				     sizeof(struct dt_lat_hist), libbpf_num_possible_cpus(),
				     DT_ROW_MAP_BUDGET);

	if (!setup->lat.on)
		return 0;
	if (size_map(s->skel->maps.lat_hists, keys, "histogram map"))
		return -1;
	s->skel->rodata->lat_on = 1;
	s->skel->rodata->lat_per_proc = setup->lat.per_proc;
	s->skel->rodata->lat_per_file = setup->lat.per_file;
	s->skel->rodata->lat_per_dev = setup->lat.per_dev;
	return 0;
}

/*
 * The exporter's rows: a device row per cgroup that has its own, plus "other". The map is not
 * preallocated (BPF_F_NO_PREALLOC), so its size is a bound, not memory spent.
 */
static int set_dev_rows(struct session *s)
{
	const struct session_setup *setup = s->setup;
	__u32 cgroups = setup->dev_rows.cgroups ? setup->dev_rows.max_cgroups + 1 : 1;

	if (!setup->dev_rows.on)
		return 0;
	if (size_map(s->skel->maps.dev_stats, DT_MAX_DEVS * cgroups, "device rows"))
		return -1;
	s->skel->rodata->dev_rows = 1;
	s->skel->rodata->keyed_rows = 0;
	if (!setup->dev_rows.cgroups)
		return 0;
	s->skel->rodata->cgroup_labels = 1;
	/* folded cgroups are remembered to be counted once; past this many, again */
	return size_map(s->skel->maps.cgroup_series, setup->dev_rows.max_cgroups, "cgroup rows") ||
	       size_map(s->skel->maps.folded_cgroups, 4096, "folded cgroups");
}

/* A BPF ring buffer is a power-of-two number of pages. */
static __u32 ring_bytes(unsigned long long kb)
{
	unsigned long long bytes = 4096;

	while (bytes < kb * 1024)
		bytes <<= 1;
	return bytes;
}

static int set_events(struct session *s)
{
	const struct session_setup *setup = s->setup;
	__u32 bytes = ring_bytes(setup->events.buffer_kb);

	if (!setup->events.on)
		return 0;
	if (size_map(s->skel->maps.events, bytes, "ring buffer"))
		return -1;
	s->skel->rodata->events_on = 1;
	/* A quarter full: woken early enough that a burst rarely fills the rest before we read. */
	s->skel->rodata->events_wakeup_bytes = bytes / 4;
	s->skel->rodata->event_mask = setup->events.mask;
	return 0;
}

static int set_share_stream(struct session *s)
{
	__u32 bytes = ring_bytes(s->setup->share_stream.buffer_kb);

	if (!s->setup->share_stream.on)
		return 0;
	if (size_map(s->skel->maps.share_stream, bytes, "share stream ring buffer"))
		return -1;
	s->skel->rodata->share_record_on = 1;
	s->skel->rodata->share_stream_wakeup_bytes = bytes / 4; /* as set_events */
	return 0;
}

/* The generic ->mapping readers see every page: BPF keeps those of pmem. */
static int set_pmem_ranges(struct session *s)
{
	struct pfn_range ranges[DT_PMEM_RANGES];
	int n = pmem_ranges_read("/proc/iomem", ranges, DT_PMEM_RANGES);

	if (n < 0)
		return runtime_error("cannot read /proc/iomem: %s", strerror(-n));
	for (int i = 0; i < n; i++) {
		s->skel->rodata->pmem_pfn_lo[i] = ranges[i].lo;
		s->skel->rodata->pmem_pfn_hi[i] = ranges[i].hi;
	}
	if (n == 0)
		warning("no persistent memory in /proc/iomem: folio_mapping uses cannot be seen");
	return 0;
}

/*
 * share's per-task context is task storage (v5.11): on a kernel without it share's points are
 * not planned (attach_plan.c), and the map is not created, which would fail the whole load.
 */
static int set_share_task_store(struct session *s)
{
	int err = bpf_map__set_autocreate(s->skel->maps.share_task, s->features.task_storage);

	if (err)
		return runtime_error("cannot leave out share's task storage: %s", strerror(-err));
	return 0;
}

/* After the plan and before load: what the command asked for (struct session_setup). */
int session_apply_setup(struct session *s)
{
	const struct session_setup *setup = s->setup;
	const struct plan_choice *disassoc = attach_plan_find(&s->plan, "share.disassoc");

	s->skel->rodata->break_detail = setup->break_detail;
	/* A clone of dax_disassociate_entry lost its mapping: the callers' probes supply it. */
	s->skel->rodata->share_mapping_from_context = disassoc && disassoc->clone;
	if (setup->census_pfns && size_map(s->skel->maps.pfn_owners, setup->census_pfns, "census"))
		return -1;
	if (setup->mapuse_tables &&
	    (size_map(s->skel->maps.mapuse_uses, DT_MAPUSE_KEYS, "use table") ||
	     size_map(s->skel->maps.mapuse_stacks, DT_MAPUSE_STACKS, "stack map")))
		return -1;
	if (setup->pmem_ranges && set_pmem_ranges(s))
		return -1;
	return set_share_task_store(s) || set_lat(s) || set_events(s) || set_share_stream(s) ||
	       set_dev_rows(s);
}

static int on_event(void *ctx, void *data, size_t size)
{
	const struct session_setup *setup = ctx;

	if (size < sizeof(struct dt_event))
		return 0;
	return setup->events.consume(setup->events.ctx, data);
}

static int on_share_record(void *ctx, void *data, size_t size)
{
	struct session *s = ctx;
	int err;

	if (size < sizeof(struct dt_share_record) || s->share_stream_error)
		return 0;
	err = s->setup->share_stream.consume(s->setup->share_stream.ctx, data);
	if (err)
		s->share_stream_error = err;
	return 0; /* a failed write stops the file, not the draining of the ring */
}

/* After load: the ring buffers' readers and the renderers' paths. */
int session_open_readers(struct session *s)
{
	s->paths = file_paths_new(s->maps.file_info_fd, &s->mounts, "/proc/self/mountinfo");
	if (!s->paths)
		return runtime_error("out of memory");
	if (s->setup->share_stream.on) {
		s->share_stream = ring_buffer__new(bpf_map__fd(s->skel->maps.share_stream),
						   on_share_record, s, NULL);
		if (!s->share_stream)
			return runtime_error("cannot open the share stream ring buffer: %s",
					     strerror(errno));
	}
	if (!s->setup->events.on)
		return 0;
	s->events = ring_buffer__new(bpf_map__fd(s->skel->maps.events), on_event, (void *)s->setup,
				     NULL);
	if (!s->events)
		return runtime_error("cannot open the ring buffer: %s", strerror(errno));
	return 0;
}
