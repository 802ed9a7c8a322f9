// SPDX-License-Identifier: GPL-2.0
/*
 * dvk_ipc.c - the machinery under every IPC call (dvk_ipc.h): finding and
 * checking the caller and its peer, sleeping and waking, delivering a
 * message, and waking everyone who waits on a slot that goes away.  The
 * plan is in docs/design-core.md:
 *
 *  - the caller pins its DC (dc->users) for the whole call: it sleeps on
 *    its slot's wait queue, which lives in the DC;
 *  - user memory is touched only outside dc->lock;
 *  - p_rts_flags is the state; whoever clears a sleeper's last blocking bit
 *    sets its rcode and wakes it; a sleeper that times out or is signalled
 *    undoes its own queueing;
 *  - dvk_ipc_unbind_locked() is the one place that wakes the peers of a slot that
 *    goes away.
 *
 * Every message (and notify) gets a 64-bit id when sent, carried by all
 * the events it passes through (dvk_msg_send, dvk_block, dvk_wake,
 * dvk_msg_receive, dvk_notify).
 */
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/sched/signal.h>
#include "dvk_bind.h"
#include "dvk_ipc.h"
#include "dvk_remote.h"
#include "dvk_trace.h"

static atomic64_t dvk_msg_seq = ATOMIC64_INIT(0);

/*
 * Message ids are unique across the DVS: the top byte is the node that
 * made the id (the proxies carry it to the other node in c_snd_seq).
 */
u64 dvk_ipc_next_id(void)
{
	u64 node = (u64)(atomic_read(&dvk_dvs.local_nodeid) & 0xff) << 56;

	return node | (atomic64_inc_return(&dvk_msg_seq) & ((1ULL << 56) - 1));
}

/**
 * dvk_ipc_caller - the caller's slot, with its DC pinned.
 * @nr:  the call, checked against the slot's allowed-calls bitmap
 * @mep: set to the slot
 *
 * Return: OK (drop the pin with dvk_dc_put(me->dc)), EDVSDVSINIT,
 * EDVSNOTBIND, EDVSDCNOTRUN or EDVSBADCALL.
 */
long dvk_ipc_caller(int nr, struct dvk_proc **mep)
{
	struct dvk_proc *me;
	long ret = OK;

	if (!dvs_initialized())
		return EDVSDVSINIT;
	rcu_read_lock();
	me = dvk_current_proc();
	if (!me)
		ret = EDVSNOTBIND;
	else if (!refcount_inc_not_zero(&me->dc->users))
		ret = EDVSDCNOTRUN;
	rcu_read_unlock();
	if (ret)
		return ret;
	if (!(READ_ONCE(me->priv.priv_dvk_allowed) & (1ULL << nr))) {
		dvk_dc_put(me->dc);
		return EDVSBADCALL;
	}
	*mep = me;
	return OK;
}

/**
 * dvk_ipc_dc_get - a running DC by id, pinned, without the DVS mutex.
 * @dcid: the DC id
 *
 * Return: the DC (drop with dvk_dc_put()) or NULL.
 */
struct dvk_dc *dvk_ipc_dc_get(int dcid)
{
	struct dvk_dc *dc;

	if (dcid < 0 || dcid >= NR_DCS)
		return NULL;
	rcu_read_lock();
	dc = rcu_dereference(dvk_dvs.dcs[dcid]);
	if (dc && !refcount_inc_not_zero(&dc->users))
		dc = NULL;
	rcu_read_unlock();
	return dc;
}

/**
 * dvk_ipc_dc_named - a running DC that a call names by id, pinned.
 * @dcid: the id, checked against the DVS's d_nr_dcs
 * @dcp:  set to the DC (drop with dvk_dc_put())
 *
 * Return: OK, EDVSBADDCID or EDVSDCNOTRUN.
 */
long dvk_ipc_dc_named(int dcid, struct dvk_dc **dcp)
{
	if (dcid < 0 || dcid >= READ_ONCE(dvk_dvs.usr.d_nr_dcs))
		return EDVSBADDCID;
	*dcp = dvk_ipc_dc_get(dcid);
	return *dcp ? OK : EDVSDCNOTRUN;
}

