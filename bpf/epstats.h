/* SPDX-License-Identifier: GPL-2.0 */
/*
 * epstats.h - shared by epstats.bpf.c and its user-space readers (dvktop).
 *
 * The BPF program keeps, per endpoint (DC id, endpoint), the messages it
 * sent that were received (counted on the sender, from dvk:dvk_msg_receive),
 * the messages it received and how long those
 * received messages had waited in its sender queue: sum, maximum and a
 * log2 histogram (slot i counts waits in [2^i, 2^(i+1)) ns; slot 0 also
 * counts 0-1 ns, i.e. messages delivered to a receiver that was already
 * waiting).  The map is a per-CPU hash: readers sum the CPUs' values and
 * take the largest wait_max.
 */
#ifndef DVK_BPF_EPSTATS_H
#define DVK_BPF_EPSTATS_H

#include <linux/types.h>

#define DVK_EP_MAX_ENTRIES	8192	/* 32 DCs x 256 slots */
#define DVK_EP_HIST_SLOTS	40	/* up to ~18 min */

struct dvk_ep_key {
	__s32 dcid;
	__s32 ep;
};

struct dvk_ep_stat {
	__u64 sent;		/* dvk_msg_receive with src = ep */
	__u64 sent_queued;	/* of which the sender had been queued (queued_ns > 0) */
	__u64 received;		/* dvk_msg_receive with dst = ep */
	__u64 wait_total_ns;	/* sum of queued_ns of the received messages */
	__u64 wait_max_ns;	/* largest queued_ns (per CPU in the map) */
	__u64 hist[DVK_EP_HIST_SLOTS];	/* log2(queued_ns) of received messages */
};

#endif /* DVK_BPF_EPSTATS_H */
