// SPDX-License-Identifier: GPL-2.0
/*
 * dvk_bind.c - endpoints: bind, getep, getprocinfo, the freeing of slots
 * and the unbind of exiting tasks (the unbind call: dvk_unbind.c).
 *
 * A bound task is found through dvk_tasks (global pid -> slot).  Entries
 * change under the slot's DC lock; lookups run under RCU.
 *
 * Exit race: bind stores the mapping, then (full barrier) checks
 * PF_EXITING; the exit hook sets nothing itself but runs after do_exit()
 * set PF_EXITING and issues a full barrier before it looks the mapping up.
 * So either bind sees PF_EXITING and backs out, or the hook sees the
 * mapping and unbinds: a dead task is never left bound.
 *
 * Decisions (docs/original-dvk.md#what-each-call-does leaves them open):
 *  - bind needs CAP_SYS_ADMIN: it decides who speaks for an endpoint.
 *  - an out-of-range endpoint gives EDVSENDPOINT (the original's
 *    EDVSBADDCID is listed as a quirk), a task already bound EDVSRSCBUSY.
 *    Every bind error is below EDVSERRCODE (-300): bind returns endpoints,
 *    and kernel-task endpoints are small negative numbers.
 *  - RMT_BIND binds a slot as the descriptor of a process on a remote node
 *    that is a member of the DC and reached by a pair in use; BKUP_BIND (a
 *    local standby of a remote primary) is not supported: EDVSBINDTYPE.
 */
#include <linux/kernel.h>
#include <linux/capability.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/pid_namespace.h>
#include <linux/ktime.h>
#include "dvk_bind.h"
#include "dvk_ipc.h"
#include "dvk_remote.h"
#include "dvk_trace.h"

/* Global pid of each bound task -> its slot. */
static DEFINE_XARRAY(dvk_tasks);
/* Woken whenever any slot is unbound (unbind-other, dc_end, wait4bind). */
DECLARE_WAIT_QUEUE_HEAD(dvk_unbind_wq);
/* Woken whenever any slot is bound (wait4bind). */
DECLARE_WAIT_QUEUE_HEAD(dvk_bind_wq);
static atomic64_t dvk_bind_seq = ATOMIC64_INIT(0);

/* Calls a user slot may make (docs/original-dvk.md#checks-shared-by-the-ipc-calls): sendrec, unbind, getep, wait4bind. */
#define DVK_USER_CALLS	((1ULL << DVK_SENDREC) | (1ULL << DVK_UNBIND) | \
			 (1ULL << DVK_GETEP) | (1ULL << DVK_WAIT4BIND))
#define DVK_ALL_CALLS	((1ULL << DVK_NR_CALLS) - 1)

bool dvk_task_is_bound(struct task_struct *task)
{
	return xa_load(&dvk_tasks, task->pid) != NULL;
}

/**
 * dvk_current_proc - the slot the caller speaks for, or NULL.
 *
 * The caller's own binding, else (an unbound thread) its thread-group
 * leader's.  Valid while the caller holds dvk_dvs.lock or rcu_read_lock().
 */
struct dvk_proc *dvk_current_proc(void)
{
	struct dvk_proc *p = xa_load(&dvk_tasks, current->pid);

	if (!p)
		p = xa_load(&dvk_tasks, current->tgid);
	return p;
}

/**
 * dvk_unbind_slot_locked - free a bound slot.  Caller holds p->dc->lock.
 * @p:  the slot
 * @how: why (enum dvk_unbind_how, for the trace event)
 * @by: tgid of the process that asked (the task itself on exit)
 *
 * Never sleeps: it runs from the exit hook too.  Whoever waits on the
 * endpoint is woken first (dvk_ipc_unbind_locked).
 */
void dvk_unbind_slot_locked(struct dvk_proc *p, int how, pid_t by)
{
	struct dvk_dc *dc = p->dc;
	struct task_struct *task = p->task;

	lockdep_assert_held(&dc->lock);
	trace_dvk_unbind(p, how, by);
	dvk_ipc_unbind_locked(p);
	dvk_slot_reset(p, p->usr.p_nr);
	if (task) {		/* a remote descriptor has none */
		xa_erase(&dvk_tasks, task->pid);
		dc->nr_bound--;
		put_task_struct(task);
	}
	wake_up_all(&dvk_unbind_wq);
}

/*
 * Wait until @dc has no bound slot, at most @ms.  Interruptible: dc_end
 * waits here without dvk_dvs.lock, and a signal only cuts its grace short.
 */
