// SPDX-License-Identifier: GPL-2.0
/*
 * join.c - the events of every node -> tracks, slices and message paths.
 *
 * Tracks: a thread speaks for the endpoint it blocks as (dvk_block/wake
 * `ep`), receives as (dvk_msg_receive `dst`) or was bound to (dvk_bind
 * `pid`); its events go on that endpoint's track (one per node, DC and
 * endpoint, so the processes that bind it one after another share it).
 * Other threads (proxies, dvkctl) get a track of their own.
 * Slices: dvk_call_enter..exit and dvk_block..wake of one thread (calls do
 * not nest within a thread; a block lies inside its call).  An enter or
 * block without its end (the window's edges) is dropped and counted, as is
 * a slice that would overlap another on its track without nesting.
 * Messages: by id (unique in the DVS; id >> 56 = the node that made it):
 * send (on that node) -> enqueue -> get -> put (other node) -> receive,
 * and the ACK's enqueue -> get -> ack (rmt_ack, else the put of the ACK).
 */
#include <stdlib.h>
#include <string.h>

#include "dvk-trace.h"
#include "map.h"

int dt_cmd_is_ack(int cmd)
{
	return (cmd & 0x2000) != 0;
}

const char *dt_cmd_name(int cmd)
{
	static const char *const names[] = { "none", "send", "notify", "sendrec", "reply",
		"copyin_data", "copyout_rqst", "copylcl_rqst", "copyrmt_rqst", "copyin_rqst",
		"hello", "shutdown", "procinfo", "procbind", "procunbind" };
	int base = cmd & ~0x2000;

	if (base < 0 || base >= (int)(sizeof(names) / sizeof(names[0])))
		return "?";
	return names[base];
}

struct ctx {
	struct dt_timeline *tl;
	struct dt_join *j;
	struct dt_map pid_ep;		/* node<<32|pid -> dcid<<32|ep (u32) */
	struct dt_map tracks;		/* track key -> index */
	struct dt_map ids;		/* message id -> index in j->msgs */
	struct dt_map open;		/* kind<<40|node<<32|pid -> event index + 1 */
	size_t msgcap, slicecap, trackcap;
	int nomem;
};

static uint64_t node_pid(int node, int pid)
{
	return ((uint64_t)node << 32) | (uint32_t)pid;
}

static void learn_threads(struct ctx *c)
{
	int k;
	size_t i;

	for (k = 0; k < c->tl->nnodes; k++) {
		const struct dt_node *n = &c->tl->nodes[k];

		for (i = 0; i < n->n; i++) {
			const struct dt_event *e = &n->ev[i];
			int pid = e->pid, ep;

			if (e->type == DT_BLOCK || e->type == DT_WAKE)
				ep = e->src;
			else if (e->type == DT_MSG_RECEIVE)
				ep = e->dst;
			else if (e->type == DT_BIND)
				ep = e->src, pid = e->nr;
			else
				continue;
			if (dt_map_get(&c->pid_ep, node_pid(n->node, pid)) < 0 &&
			    dt_map_put(&c->pid_ep, node_pid(n->node, pid),
				       (long)(((uint64_t)(uint32_t)e->dcid << 32) | (uint32_t)ep)))
				c->nomem = 1;
		}
	}
}

static void name_track(struct ctx *c, struct dt_track *t, const struct dt_node *n)
{
	const char *comm = dt_comm(n, t->pid);
	size_t i;

	if (t->dcid < 0) {
		snprintf(t->name, sizeof(t->name), "%s %d", comm ? comm : "pid", t->pid);
		return;
	}
	for (i = 0; i < n->n; i++) {	/* the last name bound to it, if any */
		const struct dt_event *e = &n->ev[i];

		if (e->type == DT_BIND && e->dcid == t->dcid && e->src == t->ep)
			comm = e->name;
	}
	(void)c;
	snprintf(t->name, sizeof(t->name), "ep %d %s", t->ep, comm ? comm : "");
}

