// SPDX-License-Identifier: GPL-2.0
/*
 * dvk_unbind.c - unbind(dcid, endpoint, timeout): who may unbind what.
 *
 *  - Oneself, or a thread of one's own process: at once, as always.
 *  - Another local process: only a caller that kill(2) would let send it
 *    SIGTERM, or one with CAP_SYS_ADMIN.  Unbinding another process is
 *    sending it SIGTERM and ending its IPC wait, so it needs no less than
 *    the signal does.
 *  - A remote descriptor (made by rmtbind or a migration away; no local
 *    task): CAP_SYS_ADMIN, like the rmtbind that made it: freeing it
 *    changes routing for the DC.
 *
 * A refused caller gets EDVSPRIVILEGES and nothing has happened: no signal,
 * no EDVSSHUTDOWN for the target, no dvk_unbind event.  A bound caller may
 * unbind only in its own DC (EDVSBADDCID), as in the original.
 *
 * Locking: the SIGTERM is sent outside dc->lock (its permission check runs
 * audit and LSM code), so the slot is looked at twice: unbind_find() notes
 * the binding (bind_seq) and pins its task, the signal goes out, then the
 * target's IPC wait is ended only if that same binding is still there.
 * The DC is pinned (dc->users) across the gap.  No mutex is taken:
 * processes leaving during dc_end must not wait for dc_end.
 */
#include <linux/kernel.h>
#include <linux/capability.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/pid.h>
#include "dvk_bind.h"
#include "dvk_ipc.h"

/* What unbind_find() saw in the slot. */
enum unbind_kind {
	UNBIND_DONE,		/* the caller's own slot: unbound already */
	UNBIND_REMOTE,		/* a remote descriptor */
	UNBIND_OTHER,		/* another local process */
};

struct unbind_target {
	struct dvk_proc *p;
	struct task_struct *task;	/* UNBIND_OTHER: referenced */
	u64 bind_seq;			/* the binding that was found */
	enum unbind_kind kind;
};

/*
 * Look at slot @ep of @dc under its lock.  The caller's own slot is
 * unbound here; for the others @t says what is there.  @caller_dcid is
 * the DC the caller is bound in, -1 if unbound.
 *
 * Return: OK, EDVSNOTBIND, EDVSBADDCID or EDVSONCOPY.
 */
static long unbind_find(struct dvk_dc *dc, int ep, int caller_dcid, struct unbind_target *t)
{
	struct dvk_proc *p = dvk_slot(dc, _ENDPOINT_P(ep));
	long ret = OK;

	t->p = p;
	t->task = NULL;
	t->kind = UNBIND_DONE;
	spin_lock(&dc->lock);
	t->bind_seq = p->bind_seq;
	if (!dvk_slot_bound(p) || p->usr.p_endpoint != ep) {
		ret = EDVSNOTBIND;
	} else if (caller_dcid >= 0 && caller_dcid != dc->usr.dc_dcid) {
		ret = EDVSBADDCID;	/* a bound caller acts in its own DC only */
	} else if (!p->task) {
		t->kind = UNBIND_REMOTE;
	} else if (same_thread_group(p->task, current)) {
		dvk_unbind_slot_locked(p, DVK_UNBIND_SELF, task_tgid_nr(current));
	} else if (p->usr.p_rts_flags & ONCOPY) {
		ret = EDVSONCOPY;	/* its memory is in use: nothing sent */
	} else {
		t->kind = UNBIND_OTHER;
		t->task = get_task_struct(p->task);
	}
	spin_unlock(&dc->lock);
	return ret;
}

/* Whether @t->p still holds the binding unbind_find() saw.  dc->lock held. */
static bool unbind_same_binding_locked(const struct unbind_target *t)
{
	return dvk_slot_bound(t->p) && t->p->bind_seq == t->bind_seq;
}

/* A remote descriptor: CAP_SYS_ADMIN, then free it if it is still there. */
static long unbind_remote(struct dvk_dc *dc, struct unbind_target *t)
{
	long ret = OK;

	if (!capable(CAP_SYS_ADMIN))
		return EDVSPRIVILEGES;
	spin_lock(&dc->lock);
	if (unbind_same_binding_locked(t) && !t->p->task)
		dvk_unbind_slot_locked(t->p, DVK_UNBIND_SELF, task_tgid_nr(current));
	else
		ret = EDVSNOTBIND;	/* someone else freed or rebound it meanwhile */
	spin_unlock(&dc->lock);
	return ret;
}

