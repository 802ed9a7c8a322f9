// SPDX-License-Identifier: GPL-2.0
/*
 * dvk_notify.c - the calls that poke an endpoint without a rendezvous:
 * notify (never blocks; a pending bit per source when the destination is
 * not receiving) and wakeup (ends a receive(ANY) with EDVSWOKENUP).
 *
 * Pending notifies: bit i of the destination's notify_pending is the slot
 * with index i (p_nr + nr_tasks).  Destinations are system slots (index <
 * nr_sysprocs <= 64); a source may be any slot, since setpriv can give a
 * user slot the notify call: so one bit per slot of the DC, and each
 * pending notify's message id where struct dvk_proc's @notify_id says.
 */
#include <linux/kernel.h>
#include <linux/capability.h>
#include <linux/ktime.h>
#include <linux/sched/signal.h>
#include "dvk_ipc.h"
#include "dvk_remote.h"
#include "dvk_trace.h"

/* Where the message id of the notify from slot @idx pending at @d is kept. */
static u64 *pending_id_locked(struct dvk_proc *d, int idx)
{
	if (idx < NR_SYS_PROCS)
		return &d->notify_id.from[idx];
	return &d->dc->procs[idx].notify_id.to[dvk_slot_index(d)];
}

/**
 * dvk_notify_build_locked - the message of a pending notify; clears its pending
 * bit and the update bits it carries.
 * @d:   the destination
 * @idx: the source's slot index
 * @m:   filled with the notify message
 *
 * dc->lock held.  Return: the message id the notify got when it was left
 * pending (meaningless if it was not).
 */
u64 dvk_notify_build_locked(struct dvk_proc *d, int idx, message *m)
{
	const struct dvk_proc *s = &d->dc->procs[idx];
	struct timespec64 ts;

	ktime_get_real_ts64(&ts);
	memset(m, 0, sizeof(*m));
	m->m_source = s->usr.p_endpoint;
	m->m_type = NOTIFY_FROM(s->usr.p_nr);
	m->NOTIFY_FLAGS = (__s32)d->notify_updates;
	/* NOTIFY_ARG: the original's pending interrupt bits, which nothing sets: 0 */
	m->NOTIFY_TIMESTAMP.tv_sec = ts.tv_sec;
	m->NOTIFY_TIMESTAMP.tv_nsec = ts.tv_nsec;
	d->notify_updates = 0;
	clear_bit(idx, d->notify_pending);
	return *pending_id_locked(d, idx);
}

/**
 * dvk_notify_locked - notify local @d from the slot with index @idx.
 * @dc:     the DC; its lock held
 * @idx:    the source's slot index
 * @d:      the destination, bound, local and a system slot
 * @value:  0..31 also sets that update bit
 * @sender: the source's slot to count in (NULL for HARDWARE)
 * @id:     the notify's message id (from the remote node), 0 for a new one
 * @wake:   set to the destination to wake after unlocking
 */
long dvk_notify_locked(struct dvk_dc *dc, int idx, struct dvk_proc *d, int value,
		       struct dvk_proc *sender, u64 id, struct dvk_proc **wake)
{
	int src = dc->procs[idx].usr.p_endpoint, dst = d->usr.p_endpoint;
	message m;

	if (dvk_slot_index(d) >= NR_SYS_PROCS)
		return EDVSTRAPDENIED;	/* callers check; never a user slot's bits */
	if (!id)
		id = dvk_ipc_next_id();
	if (value >= 0 && value < 32)
		d->notify_updates |= 1U << value;
	if (sender)
		sender->usr.p_lclsent++;
	if (dvk_ipc_accepts_locked(d, src, true) && !(d->usr.p_rts_flags & MIGRATING)) {
		dvk_notify_build_locked(d, idx, &m);
		trace_dvk_notify(dc->usr.dc_dcid, id, src, dst, DVK_NOTIFY_DELIVERED,
				 dvk_notify_pending_low(d));
		*wake = dvk_ipc_deliver_locked(d, &m, id);
	} else if (test_bit(idx, d->notify_pending)) {
		trace_dvk_notify(dc->usr.dc_dcid, id, src, dst, DVK_NOTIFY_COALESCED,
				 dvk_notify_pending_low(d));
	} else {
		set_bit(idx, d->notify_pending);
		*pending_id_locked(d, idx) = id;
		trace_dvk_notify(dc->usr.dc_dcid, id, src, dst, DVK_NOTIFY_PENDING,
				 dvk_notify_pending_low(d));
	}
	return OK;
}

