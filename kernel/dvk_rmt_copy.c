// SPDX-License-Identifier: GPL-2.0
/*
 * dvk_rmt_copy.c - vcopy with a remote end (reference B.8.2; decisions in
 * docs/design-remote.md).  The requester (the caller) drives the copy one
 * chunk (the pair's maxbytes, at most d_max_copybuf) at a time and waits
 * up to 30 s for each answer:
 *
 *  - local source, remote destination: COPYIN_DATA carries the chunk, the
 *    remote node writes it and answers COPYIN_ACK;
 *  - remote source, local destination: COPYOUT_RQST asks for the chunk,
 *    the remote node answers COPYOUT_DATA with it, and the receiver proxy
 *    writes it into the destination before the requester is woken;
 *  - both ends on one remote node: one COPYLCL_RQST, copied there, answered
 *    by COPYLCL_ACK.
 *  - ends on two different remote nodes: COPYRMT_RQST asks the source's
 *    node for a chunk, which sends it on as COPYIN_RQST (through the
 *    requester's stand-in there) to the destination's node, which writes
 *    it and answers the requester's node with COPYRMT_ACK.
 *
 * A command's payload (slot.rmt_payload) belongs to the queued command:
 * get2rmt copies it out, dvk_rmt_unlink() frees it.  The remote side runs
 * in the receiver proxy's put2lcl, answering through the requester's
 * stand-in.  Local ends other than the requester must be blocked
 * receiving; they carry ONCOPY while their memory is used.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/sched/task.h>
#include "dvk_rmt.h"
#include "dvk_trace.h"

#define RMT_COPY_WAIT_MS	30000	/* per chunk (B.8.2) */

/* One local end of a remote copy: its slot, pinned task and binding. */
struct rcopy_end {
	struct dvk_proc *p;
	struct task_struct *task;
	u64 seq;
};

/*
 * Claim local end @ep for a copy: bound, local, blocked receiving, not
 * copying; ONCOPY set and its task referenced.  dc->lock held.
 */
static long claim_local(struct dvk_dc *dc, int ep, struct rcopy_end *e, long dead)
{
	struct dvk_proc *p;

	if (!ep_in_range(dc, ep))
		return EDVSRANGE;
	p = dvk_slot(dc, _ENDPOINT_P(ep));
	if (!dvk_slot_bound(p))
		return dead;
	if (p->usr.p_endpoint != ep)
		return EDVSENDPOINT;
	if (dvk_slot_remote(p))
		return EDVSRMTPROC;
	if (p->usr.p_rts_flags & ONCOPY)
		return EDVSBUSY;
	if (!(p->usr.p_rts_flags & RECEIVING))
		return EDVSPROCSTS;
	p->usr.p_rts_flags |= ONCOPY;
	e->p = p;
	e->task = get_task_struct(p->task);
	e->seq = p->bind_seq;
	return OK;
}

/* Undo claim_local, counting @bytes.  dc->lock held. */
static void release_local(struct rcopy_end *e, s64 bytes)
{
	if (!e->p)
		return;
	if (e->p->bind_seq == e->seq) {
		e->p->usr.p_rts_flags &= ~ONCOPY;
		e->p->bytes_copied += bytes;
		wake_up(&e->p->wq);
	}
	put_task_struct(e->task);
	e->p = NULL;
}

/* Copy @n bytes between a task's memory and @buf; OK or EDVSFAULT. */
static long task_rw(struct task_struct *t, unsigned long addr, void *buf, size_t n, bool write)
{
	return access_process_vm(t, addr, buf, n, write ? FOLL_WRITE : 0) == n ? OK : EDVSFAULT;
}

/* The remote descriptor of @ep: bound, REMOTE, not copying.  dc->lock held. */
static long remote_end(struct dvk_dc *dc, int ep, struct dvk_proc **rp, long dead)
{
	struct dvk_proc *p = dvk_slot(dc, _ENDPOINT_P(ep));

	if (!dvk_slot_bound(p))
		return dead;
	if (p->usr.p_endpoint != ep)
		return EDVSENDPOINT;
	/* RMTOPER here is an ACK its stand-in still sends: no obstacle to a copy */
	if (!dvk_slot_remote(p) || (p->usr.p_rts_flags & ONCOPY))
		return EDVSBUSY;
	*rp = p;
	return OK;
}

/* The chunk size towards @nodeid: the pair's maxbytes, at most d_max_copybuf. */
static size_t chunk_to(int nodeid)
{
	size_t chunk = READ_ONCE(dvk_dvs.usr.d_max_copybuf);
	int px;

	spin_lock(&dvk_dvs.net_lock);
	px = dvk_dvs.nodes[nodeid & (NR_NODES - 1)].usr.n_proxies;
	if (px >= 0 && px < NR_NODES && dvk_dvs.proxies[px].usr.px_maxbytes > 0)
		chunk = min_t(size_t, chunk, dvk_dvs.proxies[px].usr.px_maxbytes);
	spin_unlock(&dvk_dvs.net_lock);
	return max_t(size_t, chunk, 1);
}

