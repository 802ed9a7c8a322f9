// SPDX-License-Identifier: GPL-2.0
/*
 * epstats.bpf.c - per-endpoint message counts and queue waits, from the
 * dvk:dvk_msg_send and dvk:dvk_msg_receive trace events.
 *
 * Classic tracefs record layouts (tp/dvk/...): no module BTF needed.  The
 * layouts below must match /sys/kernel/tracing/events/dvk/<event>/format
 * (the guest suite checks the offsets).
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "epstats.h"
#include "log2.bpf.h"

/* tracefs record of dvk:dvk_msg_send (tracepoints/dvk_trace.h) */
struct dvk_msg_send_rec {
	__u16 common_type;
	__u8  common_flags;
	__u8  common_preempt_count;
	__s32 common_pid;
	__u64 id;		/* offset 8 */
	__s32 dcid;		/* 16 */
	__s32 src;		/* 20 */
	__s32 dst;		/* 24 */
	__s32 queued;		/* 28 */
	__s32 depth;		/* 32 */
};

/* tracefs record of dvk:dvk_msg_receive */
struct dvk_msg_receive_rec {
	__u16 common_type;
	__u8  common_flags;
	__u8  common_preempt_count;
	__s32 common_pid;
	__u64 id;		/* offset 8 */
	__u64 queued_ns;	/* 16 */
	__s32 dcid;		/* 24 */
	__s32 src;		/* 28 */
	__s32 dst;		/* 32 */
};

/* Filter knob, set by the loader before load: -1 = every DC. */
const volatile __s32 filter_dcid = -1;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, DVK_EP_MAX_ENTRIES);
	__type(key, struct dvk_ep_key);
	__type(value, struct dvk_ep_stat);
} ep_stats SEC(".maps");

/* Counts lost because the map was full, one per CPU (index 0). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} ep_dropped SEC(".maps");

static const struct dvk_ep_stat zero_stat;

/* The endpoint's entry, created on first use; NULL if the map is full. */
static __always_inline struct dvk_ep_stat *ep_stat(__s32 dcid, __s32 ep)
{
	struct dvk_ep_key key = { .dcid = dcid, .ep = ep };
	struct dvk_ep_stat *st;
	__u32 zero = 0;
	__u64 *drops;

	st = bpf_map_lookup_elem(&ep_stats, &key);
	if (st)
		return st;
	bpf_map_update_elem(&ep_stats, &key, &zero_stat, BPF_NOEXIST);
	st = bpf_map_lookup_elem(&ep_stats, &key);
	if (!st) {
		drops = bpf_map_lookup_elem(&ep_dropped, &zero);
		if (drops)
			(*drops)++;
	}
	return st;
}

SEC("tp/dvk/dvk_msg_send")
int dvk_msg_send(struct dvk_msg_send_rec *ctx)
{
	struct dvk_ep_stat *st;

	if (filter_dcid >= 0 && ctx->dcid != filter_dcid)
		return 0;
	st = ep_stat(ctx->dcid, ctx->src);
	if (!st)
		return 0;
	st->sent++;
	if (ctx->queued)
		st->sent_queued++;
	return 0;
}

SEC("tp/dvk/dvk_msg_receive")
int dvk_msg_receive(struct dvk_msg_receive_rec *ctx)
{
	struct dvk_ep_stat *st;
	__u64 ns = ctx->queued_ns;
	__u32 b;

	if (filter_dcid >= 0 && ctx->dcid != filter_dcid)
		return 0;
	st = ep_stat(ctx->dcid, ctx->dst);
	if (!st)
		return 0;
	st->received++;
	st->wait_total_ns += ns;
	if (ns > st->wait_max_ns)
		st->wait_max_ns = ns;
	b = log2_u64(ns);
	if (b >= DVK_EP_HIST_SLOTS)
		b = DVK_EP_HIST_SLOTS - 1;
	st->hist[b]++;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