/**
 * dvk_ipc_lock_caller - take the caller's DC lock and re-check the slot.
 * @me: the slot found by dvk_ipc_caller()
 *
 * Always returns with dc->lock held.  The slot must still be the caller's
 * (it may have been unbound meanwhile: EDVSNOTBIND) and idle: threads of
 * one process share their leader's slot, one call at a time (EDVSPROCRUN).
 */
long dvk_ipc_lock_caller(struct dvk_proc *me)
	__acquires(&me->dc->lock)
{
	spin_lock(&me->dc->lock);
	if (!me->task || (me->task != current && !same_thread_group(me->task, current)))
		return EDVSNOTBIND;
	if (me->usr.p_rts_flags & MIGRATING)
		return EDVSMIGRATE;	/* being moved: no calls until commit or rollback */
	if (me->usr.p_rts_flags)
		return EDVSPROCRUN;
	return OK;
}

/**
 * dvk_ipc_peer - range and privilege checks of a peer endpoint (docs/original-dvk.md#checks-shared-by-the-ipc-calls).
 * @me:      the caller
 * @ep:      the peer
 * @is_send: whether the peer is a destination
 *
 * Return: OK, EDVSRANGE, EDVSBADDEST, EDVSENDPOINT or EDVSTRAPDENIED.
 */
long dvk_ipc_peer(struct dvk_proc *me, int ep, bool is_send)
{
	struct dvk_dc *dc = me->dc;
	int p_nr = _ENDPOINT_P(ep);

	if (!dvk_ep_in_range(dc, ep))
		return EDVSRANGE;
	if (is_send && p_nr == HARDWARE)
		return EDVSBADDEST;
	if (ep == me->usr.p_endpoint)
		return is_send ? EDVSBADDEST : EDVSENDPOINT;
	if (dvk_is_sysproc(dc, p_nr) &&
	    !(READ_ONCE(me->priv.priv_ipc_to) & (1ULL << (p_nr + dc->usr.dc_nr_tasks))))
		return EDVSTRAPDENIED;
	return OK;
}

/**
 * dvk_ipc_ready_locked - clear blocking bits of a slot; is its owner runnable now?
 * @p:     the slot
 * @bits:  the bits to clear
 * @rcode: the result its owner's call returns
 *
 * dc->lock held.  Return: @p when no blocking bit is left (wake it with
 * dvk_ipc_wake_unlocked() once the lock is dropped), else NULL.
 */
struct dvk_proc *dvk_ipc_ready_locked(struct dvk_proc *p, int bits, long rcode)
{
	p->usr.p_rts_flags &= ~bits;
	p->rcode = rcode;
	if (unlikely(p->usr.p_rts_flags & REMOTE)) {
		dvk_rmt_standin_done_locked(p, rcode);	/* no task: its remote caller gets an ACK */
		return NULL;
	}
	return p->usr.p_rts_flags ? NULL : p;
}

/**
 * dvk_ipc_wake_locked - clear blocking bits of a slot; wake its owner when none is left.
 * @p:     the slot
 * @bits:  the bits to clear
 * @rcode: the result its owner's call returns
 *
 * dc->lock held.
 */
void dvk_ipc_wake_locked(struct dvk_proc *p, int bits, long rcode)
{
	if (dvk_ipc_ready_locked(p, bits, rcode))
		wake_up(&p->wq);
}

/**
 * dvk_ipc_accepts_locked - does a slot wait in receive for a message from @src_ep?
 * @d:         the slot
 * @src_ep:    the sender
 * @is_notify: notifies reach receive() only, never rcvrqst() or the reply
 *             wait of sendrec()
 *
 * dc->lock held.
 */
bool dvk_ipc_accepts_locked(const struct dvk_proc *d, int src_ep, bool is_notify)
{
	if ((d->usr.p_rts_flags & (RECEIVING | SENDING)) != RECEIVING)
		return false;
	if (is_notify && d->recv_kind != DVK_RECV_MSG)
		return false;
	return d->usr.p_getfrom == ANY || d->usr.p_getfrom == src_ep;
}

/**
 * dvk_ipc_deliver_locked - hand a message to a slot that accepts it.
 * @d:  the slot
 * @m:  the message
 * @id: its id
 *
 * dc->lock held.  Return: the slot to wake after unlocking, or NULL.
 */
