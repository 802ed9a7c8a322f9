// SPDX-License-Identifier: GPL-2.0
/*
 * rpc/notify.c - test_rpc's tests of notify: delivered at once or pending,
 * coalesced, from HARDWARE, from user slots, and received by source.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "fixture.h"
#include "rpc.h"

static long receive_hw(int unused)
{
	message n;
	long rc;

	(void)unused;
	rc = dvk_receive_T(HARDWARE, &n, WAIT_MS);
	if (rc)
		return rc;
	return n.m_source == HARDWARE && n.m_type == 0x1fff && n.NOTIFY_ARG == 0 ? OK : 1;
}

/*
 * Notifies from user slots (index p_nr + NR_TASKS >= 64) once setpriv has
 * given them the call: one pending bit each, the right source on receive,
 * and withdrawn when the notifier exits.
 */
static int grant_pipe[2], done_pipe[2];

#define USER_NOTIFIER_STAYS	0x10000	/* arg flag: stay bound after the notify */

/* wait for the parent's setpriv, notify (arg & 0xffff), report, maybe stay */
static long notify_when_granted(int arg)
{
	char c;
	long rc;

	if (read(grant_pipe[0], &c, 1) != 1)
		return 1;
	rc = dvk_notify(arg & 0xffff);
	c = rc == OK ? 'y' : 'n';
	if (write(done_pipe[1], &c, 1) != 1)
		return 1;
	if (arg & USER_NOTIFIER_STAYS)
		sleep(30);	/* until the parent kills it */
	return rc;
}

/* after the go: the notifies of 150 then 151, and nothing from 152 */
static long receive_user_notifies(int unused)
{
	message n;
	char c;

	(void)unused;
	if (read(sync_pipe[0], &c, 1) != 1)
		return 1;
	for (int ep = 150; ep <= 151; ep++) {
		if (dvk_receive_T(ANY, &n, 0))
			return 10 + ep - 150;
		if (n.m_source != ep || n.m_type != NOTIFY_FROM(ep))
			return 20 + ep - 150;
	}
	return dvk_receive_T(ANY, &n, 0) == EDVSAGAIN ? OK : 3;
}

static void test_notify_from_user_slots(void)
{
	pid_t r, n[3];
	priv_usr_t u;
	int ok = 0;
	char c;

	if (pipe(sync_pipe) || pipe(grant_pipe) || pipe(done_pipe))
		return;
	r = child(16, receive_user_notifies, 0);
	for (int i = 0; i < 3; i++)
		n[i] = child(150 + i, notify_when_granted, 16 | (i < 2 ? USER_NOTIFIER_STAYS : 0));
	wait_bound(16);
	for (int i = 0; i < 3; i++) {
		wait_bound(150 + i);
		dvk_getpriv(DCID, 150 + i, &u);
		u.priv_dvk_allowed |= 1ULL << DVK_NOTIFY;
		u.priv_ipc_to = ~0ULL;
		CHECK_RC("setpriv gives user slots 150..152 the notify call",
			 dvk_setpriv(DCID, 150 + i, &u), OK);
	}
	for (int i = 0; i < 3; i++) {
		c = 'g';
		if (write(grant_pipe[1], &c, 1) != 1)
			break;
	}
	for (int i = 0; i < 3; i++)
		ok += read(done_pipe[0], &c, 1) == 1 && c == 'y';
	CHECK("three user slots notify a busy system process: OK each", ok == 3, "%d OK", ok);
	CHECK_RC("the one that exits afterwards", wait_child(n[2], 152), OK);
	go();
	CHECK_RC("receive(ANY) gets 150's then 151's, each with its own source, and not 152's",
		 wait_child(r, 16), OK);
	kill_reap(n[0]);
	kill_reap(n[1]);
	for (int i = 0; i < 2; i++) {
		close(sync_pipe[i]);
		close(grant_pipe[i]);
		close(done_pipe[i]);
	}
}

