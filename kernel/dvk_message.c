// SPDX-License-Identifier: GPL-2.0
/*
 * dvk_message.c - the message calls: send, receive, sendrec, rcvrqst,
 * reply and relay (rendezvous; one FIFO sender queue per endpoint).
 *
 * Each call copies the user's message in before taking dc->lock and out
 * after releasing it; buffers that will receive a message are checked
 * before a message is taken, so a bad buffer never loses one.
 */
#include <linux/kernel.h>
#include <linux/uaccess.h>
#include <linux/ktime.h>
#include <linux/delay.h>
#include "dvk_ipc.h"
#include "dvk_remote.h"
#include "dvk_trace.h"

/*
 * Take a message for @me: a pending notify (receive only; from @src when
 * @src is not ANY: the original's quirk of returning any, docs/original-dvk.md#quirks-of-the-original, is not
 * kept), else the first queued
 * sender that matches @src; *@wake is set to the sender to wake after
 * unlocking.  dc->lock held.  Return: true if one was taken.
 */
static bool take_message_locked(struct dvk_proc *me, int src, bool notifies, message *m, u64 *id,
			 struct dvk_proc **wake)
{
	struct dvk_dc *dc = me->dc;
	struct dvk_proc *s;

	if (notifies && !bitmap_empty(me->notify_pending, dc->nr_slots)) {
		int idx = -1, want = _ENDPOINT_P(src) + dc->usr.dc_nr_tasks;

		if (src == ANY)
			idx = find_first_bit(me->notify_pending, dc->nr_slots);
		else if (want >= 0 && want < dc->nr_slots && test_bit(want, me->notify_pending))
			idx = want;
		if (idx >= 0) {
			*id = dvk_notify_build_locked(me, idx, m);
			me->msgs_in++;
			trace_dvk_msg_receive(dc->usr.dc_dcid, *id, m->m_source, me->usr.p_endpoint, 0);
			return true;
		}
	}
	list_for_each_entry(s, &me->senders, send_link) {
		if (src != ANY && s->usr.p_endpoint != src)
			continue;
		*m = s->msg;
		*id = s->msg_id;
		list_del_init(&s->send_link);
		me->nsenders--;
		s->usr.p_sendto = NONE;
		s->usr.p_lclsent++;
		me->msgs_in++;
		trace_dvk_msg_receive(dc->usr.dc_dcid, s->msg_id, s->usr.p_endpoint,
				      me->usr.p_endpoint, dvk_clock_since(s->queued_ns));
		/* a sendrec caller stays RECEIVING, waiting for our reply */
		*wake = dvk_ipc_ready_locked(s, SENDING, OK);
		return true;
	}
	return false;
}

/*
 * receive(src): the source must be bound with that endpoint (EDVSSRCDIED,
 * EDVSENDPOINT), as the original checked: a receive from a free slot does
 * not wait for a process to bind there.  HARDWARE is no process (its
 * notifies come from hardware notify) and is always a valid source.  (The
 * original also refused a remote source whose link was down: here such a
 * receive waits, docs/departures.md.)  dc->lock held.
 */
static long source_ok_locked(struct dvk_dc *dc, int src)
{
	const struct dvk_proc *s = dvk_slot(dc, _ENDPOINT_P(src));

	if (_ENDPOINT_P(src) == HARDWARE)
		return OK;
	if (!dvk_slot_bound(s))
		return EDVSSRCDIED;
	if (s->usr.p_endpoint != src)
		return EDVSENDPOINT;
	return OK;
}

