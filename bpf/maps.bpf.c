// SPDX-License-Identifier: GPL-2.0
/* The single definition of the shared maps and settings declared in maps.bpf.h. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#define DT_DEFINE_MAPS
#include "maps.bpf.h"

const volatile __u8 filter_tgid = 0;
const volatile __u8 filter_cgroup = 0;
const volatile __u8 follow_forks = 0;
const volatile __u8 dax_only = 0;
const volatile __u32 filter_dev = 0;
const volatile __u64 vmemmap_base_addr = 0;
const volatile __u8 events_on = 0;
const volatile __u32 event_mask = 0;
const volatile __u32 events_wakeup_bytes = 0;
const volatile __u8 break_detail = 0;
const volatile __u8 lat_on = 0;
const volatile __u8 lat_per_proc = 0;
const volatile __u8 lat_per_file = 0;
const volatile __u8 dev_rows = 0;
const volatile __u8 cgroup_labels = 0;
const volatile __u8 keyed_rows = 1;
const volatile __u8 lat_per_dev = 0;
const volatile __u8 share_record_on = 0;
const volatile __u32 share_stream_wakeup_bytes = 0;

char LICENSE[] SEC("license") = "GPL";
