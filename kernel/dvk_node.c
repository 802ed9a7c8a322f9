// SPDX-License-Identifier: GPL-2.0
/*
 * dvk_node.c - the nodes of the DVS as this host knows them (reference
 * docs/original-dvk.md#node-descriptor): node_up / node_down attach and detach a remote node to a proxy
 * pair, add_node / del_node make it a member of a DC, getnodeinfo reads
 * one.  The local node is always attached and connected (flags 0xE, "E"
 * in /proc/dvs/nodes: docs/original-dvk.md#quirks-are-fixed-not-copied).  A node's n_dcs is computed when read
 * from the DCs' dc_nodes, so it can never disagree with them.
 *
 * Guarded by dvk_dvs.net_lock (a spinlock; views copy under it); control
 * calls also hold dvk_dvs.lock.
 */
#include <linux/kernel.h>
#include <linux/capability.h>
#include <linux/uaccess.h>
#include "dvk_bind.h"
#include "dvk_remote.h"
#include "dvk_trace.h"

static void dvk_node_clear(struct dvk_node *n, int nodeid)
{
	memset(&n->usr, 0, sizeof(n->usr));
	n->usr.n_nodeid = nodeid;
	n->usr.n_flags = NODE_FREE;
	n->usr.n_proxies = -1;
	strscpy(n->usr.n_name, "NONAME", sizeof(n->usr.n_name));
}

/**
 * dvk_nodes_reset - every node free but the local one (dvs_init, dvs_end).
 * @local: the local node id, or -1 when the DVS ends
 */
void dvk_nodes_reset(int local)
{
	int i;

	spin_lock(&dvk_dvs.net_lock);
	for (i = 0; i < NR_NODES; i++)
		dvk_node_clear(&dvk_dvs.nodes[i], i);
	if (local >= 0) {
		struct node_usr *u = &dvk_dvs.nodes[local].usr;

		u->n_flags = NODE_ATTACHED | NODE_SCONNECTED | NODE_RCONNECTED;
		snprintf(u->n_name, sizeof(u->n_name), "node%d", local);
	}
	spin_unlock(&dvk_dvs.net_lock);
}

/**
 * dvk_node_snapshot - copy a node for getnodeinfo and the views.
 * @nodeid: the node (in range)
 * @n:      filled with it; n_dcs from the running DCs
 *
 * Return: whether the node is in use (attached, or the local node).
 */
bool dvk_node_snapshot(int nodeid, struct node_usr *n)
{
	u64 dcs = 0;
	int i;

	spin_lock(&dvk_dvs.net_lock);
	*n = dvk_dvs.nodes[nodeid].usr;
	spin_unlock(&dvk_dvs.net_lock);
	rcu_read_lock();
	for (i = 0; i < NR_DCS; i++) {
		struct dvk_dc *dc = rcu_dereference(dvk_dvs.dcs[i]);

		if (!dc)
			continue;
		spin_lock(&dc->lock);
		if (dc->usr.dc_nodes & (1ULL << nodeid))
			dcs |= 1ULL << i;
		spin_unlock(&dc->lock);
	}
	rcu_read_unlock();
	n->n_dcs = dcs;
	return n->n_flags != NODE_FREE;
}

/* Free the remote descriptors of node @nodeid in @dc.  dvk_dvs.lock held. */
static void unbind_node_slots_ctllocked(struct dvk_dc *dc, int nodeid)
{
	int i;

	spin_lock(&dc->lock);
	for (i = 0; i < dc->nr_slots; i++) {
		struct dvk_proc *p = &dc->procs[i];

		if (dvk_slot_remote(p) && p->usr.p_nodeid == nodeid)
			dvk_unbind_slot_locked(p, DVK_UNBIND_NODE, task_tgid_nr(current));
	}
	spin_unlock(&dc->lock);
}

/*
 * A remote node id named by a call: OK, EDVSDVSINIT or EDVSBADNODEID.
 * dvk_dvs.lock held.
 */
static long remote_node_ok_ctllocked(int nodeid)
{
	if (!dvs_initialized())
		return EDVSDVSINIT;
	if (nodeid < 0 || nodeid >= dvk_dvs.usr.d_nr_nodes ||
	    nodeid == atomic_read(&dvk_dvs.local_nodeid))
		return EDVSBADNODEID;
	return OK;
}

