// SPDX-License-Identifier: GPL-2.0
/*
 * dvk_put2lcl.c - commands that arrive from remote nodes (docs/original-dvk.md#path-of-a-remote-message
 * steps 5 to 7; plan in docs/design-remote.md): put2lcl checks each one
 * and delivers messages through the sender's stand-in (its local REMOTE
 * descriptor), which waits on the destination's sender queue like a local
 * sender; ACKs and replies end the waits of local callers.
 */
#include <linux/kernel.h>
#include <linux/uaccess.h>
#include <linux/slab.h>
#include "dvk_ipc.h"
#include "dvk_remote.h"
#include "dvk_rmt.h"
#include "dvk_trace.h"

/* The DVK call a remote command stands for (the stand-in's allowed calls). */
static int cmd_call(int cmd)
{
	switch (cmd) {
	case CMD_SEND_MSG:	return DVK_SEND;
	case CMD_NTFY_MSG:	return DVK_NOTIFY;
	case CMD_SNDREC_MSG:	return DVK_SENDREC;
	default:		return DVK_REPLY;
	}
}

/*
 * Is stand-in @s free for a new send or sendrec of its remote caller?
 * An answer it still carries (RMTOPER) or a copy through it (ONCOPY) ends
 * soon: the proxy retries.  A message still queued here, or a wait for a
 * reply, belongs to a call that caller has already given up (timed out or
 * interrupted on its node: it makes one call at a time).  The original
 * refused every new command then (EDVSENQUEUED) until the old one ended,
 * which a reply that never comes makes for ever: the abandoned call is
 * withdrawn instead, as a local sender's is when it gives up.
 * dc->lock held.
 */
static bool standin_free_locked(struct dvk_proc *s)
{
	int f = s->usr.p_rts_flags;

	if (f & (RMTOPER | ONCOPY))
		return false;
	if (f & (SENDING | RECEIVING)) {
		dvk_ipc_unqueue_locked(s);
		s->rmt_op = 0;
	}
	return true;
}

/*
 * Checks of a message command's two ends (step 5 of docs/original-dvk.md#path-of-a-remote-message).  dc->lock held.
 * *@sp is set once the stand-in is known good (an error ACK can use it),
 * *@dp on success.
 */
static long msg_ends_locked(struct dvk_dc *dc, const cmd_t *c, struct dvk_proc **sp,
		     struct dvk_proc **dp)
{
	bool uses_standin = c->c_cmd == CMD_SEND_MSG || c->c_cmd == CMD_SNDREC_MSG;
	int sn = _ENDPOINT_P(c->c_src), dn = _ENDPOINT_P(c->c_dst);
	struct dvk_proc *s, *d;

	*sp = NULL;
	if (!dvk_ep_in_range(dc, c->c_src) || !dvk_ep_in_range(dc, c->c_dst))
		return EDVSRANGE;
	s = dvk_slot(dc, sn);
	if (!dvk_slot_bound(s))
		return EDVSNOTBIND;
	if (!dvk_slot_remote(s))
		return EDVSLCLPROC;
	if (s->usr.p_endpoint != c->c_src)
		return EDVSENDPOINT;
	if (s->usr.p_nodeid != c->c_snode)
		return EDVSNONODE;
	if (uses_standin && !standin_free_locked(s))
		return EDVSENQUEUED;	/* the proxy retries */
	*sp = s;
	if (s->usr.p_rts_flags & MIGRATING)
		return EDVSMIGRATE;	/* the sender is being moved */
	if (!(s->priv.priv_dvk_allowed & (1ULL << cmd_call(c->c_cmd))))
		return EDVSBADCALL;
	d = dvk_slot(dc, dn);
	if (!dvk_slot_bound(d))
		return c->c_cmd == CMD_SNDREC_MSG ? EDVSDEADSRCDST : EDVSDSTDIED;
	if (d->usr.p_endpoint != c->c_dst)
		return EDVSENDPOINT;
	if (dvk_slot_remote(d))
		return EDVSRMTPROC;
	if (d->usr.p_rts_flags & MIGRATING)
		return EDVSMIGRATE;	/* its caller replays */
	/* to a system slot: in the source's ipc_to; else only from a system process */
	if (dvk_is_sysproc(dc, dn) ?
	    !(s->priv.priv_ipc_to & (1ULL << ((dn + dc->usr.dc_nr_tasks) & 63))) :
	    !dvk_is_sysproc(dc, sn))
		return EDVSTRAPDENIED;
	*dp = d;
	return OK;
}