struct dvk_proc *dvk_ipc_deliver_locked(struct dvk_proc *d, const message *m, u64 id)
{
	d->msg = *m;
	d->msg_id = id;
	d->usr.p_getfrom = NONE;
	d->msgs_in++;
	return dvk_ipc_ready_locked(d, RECEIVING, OK);
}

/**
 * dvk_ipc_queue_sender_locked - a sender joins the tail of a sender queue.
 * @s:   the sender, a local caller or a stand-in
 * @d:   the destination
 * @m:   the message, kept in @s until @d takes it
 * @id:  its id
 * @rec: sendrec: @s then waits for @d's reply too
 *
 * dc->lock held.
 */
void dvk_ipc_queue_sender_locked(struct dvk_proc *s, struct dvk_proc *d, const message *m,
				 u64 id, bool rec)
{
	s->msg = *m;
	s->msg_id = id;
	s->queued_ns = local_clock();	/* cheap: not the HPET under TCG */
	s->usr.p_rts_flags |= SENDING | (rec ? RECEIVING : 0);
	s->usr.p_sendto = d->usr.p_endpoint;
	if (rec) {
		s->usr.p_getfrom = d->usr.p_endpoint;
		s->recv_kind = DVK_RECV_REPLY;
	}
	list_add_tail(&s->send_link, &d->senders);
	d->nsenders++;
}

/**
 * dvk_ipc_unqueue_locked - take a slot out of any wait, without waking it.
 * @p: the slot; it leaves the sender queue and the proxy queue it is in,
 *     SENDING, RECEIVING and RMTOPER are cleared
 *
 * dc->lock held.
 */
void dvk_ipc_unqueue_locked(struct dvk_proc *p)
{
	/* a sender to a remote endpoint is on no sender queue, maybe on an outq */
	if ((p->usr.p_rts_flags & SENDING) && !list_empty(&p->send_link)) {
		list_del_init(&p->send_link);
		dvk_slot(p->dc, _ENDPOINT_P(p->usr.p_sendto))->nsenders--;
	}
	if (p->usr.p_rts_flags & RMTOPER)
		dvk_rmt_unlink_locked(p);
	p->usr.p_rts_flags &= ~(SENDING | RECEIVING | WAITMIGR);
	p->usr.p_waitmigr = NONE;
	p->usr.p_sendto = NONE;
	p->usr.p_getfrom = NONE;
}

/* Wait, uninterruptibly, for a vcopy that uses this slot to end. */
static void wait_copy_done_locked(struct dvk_proc *me, u64 seq)
	__must_hold(&me->dc->lock)
{
	struct dvk_dc *dc = me->dc;

	while ((me->usr.p_rts_flags & ONCOPY) && me->bind_seq == seq) {
		spin_unlock(&dc->lock);
		wait_event(me->copy_wq, !(READ_ONCE(me->usr.p_rts_flags) & ONCOPY) ||
			   READ_ONCE(me->bind_seq) != seq);
		spin_lock(&dc->lock);
	}
}

/**
 * dvk_ipc_sleep_locked - sleep until @mask is cleared in the caller's flags.
 * @me:         the caller, whose flags already include @mask
 * @mask:       SENDING and/or RECEIVING
 * @timeout_ms: < 0 forever, else the limit
 * @wake:       a slot to wake once the lock is dropped (sendrec's server), or NULL
 *
 * Called and returns with dc->lock held.  On timeout or signal the caller
 * undoes its own queueing.  A vcopy that is using the caller's memory is
 * always let finish first (docs/original-dvk.md#blocking-and-wake-up).  If the slot was unbound meanwhile (and
 * perhaps rebound by someone else) nothing of it is touched.
 *
 * Return: the waker's rcode, EDVSTIMEDOUT, -EINTR, or EDVSNOTBIND.
 */
