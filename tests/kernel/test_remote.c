// SPDX-License-Identifier: GPL-2.0
/*
 * test_remote.c - remote IPC in one guest.  This guest is node 0; "node 1"
 * exists only as a proxy pair whose two proxies are threads of this test:
 * a sender thread collects what get2rmt hands out, and the main thread (the
 * receiver proxy) plays node 1 by answering with put2lcl.  So every step of
 * B.8.1 is checked against exact headers: send + SEND_ACK, sendrec + REPLY,
 * notify both ways, remote senders queued on local endpoints (stand-ins),
 * error ACKs, stale ACKs, every put2lcl check, disconnects in either
 * direction (EDVSNOTCONN, nothing delivered late), reconnection,
 * wait4bind(WAIT_UNBIND) of a remote endpoint, and proxies_unbind with a
 * caller waiting.  The two-guest cluster test runs the real proxies.
 *
 * Runs as root with dvk.ko loaded and the DVS not initialised; leaves it so.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include "ipc_test.h"

#define PX	1	/* the pair of node 1 */
#define RNODE	1
#define RSRV	5	/* remote system endpoints, on node 1 */
#define RCLI	6
#define RUSER	40	/* a remote user endpoint */
#define LSRV	3	/* local endpoints */
#define LCLI	4
#define FREE_EP	7	/* never bound */

/* ---- the sender proxy thread: get2rmt into a queue ---------------------- */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static cmd_t ring[64];
static unsigned char ring_pay[64][MAXCOPYBUF];	/* the payload of each */
static int ring_head, ring_tail;
static atomic_int stop, paused, sproxy_tid, timeouts;
static atomic_long sproxy_put2lcl, sproxy_err;

static void *sproxy_main(void *arg)
{
	static char payload[MAXCOPYBUF];
	cmd_t c;

	(void)arg;
	memset(&c, 0, sizeof(c));
	sproxy_tid = gettid();
	while (!atomic_load(&stop) && dvk_put2lcl(&c, NULL) == EDVSNOPROXY)
		usleep(2000);	/* until the pair is bound */
	sproxy_put2lcl = dvk_put2lcl(&c, NULL);	/* the sender may not put2lcl */
	while (!atomic_load(&stop)) {
		long r;

		if (atomic_load(&paused)) {
			usleep(2000);
			continue;
		}
		r = dvk_get2rmt_T(&c, payload, 50);
		if (r == OK) {
			pthread_mutex_lock(&mu);
			if (c.c_len > 0 && c.c_len <= MAXCOPYBUF)
				memcpy(ring_pay[ring_tail % 64], payload, c.c_len);
			ring[ring_tail++ % 64] = c;
			pthread_cond_broadcast(&cv);
			pthread_mutex_unlock(&mu);
		} else if (r == EDVSTIMEDOUT) {
			timeouts++;
		} else {
			sproxy_err = r;
			usleep(5000);	/* not connected: do not spin */
		}
	}
	return NULL;
}

static unsigned char last_pay[MAXCOPYBUF];	/* payload of the last next_cmd */

/* the next command get2rmt handed out, within ms; 0 if none came */
static int next_cmd(cmd_t *c, int ms)
{
	struct timespec t;
	int got = 0;

	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (ms % 1000) * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&mu);
	while (ring_head == ring_tail)
		if (pthread_cond_timedwait(&cv, &mu, &t))
			break;
	if (ring_head != ring_tail) {
		*c = ring[ring_head % 64];
		if (c->c_len > 0 && c->c_len <= MAXCOPYBUF)
			memcpy(last_pay, ring_pay[ring_head % 64], c->c_len);
		ring_head++;
		got = 1;
	}
	pthread_mutex_unlock(&mu);
	return got;
}

/* put2lcl of a command from node 1 */
static long put(int cmd, int src, int dst, int rcode, uint64_t id, const message *m)
{
	cmd_t c;

	memset(&c, 0, sizeof(c));
	c.c_cmd = cmd;
	c.c_dcid = DCID;
	c.c_src = src;
	c.c_dst = dst;
	c.c_snode = RNODE;
	c.c_dnode = 0;
	c.c_rcode = rcode;
	c.c_snd_seq = id;
	if (m)
		c.c_msg = *m;
	return dvk_put2lcl(&c, NULL);
}

static uint64_t rid = (uint64_t)RNODE << 56;	/* ids made by "node 1" */

/* put2lcl of a copy command from node 1, with its payload */
static long put_copy(int cmd, int src, int dst, int rcode, uint64_t id, const vcopy_t *v,
		     const void *payload, int len)
{
	cmd_t c;

	memset(&c, 0, sizeof(c));
	c.c_cmd = cmd;
	c.c_dcid = DCID;
	c.c_src = src;
	c.c_dst = dst;
	c.c_snode = RNODE;
	c.c_rcode = rcode;
	c.c_snd_seq = id;
	c.c_len = len;
	c.c_vcopy = *v;
	return dvk_put2lcl(&c, (void *)payload);
}

static int flags_of(int ep)
{
	proc_usr_t u;

	return dvk_getprocinfo(DCID, ep, &u) ? -1 : u.p_rts_flags;
}

/* ---- what the bound children do ---------------------------------------- */
static long do_send(int dst)
{
	message m = { .m_type = 77 };

	return dvk_send_T(dst, &m, 5000);
}

