// SPDX-License-Identifier: GPL-2.0
/*
 * dvk_rmt_fail.c - a link went down: every command queued for it is
 * dropped and everything that waits on its nodes fails (EDVSNOTCONN), so
 * no message is delivered after its sender was told it failed.
 */
#include <linux/kernel.h>
#include <linux/workqueue.h>
#include "dvk_bind.h"
#include "dvk_rmt.h"

/* Is @ep a remote endpoint of @dc on one of the nodes of @nodemap?  dc->lock held. */
static bool on_nodes_locked(struct dvk_dc *dc, int ep, u64 nodemap)
{
	struct dvk_proc *q;

	if (!dvk_ep_in_range(dc, ep))
		return false;
	q = dvk_slot(dc, _ENDPOINT_P(ep));
	return dvk_slot_bound(q) && dvk_slot_remote(q) && q->usr.p_endpoint == ep &&
	       (nodemap & (1ULL << (q->usr.p_nodeid & 63)));
}

/* Fail one slot's wait on the nodes of @nodemap.  dc->lock held. */
static void fail_slot_locked(struct dvk_proc *p, u64 nodemap, long rcode)
{
	int f = p->usr.p_rts_flags;

	if ((f & SLOT_FREE) || !(f & (SENDING | RECEIVING | RMTOPER)))
		return;
	if (f & REMOTE) {	/* a stand-in: its message or answer is dropped */
		if (nodemap & (1ULL << (p->usr.p_nodeid & 63))) {
			dvk_ipc_unqueue_locked(p);
			p->rmt_op = 0;
		}
		return;
	}
	if (((f & SENDING) && on_nodes_locked(p->dc, p->usr.p_sendto, nodemap)) ||
	    ((f & RECEIVING) && on_nodes_locked(p->dc, p->usr.p_getfrom, nodemap))) {
		dvk_ipc_unqueue_locked(p);
		dvk_ipc_wake_locked(p, 0, rcode);
	}
}

/**
 * dvk_rmt_fail_waiters - nothing may wait on the nodes of @nodemap.
 * @nodemap: the nodes
 * @rcode:   what the waiters get (EDVSNOTCONN)
 *
 * Every local process waiting for an ACK, a reply or a message from a
 * remote endpoint on those nodes (its command maybe still queued) is
 * woken, the stand-ins of those nodes leave the queues they are in, and
 * wait4bind(WAIT_UNBIND) of those endpoints ends.  Process context.
 */
void dvk_rmt_fail_waiters(u64 nodemap, long rcode)
{
	struct dvk_dc *dc;
	int i, j;

	rcu_read_lock();
	for (i = 0; i < NR_DCS; i++) {
		dc = rcu_dereference(dvk_dvs.dcs[i]);
		if (!dc)
			continue;
		spin_lock(&dc->lock);
		for (j = 0; j < dc->nr_slots; j++)
			fail_slot_locked(&dc->procs[j], nodemap, rcode);
		spin_unlock(&dc->lock);
	}
	rcu_read_unlock();
	wake_up_all(&dvk_unbind_wq);
}

/**
 * dvk_rmt_fail_nodes - a link went down: nothing may wait on it.
 * @px_nr:   the pair
 * @nodemap: the nodes it served
 * @rcode:   what the waiters get (EDVSNOTCONN)
 *
 * Every command on the pair's queue is dropped (its local caller woken),
 * every local process waiting for an ACK, a reply or a message from a
 * remote endpoint on those nodes is woken, and the stand-ins of those
 * nodes leave the queues they are in (their remote callers get
 * EDVSNOTCONN from their own side), so no message is delivered after its
 * sender was told it failed.  wait4bind(WAIT_UNBIND) of those endpoints
 * ends too.  Process context.
 */
void dvk_rmt_fail_nodes(int px_nr, u64 nodemap, long rcode)
{
	struct dvk_proxies *px = &dvk_dvs.proxies[px_nr];
	struct dvk_proc *p, *wake;
	struct dvk_dc *dc;
	int dropped = 0;

	while ((p = dvk_rmt_pin_head(px))) {
		dc = p->dc;
		wake = NULL;
		spin_lock(&dc->lock);
		if (!dvk_rmt_still_queued_locked(p, px)) {
			/* left by itself */
		} else if (dvk_slot_remote(p)) {
			dvk_rmt_unlink_locked(p);
			p->rmt_op = 0;
			dropped++;
		} else {
			dvk_ipc_unqueue_locked(p);
			wake = dvk_ipc_ready_locked(p, 0, rcode);
			dropped++;
		}
		spin_unlock(&dc->lock);
		dvk_ipc_wake_unlocked(wake);
		dvk_dc_put(dc);
	}
	if (dropped) {
		spin_lock(&dvk_dvs.net_lock);
		px->st[DVK_PX_OUT].errors += dropped;
		px->st[DVK_PX_OUT].last_error = rcode;
		spin_unlock(&dvk_dvs.net_lock);
	}
	dvk_rmt_fail_waiters(nodemap, rcode);
}

/* A proxy exited (atomic context): fail its waiters from a worker. */
void dvk_rmt_fail_work(struct work_struct *w)
{
	struct dvk_proxies *px = container_of(w, struct dvk_proxies, fail_work);

	dvk_rmt_fail_nodes(dvk_px_index(px), xchg(&px->fail_nodemap, 0), EDVSNOTCONN);
}

/**
 * dvk_rmt_pair_down_netlocked - schedule dvk_rmt_fail_nodes() for a pair just freed.
 * @px: the pair; net_lock held (any context)
 */
void dvk_rmt_pair_down_netlocked(struct dvk_proxies *px)
{
	px->fail_nodemap |= px->nodemap;
	wake_up_all(&px->outq_wq);
	schedule_work(&px->fail_work);
}

/* Wait for the failing of freed pairs (before a pair is reused, at unload). */
void dvk_rmt_flush(struct dvk_proxies *px)
{
	flush_work(&px->fail_work);
}
