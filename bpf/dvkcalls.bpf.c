// SPDX-License-Identifier: GPL-2.0
/*
 * dvkcalls.bpf.c - per-call counts, errors and log2 latency histograms of
 * DVK calls, from the dvk:dvk_call_exit trace event.
 *
 * A raw tracepoint program (raw_tp/...): it reads the event's arguments
 * (TP_PROTO in tracepoints/dvk_trace.h, documented in
 * docs/trace-events.md), needs no BTF of the module, and skips building
 * the tracefs record.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "dvkcalls.h"
#include "log2.bpf.h"

/* Filter knobs, set by the loader before load: 0 = off. */
const volatile __s32 filter_tgid = 0;	/* count only this process */
const volatile __s32 exclude_tgid = 0;	/* never count this process (the reader) */

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, DVK_STAT_SLOTS);
	__type(key, __u32);
	__type(value, struct dvk_call_stat);
} call_stats SEC(".maps");

/*
 * A raw tracepoint: the arguments of trace_dvk_call_exit(int nr, long ret,
 * u64 duration_ns), as u64s.  Cheaper than the classic tracepoint, which
 * first builds the tracefs record for every program run.
 */
SEC("raw_tp/dvk_call_exit")
int dvk_call_exit(struct bpf_raw_tracepoint_args *ctx)
{
	__s32 nr = (__s32)ctx->args[0];
	__s64 ret = (__s64)ctx->args[1];
	__u64 duration_ns = ctx->args[2];
	__s32 tgid = bpf_get_current_pid_tgid() >> 32;
	__u32 slot = nr;
	struct dvk_call_stat *st;
	__u32 b;

	if (filter_tgid && tgid != filter_tgid)
		return 0;
	if (exclude_tgid && tgid == exclude_tgid)
		return 0;
	if (nr < 0 || nr >= DVK_NR_CALLS)
		slot = DVK_STAT_INVALID;

	st = bpf_map_lookup_elem(&call_stats, &slot);
	if (!st)
		return 0;
	st->count++;
	if (dvk_call_failed(nr, ret))	/* as the event's "failed" field */
		st->errors++;
	st->total_ns += duration_ns;
	b = log2_u64(duration_ns);
	if (b >= DVK_HIST_SLOTS)
		b = DVK_HIST_SLOTS - 1;
	st->hist[b]++;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