static long do_send_short(int dst)
{
	message m = { .m_type = 78 };

	return dvk_send_T(dst, &m, 300);
}

static long do_send_forever(int dst)
{
	message m = { .m_type = 79 };

	return dvk_send(dst, &m);
}

/* sendrec: the reply's m1_i1 if it came from dst with type 6, else the error */
static long do_sendrec(int dst)
{
	message m = { .m_type = 5 };
	long r = dvk_sendrec_T(dst, &m, 5000);

	if (r)
		return r;
	return m.m_source == dst && m.m_type == 6 ? m.m1_i1 : -1;
}

static long do_notify(int dst)
{
	return dvk_ntfy_value(SELF, dst, 3);
}

/* receive(ANY): source * 100000 + type, or the error */
static long do_receive(int ms)
{
	message m;
	long r = dvk_receive_T(ANY, &m, ms);

	return r ? r : (long)m.m_source * 100000 + m.m_type;
}

static long do_late_receive(int ms)
{
	usleep(400000);
	return do_receive(ms);
}

/* rcvrqst + reply(type + 1); the request's source * 1000 + type */
static long do_serve(int arg)
{
	message m;
	long r = dvk_rcvrqst_T(&m, 5000);
	int src = m.m_source, type = m.m_type;

	(void)arg;
	if (r)
		return r;
	m.m_type = type + 1;
	r = dvk_reply_T(src, &m, 5000);
	return r ? r : (long)src * 1000 + type;
}

static long do_wait4unbind(int ep)
{
	return dvk_wait4unbind_T(ep, 5000);
}

static long do_get2rmt(int arg)
{
	cmd_t c;

	(void)arg;
	return dvk_get2rmt_T(&c, NULL, 0);
}

/* ---- the scenarios ----------------------------------------------------- */
static void test_outgoing_send(void)
{
	pid_t c;
	cmd_t h;
	int got;

	c = child(LCLI, do_send, RSRV);
	got = next_cmd(&h, 3000);
	CHECK("a send to a remote endpoint reaches get2rmt", got, "nothing");
	CHECK("its header: SEND_MSG LCLI->RSRV node 0->1, the message, the sender's pid",
	      got && h.c_cmd == CMD_SEND_MSG && h.c_dcid == DCID && h.c_src == LCLI &&
	      h.c_dst == RSRV && h.c_snode == 0 && h.c_dnode == RNODE && h.c_len == 0 &&
	      h.c_msg.m_type == 77 && h.c_msg.m_source == LCLI && h.c_pid == c,
	      "cmd=%d src=%d dst=%d snode=%d dnode=%d type=%d source=%d pid=%d/%d", h.c_cmd,
	      h.c_src, h.c_dst, h.c_snode, h.c_dnode, h.c_msg.m_type, h.c_msg.m_source,
	      h.c_pid, c);
	CHECK("its message id is node 0's and not 0", h.c_snd_seq && !(h.c_snd_seq >> 56),
	      "id=%llx", (unsigned long long)h.c_snd_seq);
	usleep(50000);
	CHECK("the sender waits for the ACK: SENDING, no longer RMTOPER",
	      (flags_of(LCLI) & (SENDING | RMTOPER)) == SENDING, "flags=%x", flags_of(LCLI));
	CHECK_RC("SEND_ACK from node 1", put(CMD_SEND_ACK, RSRV, LCLI, OK, h.c_snd_seq, NULL), OK);
	CHECK_RC("the remote send returns OK after the ACK", wait_child(c, LCLI), OK);

	c = child(LCLI, do_send, RSRV);
	got = next_cmd(&h, 3000);
	CHECK_RC("an ACK with an id of another message is refused",
		 put(CMD_SEND_ACK, RSRV, LCLI, OK, h.c_snd_seq + 1, NULL), EDVSPROCSTS);
	CHECK_RC("an error SEND_ACK", put(CMD_SEND_ACK, RSRV, LCLI, EDVSDSTDIED, h.c_snd_seq, NULL),
		 OK);
	CHECK_RC("... is what the remote send returns", wait_child(c, LCLI), EDVSDSTDIED);

	c = child(LCLI, do_send_short, RSRV);
	got = next_cmd(&h, 3000);
	CHECK_RC("a remote send whose ACK never comes times out", wait_child(c, LCLI),
		 EDVSTIMEDOUT);
	CHECK_RC("its late ACK finds nobody waiting (EDVSPROCSTS)",
		 put(CMD_SEND_ACK, RSRV, LCLI, OK, h.c_snd_seq, NULL), EDVSPROCSTS);
}

