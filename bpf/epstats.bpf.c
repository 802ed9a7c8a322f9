// SPDX-License-Identifier: GPL-2.0
/*
 * epstats.bpf.c - per-endpoint message counts and queue waits, from the
 * dvk:dvk_msg_receive trace event alone: it names both ends, and a message
 * that was queued has a non-zero queued_ns.  One program per message, not
 * two, keeps dvktop's cost on the IPC path low (docs/performance.md); the
 * price: a message counts as sent when it is received.
 *
 * A raw tracepoint program (raw_tp/...): it reads the event's arguments
 * (TP_PROTO, docs/trace-events.md), needs no module BTF and skips building
 * the tracefs record.  The map layout is in epstats.h.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "epstats.h"
#include "stat.bpf.h"

/* Filter knob, set by the loader before load: -1 = every DC. */
const volatile __s32 filter_dcid = -1;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, DVK_EP_MAX_ENTRIES);
	__type(key, __u32);
	__type(value, struct dvk_ep_stat);
} ep_stats SEC(".maps");

/* Messages whose src or dst named no process slot: none expected. */
__u64 ep_dropped;

/*
 * The entry of (dcid, ep); NULL (and ep_dropped counted) if ep names no
 * process slot.  A fresh entry (all zero) is taken by setting @ep.  An
 * entry that counted an earlier endpoint of the same slot (a new bind
 * generation) is zeroed by the CPU that swaps @ep: a message of the new
 * endpoint counted on another CPU in that instant may be lost with the old
 * counts.  This project never increments generations (the endpoint of a
 * slot is always its p_nr, docs/user-api.md), so that path only guards a
 * future change; first use, the common case, zeroes nothing and loses
 * nothing.
 */
static __always_inline struct dvk_ep_stat *ep_stat(__s32 dcid, __s32 ep)
{
	int idx = dvk_ep_index(dcid, ep);
	struct dvk_ep_stat *st;
	__u64 used;
	__u32 key;
	__s32 old;

	if (idx < 0) {
		stat_add(&ep_dropped, 1);
		return NULL;
	}
	key = (__u32)idx;
	st = bpf_map_lookup_elem(&ep_stats, &key);
	if (!st)
		return NULL;
	old = *(volatile __s32 *)&st->ep;
	if (old == ep)
		return st;
	used = st->sent | st->received;
	if (__sync_val_compare_and_swap(&st->ep, old, ep) == old && used) {
		st->sent = 0;
		st->sent_queued = 0;
		st->received = 0;
		st->wait_total_ns = 0;
		st->wait_max_ns = 0;
		for (int i = 0; i < DVK_EP_HIST_SLOTS; i++)
			st->hist[i] = 0;
		stat_add(&st->resets, 1);
	}
	return st;
}

/* raw tracepoint: the arguments of trace_dvk_msg_receive() */
SEC("raw_tp/dvk_msg_receive")
int BPF_PROG(dvk_msg_receive, int dcid, __u64 id, int src, int dst, __u64 ns)
{
	struct dvk_ep_stat *st;

	if (filter_dcid >= 0 && dcid != filter_dcid)
		return 0;
	st = ep_stat(dcid, src);	/* the sender's side: one program per message */
	if (st) {
		stat_add(&st->sent, 1);
		if (ns)
			stat_add(&st->sent_queued, 1);
	}
	st = ep_stat(dcid, dst);
	if (!st)
		return 0;
	stat_add(&st->received, 1);
	if (ns) {	/* 0 for most messages: the receiver was waiting */
		stat_add(&st->wait_total_ns, ns);
		stat_max(&st->wait_max_ns, ns);
	}
	stat_add(&st->hist[hist_slot(ns, DVK_EP_HIST_SLOTS)], 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
