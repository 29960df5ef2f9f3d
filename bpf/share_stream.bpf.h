/* SPDX-License-Identifier: GPL-2.0 */
/*
 * share --record: one struct dt_share_record per census event into the share_stream ring
 * buffer, for `daxtrace model` to replay (include/daxtrace_share_stream.h). Off unless the
 * engine set share_record_on before load: the verifier then drops every call, and share's and
 * mapuse's programs pay nothing for it.
 */
#ifndef DAXTRACE_SHARE_STREAM_BPF_H
#define DAXTRACE_SHARE_STREAM_BPF_H

#include "daxtrace_share_stream.h"
#include "account.bpf.h"
#include "maps.bpf.h"

/* What a record says besides its type and time; the fields a type does not use stay 0. */
struct dt_share_what {
	__u64 pfn;
	__u64 ino;
	__u64 index; /* or DT_REC_BREAK's age_ns */
	__u32 dev;
	__u32 owners;
	__u32 kernel_count;
	__u8 order;
	__u8 detail;
	__u8 flags;
};

/*
 * Never waits: a full ring buffer drops the record and counts it (the stream's trailer carries
 * the count, and the replay says it is incomplete). The reader is woken once
 * share_stream_wakeup_bytes are waiting, as snoop's is (bpf/event.bpf.h says why).
 */
static __always_inline void dt_share_emit(enum dt_share_record_type type,
					  const struct dt_share_what *what)
{
	struct dt_share_record record;
	__u64 wakeup;

	if (!share_record_on)
		return;
	record = (struct dt_share_record){
		.time_ns = bpf_ktime_get_ns(),
		.pfn = what->pfn,
		.ino = what->ino,
		.index = what->index,
		.dev = what->dev,
		.owners = what->owners,
		.kernel_count = what->kernel_count,
		.type = type,
		.order = what->order,
		.detail = what->detail,
		.flags = what->flags,
	};
	wakeup = bpf_ringbuf_query(&share_stream, BPF_RB_AVAIL_DATA) >= share_stream_wakeup_bytes ?
			 BPF_RB_FORCE_WAKEUP :
			 BPF_RB_NO_WAKEUP;
	if (bpf_ringbuf_output(&share_stream, &record, sizeof(record), wakeup))
		dt_health_inc(DT_HEALTH_STREAM_LOST);
}

#endif /* DAXTRACE_SHARE_STREAM_BPF_H */
