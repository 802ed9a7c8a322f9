// SPDX-License-Identifier: GPL-2.0
/*
 * waits.c - the parser of debugfs dvk/waits and the merge of the rows of
 * several nodes (waits.h); the graph is in waits_graph.c.
 */
#define _GNU_SOURCE		/* qsort_r: the rows travel with the sort */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dvkview.h"
#include "waits.h"
#include "waits_key.h"

static const char *const kind_names[DVK_WAIT_NKINDS] = {
	[DVK_WAIT_SEND] = "send",
	[DVK_WAIT_SENDREC] = "sendrec",
	[DVK_WAIT_REPLY] = "reply",
	[DVK_WAIT_RECEIVE] = "receive",
	[DVK_WAIT_NOTIFY] = "notify",
	[DVK_WAIT_MIGRATE] = "migrate",
};

const char *dvk_wait_kind_name(int kind)
{
	return kind >= 0 && kind < DVK_WAIT_NKINDS ? kind_names[kind] : NULL;
}

int dvk_wait_kind_parse(const char *s)
{
	for (int k = 0; k < DVK_WAIT_NKINDS; k++)
		if (!strcmp(s, kind_names[k]))
			return k;
	return -1;
}

/* ------------------------------------------------------------------ */
/* Parsing                                                              */
/* ------------------------------------------------------------------ */
/* a decimal int32 that is the whole of s */
static int parse_i32(const char *s, int32_t *v)
{
	char *end;
	long x = strtol(s, &end, 10);

	if (end == s || *end || x < INT32_MIN || x > INT32_MAX)
		return -1;
	*v = (int32_t)x;
	return 0;
}

/*
 * The kernel prints "%2d %5d %4d %7d %-8s %5s %5d %10llu %20llu %s": nine
 * fields, then the name, which may hold spaces and runs to the line's end.
 */
int dvk_wait_line(const char *line, struct dvk_wait *r)
{
	char kind[16], peer[16];
	unsigned long long waited, msg;
	size_t nlen;
	int used = 0;

	memset(r, 0, sizeof(*r));
	if (sscanf(line, "%d %d %d %d %15s %15s %d %llu %llu %n", &r->dcid, &r->ep, &r->node,
		   &r->pid, kind, peer, &r->peer_node, &waited, &msg, &used) != 9 || used == 0)
		return -1;	/* the header or garbage */
	r->kind = dvk_wait_kind_parse(kind);
	if (r->kind < 0 || r->pid < -1 || r->dcid < 0)
		return -1;
	if (!strcmp(peer, "ANY"))
		r->peer = ANY;
	else if (parse_i32(peer, &r->peer))
		return -1;
	r->waited_ms = waited;
	r->msg_id = msg;
	snprintf(r->name, sizeof(r->name), "%.16s", line + used);
	nlen = strlen(r->name);
	while (nlen && (r->name[nlen - 1] == ' ' || r->name[nlen - 1] == '\r'))
		r->name[--nlen] = '\0';
	return 0;
}

static int wait_line(const char *line, void *row)
{
	return dvk_wait_line(line, row);
}

int dvk_waits_parse(const char *text, struct dvk_wait *rows, int max, int *kept)
{
	return dvkview_collect(text, 256, wait_line, rows, sizeof(*rows), max, kept);
}

/* ------------------------------------------------------------------ */
/* Merging                                                              */
/* ------------------------------------------------------------------ */
/* by (dcid, ep), then the row with a pid first, then file order */
static int merge_cmp(const void *a, const void *b, void *arg)
{
	const struct dvk_wait *rows = arg;
	const int i = *(const int *)a, j = *(const int *)b;
	const struct dvk_wait *x = &rows[i], *y = &rows[j];
	int c = dvk_wait_key_cmp(x->dcid, x->ep, y->dcid, y->ep);

	if (c)
		return c;
	if ((x->pid == -1) != (y->pid == -1))
		return x->pid == -1 ? 1 : -1;
	return i < j ? -1 : i > j;
}

int dvk_waits_merge(struct dvk_wait *rows, int n)
{
	int *idx = malloc(sizeof(*idx) * (size_t)(n > 0 ? n : 1));
	char *keep = calloc((size_t)(n > 0 ? n : 1), 1);
	int out = 0;

	if (!idx || !keep) {	/* no memory: the rows stay as they are */
		free(idx);
		free(keep);
		return n;
	}
	for (int i = 0; i < n; i++)
		idx[i] = i;
	qsort_r(idx, (size_t)n, sizeof(*idx), merge_cmp, rows);
	for (int k = 0; k < n; k++)
		if (k == 0 || dvk_wait_key_cmp(rows[idx[k]].dcid, rows[idx[k]].ep,
				      rows[idx[k - 1]].dcid, rows[idx[k - 1]].ep))
			keep[idx[k]] = 1;	/* the first of its group: the best */
	for (int i = 0; i < n; i++)	/* the kept rows in their first order */
		if (keep[i])
			rows[out++] = rows[i];
	free(idx);
	free(keep);
	return out;
}