static void test_outgoing_sendrec_notify(void)
{
	message rep = { .m_type = 6, .m1_i1 = 42 };
	pid_t c;
	cmd_t h;
	int got;

	c = child(LCLI, do_sendrec, RSRV);
	got = next_cmd(&h, 3000);
	CHECK("a sendrec to a remote endpoint: SNDREC_MSG", got && h.c_cmd == CMD_SNDREC_MSG &&
	      h.c_src == LCLI && h.c_dst == RSRV && h.c_msg.m_type == 5, "cmd=%d", h.c_cmd);
	usleep(50000);
	CHECK("the caller now waits for the reply: RECEIVING only",
	      (flags_of(LCLI) & (SENDING | RECEIVING | RMTOPER)) == RECEIVING, "flags=%x",
	      flags_of(LCLI));
	CHECK_RC("REPLY_MSG from node 1", put(CMD_REPLY_MSG, RSRV, LCLI, 0, ++rid, &rep), OK);
	CHECK_RC("the caller gets the reply (m1_i1 42, source RSRV)", wait_child(c, LCLI), 42);
	CHECK_RC("a second REPLY_MSG, the caller gone, gives EDVSDSTDIED",
		 put(CMD_REPLY_MSG, RSRV, LCLI, 0, ++rid, &rep), EDVSDSTDIED);

	c = child(LCLI, do_sendrec, RSRV);
	got = next_cmd(&h, 3000);
	CHECK_RC("an error SNDREC_ACK",
		 put(CMD_SNDREC_ACK, RSRV, LCLI, EDVSSRCDIED, h.c_snd_seq, NULL), OK);
	CHECK_RC("... ends the remote sendrec with it", wait_child(c, LCLI), EDVSSRCDIED);

	c = child(LCLI, do_notify, RSRV);
	got = next_cmd(&h, 3000);
	CHECK("a notify to a remote endpoint: NTFY_MSG with the update bit in c_rcode",
	      got && h.c_cmd == CMD_NTFY_MSG && h.c_src == LCLI && h.c_dst == RSRV &&
	      h.c_rcode == 3, "cmd=%d rcode=%d", h.c_cmd, h.c_rcode);
	CHECK_RC("the notify returns once the proxy took it (no ACK)", wait_child(c, LCLI), OK);
}

static void test_incoming(void)
{
	message m = { .m_type = 11 };
	pid_t c;
	cmd_t h;
	int got;

	c = child(LSRV, do_receive, 5000);
	wait_flags(LSRV, RECEIVING, 2000);
	CHECK_RC("put2lcl SEND_MSG RSRV->LSRV (receiving)", put(CMD_SEND_MSG, RSRV, LSRV, 0, ++rid, &m),
		 OK);
	CHECK_RC("the local receiver gets it from RSRV", wait_child(c, LSRV),
		 (long)RSRV * 100000 + 11);
	got = next_cmd(&h, 3000);
	CHECK("... and node 1 gets SEND_ACK OK with the message id",
	      got && h.c_cmd == CMD_SEND_ACK && h.c_src == LSRV && h.c_dst == RSRV &&
	      h.c_dnode == RNODE && h.c_rcode == OK && h.c_snd_seq == rid,
	      "cmd=%x src=%d dst=%d rcode=%d id=%llx", h.c_cmd, h.c_src, h.c_dst, h.c_rcode,
	      (unsigned long long)h.c_snd_seq);

	c = child(LSRV, do_late_receive, 5000);
	wait_bound(LSRV);
	CHECK_RC("put2lcl SEND_MSG to a local endpoint not receiving: queued",
		 put(CMD_SEND_MSG, RSRV, LSRV, 0, ++rid, &m), OK);
	CHECK("the stand-in RSRV is SENDING, queued on LSRV", flags_of(RSRV) & SENDING,
	      "flags=%x", flags_of(RSRV));
	CHECK_RC("a second command from the busy stand-in gives EDVSENQUEUED",
		 put(CMD_SEND_MSG, RSRV, LSRV, 0, rid + 1, &m), EDVSENQUEUED);
	CHECK("no ACK before it is received", !next_cmd(&h, 100), "cmd=%x", h.c_cmd);
	CHECK_RC("the local receiver takes it from the queue", wait_child(c, LSRV),
		 (long)RSRV * 100000 + 11);
	got = next_cmd(&h, 3000);
	CHECK("then the SEND_ACK leaves", got && h.c_cmd == CMD_SEND_ACK && h.c_snd_seq == rid,
	      "cmd=%x", h.c_cmd);

	c = child(LSRV, do_serve, 0);
	wait_flags(LSRV, RECEIVING, 2000);
	m.m_type = 20;
	CHECK_RC("put2lcl SNDREC_MSG RSRV->LSRV", put(CMD_SNDREC_MSG, RSRV, LSRV, 0, ++rid, &m), OK);
	CHECK_RC("the local server got it (rcvrqst) and replied", wait_child(c, LSRV),
		 (long)RSRV * 1000 + 20);
	got = next_cmd(&h, 3000);
	CHECK("the reply leaves as REPLY_MSG LSRV->RSRV (no SEND_ACK first)",
	      got && h.c_cmd == CMD_REPLY_MSG && h.c_src == LSRV && h.c_dst == RSRV &&
	      h.c_msg.m_type == 21 && h.c_msg.m_source == LSRV,
	      "cmd=%x type=%d", h.c_cmd, h.c_msg.m_type);
	CHECK("the stand-in is idle again", (flags_of(RSRV) & ~REMOTE) == 0, "flags=%x",
	      flags_of(RSRV));

	c = child(LSRV, do_receive, 5000);
	wait_flags(LSRV, RECEIVING, 2000);
	CHECK_RC("put2lcl NTFY_MSG RSRV->LSRV", put(CMD_NTFY_MSG, RSRV, LSRV, -1, ++rid, NULL), OK);
	CHECK_RC("the local receiver gets the notify from RSRV", wait_child(c, LSRV),
		 (long)RSRV * 100000 + NOTIFY_FROM(RSRV));
}

