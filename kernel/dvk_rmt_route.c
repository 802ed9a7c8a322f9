// SPDX-License-Identifier: GPL-2.0
/*
 * dvk_rmt_route.c - which proxy pair a remote command goes through: the
 * pair a proxy belongs to, the pair that reaches a node, whether it can
 * take a command now, its traffic counters; and the pairs' queues and
 * failure workers, set up at load.
 */
#include <linux/kernel.h>
#include <linux/sched.h>
#include "dvk_rmt.h"

/* The pair whose proxy @current is (@sender: its sproxy, else its rproxy). */
long dvk_rmt_caller_pair(bool sender, struct dvk_proxies **pxp)
{
	struct dvk_proxies *px = dvk_proxy_pair_of(current);
	struct task_struct *t;

	if (!dvs_initialized())
		return EDVSDVSINIT;
	if (!px)
		return EDVSNOPROXY;
	spin_lock(&dvk_dvs.net_lock);
	t = sender ? px->sproxy.task : px->rproxy.task;
	spin_unlock(&dvk_dvs.net_lock);
	if (t != current)
		return EDVSBADCALL;	/* the other proxy of the pair */
	*pxp = px;
	return OK;
}

/* Can @current still use @px?  net_lock held. */
long dvk_rmt_pair_usable_netlocked(struct dvk_proxies *px, bool sender)
{
	struct dvk_pxproc *d = sender ? &px->sproxy : &px->rproxy;

	if (!(px->usr.px_flags & PROXIES_INUSE) || d->task != current)
		return EDVSNOPROXY;
	if (!(px->usr.px_flags & (sender ? PROXIES_SCONNECTED : PROXIES_RCONNECTED)))
		return EDVSNOTCONN;
	return OK;
}

/*
 * The pair that reaches @nodeid, if it can take a command now.  A local
 * caller needs both directions up (it will wait for an answer); an ACK or
 * a reply only the sending one.  net_lock held.
 */
struct dvk_proxies *dvk_rmt_node_pair_netlocked(int nodeid, bool need_both, long *err)
{
	int need = PROXIES_SCONNECTED | (need_both ? PROXIES_RCONNECTED : 0);
	struct dvk_proxies *px;
	int px_nr;

	if (nodeid < 0 || nodeid >= NR_NODES) {
		*err = EDVSBADNODEID;
		return NULL;
	}
	px_nr = dvk_dvs.nodes[nodeid].usr.n_proxies;
	if (dvk_dvs.nodes[nodeid].usr.n_flags == NODE_FREE || px_nr < 0 || px_nr >= NR_NODES) {
		*err = EDVSNOPROXY;
		return NULL;
	}
	px = &dvk_dvs.proxies[px_nr];
	if (!(px->usr.px_flags & PROXIES_INUSE) || !(px->nodemap & (1ULL << nodeid))) {
		*err = EDVSNOPROXY;
		return NULL;
	}
	if ((px->usr.px_flags & need) != need) {
		*err = EDVSNOTCONN;
		return NULL;
	}
	return px;
}

/**
 * dvk_node_connected - is @nodeid reachable both ways through its pair?
 * @nodeid: the node
 *
 * Any context; takes net_lock (so not under it).
 */
bool dvk_node_connected(int nodeid)
{
	long err;
	bool up;

	spin_lock(&dvk_dvs.net_lock);
	up = dvk_rmt_node_pair_netlocked(nodeid, true, &err) != NULL;
	spin_unlock(&dvk_dvs.net_lock);
	return up;
}

void dvk_rmt_stats_add(struct dvk_pxstats *st, u64 bytes, long err)
{
	st->last_ns = local_clock();
	if (err) {
		st->errors++;
		st->last_error = err;
		return;
	}
	st->msgs++;
	st->bytes += bytes;
}

void dvk_rmt_setup(void)
{
	int i;

	for (i = 0; i < NR_NODES; i++) {
		INIT_LIST_HEAD(&dvk_dvs.proxies[i].outq);
		init_waitqueue_head(&dvk_dvs.proxies[i].outq_wq);
		INIT_WORK(&dvk_dvs.proxies[i].fail_work, dvk_rmt_fail_work);
	}
}

void dvk_rmt_teardown(void)
{
	int i;

	for (i = 0; i < NR_NODES; i++)
		flush_work(&dvk_dvs.proxies[i].fail_work);
}
