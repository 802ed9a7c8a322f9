// SPDX-License-Identifier: GPL-2.0
/*
 * dvk_wait4bind.c - wait4bind(oper, endpoint, timeout): wait until the
 * caller or another endpoint is bound, or until an endpoint is unbound.
 *
 * Every bind wakes dvk_bind_wq and every unbind dvk_unbind_wq (dvk_bind.c),
 * so a waiter for another endpoint is woken as soon as that endpoint binds
 * (the original never woke it: callers polled with 1 s timeouts).
 *
 * A waiter does not pin its DC: each check looks the DC up again under RCU
 * and compares its serial number, so a DC ended (and maybe re-created)
 * during the wait ends it with EDVSDCNOTRUN instead of a stale pointer.
 *
 * Waiters are listed in dvk_bindwaits for the debugfs view "bindwaits";
 * that list's spinlock is never held while sleeping.
 */
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/sched/signal.h>
#include "dvk_bind.h"
#include "dvk_remote.h"
#include "dvk_trace.h"

LIST_HEAD(dvk_bindwaits);
DEFINE_SPINLOCK(dvk_bindwaits_lock);

/* What a wait is for, evaluated without sleeping. */
struct w4b_target {
	int oper;		/* WAIT_BIND or WAIT_UNBIND */
	int dcid;		/* -1 for WAIT_BIND of SELF */
	int ep;
	u64 dc_serial;
	u64 bind_seq;		/* WAIT_UNBIND: the binding seen at start */
};

/*
 * Check the condition.  Return 1 when the wait is over (with *result set),
 * 0 to keep waiting.
 */
static int w4b_done(const struct w4b_target *t, long *result)
{
	struct dvk_proc *p;
	struct dvk_dc *dc;
	int done = 1;

	if (!dvs_initialized()) {
		*result = EDVSDVSINIT;
		return 1;
	}
	if (t->dcid < 0) {	/* WAIT_BIND SELF */
		if (dvk_task_is_proxy(current)) {
			*result = NONE;	/* a proxy bound by proxies_bind: in no DC */
			return 1;
		}
		rcu_read_lock();
		p = dvk_current_proc();
		if (p && !(READ_ONCE(p->usr.p_misc_flags) & MIS_RMTBACKUP))
			*result = READ_ONCE(p->usr.p_endpoint);
		else
			done = 0;
		rcu_read_unlock();
		return done;
	}

	rcu_read_lock();
	dc = rcu_dereference(dvk_dvs.dcs[t->dcid]);
	if (!dc || dc->serial != t->dc_serial) {
		*result = EDVSDCNOTRUN;
		goto out;
	}
	spin_lock(&dc->lock);
	p = dvk_slot(dc, _ENDPOINT_P(t->ep));
	if (t->oper == WAIT_BIND) {
		if (dvk_slot_bound(p))
			*result = p->usr.p_endpoint == t->ep ? t->ep : EDVSENDPOINT;
		else
			done = 0;
	} else {
		if (!dvk_slot_bound(p) || p->bind_seq != t->bind_seq)
			*result = OK;
		else if (dvk_slot_remote(p) && !dvk_node_connected(p->usr.p_nodeid))
			*result = EDVSNOTCONN;	/* its node went away */
		else
			done = 0;
	}
	spin_unlock(&dc->lock);
out:
	rcu_read_unlock();
	return done;
}

