/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dvk_ipc.h - the machinery shared by the message calls (dvk_message.c),
 * notify and wakeup (dvk_notify.c) and vcopy (dvk_vcopy.c); implemented in
 * dvk_ipc.c.  The rules (docs/design-core.md): every slot field is guarded
 * by its DC's spinlock; user memory is touched only outside it; whoever
 * clears a sleeper's last blocking bit sets its rcode and wakes it.
 */
#ifndef _DVK_IPC_H
#define _DVK_IPC_H

#include "dvk_internal.h"

/* What a slot sleeping in RECEIVING accepts (dvk_proc.recv_kind). */
enum dvk_recv_kind {
	DVK_RECV_MSG = 0,	/* receive(): messages and notifies */
	DVK_RECV_RQST,		/* rcvrqst(): requests only, no notifies */
	DVK_RECV_REPLY,		/* sendrec(): the reply from p_getfrom only */
};

long dvk_ipc_caller(int nr, struct dvk_proc **mep);
long dvk_ipc_lock_caller(struct dvk_proc *me) __acquires(&me->dc->lock);
long dvk_ipc_peer(struct dvk_proc *me, int ep, bool is_send);
struct dvk_dc *dvk_ipc_dc_get(int dcid);
u64 dvk_ipc_next_id(void);

long dvk_ipc_sleep(struct dvk_proc *me, int mask, long timeout_ms, struct dvk_proc *wake)
	__must_hold(&me->dc->lock);
struct dvk_proc *dvk_ipc_ready(struct dvk_proc *p, int bits, long rcode);
void dvk_ipc_wake(struct dvk_proc *p, int bits, long rcode);
bool dvk_ipc_accepts(const struct dvk_proc *d, int src_ep, bool is_notify);
struct dvk_proc *dvk_ipc_deliver(struct dvk_proc *d, const message *m, u64 id);

/*
 * Wake @p (from dvk_ipc_ready/dvk_ipc_deliver) after dropping dc->lock, so
 * the woken task does not spin on the lock its waker still holds.  The
 * slot stays valid: the caller pins the DC.
 */
static inline void dvk_ipc_wake_unlocked(struct dvk_proc *p)
{
	if (p)
		wake_up(&p->wq);
}
void dvk_ipc_unqueue(struct dvk_proc *p);

static inline int dvk_slot_index(const struct dvk_proc *p)
{
	return p->usr.p_nr + p->dc->usr.dc_nr_tasks;
}

/* dvk_notify.c: build the message of the pending notify from slot @idx. */
void dvk_notify_build(struct dvk_proc *d, int idx, message *m);
long dvk_notify_locked(struct dvk_dc *dc, int idx, struct dvk_proc *d, int value,
		       struct dvk_proc *sender, u64 id, struct dvk_proc **wake);

#endif /* _DVK_IPC_H */
