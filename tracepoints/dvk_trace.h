/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dvk_trace.h - trace events of the DVK module (TRACE_SYSTEM dvk).
 *
 * The record layouts below are a public ABI: the bpf/ programs, bpftrace
 * scripts and trace-cmd read them.  Append fields, never reorder or remove
 * them.  docs/trace-events.md documents each event.
 *
 * Instantiated once, in kernel/dvk_trace.c (CREATE_TRACE_POINTS).
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM dvk

#if !defined(_DVK_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _DVK_TRACE_H

#include <linux/tracepoint.h>
#include <dvk.h>
#include "dvk_internal.h"

/* {nr, "name"} pairs of every call, for __print_symbolic. */
#define _DVK_CALL_SYM(nr, name)	{ nr, #name },
#define dvk_show_call(nr)						\
	__print_symbolic(nr, DVK_CALL_LIST(_DVK_CALL_SYM)		\
			 { -1, "invalid" })

/**
 * dvk_call_enter - a process entered the DVK through /dev/dvk.
 *
 * Answers "who called what, with which arguments?": the six ipc() arguments
 * exactly as the dispatcher received them (@word is the call word, @nr the
 * decoded call number or -1 for a malformed word), so argument corruption
 * between library and kernel is visible here.
 */
TRACE_EVENT(dvk_call_enter,

	TP_PROTO(int nr, const struct dvk_ipc_args *args),

	TP_ARGS(nr, args),

	TP_STRUCT__entry(
		__field(u64, second)
		__field(u64, third)
		__field(u64, ptr)
		__field(s64, fifth)
		__field(u32, word)
		__field(s32, nr)
		__field(s32, first)
		__field(s32, tgid)
	),

	TP_fast_assign(
		__entry->second = args->second;
		__entry->third = args->third;
		__entry->ptr = args->ptr;
		__entry->fifth = args->fifth;
		__entry->word = args->call;
		__entry->nr = nr;
		__entry->first = args->first;
		__entry->tgid = current->tgid;
	),

	TP_printk("call=%s nr=%d word=0x%x first=%d second=0x%llx third=0x%llx ptr=0x%llx fifth=%lld tgid=%d",
		  dvk_show_call(__entry->nr), __entry->nr, __entry->word,
		  __entry->first, __entry->second, __entry->third,
		  __entry->ptr, __entry->fifth, __entry->tgid)
);

/**
 * dvk_call_exit - a DVK call returned to its caller.
 *
 * Answers "how long did it take and did it fail?": @ret is the value the
 * caller gets (an EDVS code when negative), @failed applies the DVK rule that
 * bind/getep/wait4bind fail only below EDVSERRCODE (they return endpoints,
 * which may be negative), @duration_ns is the time spent in the DVK,
 * including any sleep.  @duration_ns is 0 when no one traced the exit when
 * the call entered (the clock is read only while the event is enabled).
 */
TRACE_EVENT(dvk_call_exit,

	TP_PROTO(int nr, long ret, u64 duration_ns),

	TP_ARGS(nr, ret, duration_ns),

	TP_STRUCT__entry(
		__field(u64, duration_ns)
		__field(s64, ret)
		__field(s32, nr)
		__field(s32, failed)
		__field(s32, tgid)
	),

	TP_fast_assign(
		__entry->duration_ns = duration_ns;
		__entry->ret = ret;
		__entry->nr = nr;
		__entry->failed = dvk_call_failed(nr, ret);
		__entry->tgid = current->tgid;
	),

	TP_printk("call=%s nr=%d ret=%lld failed=%d duration_ns=%llu tgid=%d",
		  dvk_show_call(__entry->nr), __entry->nr, __entry->ret,
		  __entry->failed, __entry->duration_ns, __entry->tgid)
);

