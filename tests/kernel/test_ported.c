// SPDX-License-Identifier: GPL-2.0
/*
 * test_ported.c - what programs written for the original DVK rely on, on
 * one node (the cross-node half is tests/kernel/cluster_ported.c):
 *  - dvk_bind() binds the calling thread, from any thread of a process (the
 *    original passed pid -1), as does dvk_tbind(); a SELF_BIND naming the
 *    process's pid from a thread binds that thread too;
 *  - the original proxies' start: a forked sender and receiver loop on
 *    wait4bind_T(2000) (SELF) until their parent's proxies_bind makes them a
 *    pair, then get NONE.  The bind is raced with the wait: before it,
 *    while both wait, and between two polls, ROUNDS times.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "fixture.h"

#define PX		1	/* the pair the fake proxies get (node 1's) */
#define ROUNDS		150
#define POLL_MS		2000	/* the original proxies' wait4bind_T */

/* ---- binds from threads ---------------------------------------------------- */

struct bind_job {
	int ep, how;		/* 0 dvk_bind, 1 dvk_tbind, 2 SELF_BIND with getpid() */
	long got;		/* what bind returned */
	int lpid_ok;		/* getprocinfo shows this thread's tid */
	long sent;		/* a send from the bound thread to ME */
};

static void *bind_thread(void *arg)
{
	struct bind_job *j = arg;
	message m = { .m_type = 42 };
	proc_usr_t u;

	if (j->how == 0)
		j->got = dvk_bind(DCID, j->ep);
	else if (j->how == 1)
		j->got = dvk_tbind(DCID, j->ep);
	else
		j->got = dvk_bind_X(SELF_BIND, DCID, (long)getpid(), j->ep, LOCALNODE);
	j->lpid_ok = !dvk_getprocinfo(DCID, j->ep, &u) && u.p_lpid == (int)syscall(SYS_gettid);
	m.m1_i1 = j->ep;
	j->sent = dvk_send_T(ME, &m, WAIT_MS);
	return NULL;
}

/* a child whose three threads (not the main one) bind themselves, one each way */
static long thread_binds(int base)
{
	struct bind_job job[3];
	pthread_t t[3];
	long bad = 0;

	for (int i = 0; i < 3; i++) {
		job[i] = (struct bind_job){ .ep = base + i, .how = i };
		if (pthread_create(&t[i], NULL, bind_thread, &job[i]))
			return -1;
	}
	for (int i = 0; i < 3; i++) {
		pthread_join(t[i], NULL);
		bad += (job[i].got != job[i].ep) * 100 + !job[i].lpid_ok * 10 + (job[i].sent != OK);
	}
	return bad;
}

static void test_thread_binds(void)
{
	pid_t pid = fork();
	int seen[3] = { 0 };
	long n = 0;

	if (pid == 0) {
		children.result[0] = thread_binds(20);
		_exit(0);
	}
	for (int i = 0; i < 3; i++) {
		message m;

		if (dvk_receive_T(ANY, &m, 10000) == OK && m.m_type == 42 && m.m1_i1 >= 20 &&
		    m.m1_i1 < 23 && m.m_source == m.m1_i1)
			seen[m.m1_i1 - 20]++, n++;
	}
	waitpid(pid, NULL, 0);
	CHECK("dvk_bind, dvk_tbind and SELF_BIND with getpid() from threads bind each thread "
	      "(its tid in getprocinfo), which then sends", children.result[0] == 0,
	      "child's tally %ld (100 bind, 10 lpid, 1 send)", children.result[0]);
	CHECK("... the three messages came from the three endpoints", n == 3 && seen[0] == 1 &&
	      seen[1] == 1 && seen[2] == 1, "%ld", n);
}

/*
 * SELF_BIND naming another thread of the process binds that thread (as the
 * original did); naming another process is refused.
 */
static pid_t idle_tid;
static int idle_fd[2];

static void *idle_thread(void *arg)
{
	char c;

	(void)arg;
	__atomic_store_n(&idle_tid, (pid_t)syscall(SYS_gettid), __ATOMIC_SEQ_CST);
	return read(idle_fd[0], &c, 1) == 1 ? NULL : arg;
}

