/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dvk_trace_rmt.h - trace events between nodes: proxy pairs, nodes, the
 * commands the proxies carry, migration (TRACE_SYSTEM dvk; the events of
 * one node's calls are in dvk_trace_ipc.h).
 *
 * The record layouts below are a public ABI, as those of dvk_trace_ipc.h.
 * The callers include dvk_trace.h; the one file that instantiates these
 * events is kernel/dvk_trace_rmt.c (CREATE_TRACE_POINTS: a header of the
 * same TRACE_SYSTEM per file).
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM dvk

#if !defined(_DVK_TRACE_RMT_H) || defined(TRACE_HEADER_MULTI_READ)
#define _DVK_TRACE_RMT_H

#include <linux/tracepoint.h>
#include <dvk.h>

/**
 * dvk_proxy_conn - a proxy pair changed: bound (@status 0), a proxy_conn
 * (@status CONNECT_SPROXY 1 .. DISCONNECT_RPROXY 4) or freed (@status -1:
 * proxies_unbind, a proxy's exit, dvs_end).  Answers "when did the link to
 * those nodes come up or go down, and who did it?".  @flags: px_flags
 * afterwards (before, when freed).
 */
TRACE_EVENT(dvk_proxy_conn,

	TP_PROTO(int px_nr, int status, int flags, pid_t by),

	TP_ARGS(px_nr, status, flags, by),

	TP_STRUCT__entry(
		__field(s32, px_nr)
		__field(s32, status)
		__field(s32, flags)
		__field(s32, by)
	),

	TP_fast_assign(
		__entry->px_nr = px_nr;
		__entry->status = status;
		__entry->flags = flags;
		__entry->by = by;
	),

	TP_printk("px=%d %s flags=0x%x by=%d", __entry->px_nr,
		  __print_symbolic(__entry->status, { -1, "freed" }, { 0, "bound" },
				   { CONNECT_SPROXY, "sproxy_up" }, { CONNECT_RPROXY, "rproxy_up" },
				   { DISCONNECT_SPROXY, "sproxy_down" },
				   { DISCONNECT_RPROXY, "rproxy_down" },
				   { REFUSED_RPROXY, "refused" }),
		  __entry->flags, __entry->by)
);

/**
 * dvk_node_state - a node was attached (node_up) or detached (node_down).
 * Answers "which nodes did this host know, through which pair, when?".
 */
TRACE_EVENT(dvk_node_state,

	TP_PROTO(int nodeid, int flags, int px_nr, pid_t by),

	TP_ARGS(nodeid, flags, px_nr, by),

	TP_STRUCT__entry(
		__field(s32, nodeid)
		__field(s32, flags)
		__field(s32, px_nr)
		__field(s32, by)
	),

	TP_fast_assign(
		__entry->nodeid = nodeid;
		__entry->flags = flags;
		__entry->px_nr = px_nr;
		__entry->by = by;
	),

	TP_printk("node=%d flags=0x%x px=%d by=%d", __entry->nodeid, __entry->flags,
		  __entry->px_nr, __entry->by)
);

#define dvk_show_cmd(c)							\
	__print_symbolic(c, { CMD_NONE, "none" }, { CMD_SEND_MSG, "send" },	\
		{ CMD_NTFY_MSG, "notify" }, { CMD_SNDREC_MSG, "sendrec" },	\
		{ CMD_REPLY_MSG, "reply" }, { CMD_COPYIN_DATA, "copyin_data" },	\
		{ CMD_COPYOUT_RQST, "copyout_rqst" }, { CMD_COPYLCL_RQST, "copylcl_rqst" }, \
		{ CMD_COPYRMT_RQST, "copyrmt_rqst" }, { CMD_COPYIN_RQST, "copyin_rqst" }, \
		{ CMD_SEND_ACK, "send_ack" }, { CMD_SNDREC_ACK, "sndrec_ack" },	\
		{ CMD_COPYIN_ACK, "copyin_ack" }, { CMD_COPYOUT_DATA, "copyout_data" }, \
		{ CMD_COPYLCL_ACK, "copylcl_ack" }, { CMD_COPYRMT_ACK, "copyrmt_ack" })

/*
 * The text of a dvk_rmt_class event, @what naming @val: a command leaving
 * names its destination node, one arriving (or its ACK) its source node
 * and its result code.
 */
#define dvk_rmt_printk_out(what)					\
	TP_printk("id=%llu px=%d cmd=%s dcid=%d src=%d dst=%d dnode=%d " what "=%lld",	\
		  __entry->id, __entry->px_nr, dvk_show_cmd(__entry->cmd), __entry->dcid,	\
		  __entry->src, __entry->dst, __entry->node, __entry->val)
#define dvk_rmt_printk_in(what)						\
	TP_printk("id=%llu px=%d cmd=%s dcid=%d src=%d dst=%d snode=%d rcode=%d " what "=%lld",	\
		  __entry->id, __entry->px_nr, dvk_show_cmd(__entry->cmd), __entry->dcid,	\
		  __entry->src, __entry->dst, __entry->node, __entry->rcode, __entry->val)

/*
 * One class for the steps of a command between nodes.  @id is the 64-bit
 * message id; the proxies carry it in cmd_t.c_snd_seq and their frame
 * header, so the events of one message on both nodes share it (its top
 * byte is the node that made it).  @node is the other node (destination
 * when leaving, source when arriving); @val depends on the event.
 */
DECLARE_EVENT_CLASS(dvk_rmt_class,

	TP_PROTO(int px_nr, const cmd_t *c, u64 id, int node, s64 val),

	TP_ARGS(px_nr, c, id, node, val),

	TP_STRUCT__entry(
		__field(u64, id)
		__field(s64, val)
		__field(s32, px_nr)
		__field(s32, cmd)
		__field(s32, dcid)
		__field(s32, src)
		__field(s32, dst)
		__field(s32, node)
		__field(s32, rcode)
	),

	TP_fast_assign(
		__entry->id = id;
		__entry->val = val;
		__entry->px_nr = px_nr;
		__entry->cmd = c->c_cmd;
		__entry->dcid = c->c_dcid;
		__entry->src = c->c_src;
		__entry->dst = c->c_dst;
		__entry->node = node;
		__entry->rcode = c->c_rcode;
	),

	dvk_rmt_printk_in("result")
);

#define DEFINE_DVK_RMT_EVENT(name)					\
	DEFINE_EVENT(dvk_rmt_class, name,				\
		TP_PROTO(int px_nr, const cmd_t *c, u64 id, int node, s64 val),	\
		TP_ARGS(px_nr, c, id, node, val))
/* an event of the class printed by dvk_rmt_printk_<dir>(what) */
#define DEFINE_DVK_RMT_EVENT_PRINT(name, dir, what)			\
	DEFINE_EVENT_PRINT(dvk_rmt_class, name,				\
		TP_PROTO(int px_nr, const cmd_t *c, u64 id, int node, s64 val),	\
		TP_ARGS(px_nr, c, id, node, val), dvk_rmt_printk_##dir(what))

/**
 * dvk_rmt_enqueue - a command was queued for a sender proxy.  Answers
 * "what is waiting to leave for node @node, and how deep is that queue?"
 * (@val: the queue depth afterwards).
 */
DEFINE_DVK_RMT_EVENT_PRINT(dvk_rmt_enqueue, out, "depth");

/**
 * dvk_rmt_get - the sender proxy took a command (get2rmt).  Answers "how
 * long did it wait in the queue?" (@val: ns since it was queued).
 */
DEFINE_DVK_RMT_EVENT_PRINT(dvk_rmt_get, out, "waited_ns");

/**
 * dvk_rmt_put - the receiver proxy handed in a command from node @node
 * (put2lcl).  Answers "what arrived, and what became of it?" (@val: the
 * result put2lcl returned; 0 = delivered or queued on its destination).
 */
DEFINE_DVK_RMT_EVENT(dvk_rmt_put);

/**
 * dvk_rmt_ack - an ACK from node @node reached the local caller it answers
 * (@val 1) or found nobody waiting for it any more (@val 0: the caller
 * timed out or was interrupted).  Answers "did the remote side take my
 * message, and with which result (@rcode)?".
 */
DEFINE_DVK_RMT_EVENT_PRINT(dvk_rmt_ack, in, "matched");

/**
 * dvk_migrate - a migration step on this node: @oper MIGR_START 0,
 * MIGR_COMMIT 1, MIGR_ROLLBACK 2 of endpoint @ep, from @old_node to
 * @new_node (-1 when not given), with @result.  Answers "when did this
 * endpoint start moving, where to, and how did it end?"; the senders it
 * parked show as dvk_block/dvk_wake with WAITMIGR.
 */
TRACE_EVENT(dvk_migrate,

	TP_PROTO(int dcid, int ep, int oper, int old_node, int new_node, long result),

	TP_ARGS(dcid, ep, oper, old_node, new_node, result),

	TP_STRUCT__entry(
		__field(s32, dcid)
		__field(s32, ep)
		__field(s32, oper)
		__field(s32, old_node)
		__field(s32, new_node)
		__field(s32, result)
	),

	TP_fast_assign(
		__entry->dcid = dcid;
		__entry->ep = ep;
		__entry->oper = oper;
		__entry->old_node = old_node;
		__entry->new_node = new_node;
		__entry->result = (s32)result;
	),

	TP_printk("dcid=%d ep=%d %s node %d -> %d result=%d", __entry->dcid, __entry->ep,
		  __print_symbolic(__entry->oper, { MIGR_START, "start" },
				   { MIGR_COMMIT, "commit" }, { MIGR_ROLLBACK, "rollback" }),
		  __entry->old_node, __entry->new_node, __entry->result)
);

#endif /* _DVK_TRACE_RMT_H */

/* This part must be outside the include guard. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE dvk_trace_rmt
#include <trace/define_trace.h>
