/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ipc.h - the IPC workload's shared state: one MAP_SHARED block that the
 * parent (ipc.c) and its server and client processes (ipc_roles.c) all
 * see, with the endpoint layout, counters and the first error.
 */
#ifndef DVKLOAD_IPC_H
#define DVKLOAD_IPC_H

#include "dvkload.h"

#define MAX_SERVERS	16
#define MAX_CLIENTS	128

#define T_REQ		0x4c31	/* client -> server */
#define T_REPLY		0x4c32	/* server -> client */

#define VCOPY_EVERY	8	/* server 0: a vcopy every 8th request */
#define NOTIFY_EVERY	4	/* server 0: a notify to server 1 every 4th */
#define CALL_TIMEOUT_MS	30000	/* a sendrec never waits longer */

/* exit statuses of the children */
#define EXIT_STOPPED	0	/* stopped as asked */
#define EXIT_REBIND	10	/* a client leaving on purpose: replace it */
#define EXIT_BIND	11	/* bind failed (bind_rc says why) */

struct ipc_counters {
	long round_trips, errors;	/* clients */
	long handled, vcopies, vcopy_bytes, notifies_sent, notifies_rcvd;	/* servers */
};

struct ipc_shared {
	int stopping;			/* the parent is stopping everyone */
	int dcid;
	int server_ep[MAX_SERVERS], client_ep[MAX_CLIENTS];
	int nservers, nclients, nslow, churn;	/* churn: the client that exits, or -1 */
	int nremote;			/* server_ep[nservers..]: servers on other nodes */
	long slow_ms, copy_bytes, lifetime_ms, rate;
	int bound_server[MAX_SERVERS];	/* set once the server is bound */
	long bind_rc[MAX_SERVERS + MAX_CLIENTS];	/* why a bind failed */
	int next_seq[MAX_CLIENTS];	/* a replacement client carries on */
	struct ipc_counters srv[MAX_SERVERS], cli[MAX_CLIENTS];
	int first_error_taken;
	char first_error[200];
};

extern struct ipc_shared *ipc_sh;

/* ipc_roles.c: the bodies of the children; they never return */
void ipc_server(int k) __attribute__((noreturn));
void ipc_client(int i) __attribute__((noreturn));

#endif /* DVKLOAD_IPC_H */