/*
 * Notify @dst of @dc, local or remote, from @sender (the slot with index
 * @idx).  dc->lock held (dropped while a remote notify waits for its proxy).
 */
static long notify_dst_locked(struct dvk_dc *dc, int idx, int dst, int value,
		       struct dvk_proc *sender, struct dvk_proc **wake)
{
	struct dvk_proc *d = dvk_slot(dc, _ENDPOINT_P(dst));

	if (!dvk_slot_bound(d))
		return EDVSDSTDIED;
	if (d->usr.p_endpoint != dst)
		return EDVSENDPOINT;
	if (dvk_slot_remote(d) && (d->usr.p_rts_flags & MIGRATING))
		return EDVSMIGRATE;	/* no node to send it to until the commit */
	if (dvk_slot_remote(d))
		return dvk_rmt_notify_locked(sender, d, value);
	if ((d->usr.p_rts_flags & MIGRATING) && test_bit(idx, d->notify_pending))
		return EDVSOVERRUN;	/* the original's answer while it migrates */
	return dvk_notify_locked(dc, idx, d, value, sender, 0, wake);
}

/* Range and kind checks of a notify destination in @dc. */
static long notify_dst_ok(struct dvk_dc *dc, int dst)
{
	int p_nr = _ENDPOINT_P(dst);

	if (!dvk_ep_in_range(dc, dst))
		return EDVSRANGE;
	if (p_nr == HARDWARE)
		return EDVSBADDEST;
	return dvk_is_sysproc(dc, p_nr) ? OK : EDVSTRAPDENIED;
}

/*
 * A "hardware" notify: from the HARDWARE task slot of DC @dcid, by any
 * process with CAP_SYS_ADMIN (as the original), bound or not.  The
 * original's checks and codes: a destination that is not a system process
 * gives EDVSPRIVILEGES, one that migrates EDVSMIGRATE, and a notify that
 * finds the previous one still pending is merged into it and answered
 * EDVSOVERRUN.  (Its message is the project's: docs/departures.md.)
 */
static long hardware_notify(int dst, int dcid)
{
	struct dvk_proc *d, *wake = NULL;
	int p_nr = _ENDPOINT_P(dst), idx;
	struct dvk_dc *dc;
	long ret = OK;

	if (!capable(CAP_SYS_ADMIN))
		return EDVSPRIVILEGES;
	ret = dvk_ipc_dc_named(dcid, &dc);
	if (ret)
		return ret;
	if (dc->usr.dc_nr_tasks <= 0)
		ret = EDVSBADSRCDST;	/* no HARDWARE slot in this DC */
	else if (!dvk_ep_in_range(dc, dst))
		ret = EDVSRANGE;
	else if (p_nr == HARDWARE)
		ret = EDVSBADDEST;
	if (ret)
		goto put;
	idx = HARDWARE + dc->usr.dc_nr_tasks;
	spin_lock(&dc->lock);
	d = dvk_slot(dc, p_nr);
	if (d->usr.p_endpoint != dst) {
		ret = EDVSENDPOINT;
	} else if (!dvk_slot_bound(d)) {
		ret = EDVSDSTDIED;
	} else if (d->usr.p_rts_flags & MIGRATING) {
		ret = EDVSMIGRATE;
	} else if (!dvk_is_sysproc(dc, p_nr)) {
		ret = EDVSPRIVILEGES;
	} else if (dvk_slot_remote(d)) {
		ret = EDVSRMTPROC;
	} else {
		bool again = test_bit(idx, d->notify_pending);

		ret = dvk_notify_locked(dc, idx, d, -1, NULL, 0, &wake);
		if (ret == OK && again)
			ret = EDVSOVERRUN;	/* merged into the pending one */
	}
	spin_unlock(&dc->lock);
	dvk_ipc_wake_unlocked(wake);
put:
	dvk_dc_put(dc);
	return ret;
}