#define dvk_show_bind_type(t)						\
	__print_symbolic(t, { SELF_BIND, "self" }, { LCL_BIND, "local" },	\
			 { RMT_BIND, "remote" }, { BKUP_BIND, "backup" },	\
			 { REPLICA_BIND, "replica" }, { USERMODE_BIND, "usermode" },	\
			 { DVK_BIND_MIGRATED, "migrated" })

TRACE_DEFINE_ENUM(DVK_UNBIND_SELF);
TRACE_DEFINE_ENUM(DVK_UNBIND_EXIT);
TRACE_DEFINE_ENUM(DVK_UNBIND_DCEND);
TRACE_DEFINE_ENUM(DVK_UNBIND_EXITING);
TRACE_DEFINE_ENUM(DVK_UNBIND_NODE);
#define dvk_show_unbind_how(h)						\
	__print_symbolic(h, { DVK_UNBIND_SELF, "self" },		\
			 { DVK_UNBIND_EXIT, "exit" },			\
			 { DVK_UNBIND_DCEND, "dc_end" },			\
			 { DVK_UNBIND_EXITING, "exiting" },		\
			 { DVK_UNBIND_NODE, "node" })

/*
 * dvk_dc_class - a DC started or ended.
 * @nr_bound: at dc_init 0; at dc_end the slots still bound after the grace
 *            period (dc_end unbound them itself).
 */
DECLARE_EVENT_CLASS(dvk_dc_class,

	TP_PROTO(const struct dc_usr *dc, int nr_bound),

	TP_ARGS(dc, nr_bound),

	TP_STRUCT__entry(
		__field(s32, dcid)
		__field(s32, nr_procs)
		__field(s32, nr_tasks)
		__field(s32, nr_sysprocs)
		__field(s32, nr_nodes)
		__field(s32, nr_bound)
		__field(s32, by)
		__string(name, dc->dc_name)
	),

	TP_fast_assign(
		__entry->dcid = dc->dc_dcid;
		__entry->nr_procs = dc->dc_nr_procs;
		__entry->nr_tasks = dc->dc_nr_tasks;
		__entry->nr_sysprocs = dc->dc_nr_sysprocs;
		__entry->nr_nodes = dc->dc_nr_nodes;
		__entry->nr_bound = nr_bound;
		__entry->by = current->tgid;
		__assign_str(name, dc->dc_name);
	),

	TP_printk("dcid=%d name=%s procs=%d tasks=%d sysprocs=%d nodes=%d bound=%d by=%d",
		  __entry->dcid, __get_str(name), __entry->nr_procs, __entry->nr_tasks,
		  __entry->nr_sysprocs, __entry->nr_nodes, __entry->nr_bound, __entry->by)
);

/**
 * dvk_dc_init - a DC was created.  Answers "when did this DC appear, with
 * which limits, and who created it?".
 */
DEFINE_EVENT(dvk_dc_class, dvk_dc_init,
	TP_PROTO(const struct dc_usr *dc, int nr_bound),
	TP_ARGS(dc, nr_bound));

/**
 * dvk_dc_end - a DC was ended.  Answers "who ended it and how many
 * processes had to be unbound by force?".
 */
DEFINE_EVENT(dvk_dc_class, dvk_dc_end,
	TP_PROTO(const struct dc_usr *dc, int nr_bound),
	TP_ARGS(dc, nr_bound));

/*
 * dvk_binding_class - a task was bound to or unbound from an endpoint.
 * @how: bind type (bind) or reason (unbind); @by: tgid of who asked.
 */