static void test_put2lcl_checks(void)
{
	message m = { .m_type = 1 };
	cmd_t c, h;
	int got;

	CHECK_RC("SEND_MSG to a free endpoint gives EDVSDSTDIED",
		 put(CMD_SEND_MSG, RSRV, FREE_EP, 0, ++rid, &m), EDVSDSTDIED);
	got = next_cmd(&h, 3000);
	CHECK("... and an error SEND_ACK goes back", got && h.c_cmd == CMD_SEND_ACK &&
	      h.c_rcode == EDVSDSTDIED && h.c_snd_seq == rid, "cmd=%x rcode=%d", h.c_cmd, h.c_rcode);
	CHECK_RC("from a slot not bound gives EDVSNOTBIND",
		 put(CMD_SEND_MSG, FREE_EP, LSRV, 0, ++rid, &m), EDVSNOTBIND);
	CHECK_RC("from a remote user endpoint (send not allowed) gives EDVSBADCALL",
		 put(CMD_SEND_MSG, RUSER, LSRV, 0, ++rid, &m), EDVSBADCALL);
	got = next_cmd(&h, 3000);
	CHECK("... with an error ACK", got && h.c_rcode == EDVSBADCALL, "rcode=%d", h.c_rcode);
	CHECK_RC("to a remote endpoint gives EDVSRMTPROC",
		 put(CMD_SEND_MSG, RSRV, RCLI, 0, ++rid, &m), EDVSRMTPROC);
	next_cmd(&h, 3000);
	CHECK_RC("an out-of-range destination gives EDVSRANGE",
		 put(CMD_SEND_MSG, RSRV, 9999, 0, ++rid, &m), EDVSRANGE);
	CHECK_RC("a command this DVK does not know gives EDVSNOSYS",
		 put(99, RSRV, LSRV, 0, ++rid, &m), EDVSNOSYS);
	CHECK_RC("a heartbeat (CMD_NONE) is accepted", put(CMD_NONE, 0, 0, 0, 0, NULL), OK);

	memset(&c, 0, sizeof(c));
	c.c_cmd = CMD_SEND_MSG;
	c.c_src = RSRV;
	c.c_dst = LSRV;
	c.c_snode = RNODE;
	c.c_dnode = 2;
	CHECK_RC("a command for another node gives EDVSBADNODEID", dvk_put2lcl(&c, NULL),
		 EDVSBADNODEID);
	c.c_dnode = 0;
	c.c_snode = 3;
	CHECK_RC("from a node the pair does not serve gives EDVSNONODE", dvk_put2lcl(&c, NULL),
		 EDVSNONODE);
	c.c_snode = RNODE;
	c.c_dcid = 5;
	CHECK_RC("for a DC not running gives EDVSDCNOTRUN", dvk_put2lcl(&c, NULL), EDVSDCNOTRUN);
	c.c_dcid = DCID;
	c.c_len = MAXCOPYBUF + 1;
	CHECK_RC("a payload longer than maxbytes gives EDVS2BIG", dvk_put2lcl(&c, NULL), EDVS2BIG);
	c.c_len = 0;
	CHECK_RC("a bad header pointer gives EDVSFAULT", dvk_put2lcl((cmd_t *)16, NULL), EDVSFAULT);
	CHECK_RC("the sender proxy may not put2lcl (EDVSBADCALL)", sproxy_put2lcl, EDVSBADCALL);
	CHECK_RC("the receiver proxy may not get2rmt (EDVSBADCALL)", dvk_get2rmt_T(&c, NULL, 0),
		 EDVSBADCALL);
	CHECK_RC("a process that is no proxy may not get2rmt (EDVSNOPROXY)",
		 wait_child(child(LSRV, do_get2rmt, 0), LSRV), EDVSNOPROXY);
	CHECK("get2rmt timed out while idle (the heartbeat)", timeouts > 0, "%d", timeouts);
}

/* ---- remote vcopy ------------------------------------------------------ */
static unsigned char vbuf[3 * MAXCOPYBUF], vbuf2[3 * MAXCOPYBUF], want[3 * MAXCOPYBUF];

static unsigned char pat(int which, long i)
{
	return (unsigned char)(i * (2 * which + 1) + which);
}

static void fill(unsigned char *b, int which, long n)
{
	for (long i = 0; i < n; i++)
		b[i] = pat(which, i);
}

/* bytes of b[0..n) that differ from pattern which */
static long mismatches(const unsigned char *b, int which, long n)
{
	long bad = 0;

	for (long i = 0; i < n; i++)
		bad += b[i] != pat(which, i);
	return bad;
}

static long do_vcopy_to_remote(int bytes)
{
	fill(vbuf, 1, bytes);
	return dvk_vcopy(SELF, vbuf, RSRV, (void *)0x1000, bytes);
}

static long do_vcopy_from_remote(int bytes)
{
	long r;

	memset(vbuf, 0, sizeof(vbuf));
	r = dvk_vcopy(RSRV, (void *)0x2000, SELF, vbuf, bytes);
	return r ? r : mismatches(vbuf, 2, bytes) ? -1 : OK;
}