long dvk_ipc_sleep_locked(struct dvk_proc *me, int mask, long timeout_ms, struct dvk_proc *wake)
	__must_hold(&me->dc->lock)
{
	struct dvk_dc *dc = me->dc;
	/* the clock is read only for the event (see dvk_clock_since) */
	u64 seq = me->bind_seq, t0 = trace_dvk_wake_enabled() ? local_clock() : 0;
	long ret, left, jif = timeout_ms < 0 ? MAX_SCHEDULE_TIMEOUT : msecs_to_jiffies(timeout_ms);
	int peer = (mask & SENDING) ? me->usr.p_sendto : me->usr.p_getfrom;
	u64 id = (mask & SENDING) ? me->msg_id : 0;	/* the message it waits with */

	dvk_wait_begin_locked(me);
	if (trace_dvk_block_enabled())
		trace_dvk_block(dc->usr.dc_dcid, id, me->usr.p_endpoint, mask, peer, timeout_ms,
				dvk_wait_peer_node_locked(dc, peer));
	spin_unlock(&dc->lock);
	dvk_ipc_wake_unlocked(wake);
	left = wait_event_interruptible_timeout(me->wq,
			!(READ_ONCE(me->usr.p_rts_flags) & mask) || READ_ONCE(me->bind_seq) != seq,
			jif);
	spin_lock(&dc->lock);
	wait_copy_done_locked(me, seq);
	if (me->bind_seq != seq) {
		ret = EDVSNOTBIND;
	} else if (!(me->usr.p_rts_flags & mask)) {
		ret = me->rcode;	/* woken, maybe just as the timeout hit */
	} else {
		dvk_ipc_unqueue_locked(me);
		ret = left < 0 ? -EINTR : EDVSTIMEDOUT;
	}
	trace_dvk_wake(dc->usr.dc_dcid, ret == OK ? me->msg_id : id, me->usr.p_endpoint, peer,
		       ret, t0 ? dvk_clock_since(t0) : 0);
	return ret;
}

/**
 * dvk_ipc_shutdown_locked - end a slot's IPC wait with EDVSSHUTDOWN.
 * @p: the slot, being unbound by another process
 *
 * dc->lock held.
 */
void dvk_ipc_shutdown_locked(struct dvk_proc *p)
{
	if (!(p->usr.p_rts_flags & (SENDING | RECEIVING)))
		return;
	dvk_ipc_unqueue_locked(p);
	dvk_ipc_wake_locked(p, 0, EDVSSHUTDOWN);
}

/**
 * dvk_ipc_unbind_locked - wake everyone who waits on a slot that goes away.
 * @p: the slot, still bound; its DC's lock is held.
 *
 * Queued senders get EDVSDSTDIED (a sendrec whose request was never taken
 * too); receivers waiting for it specifically, including sendrec callers
 * waiting for its reply, EDVSSRCDIED; the notifies it left pending in
 * other slots are withdrawn; the slot leaves any queue it is in; its own
 * owner, if asleep (dc_end), finds the slot gone.  Never sleeps: it runs
 * from the exit hook.
 */
void dvk_ipc_unbind_locked(struct dvk_proc *p)
{
	struct dvk_dc *dc = p->dc;
	struct dvk_proc *s, *tmp;
	int idx = dvk_slot_index(p);
	int i;

	dvk_ipc_unqueue_locked(p);
	list_for_each_entry_safe(s, tmp, &p->senders, send_link) {
		list_del_init(&s->send_link);
		s->usr.p_sendto = NONE;
		if (s->usr.p_getfrom == p->usr.p_endpoint) {
			s->usr.p_getfrom = NONE;
			dvk_ipc_wake_locked(s, SENDING | RECEIVING, EDVSDSTDIED);
		} else {
			dvk_ipc_wake_locked(s, SENDING, EDVSDSTDIED);
		}
	}
	p->nsenders = 0;
	for (i = 0; i < dc->nr_slots; i++) {
		s = &dc->procs[i];
		if (s == p)
			continue;
		clear_bit(idx, s->notify_pending);
		if ((s->usr.p_rts_flags & RECEIVING) && s->usr.p_getfrom == p->usr.p_endpoint) {
			s->usr.p_getfrom = NONE;
			dvk_ipc_wake_locked(s, RECEIVING, EDVSSRCDIED);
		} else if ((s->usr.p_rts_flags & SENDING) && s->usr.p_sendto == p->usr.p_endpoint) {
			/* sent to remote @p: queued for a proxy or waiting for the ACK */
			dvk_ipc_unqueue_locked(s);
			dvk_ipc_wake_locked(s, 0, EDVSDSTDIED);
		}
	}
	p->bind_seq = 0;	/* a sleeping owner sees its binding gone */
	wake_up(&p->wq);
	wake_up(&p->copy_wq);
}
