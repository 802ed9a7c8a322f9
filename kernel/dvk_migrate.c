// SPDX-License-Identifier: GPL-2.0
/*
 * dvk_migrate.c - migrate(oper, pid, dcid, ep, new_node): moving an
 * endpoint between nodes (docs/original-dvk.md#what-each-call-does; decisions in
 * docs/design-remote.md).  Whoever moves the process runs MIGR_START on
 * every node of the DC, moves it, then MIGR_COMMIT everywhere (or
 * MIGR_ROLLBACK).
 *
 * While an endpoint is MIGRATING, local senders to it park (WAITMIGR) and
 * replay their call when the migration ends; commands for it from remote
 * nodes get EDVSMIGRATE, which their node replays; notifies for it stay
 * pending; a migrating local process cannot make DVK calls (EDVSMIGRATE).
 * COMMIT, by where the endpoint was and goes:
 *  - local -> remote: the task is detached (its call in progress, if any,
 *    ends with EDVSNOTBIND) and the slot becomes the descriptor of the
 *    process on new_node; its queued senders replay (remote ones through an
 *    error ACK EDVSMIGRATE); notifies pending for it are dropped;
 *  - remote -> local: pid (in the DC's PID namespace) is bound to the slot;
 *  - remote -> remote (a third node): only the descriptor's node changes.
 * A stand-in's business of the old incarnation is answered EDVSMIGRATE.
 */
#include <linux/kernel.h>
#include <linux/capability.h>
#include <linux/sched/task.h>
#include "dvk_bind.h"
#include "dvk_ipc.h"
#include "dvk_remote.h"
#include "dvk_rmt.h"
#include "dvk_trace.h"

/* Parked senders of @ep replay their call.  dc->lock held. */
static void release_parked_locked(struct dvk_dc *dc, int ep)
{
	int i;

	for (i = 0; i < dc->nr_slots; i++) {
		struct dvk_proc *s = &dc->procs[i];

		if ((s->usr.p_rts_flags & WAITMIGR) && s->usr.p_waitmigr == ep) {
			s->usr.p_waitmigr = NONE;
			dvk_ipc_wake_locked(s, WAITMIGR, EDVSMIGRATE);
		}
	}
}

/* @p's queued senders replay (stand-ins: their remote caller).  dc->lock held. */
static void requeue_senders_locked(struct dvk_proc *p)
{
	struct dvk_proc *s, *tmp;

	list_for_each_entry_safe(s, tmp, &p->senders, send_link) {
		dvk_ipc_unqueue_locked(s);
		dvk_ipc_wake_locked(s, 0, EDVSMIGRATE);
	}
}

/* A stand-in drops what it did for its old incarnation.  dc->lock held. */
static void standin_reset_locked(struct dvk_proc *p)
{
	dvk_ipc_unqueue_locked(p);
	dvk_rmt_standin_done_locked(p, EDVSMIGRATE);	/* its remote caller replays */
}

/*
 * Can @node host the endpoint (attached, in the DC, reached by a pair)?
 * Return: OK with *@pxp set to that pair, EDVSDCNODE or EDVSNOPROXY.
 */
static long node_ok(struct dvk_dc *dc, int node, int *pxp)
{
	int px;

	if (!(dc->usr.dc_nodes & (1ULL << node)))
		return EDVSDCNODE;
	spin_lock(&dvk_dvs.net_lock);
	px = dvk_dvs.nodes[node].usr.n_proxies;
	if (px < 0 || px >= NR_NODES || !(dvk_dvs.proxies[px].usr.px_flags & PROXIES_INUSE))
		px = -1;
	spin_unlock(&dvk_dvs.net_lock);
	if (px < 0)
		return EDVSNOPROXY;
	*pxp = px;
	return OK;
}

/* MIGR_COMMIT of @p (MIGRATING).  dc->lock held; dropped around a bind. */
static long commit_locked(struct dvk_dc *dc, struct dvk_proc *p, int new_node, pid_t pid)
	__must_hold(&dc->lock)
{
	int local = atomic_read(&dvk_dvs.local_nodeid), ep = p->usr.p_endpoint, px = 0;
	struct task_struct *task;
	long ret;

	if (new_node == (dvk_slot_remote(p) ? p->usr.p_nodeid : local))
		return EDVSBADNODEID;	/* it is there already */
	if (new_node != local) {
		ret = node_ok(dc, new_node, &px);
		if (ret)
			return ret;
	}
	if (new_node == local) {	/* remote -> here: bind the process */
		spin_unlock(&dc->lock);
		task = dvk_get_task(pid, dc->pid_ns);
		spin_lock(&dc->lock);
		if (!task)
			return EDVSBADPID;
		standin_reset_locked(p);
		spin_unlock(&dc->lock);
		ret = dvk_bind_migrated_ctllocked(dc, task, p->usr.p_nr);	/* takes the reference */
		spin_lock(&dc->lock);
		if (ret < EDVSERRCODE)
			return ret;
	} else if (dvk_slot_remote(p)) {	/* remote -> a third node */
		standin_reset_locked(p);
		p->usr.p_rts_flags &= ~MIGRATING;
		p->usr.p_nodeid = new_node;
		p->usr.p_nodemap = 1ULL << new_node;
		p->usr.p_proxy = px;
	} else {			/* here -> remote: the task leaves the slot */
		dvk_ipc_unqueue_locked(p);
		requeue_senders_locked(p);
		dvk_detach_task_locked(p);
		p->bind_seq = dvk_next_bind_seq();	/* its sleeping owner sees it gone */
		bitmap_zero(p->notify_pending, DVK_MAX_SLOTS);
		p->notify_updates = 0;
		p->usr.p_rts_flags = REMOTE;
		p->usr.p_misc_flags = 0;
		p->usr.p_lpid = PROC_NO_PID;
		p->usr.p_vpid = PROC_NO_PID;
		p->usr.p_nodeid = new_node;
		p->usr.p_nodemap = 1ULL << new_node;
		p->usr.p_proxy = px;
		wake_up(&p->wq);
	}
	release_parked_locked(dc, ep);
	return OK;
}

