// SPDX-License-Identifier: GPL-2.0
/*
 * sender.c - the sender thread (the kernel's sproxy): a connection to the
 * peer's acceptor that proved the key (client.c; exponential backoff), then
 * get2rmt -> record -> TCP; a heartbeat frame (CMD_NONE) whenever get2rmt
 * timed out.  A write error closes the link: proxy_conn(DISCONNECT_SPROXY)
 * makes the kernel fail everything waiting on the node with EDVSNOTCONN;
 * the command being written is lost (counted).
 *
 * SIGHUP re-keys the live link make-before-break: a helper thread opens a
 * second connection with the HANDOVER flag (its handshake with the key file
 * as it is now) while this thread goes on sending over the old one; when it
 * is ready (SIGUSR2 interrupts get2rmt), the old link ends with a HANDOVER
 * record naming it, and commands go on over the new one.  The receiver
 * reads the old link to its end first, so nothing is lost or reordered.  If
 * the new connection fails, the old link simply stays.
 */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "handshake.h"
#include "libdvk.h"
#include "proxy.h"

/* One live link of the sender. */
struct tx {
	int fd;
	struct dvkp_session s;	/* unused on a plain link */
	uint8_t *buf;		/* record header | frame header | payload | tag */
};

#define FRAME_AT	DVKP_REC_BYTES			/* where the frame starts in tx.buf */
#define PAYLOAD_AT	(FRAME_AT + DVKP_HDR_BYTES)	/* where get2rmt puts the payload */

/* The re-key's second connection, made by a helper thread. */
enum { RK_IDLE, RK_RUNNING, RK_READY, RK_FAILED };
static struct {
	pthread_t thread;
	atomic_int state;
	int fd;			/* RK_READY: the new connection... */
	struct dvkp_session s;	/* ...its session... */
	uint8_t nonce[32];	/* ...and the nonce the HANDOVER record names */
} rk = { .state = RK_IDLE };
static pthread_t sender_thread;

/* A connected and (unless plain) authenticated link, or -1 once stopping. */
static int open_link(struct tx *tx)
{
	int backoff = 100;
	uint8_t nonce[32];

	while (!atomic_load(&stopping)) {
		tx->fd = client_connect(0, &tx->s, nonce);
		if (tx->fd >= 0)
			return 0;
		plog(PL_DEBUG, "sender: no link to %s, retrying in %d ms", opts.peer, backoff);
		sleep_ms(backoff);
		backoff = backoff * 2 > opts.backoff_max_ms ? opts.backoff_max_ms : backoff * 2;
	}
	return -1;
}

/* Send the frame of @c whose payload get2rmt left at PAYLOAD_AT; 0 or -1. */
static int send_frame(struct tx *tx, const cmd_t *c, uint32_t len)
{
	size_t n;

	dvkp_encode(c, len, tx->buf + FRAME_AT);
	if (opts.mode == LINK_PLAIN)
		return dvkp_write_all(tx->fd, tx->buf + FRAME_AT, DVKP_HDR_BYTES + (size_t)len);
	n = dvkp_seal(&tx->s, DVKP_REC_FRAME, tx->buf, DVKP_HDR_BYTES + len);
	return n ? dvkp_write_all(tx->fd, tx->buf, n) : -1;
}

/* A heartbeat: CMD_NONE, no payload. */
static int send_heartbeat(struct tx *tx)
{
	cmd_t c;

	memset(&c, 0, sizeof(c));
	c.c_cmd = CMD_NONE;
	c.c_snode = opts.local_node;
	c.c_dnode = opts.node;
	if (send_frame(tx, &c, 0))
		return -1;
	atomic_fetch_add(&stats.heartbeats_out, 1);
	return 0;
}

static void *rekey_main(void *arg)
{
	(void)arg;
	rk.fd = client_connect(DVKP_HS_HANDOVER, &rk.s, rk.nonce);
	atomic_store(&rk.state, rk.fd >= 0 ? RK_READY : RK_FAILED);
	pthread_kill(sender_thread, SIGUSR2);	/* out of get2rmt: the switch is due */
	return NULL;
}

/* SIGHUP asked for a re-key: start the second connection (one at a time). */
static void rekey_start(void)
{
	if (opts.mode == LINK_PLAIN || atomic_load(&rk.state) != RK_IDLE)
		return;
	atomic_store(&rk.state, RK_RUNNING);
	if (pthread_create(&rk.thread, NULL, rekey_main, NULL)) {
		atomic_store(&rk.state, RK_IDLE);
		plog(PL_ERR, "sender: cannot start the re-key");
	}
}