/**
 * dvk_getnodeinfo - getnodeinfo(nodeid, node_usr *).
 * @args: first = node id (-1: the local node), ptr = where to copy it.
 *
 * Return: OK, or EDVSPRIVILEGES, EDVSDVSINIT, EDVSBADNODEID, EDVSFAULT.
 */
long dvk_getnodeinfo(const struct dvk_ipc_args *args)
{
	int nodeid = args->first;
	struct node_usr n;

	if (!capable(CAP_SYS_ADMIN))
		return EDVSPRIVILEGES;
	if (!dvs_initialized())
		return EDVSDVSINIT;
	if (nodeid == -1)
		nodeid = atomic_read(&dvk_dvs.local_nodeid);
	if (nodeid < 0 || nodeid >= READ_ONCE(dvk_dvs.usr.d_nr_nodes))
		return EDVSBADNODEID;
	dvk_node_snapshot(nodeid, &n);
	if (copy_to_user(u64_to_user_ptr(args->ptr), &n, sizeof(n)))
		return EDVSFAULT;
	return OK;
}

/**
 * dvk_node_up - node_up(name, nodeid, px_nr): attach remote node @nodeid,
 * reached through pair @px_nr.  Its connection bits follow the pair's.
 * @args: first = node id, second = pair id, ptr = name (NUL within 16).
 *
 * Return: OK, or EDVSPRIVILEGES, EDVSDVSINIT, EDVSBADNODEID (out of range
 * or local), EDVSBADPROXY, EDVSPROXYFREE, EDVSRSCBUSY (attached through
 * another pair), EDVSFAULT, EDVSNAMESIZE.
 */
long dvk_node_up(const struct dvk_ipc_args *args)
{
	int nodeid = args->first, px_nr = (int)args->second;
	char name[MAXNODENAME];
	struct dvk_proxies *px;
	struct node_usr *u;
	long ret, len;

	if (!capable(CAP_SYS_ADMIN))
		return EDVSPRIVILEGES;
	len = strncpy_from_user(name, u64_to_user_ptr(args->ptr), sizeof(name));
	if (len < 0)
		return EDVSFAULT;
	if (len == sizeof(name))
		return EDVSNAMESIZE;
	if (dvk_ctl_lock())
		return -EINTR;
	ret = remote_node_ok_ctllocked(nodeid);
	if (ret == OK && (px_nr < 0 || px_nr >= dvk_dvs.usr.d_nr_nodes))
		ret = EDVSBADPROXY;
	if (ret)
		goto out;
	px = &dvk_dvs.proxies[px_nr];
	u = &dvk_dvs.nodes[nodeid].usr;
	spin_lock(&dvk_dvs.net_lock);
	if (!(px->usr.px_flags & PROXIES_INUSE)) {
		ret = EDVSPROXYFREE;
	} else if (u->n_flags != NODE_FREE && u->n_proxies != px_nr) {
		ret = EDVSRSCBUSY;
	} else {
		px->nodemap |= 1ULL << nodeid;
		u->n_flags = NODE_ATTACHED |
			     (px->usr.px_flags & PROXIES_SCONNECTED ? NODE_SCONNECTED : 0) |
			     (px->usr.px_flags & PROXIES_RCONNECTED ? NODE_RCONNECTED : 0);
		u->n_proxies = px_nr;
		strscpy(u->n_name, name, sizeof(u->n_name));
		trace_dvk_node_state(nodeid, u->n_flags, px_nr, task_tgid_nr(current));
	}
	spin_unlock(&dvk_dvs.net_lock);
out:
	mutex_unlock(&dvk_dvs.lock);
	return ret;
}

/**
 * dvk_node_down - node_down(nodeid): detach remote node @nodeid: it leaves
 * its pair and every DC; its remote descriptors are freed.  (The original's
 * version never worked, docs/original-dvk.md#quirks-of-the-original.)
 * @args: first = node id.
 *
 * Return: OK, or EDVSPRIVILEGES, EDVSDVSINIT, EDVSBADNODEID, EDVSNODEFREE.
 */
