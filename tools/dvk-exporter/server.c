// SPDX-License-Identifier: GPL-2.0
/*
 * server.c - dvk-exporter's HTTP side, on libmicrohttpd: GET/HEAD of
 * /metrics (a fresh sample each time) and of / (a page naming /metrics).
 *
 * One thread: the daemon runs with MHD_USE_INTERNAL_POLLING_THREAD alone
 * (no thread per connection, no pool), so every request is answered in
 * that one thread, one after the other.  That makes "one data refresh at a
 * time" hold without a lock (the source and the model are not thread-safe)
 * and bounds the work a flood of scrapes can cause to one CPU.  Requests
 * are hostile: other methods get 405, a request body 400, the connection
 * count, per-IP count, request memory and idle time are limited
 * (server_start), and the body we send is bounded by the model's fixed
 * row limits and --max-endpoints.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <microhttpd.h>
#include "exporter.h"
#include "dvktop.h"

static const char index_page[] =
	"<!DOCTYPE html>\n<html><head><title>dvk-exporter</title></head><body>\n"
	"<h1>dvk-exporter</h1>\n<p>DVK metrics for Prometheus: <a href=\"/metrics\">/metrics</a>"
	" (docs/metrics.md, man dvk-exporter).</p>\n</body></html>\n";

static uint64_t cpu_ns(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		return 0;
	return (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000ull +
	       (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000ull;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int status, const char *type,
			     char *body, size_t len, enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body, mode);
	enum MHD_Result ret;

	if (!r) {
		if (mode == MHD_RESPMEM_MUST_FREE)
			free(body);
		return MHD_NO;	/* MHD closes the connection */
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result text(struct MHD_Connection *c, unsigned int status, const char *msg)
{
	return reply(c, status, "text/plain; charset=utf-8", (char *)msg, strlen(msg),
		     MHD_RESPMEM_PERSISTENT);
}

/* A new sample into the model, then the exposition; NULL on failure. */
static char *render(struct exporter *e, enum dvk_expo_format fmt, size_t *len)
{
	uint64_t t0 = dvktop_now_ns();
	struct dvk_expo_meta meta;
	char *buf = NULL;
	FILE *f;
	int rc;

	rc = e->src.ops->sample(&e->src, e->sample);
	if (rc == 0) {
		dvk_model_update(e->model, e->sample);
	} else if (rc != -ENODATA || e->model->nsamples == 0) {
		fprintf(stderr, "dvk-exporter: sample failed: %s\n", e->src.err);
		return NULL;
	}	/* else the end of a --replay recording: its last sample again */
	meta.scrapes = ++e->scrapes;
	meta.sample_ns = dvktop_now_ns() - t0;
	meta.cpu_ns = cpu_ns();
	meta.max_endpoints = e->max_endpoints;
	f = open_memstream(&buf, len);
	if (!f)
		return NULL;
	if (dvk_expo_write(f, e->model, fmt, &meta)) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	return buf;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload_data,
			      size_t *upload_data_size, void **req_cls)
{
	struct exporter *e = cls;
	enum dvk_expo_format fmt;
	size_t len = 0;
	char *body;

	(void)version;
	(void)upload_data;
	(void)upload_data_size;
	(void)req_cls;
	/* answered on the first call, before any body is read */
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD\n");
	if (MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH) ||
	    MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING))
		return text(c, MHD_HTTP_BAD_REQUEST, "no request body expected\n");
	if (!strcmp(url, "/"))
		return reply(c, MHD_HTTP_OK, "text/html; charset=utf-8", (char *)index_page,
			     sizeof(index_page) - 1, MHD_RESPMEM_PERSISTENT);
	if (strcmp(url, "/metrics"))
		return text(c, MHD_HTTP_NOT_FOUND, "not found: see /metrics\n");
	fmt = dvk_expo_negotiate(MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							     MHD_HTTP_HEADER_ACCEPT));
	body = render(e, fmt, &len);
	if (!body)
		return text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "cannot read the DVK statistics\n");
	return reply(c, MHD_HTTP_OK, dvk_expo_content_type(fmt), body, len, MHD_RESPMEM_MUST_FREE);
}

int server_start(struct exporter *e, int listen_fd)
{
	e->daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0,
				     NULL, NULL, handle, e,
				     MHD_OPTION_LISTEN_SOCKET, listen_fd,
				     MHD_OPTION_CONNECTION_LIMIT, (unsigned int)64,
				     MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)16,
				     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)16384,
				     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)10,
				     MHD_OPTION_END);
	if (!e->daemon) {
		fprintf(stderr, "dvk-exporter: cannot start the HTTP server (libmicrohttpd)\n");
		return -1;
	}
	return 0;
}

void server_stop(struct exporter *e)
{
	if (e->daemon)
		MHD_stop_daemon(e->daemon);
	e->daemon = NULL;
}