void dvk_wait_dc_empty(struct dvk_dc *dc, unsigned int ms)
{
	wait_event_interruptible_timeout(dvk_unbind_wq, READ_ONCE(dc->nr_bound) == 0,
					 msecs_to_jiffies(ms));
}

/* The exit hook: unbind @task if it is bound (atomic context). */
void dvk_exit_unbind(struct task_struct *task)
{
	struct dvk_proc *p;

	smp_mb();	/* pairs with bind: PF_EXITING is set, now read the map */
	if (xa_empty(&dvk_tasks))
		return;
	rcu_read_lock();
	p = xa_load(&dvk_tasks, task->pid);
	if (p) {
		spin_lock(&p->dc->lock);
		if (p->task == task)
			dvk_unbind_slot_locked(p, DVK_UNBIND_EXIT, task->tgid);
		spin_unlock(&p->dc->lock);
	}
	rcu_read_unlock();
}

/* Privileges given at bind (docs/original-dvk.md#checks-shared-by-the-ipc-calls). */
static void bind_default_priv(struct dvk_proc *p)
{
	struct dvk_dc *dc = p->dc;
	int p_nr = p->usr.p_nr;

	p->priv.priv_ipc_to = ~0ULL;
	p->priv.priv_warn = NONE;
	if (dvk_is_sysproc(dc, p_nr)) {
		p->priv.priv_id = p_nr + dc->usr.dc_nr_tasks;
		p->priv.priv_level = p_nr < 0 ? TASK_PRIV : SERVER_PRIV;
		p->priv.priv_dvk_allowed = DVK_ALL_CALLS;
	} else {
		p->priv.priv_id = dc->usr.dc_nr_sysprocs;
		p->priv.priv_level = USER_PRIV;
		p->priv.priv_dvk_allowed = DVK_USER_CALLS;
	}
}

/*
 * The task with pid @nr in @ns, referenced, or NULL.  (find_task_by_pid_ns
 * is not exported to modules; find_pid_ns and pid_task are.)
 */
struct task_struct *dvk_get_task(pid_t nr, struct pid_namespace *ns)
{
	struct task_struct *task;

	rcu_read_lock();
	task = pid_task(find_pid_ns(nr, ns), PIDTYPE_PID);
	if (task)
		get_task_struct(task);
	rcu_read_unlock();
	return task;
}

/*
 * Resolve bind's pid argument to a referenced task, or NULL.  pid <= 0 is
 * the calling thread.  SELF_BIND binds a thread of the caller's own
 * process, named in the caller's PID namespace: -1 (the original's
 * dvk_bind) or the process's pid (getpid() in any thread) is the calling
 * thread, a tid that thread (tbind, or another thread's tid as the original
 * allowed); another process is LCL_BIND's (docs/departures.md).  Other bind
 * types name a process of the DC's PID namespace.
 */
static struct task_struct *bind_target(struct dvk_dc *dc, int oper, pid_t pid)
{
	struct task_struct *task;

	/* getpid() from a thread: its process, i.e. the calling thread itself */
	if (pid <= 0 || (oper == SELF_BIND && pid == task_tgid_vnr(current))) {
		get_task_struct(current);
		return current;
	}
	task = dvk_get_task(pid, oper == SELF_BIND ? task_active_pid_ns(current) : dc->pid_ns);
	if (task && oper == SELF_BIND && !same_thread_group(task, current)) {
		put_task_struct(task);
		return NULL;
	}
	return task;
}

/* A new binding's serial number (tells bindings of one slot apart). */
u64 dvk_next_bind_seq(void)
{
	return atomic64_inc_return(&dvk_bind_seq);
}

/*
 * Why @task may not be bound to slot @p of @dc now (OK: it may).  A
 * MIGR_COMMIT (@oper DVK_BIND_MIGRATED) binds over the REMOTE, MIGRATING
 * descriptor of the process that moved here.  dc->lock held.
 */
static long bind_refused_locked(struct dvk_dc *dc, struct dvk_proc *p, int oper,
				struct task_struct *task)
{
	struct dvk_proc *leader;

