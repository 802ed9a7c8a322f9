// SPDX-License-Identifier: GPL-2.0
/*
 * dvksnoop.bpf.c - one ring-buffer record per DVK call, for tools/dvksnoop.
 *
 * Raw tracepoint programs (raw_tp/..., the TP_PROTO arguments of
 * docs/trace-events.md; no module BTF needed).  dvk_call_enter claims the
 * thread's slot in "threads"; the message events of the call in the same
 * thread (dvk_msg_send, dvk_msg_receive, dvk_notify, dvk_vcopy, dvk_block,
 * and for the proxies dvk_rmt_get / dvk_rmt_put) write its DC, endpoints
 * and message id there; dvk_call_exit applies the filters and emits the
 * record.  A call that entered before the programs were attached has no
 * slot: its record is flagged DVKSNOOP_F_UNSEEN, timed only by the kernel's
 * own duration_ns (0 when the clock was not running when it entered); the
 * others by bpf_ktime_get_ns() at enter and exit.
 *
 * Why an array slot per tid (tid % DVKSNOOP_THREADS, owner checked), not a
 * hash: its lookup is inlined, a hash's costs a helper call, about a
 * microsecond each under TCG, on every event of the IPC path
 * (bpf/stat.bpf.h).  Two threads in a call at once whose tids collide: the
 * later one takes the slot, the earlier one's record is flagged UNSEEN and
 * "collisions" counted.
 *
 * Records that find the ring full are counted in "lost" (never dropped
 * silently): user space reports them.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "dvksnoop.h"
#include "stat.bpf.h"

/* Filters, set by the loader before load (read-only for the programs). */
const volatile __s32 filter_tgid = 0;		/* 0 = every process */
const volatile __s32 filter_dcid = DVKSNOOP_NONE;	/* NONE = every DC */
const volatile __s32 filter_ep = DVKSNOOP_NONE;	/* src or dst; NONE = any */
const volatile __u8 errors_only = 0;
const volatile __u64 min_ns = 0;

__u64 lost;		/* records that found the ring full */
__u64 submitted;	/* records written, for the wake-up batching */
__u64 collisions;	/* slots taken over by another thread's call */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, DVKSNOOP_RING_SIZE);	/* user space may resize before load */
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, DVKSNOOP_THREADS);
	__type(key, __u32);
	__type(value, struct dvksnoop_thread);
} threads SEC(".maps");

/* The calling thread's slot if its call was seen entering, else NULL. */
static __always_inline struct dvksnoop_thread *my_call(void)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u32 key = tid % DVKSNOOP_THREADS;
	struct dvksnoop_thread *t = bpf_map_lookup_elem(&threads, &key);

	return t && t->tid == tid ? t : NULL;
}

/* The first message event of a call names it; later ones (a sendrec's reply) do not. */
static __always_inline void note_msg(struct dvksnoop_thread *t, int dcid, int src, int dst,
				     __u64 id, __u32 flag)
{
	if (!t || (t->flags & DVKSNOOP_F_MSG))
		return;
	t->dcid = dcid;
	t->src = src;
	t->dst = dst;
	t->msg_id = id;
	t->flags = (t->flags & ~DVKSNOOP_F_WEAK) | DVKSNOOP_F_MSG | flag;
}

/*
 * The control calls whose arguments name a DC and an endpoint (docs/user-api.md's
 * table): shown as dst, flagged WEAK.  Only they pay for reading the arguments.
 */
static __always_inline void note_args(struct dvksnoop_thread *t, int nr,
				      const struct dvk_ipc_args *args)
{
	struct dvk_ipc_args a;

	if (nr != DVK_BIND && nr != DVK_UNBIND && nr != DVK_DC_END && nr != DVK_GETPRIV &&
	    nr != DVK_SETPRIV)
		return;
	if (bpf_probe_read_kernel(&a, sizeof(a), args))
		return;
	if (nr == DVK_BIND) {
		t->dcid = (__s32)a.second;
		t->dst = (__s32)a.ptr;
	} else {
		t->dcid = a.first;
		if (nr != DVK_DC_END)
			t->dst = (__s32)a.second;
	}
	t->flags |= DVKSNOOP_F_WEAK;
}

SEC("raw_tp/dvk_call_enter")
int BPF_PROG(dvk_call_enter, int nr, const struct dvk_ipc_args *args)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid, key = tid % DVKSNOOP_THREADS;
	struct dvksnoop_thread *t;

	if (filter_tgid && (__s32)(pid_tgid >> 32) != filter_tgid)
		return 0;
	t = bpf_map_lookup_elem(&threads, &key);
	if (!t)
		return 0;
	if (t->tid && t->tid != tid)
		stat_add(&collisions, 1);
	t->tid = tid;
	t->flags = 0;
	t->dcid = t->src = t->dst = DVKSNOOP_NONE;
	t->msg_id = 0;
	t->rmt_cmd = 0;
	t->rmt_node = -1;
	note_args(t, nr, args);
	/*
	 * Our own clock, not the event's duration_ns: that is local_clock(), and
	 * under TCG (TSC marked unstable) the CPUs' clocks drift apart enough to
	 * clamp a call that ends on another CPU to 0 (seen in test_remote).
	 */
	t->t0_ns = bpf_ktime_get_ns();
	return 0;
}

SEC("raw_tp/dvk_msg_send")
int BPF_PROG(dvk_msg_send, int dcid, __u64 id, int src, int dst)
{
	note_msg(my_call(), dcid, src, dst, id, 0);
	return 0;
}

/* always in the receiver's thread: a receive/rcvrqst names its sender here */
SEC("raw_tp/dvk_msg_receive")
int BPF_PROG(dvk_msg_receive, int dcid, __u64 id, int src, int dst)
{
	note_msg(my_call(), dcid, src, dst, id, 0);
	return 0;
}

