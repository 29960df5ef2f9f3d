// SPDX-License-Identifier: GPL-2.0
/*
 * One exposition: every family, every series with the labels of docs/daxtrace-exporter.8. A
 * series exists from the scrape after its device (or cgroup) first counted anything, with
 * every size, access, result and reason at 0 until they move, so rate() sees each from its
 * start.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cmd/exporter.h"
#include "daxtrace_event.h"
#include "engine/block_dev.h"
#include "engine/census.h"
#include "engine/cgroup_names.h"
#include "engine/counters.h"
#include "engine/dev_rows.h"
#include "engine/lat_report.h"
#include "engine/mounts.h"
#include "engine/report_error.h"
#include "engine/session.h"
#include "engine/stats.h"
#include "output/format.h"
#include "version.h"

#define MAX_LABELS 6
#define MAX_PROGRAMS 64

static const char *const fault_sizes[] = { "pte", "pmd" };
static const char *const fault_accesses[] = { "read", "write" };
static const char *const fault_results[DT_NR_FAULT_RESULTS] = {
	[DT_RESULT_SIGBUS] = "sigbus",
	[DT_RESULT_FALLBACK] = "fallback",
	[DT_RESULT_NOPAGE] = "nopage",
	[DT_RESULT_OTHER] = "other",
};

/* A remap kind's label, and its counters (enum dt_counter). */
static const struct remap_kind {
	const char *name;
	int count, bytes;
} remap_kinds[] = {
	{ "clone", DT_CLONES, DT_CLONE_BYTES },
	{ "clone_range", DT_CLONE_RANGES, DT_CLONE_RANGE_BYTES },
	{ "dedupe", DT_DEDUPES, DT_DEDUPE_BYTES },
	{ "unshare", DT_UNSHARES, DT_UNSHARE_BYTES },
};

/* What one scrape reads, all of it before anything is written. */
struct reading {
	struct dev_rows rows; /* per device, and per cgroup with --cgroup-labels */
	struct dev_rows devices; /* per device */
	struct lat_report lat;
	struct stats_snapshot snap; /* for the totals' health and the skipped runs */
	struct census census; /* --share */
	struct prog_runs programs[MAX_PROGRAMS];
	int nr_programs; /* -1: kernel.bpf_stats_enabled is not 1 */
};

/* The labels of one series, built up left to right. */
struct labels {
	struct prom_label l[MAX_LABELS];
	int n;
	char device[24];
};

static void label(struct labels *labels, const char *name, const char *value)
{
	labels->l[labels->n++] = (struct prom_label){ name, value };
}

/* device, and cgroup when the row has one (with_cgroup: --cgroup-labels and a cgroup row). */
static void row_labels(const struct exporter *ex, const struct dev_row *row, bool with_cgroup,
		       struct labels *labels)
{
	labels->n = 0;
	format_dev(row->key.dev, labels->device, sizeof(labels->device));
	label(labels, "device", labels->device);
	if (with_cgroup)
		label(labels, "cgroup",
		      row->key.cgroup == DT_CGROUP_OTHER ?
			      "other" :
			      cgroup_names_get(ex->cgroups, row->key.cgroup));
}

static bool bpf_stats_enabled(void)
{
	FILE *f = fopen("/proc/sys/kernel/bpf_stats_enabled", "r");
	int enabled = 0;

	if (!f)
		return false;
	if (fscanf(f, "%d", &enabled) != 1)
		enabled = 0;
	fclose(f);
	return enabled == 1;
}

static void reading_free(struct reading *r)
{
	dev_rows_free(&r->rows);
	dev_rows_free(&r->devices);
	lat_report_free(&r->lat);
	stats_snapshot_free(&r->snap);
	census_free(&r->census);
}