/* The track of thread PID of node N (made on first use); -1 if out of memory. */
static int track_of(struct ctx *c, const struct dt_node *n, int pid)
{
	long pe = dt_map_get(&c->pid_ep, node_pid(n->node, pid));
	uint64_t key = pe < 0 ? (1ULL << 63) | node_pid(n->node, pid)
			      : ((uint64_t)n->node << 56) | ((uint64_t)pe & 0xffffffffffffULL);
	long t = dt_map_get(&c->tracks, key);
	struct dt_track *tr;

	if (t >= 0)
		return (int)t;
	if (c->j->ntracks == c->trackcap) {
		size_t cap = c->trackcap ? c->trackcap * 2 : 64;
		void *p = realloc(c->j->tracks, cap * sizeof(*c->j->tracks));

		if (!p)
			return -1;
		c->j->tracks = p;
		c->trackcap = cap;
	}
	tr = &c->j->tracks[c->j->ntracks];
	memset(tr, 0, sizeof(*tr));
	tr->node = n->node;
	tr->pid = pid;
	tr->dcid = pe < 0 ? -1 : (int)((uint64_t)pe >> 32);
	tr->ep = pe < 0 ? 0 : (int32_t)(uint32_t)pe;
	name_track(c, tr, n);
	if (dt_map_put(&c->tracks, key, (long)c->j->ntracks))
		return -1;
	return (int)c->j->ntracks++;
}

static void add_slice(struct ctx *c, const struct dt_event *b, const struct dt_event *e,
		      int kind, int track)
{
	struct dt_slice *s;

	if (c->j->nslices == c->slicecap) {
		size_t cap = c->slicecap ? c->slicecap * 2 : 4096;
		void *p = realloc(c->j->slices, cap * sizeof(*c->j->slices));

		if (!p) {
			c->nomem = 1;
			return;
		}
		c->j->slices = p;
		c->slicecap = cap;
	}
	s = &c->j->slices[c->j->nslices++];
	*s = (struct dt_slice){ b->t, e->t - b->t, track, kind, b, e };
}

/* enter/exit and block/wake of one thread -> slices. */
static void pair_slices(struct ctx *c, const struct dt_node *n, size_t i)
{
	const struct dt_event *e = &n->ev[i];
	int begin = e->type == DT_CALL_ENTER || e->type == DT_BLOCK;
	int kind = e->type == DT_BLOCK || e->type == DT_WAKE;
	uint64_t key = ((uint64_t)kind << 40) | node_pid(n->node, e->pid);
	long o = dt_map_get(&c->open, key);

	if (begin) {
		if (o > 0)
			c->j->dropped_slices++;	/* the previous one never ended */
		dt_map_put(&c->open, key, (long)i + 1);
		return;
	}
	if (o <= 0) {
		c->j->dropped_slices++;		/* began before the window */
		return;
	}
	dt_map_put(&c->open, key, 0);
	int t = track_of(c, n, e->pid);

	if (t < 0)
		c->nomem = 1;
	else
		add_slice(c, &n->ev[o - 1], e, kind, t);
}

static struct dt_msg *msg_of(struct ctx *c, uint64_t id)
{
	long m = dt_map_get(&c->ids, id);

	if (m >= 0)
		return &c->j->msgs[m];
	if (c->j->nmsgs == c->msgcap) {
		size_t cap = c->msgcap ? c->msgcap * 2 : 4096;
		void *p = realloc(c->j->msgs, cap * sizeof(*c->j->msgs));

		if (!p)
			return NULL;
		c->j->msgs = p;
		c->msgcap = cap;
	}
	if (dt_map_put(&c->ids, id, (long)c->j->nmsgs))
		return NULL;
	memset(&c->j->msgs[c->j->nmsgs], 0, sizeof(c->j->msgs[0]));
	c->j->msgs[c->j->nmsgs].id = id;
	return &c->j->msgs[c->j->nmsgs++];
}

#define SET(f, e) do { if (!(f)) (f) = (e); } while (0)

