/* SPDX-License-Identifier: GPL-2.0 */
/*
 * proxy.h - what the parts of dvk-proxy share: its settings, its counters
 * and the logging helpers.  One process links this node to one remote node:
 * a sender thread (get2rmt -> TCP) and a receiver thread (TCP -> put2lcl),
 * with the main thread handling signals (docs/proxy-wire.md).
 */
#ifndef DVKP_PROXY_H
#define DVKP_PROXY_H

#include <stdatomic.h>
#include <stdio.h>
#include "wire.h"

struct proxy_opts {
	int local_node, node, pair, port_base, maxbytes;
	int heartbeat_ms, backoff_max_ms, verbose;
	const char *name, *peer, *stats_file;
};

/* Counters: written by one thread each, read by the main thread. */
struct proxy_stats {
	atomic_ulong msgs_out, bytes_out, heartbeats_out, lost_out, get2rmt_errors;
	atomic_ulong connects_out, disconnects_out;
	atomic_ulong msgs_in, bytes_in, heartbeats_in, put2lcl_errors, put2lcl_retries;
	atomic_ulong accepts, disconnects_in, replaced_in;
	atomic_ulong frame_errors[DVKP_NERR];
	atomic_long last_error;		/* last DVK error of either side */
};

extern struct proxy_opts opts;
extern struct proxy_stats stats;
extern atomic_int stopping;		/* SIGTERM/SIGINT seen, or the pair was freed */

void *sender_main(void *arg);		/* sender.c */
void *receiver_main(void *arg);		/* receiver.c */
void receiver_wake(void);		/* end a receiver blocked in accept/read */

void plog(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void stats_print(FILE *f);
void sleep_ms(int ms);			/* returns early once stopping */

#endif /* DVKP_PROXY_H */