/**
 * dvk_notify - notify(src_nr, dst, value).  Never blocks.
 * @args: first = SELF, the caller's own p_nr, or HARDWARE; second = dst
 *        endpoint (a system slot); third = update bit 0..31 (other values:
 *        none), or the dcid for HARDWARE.
 *
 * Delivered at once to a destination in receive() from ANY or from the
 * source; otherwise left pending (one bit per source: a second notify
 * before the first is received merges into it, with its update bit, and
 * returns OK, as the original; EDVSOVERRUN while the destination migrates).
 *
 * Return: OK, or EDVSDVSINIT, EDVSNOTBIND, EDVSBADCALL, EDVSPROCRUN,
 * EDVSBADSRCDST (src_nr not the caller), EDVSRANGE, EDVSBADDEST,
 * EDVSENDPOINT (to itself, or a stale endpoint), EDVSTRAPDENIED
 * (destination not a system slot, or not in ipc_to), EDVSDSTDIED,
 * EDVSOVERRUN, EDVSMIGRATE (a remote destination being migrated); for
 * HARDWARE also EDVSPRIVILEGES, EDVSBADDCID, EDVSDCNOTRUN, EDVSRMTPROC.
 */
long dvk_notify(const struct dvk_ipc_args *args)
{
	int src_nr = args->first, dst = (int)args->second, value = (int)args->third;
	struct dvk_proc *me, *wake = NULL;
	struct dvk_dc *dc;
	long ret;

	if (!dvs_initialized())
		return EDVSDVSINIT;
	if (src_nr == HARDWARE)
		return hardware_notify(dst, value);
	ret = dvk_ipc_caller(DVK_NOTIFY, &me);
	if (ret)
		return ret;
	dc = me->dc;
	if (src_nr != SELF && src_nr != me->usr.p_nr)
		ret = EDVSBADSRCDST;
	else if (dst == me->usr.p_endpoint && _ENDPOINT_P(dst) != HARDWARE)
		ret = EDVSENDPOINT;	/* the original's code for a notify to oneself */
	else
		ret = dvk_ipc_peer(me, dst, true);
	if (ret == OK)
		ret = notify_dst_ok(dc, dst);
	if (ret)
		goto put;
	ret = dvk_ipc_lock_caller(me);
	if (ret == OK)
		ret = notify_dst_locked(dc, dvk_slot_index(me), dst, value, me, &wake);
	spin_unlock(&dc->lock);
	dvk_ipc_wake_unlocked(wake);
put:
	dvk_dc_put(dc);
	return ret;
}

/**
 * dvk_wakeup - wakeup(dcid, ep): end @ep's receive(ANY) or rcvrqst with
 * EDVSWOKENUP, or mark it so its next one fails so at once.  Needs
 * CAP_SYS_ADMIN.
 * @args: first = dcid, second = endpoint.
 *
 * Return: OK (it was waiting and is woken), EDVSPROCRUN (not waiting for
 * ANY: marked), or EDVSPRIVILEGES, EDVSDVSINIT, EDVSBADDCID, EDVSDCNOTRUN,
 * EDVSRANGE, EDVSENDPOINT, EDVSDSTDIED (a free slot), EDVSBADPROC (the
 * caller itself), EDVSMIGRATE, EDVSRMTPROC: the original's codes.
 */
long dvk_wakeup(const struct dvk_ipc_args *args)
{
	int dcid = args->first, ep = (int)args->second, p_nr = _ENDPOINT_P(ep);
	struct dvk_proc *p;
	struct dvk_dc *dc;
	long ret;

	if (!capable(CAP_SYS_ADMIN))
		return EDVSPRIVILEGES;
	if (!dvs_initialized())
		return EDVSDVSINIT;
	ret = dvk_ipc_dc_named(dcid, &dc);
	if (ret)
		return ret;
	if (!dvk_ep_in_range(dc, ep)) {
		ret = EDVSRANGE;
		goto put;
	}
	spin_lock(&dc->lock);
	p = dvk_slot(dc, p_nr);
	if (p->usr.p_endpoint != ep) {
		ret = EDVSENDPOINT;
	} else if (!dvk_slot_bound(p)) {
		ret = EDVSDSTDIED;
	} else if (p->task && (p->task == current || same_thread_group(p->task, current))) {
		ret = EDVSBADPROC;
	} else if (p->usr.p_rts_flags & MIGRATING) {
		ret = EDVSMIGRATE;
	} else if (dvk_slot_remote(p)) {
		ret = EDVSRMTPROC;
	} else if ((p->usr.p_rts_flags & (RECEIVING | SENDING)) == RECEIVING &&
		   p->usr.p_getfrom == ANY) {
		p->usr.p_getfrom = NONE;
		dvk_ipc_wake_locked(p, RECEIVING, EDVSWOKENUP);	/* after any vcopy into it */
		ret = OK;
	} else {
		p->usr.p_misc_flags |= MIS_WOKENUP;
		ret = EDVSPROCRUN;
	}
	spin_unlock(&dc->lock);
put:
	dvk_dc_put(dc);
	return ret;
}
