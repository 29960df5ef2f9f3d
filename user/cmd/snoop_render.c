// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "cmd/snoop_render.h"
#include "engine/empty_note.h"
#include "engine/block_dev.h"
#include "engine/counters.h"
#include "engine/event_names.h"
#include "output/format.h"
#include "output/json_writer.h"
#include "output/text_line.h"

static const char *access_of(const struct dt_event *ev)
{
	if (!ev->fault_flags)
		return NULL;
	return ev->fault_flags & DT_FAULT_FLAG_WRITE ? "w" : "r";
}

/*
 * A DAX fault handler's record, or a MAP_SYNC sync's, which finishes such a fault: both have
 * the address, the size (pte or pmd), the access and a VM_FAULT_* result.
 */
static bool fault_fields(const struct dt_event *ev)
{
	return ev->dax_fault || ev->type == DT_EV_SYNC;
}

/* RESULT: the fault's VM_FAULT_* bits and why a PMD fault fell back, or the remap's kind. */
static void format_result(const struct dt_event *ev, char *buf, size_t size)
{
	size_t used;

	if (ev->type == DT_EV_REMAP) {
		snprintf(buf, size, "%s", remap_kind_names[ev->remap_kind % DT_NR_REMAP_KINDS]);
	} else if (!fault_fields(ev)) {
		snprintf(buf, size, "-");
	} else {
		format_fault_result(ev->result, buf, size);
		used = strlen(buf);
		if (ev->fallback_reason < DT_NR_FALLBACK_REASONS && used < size)
			snprintf(buf + used, size - used, "(%s)",
				 fallback_reason_names[ev->fallback_reason]);
		else if (ev->pte_reason < DT_NR_NO_PMD_REASONS && used < size)
			snprintf(buf + used, size - used, "(nopmd-%s)",
				 pte_reason_names[ev->pte_reason]);
	}
}

static const char *fault_size_name(const struct dt_event *ev)
{
	return ev->pud ? "pud" : ev->pmd ? "pmd" : "pte";
}

/*
 * A device DAX record's device name ("dax0.0"), from sysfs once per device: a readlink per
 * record would cost more than the line. A run past the cache's devices reads sysfs again.
 */
#define NAME_CACHE 8
static const char *devdax_name(__u32 dev)
{
	static struct {
		__u32 dev;
		bool set;
		char name[64];
	} cache[NAME_CACHE];
	int i;

	for (i = 0; i < NAME_CACHE && cache[i].set; i++)
		if (cache[i].dev == dev)
			return cache[i].name;
	if (i == NAME_CACHE)
		i = dev % NAME_CACHE;
	cache[i].dev = dev;
	cache[i].set = true;
	char_dev_name("/sys", dev, cache[i].name, sizeof(cache[i].name));
	return cache[i].name;
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

/* The columns of snoop_render_header, built without printf: a line must cost well under 1 µs. */
void snoop_render_text(FILE *out, const struct dt_event *ev, __u64 since_ns)
{
	const char *access = access_of(ev);
	struct text_line l = {}, dev = {};
	char result[160];

	line_fixed(&l, (ev->time_ns - since_ns) / 1000, 6, -11);
	line_str(&l, " ", 0, 0);
	line_uint(&l, ev->tgid, -7);
	line_str(&l, " ", 0, 0);
	line_str(&l, ev->comm, -16, 16);
	line_str(&l, " ", 0, 0);
	line_str(&l, event_type_names[ev->type % DT_NR_EVENT_TYPES], -9, 0);
	line_str(&l, " ", 0, 0);
	if (ev->devdax) {
		line_str(&l, devdax_name(ev->dev), -7, 0);
	} else {
		line_uint(&dev, DT_MAJOR(ev->dev), 0);
		line_str(&dev, ":", 0, 0);
		line_uint(&dev, DT_MINOR(ev->dev), 0);
		line_str(&l, line_text(&dev), -7, 0);
	}
	line_str(&l, " ", 0, 0);
	line_uint(&l, ev->ino, -9);
	line_str(&l, " ", 0, 0);
	if (page_known(ev))
		line_uint(&l, ev->pgoff, 8);
	else
		line_str(&l, "-", 8, 0);
	line_str(&l, " ", 0, 0);
	if (fault_fields(ev))
		line_hex(&l, ev->address, -14);
	else
		line_str(&l, "-", -14, 0);
	line_str(&l, " ", 0, 0);
	if (fault_fields(ev))
		line_str(&l, fault_size_name(ev), 8, 0);
	else
		line_uint(&l, ev->bytes, 8);
	line_str(&l, " ", 0, 0);
	line_str(&l, access ? access : "-", -2, 0);
	line_str(&l, " ", 0, 0);
	format_result(ev, result, sizeof(result));
	line_str(&l, result, -24, 0);
	line_str(&l, " ", 0, 0);
	if (ev->latency_ns)
		line_fixed(&l, ev->latency_ns, 3, 9);
	else
		line_str(&l, "-", 9, 0);
	line_write(&l, out);
}

void snoop_render_json(struct json_writer *w, const struct dt_event *ev, __u64 since_ns)
{
	const char *access = access_of(ev);
	char dev[32], result[160];
	bool fault = fault_fields(ev);

	format_dev(ev->dev, dev, sizeof(dev));
	format_fault_result(ev->result, result, sizeof(result));
	json_object_begin(w);
	json_kv_double(w, "time", (double)(ev->time_ns - since_ns) / 1e9);
	json_kv_uint(w, "pid", ev->tgid);
	json_kv_uint(w, "tid", ev->tid);
	json_kv_name(w, "comm", ev->comm);
	json_kv_string(w, "event", event_type_names[ev->type % DT_NR_EVENT_TYPES]);
	json_kv_string(w, "dev", dev);
	json_kv_uint(w, "ino", ev->ino);
	json_kv_string(w, "device", ev->devdax ? devdax_name(ev->dev) : NULL);
	if (page_known(ev))
		json_kv_uint(w, "pgoff", ev->pgoff);
	else
		json_kv_string(w, "pgoff", NULL);
	if (fault)
		json_kv_uint(w, "address", ev->address);
	else
		json_kv_string(w, "address", NULL);
	json_kv_string(w, "size", fault ? fault_size_name(ev) : NULL);
	json_kv_uint(w, "bytes", ev->bytes);
	json_kv_string(w, "rw", access);
	json_kv_string(w, "result", fault ? result : NULL);
	json_kv_string(w, "fallback_reason",
		       ev->fallback_reason < DT_NR_FALLBACK_REASONS ?
			       fallback_reason_names[ev->fallback_reason] :
			       NULL);
	json_kv_string(w, "pte_reason",
		       ev->pte_reason < DT_NR_NO_PMD_REASONS ? pte_reason_names[ev->pte_reason] :
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
	if (summary->empty)
		empty_note_json(w, summary->empty);
	json_object_end(w);
}
