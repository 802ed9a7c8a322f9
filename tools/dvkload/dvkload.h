/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dvkload.h - what the parts of dvkload share: the options, the stop flag
 * set by SIGINT/SIGTERM/SIGALRM, pacing, and the two workloads
 * (calls.c: non-message calls from threads; ipc*.c: server and client
 * processes exchanging messages).
 */
#ifndef DVKLOAD_H
#define DVKLOAD_H

#include <signal.h>
#include <time.h>

#define MODE_CALLS	1
#define MODE_IPC	2

struct dvkload_opts {
	int mode;		/* MODE_CALLS and/or MODE_IPC */
	long rate;		/* calls (or round trips) per second per worker/client, 0 = max */
	long seconds;		/* 0 = until a signal */
	/* calls mode */
	long workers, error_pct;
	/* ipc mode */
	long servers, clients, slow, slow_ms, copy_bytes, lifetime_ms, dcid, ep_base;
	long user_base;			/* first user-slot client, -1: the DC's first user slot */
	int nremote, remote_ep[8];	/* servers on other nodes the clients also call */
};

extern volatile sig_atomic_t dvkload_stop;

/* Sleep until the next tick of a RATE/s schedule (no-op for rate 0). */
void dvkload_pace(struct timespec *next, long rate);
double dvkload_now(void);	/* CLOCK_MONOTONIC in seconds */

/* calls.c */
int calls_start(const struct dvkload_opts *o);
void calls_finish(long *calls, long *errors);

/* ipc.c: 0 on success, else the exit status (messages printed) */
int ipc_start(const struct dvkload_opts *o);
void ipc_supervise(void);	/* returns once dvkload_stop is set */
int ipc_finish(void);		/* stop, reap, clean up, print the summary; exit status */

#endif /* DVKLOAD_H */
