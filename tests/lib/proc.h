/* SPDX-License-Identifier: GPL-2.0 */
/*
 * proc.h - the process helpers of the kernel tests: children forked and
 * bound to an endpoint that run a function and report its DVK result, and
 * polls on an endpoint's state (forks and binds are slow under TCG, so the
 * tests wait for a state rather than sleep a fixed time).
 *
 * A child reports through children.result, shared memory indexed by
 * endpoint + NR_TASKS: exit statuses are 8 bits and DVK codes are not.
 */
#ifndef DVK_TESTS_PROC_H
#define DVK_TESTS_PROC_H

#include <sys/types.h>
#include <time.h>

#define CHILD_FAILED	9999L	/* a child did not bind, or was killed */
#define CHILD_SLOTS	512	/* entries of children.result */

struct children {
	long *result;	/* MAP_SHARED, CHILD_SLOTS entries; NULL until children_init */
};
extern struct children children;

/* map children.result (once); false if it cannot be mapped */
int children_init(void);

/* milliseconds of CLOCK_MONOTONIC since *t0 */
long ms_since(const struct timespec *t0);
/* DVK_TIMEOUT_SCALE (a debug kernel's slowness), at least 1: multiply waits by it */
int timeout_scale(void);

/* fork a child bound to dcid/ep that runs fn(arg) into children.result */
pid_t child_in(int dcid, int ep, long (*fn)(int arg), int arg);
/* the same in DC 0 */
pid_t child(int ep, long (*fn)(int arg), int arg);
/* child(), then wait (up to 2 s) until it is RECEIVING: fn starts with a receive */
pid_t child_receiving(int ep, long (*fn)(int arg), int arg);
/* fork a child that sleeps until killed (a process to bind, or to name as a proxy) */
pid_t idle_child(void);
/* wait for the child bound to ep: its fn's result, or CHILD_FAILED */
long wait_child(pid_t pid, int ep);
/* wait for a child that was killed on purpose */
void reap(pid_t pid);
/* SIGKILL a child (none if pid <= 0: never kill(-1)) and wait for it */
void kill_reap(pid_t pid);

/* poll (up to ms) until dcid/ep has all of flags set in p_rts_flags */
void wait_flags_in(int dcid, int ep, int flags, int ms);
/* the same in DC 0 */
void wait_flags(int ep, int flags, int ms);
/* poll (up to secs) until ep of DC 0 is bound; false if it never was */
int wait_bound_secs(int ep, int secs);
/* poll (up to 2 s) until ep of DC 0 is bound (a forked child got there) */
void wait_bound(int ep);

#endif /* DVK_TESTS_PROC_H */
