/* SPDX-License-Identifier: GPL-2.0 */
/* daxtrace snoop's output: one text line or one NDJSON object per event, and the summary. */
#ifndef DAXTRACE_SNOOP_RENDER_H
#define DAXTRACE_SNOOP_RENDER_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>

#include "daxtrace_event.h"

struct empty_note;

struct snoop_summary {
	unsigned long long delivered;
	unsigned long long lost; /* ring buffer full, summed over the CPUs */
	int nr_cpus;
	const unsigned long long *lost_per_cpu; /* nr_cpus entries */
	double seconds;
	const struct empty_note *empty; /* no DAX to see: "empty" next to "summary" */
};

void snoop_render_header(FILE *out);

/* since_ns: the CLOCK_MONOTONIC time of attach, so that lines show seconds since then. */
void snoop_render_text(FILE *out, const struct dt_event *ev, __u64 since_ns);
struct json_writer;
void snoop_render_json(struct json_writer *w, const struct dt_event *ev, __u64 since_ns);

/* Text goes to stderr after the stream; JSON is the stream's last object, {"summary":...}. */
void snoop_render_summary(FILE *out, const struct snoop_summary *summary);
void snoop_render_summary_json(struct json_writer *w, const struct snoop_summary *summary);

#endif /* DAXTRACE_SNOOP_RENDER_H */