static long do_vcopy_lcl_remote(int bytes)
{
	return dvk_vcopy(RSRV, (void *)0x10, RCLI, (void *)0x20, bytes);
}

/* filled with pattern @which, receive (released by a message), then report vbuf2 */
static long do_copy_target(int which)
{
	message m;
	long r;

	fill(vbuf, which, sizeof(vbuf));
	memset(vbuf2, 0, sizeof(vbuf2));
	r = dvk_receive_T(ANY, &m, 8000);
	if (r)
		return r;
	return mismatches(vbuf2, which, 70000) == 0 ? 1 : mismatches(vbuf2, 3, 1000) == 0 ? 3 : 0;
}

/* end a local process's receive with a message from RSRV */
static void release(int ep)
{
	message m = { .m_type = 1 };
	cmd_t h;

	put(CMD_SEND_MSG, RSRV, ep, 0, ++rid, &m);
	next_cmd(&h, 3000);
}

static void test_vcopy_remote(void)
{
	vcopy_t v;
	pid_t c, c2;
	cmd_t h;
	int chunks = 0, ok = 1, got;
	long off = 0;

	/* local -> remote: COPYIN_DATA in chunks of maxbytes */
	fill(want, 1, 150000);
	c = child(LCLI, do_vcopy_to_remote, 150000);
	while (off < 150000 && next_cmd(&h, 3000)) {
		long n = 150000 - off < MAXCOPYBUF ? 150000 - off : MAXCOPYBUF;

		ok &= h.c_cmd == CMD_COPYIN_DATA && h.c_dst == RSRV && h.c_len == n &&
		      h.c_vcopy.v_bytes == n && h.c_vcopy.v_daddr == 0x1000 + (uint64_t)off &&
		      h.c_vcopy.v_rqtr == LCLI && !memcmp(last_pay, want + off, n);
		chunks++;
		off += n;
		put_copy(CMD_COPYIN_ACK, RSRV, LCLI, OK, h.c_snd_seq, &h.c_vcopy, NULL, 0);
	}
	CHECK("vcopy local->remote: 3 COPYIN_DATA chunks of maxbytes, data and addresses right",
	      ok && chunks == 3, "chunks=%d ok=%d", chunks, ok);
	CHECK_RC("... and the requester gets OK after the last COPYIN_ACK", wait_child(c, LCLI), OK);

	/* remote -> local: COPYOUT_RQST, answered by COPYOUT_DATA */
	fill(want, 2, 100000);
	c = child(LCLI, do_vcopy_from_remote, 100000);
	chunks = 0;
	ok = 1;
	while (next_cmd(&h, 1000) && h.c_cmd == CMD_COPYOUT_RQST) {
		long o = h.c_vcopy.v_saddr - 0x2000;

		ok &= h.c_dst == RSRV && h.c_len == 0 && o >= 0 && o + h.c_vcopy.v_bytes <= 100000;
		chunks++;
		put_copy(CMD_COPYOUT_DATA, RSRV, LCLI, OK, h.c_snd_seq, &h.c_vcopy, want + o,
			 (int)h.c_vcopy.v_bytes);
	}
	CHECK("vcopy remote->local: 2 COPYOUT_RQST chunks", ok && chunks == 2, "chunks=%d",
	      chunks);
	CHECK_RC("... the data arrives byte for byte", wait_child(c, LCLI), OK);

	/* both ends on node 1: one COPYLCL_RQST */
	c = child(LCLI, do_vcopy_lcl_remote, 5000);
	got = next_cmd(&h, 3000);
	CHECK("vcopy between two endpoints of node 1: one COPYLCL_RQST",
	      got && h.c_cmd == CMD_COPYLCL_RQST && h.c_vcopy.v_src == RSRV &&
	      h.c_vcopy.v_dst == RCLI && h.c_vcopy.v_bytes == 5000 && h.c_len == 0,
	      "cmd=%x", h.c_cmd);
	put_copy(CMD_COPYLCL_ACK, RSRV, LCLI, OK, h.c_snd_seq, &h.c_vcopy, NULL, 0);
	CHECK_RC("... COPYLCL_ACK ends it", wait_child(c, LCLI), OK);

	/* node 1's requester writes into a local process (COPYIN_DATA in) */
	c = child(LSRV, do_copy_target, 3);
	wait_flags(LSRV, RECEIVING, 2000);
	fill(want, 3, 1000);
	v = (vcopy_t){ .v_src = RSRV, .v_dst = LSRV, .v_rqtr = RSRV,
		       .v_daddr = (uint64_t)(uintptr_t)vbuf2, .v_bytes = 1000 };
	CHECK_RC("put2lcl COPYIN_DATA into a local receiver",
		 put_copy(CMD_COPYIN_DATA, RSRV, LSRV, 0, ++rid, &v, want, 1000), OK);
	got = next_cmd(&h, 3000);
	CHECK("... answered by COPYIN_ACK OK", got && h.c_cmd == CMD_COPYIN_ACK &&
	      h.c_src == LSRV && h.c_dst == RSRV && h.c_rcode == OK && h.c_snd_seq == rid,
	      "cmd=%x rcode=%d", h.c_cmd, h.c_rcode);
	release(LSRV);
	CHECK_RC("... and the bytes are in its memory", wait_child(c, LSRV), 3);

	/* node 1's requester reads a local process (COPYOUT_RQST in) */
	c = child(LSRV, do_copy_target, 4);
	wait_flags(LSRV, RECEIVING, 2000);
	v = (vcopy_t){ .v_src = LSRV, .v_dst = RSRV, .v_rqtr = RSRV,
		       .v_saddr = (uint64_t)(uintptr_t)vbuf, .v_bytes = 2000 };
	CHECK_RC("put2lcl COPYOUT_RQST of a local receiver",
		 put_copy(CMD_COPYOUT_RQST, RSRV, LSRV, 0, ++rid, &v, NULL, 0), OK);
	got = next_cmd(&h, 3000);
	CHECK("... answered by COPYOUT_DATA with its bytes", got && h.c_cmd == CMD_COPYOUT_DATA &&
	      h.c_len == 2000 && h.c_rcode == OK && mismatches(last_pay, 4, 2000) == 0,
	      "cmd=%x len=%d", h.c_cmd, h.c_len);
	release(LSRV);
	wait_child(c, LSRV);

	/* node 1's requester copies between two local processes (COPYLCL_RQST in) */
	c = child(LSRV, do_copy_target, 5);
	c2 = child(LCLI, do_copy_target, 5);	/* expects the source's pattern */
	wait_flags(LSRV, RECEIVING, 2000);
	wait_flags(LCLI, RECEIVING, 2000);
	v = (vcopy_t){ .v_src = LSRV, .v_dst = LCLI, .v_rqtr = RSRV,
		       .v_saddr = (uint64_t)(uintptr_t)vbuf, .v_daddr = (uint64_t)(uintptr_t)vbuf2,
		       .v_bytes = 70000 };
	CHECK_RC("put2lcl COPYLCL_RQST between two local receivers (70000 bytes)",
		 put_copy(CMD_COPYLCL_RQST, RSRV, LSRV, 0, ++rid, &v, NULL, 0), OK);
	got = next_cmd(&h, 3000);
	CHECK("... answered by COPYLCL_ACK OK", got && h.c_cmd == CMD_COPYLCL_ACK &&
	      h.c_rcode == OK, "cmd=%x rcode=%d", h.c_cmd, h.c_rcode);
	release(LSRV);
	wait_child(c, LSRV);
	release(LCLI);
	CHECK_RC("... the destination holds the source's bytes", wait_child(c2, LCLI), 1);

	v = (vcopy_t){ .v_src = RSRV, .v_dst = FREE_EP, .v_rqtr = RSRV, .v_bytes = 10 };
	CHECK_RC("COPYIN_DATA to a free endpoint gives EDVSDSTDIED",
		 put_copy(CMD_COPYIN_DATA, RSRV, FREE_EP, 0, ++rid, &v, want, 10), EDVSDSTDIED);
	got = next_cmd(&h, 3000);
	CHECK("... and the requester's node gets COPYIN_ACK with it", got &&
	      h.c_cmd == CMD_COPYIN_ACK && h.c_rcode == EDVSDSTDIED, "cmd=%x rcode=%d", h.c_cmd,
	      h.c_rcode);
}

