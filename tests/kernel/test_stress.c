// SPDX-License-Identifier: GPL-2.0
/*
 * test_stress.c - everything at once, checked for exactly-once and order:
 *
 *  - 8 clients (endpoints 10..17) each make CLIENT_N sendrec calls,
 *    alternating between 2 servers (2 and 3) that take requests with
 *    rcvrqst and answer with reply; every server checks that each client's
 *    sequence numbers arrive exactly once and in order, every client checks
 *    its replies.  A client process exits at random points and a new process
 *    binds the same endpoint and carries on (random exits and rebinds);
 *  - 4 pairs (senders 20..23, receivers 24..27) send/receive PAIR_N
 *    numbered messages each, checked by the receivers;
 *  - a chaos process binds victims to endpoint 28 that send to a server
 *    and get SIGKILLed at random moments, blocked or not (their messages
 *    may or may not arrive; servers count and drop them).
 *
 * The module is unloaded by guest-suite.sh afterwards: a leaked reference
 * or slot would make that fail, and the kernel log is scanned.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "fixture.h"

#define NCLIENTS	8
#define CLIENT_N	400
#define PAIR_N		1500
#define NVICTIMS	60
#define MAGIC		0x5eed
#define T_REQ		1
#define T_REPLY		2
#define T_CHAOS		3
#define T_PAIR		4

/* shared between all processes of the test */
struct shared {
	int progress[NCLIENTS];		/* next sequence number of each client */
	int rebinds;			/* client processes that exited mid-run */
	long errors;			/* first error code seen (0: none) */
	int error_where;		/* who saw it */
	int chaos_seen[2];		/* chaos messages each server dropped */
};
static struct shared *sh;

static void error(long code, int where)
{
	if (!__sync_val_compare_and_swap(&sh->errors, 0, code))
		sh->error_where = where;
}

static long server(int k)
{
	int expected[NCLIENTS], handled = 0;
	message m;

	for (int c = 0; c < NCLIENTS; c++)
		expected[c] = k;	/* server k gets the seqs with seq % 2 == k */
	while (handled < NCLIENTS * CLIENT_N / 2) {
		long rc = dvk_rcvrqst_T(&m, 20000);

		if (rc) {
			error(rc, 100 + k);
			return rc;
		}
		if (m.m_type == T_CHAOS) {
			sh->chaos_seen[k]++;
			continue;
		}
		int c = m.m1_i1;

		if (m.m_type != T_REQ || c < 0 || c >= NCLIENTS || m.m1_i3 != MAGIC ||
		    m.m_source != 10 + c || m.m1_i2 != expected[c]) {
			error(2000 + c, 100 + k);	/* lost, duplicated, reordered */
			return 2000 + c;
		}
		expected[c] += 2;	/* the other server gets the odd/even others */
		handled++;
		m.m_type = T_REPLY;
		rc = dvk_reply(m.m_source, &m);
		if (rc) {
			error(rc, 200 + k);
			return rc;
		}
	}
	return OK;
}

/* one client process: carry on from sh->progress, maybe exit early */
static long client_run(int c)
{
	unsigned int seed = (unsigned int)getpid();
	message m;

	while (sh->progress[c] < CLIENT_N) {
		int seq = sh->progress[c];

		memset(&m, 0, sizeof(m));
		m.m_type = T_REQ;
		m.m1_i1 = c;
		m.m1_i2 = seq;
		m.m1_i3 = MAGIC;
		long rc = dvk_sendrec_T(2 + seq % 2, &m, 20000);

		if (rc) {
			error(rc, 300 + c);
			return rc;
		}
		if (m.m_type != T_REPLY || m.m1_i2 != seq || m.m1_i1 != c ||
		    m.m_source != 2 + seq % 2) {
			error(3000 + c, 300 + c);
			return 3000 + c;
		}
		sh->progress[c] = seq + 1;
		if (rand_r(&seed) % 64 == 0) {	/* exit; a new process rebinds */
			__sync_fetch_and_add(&sh->rebinds, 1);
			return OK;
		}
	}
	return OK;
}

/* a client endpoint: a chain of processes until all its calls are made */
static pid_t client_chain(int c)
{
	pid_t pid = fork();

	if (pid)
		return pid;
	while (sh->progress[c] < CLIENT_N && !sh->errors) {
		pid_t p = child(10 + c, client_run, c);
		long rc = wait_child(p, 10 + c);

		if (rc != OK) {
			error(rc, 400 + c);
			_exit(1);
		}
	}
	_exit(0);
}