long dvk_node_down(const struct dvk_ipc_args *args)
{
	int nodeid = args->first, i;
	struct node_usr *u;
	long ret;

	ret = dvk_ctl_enter();
	if (ret)
		return ret;
	ret = remote_node_ok_ctllocked(nodeid);
	if (ret)
		goto out;
	/*
	 * Its link is gone for us: whoever waits on it gets EDVSNOTCONN, as
	 * on a disconnect, before its descriptors go (which would say
	 * EDVSSRCDIED / EDVSDSTDIED, as if each endpoint had exited).
	 */
	dvk_rmt_fail_waiters(1ULL << nodeid, EDVSNOTCONN);
	for (i = 0; i < NR_DCS; i++) {
		struct dvk_dc *dc = dvk_dc_get_ctllocked(i);

		if (!dc)
			continue;
		unbind_node_slots_ctllocked(dc, nodeid);
		spin_lock(&dc->lock);
		dc->usr.dc_nodes &= ~(1ULL << nodeid);
		spin_unlock(&dc->lock);
	}
	u = &dvk_dvs.nodes[nodeid].usr;
	spin_lock(&dvk_dvs.net_lock);
	if (u->n_flags == NODE_FREE) {
		ret = EDVSNODEFREE;
	} else {
		if (u->n_proxies >= 0)
			dvk_dvs.proxies[u->n_proxies].nodemap &= ~(1ULL << nodeid);
		dvk_node_clear(&dvk_dvs.nodes[nodeid], nodeid);
		trace_dvk_node_state(nodeid, NODE_FREE, -1, task_tgid_nr(current));
	}
	spin_unlock(&dvk_dvs.net_lock);
out:
	mutex_unlock(&dvk_dvs.lock);
	return ret;
}

/* add_node and del_node: @add selects which. */
static long dc_node(const struct dvk_ipc_args *args, bool add)
{
	int dcid = args->first, nodeid = (int)args->second;
	struct dvk_dc *dc;
	u64 bit = 1ULL << (nodeid & 63);
	long ret;

	ret = dvk_ctl_enter();
	if (ret)
		return ret;
	ret = dvk_dc_running_ctllocked(dcid, false, &dc);
	if (ret == OK)
		ret = remote_node_ok_ctllocked(nodeid);
	if (ret == OK) {
		spin_lock(&dvk_dvs.net_lock);
		if (dvk_dvs.nodes[nodeid].usr.n_flags == NODE_FREE)
			ret = EDVSNODEFREE;
		spin_unlock(&dvk_dvs.net_lock);
	}
	if (ret)
		goto out;
	spin_lock(&dc->lock);
	if (add && (dc->usr.dc_nodes & bit))
		ret = EDVSDCNODE;
	else if (add && hweight64(dc->usr.dc_nodes) >= dc->usr.dc_nr_nodes)
		ret = EDVSRSCBUSY;
	else if (!add && !(dc->usr.dc_nodes & bit))
		ret = EDVSDCNODE;
	else if (add)
		dc->usr.dc_nodes |= bit;
	else
		dc->usr.dc_nodes &= ~bit;
	spin_unlock(&dc->lock);
	if (ret == OK && !add)
		unbind_node_slots_ctllocked(dc, nodeid);	/* its processes leave the DC too */
out:
	mutex_unlock(&dvk_dvs.lock);
	return ret;
}

/**
 * dvk_add_node - add_node(dcid, nodeid): make an attached remote node a
 * member of a DC.
 * @args: first = dcid, second = node id.
 *
 * Return: OK, or EDVSPRIVILEGES, EDVSDVSINIT, EDVSBADDCID, EDVSDCNOTRUN,
 * EDVSBADNODEID, EDVSNODEFREE, EDVSDCNODE (already a member), EDVSRSCBUSY
 * (the DC has dc_nr_nodes members).
 */
long dvk_add_node(const struct dvk_ipc_args *args)
{
	return dc_node(args, true);
}

/**
 * dvk_del_node - del_node(dcid, nodeid): the node leaves the DC.
 * @args: first = dcid, second = node id.
 *
 * Return: as add_node; EDVSDCNODE when it is not a member.
 */
long dvk_del_node(const struct dvk_ipc_args *args)
{
	return dc_node(args, false);
}