/* ---- stress: many callers through one pair, node 1 answering at once ---- */
#define NCLI	8	/* local clients: endpoints 10..17 */
#define NREQ	200	/* sendrecs each */
#define NIN	300	/* messages from RCLI to LSRV */

/* sendrec NREQ times to RSRV; the replies must echo our sequence, in order */
static long stress_client(int ep)
{
	for (int i = 0; i < NREQ; i++) {
		message m = { .m_type = 500, .m1_i1 = ep * 100000 + i };
		long r = dvk_sendrec_T(RSRV, &m, 10000);

		if (r)
			return r;
		if (m.m_source != RSRV || m.m_type != 501 || m.m1_i1 != ep * 100000 + i)
			return -1000 - i;
	}
	return NREQ;
}

/* receive NIN messages from RCLI, in order */
static long stress_server(int arg)
{
	(void)arg;
	for (int i = 0; i < NIN; i++) {
		message m;
		long r = dvk_receive_T(RCLI, &m, 10000);

		if (r)
			return r;
		if (m.m_source != RCLI || m.m1_i1 != i)
			return -1000 - i;
	}
	return NIN;
}

static void test_stress(void)
{
	pid_t cli[NCLI], srv;
	int done = 0, sent_in = 1, acks = 0, replies = 0, bad = 0, i;
	message m = { .m_type = 600, .m1_i1 = 0 };
	struct timespec t0;
	cmd_t h;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	srv = child(LSRV, stress_server, 0);
	for (i = 0; i < NCLI; i++)
		cli[i] = child(10 + i, stress_client, 10 + i);
	wait_bound(LSRV);
	if (put(CMD_SEND_MSG, RCLI, LSRV, 0, ++rid, &m))
		bad++;
	while (done < NCLI + 1 && ms_since(&t0) < 60000) {
		if (!next_cmd(&h, 100)) {
			for (done = 0, i = 0; i < NCLI; i++)
				done += waitpid(cli[i], NULL, WNOHANG) == cli[i] || cli[i] == 0;
			continue;
		}
		if (h.c_cmd == CMD_SNDREC_MSG) {	/* node 1's server answers at once */
			message r = h.c_msg;

			r.m_type = h.c_msg.m_type + 1;
			replies++;
			if (put(CMD_REPLY_MSG, h.c_dst, h.c_src, 0, ++rid, &r))
				bad++;
		} else if (h.c_cmd == CMD_SEND_ACK && h.c_dst == RCLI) {
			acks++;
			if (h.c_rcode)
				bad++;
			if (sent_in < NIN) {
				m.m1_i1 = sent_in++;
				if (put(CMD_SEND_MSG, RCLI, LSRV, 0, ++rid, &m))
					bad++;
			} else {
				done = NCLI + 1;	/* the inbound half is over; clients below */
			}
		} else {
			bad++;
		}
	}
	for (i = 0; i < NCLI; i++) {
		long r;

		while (waitpid(cli[i], NULL, WNOHANG) == 0 && ms_since(&t0) < 60000) {
			if (next_cmd(&h, 50) && h.c_cmd == CMD_SNDREC_MSG) {
				message rr = h.c_msg;

				rr.m_type = h.c_msg.m_type + 1;
				replies++;
				put(CMD_REPLY_MSG, h.c_dst, h.c_src, 0, ++rid, &rr);
			}
		}
		r = results[10 + i + NR_TASKS];
		CHECK("stress: a client's 200 remote sendrecs, each reply once and in order",
		      r == NREQ, "client %d: %ld", 10 + i, r);
	}
	CHECK_RC("stress: 300 remote sends to a local server, once and in order",
		 wait_child(srv, LSRV), NIN);
	CHECK("stress: node 1 saw every request and ACK, no unexpected command",
	      replies == NCLI * NREQ && acks == NIN && bad == 0, "replies=%d acks=%d bad=%d",
	      replies, acks, bad);
	printf("stress: %d remote sendrecs + %d remote sends in %ld ms\n", NCLI * NREQ, NIN,
	       ms_since(&t0));
}

