/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One record per DAX event, as the probes complete it: the stream of `daxtrace snoop` (ring
 * buffer) and the keys of `daxtrace lat` (in-kernel log2 histograms) are both cut from it, so
 * the two commands and top agree on what an event is.
 */
#ifndef DAXTRACE_EVENT_H
#define DAXTRACE_EVENT_H

#include "daxtrace.h"

/*
 * What happened, one type per record. A DAX fault handler invocation is exactly one of
 * sigbus (its result), cow (it broke sharing), mkwrite (FAULT_FLAG_MKWRITE) or fault. A
 * page-cache mkwrite or sharing break outside a DAX fault has its own record, untimed. A sync
 * follows its NEEDDSYNC fault as a record of its own.
 */
enum dt_event_type {
	DT_EV_FAULT,
	DT_EV_MKWRITE,
	DT_EV_COW,
	DT_EV_REMAP,
	DT_EV_WRITEBACK,
	DT_EV_SIGBUS,
	DT_EV_SYNC, /* dax_finish_sync_fault after a NEEDDSYNC fault: timed, with its result */
	DT_NR_EVENT_TYPES,
};

#define DT_ALL_EVENTS ((1U << DT_NR_EVENT_TYPES) - 1)

/* The remap operations of XFS reflink, told apart by the system call that asked. */
enum dt_remap_kind {
	DT_REMAP_CLONE, /* FICLONE */
	DT_REMAP_CLONE_RANGE, /* FICLONERANGE */
	DT_REMAP_DEDUPE, /* FIDEDUPERANGE */
	DT_REMAP_UNSHARE, /* fallocate(FALLOC_FL_UNSHARE_RANGE) */
	DT_REMAP_OTHER, /* any other caller (copy_file_range, nfsd, overlayfs) */
	DT_NR_REMAP_KINDS,
};

/*
 * The histograms of `daxtrace lat`. The six fault kinds split DAX faults, fsdax and device DAX
 * alike, by size and access (DT_LAT_PTE_READ + enum dt_fault_size * 2 + write);
 * mkwrite and cow are the subsets of those that were write-protect faults or broke sharing,
 * writeback the DAX flushes of fsync/msync, sync the metadata syncs of MAP_SYNC faults (after
 * the fault, not part of it); the fallback kinds, the PMD faults that fell back, one per reason
 * (DT_LAT_FALLBACK + enum dt_fallback_reason); the nopmd kinds, the PTE faults with no PMD
 * fault tried first, one per reason (DT_LAT_NO_PMD + enum dt_no_pmd_reason).
 */
enum dt_lat_kind {
	DT_LAT_PTE_READ,
	DT_LAT_PTE_WRITE,
	DT_LAT_PMD_READ,
	DT_LAT_PMD_WRITE,
	DT_LAT_PUD_READ, /* device DAX only */
	DT_LAT_PUD_WRITE,
	DT_LAT_MKWRITE,
	DT_LAT_COW,
	DT_LAT_WRITEBACK,
	DT_LAT_SYNC, /* MAP_SYNC: dax_finish_sync_fault, entry to return (fentry, kprobe) */
	DT_LAT_FALLBACK,
	DT_LAT_NO_PMD = DT_LAT_FALLBACK + DT_NR_FALLBACK_REASONS,
	DT_NR_LAT_KINDS = DT_LAT_NO_PMD + DT_NR_NO_PMD_REASONS,
};

struct dt_event {
	__u64 time_ns; /* bpf_ktime_get_ns(): CLOCK_MONOTONIC */
	__u64 latency_ns; /* 0: not timed (no exit point) */
	__u64 ino;
	__u64 pgoff; /* first page of the file touched */
	__u64 address; /* faults: the faulting user address */
	__u64 bytes; /* faults: 4 KiB or 2 MiB; remap, writeback, cow: the range */
	__u32 tgid;
	__u32 tid;
	__u32 dev; /* kernel dev_t: DT_MKDEV(major, minor) */
	__u32 result; /* faults: vm_fault_t */
	__u32 fault_flags; /* faults: enum fault_flag */
	__u8 type; /* enum dt_event_type */
	__u8 pmd;
	__u8 fallback_reason; /* enum dt_fallback_reason; DT_NR_FALLBACK_REASONS: none */
	__u8 remap_kind; /* enum dt_remap_kind */
	__u8 dax_fault; /* a DAX fault handler's record: size, access and result are set */
	__u8 pte_reason; /* enum dt_no_pmd_reason; DT_NR_NO_PMD_REASONS: none (or a PMD fault) */
	__u8 pud; /* device DAX: a PUD attempt (pmd is 0) */
	__u8 devdax; /* device DAX: dev is the char device's, ino 0 */
	char comm[DT_COMM_LEN];
};

/* The histograms daxtrace lat keeps (kinds x processes x files); more are counted as lost. */
#define DT_LAT_KEYS 10240

/* A histogram's identity: pid and file are 0 unless lat -P / -F asked for them. */
struct dt_lat_key {
	__u32 kind; /* enum dt_lat_kind */
	__u32 tgid;
	__u32 dev;
	__u32 pad;
	__u64 ino;
};

struct dt_lat_hist {
	__u64 sum_ns;
	__u64 slots[DT_LAT_SLOTS]; /* dt_lat_slot() */
};

#endif /* DAXTRACE_EVENT_H */
