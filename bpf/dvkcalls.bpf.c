// SPDX-License-Identifier: GPL-2.0
/*
 * dvkcalls.bpf.c - per-call counts, errors and log2 latency histograms of
 * DVK calls, from the dvk:dvk_call_exit trace event.
 *
 * A raw tracepoint program (raw_tp/...): it reads the event's arguments
 * (TP_PROTO in tracepoints/dvk_trace_ipc.h, documented in
 * docs/trace-events.md), needs no BTF of the module, and skips building
 * the tracefs record.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "dvkcalls.h"
#include "stat.bpf.h"

/*
 * Filter knob, set by the loader before load: count only this process;
 * 0 = every process.  Read before bpf_get_current_pid_tgid(), so that the
 * helper call is only paid when filtering.
 */
const volatile __s32 filter_tgid = 0;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);	/* shared: bpf/stat.bpf.h says why */
	__uint(map_flags, BPF_F_MMAPABLE);	/* read without system calls */
	__uint(max_entries, DVK_STAT_SLOTS);
	__type(key, __u32);
	__type(value, struct dvk_call_stat);
} call_stats SEC(".maps");

/* failed calls by (call slot, error code): dvkcalls.h */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, DVK_ERR_ENTRIES);
	__type(key, __u32);
	__type(value, __u64);
} call_errors SEC(".maps");

/*
 * A raw tracepoint: the arguments of trace_dvk_call_exit(), named and typed
 * by BPF_PROG.  Cheaper than the classic tracepoint, which first builds the
 * tracefs record for every program run.
 */
SEC("raw_tp/dvk_call_exit")
int BPF_PROG(dvk_call_exit, int nr, long ret, __u64 duration_ns)
{
	__u32 slot = nr;
	struct dvk_call_stat *st;

	if (filter_tgid && (__s32)(bpf_get_current_pid_tgid() >> 32) != filter_tgid)
		return 0;
	if (nr < 0 || nr >= DVK_NR_CALLS)
		slot = DVK_STAT_INVALID;

	st = bpf_map_lookup_elem(&call_stats, &slot);
	if (!st)
		return 0;
	stat_add(&st->count, 1);
	if (dvk_call_failed(nr, ret)) {	/* as the event's "failed" field */
		__u32 k = slot * DVK_ERR_CODES + (__u32)dvk_err_index(ret);
		__u64 *e = bpf_map_lookup_elem(&call_errors, &k);

		stat_add(&st->errors, 1);
		if (e)
			stat_add(e, 1);
	}
	stat_add(&st->total_ns, duration_ns);
	stat_add(&st->hist[hist_slot(duration_ns, DVK_HIST_SLOTS)], 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