static long pair_send(int k)
{
	message m;

	for (int i = 0; i < PAIR_N; i++) {
		memset(&m, 0, sizeof(m));
		m.m_type = T_PAIR;
		m.m1_i1 = i;
		long rc = dvk_send_T(24 + k, &m, 20000);

		if (rc) {
			error(rc, 500 + k);
			return rc;
		}
	}
	return OK;
}

static long pair_recv(int k)
{
	message m;
	/* a receive from a slot not bound yet fails at once (EDVSSRCDIED) */
	long w = dvk_wait4bindep_T(20 + k, 20000);

	if (w != 20 + k) {
		error(w, 700 + k);
		return w;
	}
	for (int i = 0; i < PAIR_N; i++) {
		long rc = dvk_receive_T(20 + k, &m, 20000);

		if (rc) {
			error(rc, 600 + k);
			return rc;
		}
		if (m.m_type != T_PAIR || m.m1_i1 != i) {
			error(4000 + k, 600 + k);
			return 4000 + k;
		}
	}
	return OK;
}

static long victim(int server)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_type = T_CHAOS;
	for (;;)
		dvk_send_T(server, &m, 20000);
	return OK;
}

static pid_t chaos(void)
{
	pid_t pid = fork();

	if (pid)
		return pid;
	unsigned int seed = 1234;

	for (int i = 0; i < NVICTIMS && !sh->errors; i++) {
		pid_t v = child(28, victim, 2 + i % 2);

		usleep(rand_r(&seed) % 3000);
		kill_reap(v);
	}
	_exit(0);
}

int main(void)
{
	pid_t srv[2], cl[NCLIENTS], snd[4], rcv[4], ch;
	struct timespec t0;
	int bad = 0, pair_bad = 0, st;

	if (!ipc_setup("STRESS"))
		return 1;
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return 1;
	memset(sh, 0, sizeof(*sh));
	clock_gettime(CLOCK_MONOTONIC, &t0);

	for (int k = 0; k < 2; k++)
		srv[k] = child(2 + k, server, k);
	for (int k = 0; k < 4; k++)
		rcv[k] = child(24 + k, pair_recv, k);
	for (int k = 0; k < 2; k++)
		wait_bound(2 + k);
	for (int k = 0; k < 4; k++)
		wait_bound(24 + k);
	for (int k = 0; k < 4; k++)
		snd[k] = child(20 + k, pair_send, k);
	for (int c = 0; c < NCLIENTS; c++)
		cl[c] = client_chain(c);
	ch = chaos();

	for (int c = 0; c < NCLIENTS; c++)
		bad += waitpid(cl[c], &st, 0) != cl[c] || !WIFEXITED(st) || WEXITSTATUS(st);
	for (int k = 0; k < 4; k++)
		pair_bad += wait_child(snd[k], 20 + k) != OK;
	for (int k = 0; k < 4; k++)
		pair_bad += wait_child(rcv[k], 24 + k) != OK;
	waitpid(ch, NULL, 0);
	/* chaos messages may still be queued: the servers stop after the real ones */
	for (int k = 0; k < 2; k++)
		bad += wait_child(srv[k], 2 + k) != OK;

	CHECK("8 clients x 400 sendrec to 2 servers (rcvrqst/reply), with random exits and "
	      "rebinds: every request once, in order, every reply right",
	      bad == 0 && !sh->errors, "%d failed, first error %ld at %d", bad, sh->errors,
	      sh->error_where);
	CHECK("4 pairs x 1500 send/receive alongside: each once, in order", pair_bad == 0,
	      "%d pair processes failed; first error %ld at %d", pair_bad, sh->errors,
	      sh->error_where);
	CHECK("client processes really exited and were rebound mid-run", sh->rebinds >= 5,
	      "%d rebinds", sh->rebinds);
	printf("  stress: %d sendrec + %d send/receive, %d rebinds, %d+%d chaos messages, "
	       "%ld ms\n", NCLIENTS * CLIENT_N, 4 * PAIR_N, sh->rebinds, sh->chaos_seen[0],
	       sh->chaos_seen[1], ms_since(&t0));
	CHECK_RC("dvs_end with nothing left blocked", dvk_dvs_end(), OK);
	return CHECK_EXIT();
}
