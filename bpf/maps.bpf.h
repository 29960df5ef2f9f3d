/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The maps and load-time settings every probe shares. bpftool gen object links the per-concern
 * objects into one, so each map is defined once (in maps.bpf.c, which sets DT_DEFINE_MAPS) and
 * seen as extern everywhere else.
 */
#ifndef DAXTRACE_MAPS_BPF_H
#define DAXTRACE_MAPS_BPF_H

#include "daxtrace.h"
#include "daxtrace_event.h"

#ifdef DT_DEFINE_MAPS
#define DT_SHARED
#else
#define DT_SHARED extern
#endif

/* Filters, set by the engine before load (defined in maps.bpf.c); 0 means "off". */
extern const volatile __u8 filter_tgid;
extern const volatile __u8 filter_cgroup;
extern const volatile __u8 follow_forks;
extern const volatile __u8 dax_only;
extern const volatile __u32 filter_dev;
/* Address of the kernel variable vmemmap_base (kallsyms), for share and mapuse; 0 if none. */
extern const volatile __u64 vmemmap_base_addr;
/* daxtrace snoop: records of the event types in event_mask go to the events ring buffer. */
extern const volatile __u8 events_on;
extern const volatile __u32 event_mask;
extern const volatile __u32 events_wakeup_bytes; /* wake the reader from this much data on */
/* cow and snoop: where a sharing break starts and its bytes (top shows neither) */
extern const volatile __u8 break_detail;
/* daxtrace lat: latency histograms, keyed per process (-P) and per file (-F) on request. */
extern const volatile __u8 lat_on;
extern const volatile __u8 lat_per_proc;
extern const volatile __u8 lat_per_file;
/* The exporter: rows per device (dev_stats), by cgroup too, and no process or file rows. */
extern const volatile __u8 dev_rows;
extern const volatile __u8 cgroup_labels;
extern const volatile __u8 keyed_rows; /* process and file rows: every command but the exporter */
extern const volatile __u8 lat_per_dev;
/* share --record: census events go to the share_stream ring buffer (bpf/share_stream.bpf.h). */
extern const volatile __u8 share_record_on;
extern const volatile __u32 share_stream_wakeup_bytes;

/* tgids of the traced process tree (-p, or -- CMD and its descendants). */
DT_SHARED struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, DT_MAX_TRACED);
	__type(key, __u32);
	__type(value, __u8);
} traced_tgids SEC(".maps");

/* Slot 0 holds the -C cgroup; bpf_current_task_under_cgroup also matches its descendants. */
DT_SHARED struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} cgroup_filter SEC(".maps");

/*
 * Devices mounted with DAX, filled by the engine from mountinfo. Only the classic tracepoints
 * need it: they carry dev and ino, not the inode whose S_DAX flag would say.
 */
DT_SHARED struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u8);
} dax_devs SEC(".maps");

/* Whole-run totals: never evicted, so they stay right when the keyed rows overflow. */
DT_SHARED struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct dt_stats);
} total_stats SEC(".maps");

DT_SHARED struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, DT_MAX_PROCS);
	__type(key, struct dt_proc_key);
	__type(value, struct dt_stats);
} proc_stats SEC(".maps");

DT_SHARED struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, DT_MAX_FILES);
	__type(key, struct dt_file_key);
	__type(value, struct dt_stats);
} file_stats SEC(".maps");

DT_SHARED struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, DT_MAX_FILES);
	__type(key, struct dt_file_key);
	__type(value, struct dt_file_info);
} file_info SEC(".maps");

/*
 * Device DAX rows, keyed by the char device's dev_t (i_rdev of /dev/daxX.Y): a plain hash, not
 * LRU, since a machine has a handful of such devices; a fault past DT_MAX_DAX_DEVS is counted
 * in total and as map_full.
 */
DT_SHARED struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, DT_MAX_DAX_DEVS);
	__type(key, __u32);
	__type(value, struct dt_stats);
} devdax_stats SEC(".maps");

/*
 * Files on which a traced process broke sharing. Page-cache COW completes in a kworker after
 * writeback (xfs_reflink_end_cow from xfs_end_io), so under -p / -C / -- CMD the completion is
 * let through when its file is here.
 */
DT_SHARED struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, DT_MAX_FILES);
	__type(key, struct dt_file_key);
	__type(value, __u8);
} cow_files SEC(".maps");

