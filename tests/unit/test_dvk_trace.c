// SPDX-License-Identifier: GPL-2.0
/*
 * test_dvk_trace.c - dvk-trace's clock offset estimator and joins on
 * synthetic events (no trace file, no archive): a known offset between two
 * nodes must be recovered within the estimate's own uncertainty (exactly
 * from a symmetric min-delay round trip), messages must join by id across
 * nodes, calls and blocked time must pair and nest, halves cut by a window
 * must be told from halves lost inside it, and the JSON must pair its flows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "check.h"
#include "dvk-trace.h"

#define RT0	1796000000000000000LL	/* node 0's realtime at mono 0 */
#define N1	(1ULL << 56)		/* node 1's message ids */

static struct dt_timeline tl;

static void setup(int64_t theta)
{
	int k;

	for (k = 0; k < tl.nnodes; k++)
		dt_node_free(&tl.nodes[k]);
	memset(&tl, 0, sizeof(tl));
	tl.nnodes = 2;
	for (k = 0; k < 2; k++) {
		struct dt_node *n = &tl.nodes[k];

		n->node = k;
		snprintf(n->name, sizeof(n->name), "node%d", k);
		n->nclk = 2;
		n->clk_mono[0] = 1000000000;	/* the same true instant on both */
		n->clk_rt[0] = RT0 + 1000000000 + (k ? theta : 0);
		n->clk_mono[1] = 100000000000;
		n->clk_rt[1] = n->clk_rt[0] + 99000000000;
		n->win_start = 1000000000;
		n->win_end = 60000000000;
		n->offset_unc = -1;
	}
}

/* An event on node K at true time T (ns since mono 0 on both nodes). */
static struct dt_event *ev(int k, int64_t t, int type, int pid, uint64_t id)
{
	struct dt_event *e = dt_node_add(&tl.nodes[k]);

	if (!e)
		abort();
	e->mono = t;
	e->node = k;
	e->type = type;
	e->pid = pid;
	e->id = id;
	return e;
}

/* A command from node FROM crossing to the other at T0, taking D ns. */
static void crossing(int from, uint64_t id, int cmd, int64_t t0, int64_t d, int src, int dst)
{
	struct dt_event *g = ev(from, t0, DT_RMT_GET, 100 + from, id);
	struct dt_event *p = ev(1 - from, t0 + d, DT_RMT_PUT, 200 + (1 - from), id);

	g->cmd = p->cmd = cmd;
	g->peer = 1 - from;
	p->peer = from;
	g->src = p->src = src;
	g->dst = p->dst = dst;
}

static int cmp_mono(const void *a, const void *b)
{
	const struct dt_event *x = a, *y = b;

	return (x->mono > y->mono) - (x->mono < y->mono);
}

static void sort_nodes(void)
{
	int k;

	for (k = 0; k < tl.nnodes; k++)
		qsort(tl.nodes[k].ev, tl.nodes[k].n, sizeof(struct dt_event), cmp_mono);
}

