// SPDX-License-Identifier: GPL-2.0
/*
 * dvk_rmt.c - IPC between nodes (reference B.8.1; plan and decisions in
 * docs/design-remote.md): the outgoing queue of each proxy pair, get2rmt
 * (the sender proxy takes the next command), the outgoing send, sendrec,
 * notify and reply, the stand-ins' ACKs, and failing every waiter when a
 * link goes down.  Commands arriving from remote nodes: dvk_put2lcl.c.
 *
 * A slot with a command for a proxy has RMTOPER set and is linked on its
 * pair's outq (px_link): a local caller with its own send/sendrec/notify,
 * or a stand-in (the REMOTE descriptor of a remote process) with an ACK or
 * a reply on behalf of the local process it dealt with.  RMTOPER and the
 * link change together, under the slot's dc->lock and then net_lock.
 *
 * Rendezvous across nodes: a remote sender's message waits on the local
 * destination's sender queue in its stand-in, exactly like a local
 * sender; when it is received (or fails) the stand-in queues the ACK
 * (dvk_rmt_standin_done_locked(), called from dvk_ipc_ready_locked()).  A local caller
 * that sent to a remote endpoint stays SENDING until that ACK comes back;
 * a sendrec stays RECEIVING until the REPLY_MSG comes back.
 */
#include <linux/kernel.h>
#include <linux/uaccess.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include "dvk_bind.h"
#include "dvk_ipc.h"
#include "dvk_remote.h"
#include "dvk_rmt.h"
#include "dvk_views.h"
#include "dvk_trace.h"

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

/* Wait condition of get2rmt: the pair went away or down (lockless peek). */
static bool pair_gone(struct dvk_proxies *px)
{
	int f = READ_ONCE(px->usr.px_flags);

	return !(f & PROXIES_INUSE) || !(f & PROXIES_SCONNECTED) ||
	       READ_ONCE(px->sproxy.task) != current;
}

/*
 * The pair that reaches @nodeid, if it can take a command now.  A local
 * caller needs both directions up (it will wait for an answer); an ACK or
 * a reply only the sending one.  net_lock held.
 */
static struct dvk_proxies *node_pair_netlocked(int nodeid, bool need_both, long *err)
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
	up = node_pair_netlocked(nodeid, true, &err) != NULL;
	spin_unlock(&dvk_dvs.net_lock);
	return up;
}

/* A header for the command @p sends to @dst on node @dnode. */
void dvk_rmt_header_locked(struct dvk_proc *p, int cmd, int src, int dst, int dnode, u64 id)
{
	memset(&p->rmtcmd, 0, sizeof(p->rmtcmd));
	p->rmtcmd.c_cmd = cmd;
	p->rmtcmd.c_dcid = p->dc->usr.dc_dcid;
	p->rmtcmd.c_src = src;
	p->rmtcmd.c_dst = dst;
	p->rmtcmd.c_snode = atomic_read(&dvk_dvs.local_nodeid);
	p->rmtcmd.c_dnode = dnode;
	p->rmtcmd.c_snd_seq = id;
}

/*
 * Queue slot @p, its rmtcmd filled, for the pair that reaches c_dnode.
 * dc->lock held.  Return: OK, EDVSNOPROXY, EDVSNOTCONN or EDVSBADNODEID.
 */
long dvk_rmt_enqueue_locked(struct dvk_proc *p, bool need_both)
{
	struct dvk_proxies *px;
	long ret = OK;

	spin_lock(&dvk_dvs.net_lock);
	px = node_pair_netlocked(p->rmtcmd.c_dnode, need_both, &ret);
	if (px) {
		list_add_tail(&p->px_link, &px->outq);
		px->outq_len++;
		p->px_nr = dvk_px_index(px);
		p->px_queued_ns = local_clock();
		p->usr.p_rts_flags |= RMTOPER;
		trace_dvk_rmt_enqueue(dvk_px_index(px), &p->rmtcmd, p->rmtcmd.c_snd_seq,
				      p->rmtcmd.c_dnode, px->outq_len);
		wake_up(&px->outq_wq);
	}
	spin_unlock(&dvk_dvs.net_lock);
	return ret;
}

