/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dvksnoop.h - shared by dvksnoop.bpf.c and tools/dvksnoop: the record one
 * DVK call leaves in the ring buffer, and the per-thread state that joins
 * a call's enter, its message events and its exit.
 *
 * One record per DVK call that returned (dvk:dvk_call_exit) and passed the
 * filters.  Its DC, endpoints and message id come from the first message
 * event of the call in the same thread (docs/probes.md, "dvksnoop").
 */
#ifndef DVK_BPF_DVKSNOOP_H
#define DVK_BPF_DVKSNOOP_H

#include <dvk.h>

#define DVKSNOOP_COMM_LEN	16
/* per-thread slots: index = tid % DVKSNOOP_THREADS, checked against tid */
#define DVKSNOOP_THREADS	32768
#define DVKSNOOP_NONE		(-100000)	/* no DC / endpoint known */
#define DVKSNOOP_RING_SIZE	(1 << 20)	/* default ring: ~10900 records */
#define DVKSNOOP_WAKE_EVERY	32	/* records per reader wake-up */

/* dvksnoop_event.flags */
#define DVKSNOOP_F_FAILED	0x01	/* dvk_call_failed(nr, ret) */
#define DVKSNOOP_F_UNSEEN	0x02	/* entered before dvksnoop attached (or lost its slot) */
#define DVKSNOOP_F_MSG		0x04	/* a message event named dcid/src/dst/msg_id */
#define DVKSNOOP_F_WEAK		0x08	/* only dvk_block/args named them (no message yet) */
#define DVKSNOOP_F_RMT_IN	0x10	/* put2lcl: a command from node rmt_node */
#define DVKSNOOP_F_RMT_OUT	0x20	/* get2rmt: a command leaving for node rmt_node */
#define DVKSNOOP_F_NOTIFY	0x40	/* the message was a notify */

/* What one thread's DVK call has shown so far (the map "threads"). */
struct dvksnoop_thread {
	__u32 tid;		/* owner of the slot; 0 = free */
	__u32 flags;		/* DVKSNOOP_F_MSG/WEAK/RMT_* */
	__s32 dcid, src, dst;	/* DVKSNOOP_NONE when unknown */
	__s32 rmt_cmd;		/* c_cmd of put2lcl/get2rmt */
	__u64 msg_id;		/* 0 = none */
	__s32 rmt_node;
	__s32 pad;
	__u64 t0_ns;		/* bpf_ktime_get_ns() at enter */
};

/* One DVK call, as user space prints it. */
struct dvksnoop_event {
	__u64 ts_ns;		/* CLOCK_MONOTONIC at exit (bpf_ktime_get_ns) */
	__u64 lat_ns;		/* exit - enter, CLOCK_MONOTONIC; UNSEEN: duration_ns, 0 = not timed */
	__u64 msg_id;
	__s64 ret;
	__u32 pid, tid;
	__s32 nr;
	__u32 flags;
	__s32 dcid, src, dst;
	__s32 rmt_cmd, rmt_node;
	__s32 pad;
	char comm[DVKSNOOP_COMM_LEN];
};

#endif /* DVK_BPF_DVKSNOOP_H */
