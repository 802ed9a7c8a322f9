// SPDX-License-Identifier: GPL-2.0
/*
 * waits_graph.c - the wait-for graph of waits.h: nodes, cycles, display
 * order, cycle names.
 *
 * Each endpoint waits on at most one other (its out-edge), so the graph is
 * functional: every connected part is a tree hanging from a root that
 * waits on nobody, or from one cycle.  The display order is one
 * depth-first walk over the reversed edges per part, from its root or from
 * its cycle's smallest (dcid, ep) member.  Among the children the walk
 * takes the next cycle member first, so a cycle's members come in a row:
 * m0 (depth 0), m1 waiting on m0 (depth 1), m2 waiting on m1, ...;
 * dvk_wait_cycle_name() reads the cycle back from that order.  The other
 * children follow by longest wait.  Parts: cycles first, then the trees
 * with a waiter by their longest wait, then the lone endpoints (a receive
 * from ANY nobody waits on).  O(n log n) in all.
 */
#define _GNU_SOURCE		/* qsort_r: the graph travels with the sort */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dvk.h>
#include "waits.h"
#include "waits_key.h"

/* The graph being built: nodes in (dcid, ep) order, then the walk. */
struct build {
	const struct dvk_wait *rows;
	struct dvk_wait_node *key;	/* the nodes by (dcid, ep): index = node id */
	int n;
	int *out;		/* node waited on, or -1 */
	int *cyc;		/* 0, or 1 + the cycle's first member's id */
	int *root;		/* the root of its part (a cycle: its first member) */
	int *kid;		/* children of node p: kid[start[p] .. start[p + 1]) */
	int *start;
};

static uint64_t waited(const struct build *b, int i)
{
	return b->key[i].row >= 0 ? b->rows[b->key[i].row].waited_ms : 0;
}

/* by (dcid, ep), a row first, then the first row */
static int key_cmp(const void *a, const void *b)
{
	const struct dvk_wait_node *x = a, *y = b;
	int c = dvk_wait_key_cmp(x->dcid, x->ep, y->dcid, y->ep);

	if (c)
		return c;
	if ((x->row < 0) != (y->row < 0))
		return x->row < 0 ? 1 : -1;
	return x->row < y->row ? -1 : x->row > y->row;
}

