// SPDX-License-Identifier: GPL-2.0
/*
 * dvk_rmt_copy.c - vcopy with a remote end (docs/original-dvk.md#remote-vcopy; decisions in
 * docs/design-remote.md).  The requester (the caller) sends one command
 * for the whole copy (at most d_max_copylen) and waits for its answer; the
 * data crosses each link as a *stream* of chunks of that pair's maxbytes
 * (at most d_max_copybuf), sent back to back by get2rmt, every chunk but
 * the last marked CMD_FLAG_MORE.  The receiving node answers only the last
 * chunk, or the first one that fails (and drops the rest of that copy), so
 * a copy costs one round trip, not one per chunk:
 *
 *  - local source, remote destination: the requester reads the range and
 *    streams it as COPYIN_DATA; the remote node writes each chunk and
 *    answers COPYIN_ACK;
 *  - remote source, local destination: COPYOUT_RQST asks for the range,
 *    the remote node streams it back as COPYOUT_DATA, and the receiver
 *    proxy writes each chunk into the destination; the last wakes the
 *    requester;
 *  - both ends on one remote node: one COPYLCL_RQST, copied there, answered
 *    by COPYLCL_ACK.
 *  - ends on two different remote nodes: COPYRMT_RQST asks the source's
 *    node for the range, which streams it on as COPYIN_RQST (through the
 *    requester's stand-in there) to the destination's node, which writes
 *    it and answers the requester's node with COPYRMT_ACK.
 *
 * A command's payload (slot.rmt_payload) belongs to the queued command:
 * get2rmt copies each chunk out, dvk_rmt_unlink_locked() frees it.  The remote
 * side runs in the receiver proxy's put2lcl, answering through the
 * requester's stand-in.  Local ends other than the requester must be
 * blocked receiving; they carry ONCOPY while their memory is used.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/sched/task.h>
#include "dvk_ipc.h"
#include "dvk_remote.h"
#include "dvk_rmt.h"
#include "dvk_trace.h"

#define RMT_COPY_WAIT_MS	30000	/* per chunk (docs/original-dvk.md#remote-vcopy): a copy waits this per chunk it has */

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
static long claim_local_locked(struct dvk_dc *dc, int ep, struct rcopy_end *e, long dead)
{
	struct dvk_proc *p;

	if (!dvk_ep_in_range(dc, ep))
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

/* Undo claim_local_locked, counting @bytes.  dc->lock held. */
static void release_local_locked(struct rcopy_end *e, s64 bytes)
{
	if (!e->p)
		return;
	if (e->p->bind_seq == e->seq) {
		e->p->usr.p_rts_flags &= ~ONCOPY;
		e->p->bytes_copied += bytes;
		wake_up(&e->p->copy_wq);
	}
	put_task_struct(e->task);
	e->p = NULL;
}

/* The remote descriptor of @ep: bound, REMOTE, not copying.  dc->lock held. */
static long remote_end_locked(struct dvk_dc *dc, int ep, struct dvk_proc **rp, long dead)
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
 * Send the copy command from the requester @me and wait for its answer
 * (the ACK or the last COPYOUT_DATA names @peer as its source), up to
 * RMT_COPY_WAIT_MS per chunk of @chunk bytes.  @payload (v_bytes of data,
 * or NULL) is streamed in chunks by get2rmt and freed by whoever unqueues
 * the command.  dc->lock held (dropped while waiting).
 */
static long copy_cmd_locked(struct dvk_proc *me, int cmd, int peer, int node, const vcopy_t *v,
		     struct dvk_payload *payload, size_t chunk)
{
	u64 id = dvk_ipc_next_id();
	long ret;

	dvk_rmt_header_locked(me, cmd, me->usr.p_endpoint, peer, node, id);
	me->rmtcmd.c_vcopy = *v;
	me->rmt_payload = payload;
	me->rmt_total = payload ? v->v_bytes : 0;
	me->rmt_sent = 0;
	me->msg_id = id;
	ret = dvk_rmt_enqueue_locked(me, true);
	if (ret) {
		me->rmt_payload = NULL;
		me->rmt_total = 0;
		dvk_payload_put(payload);
		return ret;
	}
	me->usr.p_rts_flags |= SENDING;
	me->usr.p_sendto = peer;
	return dvk_ipc_sleep_locked(me, SENDING,
			     RMT_COPY_WAIT_MS * (int)max_t(s64, DIV_ROUND_UP(v->v_bytes, chunk), 1),
			     NULL);
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
	struct dvk_payload *buf = NULL;
	size_t chunk;
	long ret;
	int node;

	ret = dvk_ipc_lock_caller(me);
	if (ret)
		goto unlock;
	if (dvk_slot_remote(dvk_slot(dc, _ENDPOINT_P(s_ep))) && !me_src)
		ret = remote_end_locked(dc, s_ep, &rs, EDVSSRCDIED);
	if (ret == OK && !me_dst && dvk_slot_remote(dvk_slot(dc, _ENDPOINT_P(d_ep))))
		ret = remote_end_locked(dc, d_ep, &rd, EDVSDSTDIED);
	if (ret == OK && !rs && !me_src)
		ret = claim_local_locked(dc, s_ep, &lcl, EDVSSRCDIED);
	if (ret == OK && !rd && !me_dst)
		ret = claim_local_locked(dc, d_ep, &lcl, EDVSDSTDIED);
	if (ret)
		goto unlock;
	node = rs ? rs->usr.p_nodeid : rd->usr.p_nodeid;
	if (rs && rd && rs->usr.p_nodeid == rd->usr.p_nodeid) {	/* it copies there */
		v.v_saddr = saddr;
		v.v_daddr = daddr;
		v.v_bytes = bytes;
		ret = copy_cmd_locked(me, CMD_COPYLCL_RQST, s_ep, node, &v, NULL, MAXCOPYLEN);
		goto unlock;
	}
	spin_unlock(&dc->lock);
	chunk = chunk_to(node);
	if (rs && rd)	/* the data crosses the source's and the destination's links */
		chunk = min(chunk, chunk_to(rd->usr.p_nodeid));
	v.v_saddr = saddr;
	v.v_daddr = daddr;
	v.v_bytes = bytes;
	if (bytes > 0 && rd && !rs && me_src) {
		/* our own memory, read chunk by chunk by get2rmt while we wait */
		buf = dvk_payload_of_task(current, saddr);
		if (!buf)
			ret = EDVSNOMEM;
	} else if (bytes > 0 && rd && !rs) {	/* a third process's: a snapshot now */
		buf = dvk_payload_alloc(bytes);
		if (!buf)
			ret = EDVSNOMEM;
		else
			ret = dvk_task_rw(lcl.task, saddr, buf->data, bytes, false);
		if (ret)
			dvk_payload_put(buf);
	}
	spin_lock(&dc->lock);
	if (ret == OK && bytes > 0)
		ret = copy_cmd_locked(me, rs && rd ? CMD_COPYRMT_RQST : rd ? CMD_COPYIN_DATA : CMD_COPYOUT_RQST,
			       rs ? s_ep : d_ep, node, &v, buf, chunk);
unlock:
	release_local_locked(&lcl, ret == OK ? bytes : 0);
	if (ret == OK && me_src)
		me->usr.p_rmtcopy++;
	spin_unlock(&dc->lock);
	return ret;
}

/*
 * COPYOUT_DATA for requester @d: write the chunk into the local
 * destination; the last chunk of the copy (or a failed one) wakes @d.
 * Runs in put2lcl (process context).
 */
static long copyout_data(struct dvk_dc *dc, const cmd_t *c, u64 id,
			 const void __user *payload)
{
	struct dvk_proc *d, *t, *wake = NULL;
	struct task_struct *task = NULL;
	long ret = EDVSPROCSTS, rcode = c->c_rcode;
	bool more = c->c_flags & CMD_FLAG_MORE;

	if (!dvk_ep_in_range(dc, c->c_dst) || !dvk_ep_in_range(dc, c->c_vcopy.v_dst))
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
			    dvk_task_write_user(task, c->c_vcopy.v_daddr, payload, c->c_len)))
		rcode = EDVSFAULT;
	put_task_struct(task);
	if (more && rcode == OK)
		return OK;	/* more of the copy follows */
	spin_lock(&dc->lock);
	if (d->msg_id == id && (d->usr.p_rts_flags & SENDING) && d->usr.p_sendto == c->c_src) {
		d->usr.p_sendto = NONE;
		wake = dvk_ipc_ready_locked(d, SENDING, rcode);
	} else {
		ret = EDVSPROCSTS;
	}
	spin_unlock(&dc->lock);
	dvk_ipc_wake_unlocked(wake);
	return ret;
}