/* debugfs proxies: the pair's line counts the traffic of the tests above */
static void check_debugfs_row(void)
{
	unsigned long long nodes, out, bout, in, bin, eout, ein;
	char line[512], name[32], state[8];
	FILE *f = fopen("/sys/kernel/debug/dvk/proxies", "r");
	int px, q, found = 0;

	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%d %31s %7s %llx %d %*s %llu %llu %llu %llu %llu %llu", &px, name,
			   state, &nodes, &q, &out, &bout, &in, &bin, &eout, &ein) == 11 && px == PX)
			found = 1;
		if (found)
			break;
	}
	if (f)
		fclose(f);
	CHECK("debugfs proxies: pair 1, node1, ISR, node 1, empty queue", found &&
	      !strcmp(name, "node1") && !strcmp(state, "ISR") && nodes == 2 && q == 0,
	      "found=%d name=%s state=%s nodes=%llx q=%d", found, name, state, nodes, q);
	CHECK("... its counters count: messages and bytes each way, errors both ways",
	      found && out >= 10 && bout >= out * sizeof(cmd_t) && in >= 10 &&
	      bin >= in * sizeof(cmd_t) && eout >= 1 && ein >= 5,
	      "out=%llu/%llu in=%llu/%llu err=%llu/%llu", out, bout, in, bin, eout, ein);
}

static void test_disconnects(void)
{
	message m = { .m_type = 12 };
	pid_t c, s;
	cmd_t h;

	c = child(LCLI, do_send_forever, RSRV);
	next_cmd(&h, 3000);
	usleep(50000);
	CHECK_RC("receiver proxy disconnects", dvk_proxy_conn(PX, DISCONNECT_RPROXY), OK);
	CHECK_RC("a caller waiting for an ACK gets EDVSNOTCONN", wait_child(c, LCLI), EDVSNOTCONN);
	CHECK_RC("a remote send while disconnected gives EDVSNOTCONN at once",
		 wait_child(child(LCLI, do_send, RSRV), LCLI), EDVSNOTCONN);
	CHECK_RC("reconnect", dvk_proxy_conn(PX, CONNECT_RPROXY), OK);
	c = child(LCLI, do_send, RSRV);
	CHECK("traffic resumes after reconnection", next_cmd(&h, 3000) &&
	      h.c_cmd == CMD_SEND_MSG, "cmd=%d", h.c_cmd);
	put(CMD_SEND_ACK, RSRV, LCLI, OK, h.c_snd_seq, NULL);
	CHECK_RC("... and its ACK comes back", wait_child(c, LCLI), OK);

	paused = 1;
	usleep(100000);
	c = child(LCLI, do_send_forever, RSRV);
	wait_flags(LCLI, RMTOPER, 2000);
	CHECK("a command nobody took yet: RMTOPER", flags_of(LCLI) & RMTOPER, "flags=%x",
	      flags_of(LCLI));
	CHECK_RC("sender proxy disconnects", dvk_proxy_conn(PX, DISCONNECT_SPROXY), OK);
	CHECK_RC("the queued caller gets EDVSNOTCONN", wait_child(c, LCLI), EDVSNOTCONN);
	CHECK_RC("reconnect the sender", dvk_proxy_conn(PX, CONNECT_SPROXY), OK);
	paused = 0;

	s = child(LSRV, do_late_receive, 800);
	wait_bound(LSRV);
	CHECK_RC("a remote message queued on LSRV", put(CMD_SEND_MSG, RSRV, LSRV, 0, ++rid, &m), OK);
	CHECK_RC("disconnect", dvk_proxy_conn(PX, DISCONNECT_RPROXY), OK);
	CHECK_RC("... withdraws it: LSRV's receive times out, nothing is delivered late",
		 wait_child(s, LSRV), EDVSTIMEDOUT);
	CHECK("the stand-in is idle", (flags_of(RSRV) & ~REMOTE) == 0, "flags=%x", flags_of(RSRV));
	dvk_proxy_conn(PX, CONNECT_RPROXY);

	c = child(LCLI, do_wait4unbind, RSRV);
	usleep(200000);
	dvk_proxy_conn(PX, DISCONNECT_RPROXY);
	CHECK_RC("wait4bind(WAIT_UNBIND) of a remote endpoint ends with EDVSNOTCONN",
		 wait_child(c, LCLI), EDVSNOTCONN);
	dvk_proxy_conn(PX, CONNECT_RPROXY);

	c = child(LCLI, do_send_forever, RCLI);
	next_cmd(&h, 3000);
	usleep(50000);
	CHECK_RC("unbind of the remote descriptor a caller waits on", dvk_unbind(DCID, RCLI), OK);
	CHECK_RC("... ends its wait with EDVSDSTDIED", wait_child(c, LCLI), EDVSDSTDIED);
	CHECK_RC("rmtbind it again", dvk_rmtbind(DCID, "rcli", RCLI, RNODE), RCLI);

	check_debugfs_row();
	c = child(LCLI, do_send_forever, RSRV);
	next_cmd(&h, 3000);
	usleep(50000);
	stop = 1;	/* the sender thread will get SIGTERM; let it end */
	CHECK_RC("proxies_unbind while a caller waits", dvk_proxies_unbind(PX), OK);
	CHECK_RC("... the caller gets EDVSNOTCONN", wait_child(c, LCLI), EDVSNOTCONN);
}