/* Sleep until w4b_done() or timeout/signal; the bindwait entry is listed. */
static long w4b_sleep(struct w4b_target *t, long timeout_ms, struct dvk_bindwait *bw)
{
	wait_queue_head_t *wq = t->oper == WAIT_BIND ? &dvk_bind_wq : &dvk_unbind_wq;
	long result = OK, left;

	if (w4b_done(t, &result))
		return result;
	if (timeout_ms == 0)	/* the original's codes: its WAIT_BIND timed out at once */
		return t->oper == WAIT_BIND ? EDVSTIMEDOUT : EDVSAGAIN;

	spin_lock(&dvk_bindwaits_lock);
	list_add_tail(&bw->link, &dvk_bindwaits);
	spin_unlock(&dvk_bindwaits_lock);
	trace_dvk_wait4bind_start(bw);

	if (timeout_ms < 0) {
		left = wait_event_interruptible(*wq, w4b_done(t, &result));
		if (left)
			result = -EINTR;
	} else {
		left = wait_event_interruptible_timeout(*wq, w4b_done(t, &result),
							msecs_to_jiffies(timeout_ms));
		if (left < 0)
			result = -EINTR;
		else if (left == 0)
			result = EDVSTIMEDOUT;
	}

	spin_lock(&dvk_bindwaits_lock);
	list_del(&bw->link);
	spin_unlock(&dvk_bindwaits_lock);
	trace_dvk_wait4bind_end(bw, result, ktime_get_ns() - bw->since_ns);
	return result;
}

/**
 * dvk_wait4bind - wait4bind(oper, endpoint, timeout_ms).
 * @args: first = WAIT_BIND or WAIT_UNBIND, second = endpoint (SELF allowed
 *        with WAIT_BIND), third = timeout in ms (-1 forever, 0 no wait).
 *
 * WAIT_BIND SELF: returns the caller's endpoint once it is bound (a
 * process bound by another waits here), or NONE once proxies_bind made
 * it a proxy (the original proxies' sender and receiver wait so).  WAIT_BIND ep: the
 * caller must be bound; returns ep once that slot of its DC is bound.
 * WAIT_UNBIND ep: returns OK once that slot is free or bound to another task.
 *
 * Return: an endpoint or OK, or EDVSDVSINIT, EDVSBADCALL (bad oper),
 * EDVSNOTBIND, EDVSENDPOINT (ep is the caller), EDVSRANGE, EDVSAGAIN
 * (WAIT_UNBIND with timeout 0), EDVSTIMEDOUT (also WAIT_BIND with timeout
 * 0), EDVSDCNOTRUN (the DC ended), -EINTR.
 */
long dvk_wait4bind(const struct dvk_ipc_args *args)
{
	int oper = args->first;
	int ep = (int)args->second;
	long timeout_ms = (long)args->third;
	struct w4b_target t = { .oper = oper, .dcid = -1, .ep = ep };
	struct dvk_bindwait bw = {
		.oper = oper, .ep = ep, .dcid = -1, .timeout_ms = timeout_ms,
		.pid = current->pid, .since_ns = ktime_get_ns(),
	};
	struct dvk_proc *me;
	struct dvk_dc *dc;
	long ret;

	if (!dvs_initialized())
		return EDVSDVSINIT;
	if (oper != WAIT_BIND && oper != WAIT_UNBIND)
		return EDVSBADCALL;
	get_task_comm(bw.comm, current);
	if (oper == WAIT_BIND && ep == SELF)
		return w4b_sleep(&t, timeout_ms, &bw);

	rcu_read_lock();
	me = dvk_current_proc();
	if (!me) {
		ret = EDVSNOTBIND;
		goto unlock;
	}
	dc = me->dc;
	t.dcid = bw.dcid = dc->usr.dc_dcid;
	t.dc_serial = dc->serial;
	if (ep == me->usr.p_endpoint || ep == SELF) {
		ret = EDVSENDPOINT;
		goto unlock;
	}
	if (ep < -dc->usr.dc_nr_tasks || !dvk_pnr_valid(dc, _ENDPOINT_P(ep))) {
		ret = EDVSRANGE;
		goto unlock;
	}
	if (oper == WAIT_UNBIND) {
		spin_lock(&dc->lock);
		t.bind_seq = dvk_slot(dc, _ENDPOINT_P(ep))->bind_seq;
		spin_unlock(&dc->lock);
	}
	rcu_read_unlock();
	return w4b_sleep(&t, timeout_ms, &bw);
unlock:
	rcu_read_unlock();
	return ret;
}
