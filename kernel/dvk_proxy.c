// SPDX-License-Identifier: GPL-2.0
/*
 * dvk_proxy.c - proxy pairs: the sender and receiver proxy processes that
 * link this node to remote ones (docs/original-dvk.md#proxy-pair-descriptor, #the-original-proxies; plan in
 * docs/design-remote.md).  proxies_bind, proxies_unbind, proxy_conn,
 * getproxyinfo, and the teardown of a pair when one of its proxies exits.
 *
 * Pairs and nodes live in dvk_dvs and are guarded by dvk_dvs.net_lock, a
 * spinlock (the exit hook tears pairs down in atomic context); control
 * calls also hold dvk_dvs.lock.  Proxy tasks are found through their own
 * map, dvk_proxy_tasks (pid -> pair id + 1), since they are in no DC.
 */
#include <linux/kernel.h>
#include <linux/capability.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/pid_namespace.h>
#include "dvk_bind.h"
#include "dvk_remote.h"
#include "dvk_trace.h"

static DEFINE_XARRAY(dvk_proxy_tasks);

/* The calls each proxy may make (docs/original-dvk.md#checks-shared-by-the-ipc-calls). */
#define SPROXY_CALLS	((1ULL << DVK_PROXYBIND) | (1ULL << DVK_PROXYUNBIND) | (1ULL << DVK_GET2RMT))
#define RPROXY_CALLS	((1ULL << DVK_PROXYBIND) | (1ULL << DVK_PROXYUNBIND) | (1ULL << DVK_PUT2LCL))

/* Fill the descriptor of a proxy task as getproxyinfo shows it. */
static void proxy_desc(struct dvk_pxproc *d, struct task_struct *task, int px_nr, u64 calls)
{
	memset(d, 0, sizeof(*d));
	dvk_proc_usr_idle(&d->usr, px_nr, -1, 0);	/* running: no flag */
	d->usr.p_endpoint = NONE;
	d->usr.p_lpid = task_pid_nr(task);
	d->usr.p_vpid = task_pid_vnr(task);
	d->usr.p_nodeid = atomic_read(&dvk_dvs.local_nodeid);
	d->usr.p_misc_flags = MIS_PROXY;
	d->usr.p_proxy = px_nr;
	get_task_comm(d->usr.p_name, task);
	d->priv.priv_id = -1;
	d->priv.priv_warn = NONE;
	d->priv.priv_level = PROXY_PRIV;
	d->priv.priv_dvk_allowed = calls;	/* ipc_to stays empty */
	d->task = task;
}

/*
 * Free pair @px: its nodes lose their connection bits, the proxy that is
 * not @exiting gets SIGTERM.  Never sleeps.  net_lock held.
 */
static void pair_release_netlocked(struct dvk_proxies *px, struct task_struct *exiting, pid_t by)
{
	struct task_struct *t[2] = { px->sproxy.task, px->rproxy.task };
	int i;

	trace_dvk_proxy_conn(px->usr.px_id, -1, px->usr.px_flags, by);
	for (i = 0; i < NR_NODES; i++) {
		if (px->nodemap & (1ULL << i))
			dvk_dvs.nodes[i].usr.n_flags &= ~(NODE_SCONNECTED | NODE_RCONNECTED);
	}
	for (i = 0; i < 2; i++) {
		xa_erase(&dvk_proxy_tasks, t[i]->pid);
		if (t[i] != exiting)
			send_sig(SIGTERM, t[i], 1);
		put_task_struct(t[i]);
	}
	px->sproxy.task = NULL;
	px->rproxy.task = NULL;
	px->usr.px_flags = PROXIES_FREE;
	dvk_rmt_pair_down_netlocked(px);	/* nothing may keep waiting on its nodes */
}

/* The pair a task is a proxy of (RCU or net_lock held), or NULL. */
static struct dvk_proxies *task_pair(struct task_struct *task)
{
	void *v = xa_load(&dvk_proxy_tasks, task->pid);

	return v ? &dvk_dvs.proxies[xa_to_value(v) - 1] : NULL;
}

/**
 * dvk_proxy_pair_of - the pair @task is a proxy of, or NULL.
 * @task: the task
 *
 * The pair (static storage) may be freed meanwhile: callers check its
 * proxies under net_lock.
 */