static int reading_take(struct exporter *ex, struct reading *r)
{
	struct session *s = ex->session;

	memset(r, 0, sizeof(*r));
	r->nr_programs = -1;
	if (session_read(s, &r->snap) || session_read_devs(s, &r->rows) ||
	    session_read_lat(s, &r->lat))
		goto fail;
	if (ex->opts->share && session_read_census(s, &r->census))
		goto fail;
	if (dev_rows_by_device(&r->rows, &r->devices)) {
		runtime_error("out of memory");
		goto fail;
	}
	if (bpf_stats_enabled()) {
		r->nr_programs = session_read_prog_runs(s, r->programs, MAX_PROGRAMS);
		if (r->nr_programs < 0)
			goto fail;
	}
	if (ex->cgroups) {
		for (int i = 0; i < r->rows.nr; i++)
			if (r->rows.rows[i].key.cgroup != DT_CGROUP_OTHER)
				cgroup_names_want(ex->cgroups, r->rows.rows[i].key.cgroup);
		cgroup_names_resolve(ex->cgroups);
	}
	return 0;
fail:
	reading_free(r);
	return -1;
}

static void write_faults(struct prom_writer *w, const struct exporter *ex, const struct reading *r)
{
	struct labels labels;

	prom_family(w, "daxtrace_faults", PROM_COUNTER,
		    "DAX fault-handler invocations by size, access and result (the first of "
		    "sigbus, fallback, nopage its VM_FAULT bits hold, else other).");
	for (int i = 0; i < r->rows.nr; i++) {
		const struct dev_row *row = &r->rows.rows[i];

		for (int class = 0; class < DT_NR_FAULT_CLASSES; class ++) {
			int size_access = class / DT_NR_FAULT_RESULTS;

			row_labels(ex, row, ex->cgroups, &labels);
			label(&labels, "size", fault_sizes[size_access / 2]);
			label(&labels, "access", fault_accesses[size_access % 2]);
			label(&labels, "result", fault_results[class % DT_NR_FAULT_RESULTS]);
			prom_sample(w, labels.l, labels.n, row->stats.faults[class]);
		}
	}
}

static void write_fallbacks(struct prom_writer *w, const struct exporter *ex,
			    const struct reading *r)
{
	struct labels labels;

	prom_family(w, "daxtrace_pmd_fallbacks", PROM_COUNTER,
		    "PMD faults that fell back to PTEs, by the first check of "
		    "dax_iomap_pmd_fault they failed.");
	for (int i = 0; i < r->devices.nr; i++) {
		for (int reason = 0; reason < DT_NR_FALLBACK_REASONS; reason++) {
			row_labels(ex, &r->devices.rows[i], false, &labels);
			label(&labels, "reason", fallback_reason_names[reason]);
			prom_sample(w, labels.l, labels.n,
				    r->devices.rows[i].stats.stats.fallback_reasons[reason]);
		}
	}
}

/* A counter family with one series per row: rows (per cgroup) or devices. */
/* One counter family from one counter of the rows; a *_NS counter is written in seconds. */
static void write_counter_of(struct prom_writer *w, const struct exporter *ex,
			     const struct dev_rows *rows, bool with_cgroup, const char *name,
			     int counter, bool ns_to_seconds, const char *help)
{
	struct labels labels;

	prom_family(w, name, PROM_COUNTER, help);
	for (int i = 0; i < rows->nr; i++) {
		__u64 value = rows->rows[i].stats.stats.count[counter];

		row_labels(ex, &rows->rows[i], with_cgroup, &labels);
		if (ns_to_seconds)
			prom_sample_double(w, labels.l, labels.n, value / 1e9);
		else
			prom_sample(w, labels.l, labels.n, value);
	}
}

static void write_counter(struct prom_writer *w, const struct exporter *ex,
			  const struct dev_rows *rows, bool with_cgroup, const char *name,
			  int counter, const char *help)
{
	write_counter_of(w, ex, rows, with_cgroup, name, counter, false, help);
}

