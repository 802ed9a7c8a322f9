// SPDX-License-Identifier: GPL-2.0
/*
 * test_rpc.c - in-guest tests of sendrec, rcvrqst, reply, notify, wakeup
 * and relay: both orders, replies to processes that do not wait, pending
 * and coalesced notifies, hardware notifies, wakeups, peers that die or are
 * unbound, a sendrec answered by a message queued for the caller, send
 * deadlock refusal, bad arguments, and a trace of a short
 * scenario checked against the calls made.  The notify tests are in
 * rpc/notify.c.
 *
 * Runs as root with dvk.ko loaded and the DVS not initialised; leaves it so.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "fixture.h"
#include "tracefs.h"
#include "rpc/rpc.h"

/* ---- child bodies ---------------------------------------------------- */

/* serve n requests from receive(ANY): reply m_type + 1, m1_i1 * 2 */
static long serve(int n)
{
	message m;
	long rc;

	for (int i = 0; i < n; i++) {
		rc = dvk_receive_T(ANY, &m, WAIT_MS);
		if (rc)
			return rc;
		int who = m.m_source;

		m.m_type += 1;
		m.m1_i1 *= 2;
		rc = dvk_send_T(who, &m, WAIT_MS);
		if (rc)
			return rc;
	}
	return OK;
}

/* the same with rcvrqst and reply */
static long serve_rqst(int n)
{
	message m;
	long rc;

	for (int i = 0; i < n; i++) {
		rc = dvk_rcvrqst_T(&m, WAIT_MS);
		if (rc)
			return rc;
		m.m_type += 1;
		m.m1_i1 *= 2;
		rc = dvk_reply(m.m_source, &m);
		if (rc)
			return rc;
	}
	return OK;
}

static long serve_late(int n)
{
	usleep(200000);		/* the client queues first */
	return serve(n);
}

static long receive_any(int unused)
{
	message m;

	(void)unused;
	return dvk_receive_T(ANY, &m, WAIT_MS);
}

long sleep_a_bit(int ms)
{
	usleep(ms * 1000);
	return OK;
}

/* take a request, never reply, and wait to be killed */
static long take_and_hang(int unused)
{
	message m;

	(void)unused;
	if (dvk_receive_T(ANY, &m, WAIT_MS))
		return 1;
	pause();
	return 2;
}

static long send_to_me(int tag)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_type = tag;
	return dvk_send_T(ME, &m, WAIT_MS);
}

/* sendrec to the parent: the reply's m_type, or the error */
static long sendrec_to_me(int tag)
{
	message m;
	long rc;

	memset(&m, 0, sizeof(m));
	m.m_type = tag;
	rc = dvk_sendrec_T(ME, &m, WAIT_MS);
	return rc ? rc : m.m_type;
}

/* receive(HARDWARE): OK if a hardware notify of the original's form came */
int sync_pipe[2];

/* wait for the parent's go, then report what receive(src, 0) gives */
long after_go_receive(int src)
{
	message m;
	char c;
	long rc;

	if (read(sync_pipe[0], &c, 1) != 1)
		return 1;
	rc = dvk_receive_T(src, &m, 0);
	if (rc)
		return rc;
	return m.m_type;	/* checked by the parent */
}

static message got;	/* what rpc_once got back, in the parent */

static long rpc_once(int server, int type, int val)
{
	memset(&got, 0, sizeof(got));
	got.m_type = type;
	got.m1_i1 = val;
	return dvk_sendrec_T(server, &got, WAIT_MS);
}

/* ---- tests ----------------------------------------------------------- */