/* A send or sendrec from remote stand-in @s to local @d.  dc->lock held. */
static long put_send_locked(struct dvk_proc *s, struct dvk_proc *d, const message *m,
			    bool rec, u64 id, struct dvk_proc **wake)
{
	int dcid = d->dc->usr.dc_dcid;

	if (dvk_ipc_accepts_locked(d, s->usr.p_endpoint, false)) {
		trace_dvk_msg_send(dcid, id, s->usr.p_endpoint, d->usr.p_endpoint, false, 0);
		*wake = dvk_ipc_deliver_locked(d, m, id);
		s->usr.p_lclsent++;
		if (rec) {
			s->usr.p_rts_flags |= RECEIVING;
			s->usr.p_getfrom = d->usr.p_endpoint;
			s->recv_kind = DVK_RECV_REPLY;
			dvk_wait_begin_locked(s);	/* for its remote caller, on d's reply */
		} else {
			dvk_rmt_standin_done_locked(s, OK);
		}
		return OK;
	}
	if ((d->usr.p_rts_flags & SENDING) && d->usr.p_sendto == s->usr.p_endpoint)
		return EDVSLOCKED;	/* it waits for our caller to receive */
	dvk_ipc_queue_sender_locked(s, d, m, id, rec);
	dvk_wait_begin_locked(s);
	trace_dvk_msg_send(dcid, id, s->usr.p_endpoint, d->usr.p_endpoint, true, d->nsenders);
	return OK;
}

/* A message command (send, sendrec, notify, reply) from a remote node. */
static long put_msg(struct dvk_dc *dc, const cmd_t *c, u64 id)
{
	bool acked = c->c_cmd == CMD_SEND_MSG || c->c_cmd == CMD_SNDREC_MSG;
	struct dvk_proc *s, *d, *wake = NULL;
	message m = c->c_msg;
	long ret;

	m.m_source = c->c_src;
	spin_lock(&dc->lock);
	ret = msg_ends_locked(dc, c, &s, &d);
	if (ret)
		goto out;
	switch (c->c_cmd) {
	case CMD_NTFY_MSG:
		if (!dvk_is_sysproc(dc, s->usr.p_nr) || !dvk_is_sysproc(dc, d->usr.p_nr))
			ret = EDVSTRAPDENIED;
		else
			ret = dvk_notify_locked(dc, dvk_slot_index(s), d, c->c_rcode, s, id, &wake);
		break;
	case CMD_REPLY_MSG:
		if (dvk_ipc_accepts_locked(d, c->c_src, false) && d->usr.p_getfrom == c->c_src) {
			trace_dvk_msg_send(dc->usr.dc_dcid, id, c->c_src, c->c_dst, false, 0);
			wake = dvk_ipc_deliver_locked(d, &m, id);
			s->usr.p_lclsent++;
		} else {
			ret = EDVSPROCSTS;	/* the caller gave up waiting */
		}
		break;
	default:
		s->rmt_op = c->c_cmd;
		s->rmt_peer = c->c_dst;
		s->msg_id = id;
		ret = put_send_locked(s, d, &m, c->c_cmd == CMD_SNDREC_MSG, id, &wake);
		break;
	}
out:
	if (ret && acked && s) {	/* the remote caller learns the error */
		s->rmt_op = c->c_cmd;
		s->rmt_peer = c->c_dst;
		s->msg_id = id;
		dvk_rmt_standin_done_locked(s, ret);
	}
	spin_unlock(&dc->lock);
	dvk_ipc_wake_unlocked(wake);
	return ret;
}