/*
 * SIGTERM to @task's process, as kill(2) would send it.  kill_pid() with
 * priv 0 is group_send_sig_info(SEND_SIG_NOINFO): it runs
 * check_kill_permission() - the caller's real or effective uid equals the
 * target's real or saved uid, or CAP_KILL in the target's user namespace
 * (kill_ok_by_cred()), then the LSM's task_kill hook - and sends only if
 * that allows it.  When it refuses, a CAP_SYS_ADMIN caller sends the
 * signal privileged, as dc_end does.  -ESRCH (the process is gone) counts
 * as sent: its exit unbound it.
 *
 * Return: OK, or EDVSPRIVILEGES with nothing sent.
 */
static long unbind_signal(struct task_struct *task)
{
	struct pid *pid = get_task_pid(task, PIDTYPE_PID);
	int err;

	err = kill_pid(pid, SIGTERM, 0);
	if (err && err != -ESRCH && capable(CAP_SYS_ADMIN))
		err = kill_pid(pid, SIGTERM, 1);
	put_pid(pid);
	return err && err != -ESRCH ? EDVSPRIVILEGES : OK;
}

/*
 * Another local process: SIGTERM (permission-checked), then end its IPC
 * wait with EDVSSHUTDOWN if it is still the binding we signalled and not
 * in a vcopy (one that started meanwhile ends when its copy does, and the
 * SIGTERM is pending for it).
 */
static long unbind_other(struct dvk_dc *dc, struct unbind_target *t)
{
	long ret = unbind_signal(t->task);

	if (ret)
		return ret;
	spin_lock(&dc->lock);
	if (unbind_same_binding_locked(t) && t->p->task == t->task &&
	    !(t->p->usr.p_rts_flags & ONCOPY))
		dvk_ipc_shutdown_locked(t->p);
	spin_unlock(&dc->lock);
	return OK;
}

/* A bound caller waits until @target is unbound (by itself or its exit). */
static long unbind_wait(struct task_struct *target, long timeout_ms)
{
	long left;

	if (timeout_ms < 0) {
		left = wait_event_interruptible(dvk_unbind_wq, !dvk_task_is_bound(target));
		return left ? -EINTR : OK;
	}
	left = wait_event_interruptible_timeout(dvk_unbind_wq, !dvk_task_is_bound(target),
						msecs_to_jiffies(timeout_ms));
	return left < 0 ? -EINTR : left == 0 ? EDVSTIMEDOUT : OK;
}

/**
 * dvk_unbind - unbind(dcid, endpoint, timeout_ms).
 * @args: first = dcid, second = endpoint, third = timeout in ms (-1 forever).
 *
 * Unbinding oneself (or a thread of one's own process) is immediate.
 * Unbinding another process sends it SIGTERM if the caller may (above); a
 * bound caller then waits (up to the timeout) until the target has
 * unbound or exited, an unbound caller gets EDVSAGAIN.  A remote
 * descriptor is freed at once, for a CAP_SYS_ADMIN caller.
 *
 * Return: OK, EDVSDVSINIT, EDVSBADDCID (bad dcid, or a caller bound in
 * another DC), EDVSDCNOTRUN, EDVSENDPOINT, EDVSNOTBIND, EDVSONCOPY,
 * EDVSPRIVILEGES, EDVSAGAIN, EDVSTIMEDOUT or -EINTR.
 */
long dvk_unbind(const struct dvk_ipc_args *args)
{
	int dcid = args->first;
	int ep = (int)args->second;
	long timeout_ms = (long)args->third;
	struct unbind_target t;
	struct dvk_proc *me;
	struct dvk_dc *dc;
	int caller_dcid;
	long ret;

	if (!dvs_initialized())
		return EDVSDVSINIT;
	if (dcid < 0 || dcid >= NR_DCS)
		return EDVSBADDCID;
	dc = dvk_ipc_dc_get(dcid);
	if (!dc)
		return EDVSDCNOTRUN;
	if (ep < -dc->usr.dc_nr_tasks || !dvk_pnr_valid(dc, _ENDPOINT_P(ep))) {
		dvk_dc_put(dc);
		return EDVSENDPOINT;
	}
	rcu_read_lock();
	me = dvk_current_proc();
	caller_dcid = me ? me->dc->usr.dc_dcid : -1;
	rcu_read_unlock();

	ret = unbind_find(dc, ep, caller_dcid, &t);
	if (!ret && t.kind == UNBIND_REMOTE)
		ret = unbind_remote(dc, &t);
	else if (!ret && t.kind == UNBIND_OTHER)
		ret = unbind_other(dc, &t);
	dvk_dc_put(dc);
	if (ret || t.kind != UNBIND_OTHER)
		goto out;
	ret = caller_dcid >= 0 ? unbind_wait(t.task, timeout_ms) : EDVSAGAIN;
out:
	if (t.task)
		put_task_struct(t.task);
	return ret;
}