struct dvk_proxies *dvk_proxy_pair_of(struct task_struct *task)
{
	return task_pair(task);
}

/**
 * dvk_task_is_proxy - is @task a proxy of some pair?
 * @task: the task
 */
bool dvk_task_is_proxy(struct task_struct *task)
{
	return xa_load(&dvk_proxy_tasks, task->pid) != NULL;
}

/**
 * dvk_proxy_exit - the exit hook's part for proxies: a proxy that exits
 * tears its pair down.  Atomic context.
 * @task: the exiting task
 */
void dvk_proxy_exit(struct task_struct *task)
{
	struct dvk_proxies *px;

	if (xa_empty(&dvk_proxy_tasks))
		return;
	smp_mb();	/* pairs with proxies_bind: PF_EXITING is set, now read the map */
	spin_lock(&dvk_dvs.net_lock);
	px = task_pair(task);
	if (px && (px->sproxy.task == task || px->rproxy.task == task))
		pair_release_netlocked(px, task, task->tgid);
	spin_unlock(&dvk_dvs.net_lock);
}

/**
 * dvk_proxies_end_all_ctllocked - free every pair (dvs_end, module unload).
 * Caller holds dvk_dvs.lock.
 */
void dvk_proxies_end_all_ctllocked(void)
{
	int i;

	spin_lock(&dvk_dvs.net_lock);
	for (i = 0; i < NR_NODES; i++) {
		if (dvk_dvs.proxies[i].usr.px_flags & PROXIES_INUSE)
			pair_release_netlocked(&dvk_dvs.proxies[i], NULL, task_tgid_nr(current));
	}
	spin_unlock(&dvk_dvs.net_lock);
}

/*
 * The pair a call names by id: OK with *@pxp set, EDVSDVSINIT or
 * EDVSBADPROXY.  dvk_dvs.lock held.
 */
static long pair_named_ctllocked(int px_nr, struct dvk_proxies **pxp)
{
	if (!dvs_initialized())
		return EDVSDVSINIT;
	if (px_nr < 0 || px_nr >= dvk_dvs.usr.d_nr_nodes)
		return EDVSBADPROXY;
	*pxp = &dvk_dvs.proxies[px_nr];
	return OK;
}

/*
 * Resolve and check one proxy pid (caller's namespace): a live task in no
 * DC and no pair.  Returns it referenced or NULL with *err set.
 */
static struct task_struct *proxy_task(pid_t pid, long *err)
{
	struct task_struct *t = dvk_get_task(pid, task_active_pid_ns(current));

	if (!t) {
		*err = EDVSBADPID;
		return NULL;
	}
	if (dvk_task_is_bound(t) || dvk_task_is_proxy(t)) {
		put_task_struct(t);
		*err = EDVSRSCBUSY;
		return NULL;
	}
	return t;
}

/* Map both proxies of pair @px_nr: OK or EDVSNOMEM (neither mapped). */
static long map_proxies(struct task_struct *st, struct task_struct *rt, int px_nr)
{
	long ret;

	ret = xa_err(xa_store(&dvk_proxy_tasks, st->pid, xa_mk_value(px_nr + 1), GFP_KERNEL));
	if (!ret)
		ret = xa_err(xa_store(&dvk_proxy_tasks, rt->pid, xa_mk_value(px_nr + 1), GFP_KERNEL));
	if (!ret)
		return OK;
	xa_erase(&dvk_proxy_tasks, st->pid);
	return EDVSNOMEM;
}

/*
 * Fill free pair @px with its proxies @st and @rt (their references pass
 * to it), @name and @maxbytes.
 */
static void pair_fill(struct dvk_proxies *px, const char *name, s64 maxbytes,
		      struct task_struct *st, struct task_struct *rt)
{
	int px_nr = dvk_px_index(px);

	spin_lock(&dvk_dvs.net_lock);
	memset(&px->usr, 0, sizeof(px->usr));
	px->usr.px_id = px_nr;
	px->usr.px_flags = PROXIES_INUSE;
	px->usr.px_maxbytes = (int)maxbytes;
	px->usr.px_maxbcmds = (int)(maxbytes / sizeof(cmd_t));
	strscpy(px->usr.px_name, name, sizeof(px->usr.px_name));
	px->nodemap = 0;
	memset(px->st, 0, sizeof(px->st));
	px->refused = 0;
	proxy_desc(&px->sproxy, st, px_nr, SPROXY_CALLS);
	proxy_desc(&px->rproxy, rt, px_nr, RPROXY_CALLS);
	trace_dvk_proxy_conn(px_nr, 0, px->usr.px_flags, task_tgid_nr(current));
	spin_unlock(&dvk_dvs.net_lock);
}