	if (dc->ending)
		return EDVSDCNOTRUN;
	if (xa_load(&dvk_tasks, task->pid))
		return EDVSRSCBUSY;	/* EDVSBUSY (-16) would read as endpoint -16 */
	if (dvk_slot_bound(p) && !(oper == DVK_BIND_MIGRATED && dvk_slot_remote(p) &&
				   (p->usr.p_rts_flags & MIGRATING)))
		return EDVSSLOTUSED;
	/* a thread may join only the DC of its bound leader */
	leader = xa_load(&dvk_tasks, task->tgid);
	if (leader && leader->dc != dc)
		return EDVSBADDCID;
	return OK;
}

/* Slot @p now speaks for @task (its reference passes to the slot).  dc->lock held. */
static void bind_fill_locked(struct dvk_proc *p, int oper, struct task_struct *task,
			     const struct dvs_usr *dvs)
{
	struct dvk_dc *dc = p->dc;
	int nodeid = atomic_read(&dvk_dvs.local_nodeid);

	if (dvk_slot_bound(p))	/* migrated here: the stand-in leaves its queues */
		dvk_ipc_unqueue_locked(p);
	p->task = task;
	p->bind_time_ns = ktime_get_ns();
	p->bind_seq = atomic64_inc_return(&dvk_bind_seq);
	p->usr.p_rts_flags = 0;
	p->usr.p_lpid = task->pid;
	p->usr.p_vpid = task_pid_nr_ns(task, dc->pid_ns);
	p->usr.p_nodeid = nodeid;
	p->usr.p_nodemap = 1ULL << nodeid;
	p->usr.p_cpumask = dc->usr.dc_cpumask;
	p->usr.p_misc_flags = 0;
	if (thread_group_leader(task))
		p->usr.p_misc_flags |= MIS_GRPLEADER;
	if (oper == USERMODE_BIND || (dvs->d_flags & DVK_USERMODE))
		p->usr.p_misc_flags |= MIS_USERMODE;
	if (oper == REPLICA_BIND)
		p->usr.p_misc_flags |= MIS_REPLICATED;
	get_task_comm(p->usr.p_name, task);
	bind_default_priv(p);
}

/*
 * Bind @task to slot @p_nr (@oper: the bind type, or DVK_BIND_MIGRATED).
 * Takes over the caller's reference to @task: the slot keeps it, or it is
 * dropped here.  Return: the endpoint, or an error below EDVSERRCODE.
 */
static long bind_local(struct dvk_dc *dc, int oper, struct task_struct *task, int p_nr)
{
	struct dvk_proc *p = dvk_slot(dc, p_nr);
	struct dvs_usr dvs;
	long ret;

	if (dvk_task_is_proxy(task)) {
		put_task_struct(task);
		return EDVSRSCBUSY;	/* proxies belong to no DC */
	}
	/* Reserve the map entry now: the store below runs under a spinlock. */
	if (xa_reserve(&dvk_tasks, task->pid, GFP_KERNEL)) {
		put_task_struct(task);
		return EDVSALLOCMEM;
	}
	dvk_dvs_snapshot(&dvs);

	spin_lock(&dc->lock);
	ret = bind_refused_locked(dc, p, oper, task);
	if (ret) {
		spin_unlock(&dc->lock);
		xa_release(&dvk_tasks, task->pid);
		put_task_struct(task);
		return ret;
	}
	bind_fill_locked(p, oper, task, &dvs);
	xa_store(&dvk_tasks, task->pid, p, GFP_ATOMIC);	/* uses the reservation */
	dc->nr_bound++;

	smp_mb();	/* pairs with dvk_exit_unbind(): map stored, now read flags */
	if (task->flags & PF_EXITING) {
		dvk_unbind_slot_locked(p, DVK_UNBIND_EXITING, task_tgid_nr(current));	/* drops the ref */
		spin_unlock(&dc->lock);
		return EDVSBADPID;
	}
	trace_dvk_bind(p, oper, task_tgid_nr(current));
	ret = p->usr.p_endpoint;
	spin_unlock(&dc->lock);
	wake_up_all(&dvk_bind_wq);
	return ret;
}

/*
 * rmtbind: slot @ep of @dc becomes the descriptor of a process on remote
 * node @nodeid, named by the string at user address @uname.  The node must
 * be attached, a member of the DC, and reached through a pair in use.
 * Caller holds dvk_dvs.lock.
 */