/* An ACK from a remote node for local caller c_dst. */
static long put_ack(struct dvk_dc *dc, const cmd_t *c, u64 id, int px_nr)
{
	struct dvk_proc *d, *wake = NULL;
	bool matched = false;
	int f;

	if (!dvk_ep_in_range(dc, c->c_dst))
		return EDVSRANGE;
	spin_lock(&dc->lock);
	d = dvk_slot(dc, _ENDPOINT_P(c->c_dst));
	f = d->usr.p_rts_flags;
	if (dvk_slot_bound(d) && !dvk_slot_remote(d) && d->usr.p_endpoint == c->c_dst &&
	    d->msg_id == id) {
		/*
		 * A copy that failed on the remote side is answered at once,
		 * maybe while the rest of its stream is still queued here.
		 */
		bool taken = !(f & RMTOPER) || (c->c_rcode != OK && d->rmt_total > 0);

		if ((c->c_cmd == CMD_SEND_ACK || c->c_cmd == CMD_COPYIN_ACK ||
		     c->c_cmd == CMD_COPYLCL_ACK || c->c_cmd == CMD_COPYRMT_ACK) &&
		    (f & SENDING) && taken &&
		    list_empty(&d->send_link) && d->usr.p_sendto == c->c_src) {
			/*
			 * The rest of a failed copy's stream is withdrawn: its
			 * RMTOPER would otherwise keep the requester asleep
			 * until its timeout.
			 */
			if (f & RMTOPER)
				dvk_rmt_unlink_locked(d);
			d->usr.p_sendto = NONE;
			wake = dvk_ipc_ready_locked(d, SENDING, c->c_rcode);
			matched = true;
		} else if (c->c_cmd == CMD_SNDREC_ACK &&
			   (f & (SENDING | RECEIVING | RMTOPER)) == RECEIVING &&
			   d->recv_kind == DVK_RECV_REPLY && d->usr.p_getfrom == c->c_src) {
			d->usr.p_getfrom = NONE;
			wake = dvk_ipc_ready_locked(d, RECEIVING, c->c_rcode);
			matched = true;
		}
	}
	trace_dvk_rmt_ack(px_nr, c, id, c->c_snode, matched);
	spin_unlock(&dc->lock);
	dvk_ipc_wake_unlocked(wake);
	return matched ? OK : EDVSPROCSTS;	/* nobody waits for it any more */
}

/*
 * The result a remote node reports in an answer or a failed chunk, which a
 * local call returns as it is: OK or an error code a DVK call may return.
 * Anything else from the peer (a positive value, a code outside the ABI's
 * list, -512 which the kernel would take for ERESTARTSYS, the copy
 * trampoline's internal codes) becomes EDVSGENERIC.
 */
static int peer_rcode(int rc)
{
	switch (rc) {
#define DVK_RCODE_CASE(name, value, text) case value:
	DVK_ERROR_LIST(DVK_RCODE_CASE)
#undef DVK_RCODE_CASE
		if (rc == EDVSRESTARTSYS || rc == EDVSDONTREPLY ||
		    (rc <= EDVSUSR2USR && rc >= EDVSUSR2KRN))
			return EDVSGENERIC;
		return rc;
	case OK:
		return OK;
	default:
		return EDVSGENERIC;
	}
}

/* How put2lcl hands a command on, by its c_cmd. */
enum put_route {
	PUT_NONE,	/* a heartbeat: nothing to do */
	PUT_MSG,	/* send, sendrec, notify, reply: put_msg() */
	PUT_ACK,	/* an answer to a local caller: put_ack() */
	PUT_COPY,	/* a copy request without data: dvk_put2lcl_copy() */
	PUT_DATA,	/* a copy command with data in the payload: the same */
	PUT_UNKNOWN,	/* a command this DVK does not handle */
};

static enum put_route put_route(int cmd)
{
	switch (cmd) {
	case CMD_NONE:
	case CMD_HELLO:
		return PUT_NONE;
	case CMD_SEND_MSG:
	case CMD_NTFY_MSG:
	case CMD_SNDREC_MSG:
	case CMD_REPLY_MSG:
		return PUT_MSG;
	case CMD_SEND_ACK:
	case CMD_SNDREC_ACK:
	case CMD_COPYIN_ACK:
	case CMD_COPYLCL_ACK:
	case CMD_COPYRMT_ACK:
		return PUT_ACK;
	case CMD_COPYOUT_RQST:
	case CMD_COPYLCL_RQST:
	case CMD_COPYRMT_RQST:
		return PUT_COPY;
	case CMD_COPYIN_DATA:
	case CMD_COPYIN_RQST:
	case CMD_COPYOUT_DATA:
		return PUT_DATA;
	default:
		return PUT_UNKNOWN;
	}
}

/*
 * Did @c come the right way: from a node @px serves, to this node, within
 * the pair's maxbytes?  Counted on its source node if so.
 */
static long arrival_ok(struct dvk_proxies *px, const cmd_t *c)
{
	long ret;

	spin_lock(&dvk_dvs.net_lock);
	ret = dvk_rmt_pair_usable_netlocked(px, false);
	if (ret == OK && (c->c_snode < 0 || c->c_snode >= NR_NODES ||
			  !(px->nodemap & (1ULL << c->c_snode))))
		ret = EDVSNONODE;
	else if (ret == OK && c->c_dnode != atomic_read(&dvk_dvs.local_nodeid))
		ret = EDVSBADNODEID;
	else if (ret == OK && (c->c_len < 0 || c->c_len > px->usr.px_maxbytes))
		ret = EDVS2BIG;
	if (ret == OK) {
		dvk_dvs.nodes[c->c_snode].usr.n_pxrcvd++;
		dvk_dvs.nodes[c->c_snode].usr.n_rtimestamp = ktime_get_real_seconds();
		px->rproxy.usr.p_rmtsent++;
	}
	spin_unlock(&dvk_dvs.net_lock);
	return ret;
}