/* A payload of @len bytes with one reference, or NULL. */
struct dvk_payload *dvk_payload_alloc(size_t len)
{
	struct dvk_payload *pl = kvmalloc(struct_size(pl, data, len), GFP_KERNEL);

	if (pl) {
		refcount_set(&pl->ref, 1);
		pl->task = NULL;
	}
	return pl;
}

/* A payload read from @t's memory at @addr when sent, or NULL. */
struct dvk_payload *dvk_payload_of_task(struct task_struct *t, unsigned long addr)
{
	struct dvk_payload *pl = kmalloc(sizeof(*pl), GFP_KERNEL);

	if (pl) {
		refcount_set(&pl->ref, 1);
		pl->task = get_task_struct(t);
		pl->addr = addr;
	}
	return pl;
}

void dvk_payload_put(struct dvk_payload *pl)
{
	if (!pl || !refcount_dec_and_test(&pl->ref))
		return;
	if (pl->task)
		put_task_struct(pl->task);
	kvfree(pl);
}

/* Copy @len bytes at @off of @pl to @dst (the proxy's buffer): OK or EDVSFAULT. */
long dvk_payload_to_user(struct dvk_payload *pl, s64 off, void __user *dst, size_t len)
{
	if (pl->task)
		return dvk_task_read_user(pl->task, pl->addr + off, dst, len);
	return copy_to_user(dst, pl->data + off, len) ? EDVSFAULT : OK;
}

/**
 * dvk_rmt_unlink_locked - take a slot with RMTOPER off its pair's outq.
 * @p: the slot; dc->lock held
 */
void dvk_rmt_unlink_locked(struct dvk_proc *p)
{
	struct dvk_proxies *px = &dvk_dvs.proxies[p->px_nr];

	spin_lock(&dvk_dvs.net_lock);
	list_del_init(&p->px_link);
	px->outq_len--;
	spin_unlock(&dvk_dvs.net_lock);
	p->usr.p_rts_flags &= ~RMTOPER;
	dvk_payload_put(p->rmt_payload);	/* get2rmt may still hold a reference */
	p->rmt_payload = NULL;
	p->rmt_total = 0;
	p->rmt_sent = 0;
}

/*
 * The oldest command of @px, its DC pinned (drop with dvk_dc_put()), or
 * NULL when the queue is empty.  Lock its dc->lock, then check
 * still_queued_locked(): it may have left meanwhile.  Process context (the last
 * unpin may free the DC).
 */
static struct dvk_proc *pin_head(struct dvk_proxies *px)
{
	struct dvk_proc *p;
	bool pinned;

	for (;;) {
		spin_lock(&dvk_dvs.net_lock);
		p = list_first_entry_or_null(&px->outq, struct dvk_proc, px_link);
		/* a linked slot's DC is running: its table holds a reference */
		pinned = p && refcount_inc_not_zero(&p->dc->users);
		spin_unlock(&dvk_dvs.net_lock);
		if (!p || pinned)
			return p;
		cpu_relax();
	}
}

/* Is @p still on @px's queue?  dc->lock held: it stays so until dropped. */
static bool still_queued_locked(const struct dvk_proc *p, const struct dvk_proxies *px)
{
	return (p->usr.p_rts_flags & RMTOPER) && p->px_nr == dvk_px_index(px);
}

/*
 * The sender proxy took a chunk of @p's streamed copy and more remain: @p
 * goes to the back of the queue (other commands are not held up by a long
 * copy).  dc->lock held.
 */
static void rmt_requeue_locked(struct dvk_proc *p, struct dvk_proxies *px)
{
	spin_lock(&dvk_dvs.net_lock);
	list_move_tail(&p->px_link, &px->outq);
	p->px_queued_ns = local_clock();
	spin_unlock(&dvk_dvs.net_lock);
}