static long bind_remote_ctllocked(struct dvk_dc *dc, unsigned long uname, int ep, int nodeid)
{
	int p_nr = _ENDPOINT_P(ep), px;
	char name[MAXPROCNAME];
	struct dvk_proc *p;
	long ret, len;

	if (nodeid < 0 || nodeid >= dvk_dvs.usr.d_nr_nodes ||
	    nodeid == atomic_read(&dvk_dvs.local_nodeid))
		return EDVSBADNODEID;
	if (ep < -dc->usr.dc_nr_tasks || !dvk_pnr_valid(dc, p_nr))
		return EDVSENDPOINT;
	len = strncpy_from_user(name, (const char __user *)uname, sizeof(name));
	if (len < 0)
		return EDVSBADVALUE;	/* not EDVSFAULT: bind fails only below EDVSERRCODE */
	if (len == sizeof(name))
		return EDVSNAMESIZE;
	spin_lock(&dvk_dvs.net_lock);
	px = dvk_dvs.nodes[nodeid].usr.n_proxies;
	if (dvk_dvs.nodes[nodeid].usr.n_flags == NODE_FREE)
		ret = EDVSNODCNODE;
	else if (px < 0 || !(dvk_dvs.proxies[px].usr.px_flags & PROXIES_INUSE))
		ret = EDVSNOPROXY;
	else
		ret = OK;
	spin_unlock(&dvk_dvs.net_lock);
	if (ret)
		return ret;

	spin_lock(&dc->lock);
	p = dvk_slot(dc, p_nr);
	if (dc->ending)
		ret = EDVSDCNOTRUN;
	else if (!(dc->usr.dc_nodes & (1ULL << nodeid)))
		ret = EDVSNODCNODE;
	else if (dvk_slot_bound(p))
		ret = EDVSSLOTUSED;
	else
		ret = OK;
	if (ret == OK) {
		p->bind_time_ns = ktime_get_ns();
		p->bind_seq = atomic64_inc_return(&dvk_bind_seq);
		p->usr.p_rts_flags = REMOTE;
		p->usr.p_nodeid = nodeid;
		p->usr.p_nodemap = 1ULL << nodeid;
		p->usr.p_proxy = px;
		p->usr.p_cpumask = dc->usr.dc_cpumask;
		strscpy(p->usr.p_name, name, sizeof(p->usr.p_name));
		bind_default_priv(p);
		trace_dvk_bind(p, RMT_BIND, task_tgid_nr(current));
		ret = p->usr.p_endpoint;
	}
	spin_unlock(&dc->lock);
	if (ret > EDVSERRCODE)
		wake_up_all(&dvk_bind_wq);	/* wait4bind on this endpoint */
	return ret;
}

/**
 * dvk_bind - bind(oper, dcid, pid, endpoint, nodeid).
 * @args: first = bind type, second = dcid, third = pid (0 = caller),
 *        ptr = endpoint, fifth = nodeid (LOCALNODE for local binds).
 *
 * Return: the endpoint, or EDVSPRIVILEGES, EDVSDVSINIT, EDVSBINDTYPE,
 * EDVSBADDCID, EDVSDCNOTRUN, EDVSBADNODEID, EDVSNODCNODE, EDVSENDPOINT,
 * EDVSBADPID, EDVSSLOTUSED, EDVSRSCBUSY, EDVSALLOCMEM; for RMT_BIND also
 * EDVSNODCNODE (node not attached or not in the DC), EDVSNOPROXY,
 * EDVSBADVALUE (bad name pointer), EDVSNAMESIZE; BKUP_BIND: EDVSBINDTYPE
 * (not supported).
 */
long dvk_bind(const struct dvk_ipc_args *args)
{
	int oper = args->first;
	int dcid = (int)args->second;
	pid_t pid = (pid_t)args->third;
	int ep = (int)args->ptr;
	int nodeid = (int)args->fifth;
	struct task_struct *task;
	struct dvk_dc *dc;
	int p_nr, local;
	long ret;

	ret = dvk_ctl_enter();
	if (ret)
		return ret;
	local = atomic_read(&dvk_dvs.local_nodeid);
	if (local < 0) {
		ret = EDVSDVSINIT;
		goto out;
	}
	if (oper < SELF_BIND || oper > MAX_BIND_TYPE) {
		ret = EDVSBINDTYPE;
		goto out;
	}
	ret = dvk_dc_running_ctllocked(dcid, false, &dc);
	if (ret)
		goto out;
	if (oper == BKUP_BIND) {
		ret = EDVSBINDTYPE;	/* a local standby of a remote primary: not supported */
		goto out;
	}
	if (oper == RMT_BIND) {
		ret = bind_remote_ctllocked(dc, (unsigned long)args->third, ep, nodeid);
		goto out;
	}
	if (nodeid != LOCALNODE) {
		ret = EDVSBADNODEID;
		goto out;
	}
	p_nr = _ENDPOINT_P(ep);
	if (ep < -dc->usr.dc_nr_tasks || !dvk_pnr_valid(dc, p_nr)) {
		ret = EDVSENDPOINT;
		goto out;
	}
	task = bind_target(dc, oper, pid);
	if (!task) {
		ret = EDVSBADPID;
		goto out;
	}
	ret = bind_local(dc, oper, task, p_nr);
out:
	mutex_unlock(&dvk_dvs.lock);
	return ret;
}

