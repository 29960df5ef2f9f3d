/* SPDX-License-Identifier: GPL-2.0 */
/*
 * daxtrace exporter: the counters of top, cow and lat per device, cumulative since start, for
 * Prometheus. exporter.c runs the service (options, privileges, logs, lifecycle),
 * exporter_http.c serves HTTP, exporter_metrics.c writes one exposition per scrape.
 */
#ifndef DAXTRACE_EXPORTER_H
#define DAXTRACE_EXPORTER_H

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/socket.h>

#include "engine/options.h"
#include "output/prom_writer.h"

/* Not in the Prometheus wiki's list, whose 9100-9999 range is all taken since 2023. */
#define EXPORTER_DEFAULT_PORT 9795

struct exporter_opts {
	struct common_opts common;
	struct sockaddr_storage listen;
	socklen_t listen_len;
	const char *listen_text;
	bool cgroup_labels;
	unsigned int max_series;
	bool share;
};

struct cgroup_names;
struct session;

struct exporter {
	const struct exporter_opts *opts;
	struct session *session;
	struct cgroup_names *cgroups; /* --cgroup-labels */
	pthread_mutex_t lock; /* one collection at a time */
};

/* One exposition of every metric into out. 0, or -1 after logging what failed. */
int exporter_write_metrics(struct exporter *ex, FILE *out, enum prom_format format);

struct http_server;

/* Serves ex on the bound, listening socket fd (taken over). NULL after logging why not. */
struct http_server *http_server_start(int fd, struct exporter *ex);
void http_server_stop(struct http_server *server);

#endif /* DAXTRACE_EXPORTER_H */