/* Check a copy command's size fields; OK or EDVSRANGE. */
static long copy_sizes_ok(const cmd_t *c, bool writes)
{
	const vcopy_t *v = &c->c_vcopy;

	if (v->v_bytes < 0 || v->v_bytes > READ_ONCE(dvk_dvs.usr.d_max_copylen))
		return EDVSRANGE;
	if (writes)	/* one chunk, its data in the payload */
		return v->v_bytes <= MAXCOPYBUF && c->c_len == v->v_bytes ? OK : EDVSRANGE;
	return OK;
}

/*
 * Queue the answer of a copy request through stand-in @s: an ACK with
 * @ret, or (@ret OK and @buf) @buf streamed as COPYOUT_DATA to the
 * requester or, @onward, as COPYIN_RQST to @dnode.  Takes @buf.
 * dc->lock held.
 */
static void copy_answer_locked(struct dvk_proc *s, const cmd_t *c, u64 id, long ret,
			struct dvk_payload *buf, bool onward, int dnode)
{
	const vcopy_t *v = &c->c_vcopy;
	int ack = c->c_cmd == CMD_COPYIN_RQST ? CMD_COPYRMT_ACK : (c->c_cmd | CMD_ACKNOWLEDGE);
	int peer = c->c_cmd == CMD_COPYIN_DATA ? v->v_dst : v->v_src;

