// SPDX-License-Identifier: GPL-2.0
/*
 * model_waits.c - the model of the Waits view: the rows of debugfs
 * dvk/waits merged and turned into the wait-for graph by lib/dvkview
 * (waits.h), one line per endpoint in the graph's order plus a line naming
 * each cycle, with what the tree glyphs need; the view's table class.
 * Pure C, like model.c (tests/unit/test_waits_view.c links it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"
#include "model_util.h"

/* pid and name of a root no row describes: dvk/endpoints, if bound here */
static void root_from_endpoints(const struct dvk_sample *s, struct dvk_wait_row *r)
{
	for (int i = 0; i < s->nendpoints; i++) {
		const struct dvk_endpoint *e = &s->endpoints[i];

		if (e->dcid == r->dcid && e->ep == r->ep) {
			r->pid = e->pid;
			snprintf(r->name, sizeof(r->name), "%s", e->name);
			return;
		}
	}
}

/* the graph's nodes into m->wait_all, a cycle's line before its first member */
static void fill_rows(struct dvk_model *m, const struct dvk_wait *rows,
		      const struct dvk_wait_graph *g)
{
	int n = 0;

	for (int i = 0; i < g->nnodes && n < DVK_MAX_WAIT_ROWS; i++) {
		const struct dvk_wait_node *v = &g->nodes[i];
		struct dvk_wait_row *r;

		if (v->cycle && v->depth == 0 && n + 1 < DVK_MAX_WAIT_ROWS) {
			r = &m->wait_all[n];
			memset(r, 0, sizeof(*r));
			r->index = n++;
			r->cycle_line = v->cycle;
			r->cycle = v->cycle;
			r->dcid = v->dcid;
			r->ep = v->ep;
			r->node = v->node;
			r->text = v->cycle <= DVK_MAX_WAIT_CYCLES ?
				  m->wait_cycles[v->cycle - 1].name : NULL;
		}
		r = &m->wait_all[n];
		memset(r, 0, sizeof(*r));
		r->index = n++;
		r->dcid = v->dcid;
		r->ep = v->ep;
		r->node = v->node;
		r->depth = v->depth;
		r->cycle = v->cycle;
		if (v->row >= 0) {
			r->waits = 1;
			r->w = rows[v->row];
			r->pid = r->w.pid;
			memcpy(r->name, rows[v->row].name, sizeof(r->name));
			if (r->w.peer != ANY) {
				m->wait_waiters++;
				if (r->w.waited_ms > m->wait_longest_ms)
					m->wait_longest_ms = r->w.waited_ms;
			}
		} else {
			root_from_endpoints(&m->cur, r);
		}
		r->remote = r->pid == -1 || (r->pid == 0 && r->node != m->cur.dvs.nodeid);
	}
	m->waits.nall = n;
}

/* the cycles' names (cut with "..." when too long) and sizes */
static void fill_cycles(struct dvk_model *m, const struct dvk_wait_graph *g)
{
	m->wait_ncycles = g->ncycles;
	for (int c = 1; c <= g->ncycles && c <= DVK_MAX_WAIT_CYCLES; c++) {
		struct dvk_wait_cycle *cy = &m->wait_cycles[c - 1];
		int len = dvk_wait_cycle_name(g, c, cy->name, sizeof(cy->name));

		if (len >= (int)sizeof(cy->name))
			memcpy(cy->name + sizeof(cy->name) - 5, " ...", 5);
		cy->members = 0;
		for (int i = 0; i < g->nnodes; i++)
			cy->members += g->nodes[i].cycle == c;
	}
}

/*
 * last: no later sibling (backwards, open[d] says a later line at depth d
 * comes before any shallower one); bar[]: the ancestors' last, forwards.
 */
static void tree_glyphs(struct dvk_wait_row *rows, int n)
{
	char *open = calloc((size_t)n + 2, 1), *lastpath = calloc((size_t)n + 2, 1);
	int top = 0;

	if (!open || !lastpath)
		goto out;	/* no glyph flags: every line drawn as a middle one */
	for (int i = n - 1; i >= 0; i--) {
		int d = rows[i].depth;

		if (rows[i].cycle_line)
			continue;
		rows[i].last = !open[d];
		open[d] = 1;
		for (; top > d; top--)
			open[top] = 0;
		top = d;
	}
	for (int i = 0; i < n; i++) {
		int d = rows[i].depth;

		if (rows[i].cycle_line)
			continue;
		lastpath[d] = (char)rows[i].last;
		for (int k = 1; k < d && k <= DVK_WAIT_TREE_MAX; k++)
			rows[i].bar[k - 1] = !lastpath[k];
	}
out:
	free(open);
	free(lastpath);
}

void dvk_wait_model_update(struct dvk_model *m)
{
	const struct dvk_sample *s = &m->cur;
	struct dvk_wait *rows = malloc(sizeof(*rows) * ((size_t)s->nwaits + 1));
	struct dvk_wait_graph g;
	int n;

	m->waits.nall = 0;
	m->wait_waiters = 0;
	m->wait_longest_ms = 0;
	m->wait_ncycles = 0;
	m->wait_nomem = 0;
	if (rows)
		memcpy(rows, s->waits, sizeof(*rows) * (size_t)s->nwaits);
	n = rows ? dvk_waits_merge(rows, s->nwaits) : 0;
	if (!rows || dvk_wait_graph_build(rows, n, &g)) {
		m->wait_nomem = 1;
		free(rows);
		return;
	}
	fill_rows(m, rows, &g);
	fill_cycles(m, &g);
	tree_glyphs(m->wait_all, m->waits.nall);
	dvk_wait_graph_free(&g);
	free(rows);
}

/* ------------------------------------------------------------------ */
/* The table class: one column, the tree's order                        */
/* ------------------------------------------------------------------ */
DVK_ROW_CMP(wait_identity, struct dvk_wait_row, dvk_cmp_int_asc(a->index, b->index))

/* a cycle's line always stays (a deadlock is never filtered away); an
 * endpoint by its name, "dc/ep" or "ep@node" */
static int wait_match(const void *row, const char *filter)
{
	const struct dvk_wait_row *r = row;
	char id[48];

	if (r->cycle_line)
		return 1;
	snprintf(id, sizeof(id), "%d/%d@%d", r->dcid, r->ep, r->node);
	return contains_nocase(r->name, filter) || contains_nocase(id, filter);
}

static const struct dvk_column wait_columns[DVK_WAIT_SORT_NKEYS] = {
	[DVK_WAIT_SORT_TREE] = { "tree", wait_identity, 1 },
};

const struct dvk_table_class dvk_wait_class =
	DVK_TABLE_CLASS(struct dvk_wait_row, wait_columns, wait_identity, wait_match, "order",
			DVK_WAIT_SORT_TREE);