/* Hand @c (checked by arrival_ok) on to its DC; @payload: its data. */
static long put_cmd(struct dvk_proxies *px, const cmd_t *c, const void __user *payload)
{
	enum put_route route = put_route(c->c_cmd);
	u64 id = c->c_snd_seq ? c->c_snd_seq : dvk_ipc_next_id();
	struct dvk_dc *dc;
	long ret;

	if (route == PUT_NONE)
		return OK;
	if (route == PUT_UNKNOWN)
		return EDVSNOSYS;
	if (c->c_len && route != PUT_DATA)
		return EDVSBADVALUE;	/* only data commands carry a payload */
	if (c->c_dcid < 0 || c->c_dcid >= NR_DCS)
		return EDVSBADDCID;
	dc = dvk_ipc_dc_get(c->c_dcid);
	if (!dc)
		return EDVSDCNOTRUN;
	if (!(READ_ONCE(dc->usr.dc_nodes) & (1ULL << c->c_snode)))
		ret = EDVSNODCNODE;
	else if (route == PUT_COPY || route == PUT_DATA)
		ret = dvk_put2lcl_copy(dc, c, id, payload);	/* data stays in the proxy */
	else if (route == PUT_ACK)
		ret = put_ack(dc, c, id, dvk_px_index(px));
	else
		ret = put_msg(dc, c, id);
	dvk_dc_put(dc);
	return ret;
}

/**
 * dvk_put2lcl - put2lcl(header *, payload *): the receiver proxy hands in
 * one command from a remote node.
 * @args: second = the header, third = the payload (c_len bytes).
 *
 * Checks (step 5 of docs/original-dvk.md#path-of-a-remote-message): the source node is one this pair serves and a
 * member of the DC, the destination node is this one, the source is the
 * bound REMOTE descriptor of that endpoint on that node, allowed the call
 * and the destination, the destination a bound local endpoint.  A message
 * waits on its destination's sender queue in the stand-in; the ACK leaves
 * when it is received.  Errors of a send or sendrec also go back as an
 * error ACK, except when the stand-in itself is unusable.
 *
 * Return: OK, or EDVSDVSINIT, EDVSNOPROXY, EDVSBADCALL, EDVSNOTCONN,
 * EDVSFAULT, EDVSNONODE, EDVSBADNODEID, EDVS2BIG, EDVSBADDCID,
 * EDVSDCNOTRUN, EDVSNODCNODE, EDVSRANGE, EDVSNOTBIND, EDVSLCLPROC,
 * EDVSENDPOINT, EDVSENQUEUED (the stand-in is busy: retry), EDVSBADCALL,
 * EDVSDSTDIED, EDVSDEADSRCDST, EDVSRMTPROC, EDVSTRAPDENIED, EDVSLOCKED,
 * EDVSPROCSTS (a reply or ACK nobody waits for any more), EDVSNOSYS
 * (a command this DVK does not handle).
 */
long dvk_put2lcl(const struct dvk_ipc_args *args)
{
	struct dvk_proxies *px;
	long ret;
	cmd_t c;

	ret = dvk_rmt_caller_pair(false, &px);
	if (ret)
		return ret;
	if (copy_from_user(&c, u64_to_user_ptr(args->second), sizeof(c)))
		return EDVSFAULT;
	if (c.c_cmd != CMD_NTFY_MSG)	/* a notify's c_rcode is its update bit */
		c.c_rcode = peer_rcode(c.c_rcode);
	ret = arrival_ok(px, &c);
	if (ret == OK)
		ret = put_cmd(px, &c, u64_to_user_ptr(args->third));
	spin_lock(&dvk_dvs.net_lock);
	dvk_rmt_stats_add(&px->st[DVK_PX_IN], sizeof(c) + (c.c_len > 0 ? c.c_len : 0), ret);
	spin_unlock(&dvk_dvs.net_lock);
	trace_dvk_rmt_put(dvk_px_index(px), &c, c.c_snd_seq, c.c_snode, ret);
	return ret;
}