/*
 * The DAX fault in progress, per thread: its start, and for kprobes (whose return probe has no
 * arguments) the vmf and order it was called with.
 */
struct dax_fault_entry {
	__u64 start_ns;
	struct vm_fault *vmf;
	__u64 pmd_pos; /* file offset of the 2 MiB range a PMD fault wants */
	__u32 order;
	__u8 iomap_seen; /* iomap_iter_dstmap ran inside this fault */
	__u8 extent_fits;
	__u8 cow; /* iomap_iter_srcmap ran inside this fault: it broke sharing */
	__u8 pte_reason; /* PTE faults: enum dt_no_pmd_reason, read at entry (bpf/nopmd.bpf.h) */
};

DT_SHARED struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, struct dax_fault_entry);
} fault_start SEC(".maps");

/*
 * The 2 MiB-aligned address of the PMD fault that last fell back, per thread, until its PTE
 * retry (the same handle_mm_fault) takes it: that PTE fault had a PMD fault tried. LRU, so
 * that an entry whose retry never came (the thread died) cannot fill the map.
 */
DT_SHARED struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, __u64);
} pmd_tried SEC(".maps");

/*
 * The exporter's rows (struct dt_dev_key): a plain hash, not LRU, so a row once made stays and
 * its counters never restart. One entry unless the exporter sizes it before load; allocated
 * as rows are made (a handful of devices), not for the bound. A tracing program may use such
 * a map (a verifier warning before v5.11, refused only on PREEMPT_RT).
 */
DT_SHARED struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct dt_dev_key);
	__type(value, struct dt_dev_stats);
} dev_stats SEC(".maps");

/* --cgroup-labels: the cgroups that have rows of their own, the first --max-series seen. */
DT_SHARED struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u64);
	__type(value, __u8);
} cgroup_series SEC(".maps");

/* ... and those folded into "other", each counted once (DT_HEALTH_FOLDED_CGROUPS). */
DT_SHARED struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1);
	__type(key, __u64);
	__type(value, __u8);
} folded_cgroups SEC(".maps");

DT_SHARED struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, DT_NR_HEALTH);
	__type(key, __u32);
	__type(value, __u64);
} health SEC(".maps");

/* snoop's stream; the engine sizes it (--buffer-kb) before load, a page when snoop is off. */
DT_SHARED struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

/* share --record's census events; the engine sizes it (--buffer-kb) before load. */
DT_SHARED struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} share_stream SEC(".maps");

/*
 * Preallocated, per CPU: 3.4 MB a CPU at DT_LAT_KEYS, and 25 ms to create here. One entry
 * unless daxtrace lat sizes it before load (session_size_map).
 */
DT_SHARED struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 1);
	__type(key, struct dt_lat_key);
	__type(value, struct dt_lat_hist);
} lat_hists SEC(".maps");

/* A DAX writeback range in progress, per thread (fs_dax dax_writeback_range to _done). */
struct dax_flush_entry {
	__u64 start_ns;
	__u64 start_index; /* the range's first page: _done reports where the walk ended */
	__u64 pages;
};

DT_SHARED struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct dax_flush_entry);
} flush_start SEC(".maps");

/*
 * The MAP_SYNC metadata sync in progress, per thread (dax_finish_sync_fault): its start, and
 * for the kretprobe, which has no arguments, the vmf and order it was called with.
 */
struct dax_sync_entry {
	__u64 start_ns;
	struct vm_fault *vmf;
	__u32 order;
};

DT_SHARED struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct dax_sync_entry);
} sync_start SEC(".maps");

/* The remap system call in progress, per thread: enum dt_remap_kind (snoop and cow). */
DT_SHARED struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, __u8);
} remap_calls SEC(".maps");

/* Zeroed scratch for creating rows larger than the BPF stack comfortably holds. */
DT_SHARED struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct dt_file_info);
} zero_file_info SEC(".maps");

DT_SHARED struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct dt_stats);
} zero_stats SEC(".maps");

DT_SHARED struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct dt_lat_hist);
} zero_lat_hist SEC(".maps");

DT_SHARED struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct dt_dev_stats);
} zero_dev_stats SEC(".maps");

#endif /* DAXTRACE_MAPS_BPF_H */
