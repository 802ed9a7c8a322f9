// SPDX-License-Identifier: GPL-2.0
/*
 * dvk_rmt_send.c - the commands this node sends: a local caller's send,
 * sendrec and notify to a remote endpoint, a local server's reply to a
 * remote caller, and the ACK a stand-in owes its remote caller.
 */
#include <linux/kernel.h>
#include "dvk_rmt.h"
#include "dvk_trace.h"

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
