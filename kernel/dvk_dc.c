// SPDX-License-Identifier: GPL-2.0
/*
 * dvk_dc.c - Distributed Containers: dc_init, dc_end, getdcinfo.
 *
 * Lifetimes and locks: the opening comment of dvk_core.h.  dc_end asks
 * bound processes to leave (SIGTERM), waits a grace period for them to
 * unbind, then unbinds whatever is left itself, so it always finishes (the
 * original looped forever on a process that ignored SIGTERM).  The grace
 * wait holds no mutex (dc_end_graceful()).
 */
#include <linux/kernel.h>
#include <linux/capability.h>
#include <linux/uaccess.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/pid_namespace.h>
#include <linux/cpumask.h>
#include <linux/rcupdate.h>
#include "dvk_bind.h"
#include "dvk_views.h"
#include "dvk_trace.h"

/* How long dc_end lets processes react to SIGTERM before unbinding them. */
#define DC_END_GRACE_MS	2000

static atomic64_t dvk_dc_serial = ATOMIC64_INIT(0);

/* The DC with this id, or NULL; caller holds dvk_dvs.lock. */
struct dvk_dc *dvk_dc_get_ctllocked(int dcid)
{
	if (dcid < 0 || dcid >= NR_DCS)
		return NULL;
	return rcu_dereference_protected(dvk_dvs.dcs[dcid], lockdep_is_held(&dvk_dvs.lock));
}

/**
 * dvk_dc_resolve_ctllocked - the DC a control call names.  Caller holds dvk_dvs.lock.
 * @dcid: the DC id; PROC_NO_PID (-1) means the caller's DC when @mine is set
 * @mine: whether -1 may name the caller's DC
 * @dcp:  set to the running DC, or NULL when that id is free
 *
 * Return: OK, EDVSDVSINIT, or EDVSBADDCID (out of range, or -1 from an
 * unbound caller).
 */
long dvk_dc_resolve_ctllocked(int dcid, bool mine, struct dvk_dc **dcp)
{
	if (!dvs_initialized())
		return EDVSDVSINIT;
	if (mine && dcid == PROC_NO_PID) {
		struct dvk_proc *me = dvk_current_proc();

		dcid = me ? me->usr.p_dcid : -1;
	}
	if (dcid < 0 || dcid >= dvk_dvs.usr.d_nr_dcs)
		return EDVSBADDCID;
	*dcp = dvk_dc_get_ctllocked(dcid);
	return OK;
}

/* dvk_dc_resolve_ctllocked() for a DC that must be running (else EDVSDCNOTRUN). */
long dvk_dc_running_ctllocked(int dcid, bool mine, struct dvk_dc **dcp)
{
	long ret = dvk_dc_resolve_ctllocked(dcid, mine, dcp);

	if (ret == OK && !*dcp)
		return EDVSDCNOTRUN;
	return ret;
}

static int dc_check_params(const struct dc_usr *u, const struct dvs_usr *d)
{
	if (u->dc_dcid < 0 || u->dc_dcid >= d->d_nr_dcs)
		return EDVSBADDCID;
	if (!memchr(u->dc_name, '\0', sizeof(u->dc_name)))
		return EDVSNAMESIZE;
	if (strchr(u->dc_name, '/') || !strcmp(u->dc_name, ".") || !strcmp(u->dc_name, "..") ||
	    !strcmp(u->dc_name, "info") || !strcmp(u->dc_name, "nodes") ||
	    !strcmp(u->dc_name, "proxies"))
		return EDVSBADVALUE;	/* it names a /proc/dvs directory */
	if (u->dc_nr_procs <= 0 || u->dc_nr_procs > d->d_nr_procs)
		return EDVSBADRANGE;
	if (u->dc_nr_tasks < 0 || u->dc_nr_tasks > d->d_nr_tasks)
		return EDVSBADRANGE;
	if (u->dc_nr_sysprocs <= 0 || u->dc_nr_sysprocs > d->d_nr_sysprocs ||
	    u->dc_nr_sysprocs < u->dc_nr_tasks ||
	    u->dc_nr_sysprocs > u->dc_nr_procs + u->dc_nr_tasks)
		return EDVSBADRANGE;
	if (u->dc_nr_nodes <= 0 || u->dc_nr_nodes > d->d_nr_nodes)
		return EDVSBADRANGE;
	return OK;
}

