/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A record's runs as metrics (docs/daxtrace-record.5, "Metric names"): every number leaf under
 * a run's "views", named by its object keys joined with '.', plus the run's "wall_s". A key is
 * written in double quotes, with JSON's escapes for '"', '\' and control characters, when it
 * holds '.', '"', ' ' or '\', or is empty: top.files."data/a.img".cow. Arrays (histogram slots,
 * owner counts, stacks) are not metrics. A metric is a timing when its last key ends in "_ns"
 * or "_s" (lat.pte-read.p50_ns, wall_s), an exact count otherwise.
 */
#ifndef DAXTRACE_RECORD_METRICS_H
#define DAXTRACE_RECORD_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_object;

struct record_metric {
	char *name;
	double value; /* every metric */
	uint64_t count; /* an integer's exact value (integer) */
	bool integer; /* written as an integer (counts always are, record_file.h) */
	bool timing;
};

struct record_metrics {
	struct record_metric *items; /* sorted by name (strcmp), names unique */
	size_t nr;
};

/*
 * The metrics of one run of a loaded record (record_load checked it). 0, or -ENOMEM with
 * nothing kept.
 */
int record_metrics_of_run(const struct json_object *run, struct record_metrics *metrics);

void record_metrics_free(struct record_metrics *metrics);

/*
 * Appends key to *name (length *len, room *size, grown with realloc) as one part of a metric
 * name: ".key", or "key" when *len is 0, quoted as above. 0, or -ENOMEM (name unchanged).
 */
int record_name_append(char **name, size_t *len, size_t *size, const char *key);

/*
 * Whether the metric name matches glob (fnmatch(3), no flags): the whole name, or any suffix
 * that starts after one of its '.' separators (not a '.' inside a quoted key): "mkwrite" matches
 * top.total.mkwrite and top.files."a.img".mkwrite, "total.*" matches top.total.cow.
 */
bool record_metric_matches(const char *name, const char *glob);

#endif /* DAXTRACE_RECORD_METRICS_H */