/*
 * Fill @c (a copy of @p's header) with the next chunk of @p's streamed
 * copy, its data at @off in the payload; advance the stream.  Return:
 * whether chunks remain after this one.  dc->lock held.
 */
static bool rmt_next_chunk_locked(struct dvk_proc *p, struct dvk_proxies *px, cmd_t *c, s64 *off)
{
	s64 n = min_t(s64, READ_ONCE(px->usr.px_maxbytes), READ_ONCE(dvk_dvs.usr.d_max_copybuf));

	n = clamp_t(s64, p->rmt_total - p->rmt_sent, 1, max_t(s64, n, 1));
	c->c_vcopy.v_saddr += p->rmt_sent;
	c->c_vcopy.v_daddr += p->rmt_sent;
	c->c_vcopy.v_bytes = n;
	c->c_len = (int)n;
	*off = p->rmt_sent;
	p->rmt_sent += n;
	if (p->rmt_sent >= p->rmt_total)
		return false;
	c->c_flags |= CMD_FLAG_MORE;
	return true;
}

/*
 * The sender proxy took @p's command: the caller now waits for the answer
 * (send: the ACK, sendrec: the reply), a notify is done.  dc->lock held.
 * Return: the slot to wake after unlocking, or NULL.
 */
static struct dvk_proc *rmt_taken_locked(struct dvk_proc *p)
{
	dvk_rmt_unlink_locked(p);
	if (dvk_slot_remote(p))
		return NULL;	/* a stand-in's ACK or reply: nothing waits for it */
	p->usr.p_rmtsent++;
	switch (p->rmtcmd.c_cmd) {
	case CMD_SNDREC_MSG:
		p->usr.p_rts_flags &= ~SENDING;	/* the request left; RECEIVING stays */
		return NULL;
	case CMD_NTFY_MSG:
		p->usr.p_sendto = NONE;
		return dvk_ipc_ready_locked(p, SENDING, OK);
	default:
		return NULL;	/* SEND_MSG: SENDING until the SEND_ACK */
	}
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

/**
 * dvk_get2rmt - get2rmt(header *, payload *, timeout_ms): the sender
 * proxy takes the next command for its nodes (oldest first).
 * @args: second = where the header goes, third = payload buffer (at least
 *        the pair's maxbytes; message commands carry none, c_len = 0),
 *        fifth = how long to wait for one (the proxy's heartbeat period;
 *        < 0 forever).
 *
 * Return: OK, EDVSTIMEDOUT (nothing to send: send a heartbeat), or
 * EDVSDVSINIT, EDVSNOPROXY (not a proxy, or the pair was freed),
 * EDVSBADCALL (the receiver proxy), EDVSNOTCONN (the pair's sender side is
 * not connected), EDVSFAULT, -EINTR.
 */
long dvk_get2rmt(const struct dvk_ipc_args *args)
{
	cmd_t __user *uh = u64_to_user_ptr(args->second);
	void __user *upay = u64_to_user_ptr(args->third);
	long timeout_ms = (long)args->fifth, ret, left;
	long jif = timeout_ms < 0 ? MAX_SCHEDULE_TIMEOUT : msecs_to_jiffies(timeout_ms);
	struct dvk_proc *p, *wake;
	struct dvk_proxies *px;
	struct dvk_payload *pl;
	bool more;
	int node;
	cmd_t c;
	u64 waited;
	s64 off;

	ret = dvk_rmt_caller_pair(true, &px);
	if (ret)
		return ret;
	if (clear_user(uh, sizeof(*uh)))
		return EDVSFAULT;	/* checked before a command is taken */
	for (;;) {
		spin_lock(&dvk_dvs.net_lock);
		ret = dvk_rmt_pair_usable_netlocked(px, true);
		spin_unlock(&dvk_dvs.net_lock);
		if (ret)
			return ret;
		p = pin_head(px);
		if (p) {
			spin_lock(&p->dc->lock);
			if (still_queued_locked(p, px))
				break;
			spin_unlock(&p->dc->lock);
			dvk_dc_put(p->dc);
			continue;
		}
		if (timeout_ms == 0)
			return EDVSTIMEDOUT;
		left = wait_event_interruptible_timeout(px->outq_wq,
				!list_empty_careful(&px->outq) ||
				pair_gone(px), jif);
		if (left < 0)
			return -EINTR;
		if (left == 0)
			return EDVSTIMEDOUT;
		if (jif != MAX_SCHEDULE_TIMEOUT)
			jif = left;
	}
	c = p->rmtcmd;
	more = false;
	off = 0;
	pl = p->rmt_payload;
	if (p->rmt_total > 0 && pl)
		more = rmt_next_chunk_locked(p, px, &c, &off);
	else if (c.c_len <= 0 || !pl)
		c.c_len = 0;
	if (c.c_len > 0)	/* copied to the proxy below, outside the locks */
		refcount_inc(&pl->ref);
	else
		pl = NULL;
	c.c_pid = p->task ? task_tgid_nr(p->task) : 0;
	waited = dvk_clock_since(p->px_queued_ns);
	c.c_timestamp.tv_sec = ktime_get_real_seconds();
	wake = NULL;
	if (more)
		rmt_requeue_locked(p, px);
	else
		wake = rmt_taken_locked(p);
	node = c.c_dnode;
	spin_lock(&dvk_dvs.net_lock);
	dvk_rmt_stats_add(&px->st[DVK_PX_OUT], sizeof(c) + c.c_len, OK);
	px->sproxy.usr.p_rmtsent++;
	if (node >= 0 && node < NR_NODES) {
		dvk_dvs.nodes[node].usr.n_pxsent++;
		dvk_dvs.nodes[node].usr.n_stimestamp = ktime_get_real_seconds();
	}
	spin_unlock(&dvk_dvs.net_lock);
	trace_dvk_rmt_get(dvk_px_index(px), &c, c.c_snd_seq, node, waited);
	spin_unlock(&p->dc->lock);
	dvk_ipc_wake_unlocked(wake);
	dvk_dc_put(p->dc);
	/*
	 * A chunk that cannot be read (the requester's memory went away) goes
	 * out without its data, carrying EDVSFAULT: the copy's remote end
	 * answers it with that error, so the requester does not wait in vain.
	 */
	if (pl && dvk_payload_to_user(pl, off, upay, c.c_len)) {
		c.c_rcode = EDVSFAULT;
		c.c_len = 0;
	}
	dvk_payload_put(pl);
	return copy_to_user(uh, &c, sizeof(c)) ? EDVSFAULT : OK;
}

/**
 * dvk_rmt_standin_done_locked - a stand-in's message was received, or failed.
 * @s:     the stand-in (a REMOTE slot); dc->lock held
 * @rcode: the result for the remote caller
 *
 * Called by dvk_ipc_ready_locked() whenever a stand-in loses blocking bits: once
 * it neither sends nor waits for a reply any more, its remote caller gets
 * the ACK (SEND_ACK; SNDREC_ACK only for a sendrec that failed: a
 * successful one is answered by the reply).
 */
void dvk_rmt_standin_done_locked(struct dvk_proc *s, long rcode)
{
	int op = s->rmt_op;

	if (!op || (s->usr.p_rts_flags & (SENDING | RECEIVING | RMTOPER)))
		return;
	s->rmt_op = 0;
	dvk_rmt_header_locked(s, op == CMD_SNDREC_MSG ? CMD_SNDREC_ACK : CMD_SEND_ACK, s->rmt_peer,
		   s->usr.p_endpoint, s->usr.p_nodeid, s->msg_id);
	s->rmtcmd.c_rcode = (int)rcode;
	/* no pair: the ACK is lost, and the link's loss fails the remote caller */
	dvk_rmt_enqueue_locked(s, false);
}

/*
 * Stand-in @s waited for @me's answer to its remote caller's sendrec, and
 * @me answers now (a reply, or a send or sendrec that a server uses as its
 * answer, as many original programs do: locally such a message is taken as
 * the reply too).  The stand-in stops waiting, so the caller's next request
 * finds it free.  dc->lock held.
 */
static void standin_answered_locked(struct dvk_proc *me, struct dvk_proc *s)
{
	if (!dvk_ipc_accepts_locked(s, me->usr.p_endpoint, false) || s->recv_kind != DVK_RECV_REPLY ||
	    s->usr.p_getfrom != me->usr.p_endpoint)
		return;
	s->usr.p_rts_flags &= ~RECEIVING;
	s->usr.p_getfrom = NONE;
	s->rmt_op = 0;
}

/**
 * dvk_rmt_send_locked - send or sendrec from a local caller to remote @d.
 * @me:  the caller; dc->lock held (dropped while it sleeps)
 * @d:   the destination's REMOTE descriptor
 * @m:   the message
 * @cmd: CMD_SEND_MSG or CMD_SNDREC_MSG
 * @timeout_ms: for the whole call (0: EDVSAGAIN)
 *
 * Rendezvous across nodes: a send returns when the remote node's ACK says
 * the destination received it (or with the remote error), a sendrec when
 * the reply came.  me->msg holds the reply.
 */
long dvk_rmt_send_locked(struct dvk_proc *me, struct dvk_proc *d, const message *m, int cmd,
		  long timeout_ms)
{
	bool rec = cmd == CMD_SNDREC_MSG;
	int mask = SENDING | (rec ? RECEIVING : 0);
	u64 id;
	long ret;

	if ((d->usr.p_rts_flags & SENDING) && d->usr.p_sendto == me->usr.p_endpoint)
		return EDVSLOCKED;	/* its stand-in waits for us to receive */
	if (timeout_ms == 0)
		return EDVSAGAIN;	/* a remote answer is always waited for */
	id = dvk_ipc_next_id();
	dvk_rmt_header_locked(me, cmd, me->usr.p_endpoint, d->usr.p_endpoint, d->usr.p_nodeid, id);
	me->rmtcmd.c_msg = *m;
	me->rmtcmd.c_msg.m_source = me->usr.p_endpoint;
	me->msg_id = id;
	ret = dvk_rmt_enqueue_locked(me, true);
	if (ret)
		return ret;
	standin_answered_locked(me, d);
	me->usr.p_rts_flags |= mask;
	me->usr.p_sendto = d->usr.p_endpoint;
	if (rec) {
		me->usr.p_getfrom = d->usr.p_endpoint;
		me->recv_kind = DVK_RECV_REPLY;
	}
	trace_dvk_msg_send(me->dc->usr.dc_dcid, id, me->usr.p_endpoint, d->usr.p_endpoint, true, 0);
	return dvk_ipc_sleep_locked(me, mask, timeout_ms, NULL);
}

/**
 * dvk_rmt_reply_locked - reply from a local server to the stand-in @s of a
 * remote sendrec caller.  Like a local reply it never blocks: @s must be
 * waiting for exactly the caller's reply (EDVSPROCSTS otherwise), and the
 * reply leaves through the stand-in.
 * @me: the server; dc->lock held
 * @s:  the stand-in
 * @m:  the reply
 */
long dvk_rmt_reply_locked(struct dvk_proc *me, struct dvk_proc *s, const message *m)
{
	u64 id;
	long ret;

	if (!(dvk_ipc_accepts_locked(s, me->usr.p_endpoint, false) &&
	      s->usr.p_getfrom == me->usr.p_endpoint))
		return EDVSPROCSTS;
	standin_answered_locked(me, s);
	id = dvk_ipc_next_id();
	dvk_rmt_header_locked(s, CMD_REPLY_MSG, me->usr.p_endpoint, s->usr.p_endpoint,
			      s->usr.p_nodeid, id);
	s->rmtcmd.c_msg = *m;
	s->rmtcmd.c_msg.m_source = me->usr.p_endpoint;
	ret = dvk_rmt_enqueue_locked(s, false);
	if (ret == OK) {
		me->usr.p_rmtsent++;
		trace_dvk_msg_send(me->dc->usr.dc_dcid, id, me->usr.p_endpoint,
				   s->usr.p_endpoint, true, 0);
	}
	return ret;
}

/**
 * dvk_rmt_notify_locked - notify from a local caller to remote @d: the caller
 * waits only until its sender proxy has taken the command (no ACK).
 * @me:    the caller; dc->lock held (dropped while it sleeps)
 * @d:     the destination's REMOTE descriptor
 * @value: update bit 0..31, else none
 */
long dvk_rmt_notify_locked(struct dvk_proc *me, struct dvk_proc *d, int value)
{
	u64 id = dvk_ipc_next_id();
	long ret;

	dvk_rmt_header_locked(me, CMD_NTFY_MSG, me->usr.p_endpoint, d->usr.p_endpoint,
			      d->usr.p_nodeid, id);
	me->rmtcmd.c_rcode = value >= 0 && value < 32 ? value : -1;
	me->msg_id = id;
	ret = dvk_rmt_enqueue_locked(me, false);
	if (ret)
		return ret;
	me->usr.p_rts_flags |= SENDING;
	me->usr.p_sendto = d->usr.p_endpoint;
	trace_dvk_notify(me->dc->usr.dc_dcid, id, me->usr.p_endpoint, d->usr.p_endpoint,
			 DVK_NOTIFY_REMOTE, 0);
	return dvk_ipc_sleep_locked(me, SENDING, TIMEOUT_FOREVER, NULL);
}

/* Is @ep a remote endpoint of @dc on one of the nodes of @nodemap?  dc->lock held. */
static bool on_nodes_locked(struct dvk_dc *dc, int ep, u64 nodemap)
{
	struct dvk_proc *q;

	if (!ep_in_range(dc, ep))
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

	while ((p = pin_head(px))) {
		dc = p->dc;
		wake = NULL;
		spin_lock(&dc->lock);
		if (!still_queued_locked(p, px)) {
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
static void fail_work_fn(struct work_struct *w)
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

void dvk_rmt_setup(void)
{
	int i;

	for (i = 0; i < NR_NODES; i++) {
		INIT_LIST_HEAD(&dvk_dvs.proxies[i].outq);
		init_waitqueue_head(&dvk_dvs.proxies[i].outq_wq);
		INIT_WORK(&dvk_dvs.proxies[i].fail_work, fail_work_fn);
	}
}

void dvk_rmt_teardown(void)
{
	int i;

	for (i = 0; i < NR_NODES; i++)
		flush_work(&dvk_dvs.proxies[i].fail_work);
}

/**
 * dvk_rmt_pair_row - copy a pair for the debugfs proxies view.
 * @px_nr: the pair
 * @r:     filled in
 *
 * Return: whether the pair is in use.  Copied under net_lock, which no
 * sleeping path holds, so the view stays readable while callers are stuck.
 */
bool dvk_rmt_pair_row(int px_nr, struct dvk_pair_row *r)
{
	struct dvk_proxies *px = &dvk_dvs.proxies[px_nr];
	struct dvk_proc *head;

	spin_lock(&dvk_dvs.net_lock);
	r->flags = px->usr.px_flags;
	memcpy(r->name, px->usr.px_name, sizeof(r->name));
	r->name[sizeof(r->name) - 1] = '\0';
	r->nodemap = px->nodemap;
	r->queued = px->outq_len;
	head = list_first_entry_or_null(&px->outq, struct dvk_proc, px_link);
	r->oldest_ns = head ? head->px_queued_ns : 0;
	r->st[DVK_PX_OUT] = px->st[DVK_PX_OUT];
	r->st[DVK_PX_IN] = px->st[DVK_PX_IN];
	r->refused = px->refused;
	spin_unlock(&dvk_dvs.net_lock);
	return r->flags & PROXIES_INUSE;
}