/**
 * dvk_migrate - migrate(oper, pid, dcid, ep, new_node).
 * @args: first = MIGR_START / MIGR_COMMIT / MIGR_ROLLBACK, second = the
 *        process's pid on its new node (COMMIT there), third = dcid, ptr =
 *        endpoint, fifth = the new node (COMMIT).
 *
 * Return: OK, or EDVSPRIVILEGES, EDVSDVSINIT, EDVSNOSYS (bad oper),
 * EDVSBADDCID, EDVSDCNOTRUN, EDVSENDPOINT, EDVSNOTBIND, EDVSMIGRATE
 * (START twice), EDVSONCOPY, EDVSBUSY (its stand-in has a command queued),
 * EDVSPROCSTS (COMMIT/ROLLBACK without START), EDVSBADNODEID, EDVSDCNODE,
 * EDVSNOPROXY, EDVSBADPID and the bind errors of the new node.
 */
long dvk_migrate(const struct dvk_ipc_args *args)
{
	int oper = args->first, dcid = (int)args->third, ep = (int)args->ptr;
	int new_node = (int)args->fifth, old_node = -1;
	pid_t pid = (pid_t)args->second;
	struct dvk_proc *p;
	struct dvk_dc *dc;
	long ret = OK;

	if (!capable(CAP_SYS_ADMIN))
		return EDVSPRIVILEGES;
	if (oper < MIGR_START || oper > MIGR_ROLLBACK)
		return EDVSNOSYS;
	/* COMMIT may bind: one control call at a time */
	if (dvk_ctl_lock())
		return -EINTR;
	if (!dvs_initialized())
		ret = EDVSDVSINIT;
	else if (dcid < 0 || dcid >= dvk_dvs.usr.d_nr_dcs)
		ret = EDVSBADDCID;
	else if (oper == MIGR_COMMIT && (new_node < 0 || new_node >= dvk_dvs.usr.d_nr_nodes))
		ret = EDVSBADNODEID;
	if (ret)
		goto out;
	dc = dvk_ipc_dc_get(dcid);
	if (!dc) {
		ret = EDVSDCNOTRUN;
		goto out;
	}
	if (!dvk_ep_in_range(dc, ep)) {
		ret = EDVSENDPOINT;
		goto put;
	}
	spin_lock(&dc->lock);
	p = dvk_slot(dc, _ENDPOINT_P(ep));
	old_node = dvk_slot_remote(p) ? p->usr.p_nodeid : atomic_read(&dvk_dvs.local_nodeid);
	if (!dvk_slot_bound(p))
		ret = EDVSNOTBIND;
	else if (p->usr.p_endpoint != ep)
		ret = EDVSENDPOINT;
	else if (oper == MIGR_START && (p->usr.p_rts_flags & MIGRATING))
		ret = EDVSMIGRATE;
	else if (oper == MIGR_START && (p->usr.p_rts_flags & ONCOPY))
		ret = EDVSONCOPY;
	else if (oper == MIGR_START && dvk_slot_remote(p) && (p->usr.p_rts_flags & RMTOPER))
		ret = EDVSBUSY;
	else if (oper != MIGR_START && !(p->usr.p_rts_flags & MIGRATING))
		ret = EDVSPROCSTS;
	if (ret == OK && oper == MIGR_START) {
		p->usr.p_rts_flags |= MIGRATING;
	} else if (ret == OK && oper == MIGR_ROLLBACK) {
		p->usr.p_rts_flags &= ~MIGRATING;
		if (!p->usr.p_rts_flags)
			wake_up(&p->wq);
		release_parked_locked(dc, ep);
	} else if (ret == OK) {
		ret = commit_locked(dc, p, new_node, pid);
	}
	spin_unlock(&dc->lock);
	trace_dvk_migrate(dcid, ep, oper, old_node, oper == MIGR_COMMIT ? new_node : -1, ret);
put:
	dvk_dc_put(dc);
out:
	mutex_unlock(&dvk_dvs.lock);
	return ret;
}
