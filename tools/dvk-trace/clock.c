// SPDX-License-Identifier: GPL-2.0
/*
 * clock.c - one time base for several nodes' traces.
 *
 * 0. A flight trace is in a cheaper trace clock (local: sched_clock); the
 *    manifest's trace.clock_pairs (trace_ns, monotonic_ns), written into the
 *    trace by the recorder once a second, map it to CLOCK_MONOTONIC piecewise
 *    linearly (dt_trace_to_mono); a window trace is in CLOCK_MONOTONIC.
 * 1. Each node's trace is in its CLOCK_MONOTONIC; the manifest's clock pairs
 *    (realtime, monotonic) map it to that node's CLOCK_REALTIME: linearly
 *    between the first and the last pair (which follows a slewing clock; a
 *    clock stepped during the capture is not followed).
 * 2. The nodes' realtime clocks differ.  theta = clock(node) - clock(ref) is
 *    estimated from the commands that cross the link between them: a
 *    command taken by the sender proxy (dvk_rmt_get, t_get on the sending
 *    node) is given to the receiving kernel later (dvk_rmt_put, t_put, same
 *    id and cmd).  A crossing ref -> node says theta <= t_put - t_get, one
 *    node -> ref says theta >= t_get - t_put.  A request and its answer (the
 *    command's ACK, same id; or a sendrec's reply) make NTP's quadruple
 *    t1 = get, t2 = put, t3 = answer's get, t4 = answer's put:
 *    offset = ((t2 - t1) + (t3 - t4)) / 2, delay = (t4 - t1) - (t3 - t2),
 *    and the true offset is within offset +- delay / 2, i.e. in
 *    [t3 - t4, t2 - t1].  NTP keeps the sample of least delay; we report it,
 *    and apply the middle of the intersection of every crossing's bound
 *    (contained in the min-delay sample's interval, and with it no message
 *    arrives before it left), its half-width as the uncertainty.
 */
#include <stdlib.h>
#include <string.h>

#include "dvk-trace.h"

struct tc_pair {
	int64_t trace, mono;
};

static int cmp_tc(const void *a, const void *b)
{
	const struct tc_pair *x = a, *y = b;

	return (x->trace > y->trace) - (x->trace < y->trace);
}

int dt_node_set_trace_pairs(struct dt_node *n, const int64_t *trace, const int64_t *mono, size_t k)
{
	struct tc_pair *p = calloc(k + 1, sizeof(*p));
	int64_t *t = calloc(k + 1, sizeof(*t)), *m = calloc(k + 1, sizeof(*m));
	size_t i, j = 0;

	if (!p || !t || !m) {
		free(p);
		free(t);
		free(m);
		return -1;
	}
	for (i = 0; i < k; i++)
		p[i] = (struct tc_pair){ trace[i], mono[i] };
	qsort(p, k, sizeof(*p), cmp_tc);
	for (i = 0; i < k; i++) {	/* one pair per trace time */
		if (j && t[j - 1] == p[i].trace)
			continue;
		t[j] = p[i].trace;
		m[j++] = p[i].mono;
	}
	free(p);
	free(n->tc_trace);
	free(n->tc_mono);
	n->tc_trace = t;
	n->tc_mono = m;
	n->ntc = j;
	return 0;
}