static void on_term(int sig)
{
	(void)sig;
}

int main(void)
{
	dvs_usr_t d = {
		.d_nr_dcs = NR_DCS, .d_nr_nodes = NR_NODES, .d_nr_procs = NR_PROCS,
		.d_nr_tasks = NR_TASKS, .d_nr_sysprocs = NR_SYS_PROCS,
		.d_max_copybuf = MAXCOPYBUF, .d_max_copylen = MAXCOPYLEN, .d_name = "RMT",
	};
	dc_usr_t dc = {
		.dc_dcid = DCID, .dc_nr_procs = NR_PROCS, .dc_nr_tasks = NR_TASKS,
		.dc_nr_sysprocs = NR_SYS_PROCS, .dc_nr_nodes = NR_NODES, .dc_name = "DC0",
	};
	pthread_t th;

	signal(SIGTERM, on_term);	/* proxies_unbind signals the other proxy */
	results = mmap(NULL, 512 * sizeof(long), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (results == MAP_FAILED)
		return 1;
	CHECK_RC("dvs_init", dvk_dvs_init(0, &d), 0);
	CHECK_RC("dc_init", dvk_dc_init(&dc), 0);
	pthread_create(&th, NULL, sproxy_main, NULL);
	while (!sproxy_tid)
		usleep(1000);
	CHECK_RC("proxies_bind (threads as proxies)",
		 dvk_proxies_bind("node1", PX, sproxy_tid, gettid(), MAXCOPYBUF), OK);
	CHECK_RC("node_up", dvk_node_up("node1", RNODE, PX), OK);
	CHECK_RC("add_node", dvk_add_node(DCID, RNODE), OK);
	CHECK_RC("rmtbind RSRV", dvk_rmtbind(DCID, "rsrv", RSRV, RNODE), RSRV);
	CHECK_RC("rmtbind RCLI", dvk_rmtbind(DCID, "rcli", RCLI, RNODE), RCLI);
	CHECK_RC("rmtbind RUSER", dvk_rmtbind(DCID, "ruser", RUSER, RNODE), RUSER);
	CHECK_RC("a remote send before the proxies connect gives EDVSNOTCONN",
		 wait_child(child(LCLI, do_send, RSRV), LCLI), EDVSNOTCONN);
	CHECK_RC("put2lcl before the receiver connects gives EDVSNOTCONN",
		 put(CMD_NONE, 0, 0, 0, 0, NULL), EDVSNOTCONN);
	CHECK_RC("connect the sender", dvk_proxy_conn(PX, CONNECT_SPROXY), OK);
	CHECK_RC("connect the receiver", dvk_proxy_conn(PX, CONNECT_RPROXY), OK);

	test_outgoing_send();
	test_outgoing_sendrec_notify();
	test_incoming();
	test_put2lcl_checks();
	test_vcopy_remote();
	test_stress();
	test_disconnects();

	stop = 1;
	pthread_join(th, NULL);
	CHECK("the sender proxy saw no unexpected error", sproxy_err == 0 ||
	      sproxy_err == EDVSNOTCONN || sproxy_err == EDVSNOPROXY || sproxy_err == -EINTR,
	      "%ld", (long)sproxy_err);
	CHECK_RC("dc_end", dvk_dc_end(DCID), OK);
	CHECK_RC("dvs_end", dvk_dvs_end(), OK);
	return CHECK_EXIT();
}
