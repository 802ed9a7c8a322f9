// SPDX-License-Identifier: GPL-2.0
/*
 * dvk_waits.c - who waits on whom: the wait-for edge of a slot, the
 * debugfs view dvk/waits (format in docs/proc-debugfs.md) and the
 * dvk_wait_cycle event.
 *
 * Each waiting slot waits on at most one peer of its DC, so the waits of
 * one node form a functional graph: a cycle is a deadlock that only the
 * timeouts end.  The kernel refuses no cycle but the two-slot one a send
 * would make with a destination queued sending to the caller (EDVSLOCKED,
 * docs/design-core.md "Deadlocks"); it only reports the others: the
 * event when a wait closes one, the view for the tools (dvkctl waits,
 * dvktop) that also merge the views of several nodes.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include "dvk_ipc.h"
#include "dvk_views.h"
#include "dvk_trace.h"

/* The WAIT column; the order of lib/dvkview/waits.h's enum dvk_wait_kind. */
enum dvk_wait_kind {
	DVK_WAIT_SEND = 0,
	DVK_WAIT_SENDREC,
	DVK_WAIT_REPLY,
	DVK_WAIT_RECEIVE,
	DVK_WAIT_NOTIFY,
	DVK_WAIT_MIGRATE,
};

static const char *const wait_kind_names[] = {
	[DVK_WAIT_SEND] = "send",	[DVK_WAIT_SENDREC] = "sendrec",
	[DVK_WAIT_REPLY] = "reply",	[DVK_WAIT_RECEIVE] = "receive",
	[DVK_WAIT_NOTIFY] = "notify",	[DVK_WAIT_MIGRATE] = "migrate",
};

/*
 * What bound slot @p waits for and on whom (*@peer: an endpoint, or ANY).
 * dc->lock held.  Return: enum dvk_wait_kind, or -1 when it does not wait.
 */
static int wait_kind_locked(const struct dvk_proc *p, int *peer)
{
	int f = p->usr.p_rts_flags;

	if (f & WAITMIGR) {
		*peer = p->usr.p_waitmigr;
		return DVK_WAIT_MIGRATE;
	}
	if ((f & (SENDING | RECEIVING)) == (SENDING | RECEIVING)) {
		*peer = p->usr.p_sendto;
		return DVK_WAIT_SENDREC;
	}
	if (f & SENDING) {
		*peer = p->usr.p_sendto;
		/* a remote notify waits for its sender proxy only while queued */
		return (f & RMTOPER) && !(f & REMOTE) && p->rmtcmd.c_cmd == CMD_NTFY_MSG ?
			DVK_WAIT_NOTIFY : DVK_WAIT_SEND;
	}
	if (f & RECEIVING) {
		*peer = p->usr.p_getfrom;
		return p->recv_kind == DVK_RECV_REPLY ? DVK_WAIT_REPLY : DVK_WAIT_RECEIVE;
	}
	return -1;
}

/* The node of a bound slot: this one, or a remote process's. */
static int slot_node(const struct dvk_proc *p)
{
	return dvk_slot_remote(p) ? p->usr.p_nodeid : atomic_read(&dvk_dvs.local_nodeid);
}

/* The slot bound as endpoint @ep in @dc, or NULL (ANY, free, another endpoint). */
static struct dvk_proc *bound_slot_locked(struct dvk_dc *dc, int ep)
{
	struct dvk_proc *q;

	if (!dvk_ep_in_range(dc, ep))
		return NULL;
	q = dvk_slot(dc, _ENDPOINT_P(ep));
	return dvk_slot_bound(q) && q->usr.p_endpoint == ep ? q : NULL;
}

/**
 * dvk_wait_peer_node_locked - the node of the slot bound as @peer in @dc.
 * @dc:   the DC; its lock held
 * @peer: an endpoint, or ANY
 *
 * Return: this node's id for a local process, p_nodeid for a remote
 * process's descriptor, -1 for ANY or a free slot.
 */
int dvk_wait_peer_node_locked(struct dvk_dc *dc, int peer)
{
	struct dvk_proc *q = bound_slot_locked(dc, peer);

	return q ? slot_node(q) : -1;
}

/* The slot @p waits on in its DC, or NULL (not waiting, ANY, gone). */
static struct dvk_proc *waits_on_locked(const struct dvk_proc *p)
{
	int peer;

	if (wait_kind_locked(p, &peer) < 0)
		return NULL;
	return bound_slot_locked(p->dc, peer);
}

/*
 * Does @p's new wait close a cycle of its DC?  Walk the waits from its peer,
 * at most nr_slots steps (a chain that loops without @p ends there).
 * dc->lock held; runs only while dvk_wait_cycle is enabled.
 */