/*
 * Send one copy command from the requester @me and wait for its answer
 * (the ACK or COPYOUT_DATA names @peer as its source).  @payload (may be
 * NULL) goes with the command and is freed by whoever unqueues it.
 * dc->lock held (dropped while waiting).
 */
static long copy_cmd(struct dvk_proc *me, int cmd, int peer, int node, const vcopy_t *v,
		     void *payload, int len)
{
	u64 id = dvk_ipc_next_id();
	long ret;

	dvk_rmt_header(me, cmd, me->usr.p_endpoint, peer, node, id);
	me->rmtcmd.c_vcopy = *v;
	me->rmtcmd.c_len = len;
	me->rmt_payload = payload;
	me->msg_id = id;
	ret = dvk_rmt_enqueue(me, true);
	if (ret) {
		me->rmt_payload = NULL;
		kfree(payload);
		return ret;
	}
	me->usr.p_rts_flags |= SENDING;
	me->usr.p_sendto = peer;
	return dvk_ipc_sleep(me, SENDING, RMT_COPY_WAIT_MS, NULL);
}

/**
 * dvk_rmt_vcopy - a vcopy with at least one remote end.
 * @me:    the requester (a bound system process; DC pinned)
 * @s_ep:  source endpoint (SELF resolved)
 * @saddr: its address
 * @d_ep:  destination endpoint (SELF resolved)
 * @daddr: its address
 * @bytes: 0..d_max_copylen, already checked
 *
 * Return: OK, or the errors of vcopy plus EDVSNOTCONN, EDVSNOPROXY,
 * EDVSTIMEDOUT (a chunk was not answered in 30 s), EDVSRMTPROC (ends on
 * two different remote nodes), and any error the remote node reports.
 */
long dvk_rmt_vcopy(struct dvk_proc *me, int s_ep, unsigned long saddr, int d_ep,
		   unsigned long daddr, s64 bytes)
{
	struct dvk_dc *dc = me->dc;
	struct dvk_proc *rs = NULL, *rd = NULL;
	struct rcopy_end lcl = { 0 };
	bool me_src = s_ep == me->usr.p_endpoint, me_dst = d_ep == me->usr.p_endpoint;
	vcopy_t v = { .v_src = s_ep, .v_dst = d_ep, .v_rqtr = me->usr.p_endpoint };
	s64 off = 0;
	size_t chunk;
	long ret;
	int node;

	ret = dvk_ipc_lock_caller(me);
	if (ret)
		goto unlock;
	if (dvk_slot_remote(dvk_slot(dc, _ENDPOINT_P(s_ep))) && !me_src)
		ret = remote_end(dc, s_ep, &rs, EDVSSRCDIED);
	if (ret == OK && !me_dst && dvk_slot_remote(dvk_slot(dc, _ENDPOINT_P(d_ep))))
		ret = remote_end(dc, d_ep, &rd, EDVSDSTDIED);
	if (ret == OK && !rs && !me_src)
		ret = claim_local(dc, s_ep, &lcl, EDVSSRCDIED);
	if (ret == OK && !rd && !me_dst)
		ret = claim_local(dc, d_ep, &lcl, EDVSDSTDIED);
	if (ret)
		goto unlock;
	node = rs ? rs->usr.p_nodeid : rd->usr.p_nodeid;
	if (rs && rd && rs->usr.p_nodeid == rd->usr.p_nodeid) {	/* it copies there */
		v.v_saddr = saddr;
		v.v_daddr = daddr;
		v.v_bytes = bytes;
		ret = copy_cmd(me, CMD_COPYLCL_RQST, s_ep, node, &v, NULL, 0);
		goto unlock;
	}
	spin_unlock(&dc->lock);
	chunk = chunk_to(node);
	if (rs && rd)	/* the data crosses the source's and the destination's links */
		chunk = min(chunk, chunk_to(rd->usr.p_nodeid));
	for (off = 0; off < bytes && ret == OK; off += chunk) {
		size_t n = min_t(s64, chunk, bytes - off);
		void *buf = NULL;

		v.v_saddr = saddr + off;
		v.v_daddr = daddr + off;
		v.v_bytes = n;
		if (rd && !rs) {	/* local source: read the chunk here */
			buf = kmalloc(n, GFP_KERNEL);
			if (!buf)
				ret = EDVSNOMEM;
			else if (me_src)
				ret = copy_from_user(buf, (const void __user *)(saddr + off), n) ?
				      EDVSFAULT : OK;
			else
				ret = task_rw(lcl.task, saddr + off, buf, n, false);
			if (ret) {
				kfree(buf);
				break;
			}
		}
		spin_lock(&dc->lock);
		if (rs && rd)
			ret = copy_cmd(me, CMD_COPYRMT_RQST, s_ep, node, &v, NULL, 0);
		else if (rd)
			ret = copy_cmd(me, CMD_COPYIN_DATA, d_ep, node, &v, buf, n);
		else
			ret = copy_cmd(me, CMD_COPYOUT_RQST, s_ep, node, &v, NULL, 0);
		spin_unlock(&dc->lock);
		cond_resched();
	}
	spin_lock(&dc->lock);
unlock:
	release_local(&lcl, ret == OK ? bytes : 0);
	if (ret == OK && me_src)
		me->usr.p_rmtcopy++;
	spin_unlock(&dc->lock);
	return ret;
}

