// SPDX-License-Identifier: GPL-2.0
/*
 * dvk_vcopy.c - vcopy: copy bytes between the address spaces of two
 * endpoints of the caller's DC; the caller may be one of them or a third
 * process (the requester).
 *
 * The ends other than the caller must be blocked in an IPC receive (a
 * server copying into a client that waits for its reply, typically).  All
 * three carry ONCOPY while the copy runs, outside dc->lock, through a
 * bounce buffer of at most d_max_copybuf bytes: dvk_task_rw() for the
 * other processes, copy_{from,to}_user for the caller.  A blocked end
 * that is signalled or times out meanwhile waits for the copy to end
 * before it returns (dvk_ipc_sleep_locked), so its memory stays valid.
 */
#include <linux/kernel.h>
#include <linux/capability.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/sched/task.h>
#include "dvk_ipc.h"
#include "dvk_remote.h"
#include "dvk_trace.h"

/* One end of a copy. */
struct copy_end {
	int ep;
	struct dvk_proc *p;		/* NULL for the caller */
	struct task_struct *task;	/* referenced while copying; NULL for the caller */
	unsigned long addr;
	u64 seq;			/* the binding of @p that is claimed */
};

/* Check and claim end @e (not the caller): blocked, not copying.  dc->lock held. */
static long claim_end_locked(struct dvk_dc *dc, struct copy_end *e, long dead)
{
	struct dvk_proc *p = dvk_slot(dc, _ENDPOINT_P(e->ep));

	if (!dvk_slot_bound(p))
		return dead;
	if (p->usr.p_endpoint != e->ep)
		return EDVSENDPOINT;
	if (dvk_slot_remote(p))
		return EDVSBUSY;	/* became remote since dvk_vcopy looked */
	if (p->usr.p_rts_flags & ONCOPY)
		return EDVSBUSY;
	if (!(p->usr.p_rts_flags & RECEIVING))
		return EDVSPROCSTS;
	e->p = p;
	return OK;
}

/* Is @ep bound as a remote process's descriptor? */
static bool end_is_remote(struct dvk_dc *dc, int ep)
{
	struct dvk_proc *p = dvk_slot(dc, _ENDPOINT_P(ep));
	bool r;

	spin_lock(&dc->lock);
	r = dvk_slot_bound(p) && dvk_slot_remote(p) && p->usr.p_endpoint == ep;
	spin_unlock(&dc->lock);
	return r;
}

/* Copy @bytes from @s to @d through a bounce buffer of @chunk bytes. */
static long copy_data(const struct copy_end *s, const struct copy_end *d, s64 bytes,
		      size_t chunk)
{
	void *buf = kmalloc(chunk, GFP_KERNEL);
	s64 off;
	long ret = OK;

	if (!buf)
		return EDVSNOMEM;
	for (off = 0; off < bytes && ret == OK; off += chunk) {
		size_t n = min_t(s64, chunk, bytes - off);

		if (!s->task) {
			if (copy_from_user(buf, (const void __user *)(s->addr + off), n))
				ret = EDVSFAULT;
		} else if (dvk_task_rw(s->task, s->addr + off, buf, n, false)) {
			ret = EDVSFAULT;
		}
		if (ret)
			break;
		if (!d->task) {
			if (copy_to_user((void __user *)(d->addr + off), buf, n))
				ret = EDVSFAULT;
		} else if (dvk_task_rw(d->task, d->addr + off, buf, n, true)) {
			ret = EDVSFAULT;
		}
		cond_resched();
	}
	kfree(buf);
	return ret;
}

/*
 * Drop ONCOPY from @p (if still the same binding), count @copied bytes and
 * let its owner go on.  dc->lock held.
 */
static void release_end_locked(struct dvk_proc *p, u64 seq, s64 copied)
{
	if (p->bind_seq != seq)
		return;
	p->usr.p_rts_flags &= ~ONCOPY;
	p->bytes_copied += copied;
	wake_up(&p->copy_wq);	/* its owner may wait for the copy to end */
}

/*
 * The checks of vcopy's arguments, ends @s and @d resolved (SELF: the
 * caller @me), that need no lock.
 */
static long vcopy_args_ok(struct dvk_proc *me, struct copy_end *s, struct copy_end *d,
			  s64 bytes)
{
	struct dvk_dc *dc = me->dc;

	if (s->ep == SELF)
		s->ep = me->usr.p_endpoint;
	if (d->ep == SELF)
		d->ep = me->usr.p_endpoint;
	if (!dvk_is_sysproc(dc, me->usr.p_nr))
		return EDVSTRAPDENIED;
	if (bytes < 0 || bytes > READ_ONCE(dvk_dvs.usr.d_max_copylen))
		return EDVSRANGE;
	if (s->ep == d->ep || s->ep == ANY || s->ep == NONE || d->ep == ANY || d->ep == NONE)
		return EDVSENDPOINT;
	if (_ENDPOINT_P(s->ep) == HARDWARE || _ENDPOINT_P(d->ep) == HARDWARE)
		return EDVSBADDEST;	/* no memory to copy: the original's code */
	if (s->ep != me->usr.p_endpoint) {
		long ret = dvk_ipc_peer(me, s->ep, false);

		if (ret)
			return ret;
	}
	return d->ep != me->usr.p_endpoint ? dvk_ipc_peer(me, d->ep, false) : OK;
}