static void wait_cycle_check_locked(struct dvk_proc *p)
{
	int eps[DVK_WAIT_CYCLE_EPS] = { 0 }, nodes[DVK_WAIT_CYCLE_EPS] = { 0 };
	struct dvk_proc *cur = p, *next;
	int len = 0;

	do {
		next = waits_on_locked(cur);
		if (!next)
			return;
		if (len < DVK_WAIT_CYCLE_EPS) {
			eps[len] = cur->usr.p_endpoint;
			nodes[len] = slot_node(cur);
		}
		len++;
		cur = next;
	} while (cur != p && len < p->dc->nr_slots);
	if (cur != p)
		return;
	trace_dvk_wait_cycle(p->dc->usr.dc_dcid, len, eps, nodes);
}

/**
 * dvk_wait_begin_locked - slot @p starts a wait (its flags and peer set).
 * @p: a local caller about to sleep, or a stand-in now queued at or
 *     waiting for a local peer; dc->lock held
 *
 * Records when, for dvk/waits; with dvk_wait_cycle enabled, reports a
 * cycle this wait closes.
 */
void dvk_wait_begin_locked(struct dvk_proc *p)
{
	p->wait_since_ns = local_clock();	/* cheap: not the HPET under TCG */
	if (trace_dvk_wait_cycle_enabled())
		wait_cycle_check_locked(p);
}

/* A copy of one waiting slot, taken under its DC's lock. */
struct wait_row {
	int dcid, ep, node, pid, kind, peer, peer_node;
	u64 since_ns, msg_id;
	char name[MAXPROCNAME];
};

/* Copy the waiting slots of the DC published as @dcid into @rows (room for @cap). */
static int waits_snapshot(int dcid, struct wait_row *rows, int cap)
{
	struct dvk_dc *dc;
	int i, n = 0;

	rcu_read_lock();
	dc = rcu_dereference(dvk_dvs.dcs[dcid]);
	if (!dc)
		goto out;
	spin_lock(&dc->lock);
	for (i = 0; i < dc->nr_slots && n < cap; i++) {
		struct dvk_proc *p = &dc->procs[i];
		struct wait_row *r = &rows[n];

		if (!dvk_slot_bound(p))
			continue;
		r->kind = wait_kind_locked(p, &r->peer);
		if (r->kind < 0)
			continue;
		r->dcid = dc->usr.dc_dcid;
		r->ep = p->usr.p_endpoint;
		r->node = slot_node(p);
		r->pid = p->task ? p->usr.p_lpid : -1;
		r->peer_node = dvk_wait_peer_node_locked(dc, r->peer);
		r->since_ns = p->wait_since_ns;
		/* receive and migrate wait with no message of their own */
		r->msg_id = r->kind == DVK_WAIT_RECEIVE || r->kind == DVK_WAIT_MIGRATE ? 0 : p->msg_id;
		memcpy(r->name, p->usr.p_name, sizeof(r->name));
		r->name[sizeof(r->name) - 1] = '\0';
		n++;
	}
	spin_unlock(&dc->lock);
out:
	rcu_read_unlock();
	return n;
}

/*
 * waits: one line per waiting slot of every running DC, local processes
 * and stand-ins.  Each DC's rows are copied under its lock, then printed:
 * the file stays readable while everybody in it is blocked.
 */
static int waits_show(struct seq_file *m, void *v)
{
	const int cap = NR_TASKS + NR_PROCS;	/* the most slots a DC can have */
	struct wait_row *rows;
	int dcid, n, i;
	char peer[12];
	u64 now;

	rows = kvmalloc_array(cap, sizeof(*rows), GFP_KERNEL);
	if (!rows)
		return -ENOMEM;
	seq_puts(m, "DC    EP NODE     PID WAIT     PEER PNODE  WAITED_MS               MSG_ID NAME\n");
	for (dcid = 0; dcid < NR_DCS; dcid++) {
		n = waits_snapshot(dcid, rows, cap);
		now = local_clock();
		for (i = 0; i < n; i++) {
			struct wait_row *r = &rows[i];

			if (r->peer == ANY)
				strscpy(peer, "ANY", sizeof(peer));
			else
				snprintf(peer, sizeof(peer), "%d", r->peer);
			seq_printf(m, "%2d %5d %4d %7d %-8s %5s %5d %10llu %20llu %s\n", r->dcid,
				   r->ep, r->node, r->pid, wait_kind_names[r->kind], peer,
				   r->peer_node, (now > r->since_ns ? now - r->since_ns : 0) / NSEC_PER_MSEC,
				   r->msg_id, r->name);
		}
		cond_resched();
	}
	kvfree(rows);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(waits);

void dvk_debugfs_waits_create(struct dentry *dir)
{
	debugfs_create_file("waits", 0444, dir, NULL, &waits_fops);
}