/*
 * Bind proxies @spid and @rpid to free pair @px.  dvk_dvs.lock held.
 * Return: OK, EDVSBADPID, EDVSRSCBUSY or EDVSNOMEM.
 */
static long pair_bind_ctllocked(struct dvk_proxies *px, pid_t spid, pid_t rpid,
				const char *name, s64 maxbytes)
{
	struct task_struct *st, *rt;
	long ret = OK;

	st = proxy_task(spid, &ret);
	if (!st)
		return ret;
	rt = proxy_task(rpid, &ret);
	if (rt)
		ret = map_proxies(st, rt, dvk_px_index(px));
	if (ret) {
		if (rt)
			put_task_struct(rt);
		put_task_struct(st);
		return ret;
	}
	pair_fill(px, name, maxbytes, st, rt);
	/* pairs with the exit hook: it sets PF_EXITING, then looks at the map */
	smp_mb();
	spin_lock(&dvk_dvs.net_lock);
	if ((px->sproxy.task->flags & PF_EXITING) || (px->rproxy.task->flags & PF_EXITING)) {
		pair_release_netlocked(px, NULL, task_tgid_nr(current));
		ret = EDVSBADPID;
	}
	spin_unlock(&dvk_dvs.net_lock);
	return ret;
}

/**
 * dvk_proxies_bind - proxies_bind(px_nr, spid, rpid, name, maxbytes).
 * @args: first = pair id, second = sender proxy pid, third = receiver
 *        proxy pid (both in the caller's namespace, distinct), ptr = name
 *        (NUL within MAXPROXYNAME), fifth = maxbytes (1..65536).
 *
 * Return: OK, or EDVSPRIVILEGES, EDVSDVSINIT, EDVSBADPROXY, EDVS2BIG,
 * EDVSBADVALUE, EDVSFAULT, EDVSNAMESIZE, EDVSBADPID, EDVSRSCBUSY (pair in
 * use, or a task already bound or a proxy).
 */
long dvk_proxies_bind(const struct dvk_ipc_args *args)
{
	int px_nr = args->first;
	s64 maxbytes = args->fifth;
	char name[MAXPROXYNAME];
	struct dvk_proxies *px;
	long ret, n;

	if (!capable(CAP_SYS_ADMIN))
		return EDVSPRIVILEGES;
	if (maxbytes > MAXCOPYBUF)
		return EDVS2BIG;
	if (maxbytes <= 0)
		return EDVSBADVALUE;
	n = strncpy_from_user(name, u64_to_user_ptr(args->ptr), sizeof(name));
	if (n < 0)
		return EDVSFAULT;
	if (n == sizeof(name))
		return EDVSNAMESIZE;
	if ((pid_t)args->second == (pid_t)args->third)
		return EDVSBADPID;

	if (dvk_ctl_lock())
		return -EINTR;
	ret = pair_named_ctllocked(px_nr, &px);
	if (ret)
		goto out;
	if (px->usr.px_flags & PROXIES_INUSE) {
		ret = EDVSRSCBUSY;
		goto out;
	}
	dvk_rmt_flush(px);	/* the waiters of its last use are failed */
	ret = pair_bind_ctllocked(px, (pid_t)args->second, (pid_t)args->third, name, maxbytes);
	if (ret == OK)
		wake_up_all(&dvk_bind_wq);	/* wait4bind(SELF) of the proxies: NONE */
out:
	mutex_unlock(&dvk_dvs.lock);
	return ret;
}

/* The proxy of @px that is the caller (or in its thread group), or NULL. */
static struct task_struct *caller_proxy(struct dvk_proxies *px)
{
	if (same_thread_group(px->sproxy.task, current))
		return px->sproxy.task;
	if (same_thread_group(px->rproxy.task, current))
		return px->rproxy.task;
	return NULL;
}

