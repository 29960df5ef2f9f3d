/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where a completed event goes besides top's counters: snoop's ring buffer and lat's
 * histograms. Both are off unless the command set events_on / lat_on before load; the verifier
 * then knows the branch is never taken, so top's programs do not pay for them.
 */
#ifndef DAXTRACE_EVENT_BPF_H
#define DAXTRACE_EVENT_BPF_H

#include "account.bpf.h"
#include "maps.bpf.h"

static __always_inline bool dt_event_wanted(enum dt_event_type type)
{
	return events_on && (event_mask & (1U << type));
}

/* The fields every record has; the caller fills the rest. */
static __always_inline void dt_event_init(struct dt_event *ev, enum dt_event_type type,
					  const struct dt_file_key *file)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();

	ev->time_ns = bpf_ktime_get_ns();
	ev->tgid = pid_tgid >> 32;
	ev->tid = (__u32)pid_tgid;
	ev->type = type;
	ev->dev = file->dev;
	ev->ino = file->ino;
	ev->fallback_reason = DT_NR_FALLBACK_REASONS;
	ev->pte_reason = DT_NR_NO_PMD_REASONS;
	ev->remap_kind = DT_REMAP_OTHER;
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
}

/*
 * Never waits: a full ring buffer drops the record and counts it, per CPU. The reader is woken
 * only once events_wakeup_bytes are waiting (else it polls every 100 ms): a wakeup per record,
 * the default whenever the reader has caught up, costs more than the record itself.
 */
static __always_inline void dt_event_submit(struct dt_event *ev)
{
	__u64 wakeup = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= events_wakeup_bytes ?
			       BPF_RB_FORCE_WAKEUP :
			       BPF_RB_NO_WAKEUP;

	if (bpf_ringbuf_output(&events, ev, sizeof(*ev), wakeup))
		dt_health_inc(DT_HEALTH_EVENTS_LOST);
}

static __always_inline void dt_lat_record(enum dt_lat_kind kind, __u64 ns,
					  const struct dt_file_key *file)
{
	struct dt_lat_key key = { .kind = kind };
	struct dt_lat_hist *hist;
	__u32 slot, zero = 0;
	void *blank;

	if (lat_per_proc)
		key.tgid = bpf_get_current_pid_tgid() >> 32;
	if (lat_per_file || lat_per_dev)
		key.dev = file->dev;
	if (lat_per_file)
		key.ino = file->ino;
	hist = bpf_map_lookup_elem(&lat_hists, &key);
	if (!hist) {
		blank = bpf_map_lookup_elem(&zero_lat_hist, &zero);
		if (blank)
			bpf_map_update_elem(&lat_hists, &key, blank, BPF_NOEXIST);
		hist = bpf_map_lookup_elem(&lat_hists, &key);
		if (!hist) {
			dt_health_inc(DT_HEALTH_LAT_LOST);
			return;
		}
	}
	hist->sum_ns += ns;
	slot = dt_lat_slot(ns);
	barrier_var(slot); /* as in dt_stats_latency: keep the bound on this register */
	if (slot < DT_LAT_SLOTS)
		hist->slots[slot]++;
}

#endif /* DAXTRACE_EVENT_BPF_H */
