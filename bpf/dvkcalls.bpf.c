// SPDX-License-Identifier: GPL-2.0
/*
 * dvkcalls.bpf.c - per-call counts, errors and log2 latency histograms of
 * DVK calls, from the dvk:dvk_call_exit trace event.
 *
 * Uses the classic tracefs record layout (tp/dvk/...), so it needs no BTF
 * of the module.  The layout below must match
 * /sys/kernel/tracing/events/dvk/dvk_call_exit/format (tests check it).
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "dvkcalls.h"
#include "log2.bpf.h"

/* tracefs record of dvk:dvk_call_exit (tracepoints/dvk_trace.h) */
struct dvk_call_exit_rec {
	__u16 common_type;
	__u8  common_flags;
	__u8  common_preempt_count;
	__s32 common_pid;
	__u64 duration_ns;
	__s64 ret;
	__s32 nr;
	__s32 failed;
	__s32 tgid;
};

/* Filter knobs, set by the loader before load: 0 = off. */
const volatile __s32 filter_tgid = 0;	/* count only this process */
const volatile __s32 exclude_tgid = 0;	/* never count this process (the reader) */

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, DVK_STAT_SLOTS);
	__type(key, __u32);
	__type(value, struct dvk_call_stat);
} call_stats SEC(".maps");

SEC("tp/dvk/dvk_call_exit")
int dvk_call_exit(struct dvk_call_exit_rec *ctx)
{
	__u32 slot = ctx->nr;
	struct dvk_call_stat *st;
	__u32 b;

	if (filter_tgid && ctx->tgid != filter_tgid)
		return 0;
	if (exclude_tgid && ctx->tgid == exclude_tgid)
		return 0;
	if (ctx->nr < 0 || ctx->nr >= DVK_NR_CALLS)
		slot = DVK_STAT_INVALID;

	st = bpf_map_lookup_elem(&call_stats, &slot);
	if (!st)
		return 0;
	st->count++;
	if (ctx->failed)
		st->errors++;
	st->total_ns += ctx->duration_ns;
	b = log2_u64(ctx->duration_ns);
	if (b >= DVK_HIST_SLOTS)
		b = DVK_HIST_SLOTS - 1;
	st->hist[b]++;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
