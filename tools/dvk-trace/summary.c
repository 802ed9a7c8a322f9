// SPDX-License-Identifier: GPL-2.0
/*
 * summary.c - `dvk-trace summary`: the clock offsets, the slowest messages
 * with their whole path, errors by call and endpoint, the deepest queues.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "libdvk.h"
#include "dvk-trace.h"

static double ms(int64_t ns)
{
	return (double)ns / 1e6;
}

void dt_print_offsets(const struct dt_timeline *tl, FILE *out)
{
	int k;

	for (k = 0; k < tl->nnodes; k++) {
		const struct dt_offset *o = &tl->off[k];
		const struct dt_node *n = &tl->nodes[k];

		if (k == tl->ref) {
			fprintf(out, "dvk-trace: node %d (%s): reference clock, %zu events\n",
				n->node, n->name, n->n);
			continue;
		}
		if (o->uncertainty < 0) {
			fprintf(out, "dvk-trace: node %d (%s): offset unknown (no command crossed the link to node %d); taken as 0\n",
				n->node, n->name, tl->nodes[tl->ref].node);
			continue;
		}
		fprintf(out, "dvk-trace: node %d (%s): clock offset %+.3f ms +- %.3f ms against node %d "
			"(%ld crossings out, %ld in%s)", n->node, n->name, ms(o->offset),
			ms(o->uncertainty), tl->nodes[tl->ref].node, o->n_out, o->n_in,
			o->consistent ? "" : "; bounds inconsistent, min-delay sample used");
		if (o->ntp_n)
			fprintf(out, "; NTP min-delay sample %+.3f ms +- %.3f ms of %ld",
				ms(o->ntp_offset), ms((o->ntp_delay + 1) / 2), o->ntp_n);
		fprintf(out, "\n");
	}
}

/* The first event of a message: its send, or the enqueue just before it. */
static const struct dt_event *first_of(const struct dt_msg *m)
{
	if (m->enq && (!m->send || m->enq->t < m->send->t))
		return m->enq;
	return m->send ? m->send : m->get;
}

static int64_t latency(const struct dt_msg *m)
{
	const struct dt_event *a = first_of(m);
	const struct dt_event *b = m->recv ? m->recv : m->put;

	return a && b ? b->t - a->t : -1;
}

static int cmp_latency(const void *x, const void *y)
{
	int64_t a = latency(*(const struct dt_msg *const *)x);
	int64_t b = latency(*(const struct dt_msg *const *)y);

	return (a < b) - (a > b);
}

static void print_path(const struct dt_msg *m, FILE *out)
{
	const struct dt_event *ev[8] = { m->send, m->enq, m->get, m->put, m->recv,
					 m->aenq, m->aget, m->ack };
	static const char *const what[8] = { "send", "enqueue", "get", "put", "receive",
					     "ack-enqueue", "ack-get", "ack" };
	const struct dt_event *a = first_of(m), *r = m->recv;
	const struct dt_event *any = a ? a : m->put;
	int k, node = -1;

	fprintf(out, "  %9.3f ms  id %" PRIu64 "  dc %d ep %d -> ep %d", ms(latency(m)), m->id,
		any->dcid, any->src, any->dst);
	if (m->get || m->put)
		fprintf(out, " (%s)", dt_cmd_name((m->get ? m->get : m->put)->cmd));
	if (r)
		fprintf(out, ", waited %.3f ms queued", ms(r->val));
	fprintf(out, "\n             ");
	for (k = 0; k < 8; k++) {
		if (!ev[k])
			continue;
		if (ev[k]->node != node)
			fprintf(out, " [node %d]", node = ev[k]->node);
		fprintf(out, " %s %+.3f", what[k], ms(ev[k]->t - a->t));
	}
	fprintf(out, "\n");
}

static void slowest(const struct dt_join *j, int top, int cross, FILE *out)
{
	const struct dt_msg **v = calloc(j->nmsgs + 1, sizeof(*v));
	size_t n = 0, i;

	if (!v)
		return;
	for (i = 0; i < j->nmsgs; i++)
		if (latency(&j->msgs[i]) >= 0 && (!cross || j->msgs[i].joined))
			v[n++] = &j->msgs[i];
	qsort(v, n, sizeof(*v), cmp_latency);
	fprintf(out, "\nslowest messages%s (ms from the send to the receive, or to the put):\n",
		cross ? " across nodes" : "");
	if (!n)
		fprintf(out, "  none\n");
	for (i = 0; i < n && (int)i < top; i++)
		print_path(v[i], out);
	free(v);
}

struct count {
	int node, dcid, ep, what;	/* what: call nr or -1 (remote queue) */
	long n;
	int64_t v;			/* error: the last ret; queue: max depth */
	const char *name;
};