int64_t dt_trace_to_mono(const struct dt_node *n, int64_t t)
{
	size_t lo = 0, hi, i;
	long double d;

	if (n->ntc == 0)
		return t;
	if (n->ntc == 1)
		return n->tc_mono[0] + (t - n->tc_trace[0]);
	/* the segment [i, i + 1]: the last pair with trace <= t, within 0..ntc-2 */
	hi = n->ntc;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (n->tc_trace[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	i = lo < n->ntc - 1 ? lo : n->ntc - 2;
	d = (long double)(t - n->tc_trace[i]) * (long double)(n->tc_mono[i + 1] - n->tc_mono[i]) /
	    (long double)(n->tc_trace[i + 1] - n->tc_trace[i]);
	return n->tc_mono[i] + (int64_t)(d < 0 ? d - 0.5L : d + 0.5L);
}

int64_t dt_mono_to_rt(const struct dt_node *n, int64_t mono)
{
	long double d;

	if (n->nclk < 2 || n->clk_mono[1] == n->clk_mono[0])
		return n->clk_rt[0] + (mono - n->clk_mono[0]);
	d = (long double)(mono - n->clk_mono[0]) * (long double)(n->clk_rt[1] - n->clk_rt[0]) /
	    (long double)(n->clk_mono[1] - n->clk_mono[0]);
	return n->clk_rt[0] + (int64_t)d;
}

int64_t dt_node_time(const struct dt_node *n, int64_t mono)
{
	return dt_mono_to_rt(n, mono) + n->offset;
}

/* One command across the link, in realtime of each side (no offset yet). */
struct crossing {
	uint64_t id;
	int32_t cmd, dcid, src, dst;
	int dir;		/* 0: ref -> node, 1: node -> ref */
	int64_t get, put;	/* on the sender's, the receiver's clock */
};

struct rmt_key {
	uint64_t id;
	int32_t cmd;
	int64_t t;
	const struct dt_event *e;
};

static int cmp_key(const void *a, const void *b)
{
	const struct rmt_key *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return (x->cmd > y->cmd) - (x->cmd < y->cmd);
}

/* KEYS: the TYPE events of node FROM about node TO (peer field). */
static size_t rmt_keys(const struct dt_node *from, int type, int to, struct rmt_key **keys)
{
	size_t i, k = 0;

	*keys = calloc(from->n + 1, sizeof(**keys));
	if (!*keys)
		return 0;
	for (i = 0; i < from->n; i++) {
		const struct dt_event *e = &from->ev[i];

		if (e->type != type || e->peer != to)
			continue;
		(*keys)[k++] = (struct rmt_key){ e->id, e->cmd, dt_mono_to_rt(from, e->mono), e };
	}
	qsort(*keys, k, sizeof(**keys), cmp_key);
	return k;
}

/* The crossings from node A to node B (A's gets joined to B's puts). */
static size_t crossings(const struct dt_node *a, const struct dt_node *b, int dir,
			struct crossing **out, size_t nout)
{
	struct rmt_key *g, *p;
	size_t ng = rmt_keys(a, DT_RMT_GET, b->node, &g);
	size_t np = rmt_keys(b, DT_RMT_PUT, a->node, &p);
	size_t i = 0, j = 0;

	while (g && p && i < ng && j < np) {
		int c = cmp_key(&g[i], &p[j]);

		if (c < 0) {
			i++;
		} else if (c > 0) {
			j++;
		} else {
			struct crossing *x = realloc(*out, (nout + 1) * sizeof(**out));

			if (!x)
				break;
			*out = x;
			x[nout++] = (struct crossing){ g[i].id, g[i].e->cmd, g[i].e->dcid,
				g[i].e->src, g[i].e->dst, dir, g[i].t, p[j].t };
			i++;
			j++;
		}
	}
	free(g);
	free(p);
	return nout;
}

/* Order of the answers: ACKs by (id, cmd, dir, get), replies by (dir, dcid, src, dst, get). */
static int cmp_answer(const void *pa, const void *pb)
{
	const struct crossing *a = *(const struct crossing *const *)pa;
	const struct crossing *b = *(const struct crossing *const *)pb;
	int64_t ka[6] = { a->cmd, a->dir, a->dcid, a->src, a->dst, a->get };
	int64_t kb[6] = { b->cmd, b->dir, b->dcid, b->src, b->dst, b->get };
	int i;

	if (dt_cmd_is_ack(a->cmd) && dt_cmd_is_ack(b->cmd)) {	/* (id, cmd, dir, get) */
		int64_t xa[3] = { a->cmd, a->dir, a->get }, xb[3] = { b->cmd, b->dir, b->get };

		if (a->id != b->id)
			return a->id < b->id ? -1 : 1;
		for (i = 0; i < 3; i++)
			if (xa[i] != xb[i])
				return xa[i] < xb[i] ? -1 : 1;
		return 0;
	}
	for (i = 0; i < 6; i++)
		if (ka[i] != kb[i])
			return ka[i] < kb[i] ? -1 : 1;
	return 0;
}

/* The first crossing in the sorted V of the answers >= KEY that MATCH accepts. */
static const struct crossing *first_answer(const struct crossing *const *v, size_t n,
					   const struct crossing *key, int reply)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t m = lo + (hi - lo) / 2;

		if (cmp_answer(&v[m], &key) < 0)
			lo = m + 1;
		else
			hi = m;
	}
	for (; lo < n; lo++) {
		const struct crossing *a = v[lo];

		if (a->cmd != key->cmd || (reply ? a->dir != key->dir || a->dcid != key->dcid ||
		    a->src != key->src || a->dst != key->dst : a->id != key->id))
			return NULL;
		if (a->dir == key->dir && a->get >= key->get)
			return a;
	}
	return NULL;
}