/**
 * dvk_getep - getep(pid): the endpoint of a bound process.
 * @args: first = pid in the caller's PID namespace.
 *
 * Return: the endpoint, or EDVSPRIVILEGES, EDVSDVSINIT, EDVSNOTBIND (caller
 * or target unbound), EDVSBADPID.
 */
long dvk_getep(const struct dvk_ipc_args *args)
{
	pid_t pid = args->first;
	struct task_struct *task;
	struct dvk_proc *p;
	long ret;

	if (!capable(CAP_SYS_ADMIN))
		return EDVSPRIVILEGES;
	if (!dvs_initialized())
		return EDVSDVSINIT;
	if (pid <= 0 || pid > PID_MAX_LIMIT)
		return EDVSBADPID;
	task = dvk_get_task(pid, task_active_pid_ns(current));
	if (!task)
		return EDVSBADPID;
	rcu_read_lock();
	if (!dvk_current_proc()) {
		ret = EDVSNOTBIND;
	} else {
		p = xa_load(&dvk_tasks, task->pid);
		ret = p ? READ_ONCE(p->usr.p_endpoint) : EDVSNOTBIND;
	}
	rcu_read_unlock();
	put_task_struct(task);
	return ret;
}

/**
 * dvk_getprocinfo - getprocinfo(dcid, p_nr, proc_usr *).
 * @args: first = dcid (PROC_NO_PID = the caller's), second = p_nr,
 *        ptr = where to copy.  Free slots are reported too.
 *
 * Return: OK, EDVSPRIVILEGES, EDVSDVSINIT, EDVSBADDCID, EDVSDCNOTRUN,
 * EDVSBADPROC or EDVSFAULT.
 */
long dvk_getprocinfo(const struct dvk_ipc_args *args)
{
	void __user *uptr = u64_to_user_ptr(args->ptr);
	int dcid = args->first;
	int p_nr = (int)args->second;
	struct proc_usr u;
	struct dvk_dc *dc;
	long ret = OK;

	ret = dvk_ctl_enter();
	if (ret)
		return ret;
	ret = dvk_dc_running_ctllocked(dcid, true, &dc);
	if (ret)
		goto out;
	if (!dvk_pnr_valid(dc, p_nr)) {
		ret = EDVSBADPROC;
		goto out;
	}
	spin_lock(&dc->lock);
	u = dvk_slot(dc, p_nr)->usr;
	spin_unlock(&dc->lock);
	if (copy_to_user(uptr, &u, sizeof(u)))
		ret = EDVSFAULT;
out:
	mutex_unlock(&dvk_dvs.lock);
	return ret;
}

/**
 * dvk_bind_migrated_ctllocked - MIGR_COMMIT on the new node: bind a task to the
 * REMOTE, MIGRATING descriptor of the process that moved here.
 * @dc:   the DC
 * @task: the task, referenced (the reference passes to the slot or is dropped)
 * @p_nr: the slot
 *
 * Caller holds dvk_dvs.lock.
 *
 * Return: the endpoint, or a bind error below EDVSERRCODE.
 */
long dvk_bind_migrated_ctllocked(struct dvk_dc *dc, struct task_struct *task, int p_nr)
{
	return bind_local(dc, DVK_BIND_MIGRATED, task, p_nr);
}

/**
 * dvk_detach_task_locked - the task of a slot leaves it (MIGR_COMMIT away from
 * this node); the slot stays bound for the caller to turn into a remote
 * descriptor.
 * @p: the slot; its DC's lock held
 */
void dvk_detach_task_locked(struct dvk_proc *p)
{
	struct task_struct *task = p->task;

	xa_erase(&dvk_tasks, task->pid);
	p->dc->nr_bound--;
	p->task = NULL;
	put_task_struct(task);
}