/* receive() and rcvrqst(): @kind is DVK_RECV_MSG or DVK_RECV_RQST. */
static long do_receive(int nr, int src, message __user *umsg, long timeout_ms, int kind)
{
	struct dvk_proc *me, *wake = NULL;
	struct dvk_dc *dc;
	message kmsg;
	long ret;
	u64 id;

	if (clear_user(umsg, sizeof(*umsg)))
		return EDVSFAULT;
	ret = dvk_ipc_caller(nr, &me);
	if (ret)
		return ret;
	dc = me->dc;
	if (kind == DVK_RECV_RQST && !dvk_is_sysproc(dc, me->usr.p_nr))
		ret = EDVSTRAPDENIED;
	else if (src != ANY)
		ret = dvk_ipc_peer(me, src, false);
	if (ret)
		goto put;

	ret = dvk_ipc_lock_caller(me);
	if (ret == OK && src != ANY)
		ret = source_ok_locked(dc, src);
	if (ret)
		goto unlock;
	if (src == ANY && (me->usr.p_misc_flags & MIS_WOKENUP)) {
		me->usr.p_misc_flags &= ~MIS_WOKENUP;
		ret = EDVSWOKENUP;
		goto unlock;
	}
	if (take_message_locked(me, src, kind == DVK_RECV_MSG, &kmsg, &id, &wake))
		goto unlock;	/* ret == OK */
	if (timeout_ms == 0) {
		ret = EDVSAGAIN;
		goto unlock;
	}
	me->usr.p_rts_flags |= RECEIVING;
	me->usr.p_getfrom = src;
	me->recv_kind = kind;
	ret = dvk_ipc_sleep_locked(me, RECEIVING, timeout_ms, NULL);
	if (ret == OK) {
		kmsg = me->msg;
		trace_dvk_msg_receive(dc->usr.dc_dcid, me->msg_id, kmsg.m_source,
				      me->usr.p_endpoint, 0);
	}
unlock:
	spin_unlock(&dc->lock);
	dvk_ipc_wake_unlocked(wake);
	if (ret == OK && copy_to_user(umsg, &kmsg, sizeof(kmsg)))
		ret = EDVSFAULT;
put:
	dvk_dc_put(dc);
	return ret;
}

/* What lock_destination() found at a destination it accepts. */
enum dvk_dst_kind {
	DVK_DST_LOCAL,		/* a local process's slot */
	DVK_DST_REMOTE,		/* a remote process's descriptor */
	DVK_DST_MIGRATING,	/* an endpoint being migrated: wait for the end */
};

#define DVK_MIGR_REPLAYS	50	/* a call replays at most this often, */
#define DVK_MIGR_PAUSE_MS	20	/* pausing this long when a remote node said EDVSMIGRATE */

/*
 * Check destination @dst of a send/sendrec/reply and lock: returns with
 * dc->lock held (also on error).  Return: OK with *@dp and *@kind set, or
 * an error (@dead for a free slot).
 */
static long lock_destination(struct dvk_proc *me, int dst, long dead, struct dvk_proc **dp,
			     enum dvk_dst_kind *kind)
	__acquires(&me->dc->lock)
{
	struct dvk_proc *d;
	long ret = dvk_ipc_lock_caller(me);

	if (ret)
		return ret;
	d = dvk_slot(me->dc, _ENDPOINT_P(dst));
	if (!dvk_slot_bound(d))
		return dead;
	if (d->usr.p_endpoint != dst)
		return EDVSENDPOINT;
	*dp = d;
	if (d->usr.p_rts_flags & MIGRATING)
		*kind = DVK_DST_MIGRATING;
	else
		*kind = dvk_slot_remote(d) ? DVK_DST_REMOTE : DVK_DST_LOCAL;
	return OK;
}

/*
 * sendrec to @d, which is queued sending to the caller: as the original,
 * its message is taken as the reply (typically a server's answer by send
 * to an earlier sendrec the caller gave up) and the request is not sent.
 * dc->lock held; *@wake is set to @d when it may run again.
 */
static long take_leftover_locked(struct dvk_proc *me, struct dvk_proc *d, struct dvk_proc **wake)
{
	list_del_init(&d->send_link);
	me->nsenders--;
	d->usr.p_sendto = NONE;
	d->usr.p_lclsent++;
	me->msgs_in++;
	me->msg = d->msg;
	me->msg_id = d->msg_id;
	/* a sendrec of @d stays RECEIVING: it waits for our answer */
	*wake = dvk_ipc_ready_locked(d, SENDING, OK);
	return OK;
}