static void test_offsets(void)
{
	const int64_t theta = 2500123457LL;
	const struct dt_offset *o = &tl.off[1];
	uint64_t seed = 7;
	int i;

	setup(theta);
	for (i = 0; i < 200; i++) {	/* sendrecs both ways, asymmetric random delays */
		int64_t t = 2000000000LL + i * 10000000LL, d1, d2;

		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		d1 = 300000 + (int64_t)((seed >> 33) % 5000000);
		d2 = 300000 + (int64_t)((seed >> 13) % 3000000) + (i == 77 ? 0 : 40000);
		crossing(i & 1, (i & 1 ? N1 : 0) + 10 + i, 3, t, d1, 5, 11);
		crossing(1 - (i & 1), (i & 1 ? 0 : N1) + 1000 + i, 4, t + d1 + 2000000, d2, 11, 5);
	}
	for (i = 0; i < 20; i++) {	/* sends and their ACKs (ends swapped) */
		int64_t t = 4100000000LL + i * 10000000LL;

		crossing(i & 1, (i & 1 ? N1 : 0) + 5000 + i, 1, t, 900000, 6, 12);
		crossing(1 - (i & 1), (i & 1 ? N1 : 0) + 5000 + i, 0x2001, t + 1000000, 800000, 12, 6);
	}
	sort_nodes();
	dt_clock_apply(&tl, NULL);
	CHECK("offset: both directions crossed (220 out, 220 in)", o->n_out == 220 && o->n_in == 220,
	      "out %ld in %ld", o->n_out, o->n_in);
	CHECK("offset: NTP quadruples found: each sendrec with its reply, each send with its ACK (220)",
	      o->ntp_n == 220, "%ld", o->ntp_n);
	CHECK("offset: the min-delay sample is within its delay/2 of the true offset",
	      llabs(o->ntp_offset - theta) <= (o->ntp_delay + 1) / 2, "sample %lld delay %lld true %lld",
	      (long long)o->ntp_offset, (long long)o->ntp_delay, (long long)theta);
	CHECK("offset: the applied estimate is within its uncertainty of the true offset",
	      o->consistent && llabs(o->offset - theta) <= o->uncertainty && o->uncertainty <= 400000,
	      "estimate %lld +- %lld true %lld", (long long)o->offset, (long long)o->uncertainty,
	      (long long)theta);
	CHECK("offset: the reference node has offset 0", tl.off[0].offset == 0 && tl.off[0].uncertainty == 0,
	      "%lld", (long long)tl.off[0].offset);
	CHECK("offset: after it, node 1's event times are on node 0's clock",
	      llabs(dt_node_time(&tl.nodes[1], 5000000000LL) - dt_node_time(&tl.nodes[0], 5000000000LL)) <=
	      o->uncertainty, "%lld", (long long)(dt_node_time(&tl.nodes[1], 5000000000LL) -
					       dt_node_time(&tl.nodes[0], 5000000000LL)));

	/* one symmetric round trip at the minimum delay: exact recovery */
	setup(-777000001LL);
	crossing(0, 42, 3, 3000000000LL, 250000, 5, 11);
	crossing(1, N1 + 43, 4, 3001000000LL, 250000, 11, 5);
	crossing(0, 44, 3, 4000000000LL, 900000, 5, 11);
	crossing(1, N1 + 45, 4, 4002000000LL, 1700000, 11, 5);
	sort_nodes();
	dt_clock_apply(&tl, NULL);
	CHECK("offset: a symmetric min-delay round trip gives the offset exactly (NTP sample)",
	      tl.off[1].ntp_offset == -777000001LL && tl.off[1].ntp_delay == 500000,
	      "%lld delay %lld", (long long)tl.off[1].ntp_offset, (long long)tl.off[1].ntp_delay);
	CHECK("offset: and the bounds are that sample's +- delay/2",
	      tl.off[1].lo == -777000001LL - 250000 && tl.off[1].hi == -777000001LL + 250000,
	      "[%lld, %lld]", (long long)tl.off[1].lo, (long long)tl.off[1].hi);

	/* no crossing: unknown, not applied */
	setup(12345);
	ev(0, 2000000000LL, DT_CALL_ENTER, 1, 0);
	dt_clock_apply(&tl, NULL);
	CHECK("offset: without crossings the offset is unknown (uncertainty -1) and 0",
	      tl.off[1].uncertainty == -1 && tl.off[1].offset == 0, "%lld +- %lld",
	      (long long)tl.off[1].offset, (long long)tl.off[1].uncertainty);
}

#define US(x)	(2000000000LL + (x) * 1000LL)	/* true time: 2 s + x us */

static struct dt_event *call(int k, int64_t us, int enter, int pid, int nr)
{
	struct dt_event *e = ev(k, US(us), enter ? DT_CALL_ENTER : DT_CALL_EXIT, pid, 0);

	e->nr = nr;
	return e;
}

static struct dt_event *msg(int k, int64_t us, int type, int pid, uint64_t id, int src, int dst,
			    int cmd, int peer)
{
	struct dt_event *e = ev(k, US(us), type, pid, id);

	e->src = src;
	e->dst = dst;
	e->cmd = cmd;
	e->peer = peer;
	return e;
}

/* client ep 5 (node 0, pid 10) sendrec to server ep 11 (node 1, pid 20) */
static void remote_sendrec(void)
{
	const uint64_t X = 300, Y = N1 + 1;

	call(0, 1000, 1, 10, 5);
	msg(0, 1010, DT_RMT_ENQUEUE, 10, X, 5, 11, 3, 1);
	msg(0, 1020, DT_MSG_SEND, 10, X, 5, 11, 0, 0)->flags = 1;
	msg(0, 1030, DT_BLOCK, 10, X, 5, 11, 0, 0)->flags = 0xc;
	call(0, 900, 1, 100, 21);
	msg(0, 1100, DT_RMT_GET, 100, X, 5, 11, 3, 1);
	call(0, 1110, 0, 100, 21);
	call(1, 1500, 1, 201, 20);
	msg(1, 1510, DT_MSG_SEND, 201, X, 5, 11, 0, 0);
	msg(1, 1520, DT_RMT_PUT, 201, X, 5, 11, 3, 0);
	call(1, 1530, 0, 201, 20);
	call(1, 800, 1, 20, 6);
	msg(1, 810, DT_BLOCK, 20, 0, 11, 31438, 0, 0)->flags = 8;
	msg(1, 1515, DT_WAKE, 20, X, 11, 31438, 0, 0);
	msg(1, 1517, DT_MSG_RECEIVE, 20, X, 5, 11, 0, 0);	/* before the put event */
	call(1, 1518, 0, 20, 6);
	call(1, 1600, 1, 20, 7);
	msg(1, 1610, DT_RMT_ENQUEUE, 20, Y, 11, 5, 4, 0);
	msg(1, 1620, DT_MSG_SEND, 20, Y, 11, 5, 0, 0);
	call(1, 1630, 0, 20, 7);
	call(1, 1550, 1, 101, 21);
	msg(1, 1640, DT_RMT_GET, 101, Y, 11, 5, 4, 0);
	call(1, 1650, 0, 101, 21);
	call(0, 2000, 1, 200, 20);
	msg(0, 2010, DT_MSG_SEND, 200, Y, 11, 5, 0, 0);
	msg(0, 2020, DT_RMT_PUT, 200, Y, 11, 5, 4, 1);
	call(0, 2030, 0, 200, 20);
	msg(0, 2040, DT_WAKE, 10, Y, 5, 11, 0, 0);
	msg(0, 2050, DT_MSG_RECEIVE, 10, Y, 11, 5, 0, 0);
	call(0, 2060, 0, 10, 5);
}

