// SPDX-License-Identifier: GPL-2.0
/*
 * Following the traced process tree in the kernel (-- CMD mode), so a child is traced from its
 * first instruction, with no race against a userspace /proc walk.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "account.bpf.h"
#include "maps.bpf.h"
#include "probe.bpf.h"

/*
 * The parent is current. A new thread (child_tgid is its parent's) is not added: its tgid is
 * traced already. The classic tracepoint's record has no tgid (0): its threads' ids are added,
 * and leave with them. A full map would stop following the tree: counted as lost.
 */
static __always_inline int on_fork(__u32 child, __u32 child_tgid)
{
	__u32 parent = bpf_get_current_pid_tgid() >> 32;
	__u8 one = 1;

	if (!follow_forks || (child_tgid && child_tgid != child) ||
	    !bpf_map_lookup_elem(&traced_tgids, &parent))
		return 0;
	if (bpf_map_update_elem(&traced_tgids, &child, &one, BPF_ANY))
		dt_health_inc(DT_HEALTH_MAP_FULL);
	return 0;
}

/* The exiting task is current: a leader takes its tgid along, a thread its stray entry. */
static __always_inline int on_exit(void)
{
	__u32 id = bpf_get_current_pid_tgid();

	if (follow_forks)
		bpf_map_delete_elem(&traced_tgids, &id);
	return 0;
}

DT_TP_TWINS(sched_process_fork, on_fork(BPF_CORE_READ(child, pid), BPF_CORE_READ(child, tgid)),
	    struct task_struct *parent, struct task_struct *child)
DT_TP_TWINS(sched_process_exit, on_exit(), struct task_struct *task)

SEC("tracepoint/sched/sched_process_fork")
int sched_process_fork__tracepoint(struct trace_event_raw_sched_process_fork *ctx)
{
	return on_fork(BPF_CORE_READ(ctx, child_pid), 0);
}

SEC("tracepoint/sched/sched_process_exit")
int sched_process_exit__tracepoint(void *ctx)
{
	return on_exit();
}
