/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dvk_trace_ipc.h - trace events of the DVK calls on one node: calls, DCs,
 * bindings, wait4bind, messages, notifies, blocking and vcopy (TRACE_SYSTEM
 * dvk; the events between nodes are in dvk_trace_rmt.h).
 *
 * The record layouts below are a public ABI: the bpf/ programs, bpftrace
 * scripts and trace-cmd read them.  Append fields, never reorder or remove
 * them.  docs/trace-events.md documents each event.
 *
 * The callers include dvk_trace.h.  This header needs only dvk.h and the
 * forward declarations below, since the prototypes take pointers; the
 * TP_fast_assign blocks read the structs and the unbind reasons of the
 * module's internal headers, so the one file that instantiates the events,
 * kernel/dvk_trace.c (CREATE_TRACE_POINTS), includes those first.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM dvk

#if !defined(_DVK_TRACE_IPC_H) || defined(TRACE_HEADER_MULTI_READ)
#define _DVK_TRACE_IPC_H

#include <linux/tracepoint.h>
#include <dvk.h>

struct dvk_proc;
struct dvk_bindwait;

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

#define DEFINE_DVK_DC_EVENT(name)					\
	DEFINE_EVENT(dvk_dc_class, name,				\
		TP_PROTO(const struct dc_usr *dc, int nr_bound),	\
		TP_ARGS(dc, nr_bound))

/**
 * dvk_dc_init - a DC was created.  Answers "when did this DC appear, with
 * which limits, and who created it?".
 */
DEFINE_DVK_DC_EVENT(dvk_dc_init);

/**
 * dvk_dc_end - a DC was ended.  Answers "who ended it and how many
 * processes had to be unbound by force?".
 */
DEFINE_DVK_DC_EVENT(dvk_dc_end);

/*
 * The text of a binding event: @how printed as "<key>=<show(how)>" (@show
 * one of the dvk_show_*() above).
 */
#define dvk_binding_printk(key, show)					\
	TP_printk("dcid=%d ep=%d pid=%d vpid=%d name=%s " key "=%s by=%d misc=0x%x",	\
		  __entry->dcid, __entry->endpoint, __entry->pid, __entry->vpid,	\
		  __entry->name, show(__entry->how), __entry->by,		\
		  __entry->misc_flags)

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

	/* as bind prints it; unbind prints @how as a reason */
	dvk_binding_printk("type", dvk_show_bind_type)
);

#define DEFINE_DVK_BINDING_EVENT(name)					\
	DEFINE_EVENT(dvk_binding_class, name,				\
		TP_PROTO(const struct dvk_proc *p, int how, pid_t by),	\
		TP_ARGS(p, how, by))
/* an event of the class printing @how as "<key>=<show(how)>" */
#define DEFINE_DVK_BINDING_EVENT_PRINT(name, key, show)			\
	DEFINE_EVENT_PRINT(dvk_binding_class, name,			\
		TP_PROTO(const struct dvk_proc *p, int how, pid_t by),	\
		TP_ARGS(p, how, by), dvk_binding_printk(key, show))

/**
 * dvk_bind - a task was bound to an endpoint.  Answers "which process
 * speaks for this endpoint since when, bound how (@how = bind type) and by
 * whom (@by)?".
 */
DEFINE_DVK_BINDING_EVENT(dvk_bind);

/**
 * dvk_unbind - an endpoint was freed.  Answers "why did this endpoint go
 * away (@how: self, exit, dc_end, exiting) and who asked (@by)?".
 */
DEFINE_DVK_BINDING_EVENT_PRINT(dvk_unbind, "how", dvk_show_unbind_how);

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

/* the outcomes of a notify, enum dvk_notify_outcome of dvk.h */
TRACE_DEFINE_ENUM(DVK_NOTIFY_DELIVERED);
TRACE_DEFINE_ENUM(DVK_NOTIFY_PENDING);
TRACE_DEFINE_ENUM(DVK_NOTIFY_COALESCED);
TRACE_DEFINE_ENUM(DVK_NOTIFY_REMOTE);

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
 * @peer_node: the node of @peer's slot (this one, a remote process's;
 * -1 for ANY or a free slot).
 */
TRACE_EVENT(dvk_block,

	TP_PROTO(int dcid, u64 id, int ep, int flags, int peer, long timeout_ms, int peer_node),

	TP_ARGS(dcid, id, ep, flags, peer, timeout_ms, peer_node),

	TP_STRUCT__entry(
		__field(u64, id)
		__field(s64, timeout_ms)
		__field(s32, dcid)
		__field(s32, ep)
		__field(s32, flags)
		__field(s32, peer)
		__field(s32, peer_node)
	),

	TP_fast_assign(
		__entry->id = id;
		__entry->timeout_ms = timeout_ms;
		__entry->dcid = dcid;
		__entry->ep = ep;
		__entry->flags = flags;
		__entry->peer = peer;
		__entry->peer_node = peer_node;
	),

	TP_printk("id=%llu dcid=%d ep=%d %s peer=%d timeout_ms=%lld peer_node=%d", __entry->id,
		  __entry->dcid, __entry->ep, dvk_show_block(__entry->flags), __entry->peer,
		  __entry->timeout_ms, __entry->peer_node)
);

#ifndef DVK_WAIT_CYCLE_EPS
#define DVK_WAIT_CYCLE_EPS	8	/* dvk_wait_cycle names this many members */
#endif

/**
 * dvk_wait_cycle - a wait closed a cycle of waits visible on this node (a
 * deadlock: only timeouts end it).  Answers "who deadlocked with whom?":
 * @len members, the first (up to 8) in @eps with their @nodes, starting
 * with the slot whose wait closed it, each waiting on the next.
 */
TRACE_EVENT(dvk_wait_cycle,

	TP_PROTO(int dcid, int len, const int *eps, const int *nodes),

	TP_ARGS(dcid, len, eps, nodes),

	TP_STRUCT__entry(
		__field(s32, dcid)
		__field(s32, len)
		__array(s32, eps, DVK_WAIT_CYCLE_EPS)
		__array(s32, nodes, DVK_WAIT_CYCLE_EPS)
	),

	TP_fast_assign(
		int n = min(len, DVK_WAIT_CYCLE_EPS);

		__entry->dcid = dcid;
		__entry->len = len;
		memset(__entry->eps, 0, sizeof(__entry->eps));
		memset(__entry->nodes, 0, sizeof(__entry->nodes));
		memcpy(__entry->eps, eps, n * sizeof(*eps));
		memcpy(__entry->nodes, nodes, n * sizeof(*nodes));
	),

	TP_printk("dcid=%d len=%d eps=%s nodes=%s", __entry->dcid, __entry->len,
		  __print_array(__entry->eps, min(__entry->len, DVK_WAIT_CYCLE_EPS), sizeof(s32)),
		  __print_array(__entry->nodes, min(__entry->len, DVK_WAIT_CYCLE_EPS), sizeof(s32)))
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

#endif /* _DVK_TRACE_IPC_H */

/* This part must be outside the include guard. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE dvk_trace_ipc
#include <trace/define_trace.h>
