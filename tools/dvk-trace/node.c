// SPDX-License-Identifier: GPL-2.0
/*
 * node.c - one node's event array and thread names (no trace-cmd here, so
 * the unit test builds nodes of synthetic events with it).
 */
#include <stdlib.h>
#include <string.h>

#include "dvk-trace.h"

struct dt_event *dt_node_add(struct dt_node *n)
{
	if (n->n == n->cap) {
		size_t cap = n->cap ? n->cap * 2 : 4096;
		struct dt_event *e = realloc(n->ev, cap * sizeof(*e));

		if (!e)
			return NULL;
		n->ev = e;
		n->cap = cap;
	}
	memset(&n->ev[n->n], 0, sizeof(n->ev[0]));
	return &n->ev[n->n++];
}

const char *dt_comm(const struct dt_node *n, int pid)
{
	int i;

	for (i = 0; i < n->ncomm; i++)
		if (n->comms[i].pid == pid)
			return n->comms[i].comm;
	return NULL;
}

void dt_node_free(struct dt_node *n)
{
	free(n->ev);
	free(n->comms);
	free(n->tc_trace);
	free(n->tc_mono);
	n->ev = NULL;
	n->comms = NULL;
	n->tc_trace = n->tc_mono = NULL;
	n->ntc = 0;
	n->n = n->cap = 0;
	n->ncomm = 0;
}
