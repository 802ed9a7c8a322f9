// SPDX-License-Identifier: GPL-2.0
/*
 * model_endpoints.c - the model of the Bind waits section and of the
 * Endpoints view: parsing debugfs dvk/bindwaits and dvk/endpoints, joining
 * the endpoints with the epstats BPF entries, sorting and filtering.
 * Pure C, like model.c (tests/unit/test_model.c links both).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"
#include "model_util.h"

static int bindwait_cmp(const void *a, const void *b)
{
	const struct dvk_bindwait_row *x = a, *y = b;

	if (x->waited_ms != y->waited_ms)
		return x->waited_ms < y->waited_ms ? 1 : -1;
	return x->pid - y->pid;
}

/*
 * dvk_bindwaits_parse - see model.h.  The kernel prints fixed columns
 * ("%7d %-16.16s %4d %-6s %6s %10llu %10ld", docs/proc-debugfs.md); the
 * command name may hold spaces, so it is cut by column, the rest by fields.
 */
int dvk_bindwaits_parse(const char *text, struct dvk_bindwait_row *rows, int max, int *kept)
{
	const char *line = text;
	int total = 0, n = 0;

	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		struct dvk_bindwait_row r;
		char buf[160], oper[16], target[16];
		unsigned long long waited;
		long long timeout;
		char *after;
		int i;

		snprintf(buf, sizeof(buf), "%.*s", (int)len, line);
		line = end ? end + 1 : NULL;
		memset(&r, 0, sizeof(r));
		r.pid = (int32_t)strtol(buf, &after, 10);
		if (after == buf || r.pid <= 0 || len < 25 || buf[7] != ' ')
			continue;	/* the header or garbage */
		memcpy(r.comm, buf + 8, 16);
		r.comm[16] = '\0';
		for (i = 15; i >= 0 && r.comm[i] == ' '; i--)
			r.comm[i] = '\0';
		if (sscanf(buf + 24, "%d %15s %15s %llu %lld", &r.dcid, oper, target, &waited,
			   &timeout) != 5)
			continue;
		if (!strcmp(oper, "bind"))
			r.oper = WAIT_BIND;
		else if (!strcmp(oper, "unbind"))
			r.oper = WAIT_UNBIND;
		else
			continue;
		r.target = strcmp(target, "SELF") ? (int32_t)strtol(target, NULL, 10) : SELF;
		r.waited_ms = waited;
		r.timeout_ms = timeout;
		total++;
		if (n < max)
			rows[n++] = r;
		else if (max > 0 && r.waited_ms > rows[max - 1].waited_ms)
			rows[max - 1] = r;	/* keep the longest waits */
		if (n > 1)
			qsort(rows, (size_t)n, sizeof(*rows), bindwait_cmp);
	}
	if (kept)
		*kept = n;
	return total;
}

/* ------------------------------------------------------------------ */
/* The Endpoints view                                                   */
/* ------------------------------------------------------------------ */
static int epstat_key_cmp(int32_t d1, int32_t e1, int32_t d2, int32_t e2)
{
	if (d1 != d2)
		return d1 < d2 ? -1 : 1;
	return e1 < e2 ? -1 : e1 > e2 ? 1 : 0;
}

static int epstat_cmp(const void *a, const void *b)
{
	const struct dvk_epstat *x = a, *y = b;

	return epstat_key_cmp(x->dcid, x->ep, y->dcid, y->ep);
}