/*
 * Send @m from @me to @d; with @rec (sendrec) then wait for d's reply into
 * me->msg.  dc->lock held; *@wake is set to a slot to wake after unlocking.
 */
static long send_locked(struct dvk_proc *me, struct dvk_proc *d, message *m, long timeout_ms,
			bool rec, struct dvk_proc **wake)
{
	struct dvk_proc *w;
	int dcid = me->dc->usr.dc_dcid, mask = SENDING | (rec ? RECEIVING : 0);
	u64 id;

	if ((d->usr.p_rts_flags & SENDING) && d->usr.p_sendto == me->usr.p_endpoint) {
		if (rec && !list_empty(&d->send_link))
			return take_leftover_locked(me, d, wake);
		return EDVSLOCKED;	/* it waits for us to receive: we never would */
	}
	if (rec && timeout_ms == 0)
		return EDVSAGAIN;	/* a reply is always waited for: nothing is sent */
	m->m_source = me->usr.p_endpoint;
	if (dvk_ipc_accepts_locked(d, me->usr.p_endpoint, false)) {
		id = dvk_ipc_next_id();
		trace_dvk_msg_send(dcid, id, me->usr.p_endpoint, d->usr.p_endpoint, false, 0);
		w = dvk_ipc_deliver_locked(d, m, id);
		me->usr.p_lclsent++;
		if (!rec) {
			*wake = w;
			return OK;
		}
		me->msg_id = id;
		me->usr.p_rts_flags |= RECEIVING;
		me->usr.p_getfrom = d->usr.p_endpoint;
		me->recv_kind = DVK_RECV_REPLY;
		return dvk_ipc_sleep_locked(me, RECEIVING, timeout_ms, w);	/* wakes d first */
	}
	if (timeout_ms == 0)
		return EDVSAGAIN;
	id = dvk_ipc_next_id();
	dvk_ipc_queue_sender_locked(me, d, m, id, rec);
	trace_dvk_msg_send(dcid, id, me->usr.p_endpoint, d->usr.p_endpoint, true, d->nsenders);
	return dvk_ipc_sleep_locked(me, mask, timeout_ms, NULL);	/* p_lclsent counted by the taker */
}

/*
 * Park the caller until @d's migration ends (docs/design-remote.md): it
 * returns EDVSMIGRATE at commit or rollback, and the caller replays.
 * dc->lock held.
 */
static long park_migrating_locked(struct dvk_proc *me, struct dvk_proc *d, long timeout_ms)
{
	if (timeout_ms == 0)
		return EDVSAGAIN;
	me->usr.p_rts_flags |= WAITMIGR;
	me->usr.p_waitmigr = d->usr.p_endpoint;
	return dvk_ipc_sleep_locked(me, WAITMIGR, timeout_ms, NULL);
}

