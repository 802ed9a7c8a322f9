/* SPDX-License-Identifier: GPL-2.0 */
/*
 * model.h - dvktop's model: the rows of the four views computed from two
 * consecutive samples, in tables (table.h) that sort and filter them.
 *
 * Pure C: no ncurses, no libbpf (the host unit tests link the model).
 *
 * Definitions used by every view:
 *   count, errors   cumulative since the source was opened (dvktop started);
 *   rate, err_rate  per second over the last interval (cur - prev);
 *                   0 on the first sample, when there is no interval;
 *   p50, p99        percentiles of all calls since start, estimated from
 *                   the log2 histogram (see dvk_hist_percentile());
 *   avg             total_ns / count since start;
 *   err_pct         100 * errors / count since start.
 */
#ifndef DVKTOP_MODEL_H
#define DVKTOP_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include "source.h"
#include "table.h"


/* One row of the calls table: one DVK call number (or "invalid"). */
struct dvk_row {
	int nr;			/* 0..34, or DVK_STAT_INVALID (35) */
	const char *name;	/* static string */
	uint64_t count;
	uint64_t errors;
	double rate;		/* calls/s over the last interval */
	double err_rate;	/* errors/s over the last interval */
	double err_pct;		/* 100 * errors / count */
	uint64_t p50_ns;
	uint64_t p99_ns;
	uint64_t avg_ns;
};

/* Sort columns of the calls table (dvk_calls_class).  Numbers sort largest
 * first, name and nr smallest first; ties by nr. */
enum dvk_sort_key {
	DVK_SORT_COUNT = 0,
	DVK_SORT_RATE,
	DVK_SORT_ERRORS,
	DVK_SORT_P50,
	DVK_SORT_P99,
	DVK_SORT_AVG,
	DVK_SORT_NAME,
	DVK_SORT_NR,
	DVK_SORT_NKEYS
};

/*
 * One row of the Endpoints view: a line of debugfs dvk/endpoints joined with
 * the endpoint's epstats BPF entry.
 *   in_rate, out_rate  messages received / sent per second over the last
 *                      interval (epstats deltas; 0 on the first sample);
 *   sent, received     since dvktop started (epstats);
 *   avg_wait_ns        mean time the messages it received waited in its
 *                      queue, since dvktop started; max_wait_ns the longest.
 */
struct dvk_ep_row {
	struct dvk_endpoint e;
	int has_stats;		/* an epstats entry exists for it */
	uint64_t sent, received;
	double in_rate, out_rate;
	uint64_t avg_wait_ns, max_wait_ns;
};

/* Sort columns of the Endpoints view (dvk_ep_class).  Numbers largest
 * first, ep and name smallest first; ties by (dcid, ep). */
enum dvk_ep_sort_key {
	DVK_EP_SORT_QUEUE = 0,	/* queue depth */
	DVK_EP_SORT_OLDEST,	/* oldest queued sender */
	DVK_EP_SORT_RATE,	/* in_rate + out_rate */
	DVK_EP_SORT_IN,
	DVK_EP_SORT_OUT,
	DVK_EP_SORT_WAIT,	/* avg_wait_ns */
	DVK_EP_SORT_COPIED,
	DVK_EP_SORT_EP,		/* (dcid, ep) */
	DVK_EP_SORT_NAME,
	DVK_EP_SORT_NKEYS
};

/*
 * One row of the Proxies view: one peer node, from the pxstats BPF map
 * (traffic since dvktop started) joined with the debugfs line of the pair
 * that serves the node (state, queue, errors since the pair was bound).
 *   out_rate, in_rate  commands per second each way over the last interval;
 *   out_bps, in_bps    bytes (header + payload) per second each way;
 *   err_rate           put2lcl failures per second (commands from the node);
 *   avg_wait_ns        mean time the commands taken for it waited in the
 *                      queue, since dvktop started;
 *   hist               out_bps + in_bps of the last nhist intervals, oldest
 *                      first (the sparkline).
 * A pair serving several nodes has one queue: its rows show the same QUEUE,
 * OLDEST and errors.
 */
#define DVK_PX_HIST	60

enum dvk_px_link {
	DVK_LINK_UP = 0,	/* both proxies connected */
	DVK_LINK_HALF,		/* one of them */
	DVK_LINK_DOWN,		/* the pair is bound, no proxy connected */
	DVK_LINK_NONE,		/* no pair serves the node (node_down, unbound) */
};

