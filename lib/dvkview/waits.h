/* SPDX-License-Identifier: GPL-2.0 */
/*
 * waits.h - who waits on whom: the parser of debugfs dvk/waits and the
 * wait-for graph built from it (docs/proc-debugfs.md gives the format,
 * docs/probes.md how to read the graph).  Shared by dvkctl waits, dvktop's
 * Waits screen and the tests, so the graph is built one way only.
 *
 * Each waiting slot waits on at most one peer (p_sendto while SENDING,
 * else p_getfrom while RECEIVING; a receive from ANY waits on nobody), so
 * the graph is a forest of trees rooted at the endpoints everybody waits
 * on, plus at most one cycle per connected part (a deadlock).  An edge
 * X -> Y between nodes is listed on X's node (X sleeps) and on Y's node
 * (X's stand-in is queued at Y or waits for Y's reply): rows of several
 * nodes can be merged, the same edge kept once.
 *
 * Pure C, no libdvk.
 */
#ifndef DVKVIEW_WAITS_H
#define DVKVIEW_WAITS_H

#include <stdint.h>
#include <stddef.h>

/* What a slot waits for (the WAIT column). */
enum dvk_wait_kind {
	DVK_WAIT_SEND = 0,	/* "send":    its message is queued at peer, or waits for the remote ACK */
	DVK_WAIT_SENDREC,	/* "sendrec": a sendrec's request is not taken yet */
	DVK_WAIT_REPLY,		/* "reply":   the request was taken, the reply is awaited */
	DVK_WAIT_RECEIVE,	/* "receive": receive/rcvrqst from peer (or ANY: no edge) */
	DVK_WAIT_NOTIFY,	/* "notify":  a remote notify waits for the sender proxy */
	DVK_WAIT_MIGRATE,	/* "migrate": waits for peer's migration to end */
	DVK_WAIT_NKINDS
};

/* One waiting slot (a line of debugfs dvk/waits). */
struct dvk_wait {
	int32_t dcid;
	int32_t ep;		/* the waiter */
	int32_t node;		/* its node: this one, or a remote caller's (a stand-in) */
	int32_t pid;		/* the bound task's pid; -1 for a remote caller's stand-in */
	int32_t kind;		/* enum dvk_wait_kind */
	int32_t peer;		/* the endpoint waited on; ANY (31438) for none */
	int32_t peer_node;	/* its node; -1 when peer is ANY or not bound here */
	uint64_t waited_ms;	/* since the wait began */
	uint64_t msg_id;	/* the message it waits with, 0 if none */
	char name[17];		/* the waiter's p_name */
};

/* "send", "sendrec"...; NULL for an unknown kind */
const char *dvk_wait_kind_name(int kind);
/* The kind named s, or -1. */
int dvk_wait_kind_parse(const char *s);

/*
 * The whole text of debugfs dvk/waits into at most max rows (file order);
 * returns the number of rows in the text (may exceed max), *kept (if not
 * NULL) the rows stored.  The header and malformed lines are skipped.
 * dvk_wait_line: one line (no newline): 0 and *out set, or -1.
 */
int dvk_waits_parse(const char *text, struct dvk_wait *rows, int max, int *kept);
int dvk_wait_line(const char *line, struct dvk_wait *out);

/* One line of the graph as a tree: an endpoint and the one it hangs from. */
struct dvk_wait_node {
	int32_t dcid, ep;
	int32_t node;		/* -1: unknown (a peer no row describes) */
	int row;		/* its row in the rows given; -1 if no row describes it
				 * (an endpoint only waited on: a root) */
	int depth;		/* 0 for a root or the first member of a cycle */
	int cycle;		/* 0, or the number (1, 2, ...) of the cycle it is part of */
};

/* The graph of some rows, in display order. */
struct dvk_wait_graph {
	struct dvk_wait_node *nodes;	/* every endpoint once: each tree depth-first,
					 * a waiter right after what it waits on;
					 * cycles first, then trees by longest wait,
					 * then lone endpoints (a receive from ANY
					 * nobody waits on); a cycle's members in a
					 * row from its smallest (dcid, ep), each
					 * waiting on the one before it, then the
					 * waiters hanging on them (waits_graph.c) */
	int nnodes;
	int ncycles;
};

/*
 * Merge rows (maybe from several nodes) into rows[] in place: a waiter
 * listed twice (on its own node and as a stand-in on its peer's) is kept
 * once, the row with a pid (its own node's) preferred.  Returns the new n.
 */
int dvk_waits_merge(struct dvk_wait *rows, int n);

/*
 * Build the graph of rows[0..n) (merged first if they may repeat).
 * Returns 0, or -1 (errno ENOMEM).  Free with dvk_wait_graph_free().
 */
int dvk_wait_graph_build(const struct dvk_wait *rows, int n, struct dvk_wait_graph *g);
void dvk_wait_graph_free(struct dvk_wait_graph *g);

/*
 * Cycle c (1..ncycles) named as "0/3@0 -> 0/5@1 -> 0/7@0 -> 0/3@0"
 * (dcid/ep@node, the first member again at the end) into buf.
 * Returns the length, as snprintf.
 */
int dvk_wait_cycle_name(const struct dvk_wait_graph *g, int c, char *buf, size_t len);

#endif /* DVKVIEW_WAITS_H */