/* Reset a slot to free: what getprocinfo shows for an unused endpoint. */
/**
 * dvk_proc_usr_idle - a descriptor as a free slot shows it: name $noname,
 * pids -1, NONE in the endpoint fields.
 * @u:        the descriptor
 * @p_nr:     its number (also its endpoint)
 * @dcid:     its DC (-1 for proxies)
 * @rts_flags: its state
 */
void dvk_proc_usr_idle(struct proc_usr *u, int p_nr, int dcid, int rts_flags)
{
	memset(u, 0, sizeof(*u));
	u->p_nr = p_nr;
	u->p_endpoint = p_nr;
	u->p_dcid = dcid;
	u->p_rts_flags = rts_flags;
	u->p_lpid = PROC_NO_PID;
	u->p_vpid = PROC_NO_PID;
	u->p_nodeid = PROC_NO_PID;
	u->p_getfrom = NONE;
	u->p_sendto = NONE;
	u->p_waitmigr = NONE;
	u->p_waitunbind = NONE;
	u->p_proxy = NONE;
	strscpy(u->p_name, "$noname", sizeof(u->p_name));
}

void dvk_slot_reset(struct dvk_proc *p, int p_nr)
{
	dvk_proc_usr_idle(&p->usr, p_nr, p->dc->usr.dc_dcid, SLOT_FREE);
	memset(&p->priv, 0, sizeof(p->priv));
	p->task = NULL;
	p->bind_time_ns = 0;
	bitmap_zero(p->notify_pending, DVK_MAX_SLOTS);
	p->notify_updates = 0;
	p->msgs_in = 0;
	p->bytes_copied = 0;
}

static struct dvk_dc *dc_alloc(const struct dc_usr *u)
{
	int nr_slots = u->dc_nr_tasks + u->dc_nr_procs;
	struct dvk_dc *dc;
	int i;

	dc = kzalloc(sizeof(*dc), GFP_KERNEL);
	if (!dc)
		return NULL;
	dc->procs = kvcalloc(nr_slots, sizeof(*dc->procs), GFP_KERNEL);
	if (!dc->procs) {
		kfree(dc);
		return NULL;
	}
	dc->usr = *u;
	dc->nr_slots = nr_slots;
	dc->serial = atomic64_inc_return(&dvk_dc_serial);
	refcount_set(&dc->users, 1);	/* the table's reference */
	spin_lock_init(&dc->lock);
	for (i = 0; i < nr_slots; i++) {
		struct dvk_proc *p = &dc->procs[i];

		p->dc = dc;
		init_waitqueue_head(&p->wq);
		init_waitqueue_head(&p->copy_wq);
		INIT_LIST_HEAD(&p->senders);
		INIT_LIST_HEAD(&p->send_link);
		INIT_LIST_HEAD(&p->px_link);
		dvk_slot_reset(p, i - u->dc_nr_tasks);
	}
	return dc;
}

static void dc_free(struct dvk_dc *dc)
{
	if (dc->pid_ns)
		put_pid_ns(dc->pid_ns);
	kvfree(dc->procs);
	kfree(dc);
}

/**
 * dvk_dc_init - dc_init(dc_usr *): start a DC on this node.
 * @args: ptr = the DC's parameters (dc_dcid, limits, dc_name, ...).
 *
 * The DC gets the caller's PID namespace (bind and getep resolve pids in
 * it); an empty name becomes "DC<id>"; an empty cpumask means all CPUs.
 *
 * Return: the local node id, or EDVSPRIVILEGES, EDVSDVSINIT, EDVSFAULT,
 * EDVSBADDCID, EDVSNAMESIZE, EDVSBADVALUE, EDVSBADRANGE, EDVSRSCBUSY,
 * EDVSALLOCMEM, EDVSBADDIR.
 */