static void build_scenario(void)
{
	setup(0);
	remote_sendrec();
	/* a local send from pid 11 (ep 6) to pid 12 (ep 7) */
	call(0, 3000, 1, 11, 2);
	msg(0, 3010, DT_MSG_SEND, 11, 77, 6, 7, 0, 0);
	call(0, 3020, 0, 11, 2);
	call(0, 2900, 1, 12, 3);
	msg(0, 2910, DT_BLOCK, 12, 0, 7, 31438, 0, 0)->flags = 8;
	msg(0, 3015, DT_WAKE, 12, 77, 7, 31438, 0, 0);
	msg(0, 3016, DT_MSG_RECEIVE, 12, 77, 6, 7, 0, 0);
	call(0, 3017, 0, 12, 3);
	/* cut by the window: an exit without enter, an enter without exit */
	call(0, 50, 0, 13, 27);
	call(0, 5000, 1, 13, 27);
	/* halves: near node 1's window end (60 s), and in the middle of it */
	msg(0, 57990000, DT_RMT_ENQUEUE, 14, 500, 8, 11, 1, 1);
	msg(0, 57990100, DT_RMT_GET, 100, 500, 8, 11, 1, 1);
	msg(0, 28000000, DT_RMT_GET, 100, 501, 8, 11, 1, 1);
	sort_nodes();
	dt_clock_apply(&tl, NULL);
}

static int count_hops(const struct dt_join *j, const char *what, int cross)
{
	size_t i;
	int n = 0;

	for (i = 0; i < j->nhops; i++)
		if (!strcmp(j->hops[i].what, what) && (j->hops[i].from->node != j->hops[i].to->node) == cross)
			n++;
	return n;
}

static void test_joins(struct dt_join *j)
{
	size_t i;
	int nested = 0;

	build_scenario();
	CHECK("join: builds", dt_join_build(&tl, j, 1000000000LL) == 0, "out of memory");
	CHECK("join: 5 messages, 4 across nodes: 2 joined by id, 1 cut at the edge, 1 cut inside",
	      j->nmsgs == 5 && j->cross == 4 && j->joined == 2 && j->half_edge == 1 && j->half_inside == 1,
	      "%zu msgs, %ld cross, %ld joined, %ld edge, %ld inside", j->nmsgs, j->cross, j->joined,
	      j->half_edge, j->half_inside);
	CHECK("join: 8 arrows: 2 enqueue>get, 2 get>put across, put>receive and stand-in>receive, send>receive, and the cut one's enqueue>get",
	      j->nhops == 8 && count_hops(j, "enqueue>get", 0) == 3 && count_hops(j, "get>put", 1) == 2 &&
	      count_hops(j, "put>receive", 0) == 1 && count_hops(j, "stand-in>receive", 0) == 1 &&
	      count_hops(j, "send>receive", 0) == 1 && j->backwards == 0,
	      "%zu arrows, %ld backwards", j->nhops, j->backwards);
	CHECK("join: 12 slices (calls and blocked time), 2 cut ones dropped, none overlapping",
	      j->nslices == 12 && j->dropped_slices == 2 && j->overlapping == 0,
	      "%zu slices, %ld dropped, %ld overlapping", j->nslices, j->dropped_slices, j->overlapping);
	for (i = 0; i < j->ntracks; i++)
		if (j->tracks[i].dcid == 0 && ((j->tracks[i].node == 0 && (j->tracks[i].ep == 5 || j->tracks[i].ep == 7)) ||
					       (j->tracks[i].node == 1 && j->tracks[i].ep == 11)))
			nested++;
	CHECK("join: 9 tracks; threads that block or receive are on their endpoint's (0/5, 0/7, 1/11)",
	      j->ntracks == 9 && nested == 3, "%zu tracks, %d endpoint tracks", j->ntracks, nested);
	for (i = 0, nested = 0; i + 1 < j->nslices; i++)
		if (j->slices[i].track == j->slices[i + 1].track && j->slices[i + 1].kind == 1 &&
		    j->slices[i].kind == 0 && j->slices[i + 1].t >= j->slices[i].t &&
		    j->slices[i + 1].t + j->slices[i + 1].dur <= j->slices[i].t + j->slices[i].dur)
			nested++;
	CHECK("join: each blocked slice lies inside its call (3)", nested == 3, "%d", nested);
}

