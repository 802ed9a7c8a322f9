// SPDX-License-Identifier: GPL-2.0
/*
 * test_ipc.c - in-guest tests of send and receive: delivery both orders,
 * FIFO sender queue, receive from a given source, timeouts, signals, peers
 * that die, every bad argument, privileges, and the message events.  The
 * ordering stress run is test_stress.c.
 *
 * Runs as root with dvk.ko loaded and the DVS not initialised; leaves it so.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "fixture.h"
#include "tracefs.h"

static void on_usr1(int sig)
{
	(void)sig;
}

/* child bodies */
static long recv_any_expect(int tag)
{
	message m;

	if (dvk_receive(ANY, &m))
		return 1;
	return m.m_source == ME && m.m_type == tag && m.m1_i1 == tag * 2 &&
	       m.m1_p1 == 0x1122334455667788ULL ? 0 : 2;
}

static long send_tag(int tag)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_type = tag;
	m.m_source = 4242;	/* must be overwritten by the kernel */
	return dvk_send(ME, &m);
}

static long block_forever_receiving(int src)
{
	message m;

	return dvk_receive(src, &m);
}

static void test_basic(void)
{
	message m;
	pid_t pid;
	long rc;

	/* receiver first: delivered straight into its buffer */
	pid = child_receiving(10, recv_any_expect, 7);
	memset(&m, 0, sizeof(m));
	m.m_type = 7;
	m.m1_i1 = 14;
	m.m1_p1 = 0x1122334455667788ULL;
	CHECK_RC("send to a waiting receiver", dvk_send(10, &m), OK);
	rc = wait_child(pid, 10);
	CHECK("the receiver got the message intact, m_source set by the kernel",
	      rc == 0, "child result %ld", rc);

	/* sender first: queued until received */
	pid = child(11, send_tag, 5);
	wait_flags(11, SENDING, 2000);
	{
		proc_usr_t u;

		CHECK("a sender waiting for the receiver is SENDING to it",
		      !dvk_getprocinfo(DCID, 11, &u) && u.p_rts_flags == SENDING &&
		      u.p_sendto == ME, "flags=%x sendto=%d", u.p_rts_flags, u.p_sendto);
	}
	rc = dvk_receive_T(ANY, &m, WAIT_MS);
	CHECK("receive takes the queued message", rc == 0 && m.m_source == 11 && m.m_type == 5,
	      "rc=%ld source=%d type=%d", rc, m.m_source, m.m_type);
	rc = wait_child(pid, 11);
	CHECK_RC("the sender returns OK once received", rc, OK);

	/* FIFO and receive from a given source */
	pid_t a = child(12, send_tag, 12);

	wait_flags(12, SENDING, 2000);
	pid_t b = child(13, send_tag, 13);

	wait_flags(13, SENDING, 2000);
	pid_t c = child(14, send_tag, 14);

	wait_flags(14, SENDING, 2000);
	rc = dvk_receive_T(13, &m, WAIT_MS);
	CHECK("receive from a given source skips earlier senders", rc == 0 && m.m_source == 13,
	      "rc=%ld source=%d", rc, m.m_source);
	rc = dvk_receive_T(ANY, &m, WAIT_MS);
	CHECK("receive(ANY) then takes the oldest sender", rc == 0 && m.m_source == 12,
	      "rc=%ld source=%d", rc, m.m_source);
	rc = dvk_receive_T(ANY, &m, WAIT_MS);
	CHECK("and then the next", rc == 0 && m.m_source == 14, "rc=%ld source=%d", rc,
	      m.m_source);
	rc = wait_child(a, 12) | wait_child(b, 13) | wait_child(c, 14);
	CHECK_RC("all three senders returned OK", rc, OK);
}

