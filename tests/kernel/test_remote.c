// SPDX-License-Identifier: GPL-2.0
/*
 * test_remote.c - remote IPC in one guest (harness: rmt_fixture.h: node 1 is
 * a proxy pair of two threads of this test, played by hand).  Every step of
 * docs/original-dvk.md#path-of-a-remote-message is checked against exact headers: send + SEND_ACK, sendrec + REPLY,
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
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "rmt_fixture.h"

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

/*
 * Take one request and answer it with type + 1: by rcvrqst + reply, or
 * (by_send) by receive(ANY) + send, as original servers do; the request's
 * source * 1000 + type.
 */
static long serve_one(int by_send)
{
	message m;
	long r = by_send ? dvk_receive_T(ANY, &m, 5000) : dvk_rcvrqst_T(&m, 5000);
	int src = m.m_source, type = m.m_type;

	if (r)
		return r;
	m.m_type = type + 1;
	r = by_send ? dvk_send_T(src, &m, 5000) : dvk_reply_T(src, &m, 5000);
	return r ? r : (long)src * 1000 + type;
}

/* rcvrqst + reply(type + 1) */
static long do_serve(int arg)
{
	(void)arg;
	return serve_one(0);
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
	/* a peer's result outside the ABI's codes never reaches the caller as it is */
	for (int i = 0; i < 3; i++) {
		static const int bad[] = { -512, 7, -100000 };

		c = child(LCLI, do_send, RSRV);
		got = next_cmd(&h, 3000);
		CHECK_RC("a SEND_ACK with a result no call returns (-512 ERESTARTSYS, 7, -100000)",
			 put(CMD_SEND_ACK, RSRV, LCLI, bad[i], h.c_snd_seq, NULL), OK);
		CHECK_RC("... makes the remote send return EDVSGENERIC", wait_child(c, LCLI),
			 EDVSGENERIC);
	}

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
	CHECK_RC("REPLY_MSG from node 1", put(CMD_REPLY_MSG, RSRV, LCLI, 0, ++rmt.rid, &rep), OK);
	CHECK_RC("the caller gets the reply (m1_i1 42, source RSRV)", wait_child(c, LCLI), 42);
	CHECK_RC("a second REPLY_MSG, the caller gone, gives EDVSDSTDIED",
		 put(CMD_REPLY_MSG, RSRV, LCLI, 0, ++rmt.rid, &rep), EDVSDSTDIED);

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

/* receive(ANY), then answer with send(m_source, type + 1) */
static long do_serve_by_send(int arg)
{
	(void)arg;
	return serve_one(1);
}

/* receive(ANY) a request and leave it unanswered, then do_serve(): first type * 1000 + second */
static long do_ignore_then_serve(int arg)
{
	message m;
	long r = dvk_receive_T(ANY, &m, 5000);

	if (r)
		return r;
	r = do_serve(arg);
	return r < 0 ? r : (long)m.m_type * 1000 + r % 1000;
}

/*
 * A sendrec of RSRV answered with send: the answer leaves as SEND_MSG, the
 * stand-in stops waiting for a reply, and RSRV's next sendrec is taken.
 * Then a sendrec that is never answered: RSRV's next one is taken anyway
 * (its caller gave the first up).
 */
static void test_answer_by_send(void)
{
	message m = { .m_type = 30 };
	pid_t c;
	cmd_t h;
	int got;

	c = child_receiving(LSRV, do_serve_by_send, 0);
	CHECK_RC("put2lcl SNDREC_MSG RSRV->LSRV for a server that answers with send",
		 put(CMD_SNDREC_MSG, RSRV, LSRV, 0, ++rmt.rid, &m), OK);
	got = next_cmd(&h, 3000);
	CHECK("its answer leaves as SEND_MSG LSRV->RSRV",
	      got && h.c_cmd == CMD_SEND_MSG && h.c_src == LSRV && h.c_dst == RSRV &&
	      h.c_msg.m_type == 31, "cmd=%x type=%d", h.c_cmd, h.c_msg.m_type);
	CHECK("... and the stand-in no longer waits for a reply", !(flags_of(RSRV) & RECEIVING),
	      "flags=%x", flags_of(RSRV));
	CHECK_RC("node 1's SEND_ACK ends the server's send",
		 put(CMD_SEND_ACK, RSRV, LSRV, OK, h.c_snd_seq, NULL), OK);
	CHECK_RC("the server's receive + send", wait_child(c, LSRV), (long)RSRV * 1000 + 30);

	c = child_receiving(LSRV, do_ignore_then_serve, 0);
	CHECK_RC("RSRV's next sendrec is taken (no EDVSENQUEUED)",
		 put(CMD_SNDREC_MSG, RSRV, LSRV, 0, ++rmt.rid, &m), OK);
	wait_flags(LSRV, RECEIVING, 2000);	/* it took it, and waits again */
	CHECK("the stand-in waits for its answer, which never comes", flags_of(RSRV) & RECEIVING,
	      "flags=%x", flags_of(RSRV));
	m.m_type = 40;
	CHECK_RC("RSRV's next sendrec (it gave the unanswered one up) is taken",
		 put(CMD_SNDREC_MSG, RSRV, LSRV, 0, ++rmt.rid, &m), OK);
	CHECK_RC("... the server got both and replied to the second", wait_child(c, LSRV),
		 30L * 1000 + 40);
	got = next_cmd(&h, 3000);
	CHECK("the reply leaves as REPLY_MSG type 41", got && h.c_cmd == CMD_REPLY_MSG &&
	      h.c_msg.m_type == 41, "cmd=%x type=%d", h.c_cmd, h.c_msg.m_type);
}

static void test_incoming(void)
{
	message m = { .m_type = 11 };
	pid_t c;
	cmd_t h;
	int got;

	c = child_receiving(LSRV, do_receive, 5000);
	CHECK_RC("put2lcl SEND_MSG RSRV->LSRV (receiving)",
		 put(CMD_SEND_MSG, RSRV, LSRV, 0, ++rmt.rid, &m),
		 OK);
	CHECK_RC("the local receiver gets it from RSRV", wait_child(c, LSRV),
		 (long)RSRV * 100000 + 11);
	got = next_cmd(&h, 3000);
	CHECK("... and node 1 gets SEND_ACK OK with the message id",
	      got && h.c_cmd == CMD_SEND_ACK && h.c_src == LSRV && h.c_dst == RSRV &&
	      h.c_dnode == RNODE && h.c_rcode == OK && h.c_snd_seq == rmt.rid,
	      "cmd=%x src=%d dst=%d rcode=%d id=%llx", h.c_cmd, h.c_src, h.c_dst, h.c_rcode,
	      (unsigned long long)h.c_snd_seq);

	c = child(LSRV, do_late_receive, 5000);
	wait_bound(LSRV);
	CHECK_RC("put2lcl SEND_MSG to a local endpoint not receiving: queued",
		 put(CMD_SEND_MSG, RSRV, LSRV, 0, ++rmt.rid, &m), OK);
	CHECK("the stand-in RSRV is SENDING, queued on LSRV", flags_of(RSRV) & SENDING,
	      "flags=%x", flags_of(RSRV));
	m.m_type = 12;
	CHECK_RC("a new send of RSRV (its caller gave the queued one up) is taken",
		 put(CMD_SEND_MSG, RSRV, LSRV, 0, rmt.rid + 1, &m), OK);
	CHECK("no ACK before it is received (none for the withdrawn one)", !next_cmd(&h, 100),
	      "cmd=%x", h.c_cmd);
	CHECK_RC("the local receiver takes the new message, not the withdrawn one",
		 wait_child(c, LSRV), (long)RSRV * 100000 + 12);
	got = next_cmd(&h, 3000);
	CHECK("then the SEND_ACK of the new one leaves",
	      got && h.c_cmd == CMD_SEND_ACK && h.c_snd_seq == rmt.rid + 1, "cmd=%x id=%llx", h.c_cmd,
	      (unsigned long long)h.c_snd_seq);
	CHECK("... and the stand-in is idle", (flags_of(RSRV) & ~REMOTE) == 0, "flags=%x",
	      flags_of(RSRV));
	rmt.rid++;
	m.m_type = 11;

	c = child_receiving(LSRV, do_serve, 0);
	m.m_type = 20;
	CHECK_RC("put2lcl SNDREC_MSG RSRV->LSRV", put(CMD_SNDREC_MSG, RSRV, LSRV, 0, ++rmt.rid, &m),
		 OK);
	CHECK_RC("the local server got it (rcvrqst) and replied", wait_child(c, LSRV),
		 (long)RSRV * 1000 + 20);
	got = next_cmd(&h, 3000);
	CHECK("the reply leaves as REPLY_MSG LSRV->RSRV (no SEND_ACK first)",
	      got && h.c_cmd == CMD_REPLY_MSG && h.c_src == LSRV && h.c_dst == RSRV &&
	      h.c_msg.m_type == 21 && h.c_msg.m_source == LSRV,
	      "cmd=%x type=%d", h.c_cmd, h.c_msg.m_type);
	CHECK("the stand-in is idle again", (flags_of(RSRV) & ~REMOTE) == 0, "flags=%x",
	      flags_of(RSRV));

	test_answer_by_send();

	c = child_receiving(LSRV, do_receive, 5000);
	CHECK_RC("put2lcl NTFY_MSG RSRV->LSRV", put(CMD_NTFY_MSG, RSRV, LSRV, -1, ++rmt.rid, NULL),
		 OK);
	CHECK_RC("the local receiver gets the notify from RSRV, m_type NOTIFY_MESSAGE | RSRV",
		 wait_child(c, LSRV), (long)RSRV * 100000 + (NOTIFY_MESSAGE | RSRV));
}

static void test_put2lcl_checks(void)
{
	message m = { .m_type = 1 };
	cmd_t c, h;
	int got;

	CHECK_RC("SEND_MSG to a free endpoint gives EDVSDSTDIED",
		 put(CMD_SEND_MSG, RSRV, FREE_EP, 0, ++rmt.rid, &m), EDVSDSTDIED);
	got = next_cmd(&h, 3000);
	CHECK("... and an error SEND_ACK goes back", got && h.c_cmd == CMD_SEND_ACK &&
	      h.c_rcode == EDVSDSTDIED && h.c_snd_seq == rmt.rid, "cmd=%x rcode=%d", h.c_cmd, h.c_rcode);
	CHECK_RC("from a slot not bound gives EDVSNOTBIND",
		 put(CMD_SEND_MSG, FREE_EP, LSRV, 0, ++rmt.rid, &m), EDVSNOTBIND);
	CHECK_RC("from a remote user endpoint (send not allowed) gives EDVSBADCALL",
		 put(CMD_SEND_MSG, RUSER, LSRV, 0, ++rmt.rid, &m), EDVSBADCALL);
	got = next_cmd(&h, 3000);
	CHECK("... with an error ACK", got && h.c_rcode == EDVSBADCALL, "rcode=%d", h.c_rcode);
	CHECK_RC("to a remote endpoint gives EDVSRMTPROC",
		 put(CMD_SEND_MSG, RSRV, RCLI, 0, ++rmt.rid, &m), EDVSRMTPROC);
	next_cmd(&h, 3000);
	CHECK_RC("an out-of-range destination gives EDVSRANGE",
		 put(CMD_SEND_MSG, RSRV, 9999, 0, ++rmt.rid, &m), EDVSRANGE);
	CHECK_RC("a command this DVK does not know gives EDVSNOSYS",
		 put(99, RSRV, LSRV, 0, ++rmt.rid, &m), EDVSNOSYS);
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
	CHECK_RC("the sender proxy may not put2lcl (EDVSBADCALL)", rmt.sender_put2lcl, EDVSBADCALL);
	CHECK_RC("the receiver proxy may not get2rmt (EDVSBADCALL)", dvk_get2rmt_T(&c, NULL, 0),
		 EDVSBADCALL);
	CHECK_RC("a process that is no proxy may not get2rmt (EDVSNOPROXY)",
		 wait_child(child(LSRV, do_get2rmt, 0), LSRV), EDVSNOPROXY);
	CHECK("get2rmt timed out while idle (the heartbeat)", rmt.timeouts > 0, "%d", rmt.timeouts);
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
	if (put(CMD_SEND_MSG, RCLI, LSRV, 0, ++rmt.rid, &m))
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
			if (put(CMD_REPLY_MSG, h.c_dst, h.c_src, 0, ++rmt.rid, &r))
				bad++;
		} else if (h.c_cmd == CMD_SEND_ACK && h.c_dst == RCLI) {
			acks++;
			if (h.c_rcode)
				bad++;
			if (sent_in < NIN) {
				m.m1_i1 = sent_in++;
				if (put(CMD_SEND_MSG, RCLI, LSRV, 0, ++rmt.rid, &m))
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
				put(CMD_REPLY_MSG, h.c_dst, h.c_src, 0, ++rmt.rid, &rr);
			}
		}
		r = children.result[10 + i + NR_TASKS];
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

	rmt.paused = 1;
	usleep(100000);
	c = child(LCLI, do_send_forever, RSRV);
	wait_flags(LCLI, RMTOPER, 2000);
	CHECK("a command nobody took yet: RMTOPER", flags_of(LCLI) & RMTOPER, "flags=%x",
	      flags_of(LCLI));
	CHECK_RC("sender proxy disconnects", dvk_proxy_conn(PX, DISCONNECT_SPROXY), OK);
	CHECK_RC("the queued caller gets EDVSNOTCONN", wait_child(c, LCLI), EDVSNOTCONN);
	CHECK_RC("reconnect the sender", dvk_proxy_conn(PX, CONNECT_SPROXY), OK);
	rmt.paused = 0;

	s = child(LSRV, do_late_receive, 800);
	wait_bound(LSRV);
	CHECK_RC("a remote message queued on LSRV", put(CMD_SEND_MSG, RSRV, LSRV, 0, ++rmt.rid, &m),
		 OK);
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
	rmt.stop = 1;	/* the sender thread will get SIGTERM; let it end */
	CHECK_RC("proxies_unbind while a caller waits", dvk_proxies_unbind(PX), OK);
	CHECK_RC("... the caller gets EDVSNOTCONN", wait_child(c, LCLI), EDVSNOTCONN);
}

int main(void)
{
	rmt_setup("RMT");
	CHECK_RC("a remote send before the proxies connect gives EDVSNOTCONN",
		 wait_child(child(LCLI, do_send, RSRV), LCLI), EDVSNOTCONN);
	CHECK_RC("put2lcl before the receiver connects gives EDVSNOTCONN",
		 put(CMD_NONE, 0, 0, 0, 0, NULL), EDVSNOTCONN);
	rmt_connect();

	test_outgoing_send();
	test_outgoing_sendrec_notify();
	test_incoming();
	test_put2lcl_checks();
	test_stress();
	test_disconnects();
	rmt_teardown();
	return CHECK_EXIT();
}
