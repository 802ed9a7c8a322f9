// SPDX-License-Identifier: GPL-2.0
/*
 * dvk_rmt_queue.c - the outgoing queue of each proxy pair and get2rmt,
 * with which the sender proxy takes the next command: a slot joins its
 * pair's outq (dvk_rmt_enqueue_locked) with RMTOPER set, and leaves it
 * when get2rmt takes its command (a streamed copy: its last chunk) or
 * when its wait ends otherwise (dvk_rmt_unlink_locked).
 */
#include <linux/kernel.h>
#include <linux/uaccess.h>
#include <linux/sched/signal.h>
#include "dvk_rmt.h"
#include "dvk_trace.h"

/*
 * Queue slot @p, its rmtcmd filled, for the pair that reaches c_dnode.
 * dc->lock held.  Return: OK, EDVSNOPROXY, EDVSNOTCONN or EDVSBADNODEID.
 */
long dvk_rmt_enqueue_locked(struct dvk_proc *p, bool need_both)
{
	struct dvk_proxies *px;
	long ret = OK;

	spin_lock(&dvk_dvs.net_lock);
	px = dvk_rmt_node_pair_netlocked(p->rmtcmd.c_dnode, need_both, &ret);
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
 * dvk_rmt_still_queued_locked(): it may have left meanwhile.  Process context (the last
 * unpin may free the DC).
 */
struct dvk_proc *dvk_rmt_pin_head(struct dvk_proxies *px)
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
bool dvk_rmt_still_queued_locked(const struct dvk_proc *p, const struct dvk_proxies *px)
{
	return (p->usr.p_rts_flags & RMTOPER) && p->px_nr == dvk_px_index(px);
}

/* Wait condition of get2rmt: the pair went away or down (lockless peek). */
static bool pair_gone(struct dvk_proxies *px)
{
	int f = READ_ONCE(px->usr.px_flags);

	return !(f & PROXIES_INUSE) || !(f & PROXIES_SCONNECTED) ||
	       READ_ONCE(px->sproxy.task) != current;
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

/*
 * Wait for a command on @px: OK with *@pp set to the oldest, its DC pinned
 * (drop with dvk_dc_put()); the caller locks it and checks it is still
 * queued.  Or EDVSTIMEDOUT, -EINTR, or why the pair cannot be used any
 * more.  @timeout_ms 0 does not wait; *@jif is what is left of the wait
 * (MAX_SCHEDULE_TIMEOUT: for ever), shared by the caller's retries.
 */
static long wait_head(struct dvk_proxies *px, long timeout_ms, long *jif, struct dvk_proc **pp)
{
	long ret, left;

	for (;;) {
		spin_lock(&dvk_dvs.net_lock);
		ret = dvk_rmt_pair_usable_netlocked(px, true);
		spin_unlock(&dvk_dvs.net_lock);
		if (ret)
			return ret;
		*pp = dvk_rmt_pin_head(px);
		if (*pp)
			return OK;
		if (timeout_ms == 0)
			return EDVSTIMEDOUT;
		left = wait_event_interruptible_timeout(px->outq_wq,
				!list_empty_careful(&px->outq) || pair_gone(px), *jif);
		if (left < 0)
			return -EINTR;
		if (left == 0)
			return EDVSTIMEDOUT;
		if (*jif != MAX_SCHEDULE_TIMEOUT)
			*jif = left;
	}
}

/* What get2rmt hands the sender proxy: a header, and maybe a chunk of data. */
struct taken_cmd {
	cmd_t c;
	struct dvk_payload *pl;	/* a reference, or NULL when c.c_len is 0 */
	s64 off;		/* where in @pl the chunk starts */
	u64 waited_ns;		/* how long the command was queued */
};

/*
 * Take @p's command (a streamed copy: its next chunk) into @t; @p leaves
 * the queue, or goes to its back while chunks remain.  dc->lock held.
 * Return: the slot to wake after unlocking, or NULL.
 */
static struct dvk_proc *take_head_locked(struct dvk_proc *p, struct dvk_proxies *px,
					 struct taken_cmd *t)
{
	bool more = false;

	t->c = p->rmtcmd;
	t->off = 0;
	t->pl = p->rmt_payload;
	if (p->rmt_total > 0 && t->pl)
		more = rmt_next_chunk_locked(p, px, &t->c, &t->off);
	else if (t->c.c_len <= 0 || !t->pl)
		t->c.c_len = 0;
	if (t->c.c_len > 0)	/* copied to the proxy outside the locks */
		refcount_inc(&t->pl->ref);
	else
		t->pl = NULL;
	t->c.c_pid = p->task ? task_tgid_nr(p->task) : 0;
	t->waited_ns = dvk_clock_since(p->px_queued_ns);
	t->c.c_timestamp.tv_sec = ktime_get_real_seconds();
	if (more) {
		rmt_requeue_locked(p, px);
		return NULL;
	}
	return rmt_taken_locked(p);
}

/* Count command @c out through @px, to its node. */
static void count_sent(struct dvk_proxies *px, const cmd_t *c)
{
	int node = c->c_dnode;

	spin_lock(&dvk_dvs.net_lock);
	dvk_rmt_stats_add(&px->st[DVK_PX_OUT], sizeof(*c) + c->c_len, OK);
	px->sproxy.usr.p_rmtsent++;
	if (node >= 0 && node < NR_NODES) {
		dvk_dvs.nodes[node].usr.n_pxsent++;
		dvk_dvs.nodes[node].usr.n_stimestamp = ktime_get_real_seconds();
	}
	spin_unlock(&dvk_dvs.net_lock);
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
	long timeout_ms = (long)args->fifth, ret;
	long jif = timeout_ms < 0 ? MAX_SCHEDULE_TIMEOUT : msecs_to_jiffies(timeout_ms);
	struct dvk_proc *p, *wake;
	struct dvk_proxies *px;
	struct taken_cmd t;

	ret = dvk_rmt_caller_pair(true, &px);
	if (ret)
		return ret;
	if (clear_user(uh, sizeof(*uh)))
		return EDVSFAULT;	/* checked before a command is taken */
	for (;;) {
		ret = wait_head(px, timeout_ms, &jif, &p);
		if (ret)
			return ret;
		spin_lock(&p->dc->lock);
		if (dvk_rmt_still_queued_locked(p, px))
			break;
		spin_unlock(&p->dc->lock);	/* it left meanwhile */
		dvk_dc_put(p->dc);
	}
	wake = take_head_locked(p, px, &t);
	count_sent(px, &t.c);
	trace_dvk_rmt_get(dvk_px_index(px), &t.c, t.c.c_snd_seq, t.c.c_dnode, t.waited_ns);
	spin_unlock(&p->dc->lock);
	dvk_ipc_wake_unlocked(wake);
	dvk_dc_put(p->dc);
	/*
	 * A chunk that cannot be read (the requester's memory went away) goes
	 * out without its data, carrying EDVSFAULT: the copy's remote end
	 * answers it with that error, so the requester does not wait in vain.
	 */
	if (t.pl && dvk_payload_to_user(t.pl, t.off, upay, t.c.c_len)) {
		t.c.c_rcode = EDVSFAULT;
		t.c.c_len = 0;
	}
	dvk_payload_put(t.pl);
	return copy_to_user(uh, &t.c, sizeof(t.c)) ? EDVSFAULT : OK;
}