long dvk_dc_init(const struct dvk_ipc_args *args)
{
	void __user *uptr = u64_to_user_ptr(args->ptr);
	struct dvs_usr dvs;
	struct dc_usr u;
	struct dvk_dc *dc;
	int nodeid, i;
	long ret;

	if (!capable(CAP_SYS_ADMIN))
		return EDVSPRIVILEGES;
	if (copy_from_user(&u, uptr, sizeof(u)))
		return EDVSFAULT;

	if (dvk_ctl_lock())
		return -EINTR;
	nodeid = atomic_read(&dvk_dvs.local_nodeid);
	if (nodeid < 0) {
		ret = EDVSDVSINIT;
		goto out;
	}
	dvk_dvs_snapshot(&dvs);
	ret = dc_check_params(&u, &dvs);
	if (ret)
		goto out;
	if (!u.dc_name[0])
		snprintf(u.dc_name, sizeof(u.dc_name), "DC%d", u.dc_dcid);
	for (i = 0; i < NR_DCS; i++) {
		struct dvk_dc *o = dvk_dc_get_ctllocked(i);

		if (o && (i == u.dc_dcid || !strcmp(o->usr.dc_name, u.dc_name))) {
			ret = EDVSRSCBUSY;
			goto out;
		}
	}

	u.dc_flags = DC_RUNNING;
	u.dc_pad0 = 0;
	u.dc_nodes = 1ULL << nodeid;
	u.dc_pid = task_tgid_nr(current);
	if (!u.dc_cpumask)
		u.dc_cpumask = ~0ULL;
	dc = dc_alloc(&u);
	if (!dc) {
		ret = EDVSALLOCMEM;
		goto out;
	}
	dc->pid_ns = get_pid_ns(task_active_pid_ns(current));
	ret = dvk_procfs_dc_create(dc);
	if (ret) {
		dc_free(dc);
		goto out;
	}
	rcu_assign_pointer(dvk_dvs.dcs[u.dc_dcid], dc);
	trace_dvk_dc_init(&dc->usr, 0);
	ret = nodeid;
out:
	mutex_unlock(&dvk_dvs.lock);
	return ret;
}

/**
 * dvk_dc_put - drop a reference; the last one frees the DC.
 * @dc: the DC
 *
 * Called in process context without spinlocks (the free sleeps): by dc_end
 * for the table's reference and at the end of each IPC call.  The RCU grace
 * period lets the exit hook and lockless readers that found the DC finish.
 */
void dvk_dc_put(struct dvk_dc *dc)
{
	if (!refcount_dec_and_test(&dc->users))
		return;
	synchronize_rcu();
	dc_free(dc);
}

/* Unbind every slot still bound; returns how many there were. */
static int dc_unbind_all(struct dvk_dc *dc)
{
	int i, n = 0;

	spin_lock(&dc->lock);
	for (i = 0; i < dc->nr_slots; i++) {
		struct dvk_proc *p = &dc->procs[i];

		if (dvk_slot_bound(p)) {
			dvk_unbind_slot_locked(p, DVK_UNBIND_DCEND, task_tgid_nr(current));
			n++;
		}
	}
	spin_unlock(&dc->lock);
	return n;
}

/*
 * Mark @dc ending (binds to it fail with EDVSDCNOTRUN from now on) and ask
 * its processes to leave.  dvk_dvs.lock held.
 */
static void dc_signal_all_ctllocked(struct dvk_dc *dc)
{
	int i;

	spin_lock(&dc->lock);
	dc->ending = true;
	for (i = 0; i < dc->nr_slots; i++) {
		struct dvk_proc *p = &dc->procs[i];

		if (p->task && p->task != current)
			send_sig(SIGTERM, p->task, 1);
	}
	spin_unlock(&dc->lock);
}

/*
 * Finish ending @dc: unbind what is left, unpublish it, remove its /proc
 * directory and drop the table's reference.  dvk_dvs.lock held, @dc still
 * published.
 */
static void dc_finish_ctllocked(struct dvk_dc *dc)
{
	int left = dc_unbind_all(dc);

	trace_dvk_dc_end(&dc->usr, left);
	RCU_INIT_POINTER(dvk_dvs.dcs[dc->usr.dc_dcid], NULL);
	dvk_procfs_dc_remove(dc);
	wake_up_all(&dvk_bind_wq);	/* wait4bind waiters and dc_end_wait_other() */
	dvk_dc_put(dc);			/* the table's reference */
}

/*
 * dc_end proper.  Called with dvk_dvs.lock held; returns with it dropped.
 *
 * The grace wait runs without the mutex, so other control calls do not
 * sleep behind it.  Meanwhile @dc stays published but marked ending (no
 * new binds; a second dc_end waits for this one), and pinned by our
 * reference, so dvs_end may end and unpublish it: then there is nothing
 * left to finish.  The mutex is retaken uninterruptibly: the end must
 * complete, and no holder keeps it for long.
 */
