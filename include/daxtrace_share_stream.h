/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The census event stream of `daxtrace share --record`, one record per event, as BPF emits it
 * (bpf/share_stream.bpf.h) and as the stream file stores it (docs/daxtrace-share-stream.5):
 * every change the census made, every comparison with the kernel's own share count, and every
 * owner lookup of `daxtrace mapuse`'s sites. `daxtrace model` replays them into the same census
 * and model that `daxtrace share` computes from its maps (user/engine/share_replay.c).
 *
 * The layout is the file format's: fixed-size, little-endian (the only byte order daxtrace
 * runs on), no padding holes. Appending fields or types is a minor format change; changing or
 * removing one is a major one (DT_SHARE_STREAM_MAJOR).
 */
#ifndef DAXTRACE_SHARE_STREAM_H
#define DAXTRACE_SHARE_STREAM_H

#include "daxtrace.h"

enum dt_share_record_type {
	DT_REC_ASSOCIATE = 1, /* an owner joined the unit; owners: the census count after */
	DT_REC_DISASSOCIATE, /* an owner left the unit; owners: the census count after */
	DT_REC_REINSERT, /* a leave and join of the same owner that kept its pfn (v6.2+) */
	DT_REC_BREAK, /* a fault moved the owner off pfn while others own it; age_ns */
	DT_REC_CHECK, /* census count (owners) against the kernel's (kernel_count) */
	DT_REC_EVICTED, /* a new unit not recorded: the census map was full */
	DT_REC_UNMATCHED, /* a disassociation of an owner the census did not have */
	DT_REC_NO_CONTEXT, /* a disassociation whose file could not be told */
	DT_REC_SNAPSHOT, /* an owner found mapped by --snapshot (user space, before CMD) */
	DT_REC_OWNER_USE, /* a mapuse site looked an owner up; site in detail */
	DT_NR_REC_TYPES,
};

/* flags of DT_REC_ASSOCIATE, DT_REC_DISASSOCIATE, DT_REC_REINSERT */
#define DT_RECF_IN_FAULT 0x01 /* inside dax_insert_entry: a fault's, not FICLONE's or truncate's */
/* flags of DT_REC_OWNER_USE */
#define DT_RECF_SHARED 0x01 /* the kernel held the page shared */
#define DT_RECF_DROPPED 0x02 /* mapuse's use table was full: counted as dropped */
/* flags of DT_REC_CHECK: the event (enum dt_share_event) in bits 0-3, the layout in 4-7 */
#define DT_RECF_CHECK_EVENT(flags) ((flags)&0x0f)
#define DT_RECF_CHECK_LAYOUT(flags) ((flags) >> 4)

struct dt_share_record {
	__u64 time_ns; /* bpf_ktime_get_ns() (CLOCK_MONOTONIC) */
	__u64 pfn; /* the unit's first pfn; OWNER_USE: the page's, 0 for a filesystem lookup */
	__u64 ino; /* the owner's file; 0 when none */
	union {
		__u64 index; /* the owner's page index (a PMD unit: its first page) */
		__u64 age_ns; /* DT_REC_BREAK: since the unit last became shared */
	};
	__u32 dev;
	__u32 owners; /* census owners: after the change, or CHECK's compared count */
	__u32 kernel_count; /* CHECK: the kernel's count (enum dt_kernel_state in detail) */
	__u8 type; /* enum dt_share_record_type */
	__u8 order; /* 0: a 4 KiB unit, DT_PMD_ORDER: a PMD unit */
	__u8 detail; /* CHECK: enum dt_kernel_state; OWNER_USE: enum dt_mapuse_site */
	__u8 flags; /* DT_RECF_* of the type */
};

#endif /* DAXTRACE_SHARE_STREAM_H */
