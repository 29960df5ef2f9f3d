/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Prometheus exposition formats: text 0.0.4, and OpenMetrics 1.0 for scrapers that ask
 * for it. A family is named as OpenMetrics names it (daxtrace_faults, a counter); the writer
 * adds the suffixes each format wants (daxtrace_faults_total samples in both, and the TYPE line
 * of text 0.0.4 names daxtrace_faults_total), writes HELP and TYPE once per family, escapes
 * label values (which may be paths: any bytes) and ends an OpenMetrics exposition with # EOF.
 *
 * Misuse (a sample outside a family, a second family of one name) is a bug in the caller.
 */
#ifndef DAXTRACE_PROM_WRITER_H
#define DAXTRACE_PROM_WRITER_H

#include <stdio.h>

#include <linux/types.h>

#include "daxtrace.h"

enum prom_format {
	PROM_TEXT, /* text/plain; version=0.0.4 */
	PROM_OPENMETRICS, /* application/openmetrics-text; version=1.0.0 */
};

enum prom_type {
	PROM_COUNTER, /* samples NAME_total */
	PROM_GAUGE,
	PROM_HISTOGRAM, /* samples NAME_bucket{le}, NAME_sum, NAME_count */
	PROM_INFO, /* samples NAME_info, value 1; a gauge in text 0.0.4 */
};

struct prom_label {
	const char *name;
	const char *value;
};

struct prom_writer {
	FILE *out;
	enum prom_format format;
	const char *family;
	enum prom_type type;
};

void prom_writer_init(struct prom_writer *w, FILE *out, enum prom_format format);

/* The Content-Type of the format, for the HTTP response. */
const char *prom_content_type(enum prom_format format);

/* Starts a family: its HELP (escaped) and TYPE lines. */
void prom_family(struct prom_writer *w, const char *name, enum prom_type type, const char *help);

/* One sample of the current counter, gauge or info family. */
void prom_sample(struct prom_writer *w, const struct prom_label *labels, int nr_labels,
		 unsigned long long value);
/* A gauge's sample that is not a whole number. */
void prom_sample_double(struct prom_writer *w, const struct prom_label *labels, int nr_labels,
			double value);

/* A sample whose value is already text (prom_seconds). */
void prom_sample_text(struct prom_writer *w, const struct prom_label *labels, int nr_labels,
		      const char *value);

/*
 * One series of the current histogram family from log2 latency slots (output/hist.h): a bucket
 * for each slot's upper bound, hist_slot_hi() ns, exact as seconds (a slot's samples are whole
 * ns below 2^(slot+1)), the last slot only in +Inf; _sum from sum_ns; _count the samples.
 */
void prom_histogram_ns(struct prom_writer *w, const struct prom_label *labels, int nr_labels,
		       const __u64 slots[DT_LAT_SLOTS], __u64 sum_ns);

/* The end of the exposition: # EOF in OpenMetrics, nothing in text 0.0.4. */
void prom_end(struct prom_writer *w);

/* ns as seconds, exactly ("0.000001023", "12.5"), into buf of at least 32 bytes. */
const char *prom_seconds(__u64 ns, char *buf);

#endif /* DAXTRACE_PROM_WRITER_H */