static void dc_end_graceful(struct dvk_dc *dc)
{
	refcount_inc(&dc->users);	/* the table holds one: not zero */
	dc_signal_all_ctllocked(dc);
	mutex_unlock(&dvk_dvs.lock);
	dvk_wait_dc_empty(dc, DC_END_GRACE_MS);
	mutex_lock(&dvk_dvs.lock);
	if (dvk_dc_get_ctllocked(dc->usr.dc_dcid) == dc)
		dc_finish_ctllocked(dc);
	mutex_unlock(&dvk_dvs.lock);
	dvk_dc_put(dc);
}

/*
 * A second dc_end of a DC that is ending: wait, interruptibly, until the
 * first one has unpublished it, then report what a later call would have
 * found (EDVSDCNOTRUN).  Called with dvk_dvs.lock held; returns with it
 * dropped.  Our reference keeps @dc from being freed and its address
 * reused while we compare it.
 */
static long dc_end_wait_other(struct dvk_dc *dc)
{
	int dcid = dc->usr.dc_dcid;
	long left;

	refcount_inc(&dc->users);
	mutex_unlock(&dvk_dvs.lock);
	left = wait_event_interruptible(dvk_bind_wq, rcu_access_pointer(dvk_dvs.dcs[dcid]) != dc);
	dvk_dc_put(dc);
	return left ? -EINTR : EDVSDCNOTRUN;
}

/**
 * dvk_dc_end - dc_end(dcid): stop a DC.
 * @args: first = dcid.
 *
 * Sends SIGTERM to every bound process, waits up to DC_END_GRACE_MS for
 * them to unbind (without dvk_dvs.lock; a signal cuts the wait short),
 * unbinds the rest, then frees the DC.  A dc_end of a DC another dc_end is
 * ending waits for that one and gives EDVSDCNOTRUN.
 *
 * Return: OK, EDVSPRIVILEGES, EDVSDVSINIT, EDVSBADDCID, EDVSDCNOTRUN or
 * -EINTR.
 */
long dvk_dc_end(const struct dvk_ipc_args *args)
{
	int dcid = args->first;
	struct dvk_dc *dc;
	long ret;

	ret = dvk_ctl_enter();
	if (ret)
		return ret;
	ret = dvk_dc_running_ctllocked(dcid, false, &dc);
	if (ret) {
		mutex_unlock(&dvk_dvs.lock);
		return ret;
	}
	if (dc->ending)		/* written under dvk_dvs.lock too */
		return dc_end_wait_other(dc);
	dc_end_graceful(dc);
	return OK;
}

/*
 * dvs_end and module unload: end every DC without a grace period, those a
 * dc_end is waiting on included (it then finds them gone).
 */
void dvk_dc_end_all_ctllocked(void)
{
	int i;

	lockdep_assert_held(&dvk_dvs.lock);
	for (i = 0; i < NR_DCS; i++) {
		struct dvk_dc *dc = dvk_dc_get_ctllocked(i);

		if (dc) {
			dc_signal_all_ctllocked(dc);
			dc_finish_ctllocked(dc);
		}
	}
}

/**
 * dvk_getdcinfo - getdcinfo(dcid, dc_usr *).
 * @args: first = dcid (PROC_NO_PID = the caller's DC), ptr = where to copy.
 *
 * A DC that is not running is reported with dc_flags = DC_FREE.
 *
 * Return: OK, EDVSPRIVILEGES, EDVSDVSINIT, EDVSBADDCID (also for -1 from an
 * unbound caller) or EDVSFAULT.
 */
long dvk_getdcinfo(const struct dvk_ipc_args *args)
{
	void __user *uptr = u64_to_user_ptr(args->ptr);
	int dcid = args->first;
	struct dvk_dc *dc;
	struct dc_usr u;
	long ret = OK;

	ret = dvk_ctl_enter();
	if (ret)
		return ret;
	ret = dvk_dc_resolve_ctllocked(dcid, true, &dc);
	if (ret)
		goto out;
	if (dc) {
		spin_lock(&dc->lock);
		u = dc->usr;
		spin_unlock(&dc->lock);
	} else {
		memset(&u, 0, sizeof(u));
		u.dc_dcid = dcid;
		u.dc_flags = DC_FREE;
		u.dc_warn2proc = NONE;
		u.dc_pid = PROC_NO_PID;
	}
	if (copy_to_user(uptr, &u, sizeof(u)))
		ret = EDVSFAULT;
out:
	mutex_unlock(&dvk_dvs.lock);
	return ret;
}
