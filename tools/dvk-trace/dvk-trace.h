/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dvk-trace.h - what the parts of dvk-trace share (docs/support.md,
 * "Timelines in Perfetto").
 *
 *   load.c      one capture archive -> a node's events (libtracecmd) and clocks
 *   clock.c     mono -> realtime per node; the nodes' residual offsets from the
 *               commands that cross the links (NTP's minimum-delay method)
 *   join.c      threads -> endpoints, calls and blocked time -> slices,
 *               message ids -> hops (flows) within and across nodes
 *   perfetto.c  the Chrome/Perfetto trace-event JSON
 *   summary.c   the text summary
 */
#ifndef DVK_TRACE_H
#define DVK_TRACE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define DT_MAX_NODES	32

enum dt_type {
	DT_CALL_ENTER, DT_CALL_EXIT, DT_BIND, DT_UNBIND, DT_MSG_SEND, DT_MSG_RECEIVE,
	DT_NOTIFY, DT_BLOCK, DT_WAKE, DT_RMT_ENQUEUE, DT_RMT_GET, DT_RMT_PUT, DT_RMT_ACK,
	DT_NTYPES
};

/* One dvk event of one node.  Fields not used by a type are 0. */
struct dt_event {
	int64_t mono;		/* the node's CLOCK_MONOTONIC (trace-cmd -C mono) */
	int64_t t;		/* on the common time base, ns (clock.c) */
	uint64_t id;		/* message id */
	int64_t val;		/* exit: ret; receive: queued_ns; send: depth; block:
				   timeout_ms; wake: result; rmt_*: val */
	int32_t node, type, pid;	/* pid = the thread (common_pid) */
	int32_t nr;		/* call_enter/exit: call number; bind: bound pid */
	int32_t dcid, src, dst;	/* block/wake: src = ep, dst = peer; bind: src = ep */
	int32_t cmd, peer;	/* rmt_*: c_cmd, the other node */
	int32_t flags;		/* exit: failed; send: queued; block: flags; notify: outcome */
	char name[16];		/* bind: the task's comm */
};

/* One node's capture. */
struct dt_node {
	int node;			/* DVS node id (manifest node.id) */
	char name[64];
	char path[1024];		/* the archive it came from */
	struct dt_event *ev;		/* sorted by mono */
	size_t n, cap;
	int64_t clk_mono[2], clk_rt[2];	/* the first and last clock pair */
	int nclk;
	/* trace clock -> CLOCK_MONOTONIC (a flight trace in clock local): the
	 * manifest's trace.clock_pairs sorted by trace time; ntc 0: the trace
	 * is in CLOCK_MONOTONIC already */
	int64_t *tc_trace, *tc_mono;
	size_t ntc;
	int64_t win_start, win_end;	/* the capture window, mono */
	int64_t offset;			/* ns added after mono -> realtime (clock.c) */
	int64_t offset_unc;		/* its uncertainty, ns (-1: not estimated) */
	int64_t lost;			/* events the ring buffer dropped */
	struct dt_comm { int pid; char comm[16]; } *comms;	/* of the pids seen */
	int ncomm;
};

/* The residual offset of one node against the reference node. */
struct dt_offset {
	int node;
	int64_t ntp_offset, ntp_delay;	/* the min-delay quadruple (ntp_n > 0) */
	long ntp_n;			/* request/answer quadruples seen */
	int64_t lo, hi;			/* the offsets no crossing contradicts */
	long n_out, n_in;		/* crossings to / from the node */
	int64_t offset, uncertainty;	/* what is applied, and its half-width */
	int consistent;			/* lo <= hi */
};

struct dt_timeline {
	struct dt_node nodes[DT_MAX_NODES];
	int nnodes;
	int ref;			/* index of the reference node */
	struct dt_offset off[DT_MAX_NODES];	/* by index */
	int64_t base;			/* common ns of ts 0 in the JSON */
};

/* A thread's track: the endpoint it speaks for, or the thread itself. */
struct dt_track {
	int node, dcid, ep;		/* dcid -1: not an endpoint (tid = pid) */
	int pid;
	char name[48];
};

/* A slice on a track (call or blocked time). */
struct dt_slice {
	int64_t t, dur;
	int track;			/* index into dt_join.tracks */
	int kind;			/* 0 call, 1 blocked */
	const struct dt_event *begin, *end;
};

/* One flow arrow: a message going from one event to the next of its path. */
struct dt_hop {
	const struct dt_event *from, *to;
	int from_track, to_track;
	const char *what;		/* "send>receive", "get>put"... (static) */
	uint64_t id;
};

/* One message's path (events of one id, in causal order). */
struct dt_msg {
	uint64_t id;
	const struct dt_event *send, *enq, *get, *put, *recv;	/* the request */
	const struct dt_event *dsend;	/* the stand-in's dvk_msg_send (put2lcl) */
	const struct dt_event *aenq, *aget, *ack;		/* its ACK, if any */
	int cross;		/* went between nodes */
	int joined;		/* cross and both nodes have events of it */
	int edge;		/* cross, not joined, near a window's edge */
};

struct dt_join {
	struct dt_track *tracks;
	size_t ntracks;
	struct dt_slice *slices;
	size_t nslices;
	struct dt_hop *hops;
	size_t nhops;
	struct dt_msg *msgs;
	size_t nmsgs;
	long dropped_slices;		/* unmatched enter/exit, block/wake */
	long backwards;			/* same-node arrows left out: went back */
	long overlapping;		/* slices dropped: partial overlap on a track */
	long cross, joined, half_edge, half_inside;
};

/* load.c */
int dt_load(const char *path, struct dt_node *n, char *err, size_t errlen);
void dt_node_free(struct dt_node *n);
const char *dt_comm(const struct dt_node *n, int pid);
struct dt_event *dt_node_add(struct dt_node *n);

/* clock.c */
/* A trace time stamp in CLOCK_MONOTONIC: piecewise linear through the trace
 * clock pairs, the first and last segment extended; one pair: its offset. */
int64_t dt_trace_to_mono(const struct dt_node *n, int64_t t);
/* Set N's trace clock pairs (copied, sorted by trace time); -1 out of memory. */
int dt_node_set_trace_pairs(struct dt_node *n, const int64_t *trace, const int64_t *mono, size_t k);
int64_t dt_mono_to_rt(const struct dt_node *n, int64_t mono);
void dt_clock_apply(struct dt_timeline *tl, FILE *log);
void dt_offset_estimate(struct dt_timeline *tl, int idx, struct dt_offset *o);
int64_t dt_node_time(const struct dt_node *n, int64_t mono);

/* join.c */
int dt_node_index(const struct dt_timeline *tl, int node);
int dt_join_build(struct dt_timeline *tl, struct dt_join *j, int64_t edge_ns);
void dt_join_free(struct dt_join *j);
int dt_cmd_is_ack(int cmd);
const char *dt_cmd_name(int cmd);

/* perfetto.c */
int dt_write_perfetto(const struct dt_timeline *tl, const struct dt_join *j, FILE *out);

/* summary.c */
void dt_summary(const struct dt_timeline *tl, const struct dt_join *j, int top, FILE *out);
void dt_print_offsets(const struct dt_timeline *tl, FILE *out);

#endif /* DVK_TRACE_H */