/* send() and sendrec() */
static long do_send(int nr, int dst, message __user *umsg, long timeout_ms)
{
	bool rec = nr == DVK_SENDREC;
	struct dvk_proc *me, *d, *wake = NULL;
	struct dvk_dc *dc;
	message kmsg;
	int replays;
	long ret;

	if (copy_from_user(&kmsg, umsg, sizeof(kmsg)))
		return EDVSFAULT;
	/* sendrec writes the reply here: make sure it can before sending */
	if (rec && copy_to_user(umsg, &kmsg, sizeof(kmsg)))
		return EDVSFAULT;
	ret = dvk_ipc_caller(nr, &me);
	if (ret)
		return ret;
	dc = me->dc;
	/* to itself: EDVSBADDEST for send, EDVSENDPOINT for sendrec (the original's codes) */
	if (rec && dst == me->usr.p_endpoint && _ENDPOINT_P(dst) != HARDWARE)
		ret = EDVSENDPOINT;
	else
		ret = dvk_ipc_peer(me, dst, true);
	if (ret)
		goto put;

	for (replays = 0;; replays++) {
		enum dvk_dst_kind kind = DVK_DST_LOCAL;
		bool parked = false;

		ret = lock_destination(me, dst, rec ? EDVSDEADSRCDST : EDVSDSTDIED, &d, &kind);
		if (ret == OK && kind == DVK_DST_MIGRATING) {
			ret = park_migrating_locked(me, d, timeout_ms);
			parked = true;
		} else if (ret == OK && kind == DVK_DST_REMOTE) {
			ret = dvk_rmt_send_locked(me, d, &kmsg, rec ? CMD_SNDREC_MSG : CMD_SEND_MSG,
						  timeout_ms);
		} else if (ret == OK) {
			ret = send_locked(me, d, &kmsg, timeout_ms, rec, &wake);
		}
		if (ret != EDVSMIGRATE || replays == DVK_MIGR_REPLAYS)
			break;
		/* the destination moved (or is moving): send again to where it is now */
		spin_unlock(&dc->lock);
		dvk_ipc_wake_unlocked(wake);
		wake = NULL;
		if (!parked && msleep_interruptible(DVK_MIGR_PAUSE_MS)) {
			spin_lock(&dc->lock);
			ret = -EINTR;
			break;
		}
	}
	if (ret == OK && rec) {
		kmsg = me->msg;
		trace_dvk_msg_receive(dc->usr.dc_dcid, me->msg_id, kmsg.m_source,
				      me->usr.p_endpoint, 0);
	}
	spin_unlock(&dc->lock);
	dvk_ipc_wake_unlocked(wake);
	if (ret == OK && rec && copy_to_user(umsg, &kmsg, sizeof(kmsg)))
		ret = EDVSFAULT;
put:
	dvk_dc_put(dc);
	return ret;
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
 * EDVSPROCRUN, EDVSRANGE, EDVSBADDEST, EDVSTRAPDENIED, EDVSDSTDIED,
 * EDVSENDPOINT, EDVSLOCKED (the destination is queued sending to us),
 * EDVSAGAIN (timeout 0), EDVSTIMEDOUT, EDVSSHUTDOWN, -EINTR.
 */
long dvk_send(const struct dvk_ipc_args *args)
{
	return do_send(DVK_SEND, args->first, u64_to_user_ptr(args->ptr), (long)args->fifth);
}

/**
 * dvk_sendrec - sendrec(ep, message *, timeout_ms): send, then receive
 * the reply from the same endpoint into the same buffer.
 * @args: first = endpoint, ptr = message, fifth = timeout ms (for the
 *        whole call; 0 gives EDVSAGAIN since a reply must be waited for).
 *
 * A destination queued sending to the caller answers it at once: its
 * message is the reply and the request is not sent (the original's way
 * with the answer to a sendrec the caller gave up); a remote one gives
 * EDVSLOCKED.  docs/departures.md lists where sendrec differs.
 *
 * Return: as send, with EDVSENDPOINT (to itself), EDVSDEADSRCDST for a
 * free destination and EDVSSRCDIED when it dies before replying.
 */
long dvk_sendrec(const struct dvk_ipc_args *args)
{
	return do_send(DVK_SENDREC, args->first, u64_to_user_ptr(args->ptr), (long)args->fifth);
}

/**
 * dvk_receive - receive(src, message *, timeout_ms).
 * @args: first = source endpoint or ANY, ptr = message buffer,
 *        fifth = timeout ms.
 *
 * In order: a pending wakeup (ANY only: EDVSWOKENUP), a pending notify
 * (lowest slot first; from @src only when @src is given), the first queued
 * sender that matches (FIFO), else sleep until a matching sender delivers.
 * A given @src must be bound (EDVSSRCDIED at once), with that endpoint.
 *
 * Return: OK, or EDVSFAULT, EDVSDVSINIT, EDVSNOTBIND, EDVSBADCALL,
 * EDVSPROCRUN, EDVSRANGE, EDVSENDPOINT, EDVSTRAPDENIED, EDVSSRCDIED,
 * EDVSNOTCONN, EDVSWOKENUP, EDVSAGAIN, EDVSTIMEDOUT, EDVSSHUTDOWN, -EINTR.
 */
long dvk_receive(const struct dvk_ipc_args *args)
{
	return do_receive(DVK_RECEIVE, args->first, u64_to_user_ptr(args->ptr),
			  (long)args->fifth, DVK_RECV_MSG);
}

/**
 * dvk_rcvrqst - rcvrqst(message *, timeout_ms): receive(ANY) of requests
 * only (no notifies), for system processes (EDVSTRAPDENIED otherwise).
 * @args: ptr = message buffer, fifth = timeout ms.
 */
long dvk_rcvrqst(const struct dvk_ipc_args *args)
{
	return do_receive(DVK_RCVRQST, ANY, u64_to_user_ptr(args->ptr), (long)args->fifth,
			  DVK_RECV_RQST);
}

/**
 * dvk_reply - reply(dst, message *, timeout_ms): answer a sendrec.  Never
 * blocks locally: @dst must be waiting for a message from exactly the
 * caller, else EDVSPROCSTS at once.  System processes only.
 * @args: first = destination, ptr = message, fifth = timeout (unused: a
 *        reply never waits, to a remote caller or a migrating one neither;
 *        docs/departures.md)
 *
 * Return: OK, or EDVSFAULT, EDVSNOTBIND, EDVSBADCALL, EDVSPROCRUN,
 * EDVSTRAPDENIED, EDVSENDPOINT (to itself), EDVSRANGE, EDVSBADDEST,
 * EDVSDSTDIED, EDVSPROCSTS, EDVSMIGRATE, EDVSNOTCONN.
 */
long dvk_reply(const struct dvk_ipc_args *args)
{
	int dst = args->first;
	struct dvk_proc *me, *d, *wake = NULL;
	enum dvk_dst_kind kind = DVK_DST_LOCAL;
	struct dvk_dc *dc;
	message kmsg;
	long ret;
	u64 id;

	if (copy_from_user(&kmsg, u64_to_user_ptr(args->ptr), sizeof(kmsg)))
		return EDVSFAULT;
	ret = dvk_ipc_caller(DVK_REPLY, &me);
	if (ret)
		return ret;
	dc = me->dc;
	if (!dvk_is_sysproc(dc, me->usr.p_nr))
		ret = EDVSTRAPDENIED;
	else if (dst == me->usr.p_endpoint && _ENDPOINT_P(dst) != HARDWARE)
		ret = EDVSENDPOINT;	/* the original's code for a reply to oneself */
	else
		ret = dvk_ipc_peer(me, dst, true);
	if (ret)
		goto put;

	ret = lock_destination(me, dst, EDVSDSTDIED, &d, &kind);
	if (ret == OK && kind == DVK_DST_MIGRATING)
		ret = EDVSMIGRATE;	/* a reply never waits */
	if (ret == OK && kind == DVK_DST_LOCAL &&
	    !(dvk_ipc_accepts_locked(d, me->usr.p_endpoint, false) &&
	      d->usr.p_getfrom == me->usr.p_endpoint))
		ret = EDVSPROCSTS;
	if (ret == OK && kind == DVK_DST_REMOTE) {
		ret = dvk_rmt_reply_locked(me, d, &kmsg);
	} else if (ret == OK) {
		kmsg.m_source = me->usr.p_endpoint;
		id = dvk_ipc_next_id();
		trace_dvk_msg_send(dc->usr.dc_dcid, id, me->usr.p_endpoint, dst, false, 0);
		wake = dvk_ipc_deliver_locked(d, &kmsg, id);
		me->usr.p_lclsent++;
	}
	spin_unlock(&dc->lock);
	dvk_ipc_wake_unlocked(wake);
put:
	dvk_dc_put(dc);
	return ret;
}

/**
 * dvk_relay - relay(dst, message *): the original's no-op, kept for
 * compatibility.
 * @args: first = destination, ptr = message (both unused)
 *
 * Return: OK once the caller is found bound and allowed the call.
 */
long dvk_relay(const struct dvk_ipc_args *args)
{
	struct dvk_proc *me;
	long ret = dvk_ipc_caller(DVK_RELAY, &me);

	if (ret)
		return ret;
	dvk_dc_put(me->dc);
	return OK;
}