static void test_other_thread(void)
{
	pid_t pid = fork();
	proc_usr_t u;

	if (pid == 0) {
		pthread_t t;
		long r = -2;

		if (!pipe(idle_fd) && !pthread_create(&t, NULL, idle_thread, NULL)) {
			while (!__atomic_load_n(&idle_tid, __ATOMIC_SEQ_CST))
				usleep(1000);
			r = dvk_bind_X(SELF_BIND, DCID, idle_tid, 24, LOCALNODE);
			children.result[4] = !dvk_getprocinfo(DCID, 24, &u) && u.p_lpid == idle_tid;
			if (write(idle_fd[1], "x", 1) != 1)
				r = -3;
			pthread_join(t, NULL);
		}
		children.result[1] = r;
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	CHECK_RC("SELF_BIND naming another thread of the caller binds that thread",
		 children.result[1], 24);
	CHECK("... getprocinfo shows its tid", children.result[4] == 1, "lpid ok %ld",
	      children.result[4]);
	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	CHECK_RC("SELF_BIND naming another process gives EDVSBADPID (LCL_BIND's job)",
		 dvk_bind_X(SELF_BIND, DCID, pid, 25, LOCALNODE), EDVSBADPID);
	kill_reap(pid);
}

/* ---- the original proxies' wait4bind ------------------------------------------ */

static long *bound_at;	/* ms (CLOCK_MONOTONIC) when proxies_bind returned, shared */

static long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/*
 * A fake proxy: @mode 0 and 1 wait4bind_T(POLL_MS) once the pipe says go
 * (0: after the bind; 1: at once, the bind comes during the wait); mode 2
 * polls with 30 ms waits, the bind comes between polls.  Then a second poll
 * must give NONE at once.  Reports result * 10 + (late) in results[slot]:
 * late when the wait that ended with NONE slept to its own timeout although
 * the bind came more than 1 s before (nobody woke it).
 */
static void fake_proxy(int mode, int go_fd, int slot)
{
	long r, t0, t1, late;
	char c;

	if (mode == 0 && read(go_fd, &c, 1) != 1)
		_exit(1);
	do {
		t0 = now_ms();
		r = dvk_wait4bind_T(mode == 2 ? 30 : POLL_MS);
		t1 = now_ms();
	} while (r == EDVSTIMEDOUT && t1 - t0 < 20000);
	late = mode == 1 && *bound_at && t1 - *bound_at > 1000 && t1 - t0 >= POLL_MS - 50;
	children.result[slot] = r * 10 + late;
	if (r == NONE && dvk_wait4bind_T(POLL_MS) != NONE)
		children.result[slot] = -1;
	pause();	/* until proxies_unbind's SIGTERM */
	_exit(0);
}

/* One round: fork two fake proxies, bind them as pair PX, collect, unbind. */
static int proxy_round(int mode)
{
	int go[2], ok;
	pid_t p[2];
	long b;

	if (pipe(go))
		return 0;
	children.result[2] = children.result[3] = 99;
	*bound_at = 0;
	for (int i = 0; i < 2; i++) {
		p[i] = fork();
		if (p[i] == 0)
			fake_proxy(mode, go[0], 2 + i);
	}
	if (mode == 1)
		usleep(rand() % 20000);		/* they are somewhere in their wait */
	else if (mode == 2)
		usleep(rand() % 100000);	/* somewhere between their polls */
	b = dvk_proxies_bind("node1", PX, p[0], p[1], MAXCOPYBUF);
	*bound_at = now_ms();
	if (mode == 0 && write(go[1], "gg", 2) != 2)
		b = -1;
	for (int t = 0; t < 4000 && (children.result[2] == 99 || children.result[3] == 99); t++)
		usleep(5000);
	ok = b == OK && children.result[2] == NONE * 10 && children.result[3] == NONE * 10;
	if (!ok)
		fprintf(stderr, "round mode %d: bind %ld, proxies %ld %ld\n", mode, b,
			children.result[2], children.result[3]);
	if (dvk_proxies_unbind(PX) != OK) {
		kill(p[0], SIGKILL);
		kill(p[1], SIGKILL);
	}
	waitpid(p[0], NULL, 0);
	waitpid(p[1], NULL, 0);
	close(go[0]);
	close(go[1]);
	return ok;
}

static void test_proxy_wait4bind(void)
{
	int ok[3] = { 0 };

	bound_at = children.result + 6;
	srand(16);
	for (int i = 0; i < ROUNDS; i++)
		ok[i % 3] += proxy_round(i % 3);
	CHECK("proxies bound before their wait4bind_T(2000) get NONE at once, and again",
	      ok[0] == ROUNDS / 3, "%d of %d rounds", ok[0], ROUNDS / 3);
	CHECK("proxies waiting in wait4bind_T(2000) are woken by proxies_bind with NONE",
	      ok[1] == ROUNDS / 3, "%d of %d rounds", ok[1], ROUNDS / 3);
	CHECK("proxies polling wait4bind_T(30) get NONE at the poll after proxies_bind",
	      ok[2] == ROUNDS / 3, "%d of %d rounds", ok[2], ROUNDS / 3);
}

int main(void)
{
	if (!ipc_setup("ported"))
		return CHECK_EXIT();
	test_thread_binds();
	test_other_thread();
	test_proxy_wait4bind();
	CHECK_RC("dc_end", dvk_dc_end(DCID), OK);
	CHECK_RC("dvs_end", dvk_dvs_end(), OK);
	return CHECK_EXIT();
}