SEC("raw_tp/dvk_notify")
int BPF_PROG(dvk_notify, int dcid, __u64 id, int src, int dst)
{
	note_msg(my_call(), dcid, src, dst, id, DVKSNOOP_F_NOTIFY);
	return 0;
}

SEC("raw_tp/dvk_vcopy")
int BPF_PROG(dvk_vcopy, int dcid, int rqtr, int src, int dst)
{
	note_msg(my_call(), dcid, src, dst, 0, 0);
	return 0;
}

/*
 * A receive about to sleep: its DC, itself (dst) and whom it waits for
 * (src, ANY perhaps), in case no message comes (a timeout).  Weak: the
 * message it gets names it instead.
 */
SEC("raw_tp/dvk_block")
int BPF_PROG(dvk_block, int dcid, __u64 id, int ep, int flags, int peer)
{
	struct dvksnoop_thread *t = my_call();

	if (!t || (t->flags & DVKSNOOP_F_MSG))
		return 0;
	t->dcid = dcid;
	t->src = (flags & SENDING) ? ep : peer;
	t->dst = (flags & SENDING) ? peer : ep;
	t->msg_id = id;
	t->flags |= DVKSNOOP_F_WEAK;
	return 0;
}

/* The proxies' calls: the command they carry names the line, whatever came first. */
static __always_inline void note_rmt(const cmd_t *c, __u64 id, int node, __u32 flag)
{
	struct dvksnoop_thread *t = my_call();
	__s32 hdr[4];	/* c_cmd, c_dcid, c_src, c_dst */

	if (!t || bpf_probe_read_kernel(hdr, sizeof(hdr), c))
		return;
	t->rmt_cmd = hdr[0];
	t->dcid = hdr[1];
	t->src = hdr[2];
	t->dst = hdr[3];
	t->msg_id = id;
	t->rmt_node = node;
	t->flags = (t->flags & ~DVKSNOOP_F_WEAK) | DVKSNOOP_F_MSG | flag;
}

SEC("raw_tp/dvk_rmt_get")
int BPF_PROG(dvk_rmt_get, int px_nr, const cmd_t *c, __u64 id, int node)
{
	note_rmt(c, id, node, DVKSNOOP_F_RMT_OUT);
	return 0;
}

SEC("raw_tp/dvk_rmt_put")
int BPF_PROG(dvk_rmt_put, int px_nr, const cmd_t *c, __u64 id, int node)
{
	note_rmt(c, id, node, DVKSNOOP_F_RMT_IN);
	return 0;
}

/* The filters of the exit, on what the call showed; 1 = emit. */
static __always_inline int wanted(const struct dvksnoop_thread *t, __u32 flags, __u64 lat)
{
	if (errors_only && !(flags & DVKSNOOP_F_FAILED))
		return 0;
	if (min_ns && (!lat || lat < min_ns))
		return 0;
	if (filter_dcid != DVKSNOOP_NONE && t->dcid != filter_dcid)
		return 0;
	if (filter_ep != DVKSNOOP_NONE && t->src != filter_ep && t->dst != filter_ep)
		return 0;
	return 1;
}

/*
 * What the thread's call showed, copied out of its slot (which is freed),
 * or "nothing known" (flag UNSEEN) when the slot is not the call's.
 */
static __always_inline __u32 take_call(__u32 tid, struct dvksnoop_thread *t)
{
	__u32 key = tid % DVKSNOOP_THREADS;
	struct dvksnoop_thread *slot = bpf_map_lookup_elem(&threads, &key);

	if (slot && slot->tid == tid) {
		*t = *slot;
		slot->tid = 0;	/* free again */
		return 0;
	}
	t->flags = 0;
	t->dcid = t->src = t->dst = DVKSNOOP_NONE;
	t->msg_id = 0;
	t->rmt_cmd = 0;
	t->rmt_node = -1;
	return DVKSNOOP_F_UNSEEN;
}

SEC("raw_tp/dvk_call_exit")
int BPF_PROG(dvk_call_exit, int nr, long ret, __u64 duration_ns)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct dvksnoop_thread t;
	struct dvksnoop_event *e;
	__u64 now, lat;
	__u32 flags;

	if (filter_tgid && (__s32)(pid_tgid >> 32) != filter_tgid)
		return 0;
	flags = take_call((__u32)pid_tgid, &t);
	now = bpf_ktime_get_ns();
	lat = flags & DVKSNOOP_F_UNSEEN ? duration_ns : now - t.t0_ns;
	if (dvk_call_failed(nr, ret))
		flags |= DVKSNOOP_F_FAILED;
	if (!wanted(&t, flags, lat))
		return 0;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		stat_add(&lost, 1);
		return 0;
	}
	e->ts_ns = now;
	e->lat_ns = lat;
	e->ret = ret;
	e->pid = pid_tgid >> 32;
	e->tid = (__u32)pid_tgid;
	e->nr = nr;
	e->flags = flags | t.flags;
	e->dcid = t.dcid;
	e->src = t.src;
	e->dst = t.dst;
	e->msg_id = t.msg_id;
	e->rmt_cmd = t.rmt_cmd;
	e->rmt_node = t.rmt_node;
	e->pad = 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	/*
	 * Wake the reader once every DVKSNOOP_WAKE_EVERY records only: a wake-up
	 * per record (an irq_work, a self-IPI) doubled the round trip under TCG
	 * (docs/performance.md).  The reader also polls with a timeout of 0.1 s.
	 */
	bpf_ringbuf_submit(e, stat_add(&submitted, 1) % DVKSNOOP_WAKE_EVERY ?
			   BPF_RB_NO_WAKEUP : BPF_RB_FORCE_WAKEUP);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
