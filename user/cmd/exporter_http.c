// SPDX-License-Identifier: GPL-2.0
/*
 * The exporter's HTTP side, on libmicrohttpd: one internal thread polls every connection
 * (poll(2), not epoll: see http_server_start), so a slow or idle client holds a connection
 * slot, never the thread; each has a bounded buffer (a request line or headers beyond it get
 * 414 or 431) and a timeout, and the slots are limited. GET or HEAD of / and /metrics; other paths 404, other methods 405.
 * Without MHD_USE_ERROR_LOG libmicrohttpd logs nothing: a bad request is the client's problem,
 * and one log line each would let any client flood the service's log.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "cmd/exporter.h"
#include "output/log_line.h"

/* Slots: room for a few Prometheus servers and a crowd of idle or hostile clients. */
#define HTTP_CONNECTIONS 128
/* An idle or stalled connection is closed after this: it frees its slot. */
#define HTTP_TIMEOUT_S 10
/* Per connection, for the request line and headers: Prometheus sends some 400 bytes. */
#define HTTP_MEMORY (16 * 1024)

struct http_server {
	struct MHD_Daemon *daemon;
	struct exporter *ex;
};

static const char index_page[] =
	"<!DOCTYPE html>\n<html><head><title>daxtrace exporter</title></head>\n"
	"<body><h1>daxtrace exporter</h1>\n"
	"<p>DAX faults, mkwrite, reflink copy-on-write and writeback per device, for "
	"Prometheus.</p>\n<p><a href=\"/metrics\">Metrics</a></p>\n</body></html>\n";

static enum MHD_Result respond(struct MHD_Connection *connection, unsigned int status,
			       const char *type, void *body, size_t len,
			       enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *response = MHD_create_response_from_buffer(len, body, mode);
	enum MHD_Result result;

	if (!response) {
		if (mode == MHD_RESPMEM_MUST_FREE)
			free(body);
		return MHD_NO; /* out of memory: libmicrohttpd closes the connection */
	}
	MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(response, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	result = MHD_queue_response(connection, status, response);
	MHD_destroy_response(response);
	return result;
}

static enum MHD_Result respond_text(struct MHD_Connection *connection, unsigned int status,
				    const char *text)
{
	return respond(connection, status, "text/plain; charset=utf-8", (void *)text, strlen(text),
		       MHD_RESPMEM_PERSISTENT);
}

/* OpenMetrics when the scraper lists it in Accept (Prometheus does, first). */
static enum prom_format wanted_format(struct MHD_Connection *connection)
{
	const char *accept =
		MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);

	return accept && strstr(accept, "application/openmetrics-text") ? PROM_OPENMETRICS :
									  PROM_TEXT;
}

static enum MHD_Result serve_metrics(struct MHD_Connection *connection, struct exporter *ex)
{
	enum prom_format format = wanted_format(connection);
	char *body = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&body, &len);
	int err;

	if (!out)
		return respond_text(connection, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n");
	pthread_mutex_lock(&ex->lock);
	err = exporter_write_metrics(ex, out, format);
	pthread_mutex_unlock(&ex->lock);
	if (fclose(out) || err) {
		free(body);
		return respond_text(connection, MHD_HTTP_INTERNAL_SERVER_ERROR,
				    "reading the counters failed: see the exporter's log\n");
	}
	return respond(connection, MHD_HTTP_OK, prom_content_type(format), body, len,
		       MHD_RESPMEM_MUST_FREE);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *connection, const char *url,
			      const char *method, const char *version, const char *upload_data,
			      size_t *upload_data_size, void **request)
{
	struct http_server *server = cls;

	(void)version;
	(void)upload_data;
	(void)upload_data_size;
	(void)request;
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return respond_text(connection, MHD_HTTP_METHOD_NOT_ALLOWED,
				    "method not allowed: GET or HEAD\n");
	if (!strcmp(url, "/metrics"))
		return serve_metrics(connection, server->ex);
	if (!strcmp(url, "/"))
		return respond(connection, MHD_HTTP_OK, "text/html; charset=utf-8",
			       (void *)index_page, sizeof(index_page) - 1, MHD_RESPMEM_PERSISTENT);
	return respond_text(connection, MHD_HTTP_NOT_FOUND, "not found: try /metrics\n");
}

/*
 * libmicrohttpd decodes the path in place and hands the handler a C string, so "%00" ends it
 * early: "/metrics%00" and "/metrics%00.php" were served as /metrics. A path with an escaped NUL
 * stays undecoded and matches nothing (404).
 */
static size_t unescape_path(void *cls, struct MHD_Connection *connection, char *text)
{
	(void)cls;
	(void)connection;
	for (const char *p = text; (p = strchr(p, '%')); p++)
		if (p[1] == '0' && p[2] == '0')
			return strlen(text);
	return MHD_http_unescape(text);
}

struct http_server *http_server_start(int fd, struct exporter *ex)
{
	struct http_server *server = calloc(1, sizeof(*server));

	if (!server) {
		log_line("error", "out of memory", NULL);
		return NULL;
	}
	server->ex = ex;
	/*
	 * poll, not the epoll that MHD_USE_AUTO picks on Linux: with epoll, libmicrohttpd 0.9.75
	 * often missed the end of a stream that came with the data of a request cut short (its
	 * edge-triggered events), and kept such a connection in CLOSE-WAIT until the timeout:
	 * a client sending such requests filled the HTTP_CONNECTIONS slots, and a scrape waited
	 * 1.9 s for one (tests/e2e/host/exporter-clients.sh under ASan). poll(2) over at most
	 * HTTP_CONNECTIONS descriptors costs nothing here.
	 */
	server->daemon =
		MHD_start_daemon(MHD_USE_POLL_INTERNAL_THREAD, 0, NULL, NULL, handle, server,
				 MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_CONNECTION_LIMIT,
				 (unsigned int)HTTP_CONNECTIONS, MHD_OPTION_CONNECTION_TIMEOUT,
				 (unsigned int)HTTP_TIMEOUT_S, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
				 (size_t)HTTP_MEMORY, MHD_OPTION_UNESCAPE_CALLBACK, unescape_path,
				 NULL, MHD_OPTION_END);
	if (!server->daemon) {
		log_line("error", "cannot start the HTTP server", "error", strerror(errno), NULL);
		free(server);
		return NULL;
	}
	return server;
}

void http_server_stop(struct http_server *server)
{
	if (!server)
		return;
	MHD_stop_daemon(server->daemon);
	free(server);
}