DECLARE_EVENT_CLASS(dvk_binding_class,

	TP_PROTO(const struct dvk_proc *p, int how, pid_t by),

	TP_ARGS(p, how, by),

	TP_STRUCT__entry(
		__field(s32, dcid)
		__field(s32, endpoint)
		__field(s32, pid)
		__field(s32, vpid)
		__field(s32, how)
		__field(s32, by)
		__field(s32, misc_flags)
		__array(char, name, MAXPROCNAME)
	),

	TP_fast_assign(
		__entry->dcid = p->usr.p_dcid;
		__entry->endpoint = p->usr.p_endpoint;
		__entry->pid = p->usr.p_lpid;
		__entry->vpid = p->usr.p_vpid;
		__entry->how = how;
		__entry->by = by;
		__entry->misc_flags = p->usr.p_misc_flags;
		memcpy(__entry->name, p->usr.p_name, MAXPROCNAME);
		__entry->name[MAXPROCNAME - 1] = 0;
	),

	/* as bind prints it; unbind overrides the meaning of @how */
	TP_printk("dcid=%d ep=%d pid=%d vpid=%d name=%s type=%s by=%d misc=0x%x",
		  __entry->dcid, __entry->endpoint, __entry->pid, __entry->vpid,
		  __entry->name, dvk_show_bind_type(__entry->how), __entry->by,
		  __entry->misc_flags)
);

/**
 * dvk_bind - a task was bound to an endpoint.  Answers "which process
 * speaks for this endpoint since when, bound how (@how = bind type) and by
 * whom (@by)?".
 */
DEFINE_EVENT(dvk_binding_class, dvk_bind,
	TP_PROTO(const struct dvk_proc *p, int how, pid_t by),
	TP_ARGS(p, how, by));

/**
 * dvk_unbind - an endpoint was freed.  Answers "why did this endpoint go
 * away (@how: self, exit, dc_end, exiting) and who asked (@by)?".
 */
DEFINE_EVENT_PRINT(dvk_binding_class, dvk_unbind,
	TP_PROTO(const struct dvk_proc *p, int how, pid_t by),
	TP_ARGS(p, how, by),
	TP_printk("dcid=%d ep=%d pid=%d vpid=%d name=%s how=%s by=%d misc=0x%x",
		  __entry->dcid, __entry->endpoint, __entry->pid, __entry->vpid,
		  __entry->name, dvk_show_unbind_how(__entry->how), __entry->by,
		  __entry->misc_flags));

#define dvk_show_w4b_oper(o)	__print_symbolic(o, { WAIT_BIND, "bind" }, { WAIT_UNBIND, "unbind" })

/**
 * dvk_wait4bind_start - a process starts sleeping in wait4bind.  Answers
 * "who is waiting for which endpoint to appear or go away, with which
 * timeout?".  @target is SELF (35534) for a process waiting to be bound.
 */
TRACE_EVENT(dvk_wait4bind_start,

	TP_PROTO(const struct dvk_bindwait *bw),

	TP_ARGS(bw),

	TP_STRUCT__entry(
		__field(s64, timeout_ms)
		__field(s32, dcid)
		__field(s32, oper)
		__field(s32, target)
		__field(s32, pid)
	),

	TP_fast_assign(
		__entry->timeout_ms = bw->timeout_ms;
		__entry->dcid = bw->dcid;
		__entry->oper = bw->oper;
		__entry->target = bw->ep;
		__entry->pid = bw->pid;
	),

	TP_printk("pid=%d dcid=%d oper=%s target=%d timeout_ms=%lld",
		  __entry->pid, __entry->dcid, dvk_show_w4b_oper(__entry->oper),
		  __entry->target, __entry->timeout_ms)
);

/**
 * dvk_wait4bind_end - a wait4bind sleep ended.  Answers "how long did it
 * wait and how did it end?": @result is the endpoint or OK on success, or
 * EDVSTIMEDOUT, -EINTR (-4), EDVSDCNOTRUN, EDVSDVSINIT.
 */