	if (ret == OK && buf && onward)	/* the data goes on to v_dst's node */
		dvk_rmt_header_locked(s, CMD_COPYIN_RQST, c->c_src, v->v_dst, dnode, id);
	else
		dvk_rmt_header_locked(s, ack, peer, c->c_src, s->usr.p_nodeid, id);
	s->rmtcmd.c_rcode = (int)ret;
	if (ret == OK && buf) {
		s->rmtcmd.c_vcopy = *v;
		s->rmt_payload = buf;	/* the queued command owns it now */
		s->rmt_total = v->v_bytes;
		s->rmt_sent = 0;
		buf = NULL;
	}
	if (dvk_rmt_enqueue_locked(s, false) && s->rmt_payload) {
		dvk_payload_put(s->rmt_payload);
		s->rmt_payload = NULL;
		s->rmt_total = 0;
	}
	dvk_payload_put(buf);
}

/* A copy command the remote side serves (copy_request), with its state. */
struct rcopy_req {
	const cmd_t *c;
	u64 id;
	bool writes;		/* COPYIN_DATA, COPYIN_RQST: write the payload into v_dst */
	bool onward;		/* COPYRMT_RQST: read v_src, stream it on to v_dst's node */
	int dnode;		/* onward: v_dst's node */
	struct rcopy_end src, dst;	/* the local ends claimed */
	struct dvk_payload *buf;	/* the data read, for the answer; or NULL */
};

/*
 * May stand-in @s of requester c_src answer @r now?  dc->lock held.
 * Return: OK, EDVSNOTBIND (no stand-in to answer through), EDVSENQUEUED
 * (busy: the proxy retries); *@dropped when @r is the rest of a stream
 * that failed here, already answered (then OK, and nothing to do).
 */
static long standin_ready_locked(struct dvk_proc *s, const struct rcopy_req *r, bool *dropped)
{
	const cmd_t *c = r->c;

	*dropped = false;
	if (!dvk_slot_bound(s) || !dvk_slot_remote(s) || s->usr.p_endpoint != c->c_src ||
	    (s->usr.p_nodeid != c->c_snode && c->c_cmd != CMD_COPYIN_RQST))
		return EDVSNOTBIND;
	if (r->writes && s->rmt_failed_id == r->id) {
		*dropped = true;
		return OK;
	}
	if (s->usr.p_rts_flags & (SENDING | RECEIVING | RMTOPER))
		return EDVSENQUEUED;
	return OK;
}

/* COPYRMT_RQST: the node of v_dst, a remote endpoint of a third node.  dc->lock held. */
static long onward_node_locked(struct dvk_dc *dc, int ep, int *dnode)
{
	struct dvk_proc *rd;

	if (!dvk_ep_in_range(dc, ep))
		return EDVSRANGE;
	rd = dvk_slot(dc, _ENDPOINT_P(ep));
	if (!dvk_slot_bound(rd) || !dvk_slot_remote(rd) || rd->usr.p_endpoint != ep)
		return EDVSDSTDIED;
	*dnode = rd->usr.p_nodeid;
	return OK;
}

/*
 * Check @r against stand-in @s (allowed vcopy, a system process), then
 * claim its local ends.  @failed: the error a failed chunk carries, or OK.
 * dc->lock held.
 */
static long request_ok_locked(struct dvk_dc *dc, struct dvk_proc *s, struct rcopy_req *r,
			      long failed)
{
	const vcopy_t *v = &r->c->c_vcopy;
	long ret;

	if (!(s->priv.priv_dvk_allowed & (1ULL << DVK_VCOPY)) || !dvk_is_sysproc(dc, s->usr.p_nr))
		return EDVSBADCALL;
	if (failed)
		return failed;
	if (r->onward) {
		ret = onward_node_locked(dc, v->v_dst, &r->dnode);
		if (ret)
			return ret;
	}
	if (!r->writes) {
		ret = claim_local_locked(dc, v->v_src, &r->src, EDVSSRCDIED);
		if (ret)
			return ret;
	}
	if (r->c->c_cmd != CMD_COPYOUT_RQST && !r->onward)
		return claim_local_locked(dc, v->v_dst, &r->dst, EDVSDSTDIED);
	return OK;
}