/*
 * COPYOUT_DATA for requester @d: write the chunk into the local
 * destination, then wake @d.  Runs in put2lcl (process context).
 */
static long copyout_data(struct dvk_dc *dc, const cmd_t *c, u64 id, const void *payload)
{
	struct dvk_proc *d, *t, *wake = NULL;
	struct task_struct *task = NULL;
	long ret = EDVSPROCSTS, rcode = c->c_rcode;

	if (!ep_in_range(dc, c->c_dst) || !ep_in_range(dc, c->c_vcopy.v_dst))
		return EDVSRANGE;
	spin_lock(&dc->lock);
	d = dvk_slot(dc, _ENDPOINT_P(c->c_dst));
	t = dvk_slot(dc, _ENDPOINT_P(c->c_vcopy.v_dst));
	if (dvk_slot_bound(d) && !dvk_slot_remote(d) && d->usr.p_endpoint == c->c_dst &&
	    d->msg_id == id && (d->usr.p_rts_flags & (SENDING | RMTOPER)) == SENDING &&
	    d->usr.p_sendto == c->c_src && dvk_slot_bound(t) && t->task &&
	    t->usr.p_endpoint == c->c_vcopy.v_dst) {
		task = get_task_struct(t->task);
		ret = OK;
	}
	spin_unlock(&dc->lock);
	if (ret)
		return ret;	/* the requester gave up */
	if (rcode == OK && (c->c_len != c->c_vcopy.v_bytes ||
			    task_rw(task, c->c_vcopy.v_daddr, (void *)payload, c->c_len, true)))
		rcode = EDVSFAULT;
	put_task_struct(task);
	spin_lock(&dc->lock);
	if (d->msg_id == id && (d->usr.p_rts_flags & SENDING) && d->usr.p_sendto == c->c_src) {
		d->usr.p_sendto = NONE;
		wake = dvk_ipc_ready(d, SENDING, rcode);
	} else {
		ret = EDVSPROCSTS;
	}
	spin_unlock(&dc->lock);
	dvk_ipc_wake_unlocked(wake);
	return ret;
}

/*
 * The remote side of a copy asked by requester c_src: COPYIN_DATA and
 * COPYIN_RQST (write @payload into local v_dst), COPYOUT_RQST (read local
 * v_src, answer with the data), COPYLCL_RQST (copy between two local
 * ends), COPYRMT_RQST (read local v_src and send it on to v_dst's node as
 * COPYIN_RQST).  The answer leaves through the requester's stand-in; for
 * COPYIN_RQST it is the COPYRMT_ACK to the requester's node, which is not
 * the node the command came from.
 */