TRACE_EVENT(dvk_wait4bind_end,

	TP_PROTO(const struct dvk_bindwait *bw, long result, u64 waited_ns),

	TP_ARGS(bw, result, waited_ns),

	TP_STRUCT__entry(
		__field(u64, waited_ns)
		__field(s64, result)
		__field(s32, dcid)
		__field(s32, oper)
		__field(s32, target)
		__field(s32, pid)
	),

	TP_fast_assign(
		__entry->waited_ns = waited_ns;
		__entry->result = result;
		__entry->dcid = bw->dcid;
		__entry->oper = bw->oper;
		__entry->target = bw->ep;
		__entry->pid = bw->pid;
	),

	TP_printk("pid=%d dcid=%d oper=%s target=%d result=%lld waited_ns=%llu",
		  __entry->pid, __entry->dcid, dvk_show_w4b_oper(__entry->oper),
		  __entry->target, __entry->result, __entry->waited_ns)
);

/**
 * dvk_msg_send - a message was sent.  Answers "what did this endpoint send
 * to whom, was it delivered at once or queued, and how deep is the
 * destination's sender queue now?".  @id identifies the message in every
 * later event (dvk_msg_receive, and the proxies' events across nodes).
 */
TRACE_EVENT(dvk_msg_send,

	TP_PROTO(int dcid, u64 id, int src, int dst, bool queued, int depth),

	TP_ARGS(dcid, id, src, dst, queued, depth),

	TP_STRUCT__entry(
		__field(u64, id)
		__field(s32, dcid)
		__field(s32, src)
		__field(s32, dst)
		__field(s32, queued)
		__field(s32, depth)
	),

	TP_fast_assign(
		__entry->id = id;
		__entry->dcid = dcid;
		__entry->src = src;
		__entry->dst = dst;
		__entry->queued = queued;
		__entry->depth = depth;
	),

	TP_printk("id=%llu dcid=%d src=%d dst=%d %s depth=%d", __entry->id, __entry->dcid,
		  __entry->src, __entry->dst, __entry->queued ? "queued" : "delivered",
		  __entry->depth)
);

/**
 * dvk_msg_receive - a message reached its receiver.  Answers "how long did
 * message @id wait in the sender queue?" (@queued_ns; 0 when the receiver
 * was already waiting and got it delivered).
 */
TRACE_EVENT(dvk_msg_receive,

	TP_PROTO(int dcid, u64 id, int src, int dst, u64 queued_ns),

	TP_ARGS(dcid, id, src, dst, queued_ns),

	TP_STRUCT__entry(
		__field(u64, id)
		__field(u64, queued_ns)
		__field(s32, dcid)
		__field(s32, src)
		__field(s32, dst)
	),

	TP_fast_assign(
		__entry->id = id;
		__entry->queued_ns = queued_ns;
		__entry->dcid = dcid;
		__entry->src = src;
		__entry->dst = dst;
	),

	TP_printk("id=%llu dcid=%d src=%d dst=%d queued_ns=%llu", __entry->id, __entry->dcid,
		  __entry->src, __entry->dst, __entry->queued_ns)
);

/* How a notify ended (dvk:dvk_notify "outcome"). */
#define DVK_NOTIFY_DELIVERED	0	/* the destination was receiving: woken */
#define DVK_NOTIFY_PENDING	1	/* bit set, delivered by a later receive */
#define DVK_NOTIFY_COALESCED	2	/* a notify from the same source was pending */
#define DVK_NOTIFY_REMOTE	3	/* to a remote endpoint: queued for its proxy */

/**
 * dvk_notify - a notify was sent.  Answers "did this notify wake its
 * destination, wait as a pending bit, or merge into one already pending?".
 * @id is the notify's message id (a coalesced notify gets its own id; the
 * receive event later carries the id of the pending one).
 */