void test_notify(void)
{
	message m;
	pid_t s;
	long rc;

	/* delivered at once to a waiting receiver */
	pid_t r = fork();

	if (r == 0) {
		if (dvk_bind(DCID, 10) != 10)
			_exit(90);
		message n;

		_exit(dvk_receive_T(ANY, &n, WAIT_MS) == 0 && n.m_source == ME &&
		      n.m_type == (NOTIFY_MESSAGE | ME) && IS_NOTIFY(n.m_type) &&
		      NOTIFY_SRC_NR(n.m_type) == ME && n.NOTIFY_TIMESTAMP.tv_sec > 0 ? 0 : 1);
	}
	wait_flags(10, RECEIVING, 2000);
	CHECK_RC("notify to a waiting receiver", dvk_notify(10), OK);
	{
		int st = -1;

		waitpid(r, &st, 0);
		CHECK("it receives m_type NOTIFY_MESSAGE | 1 (the original's encoding), m_source 1 "
		      "and a timestamp",
		      WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %d", st);
	}

	/* pending, coalesced, update bits, then received */
	if (pipe(sync_pipe))
		return;
	s = child(11, after_go_receive, ANY);
	wait_bound(11);
	CHECK_RC("notify to a busy process is left pending", dvk_ntfy_value(SELF, 11, 5), OK);
	CHECK_RC("a second one merges into it", dvk_ntfy_value(ME, 11, 7), OK);
	go();
	rc = wait_child(s, 11);
	CHECK("receive then gets the pending notify (m_type NOTIFY_MESSAGE | 1)",
	      rc == (NOTIFY_MESSAGE | ME), "got %ld", rc);

	/* only one was pending, with both update bits: check in one child */
	s = fork();
	if (s == 0) {
		if (dvk_bind(DCID, 12) != 12)
			_exit(90);
		char c;
		message n;

		if (read(sync_pipe[0], &c, 1) != 1)
			_exit(1);
		if (dvk_receive_T(ANY, &n, 0) || n.NOTIFY_FLAGS != ((1 << 5) | (1 << 7)))
			_exit(2);
		if (dvk_receive_T(ANY, &n, 0) != EDVSAGAIN)
			_exit(3);	/* coalesced: no second notify */
		if (read(sync_pipe[0], &c, 1) != 1)
			_exit(4);
		/*
		 * pending from 1 and from HARDWARE: receive(src) only takes src's
		 * (the original took the lowest pending one, HARDWARE's)
		 */
		if (dvk_receive_T(ME, &n, 0) || n.m_type != NOTIFY_FROM(ME))
			_exit(5);
		if (dvk_receive_T(HARDWARE, &n, 0) || n.m_source != HARDWARE ||
		    n.m_type != 0x1fff || !IS_NOTIFY(n.m_type) ||
		    NOTIFY_SRC_NR(n.m_type) != HARDWARE || n.NOTIFY_ARG != 0)
			_exit(6);
		if (dvk_receive_T(ANY, &n, 0) != EDVSAGAIN)
			_exit(7);
		_exit(0);
	}
	wait_bound(12);
	dvk_ntfy_value(SELF, 12, 5);
	dvk_ntfy_value(SELF, 12, 7);
	go();
	usleep(200000);		/* it takes the first one */
	dvk_notify(12);
	CHECK_RC("a hardware notify", dvk_hdw_notify(DCID, 12), OK);
	go();
	{
		int st = -1;

		waitpid(s, &st, 0);
		CHECK("coalescing, update bits, receive(src) and hardware notifies (m_type 0x1fff) behave",
		      WIFEXITED(st) && WEXITSTATUS(st) == 0, "child step %d",
		      WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	}
	close(sync_pipe[0]);
	close(sync_pipe[1]);

	/* errors */
	CHECK_RC("notify to a free slot gives EDVSDSTDIED", dvk_notify(13), EDVSDSTDIED);
	CHECK_RC("notify to a user slot gives EDVSTRAPDENIED", dvk_notify(160), EDVSTRAPDENIED);
	CHECK_RC("notify to itself gives EDVSENDPOINT (the original's code)", dvk_notify(ME),
		 EDVSENDPOINT);
	CHECK_RC("notify to ANY gives EDVSRANGE", dvk_notify(ANY), EDVSRANGE);
	CHECK_RC("notify as another process gives EDVSBADSRCDST", dvk_src_notify(5, 10),
		 EDVSBADSRCDST);
	CHECK_RC("hardware notify to a bad DC gives EDVSBADDCID", dvk_hdw_notify(99, 10),
		 EDVSBADDCID);
	CHECK_RC("hardware notify to a DC not running gives EDVSDCNOTRUN", dvk_hdw_notify(3, 10),
		 EDVSDCNOTRUN);
	/* the original's checks and codes of a hardware notify */
	CHECK_RC("hardware notify to a free slot gives EDVSDSTDIED", dvk_hdw_notify(DCID, 13),
		 EDVSDSTDIED);
	CHECK_RC("hardware notify to HARDWARE gives EDVSBADDEST", dvk_hdw_notify(DCID, HARDWARE),
		 EDVSBADDEST);
	s = child(13, sleep_a_bit, 600);
	pid_t u = child(160, sleep_a_bit, 600);

	wait_bound(13);
	wait_bound(160);
	CHECK_RC("hardware notify to a busy process is left pending", dvk_hdw_notify(DCID, 13), OK);
	CHECK_RC("a second one merges into it and gives EDVSOVERRUN", dvk_hdw_notify(DCID, 13),
		 EDVSOVERRUN);
	CHECK_RC("hardware notify to a user process gives EDVSPRIVILEGES",
		 dvk_hdw_notify(DCID, 160), EDVSPRIVILEGES);
	wait_child(s, 13);
	wait_child(u, 160);
	{
		/* NOTIFY_ARG is 0, not the DC, in any DC (the original's pending interrupts) */
		dc_usr_t dc2 = dvk_dc_params(2, "DC2");
		proc_usr_t pu;

		CHECK_RC("dc_init DC2", dvk_dc_init(&dc2), 0);
		s = child_in(2, 10, receive_hw, 0);
		for (int i = 0; i < 400; i++) {	/* until it waits */
			if (!dvk_getprocinfo(2, 10, &pu) && (pu.p_rts_flags & RECEIVING))
				break;
			usleep(5000);
		}
		CHECK_RC("a hardware notify in DC2", dvk_hdw_notify(2, 10), OK);
		CHECK_RC("receive(HARDWARE) gets it: m_source HARDWARE, m_type 0x1fff, NOTIFY_ARG 0",
			 wait_child(s, 10), OK);
		CHECK_RC("dc_end DC2", dvk_dc_end(2), OK);
	}

	/* the notifies of a process that exits are withdrawn */
	if (pipe(sync_pipe))
		return;
	s = child(14, after_go_receive, ANY);
	wait_bound(14);
	pid_t n = fork();

	if (n == 0) {
		if (dvk_bind(DCID, 15) != 15)
			_exit(90);
		_exit(dvk_notify(14) == OK ? 0 : 1);
	}
	{
		int st = -1;

		waitpid(n, &st, 0);
		CHECK("a notifier exits after its notify", WIFEXITED(st) && WEXITSTATUS(st) == 0,
		      "status %d", st);
	}
	go();
	CHECK_RC("its pending notify is gone", wait_child(s, 14), EDVSAGAIN);
	close(sync_pipe[0]);
	close(sync_pipe[1]);
	memset(&m, 0, sizeof(m));
	test_notify_from_user_slots();
}