static void note_message(struct ctx *c, const struct dt_event *e)
{
	int ack = dt_cmd_is_ack(e->cmd);
	struct dt_msg *m;

	if (!e->id)
		return;
	m = msg_of(c, e->id);
	if (!m) {
		c->nomem = 1;
		return;
	}
	switch (e->type) {
	case DT_MSG_SEND:
	case DT_NOTIFY:
		if ((int)(e->id >> 56) == e->node)
			SET(m->send, e);
		else
			SET(m->dsend, e);
		break;
	case DT_MSG_RECEIVE: SET(m->recv, e); break;
	case DT_RMT_ENQUEUE: if (ack) SET(m->aenq, e); else SET(m->enq, e); break;
	case DT_RMT_GET: if (ack) SET(m->aget, e); else SET(m->get, e); break;
	case DT_RMT_PUT: if (ack) SET(m->ack, e); else SET(m->put, e); break;
	case DT_RMT_ACK: if (!m->ack || m->ack->type != DT_RMT_ACK) m->ack = e; break;
	}
}

static int add_hop(struct ctx *c, const struct dt_event *a, const struct dt_event *b,
		   const char *what, uint64_t id, size_t *cap)
{
	struct dt_hop *h;
	int ta, tb;

	if (!a || !b)
		return 0;
	if (a->node == b->node && b->mono < a->mono) {
		c->j->backwards++;	/* never seen; a same-node arrow must not go back */
		return 0;
	}
	ta = track_of(c, &c->tl->nodes[dt_node_index(c->tl, a->node)], a->pid);
	tb = track_of(c, &c->tl->nodes[dt_node_index(c->tl, b->node)], b->pid);
	if (ta < 0 || tb < 0)
		return -1;
	if (c->j->nhops == *cap) {
		size_t nc = *cap ? *cap * 2 : 4096;
		void *p = realloc(c->j->hops, nc * sizeof(*c->j->hops));

		if (!p)
			return -1;
		c->j->hops = p;
		*cap = nc;
	}
	h = &c->j->hops[c->j->nhops++];
	*h = (struct dt_hop){ a, b, ta, tb, what, id };
	return 0;
}

/* The arrows of one message: each step to the next one present.  put
 * fires after put2lcl's delivery: when the receiver ran first, the arrow to
 * the receive leaves from the proxy's dvk_msg_send (the stand-in's) instead. */
static int message_hops(struct ctx *c, const struct dt_msg *m, size_t *cap)
{
	/* a remote send's enqueue comes before its dvk_msg_send: the path starts there */
	const struct dt_event *path[5] = { m->enq ? NULL : m->send, m->enq, m->get, m->put, m->recv };
	const struct dt_event *apath[3] = { m->aenq, m->aget, m->ack };
	static const char *const names[5][5] = {
		{ "", "send>enqueue", "send>get", "send>put", "send>receive" },
		{ "", "", "enqueue>get", "enqueue>put", "enqueue>receive" },
		{ "", "", "", "get>put", "get>receive" },
		{ "", "", "", "", "put>receive" } };
	static const char *const anames[3][3] = {
		{ "", "ack-enqueue>ack-get", "ack-enqueue>ack" }, { "", "", "ack-get>ack" } };
	int i, k, rc = 0;

	if (m->put && m->recv && m->put->node == m->recv->node && m->put->mono > m->recv->mono)
		path[3] = m->dsend && m->dsend->mono <= m->recv->mono ? m->dsend : NULL;
	for (i = 0; i < 4; i++) {
		if (!path[i])
			continue;
		for (k = i + 1; k < 5 && !path[k]; k++)
			;
		if (k < 5)
			rc |= add_hop(c, path[i], path[k], path[i] == m->dsend ? "stand-in>receive" :
				      names[i][k], m->id, cap);
	}
	for (i = 0; i < 2; i++) {
		if (!apath[i])
			continue;
		for (k = i + 1; k < 3 && !apath[k]; k++)
			;
		if (k < 3)
			rc |= add_hop(c, apath[i], apath[k], anames[i][k], m->id, cap);
	}
	return rc;
}

int dt_node_index(const struct dt_timeline *tl, int node)
{
	int k;

	for (k = 0; k < tl->nnodes; k++)
		if (tl->nodes[k].node == node)
			return k;
	return -1;
}

/* A cross-node message seen on one node only: near the other's window edge? */
static int at_edge(const struct dt_timeline *tl, const struct dt_msg *m, int64_t edge_ns)
{
	const struct dt_event *any = m->get ? m->get : m->enq ? m->enq : m->put ? m->put :
				     m->aget ? m->aget : m->ack;
	int k = any ? dt_node_index(tl, any->peer) : -1;
	const struct dt_node *o;

	if (k < 0)
		return 1;	/* the other node was not captured at all */
	o = &tl->nodes[k];
	return any->t < dt_node_time(o, o->win_start) + edge_ns ||
	       any->t > dt_node_time(o, o->win_end) - edge_ns;
}

