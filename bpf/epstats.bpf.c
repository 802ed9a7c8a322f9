// SPDX-License-Identifier: GPL-2.0
/*
 * epstats.bpf.c - per-endpoint message counts and queue waits, from the
 * dvk:dvk_msg_receive trace event alone: it names both ends, and a message
 * that was queued has a non-zero queued_ns.  One program per message, not
 * two, keeps dvktop's cost on the IPC path low (docs/performance.md); the
 * price: a message counts as sent when it is received.
 *
 * Raw tracepoint programs (raw_tp/...): they read the events' arguments
 * (TP_PROTO, docs/trace-events.md), need no module BTF and skip building
 * the tracefs records.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "epstats.h"
#include "log2.bpf.h"

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

/* raw tracepoint: trace_dvk_msg_receive(int dcid, u64 id, int src, int dst, u64 queued_ns) */
SEC("raw_tp/dvk_msg_receive")
int dvk_msg_receive(struct bpf_raw_tracepoint_args *ctx)
{
	__s32 dcid = (__s32)ctx->args[0], src = (__s32)ctx->args[2], dst = (__s32)ctx->args[3];
	__u64 ns = ctx->args[4];
	struct dvk_ep_stat *st;
	__u32 b;

	if (filter_dcid >= 0 && dcid != filter_dcid)
		return 0;
	st = ep_stat(dcid, src);	/* the sender's side: one program per message */
	if (st) {
		st->sent++;
		if (ns)
			st->sent_queued++;
	}
	st = ep_stat(dcid, dst);
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
