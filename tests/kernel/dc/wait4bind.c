// SPDX-License-Identifier: GPL-2.0
/*
 * dc/wait4bind.c - test_dc's tests of wait4bind (SELF and other endpoints,
 * timeouts, signals, the debugfs bindwaits view) and of a bind racing the
 * process's exit.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include "libdvk.h"
#include "check.h"
#include "proc.h"
#include "tracefs.h"
#include "dc.h"

static void on_usr1(int sig)
{
	(void)sig;
}

/* Child: wait4bind(SELF) forever; exit 0 if it returns endpoint want. */
static pid_t spawn_self_waiter(int want)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(dvk_wait4bind() == want ? 0 : 1);
	return pid;
}

/* The bindwaits view lists pid with this operation and target. */
static int bindwaits_lists(pid_t pid, const char *oper, const char *target)
{
	char want[64], line[256];
	FILE *f = fopen("/sys/kernel/debug/dvk/bindwaits", "r");
	int found = 0;

	snprintf(want, sizeof(want), "%7d ", pid);
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, want, strlen(want)) && strstr(line, oper) && strstr(line, target))
			found = 1;
	if (f)
		fclose(f);
	return found;
}

void test_wait4bind(void)
{
	struct timespec t0;
	pid_t pid;
	long rc, ms;
	int st;

	CHECK_RC("wait4bind with oper 2 gives EDVSBADCALL", dvk_wait4bindep_X(2, SELF, 0),
		 EDVSBADCALL);
	CHECK_RC("wait4bind(SELF) unbound, no wait, gives EDVSTIMEDOUT (the original's code)",
		 dvk_wait4bind_T(0), EDVSTIMEDOUT);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = dvk_wait4bind_T(200);
	ms = ms_since(&t0);
	CHECK_RC("wait4bind(SELF) unbound times out", rc, EDVSTIMEDOUT);
	CHECK("the wait lasted about 200 ms", ms >= 150 && ms < 3000, "%ld ms", ms);
	CHECK_RC("wait4bindep from an unbound caller gives EDVSNOTBIND",
		 dvk_wait4bindep_T(71, 0), EDVSNOTBIND);

	CHECK_RC("bind 70 for the wait4bind tests", dvk_bind(DCID, 70), 70);
	CHECK_RC("wait4bind(SELF) when bound returns at once", dvk_wait4bind_T(0), 70);
	CHECK_RC("wait4bindep of itself gives EDVSENDPOINT", dvk_wait4bindep_T(70, 0),
		 EDVSENDPOINT);
	CHECK_RC("wait4bindep out of range gives EDVSRANGE", dvk_wait4bindep_T(999, 0), EDVSRANGE);
	CHECK_RC("wait4unbind of a free slot returns at once", dvk_wait4unbind_T(75, 0), OK);
	CHECK_RC("wait4bindep of a free slot, no wait, gives EDVSTIMEDOUT",
		 dvk_wait4bindep_T(75, 0), EDVSTIMEDOUT);

	/* another endpoint binds 300 ms from now: woken then, not by polling */
	CHECK("trace the wait4bind events",
	      !tracefs_instance("dvk_test_w4b", "dvk_wait4bind_start dvk_wait4bind_end"), "failed");
	pid = fork();
	if (pid == 0) {
		usleep(300000);
		if (dvk_bind(DCID, 71) != 71)
			_exit(1);
		usleep(300000);
		_exit(0);	/* exit unbinds 71 */
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = dvk_wait4bindep_T(71, 10000);
	ms = ms_since(&t0);
	CHECK_RC("wait4bindep returns the endpoint once it binds", rc, 71);
	CHECK("the waiter is woken by the bind (about 300 ms)", ms >= 250 && ms < 2500,
	      "%ld ms", ms);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = dvk_wait4unbind_T(71, 10000);
	ms = ms_since(&t0);
	CHECK_RC("wait4unbind returns when the endpoint's process exits", rc, OK);
	CHECK("the unbind waiter is woken by the exit", ms < 2500, "%ld ms", ms);
	waitpid(pid, NULL, 0);
	{
		char *trace = tracefs_collect("dvk_test_w4b");
		const char *start[] = { "dvk_wait4bind_start: ", "oper=bind target=71 ",
					"timeout_ms=10000" };
		const char *end[] = { "dvk_wait4bind_end: ", "oper=bind target=71 ", "result=71 " };
		const char *uend[] = { "dvk_wait4bind_end: ", "oper=unbind target=71 ",
				       "result=0 " };

		CHECK("wait4bind_start traced with target and timeout",
		      trace && tracefs_count(trace, 3, start) == 1, "%d lines",
		      trace ? tracefs_count(trace, 3, start) : -1);
		CHECK("wait4bind_end traced with its result", trace &&
		      tracefs_count(trace, 3, end) == 1 && tracefs_count(trace, 3, uend) == 1,
		      "missing end events");
		free(trace);
		tracefs_instance_remove("dvk_test_w4b");
	}

	/* a process waiting to be bound is woken by lclbind, and listed meanwhile */
	pid = spawn_self_waiter(72);
	usleep(300000);
	CHECK("bindwaits lists the process waiting to be bound",
	      bindwaits_lists(pid, "bind", "SELF"), "not listed");
	CHECK_RC("lclbind the waiting process", dvk_lclbind(DCID, pid, 72), 72);
	waitpid(pid, &st, 0);
	CHECK("its wait4bind(SELF) returned the endpoint", WIFEXITED(st) && !WEXITSTATUS(st),
	      "status=%d", st);
	CHECK("bindwaits no longer lists it", !bindwaits_lists(pid, "bind", "SELF"), "listed");

	/* a signal interrupts the wait cleanly */
	pid = fork();
	if (pid == 0) {
		struct sigaction sa = { .sa_handler = on_usr1 };

		sigaction(SIGUSR1, &sa, NULL);	/* no SA_RESTART */
		if (dvk_bind(DCID, 81) != 81)	/* wait4bindep needs a bound caller */
			_exit(2);
		_exit(dvk_wait4bindep(80) == -EINTR ? 0 : 1);
	}
	usleep(300000);
	kill(pid, SIGUSR1);
	waitpid(pid, &st, 0);
	CHECK("a signal ends wait4bindep with -EINTR", WIFEXITED(st) && !WEXITSTATUS(st),
	      "exit status %d", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	CHECK("the interrupted waiter's slot is freed when it exits", wait_free(81, 2000),
	      "flags=%lx", slot_flags(81));

	CHECK_RC("unbind 70 after the wait4bind tests", dvk_unbind(DCID, 70), OK);
}

/*
 * lclbind racing with the target's exit: either the bind loses
 * (EDVSBADPID) or it wins and the exit hook unbinds the slot.  A slot left
 * bound to a dead task would show as a slot that never frees.
 */
void test_bind_exit_race(void)
{
	int won = 0, lost = 0, other = 0, stuck = 0;

	for (int i = 0; i < 300; i++) {
		int ep = 120 + (i % 8);
		pid_t pid = fork();
		long rc;

		if (pid == 0) {
			if (i & 1)
				usleep(i % 50);
			_exit(0);
		}
		if (i % 3 == 2) {	/* wait until it is a zombie: bind must back out */
			siginfo_t si;

			waitid(P_PID, pid, &si, WEXITED | WNOWAIT);
		}
		rc = dvk_lclbind(DCID, pid, ep);
		if (rc == ep)
			won++;
		else if (rc == EDVSBADPID)
			lost++;
		else
			other++;
		waitpid(pid, NULL, 0);
		if (!wait_free(ep, 1000))
			stuck++;
	}
	CHECK("300 lclbinds racing the target's exit never leave a dead task bound",
	      stuck == 0 && other == 0 && lost >= 100, "%d stuck slots, %d unexpected results (%d won, %d lost)",
	      stuck, other, won, lost);
	printf("  bind/exit race: %d binds won, %d lost\n", won, lost);
}
