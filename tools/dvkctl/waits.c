// SPDX-License-Identifier: GPL-2.0
/*
 * waits.c - dvkctl waits [-j] [FILE...]: who waits on whom, from this
 * node's debugfs dvk/waits merged with FILEs (copies of other nodes'
 * dvk/waits), through lib/dvkview/waits.h, the graph dvktop's Waits screen
 * shows too.  Cycles (deadlocks) first, then each tree as an indented
 * chain: a waiter under what it waits on.  Exit status 3 when a cycle is
 * found, so scripts can test for a deadlock (docs/probes.md).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include <dvk.h>
#include "dvkview/waits.h"
#include "dvkctl.h"

#define WAITS_FILE	"/sys/kernel/debug/dvk/waits"
#define WAITS_CYCLE	3	/* exit status: a cycle was found */

/* The whole of @path (NUL-terminated, malloc'ed), or NULL with errno set. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	size_t len = 0, cap = 8192, got;
	char *buf = NULL, *nb;

	if (!f)
		return NULL;
	do {
		nb = len + 1 >= cap || !buf ? realloc(buf, cap *= 2) : buf;
		if (!nb) {
			free(buf);
			fclose(f);
			errno = ENOMEM;
			return NULL;
		}
		buf = nb;
		got = fread(buf + len, 1, cap - len - 1, f);
		len += got;
	} while (got > 0);
	buf[len] = '\0';
	if (ferror(f)) {
		free(buf);
		buf = NULL;
		errno = EIO;
	}
	fclose(f);
	return buf;
}

/* The rows read so far (several files). */
struct rowset {
	struct dvk_wait *rows;
	int n;
};

/* Append the rows of file @path; -1 (said on stderr) if it cannot be read. */
static int add_file(struct rowset *rs, const char *path)
{
	char *text = slurp(path);
	struct dvk_wait *nr;
	int total, kept;

	if (!text) {
		fprintf(stderr, "dvkctl: waits: %s: %s\n", path, strerror(errno));
		return -1;
	}
	total = dvk_waits_parse(text, NULL, 0, NULL);
	nr = realloc(rs->rows, sizeof(*nr) * (size_t)(rs->n + total + 1));
	if (!nr) {
		free(text);
		fprintf(stderr, "dvkctl: waits: out of memory\n");
		return -1;
	}
	rs->rows = nr;
	dvk_waits_parse(text, rs->rows + rs->n, total, &kept);
	rs->n += kept;
	free(text);
	return 0;
}

/* "0/3@0", node -1 as "?" */
static void member(const struct dvk_wait_node *v, char *buf, size_t len)
{
	if (v->node < 0)
		snprintf(buf, len, "%d/%d@?", v->dcid, v->ep);
	else
		snprintf(buf, len, "%d/%d@%d", v->dcid, v->ep, v->node);
}

/* One line of a tree: the endpoint, how it waits, for how long, who it is. */
static void print_node(const struct dvk_wait_node *v, const struct dvk_wait *rows)
{
	const struct dvk_wait *r = v->row >= 0 ? &rows[v->row] : NULL;
	char who[48];

	member(v, who, sizeof(who));
	printf("%*s%s", 2 * v->depth, "", who);
	if (!r) {
		printf("  (not waiting)\n");
		return;
	}
	printf("  %s", dvk_wait_kind_name(r->kind));
	if (r->peer == ANY)
		printf(" ANY");
	printf("  %" PRIu64 " ms", r->waited_ms);
	if (r->pid >= 0)
		printf("  pid %d", r->pid);
	else
		printf("  stand-in");
	printf("  %s", r->name);
	if (v->cycle)
		printf("  [cycle %d]", v->cycle);
	printf("\n");
}

static void print_text(const struct dvk_wait_graph *g, const struct dvk_wait *rows, int n)
{
	char name[512];
	int c, i;

	for (c = 1; c <= g->ncycles; c++) {
		dvk_wait_cycle_name(g, c, name, sizeof(name));
		printf("CYCLE %d: %s\n", c, name);
	}
	if (!n)
		printf("nobody waits\n");
	for (i = 0; i < g->nnodes; i++)
		print_node(&g->nodes[i], rows);
}

