/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ipc_test.h - helpers of the in-guest IPC tests (test_ipc, test_rpc,
 * test_vcopy): one DVS and DC0 set up by the parent, children bound to
 * endpoints that run a function and report its DVK result.
 *
 * Endpoints used by these tests are system slots (p_nr + NR_TASKS <
 * NR_SYS_PROCS, so p_nr < 29) unless a test says otherwise: user slots may
 * only sendrec.  Children report a DVK result through a shared array, since
 * exit statuses are 8 bits and DVK codes are not.
 */
#ifndef IPC_TEST_H
#define IPC_TEST_H

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "libdvk.h"
#include "check.h"

#define DCID		0
#define ME		1	/* the parent's endpoint (a system slot) */
#define WAIT_MS		5000	/* the parent never blocks for ever */
#define CHILD_FAILED	9999L	/* a child did not bind, or was killed */

static long *results;	/* indexed by endpoint + NR_TASKS */

static inline long ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

/* fork a child bound to dcid/ep that runs fn; its result goes to results[] */
static inline pid_t child_in(int dcid, int ep, long (*fn)(int arg), int arg)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (dvk_bind(dcid, ep) != ep)
			_exit(90);
		results[ep + NR_TASKS] = fn(arg);
		_exit(0);
	}
	return pid;
}

static inline pid_t child(int ep, long (*fn)(int arg), int arg)
{
	return child_in(DCID, ep, fn, arg);
}

/* wait for the child bound to ep; its fn's result */
static inline long wait_child(pid_t pid, int ep)
{
	int st;

	if (pid <= 0 || waitpid(pid, &st, 0) != pid)
		return CHILD_FAILED;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? results[ep + NR_TASKS] : CHILD_FAILED;
}

/* reap a child that was killed on purpose */
static inline void reap(pid_t pid)
{
	waitpid(pid, NULL, 0);
}

/* poll (up to ms) until endpoint ep has all of flags set */
static inline void wait_flags(int ep, int flags, int ms)
{
	proc_usr_t u;

	for (int i = 0; i < ms / 5; i++) {
		if (!dvk_getprocinfo(DCID, ep, &u) && (u.p_rts_flags & flags) == flags)
			return;
		usleep(5000);
	}
}

/* poll (up to @secs) until endpoint @ep is bound: forks are slow under TCG */
static inline int wait_bound_secs(int ep, int secs)
{
	proc_usr_t u;

	for (int t = 0; t < secs * 200; t++) {
		if (!dvk_getprocinfo(DCID, ep, &u) && !(u.p_rts_flags & SLOT_FREE))
			return 1;
		usleep(5000);
	}
	return 0;
}

/* poll (up to 2 s) until endpoint ep is bound (a forked child got there) */
static inline void wait_bound(int ep)
{
	wait_bound_secs(ep, 2);
}

/* the DVS, DC0 and the parent bound to ME; false (after FAIL lines) if not */
static inline int ipc_setup(const char *name)
{
	dvs_usr_t d = {
		.d_nr_dcs = NR_DCS, .d_nr_nodes = NR_NODES,
		.d_nr_procs = NR_PROCS, .d_nr_tasks = NR_TASKS, .d_nr_sysprocs = NR_SYS_PROCS,
		.d_max_copybuf = MAXCOPYBUF, .d_max_copylen = MAXCOPYLEN,
	};
	dc_usr_t dc = {
		.dc_dcid = DCID, .dc_nr_procs = NR_PROCS, .dc_nr_tasks = NR_TASKS,
		.dc_nr_sysprocs = NR_SYS_PROCS, .dc_nr_nodes = NR_NODES, .dc_name = "DC0",
	};

	snprintf(d.d_name, sizeof(d.d_name), "%s", name);
	results = mmap(NULL, 512 * sizeof(long), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (results == MAP_FAILED)
		return 0;
	CHECK_RC("dvs_init", dvk_dvs_init(0, &d), 0);
	CHECK_RC("dc_init", dvk_dc_init(&dc), 0);
	CHECK_RC("bind the parent", dvk_bind(DCID, ME), ME);
	return 1;
}

#endif /* IPC_TEST_H */
