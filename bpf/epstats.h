/* SPDX-License-Identifier: GPL-2.0 */
/*
 * epstats.h - shared by epstats.bpf.c and its user-space readers (dvktop).
 *
 * The BPF program keeps, per endpoint, the messages it sent that were
 * received (counted on the sender, from dvk:dvk_msg_receive), the messages
 * it received and how long those received messages had waited in its
 * sender queue: sum, maximum and a log2 histogram (slot i counts waits in
 * [2^i, 2^(i+1)) ns; slot 0 also counts 0-1 ns, i.e. messages delivered to
 * a receiver that was already waiting).
 *
 * The map is a plain array with one entry per process slot of every DC:
 * index = dcid * DVK_EP_SLOTS_PER_DC + p_nr + NR_TASKS, where p_nr is the
 * slot of the endpoint (_ENDPOINT_P).  The lookup is then inlined by the
 * verifier (bpf/stat.bpf.h says why that matters).  An entry belongs to
 * one endpoint at a time, the one in @ep: when a slot's endpoint changes
 * (a new bind generation), the program zeroes its counters first.  The map
 * is BPF_F_MMAPABLE: readers map it and see every counter without a system
 * call; entries with no message are unused.
 */
#ifndef DVK_BPF_EPSTATS_H
#define DVK_BPF_EPSTATS_H

#include <dvk.h>

#define DVK_EP_SLOTS_PER_DC	(NR_TASKS + NR_PROCS)	/* 256 */
#define DVK_EP_MAX_ENTRIES	(NR_DCS * DVK_EP_SLOTS_PER_DC)	/* 8192 */
#define DVK_EP_HIST_SLOTS	40	/* up to ~18 min */

/* The map index of (dcid, ep), or -1 when ep names no process slot. */
static inline int dvk_ep_index(int dcid, int ep)
{
	unsigned int slot;

	if (dcid < 0 || dcid >= NR_DCS || ep < -NR_TASKS)
		return -1;
	slot = (unsigned int)(ep + NR_TASKS) % _ENDPOINT_GENERATION_SIZE;
	if (slot >= DVK_EP_SLOTS_PER_DC)
		return -1;
	return dcid * DVK_EP_SLOTS_PER_DC + (int)slot;
}

struct dvk_ep_stat {
	__s32 ep;		/* the endpoint these counts belong to */
	__u32 resets;		/* times the slot changed endpoint */
	__u64 sent;		/* dvk_msg_receive with src = ep */
	__u64 sent_queued;	/* of which the sender had been queued (queued_ns > 0) */
	__u64 received;		/* dvk_msg_receive with dst = ep */
	__u64 wait_total_ns;	/* sum of queued_ns of the received messages */
	__u64 wait_max_ns;	/* largest queued_ns */
	__u64 hist[DVK_EP_HIST_SLOTS];	/* log2(queued_ns) of received messages */
};

#endif /* DVK_BPF_EPSTATS_H */