/* The answer crossing of Q: its ACK (same id), or a sendrec's reply (the first
 * from its server to its client after it arrived). */
static const struct crossing *answer(const struct crossing *const *v, size_t n,
				     const struct crossing *q)
{
	struct crossing key = *q;
	const struct crossing *a;

	key.dir = !q->dir;
	key.cmd = q->cmd | 0x2000;
	key.get = q->put;
	a = first_answer(v, n, &key, 0);
	if (a || q->cmd != 3)
		return a;
	key.cmd = 4;		/* sndrec: the reply, same dcid, ends swapped */
	key.src = q->dst;
	key.dst = q->src;
	return first_answer(v, n, &key, 1);
}

static void ntp_samples(const struct crossing *x, size_t n, struct dt_offset *o)
{
	const struct crossing **v = calloc(n + 1, sizeof(*v));
	size_t i, nv = 0;

	if (!v)
		return;
	for (i = 0; i < n; i++)
		if (dt_cmd_is_ack(x[i].cmd) || x[i].cmd == 4)
			v[nv++] = &x[i];
	qsort(v, nv, sizeof(*v), cmp_answer);
	for (i = 0; i < n; i++) {
		const struct crossing *q = &x[i], *a;
		int64_t off, delay;

		if (dt_cmd_is_ack(q->cmd) || q->cmd == 4)
			continue;
		a = answer(v, nv, q);
		if (!a)
			continue;
		off = ((q->put - q->get) + (a->get - a->put)) / 2;
		delay = (a->put - q->get) - (a->get - q->put);
		if (q->dir == 1)
			off = -off;	/* the node asked: that is ref - node */
		if (o->ntp_n++ == 0 || delay < o->ntp_delay) {
			o->ntp_offset = off;
			o->ntp_delay = delay;
		}
	}
	free(v);
}

void dt_offset_estimate(struct dt_timeline *tl, int idx, struct dt_offset *o)
{
	const struct dt_node *r = &tl->nodes[tl->ref], *b = &tl->nodes[idx];
	struct crossing *x = NULL;
	size_t n, i;

	memset(o, 0, sizeof(*o));
	o->node = b->node;
	o->uncertainty = -1;
	if (idx == tl->ref) {
		o->uncertainty = 0;
		o->consistent = 1;
		return;
	}
	n = crossings(r, b, 0, &x, 0);
	n = crossings(b, r, 1, &x, n);
	for (i = 0; i < n; i++) {
		int64_t bound = x[i].put - x[i].get;

		if (x[i].dir == 0) {	/* theta <= put_b - get_r */
			if (o->n_out++ == 0 || bound < o->hi)
				o->hi = bound;
		} else {		/* theta >= get_b - put_r */
			if (o->n_in++ == 0 || -bound > o->lo)
				o->lo = -bound;
		}
	}
	ntp_samples(x, n, o);
	free(x);
	o->consistent = o->n_out && o->n_in && o->lo <= o->hi;
	if (o->consistent) {
		o->offset = o->lo + (o->hi - o->lo) / 2;
		o->uncertainty = (o->hi - o->lo + 1) / 2;
	} else if (o->ntp_n) {
		o->offset = o->ntp_offset;
		o->uncertainty = (o->ntp_delay + 1) / 2;
	}
}

/* Estimate every node against the reference and give each event its time. */
void dt_clock_apply(struct dt_timeline *tl, FILE *log)
{
	int k;
	size_t i;

	for (k = 0; k < tl->nnodes; k++)
		tl->nodes[k].offset = 0;
	for (k = 0; k < tl->nnodes; k++) {
		struct dt_node *n = &tl->nodes[k];

		dt_offset_estimate(tl, k, &tl->off[k]);
		n->offset_unc = tl->off[k].uncertainty;
	}
	for (k = 0; k < tl->nnodes; k++) {
		struct dt_node *n = &tl->nodes[k];

		n->offset = -tl->off[k].offset;
		for (i = 0; i < n->n; i++)
			n->ev[i].t = dt_node_time(n, n->ev[i].mono);
	}
	if (log)
		dt_print_offsets(tl, log);
}
