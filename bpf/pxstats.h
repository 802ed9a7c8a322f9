/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pxstats.h - shared by pxstats.bpf.c and its user-space readers (dvktop's
 * Proxies view).
 *
 * Per peer node, what crossed the proxies, from the dvk_rmt_* trace events:
 * commands taken by the sender proxy (get2rmt) for that node and how long
 * they had waited in the queue, commands handed in from it by the receiver
 * proxy (put2lcl) and what put2lcl said, and commands queued for it.  Bytes
 * are counted as the kernel's debugfs `proxies` view counts them: header
 * (sizeof(cmd_t)) plus payload, so the two agree for a pair that serves one
 * node.  Slot DVK_PX_OTHER counts put2lcl calls whose c_snode is no valid
 * node (garbage from a proxy).  The map is a plain array updated with
 * atomic adds, BPF_F_MMAPABLE: readers map it (bpf/stat.bpf.h says why).
 */
#ifndef DVK_BPF_PXSTATS_H
#define DVK_BPF_PXSTATS_H

#include <dvk.h>

#define DVK_PX_OTHER	NR_NODES		/* 32: not a node id */
#define DVK_PX_SLOTS	(NR_NODES + 1)		/* 33 */

struct dvk_px_stat {
	__u64 msgs_out;		/* dvk_rmt_get: taken by get2rmt for this node */
	__u64 bytes_out;	/* their header + payload bytes */
	__u64 wait_total_ns;	/* their time in the queue */
	__u64 wait_max_ns;
	__u64 msgs_in;		/* dvk_rmt_put from this node, result 0 */
	__u64 bytes_in;		/* their header + payload bytes */
	__u64 errors_in;	/* dvk_rmt_put from this node, result != 0 */
	__u64 enqueued;		/* dvk_rmt_enqueue for this node */
	__u64 acks;		/* dvk_rmt_ack from this node */
	__u64 acks_late;	/* of which nobody waited for any more */
};

#endif /* DVK_BPF_PXSTATS_H */
