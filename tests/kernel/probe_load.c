// SPDX-License-Identifier: GPL-2.0
/*
 * probe_load - a workload of known calls for the bpftrace tools' test
 * (tests/kernel/bpftrace-tools.sh runs bpf/bpftrace/ *.bt against it).
 *
 *   probe_load N
 *
 * In DC 0 (running already), as one parent and forked children, each named
 * by role (comm):
 *   server 10 (pl_server)   answers every request (receive + send); the SLOW
 *                           one after 200 ms and once the 3 queue clients it
 *                           then lets go queue behind it
 *   client 20 (probe_load)  N fast sendrecs to 10, one SLOW, one QUIT
 *   queue 21..23 (pl_queue) one sendrec each to 10 while it sleeps: a queue of 3
 *   errors (probe_load)     3 void0 (EDVSNOSYS), 2 sendrec to the unbound ep 15
 *                           (EDVSDEADSRCDST), 1 receive with timeout 0 (EDVSAGAIN)
 *   waiters 11, 13 (pl_wait) wait4bind for 12 (then bound by pl_bindee: result
 *                           12) and for 14 (never bound: 300 ms, EDVSTIMEDOUT)
 *   cycle 3, 4, 5 (pl_cycle) sendrec 3 -> 4 -> 5 -> 3: a deadlock the kernel
 *                           does not refuse, broken by their timeouts
 *                           (1000, 1200, 1400 ms: 3 x EDVSTIMEDOUT)
 * It prints what the tools must find, as "expect KEY VALUE..." lines: the
 * number of each call made (all processes), the tid of the slow sendrec, the
 * wait4bind results.  Exit 0, or 1 if a call gave another result than the
 * one planned (said on stderr), 2 on bad usage.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "libdvk.h"
#include "proc.h"

enum { REQ_FAST = 1, REQ_SLOW = 2, REQ_QUIT = 3 };
enum { SRV = 10, CLI = 20, QUEUE0 = 21, NQUEUE = 3, UNBOUND = 15, SLOW_MS = 200 };

/* shared with the children: calls made per call number, unexpected results */
static struct shared {
	long calls[DVK_NR_CALLS];
	long unexpected;
	long slow_tid;
	long w4b[2];	/* the two wait4bind results */
	long cycle_done;
	long release;	/* pl_bindee may unbind */
	long cycle_bound;	/* cycle members bound */
	int go_fd;	/* the queue clients' pipe (write end) */
} *sh;

/* count one call of number nr, check its result */
static long did(int nr, long r, long want, const char *what)
{
	__atomic_add_fetch(&sh->calls[nr], 1, __ATOMIC_SEQ_CST);
	if (r != want) {
		fprintf(stderr, "probe_load: %s: %ld, want %ld\n", what, r, want);
		__atomic_add_fetch(&sh->unexpected, 1, __ATOMIC_SEQ_CST);
	}
	return r;
}

/* fork a child named name, bound to ep (bind counted), running fn(arg) */
static pid_t spawn(const char *name, int ep, void (*fn)(int arg), int arg)
{
	pid_t pid = fork();

	if (pid == 0) {
		prctl(PR_SET_NAME, name);
		if (did(DVK_BIND, dvk_bind(0, ep), ep, "bind") == ep)
			fn(arg);
		_exit(0);
	}
	return pid;
}

static void server(int arg)
{
	message m;

	(void)arg;
	for (;;) {
		if (did(DVK_RECEIVE, dvk_receive_T(ANY, &m, 60000), 0, "server receive"))
			return;
		if (m.m_type == REQ_SLOW) {
			for (int q = 0; q < NQUEUE; q++)	/* now they queue */
				if (write(sh->go_fd, "g", 1) != 1)
					sh->unexpected++;
			usleep(SLOW_MS * 1000);
			for (int q = 0; q < NQUEUE; q++)	/* all queued behind it */
				wait_flags(QUEUE0 + q, SENDING, 5000);
		}
		if (did(DVK_SEND, dvk_send_T(m.m_source, &m, 5000), 0, "server send") ||
		    m.m_type == REQ_QUIT)
			return;
	}
}

/* a queue client: sendrec once the server is busy with the slow request */
static void queuer(int fd)
{
	message m = { .m_type = REQ_FAST };
	char c;

	if (read(fd, &c, 1) == 1)
		did(DVK_SENDREC, dvk_sendrec_T(SRV, &m, 30000), 0, "queue sendrec");
}

static void waiter(int target)
{
	long to = target == 12 ? 30000 : 300;
	long want = target == 12 ? 12 : EDVSTIMEDOUT;

	sh->w4b[target == 12 ? 0 : 1] =
		did(DVK_WAIT4BIND, dvk_wait4bindep_T(target, to), want, "wait4bind");
}

static void idle(int arg)
{
	(void)arg;
	while (!sh->release)	/* bound until the parent is done */
		usleep(20000);
}