static void write_remaps(struct prom_writer *w, const struct exporter *ex, const struct reading *r,
			 bool bytes)
{
	struct labels labels;

	prom_family(w, bytes ? "daxtrace_remap_bytes" : "daxtrace_remaps", PROM_COUNTER,
		    bytes ? "Bytes the reflink remaps asked for, by the system call that asked." :
			    "XFS reflink remaps by the system call that asked (FICLONE, "
			    "FICLONERANGE, FIDEDUPERANGE, fallocate UNSHARE_RANGE).");
	for (int i = 0; i < r->devices.nr; i++) {
		const __u64 *count = r->devices.rows[i].stats.stats.count;
		__u64 told = 0;

		for (size_t k = 0; k < sizeof(remap_kinds) / sizeof(remap_kinds[0]); k++) {
			__u64 value = count[bytes ? remap_kinds[k].bytes : remap_kinds[k].count];

			row_labels(ex, &r->devices.rows[i], false, &labels);
			label(&labels, "kind", remap_kinds[k].name);
			prom_sample(w, labels.l, labels.n, value);
			told += value;
		}
		if (bytes)
			continue; /* the bytes of other callers are not told apart */
		row_labels(ex, &r->devices.rows[i], false, &labels);
		label(&labels, "kind", "other");
		prom_sample(w, labels.l, labels.n, count[DT_REMAPS] - told);
	}
}

/* The histogram of kind on dev, or NULL when nothing was timed there yet. */
static const struct dt_lat_hist *find_hist(const struct lat_report *lat, __u32 kind, __u32 dev)
{
	for (int i = 0; i < lat->nr_rows; i++)
		if (lat->rows[i].key.kind == kind && lat->rows[i].key.dev == dev)
			return &lat->rows[i].hist;
	return NULL;
}

static void write_hist(struct prom_writer *w, const struct labels *labels,
		       const struct dt_lat_hist *hist)
{
	static const struct dt_lat_hist empty;

	hist = hist ? hist : &empty;
	prom_histogram_ns(w, labels->l, labels->n, hist->slots, hist->sum_ns);
}

static void write_latencies(struct prom_writer *w, const struct exporter *ex,
			    const struct reading *r)
{
	struct labels labels;

	prom_family(w, "daxtrace_fault_latency_seconds", PROM_HISTOGRAM,
		    "DAX fault-handler latency, from the fs_dax entry tracepoint (or the "
		    "function's entry) to its return, by size and access.");
	for (int i = 0; i < r->devices.nr; i++) {
		for (int kind = DT_LAT_PTE_READ; kind <= DT_LAT_PMD_WRITE; kind++) {
			row_labels(ex, &r->devices.rows[i], false, &labels);
			label(&labels, "size", fault_sizes[(kind - DT_LAT_PTE_READ) / 2]);
			label(&labels, "access", fault_accesses[(kind - DT_LAT_PTE_READ) % 2]);
			write_hist(w, &labels,
				   find_hist(&r->lat, kind, r->devices.rows[i].key.dev));
		}
	}
	prom_family(w, "daxtrace_mkwrite_latency_seconds", PROM_HISTOGRAM,
		    "Latency of the DAX write-protect faults (pfn_mkwrite); page-cache mkwrites "
		    "are counted but not timed.");
	for (int i = 0; i < r->devices.nr; i++) {
		row_labels(ex, &r->devices.rows[i], false, &labels);
		write_hist(w, &labels,
			   find_hist(&r->lat, DT_LAT_MKWRITE, r->devices.rows[i].key.dev));
	}
	prom_family(w, "daxtrace_cow_break_latency_seconds", PROM_HISTOGRAM,
		    "Latency of the DAX faults that broke reflink sharing; breaks by write(2) "
		    "or on the page cache are counted but not timed.");
	for (int i = 0; i < r->devices.nr; i++) {
		row_labels(ex, &r->devices.rows[i], false, &labels);
		write_hist(w, &labels, find_hist(&r->lat, DT_LAT_COW, r->devices.rows[i].key.dev));
	}
}

/* One series per DAX mount, re-read each scrape: mounts come and go. */
static void write_device_info(struct prom_writer *w)
{
	struct mount_table mounts = {};
	struct block_dev_info info;
	char device[24];

	prom_family(w, "daxtrace_device", PROM_INFO,
		    "Each DAX mount: its device (MAJ:MIN, the device label of every other "
		    "family), mount point, filesystem, and the pmem disk and namespace mode.");
	mount_table_load(&mounts, "/proc/self/mountinfo");
	for (int i = 0; i < mounts.nr; i++) {
		const struct mount_entry *m = &mounts.entries[i];

		if (!m->dax)
			continue;
		block_dev_info("/sys", m->dev, &info);
		format_dev(m->dev, device, sizeof(device));
		prom_sample(w,
			    (struct prom_label[]){ { "device", device },
						   { "mountpoint", m->mount_point },
						   { "fstype", m->fs_type },
						   { "pmem", info.name },
						   { "mode", info.mode } },
			    5, 1);
	}
	mount_table_free(&mounts);
}

