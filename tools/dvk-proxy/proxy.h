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
#include "../common/dvkconf.h"
#include "keyfile.h"
#include "record.h"
#include "wire.h"

/* How a link is protected (docs/security.md). */
enum link_mode {
	LINK_ENCRYPT,		/* handshake, then encrypted and authenticated records (default) */
	LINK_AUTH,		/* handshake, then authenticated records in plain text (--no-encrypt) */
	LINK_PLAIN,		/* frames of wire.h as they are, no key (--insecure-plain) */
};

/*
 * The settings: the command line's, then the node configuration file's
 * (config.c) where the command line left one unset (-1 or NULL).
 */
struct proxy_opts {
	int local_node, node, pair, port_base, maxbytes;
	int heartbeat_ms, backoff_max_ms;
	int log_level;			/* the most detailed level logged (PL_*) */
	int log_format;			/* LOG_FMT_* */
	int local_from_config;		/* local_node came from the file: check it against the DVS */
	enum link_mode mode;
	int mode_set;			/* mode came from the command line */
	const char *name, *peer, *stats_file, *key_file, *config;
};

/* Log levels: syslog's numbers, the <N> prefixes journald reads (sd-daemon(3)). */
#define PL_ERR		DVKCONF_ERR
#define PL_WARNING	DVKCONF_WARNING
#define PL_NOTICE	DVKCONF_NOTICE
#define PL_INFO		DVKCONF_INFO
#define PL_DEBUG	DVKCONF_DEBUG
enum { LOG_FMT_AUTO, LOG_FMT_JOURNAL, LOG_FMT_TEXT };

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

/*
 * config.c: the node configuration file (--config, else /etc/dvk/dvk.conf
 * if it exists) where the command line left a setting unset; then the
 * built-in defaults.  Exits 2 on a bad file or without a peer address.
 */
void config_apply(void);
void config_print(void);		/* --print-config: the file as read, exit 0 or 2 */

/*
 * log.c: plog() logs at @level (PL_*) if opts.log_level asks for it; to
 * the journal (log_setup found stderr is the journal's stream, or
 * --log-format journal) as "<N>[local->node] message", otherwise as
 * "SECONDS.MS dvk-proxy[local->node]: message".  pfatal() is the error
 * that ends the proxy ("dvk-proxy: message", <3> to the journal).
 */
void log_setup(void);
int log_to_journal(void);
void plog(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void pfatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void stats_print(FILE *f);
void stats_file(void);			/* the counters into --stats-file, if given */
void sleep_ms(int ms);			/* returns early once stopping */

#endif /* DVKP_PROXY_H */