/**
 * dvk_proxies_unbind - proxies_unbind(px_nr): free a pair.  Its nodes lose
 * their connection; a proxy of the pair other than the caller gets SIGTERM.
 * @args: first = pair id.
 *
 * Return: OK, or EDVSPRIVILEGES, EDVSDVSINIT, EDVSBADPROXY, EDVSPROXYFREE.
 */
long dvk_proxies_unbind(const struct dvk_ipc_args *args)
{
	int px_nr = args->first;
	struct dvk_proxies *px;
	long ret;

	ret = dvk_ctl_enter();
	if (ret)
		return ret;
	ret = pair_named_ctllocked(px_nr, &px);
	if (ret == OK) {
		spin_lock(&dvk_dvs.net_lock);
		if (px->usr.px_flags & PROXIES_INUSE)
			pair_release_netlocked(px, caller_proxy(px), task_tgid_nr(current));
		else
			ret = EDVSPROXYFREE;
		spin_unlock(&dvk_dvs.net_lock);
	}
	mutex_unlock(&dvk_dvs.lock);
	return ret;
}

/*
 * proxy_conn(px_nr, REFUSED_RPROXY): a proxy of the pair refused a
 * connection or a frame (dvk-proxy's acceptor or receiver: docs/security.md).
 * Only counted, for debugfs and the trace.  No DVS mutex: a flood of
 * refusals must not queue the control calls behind it; net_lock keeps the
 * pair from being freed meanwhile.  Only a proxy of the pair may report.
 */
static long proxy_refused(int px_nr)
{
	struct dvk_proxies *px;
	long ret = OK;

	if (!dvs_initialized())
		return EDVSDVSINIT;
	if (px_nr < 0 || px_nr >= NR_NODES)
		return EDVSBADPROXY;
	px = &dvk_dvs.proxies[px_nr];
	spin_lock(&dvk_dvs.net_lock);
	if (!(px->usr.px_flags & PROXIES_INUSE)) {
		ret = EDVSPROXYFREE;
	} else if (!caller_proxy(px)) {
		ret = EDVSPRIVILEGES;
	} else {
		px->refused++;
		trace_dvk_proxy_conn(px_nr, REFUSED_RPROXY, px->usr.px_flags,
				     task_tgid_nr(current));
	}
	spin_unlock(&dvk_dvs.net_lock);
	return ret;
}

/**
 * dvk_proxy_conn - proxy_conn(px_nr, status): a proxy says its link is up
 * or down.  CONNECT_SPROXY/CONNECT_RPROXY set the pair's SCONNECTED/
 * RCONNECTED bit, the proxy's MIS_CONNECTED and the bit of every node the
 * pair serves; DISCONNECT_* clear them and fail everything that waits on
 * those nodes with EDVSNOTCONN (dvk_rmt_fail_nodes(): either direction,
 * since a message whose ACK cannot come back must not be delivered later).
 * REFUSED_RPROXY (5, this project's) only counts a refusal: proxy_refused().
 * @args: first = pair id, second = status 1..5.
 *
 * Return: OK, or EDVSPRIVILEGES, EDVSDVSINIT, EDVSBADPROXY, EDVSPROXYFREE,
 * EDVSBADVALUE.
 */
