// SPDX-License-Identifier: GPL-2.0
/*
 * model_endpoints.c - the model of the Endpoints view: the endpoints of
 * debugfs dvk/endpoints (parsed by lib/dvkview) joined with the epstats BPF
 * entries, and the view's table class.
 * Pure C, like model.c (tests/unit/test_model.c links both).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"
#include "model_util.h"

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
	double interval;
	int n = 0;

	if (!cur)
		return 0;
	interval = seconds_between(prev, cur);
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

#define EP_CMP(fn, expr) DVK_ROW_CMP(fn, struct dvk_ep_row, expr)
EP_CMP(ep_identity, epstat_key_cmp(a->e.dcid, a->e.ep, b->e.dcid, b->e.ep))
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

const struct dvk_table_class dvk_ep_class =
	DVK_TABLE_CLASS(struct dvk_ep_row, ep_columns, ep_identity, ep_match, "depth", DVK_EP_SORT_QUEUE);
