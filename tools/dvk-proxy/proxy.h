/* SPDX-License-Identifier: GPL-2.0 */
/*
 * proxy.h - what the parts of dvk-proxy share: its settings, its counters
 * and the logging helpers.  One process links this node to one remote node:
 * a sender thread (get2rmt -> TCP; client.c makes its connections), a
 * receiver thread (TCP -> put2lcl) fed by an acceptor thread that runs the
 * handshakes, and the main thread handling signals (docs/proxy-wire.md).
 */
#ifndef DVKP_PROXY_H
#define DVKP_PROXY_H

#include <stdatomic.h>
#include <stdio.h>
#include "keyfile.h"
#include "record.h"
#include "wire.h"

/* How a link is protected (docs/security.md). */
enum link_mode {
	LINK_ENCRYPT,		/* handshake, then encrypted and authenticated records (default) */
	LINK_AUTH,		/* handshake, then authenticated records in plain text (--no-encrypt) */
	LINK_PLAIN,		/* frames of wire.h as they are, no key (--insecure-plain) */
};

struct proxy_opts {
	int local_node, node, pair, port_base, maxbytes;
	int heartbeat_ms, backoff_max_ms, verbose;
	enum link_mode mode;
	const char *name, *peer, *stats_file, *key_file, *config;
};

/* A connection the receiver may make its link: what the acceptor hands it. */
struct link {
	int fd;
	int secured;			/* 0: a plain link (LINK_PLAIN) */
	struct dvkp_session s;		/* secured: the records' session */
	uint32_t flags;			/* secured: the client's hello flags (DVKP_HS_*) */
	uint8_t nonce[32];		/* secured: the client's nonce, named by a HANDOVER */
};

/* Counters: atomics, written by the workers, read by the main thread. */
struct proxy_stats {
	atomic_ulong msgs_out, bytes_out, heartbeats_out, lost_out, get2rmt_errors;
	atomic_ulong connects_out, disconnects_out;
	atomic_ulong msgs_in, bytes_in, heartbeats_in, put2lcl_errors, put2lcl_retries;
	atomic_ulong accepts, disconnects_in, replaced_in, handovers_in;
	atomic_ulong handshakes_in, handshakes_out, handshake_fails_out, rekeys_out;
	atomic_long key_in, key_out;	/* the cluster key id of each live link, -1 none */
	atomic_ulong frame_errors[DVKP_NERR];
	atomic_long last_error;		/* last DVK error of either side */
};

extern struct proxy_opts opts;
extern struct proxy_stats stats;
extern atomic_int stopping;		/* SIGTERM/SIGINT seen, or the pair was freed */
extern atomic_int failed;		/* a worker could not start: exit 1 */
extern atomic_int rekey;		/* SIGHUP: the sender re-keys its link */

/* keys.c: a copy of the cluster keys, read again first if the key file changed. */
void keys_get(struct dvkp_keys *k);
int keys_load(void);			/* read the key file now; 0 or -1 (logged) */
void keys_wipe(void);

void *sender_main(void *arg);		/* sender.c */
/*
 * client.c: a new connection to the peer, authenticated unless LINK_PLAIN
 * (@flags: DVKP_HS_HANDOVER for a re-key): the fd with @s set up and the
 * client nonce in @nonce, or -1 (counted and logged).
 */
int client_connect(uint32_t flags, struct dvkp_session *s, uint8_t nonce[32]);

void *receiver_main(void *arg);		/* receiver.c */
void receiver_wake(void);		/* end a receiver blocked in poll */
int acceptor_start(void);		/* acceptor.c: listen, handshakes; 0 or -1 */
void acceptor_stop(void);
int acceptor_fd(void);			/* readable when links wait: take them with... */
struct link *acceptor_take(void);	/* ...this (NULL: none) */
void link_close(struct link *l);	/* close and free */
void frame_error(int err, const char *what);	/* count a refusal; log its first of a kind */

/* config.c: apply the settings file at @path where the command line (and
 * @mode_set for the link mode) left them; exit 2 on a bad file. */
void config_read(const char *path, int must_exist, int mode_set);

/* log.c */
void plog(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void stats_print(FILE *f);
void stats_file(void);			/* the counters into --stats-file, if given */
void sleep_ms(int ms);			/* returns early once stopping */

#endif /* DVKP_PROXY_H */