static void test_timeouts_signals(void)
{
	struct timespec t0;
	message m;
	pid_t pid;
	long rc;

	CHECK_RC("receive with timeout 0 and nothing queued gives EDVSAGAIN",
		 dvk_receive_T(ANY, &m, 0), EDVSAGAIN);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = dvk_receive_T(ANY, &m, 200);
	CHECK_RC("receive times out", rc, EDVSTIMEDOUT);
	CHECK("after about 200 ms", ms_since(&t0) >= 150 && ms_since(&t0) < 3000, "%ld ms",
	      ms_since(&t0));

	pid_t other = child(21, block_forever_receiving, ANY);	/* never sends */

	wait_flags(21, RECEIVING, 2000);
	pid = child_receiving(20, block_forever_receiving, 21);	/* waits for 21, not us */
	memset(&m, 0, sizeof(m));
	CHECK_RC("send with timeout 0 to a busy receiver gives EDVSAGAIN",
		 dvk_send_T(20, &m, 0), EDVSAGAIN);
	CHECK_RC("send to a receiver waiting for someone else times out",
		 dvk_send_T(20, &m, 200), EDVSTIMEDOUT);
	{
		proc_usr_t u;

		CHECK("the timed-out sender left no trace", !dvk_getprocinfo(DCID, ME, &u) &&
		      u.p_rts_flags == 0 && u.p_sendto == NONE, "flags=%x sendto=%d",
		      u.p_rts_flags, u.p_sendto);
	}
	kill(pid, SIGKILL);
	reap(pid);
	kill(other, SIGKILL);
	reap(other);

	pid = fork();
	if (pid == 0) {
		struct sigaction sa = { .sa_handler = on_usr1 };
		proc_usr_t u;

		sigaction(SIGUSR1, &sa, NULL);
		if (dvk_bind(DCID, 22) != 22)
			_exit(90);
		if (dvk_receive(ANY, &m) != -EINTR)
			_exit(1);
		_exit(!dvk_getprocinfo(DCID, 22, &u) && u.p_rts_flags == 0 ? 0 : 2);
	}
	wait_flags(22, RECEIVING, 2000);
	kill(pid, SIGUSR1);
	{
		int st = -1;

		waitpid(pid, &st, 0);
		CHECK("a signal ends receive with -EINTR and a clean state",
		      WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %d", st);
	}
}

static long send_to(int dst)
{
	message m;

	memset(&m, 0, sizeof(m));
	return dvk_send(dst, &m);
}

static void test_deaths(void)
{
	message m;
	pid_t rcv, snd, other;

	/* a queued sender whose destination dies gets EDVSDSTDIED */
	other = child_receiving(24, block_forever_receiving, ANY);	/* bound, never sends */
	rcv = child_receiving(23, block_forever_receiving, 24);
	snd = child(25, send_to, 23);
	wait_flags(25, SENDING, 2000);
	kill(rcv, SIGKILL);
	reap(rcv);
	CHECK_RC("a queued sender whose destination dies gets EDVSDSTDIED",
		 wait_child(snd, 25), EDVSDSTDIED);
	kill(other, SIGKILL);
	reap(other);

	/* a receiver waiting for a source that dies gets EDVSSRCDIED */
	/* 26 just sits in receive */
	snd = child_receiving(26, block_forever_receiving, ANY);
	rcv = child_receiving(28, block_forever_receiving, 26);	/* waits for 26 */
	kill(snd, SIGKILL);
	reap(snd);
	CHECK_RC("a receiver waiting for a source that dies gets EDVSSRCDIED",
		 wait_child(rcv, 28), EDVSSRCDIED);

	memset(&m, 0, sizeof(m));
	CHECK_RC("send to a free slot gives EDVSDSTDIED", dvk_send(27, &m), EDVSDSTDIED);
	/* the original's checks: a receive nothing could end is refused at once */
	CHECK_RC("receive from a free slot gives EDVSSRCDIED at once (no wait)",
		 dvk_receive_T(27, &m, WAIT_MS), EDVSSRCDIED);
	CHECK_RC("receive from the last slot (free) gives EDVSSRCDIED, not the original's EDVSRANGE",
		 dvk_receive_T(NR_PROCS - 1, &m, 0), EDVSSRCDIED);
}

static void test_errors(void)
{
	message m;
	priv_usr_t p;
	int st;
	pid_t pid;

	memset(&m, 0, sizeof(m));
	CHECK_RC("send to itself gives EDVSBADDEST", dvk_send(ME, &m), EDVSBADDEST);
	CHECK_RC("send to HARDWARE gives EDVSBADDEST", dvk_send(HARDWARE, &m), EDVSBADDEST);
	CHECK_RC("send to endpoint 500 gives EDVSRANGE", dvk_send(500, &m), EDVSRANGE);
	CHECK_RC("send to ANY gives EDVSRANGE", dvk_send(ANY, &m), EDVSRANGE);
	CHECK_RC("receive from itself gives EDVSENDPOINT", dvk_receive_T(ME, &m, 0), EDVSENDPOINT);
	CHECK_RC("receive from endpoint -40 gives EDVSRANGE", dvk_receive_T(-40, &m, 0), EDVSRANGE);
	CHECK_RC("send from a bad buffer gives EDVSFAULT",
		 dvk_ipc(DVK_SEND, 10, 0, 0, 0x10, -1), EDVSFAULT);
	CHECK_RC("receive into a bad buffer gives EDVSFAULT",
		 dvk_ipc(DVK_RECEIVE, ANY, 0, 0, 0x10, 0), EDVSFAULT);

	pid = fork();
	if (pid == 0) {
		children.result[0] = dvk_send(ME, &m);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	CHECK_RC("send from an unbound process gives EDVSNOTBIND", children.result[0], EDVSNOTBIND);

	/* a user slot may only sendrec, unbind, getep, wait4bind */
	pid = child(150, send_to, ME);
	CHECK_RC("send from a user slot gives EDVSBADCALL", wait_child(pid, 150), EDVSBADCALL);

	dvk_getpriv(DCID, ME, &p);
	p.priv_ipc_to = 0;
	dvk_setpriv(DCID, ME, &p);
	CHECK_RC("send to a system slot outside ipc_to gives EDVSTRAPDENIED", dvk_send(10, &m),
		 EDVSTRAPDENIED);
	p.priv_ipc_to = ~0ULL;
	dvk_setpriv(DCID, ME, &p);
}

static void test_trace(void)
{
	const char *inst = "dvk_test_ipc";
	message m;
	char *trace, idbuf[64];
	unsigned long long id = 0;
	const char *p;
	pid_t pid;

	CHECK("enable the message events",
	      !tracefs_instance(inst, "dvk_msg_send dvk_msg_receive"), "failed");
	pid = child(15, send_tag, 15);
	wait_flags(15, SENDING, 2000);
	dvk_receive_T(15, &m, WAIT_MS);
	wait_child(pid, 15);
	trace = tracefs_collect(inst);
	p = trace ? strstr(trace, "dvk_msg_send: id=") : NULL;
	if (p)
		id = strtoull(p + strlen("dvk_msg_send: id="), NULL, 10);
	snprintf(idbuf, sizeof(idbuf), "id=%llu ", id);
	{
		const char *send[] = { "dvk_msg_send: ", idbuf, "src=15 dst=1 queued depth=1" };
		const char *recv[] = { "dvk_msg_receive: ", idbuf, "src=15 dst=1 queued_ns=" };
		const char *anys[] = { "dvk_msg_send: " }, *anyr[] = { "dvk_msg_receive: " };

		CHECK("dvk_msg_send: queued, depth 1", trace && id &&
		      tracefs_count(trace, 3, send) == 1, "%s", trace ? trace : "no trace");
		CHECK("dvk_msg_receive carries the same message id", trace &&
		      tracefs_count(trace, 3, recv) == 1, "id %llu", id);
		CHECK("one send and one receive event", trace && tracefs_count(trace, 1, anys) == 1 &&
		      tracefs_count(trace, 1, anyr) == 1, "counts differ");
	}
	free(trace);
	tracefs_instance_remove(inst);
}

int main(void)
{
	if (!ipc_setup("IPC"))
		return 1;
	test_basic();
	test_timeouts_signals();
	test_deaths();
	test_errors();
	test_trace();
	CHECK_RC("dvs_end", dvk_dvs_end(), OK);
	return CHECK_EXIT();
}