static void write_health(struct prom_writer *w, const struct exporter *ex, const struct reading *r)
{
	const struct stats_snapshot *snap = &r->snap;
	const struct {
		const char *reason;
		unsigned long long value;
	} lost[] = {
		{ "skipped_run", snap->misses.total.lost },
		{ "map_full", snap->health[DT_HEALTH_MAP_FULL] },
		{ "skipped_timing", snap->misses.total.lat_samples_lost },
		{ "unmatched_timing", snap->health[DT_HEALTH_LAT_UNMATCHED] },
		{ "histogram_full", snap->health[DT_HEALTH_LAT_LOST] },
	};

	prom_family(w, "daxtrace_lost_events", PROM_COUNTER,
		    "Events missing from the counters (skipped_run: program runs the kernel "
		    "skipped; map_full: no row could be made) or from the histograms only "
		    "(skipped_timing, unmatched_timing, histogram_full).");
	for (size_t i = 0; i < sizeof(lost) / sizeof(lost[0]); i++)
		prom_sample(w, (struct prom_label[]){ { "reason", lost[i].reason } }, 1,
			    lost[i].value);
	prom_family(w, "daxtrace_evicted_rows", PROM_COUNTER,
		    "Rows an LRU map dropped (the exporter's device rows are never evicted).");
	prom_sample(w, NULL, 0, snap->evicted);
	prom_family(w, "daxtrace_folded_series", PROM_COUNTER,
		    "cgroups past --max-series, whose events count under the cgroup other.");
	prom_sample(w, NULL, 0, snap->health[DT_HEALTH_FOLDED_CGROUPS]);
	prom_family(w, "daxtrace_probe_attached", PROM_GAUGE,
		    "Each probe point of the attach plan: 1 attached (kind: how), 0 not.");
	for (int i = 0; i < ex->session->plan.nr_choices; i++) {
		const struct plan_choice *c = &ex->session->plan.choices[i];
		bool attached = c->kind != KIND_NONE;

		prom_sample(w,
			    (struct prom_label[]){
				    { "point", c->point->name },
				    { "kind", attached ? probe_kind_name(c->kind) : "none" } },
			    2, attached);
	}
}

static void write_build_info(struct prom_writer *w)
{
	prom_family(w, "daxtrace_build", PROM_INFO,
		    "The daxtrace and libbpf versions, and the kernel release it runs on.");
	prom_sample(w,
		    (struct prom_label[]){ { "version", daxtrace_version() },
					   { "libbpf", daxtrace_libbpf_version() },
					   { "kernel", daxtrace_kernel_release() } },
		    3, 1);
}

static void write_program_runs(struct prom_writer *w, const struct reading *r)
{
	char seconds[32];

	if (r->nr_programs < 0)
		return;
	prom_family(w, "daxtrace_bpf_run_seconds", PROM_COUNTER,
		    "Time each BPF program ran, while kernel.bpf_stats_enabled is 1.");
	for (int i = 0; i < r->nr_programs; i++) {
		struct prom_label program = { "program", r->programs[i].name };

		prom_sample_text(w, &program, 1, prom_seconds(r->programs[i].run_time_ns, seconds));
	}
	prom_family(w, "daxtrace_bpf_runs", PROM_COUNTER,
		    "Runs of each BPF program, while kernel.bpf_stats_enabled is 1.");
	for (int i = 0; i < r->nr_programs; i++)
		prom_sample(w, (struct prom_label[]){ { "program", r->programs[i].name } }, 1,
			    r->programs[i].run_cnt);
}

/*
 * --share: the census of pmem pages by owner (daxtrace-share(8)), of the units associated since
 * start. Reflink shares within one filesystem: a shared unit's device is its owners'.
 */