static const struct dvk_epstat *epstat_find(const struct dvk_sample *s, int32_t dcid, int32_t ep)
{
	int lo = 0, hi = s->nepstats - 1;

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		int c = epstat_key_cmp(s->epstats[mid].dcid, s->epstats[mid].ep, dcid, ep);

		if (c == 0)
			return &s->epstats[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

int dvk_ep_rows_compute(struct dvk_sample *prev, struct dvk_sample *cur,
			struct dvk_ep_row rows[DVK_MAX_ENDPOINTS])
{
	double interval = 0;
	int n = 0;

	if (!cur)
		return 0;
	if (prev && cur->time_ns > prev->time_ns)
		interval = (double)(cur->time_ns - prev->time_ns) / 1e9;
	if (cur->nepstats > 1)
		qsort(cur->epstats, (size_t)cur->nepstats, sizeof(cur->epstats[0]), epstat_cmp);
	if (prev && prev->nepstats > 1)
		qsort(prev->epstats, (size_t)prev->nepstats, sizeof(prev->epstats[0]), epstat_cmp);

	for (int i = 0; i < cur->nendpoints && n < DVK_MAX_ENDPOINTS; i++) {
		const struct dvk_endpoint *e = &cur->endpoints[i];
		const struct dvk_epstat *c = epstat_find(cur, e->dcid, e->ep);
		struct dvk_ep_row *r = &rows[n++];

		memset(r, 0, sizeof(*r));
		r->e = *e;
		if (!c)
			continue;
		r->has_stats = 1;
		r->sent = c->sent;
		r->received = c->received;
		r->max_wait_ns = c->wait_max_ns;
		if (c->received)
			r->avg_wait_ns = c->wait_total_ns / c->received;
		if (interval > 0) {
			const struct dvk_epstat *p = epstat_find(prev, e->dcid, e->ep);

			r->out_rate = (double)delta(c->sent, p ? p->sent : 0) / interval;
			r->in_rate = (double)delta(c->received, p ? p->received : 0) / interval;
		}
	}
	return n;
}

static int ep_identity(const void *pa, const void *pb)
{
	const struct dvk_ep_row *a = pa, *b = pb;

	return epstat_key_cmp(a->e.dcid, a->e.ep, b->e.dcid, b->e.ep);
}

#define EP_CMP(fn, expr)						\
static int fn(const void *pa, const void *pb)				\
{									\
	const struct dvk_ep_row *a = pa, *b = pb;			\
									\
	return expr;							\
}
EP_CMP(ep_by_queue, -dvk_cmp_int_asc(a->e.queue, b->e.queue))
EP_CMP(ep_by_oldest, -dvk_cmp_int_asc(a->e.oldest_ms, b->e.oldest_ms))
EP_CMP(ep_by_rate, dvk_cmp_dbl_desc(a->in_rate + a->out_rate, b->in_rate + b->out_rate))
EP_CMP(ep_by_in, dvk_cmp_dbl_desc(a->in_rate, b->in_rate))
EP_CMP(ep_by_out, dvk_cmp_dbl_desc(a->out_rate, b->out_rate))
EP_CMP(ep_by_wait, dvk_cmp_u64_desc(a->avg_wait_ns, b->avg_wait_ns))
EP_CMP(ep_by_copied, dvk_cmp_u64_desc(a->e.bytes_copied, b->e.bytes_copied))
EP_CMP(ep_by_name, strcmp(a->e.name, b->e.name))
#undef EP_CMP

static int ep_match(const void *row, const char *filter)
{
	return contains_nocase(((const struct dvk_ep_row *)row)->e.name, filter);
}

static const struct dvk_column ep_columns[DVK_EP_SORT_NKEYS] = {
	[DVK_EP_SORT_QUEUE] = { "queue", ep_by_queue, 0 },
	[DVK_EP_SORT_OLDEST] = { "oldest", ep_by_oldest, 0 },
	[DVK_EP_SORT_RATE] = { "rate", ep_by_rate, 0 },
	[DVK_EP_SORT_IN] = { "in", ep_by_in, 0 },
	[DVK_EP_SORT_OUT] = { "out", ep_by_out, 0 },
	[DVK_EP_SORT_WAIT] = { "wait", ep_by_wait, 0 },
	[DVK_EP_SORT_COPIED] = { "copied", ep_by_copied, 0 },
	[DVK_EP_SORT_EP] = { "ep", ep_identity, 1 },
	[DVK_EP_SORT_NAME] = { "name", ep_by_name, 1 },
};

const struct dvk_table_class dvk_ep_class = {
	.row_size = sizeof(struct dvk_ep_row),
	.columns = ep_columns,
	.ncolumns = DVK_EP_SORT_NKEYS,
	.identity = ep_identity,
	.match = ep_match,
	.alias = "depth",
	.alias_col = DVK_EP_SORT_QUEUE,
};

/*
 * dvk_endpoints_parse - see model.h.  The kernel prints
 * "%2d %5d %7d %5X %-5s %5d %4d %9s %10llu %10llu %12llu %s"
 * (docs/proc-debugfs.md): eleven fields, then the name, which may hold
 * spaces and runs to the end of the line.
 */
int dvk_endpoints_parse(const char *text, struct dvk_endpoint *rows, int max, int *kept)
{
	const char *line = text;
	int total = 0, n = 0;

	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		struct dvk_endpoint r;
		char buf[256], state[17], oldest[32];
		unsigned long long in, out, copied;
		unsigned int flags;
		int used = 0;

		snprintf(buf, sizeof(buf), "%.*s", (int)len, line);
		line = end ? end + 1 : NULL;
		memset(&r, 0, sizeof(r));
		if (sscanf(buf, "%d %d %d %x %16s %d %d %31s %llu %llu %llu %n", &r.dcid, &r.ep,
			   &r.pid, &flags, state, &r.queue, &r.ntfy, oldest, &in, &out, &copied,
			   &used) != 11 || used == 0)
			continue;	/* the header or garbage */
		if (!strcmp(oldest, "-")) {
			r.oldest_ms = -1;
		} else {
			char *after;

			r.oldest_ms = strtoll(oldest, &after, 10);
			if (*after || r.oldest_ms < 0)
				continue;
		}
		r.flags = flags;
		snprintf(r.state, sizeof(r.state), "%s", state);
		r.msgs_in = in;
		r.msgs_out = out;
		r.bytes_copied = copied;
		snprintf(r.name, sizeof(r.name), "%.16s", buf + used);
		total++;
		if (n < max)
			rows[n++] = r;
	}
	if (kept)
		*kept = n;
	return total;
}