/* Mark an end claimed: ONCOPY, its task referenced.  dc->lock held. */
static void hold_end_locked(struct copy_end *e)
{
	if (!e->p)
		return;
	e->task = get_task_struct(e->p->task);
	e->p->usr.p_rts_flags |= ONCOPY;
	e->seq = e->p->bind_seq;
}

/*
 * Lock the caller and claim the ends that are not the caller; on success
 * all three carry ONCOPY.  Returns with dc->lock held.
 */
static long claim_ends(struct dvk_proc *me, struct copy_end *s, struct copy_end *d, u64 *seq_me)
	__acquires(&me->dc->lock)
{
	struct dvk_dc *dc = me->dc;
	long ret = dvk_ipc_lock_caller(me);

	if (ret == OK && s->ep != me->usr.p_endpoint)
		ret = claim_end_locked(dc, s, EDVSSRCDIED);
	if (ret == OK && d->ep != me->usr.p_endpoint)
		ret = claim_end_locked(dc, d, EDVSDSTDIED);
	if (ret)
		return ret;
	*seq_me = me->bind_seq;
	me->usr.p_rts_flags |= ONCOPY;
	hold_end_locked(s);
	hold_end_locked(d);
	return OK;
}

/* Release the three ends after a copy of @bytes that ended with @ret. */
static void release_ends(struct dvk_proc *me, u64 seq_me, struct copy_end *s,
			 struct copy_end *d, long ret, s64 bytes)
{
	struct dvk_dc *dc = me->dc;
	s64 copied = ret == OK ? bytes : 0;

	spin_lock(&dc->lock);
	release_end_locked(me, seq_me, copied);
	if (s->p)
		release_end_locked(s->p, s->seq, copied);
	else if (ret == OK && me->bind_seq == seq_me)
		me->usr.p_lclcopy++;	/* the caller was the source */
	if (d->p)
		release_end_locked(d->p, d->seq, copied);
	spin_unlock(&dc->lock);
	if (s->task)
		put_task_struct(s->task);
	if (d->task)
		put_task_struct(d->task);
}

/**
 * dvk_vcopy - vcopy(src_ep, src_addr, dst_ep, dst_addr, bytes).
 * @args: first = source endpoint (SELF: the caller), second = source
 *        address, third = destination endpoint (SELF allowed), ptr =
 *        destination address, fifth = bytes (0..d_max_copylen).
 *
 * Needs CAP_SYS_ADMIN and a system slot.  Counters: each end's
 * bytes_copied, the caller's p_lclcopy when it is the source.
 *
 * Return: OK (0, also for a local copy: the original returned the size
 * of its last chunk, docs/departures.md), or EDVSPRIVILEGES, EDVSDVSINIT,
 * EDVSNOTBIND, EDVSBADCALL, EDVSTRAPDENIED, EDVSRANGE (bytes or endpoint),
 * EDVSENDPOINT (src == dst, ANY, NONE, or a stale endpoint), EDVSBADDEST
 * (HARDWARE), EDVSPROCRUN, EDVSSRCDIED/EDVSDSTDIED
 * (end not bound), EDVSBUSY (an end is copying), EDVSPROCSTS (an end is
 * not blocked), EDVSFAULT (bad address on either side), EDVSNOMEM.
 */
long dvk_vcopy(const struct dvk_ipc_args *args)
{
	struct copy_end s = { .ep = args->first, .addr = args->second };
	struct copy_end d = { .ep = (int)args->third, .addr = args->ptr };
	s64 bytes = args->fifth;
	u64 t0 = ktime_get_ns(), seq_me = 0;
	struct dvk_proc *me;
	struct dvk_dc *dc;
	long ret;
	int me_ep;

	if (!capable(CAP_SYS_ADMIN))
		return EDVSPRIVILEGES;
	ret = dvk_ipc_caller(DVK_VCOPY, &me);
	if (ret)
		return ret;
	dc = me->dc;
	me_ep = me->usr.p_endpoint;
	ret = vcopy_args_ok(me, &s, &d, bytes);
	if (ret)
		goto put;
	if (end_is_remote(dc, s.ep) || end_is_remote(dc, d.ep)) {
		ret = dvk_rmt_vcopy(me, s.ep, s.addr, d.ep, d.addr, bytes);
		goto trace;
	}
	ret = claim_ends(me, &s, &d, &seq_me);
	spin_unlock(&dc->lock);
	if (ret)
		goto put;
	if (bytes)
		ret = copy_data(&s, &d, bytes,
				min_t(s64, bytes, READ_ONCE(dvk_dvs.usr.d_max_copybuf)));
	release_ends(me, seq_me, &s, &d, ret, bytes);
trace:
	trace_dvk_vcopy(dc->usr.dc_dcid, me_ep, s.ep, d.ep, bytes, ret,
			ktime_get_ns() - t0);
put:
	dvk_dc_put(dc);
	return ret;
}