struct dvk_px_row {
	int node;		/* peer node id; -1: put2lcl of commands naming no valid node */
	int has_pair;
	struct dvk_pair pair;	/* the serving pair's debugfs line (zero without one) */
	enum dvk_px_link link;
	struct dvk_px_stat bpf;	/* the pxstats BPF entry, since dvktop started */
	double out_rate, in_rate;
	double out_bps, in_bps;
	double err_rate;
	uint64_t avg_wait_ns;
	int nhist;
	double hist[DVK_PX_HIST];
};

/* Sort columns of the Proxies view (dvk_px_class): node smallest first (node
 * -1 last), the rest largest first; ties in node order. */
enum dvk_px_sort_key {
	DVK_PX_SORT_NODE = 0,
	DVK_PX_SORT_BYTES,	/* out_bps + in_bps */
	DVK_PX_SORT_MSGS,	/* out_rate + in_rate */
	DVK_PX_SORT_QUEUE,
	DVK_PX_SORT_ERRORS,	/* the pair's err_out + err_in + refused */
	DVK_PX_SORT_NKEYS
};

/*
 * One line of the Waits view (model_waits.c): an endpoint of the wait-for
 * graph of debugfs dvk/waits (lib/dvkview/waits.h), in the graph's display
 * order (each waiter under what it waits on, cycles first), or the line
 * naming a cycle, just before the cycle's first member.
 *   waits      a row of dvk/waits describes it (w); else it is only waited
 *              on (a root), and pid and name come from dvk/endpoints when
 *              it is bound on this node (pid 0: unknown);
 *   remote     pid -1 (a remote caller's stand-in), or a root on another node;
 *   text       a cycle's line: its name in the model's wait_cycles (NULL
 *              past DVK_MAX_WAIT_CYCLES);
 *   last       no later sibling: its tree glyph is the corner;
 *   bar[k]     its ancestor at depth k + 1 has a later sibling: a vertical
 *              bar at that level (for k < depth - 1, up to DVK_WAIT_TREE_MAX).
 * The view is a tree: its one sort column keeps the display order.
 */
#define DVK_MAX_WAIT_ROWS	(3 * DVK_MAX_WAITS)
#define DVK_MAX_WAIT_CYCLES	64
#define DVK_WAIT_NAME_LEN	512
#define DVK_WAIT_TREE_MAX	16

struct dvk_wait_row {
	int index;		/* in the display order (the identity) */
	int cycle_line;		/* 0: an endpoint; c: the line naming cycle c */
	int32_t dcid, ep, node;
	int depth, cycle;	/* as struct dvk_wait_node */
	int waits;
	struct dvk_wait w;	/* zero unless waits */
	int32_t pid;		/* -1: a remote caller's stand-in */
	int remote;
	const char *text;
	char name[17];
	int last;
	unsigned char bar[DVK_WAIT_TREE_MAX];
};

enum dvk_wait_sort_key {
	DVK_WAIT_SORT_TREE = 0,	/* the graph's order */
	DVK_WAIT_SORT_NKEYS
};

/* A cycle of the graph: its name ("0/3@0 -> 0/5@1 -> 0/3@0", cut with
 * "..." past DVK_WAIT_NAME_LEN) and its number of members. */
struct dvk_wait_cycle {
	char name[DVK_WAIT_NAME_LEN];
	int members;
};

/*
 * Everything a view draws, recomputed by dvk_model_update().  Each view is
 * a table (table.h) with its own sort, reverse and filter; the arrays are
 * the tables' rows (all: computed; rows: filtered and sorted).
 */
struct dvk_model {
	struct dvk_sample prev, cur;
	int nsamples;		/* samples taken so far */
	double interval_s;	/* cur.time - prev.time; 0 on the first sample */

	/* the calls: one row per call with count > 0 */
	struct dvk_table calls;
	struct dvk_row call_all[DVK_STAT_SLOTS];
	struct dvk_row call_rows[DVK_STAT_SLOTS];
	/* totals over all calls (unfiltered) */
	uint64_t total_count;
	uint64_t total_errors;
	double total_rate;

	/* the Endpoints view, filtered by endpoint name */
	struct dvk_table eps;
	struct dvk_ep_row ep_all[DVK_MAX_ENDPOINTS];
	struct dvk_ep_row ep_rows[DVK_MAX_ENDPOINTS];
	/* totals over all listed endpoints (unfiltered) */
	int ep_queued;		/* sum of queue depths */
	double ep_in_rate;	/* sum of in_rate */