static long copy_request(struct dvk_dc *dc, const cmd_t *c, u64 id, const void *payload)
{
	const vcopy_t *v = &c->c_vcopy;
	struct rcopy_end src = { 0 }, dst = { 0 };
	bool writes = c->c_cmd == CMD_COPYIN_DATA || c->c_cmd == CMD_COPYIN_RQST;
	bool onward = c->c_cmd == CMD_COPYRMT_RQST;
	int ack = c->c_cmd | CMD_ACKNOWLEDGE, peer, dnode = -1;
	struct dvk_proc *rd;
	void *buf = NULL;
	struct dvk_proc *s;
	long ret = OK;
	s64 off;

	if (!ep_in_range(dc, c->c_src))
		return EDVSRANGE;
	if (v->v_bytes < 0 || v->v_bytes > READ_ONCE(dvk_dvs.usr.d_max_copylen) ||
	    (c->c_cmd != CMD_COPYLCL_RQST && v->v_bytes > MAXCOPYBUF) ||
	    (writes && c->c_len != v->v_bytes))
		return EDVSRANGE;
	peer = c->c_cmd == CMD_COPYIN_DATA ? v->v_dst : v->v_src;
	if (c->c_cmd == CMD_COPYIN_RQST)
		ack = CMD_COPYRMT_ACK;	/* to the requester, from the last node */
	spin_lock(&dc->lock);
	s = dvk_slot(dc, _ENDPOINT_P(c->c_src));
	if (!dvk_slot_bound(s) || !dvk_slot_remote(s) || s->usr.p_endpoint != c->c_src ||
	    (s->usr.p_nodeid != c->c_snode && c->c_cmd != CMD_COPYIN_RQST)) {
		spin_unlock(&dc->lock);
		return EDVSNOTBIND;	/* no stand-in to answer through */
	}
	if (s->usr.p_rts_flags & (SENDING | RECEIVING | RMTOPER)) {
		spin_unlock(&dc->lock);
		return EDVSENQUEUED;
	}
	if (!(s->priv.priv_dvk_allowed & (1ULL << DVK_VCOPY)) || !dvk_is_sysproc(dc, s->usr.p_nr))
		ret = EDVSBADCALL;
	if (ret == OK && onward) {	/* v_dst: a remote endpoint of a third node */
		ret = ep_in_range(dc, v->v_dst) ? OK : EDVSRANGE;
		rd = ret ? NULL : dvk_slot(dc, _ENDPOINT_P(v->v_dst));
		if (rd && (!dvk_slot_bound(rd) || !dvk_slot_remote(rd) ||
			   rd->usr.p_endpoint != v->v_dst))
			ret = EDVSDSTDIED;
		else if (rd)
			dnode = rd->usr.p_nodeid;
	}
	if (ret == OK && !writes)
		ret = claim_local(dc, v->v_src, &src, EDVSSRCDIED);
	if (ret == OK && c->c_cmd != CMD_COPYOUT_RQST && !onward)
		ret = claim_local(dc, v->v_dst, &dst, EDVSDSTDIED);
	spin_unlock(&dc->lock);

	if (ret == OK && writes) {
		ret = task_rw(dst.task, v->v_daddr, (void *)payload, v->v_bytes, true);
	} else if (ret == OK) {
		size_t chunk = c->c_cmd != CMD_COPYLCL_RQST ? max_t(s64, v->v_bytes, 1) :
			       READ_ONCE(dvk_dvs.usr.d_max_copybuf);

		buf = kmalloc(chunk, GFP_KERNEL);
		if (!buf)
			ret = EDVSNOMEM;
		for (off = 0; ret == OK && off < v->v_bytes; off += chunk) {
			size_t n = min_t(s64, chunk, v->v_bytes - off);

			ret = task_rw(src.task, v->v_saddr + off, buf, n, false);
			if (ret == OK && dst.task)
				ret = task_rw(dst.task, v->v_daddr + off, buf, n, true);
			cond_resched();
		}
	}

	spin_lock(&dc->lock);
	release_local(&src, ret == OK ? v->v_bytes : 0);
	release_local(&dst, ret == OK ? v->v_bytes : 0);
	if (dvk_slot_bound(s) && s->usr.p_endpoint == c->c_src &&
	    !(s->usr.p_rts_flags & (SENDING | RECEIVING | RMTOPER))) {
		if (onward && ret == OK) {	/* the chunk goes on to v_dst's node */
			dvk_rmt_header(s, CMD_COPYIN_RQST, c->c_src, v->v_dst, dnode, id);
			s->rmtcmd.c_vcopy = *v;
			s->rmtcmd.c_len = (int)v->v_bytes;
			s->rmt_payload = buf;
			buf = NULL;
		} else {
			dvk_rmt_header(s, ack, peer, c->c_src, s->usr.p_nodeid, id);
			s->rmtcmd.c_rcode = (int)ret;
		}
		if (ack == CMD_COPYOUT_DATA && ret == OK) {
			s->rmtcmd.c_vcopy = *v;
			s->rmtcmd.c_len = (int)v->v_bytes;
			s->rmt_payload = buf;	/* the queued command owns it now */
			buf = NULL;
		}
		if (dvk_rmt_enqueue(s, false) && s->rmt_payload) {
			kfree(s->rmt_payload);
			s->rmt_payload = NULL;
		}
	}
	spin_unlock(&dc->lock);
	kfree(buf);
	return ret;
}

/**
 * dvk_put2lcl_copy - a copy command from a remote node (put2lcl).
 * @dc:      its DC, pinned
 * @c:       the header
 * @id:      its message id
 * @payload: c_len bytes, in kernel memory
 */
long dvk_put2lcl_copy(struct dvk_dc *dc, const cmd_t *c, u64 id, const void *payload)
{
	switch (c->c_cmd) {
	case CMD_COPYOUT_DATA:
		return copyout_data(dc, c, id, payload);
	case CMD_COPYIN_DATA:
	case CMD_COPYIN_RQST:
	case CMD_COPYOUT_RQST:
	case CMD_COPYLCL_RQST:
	case CMD_COPYRMT_RQST:
		return copy_request(dc, c, id, payload);
	default:
		return EDVSNOSYS;
	}
}