/* The second connection is ready (or failed): switch to it (or keep the old link). */
static void rekey_finish(struct tx *tx)
{
	int state = atomic_load(&rk.state);
	size_t n;

	if (state != RK_READY && state != RK_FAILED)
		return;
	pthread_join(rk.thread, NULL);
	atomic_store(&rk.state, RK_IDLE);
	if (state == RK_FAILED) {
		plog(PL_WARNING, "sender: re-key failed; the link stays on key %u", tx->s.key_id);
		return;
	}
	memcpy(tx->buf + DVKP_REC_BYTES, rk.nonce, sizeof(rk.nonce));
	n = dvkp_seal(&tx->s, DVKP_REC_HANDOVER, tx->buf, sizeof(rk.nonce));
	if (!n || dvkp_write_all(tx->fd, tx->buf, n))	/* the old link broke: the new one goes on */
		plog(PL_WARNING, "sender: the old link broke during the re-key");
	close(tx->fd);
	dvkp_session_free(&tx->s);
	tx->fd = rk.fd;
	tx->s = rk.s;
	atomic_store(&stats.key_out, (long)tx->s.key_id);
	atomic_fetch_add(&stats.rekeys_out, 1);
	plog(PL_INFO, "sender: link re-keyed, key %u", tx->s.key_id);
}

/* The link is gone: a re-key in flight is abandoned. */
static void rekey_abandon(void)
{
	int state = atomic_load(&rk.state);

	if (state == RK_IDLE)
		return;
	pthread_join(rk.thread, NULL);
	if (atomic_load(&rk.state) == RK_READY) {
		close(rk.fd);
		dvkp_session_free(&rk.s);
	}
	atomic_store(&rk.state, RK_IDLE);
}

/* get2rmt -> peer until the link or the pair fails. */
static void serve(struct tx *tx)
{
	void *payload = tx->buf + PAYLOAD_AT;
	cmd_t c;

	/* the first frame at once: the peer's receiver marks the link up on it */
	if (send_heartbeat(tx))
		return;
	while (!atomic_load(&stopping)) {
		long r = dvk_get2rmt_T(&c, payload, opts.heartbeat_ms);
		uint32_t len = c.c_len > 0 ? (uint32_t)c.c_len : 0;

		if (atomic_exchange(&rekey, 0))
			rekey_start();
		rekey_finish(tx);	/* before the command: it goes on the new link */
		if (r == EDVSINTR)
			continue;
		if (r == EDVSTIMEDOUT) {
			if (send_heartbeat(tx))
				return;
			continue;
		}
		if (r != OK) {
			atomic_fetch_add(&stats.get2rmt_errors, 1);
			atomic_store(&stats.last_error, r);
			if (r == EDVSNOPROXY) {		/* the pair was freed: we are done */
				atomic_store(&stopping, 1);
				receiver_wake();
				return;
			}
			plog(PL_WARNING, "sender: get2rmt: %s", dvk_strerror((int)r));
			return;
		}
		if (send_frame(tx, &c, len)) {
			atomic_fetch_add(&stats.lost_out, 1);
			plog(PL_WARNING, "sender: link to %s lost (a command of id %llu lost)", opts.peer,
			     (unsigned long long)c.c_snd_seq);
			return;
		}
		atomic_fetch_add(&stats.msgs_out, 1);
		atomic_fetch_add(&stats.bytes_out, DVKP_HDR_BYTES + len);
	}
}

void *sender_main(void *arg)
{
	struct tx tx = { .fd = -1 };

	(void)arg;
	sender_thread = pthread_self();
	tx.buf = malloc(PAYLOAD_AT + opts.maxbytes + DVKP_TAG_BYTES);
	if (!tx.buf) {
		plog(PL_ERR, "sender: out of memory");
		atomic_store(&failed, 1);
		atomic_store(&stopping, 1);
		return NULL;
	}
	while (!atomic_load(&stopping) && open_link(&tx) == 0) {
		long r = dvk_proxy_conn(opts.pair, CONNECT_SPROXY);

		if (r) {
			plog(PL_ERR, "sender: proxy_conn: %s", dvk_strerror((int)r));
			atomic_store(&stopping, 1);
			receiver_wake();
		} else {
			atomic_fetch_add(&stats.connects_out, 1);
			atomic_store(&stats.key_out, opts.mode == LINK_PLAIN ? -1 : (long)tx.s.key_id);
			plog(PL_DEBUG, "sender: connected to %s", opts.peer);
			atomic_store(&rekey, 0);	/* a fresh link has the newest keys */
			serve(&tx);
			rekey_abandon();
			dvk_proxy_conn(opts.pair, DISCONNECT_SPROXY);
			atomic_fetch_add(&stats.disconnects_out, 1);
		}
		close(tx.fd);
		if (opts.mode != LINK_PLAIN)
			dvkp_session_free(&tx.s);
		atomic_store(&stats.key_out, -1);
		if (!atomic_load(&stopping))
			sleep_ms(100);
	}
	free(tx.buf);
	return NULL;
}
