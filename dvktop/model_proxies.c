// SPDX-License-Identifier: GPL-2.0
/*
 * model_proxies.c - the model of the Proxies view: one row per peer node,
 * from the pxstats BPF map (what crossed the link since dvktop started)
 * and debugfs dvk/proxies (the state of the pair that serves the node),
 * with a short throughput history per node for the sparkline.
 *
 * Pure C, like model.c (tests/unit/test_proxies_view.c links it).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"
#include "model_util.h"

const char *dvk_px_link_name(enum dvk_px_link link)
{
	switch (link) {
	case DVK_LINK_UP:
		return "up";
	case DVK_LINK_HALF:
		return "half";
	case DVK_LINK_DOWN:
		return "down";
	case DVK_LINK_NONE:
	default:
		return "none";
	}
}

/* ------------------------------------------------------------------ */
/* Rows                                                                 */
/* ------------------------------------------------------------------ */
static int stat_counted(const struct dvk_px_stat *s)
{
	return s->msgs_out || s->msgs_in || s->errors_in || s->enqueued || s->acks;
}

static enum dvk_px_link pair_link(const struct dvk_pair *p)
{
	int s = p->state[1] == 'S', r = p->state[2] == 'R';

	return s && r ? DVK_LINK_UP : s || r ? DVK_LINK_HALF : DVK_LINK_DOWN;
}

int dvk_px_rows_compute(const struct dvk_sample *prev, const struct dvk_sample *cur,
			struct dvk_px_row rows[DVK_PX_SLOTS])
{
	double interval;
	int n = 0;

	if (!cur)
		return 0;
	interval = seconds_between(prev, cur);

	for (int slot = 0; slot < DVK_PX_SLOTS; slot++) {
		const struct dvk_px_stat *c = &cur->pxstats[slot];
		const struct dvk_pair *pair = NULL;
		struct dvk_px_row *r = &rows[n];

		for (int i = 0; slot < NR_NODES && i < cur->npairs && !pair; i++)
			if (cur->pairs[i].nodemap & (1ULL << slot))
				pair = &cur->pairs[i];
		if (!pair && !stat_counted(c))
			continue;
		memset(r, 0, sizeof(*r));
		r->node = slot == DVK_PX_OTHER ? -1 : slot;
		r->bpf = *c;
		r->link = DVK_LINK_NONE;
		if (pair) {
			r->has_pair = 1;
			r->pair = *pair;
			r->link = pair_link(pair);
		} else {
			r->pair.px = -1;
			r->pair.oldest_ms = r->pair.last_out_ms = r->pair.last_in_ms = -1;
		}
		if (c->msgs_out)
			r->avg_wait_ns = c->wait_total_ns / c->msgs_out;
		if (interval > 0) {
			const struct dvk_px_stat *p = &prev->pxstats[slot];

			r->out_rate = (double)delta(c->msgs_out, p->msgs_out) / interval;
			r->in_rate = (double)delta(c->msgs_in, p->msgs_in) / interval;
			r->out_bps = (double)delta(c->bytes_out, p->bytes_out) / interval;
			r->in_bps = (double)delta(c->bytes_in, p->bytes_in) / interval;
			r->err_rate = (double)delta(c->errors_in, p->errors_in) / interval;
		}
		n++;
	}
	return n;
}

static int px_match(const void *row, const char *filter)
{
	const struct dvk_px_row *r = row;
	char node[16];

	snprintf(node, sizeof(node), "node%d", r->node);
	return contains_nocase(r->pair.name, filter) || contains_nocase(node, filter);
}

#define PX_CMP(fn, expr) DVK_ROW_CMP(fn, struct dvk_px_row, expr)
/* Node -1 (no valid node) comes after the real nodes in node order. */
PX_CMP(px_identity, dvk_cmp_int_asc(a->node < 0 ? NR_NODES : a->node,
				    b->node < 0 ? NR_NODES : b->node))
PX_CMP(px_by_bytes, dvk_cmp_dbl_desc(a->out_bps + a->in_bps, b->out_bps + b->in_bps))
PX_CMP(px_by_msgs, dvk_cmp_dbl_desc(a->out_rate + a->in_rate, b->out_rate + b->in_rate))
PX_CMP(px_by_queue, dvk_cmp_u64_desc((uint64_t)a->pair.queue, (uint64_t)b->pair.queue))
PX_CMP(px_by_errors, dvk_cmp_u64_desc(a->pair.err_out + a->pair.err_in + a->pair.refused,
				      b->pair.err_out + b->pair.err_in + b->pair.refused))
#undef PX_CMP

static const struct dvk_column px_columns[DVK_PX_SORT_NKEYS] = {
	[DVK_PX_SORT_NODE] = { "node", px_identity, 1 },
	[DVK_PX_SORT_BYTES] = { "bytes", px_by_bytes, 0 },
	[DVK_PX_SORT_MSGS] = { "msgs", px_by_msgs, 0 },
	[DVK_PX_SORT_QUEUE] = { "queue", px_by_queue, 0 },
	[DVK_PX_SORT_ERRORS] = { "errors", px_by_errors, 0 },
};

const struct dvk_table_class dvk_px_class =
	DVK_TABLE_CLASS(struct dvk_px_row, px_columns, px_identity, px_match, "peer", DVK_PX_SORT_NODE);

/* ------------------------------------------------------------------ */
/* The model's part                                                     */
/* ------------------------------------------------------------------ */
void dvk_px_model_update(struct dvk_model *m)
{
	m->pxs.nall = dvk_px_rows_compute(m->nsamples > 1 ? &m->prev : NULL, &m->cur, m->px_all);

	/* one history value per interval and slot, rows or not, so all align */
	if (m->interval_s > 0) {
		for (int slot = 0; slot < DVK_PX_SLOTS; slot++)
			m->px_hist[slot][m->px_hist_next] = 0;
		for (int i = 0; i < m->pxs.nall; i++) {
			const struct dvk_px_row *r = &m->px_all[i];
			int slot = r->node < 0 ? DVK_PX_OTHER : r->node;

			m->px_hist[slot][m->px_hist_next] = r->out_bps + r->in_bps;
		}
		m->px_hist_next = (m->px_hist_next + 1) % DVK_PX_HIST;
		if (m->px_hist_len < DVK_PX_HIST)
			m->px_hist_len++;
	}

	m->px_up = 0;
	m->px_out_bps = 0;
	m->px_in_bps = 0;
	for (int i = 0; i < m->pxs.nall; i++) {
		struct dvk_px_row *r = &m->px_all[i];
		int slot = r->node < 0 ? DVK_PX_OTHER : r->node;
		int first = (m->px_hist_next - m->px_hist_len + DVK_PX_HIST) % DVK_PX_HIST;

		r->nhist = m->px_hist_len;
		for (int k = 0; k < m->px_hist_len; k++)
			r->hist[k] = m->px_hist[slot][(first + k) % DVK_PX_HIST];
		m->px_up += r->link == DVK_LINK_UP;
		m->px_out_bps += r->out_bps;
		m->px_in_bps += r->in_bps;
	}
	m->px_queued = 0;
	for (int i = 0; i < m->cur.npairs; i++)
		m->px_queued += m->cur.pairs[i].queue;
}