static void classify(struct ctx *c, int64_t edge_ns)
{
	size_t i;

	for (i = 0; i < c->j->nmsgs; i++) {
		struct dt_msg *m = &c->j->msgs[i];
		int origin = (int)(m->id >> 56);
		int here = 0, there = 0;
		const struct dt_event *ev[8] = { m->send, m->enq, m->get, m->put, m->recv,
						 m->aenq, m->aget, m->ack };
		int k;

		m->cross = m->enq || m->get || m->put || m->aenq || m->aget;
		if (!m->cross)
			continue;
		for (k = 0; k < 8; k++)
			if (ev[k])
				*(ev[k]->node == origin ? &here : &there) = 1;
		m->joined = here && there;
		c->j->cross++;
		if (m->joined)
			c->j->joined++;
		else if ((m->edge = at_edge(c->tl, m, edge_ns)))
			c->j->half_edge++;
		else
			c->j->half_inside++;
	}
}

static int cmp_slice(const void *a, const void *b)
{
	const struct dt_slice *x = a, *y = b;

	if (x->track != y->track)
		return x->track - y->track;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	if (x->dur != y->dur)
		return x->dur > y->dur ? -1 : 1;	/* the parent first */
	return x->kind - y->kind;
}

/* Sort the slices by track and time; drop those that overlap without nesting. */
static void nest_slices(struct dt_join *j)
{
	int64_t stack[64];
	size_t i, out = 0;
	int depth = 0, track = -1;

	qsort(j->slices, j->nslices, sizeof(*j->slices), cmp_slice);
	for (i = 0; i < j->nslices; i++) {
		struct dt_slice *s = &j->slices[i];

		if (s->track != track) {
			track = s->track;
			depth = 0;
		}
		while (depth > 0 && stack[depth - 1] <= s->t)
			depth--;
		if ((depth > 0 && s->t + s->dur > stack[depth - 1]) || depth == 64 || s->dur < 0) {
			j->overlapping++;
			continue;
		}
		stack[depth++] = s->t + s->dur;
		j->slices[out++] = *s;
	}
	j->nslices = out;
}

int dt_join_build(struct dt_timeline *tl, struct dt_join *j, int64_t edge_ns)
{
	struct ctx c = { .tl = tl, .j = j };
	size_t i, hopcap = 0;
	int k, rc = 0;

	memset(j, 0, sizeof(*j));
	learn_threads(&c);
	for (k = 0; k < tl->nnodes && !c.nomem; k++) {
		const struct dt_node *n = &tl->nodes[k];

		for (i = 0; i < n->n && !c.nomem; i++) {
			const struct dt_event *e = &n->ev[i];

			if (e->type == DT_CALL_ENTER || e->type == DT_CALL_EXIT ||
			    e->type == DT_BLOCK || e->type == DT_WAKE)
				pair_slices(&c, n, i);
			else
				note_message(&c, e);
		}
		/* what is still open at the end of the window has no end */
		for (i = 0; i < c.open.cap; i++)
			if (c.open.keys[i] != DT_MAP_EMPTY && c.open.vals[i] > 0 &&
			    (int)((c.open.keys[i] >> 32) & 0xff) == n->node)
				j->dropped_slices++;
		dt_map_free(&c.open);
	}
	for (i = 0; i < j->nmsgs && !c.nomem; i++)
		if (message_hops(&c, &j->msgs[i], &hopcap))
			c.nomem = 1;
	classify(&c, edge_ns);
	nest_slices(j);
	if (c.nomem)
		rc = -1;
	dt_map_free(&c.pid_ep);
	dt_map_free(&c.tracks);
	dt_map_free(&c.ids);
	return rc;
}

void dt_join_free(struct dt_join *j)
{
	free(j->tracks);
	free(j->slices);
	free(j->hops);
	free(j->msgs);
	memset(j, 0, sizeof(*j));
}