static int find(const struct build *b, int32_t dcid, int32_t ep)
{
	int lo = 0, hi = b->n - 1;

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		int c = dvk_wait_key_cmp(b->key[mid].dcid, b->key[mid].ep, dcid, ep);

		if (!c)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* Every waiter and every endpoint waited on, once, in (dcid, ep) order. */
static int collect_nodes(struct build *b, int nrows)
{
	const struct dvk_wait *r = b->rows;
	int m = 0;

	for (int i = 0; i < nrows; i++) {
		b->key[m++] = (struct dvk_wait_node){ r[i].dcid, r[i].ep, r[i].node, i, 0, 0 };
		if (r[i].peer != ANY)
			b->key[m++] = (struct dvk_wait_node){ r[i].dcid, r[i].peer, r[i].peer_node,
							      -1, 0, 0 };
	}
	qsort(b->key, (size_t)m, sizeof(*b->key), key_cmp);
	b->n = 0;
	for (int k = 0; k < m; k++) {
		struct dvk_wait_node *last = b->n ? &b->key[b->n - 1] : NULL;

		if (last && !dvk_wait_key_cmp(last->dcid, last->ep, b->key[k].dcid, b->key[k].ep)) {
			if (last->node < 0)	/* known by a later mention */
				last->node = b->key[k].node;
			continue;
		}
		b->key[b->n++] = b->key[k];
	}
	return b->n;
}

/* out[]; cyc[] of the members of each cycle (functional graph walk). */
static int find_cycles(struct build *b)
{
	char *state = calloc((size_t)b->n + 1, 1);	/* 0 new, 1 on the path, 2 done */
	int *path = malloc(sizeof(int) * ((size_t)b->n + 1));

	if (!state || !path) {
		free(state);
		free(path);
		return -1;
	}
	for (int i = 0; i < b->n; i++) {
		int row = b->key[i].row;

		b->out[i] = row >= 0 && b->rows[row].peer != ANY ?
			    find(b, b->key[i].dcid, b->rows[row].peer) : -1;
	}
	for (int i = 0; i < b->n; i++) {
		int len = 0, j = i;

		while (j >= 0 && !state[j]) {
			state[j] = 1;
			path[len++] = j;
			j = b->out[j];
		}
		if (j >= 0 && state[j] == 1) {	/* back on the path: a cycle from j */
			int first = j;

			for (int k = b->out[j]; k != j; k = b->out[k])
				if (k < first)
					first = k;	/* ids are in (dcid, ep) order */
			b->cyc[j] = first + 1;
			for (int k = b->out[j]; k != j; k = b->out[k])
				b->cyc[k] = first + 1;
		}
		while (len)
			state[path[--len]] = 2;
	}
	free(state);
	free(path);
	return 0;
}

/* root[]: follow the out-edges to a root or a cycle, then set the path. */
static void find_roots(struct build *b, int *path)
{
	for (int i = 0; i < b->n; i++)
		b->root[i] = b->out[i] < 0 ? i : b->cyc[i] ? b->cyc[i] - 1 : -1;
	for (int i = 0; i < b->n; i++) {
		int len = 0, j = i;

		while (b->root[j] < 0) {
			path[len++] = j;
			j = b->out[j];
		}
		while (len)
			b->root[path[--len]] = b->root[j];
	}
}

/* children: cycle member first, then by longest wait, then (dcid, ep) */
static int kid_cmp(const void *pa, const void *pb, void *arg)
{
	const struct build *b = arg;
	const int x = *(const int *)pa, y = *(const int *)pb;

	if (b->out[x] != b->out[y])
		return b->out[x] < b->out[y] ? -1 : 1;
	if (!b->cyc[x] != !b->cyc[y])
		return b->cyc[x] ? -1 : 1;
	if (waited(b, x) != waited(b, y))
		return waited(b, x) > waited(b, y) ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* kid[] sorted by parent (kid_cmp), start[] its offsets */
static void find_children(struct build *b)
{
	int m = 0;

	for (int i = 0; i < b->n; i++)
		if (b->out[i] >= 0)
			b->kid[m++] = i;
	qsort_r(b->kid, (size_t)m, sizeof(int), kid_cmp, b);
	memset(b->start, 0, sizeof(int) * ((size_t)b->n + 1));
	for (int k = 0; k < m; k++)
		b->start[b->out[b->kid[k]] + 1]++;
	for (int i = 0; i < b->n; i++)
		b->start[i + 1] += b->start[i];
}

/* the order of the parts: cycles, trees with a waiter, lone endpoints */
struct part {
	int root, cls;
	uint64_t wait;		/* the longest wait of a waiter in it */
};

static int part_cmp(const void *pa, const void *pb)
{
	const struct part *x = pa, *y = pb;

	if (x->cls != y->cls)
		return x->cls < y->cls ? -1 : 1;
	if (x->wait != y->wait)
		return x->wait > y->wait ? -1 : 1;
	return x->root < y->root ? -1 : x->root > y->root;
}

/* the parts, sorted, into parts[]; returns how many */
static int order_parts(const struct build *b, struct part *parts, int *slot)
{
	int np = 0;

	for (int i = 0; i < b->n; i++)
		slot[i] = -1;
	for (int i = 0; i < b->n; i++) {
		int r = b->root[i];

		if (slot[r] < 0) {
			slot[r] = np;
			parts[np++] = (struct part){ r, b->cyc[r] ? 0 : 2, 0 };
		}
		if (b->out[i] >= 0) {
			struct part *p = &parts[slot[r]];

			p->cls = p->cls == 2 ? 1 : p->cls;
			if (waited(b, i) > p->wait)
				p->wait = waited(b, i);
		}
	}
	for (int k = 0; k < np; k++)
		if (parts[k].cls == 2)		/* lone: its own wait */
			parts[k].wait = waited(b, parts[k].root);
	qsort(parts, (size_t)np, sizeof(*parts), part_cmp);
	return np;
}

/* Each part depth-first from its root into g->nodes (stack: node, depth). */
static void walk(const struct build *b, const struct part *parts, int np, int *stack,
		 int *cycnum, char *seen, struct dvk_wait_graph *g)
{
	memset(cycnum, 0, sizeof(int) * (size_t)b->n);
	for (int p = 0; p < np; p++) {
		int sp = 0;

		stack[sp++] = parts[p].root;
		stack[sp++] = 0;
		seen[parts[p].root] = 1;
		while (sp) {
			int depth = stack[--sp], v = stack[--sp];
			struct dvk_wait_node *o = &g->nodes[g->nnodes++];

			*o = b->key[v];
			o->depth = depth;
			if (b->cyc[v] && v == b->cyc[v] - 1)
				cycnum[v] = ++g->ncycles;
			o->cycle = b->cyc[v] ? cycnum[b->cyc[v] - 1] : 0;
			for (int k = b->start[v + 1] - 1; k >= b->start[v]; k--) {
				int c = b->kid[k];

				if (seen[c])
					continue;	/* the cycle's first member */
				seen[c] = 1;
				stack[sp++] = c;
				stack[sp++] = depth + 1;
			}
		}
	}
}

int dvk_wait_graph_build(const struct dvk_wait *rows, int n, struct dvk_wait_graph *g)
{
	size_t cap = 2 * (size_t)(n > 0 ? n : 0) + 1;
	struct build b = { .rows = rows };
	struct part *parts = malloc(sizeof(*parts) * cap);
	int *ints = malloc(sizeof(int) * cap * 7 + sizeof(int));
	char *seen = calloc(cap, 1);
	int rc = -1;

	memset(g, 0, sizeof(*g));
	b.key = malloc(sizeof(*b.key) * cap);
	g->nodes = malloc(sizeof(*g->nodes) * cap);
	if (b.key && parts && ints && seen && g->nodes) {
		/* out cyc root kid: cap each; start: cap + 1; stack: 2 cap */
		b.out = ints;
		b.cyc = ints + cap;
		b.root = ints + 2 * cap;
		b.kid = ints + 3 * cap;
		b.start = ints + 4 * cap;
		collect_nodes(&b, n);
		memset(b.cyc, 0, sizeof(int) * cap);
		if (!find_cycles(&b)) {
			int *scratch = ints + 5 * cap + 1;	/* 2 cap ints */
			int np;

			find_roots(&b, scratch);
			find_children(&b);
			np = order_parts(&b, parts, scratch);
			/* root[] is done with: it numbers the cycles */
			walk(&b, parts, np, scratch, b.root, seen, g);
			rc = 0;
		}
	}
	free(b.key);
	free(parts);
	free(ints);
	free(seen);
	if (rc) {
		dvk_wait_graph_free(g);
		errno = ENOMEM;
	}
	return rc;
}

void dvk_wait_graph_free(struct dvk_wait_graph *g)
{
	free(g->nodes);
	memset(g, 0, sizeof(*g));
}

/* "0/3@0", node -1 as "?" */
static int member_name(const struct dvk_wait_node *v, char *buf, size_t len)
{
	if (v->node < 0)
		return snprintf(buf, len, "%d/%d@?", v->dcid, v->ep);
	return snprintf(buf, len, "%d/%d@%d", v->dcid, v->ep, v->node);
}

/*
 * The members of cycle c come in a row in g->nodes, m0 first, each
 * waiting on the one before it, and m0 on the last: the cycle along its
 * edges is m0 -> m(L-1) -> ... -> m1 -> m0.
 */
int dvk_wait_cycle_name(const struct dvk_wait_graph *g, int c, char *buf, size_t len)
{
	int first = -1, last = -1, total = 0;
	size_t used = 0;
	char one[48];

	if (len)
		buf[0] = '\0';
	for (int i = 0; i < g->nnodes; i++)
		if (g->nodes[i].cycle == c && c > 0) {
			if (first < 0)
				first = i;
			last = i;
		}
	if (first < 0)
		return 0;
	for (int i = first; i <= last + 1; i++) {
		/* m0, then from the last member back to m1, then m0 again */
		int k = i == first ? first : i == last + 1 ? first : last - (i - first - 1);

		member_name(&g->nodes[k], one, sizeof(one));
		total += snprintf(len > used ? buf + used : NULL, len > used ? len - used : 0,
				  "%s%s", i == first ? "" : " -> ", one);
		used = (size_t)total < len ? (size_t)total : len ? len - 1 : 0;
	}
	return total;
}