static void test_sendrec(void)
{
	pid_t s;
	long rc;

	s = child_receiving(2, serve, 1);
	rc = rpc_once(2, 100, 21);
	CHECK("sendrec to a waiting server gets its reply in the same buffer",
	      rc == 0 && got.m_source == 2 && got.m_type == 101 && got.m1_i1 == 42,
	      "rc=%ld src=%d type=%d i1=%d", rc, got.m_source, got.m_type, got.m1_i1);
	CHECK_RC("the server's receive + send worked", wait_child(s, 2), OK);

	s = child(3, serve_late, 1);
	wait_bound(3);
	rc = rpc_once(3, 200, 5);
	CHECK("sendrec queued before the server receives gets its reply",
	      rc == 0 && got.m_source == 3 && got.m_type == 201 && got.m1_i1 == 10,
	      "rc=%ld src=%d type=%d", rc, got.m_source, got.m_type);
	CHECK_RC("the late server worked", wait_child(s, 3), OK);

	s = child_receiving(4, serve_rqst, 2);
	rc = rpc_once(4, 300, 1) | rpc_once(4, 302, 2);
	CHECK("two sendrec against rcvrqst + reply", rc == 0 && got.m_type == 303 &&
	      got.m1_i1 == 4, "rc=%ld type=%d", rc, got.m_type);
	CHECK_RC("the rcvrqst/reply server worked", wait_child(s, 4), OK);

	/* a user slot may sendrec to a server */
	s = child_receiving(2, serve, 1);
	pid_t u = fork();

	if (u == 0) {
		if (dvk_bind(DCID, 150) != 150)
			_exit(90);
		message m = { .m_type = 7 };

		_exit(dvk_sendrec_T(2, &m, WAIT_MS) == 0 && m.m_type == 8 ? 0 : 1);
	}
	int st = -1;

	waitpid(u, &st, 0);
	CHECK("a user slot sendrecs to a system server", WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "status %d", st);
	CHECK_RC("and the server replied to it", wait_child(s, 2), OK);
}

static void test_sendrec_errors(void)
{
	message m;
	pid_t s;
	long rc;

	memset(&m, 0, sizeof(m));
	CHECK_RC("sendrec to a free slot gives EDVSDEADSRCDST", dvk_sendrec_T(5, &m, 100),
		 EDVSDEADSRCDST);
	CHECK_RC("sendrec to itself gives EDVSENDPOINT (the original's code)",
		 dvk_sendrec_T(ME, &m, 100), EDVSENDPOINT);
	CHECK_RC("sendrec from a bad buffer gives EDVSFAULT",
		 dvk_ipc(DVK_SENDREC, 2, 0, 0, 0x10, 100), EDVSFAULT);

	s = child(5, sleep_a_bit, 500);
	wait_bound(5);
	CHECK_RC("sendrec with timeout 0 gives EDVSAGAIN", dvk_sendrec_T(5, &m, 0), EDVSAGAIN);
	CHECK_RC("sendrec to a busy process times out", dvk_sendrec_T(5, &m, 100), EDVSTIMEDOUT);
	wait_child(s, 5);

	/* the server takes the request and dies: EDVSSRCDIED */
	s = child_receiving(6, take_and_hang, 0);
	pid_t killer = fork();

	if (killer == 0) {
		proc_usr_t u;

		for (int i = 0; i < 400; i++) {	/* until the request is taken */
			if (!dvk_getprocinfo(DCID, 6, &u) && !(u.p_rts_flags & RECEIVING))
				break;
			usleep(5000);
		}
		usleep(50000);
		kill(s, SIGKILL);
		_exit(0);
	}
	CHECK_RC("a server that dies before replying gives EDVSSRCDIED",
		 dvk_sendrec_T(6, &m, WAIT_MS), EDVSSRCDIED);
	reap(killer);
	reap(s);

	/* the peer is queued sending to us */
	s = child(7, send_to_me, 77);
	wait_flags(7, SENDING, 2000);
	CHECK_RC("send to a process queued sending to us gives EDVSLOCKED (a deadlock)",
		 dvk_send_T(7, &m, 100), EDVSLOCKED);
	memset(&m, 0, sizeof(m));
	m.m_type = 5;
	rc = dvk_sendrec_T(7, &m, 0);
	CHECK("sendrec to it takes its message as the reply, even with timeout 0 (the original's way)",
	      rc == 0 && m.m_source == 7 && m.m_type == 77, "rc=%ld src=%d type=%d", rc,
	      m.m_source, m.m_type);
	CHECK_RC("and its send returned OK", wait_child(s, 7), OK);

	/* both in sendrec: its request is our reply, and it still waits for ours */
	s = child(7, sendrec_to_me, 78);
	wait_flags(7, SENDING, 2000);
	m.m_type = 5;
	rc = dvk_sendrec_T(7, &m, 100);
	CHECK("sendrec to a process in sendrec to us gets its request as the reply",
	      rc == 0 && m.m_source == 7 && m.m_type == 78, "rc=%ld type=%d", rc, m.m_type);
	{
		proc_usr_t u;

		CHECK("... which now waits for our answer", !dvk_getprocinfo(DCID, 7, &u) &&
		      (u.p_rts_flags & (SENDING | RECEIVING)) == RECEIVING && u.p_getfrom == ME,
		      "flags %lx getfrom %d", (unsigned long)u.p_rts_flags, u.p_getfrom);
	}
	m.m_type = 79;
	CHECK_RC("... and a reply reaches it", dvk_reply(7, &m), OK);
	CHECK_RC("... as its sendrec's answer", wait_child(s, 7), 79);
}