TRACE_EVENT(dvk_notify,

	TP_PROTO(int dcid, u64 id, int src, int dst, int outcome, u64 pending),

	TP_ARGS(dcid, id, src, dst, outcome, pending),

	TP_STRUCT__entry(
		__field(u64, id)
		__field(u64, pending)
		__field(s32, dcid)
		__field(s32, src)
		__field(s32, dst)
		__field(s32, outcome)
	),

	TP_fast_assign(
		__entry->id = id;
		__entry->pending = pending;
		__entry->dcid = dcid;
		__entry->src = src;
		__entry->dst = dst;
		__entry->outcome = outcome;
	),

	TP_printk("id=%llu dcid=%d src=%d dst=%d %s pending=0x%llx", __entry->id, __entry->dcid,
		  __entry->src, __entry->dst,
		  __print_symbolic(__entry->outcome, { DVK_NOTIFY_DELIVERED, "delivered" },
				   { DVK_NOTIFY_PENDING, "pending" },
				   { DVK_NOTIFY_COALESCED, "coalesced" },
				   { DVK_NOTIFY_REMOTE, "remote" }),
		  __entry->pending)
);

#define dvk_show_block(f)	__print_flags(f, "|", { SENDING, "SENDING" },	\
					      { RECEIVING, "RECEIVING" })

/**
 * dvk_block - a process blocks in an IPC call.  Answers "who waits for
 * whom, for what, with which message, for how long at most?".  @flags:
 * SENDING (queued at @peer), RECEIVING (from @peer, ANY = 31438), or both
 * (sendrec queued).  @id: the message it waits with (0 when receiving).
 */
TRACE_EVENT(dvk_block,

	TP_PROTO(int dcid, u64 id, int ep, int flags, int peer, long timeout_ms),

	TP_ARGS(dcid, id, ep, flags, peer, timeout_ms),

	TP_STRUCT__entry(
		__field(u64, id)
		__field(s64, timeout_ms)
		__field(s32, dcid)
		__field(s32, ep)
		__field(s32, flags)
		__field(s32, peer)
	),

	TP_fast_assign(
		__entry->id = id;
		__entry->timeout_ms = timeout_ms;
		__entry->dcid = dcid;
		__entry->ep = ep;
		__entry->flags = flags;
		__entry->peer = peer;
	),

	TP_printk("id=%llu dcid=%d ep=%d %s peer=%d timeout_ms=%lld", __entry->id, __entry->dcid,
		  __entry->ep, dvk_show_block(__entry->flags), __entry->peer, __entry->timeout_ms)
);

/**
 * dvk_wake - a blocked process runs again.  Answers "why did it wake
 * (@result: OK = 0, or the error: EDVSTIMEDOUT, -4 signal, EDVSDSTDIED,
 * EDVSSRCDIED, EDVSWOKENUP, ...) and how long was it blocked?".  @id: the
 * message it got (on OK) or waited with.
 */
TRACE_EVENT(dvk_wake,

	TP_PROTO(int dcid, u64 id, int ep, int peer, long result, u64 blocked_ns),

	TP_ARGS(dcid, id, ep, peer, result, blocked_ns),

	TP_STRUCT__entry(
		__field(u64, id)
		__field(u64, blocked_ns)
		__field(s64, result)
		__field(s32, dcid)
		__field(s32, ep)
		__field(s32, peer)
	),

	TP_fast_assign(
		__entry->id = id;
		__entry->blocked_ns = blocked_ns;
		__entry->result = result;
		__entry->dcid = dcid;
		__entry->ep = ep;
		__entry->peer = peer;
	),

	TP_printk("id=%llu dcid=%d ep=%d peer=%d result=%lld blocked_ns=%llu", __entry->id,
		  __entry->dcid, __entry->ep, __entry->peer, __entry->result, __entry->blocked_ns)
);

/**
 * dvk_vcopy - a vcopy ended.  Answers "who copied how many bytes from
 * whom to whom, how long did it take, did it work?".
 */
