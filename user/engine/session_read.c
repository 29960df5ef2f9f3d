// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "daxtrace.skel.h"
#include "engine/capabilities.h"
#include "engine/census.h"
#include "engine/dev_rows.h"
#include "engine/lat_report.h"
#include "engine/map_read.h"
#include "engine/mapuse_report.h"
#include "engine/report_error.h"
#include "engine/session.h"
#include "engine/snapshot.h"

int session_read(struct session *s, struct stats_snapshot *snap)
{
	int err = stats_snapshot_read(snap, &s->maps);

	if (err)
		return runtime_error("reading the counters failed: %s", strerror(-err));
	attach_plan_misses(&s->plan, s->skel->obj, &snap->misses);
	return 0;
}

int session_read_prog_runs(struct session *s, struct prog_runs *runs, int max)
{
	struct bpf_program *prog;
	int n = 0;

	bpf_object__for_each_program(prog, s->skel->obj) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);
		int fd = bpf_program__fd(prog);

		if (fd < 0 || n == max)
			continue;
		if (bpf_prog_get_info_by_fd(fd, &info, &len))
			return runtime_error("reading program %s's statistics: %s",
					     bpf_program__name(prog), strerror(errno));
		snprintf(runs[n].name, sizeof(runs[n].name), "%s", bpf_program__name(prog));
		runs[n].run_time_ns = info.run_time_ns;
		runs[n].run_cnt = info.run_cnt;
		n++;
	}
	return n;
}

unsigned long long session_missed_runs(struct session *s)
{
	struct plan_misses misses;

	attach_plan_misses(&s->plan, s->skel->obj, &misses);
	return misses.total.lost;
}

int session_read_lat(struct session *s, struct lat_report *report)
{
	int err = lat_report_read(report, bpf_map__fd(s->skel->maps.lat_hists), s->maps.health_fd);

	if (err)
		return runtime_error("reading the histograms: %s", strerror(-err));
	return 0;
}

int session_read_devs(struct session *s, struct dev_rows *rows)
{
	int err = dev_rows_read(bpf_map__fd(s->skel->maps.dev_stats), rows);

	if (err)
		return runtime_error("reading the device rows failed: %s", strerror(-err));
	return 0;
}

int session_read_census(struct session *s, struct census *census)
{
	struct census_maps maps = {
		.owners_fd = bpf_map__fd(s->skel->maps.pfn_owners),
		.totals_fd = bpf_map__fd(s->skel->maps.share_totals),
		.gauges_fd = bpf_map__fd(s->skel->maps.share_gauges),
		.anomalies_fd = bpf_map__fd(s->skel->maps.share_anomalies),
	};
	int err = census_read(census, &maps);

	if (err)
		return runtime_error("reading the census failed: %s", strerror(-err));
	return 0;
}

int session_read_mapuse(struct session *s, struct mapuse_report *report)
{
	int err = mapuse_report_read(report, bpf_map__fd(s->skel->maps.mapuse_uses),
				     bpf_map__fd(s->skel->maps.mapuse_stacks),
				     bpf_map__fd(s->skel->maps.mapuse_dropped), &s->ksyms);

	if (err)
		return runtime_error("reading the uses failed: %s", strerror(-err));
	report->missed_runs = session_missed_runs(s);
	return 0;
}

struct cpu_values {
	__u64 *per_cpu;
};

static void copy_cpu_value(void *ctx, int cpu, const void *value)
{
	((struct cpu_values *)ctx)->per_cpu[cpu] = *(const __u64 *)value;
}

int session_read_health_per_cpu(struct session *s, unsigned int slot, __u64 *per_cpu)
{
	struct cpu_values values = { per_cpu };
	__u32 key = slot;

	return map_read_percpu_each(s->maps.health_fd, &key, sizeof(__u64), copy_cpu_value,
				    &values);
}

int session_read_health_total(struct session *s, unsigned int slot, __u64 *total)
{
	int nr_cpus = session_nr_cpus(), err;
	__u64 *per_cpu;

	if (nr_cpus < 0)
		return nr_cpus;
	per_cpu = calloc(nr_cpus, sizeof(*per_cpu));
	if (!per_cpu)
		return -ENOMEM;
	err = session_read_health_per_cpu(s, slot, per_cpu);
	*total = 0;
	for (int cpu = 0; !err && cpu < nr_cpus; cpu++)
		*total += per_cpu[cpu];
	free(per_cpu);
	return err;
}

int session_nr_cpus(void)
{
	return map_read_nr_cpus();
}

int session_take_snapshot(struct session *s, struct snapshot_result *result)
{
	struct snapshot_maps maps = {
		.owners_fd = bpf_map__fd(s->skel->maps.pfn_owners),
		.gauges_fd = bpf_map__fd(s->skel->maps.share_gauges),
		.file_info_fd = s->maps.file_info_fd,
		.record = s->setup->share_stream.on ? s->setup->share_stream.consume : NULL,
		.record_ctx = s->setup->share_stream.ctx,
	};
	int err;

	/*
	 * pagemap's PFNs read as 0 without CAP_SYS_ADMIN (Linux 4.2, "pagemap: hide physical
	 * addresses from non-privileged users"): the snapshot would find nothing, silently.
	 */
	if (!has_capability(DT_CAP_SYS_ADMIN))
		warning("--snapshot: without CAP_SYS_ADMIN, /proc/PID/pagemap hides page frame "
			"numbers: the snapshot finds no owners (run as root)");
	err = snapshot_take(&maps, &s->mounts, "/proc", result);
	if (err)
		return runtime_error("--snapshot: %s", strerror(-err));
	return 0;
}

int session_events_poll(struct session *s, int timeout_ms)
{
	return ring_buffer__poll(s->events, timeout_ms);
}

int session_events_drain(struct session *s)
{
	return ring_buffer__consume(s->events);
}

int session_share_stream_drain(struct session *s)
{
	int n = s->share_stream ? ring_buffer__consume(s->share_stream) : 0;

	return n < 0 ? n : s->share_stream_error;
}
