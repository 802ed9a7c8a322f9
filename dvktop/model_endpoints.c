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
static const char *const ep_sort_names[DVK_EP_SORT_NKEYS] = {
	[DVK_EP_SORT_QUEUE] = "queue",
	[DVK_EP_SORT_OLDEST] = "oldest",
	[DVK_EP_SORT_RATE] = "rate",
	[DVK_EP_SORT_IN] = "in",
	[DVK_EP_SORT_OUT] = "out",
	[DVK_EP_SORT_WAIT] = "wait",
	[DVK_EP_SORT_COPIED] = "copied",
	[DVK_EP_SORT_EP] = "ep",
	[DVK_EP_SORT_NAME] = "name",
};

const char *dvk_ep_sort_key_name(enum dvk_ep_sort_key key)
{
	return key_name(ep_sort_names, DVK_EP_SORT_NKEYS, (int)key);
}

int dvk_ep_sort_key_parse(const char *s)
{
	return key_parse(ep_sort_names, DVK_EP_SORT_NKEYS, s, "depth", DVK_EP_SORT_QUEUE);
}

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

int dvk_ep_rows_filter(struct dvk_ep_row *rows, int n, const char *filter)
{
	int kept = 0;

	if (!filter || !*filter)
		return n;
	for (int i = 0; i < n; i++)
		if (contains_nocase(rows[i].e.name, filter))
			rows[kept++] = rows[i];
	return kept;
}

/* <0 if a comes before b in the key's natural order (before reversing). */
static int ep_row_cmp(const struct dvk_ep_row *a, const struct dvk_ep_row *b,
		      enum dvk_ep_sort_key key)
{
	switch (key) {
	case DVK_EP_SORT_QUEUE:
		return a->e.queue > b->e.queue ? -1 : a->e.queue < b->e.queue ? 1 : 0;
	case DVK_EP_SORT_OLDEST:
		return a->e.oldest_ms > b->e.oldest_ms ? -1 : a->e.oldest_ms < b->e.oldest_ms ? 1 : 0;
	case DVK_EP_SORT_RATE:
		return cmp_dbl_desc(a->in_rate + a->out_rate, b->in_rate + b->out_rate);
	case DVK_EP_SORT_IN:
		return cmp_dbl_desc(a->in_rate, b->in_rate);
	case DVK_EP_SORT_OUT:
		return cmp_dbl_desc(a->out_rate, b->out_rate);
	case DVK_EP_SORT_WAIT:
		return cmp_u64_desc(a->avg_wait_ns, b->avg_wait_ns);
	case DVK_EP_SORT_COPIED:
		return cmp_u64_desc(a->e.bytes_copied, b->e.bytes_copied);
	case DVK_EP_SORT_NAME:
		return strcmp(a->e.name, b->e.name);
	case DVK_EP_SORT_EP:
	default:
		return 0;	/* the tie-break below is the (dcid, ep) order */
	}
}

static int ep_sort_key;
static int ep_sort_reverse;

static int ep_qsort_cmp(const void *x, const void *y)
{
	const struct dvk_ep_row *a = x, *b = y;
	int c = ep_row_cmp(a, b, (enum dvk_ep_sort_key)ep_sort_key);

	if (ep_sort_reverse)
		c = -c;
	if (c == 0) {
		c = epstat_key_cmp(a->e.dcid, a->e.ep, b->e.dcid, b->e.ep);
		/* "ep" reversed really reverses; other keys keep ties ascending */
		if (ep_sort_reverse && ep_sort_key == DVK_EP_SORT_EP)
			c = -c;
	}
	return c;
}

/*
 * Sort by key; ties by (dcid, ep) ascending, so the order is total and rows
 * do not jump between refreshes.  Up to 1024 rows: qsort (with file-scope
 * key state; dvktop sorts from one thread).
 */
void dvk_ep_rows_sort(struct dvk_ep_row *rows, int n, enum dvk_ep_sort_key key, int reverse)
{
	ep_sort_key = key;
	ep_sort_reverse = reverse;
	if (n > 1)
		qsort(rows, (size_t)n, sizeof(*rows), ep_qsort_cmp);
}

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