static void test_reply(void)
{
	message m;
	pid_t s;

	memset(&m, 0, sizeof(m));
	s = child_receiving(8, receive_any, 0);
	CHECK_RC("reply to a process receiving from ANY gives EDVSPROCSTS", dvk_reply(8, &m),
		 EDVSPROCSTS);
	dvk_send_T(8, &m, WAIT_MS);
	wait_child(s, 8);

	s = child(8, sleep_a_bit, 300);
	wait_bound(8);
	CHECK_RC("reply to a running process gives EDVSPROCSTS at once", dvk_reply(8, &m),
		 EDVSPROCSTS);
	wait_child(s, 8);
	CHECK_RC("reply to a free slot gives EDVSDSTDIED", dvk_reply(8, &m), EDVSDSTDIED);
	CHECK_RC("reply to itself gives EDVSENDPOINT (the original's code)", dvk_reply(ME, &m),
		 EDVSENDPOINT);

	pid_t u = fork();

	if (u == 0) {
		if (dvk_bind(DCID, 151) != 151)
			_exit(90);
		_exit(dvk_reply(ME, &m) == EDVSBADCALL && dvk_rcvrqst_T(&m, 0) == EDVSBADCALL &&
		      dvk_notify(ME) == EDVSBADCALL ? 0 : 1);
	}
	int st = -1;

	waitpid(u, &st, 0);
	CHECK("a user slot may not reply, rcvrqst or notify (EDVSBADCALL)",
	      WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %d", st);
	CHECK_RC("relay is accepted as a no-op", dvk_relay(8, &m), OK);
}

void go(void)
{
	if (write(sync_pipe[1], "g", 1) != 1)
		CHECK("sync pipe", 0, "write failed");
}

static long receive_twice_any(int unused)
{
	message m;
	long a, b;

	(void)unused;
	a = dvk_receive_T(ANY, &m, WAIT_MS);
	usleep(200000);		/* the parent marks us meanwhile */
	b = dvk_receive_T(ANY, &m, WAIT_MS);
	return a == EDVSWOKENUP && b == EDVSWOKENUP ? OK : 1000 * -a - b;
}

static long ignore_term_and_receive(int unused)
{
	message m;
	long rc;

	(void)unused;
	signal(SIGTERM, SIG_IGN);
	rc = dvk_receive(ANY, &m);
	dvk_unbind(DCID, 16);
	return rc;
}

static void test_wakeup_unbind(void)
{
	pid_t s;

	s = child_receiving(16, receive_twice_any, 0);
	CHECK_RC("wakeup of a process in receive(ANY)", dvk_wakeup(DCID, 16), OK);
	usleep(50000);
	CHECK_RC("wakeup of a running process marks it: EDVSPROCRUN", dvk_wakeup(DCID, 16),
		 EDVSPROCRUN);
	CHECK_RC("both receives end with EDVSWOKENUP", wait_child(s, 16), OK);
	CHECK_RC("wakeup of itself gives EDVSBADPROC", dvk_wakeup(DCID, ME), EDVSBADPROC);
	CHECK_RC("wakeup of a free slot gives EDVSDSTDIED (the original's code)",
		 dvk_wakeup(DCID, 17), EDVSDSTDIED);
	CHECK_RC("wakeup of endpoint 500 gives EDVSRANGE", dvk_wakeup(DCID, 500), EDVSRANGE);
	CHECK_RC("wakeup in a DC not running gives EDVSDCNOTRUN", dvk_wakeup(3, 17),
		 EDVSDCNOTRUN);

	s = child_receiving(16, ignore_term_and_receive, 0);
	CHECK_RC("unbind of a process blocked in receive", dvk_unbind_T(DCID, 16, WAIT_MS), OK);
	CHECK_RC("its receive ended with EDVSSHUTDOWN", wait_child(s, 16), EDVSSHUTDOWN);
}

/* ---- dc_end while processes are blocked in IPC ------------------------ */

static long stubborn_receive(int src)
{
	message m;

	signal(SIGTERM, SIG_IGN);	/* dc_end must force the unbind */
	return dvk_receive(src, &m);
}

static long stubborn_sendrec(int dst)
{
	message m;

	signal(SIGTERM, SIG_IGN);
	memset(&m, 0, sizeof(m));
	return dvk_sendrec(dst, &m);
}

/* poll (up to 2 s) until slot @ep of DC @dcid is bound */
static void wait_bound_in(int dcid, int ep)
{
	proc_usr_t u;

	for (int i = 0; i < 400; i++) {
		if (!dvk_getprocinfo(dcid, ep, &u) && !(u.p_rts_flags & SLOT_FREE))
			return;
		usleep(5000);
	}
}

static void test_dc_end_blocked(void)
{
	dc_usr_t dc = dvk_dc_params(1, "DC1");
	struct timespec t0;
	pid_t a, b, c;
	long ra, rb, rc;

	CHECK_RC("dc_init DC1", dvk_dc_init(&dc), 0);
	a = child_in(1, 2, stubborn_receive, ANY);
	wait_bound_in(1, 2);	/* a bound: c may wait for it */
	c = child_in(1, 3, stubborn_receive, 2);	/* busy: b queues on it */
	wait_bound_in(1, 3);
	b = child_in(1, 5, stubborn_sendrec, 3);
	for (int i = 0; i < 400; i++) {	/* all three blocked */
		proc_usr_t u2, u3, u5;

		if (!dvk_getprocinfo(1, 2, &u2) && !dvk_getprocinfo(1, 3, &u3) &&
		    !dvk_getprocinfo(1, 5, &u5) && (u2.p_rts_flags & RECEIVING) &&
		    (u3.p_rts_flags & RECEIVING) && (u5.p_rts_flags & SENDING))
			break;
		usleep(5000);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_RC("dc_end of a DC with processes blocked in IPC that ignore SIGTERM",
		 dvk_dc_end(1), OK);
	CHECK("it ends after the grace period", ms_since(&t0) < 10000, "%ld ms", ms_since(&t0));
	ra = wait_child(a, 2);
	rc = wait_child(c, 3);
	rb = wait_child(b, 5);
	CHECK("the blocked calls end with an error, none hangs",
	      ra == EDVSNOTBIND && (rc == EDVSNOTBIND || rc == EDVSSRCDIED) &&
	      (rb == EDVSNOTBIND || rb == EDVSDSTDIED),
	      "receive %ld, receive %ld, sendrec %ld", ra, rc, rb);
	CHECK("DC1 is free", dvk_getdcinfo(1, &dc) == OK && dc.dc_flags == DC_FREE,
	      "flags %d", dc.dc_flags);
}

/* ---- trace of a short scenario vs the calls made --------------------- */

#define MAXIDS 64

/* the ids of the lines of event ev in trace (after "ev: id=") */
static int ids_of(const char *trace, const char *ev, uint64_t *ids)
{
	char needle[64];
	const char *p = trace;
	int n = 0;

	snprintf(needle, sizeof(needle), "%s: id=", ev);
	while (trace && (p = strstr(p, needle)) && n < MAXIDS) {
		p += strlen(needle);
		ids[n++] = strtoull(p, NULL, 10);
	}
	return n;
}

static int has_id(const uint64_t *ids, int n, uint64_t id)
{
	for (int i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

static void test_trace(void)
{
	const char *inst = "dvk_test_rpc";
	uint64_t sent[MAXIDS], recv[MAXIDS], ntfy[MAXIDS], block[MAXIDS], wake[MAXIDS];
	int ns, nr, nn, nb, nw, matched = 0;
	char *trace;
	pid_t s;
	long rc = 0;

	CHECK("enable the IPC events", !tracefs_instance(inst,
	      "dvk_msg_send dvk_msg_receive dvk_notify dvk_block dvk_wake"), "failed");
	/* 3 sendrec round trips to a server that is already waiting each time */
	s = child(18, serve, 3);
	for (int i = 0; i < 3; i++) {
		wait_flags(18, RECEIVING, 2000);
		rc |= rpc_once(18, 10 + i, i);
	}
	wait_child(s, 18);
	trace = tracefs_collect(inst);
	ns = ids_of(trace, "dvk_msg_send", sent);
	nr = ids_of(trace, "dvk_msg_receive", recv);
	nn = ids_of(trace, "dvk_notify", ntfy);
	nb = ids_of(trace, "dvk_block", block);
	nw = ids_of(trace, "dvk_wake", wake);
	for (int i = 0; i < ns; i++)
		matched += has_id(recv, nr, sent[i]);
	CHECK_RC("three round trips", rc, OK);
	CHECK("6 messages sent (3 requests delivered, 3 replies) and 6 received",
	      ns == 6 && nr == 6, "sent %d received %d", ns, nr);
	CHECK("every sent id is received exactly under the same id", matched == 6,
	      "%d of %d matched", matched, ns);
	{
		const char *del[] = { "dvk_msg_send: ", "delivered depth=0" };
		const char *rep[] = { "dvk_block: ", "RECEIVING peer=18" };

		CHECK("all 6 delivered at once (the peer was waiting)",
		      trace && tracefs_count(trace, 2, del) == 6, "see trace");
		CHECK("the client blocked 3 times waiting for the reply from 18",
		      trace && tracefs_count(trace, 2, rep) == 3, "see trace");
	}
	CHECK("every block has its wake, with the same count", nb == nw && nb >= 3,
	      "block %d wake %d", nb, nw);
	CHECK("no notify in this scenario", nn == 0, "%d", nn);
	free(trace);
	tracefs_instance_remove(inst);

	/* notify ids: pending then received carries the same id */
	CHECK("enable the notify events", !tracefs_instance(inst,
	      "dvk_notify dvk_msg_receive"), "failed");
	if (pipe(sync_pipe))
		return;
	s = child(20, after_go_receive, ANY);
	wait_bound(20);
	dvk_notify(20);
	dvk_notify(20);
	go();
	wait_child(s, 20);
	close(sync_pipe[0]);
	close(sync_pipe[1]);
	trace = tracefs_collect(inst);
	nn = ids_of(trace, "dvk_notify", ntfy);
	nr = ids_of(trace, "dvk_msg_receive", recv);
	{
		const char *pend[] = { "dvk_notify: ", "src=1 dst=20 pending" };
		const char *coal[] = { "dvk_notify: ", "src=1 dst=20 coalesced" };

		CHECK("a pending then a coalesced notify event",
		      nn == 2 && trace && tracefs_count(trace, 2, pend) == 1 &&
		      tracefs_count(trace, 2, coal) == 1, "%d notify events", nn);
	}
	CHECK("the receive carries the pending notify's id", nr == 1 && nn >= 1 &&
	      recv[0] == ntfy[0], "receive events %d", nr);
	free(trace);
	tracefs_instance_remove(inst);
}

int main(void)
{
	if (!ipc_setup("RPC"))
		return 1;
	test_sendrec();
	test_sendrec_errors();
	test_reply();
	test_notify();
	test_wakeup_unbind();
	test_dc_end_blocked();
	test_trace();
	CHECK_RC("dvs_end", dvk_dvs_end(), OK);
	return CHECK_EXIT();
}
