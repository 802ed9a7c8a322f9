/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dvk_ipc.h - the IPC calls: messages (dvk_message.c), notify and wakeup
 * (dvk_notify.c), vcopy (dvk_vcopy.c, with dvk_task_mem.c to reach another
 * task's memory) and the machinery they share (dvk_ipc.c).  The rules
 * (docs/design-core.md): every slot field is guarded by its DC's spinlock
 * (the _locked functions expect it held: dvk_core.h); user memory is
 * touched only outside it; whoever clears a sleeper's last blocking bit
 * sets its rcode and wakes it.
 */
#ifndef _DVK_IPC_H
#define _DVK_IPC_H

#include "dvk_core.h"

/* What a slot sleeping in RECEIVING accepts (dvk_proc.recv_kind). */
enum dvk_recv_kind {
	DVK_RECV_MSG = 0,	/* receive(): messages and notifies */
	DVK_RECV_RQST,		/* rcvrqst(): requests only, no notifies */
	DVK_RECV_REPLY,		/* sendrec(): the reply from p_getfrom only */
};

/* dvk_ipc.c */
void dvk_ipc_unbind_locked(struct dvk_proc *p);
void dvk_ipc_shutdown_locked(struct dvk_proc *p);
long dvk_ipc_caller(int nr, struct dvk_proc **mep);
long dvk_ipc_lock_caller(struct dvk_proc *me) __acquires(&me->dc->lock);
long dvk_ipc_peer(struct dvk_proc *me, int ep, bool is_send);
struct dvk_dc *dvk_ipc_dc_get(int dcid);
long dvk_ipc_dc_named(int dcid, struct dvk_dc **dcp);
u64 dvk_ipc_next_id(void);

long dvk_ipc_sleep_locked(struct dvk_proc *me, int mask, long timeout_ms,
			  struct dvk_proc *wake)
	__must_hold(&me->dc->lock);
struct dvk_proc *dvk_ipc_ready_locked(struct dvk_proc *p, int bits, long rcode);
void dvk_ipc_wake_locked(struct dvk_proc *p, int bits, long rcode);
bool dvk_ipc_accepts_locked(const struct dvk_proc *d, int src_ep, bool is_notify);
struct dvk_proc *dvk_ipc_deliver_locked(struct dvk_proc *d, const message *m, u64 id);

/*
 * Wake @p (from dvk_ipc_ready_locked/dvk_ipc_deliver_locked) after
 * dropping dc->lock, so the woken task does not spin on the lock its waker
 * still holds.  The slot stays valid: the caller pins the DC.
 */
static inline void dvk_ipc_wake_unlocked(struct dvk_proc *p)
{
	if (p)
		wake_up(&p->wq);
}
void dvk_ipc_queue_sender_locked(struct dvk_proc *s, struct dvk_proc *d, const message *m,
				 u64 id, bool rec);
void dvk_ipc_unqueue_locked(struct dvk_proc *p);

/* dvk_waits.c: who waits on whom (dvk_proc.wait_since_ns, debugfs dvk/waits) */
void dvk_wait_begin_locked(struct dvk_proc *p);
int dvk_wait_peer_node_locked(struct dvk_dc *dc, int peer);

/* dvk_message.c */
long dvk_send(const struct dvk_ipc_args *args);
long dvk_receive(const struct dvk_ipc_args *args);
long dvk_sendrec(const struct dvk_ipc_args *args);
long dvk_rcvrqst(const struct dvk_ipc_args *args);
long dvk_reply(const struct dvk_ipc_args *args);
long dvk_relay(const struct dvk_ipc_args *args);

/* dvk_notify.c; dvk_notify_build_locked: the message of slot @idx's pending notify */
long dvk_notify(const struct dvk_ipc_args *args);
long dvk_wakeup(const struct dvk_ipc_args *args);
u64 dvk_notify_build_locked(struct dvk_proc *d, int idx, message *m);

/* the pending bits of the first 64 slots (the dvk_notify event's "pending") */
static inline u64 dvk_notify_pending_low(const struct dvk_proc *d)
{
	return d->notify_pending[0];
}
long dvk_notify_locked(struct dvk_dc *dc, int idx, struct dvk_proc *d, int value,
		       struct dvk_proc *sender, u64 id, struct dvk_proc **wake);

/* dvk_vcopy.c */
long dvk_vcopy(const struct dvk_ipc_args *args);

/* dvk_task_mem.c */
long dvk_task_rw(struct task_struct *t, unsigned long addr, void *buf, size_t len, bool write);
long dvk_task_read_user(struct task_struct *t, unsigned long addr, void __user *dst,
			size_t len);
long dvk_task_write_user(struct task_struct *t, unsigned long addr, const void __user *src,
			 size_t len);

#endif /* _DVK_IPC_H */