static void write_share(struct prom_writer *w, const struct reading *r)
{
	static const char *const owners[] = { "1", "2", "3", "4+" };
	const struct census *c = &r->census;
	char device[24];
	__u64 by_owners[4] = {};

	prom_family(w, "daxtrace_shared_pages", PROM_GAUGE,
		    "DAX entries (4 KiB pages, or 2 MiB PMD entries counted once) with two or "
		    "more owning files now.");
	for (int i = 0; i < c->nr_devs; i++) {
		format_dev(c->devs[i].dev, device, sizeof(device));
		prom_sample(w, (struct prom_label[]){ { "device", device } }, 1,
			    c->devs[i].shared_pfns);
	}
	prom_family(w, "daxtrace_shared_pages_peak", PROM_GAUGE,
		    "The most entries shared at once since start, all devices together (the "
		    "kernel-side gauge is one for the machine).");
	prom_sample(w, NULL, 0, c->gauges.shared_peak > 0 ? c->gauges.shared_peak : 0);
	for (int n = 1; n <= CENSUS_MAX_OWNERS; n++)
		by_owners[n < 4 ? n - 1 : 3] += c->owners_hist[n];
	prom_family(w, "daxtrace_page_owners", PROM_GAUGE,
		    "DAX entries by the number of files that own them now.");
	for (int i = 0; i < 4; i++)
		prom_sample(w, (struct prom_label[]){ { "owners", owners[i] } }, 1, by_owners[i]);
	prom_family(w, "daxtrace_share_anomalies", PROM_COUNTER,
		    "Times the census and the kernel's own share count disagreed.");
	prom_sample(w, NULL, 0, c->totals.count[DT_SH_ANOMALIES]);
}

static double seconds_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) + (now.tv_nsec - start->tv_nsec) / 1e9;
}

int exporter_write_metrics(struct exporter *ex, FILE *out, enum prom_format format)
{
	struct prom_writer w;
	struct timespec start;
	struct reading r;

	clock_gettime(CLOCK_MONOTONIC, &start);
	if (reading_take(ex, &r))
		return -1;
	prom_writer_init(&w, out, format);
	write_faults(&w, ex, &r);
	write_fallbacks(&w, ex, &r);
	write_counter(&w, ex, &r.rows, ex->cgroups, "daxtrace_mkwrite", DT_MKWRITE,
		      "Write-protect faults: DAX pfn_mkwrite and page-cache page_mkwrite.");
	write_counter(&w, ex, &r.rows, ex->cgroups, "daxtrace_sync", DT_SYNC,
		      "MAP_SYNC metadata syncs: DAX faults whose result was VM_FAULT_NEEDDSYNC.");
	write_counter_of(&w, ex, &r.rows, ex->cgroups, "daxtrace_sync_seconds", DT_SYNC_NS, true,
			 "Time spent in those syncs (dax_finish_sync_fault; 0 without fentry "
			 "and kprobes).");
	write_counter(&w, ex, &r.rows, ex->cgroups, "daxtrace_cow_breaks", DT_COW,
		      "Writes that broke reflink sharing (copy on write).");
	write_counter(&w, ex, &r.rows, ex->cgroups, "daxtrace_cow_bytes", DT_COW_BYTES,
		      "Bytes of completed copy-on-write (xfs_reflink_end_cow).");
	write_remaps(&w, ex, &r, false);
	write_remaps(&w, ex, &r, true);
	write_counter(&w, ex, &r.devices, false, "daxtrace_writeback_flushes", DT_FLUSHES,
		      "DAX writeback ranges (fsync, msync, the flusher).");
	write_counter(&w, ex, &r.devices, false, "daxtrace_writeback_pages", DT_FLUSH_PAGES,
		      "Pages whose CPU cache lines DAX writeback flushed.");
	write_latencies(&w, ex, &r);
	write_device_info(&w);
	write_health(&w, ex, &r);
	write_build_info(&w);
	write_program_runs(&w, &r);
	if (ex->opts->share)
		write_share(&w, &r);
	prom_family(&w, "daxtrace_scrape_duration_seconds", PROM_GAUGE,
		    "Time this scrape took to read the maps and write everything above.");
	prom_sample_double(&w, NULL, 0, seconds_since(&start));
	prom_end(&w);
	reading_free(&r);
	return 0;
}
