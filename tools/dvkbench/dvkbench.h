/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dvkbench.h - what the parts of dvkbench share: the options, the
 * transport state of client and server, and the steps of a run.
 *
 *   main.c       options, signals, the call of bench()
 *   dvk_setup.c  the DVS, the DC and the client's endpoint of the DVK modes
 *   transport.c  one round trip of each mode, client side and server side,
 *                and the server process
 *   run.c        the timed runs and their report
 */
#ifndef DVKBENCH_H
#define DVKBENCH_H

#include <signal.h>
#include <sys/types.h>
#include "libdvk.h"

#define EXIT_UNAVAILABLE 3

enum mode { M_DVK, M_DVK_SR, M_MSGQ, M_PIPE };

/* the message types of the ping-pong */
#define PING	1
#define STOP	2

struct bench_opts {
	enum mode mode;
	long iterations, repeat, warmup;
	int quiet, verbose, use_reply, no_init, timeout;
	int cpu_client, cpu_server;	/* -1: not pinned */
	int dcid, nodeid, client_ep, server_ep;
};

extern struct bench_opts opt;
extern volatile sig_atomic_t got_signal;
extern const char *const mode_names[];
extern const char *const mode_desc[];

/* the transport state shared by client and server */
extern int msqid;
extern int to_server[2], to_client[2];
extern pid_t server_pid;

static inline int is_dvk(void)
{
	return opt.mode == M_DVK || opt.mode == M_DVK_SR;
}

/* dvk_setup.c */
int dvk_fail(const char *what, long rc);	/* prints "what: error"; -1 */
int dvk_setup(void);
void dvk_teardown(void);

/* transport.c */
int pin_to(int cpu, const char *who);
int transport_open(void);	/* the queue or pipes of the mode; 0 or -1 (printed) */
int start_server(void);
void stop_server(int clean);
long round_trip(int type, int seq);
void cleanup(void);

/* run.c: the whole benchmark; returns the exit status */
int bench(void);

#endif /* DVKBENCH_H */