/*
 * Move @r's data, outside dc->lock: write the payload into the destination,
 * or read the source, into @r->buf for the answer, or (COPYLCL_RQST)
 * through a d_max_copybuf buffer straight into the destination.
 */
static long move_data(struct rcopy_req *r, const void __user *payload)
{
	const vcopy_t *v = &r->c->c_vcopy;
	bool lcl = r->c->c_cmd == CMD_COPYLCL_RQST;
	size_t chunk = lcl ? READ_ONCE(dvk_dvs.usr.d_max_copybuf) : v->v_bytes;
	long ret = OK;
	s64 off;

	if (r->writes)
		return dvk_task_write_user(r->dst.task, v->v_daddr, payload, v->v_bytes);
	if (v->v_bytes <= 0)
		return OK;
	r->buf = dvk_payload_alloc(chunk);
	if (!r->buf)
		return EDVSNOMEM;
	for (off = 0; ret == OK && off < v->v_bytes; off += chunk) {
		size_t n = min_t(s64, chunk, v->v_bytes - off);

		ret = dvk_task_rw(r->src.task, v->v_saddr + off, r->buf->data, n, false);
		if (ret == OK && r->dst.task)
			ret = dvk_task_rw(r->dst.task, v->v_daddr + off, r->buf->data, n, true);
		cond_resched();
	}
	if (lcl) {
		dvk_payload_put(r->buf);
		r->buf = NULL;
	}
	return ret;
}

/*
 * Release @r's local ends and answer through stand-in @s, unless @r is a
 * chunk that more of its stream follows.  dc->lock held.
 */
static void request_done_locked(struct dvk_proc *s, struct rcopy_req *r, long ret)
{
	const cmd_t *c = r->c;
	s64 bytes = ret == OK ? c->c_vcopy.v_bytes : 0;

	release_local_locked(&r->src, bytes);
	release_local_locked(&r->dst, bytes);
	if (r->writes && ret)
		s->rmt_failed_id = r->id;	/* its later chunks are dropped */
	if (r->writes && (c->c_flags & CMD_FLAG_MORE) && ret == OK)
		return;	/* answered with the last chunk */
	if (dvk_slot_bound(s) && s->usr.p_endpoint == c->c_src &&
	    !(s->usr.p_rts_flags & (SENDING | RECEIVING | RMTOPER))) {
		copy_answer_locked(s, c, r->id, ret, r->buf, r->onward, r->dnode);
		r->buf = NULL;
	}
}

/*
 * The remote side of a copy asked by requester c_src: COPYIN_DATA and
 * COPYIN_RQST (write one chunk of @payload into local v_dst; answer the
 * last chunk or a failed one), COPYOUT_RQST (read local v_src, stream the
 * data back), COPYLCL_RQST (copy between two local ends), COPYRMT_RQST
 * (read local v_src and stream it on to v_dst's node as COPYIN_RQST).
 * The answer leaves through the requester's stand-in; for COPYIN_RQST it
 * is the COPYRMT_ACK to the requester's node, which is not the node the
 * command came from.
 */
static long copy_request(struct dvk_dc *dc, const cmd_t *c, u64 id,
			 const void __user *payload)
{
	struct rcopy_req r = {
		.c = c, .id = id, .dnode = -1,
		.writes = c->c_cmd == CMD_COPYIN_DATA || c->c_cmd == CMD_COPYIN_RQST,
		.onward = c->c_cmd == CMD_COPYRMT_RQST,
	};
	struct dvk_proc *s;
	long ret, failed;
	bool dropped;

	if (!dvk_ep_in_range(dc, c->c_src))
		return EDVSRANGE;
	/* a chunk the source side could not read (see dvk_get2rmt): no data, answer that */
	failed = r.writes && c->c_rcode < 0 ? c->c_rcode : OK;
	ret = failed ? OK : copy_sizes_ok(c, r.writes);
	if (ret)
		return ret;
	spin_lock(&dc->lock);
	s = dvk_slot(dc, _ENDPOINT_P(c->c_src));
	ret = standin_ready_locked(s, &r, &dropped);
	if (ret || dropped) {
		spin_unlock(&dc->lock);
		return ret;
	}
	ret = request_ok_locked(dc, s, &r, failed);
	spin_unlock(&dc->lock);
	if (ret == OK)
		ret = move_data(&r, payload);
	spin_lock(&dc->lock);
	request_done_locked(s, &r, ret);
	spin_unlock(&dc->lock);
	dvk_payload_put(r.buf);
	return ret;
}

/**
 * dvk_put2lcl_copy - a copy command from a remote node (put2lcl).
 * @dc:      its DC, pinned
 * @c:       the header
 * @id:      its message id
 * @payload: c_len bytes, in the receiver proxy's memory
 */
long dvk_put2lcl_copy(struct dvk_dc *dc, const cmd_t *c, u64 id, const void __user *payload)
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