static json_object *row_json(const struct dvk_wait *r)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "dcid", json_object_new_int(r->dcid));
	json_object_object_add(o, "ep", json_object_new_int(r->ep));
	json_object_object_add(o, "node", json_object_new_int(r->node));
	json_object_object_add(o, "pid", json_object_new_int(r->pid));
	json_object_object_add(o, "kind", json_object_new_string(dvk_wait_kind_name(r->kind)));
	json_object_object_add(o, "peer", json_object_new_int(r->peer));
	json_object_object_add(o, "peer_node", json_object_new_int(r->peer_node));
	json_object_object_add(o, "waited_ms", json_object_new_int64((int64_t)r->waited_ms));
	json_object_object_add(o, "msg_id", json_object_new_uint64(r->msg_id));
	json_object_object_add(o, "name", json_object_new_string(r->name));
	return o;
}

/*
 * Cycle @c's members along its edges, as its name lists them: the graph
 * keeps them in a row, m0 first, each waiting on the one before it, so the
 * edges run m0 -> m(L-1) -> ... -> m1 (waits_graph.c).
 */
static json_object *cycle_json(const struct dvk_wait_graph *g, int c)
{
	json_object *o = json_object_new_object(), *ms = json_object_new_array();
	int first = -1, last = -1, i, k;
	char name[512];

	for (i = 0; i < g->nnodes; i++)
		if (g->nodes[i].cycle == c) {
			if (first < 0)
				first = i;
			last = i;
		}
	for (i = first; first >= 0 && i <= last; i++) {
		json_object *m = json_object_new_object();

		k = i == first ? first : last - (i - first - 1);
		json_object_object_add(m, "dcid", json_object_new_int(g->nodes[k].dcid));
		json_object_object_add(m, "ep", json_object_new_int(g->nodes[k].ep));
		json_object_object_add(m, "node", json_object_new_int(g->nodes[k].node));
		json_object_array_add(ms, m);
	}
	dvk_wait_cycle_name(g, c, name, sizeof(name));
	json_object_object_add(o, "members", ms);
	json_object_object_add(o, "name", json_object_new_string(name));
	return o;
}

static void print_json(const struct dvk_wait_graph *g, const struct dvk_wait *rows, int n)
{
	json_object *top = json_object_new_object(), *w = json_object_new_array();
	json_object *cy = json_object_new_array();
	int i;

	for (i = 0; i < n; i++)
		json_object_array_add(w, row_json(&rows[i]));
	for (i = 1; i <= g->ncycles; i++)
		json_object_array_add(cy, cycle_json(g, i));
	json_object_object_add(top, "waits", w);
	json_object_object_add(top, "cycles", cy);
	printf("%s\n", json_object_to_json_string_ext(top, JSON_C_TO_STRING_PLAIN));
	json_object_put(top);
}

/* dvkctl waits [-j] [-F] [FILE...]; -F: the FILEs only, not this node's view */
int dvkctl_waits(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "files-only", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct rowset rs = { NULL, 0 };
	struct dvk_wait_graph g;
	int json = 0, local = 1, c, rc = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "jFh", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'F': local = 0; break;
		case 'h':
			printf("usage: dvkctl waits [-j] [-F] [FILE...]\n");
			return 0;
		default:
			fprintf(stderr, "dvkctl: usage: waits [-j|--json] [-F|--files-only] [FILE...]\n");
			return 2;
		}
	}
	if (!local && optind == argc) {
		fprintf(stderr, "dvkctl: waits: -F wants a FILE\n");
		return 2;
	}
	if (local)	/* this node's own view, unless only copies are read */
		rc = add_file(&rs, WAITS_FILE);
	for (c = optind; c < argc && !rc; c++)
		rc = add_file(&rs, argv[c]);
	if (rc) {
		free(rs.rows);
		return 1;
	}
	rs.n = dvk_waits_merge(rs.rows, rs.n);
	if (dvk_wait_graph_build(rs.rows, rs.n, &g)) {
		fprintf(stderr, "dvkctl: waits: %s\n", strerror(errno));
		free(rs.rows);
		return 1;
	}
	if (json)
		print_json(&g, rs.rows, rs.n);
	else
		print_text(&g, rs.rows, rs.n);
	rc = g.ncycles ? WAITS_CYCLE : 0;
	dvk_wait_graph_free(&g);
	free(rs.rows);
	return rc;
}