static void test_perfetto(const struct dt_join *j)
{
	char path[] = "/tmp/test_dvk_trace.XXXXXX";
	int fd = mkstemp(path), s = 0, f = 0, x = 0, m = 0;
	FILE *out = fd >= 0 ? fdopen(fd, "w") : NULL;
	struct json_object *root, *evs;
	size_t i;

	if (!out || dt_write_perfetto(&tl, j, out) || fclose(out)) {
		CHECK("perfetto: writes the JSON", 0, "cannot write %s", path);
		return;
	}
	root = json_object_from_file(path);
	unlink(path);
	CHECK("perfetto: the output parses as JSON with traceEvents",
	      root && json_object_object_get_ex(root, "traceEvents", &evs), "does not");
	if (!root || !json_object_object_get_ex(root, "traceEvents", &evs))
		return;
	for (i = 0; i < json_object_array_length(evs); i++) {
		struct json_object *e = json_object_array_get_idx(evs, i), *ph;
		const char *p = json_object_object_get_ex(e, "ph", &ph) ? json_object_get_string(ph) : "";

		s += !strcmp(p, "s");
		f += !strcmp(p, "f");
		x += !strcmp(p, "X");
		m += !strcmp(p, "M");
	}
	CHECK("perfetto: an s and an f per arrow (8), 12 slices + 2 marks for the cut message, names",
	      s == 8 && f == 8 && x == 14 && m > 8, "s %d f %d X %d M %d", s, f, x, m);
	json_object_put(root);
}

/*
 * A flight trace's clock (local) -> CLOCK_MONOTONIC through the trace clock
 * pairs: piecewise linear, exact on the pairs, extended past both ends, one
 * pair an offset, no pair the identity; pairs out of order and a duplicate.
 */
static void test_trace_clock(void)
{
	/* local runs 27 ms ahead of mono and 100 ppm fast in the 2nd second */
	const int64_t tr[] = { 3027000000LL, 1027000000LL, 2027000000LL, 2027000000LL };
	const int64_t mo[] = { 2999900000LL, 1000000000LL, 2000000000LL, 2000000000LL };
	struct dt_node n;
	int64_t a, b, c, d, e;

	memset(&n, 0, sizeof(n));
	CHECK("trace clock: no pair is the identity", dt_trace_to_mono(&n, 12345) == 12345, "%lld",
	      (long long)dt_trace_to_mono(&n, 12345));
	CHECK("trace clock: 4 pairs (one a duplicate, out of order) set as 3 sorted",
	      !dt_node_set_trace_pairs(&n, tr, mo, 4) && n.ntc == 3 && n.tc_trace[0] == 1027000000LL &&
	      n.tc_trace[2] == 3027000000LL, "ntc %zu", n.ntc);
	a = dt_trace_to_mono(&n, 2027000000LL);
	b = dt_trace_to_mono(&n, 1527000000LL);
	c = dt_trace_to_mono(&n, 2527000000LL);
	d = dt_trace_to_mono(&n, 27000000LL);
	e = dt_trace_to_mono(&n, 4027000000LL);
	CHECK("trace clock: a pair maps exactly, between pairs linearly (1st s offset 27 ms, 2nd s 100 ppm)",
	      a == 2000000000LL && b == 1500000000LL && c == 2499950000LL,
	      "%lld %lld %lld", (long long)a, (long long)b, (long long)c);
	CHECK("trace clock: before the first and after the last pair, their segments extended",
	      d == 0 && e == 3999800000LL, "%lld %lld", (long long)d, (long long)e);
	CHECK("trace clock: one pair is an offset",
	      !dt_node_set_trace_pairs(&n, tr + 1, mo + 1, 1) && dt_trace_to_mono(&n, 5027000000LL) == 5000000000LL,
	      "%lld", (long long)dt_trace_to_mono(&n, 5027000000LL));
	dt_node_free(&n);
}

int main(void)
{
	test_trace_clock();
	struct dt_join j;

	test_offsets();
	test_joins(&j);
	test_perfetto(&j);
	dt_join_free(&j);
	dt_node_free(&tl.nodes[0]);
	dt_node_free(&tl.nodes[1]);
	return CHECK_EXIT();
}
