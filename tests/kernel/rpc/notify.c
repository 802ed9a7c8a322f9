// SPDX-License-Identifier: GPL-2.0
/*
 * rpc/notify.c - test_rpc's tests of notify: delivered at once or pending,
 * coalesced, from HARDWARE, and received by source.
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
		dc_usr_t dc2 = dc_params(2, "DC2");
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
}