	/* the Proxies view, filtered by pair name or node id ("node3") */
	struct dvk_table pxs;
	struct dvk_px_row px_all[DVK_PX_SLOTS];
	struct dvk_px_row px_rows[DVK_PX_SLOTS];
	/* totals over all rows (unfiltered); queued over the pairs */
	int px_up;		/* peers whose link is up */
	int px_queued;
	double px_out_bps, px_in_bps;
	/* throughput history per slot (node), a ring of px_hist_len values */
	double px_hist[DVK_PX_SLOTS][DVK_PX_HIST];
	int px_hist_len, px_hist_next;

	/* the Waits view, filtered by endpoint name or "dc/ep" */
	struct dvk_table waits;
	struct dvk_wait_row wait_all[DVK_MAX_WAIT_ROWS];
	struct dvk_wait_row wait_rows[DVK_MAX_WAIT_ROWS];
	/* over the whole graph (unfiltered) */
	int wait_waiters;	/* endpoints that wait on another */
	uint64_t wait_longest_ms;	/* the longest wait of those */
	int wait_ncycles;	/* cycles found; the first DVK_MAX_WAIT_CYCLES kept */
	struct dvk_wait_cycle wait_cycles[DVK_MAX_WAIT_CYCLES];
	int wait_nomem;		/* the graph could not be built */
};

/* The four tables' classes: columns in enum order, identity, filter. */
extern const struct dvk_table_class dvk_calls_class;	/* struct dvk_row */
extern const struct dvk_table_class dvk_ep_class;	/* struct dvk_ep_row */
extern const struct dvk_table_class dvk_px_class;	/* struct dvk_px_row */
extern const struct dvk_table_class dvk_wait_class;	/* struct dvk_wait_row */

/* Names (call and error names: libdvk's dvk_callname(), dvk_errname()) */
const char *dvk_dvs_state_name(enum dvk_dvs_state st);	/* "initialized", ... */

/* Histogram percentile in ns (0 <= p <= 1); 0 when the histogram is empty. */
uint64_t dvk_hist_percentile(const __u64 *hist, int nslots, double p);

/* Rows from two samples (prev may be NULL: rates are then 0); returns n. */
int dvk_rows_compute(const struct dvk_sample *prev, const struct dvk_sample *cur,
		     struct dvk_row rows[DVK_STAT_SLOTS]);

/* The model (sorts: count, queue depth, node; no filters) */
void dvk_model_init(struct dvk_model *m);
void dvk_model_update(struct dvk_model *m, const struct dvk_sample *s);
void dvk_model_refresh(struct dvk_model *m);	/* after a sort/filter change */

/*
 * Endpoints view (model_endpoints.c): rows from the endpoints of cur joined with the epstats of cur and prev
 * (prev may be NULL: rates are then 0).  An endpoint missing from prev's
 * epstats counts from 0: it appeared during the interval (the entry of a
 * process slot is zeroed when a new endpoint takes it).  Sorts cur's and prev's
 * epstats by key (they are the caller's copies).  Returns n.
 */
int dvk_ep_rows_compute(struct dvk_sample *prev, struct dvk_sample *cur,
			struct dvk_ep_row rows[DVK_MAX_ENDPOINTS]);

/* Proxies view (model_proxies.c) */
const char *dvk_px_link_name(enum dvk_px_link link);	/* "up", "half", "down", "none" */
/*
 * Rows (node order, hist empty) from the pairs of cur and the pxstats of
 * cur and prev (prev may be NULL: rates are then 0).  A node gets a row
 * when a pair serves it or BPF counted anything for it; slot DVK_PX_OTHER
 * (node -1) only when it counted something.  Returns n.
 */
int dvk_px_rows_compute(const struct dvk_sample *prev, const struct dvk_sample *cur,
			struct dvk_px_row rows[DVK_PX_SLOTS]);
/* Proxies part of dvk_model_update(): rows, history, totals (internal). */
void dvk_px_model_update(struct dvk_model *m);

/* Waits view (model_waits.c): cur's waits merged, the graph, its lines and
 * totals (part of dvk_model_update()). */
void dvk_wait_model_update(struct dvk_model *m);

#endif /* DVKTOP_MODEL_H */