static int cmp_count(const void *x, const void *y)
{
	const struct count *a = x, *b = y;

	if (a->v != b->v && a->what < 0 && b->what < 0)
		return (a->v < b->v) - (a->v > b->v);
	return (a->n < b->n) - (a->n > b->n);
}

/* C[*n]: the entry for the key, made if new. */
static struct count *bump(struct count **c, size_t *n, struct count key)
{
	size_t i;
	void *p;

	for (i = 0; i < *n; i++)
		if ((*c)[i].node == key.node && (*c)[i].dcid == key.dcid && (*c)[i].ep == key.ep &&
		    (*c)[i].what == key.what && (*c)[i].v == key.v)
			return &(*c)[i];
	p = realloc(*c, (*n + 1) * sizeof(**c));
	if (!p)
		return NULL;
	*c = p;
	(*c)[*n] = key;
	return &(*c)[(*n)++];
}

static void errors(const struct dt_join *j, int top, FILE *out)
{
	struct count *c = NULL, *e;
	size_t n = 0, i;

	for (i = 0; i < j->nslices; i++) {
		const struct dt_slice *s = &j->slices[i];
		const struct dt_track *t = &j->tracks[s->track];

		if (s->kind != 0 || !s->end->flags)
			continue;
		e = bump(&c, &n, (struct count){ t->node, t->dcid, t->dcid < 0 ? t->pid : t->ep,
						 s->end->nr, 0, s->end->val, t->name });
		if (e)
			e->n++;
	}
	qsort(c, n, sizeof(*c), cmp_count);
	fprintf(out, "\nerrors by call and endpoint (calls whole in the window):\n");
	if (!n)
		fprintf(out, "  none\n");
	for (i = 0; i < n && (int)i < top; i++) {
		const char *en = dvk_errname((int)c[i].v);

		fprintf(out, "  %6ld  node %d %-24s %-10s %s (%" PRId64 ")\n", c[i].n, c[i].node,
			c[i].name, dvk_callname(c[i].what), en ? en : "?", c[i].v);
	}
	free(c);
}

static void queues(const struct dt_timeline *tl, int top, FILE *out)
{
	struct count *c = NULL, *e;
	size_t n = 0, i;
	int k;

	for (k = 0; k < tl->nnodes; k++) {
		const struct dt_node *nd = &tl->nodes[k];

		for (i = 0; i < nd->n; i++) {
			const struct dt_event *ev = &nd->ev[i];
			struct count key = { nd->node, ev->dcid, ev->dst, -1, 0, 0, NULL };

			if (ev->type == DT_RMT_ENQUEUE)
				key.dcid = -1, key.ep = ev->peer;	/* the queue to that node */
			else if (ev->type != DT_MSG_SEND || !ev->flags)
				continue;
			e = NULL;
			for (size_t x = 0; x < n; x++)
				if (c[x].node == key.node && c[x].dcid == key.dcid && c[x].ep == key.ep)
					e = &c[x];
			if (!e && !(e = bump(&c, &n, key)))
				continue;
			e->n++;
			if (ev->val > e->v)
				e->v = ev->val;
		}
	}
	qsort(c, n, sizeof(*c), cmp_count);
	fprintf(out, "\ndeepest queues (max depth seen, queued messages):\n");
	if (!n)
		fprintf(out, "  none\n");
	for (i = 0; i < n && (int)i < top; i++) {
		if (c[i].dcid < 0)
			fprintf(out, "  %4" PRId64 "  node %d: commands waiting for the proxy to node %d (%ld queued)\n",
				c[i].v, c[i].node, c[i].ep, c[i].n);
		else
			fprintf(out, "  %4" PRId64 "  node %d dc %d: senders queued on ep %d (%ld queued)\n",
				c[i].v, c[i].node, c[i].dcid, c[i].ep, c[i].n);
	}
	free(c);
}

void dt_summary(const struct dt_timeline *tl, const struct dt_join *j, int top, FILE *out)
{
	int k;

	fprintf(out, "dvk-trace summary of %d node%s\n", tl->nnodes, tl->nnodes == 1 ? "" : "s");
	for (k = 0; k < tl->nnodes; k++)
		fprintf(out, "  node %d %s: %zu events, %.3f s window, %" PRId64 " lost, %s\n",
			tl->nodes[k].node, tl->nodes[k].name, tl->nodes[k].n,
			(double)(tl->nodes[k].win_end - tl->nodes[k].win_start) / 1e9,
			tl->nodes[k].lost, tl->nodes[k].path);
	dt_print_offsets(tl, out);
	fprintf(out, "messages: %zu, %ld across nodes: %ld joined by id, %ld seen on one node at a window's edge, %ld inside the windows\n",
		j->nmsgs, j->cross, j->joined, j->half_edge, j->half_inside);
	slowest(j, top, 0, out);
	slowest(j, top, 1, out);
	errors(j, top, out);
	queues(tl, top, out);
}
