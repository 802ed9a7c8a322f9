// SPDX-License-Identifier: GPL-2.0
/*
 * pxstats.bpf.c - per peer node traffic through the proxies, for dvktop's
 * Proxies view: raw tracepoint programs on dvk_rmt_get, dvk_rmt_put,
 * dvk_rmt_enqueue and dvk_rmt_ack (docs/trace-events.md).
 *
 * BPF_PROG names their arguments, those of dvk_rmt_class: (int px_nr,
 * const cmd_t *c, u64 id, int node, s64 val).  The payload length is not
 * a field of the events' records, so the programs read c->c_len from the
 * kernel's cmd_t (bpf_probe_read_kernel: raw tracepoints give pointers,
 * not BTF-typed ones; no module BTF needed).
 * The events fire outside the hot local IPC path: one array update per
 * command that crosses a link.  The map is a shared array with atomic adds,
 * like the other programs' (bpf/stat.bpf.h).
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "pxstats.h"
#include "stat.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, DVK_PX_SLOTS);
	__type(key, __u32);
	__type(value, struct dvk_px_stat);
} px_stats SEC(".maps");

/* The slot of node id @node (DVK_PX_OTHER when out of range). */
static __always_inline struct dvk_px_stat *px_stat(__s64 node)
{
	__u32 slot = node >= 0 && node < NR_NODES ? (__u32)node : DVK_PX_OTHER;

	return bpf_map_lookup_elem(&px_stats, &slot);
}

/* Header + payload bytes of the command at @c, as the debugfs view counts. */
static __always_inline __u64 cmd_bytes(const cmd_t *c)
{
	__s32 len = 0;

	bpf_probe_read_kernel(&len, sizeof(len), &c->c_len);
	return sizeof(cmd_t) + (len > 0 ? (__u64)len : 0);
}

/* @val: ns the command waited in the queue */
SEC("raw_tp/dvk_rmt_get")
int BPF_PROG(dvk_rmt_get, int px_nr, const cmd_t *c, __u64 id, int node, __s64 val)
{
	struct dvk_px_stat *st = px_stat(node);

	if (!st)
		return 0;
	stat_add(&st->msgs_out, 1);
	stat_add(&st->bytes_out, cmd_bytes(c));
	stat_add(&st->wait_total_ns, val);
	stat_max(&st->wait_max_ns, val);
	return 0;
}

/* @val: put2lcl's result, 0 or an EDVS code */
SEC("raw_tp/dvk_rmt_put")
int BPF_PROG(dvk_rmt_put, int px_nr, const cmd_t *c, __u64 id, int node, __s64 val)
{
	struct dvk_px_stat *st = px_stat(node);

	if (!st)
		return 0;
	if (val) {
		stat_add(&st->errors_in, 1);
		return 0;
	}
	stat_add(&st->msgs_in, 1);
	stat_add(&st->bytes_in, cmd_bytes(c));
	return 0;
}

SEC("raw_tp/dvk_rmt_enqueue")
int BPF_PROG(dvk_rmt_enqueue, int px_nr, const cmd_t *c, __u64 id, int node, __s64 val)
{
	struct dvk_px_stat *st = px_stat(node);

	if (st)
		stat_add(&st->enqueued, 1);
	return 0;
}

/* @val: 1 if the ACK found its caller waiting, 0 if it came late */
SEC("raw_tp/dvk_rmt_ack")
int BPF_PROG(dvk_rmt_ack, int px_nr, const cmd_t *c, __u64 id, int node, __s64 val)
{
	struct dvk_px_stat *st = px_stat(node);

	if (!st)
		return 0;
	stat_add(&st->acks, 1);
	if (!val)
		stat_add(&st->acks_late, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
