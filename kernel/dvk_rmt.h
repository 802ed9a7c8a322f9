/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dvk_rmt.h - IPC between nodes (docs/original-dvk.md#path-of-a-remote-message; plan and decisions in
 * docs/design-remote.md), what its files share among themselves.  Their
 * interface to the rest of the module is dvk_remote.h.  By job:
 *
 *   dvk_rmt_route.c	which pair a command goes through; pair counters
 *   dvk_rmt_payload.c	the data of a copy command and its reference count
 *   dvk_rmt_queue.c	each pair's outgoing queue and get2rmt
 *   dvk_rmt_send.c	outgoing send, sendrec, notify, reply and ACKs
 *   dvk_rmt_fail.c	a link went down: fail everything that waits on it
 *   dvk_put2lcl.c	commands that arrive from remote nodes
 *   dvk_rmt_copy.c	vcopy with a remote end
 *   dvk_migrate.c	moving an endpoint between nodes
 *
 * A slot with a command for a proxy has RMTOPER set and is linked on its
 * pair's outq (px_link): a local caller with its own send/sendrec/notify,
 * or a stand-in (the REMOTE descriptor of a remote process) with an ACK or
 * a reply on behalf of the local process it dealt with.  RMTOPER and the
 * link change together, under the slot's dc->lock and then net_lock.
 *
 * Rendezvous across nodes: a remote sender's message waits on the local
 * destination's sender queue in its stand-in, exactly like a local
 * sender; when it is received (or fails) the stand-in queues the ACK
 * (dvk_rmt_standin_done_locked(), called from dvk_ipc_ready_locked()).  A
 * local caller that sent to a remote endpoint stays SENDING until that ACK
 * comes back; a sendrec stays RECEIVING until the REPLY_MSG comes back.
 */
#ifndef _DVK_RMT_H
#define _DVK_RMT_H

#include "dvk_ipc.h"
#include "dvk_remote.h"

/*
 * The data of a remote copy command (vcopy bytes), counted: the queued
 * command holds one reference, get2rmt another while it copies a chunk to
 * its proxy outside dc->lock, so an unlink meanwhile (the requester died,
 * the stream was withdrawn) cannot free the bytes under it.  Either the
 * bytes themselves (@data), or, with @task, where to read them: a
 * requester that copies its own memory to a remote node is blocked until
 * the answer, so get2rmt reads each chunk from it straight into the proxy
 * (no snapshot of the whole range first).
 */
struct dvk_payload {
	refcount_t ref;
	struct task_struct *task;	/* referenced; NULL: the bytes are in @data */
	unsigned long addr;		/* ... at this address of @task */
	u8 data[];
};

/* dvk_rmt_route.c */
long dvk_rmt_caller_pair(bool sender, struct dvk_proxies **pxp);
long dvk_rmt_pair_usable_netlocked(struct dvk_proxies *px, bool sender);
struct dvk_proxies *dvk_rmt_node_pair_netlocked(int nodeid, bool need_both, long *err);
void dvk_rmt_stats_add(struct dvk_pxstats *st, u64 bytes, long err);

/* dvk_rmt_payload.c */
struct dvk_payload *dvk_payload_alloc(size_t len);
struct dvk_payload *dvk_payload_of_task(struct task_struct *t, unsigned long addr);
void dvk_payload_put(struct dvk_payload *pl);
long dvk_payload_to_user(struct dvk_payload *pl, s64 off, void __user *dst, size_t len);

/* dvk_rmt_queue.c */
long dvk_rmt_enqueue_locked(struct dvk_proc *p, bool need_both);
struct dvk_proc *dvk_rmt_pin_head(struct dvk_proxies *px);
bool dvk_rmt_still_queued_locked(const struct dvk_proc *p, const struct dvk_proxies *px);

/* dvk_rmt_send.c */
void dvk_rmt_header_locked(struct dvk_proc *p, int cmd, int src, int dst, int dnode, u64 id);

/* dvk_rmt_fail.c */
void dvk_rmt_fail_work(struct work_struct *w);

/* dvk_rmt_copy.c */
long dvk_put2lcl_copy(struct dvk_dc *dc, const cmd_t *c, u64 id, const void __user *payload);

#endif /* _DVK_RMT_H */
