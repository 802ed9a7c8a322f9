// SPDX-License-Identifier: GPL-2.0
/*
 * dvk_ipc.c - message passing between endpoints of a DC: send and receive
 * (rendezvous, FIFO sender queue per endpoint), following the plan in
 * docs/design-core.md:
 *
 *  - the caller pins its DC (dc->users) for the whole call: it sleeps on
 *    its slot's wait queue, which lives in the DC;
 *  - user memory is touched only outside dc->lock: the sender copies its
 *    message in first, the receiver copies out after it has the message;
 *  - p_rts_flags is the state; whoever clears a sleeper's last blocking bit
 *    sets its rcode and wakes it; a sleeper that times out or is signalled
 *    undoes its own queueing;
 *  - dvk_ipc_unbind() is the one place that wakes the peers of a slot that
 *    goes away.
 *
 * Every message gets a 64-bit id when sent (dvk:dvk_msg_send), carried by
 * dvk:dvk_msg_receive.
 */
#include <linux/kernel.h>
#include <linux/uaccess.h>
#include <linux/ktime.h>
#include <linux/sched/signal.h>
#include "dvk_internal.h"
#include "dvk_trace.h"

static atomic64_t dvk_msg_seq = ATOMIC64_INIT(0);

/*
 * The caller's slot, with its DC pinned, or an error.  Checks that the
 * caller is bound and may make call @nr (its allowed-calls bitmap).
 */
static long ipc_caller(int nr, struct dvk_proc **mep)
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

/* Is @me (found before locking) still the caller's slot?  dc->lock held. */
static bool still_mine(const struct dvk_proc *me)
{
	return me->task && (me->task == current || same_thread_group(me->task, current));
}

/* Wake the owner of @p with @rcode once @bits are cleared.  dc->lock held. */
static void ipc_wake(struct dvk_proc *p, int bits, long rcode)
{
	p->usr.p_rts_flags &= ~bits;
	p->rcode = rcode;
	if (!p->usr.p_rts_flags)
		wake_up(&p->wq);
}

/*
 * Sleep until @mask is cleared in the caller's flags.  Called and returns
 * with dc->lock held.  On timeout or signal the caller undoes its own
 * queueing.  If the slot was unbound meanwhile (and perhaps rebound by
 * someone else) nothing of it is touched: EDVSNOTBIND.
 */
static long ipc_sleep(struct dvk_proc *me, int mask, long timeout_ms)
	__must_hold(&me->dc->lock)
{
	struct dvk_dc *dc = me->dc;
	u64 seq = me->bind_seq;
	long left, jif = timeout_ms < 0 ? MAX_SCHEDULE_TIMEOUT : msecs_to_jiffies(timeout_ms);

	spin_unlock(&dc->lock);
	left = wait_event_interruptible_timeout(me->wq,
			!(READ_ONCE(me->usr.p_rts_flags) & mask) || READ_ONCE(me->bind_seq) != seq,
			jif);
	spin_lock(&dc->lock);
	if (me->bind_seq != seq || !still_mine(me))
		return EDVSNOTBIND;
	if (!(me->usr.p_rts_flags & mask))
		return me->rcode;	/* woken, maybe just as the timeout hit */
	if (me->usr.p_rts_flags & SENDING) {
		struct dvk_proc *d = dvk_slot(dc, _ENDPOINT_P(me->usr.p_sendto));

		list_del_init(&me->send_link);
		d->nsenders--;
	}
	me->usr.p_rts_flags &= ~mask;
	me->usr.p_sendto = NONE;
	me->usr.p_getfrom = NONE;
	return left < 0 ? -EINTR : EDVSTIMEDOUT;
}