long dvk_proxy_conn(const struct dvk_ipc_args *args)
{
	int px_nr = args->first, status = (int)args->second, pxbit, nbit, i;
	struct dvk_pxproc *d;
	u64 nodemap;
	struct dvk_proxies *px;
	bool on;
	long ret;

	if (!capable(CAP_SYS_ADMIN))
		return EDVSPRIVILEGES;
	if (status == REFUSED_RPROXY)
		return proxy_refused(px_nr);
	if (status < CONNECT_SPROXY || status > DISCONNECT_RPROXY)
		return EDVSBADVALUE;
	if (dvk_ctl_lock())
		return -EINTR;
	ret = pair_named_ctllocked(px_nr, &px);
	if (ret)
		goto out;
	on = status == CONNECT_SPROXY || status == CONNECT_RPROXY;
	if (status == CONNECT_SPROXY || status == DISCONNECT_SPROXY) {
		pxbit = PROXIES_SCONNECTED;
		nbit = NODE_SCONNECTED;
		d = &px->sproxy;
	} else {
		pxbit = PROXIES_RCONNECTED;
		nbit = NODE_RCONNECTED;
		d = &px->rproxy;
	}
	spin_lock(&dvk_dvs.net_lock);
	if (!(px->usr.px_flags & PROXIES_INUSE)) {
		ret = EDVSPROXYFREE;
	} else {
		if (on) {
			px->usr.px_flags |= pxbit;
			d->usr.p_misc_flags |= MIS_CONNECTED;
		} else {
			px->usr.px_flags &= ~pxbit;
			d->usr.p_misc_flags &= ~MIS_CONNECTED;
		}
		for (i = 0; i < NR_NODES; i++) {
			if (!(px->nodemap & (1ULL << i)))
				continue;
			if (on)
				dvk_dvs.nodes[i].usr.n_flags |= nbit;
			else
				dvk_dvs.nodes[i].usr.n_flags &= ~nbit;
		}
		trace_dvk_proxy_conn(px_nr, status, px->usr.px_flags, task_tgid_nr(current));
		wake_up_all(&px->outq_wq);	/* a get2rmt sleeper sees the change */
	}
	nodemap = px->nodemap;
	spin_unlock(&dvk_dvs.net_lock);
	if (ret == OK && !on)
		dvk_rmt_fail_nodes(px_nr, nodemap, EDVSNOTCONN);
out:
	mutex_unlock(&dvk_dvs.lock);
	return ret;
}

/**
 * dvk_getproxyinfo - getproxyinfo(px_nr, sproxy proc_usr *, rproxy
 * proc_usr *): the pair's two descriptors (zeroed, with NONE endpoints and
 * pids -1, when the pair is free).
 * @args: first = pair id, second and third = where to copy them.
 *
 * Return: OK, or EDVSPRIVILEGES, EDVSDVSINIT, EDVSBADPROXY, EDVSFAULT.
 */
long dvk_getproxyinfo(const struct dvk_ipc_args *args)
{
	int px_nr = args->first;
	struct proc_usr s, r;

	if (!capable(CAP_SYS_ADMIN))
		return EDVSPRIVILEGES;
	if (!dvs_initialized())
		return EDVSDVSINIT;
	if (px_nr < 0 || px_nr >= READ_ONCE(dvk_dvs.usr.d_nr_nodes))
		return EDVSBADPROXY;
	dvk_proxy_snapshot(px_nr, NULL, &s, &r, NULL, NULL);
	if (copy_to_user(u64_to_user_ptr(args->second), &s, sizeof(s)) ||
	    copy_to_user(u64_to_user_ptr(args->third), &r, sizeof(r)))
		return EDVSFAULT;
	return OK;
}

/**
 * dvk_proxy_snapshot - copy a pair for the views and getproxyinfo.
 * @px_nr: the pair id (in range)
 * @u:     its proxies_usr, or NULL
 * @s:     the sender proxy's descriptor, or NULL
 * @r:     the receiver proxy's descriptor, or NULL
 * @pr:    the two privileges (sender, receiver), or NULL
 * @nodemap: the nodes it serves, or NULL
 *
 * Return: whether the pair is in use.  Free pairs give descriptors with
 * NONE endpoints and pids -1.
 */
bool dvk_proxy_snapshot(int px_nr, struct proxies_usr *u, struct proc_usr *s,
			struct proc_usr *r, struct priv_usr *pr, u64 *nodemap)
{
	const struct dvk_proxies *px = &dvk_dvs.proxies[px_nr];
	bool inuse;

	spin_lock(&dvk_dvs.net_lock);
	inuse = px->usr.px_flags & PROXIES_INUSE;
	if (u)
		*u = px->usr;
	if (s)
		*s = px->sproxy.usr;
	if (r)
		*r = px->rproxy.usr;
	if (pr) {
		pr[0] = px->sproxy.priv;
		pr[1] = px->rproxy.priv;
	}
	if (nodemap)
		*nodemap = px->nodemap;
	spin_unlock(&dvk_dvs.net_lock);
	if (!inuse) {
		struct proc_usr *d[2] = { s, r };
		int i;

		for (i = 0; i < 2; i++) {
			if (!d[i])
				continue;
			dvk_proc_usr_idle(d[i], px_nr, -1, SLOT_FREE);
			d[i]->p_endpoint = NONE;
		}
	}
	return inuse;
}
