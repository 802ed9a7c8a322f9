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

#endif /* _DVK_TRACE_H */

/* This part must be outside the include guard. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE dvk_trace
#include <trace/define_trace.h>