/* Range and privilege checks of a peer endpoint (B.5.1). */
static long ipc_peer(struct dvk_proc *me, int ep, bool is_send)
{
	struct dvk_dc *dc = me->dc;
	int p_nr = _ENDPOINT_P(ep);

	if (ep == ANY || ep == NONE || ep == SELF || ep < -dc->usr.dc_nr_tasks ||
	    !dvk_pnr_valid(dc, p_nr))
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
 * dvk_send - send(dst, message *, timeout_ms).
 * @args: first = destination endpoint, ptr = message, fifth = timeout ms.
 *
 * Delivered at once if the destination waits for us (or for ANY), else the
 * caller joins the tail of the destination's sender queue and sleeps until
 * received.  m_source is set to the caller's endpoint.
 *
 * Return: OK, or EDVSFAULT, EDVSDVSINIT, EDVSNOTBIND, EDVSBADCALL,
 * EDVSRANGE, EDVSBADDEST, EDVSTRAPDENIED, EDVSDSTDIED, EDVSENDPOINT,
 * EDVSAGAIN (timeout 0), EDVSTIMEDOUT, -EINTR.
 */
long dvk_send(const struct dvk_ipc_args *args)
{
	int dst = args->first;
	long timeout_ms = (long)args->fifth;
	struct dvk_proc *me, *d;
	struct dvk_dc *dc;
	message kmsg;
	long ret;
	u64 id;

	if (copy_from_user(&kmsg, u64_to_user_ptr(args->ptr), sizeof(kmsg)))
		return EDVSFAULT;
	ret = ipc_caller(DVK_SEND, &me);
	if (ret)
		return ret;
	dc = me->dc;
	ret = ipc_peer(me, dst, true);
	if (ret)
		goto put;

	spin_lock(&dc->lock);
	if (!still_mine(me)) {
		ret = EDVSNOTBIND;
		goto unlock;
	}
	d = dvk_slot(dc, _ENDPOINT_P(dst));
	if (!d->task) {
		ret = EDVSDSTDIED;
		goto unlock;
	}
	if (d->usr.p_endpoint != dst) {
		ret = EDVSENDPOINT;
		goto unlock;
	}
	kmsg.m_source = me->usr.p_endpoint;
	id = atomic64_inc_return(&dvk_msg_seq);

	if ((d->usr.p_rts_flags & (RECEIVING | SENDING)) == RECEIVING &&
	    (d->usr.p_getfrom == ANY || d->usr.p_getfrom == me->usr.p_endpoint)) {
		d->msg = kmsg;
		d->msg_id = id;
		d->usr.p_getfrom = NONE;
		trace_dvk_msg_send(dc->usr.dc_dcid, id, me->usr.p_endpoint, dst, false, 0);
		ipc_wake(d, RECEIVING, OK);
		me->usr.p_lclsent++;
		ret = OK;
		goto unlock;
	}
	if (timeout_ms == 0) {
		ret = EDVSAGAIN;
		goto unlock;
	}
	me->msg = kmsg;
	me->msg_id = id;
	me->queued_ns = ktime_get_ns();
	me->usr.p_rts_flags |= SENDING;
	me->usr.p_sendto = dst;
	list_add_tail(&me->send_link, &d->senders);
	d->nsenders++;
	trace_dvk_msg_send(dc->usr.dc_dcid, id, me->usr.p_endpoint, dst, true, d->nsenders);
	ret = ipc_sleep(me, SENDING, timeout_ms);
	if (ret == OK)
		me->usr.p_lclsent++;
unlock:
	spin_unlock(&dc->lock);
put:
	dvk_dc_put(dc);
	return ret;
}

/**
 * dvk_receive - receive(src, message *, timeout_ms).
 * @args: first = source endpoint or ANY, ptr = message buffer,
 *        fifth = timeout ms.
 *
 * Takes the first queued sender that matches (FIFO), else sleeps until a
 * matching sender delivers.  The buffer is checked before anything is
 * taken, so a bad buffer fails without losing a message.
 *
 * Return: OK, or EDVSFAULT, EDVSDVSINIT, EDVSNOTBIND, EDVSBADCALL,
 * EDVSRANGE, EDVSENDPOINT, EDVSTRAPDENIED, EDVSSRCDIED, EDVSAGAIN,
 * EDVSTIMEDOUT, -EINTR.
 */
long dvk_receive(const struct dvk_ipc_args *args)
{
	message __user *umsg = u64_to_user_ptr(args->ptr);
	int src = args->first;
	long timeout_ms = (long)args->fifth;
	struct dvk_proc *me, *s, *found = NULL;
	struct dvk_dc *dc;
	message kmsg;
	long ret;

	if (clear_user(umsg, sizeof(*umsg)))
		return EDVSFAULT;
	ret = ipc_caller(DVK_RECEIVE, &me);
	if (ret)
		return ret;
	dc = me->dc;
	if (src != ANY) {
		ret = ipc_peer(me, src, false);
		if (ret)
			goto put;
	}

	spin_lock(&dc->lock);
	if (!still_mine(me)) {
		ret = EDVSNOTBIND;
		goto unlock;
	}
	list_for_each_entry(s, &me->senders, send_link) {
		if (src == ANY || s->usr.p_endpoint == src) {
			found = s;
			break;
		}
	}
	if (found) {
		kmsg = found->msg;
		list_del_init(&found->send_link);
		me->nsenders--;
		found->usr.p_sendto = NONE;
		trace_dvk_msg_receive(dc->usr.dc_dcid, found->msg_id, found->usr.p_endpoint,
				      me->usr.p_endpoint, ktime_get_ns() - found->queued_ns);
		ipc_wake(found, SENDING, OK);
		me->msgs_in++;
		ret = OK;
		goto unlock;
	}
	if (timeout_ms == 0) {
		ret = EDVSAGAIN;
		goto unlock;
	}
	me->usr.p_rts_flags |= RECEIVING;
	me->usr.p_getfrom = src;
	ret = ipc_sleep(me, RECEIVING, timeout_ms);
	if (ret == OK) {
		kmsg = me->msg;
		me->msgs_in++;
		trace_dvk_msg_receive(dc->usr.dc_dcid, me->msg_id, kmsg.m_source,
				      me->usr.p_endpoint, 0);
	}
unlock:
	spin_unlock(&dc->lock);
	if (ret == OK && copy_to_user(umsg, &kmsg, sizeof(kmsg)))
		ret = EDVSFAULT;
put:
	dvk_dc_put(dc);
	return ret;
}

/**
 * dvk_ipc_unbind - wake everyone who waits on a slot that goes away.
 * @p: the slot, still bound; its DC's lock is held.
 *
 * Queued senders get EDVSDSTDIED, receivers waiting for it specifically
 * EDVSSRCDIED; the slot leaves any queue it is in; its own owner, if
 * asleep (dc_end), is woken and finds the slot gone (EDVSNOTBIND).
 * Never sleeps: it runs from the exit hook.
 */
void dvk_ipc_unbind(struct dvk_proc *p)
{
	struct dvk_dc *dc = p->dc;
	struct dvk_proc *s, *tmp;
	int i;

	if (p->usr.p_rts_flags & SENDING) {
		list_del_init(&p->send_link);
		dvk_slot(dc, _ENDPOINT_P(p->usr.p_sendto))->nsenders--;
	}
	list_for_each_entry_safe(s, tmp, &p->senders, send_link) {
		list_del_init(&s->send_link);
		s->usr.p_sendto = NONE;
		ipc_wake(s, SENDING, EDVSDSTDIED);
	}
	p->nsenders = 0;
	for (i = 0; i < dc->nr_slots; i++) {
		s = &dc->procs[i];
		if (s != p && (s->usr.p_rts_flags & RECEIVING) &&
		    s->usr.p_getfrom == p->usr.p_endpoint) {
			s->usr.p_getfrom = NONE;
			ipc_wake(s, RECEIVING, EDVSSRCDIED);
		}
	}
	p->bind_seq = 0;	/* a sleeping owner sees its binding gone */
	wake_up(&p->wq);
}