TRACE_EVENT(dvk_vcopy,

	TP_PROTO(int dcid, int rqtr, int src, int dst, s64 bytes, long result, u64 ns),

	TP_ARGS(dcid, rqtr, src, dst, bytes, result, ns),

	TP_STRUCT__entry(
		__field(s64, bytes)
		__field(s64, result)
		__field(u64, ns)
		__field(s32, dcid)
		__field(s32, rqtr)
		__field(s32, src)
		__field(s32, dst)
	),

	TP_fast_assign(
		__entry->bytes = bytes;
		__entry->result = result;
		__entry->ns = ns;
		__entry->dcid = dcid;
		__entry->rqtr = rqtr;
		__entry->src = src;
		__entry->dst = dst;
	),

	TP_printk("dcid=%d rqtr=%d src=%d dst=%d bytes=%lld result=%lld ns=%llu", __entry->dcid,
		  __entry->rqtr, __entry->src, __entry->dst, __entry->bytes, __entry->result,
		  __entry->ns)
);

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

	TP_printk("id=%llu px=%d cmd=%s dcid=%d src=%d dst=%d snode=%d rcode=%d result=%lld",
		  __entry->id, __entry->px_nr, dvk_show_cmd(__entry->cmd), __entry->dcid,
		  __entry->src, __entry->dst, __entry->node, __entry->rcode, __entry->val)
);

/**
 * dvk_rmt_enqueue - a command was queued for a sender proxy.  Answers
 * "what is waiting to leave for node @node, and how deep is that queue?"
 * (@val: the queue depth afterwards).
 */
DEFINE_EVENT_PRINT(dvk_rmt_class, dvk_rmt_enqueue,
	TP_PROTO(int px_nr, const cmd_t *c, u64 id, int node, s64 val),
	TP_ARGS(px_nr, c, id, node, val),
	TP_printk("id=%llu px=%d cmd=%s dcid=%d src=%d dst=%d dnode=%d depth=%lld",
		  __entry->id, __entry->px_nr, dvk_show_cmd(__entry->cmd), __entry->dcid,
		  __entry->src, __entry->dst, __entry->node, __entry->val));

/**
 * dvk_rmt_get - the sender proxy took a command (get2rmt).  Answers "how
 * long did it wait in the queue?" (@val: ns since it was queued).
 */
DEFINE_EVENT_PRINT(dvk_rmt_class, dvk_rmt_get,
	TP_PROTO(int px_nr, const cmd_t *c, u64 id, int node, s64 val),
	TP_ARGS(px_nr, c, id, node, val),
	TP_printk("id=%llu px=%d cmd=%s dcid=%d src=%d dst=%d dnode=%d waited_ns=%lld",
		  __entry->id, __entry->px_nr, dvk_show_cmd(__entry->cmd), __entry->dcid,
		  __entry->src, __entry->dst, __entry->node, __entry->val));

/**
 * dvk_rmt_put - the receiver proxy handed in a command from node @node
 * (put2lcl).  Answers "what arrived, and what became of it?" (@val: the
 * result put2lcl returned; 0 = delivered or queued on its destination).
 */
DEFINE_EVENT(dvk_rmt_class, dvk_rmt_put,
	TP_PROTO(int px_nr, const cmd_t *c, u64 id, int node, s64 val),
	TP_ARGS(px_nr, c, id, node, val));

/**
 * dvk_rmt_ack - an ACK from node @node reached the local caller it answers
 * (@val 1) or found nobody waiting for it any more (@val 0: the caller
 * timed out or was interrupted).  Answers "did the remote side take my
 * message, and with which result (@rcode)?".
 */
DEFINE_EVENT_PRINT(dvk_rmt_class, dvk_rmt_ack,
	TP_PROTO(int px_nr, const cmd_t *c, u64 id, int node, s64 val),
	TP_ARGS(px_nr, c, id, node, val),
	TP_printk("id=%llu px=%d cmd=%s dcid=%d src=%d dst=%d snode=%d rcode=%d matched=%lld",
		  __entry->id, __entry->px_nr, dvk_show_cmd(__entry->cmd), __entry->dcid,
		  __entry->src, __entry->dst, __entry->node, __entry->rcode, __entry->val));

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

#endif /* _DVK_TRACE_H */

/* This part must be outside the include guard. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE dvk_trace
#include <trace/define_trace.h>