/* cycle member ep (3, 4, 5): sendrec to the next one, then stay bound */
static void cycler(int ep)
{
	message m = { .m_type = REQ_FAST };
	int next = ep == 5 ? 3 : ep + 1;

	__atomic_add_fetch(&sh->cycle_bound, 1, __ATOMIC_SEQ_CST);
	while (sh->cycle_bound < 3)	/* all three bound: a free peer would fail the send */
		usleep(10000);
	did(DVK_SENDREC, dvk_sendrec_T(next, &m, 1000 + 200 * (ep - 3)), EDVSTIMEDOUT,
	    "cycle sendrec");
	__atomic_add_fetch(&sh->cycle_done, 1, __ATOMIC_SEQ_CST);
	while (sh->cycle_done < 4)	/* the others still queue on us */
		usleep(20000);
}

/* is pid listed in debugfs bindwaits (waiting in wait4bind)? */
static int in_bindwaits(pid_t pid)
{
	FILE *f = fopen("/sys/kernel/debug/dvk/bindwaits", "r");
	char line[256];
	int found = 0;

	while (f && fgets(line, sizeof(line), f))
		found |= atoi(line) == pid;
	if (f)
		fclose(f);
	return found;
}

static void client(int n)
{
	message m;

	for (int i = 0; i < n; i++) {
		m = (message){ .m_type = REQ_FAST };
		did(DVK_SENDREC, dvk_sendrec_T(SRV, &m, 30000), 0, "fast sendrec");
	}
	m = (message){ .m_type = REQ_SLOW };
	sh->slow_tid = syscall(SYS_gettid);
	did(DVK_SENDREC, dvk_sendrec_T(SRV, &m, 30000), 0, "slow sendrec");
}

static void errors(void)
{
	message m = { 0 };

	for (int i = 0; i < 3; i++)
		did(DVK_VOID0, dvk_ipc(DVK_VOID0, 0, 0, 0, 0, 0), EDVSNOSYS, "void0");
	for (int i = 0; i < 2; i++)
		did(DVK_SENDREC, dvk_sendrec_T(UNBOUND, &m, 1000), EDVSDEADSRCDST,
		    "sendrec unbound");
	did(DVK_RECEIVE, dvk_receive_T(ANY, &m, 0), EDVSAGAIN, "receive timeout 0");
}

static void bindwaits(void)
{
	pid_t w = spawn("pl_wait", 11, waiter, 12), w2 = spawn("pl_wait", 13, waiter, 14), b;

	for (int i = 0; i < 1000 && !in_bindwaits(w); i++)
		usleep(10000);
	b = spawn("pl_bindee", 12, idle, 0);
	waitpid(w, NULL, 0);
	waitpid(w2, NULL, 0);
	sh->release = 1;
	waitpid(b, NULL, 0);
}

static void cycle(void)
{
	pid_t c[3];

	for (int i = 0; i < 3; i++)
		c[i] = spawn("pl_cycle", 3 + i, cycler, 3 + i);
	while (sh->cycle_done < 3)
		usleep(20000);
	sh->cycle_done = 4;
	for (int i = 0; i < 3; i++)
		waitpid(c[i], NULL, 0);
}

int main(int argc, char **argv)
{
	int n = argc == 2 ? atoi(argv[1]) : -1, qp[2];
	pid_t srv, q[NQUEUE];
	message m = { .m_type = REQ_QUIT };

	if (n < 0) {
		fprintf(stderr, "usage: probe_load N\n");
		return 2;
	}
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED || pipe(qp))
		return 1;
	sh->go_fd = qp[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (did(DVK_BIND, dvk_bind(0, CLI), CLI, "client bind") != CLI)
		return 1;
	srv = spawn("pl_server", SRV, server, 0);
	for (int i = 0; i < NQUEUE; i++)
		q[i] = spawn("pl_queue", QUEUE0 + i, queuer, qp[0]);
	wait_flags(SRV, RECEIVING, 5000);
	client(n);
	for (int i = 0; i < NQUEUE; i++)
		waitpid(q[i], NULL, 0);
	did(DVK_SENDREC, dvk_sendrec_T(SRV, &m, 30000), 0, "quit sendrec");
	waitpid(srv, NULL, 0);
	errors();
	bindwaits();
	cycle();
	did(DVK_UNBIND, dvk_unbind(0, CLI), 0, "client unbind");
	printf("expect slow_tid %ld\n", sh->slow_tid);
	printf("expect wait4bind 12 %ld 14 %ld\n", sh->w4b[0], sh->w4b[1]);
	for (int nr = 0; nr < DVK_NR_CALLS; nr++)
		if (sh->calls[nr])
			printf("expect calls %s %ld\n", dvk_callname(nr), sh->calls[nr]);
	printf("probe_load: done, %ld unexpected\n", sh->unexpected);
	return sh->unexpected ? 1 : 0;
}
