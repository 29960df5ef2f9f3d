// SPDX-License-Identifier: GPL-2.0
#include "cmd/snoop_render.h"
#include "engine/counters.h"
#include "engine/event_names.h"
#include "output/format.h"
#include "output/json_writer.h"

static const char *access_of(const struct dt_event *ev)
{
	if (!ev->fault_flags)
		return NULL;
	return ev->fault_flags & DT_FAULT_FLAG_WRITE ? "w" : "r";
}

/* RESULT: the fault's VM_FAULT_* bits and why a PMD fault fell back, or the remap's kind. */
static void format_result(const struct dt_event *ev, char *buf, size_t size)
{
	if (ev->type == DT_EV_REMAP) {
		snprintf(buf, size, "%s", remap_kind_names[ev->remap_kind % DT_NR_REMAP_KINDS]);
	} else if (ev->dax_fault) {
		char flags[128];

		format_fault_result(ev->result, flags, sizeof(flags));
		if (ev->fallback_reason < DT_NR_FALLBACK_REASONS)
			snprintf(buf, size, "%s(%s)", flags,
				 fallback_reason_names[ev->fallback_reason]);
		else
			snprintf(buf, size, "%s", flags);
	} else {
		snprintf(buf, size, "-");
	}
}

/* XFS traces a page-cache write fault's start only, without its address or page. */
static bool page_known(const struct dt_event *ev)
{
	return ev->dax_fault || ev->type != DT_EV_MKWRITE;
}

void snoop_render_header(FILE *out)
{
	fprintf(out, "%-11s %-7s %-16s %-9s %-7s %-9s %8s %-14s %8s %-2s %-24s %9s\n", "TIME(s)",
		"PID", "COMM", "EVENT", "DEV", "INO", "PGOFF", "ADDRESS", "SIZE", "RW", "RESULT",
		"LAT(us)");
}

void snoop_render_text(FILE *out, const struct dt_event *ev, __u64 since_ns)
{
	char dev[32], pgoff[24], address[24], size[24], result[160], latency[24];
	const char *access = access_of(ev);

	format_dev(ev->dev, dev, sizeof(dev));
	snprintf(pgoff, sizeof(pgoff), "-");
	if (page_known(ev))
		snprintf(pgoff, sizeof(pgoff), "%llu", (unsigned long long)ev->pgoff);
	snprintf(address, sizeof(address), "-");
	if (ev->dax_fault)
		snprintf(address, sizeof(address), "0x%llx", (unsigned long long)ev->address);
	if (ev->dax_fault)
		snprintf(size, sizeof(size), "%s", ev->pmd ? "pmd" : "pte");
	else
		snprintf(size, sizeof(size), "%llu", (unsigned long long)ev->bytes);
	format_result(ev, result, sizeof(result));
	snprintf(latency, sizeof(latency), "-");
	if (ev->latency_ns)
		snprintf(latency, sizeof(latency), "%.3f", ev->latency_ns / 1e3);
	fprintf(out, "%-11.6f %-7u %-16.16s %-9s %-7s %-9llu %8s %-14s %8s %-2s %-24s %9s\n",
		(double)(ev->time_ns - since_ns) / 1e9, ev->tgid, ev->comm,
		event_type_names[ev->type % DT_NR_EVENT_TYPES], dev, (unsigned long long)ev->ino,
		pgoff, address, size, access ? access : "-", result, latency);
}

void snoop_render_json(struct json_writer *w, const struct dt_event *ev, __u64 since_ns)
{
	const char *access = access_of(ev);
	char dev[32], result[160];
	bool fault = ev->dax_fault;

	format_dev(ev->dev, dev, sizeof(dev));
	format_fault_result(ev->result, result, sizeof(result));
	json_object_begin(w);
	json_kv_double(w, "time", (double)(ev->time_ns - since_ns) / 1e9);
	json_kv_uint(w, "pid", ev->tgid);
	json_kv_uint(w, "tid", ev->tid);
	json_kv_string(w, "comm", ev->comm);
	json_kv_string(w, "event", event_type_names[ev->type % DT_NR_EVENT_TYPES]);
	json_kv_string(w, "dev", dev);
	json_kv_uint(w, "ino", ev->ino);
	if (page_known(ev))
		json_kv_uint(w, "pgoff", ev->pgoff);
	else
		json_kv_string(w, "pgoff", NULL);
	if (ev->dax_fault)
		json_kv_uint(w, "address", ev->address);
	else
		json_kv_string(w, "address", NULL);
	json_kv_string(w, "size", fault ? (ev->pmd ? "pmd" : "pte") : NULL);
	json_kv_uint(w, "bytes", ev->bytes);
	json_kv_string(w, "rw", access);
	json_kv_string(w, "result", fault ? result : NULL);
	json_kv_string(w, "fallback_reason",
		       ev->fallback_reason < DT_NR_FALLBACK_REASONS ?
			       fallback_reason_names[ev->fallback_reason] :
			       NULL);
	json_kv_string(w, "remap",
		       ev->type == DT_EV_REMAP ?
			       remap_kind_names[ev->remap_kind % DT_NR_REMAP_KINDS] :
			       NULL);
	if (ev->latency_ns)
		json_kv_uint(w, "latency_ns", ev->latency_ns);
	else
		json_kv_string(w, "latency_ns", NULL);
	json_object_end(w);
}

void snoop_render_summary(FILE *out, const struct snoop_summary *summary)
{
	fprintf(out, "daxtrace snoop: %llu events delivered, %llu lost in %.3f s\n",
		summary->delivered, summary->lost, summary->seconds);
}

void snoop_render_summary_json(struct json_writer *w, const struct snoop_summary *summary)
{
	json_object_begin(w);
	json_key(w, "summary");
	json_object_begin(w);
	json_kv_uint(w, "delivered", summary->delivered);
	json_kv_uint(w, "lost", summary->lost);
	json_key(w, "lost_per_cpu");
	json_array_begin(w);
	for (int cpu = 0; cpu < summary->nr_cpus; cpu++)
		json_uint(w, summary->lost_per_cpu[cpu]);
	json_array_end(w);
	json_kv_double(w, "seconds", summary->seconds);
	json_object_end(w);
	json_object_end(w);
}
